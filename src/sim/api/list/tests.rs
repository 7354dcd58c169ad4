use super::*;

#[test]
fn continue_tokens_round_trip_and_reject_junk() {
    let t = encode_continue(42, "prod", "web-1");
    assert_eq!(
        decode_continue(&t),
        Some((42, "prod".into(), "web-1".into()))
    );
    assert_eq!(decode_continue("zz"), None);
    assert_eq!(decode_continue("abc"), None);
}
