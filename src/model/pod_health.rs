//! A pod as the console keeps it: a compact summary made once, at the edge,
//! from the API object, plus what its status means for someone on call.
//!
//! `PodInfo::from_pod` is the only place that reads a `k8s_openapi` Pod; the
//! rest of the console (state, views, detectors) works on `PodInfo`.
//! STATUS, READY and RESTARTS come from [`pod_status::summarize`], so the
//! console shows the same words `kubectl get pods` prints; everything else is
//! read here, once, with missing fields taken as their Go zero values.

use std::borrow::Cow;
use std::collections::BTreeMap;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{
    Container, ContainerStateTerminated, ContainerStatus, Pod, ResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::labels::Labels;
use super::pod_status::{self, is_go_zero};
use super::quantity;

pub use super::explain::{Explanation, explain};

/// The label the Deployment controller puts on a ReplicaSet and its pods;
/// the ReplicaSet's name is `<deployment>-<hash>`.
pub const POD_TEMPLATE_HASH: &str = "pod-template-hash";

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

impl Health {
    /// Classifies a kubectl STATUS string and the READY counts.
    ///
    /// The STATUS decides, except that `Running` is only healthy when every
    /// counted container is ready: "Running" alone is how a pod that serves
    /// no traffic hides in `kubectl get pods`. Statuses this function does not
    /// know are `Failing`, because Kubernetes puts new failure reasons there
    /// (`UnexpectedAdmissionError`, `OutOfcpu`, `Shutdown`…) and an unknown
    /// word on an incident screen deserves a look.
    pub fn classify(status: &str, ready: u32, total: u32) -> Health {
        match status {
            "Running" if ready >= total => Health::Ok,
            "Running" | "NotReady" => Health::NotReady,
            "Completed" | "Succeeded" => Health::Ok,
            // A pod the kubelet has not reported yet has no status at all.
            "" | "Pending" | "ContainerCreating" | "PodInitializing" | "Terminating"
            | "SchedulingGated" => Health::Progressing,
            s => match s.strip_prefix("Init:") {
                Some(rest) if is_init_progress(rest) => Health::Progressing,
                Some("ContainerCreating" | "PodInitializing") => Health::Progressing,
                _ => Health::Failing,
            },
        }
    }
}

/// `N/M` as in `Init:1/3`: init containers still running in order.
fn is_init_progress(s: &str) -> bool {
    s.split_once('/').is_some_and(|(a, b)| {
        !a.is_empty()
            && !b.is_empty()
            && a.bytes().all(|c| c.is_ascii_digit())
            && b.bytes().all(|c| c.is_ascii_digit())
    })
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

impl Termination {
    /// `OOMKilled exit 137`, `Error exit 1`, `exit 143` without a reason,
    /// with ` signal 9` added when the runtime reported a signal.
    pub fn short(&self) -> String {
        let mut s = if self.reason.is_empty() {
            format!("exit {}", self.exit_code)
        } else {
            format!("{} exit {}", self.reason, self.exit_code)
        };
        if let Some(sig) = self.signal {
            s.push_str(&format!(" signal {sig}"));
        }
        s
    }

    /// Killed for exceeding its memory limit (or by the node's OOM killer).
    pub fn oom_killed(&self) -> bool {
        self.reason == "OOMKilled"
    }

    fn from_api(container: &str, t: &ContainerStateTerminated) -> Termination {
        Termination {
            container: container.to_string(),
            reason: t.reason.clone().unwrap_or_default(),
            exit_code: t.exit_code,
            signal: t.signal.filter(|s| *s != 0),
            finished_at: time(t.finished_at.as_ref()),
            message: non_empty(t.message.as_deref()),
        }
    }
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

/// Which of a container's three probes: liveness restarts it, readiness
/// takes it out of its Services, startup holds the other two back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeKind {
    Liveness,
    Readiness,
    Startup,
}

impl ProbeKind {
    /// `liveness`, `readiness`, `startup`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeKind::Liveness => "liveness",
            ProbeKind::Readiness => "readiness",
            ProbeKind::Startup => "startup",
        }
    }
}

/// A configured probe, in words: `readiness GET :8080/ready every 5s, fails after 3`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub kind: ProbeKind,
    /// `GET :8080/healthz`, `TCP :5432`, `exec cat /tmp/ready`, `gRPC :9090`.
    pub action: String,
    pub initial_delay_s: i32,
    pub period_s: i32,
    /// `timeoutSeconds`: how long one probe waits for an answer (1 s
    /// unless set).
    pub timeout_s: i32,
    pub failure_threshold: i32,
}

impl Probe {
    /// `readiness GET :8080/ready every 5s, 1s timeout, fails after 3` —
    /// the whole probe in one line, with the defaults the API server fills
    /// in spelled out.
    pub fn describe(&self) -> String {
        let mut s = format!(
            "{} {} every {}s, {}s timeout, fails after {}",
            self.kind.as_str(),
            self.action,
            self.period_s,
            self.timeout_s,
            self.failure_threshold
        );
        if self.initial_delay_s > 0 {
            s.push_str(&format!(", first after {}s", self.initial_delay_s));
        }
        s
    }
}

/// CPU in millicores and memory in bytes, each only when set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resources {
    pub cpu_milli: Option<u64>,
    pub memory_bytes: Option<u64>,
}

impl Resources {
    /// `cpu` and `memory` of a requests or limits map.
    pub fn from_map(
        map: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>,
    ) -> Resources {
        let get = |k: &str| map.and_then(|m| m.get(k)).map(|q| q.0.as_str());
        Resources {
            cpu_milli: get("cpu").and_then(quantity::milli_value),
            memory_bytes: get("memory").and_then(quantity::value),
        }
    }

    /// `cpu 250m, memory 256Mi`, leaving out what is not set; empty when
    /// neither is.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = self.cpu_milli {
            parts.push(format!("cpu {}", quantity::format_milli(c)));
        }
        if let Some(m) = self.memory_bytes {
            parts.push(format!("memory {}", quantity::format_bytes(m)));
        }
        parts.join(", ")
    }
}

/// One container of a pod, its spec and its status joined by name, so the
/// detail pane can say what runs, how it is probed and what it may use
/// without going back to the API object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerInfo {
    pub name: String,
    pub image: String,
    /// An init container (including restartable sidecars).
    pub init: bool,
    /// An init container with `restartPolicy: Always`: it keeps running next
    /// to the app and counts toward READY, as kubectl counts it.
    pub sidecar: bool,
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

impl ContainerInfo {
    /// The probe of this kind, if configured.
    pub fn probe(&self, kind: ProbeKind) -> Option<&Probe> {
        self.probes.iter().find(|p| p.kind == kind)
    }

    /// The reason it waits (`CrashLoopBackOff`, `ErrImagePull`…), if it waits.
    pub fn waiting_reason(&self) -> Option<&str> {
        match &self.state {
            ContainerState::Waiting { reason, .. } => Some(reason),
            _ => None,
        }
    }

    fn from_api(c: &Container, status: Option<&ContainerStatus>, init: bool) -> ContainerInfo {
        let state = status
            .and_then(|s| s.state.as_ref())
            .map_or(ContainerState::Unknown, |st| {
                if let Some(w) = &st.waiting {
                    ContainerState::Waiting {
                        reason: w.reason.clone().unwrap_or_default(),
                        message: non_empty(w.message.as_deref()),
                    }
                } else if let Some(t) = &st.terminated {
                    ContainerState::Terminated(Termination::from_api(&c.name, t))
                } else if let Some(r) = &st.running {
                    ContainerState::Running {
                        since: time(r.started_at.as_ref()),
                    }
                } else {
                    ContainerState::Unknown
                }
            });
        let probes = [
            (ProbeKind::Liveness, &c.liveness_probe),
            (ProbeKind::Readiness, &c.readiness_probe),
            (ProbeKind::Startup, &c.startup_probe),
        ]
        .into_iter()
        .filter_map(|(kind, p)| p.as_ref().map(|p| probe(kind, p)))
        .collect();
        let resources: Option<&ResourceRequirements> = c.resources.as_ref();
        let image = match c.image.as_deref() {
            Some(i) if !i.is_empty() => i.to_string(),
            _ => status.map(|s| s.image.clone()).unwrap_or_default(),
        };
        ContainerInfo {
            name: c.name.clone(),
            image,
            init,
            sidecar: init && c.restart_policy.as_deref() == Some("Always"),
            ready: status.is_some_and(|s| s.ready),
            restarts: status.map_or(0, |s| clamp_u32(i64::from(s.restart_count))),
            state,
            last: status
                .and_then(|s| s.last_state.as_ref())
                .and_then(|s| s.terminated.as_ref())
                .map(|t| Termination::from_api(&c.name, t)),
            probes,
            requests: Resources::from_map(resources.and_then(|r| r.requests.as_ref())),
            limits: Resources::from_map(resources.and_then(|r| r.limits.as_ref())),
            env_names: c.env.iter().flatten().map(|e| e.name.clone()).collect(),
        }
    }
}

/// A probe's action in words, the way an engineer would say it.
fn probe(kind: ProbeKind, p: &k8s_openapi::api::core::v1::Probe) -> Probe {
    let port = |p: &IntOrString| match p {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::String(s) => s.clone(),
    };
    let action = if let Some(h) = &p.http_get {
        let path = h.path.as_deref().unwrap_or("");
        let slash = if path.starts_with('/') { "" } else { "/" };
        let scheme = if h.scheme.as_deref() == Some("HTTPS") {
            "https://"
        } else {
            ""
        };
        let host = h.host.as_deref().unwrap_or("");
        format!("GET {scheme}{host}:{}{slash}{path}", port(&h.port))
    } else if let Some(t) = &p.tcp_socket {
        format!("TCP {}:{}", t.host.as_deref().unwrap_or(""), port(&t.port))
    } else if let Some(e) = &p.exec {
        let command = e.command.as_deref().unwrap_or(&[]).join(" ");
        format!("exec {command}").trim_end().to_string()
    } else if let Some(g) = &p.grpc {
        match g.service.as_deref().filter(|s| !s.is_empty()) {
            Some(svc) => format!("gRPC :{} service {svc}", g.port),
            None => format!("gRPC :{}", g.port),
        }
    } else {
        "(no action)".to_string()
    };
    // The API server defaults zero periods and thresholds; mirror that.
    let positive_or = |v: Option<i32>, default: i32| v.filter(|n| *n > 0).unwrap_or(default);
    Probe {
        kind,
        action,
        initial_delay_s: p.initial_delay_seconds.unwrap_or(0).max(0),
        period_s: positive_or(p.period_seconds, 10),
        timeout_s: positive_or(p.timeout_seconds, 1),
        failure_threshold: positive_or(p.failure_threshold, 3),
    }
}

/// A pod or node condition: `Ready False ContainersNotReady since 14:03`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// Known kinds are static strings: 10,000 pods × five conditions would
    /// otherwise hold 100,000 copies of "PodScheduled" and "True".
    pub kind: Cow<'static, str>,
    /// `True`, `False` or `Unknown`.
    pub status: Cow<'static, str>,
    pub reason: Option<String>,
    pub message: Option<String>,
    pub since: Option<Timestamp>,
}

/// Condition kinds of pods, nodes and workloads, kept without allocation.
const KNOWN_CONDITIONS: &[&str] = &[
    "Ready",
    "ContainersReady",
    "Initialized",
    "PodScheduled",
    "PodReadyToStartContainers",
    "DisruptionTarget",
    "MemoryPressure",
    "DiskPressure",
    "PIDPressure",
    "NetworkUnavailable",
    "Available",
    "Progressing",
    "ReplicaFailure",
];

/// A static copy of `s` when it is one of `table`, else an owned one.
pub fn known(s: &str, table: &[&'static str]) -> Cow<'static, str> {
    match table.iter().find(|k| **k == s) {
        Some(k) => Cow::Borrowed(k),
        None => Cow::Owned(s.to_string()),
    }
}

impl Condition {
    /// One condition of any kind of object (they all share this shape);
    /// empty reasons and messages become `None`, a Go zero time no time.
    pub fn new(
        kind: &str,
        status: &str,
        reason: Option<&str>,
        message: Option<&str>,
        since: Option<&Time>,
    ) -> Condition {
        Condition {
            kind: known(kind, KNOWN_CONDITIONS),
            status: known(status, &["True", "False", "Unknown"]),
            reason: non_empty(reason),
            message: non_empty(message),
            since: time(since),
        }
    }

    /// Status `True`; `Unknown` is not true.
    pub fn is_true(&self) -> bool {
        self.status == "True"
    }
}

/// A pod as the console keeps it: the columns `kubectl get pods` shows, the
/// health class that picks its style, and what the detail pane and the
/// explanation need. Made once per watch event by [`PodInfo::from_pod`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodInfo {
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub created: Option<Timestamp>,
    /// Has a deletionTimestamp.
    pub deleting: bool,
    /// The deletionTimestamp: when the grace period ends and SIGKILL is due.
    pub deleting_since: Option<Timestamp>,
    /// `metadata.deletionGracePeriodSeconds` while deleting, else
    /// `spec.terminationGracePeriodSeconds`.
    pub grace_period_s: Option<i64>,
    /// `metadata.finalizers`: what can hold a pod in Terminating.
    pub finalizers: Vec<String>,
    pub labels: Labels,
    pub owner: Option<Owner>,
    pub node: Option<String>,
    pub pod_ip: Option<String>,
    /// `status.phase`.
    pub phase: String,
    /// `status.reason` (`Evicted`, `NodeLost`, `DeadlineExceeded`…).
    pub status_reason: Option<String>,
    /// `status.message`, e.g. why the pod was evicted.
    pub status_message: Option<String>,
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
    /// Init containers first, then regular ones, each in spec order.
    pub containers: Vec<ContainerInfo>,
    pub conditions: Vec<Condition>,
    /// Sums over regular containers.
    pub requests: Resources,
    pub limits: Resources,
    pub qos_class: Option<String>,
    /// The ConfigMaps and Secrets its spec reads (names and keys only).
    pub config_refs: Vec<super::config_ref::ConfigRef>,
}

impl PodInfo {
    /// Converts an API pod. Never panics on partial objects.
    pub fn from_pod(pod: &Pod) -> PodInfo {
        let meta = &pod.metadata;
        let spec = pod.spec.as_ref();
        let status = pod.status.as_ref();
        let summary = pod_status::summarize(pod);
        let labels = meta.labels.clone().unwrap_or_default();

        let init_statuses = status
            .and_then(|s| s.init_container_statuses.as_deref())
            .unwrap_or(&[]);
        let regular_statuses = status
            .and_then(|s| s.container_statuses.as_deref())
            .unwrap_or(&[]);
        let join = |specs: &[Container], sts: &[ContainerStatus], init: bool| {
            specs
                .iter()
                .map(|c| ContainerInfo::from_api(c, sts.iter().find(|s| s.name == c.name), init))
                .collect::<Vec<_>>()
        };
        let mut containers = join(
            spec.and_then(|s| s.init_containers.as_deref())
                .unwrap_or(&[]),
            init_statuses,
            true,
        );
        containers.extend(join(
            spec.map_or(&[][..], |s| s.containers.as_slice()),
            regular_statuses,
            false,
        ));

        let conditions: Vec<Condition> = status
            .and_then(|s| s.conditions.as_deref())
            .unwrap_or(&[])
            .iter()
            .map(|c| {
                Condition::new(
                    &c.type_,
                    &c.status,
                    c.reason.as_deref(),
                    c.message.as_deref(),
                    c.last_transition_time.as_ref(),
                )
            })
            .collect();
        let ready_changed = conditions
            .iter()
            .find(|c| c.kind == "Ready")
            .and_then(|c| c.since);

        let regular: Vec<&ContainerInfo> = containers.iter().filter(|c| !c.init).collect();
        let requests = Resources {
            cpu_milli: sum_set(regular.iter().map(|c| c.requests.cpu_milli)),
            memory_bytes: sum_set(regular.iter().map(|c| c.requests.memory_bytes)),
        };
        let limits = Resources {
            cpu_milli: sum_all(regular.iter().map(|c| c.limits.cpu_milli)),
            memory_bytes: sum_all(regular.iter().map(|c| c.limits.memory_bytes)),
        };

        let last_termination = last_termination(regular_statuses, init_statuses, spec);
        let health = Health::classify(&summary.status, summary.ready, summary.total);
        let deleting_since = meta.deletion_timestamp.as_ref().map(|t| t.0);

        PodInfo {
            namespace: meta.namespace.clone().unwrap_or_default(),
            name: meta.name.clone().unwrap_or_default(),
            uid: meta.uid.clone().unwrap_or_default(),
            created: time(meta.creation_timestamp.as_ref()),
            deleting: deleting_since.is_some(),
            deleting_since,
            grace_period_s: meta
                .deletion_grace_period_seconds
                .or_else(|| spec.and_then(|s| s.termination_grace_period_seconds)),
            finalizers: meta.finalizers.clone().unwrap_or_default(),
            owner: owner(meta, &labels),
            labels: Labels::from(labels),
            node: non_empty(spec.and_then(|s| s.node_name.as_deref())),
            pod_ip: non_empty(status.and_then(|s| s.pod_ip.as_deref())),
            phase: status.and_then(|s| s.phase.clone()).unwrap_or_default(),
            status_reason: non_empty(status.and_then(|s| s.reason.as_deref())),
            status_message: non_empty(status.and_then(|s| s.message.as_deref())),
            status: summary.status,
            health,
            ready: summary.ready,
            total: summary.total,
            restarts: summary.restarts,
            last_restart: summary.last_restart,
            last_termination,
            ready_changed,
            containers,
            conditions,
            requests,
            limits,
            qos_class: non_empty(status.and_then(|s| s.qos_class.as_deref())),
            config_refs: spec.map(super::config_ref::pod_refs).unwrap_or_default(),
        }
    }

    /// `namespace/name`, the key the console uses for a pod.
    pub fn key(&self) -> crate::model::ObjectKey {
        crate::model::ObjectKey::new(&self.namespace, &self.name)
    }

    /// Running but not Ready.
    pub fn running_not_ready(&self) -> bool {
        self.health == Health::NotReady
    }

    /// A condition by type (`Ready`, `PodScheduled`…).
    pub fn condition(&self, kind: &str) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.kind == kind)
    }

    /// A container (init or regular) by name.
    pub fn container(&self, name: &str) -> Option<&ContainerInfo> {
        self.containers.iter().find(|c| c.name == name)
    }
}

/// The controller that owns the pod. A ReplicaSet named `<d>-<hash>` whose
/// hash the pod carries as `pod-template-hash` was made by the Deployment
/// `<d>`, which is what an engineer means by "the workload"; any other
/// controller is reported as it is written.
fn owner(meta: &ObjectMeta, labels: &BTreeMap<String, String>) -> Option<Owner> {
    let r = meta
        .owner_references
        .as_deref()?
        .iter()
        .find(|r| r.controller == Some(true))?;
    if r.kind == "ReplicaSet"
        && let Some(hash) = labels.get(POD_TEMPLATE_HASH).filter(|h| !h.is_empty())
        && let Some(deployment) = r
            .name
            .strip_suffix(hash.as_str())
            .and_then(|n| n.strip_suffix('-'))
            .filter(|n| !n.is_empty())
    {
        return Some(Owner {
            kind: "Deployment".to_string(),
            name: deployment.to_string(),
        });
    }
    Some(Owner {
        kind: r.kind.clone(),
        name: r.name.clone(),
    })
}

/// The most recent of every container's current and previous terminations,
/// regular containers first; an unknown or equal `finishedAt` keeps the one
/// found first.
///
/// An init container that finished with exit 0 is left out: that is how init
/// containers are meant to end, and every healthy pod with one would
/// otherwise show `Completed exit 0` as its last termination. A failure of
/// the same init container before it succeeded (`lastState`) still counts.
fn last_termination(
    regular: &[ContainerStatus],
    init: &[ContainerStatus],
    spec: Option<&k8s_openapi::api::core::v1::PodSpec>,
) -> Option<Termination> {
    let sidecar = |name: &str| {
        spec.and_then(|s| s.init_containers.as_deref())
            .unwrap_or(&[])
            .iter()
            .any(|c| c.name == name && c.restart_policy.as_deref() == Some("Always"))
    };
    let candidates = regular
        .iter()
        .map(|s| (s, false))
        .chain(init.iter().map(|s| (s, true)))
        .flat_map(|(s, is_init)| {
            let current = s
                .state
                .as_ref()
                .and_then(|st| st.terminated.as_ref())
                .filter(|t| !(is_init && t.exit_code == 0 && !sidecar(&s.name)));
            let last = s.last_state.as_ref().and_then(|st| st.terminated.as_ref());
            current
                .into_iter()
                .chain(last)
                .map(|t| Termination::from_api(&s.name, t))
        });
    let mut best: Option<Termination> = None;
    for t in candidates {
        let newer = match &best {
            None => true,
            Some(b) => match (t.finished_at, b.finished_at) {
                (Some(new), Some(old)) => new > old,
                (Some(_), None) => true,
                _ => false,
            },
        };
        if newer {
            best = Some(t);
        }
    }
    best
}

/// The sum of the values that are set; `None` when none is.
fn sum_set(values: impl Iterator<Item = Option<u64>>) -> Option<u64> {
    values
        .flatten()
        .fold(None, |acc, v| Some(acc.unwrap_or(0u64).saturating_add(v)))
}

/// The sum when every value is set; one missing limit makes the pod's total
/// unbounded (`None`), as a container without a limit can use the whole node.
fn sum_all(values: impl Iterator<Item = Option<u64>>) -> Option<u64> {
    let mut total = None;
    for v in values {
        total = Some(total.unwrap_or(0u64).saturating_add(v?));
    }
    total
}

/// A time, unless absent or the Go zero time.
pub(crate) fn time(t: Option<&Time>) -> Option<Timestamp> {
    t.map(|t| t.0).filter(|t| !is_go_zero(*t))
}

/// An owned string, unless absent or empty (Go's zero string).
pub(crate) fn non_empty(s: Option<&str>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(str::to_string)
}

/// A count from the API as `u32`: negatives are 0, huge values saturate.
pub(crate) fn clamp_u32(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
