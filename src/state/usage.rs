//! The usage history's side of a metrics poll: each pod's usage, counted
//! towards the workload its pod names as owner (a Deployment's pods name
//! the Deployment: the console resolves their ReplicaSet at the edge).

use jiff::Timestamp;

use crate::model::ObjectKey;
use crate::model::cluster::ClusterData;
use crate::model::usage::Usage;
use crate::model::usage_history::Sample;

/// Records the poll taken at `at` in `data.usage_history`: one lookup per
/// pod of the poll, no pass over anything else.
pub(super) fn record(data: &mut ClusterData, polled: &[(ObjectKey, Usage)], at: Timestamp) {
    let known = &data.pods;
    let samples = polled.iter().map(|(key, usage)| Sample {
        pod: key,
        owner: known
            .get(key)
            .and_then(|p| p.owner.as_ref())
            .map(|o| (o.kind.as_str(), o.name.as_str())),
        usage: *usage,
    });
    data.usage_history.record(at, samples);
}
