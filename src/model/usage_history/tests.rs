use jiff::{SignedDuration, Timestamp};

use super::*;

const MI: u64 = 1024 * 1024;

fn t(secs: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + secs).unwrap()
}

fn key(name: &str) -> ObjectKey {
    ObjectKey::new("shop", name)
}

fn usage(cpu: u64, mib: u64) -> Usage {
    Usage {
        cpu_milli: cpu,
        memory_bytes: mib * MI,
    }
}

/// One poll of `(pod, owner deployment, cpu, MiB)`.
fn poll(h: &mut UsageHistory, at: i64, pods: &[(&str, &str, u64, u64)]) {
    let keys: Vec<ObjectKey> = pods.iter().map(|p| key(p.0)).collect();
    h.record(
        t(at),
        pods.iter().zip(&keys).map(|(p, k)| Sample {
            pod: k,
            owner: Some(("Deployment", p.1)),
            usage: usage(p.2, p.3),
        }),
    );
}

fn mem_points(v: SeriesView<'_>) -> Vec<Option<u64>> {
    v.points()
        .map(|(_, u)| u.map(|u| u.memory_bytes / MI))
        .collect()
}

#[test]
fn a_pod_missing_from_a_poll_is_a_gap_not_a_zero() {
    let mut h = UsageHistory::default();
    poll(&mut h, 0, &[("a", "api", 100, 200), ("b", "api", 50, 100)]);
    poll(&mut h, 15, &[("a", "api", 100, 210)]);
    poll(&mut h, 30, &[("a", "api", 100, 220), ("b", "api", 50, 120)]);
    assert_eq!(
        mem_points(h.pod(&key("b")).unwrap()),
        [Some(100), None, Some(120)]
    );
    // The workload sums the pods of each poll.
    assert_eq!(
        mem_points(h.workload("Deployment", &key("api")).unwrap()),
        [Some(300), Some(210), Some(340)]
    );
    assert_eq!(h.pod(&key("a")).unwrap().latest(), Some(usage(100, 220)));
}

#[test]
fn a_silence_or_a_failed_poll_is_a_gap() {
    let mut h = UsageHistory::default();
    poll(&mut h, 0, &[("a", "api", 1, 200)]);
    poll(&mut h, 15, &[("a", "api", 1, 210)]);
    // Two minutes without a poll.
    poll(&mut h, 135, &[("a", "api", 1, 300)]);
    h.failed(t(140));
    poll(&mut h, 150, &[("a", "api", 1, 310)]);
    assert_eq!(
        mem_points(h.pod(&key("a")).unwrap()),
        [Some(200), Some(210), None, Some(300), None, Some(310)]
    );
}

#[test]
fn a_poll_at_the_same_moment_replaces_the_last() {
    let mut h = UsageHistory::default();
    poll(&mut h, 0, &[("a", "api", 1, 200)]);
    poll(&mut h, 0, &[("a", "api", 1, 205)]);
    assert_eq!(mem_points(h.pod(&key("a")).unwrap()), [Some(205)]);
    assert_eq!(
        mem_points(h.workload("Deployment", &key("api")).unwrap()),
        [Some(205)]
    );
}

#[test]
fn thirty_minutes_are_kept_and_no_more() {
    let mut h = UsageHistory::default();
    for i in 0..300 {
        poll(&mut h, i * 15, &[("a", "api", 1, 200 + i as u64)]);
    }
    let points: Vec<_> = h.pod(&key("a")).unwrap().points().collect();
    assert!(points.len() <= POLLS_KEPT, "{}", points.len());
    let span = points.last().unwrap().0.duration_since(points[0].0);
    assert!(
        span <= KEPT && span >= KEPT - SignedDuration::from_secs(15),
        "{span:?}"
    );
    // Polls every second: the count bound holds.
    let mut h = UsageHistory::default();
    for i in 0..1000 {
        poll(&mut h, i, &[("a", "api", 1, 200)]);
    }
    assert_eq!(h.pod(&key("a")).unwrap().points().count(), POLLS_KEPT);
}

#[test]
fn series_of_gone_pods_and_idle_workloads_are_let_go() {
    let mut h = UsageHistory::default();
    poll(&mut h, 0, &[("a", "api", 1, 200), ("b", "web", 1, 100)]);
    h.retain_pods(|k| k.name == "a");
    assert!(h.pod(&key("b")).is_none());
    // `web` has no pod in any poll of the next half hour.
    for i in 1..=130 {
        poll(&mut h, i * 15, &[("a", "api", 1, 200)]);
    }
    assert!(h.workload("Deployment", &key("web")).is_none());
    assert!(h.workload("Deployment", &key("api")).is_some());
}

#[test]
fn quantities_survive_the_16_bit_code() {
    for v in [
        0u64,
        1,
        999,
        2047,
        2048,
        4095,
        250_000,
        512 * MI,
        410 * MI + 12345,
        64 << 30,
        1 << 40,
    ] {
        let back = decode(code(v));
        let err = back.abs_diff(v) as f64 / v.max(1) as f64;
        assert!(err <= 1.0 / 1024.0, "{v} came back as {back}");
    }
    assert_eq!(decode(code(1500)), 1500, "millicores below 2048 are exact");
    // Far beyond any pod: saturates, never the gap marker.
    assert_ne!(pack(usage(u64::MAX, u64::MAX / MI)), GAP);
}

#[test]
fn bytes_per_pod_stays_bounded() {
    let mut h = UsageHistory::default();
    let pods: Vec<String> = (0..500).map(|i| format!("api-7d8f9c6b5-{i:05}")).collect();
    for i in 0..200 {
        let keys: Vec<ObjectKey> = pods.iter().map(|p| key(p)).collect();
        h.record(
            t(i * 15),
            keys.iter().map(|k| Sample {
                pod: k,
                owner: Some(("Deployment", "api")),
                usage: usage(120, 300 + i as u64),
            }),
        );
    }
    let per_pod = h.approx_bytes() / pods.len();
    // 128 values × 4 bytes, the key and the bookkeeping.
    assert!(per_pod <= 700, "{per_pod} bytes per pod");
    assert!(
        per_pod >= 512,
        "{per_pod} bytes per pod: the ring is counted"
    );
}

fn climb(h: &mut UsageHistory, from: i64, mibs: &[u64]) {
    for (i, m) in mibs.iter().enumerate() {
        poll(h, from + i as i64 * 15, &[("a", "api", 100, *m)]);
    }
}

#[test]
fn a_steady_climb_has_a_trend_and_an_estimate() {
    let mut h = UsageHistory::default();
    // 60 MiB a minute: 15 MiB a poll.
    climb(&mut h, 0, &[200, 215, 230, 245, 260]);
    let trend = h.pod(&key("a")).unwrap().memory_trend().unwrap();
    assert!((trend.mib_per_min() - 60.0).abs() < 0.5, "{trend:?}");
    assert_eq!(trend.latest_bytes, 260 * MI);
    assert_eq!(trend.at, t(60));
    // 252 MiB to go at 1 MiB a second.
    let until = trend.until(512 * MI).unwrap();
    assert!((until.as_secs() - 252).abs() <= 2, "{until:?}");
    assert_eq!(trend.until(200 * MI), None, "already past it");
}

#[test]
fn no_trend_from_too_little_flat_falling_or_noisy_memory() {
    let trend = |mibs: &[u64]| {
        let mut h = UsageHistory::default();
        climb(&mut h, 0, mibs);
        h.pod(&key("a")).unwrap().memory_trend()
    };
    assert_eq!(trend(&[200, 215, 230]), None, "three points");
    assert_eq!(trend(&[300, 300, 300, 300, 300]), None, "flat");
    assert_eq!(trend(&[300, 290, 280, 270, 260]), None, "falling");
    assert_eq!(
        trend(&[300, 340, 290, 345, 295, 350, 300, 330]),
        None,
        "noise"
    );
}

#[test]
fn the_trend_reads_only_the_run_since_the_last_restart_or_gap() {
    let mut h = UsageHistory::default();
    // Killed at 500 MiB, back at 180 and climbing again: two points only.
    climb(&mut h, 0, &[400, 430, 460, 490, 180, 240]);
    assert_eq!(h.pod(&key("a")).unwrap().memory_trend(), None);
    climb(&mut h, 90, &[300, 360]);
    let trend = h.pod(&key("a")).unwrap().memory_trend().unwrap();
    assert!((trend.mib_per_min() - 240.0).abs() < 1.0, "{trend:?}");
    // A gap breaks the run too.
    h.failed(t(130));
    poll(&mut h, 135, &[("a", "api", 100, 380)]);
    assert_eq!(h.pod(&key("a")).unwrap().memory_trend(), None);
}
