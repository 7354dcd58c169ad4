//! What the kubelet keeps about the pods it runs: per container its state,
//! restarts, back-off and the instances whose lines it logs. The kubelet's
//! work on them is in `kubelet/`; metrics and `pods/log` read them.

use std::collections::{BTreeMap, HashSet};

use jiff::Timestamp;

use super::apps::{Behaviour, Instance};

#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub reason: String,
    pub exit_code: i32,
    pub started: Timestamp,
    pub finished: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub enum State {
    Pulling {
        until: Timestamp,
    },
    /// A failed pull: `ErrImagePull` until `quiet_at`, then `ImagePullBackOff` until `retry_at`.
    PullBackOff {
        quiet_at: Timestamp,
        retry_at: Timestamp,
        announced: bool,
    },
    Creating {
        until: Timestamp,
    },
    /// The container's environment names a ConfigMap, Secret or key that
    /// is not there: `CreateContainerConfigError` until `retry_at`.
    ConfigError {
        message: String,
        retry_at: Timestamp,
    },
    Running {
        since: Timestamp,
    },
    CrashBackOff {
        until: Timestamp,
        delay: i64,
    },
    Terminated(Term),
}

#[derive(Debug, Clone)]
pub struct Container {
    pub name: String,
    pub beh: Behaviour,
    pub has_probe: bool,
    pub probe_period: i64,
    /// Liveness probe: period and failure threshold, if configured.
    pub liveness: Option<(i64, u32)>,
    pub live_failures: u32,
    pub next_live: Timestamp,
    pub state: State,
    pub restarts: u32,
    pub last: Option<Term>,
    pub ready: bool,
    pub backoff: i64,
    pub pull_backoff: i64,
    /// Next readiness-probe failure event (while failing).
    pub next_probe: Timestamp,
    pub current: Option<Instance>,
    pub previous: Option<Instance>,
}

#[derive(Debug, Clone)]
pub struct PodRuntime {
    pub uid: String,
    pub namespace: String,
    pub name: String,
    pub node: String,
    pub ip: String,
    pub host_ip: String,
    pub started: Timestamp,
    pub containers: Vec<Container>,
    pub restart_policy: String,
    pub terminating: Option<Timestamp>,
    pub evicted: Option<String>,
    pub memory_request_mib: f64,
    pub best_effort: bool,
    pub next_due: Timestamp,
    pub dirty: bool,
}

#[derive(Default)]
pub struct Kubelet {
    pub pods: BTreeMap<(String, String), PodRuntime>,
    /// Images already on each node: no pull needed.
    pub images: HashSet<(String, String)>,
    /// Nodes currently under memory pressure, and when the last eviction was.
    pub pressure: BTreeMap<String, Timestamp>,
    pub last_pressure_check: Option<Timestamp>,
    /// The story version container behaviour was last decided at.
    pub story_version: u64,
    pub last_heartbeat: Option<Timestamp>,
    pub last_lease_renewal: Option<Timestamp>,
}

impl Container {
    pub fn running_since(&self) -> Option<Timestamp> {
        match self.state {
            State::Running { since } => Some(since),
            _ => None,
        }
    }

    /// Memory now, MiB (0 when not running).
    pub fn memory_mib(&self, now: Timestamp) -> f64 {
        match (&self.state, &self.current) {
            (State::Running { .. }, Some(inst)) => inst.memory_at(&self.beh, now),
            _ => 0.0,
        }
    }
}
