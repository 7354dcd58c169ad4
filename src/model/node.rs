//! Nodes as the console keeps them: readiness, pressure, capacity.

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Node, Pod};

use std::collections::HashMap;

use super::cluster::NodeTotals;
use super::pod_health::{Condition, Resources, non_empty, time};
use super::quantity;

/// The conditions that are bad news when True (the opposite of Ready).
const PRESSURES: [&str; 4] = [
    "MemoryPressure",
    "DiskPressure",
    "PIDPressure",
    "NetworkUnavailable",
];

/// The label prefix kubeadm and most installers use for a node's roles.
const ROLE_PREFIX: &str = "node-role.kubernetes.io/";
/// The older single-role label, still read by kubectl.
const ROLE_LABEL: &str = "kubernetes.io/role";

/// A node as the console keeps it: enough to say whether pods on it are in
/// trouble because of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeInfo {
    pub name: String,
    pub created: Option<Timestamp>,
    /// The Ready condition: `Some(true)`, `Some(false)`, or `None` when Unknown/missing.
    pub ready: Option<bool>,
    /// `MemoryPressure`, `DiskPressure`, `PIDPressure`, `NetworkUnavailable`
    /// whose status is True.
    pub pressures: Vec<String>,
    pub unschedulable: bool,
    pub allocatable: Resources,
    pub allocatable_pods: Option<u32>,
    pub conditions: Vec<Condition>,
    pub kubelet_version: String,
    pub roles: Vec<String>,
    pub internal_ip: Option<String>,
}

impl NodeInfo {
    /// Converts a Node. Roles are read as `kubectl get nodes` reads them:
    /// every `node-role.kubernetes.io/<role>` label and the value of
    /// `kubernetes.io/role`, sorted; a node without any has none (kubectl
    /// prints `<none>`).
    pub fn from_node(n: &Node) -> NodeInfo {
        let meta = &n.metadata;
        let status = n.status.as_ref();
        let conditions: Vec<Condition> = conditions!(status.and_then(|s| s.conditions.as_deref()));
        let ready = conditions
            .iter()
            .find(|c| c.kind == "Ready")
            .and_then(|c| match &*c.status {
                "True" => Some(true),
                "False" => Some(false),
                _ => None,
            });
        let pressures = PRESSURES
            .iter()
            .filter(|p| conditions.iter().any(|c| c.kind == **p && c.is_true()))
            .map(|p| p.to_string())
            .collect();
        let allocatable = status.and_then(|s| s.allocatable.as_ref());
        let mut roles: Vec<String> = meta
            .labels
            .iter()
            .flatten()
            .filter_map(|(k, v)| {
                if let Some(role) = k.strip_prefix(ROLE_PREFIX) {
                    Some(role.to_string())
                } else if k == ROLE_LABEL {
                    Some(v.clone())
                } else {
                    None
                }
            })
            .filter(|r| !r.is_empty())
            .collect();
        roles.sort();
        roles.dedup();
        NodeInfo {
            name: meta.name.clone().unwrap_or_default(),
            created: time(meta.creation_timestamp.as_ref()),
            ready,
            pressures,
            unschedulable: n.spec.as_ref().and_then(|s| s.unschedulable) == Some(true),
            allocatable: Resources::from_map(allocatable),
            allocatable_pods: allocatable
                .and_then(|a| a.get("pods"))
                .and_then(|q| quantity::value(&q.0))
                .map(|p| u32::try_from(p).unwrap_or(u32::MAX)),
            conditions,
            kubelet_version: status
                .and_then(|s| s.node_info.as_ref())
                .map(|i| i.kubelet_version.clone())
                .unwrap_or_default(),
            roles,
            internal_ip: status
                .and_then(|s| s.addresses.as_deref())
                .unwrap_or(&[])
                .iter()
                .find(|a| a.type_ == "InternalIP")
                .and_then(|a| non_empty(Some(&a.address))),
        }
    }

    /// Not Ready, cordoned, or under some pressure.
    pub fn has_problem(&self) -> bool {
        self.ready != Some(true) || self.unschedulable || !self.pressures.is_empty()
    }
}

/// Adds what `pods` request to each node's sums: the node-wide requests
/// of a namespaced console, from the pods of every namespace (a page at a
/// time; they are not kept).
pub fn add_pod_loads<'a>(
    sums: &mut HashMap<String, NodeTotals>,
    pods: impl IntoIterator<Item = &'a Pod>,
) {
    for pod in pods {
        if let Some((node, phase, requests)) = pod_load(pod) {
            match sums.get_mut(node) {
                Some(t) => t.add(phase, requests),
                None => sums
                    .entry(node.to_string())
                    .or_default()
                    .add(phase, requests),
            }
        }
    }
}

/// Where a pod is scheduled, its phase, and what its regular containers
/// request: all a node's load needs, for the pods the console does not
/// keep (other namespaces'). `None` for a pod not scheduled yet.
fn pod_load(pod: &Pod) -> Option<(&str, &str, Resources)> {
    let spec = pod.spec.as_ref()?;
    let node = spec.node_name.as_deref().filter(|n| !n.is_empty())?;
    let phase = pod
        .status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("");
    let mut total = Resources::default();
    for c in &spec.containers {
        let r = Resources::from_map(c.resources.as_ref().and_then(|r| r.requests.as_ref()));
        let add = |a: Option<u64>, b: Option<u64>| match (a, b) {
            (Some(a), Some(b)) => Some(a.saturating_add(b)),
            (a, b) => a.or(b),
        };
        total.cpu_milli = add(total.cpu_milli, r.cpu_milli);
        total.memory_bytes = add(total.memory_bytes, r.memory_bytes);
    }
    Some((node, phase, total))
}

#[cfg(test)]
mod tests;
