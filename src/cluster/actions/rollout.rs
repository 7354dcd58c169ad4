//! `kubectl rollout restart`, `pause` and `resume`: kubectl GETs the
//! object, changes one field (kubectl `polymorphichelpers/objectrestarter.go`,
//! `objectpauser.go`, `objectresumer.go`) and sends the difference as a
//! strategic merge patch.

use jiff::Timestamp;
use kube::api::Patch;
use serde_json::json;

use super::{RESTARTED_AT, Workload, action_error, revision_of};
use crate::model::action::{ActionError, ActionOutcome};
use crate::model::workload::WorkloadKind;

/// Stamps `kubectl.kubernetes.io/restartedAt` on the pod template: a new
/// template, so a new rollout of every pod. A paused Deployment is refused,
/// as kubectl refuses it (its rollout would not start).
pub(super) async fn restart(
    w: &Workload<'_>,
    now: Timestamp,
) -> Result<ActionOutcome, ActionError> {
    let current = w.get().await?;
    if w.kind() == WorkloadKind::Deployment && current.data["spec"]["paused"] == json!(true) {
        return Err(ActionError::Failed(format!(
            "{} can't restart paused deployment (run rollout resume first)",
            w.quoted_name()
        )));
    }
    let patch = Patch::Strategic(json!({"spec": {"template": {"metadata": {"annotations": {
        RESTARTED_AT: restarted_at(now),
    }}}}}));
    w.api()
        .patch(w.name(), &w.patch_params(), &patch)
        .await
        .map_err(|e| action_error(&e))?;
    Ok(ActionOutcome {
        message: w.done("restarted"),
        revision_before: revision_of(&current),
        revision_after: None,
    })
}

/// kubectl writes `time.Now().Format(time.RFC3339)`: whole seconds with the
/// local offset. We write the same instant in UTC (`Z`), from `now` — the
/// sim's virtual clock in `demo` — so the stamp is the one the timeline
/// records.
pub(super) fn restarted_at(now: Timestamp) -> String {
    now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `kubectl rollout pause` (`paused: true`) or `resume` (`false`), for
/// Deployments. Nothing to do — already paused, or not paused — is said
/// and nothing is written (kubectl exits with `is already paused` / `is not
/// paused` there).
pub(super) async fn set_paused(
    w: &Workload<'_>,
    paused: bool,
) -> Result<ActionOutcome, ActionError> {
    if w.kind() != WorkloadKind::Deployment {
        let verb = if paused { "pausing" } else { "resuming" };
        return Err(ActionError::Failed(format!(
            "{} {verb} is not supported: only Deployments pause",
            w.quoted_name()
        )));
    }
    let current = w.get().await?;
    let before = revision_of(&current);
    let is_paused = current.data["spec"]["paused"] == json!(true);
    if is_paused == paused {
        let state = if paused {
            "is already paused"
        } else {
            "is not paused"
        };
        return Ok(ActionOutcome {
            message: format!("{} {state}", w.printed_name()),
            revision_before: before,
            revision_after: before,
        });
    }
    let patch = Patch::Strategic(json!({"spec": {"paused": paused}}));
    w.api()
        .patch(w.name(), &w.patch_params(), &patch)
        .await
        .map_err(|e| action_error(&e))?;
    Ok(ActionOutcome {
        message: w.done(if paused { "paused" } else { "resumed" }),
        revision_before: before,
        // Pausing makes no revision; resuming may start a waiting one,
        // numbered by the controller later.
        revision_after: if paused { before } else { None },
    })
}

#[cfg(test)]
mod tests;
