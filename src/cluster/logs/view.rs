//! A pod as its log streams need it: whether it is still there, and how
//! each regular container is doing (state, restarts, how the last instance
//! ended). Converted from the watcher's `Pod` once per change.

use k8s_openapi::api::core::v1::{ContainerStateTerminated, ContainerStatus, Pod};

/// A pod as its streams need it: whether it is still there and how each
/// regular container is doing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct PodView {
    /// Deleted (or no longer selected).
    pub gone: bool,
    /// `metadata.deletionTimestamp` is set: it is terminating.
    pub deleting: bool,
    /// `spec.restartPolicy` (`Always` when unset).
    pub restart_policy: String,
    pub phase: String,
    /// Regular containers in spec order.
    pub containers: Vec<ContainerView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ContainerView {
    pub name: String,
    pub restarts: i32,
    pub state: RunState,
    /// `lastState.terminated`: how the previous instance ended.
    pub last: Option<Exit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum RunState {
    /// No status yet.
    Unknown,
    Waiting(String),
    Running,
    Terminated(Exit),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Exit {
    pub reason: String,
    pub code: i32,
}

impl Exit {
    fn from_terminated(t: &ContainerStateTerminated) -> Exit {
        let reason = match t.reason.as_deref() {
            Some(r) if !r.is_empty() => r.to_string(),
            _ if t.exit_code == 0 => "Completed".to_string(),
            _ => "Error".to_string(),
        };
        Exit {
            reason,
            code: t.exit_code,
        }
    }
}

impl ContainerView {
    fn new(name: &str, status: Option<&ContainerStatus>) -> ContainerView {
        let Some(s) = status else {
            return ContainerView {
                name: name.to_string(),
                restarts: 0,
                state: RunState::Unknown,
                last: None,
            };
        };
        let state = match &s.state {
            Some(st) if st.running.is_some() => RunState::Running,
            Some(st) if let Some(t) = &st.terminated => {
                RunState::Terminated(Exit::from_terminated(t))
            }
            Some(st) => RunState::Waiting(
                st.waiting
                    .as_ref()
                    .and_then(|w| w.reason.clone())
                    .unwrap_or_default(),
            ),
            None => RunState::Unknown,
        };
        ContainerView {
            name: name.to_string(),
            restarts: s.restart_count,
            state,
            last: s
                .last_state
                .as_ref()
                .and_then(|l| l.terminated.as_ref())
                .map(Exit::from_terminated),
        }
    }

    /// It has run, so it has a log: running, ended, or restarted before.
    pub fn started(&self) -> bool {
        matches!(self.state, RunState::Running | RunState::Terminated(_)) || self.restarted()
    }

    /// It has a previous instance.
    pub fn restarted(&self) -> bool {
        self.restarts > 0 || self.last.is_some()
    }
}

impl PodView {
    pub fn from_pod(pod: &Pod) -> PodView {
        let statuses = pod
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.as_deref())
            .unwrap_or_default();
        let spec = pod.spec.as_ref();
        let containers = spec
            .map(|s| s.containers.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|c| ContainerView::new(&c.name, statuses.iter().find(|s| s.name == c.name)))
            .collect();
        PodView {
            gone: false,
            deleting: pod.metadata.deletion_timestamp.is_some(),
            restart_policy: spec
                .and_then(|s| s.restart_policy.clone())
                .unwrap_or_else(|| "Always".to_string()),
            phase: pod
                .status
                .as_ref()
                .and_then(|s| s.phase.clone())
                .unwrap_or_default(),
            containers,
        }
    }

    pub fn container(&self, name: &str) -> Option<&ContainerView> {
        self.containers.iter().find(|c| c.name == name)
    }

    /// How the container ended, if it ended for good: its restart policy
    /// will not run it again, the pod is done or being deleted.
    pub fn finished<'a>(&self, c: &'a ContainerView) -> Option<&'a Exit> {
        let RunState::Terminated(exit) = &c.state else {
            return None;
        };
        let stays = match self.restart_policy.as_str() {
            "Never" => true,
            "OnFailure" => exit.code == 0,
            _ => false,
        };
        (stays || self.deleting || matches!(self.phase.as_str(), "Succeeded" | "Failed"))
            .then_some(exit)
    }
}

#[cfg(test)]
mod tests;
