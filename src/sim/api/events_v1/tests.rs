use super::*;

#[test]
fn shapes_convert_both_ways() {
    let core = json!({
        "kind": "Event", "apiVersion": "v1",
        "metadata": {"name": "web-1.17", "namespace": "prod"},
        "involvedObject": {"kind": "Pod", "name": "web-1", "namespace": "prod"},
        "reason": "BackOff", "message": "Back-off restarting failed container app",
        "type": "Warning", "count": 5, "source": {"component": "kubelet", "host": "node-1"},
        "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:04:00Z", "eventTime": null,
    });
    let v1 = to_events_v1(&core);
    assert_eq!(v1["regarding"]["name"], "web-1");
    assert_eq!(v1["note"], "Back-off restarting failed container app");
    assert_eq!(v1["reportingController"], "kubelet");
    assert_eq!(v1["deprecatedCount"], 5);
    let back = from_events_v1(&v1);
    assert_eq!(back["involvedObject"], core["involvedObject"]);
    assert_eq!(back["message"], core["message"]);
    assert_eq!(back["count"], 5);
}
