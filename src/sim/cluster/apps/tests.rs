use super::*;
use serde_json::json;

fn checkout(env: bool) -> Behaviour {
    let mut c = json!({"name": "app", "image": "registry.local/shop/checkout-service:2.3.0", "resources": {"limits": {"memory": "512Mi"}}});
    if env {
        c["env"] = json!([{"name": "DATABASE_URL", "value": "postgres://db/shop"}]);
    }
    behaviour(&Story::default(), "production", &c)
}

#[test]
fn checkout_without_database_url_never_gets_ready_and_says_why() {
    let b = checkout(false);
    assert_eq!(b.readiness, Readiness::Never);
    assert!(!b.ready_at(600));
    let start = Timestamp::UNIX_EPOCH;
    let inst = Instance::new("u/app/0".into(), start, &b);
    let out = lines(
        &b,
        &inst,
        start,
        start + SignedDuration::from_secs(30),
        None,
    );
    assert!(
        out.iter()
            .any(|(_, l)| l.contains("DATABASE_URL environment variable not set"))
    );
    assert!(checkout(true).ready_at(10));
}

#[test]
fn lines_are_windowed_and_tailed_consistently() {
    let b = checkout(true);
    let start = Timestamp::UNIX_EPOCH;
    let inst = Instance::new("u/app/0".into(), start, &b);
    let all = lines(
        &b,
        &inst,
        start,
        start + SignedDuration::from_secs(60),
        None,
    );
    let tail = lines(
        &b,
        &inst,
        start,
        start + SignedDuration::from_secs(60),
        Some(4),
    );
    assert_eq!(tail.len(), 4);
    assert_eq!(&all[all.len() - 4..], &tail[..]);
    let since = lines(
        &b,
        &inst,
        start + SignedDuration::from_secs(30),
        start + SignedDuration::from_secs(60),
        None,
    );
    assert!(
        since
            .iter()
            .all(|(t, _)| *t >= start + SignedDuration::from_secs(30))
    );
    assert_eq!(&all[all.len() - since.len()..], &since[..]);
    assert!(all.windows(2).all(|w| w[0].0 < w[1].0));
}

#[test]
fn a_container_can_be_asked_for_one_long_line() {
    let c = json!({"name": "w", "image": "busybox", "env": [{"name": "WARROOM_SIM_LINE_BYTES", "value": "100000"}]});
    let b = behaviour(&Story::default(), "default", &c);
    let start = Timestamp::UNIX_EPOCH;
    let inst = Instance::new("u/w/0".into(), start, &b);
    let out = lines(
        &b,
        &inst,
        start,
        start + SignedDuration::from_secs(60),
        None,
    );
    let long: Vec<&String> = out
        .iter()
        .map(|(_, l)| l)
        .filter(|l| l.len() > 1000)
        .collect();
    assert_eq!(long.len(), 1, "one long line");
    assert_eq!(long[0].len(), 100_000);
    assert!(long[0].starts_with("long line of 100000 bytes: xxx"));
    assert_eq!(out[STARTUP + 1].1, format!("heartbeat {}", STARTUP + 1));
}

#[test]
fn memory_reaches_the_limit_when_growing() {
    let mut story = Story::default();
    story
        .growth
        .push(("production".into(), "notification-service".into(), 200.0));
    let c = json!({"name": "app", "image": "notification-service:1.8.2", "resources": {"limits": {"memory": "512Mi"}}});
    let b = behaviour(&story, "production", &c);
    let start = Timestamp::UNIX_EPOCH;
    let inst = Instance::new("u/app/0".into(), start, &b);
    let t = inst.oom_at(&b).expect("grows into its limit");
    assert_eq!(
        t.duration_since(start).as_secs(),
        ((512.0 - 180.0) / 200.0 * 60.0) as i64
    );
    assert!(inst.memory_at(&b, t) >= 511.9);
}
