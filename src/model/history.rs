//! Rollout history: one [`Revision`] per ReplicaSet of a Deployment, or per
//! ControllerRevision of a StatefulSet or DaemonSet, newest first, each with
//! the pod template it ran — what the history pane lists and diffs.
//!
//! As `kubectl rollout history` reads it (kubectl
//! `pkg/polymorphichelpers/history.go`): a Deployment's revisions are its
//! ReplicaSets' `deployment.kubernetes.io/revision` annotations; a
//! StatefulSet's or DaemonSet's are its ControllerRevisions' `revision`
//! field, whose `data` holds the pod template as a strategic-merge patch
//! (`{"spec":{"template":{…,"$patch":"replace"}}}`).

use std::cmp::Ordering;

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::{ControllerRevision, Deployment, ReplicaSet};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::Value;

use super::action::WorkloadRef;
use super::pod_health::{POD_TEMPLATE_HASH, time};
use super::workload::{CHANGE_CAUSE_ANNOTATION, REVISION_ANNOTATION};

/// The label the StatefulSet and DaemonSet controllers put on their pods
/// (and that a template must not be compared by).
pub const CONTROLLER_REVISION_HASH: &str = "controller-revision-hash";

/// One revision of a workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub number: i64,
    /// The ReplicaSet or ControllerRevision that holds it.
    pub name: String,
    /// `kubernetes.io/change-cause`.
    pub change_cause: Option<String>,
    /// `container=image` for every container of the template (init
    /// containers after the others, as `init:container=image`).
    pub images: Vec<String>,
    pub created: Option<Timestamp>,
    /// Ready and desired pods of this revision (ReplicaSets only).
    pub ready: Option<i32>,
    pub desired: Option<i32>,
    /// The revision the workload runs now.
    pub current: bool,
    /// The pod template (`spec.template`), with the labels the controllers
    /// add (`pod-template-hash`, `controller-revision-hash`) removed.
    pub template: Value,
}

/// A workload's revisions, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub target: WorkloadRef,
    pub revisions: Vec<Revision>,
}

impl History {
    pub fn current(&self) -> Option<&Revision> {
        self.revisions.iter().find(|r| r.current)
    }

    /// The revision numbered `number`.
    pub fn revision(&self, number: i64) -> Option<&Revision> {
        self.revisions.iter().find(|r| r.number == number)
    }
}

/// A Deployment's history from ReplicaSets (any, in any order: those it
/// does not own are left out, as are those without a numeric revision
/// annotation).
///
/// The current revision is the one the Deployment's own revision annotation
/// names; when it names none of them (a controller that has not caught up,
/// or no annotation), the ReplicaSet whose template equals the
/// Deployment's, as the controller itself finds its new ReplicaSet.
pub fn deployment_history(deployment: &Deployment, replica_sets: &[ReplicaSet]) -> History {
    let meta = &deployment.metadata;
    let target = WorkloadRef::new(
        super::workload::WorkloadKind::Deployment,
        meta.namespace.as_deref().unwrap_or(""),
        meta.name.as_deref().unwrap_or(""),
    );
    let mut revisions: Vec<Revision> = replica_sets
        .iter()
        .filter(|rs| is_owned_by(&rs.metadata, meta, "Deployment"))
        .filter_map(|rs| {
            let number = annotation_number(&rs.metadata, REVISION_ANNOTATION)?;
            let template = rs
                .spec
                .as_ref()
                .and_then(|s| s.template.as_ref())
                .and_then(|t| serde_json::to_value(t).ok())
                .map_or(Value::Null, |t| without_label(t, POD_TEMPLATE_HASH));
            Some(Revision {
                number,
                name: rs.metadata.name.clone().unwrap_or_default(),
                change_cause: change_cause(&rs.metadata),
                images: template_images(&template),
                created: time(rs.metadata.creation_timestamp.as_ref()),
                ready: Some(
                    rs.status
                        .as_ref()
                        .and_then(|s| s.ready_replicas)
                        .unwrap_or(0),
                ),
                desired: rs.spec.as_ref().and_then(|s| s.replicas),
                current: false,
                template,
            })
        })
        .collect();
    revisions.sort_by(newest_first);

    let by_number = annotation_number(meta, REVISION_ANNOTATION)
        .and_then(|n| revisions.iter().position(|r| r.number == n));
    let current = by_number.or_else(|| {
        let own = deployment
            .spec
            .as_ref()
            .and_then(|s| serde_json::to_value(&s.template).ok())
            .map(|t| without_label(t, POD_TEMPLATE_HASH))?;
        revisions.iter().position(|r| r.template == own)
    });
    if let Some(r) = current.and_then(|i| revisions.get_mut(i)) {
        r.current = true;
    }
    History { target, revisions }
}

/// A StatefulSet's or DaemonSet's history from its ControllerRevisions (the
/// caller keeps only those the workload owns).
///
/// `current_revision_name` is the ControllerRevision the workload runs:
/// a StatefulSet's `status.updateRevision`. A DaemonSet's status names
/// none: pass `None` and the highest revision is current, which is the one
/// its controller keeps in step with the template. A name that matches no
/// revision marks none current rather than guessing.
pub fn controller_history(
    target: WorkloadRef,
    current_revision_name: Option<&str>,
    revisions: &[ControllerRevision],
) -> History {
    let mut list: Vec<Revision> = revisions
        .iter()
        .map(|cr| {
            let template = cr
                .data
                .as_ref()
                .and_then(|d| d.0.get("spec"))
                .and_then(|s| s.get("template"))
                .filter(|t| t.is_object())
                .cloned()
                .map_or(Value::Null, |mut t| {
                    if let Some(m) = t.as_object_mut() {
                        m.remove("$patch");
                    }
                    without_label(t, CONTROLLER_REVISION_HASH)
                });
            Revision {
                number: cr.revision,
                name: cr.metadata.name.clone().unwrap_or_default(),
                change_cause: change_cause(&cr.metadata),
                images: template_images(&template),
                created: time(cr.metadata.creation_timestamp.as_ref()),
                ready: None,
                desired: None,
                current: false,
                template,
            }
        })
        .collect();
    list.sort_by(newest_first);
    let current = match current_revision_name.filter(|n| !n.is_empty()) {
        Some(name) => list.iter().position(|r| r.name == name),
        None => (!list.is_empty()).then_some(0),
    };
    if let Some(r) = current.and_then(|i| list.get_mut(i)) {
        r.current = true;
    }
    History {
        target,
        revisions: list,
    }
}

/// Whether `object` belongs to `owner` (of `kind`): an ownerReference with
/// the owner's uid; for an owner without a uid (built by hand, not read
/// from a server), a controller reference of that kind and name in the
/// same namespace.
pub fn is_owned_by(object: &ObjectMeta, owner: &ObjectMeta, kind: &str) -> bool {
    let refs = object.owner_references.as_deref().unwrap_or(&[]);
    match owner.uid.as_deref().filter(|u| !u.is_empty()) {
        Some(uid) => refs.iter().any(|r| r.uid == uid),
        None => {
            let same_namespace = match (&object.namespace, &owner.namespace) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
            let Some(name) = owner.name.as_deref() else {
                return false;
            };
            same_namespace
                && refs
                    .iter()
                    .any(|r| r.controller == Some(true) && r.kind == kind && r.name == name)
        }
    }
}

/// `container=image` for a pod template given as JSON: containers first,
/// then init containers as `init:container=image`. Containers without an
/// image are left out; anything not shaped like a template gives none.
pub fn template_images(template: &Value) -> Vec<String> {
    let spec = template.get("spec");
    let mut out = Vec::new();
    for (field, prefix) in [("containers", ""), ("initContainers", "init:")] {
        let containers = spec
            .and_then(|s| s.get(field))
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for c in containers {
            let name = c.get("name").and_then(Value::as_str).unwrap_or("");
            if let Some(image) = c.get("image").and_then(Value::as_str) {
                out.push(format!("{prefix}{name}={image}"));
            }
        }
    }
    out
}

/// The template without the label `key`, and without its labels map once
/// that is empty (a template that had only the hash label compares equal
/// to one that had none).
fn without_label(mut template: Value, key: &str) -> Value {
    if let Some(meta) = template.get_mut("metadata").and_then(Value::as_object_mut) {
        if let Some(labels) = meta.get_mut("labels").and_then(Value::as_object_mut) {
            labels.remove(key);
        }
        if meta
            .get("labels")
            .and_then(Value::as_object)
            .is_some_and(|l| l.is_empty())
        {
            meta.remove("labels");
        }
    }
    template
}

fn annotation_number(meta: &ObjectMeta, key: &str) -> Option<i64> {
    meta.annotations.as_ref()?.get(key)?.trim().parse().ok()
}

fn change_cause(meta: &ObjectMeta) -> Option<String> {
    meta.annotations
        .as_ref()
        .and_then(|a| a.get(CHANGE_CAUSE_ANNOTATION))
        .filter(|c| !c.trim().is_empty())
        .cloned()
}

/// Highest number first; equal numbers (which controllers do not make)
/// newest first, then by name, so the order never depends on the input's.
fn newest_first(a: &Revision, b: &Revision) -> Ordering {
    b.number
        .cmp(&a.number)
        .then_with(|| b.created.cmp(&a.created))
        .then_with(|| a.name.cmp(&b.name))
}

#[cfg(test)]
mod tests;
