//! What a fresh set of watchers would deliver for a set of listed objects,
//! without a network: the render tests and the console bench build their
//! State from the simulated cluster's objects through the very conversions
//! the watchers use.

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{Event, Namespace, Node, Pod};
use serde_json::Value;

use super::watch::Watched;
use crate::model::cluster::{Change, ClusterChange};

/// One `Replaced` change per watched kind, from `list(plural)` (objects as
/// the API server returns them; ones that do not decode are skipped, as a
/// watcher would report and skip them).
pub fn initial_sync(list: impl Fn(&str) -> Vec<Value>) -> Vec<ClusterChange> {
    vec![
        replaced::<Namespace>(list("namespaces")),
        replaced::<Node>(list("nodes")),
        replaced::<Deployment>(list("deployments")),
        replaced::<StatefulSet>(list("statefulsets")),
        replaced::<DaemonSet>(list("daemonsets")),
        replaced::<ReplicaSet>(list("replicasets")),
        replaced::<Pod>(list("pods")),
        replaced::<Event>(list("events")),
    ]
}

fn replaced<K: Watched>(items: Vec<Value>) -> ClusterChange {
    let infos = items
        .into_iter()
        .filter_map(|v| serde_json::from_value::<K>(v).ok())
        .map(|o| o.info())
        .collect();
    K::change(Change::Replaced(infos))
}
