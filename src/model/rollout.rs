//! Rollout history: one [`Revision`] per ReplicaSet of a Deployment, or per
//! ControllerRevision of a StatefulSet or DaemonSet, newest first, each with
//! the pod template it ran — what the history pane lists and diffs.

use jiff::Timestamp;
use serde_json::Value;

use super::action::WorkloadRef;

/// One revision of a workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub number: i64,
    /// The ReplicaSet or ControllerRevision that holds it.
    pub name: String,
    /// `kubernetes.io/change-cause`.
    pub change_cause: Option<String>,
    /// `container=image` for every container of the template.
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
}
