//! Nodes as the console keeps them: readiness, pressure, capacity.

use jiff::Timestamp;
use k8s_openapi::api::core::v1::Node;

use super::pod_health::{Condition, Resources};

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
    pub fn from_node(_n: &Node) -> NodeInfo {
        todo!("model helper")
    }
    /// Not Ready, cordoned, or under some pressure.
    pub fn has_problem(&self) -> bool {
        self.ready != Some(true) || !self.pressures.is_empty()
    }
}
