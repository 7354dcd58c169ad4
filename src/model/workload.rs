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

/// Where a rollout is, for the progress bar and the problem marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rollout {
    /// Everything updated and available, controller caught up.
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
    pub images: Vec<String>,
    /// `spec.selector.matchLabels`.
    pub selector: Labels,
    pub conditions: Vec<Condition>,
    pub rollout: Rollout,
}

/// `deployment.kubernetes.io/revision`: the Deployment controller's revision
/// number, on a Deployment and on each of its ReplicaSets.
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
/// `kubernetes.io/change-cause`: why a revision was made, as `kubectl rollout
/// history` shows it.
pub const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";
/// The Progressing condition's reason once `progressDeadlineSeconds` passed.
pub const PROGRESS_DEADLINE_EXCEEDED: &str = "ProgressDeadlineExceeded";

impl WorkloadInfo {
    /// Converts a Deployment. The rollout state mirrors `kubectl rollout
    /// status`: paused first; progressing while the controller has not seen
    /// the latest spec (a deadline condition from before says nothing about
    /// it); then stalled past its progress deadline or on a ReplicaFailure;
    /// then progressing while fewer replicas than desired are updated, old
    /// replicas remain, or updated ones are not yet available; else complete.
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

        let stalled = conditions.iter().find(|c| {
            (c.kind == "Progressing"
                && c.status != "True"
                && c.reason.as_deref() == Some(PROGRESS_DEADLINE_EXCEEDED))
                || (c.kind == "ReplicaFailure" && c.is_true())
        });
        let rollout = if spec.and_then(|s| s.paused) == Some(true) {
            Rollout::Paused
        } else if generation > observed {
            // The controller has not acted on the latest spec yet; an old
            // deadline condition says nothing about the new template.
            Rollout::Progressing { updated, desired }
        } else if let Some(c) = stalled {
            Rollout::Stalled {
                reason: c.reason.clone().unwrap_or_else(|| c.kind.to_string()),
                message: c.message.clone().unwrap_or_default(),
            }
        } else if updated < desired || replicas > updated || available < updated {
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
            conditions,
            rollout,
            ..WorkloadInfo::shell(
                WorkloadKind::Deployment,
                &d.metadata,
                spec.map(|s| (&s.template, &s.selector)),
            )
        }
    }

    /// Converts a StatefulSet. Rolling while the controller has not seen the
    /// latest spec, fewer pods than desired are ready (as `kubectl rollout
    /// status` waits for), fewer than the rollout's target are updated (all of
    /// them, or those at or above a `partition`), or the update revision
    /// differs from the current one. A StatefulSet has no progress deadline,
    /// so it never reports Stalled; `revision` stays `None` because the
    /// revision number lives in ControllerRevisions, not on the object.
    pub fn from_statefulset(s: &StatefulSet) -> WorkloadInfo {
        let spec = s.spec.as_ref();
        let status = s.status.as_ref();
        let count = |v: Option<i32>| clamp_u32(i64::from(v.unwrap_or(0)));
        let desired = clamp_u32(i64::from(spec.and_then(|s| s.replicas).unwrap_or(1)));
        let ready = count(status.and_then(|s| s.ready_replicas));
        let updated = count(status.and_then(|s| s.updated_replicas));
        let available = count(status.and_then(|s| s.available_replicas));
        let generation = s.metadata.generation.unwrap_or(0);
        let observed = status.and_then(|s| s.observed_generation).unwrap_or(0);
        let partition = spec
            .and_then(|s| s.update_strategy.as_ref())
            .and_then(|u| u.rolling_update.as_ref())
            .and_then(|r| r.partition)
            .map_or(0, |p| clamp_u32(i64::from(p)));
        let current_rev = status
            .and_then(|s| s.current_revision.as_deref())
            .unwrap_or("");
        let update_rev = status
            .and_then(|s| s.update_revision.as_deref())
            .unwrap_or("");
        let target = desired.saturating_sub(partition);
        let revisions_differ = partition == 0
            && !update_rev.is_empty()
            && !current_rev.is_empty()
            && update_rev != current_rev;
        let rollout =
            if generation > observed || ready < desired || updated < target || revisions_differ {
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
    /// (`desiredNumberScheduled`); rolling, as `kubectl rollout status` has
    /// it, while the controller has not seen the latest spec or fewer pods
    /// than desired are updated or available.
    pub fn from_daemonset(d: &DaemonSet) -> WorkloadInfo {
        let spec = d.spec.as_ref();
        let status = d.status.as_ref();
        let count = |v: Option<i32>| clamp_u32(i64::from(v.unwrap_or(0)));
        let desired = status.map_or(0, |s| clamp_u32(i64::from(s.desired_number_scheduled)));
        let updated = count(status.and_then(|s| s.updated_number_scheduled));
        let available = count(status.and_then(|s| s.number_available));
        let generation = d.metadata.generation.unwrap_or(0);
        let observed = status.and_then(|s| s.observed_generation).unwrap_or(0);
        let rollout = if generation > observed || updated < desired || available < desired {
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
            change_cause: meta
                .annotations
                .as_ref()
                .and_then(|a| a.get(CHANGE_CAUSE_ANNOTATION))
                .filter(|c| !c.is_empty())
                .cloned(),
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
    meta.annotations
        .as_ref()?
        .get(REVISION_ANNOTATION)?
        .trim()
        .parse()
        .ok()
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
