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
    // Situations the built-in detectors (`crate::alerts::detectors`) raise
    // that no single STATUS word names. `status_kind` never returns them;
    // their entries list no statuses.
    MemoryNearLimit,
    RestartSpike,
    RolloutStalled,
    ReplicasUnavailable,
    NodePressure,
    NodeNotReady,
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
    GUIDE
}

static GUIDE: &[GuideEntry] = &[
    GuideEntry {
        kind: StatusKind::Healthy,
        title: "Running and Ready",
        statuses: &["Running"],
        health: Health::Ok,
        meaning: "All containers run and pass their readiness checks, so the pod receives traffic from its Services. This pod is healthy.{history|}",
        next: &[always(
            "Nothing to do here; if users still see errors, look at the other pods of the workload and the events ({key.object_events|E})",
        )],
    },
    GuideEntry {
        kind: StatusKind::NotReady,
        title: "Running, not Ready",
        statuses: &["Running", "NotReady"],
        health: Health::NotReady,
        meaning: "{container|The container} runs, but its readiness probe{probe|} fails, so the Service sends it no traffic.{cause| The process is alive but does not answer that it is ready: often something it needs is missing (an environment variable, a config file), or something it depends on (a database, another service) does not answer in time.}{history|}",
        next: &[
            always(
                "Read the logs of {container|the container} ({key.logs|l}) for what it waits for or fails on",
            ),
            if_restarted("Read the previous container's logs too ({key.previous_logs|p})"),
            always(
                "Check the readiness probe{probe|}: does the application serve that path and port, and answer within the probe's timeout?",
            ),
            always(
                "Check that the configuration it needs is present: environment variables{env|}, ConfigMaps and Secrets",
            ),
            if_deployment(
                "If this began with a deploy, compare with the previous revision and consider rolling back ({key.history|h})",
            ),
        ],
    },
    GuideEntry {
        kind: StatusKind::CrashLoopOom,
        title: "CrashLoopBackOff after OOMKilled",
        statuses: &["CrashLoopBackOff"],
        health: Health::Failing,
        meaning: "{container|The container} keeps being killed for using more memory than {limit|its memory limit} (OOMKilled, exit code 137), and the kubelet now waits longer before each restart (CrashLoopBackOff).{restarted|}",
        next: &[
            always(
                "Read the previous container's logs ({key.previous_logs|p}) for what it did just before it was killed",
            ),
            always("If the workload really needs more memory, raise {limit|the memory limit}"),
            always(
                "If memory grows steadily until the kill, look for a leak or an unbounded cache or queue",
            ),
            if_deployment(
                "Check whether a deploy started it ({key.history|h}) and roll back if so",
            ),
        ],
    },
    GuideEntry {
        kind: StatusKind::CrashLoop,
        title: "CrashLoopBackOff",
        statuses: &["CrashLoopBackOff"],
        health: Health::Failing,
        meaning: "{container|The container} starts and then exits{exit|} again and again; the kubelet restarts it with a growing delay, up to five minutes, between attempts.{restarted|}",
        next: &[
            always(
                "Read the previous container's logs ({key.previous_logs|p}): the last lines before the exit usually say why",
            ),
            always(
                "Check the command and the configuration it starts with: environment variables{env|}, ConfigMaps, Secrets",
            ),
            always(
                "If its liveness probe{liveness|} kills it, check that the application answers it in time",
            ),
            always("Check the pod's events ({key.object_events|E})"),
            if_deployment(
                "If this began with a deploy, roll back to the previous revision ({key.history|h})",
            ),
        ],
    },
    GuideEntry {
        kind: StatusKind::OomKilled,
        title: "OOMKilled",
        statuses: &["OOMKilled", "Init:OOMKilled"],
        health: Health::Failing,
        meaning: "{container|The container} used more memory than {limit|its memory limit} and the kernel killed it (exit code 137). The kubelet restarts it; if that keeps happening the pod goes into CrashLoopBackOff.",
        next: &[
            always(
                "Read the previous container's logs ({key.previous_logs|p}) for what it did just before it was killed",
            ),
            always("If the workload really needs more memory, raise {limit|the memory limit}"),
            always(
                "If memory grows steadily until the kill, look for a leak or an unbounded cache or queue",
            ),
        ],
    },
    GuideEntry {
        kind: StatusKind::Exited,
        title: "Error, ExitCode, Signal",
        statuses: &[
            "Error",
            "ExitCode:N",
            "Signal:N",
            "StartError",
            "ContainerStatusUnknown",
        ],
        health: Health::Failing,
        meaning: "{container|The container} has stopped{exit|EXIT_CODES}.",
        next: &[
            always(
                "Read the logs of {container|the container} ({key.logs|l}), and of the previous run ({key.previous_logs|p}) if it restarted",
            ),
            always(
                "Check the pod's events ({key.object_events|E}) for a failed liveness probe or a kill",
            ),
            always(
                "Check the command and configuration it starts with: environment variables{env|}, ConfigMaps, Secrets",
            ),
        ],
    },
    GuideEntry {
        kind: StatusKind::ImagePull,
        title: "ErrImagePull, ImagePullBackOff",
        statuses: &[
            "ErrImagePull",
            "ImagePullBackOff",
            "InvalidImageName",
            "ErrImageNeverPull",
        ],
        health: Health::Failing,
        meaning: "The kubelet cannot download {image|the container's image}, so {container|the container} cannot start. It keeps retrying with a growing delay (ImagePullBackOff).{message|}",
        next: &[
            always(
                "Check the image name and tag{image_ref|} for typos, and that this tag was pushed to the registry",
            ),
            always(
                "For a private registry, check the pod's imagePullSecrets and that those credentials still work",
            ),
            always(
                "Read the pod's events ({key.object_events|E}) for the registry's exact answer: not found, unauthorized, or a timeout",
            ),
            if_deployment(
                "If a deploy changed the image, roll back to the previous revision ({key.history|h})",
            ),
        ],
    },
    GuideEntry {
        kind: StatusKind::ConfigError,
        title: "CreateContainerConfigError",
        statuses: &["CreateContainerConfigError"],
        health: Health::Failing,
        meaning: "The kubelet cannot assemble the configuration of {container|the container}, so it never starts: usually a ConfigMap or Secret it uses (in env, envFrom or a volume) does not exist, or lacks the key it names.{message|}",
        next: &[
            always(
                "Find the ConfigMap, Secret or key the message names, and check that it exists in {namespace|the pod's namespace}",
            ),
            always("Create or fix it; the kubelet retries by itself"),
            always("Check the pod's events ({key.object_events|E})"),
        ],
    },
    GuideEntry {
        kind: StatusKind::CannotRun,
        title: "CreateContainerError, RunContainerError, ContainerCannotRun",
        statuses: &[
            "CreateContainerError",
            "RunContainerError",
            "ContainerCannotRun",
        ],
        health: Health::Failing,
        meaning: "The container runtime could not create or start {container|the container}: often its command does not exist in the image, a volume mount is invalid, or a security setting forbids it.{message|}",
        next: &[
            always("Read the runtime's message in the pod's events ({key.object_events|E})"),
            always("Check the command and args against {image|the image}"),
            always("Check volume mounts and the securityContext"),
        ],
    },
    GuideEntry {
        kind: StatusKind::Creating,
        title: "ContainerCreating, PodInitializing",
        statuses: &["ContainerCreating", "PodInitializing", "Pending"],
        health: Health::Progressing,
        meaning: "The pod has been placed on {node|a node} and the kubelet is preparing it: downloading images, mounting volumes, setting up the network. This normally takes seconds; minutes mean something is stuck.{history|}",
        next: &[
            always(
                "Check the pod's events ({key.object_events|E}) for FailedMount, FailedAttachVolume or a slow image pull",
            ),
            always(
                "Check that the volumes, PersistentVolumeClaims, ConfigMaps and Secrets it mounts exist",
            ),
            always("A large image can take minutes to download; wait for a Pulled event"),
        ],
    },
    GuideEntry {
        kind: StatusKind::Unscheduled,
        title: "Pending",
        statuses: &["Pending"],
        health: Health::Progressing,
        meaning: "The pod is waiting for a node: the scheduler has not found one that fits it, usually because none has enough free CPU or memory for its requests{requests|}, or its node selector, affinity or tolerations rule the nodes out.{scheduler|}",
        next: &[
            always(
                "Read the pod's events ({key.object_events|E}) for FailedScheduling and the reason it gives",
            ),
            always("Compare its requests{requests|} with what the nodes have allocatable and free"),
            always(
                "Check its nodeSelector, affinity, and the nodes' taints against its tolerations",
            ),
            always("If the cluster autoscales, check whether a node is being added"),
        ],
    },
    GuideEntry {
        kind: StatusKind::SchedulingGated,
        title: "SchedulingGated",
        statuses: &["SchedulingGated"],
        health: Health::Progressing,
        meaning: "The pod has scheduling gates: the scheduler will not place it until the controller that set them (often a queue or quota system) removes them.",
        next: &[always(
            "Check spec.schedulingGates and the controller that manages them",
        )],
    },
    GuideEntry {
        kind: StatusKind::InitRunning,
        title: "Init:N/M",
        statuses: &["Init:N/M"],
        health: Health::Progressing,
        meaning: "{init|An init container} has not finished yet. Init containers run one after another before the main containers start, and the pod stays in Init until each has exited successfully.",
        next: &[
            always(
                "Read the logs of {init|the init container} ({key.logs|l}): it often waits for a dependency such as a database or a migration",
            ),
            always("Check the pod's events ({key.object_events|E}) if it is not even running yet"),
        ],
    },
    GuideEntry {
        kind: StatusKind::InitFailing,
        title: "Init:CrashLoopBackOff, Init:Error, Init:ExitCode:N",
        statuses: &[
            "Init:CrashLoopBackOff",
            "Init:Error",
            "Init:ExitCode:N",
            "Init:Signal:N",
        ],
        health: Health::Failing,
        meaning: "{init|An init container} failed{exit|}, so the pod's main containers never start. The kubelet retries it, waiting longer after each failure.",
        next: &[
            always(
                "Read the logs of {init|the init container} ({key.logs|l}) and of its previous attempt ({key.previous_logs|p})",
            ),
            always(
                "Check what it needs: a reachable dependency, credentials, a migration that can succeed",
            ),
            always("Check the pod's events ({key.object_events|E})"),
        ],
    },
    GuideEntry {
        kind: StatusKind::Evicted,
        title: "Evicted",
        statuses: &["Evicted"],
        health: Health::Failing,
        meaning: "The kubelet on {node|its node} evicted the pod to protect the node, which was running short of memory, disk or process IDs.{message|} An evicted pod never restarts; its controller creates a replacement.",
        next: &[
            always(
                "Check {node|the node}'s conditions for MemoryPressure, DiskPressure or PIDPressure",
            ),
            always(
                "Compare the pod's usage with its requests{requests|}: pods using most above their requests are evicted first",
            ),
            always("Delete evicted pods once understood; they are only a record"),
        ],
    },
    GuideEntry {
        kind: StatusKind::Terminating,
        title: "Terminating",
        statuses: &["Terminating"],
        health: Health::Progressing,
        meaning: "The pod is being deleted. Its containers get SIGTERM, and SIGKILL when the grace period{grace|} ends. A pod that stays Terminating long after that is held by a finalizer{finalizers|} or by a node that stopped reporting.",
        next: &[
            always("Check how long ago the deletion started against the grace period"),
            always("Check metadata.finalizers and the controller that should remove them"),
            always(
                "Check whether {node|its node} is Ready; force deletion is only safe once you know the containers have stopped",
            ),
        ],
    },
    GuideEntry {
        kind: StatusKind::Completed,
        title: "Completed",
        statuses: &["Completed", "Succeeded"],
        health: Health::Ok,
        meaning: "The containers ran to the end and exited with code 0. That is the expected end of a Job or a one-off task; for a long-running service it means the process exited when it should not have.",
        next: &[
            always("If this is a Job, nothing to do"),
            always("If it should keep running, read its logs ({key.logs|l}) to see why it exited"),
        ],
    },
    GuideEntry {
        kind: StatusKind::Failed,
        title: "Failed, DeadlineExceeded",
        statuses: &["Failed", "DeadlineExceeded"],
        health: Health::Failing,
        meaning: "The pod has stopped for good: its containers failed and its restart policy does not restart them, or the system stopped it.{message|}",
        next: &[
            always("Read the logs ({key.logs|l}) of the containers that failed"),
            always("Check the pod's events ({key.object_events|E})"),
            always("Check the owning Job or controller: it decides whether a new pod is made"),
        ],
    },
    GuideEntry {
        kind: StatusKind::NodeLost,
        title: "Unknown, NodeLost",
        statuses: &["Unknown", "NodeLost"],
        health: Health::Failing,
        meaning: "{node|The pod's node} stopped reporting to the control plane, so nobody knows whether the containers still run. Kubernetes deletes the pod and its controller starts a replacement elsewhere.",
        next: &[
            always("Check {node|the node}'s Ready condition and when it last reported"),
            always("Check the machine itself: power, network, the kubelet"),
            always(
                "StatefulSet pods are not replaced until the node is known to be gone: delete the Node object once it is",
            ),
        ],
    },
    // Entries without a STATUS word, raised by the built-in detectors.
    detector_entries::MEMORY_NEAR_LIMIT,
    detector_entries::RESTART_SPIKE,
    detector_entries::ROLLOUT_STALLED,
    detector_entries::REPLICAS_UNAVAILABLE,
    detector_entries::NODE_PRESSURE,
    detector_entries::NODE_NOT_READY,
    GuideEntry {
        kind: StatusKind::Other,
        title: "Other statuses",
        statuses: &[],
        health: Health::Failing,
        meaning: "Kubernetes reports {status|a status not listed here} for this pod.{message|}",
        next: &[
            always("Read the pod's events ({key.object_events|E})"),
            always(
                "Read the logs of its containers ({key.logs|l}), and of the previous run ({key.previous_logs|p}) if one restarted",
            ),
        ],
    },
];

fn entry(kind: StatusKind) -> &'static GuideEntry {
    GUIDE
        .iter()
        .find(|e| e.kind == kind)
        .unwrap_or(&GUIDE[GUIDE.len() - 1])
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

mod detector_entries;

#[cfg(test)]
mod tests;
