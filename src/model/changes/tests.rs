use super::*;

fn at(min: i64) -> Timestamp {
    Timestamp::from_second(1_700_000_000 + min * 60).unwrap()
}

fn change(min: i64) -> Change {
    Change::new(at(min), ChangeKind::Pod, format!("t{min}"), None, false)
}

#[test]
fn the_ring_keeps_time_order_two_hours_and_a_cap() {
    let mut r = Ring::default();
    r.push(change(10), at(10));
    r.push(change(5), at(10));
    r.push(change(12), at(12));
    let order: Vec<_> = r.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(order, ["t5", "t10", "t12"]);
    r.push(change(131), at(131));
    let order: Vec<_> = r.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(order, ["t12", "t131"], "older than two hours let go");
    assert_eq!(r.since(at(100)).count(), 1);
    for i in 0..(CAPACITY as i64 + 5) {
        r.push(change(130), at(130 + i / 1000));
    }
    assert_eq!(r.len(), CAPACITY);
    assert!(r.dropped >= 5);
}
