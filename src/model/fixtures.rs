//! Pods for tests, shaped as the kubelet and controllers write them.

use jiff::Timestamp;
use k8s_openapi::api::core::v1::Pod;
use serde_json::{Value, json};

use super::pod_health::PodInfo;

pub fn pod(v: Value) -> Pod {
    serde_json::from_value(v).expect("a valid Pod")
}

pub fn info(v: Value) -> PodInfo {
    PodInfo::from_pod(&pod(v))
}

pub fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// A checkout-service pod of the Deployment `checkout-service`, through its
/// ReplicaSet `checkout-service-7d9f8b6c5d`, with the given container status.
pub fn checkout(phase: &str, ready: bool, container_status: Value) -> Value {
    let s = if ready { "True" } else { "False" };
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "name": "checkout-service-7d9f8b6c5d-x2x9q", "namespace": "production",
            "uid": "3f1c", "creationTimestamp": "2024-05-01T11:00:00Z",
            "labels": {"app": "checkout-service", "pod-template-hash": "7d9f8b6c5d"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "name": "checkout-service-7d9f8b6c5d", "uid": "9a", "controller": true,
                "blockOwnerDeletion": true}]
        },
        "spec": {
            "nodeName": "node-2",
            "containers": [{
                "name": "checkout-service",
                "image": "registry.shop.example/checkout-service:2.3.0",
                "env": [{"name": "PORT", "value": "8080"},
                        {"name": "PAYMENT_TOKEN", "value": "s3cr3t-token"}],
                "resources": {"requests": {"cpu": "100m", "memory": "128Mi"},
                              "limits": {"memory": "256Mi"}},
                "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080, "scheme": "HTTP"},
                    "initialDelaySeconds": 2, "periodSeconds": 5, "failureThreshold": 3},
                "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}}
            }]
        },
        "status": {
            "phase": phase,
            "podIP": "10.244.1.7",
            "qosClass": "Burstable",
            "conditions": [
                {"type": "Initialized", "status": "True", "lastTransitionTime": "2024-05-01T11:00:01Z"},
                {"type": "Ready", "status": s, "lastTransitionTime": "2024-05-01T11:00:09Z",
                 "reason": if ready { Value::Null } else { json!("ContainersNotReady") },
                 "message": if ready { Value::Null } else { json!("containers with unready status: [checkout-service]") }},
                {"type": "ContainersReady", "status": s},
                {"type": "PodScheduled", "status": "True"}
            ],
            "containerStatuses": [container_status]
        }
    })
}

pub fn running(ready: bool, restarts: i32, last: Value) -> Value {
    json!({"name": "checkout-service", "image": "registry.shop.example/checkout-service:2.3.0",
           "imageID": "", "ready": ready, "restartCount": restarts, "started": true,
           "state": {"running": {"startedAt": "2024-05-01T11:00:04Z"}},
           "lastState": last})
}

/// A one-container pod in `phase` whose container is in `state`.
pub fn single(phase: &str, state: Value) -> PodInfo {
    info(json!({
        "metadata": {"name": "worker-5c7d-abcde", "namespace": "production"},
        "spec": {"nodeName": "node-1",
                 "containers": [{"name": "worker", "image": "registry.shop.example/worker:2.5.0"}]},
        "status": {"phase": phase, "containerStatuses": [
            {"name": "worker", "image": "registry.shop.example/worker:2.5.0", "imageID": "",
             "ready": false, "restartCount": 0, "state": state}]}
    }))
}
