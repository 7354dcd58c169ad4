//! Deployments, StatefulSets and DaemonSets as the console keeps them, and
//! the ReplicaSets that tie pods to their Deployment and hold its revisions.

use std::collections::BTreeMap;

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};

use super::pod_health::Condition;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WorkloadKind {
    Deployment,
    StatefulSet,
    DaemonSet,
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
    pub selector: BTreeMap<String, String>,
    pub conditions: Vec<Condition>,
    pub rollout: Rollout,
}

impl WorkloadInfo {
    pub fn from_deployment(_d: &Deployment) -> WorkloadInfo {
        todo!("model helper")
    }
    pub fn from_statefulset(_s: &StatefulSet) -> WorkloadInfo {
        todo!("model helper")
    }
    pub fn from_daemonset(_d: &DaemonSet) -> WorkloadInfo {
        todo!("model helper")
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
    pub fn from_replicaset(_rs: &ReplicaSet) -> ReplicaSetInfo {
        todo!("model helper")
    }
    pub fn key(&self) -> super::ObjectKey {
        super::ObjectKey::new(&self.namespace, &self.name)
    }
}
