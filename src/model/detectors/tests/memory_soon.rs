//! MemoryLimitSoon on hand-built histories: fires on a real climb within
//! the horizon, says when, and takes MemoryNearLimit's place for the pod.

use super::*;
use crate::model::usage_history::Sample;

/// `cart-1` (limit `limit_mib`) with polls every 15 s ending `ends_ago`
/// seconds before `now`, reading `mibs`; its current usage the last one.
fn climbing(limit_mib: u64, mibs: &[u64], ends_ago: i64) -> ClusterData {
    let mut p = fx::pod("shop", "cart-1", "cart");
    p.limits.memory_bytes = Some(limit_mib * MI);
    let key = p.key();
    let mut d = pods(vec![p]);
    let n = mibs.len() as i64;
    for (i, m) in mibs.iter().enumerate() {
        let at = now() - SignedDuration::from_secs(ends_ago + 15 * (n - 1 - i as i64));
        let usage = Usage {
            cpu_milli: 10,
            memory_bytes: m * MI,
        };
        d.usage_history.record(
            at,
            [Sample {
                pod: &key,
                owner: Some(("Deployment", "cart")),
                usage,
            }],
        );
        d.pod_usage.insert(key.clone(), usage);
    }
    d
}

#[test]
fn memory_climbing_to_its_limit_within_the_horizon_warns_before_the_kill() {
    // 60 MiB a minute, 46 MiB to go.
    let alerts = run(&climbing(256, &[150, 165, 180, 195, 210], 0));
    assert_eq!(
        names(&alerts),
        ["MemoryLimitSoon detector/memory-limit-soon/shop/cart-1/app"]
    );
    let a = &alerts[0];
    assert_eq!(a.severity, AlertSeverity::Warning);
    assert_eq!(
        summary(a),
        "cart-1 memory climbs 60Mi/min: 210Mi of its 256Mi limit, reaches it in ~46s"
    );
    assert!(
        description(a).starts_with("The pod's memory has been climbing steadily"),
        "{}",
        description(a)
    );
    assert_eq!(a.labels["deployment"], "cart");
    // The poll was 20 s ago: 20 s less to go.
    let later = run(&climbing(256, &[150, 165, 180, 195, 210], 20));
    assert!(
        summary(&later[0]).ends_with("reaches it in ~26s"),
        "{}",
        summary(&later[0])
    );
}

#[test]
fn the_horizon_is_configurable() {
    // 4 MiB a minute, 46 MiB to go: 11.5 minutes.
    let d = climbing(256, &[206, 207, 208, 209, 210], 0);
    assert!(named(&run(&d), "MemoryLimitSoon").is_empty());
    let cfg = DetectorConfig {
        memory_limit_soon: SignedDuration::from_mins(12),
        ..DetectorConfig::default()
    };
    let alerts = with(&d, &cfg);
    assert_eq!(named(&alerts, "MemoryLimitSoon").len(), 1);
    assert!(
        summary(&alerts[0]).ends_with("reaches it in ~12m"),
        "{}",
        summary(&alerts[0])
    );
}

#[test]
fn no_warning_without_a_real_fresh_climb_or_a_limit() {
    // Three polls are not a trend.
    assert!(run(&climbing(256, &[150, 180, 210], 0)).is_empty());
    // Flat, falling, noisy.
    assert!(run(&climbing(256, &[200, 200, 200, 200, 200], 0)).is_empty());
    assert!(run(&climbing(256, &[210, 195, 180, 165, 150], 0)).is_empty());
    assert!(run(&climbing(256, &[150, 200, 140, 210, 150, 205], 0)).is_empty());
    // Metrics stopped answering five minutes ago.
    assert!(run(&climbing(256, &[150, 165, 180, 195, 210], 300)).is_empty());
    // No limit: nothing to reach.
    let mut d = climbing(256, &[150, 165, 180, 195, 210], 0);
    for p in d.pods.values_mut() {
        p.limits.memory_bytes = None;
    }
    assert!(run(&d).is_empty());
}

#[test]
fn one_memory_alert_per_pod_the_one_that_says_when() {
    // At 92% and climbing: MemoryLimitSoon, not MemoryNearLimit too.
    let climbing_near = climbing(256, &[220, 225, 230, 235, 236], 0);
    assert_eq!(
        names(&run(&climbing_near)),
        ["MemoryLimitSoon detector/memory-limit-soon/shop/cart-1/app"]
    );
    // At 92% and flat: MemoryNearLimit.
    let flat_near = climbing(256, &[236, 236, 236, 236, 236], 0);
    assert_eq!(
        names(&run(&flat_near)),
        ["MemoryNearLimit detector/memory-near-limit/shop/cart-1/app"]
    );
    // MemoryLimitSoon turned off: MemoryNearLimit as before.
    assert_eq!(
        names(&with(&climbing_near, &only(&[Detector::MemoryLimitSoon]))),
        ["MemoryNearLimit detector/memory-near-limit/shop/cart-1/app"]
    );
}
