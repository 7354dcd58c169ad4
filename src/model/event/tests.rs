//! Events from the old core/v1 recorder and from events.k8s.io/v1 writers.

use serde_json::{Value, json};

use super::*;

fn event(v: Value) -> EventInfo {
    EventInfo::from_event(&serde_json::from_value(v).expect("a valid Event"))
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// A kubelet BackOff event that has repeated: first seen long ago, last
/// seen a moment ago.
fn backoff() -> Value {
    json!({
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": "notification-service-5c7d.17c3a1b2", "namespace": "production",
                     "creationTimestamp": "2024-05-01T11:00:00Z"},
        "involvedObject": {"kind": "Pod", "namespace": "production",
            "name": "notification-service-5c7d-abcde", "uid": "u1",
            "fieldPath": "spec.containers{notification-service}"},
        "reason": "BackOff",
        "message": "Back-off restarting failed container notification-service in pod notification-service-5c7d-abcde_production(u1)",
        "type": "Warning",
        "count": 14,
        "firstTimestamp": "2024-05-01T11:00:00Z",
        "lastTimestamp": "2024-05-01T11:58:00Z",
        "series": {"count": 14, "lastObservedTime": "2024-05-01T11:58:00.123456Z"},
        "source": {"component": "kubelet", "host": "node-2"}
    })
}

#[test]
fn repeated_kubelet_event() {
    let e = event(backoff());
    assert!(e.warning);
    assert_eq!(e.reason, "BackOff");
    assert_eq!(e.count, 14);
    assert_eq!(e.first_seen, Some(ts("2024-05-01T11:00:00Z")));
    // series.lastObservedTime carries microseconds past lastTimestamp.
    assert_eq!(e.last_seen, Some(ts("2024-05-01T11:58:00.123456Z")));
    assert_eq!(
        e.object,
        ObjectRef {
            kind: "Pod".into(),
            namespace: "production".into(),
            name: "notification-service-5c7d-abcde".into()
        }
    );
    assert_eq!(e.container(), Some("notification-service"));
    assert_eq!(e.source, "kubelet");
    assert_eq!(e.source_column(), "kubelet, node-2");
    assert_eq!(
        e.key().to_string(),
        "production/notification-service-5c7d.17c3a1b2"
    );
}

#[test]
fn events_k8s_io_style_uses_event_time_and_series() {
    let e = event(json!({
        "metadata": {"name": "checkout.1", "namespace": "production",
                     "creationTimestamp": "2024-05-01T11:00:00Z"},
        "involvedObject": {"kind": "Deployment", "namespace": "production", "name": "checkout-service"},
        "reason": "ScalingReplicaSet", "message": "Scaled up replica set checkout-service-7d9f8b6c5d from 0 to 1",
        "type": "Normal",
        "eventTime": "2024-05-01T11:00:00.500000Z",
        "series": {"count": 3, "lastObservedTime": "2024-05-01T11:20:00.000000Z"},
        "reportingComponent": "deployment-controller",
        "reportingInstance": "controller-manager-1"
    }));
    assert!(!e.warning);
    assert_eq!(e.count, 3);
    assert_eq!(e.first_seen, Some(ts("2024-05-01T11:00:00.5Z")));
    assert_eq!(e.last_seen, Some(ts("2024-05-01T11:20:00Z")));
    assert_eq!(e.source, "deployment-controller");
    assert_eq!(
        e.source_column(),
        "deployment-controller, controller-manager-1"
    );
    assert_eq!(e.container(), None);
}

#[test]
fn sorting_by_last_seen_puts_the_recurring_event_first() {
    // k9s sorted by firstTimestamp (or creation) and buried events that keep
    // happening. A one-off event from 11:50 must come after a BackOff first
    // seen at 11:00 but last seen at 11:58.
    let once = event(json!({
        "metadata": {"name": "once", "namespace": "production",
                     "creationTimestamp": "2024-05-01T11:50:00Z"},
        "involvedObject": {"kind": "Pod", "name": "api-1"},
        "reason": "Scheduled", "type": "Normal", "count": 1,
        "firstTimestamp": "2024-05-01T11:50:00Z", "lastTimestamp": "2024-05-01T11:50:00Z"
    }));
    let only_created = event(json!({
        "metadata": {"name": "created", "creationTimestamp": "2024-05-01T11:55:00Z"},
        "involvedObject": {}
    }));
    let mut events = [once, backoff_info(), only_created];
    events.sort_by_key(|e| std::cmp::Reverse(e.last_seen));
    let names: Vec<&str> = events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        ["notification-service-5c7d.17c3a1b2", "created", "once"]
    );
}

fn backoff_info() -> EventInfo {
    event(backoff())
}

#[test]
fn odd_events_never_panic() {
    let e = event(json!({"metadata": {}, "involvedObject": {}}));
    assert_eq!(e.count, 1, "an event happened at least once");
    assert_eq!((e.first_seen, e.last_seen), (None, None));
    assert_eq!((e.source.as_str(), e.source_host.clone()), ("", None));
    assert_eq!(e.source_column(), "");

    let e = event(json!({
        "metadata": {"name": "x", "creationTimestamp": "2024-05-01T11:00:00Z"},
        "involvedObject": {"fieldPath": "spec.containers{"},
        "count": -7,
        "firstTimestamp": "0001-01-01T00:00:00Z",
        "lastTimestamp": "0001-01-01T00:00:00Z",
        "eventTime": "0001-01-01T00:00:00.000000Z",
        "source": {"component": "", "host": ""},
        "reportingComponent": "kubelet"
    }));
    assert_eq!(e.count, 1);
    assert_eq!(
        e.first_seen,
        Some(ts("2024-05-01T11:00:00Z")),
        "Go zero times are skipped"
    );
    assert_eq!(e.last_seen, Some(ts("2024-05-01T11:00:00Z")));
    assert_eq!(e.source_column(), "kubelet");
    assert_eq!(e.container(), None);
}
