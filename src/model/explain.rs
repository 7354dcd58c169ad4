//! What a pod's status means, in plain English for someone new to
//! Kubernetes, and what to check next.
//!
//! The texts live in one table, [`status_guide`], written as templates with
//! slots: `{container|The container} runs` reads "Container checkout runs"
//! for a pod whose `checkout` container is the one in trouble, and "The
//! container runs" where no pod is at hand. [`explain`] fills the slots from
//! the pod; [`GuideEntry::generic_meaning`] and [`GuideEntry::generic_next`]
//! fill them with their generic words, which is what the README's status
//! guide is generated from. One table, so the help never drifts from the
//! console.

use super::pod_health::{ContainerInfo, ContainerState, Health, PodInfo, ProbeKind, Termination};
use super::quantity;

/// The situations [`explain`] tells apart, one [`GuideEntry`] each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusKind {
    Healthy,
    NotReady,
    CrashLoopOom,
    CrashLoop,
    OomKilled,
    Exited,
    ImagePull,
    ConfigError,
    CannotRun,
    Creating,
    Unscheduled,
    SchedulingGated,
    InitRunning,
    InitFailing,
    Evicted,
    Terminating,
    Completed,
    Failed,
    NodeLost,
    Other,
    // Situations the built-in detectors (`model::detectors`) raise
    // that no single STATUS word names. `status_kind` never returns them;
    // their entries list no statuses.
    MemoryNearLimit,
    RestartSpike,
    RolloutStalled,
    ReplicasUnavailable,
    NodePressure,
    NodeNotReady,
    HpaAtMax,
    QuotaExceeded,
    MemoryLimitSoon,
    ServiceNoEndpoints,
    JobFailed,
}

/// When a step is worth suggesting for a particular pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Always,
    /// The container in question has restarted, so there are previous logs.
    Restarted,
    /// The pod belongs to a Deployment, so there is a rollout history.
    Deployment,
}

/// One step of advice: a template, and when it applies to a pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub text: &'static str,
    pub when: When,
}

/// One row of the status guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuideEntry {
    pub kind: StatusKind,
    /// A heading: `Running, not Ready`.
    pub title: &'static str,
    /// The STATUS words (as `kubectl get pods` prints them) this entry covers.
    pub statuses: &'static [&'static str],
    pub health: Health,
    /// What it means: a template (see the module docs).
    pub meaning: &'static str,
    /// What to check, in order: templates.
    pub next: &'static [Step],
}

impl GuideEntry {
    /// The meaning with every slot in its generic words.
    pub fn generic_meaning(&self) -> String {
        render(self.meaning, &|_| None)
    }

    /// Every step with every slot in its generic words.
    pub fn generic_next(&self) -> Vec<String> {
        self.next
            .iter()
            .map(|s| render(s.text, &|_| None))
            .collect()
    }
}

/// A plain explanation of a status for someone new to Kubernetes: what it
/// means, and what to check next, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// Which guide entry this came from (its title is a good heading).
    pub kind: StatusKind,
    pub meaning: String,
    pub next: Vec<String>,
}

const fn always(text: &'static str) -> Step {
    Step {
        text,
        when: When::Always,
    }
}

const fn if_restarted(text: &'static str) -> Step {
    Step {
        text,
        when: When::Restarted,
    }
}

const fn if_deployment(text: &'static str) -> Step {
    Step {
        text,
        when: When::Deployment,
    }
}

const EXIT_CODES: &str = " with a non-zero exit code (1 is an application error, 137 means it was killed with SIGKILL, often for using too much memory, 143 that it was stopped with SIGTERM)";

/// Every status [`explain`] knows, with its generic meaning and steps, in the
/// order a guide should list them.
impl GuideEntry {
    /// The next steps that apply: those for restarted containers only when
    /// there were restarts, those for Deployments only for their pods.
    pub fn steps(&self, restarted: bool, deployment: bool) -> impl Iterator<Item = &Step> {
        self.next.iter().filter(move |s| match s.when {
            When::Always => true,
            When::Restarted => restarted,
            When::Deployment => deployment,
        })
    }
}

pub fn status_guide() -> &'static [GuideEntry] {
    guide::GUIDE
}

/// The guide's entry for `kind`.
pub fn guide_entry(kind: StatusKind) -> &'static GuideEntry {
    entry(kind)
}

fn entry(kind: StatusKind) -> &'static GuideEntry {
    let guide = status_guide();
    guide
        .iter()
        .find(|e| e.kind == kind)
        .unwrap_or(&guide[guide.len() - 1])
}

/// Which guide entry describes this pod.
pub fn status_kind(pod: &PodInfo) -> StatusKind {
    let s = pod.status.as_str();
    if pod.status_reason.as_deref() == Some("Evicted") && pod.phase == "Failed" {
        return StatusKind::Evicted;
    }
    if let Some(rest) = s.strip_prefix("Init:") {
        return match rest {
            "OOMKilled" => StatusKind::OomKilled,
            _ if pod.health == Health::Progressing => StatusKind::InitRunning,
            _ => StatusKind::InitFailing,
        };
    }
    match s {
        "Running" | "NotReady" if pod.health == Health::NotReady => StatusKind::NotReady,
        "Running" | "NotReady" => StatusKind::Healthy,
        "CrashLoopBackOff" => {
            let oom = culprit(pod, StatusKind::CrashLoop)
                .and_then(|c| c.last.as_ref())
                .or(pod.last_termination.as_ref())
                .is_some_and(Termination::oom_killed);
            if oom {
                StatusKind::CrashLoopOom
            } else {
                StatusKind::CrashLoop
            }
        }
        "OOMKilled" => StatusKind::OomKilled,
        "Error" | "StartError" | "ContainerStatusUnknown" => StatusKind::Exited,
        s if s.starts_with("ExitCode:") || s.starts_with("Signal:") => StatusKind::Exited,
        "ErrImagePull" | "ImagePullBackOff" | "InvalidImageName" | "ErrImageNeverPull" => {
            StatusKind::ImagePull
        }
        "CreateContainerConfigError" => StatusKind::ConfigError,
        "CreateContainerError" | "RunContainerError" | "ContainerCannotRun" => {
            StatusKind::CannotRun
        }
        "ContainerCreating" | "PodInitializing" => StatusKind::Creating,
        "Pending" | "" if pod.node.is_some() => StatusKind::Creating,
        "Pending" | "" => StatusKind::Unscheduled,
        "SchedulingGated" => StatusKind::SchedulingGated,
        "Evicted" => StatusKind::Evicted,
        "Terminating" => StatusKind::Terminating,
        "Completed" | "Succeeded" => StatusKind::Completed,
        "Failed" | "DeadlineExceeded" => StatusKind::Failed,
        "Unknown" | "NodeLost" => StatusKind::NodeLost,
        _ => StatusKind::Other,
    }
}

/// The container the status is about: the one waiting or terminated with the
/// status's reason, the first one not ready, or the first init container
/// that has not finished.
fn culprit(pod: &PodInfo, kind: StatusKind) -> Option<&ContainerInfo> {
    let status = pod.status.strip_prefix("Init:").unwrap_or(&pod.status);
    let candidates = || {
        pod.containers.iter().filter(move |c| match kind {
            StatusKind::InitRunning | StatusKind::InitFailing => c.init && !c.sidecar,
            _ => !c.init || c.sidecar,
        })
    };
    let with_reason = |c: &&ContainerInfo| match &c.state {
        ContainerState::Waiting { reason, .. } => reason == status,
        ContainerState::Terminated(t) => {
            t.reason == status
                || format!("ExitCode:{}", t.exit_code) == status
                || t.signal.is_some_and(|s| format!("Signal:{s}") == status)
        }
        _ => false,
    };
    let unfinished =
        |c: &&ContainerInfo| !matches!(&c.state, ContainerState::Terminated(t) if t.exit_code == 0);
    let not_ready =
        |c: &&ContainerInfo| !c.ready && matches!(c.state, ContainerState::Running { .. });
    match kind {
        StatusKind::InitRunning | StatusKind::InitFailing => candidates()
            .find(with_reason)
            .or_else(|| candidates().find(unfinished)),
        StatusKind::NotReady => candidates().find(not_ready),
        StatusKind::OomKilled => pod
            .containers
            .iter()
            .find(|c| matches!(&c.state, ContainerState::Terminated(t) if t.oom_killed())),
        _ => candidates().find(with_reason).or_else(|| {
            // Fall back to the container of the last termination.
            let t = pod.last_termination.as_ref()?;
            pod.container(&t.container)
        }),
    }
}

/// What an exit code usually means, for someone who has not memorised them.
pub fn exit_code_meaning(code: i32) -> &'static str {
    match code {
        0 => "it finished successfully",
        1 => "an application error: it stopped on its own, usually after logging why",
        2 => "often a wrong command-line argument",
        126 => "the command could not be executed (not executable, or a permission problem)",
        127 => "the command was not found in the image",
        134 => "it aborted (SIGABRT), often a failed assertion or a crash in native code",
        137 => {
            "it was killed with SIGKILL: by the out-of-memory killer, after a failed liveness probe, or when a stop took too long"
        }
        139 => "it crashed with a segmentation fault (SIGSEGV)",
        143 => {
            "it was stopped with SIGTERM: something asked it to shut down, such as a failed liveness probe, a deletion or a node drain"
        }
        c if c > 128 && c < 160 => "it was killed by a signal (the exit code minus 128)",
        _ => "the application's own code; its logs or documentation say what it means",
    }
}

/// What the pod's status means and what to check next, with this pod's
/// container names, probe, memory limit, exit code, image and messages;
/// keys are the default keymap's.
pub fn explain(pod: &PodInfo) -> Explanation {
    explain_with_keys(pod, &|_| None)
}

/// [`explain`], naming the keys of the keymap in use: `key(action)` gives
/// the key of an action (`logs` → `o`), `None` leaves the default's.
pub fn explain_with_keys(pod: &PodInfo, key: &dyn Fn(&str) -> Option<String>) -> Explanation {
    explain_in(pod, key, None)
}

/// [`explain_with_keys`], knowing also the newest probe failure the
/// kubelet reported for the pod (an `Unhealthy` event's message: "Readiness
/// probe failed: … context deadline exceeded"), so a probe that times out
/// or a liveness probe that restarts the container is explained as such.
pub fn explain_in(
    pod: &PodInfo,
    key: &dyn Fn(&str) -> Option<String>,
    probe_failure: Option<&str>,
) -> Explanation {
    let kind = status_kind(pod);
    let e = entry(kind);
    let c = culprit(pod, kind);
    let slot = |name: &str| match name.strip_prefix("key.") {
        Some(action) => key(action),
        None if name == "cause" => probe_cause(kind, c, probe_failure),
        None => slot(pod, kind, c, name),
    };
    let meaning = render(e.meaning, &slot);
    let restarted = c.map_or(pod.restarts, |c| c.restarts) > 0;
    let deployment = pod.owner.as_ref().is_some_and(|o| o.kind == "Deployment");
    let next = e
        .steps(restarted, deployment)
        .map(|s| render(s.text, &slot))
        .collect();
    Explanation {
        kind,
        meaning,
        next,
    }
}

/// What a workload's state means and what to check next: a stalled
/// rollout, or replicas unavailable; `None` while it is healthy, rolling
/// out or paused (its rollout line says so). Keys as for
/// [`explain_with_keys`].
pub fn explain_workload(
    w: &super::workload::WorkloadInfo,
    key: &dyn Fn(&str) -> Option<String>,
) -> Option<Explanation> {
    use super::workload::{Rollout, WorkloadKind};
    let kind = match w.rollout {
        Rollout::Stalled { .. } => StatusKind::RolloutStalled,
        Rollout::Complete if w.unavailable > 0 || w.ready < w.desired => {
            StatusKind::ReplicasUnavailable
        }
        _ => return None,
    };
    let e = entry(kind);
    let slot = |name: &str| name.strip_prefix("key.").and_then(key);
    let next = e
        .steps(false, w.kind == WorkloadKind::Deployment)
        .map(|s| render(s.text, &slot))
        .collect();
    Some(Explanation {
        kind,
        meaning: render(e.meaning, &slot),
        next,
    })
}

/// Why a running container is not Ready, when its probes say: the
/// liveness probe restarting it, or the readiness probe timing out.
/// `None` leaves the generic words (something missing or slow).
fn probe_cause(
    kind: StatusKind,
    c: Option<&ContainerInfo>,
    probe_failure: Option<&str>,
) -> Option<String> {
    if kind != StatusKind::NotReady {
        return None;
    }
    let c = c?;
    let failure = probe_failure.unwrap_or("").to_ascii_lowercase();
    let timed_out = ["timeout", "deadline exceeded", "timed out"]
        .iter()
        .any(|w| failure.contains(w));
    let liveness = c.probe(ProbeKind::Liveness);
    let killed = liveness.is_some()
        && c.restarts > 0
        && c.last.as_ref().is_some_and(|t| {
            t.reason != "OOMKilled"
                && (matches!(t.exit_code, 137 | 143) || failure.starts_with("liveness"))
        });
    let slow = "the process is alive but too slow to answer: overloaded, stuck (a deadlock, no free threads or connections), or waiting on something slow such as a database or another service, rather than misconfigured";
    if killed {
        let times = match c.restarts {
            1 => "once".to_string(),
            n => format!("{n} times"),
        };
        let action = liveness
            .map(|p| format!(" ({})", p.action))
            .unwrap_or_default();
        return Some(format!(
            " Its liveness probe{action} fails too, and the kubelet has killed and restarted it {times} for that (last exit code {}). A container that answers neither probe is usually not missing anything: {slow}.",
            c.last.as_ref().map_or(0, |t| t.exit_code)
        ));
    }
    if timed_out {
        let timeout = c
            .probe(ProbeKind::Readiness)
            .map(|p| format!(" within its {}s timeout", p.timeout_s))
            .unwrap_or_default();
        return Some(format!(" The probe gets no answer{timeout}: {slow}."));
    }
    None
}

/// The pod-specific words for one slot, or `None` to use the generic ones.
fn slot(pod: &PodInfo, kind: StatusKind, c: Option<&ContainerInfo>, name: &str) -> Option<String> {
    let quoted = |m: &str| {
        let m = m.trim();
        (!m.is_empty()).then(|| format!(" The kubelet reports: {}", sentence(m)))
    };
    match name {
        "container" => c.map(|c| format!("container {}", c.name)),
        "init" => c
            .filter(|c| c.init)
            .map(|c| format!("init container {}", c.name)),
        "probe" => c
            .and_then(|c| c.probe(ProbeKind::Readiness))
            .map(|p| format!(" ({})", p.action)),
        "liveness" => c
            .and_then(|c| c.probe(ProbeKind::Liveness))
            .map(|p| format!(" ({})", p.action)),
        "limit" => c
            .and_then(|c| c.limits.memory_bytes)
            .map(|b| format!("its memory limit of {}", quantity::format_bytes(b))),
        // Empty, not generic, for a container that has not restarted yet.
        "restarted" => c.map(|c| match c.restarts {
            0 => String::new(),
            1 => " It has restarted once.".to_string(),
            n => format!(" It has restarted {n} times."),
        }),
        "exit" => {
            let t = match (&c?.state, kind) {
                (ContainerState::Terminated(t), _) => Some(t),
                (_, StatusKind::CrashLoop | StatusKind::InitFailing) => c?.last.as_ref(),
                _ => None,
            }?;
            let signal = t
                .signal
                .map(|s| format!(", signal {s}"))
                .unwrap_or_default();
            Some(format!(
                " with exit code {}{signal} ({})",
                t.exit_code,
                exit_code_meaning(t.exit_code)
            ))
        }
        "env" => c.map(|c| {
            if c.env_names.is_empty() {
                " (it sets none directly)".to_string()
            } else {
                format!(" (it sets {})", c.env_names.join(", "))
            }
        }),
        "image" => c.map(|c| format!("image {}", c.image)),
        "image_ref" => c.map(|c| format!(" ({})", c.image)),
        "message" => match kind {
            StatusKind::Evicted | StatusKind::Failed | StatusKind::Other
                if pod.status_message.is_some() =>
            {
                pod.status_message
                    .as_deref()
                    .map(|m| format!(" {}", sentence(m)))
            }
            _ => match &c?.state {
                ContainerState::Waiting {
                    message: Some(m), ..
                } => quoted(m),
                ContainerState::Terminated(Termination {
                    message: Some(m), ..
                }) => quoted(m),
                _ => None,
            },
        },
        "namespace" => (!pod.namespace.is_empty()).then(|| format!("namespace {}", pod.namespace)),
        "node" => pod.node.as_ref().map(|n| format!("node {n}")),
        "requests" => {
            let r = pod.requests.describe();
            (!r.is_empty()).then(|| format!(" ({r})"))
        }
        "scheduler" => pod
            .condition("PodScheduled")
            .filter(|c| !c.is_true())
            .and_then(|c| c.message.as_deref())
            .map(|m| format!(" The scheduler says: {}", sentence(m))),
        "grace" => pod.grace_period_s.map(|g| format!(" ({g}s)")),
        "finalizers" => {
            (!pod.finalizers.is_empty()).then(|| format!(" (it has {})", pod.finalizers.join(", ")))
        }
        "status" => (!pod.status.is_empty()).then(|| pod.status.clone()),
        "history" => {
            let t = pod.last_termination.as_ref().filter(|_| pod.restarts > 0)?;
            let times = match pod.restarts {
                1 => "once".to_string(),
                n => format!("{n} times"),
            };
            Some(format!(
                " It has restarted {times}, most recently after container {} ended {}; watch whether that recurs.",
                t.container,
                t.short()
            ))
        }
        _ => None,
    }
}

/// A message from Kubernetes as the end of a sentence: trimmed, with a full
/// stop unless it already ends in punctuation.
fn sentence(m: &str) -> String {
    let m = m.trim();
    if m.ends_with(['.', '!', '?']) {
        m.to_string()
    } else {
        format!("{m}.")
    }
}

mod template;
#[cfg(test)]
pub(crate) use template::SLOTS;
pub use template::render;

mod batch_entries;
mod detector_entries;
mod guide;

#[cfg(test)]
mod tests;
