use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use serde_json::json;

use super::HpaInfo;

fn hpa(limited: &str, reason: &str, current: i32) -> HpaInfo {
    let hpa: HorizontalPodAutoscaler = serde_json::from_value(json!({
        "metadata": {"name": "api-server", "namespace": "production"},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api-server"},
            "minReplicas": 3, "maxReplicas": 6,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}],
        },
        "status": {
            "currentReplicas": current, "desiredReplicas": 6,
            "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 250, "averageValue": "960m"}}}],
            "conditions": [
                {"type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale", "lastTransitionTime": "2026-03-02T09:00:00Z"},
                {"type": "ScalingActive", "status": "True", "reason": "ValidMetricFound", "lastTransitionTime": "2026-03-02T09:00:00Z"},
                {"type": "ScalingLimited", "status": limited, "reason": reason, "lastTransitionTime": "2026-03-02T09:01:00Z"},
            ],
        },
    }))
    .unwrap();
    HpaInfo::from_hpa(&hpa)
}

#[test]
fn an_hpa_reads_its_bounds_metrics_and_target() {
    let h = hpa("True", "TooManyReplicas", 6);
    assert_eq!((h.min, h.max, h.current, h.desired), (3, 6, 6, 6));
    assert_eq!(h.metrics, vec!["cpu 250%/70%"]);
    assert!(h.scales("Deployment", "production", "api-server"));
    assert!(!h.scales("Deployment", "staging", "api-server"));
}

#[test]
fn pinned_at_max_only_when_limited_by_its_maximum() {
    let since = "2026-03-02T09:01:00Z".parse().ok();
    assert_eq!(
        hpa("True", "TooManyReplicas", 6).pinned_at_max(),
        Some(since)
    );
    // Held at its minimum at idle is not a problem.
    assert_eq!(hpa("True", "TooFewReplicas", 3).pinned_at_max(), None);
    assert_eq!(hpa("False", "DesiredWithinRange", 4).pinned_at_max(), None);
    assert_eq!(hpa("True", "TooManyReplicas", 6).not_scaling(), None);
}
