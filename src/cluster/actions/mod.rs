//! Executes [`Mutation`]s with kube-rs — a server-side dry run
//! (`dryRun=All`) or for real — and asks the API server what the user may
//! do (SelfSubjectAccessReview). Only the app's effect executor calls
//! [`execute`], after its read-only check.
//!
//! Every mutation sends what kubectl sends for the same command (kubectl
//! `pkg/polymorphichelpers/rollback.go`, `objectrestarter.go`,
//! `objectpauser.go`, `objectresumer.go`, `pkg/scale/scale.go`), so the
//! timeline's kubectl equivalent is the truth and the API server's audit
//! log reads the same:
//!
//! - rollback of a Deployment: GET it, list its ReplicaSets, JSON-patch
//!   the revision's template and annotations back ([`rollback`]);
//! - rollback of a StatefulSet or DaemonSet: its ControllerRevision's data
//!   as a strategic merge patch;
//! - scale: a merge patch on the `scale` subresource;
//! - restart, pause, resume: a strategic merge patch of the one field.
//!
//! Nothing is retried: a mutation that failed is reported, and the person
//! on call decides. Objects are read as JSON ([`DynamicObject`]) so a pod
//! template is written back exactly as the server gave it, with fields this
//! build's `k8s-openapi` does not know.

mod access;
mod failure;
mod rollback;
mod rollout;

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};
use kube::api::{Api, ApiResource, DynamicObject, Patch, PatchParams};
use kube::{Client, Resource};
use serde_json::json;

use crate::model::action::{
    Access, AccessCheck, ActionError, ActionOutcome, Mutation, WorkloadRef,
};
use crate::model::workload::WorkloadKind;

use access::review_one;
use failure::action_error;

/// The annotation `kubectl rollout restart` stamps on the pod template.
pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";
/// The Deployment controller's revision annotation.
pub const REVISION: &str = "deployment.kubernetes.io/revision";

/// Runs `mutation` against the cluster; `dry_run` sends `dryRun=All` so
/// the server validates and admits it without persisting anything. `now`
/// stamps `restartedAt` (the sim's virtual clock in `demo`).
pub async fn execute(
    client: &Client,
    mutation: &Mutation,
    dry_run: bool,
    now: Timestamp,
) -> Result<ActionOutcome, ActionError> {
    let Some(workload) = mutation.target() else {
        return Err(ActionError::Failed(format!(
            "{} is not a change to a workload",
            mutation.kind().label()
        )));
    };
    let target = Workload::new(client, workload, dry_run);
    match mutation {
        Mutation::Rollback { to_revision, .. } => match target.kind() {
            WorkloadKind::Deployment => rollback::deployment(&target, *to_revision).await,
            WorkloadKind::StatefulSet | WorkloadKind::DaemonSet => {
                rollback::from_history(&target, *to_revision).await
            }
        },
        Mutation::Scale { replicas, .. } => scale(&target, *replicas).await,
        Mutation::ScaleBounds { hpa, min, max, .. } => bounds(&target, hpa, *min, *max).await,
        Mutation::Restart { .. } => rollout::restart(&target, now).await,
        Mutation::Pause { .. } => rollout::set_paused(&target, true).await,
        Mutation::Resume { .. } => rollout::set_paused(&target, false).await,
        Mutation::Silence { .. } | Mutation::ExpireSilence { .. } => Err(ActionError::Failed(
            "silences are made in Alertmanager, not in the cluster".into(),
        )),
    }
}

/// One SelfSubjectAccessReview per check, asked concurrently, answered in
/// the order of `checks`.
pub async fn review(client: &Client, checks: &[AccessCheck]) -> Vec<Access> {
    futures::future::join_all(checks.iter().map(|check| review_one(client, check))).await
}

/// The workload a mutation is about, with the client and dry-run choice
/// every request about it needs.
pub(crate) struct Workload<'a> {
    pub client: &'a Client,
    pub target: &'a WorkloadRef,
    pub dry_run: bool,
}

impl<'a> Workload<'a> {
    fn new(client: &'a Client, target: &'a WorkloadRef, dry_run: bool) -> Workload<'a> {
        Workload {
            client,
            target,
            dry_run,
        }
    }

    pub fn kind(&self) -> WorkloadKind {
        self.target.kind
    }

    pub fn name(&self) -> &str {
        &self.target.name
    }

    pub fn namespace(&self) -> &str {
        &self.target.namespace
    }

    /// The workload's own resource, read and written as JSON.
    pub fn api(&self) -> Api<DynamicObject> {
        let resource = match self.kind() {
            WorkloadKind::Deployment => ApiResource::erase::<Deployment>(&()),
            WorkloadKind::StatefulSet => ApiResource::erase::<StatefulSet>(&()),
            WorkloadKind::DaemonSet => ApiResource::erase::<DaemonSet>(&()),
        };
        self.namespaced(&resource)
    }

    /// Another resource in the workload's namespace (its ReplicaSets or
    /// ControllerRevisions).
    pub fn namespaced(&self, resource: &ApiResource) -> Api<DynamicObject> {
        Api::namespaced_with(self.client.clone(), self.namespace(), resource)
    }

    /// `dryRun=All` on every write of a dry run.
    pub fn patch_params(&self) -> PatchParams {
        PatchParams {
            dry_run: self.dry_run,
            ..PatchParams::default()
        }
    }

    /// kubectl's `deployment.apps/checkout-service rolled back`, with
    /// ` (server dry run)` after it for a dry run.
    pub fn done(&self, what: &str) -> String {
        let suffix = if self.dry_run {
            " (server dry run)"
        } else {
            ""
        };
        format!("{} {what}{suffix}", self.printed_name())
    }

    /// `deployment.apps/checkout-service`, as kubectl prints an object it acted on.
    pub fn printed_name(&self) -> String {
        format!("{}.apps/{}", kind_singular(self.kind()), self.name())
    }

    /// `deployments.apps "checkout-service"`, as kubectl names an object in
    /// an error about it.
    pub fn quoted_name(&self) -> String {
        format!("{}.apps \"{}\"", self.target.resource(), self.name())
    }

    /// GETs the workload.
    pub async fn get(&self) -> Result<DynamicObject, ActionError> {
        self.api()
            .get(self.name())
            .await
            .map_err(|e| action_error(&e))
    }
}

fn kind_singular(kind: WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::Deployment => "deployment",
        WorkloadKind::StatefulSet => "statefulset",
        WorkloadKind::DaemonSet => "daemonset",
    }
}

/// `deployment.kubernetes.io/revision` of an object, when it has a number.
pub(crate) fn revision_of<K: Resource>(obj: &K) -> Option<i64> {
    obj.meta()
        .annotations
        .as_ref()
        .and_then(|a| a.get(REVISION))
        .and_then(|r| r.trim().parse().ok())
}

/// `kubectl scale --replicas=N`: a merge patch of `spec.replicas` on the
/// `scale` subresource, with no precondition (kubectl sends one only for
/// `--current-replicas` or `--resource-version`).
async fn scale(w: &Workload<'_>, replicas: i32) -> Result<ActionOutcome, ActionError> {
    if w.kind() == WorkloadKind::DaemonSet {
        return Err(ActionError::Failed(
            "a DaemonSet has no replicas: it runs one pod per node".into(),
        ));
    }
    let patch = Patch::Merge(json!({"spec": {"replicas": replicas}}));
    w.api()
        .patch_scale(w.name(), &w.patch_params(), &patch)
        .await
        .map_err(|e| action_error(&e))?;
    Ok(ActionOutcome {
        message: w.done("scaled"),
        revision_before: None,
        revision_after: None,
    })
}

/// `kubectl patch hpa NAME -p '{"spec":{"minReplicas":…,"maxReplicas":…}}'`:
/// a merge patch of the HPA's bounds (`autoscaling/v2`, the version the
/// console watches).
async fn bounds(
    w: &Workload<'_>,
    hpa: &str,
    min: i32,
    max: i32,
) -> Result<ActionOutcome, ActionError> {
    use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
    let api: Api<HorizontalPodAutoscaler> = Api::namespaced(w.client.clone(), w.namespace());
    let patch = Patch::Merge(json!({"spec": {"minReplicas": min, "maxReplicas": max}}));
    api.patch(hpa, &w.patch_params(), &patch)
        .await
        .map_err(|e| action_error(&e))?;
    let suffix = if w.dry_run { " (server dry run)" } else { "" };
    Ok(ActionOutcome {
        message: format!("horizontalpodautoscaler.autoscaling/{hpa} patched{suffix}"),
        revision_before: None,
        revision_after: None,
    })
}

#[cfg(test)]
mod tests;
