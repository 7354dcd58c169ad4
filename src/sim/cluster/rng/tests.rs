use super::*;

#[test]
fn same_seed_same_sequence() {
    let mut a = Rng::new(7);
    let mut b = Rng::new(7);
    assert_eq!(a.name_suffix(5), b.name_suffix(5));
    assert_eq!(a.uuid(), b.uuid());
    assert_ne!(Rng::new(8).next_u64(), Rng::new(7).next_u64());
}

#[test]
fn uuid_and_suffix_shapes() {
    let mut r = Rng::new(1);
    let u = r.uuid();
    assert_eq!(u.len(), 36);
    assert_eq!(&u[14..15], "4");
    let s = r.name_suffix(5);
    assert!(s.bytes().all(|c| NAME_ALPHABET.contains(&c)));
    assert!(
        safe_encode(fnv32a(b"template"))
            .bytes()
            .all(|c| NAME_ALPHABET.contains(&c))
    );
}
