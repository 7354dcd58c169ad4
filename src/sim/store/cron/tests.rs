use super::*;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn nightly_runs_at_two() {
    let s = Schedule::parse("0 2 * * *").unwrap();
    assert_eq!(
        s.next_after(at("2026-12-07T19:33:00Z")),
        Some(at("2026-12-08T02:00:00Z"))
    );
    assert_eq!(
        s.next_after(at("2026-12-08T02:00:00Z")),
        Some(at("2026-12-09T02:00:00Z"))
    );
}

#[test]
fn steps_lists_ranges_and_names() {
    let s = Schedule::parse("*/15 9-17 * * mon-fri").unwrap();
    // 2026-12-05 is a Saturday: the next run is Monday 09:00.
    assert_eq!(
        s.next_after(at("2026-12-05T12:00:00Z")),
        Some(at("2026-12-07T09:00:00Z"))
    );
    assert_eq!(
        s.next_after(at("2026-12-07T09:00:00Z")),
        Some(at("2026-12-07T09:15:00Z"))
    );
    let s = Schedule::parse("5,35 0 1 jan,jul *").unwrap();
    assert_eq!(
        s.next_after(at("2026-02-01T00:00:00Z")),
        Some(at("2026-07-01T00:05:00Z"))
    );
    let s = Schedule::parse("@hourly").unwrap();
    assert_eq!(
        s.next_after(at("2026-12-07T19:33:10Z")),
        Some(at("2026-12-07T20:00:00Z"))
    );
}

#[test]
fn day_of_month_or_day_of_week_when_both_restricted() {
    // The 13th, or any Friday.
    let s = Schedule::parse("0 0 13 * 5").unwrap();
    // 2026-12-07 is a Monday: Friday the 11th comes before the 13th.
    assert_eq!(
        s.next_after(at("2026-12-07T00:00:00Z")),
        Some(at("2026-12-11T00:00:00Z"))
    );
    assert_eq!(
        s.next_after(at("2026-12-11T00:00:00Z")),
        Some(at("2026-12-13T00:00:00Z"))
    );
}

#[test]
fn bad_schedules_are_refused() {
    assert!(Schedule::parse("0 2 * *").is_err());
    assert!(Schedule::parse("61 * * * *").is_err());
    assert!(Schedule::parse("* * * foo *").is_err());
    assert!(Schedule::parse("*/0 * * * *").is_err());
    assert!(Schedule::parse("@never").is_err());
}

#[test]
fn most_recent_counts_missed_starts() {
    let s = Schedule::parse("*/10 * * * *").unwrap();
    let (last, n) = s.most_recent(at("2026-12-07T10:00:00Z"), at("2026-12-07T10:35:00Z"));
    assert_eq!(last, Some(at("2026-12-07T10:30:00Z")));
    assert_eq!(n, 3);
}
