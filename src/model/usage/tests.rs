//! metrics.k8s.io answers as metrics-server writes them.

use serde_json::json;

use super::*;

#[test]
fn pod_usage_sums_containers() {
    let list = json!({
        "kind": "PodMetricsList", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": {},
        "items": [
            {"metadata": {"name": "notification-service-5c7d-abcde", "namespace": "production"},
             "timestamp": "2024-05-01T12:00:00Z", "window": "15s",
             "containers": [
                {"name": "app", "usage": {"cpu": "123456789n", "memory": "250000Ki"}},
                {"name": "proxy", "usage": {"cpu": "1500000n", "memory": "16Mi"}}]},
            {"metadata": {"name": "api-1", "namespace": "production"},
             "containers": [{"name": "api", "usage": {"cpu": "250m", "memory": "256Mi"}}]},
            {"metadata": {"name": "idle", "namespace": "production"}, "containers": []},
            {"metadata": {"namespace": "production"}, "containers": []},
            {"metadata": {"name": "no-containers"}},
            "junk"
        ]
    });
    let u = pod_usages(&list);
    let names: Vec<&str> = u.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["notification-service-5c7d-abcde", "api-1", "idle"]);
    assert_eq!(u[0].namespace, "production");
    // 123.456789m + 1.5m rounds up once, to 125m (not 124m + 2m).
    assert_eq!(u[0].usage.cpu_milli, 125);
    assert_eq!(u[0].usage.memory_bytes, 250_000 * 1024 + 16 * 1024 * 1024);
    assert_eq!(
        u[1].usage,
        Usage {
            cpu_milli: 250,
            memory_bytes: 256 << 20
        }
    );
    assert_eq!(u[2].usage, Usage::default());
}

#[test]
fn node_usage() {
    let list = json!({
        "kind": "NodeMetricsList", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": {},
        "items": [
            {"metadata": {"name": "node-1"}, "usage": {"cpu": "1", "memory": "6291456Ki"}},
            {"metadata": {"name": "node-2"}, "usage": {"cpu": "nonsense"}},
            {"metadata": {"name": "node-3"}}
        ]
    });
    let u = node_usages(&list);
    assert_eq!(u.len(), 2);
    assert_eq!(u[0].name, "node-1");
    assert_eq!(
        u[0].usage,
        Usage {
            cpu_milli: 1000,
            memory_bytes: 6 << 30
        }
    );
    assert_eq!(
        u[1].usage,
        Usage::default(),
        "an unreadable quantity counts as zero"
    );
}

#[test]
fn single_objects_and_garbage() {
    let one = json!({"kind": "NodeMetrics", "metadata": {"name": "node-1"},
                     "usage": {"cpu": "2500m", "memory": "1Gi"}});
    assert_eq!(node_usages(&one)[0].usage.cpu_milli, 2500);
    let pod = json!({"kind": "PodMetrics", "metadata": {"name": "p", "namespace": "n"},
                     "containers": [{"usage": {"cpu": 0.5, "memory": 1024}}]});
    assert_eq!(
        pod_usages(&pod)[0].usage,
        Usage {
            cpu_milli: 500,
            memory_bytes: 1024
        }
    );
    for junk in [
        json!(null),
        json!([]),
        json!("x"),
        json!({"items": 3}),
        json!({}),
    ] {
        assert!(pod_usages(&junk).is_empty());
        assert!(node_usages(&junk).is_empty());
    }
    let huge = json!({"items": [{"metadata": {"name": "n"},
        "usage": {"cpu": "99999999999999999999", "memory": "-5Gi"}}]});
    assert_eq!(
        node_usages(&huge)[0].usage,
        Usage {
            cpu_milli: u64::MAX / 1_000_000 + 1,
            memory_bytes: 0
        }
    );
}
