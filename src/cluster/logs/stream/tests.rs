use super::*;

fn t(s: &str) -> Option<Timestamp> {
    Some(format!("2026-03-02T09:00:{s}Z").parse().expect("valid"))
}

#[test]
fn retries_wait_longer_each_time_with_jitter_and_start_over() {
    for seed in 0..50 {
        let mut b = Backoff::seeded(seed);
        let waits: Vec<Duration> = (0..12).map(|_| b.take()).collect();
        // The first wait is a second or up to as much again; each base
        // doubles (1, 2, 4, 8 s, then 15 s), jitter adds less than it.
        let base = |i: u32| (RETRY_FIRST * 2u32.pow(i.min(4))).min(RETRY_MAX / 2);
        for (i, w) in (0u32..).zip(&waits) {
            assert!(*w >= base(i), "seed {seed}: wait {i} is {w:?}");
            assert!(*w <= base(i) * 2, "seed {seed}: wait {i} is {w:?}");
            assert!(*w <= RETRY_MAX, "seed {seed}: wait {i} is {w:?}");
        }
        // A stream that opened starts from the first wait again.
        b.reset();
        let first = b.take();
        assert!(
            first >= RETRY_FIRST && first <= RETRY_FIRST * 2,
            "{first:?}"
        );
    }
    // Jitter: streams that failed together spread out.
    let firsts: Vec<Duration> = (0..50).map(|seed| Backoff::seeded(seed).take()).collect();
    let spread = firsts.iter().max().zip(firsts.iter().min());
    assert!(
        spread.is_some_and(|(max, min)| *max - *min > Duration::from_millis(500)),
        "{firsts:?}"
    );
    let mut plateau = Backoff::seeded(7);
    let late: Vec<Duration> = (0..20).map(|_| plateau.take()).skip(5).collect();
    assert!(late.windows(2).any(|w| w[0] != w[1]), "{late:?}");
}

#[test]
fn a_resumed_stream_skips_what_it_already_delivered() {
    let mut p = Position::default();
    assert_eq!(p.resume(), None, "nothing read: resume from the opening");
    for at in [t("01"), t("02"), t("02"), None] {
        assert!(!p.repeated(at));
    }
    assert_eq!(p.resume(), t("02"));
    // The server answers from a second early: 01 and both 02s again.
    assert!(p.repeated(t("01")));
    assert!(p.repeated(t("02")));
    assert!(p.repeated(t("02")));
    // A third line at 02 is new, and so is everything after it.
    assert!(!p.repeated(t("02")));
    assert!(!p.repeated(t("01")), "skipping ends at the first new line");
    assert!(!p.repeated(t("03")));
    assert_eq!(p.resume(), t("03"));
    assert!(!p.repeated(None), "unstamped lines cannot be told apart");
    assert!(!p.repeated(t("03")));
}

#[test]
fn lines_are_cut_after_their_timestamp() {
    let (at, bytes, cut) = cut_line(b"2026-03-02T09:00:00Z abcdef", 0, 4);
    assert!(at.is_some());
    assert_eq!((&*bytes, cut), (&b"abcd"[..], 2));
    // The splitter already cut 100 more.
    let (_, bytes, cut) = cut_line(b"2026-03-02T09:00:00Z abcdef", 100, 4);
    assert_eq!((&*bytes, cut), (&b"abcd"[..], 102));
    let (at, bytes, cut) = cut_line(b"no stamp here", 0, 8);
    assert_eq!((at, &*bytes, cut), (None, &b"no stamp"[..], 5));
}
