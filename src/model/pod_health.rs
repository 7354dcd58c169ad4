//! A pod as the console keeps it: a compact summary made once, at the edge,
//! from the API object, plus what its status means for someone on call.
//!
//! `PodInfo::from_pod` is the only place that reads a `k8s_openapi` Pod; the
//! rest of the console (state, views, detectors) works on `PodInfo`.

use std::collections::BTreeMap;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::Pod;

/// How a pod is doing, coarsely: picks the row's style and marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Health {
    /// Running and Ready, or Completed.
    Ok,
    /// On its way: Pending, ContainerCreating, PodInitializing, Init:0/1,
    /// Terminating.
    Progressing,
    /// Running but not Ready: the containers run, readiness fails, no traffic
    /// reaches it. The incident warroom is named after; styled on its own.
    NotReady,
    /// CrashLoopBackOff, OOMKilled, Error, ErrImagePull, ImagePullBackOff,
    /// CreateContainerConfigError, Evicted, Failed, Unknown…
    Failing,
}

/// The workload a pod belongs to, resolved through its ReplicaSet when the
/// pod-template-hash label makes that unambiguous (`checkout-7d8f9c` → the
/// Deployment `checkout`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Owner {
    /// `Deployment`, `StatefulSet`, `DaemonSet`, `ReplicaSet`, `Job`, `Node`…
    pub kind: String,
    pub name: String,
}

/// How a container ended: `OOMKilled exit 137`, `Error exit 1`, `Completed exit 0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Termination {
    pub container: String,
    /// `OOMKilled`, `Error`, `Completed`, `ContainerCannotRun`…; empty when the
    /// runtime gave none.
    pub reason: String,
    pub exit_code: i32,
    pub signal: Option<i32>,
    pub finished_at: Option<Timestamp>,
    pub message: Option<String>,
}

/// What a container is doing now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerState {
    Waiting {
        reason: String,
        message: Option<String>,
    },
    Running {
        since: Option<Timestamp>,
    },
    Terminated(Termination),
    /// The kubelet has not reported the container yet.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeKind {
    Liveness,
    Readiness,
    Startup,
}

/// A configured probe, in words: `readiness GET :8080/ready every 5s, fails after 3`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub kind: ProbeKind,
    /// `GET :8080/healthz`, `TCP :5432`, `exec cat /tmp/ready`, `gRPC :9090`.
    pub action: String,
    pub initial_delay_s: i32,
    pub period_s: i32,
    pub failure_threshold: i32,
}

/// CPU in millicores and memory in bytes, each only when set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resources {
    pub cpu_milli: Option<u64>,
    pub memory_bytes: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerInfo {
    pub name: String,
    pub image: String,
    /// An init container (including restartable sidecars).
    pub init: bool,
    pub ready: bool,
    pub restarts: u32,
    pub state: ContainerState,
    /// `lastState.terminated`: why the previous instance ended. Kept after the
    /// container has restarted, which is the point.
    pub last: Option<Termination>,
    pub probes: Vec<Probe>,
    pub requests: Resources,
    pub limits: Resources,
    /// Names of environment variables set directly (`env[].name`), so the
    /// detail pane can say which ones exist; values are never kept.
    pub env_names: Vec<String>,
}

/// A pod or node condition: `Ready False ContainersNotReady since 14:03`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub kind: String,
    /// `True`, `False` or `Unknown`.
    pub status: String,
    pub reason: Option<String>,
    pub message: Option<String>,
    pub since: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodInfo {
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub created: Option<Timestamp>,
    /// Has a deletionTimestamp.
    pub deleting: bool,
    pub labels: BTreeMap<String, String>,
    pub owner: Option<Owner>,
    pub node: Option<String>,
    pub pod_ip: Option<String>,
    /// `status.phase`.
    pub phase: String,
    /// The STATUS column exactly as kubectl prints it.
    pub status: String,
    pub health: Health,
    pub ready: u32,
    pub total: u32,
    pub restarts: u32,
    pub last_restart: Option<Timestamp>,
    /// The most recent termination of any container (`lastState.terminated`,
    /// or the current terminated state), for the LAST TERMINATION column.
    pub last_termination: Option<Termination>,
    /// When the pod's Ready condition last changed (`lastTransitionTime`).
    pub ready_changed: Option<Timestamp>,
    pub containers: Vec<ContainerInfo>,
    pub conditions: Vec<Condition>,
    /// Sums over regular containers.
    pub requests: Resources,
    pub limits: Resources,
    pub qos_class: Option<String>,
}

/// A plain explanation of a status for someone new to Kubernetes: what it
/// means, and what to check next, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub meaning: String,
    pub next: Vec<String>,
}

impl PodInfo {
    /// Converts an API pod. Never panics on partial objects.
    pub fn from_pod(_pod: &Pod) -> PodInfo {
        todo!("model helper")
    }

    /// `namespace/name`, the key the console uses for a pod.
    pub fn key(&self) -> crate::model::ObjectKey {
        crate::model::ObjectKey::new(&self.namespace, &self.name)
    }

    /// Running but not Ready.
    pub fn running_not_ready(&self) -> bool {
        self.health == Health::NotReady
    }
}

impl Termination {
    /// `OOMKilled exit 137`, `Error exit 1`, `exit 143` without a reason,
    /// `Signal 9` when only a signal is known.
    pub fn short(&self) -> String {
        todo!("model helper")
    }
}

/// What the pod's status means and what to check next.
pub fn explain(_pod: &PodInfo) -> Explanation {
    todo!("model helper")
}
