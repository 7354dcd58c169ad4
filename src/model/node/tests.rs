//! Nodes as the kubelet reports them.

use serde_json::{Value, json};

use super::*;

fn node(v: Value) -> NodeInfo {
    NodeInfo::from_node(&serde_json::from_value(v).expect("a valid Node"))
}

fn condition(kind: &str, status: &str) -> Value {
    json!({"type": kind, "status": status, "reason": format!("Kubelet{kind}"),
           "lastTransitionTime": "2024-05-01T11:00:00Z"})
}

#[test]
fn node_under_memory_pressure() {
    let n = node(json!({
        "metadata": {"name": "node-3", "creationTimestamp": "2024-04-01T00:00:00Z",
            "labels": {"node-role.kubernetes.io/worker": "", "node-role.kubernetes.io/ingress": "",
                       "kubernetes.io/hostname": "node-3"}},
        "spec": {"podCIDR": "10.244.3.0/24"},
        "status": {
            "conditions": [condition("MemoryPressure", "True"), condition("DiskPressure", "False"),
                           condition("PIDPressure", "False"), condition("Ready", "True")],
            "allocatable": {"cpu": "3800m", "memory": "7901Mi", "pods": "110", "ephemeral-storage": "95Gi"},
            "addresses": [{"type": "Hostname", "address": "node-3"},
                          {"type": "InternalIP", "address": "10.0.0.13"}],
            "nodeInfo": {"kubeletVersion": "v1.33.1", "architecture": "amd64", "bootID": "",
                "containerRuntimeVersion": "containerd://1.7", "kernelVersion": "6.1", "kubeProxyVersion": "",
                "machineID": "", "operatingSystem": "linux", "osImage": "Debian", "systemUUID": ""}
        }
    }));
    assert_eq!(n.ready, Some(true));
    assert_eq!(n.pressures, ["MemoryPressure"]);
    assert!(n.has_problem());
    assert!(!n.unschedulable);
    assert_eq!(n.allocatable.cpu_milli, Some(3800));
    assert_eq!(n.allocatable.memory_bytes, Some(7901 * 1024 * 1024));
    assert_eq!(n.allocatable_pods, Some(110));
    assert_eq!(n.kubelet_version, "v1.33.1");
    assert_eq!(n.roles, ["ingress", "worker"]);
    assert_eq!(n.internal_ip.as_deref(), Some("10.0.0.13"));
    assert_eq!(n.conditions.len(), 4);
}

#[test]
fn ready_unknown_and_cordoned() {
    let n = node(json!({
        "metadata": {"name": "node-1", "labels": {"kubernetes.io/role": "master"}},
        "spec": {"unschedulable": true},
        "status": {"conditions": [condition("Ready", "Unknown")]}
    }));
    assert_eq!(n.ready, None, "a node that stopped reporting");
    assert!(n.unschedulable);
    assert!(n.has_problem());
    assert_eq!(n.roles, ["master"]);

    let n = node(json!({"metadata": {"name": "node-2"},
        "status": {"conditions": [condition("Ready", "False"), condition("NetworkUnavailable", "True")]}}));
    assert_eq!(n.ready, Some(false));
    assert_eq!(n.pressures, ["NetworkUnavailable"]);

    let n = node(json!({"metadata": {"name": "node-4"},
        "status": {"conditions": [condition("Ready", "True")]}}));
    assert!(!n.has_problem());
}

#[test]
fn partial_nodes_never_panic() {
    let n = node(json!({}));
    assert_eq!(n.name, "");
    assert_eq!(n.ready, None);
    assert!(n.roles.is_empty());
    assert_eq!(n.allocatable_pods, None);
    assert!(n.has_problem());

    let n = node(json!({"metadata": {"name": "n"},
        "status": {"allocatable": {"cpu": "lots", "memory": "-1", "pods": "99999999999"},
                   "addresses": [{"type": "InternalIP", "address": ""}]}}));
    assert_eq!(n.allocatable.cpu_milli, None);
    assert_eq!(n.allocatable.memory_bytes, Some(0));
    assert_eq!(n.allocatable_pods, Some(u32::MAX));
    assert_eq!(n.internal_ip, None);
}
