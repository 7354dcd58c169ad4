//! What a fresh set of watchers would deliver for a set of listed objects,
//! without a network: the render tests and the console bench build their
//! State from the simulated cluster's objects through the very conversions
//! the watchers use, and [`Replay`] plays a cluster's later changes through
//! them as watch deltas.

use std::collections::HashMap;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{Event, Namespace, Node, Pod};
use serde_json::Value;

use super::watch::Watched;
use crate::model::ObjectKey;
use crate::model::cluster::{Change, ClusterChange};

/// One `Replaced` change per watched kind, from `list(plural)` (objects as
/// the API server returns them; ones that do not decode are skipped, as a
/// watcher would report and skip them).
pub fn initial_sync(list: impl Fn(&str) -> Vec<Value>) -> Vec<ClusterChange> {
    Replay::new().list(list)
}

/// What the watchers and the nodes view's poll of a console on one
/// namespace would add: the events about nodes (from `default`'s `events`)
/// and what the pods of every namespace (`all_pods`) request per node.
pub fn node_wide(default_events: &[Value], all_pods: &[Value]) -> Vec<ClusterChange> {
    let events = default_events
        .iter()
        .filter(|e| e["involvedObject"]["kind"] == "Node")
        .filter_map(|v| serde_json::from_value::<Event>(v.clone()).ok())
        .map(|e| e.info())
        .collect();
    let pods: Vec<Pod> = all_pods
        .iter()
        .filter_map(|v| serde_json::from_value(v.clone()).ok())
        .collect();
    let mut sums = HashMap::new();
    crate::model::node::add_pod_loads(&mut sums, &pods);
    vec![
        ClusterChange::NodeEvents(Change::Replaced(events)),
        ClusterChange::NodeRequests(sums.into_iter().collect()),
    ]
}

/// The kinds a fresh set of watchers lists, in its order.
const KINDS: [&str; 8] = [
    "namespaces",
    "nodes",
    "deployments",
    "statefulsets",
    "daemonsets",
    "replicasets",
    "pods",
    "events",
];

/// Looks at a cluster again and again and says what the watchers would
/// have delivered in between: each object whose resourceVersion moved, as
/// `Applied`, and each one gone, as `Deleted`. Versions written between two
/// looks collapse into the last one (a watcher would deliver each); the
/// tests that play a scenario through the reducer look every second or so.
#[derive(Debug, Default)]
pub struct Replay {
    /// resourceVersion by plural, then by namespace and name.
    seen: HashMap<&'static str, HashMap<ObjectKey, String>>,
}

impl Replay {
    pub fn new() -> Replay {
        Replay::default()
    }

    /// The first look: one `Replaced` per kind.
    pub fn list(&mut self, list: impl Fn(&str) -> Vec<Value>) -> Vec<ClusterChange> {
        KINDS
            .into_iter()
            .map(|plural| {
                let items = list(plural);
                self.look(plural, &items);
                convert(plural, Change::Replaced(items))
            })
            .collect()
    }

    /// A later look: what changed since the one before, kinds in the order
    /// the watchers list them; nothing for a kind without a change.
    pub fn step(&mut self, list: impl Fn(&str) -> Vec<Value>) -> Vec<ClusterChange> {
        let mut out = Vec::new();
        for plural in KINDS {
            let (applied, deleted) = self.look(plural, &list(plural));
            if !applied.is_empty() {
                out.push(convert(plural, Change::Applied(applied)));
            }
            if !deleted.is_empty() {
                out.push(convert(plural, Change::Deleted(deleted)));
            }
        }
        out
    }

    /// The objects of `items` at a version not seen before, and the keys no
    /// longer listed; remembers the versions for the next look.
    fn look(&mut self, plural: &'static str, items: &[Value]) -> (Vec<Value>, Vec<ObjectKey>) {
        let seen = self.seen.entry(plural).or_default();
        let mut now = HashMap::with_capacity(items.len());
        let mut applied = Vec::new();
        for v in items {
            let meta = &v["metadata"];
            let text = |k: &str| meta[k].as_str().unwrap_or("").to_string();
            let (key, version) = (
                ObjectKey::new(&text("namespace"), &text("name")),
                text("resourceVersion"),
            );
            if seen.get(&key) != Some(&version) {
                applied.push(v.clone());
            }
            now.insert(key, version);
        }
        let mut deleted: Vec<ObjectKey> = seen
            .keys()
            .filter(|k| !now.contains_key(*k))
            .cloned()
            .collect();
        deleted.sort();
        *seen = now;
        (applied, deleted)
    }
}

/// A change of listed objects of kind `plural` as the watcher of that kind
/// reports it.
fn convert(plural: &str, change: Change<Value>) -> ClusterChange {
    match plural {
        "namespaces" => typed::<Namespace>(change),
        "nodes" => typed::<Node>(change),
        "deployments" => typed::<Deployment>(change),
        "statefulsets" => typed::<StatefulSet>(change),
        "daemonsets" => typed::<DaemonSet>(change),
        "replicasets" => typed::<ReplicaSet>(change),
        "pods" => typed::<Pod>(change),
        _ => typed::<Event>(change),
    }
}

fn typed<K: Watched>(change: Change<Value>) -> ClusterChange {
    let infos = |items: Vec<Value>| {
        items
            .into_iter()
            .filter_map(|v| serde_json::from_value::<K>(v).ok())
            .map(|o| o.info())
            .collect()
    };
    K::change(match change {
        Change::Replaced(items) => Change::Replaced(infos(items)),
        Change::Applied(items) => Change::Applied(infos(items)),
        Change::Deleted(keys) => Change::Deleted(keys),
    })
}
