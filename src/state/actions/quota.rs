//! The confirmation's quota warnings: a scale or rollback that needs more
//! pods, CPU or memory than the namespace's ResourceQuotas leave. A warning,
//! not a refusal: the server decides (another pod may end meanwhile), but
//! the person confirming should know that the new pods may never appear.

use crate::model::action::{Mutation, WorkloadRef};
use crate::model::quota::Demand;
use crate::model::workload::WorkloadKind;

use super::super::State;

/// One sentence per quota and resource the change would exceed.
pub(super) fn warnings(state: &State, mutation: &Mutation) -> Vec<String> {
    let Some(target) = mutation.target() else {
        return Vec::new();
    };
    let quotas = state.cluster.quotas_in(&target.namespace);
    if quotas.is_empty() {
        return Vec::new();
    }
    let Some((demand, what)) = demand(state, mutation, target) else {
        return Vec::new();
    };
    quotas
        .iter()
        .filter_map(|q| q.shortfall(&demand))
        .map(|s| format!("{what} {s}: the pods it cannot fit are refused (FailedCreate: exceeded quota) and never start"))
        .collect()
}

/// What the change adds beyond the pods that exist, and how to say so.
fn demand(state: &State, mutation: &Mutation, target: &WorkloadRef) -> Option<(Demand, String)> {
    let live: Vec<_> = state
        .cluster
        .pods_of(target)
        .filter(|p| p.phase != "Succeeded" && p.phase != "Failed" && !p.deleting)
        .collect();
    // A pod of the workload tells what each pod requests (the LimitRange's
    // defaults included, as admission wrote them).
    let (requests, limits) = live
        .first()
        .map(|p| (p.requests, p.limits))
        .unwrap_or_default();
    match mutation {
        Mutation::Scale { replicas, .. } => {
            let more = u64::try_from(*replicas)
                .ok()?
                .checked_sub(live.len() as u64)?;
            (more > 0).then(|| {
                (
                    Demand::pods(more, requests, limits),
                    format!("scaling {target} to {replicas}"),
                )
            })
        }
        // A rolling update starts new pods beside the old ones: up to
        // maxSurge more (25% of the replicas, rounded up, by default).
        Mutation::Rollback { .. } if target.kind == WorkloadKind::Deployment => {
            let desired = u64::from(super::workload(state, target)?.desired);
            let surge = desired.div_ceil(4);
            (surge > 0).then(|| {
                (
                    Demand::pods(surge, requests, limits),
                    "the rollback starts new pods beside the old ones (maxSurge, 25% by default) and".to_string(),
                )
            })
        }
        // New bounds add pods up to the new minimum, or up to the new
        // maximum when the HPA already wants more than its old one.
        Mutation::ScaleBounds { hpa, min, max, .. } => {
            let pinned = state
                .cluster
                .hpa_for(target)
                .is_some_and(|h| h.pinned_at_max().is_some());
            let reach = if pinned { *max } else { *min };
            let more = u64::try_from(reach).ok()?.checked_sub(live.len() as u64)?;
            (more > 0).then(|| {
                (
                    Demand::pods(more, requests, limits),
                    format!("letting the HPA {hpa} run {target} at {reach}"),
                )
            })
        }
        _ => None,
    }
}
