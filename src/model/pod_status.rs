//! The pod columns `kubectl get pods` shows — STATUS, READY, RESTARTS and AGE —
//! computed the way the Kubernetes pod printer computes them, so the console
//! and the simulated API server agree with a real cluster to the character.
//!
//! The algorithm mirrors the upstream printer (`printPod` in
//! `pkg/printers/internalversion`), including its quirks:
//!
//! * the status starts from `status.reason`, else `status.phase`, and becomes
//!   `SchedulingGated` when the `PodScheduled` condition says so;
//! * init containers are walked in order; the first one that has not
//!   completed decides an `Init:...` status (`Init:CrashLoopBackOff`,
//!   `Init:OOMKilled`, `Init:Signal:9`, `Init:ExitCode:1`, `Init:1/3`), while
//!   started restartable init containers (sidecars) count toward READY;
//! * once initialised, regular containers are walked in *reverse* order and the
//!   last one visited (the first in the spec) that waits or has terminated wins;
//!   `Completed` turns back into `Running` (or `NotReady` without the pod
//!   `Ready` condition) while some container still runs ready;
//! * a deletion timestamp gives `Terminating`, or `Unknown` for a pod whose
//!   node was lost (`status.reason == "NodeLost"`); terminal pods keep their
//!   phase.
//!
//! Nothing here panics on odd or partial objects: missing fields count as
//! their Go zero values, as they would after decoding on the server.

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::core::v1::{Container, ContainerStatus, Pod, PodCondition};

/// `status.reason` the node lifecycle controller sets when a node stops reporting.
const NODE_LOST: &str = "NodeLost";
/// Reason of the `PodScheduled` condition while scheduling gates remain.
const SCHEDULING_GATED: &str = "SchedulingGated";

/// Everything the pod row needs, computed in one pass like the upstream printer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodSummary {
    /// The STATUS column.
    pub status: String,
    /// Ready containers, the left side of the READY column.
    pub ready: u32,
    /// Containers counted by READY: regular ones plus restartable init containers.
    pub total: u32,
    /// The RESTARTS count.
    pub restarts: u32,
    /// When the most recently restarted counted container last terminated.
    pub last_restart: Option<Timestamp>,
}

impl PodSummary {
    /// READY as kubectl prints it, e.g. `1/2`.
    pub fn ready_column(&self) -> String {
        format!("{}/{}", self.ready, self.total)
    }

    /// RESTARTS as kubectl prints it: `0`, `3`, or `5 (4m ago)` when the time of
    /// the latest restart is known.
    pub fn restarts_column(&self, now: Timestamp) -> String {
        match self.last_restart {
            Some(at) if self.restarts != 0 => {
                format!(
                    "{} ({} ago)",
                    self.restarts,
                    human_duration(now.duration_since(at))
                )
            }
            _ => self.restarts.to_string(),
        }
    }
}

/// Computes STATUS, READY and RESTARTS of a pod the way `kubectl get pods` does.
pub fn summarize(pod: &Pod) -> PodSummary {
    let spec_containers = pod
        .spec
        .as_ref()
        .map(|s| s.containers.as_slice())
        .unwrap_or(&[]);
    let spec_inits = pod
        .spec
        .as_ref()
        .and_then(|s| s.init_containers.as_deref())
        .unwrap_or(&[]);
    let status = pod.status.as_ref();
    let conditions = status.and_then(|s| s.conditions.as_deref()).unwrap_or(&[]);
    let init_statuses = status
        .and_then(|s| s.init_container_statuses.as_deref())
        .unwrap_or(&[]);
    let statuses = status
        .and_then(|s| s.container_statuses.as_deref())
        .unwrap_or(&[]);
    let phase = status.and_then(|s| s.phase.as_deref()).unwrap_or("");

    let mut reason = match status.and_then(|s| s.reason.as_deref()) {
        Some(r) if !r.is_empty() => r.to_string(),
        _ => phase.to_string(),
    };
    if conditions
        .iter()
        .any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some(SCHEDULING_GATED))
    {
        reason = SCHEDULING_GATED.to_string();
    }

    let sidecars = spec_inits.iter().filter(|c| is_restartable(c)).count();
    let total = count_u32(spec_containers.len() + sidecars);
    let mut ready: u32 = 0;

    // Restarts over every init container visited, and over sidecars only.
    let mut restarts: i64 = 0;
    let mut last_restart: Option<Timestamp> = None;
    let mut sidecar_restarts: i64 = 0;
    let mut sidecar_last_restart: Option<Timestamp> = None;

    let mut initializing = false;
    for (i, cs) in init_statuses.iter().enumerate() {
        let finished = last_finished_at(cs);
        restarts += i64::from(cs.restart_count);
        last_restart = later(last_restart, finished);
        let restartable = spec_inits
            .iter()
            .any(|c| c.name == cs.name && is_restartable(c));
        if restartable {
            sidecar_restarts += i64::from(cs.restart_count);
            sidecar_last_restart = later(sidecar_last_restart, finished);
        }
        let state = cs.state.as_ref();
        let terminated = state.and_then(|s| s.terminated.as_ref());
        let waiting_reason = state
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.reason.as_deref())
            .filter(|r| !r.is_empty());
        if terminated.is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if restartable && cs.started == Some(true) {
            if cs.ready {
                ready += 1;
            }
            continue;
        }
        reason = if let Some(t) = terminated {
            format!(
                "Init:{}",
                terminated_reason(t.reason.as_deref(), t.signal, t.exit_code)
            )
        } else if let Some(w) = waiting_reason.filter(|r| *r != "PodInitializing") {
            format!("Init:{w}")
        } else {
            format!("Init:{}/{}", i, spec_inits.len())
        };
        initializing = true;
        break;
    }

    if !initializing || condition_is_true_first(conditions, "Initialized") {
        restarts = sidecar_restarts;
        last_restart = sidecar_last_restart;
        let mut has_running = false;
        for cs in statuses.iter().rev() {
            restarts += i64::from(cs.restart_count);
            last_restart = later(last_restart, last_finished_at(cs));
            let state = cs.state.as_ref();
            let waiting = state
                .and_then(|s| s.waiting.as_ref())
                .and_then(|w| w.reason.as_deref())
                .filter(|r| !r.is_empty());
            let terminated = state.and_then(|s| s.terminated.as_ref());
            if let Some(w) = waiting {
                reason = w.to_string();
            } else if let Some(t) = terminated {
                reason = terminated_reason(t.reason.as_deref(), t.signal, t.exit_code);
            } else if cs.ready && state.is_some_and(|s| s.running.is_some()) {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if has_ready_condition(conditions) {
                "Running"
            } else {
                "NotReady"
            }
            .to_string();
        }
    }

    let deleting = pod.metadata.deletion_timestamp.is_some();
    let status_reason = status.and_then(|s| s.reason.as_deref());
    if deleting && status_reason == Some(NODE_LOST) {
        reason = "Unknown".to_string();
    } else if deleting && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".to_string();
    }

    PodSummary {
        status: reason,
        ready,
        total,
        restarts: u32::try_from(restarts.max(0)).unwrap_or(u32::MAX),
        last_restart,
    }
}

/// The STATUS kubectl prints for a pod: `Running`, `CrashLoopBackOff`,
/// `Init:1/3`, `Completed`, `Terminating`, `Evicted`, ... (see the module docs).
pub fn pod_status_reason(pod: &Pod) -> String {
    summarize(pod).status
}

/// READY column `(ready, total)`: ready regular containers plus started and ready
/// restartable init containers, over regular plus restartable init containers.
/// While init containers are still failing or pending, regular containers are
/// not counted as ready, exactly as kubectl does.
pub fn ready_count(pod: &Pod) -> (u32, u32) {
    let s = summarize(pod);
    (s.ready, s.total)
}

/// RESTARTS count and the time of the latest restart (the most recent
/// `lastState.terminated.finishedAt` among the containers kubectl counts).
pub fn restarts(pod: &Pod) -> (u32, Option<Timestamp>) {
    let s = summarize(pod);
    (s.restarts, s.last_restart)
}

/// The RESTARTS column, e.g. `0` or `5 (4m ago)`.
pub fn restarts_column(pod: &Pod, now: Timestamp) -> String {
    summarize(pod).restarts_column(now)
}

/// Kubernetes' `HumanDuration`: about two or three significant figures.
///
/// `0s`..`119s`, then `2m5s`..`9m59s` (seconds dropped when zero), minutes up
/// to `179m`, `3h5m`..`7h59m`, hours up to `47h`, `2d3h`..`7d23h`, days up to
/// `729d`, `2y10d`..`7y364d`, then years. A duration below -1s is `<invalid>`;
/// -1s up to 0 (clock skew) is `0s`.
pub fn human_duration(d: SignedDuration) -> String {
    let seconds = d.as_secs();
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    if seconds < 0 {
        return "0s".to_string();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{}h", hours / 24, h)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{}d", hours / 24 / 365, dy)
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// The AGE column: `<unknown>` without a (non-zero) creation time, `<invalid>`
/// for a creation time more than a second in the future, else
/// [`human_duration`] of the time elapsed.
pub fn age(created: Option<Timestamp>, now: Timestamp) -> String {
    match created {
        Some(t) if !is_go_zero(t) => human_duration(now.duration_since(t)),
        _ => "<unknown>".to_string(),
    }
}

/// True for the Go zero time (`0001-01-01T00:00:00Z`) or anything before it,
/// which kubectl treats as "no timestamp".
pub(crate) fn is_go_zero(t: Timestamp) -> bool {
    t.as_second() <= -62_135_596_800
}

/// `Reason`, else `Signal:N`, else `ExitCode:N` for a terminated container.
fn terminated_reason(reason: Option<&str>, signal: Option<i32>, exit_code: i32) -> String {
    match (reason.filter(|r| !r.is_empty()), signal.unwrap_or(0)) {
        (Some(r), _) => r.to_string(),
        (None, 0) => format!("ExitCode:{exit_code}"),
        (None, s) => format!("Signal:{s}"),
    }
}

/// An init container with `restartPolicy: Always` (a sidecar).
fn is_restartable(c: &Container) -> bool {
    c.restart_policy.as_deref() == Some("Always")
}

/// `lastState.terminated.finishedAt`, ignoring a Go zero time.
fn last_finished_at(cs: &ContainerStatus) -> Option<Timestamp> {
    cs.last_state
        .as_ref()
        .and_then(|s| s.terminated.as_ref())
        .and_then(|t| t.finished_at.as_ref())
        .map(|t| t.0)
        .filter(|t| !is_go_zero(*t))
}

fn later(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// The first condition of this type decides, as `isPodInitializedConditionTrue` does.
fn condition_is_true_first(conditions: &[PodCondition], type_: &str) -> bool {
    conditions
        .iter()
        .find(|c| c.type_ == type_)
        .is_some_and(|c| c.status == "True")
}

/// Any `Ready=True` condition, as `hasPodReadyCondition` does.
fn has_ready_condition(conditions: &[PodCondition]) -> bool {
    conditions
        .iter()
        .any(|c| c.type_ == "Ready" && c.status == "True")
}

fn count_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
