//! Deployments, StatefulSets and DaemonSets as the console keeps them, and
//! the ReplicaSets that tie pods to their Deployment and hold its revisions.

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};

use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use super::labels::Labels;
use super::pod_health::{Condition, POD_TEMPLATE_HASH, clamp_u32, time};

/// The controllers whose pods the console groups and whose rollouts it follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WorkloadKind {
    Deployment,
    StatefulSet,
    DaemonSet,
}

impl WorkloadKind {
    pub const ALL: [WorkloadKind; 3] = [
        WorkloadKind::Deployment,
        WorkloadKind::StatefulSet,
        WorkloadKind::DaemonSet,
    ];

    /// The kind as the API names it: `Deployment`.
    pub fn name(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "Deployment",
            WorkloadKind::StatefulSet => "StatefulSet",
            WorkloadKind::DaemonSet => "DaemonSet",
        }
    }

    /// The kind an owner reference or an event names, if it is a workload.
    pub fn from_name(name: &str) -> Option<WorkloadKind> {
        WorkloadKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// Where the latest rollout is, for the progress bar and the problem marker.
/// A rollout is the move to a new pod template (a new revision); replicas
/// that stop being ready while the template stays are lost availability
/// (`unavailable`), not a rollout, whatever `kubectl rollout status` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rollout {
    /// The latest template is rolled out (its replicas may have become
    /// unavailable since: see `unavailable`).
    Complete,
    /// A rollout runs: `updated` of `desired` replicas on the new template.
    Progressing { updated: u32, desired: u32 },
    /// `Progressing=False ProgressDeadlineExceeded` (or a ReplicaFailure).
    Stalled { reason: String, message: String },
    /// `spec.paused`.
    Paused,
}

/// A Deployment, StatefulSet or DaemonSet in one shape, so the workload table
/// and the problem detectors need not know which kind they look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadInfo {
    pub kind: WorkloadKind,
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub created: Option<Timestamp>,
    /// `spec.replicas` (DaemonSet: desiredNumberScheduled).
    pub desired: u32,
    pub ready: u32,
    /// Up-to-date replicas (DaemonSet: updatedNumberScheduled).
    pub updated: u32,
    pub available: u32,
    pub unavailable: u32,
    /// `deployment.kubernetes.io/revision`, or the StatefulSet/DaemonSet's
    /// current ControllerRevision number when known.
    pub revision: Option<i64>,
    /// What names the template the controller rolls towards: a
    /// Deployment's revision, a StatefulSet's `updateRevision`; a DaemonSet
    /// says none on its object. A new one is a rollout started.
    pub template: Option<String>,
    pub images: Vec<String>,
    /// `spec.selector.matchLabels`.
    pub selector: Labels,
    pub conditions: Vec<Condition>,
    pub rollout: Rollout,
}

/// `deployment.kubernetes.io/revision`: the Deployment controller's revision
/// number, on a Deployment and on each of its ReplicaSets.
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
/// `deployment.kubernetes.io/revision-history`: the revisions a ReplicaSet
/// had before a rollback made it the newest again, comma-separated.
pub const REVISION_HISTORY_ANNOTATION: &str = "deployment.kubernetes.io/revision-history";
/// `kubernetes.io/change-cause`: why a revision was made, as `kubectl rollout
/// history` shows it.
pub const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";
/// The Progressing condition's reason once `progressDeadlineSeconds` passed.
pub const PROGRESS_DEADLINE_EXCEEDED: &str = "ProgressDeadlineExceeded";
/// The Progressing condition's reason once a rollout completed; the
/// Deployment controller leaves it so until the next rollout begins.
pub const NEW_REPLICA_SET_AVAILABLE: &str = "NewReplicaSetAvailable";

impl WorkloadInfo {
    /// Converts a Deployment. The rollout state follows the Deployment
    /// controller (`syncRolloutStatus`): paused first; stalled past its
    /// progress deadline or on a ReplicaFailure (once the controller has
    /// seen the latest spec: an old deadline says nothing about a new
    /// template); complete while the Progressing condition still says
    /// `NewReplicaSetAvailable` and every replica is on the newest template,
    /// which the controller leaves so until the next rollout, however many
    /// replicas stop being ready meanwhile (or a scale adds some); otherwise
    /// progressing while the controller has not seen the latest spec, fewer
    /// replicas than desired are updated, old ones remain, or (during a
    /// rollout the condition tracks) updated ones are not yet available.
    /// Without a Progressing condition (no deadline) all updated is complete.
    pub fn from_deployment(d: &Deployment) -> WorkloadInfo {
        let spec = d.spec.as_ref();
        let status = d.status.as_ref();
        let count = |v: Option<i32>| clamp_u32(i64::from(v.unwrap_or(0)));
        let desired = clamp_u32(i64::from(spec.and_then(|s| s.replicas).unwrap_or(1)));
        let replicas = count(status.and_then(|s| s.replicas));
        let updated = count(status.and_then(|s| s.updated_replicas));
        let available = count(status.and_then(|s| s.available_replicas));
        let conditions: Vec<Condition> = conditions!(status.and_then(|s| s.conditions.as_deref()));
        let generation = d.metadata.generation.unwrap_or(0);
        let observed = status.and_then(|s| s.observed_generation).unwrap_or(0);

        let progress = conditions.iter().find(|c| c.kind == "Progressing");
        let stalled = conditions.iter().find(|c| {
            (c.kind == "Progressing"
                && c.status != "True"
                && c.reason.as_deref() == Some(PROGRESS_DEADLINE_EXCEEDED))
                || (c.kind == "ReplicaFailure" && c.is_true())
        });
        let done = progress.is_some_and(|c| c.reason.as_deref() == Some(NEW_REPLICA_SET_AVAILABLE))
            && replicas == updated;
        let waiting = progress.is_some() && available < updated;
        let rollout = if spec.and_then(|s| s.paused) == Some(true) {
            Rollout::Paused
        } else if let Some(c) = stalled.filter(|_| generation <= observed) {
            Rollout::Stalled {
                reason: c.reason.clone().unwrap_or_else(|| c.kind.to_string()),
                message: c.message.clone().unwrap_or_default(),
            }
        } else if done {
            Rollout::Complete
        } else if generation > observed || updated < desired || replicas > updated || waiting {
            Rollout::Progressing { updated, desired }
        } else {
            Rollout::Complete
        };

        WorkloadInfo {
            desired,
            ready: count(status.and_then(|s| s.ready_replicas)),
            updated,
            available,
            unavailable: count(status.and_then(|s| s.unavailable_replicas)),
            revision: revision(&d.metadata),
            template: revision(&d.metadata).map(|r| r.to_string()),
            conditions,
            rollout,
            ..WorkloadInfo::shell(
                WorkloadKind::Deployment,
                &d.metadata,
                spec.map(|s| (&s.template, &s.selector)),
            )
        }
    }

    /// Converts a StatefulSet. Rolling while the update revision differs
    /// from the current one (the controller makes them equal once every pod
    /// runs the update revision and is ready, and leaves them so); with a
    /// `partition`, while fewer pods than those at or above it are updated
    /// (the current revision then never catches up); when the status names
    /// no revisions, while fewer than the target are updated. Pods that stop
    /// being ready under an unchanged template are lost availability. A
    /// StatefulSet has no progress deadline, so it never reports Stalled;
    /// `revision` stays `None` because the revision number lives in
    /// ControllerRevisions, not on the object.
    pub fn from_statefulset(s: &StatefulSet) -> WorkloadInfo {
        let spec = s.spec.as_ref();
        let status = s.status.as_ref();
        let count = |v: Option<i32>| clamp_u32(i64::from(v.unwrap_or(0)));
        let desired = clamp_u32(i64::from(spec.and_then(|s| s.replicas).unwrap_or(1)));
        let ready = count(status.and_then(|s| s.ready_replicas));
        let updated = count(status.and_then(|s| s.updated_replicas));
        let available = count(status.and_then(|s| s.available_replicas));
        let partition = spec
            .and_then(|s| s.update_strategy.as_ref())
            .and_then(|u| u.rolling_update.as_ref())
            .and_then(|r| r.partition)
            .map_or(0, |p| clamp_u32(i64::from(p)));
        let revision_of = |r: Option<&String>| r.filter(|r| !r.is_empty()).cloned();
        let current_rev = revision_of(status.and_then(|s| s.current_revision.as_ref()));
        let update_rev = revision_of(status.and_then(|s| s.update_revision.as_ref()));
        let target = desired.saturating_sub(partition);
        let rolling = match (&current_rev, &update_rev) {
            (Some(c), Some(u)) if partition == 0 => c != u,
            _ => updated < target,
        };
        let rollout = if rolling {
            Rollout::Progressing {
                updated,
                desired: target,
            }
        } else {
            Rollout::Complete
        };
        WorkloadInfo {
            desired,
            ready,
            updated,
            available,
            unavailable: desired.saturating_sub(available),
            revision: None,
            template: update_rev,
            conditions: conditions!(status.and_then(|s| s.conditions.as_deref())),
            rollout,
            ..WorkloadInfo::shell(
                WorkloadKind::StatefulSet,
                &s.metadata,
                spec.map(|s| (&s.template, &s.selector)),
            )
        }
    }

    /// Converts a DaemonSet: desired is the number of nodes it should run on
    /// (`desiredNumberScheduled`). Rolling while some node runs a pod of an
    /// older template (fewer updated than scheduled pods); a node still
    /// without its pod (one just joined, a pod evicted) or pods that stop
    /// being ready are lost availability, not a rollout.
    pub fn from_daemonset(d: &DaemonSet) -> WorkloadInfo {
        let spec = d.spec.as_ref();
        let status = d.status.as_ref();
        let count = |v: Option<i32>| clamp_u32(i64::from(v.unwrap_or(0)));
        let desired = status.map_or(0, |s| clamp_u32(i64::from(s.desired_number_scheduled)));
        let scheduled = status.map_or(0, |s| clamp_u32(i64::from(s.current_number_scheduled)));
        let updated = count(status.and_then(|s| s.updated_number_scheduled));
        let available = count(status.and_then(|s| s.number_available));
        let rollout = if updated < scheduled {
            Rollout::Progressing { updated, desired }
        } else {
            Rollout::Complete
        };
        WorkloadInfo {
            desired,
            ready: status.map_or(0, |s| clamp_u32(i64::from(s.number_ready))),
            updated,
            available,
            unavailable: count(status.and_then(|s| s.number_unavailable)),
            revision: None,
            template: None,
            conditions: conditions!(status.and_then(|s| s.conditions.as_deref())),
            rollout,
            ..WorkloadInfo::shell(
                WorkloadKind::DaemonSet,
                &d.metadata,
                spec.map(|s| (&s.template, &s.selector)),
            )
        }
    }

    /// What every kind shares: identity, the template's images and the
    /// selector; counts and rollout are the caller's.
    fn shell(
        kind: WorkloadKind,
        meta: &ObjectMeta,
        spec: Option<(&PodTemplateSpec, &LabelSelector)>,
    ) -> WorkloadInfo {
        WorkloadInfo {
            kind,
            namespace: meta.namespace.clone().unwrap_or_default(),
            name: meta.name.clone().unwrap_or_default(),
            uid: meta.uid.clone().unwrap_or_default(),
            created: time(meta.creation_timestamp.as_ref()),
            desired: 0,
            ready: 0,
            updated: 0,
            available: 0,
            unavailable: 0,
            revision: None,
            template: None,
            images: spec.map(|(t, _)| images(t)).unwrap_or_default(),
            selector: spec
                .and_then(|(_, s)| s.match_labels.clone())
                .map(Labels::from)
                .unwrap_or_default(),
            conditions: Vec::new(),
            rollout: Rollout::Complete,
        }
    }

    pub fn key(&self) -> super::ObjectKey {
        super::ObjectKey::new(&self.namespace, &self.name)
    }

    /// A problem an on-call engineer should look at: stalled rollout or
    /// unavailable replicas.
    pub fn has_problem(&self) -> bool {
        matches!(self.rollout, Rollout::Stalled { .. }) || self.unavailable > 0
    }
}

/// One revision of a Deployment: the rollout history (`h`) lists these, and
/// a rollback goes back to one of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicaSetInfo {
    pub namespace: String,
    pub name: String,
    pub created: Option<Timestamp>,
    /// The owning Deployment's name.
    pub deployment: Option<String>,
    pub revision: Option<i64>,
    /// The revisions it had before (`deployment.kubernetes.io/revision-history`):
    /// a rollback takes an old ReplicaSet back under a new number.
    pub revision_history: Vec<i64>,
    pub change_cause: Option<String>,
    pub desired: u32,
    pub ready: u32,
    pub available: u32,
    pub images: Vec<String>,
    /// The `pod-template-hash` label.
    pub template_hash: Option<String>,
}

impl ReplicaSetInfo {
    /// Converts a ReplicaSet. `deployment` comes from its controller
    /// ownerReference of kind Deployment, so a hand-made ReplicaSet whose name
    /// merely looks like `<deployment>-<hash>` is not mistaken for a revision.
    pub fn from_replicaset(rs: &ReplicaSet) -> ReplicaSetInfo {
        let meta = &rs.metadata;
        let spec = rs.spec.as_ref();
        let status = rs.status.as_ref();
        let count = |v: Option<i32>| clamp_u32(i64::from(v.unwrap_or(0)));
        ReplicaSetInfo {
            namespace: meta.namespace.clone().unwrap_or_default(),
            name: meta.name.clone().unwrap_or_default(),
            created: time(meta.creation_timestamp.as_ref()),
            deployment: meta
                .owner_references
                .as_deref()
                .unwrap_or(&[])
                .iter()
                .find(|r| r.controller == Some(true) && r.kind == "Deployment")
                .map(|r| r.name.clone()),
            revision: revision(meta),
            revision_history: annotation(meta, REVISION_HISTORY_ANNOTATION)
                .map(|h| h.split(',').filter_map(|r| r.trim().parse().ok()).collect())
                .unwrap_or_default(),
            change_cause: annotation(meta, CHANGE_CAUSE_ANNOTATION)
                .filter(|c| !c.is_empty())
                .map(String::from),
            desired: clamp_u32(i64::from(spec.and_then(|s| s.replicas).unwrap_or(1))),
            ready: count(status.and_then(|s| s.ready_replicas)),
            available: count(status.and_then(|s| s.available_replicas)),
            images: spec
                .and_then(|s| s.template.as_ref())
                .map(images)
                .unwrap_or_default(),
            template_hash: meta
                .labels
                .as_ref()
                .and_then(|l| l.get(POD_TEMPLATE_HASH))
                .filter(|h| !h.is_empty())
                .cloned(),
        }
    }

    pub fn key(&self) -> super::ObjectKey {
        super::ObjectKey::new(&self.namespace, &self.name)
    }
}

/// The revision annotation as a number; `None` when absent or not a number.
fn revision(meta: &ObjectMeta) -> Option<i64> {
    annotation(meta, REVISION_ANNOTATION)?.trim().parse().ok()
}

fn annotation<'a>(meta: &'a ObjectMeta, key: &str) -> Option<&'a str> {
    meta.annotations.as_ref()?.get(key).map(String::as_str)
}

/// The images of a pod template's regular containers, in spec order.
fn images(template: &PodTemplateSpec) -> Vec<String> {
    template
        .spec
        .as_ref()
        .map(|s| {
            s.containers
                .iter()
                .filter_map(|c| c.image.clone())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
