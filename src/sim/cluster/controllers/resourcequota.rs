//! The resource quota controller (kubernetes `pkg/controller/resourcequota`):
//! keeps each ResourceQuota's `status.hard` equal to its spec and
//! `status.used` equal to what its namespace really uses — pods finishing
//! or going away give their share back. (Admission charges a new object at
//! once; see [`crate::sim::cluster::admission`].)

use crate::sim::cluster::admission::{self, Usage};
use crate::sim::cluster::world::World;

/// Recomputes every quota of `namespace`.
pub fn sync(w: &mut World, namespace: &str) {
    for quota in w.store.values("resourcequotas", Some(namespace)) {
        if quota["metadata"].get("deletionTimestamp").is_some() {
            continue;
        }
        let hard: Usage = quota["spec"]["hard"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| admission::milli(v).map(|m| (k.clone(), m)))
            .collect();
        let used = admission::used_in(w, namespace, &hard);
        admission::write_status(w, &quota, &used);
    }
}
