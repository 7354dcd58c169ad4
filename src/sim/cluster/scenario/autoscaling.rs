//! The shop's HorizontalPodAutoscalers, and the `hpa-maxed` incident: a
//! traffic spike api-server cannot absorb even at its HPA's maximum.

use serde_json::{Value, json};

use crate::sim::cluster::story::Step;

/// An `autoscaling/v2` HPA on a Deployment's CPU utilization.
fn hpa(target: &str, min: i64, max: i64, cpu_percent: i64) -> Value {
    json!({
        "metadata": {"name": target, "labels": {"app": target, "team": "shop"}},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": target},
            "minReplicas": min,
            "maxReplicas": max,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": cpu_percent}}}],
        },
    })
}

/// Production's HPAs, added once the shop's pods run (an HPA made before
/// its pods have metrics starts with FailedGetResourceMetric warnings).
pub(super) fn add_hpas() -> Step {
    Step::CreateAll(
        [("api-server", 3, 6, 70), ("checkout-service", 3, 10, 75)]
            .into_iter()
            .map(|(target, min, max, cpu)| {
                (
                    "autoscaling",
                    "horizontalpodautoscalers",
                    "production".to_string(),
                    hpa(target, min, max, cpu),
                )
            })
            .collect(),
    )
}

/// The spike: api-server in production suddenly needs 1.5 cores, five
/// times what its three pods use and more than six of them can serve under
/// the HPA's 70 % target.
pub(super) fn spike() -> Step {
    Step::Traffic {
        namespace: "production".into(),
        app: "api-server".into(),
        cpu_millis: 1500.0,
    }
}
