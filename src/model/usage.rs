//! Resource usage from metrics.k8s.io (`PodMetrics`, `NodeMetrics`).

use serde_json::Value;

/// Usage summed over a pod's containers, or a node's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub cpu_milli: u64,
    pub memory_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodUsage {
    pub namespace: String,
    pub name: String,
    pub usage: Usage,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeUsage {
    pub name: String,
    pub usage: Usage,
}

/// Reads a `PodMetricsList` (`metrics.k8s.io/v1beta1`); items it cannot read are skipped.
pub fn pod_usages(_list: &Value) -> Vec<PodUsage> {
    todo!("model helper")
}

/// Reads a `NodeMetricsList`.
pub fn node_usages(_list: &Value) -> Vec<NodeUsage> {
    todo!("model helper")
}
