use super::*;

#[test]
fn restarted_at_is_rfc3339_in_whole_seconds() {
    let t: Timestamp = "2026-03-02T09:15:07.250Z".parse().expect("time");
    assert_eq!(restarted_at(t), "2026-03-02T09:15:07Z");
    let t: Timestamp = "2026-03-02T10:15:07+01:00".parse().expect("time");
    assert_eq!(restarted_at(t), "2026-03-02T09:15:07Z");
}
