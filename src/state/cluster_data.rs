//! What the watchers have told us about the cluster, keyed for quick updates.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::Timestamp;

use crate::model::ObjectKey;
use crate::model::event::EventInfo;
use crate::model::node::NodeInfo;
use crate::model::pod_health::PodInfo;
use crate::model::usage::Usage;
use crate::model::workload::{ReplicaSetInfo, WorkloadInfo, WorkloadKind};

use super::Resource;

/// The state of one watch, for the header's "stale since" warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchHealth {
    /// Listing for the first time.
    Syncing,
    Live,
    /// Failed and retrying; the data shown is from before `since`.
    Down {
        since: Timestamp,
        error: String,
    },
}

#[derive(Debug, Clone, Default)]
pub struct ClusterData {
    /// Boxed: a hash table holds a power of two of slots, each the size of
    /// its value; 16,384 inline PodInfos would cost 11 MB of slots alone.
    pub pods: HashMap<ObjectKey, Box<PodInfo>>,
    pub workloads: HashMap<(WorkloadKind, ObjectKey), WorkloadInfo>,
    pub replicasets: HashMap<ObjectKey, ReplicaSetInfo>,
    pub events: HashMap<ObjectKey, Box<EventInfo>>,
    /// Older events let go to stay within `EVENTS_KEPT` since the last list.
    pub events_dropped: usize,
    pub nodes: HashMap<String, NodeInfo>,
    pub namespaces: BTreeSet<String>,
    pub pod_usage: HashMap<ObjectKey, Usage>,
    pub node_usage: HashMap<String, Usage>,
    /// `None` until the first poll; `Some(false)` when metrics.k8s.io is absent.
    pub metrics_available: Option<bool>,
    pub watches: BTreeMap<Resource, WatchHealth>,
}

impl ClusterData {
    /// The oldest moment since which some watch has been down, with its resource.
    pub fn stale_since(&self) -> Option<(Resource, Timestamp)> {
        self.watches
            .iter()
            .filter_map(|(r, h)| match h {
                WatchHealth::Down { since, .. } => Some((*r, *since)),
                _ => None,
            })
            .min_by_key(|(_, since)| *since)
    }

    /// Per node, the requests of the pods scheduled there that still hold
    /// resources (not Succeeded/Failed), summed in one pass over the pods:
    /// (cpu millicores, memory bytes, pods).
    pub fn node_requests(&self) -> std::collections::HashMap<String, NodeTotals> {
        let mut out: std::collections::HashMap<String, NodeTotals> = Default::default();
        for p in self.pods.values() {
            if let Some(node) = p.node.as_deref()
                && p.phase != "Succeeded"
                && p.phase != "Failed"
            {
                let t = out.entry(node.to_string()).or_default();
                t.cpu_milli += p.requests.cpu_milli.unwrap_or(0);
                t.memory_bytes += p.requests.memory_bytes.unwrap_or(0);
                t.pods += 1;
            }
        }
        out
    }

    /// Events about one object, newest first.
    pub fn events_for(&self, kind: &str, namespace: &str, name: &str) -> Vec<&EventInfo> {
        let mut out: Vec<&EventInfo> = self
            .events
            .values()
            .map(Box::as_ref)
            // The name first: it tells most events apart at once.
            .filter(|e| {
                e.object.name == name && e.object.namespace == namespace && e.object.kind == kind
            })
            .collect();
        out.sort_by(|a, b| {
            b.last_seen
                .cmp(&a.last_seen)
                .then_with(|| a.name.cmp(&b.name))
        });
        out
    }
}

/// What the pods on one node request, summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NodeTotals {
    pub cpu_milli: u64,
    pub memory_bytes: u64,
    pub pods: u32,
}
