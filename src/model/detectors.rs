//! Built-in detectors: alerts computed from the watched state, for clusters
//! without Prometheus. Pure: no I/O and no clock (`now` is passed in).
//!
//! [`detect`] looks at every pod, then every workload, then every node,
//! once each, and allocates only for the alerts it returns (plus two small
//! maps: per workload with a pod not Ready, per node with evicted pods). It
//! is meant to run about once a second over 10,000 pods.
//!
//! Which detectors run, and their thresholds, is [`DetectorConfig`]
//! (`[detectors]` in `config.toml`).
//!
//! Every alert is `Active`, comes from `AlertSource::Detector(<id>)`, and
//! carries the labels kube-prometheus rules carry — `alertname`,
//! `severity`, `namespace`, `pod`, `container`, `deployment` /
//! `statefulset` / `daemonset` (the workload, or a pod's own), `node` (on
//! node alerts; `condition` too for NodePressure) — so [`Alert::targets`]
//! points at the same objects as for an Alertmanager alert. The fingerprint names the problem, not the moment
//! (`detector/oom-killed/production/checkout-7d8f-x2/app`): the same
//! problem has the same fingerprint on every call, so the console can tell
//! a new alert from a resolved one. The summary is one line of facts; the
//! description is the status guide's explanation and next steps
//! ([`crate::model::explain`]), so the pods view's detail pane and the
//! alerts say the same thing.
//!
//! | Alert | Severity | Fires when | `starts_at` |
//! |---|---|---|---|
//! | `OOMKilled` | critical | a container's current or last termination is `OOMKilled`, at most `oom_window` ago (a current one with no time counts; a last one must have its time) | the kill |
//! | `CrashLoopBackOff` | critical | a container waits in `CrashLoopBackOff` | the pod's Ready=False transition, else unknown |
//! | `ImagePullBackOff` | warning | a container waits in `ErrImagePull`, `ImagePullBackOff`, `InvalidImageName` or `ErrImageNeverPull` | the pod's creation if the container never ran, else unknown |
//! | `PodNotReady` | warning | Running, not Ready, for at least `not_ready_after` since the Ready condition's transition (at once when that time is unknown); not while deleting | the transition |
//! | `MemoryNearLimit` | warning | the pod's memory use is at least `memory_fraction` of its summed limit (only when every container has a limit and metrics are known) | unknown |
//! | `RestartSpike` | warning | see below | the last restart |
//! | `RolloutStalled` | critical | `Rollout::Stalled`: Progressing=False `ProgressDeadlineExceeded`, or ReplicaFailure | that condition's transition |
//! | `DeploymentReplicasUnavailable` | critical with none available, else warning | a Deployment or StatefulSet has unavailable replicas for at least `unavailable_after` (see below); never alongside `RolloutStalled` for the same workload | since unavailable |
//! | `NodeNotReady` | critical | the node's Ready condition is False or Unknown | the transition |
//! | `NodePressure` | warning | one alert per `MemoryPressure`, `DiskPressure`, `PIDPressure` that is True (label `condition`); the summary counts the evicted pods still on the node | the transition |
//! | `QuotaExceeded` | critical | a Deployment's `ReplicaFailure` (its ReplicaSet's, copied by the controller) says a ResourceQuota refused its pods (`exceeded quota: <name>`; label `resourcequota`); in place of `RolloutStalled` for that workload | that condition's transition |
//! | `MissingConfig` | warning | a container waits in `CreateContainerConfigError`; the summary names the ConfigMap or Secret and key the kubelet's message names (label `configmap` or `secret`) | the pod's creation if the container never ran, else unknown |
//! | `MemoryLimitSoon` | warning | the pod's memory climbs steadily (the usage history's trend: at least four polls over 45 s that a straight line explains) and reaches its summed limit within `memory_limit_soon` at that rate; `MemoryNearLimit` is then left out for the pod (see `memory_soon`) | unknown |
//! | `ServiceNoEndpoints` | critical | a Service with a selector has had no ready endpoint (its selector matches no pod, or none of its endpoints is ready) for at least [`NO_ENDPOINTS_AFTER`], counted from when the console saw it (label `service`) | when the console saw it |
//! | `HPAAtMax` | warning | an HPA runs its target at its maximum and still wants more (`ScalingLimited` True `TooManyReplicas`) for at least [`HPA_AT_MAX_AFTER`] (label `horizontalpodautoscaler`) | that condition's transition |
//! | `JobFailed` | warning | a Job's condition `Failed` is True (`BackoffLimitExceeded`, `DeadlineExceeded`…), see below (labels `job_name`, `cronjob` when one made it) | that condition's transition |
//!
//! Severity: critical where users are likely hurt now — containers killed
//! or not running, a rollout that gave up, a workload with nothing
//! available, a node gone. Warning where something degrades or is about to:
//! a failed image pull usually blocks only new pods while the old ones
//! serve (the stalled rollout that follows is critical), one unready pod
//! is out of its Service while its siblings serve, memory near the limit
//! and restarts are early signs, pressure makes the kubelet evict pods
//! that are then replaced.
//!
//! `RestartSpike` is an approximation: the API keeps a container's total
//! restart count and when its previous instance ended, not a history of
//! restarts. It fires when the total is at least `restart_spike_count` and
//! the last restart is within `restart_spike_window`, so a container that
//! restarted twice last week and once a minute ago fires too. It is left
//! out for a container that has an `OOMKilled` or `CrashLoopBackOff` alert
//! from the same call: that alert already says more. The detectors keep no
//! history, so a crash-looping container that runs again between back-offs
//! is a `RestartSpike` while it runs and a `CrashLoopBackOff` while it
//! waits, as its STATUS flips in `kubectl get pods`.
//!
//! `JobFailed` is a warning, not critical: a failed Job is work not done
//! (a nightly backup, a report), rarely users hurt this minute, and what
//! does hurt them (the release a failed migration blocks) raises its own
//! alerts. Only recent failures fire, so finished history does not alert
//! forever: failed within [`JOB_FAILED_WITHIN`] (a failure with no time at
//! all fires), and, for a Job a CronJob made, only while no newer Job of
//! that CronJob exists (the next run, succeeding or running, supersedes it;
//! a newer one that failed raises its own).
//!
//! Since when replicas are unavailable: the workload's Available condition
//! when it is not True (below minimum availability since its transition);
//! else the earliest moment a pod of the workload still not Ready lost
//! readiness (its Ready transition, or its creation); else, with no time
//! at all (the missing replicas have no pods), at once — unless a rollout
//! is in progress, which the progress deadline covers. `NetworkUnavailable`
//! is not treated as pressure: the network plugin or cloud route controller
//! owns it and some clusters leave it True by design.

use std::collections::{BTreeMap, HashMap};

use jiff::{SignedDuration, Timestamp};

use super::alert::{Alert, AlertSeverity, AlertSource, AlertState, compare};
use crate::model::autoscaler::HpaInfo;
use crate::model::cluster::ClusterData;
use crate::model::explain::{StatusKind, render, status_guide};
use crate::model::job::JobInfo;
use crate::model::node::NodeInfo;
use crate::model::pod_health::PodInfo;
use crate::model::workload::{PROGRESS_DEADLINE_EXCEEDED, Rollout, WorkloadInfo, WorkloadKind};

mod config;
mod jobs;
mod memory_soon;
mod pods;
mod quota_config;
mod service;

pub use service::NO_ENDPOINTS_AFTER;

use pods::note_unready;

pub use config::{Detector, DetectorConfig};

/// Waiting reasons of a container whose image cannot be pulled.
const IMAGE_PULL_REASONS: [&str; 4] = [
    "ErrImagePull",
    "ImagePullBackOff",
    "InvalidImageName",
    "ErrImageNeverPull",
];

/// Node conditions that are pressure when True.
const PRESSURES: [&str; 3] = ["MemoryPressure", "DiskPressure", "PIDPressure"];

/// How long an HPA stays pinned at its maximum before `HPAAtMax` fires: a
/// spike that the maximum absorbs within minutes is the HPA doing its job.
pub const HPA_AT_MAX_AFTER: SignedDuration = SignedDuration::from_mins(5);

/// How long a failed Job keeps `JobFailed` firing: a working day's worth,
/// so a failure in the night is still there in the morning, and last
/// week's is not.
pub const JOB_FAILED_WITHIN: SignedDuration = SignedDuration::from_hours(12);

/// A Deployment or StatefulSet, borrowed from its pods: (kind, namespace, name).
type WorkloadRef<'a> = (WorkloadKind, &'a str, &'a str);

/// The alerts the cluster's state raises at `now`, sorted as
/// [`merge`](super::merge) sorts (severity, name, start, fingerprint).
pub fn detect(cluster: &ClusterData, now: Timestamp, cfg: &DetectorConfig) -> Vec<Alert> {
    let ctx = Ctx {
        now,
        cfg,
        running: cfg.running(),
    };
    let mut out = Vec::new();
    // Filled only for pods that need it: a workload with a pod not Ready,
    // a node with evicted pods.
    let mut unready: HashMap<WorkloadRef<'_>, Timestamp> = HashMap::new();
    let mut evicted: HashMap<&str, u32> = HashMap::new();
    for (key, pod) in &cluster.pods {
        ctx.pod(
            pod,
            key,
            &cluster.pod_usage,
            &cluster.usage_history,
            &mut out,
        );
        if ctx.on(Detector::ReplicasUnavailable) {
            note_unready(pod, &mut unready);
        }
        if ctx.on(Detector::NodePressure)
            && pod.phase == "Failed"
            && pod.status_reason.as_deref() == Some("Evicted")
            && let Some(node) = pod.node.as_deref()
        {
            let n = evicted.entry(node).or_default();
            *n = n.saturating_add(1);
        }
    }
    for w in cluster.workloads.values() {
        ctx.workload(w, &unready, &mut out);
    }
    if ctx.on(Detector::HpaAtMax) {
        out.extend(cluster.hpas.values().filter_map(|h| ctx.hpa_at_max(h)));
    }
    ctx.services(&cluster.network, &mut out);
    if ctx.on(Detector::JobFailed) {
        jobs::failed(&ctx, cluster, &mut out);
    }
    for node in cluster.nodes.values() {
        let evicted = evicted.get(node.name.as_str()).copied().unwrap_or(0);
        ctx.node(node, evicted, &mut out);
    }
    out.sort_by(compare);
    out
}

/// One call's clock, thresholds, and which detectors run.
struct Ctx<'a> {
    now: Timestamp,
    cfg: &'a DetectorConfig,
    running: [bool; Detector::ALL.len()],
}

/// What an alert is about; gives its labels and fingerprint.
enum Subject<'a> {
    Pod {
        pod: &'a PodInfo,
        container: Option<&'a str>,
    },
    Workload(&'a WorkloadInfo),
    Node {
        name: &'a str,
        condition: Option<&'a str>,
    },
    Autoscaler(&'a HpaInfo),
    Service(&'a crate::model::service::ServiceInfo),
    Job(&'a JobInfo),
}

impl Ctx<'_> {
    fn on(&self, d: Detector) -> bool {
        self.running[d as usize]
    }

    fn since(&self, t: Timestamp) -> SignedDuration {
        self.now.duration_since(t)
    }

    /// ` at 14:02:11` (UTC), or nothing when the time is unknown. Absolute,
    /// so the same problem reads the same on every run of the detectors
    /// (the feed shows how long ago beside it).
    fn ago(&self, t: Option<Timestamp>) -> String {
        t.map(|t| format!(" at {}", t.strftime("%H:%M:%S")))
            .unwrap_or_default()
    }

    /// ` since 14:02:11` (UTC), or nothing when the time is unknown.
    fn lasting(&self, t: Option<Timestamp>) -> String {
        t.map(|t| format!(" since {}", t.strftime("%H:%M:%S")))
            .unwrap_or_default()
    }

    fn workload(
        &self,
        w: &WorkloadInfo,
        unready: &HashMap<WorkloadRef<'_>, Timestamp>,
        out: &mut Vec<Alert>,
    ) {
        let deployment = w.kind == WorkloadKind::Deployment;
        // A quota that refuses the pods says more than the stall it causes.
        if matches!(w.rollout, Rollout::Stalled { .. })
            && self.on(Detector::QuotaExceeded)
            && let Some(alert) = self.quota_exceeded(w)
        {
            out.push(alert);
            return;
        }
        if let Rollout::Stalled { reason, message } = &w.rollout
            && self.on(Detector::RolloutStalled)
        {
            out.push(self.stalled(w, reason, message));
            // Stalled wins: the unavailable replicas are part of it.
            return;
        }
        if !self.on(Detector::ReplicasUnavailable)
            || w.unavailable == 0
            || !matches!(w.kind, WorkloadKind::Deployment | WorkloadKind::StatefulSet)
        {
            return;
        }
        let since = w
            .conditions
            .iter()
            .find(|c| c.kind == "Available")
            .filter(|c| !c.is_true())
            .and_then(|c| c.since)
            .or_else(|| {
                unready
                    .get(&(w.kind, w.namespace.as_str(), w.name.as_str()))
                    .copied()
            });
        let fire = match since {
            Some(t) => self.since(t) >= self.cfg.unavailable_after,
            None => !matches!(w.rollout, Rollout::Progressing { .. }),
        };
        if !fire {
            return;
        }
        let severity = if w.available == 0 {
            AlertSeverity::Critical
        } else {
            AlertSeverity::Warning
        };
        let summary = format!(
            "{} {}: {} unavailable{}, {} of {} available",
            kind_word(w.kind),
            w.name,
            count(w.unavailable, "replica"),
            self.lasting(since),
            w.available,
            w.desired
        );
        let description = guide_text(StatusKind::ReplicasUnavailable, false, deployment);
        out.push(self.alert(
            Detector::ReplicasUnavailable,
            severity,
            Subject::Workload(w),
            since,
            summary,
            description,
        ));
    }

    /// `HPAAtMax` when `h` has been pinned at its maximum long enough (at
    /// once when the condition carries no time).
    fn hpa_at_max(&self, h: &HpaInfo) -> Option<Alert> {
        let since = h.pinned_at_max()?;
        if since.is_some_and(|t| self.since(t) < HPA_AT_MAX_AFTER) {
            return None;
        }
        let mut summary = format!(
            "HPA {} holds {} {} at its maximum of {} replicas{}",
            h.name,
            h.target_kind,
            h.target_name,
            h.max,
            self.lasting(since)
        );
        if !h.metrics.is_empty() {
            summary.push_str(&format!("; {}", h.metrics.join(", ")));
        }
        let description = guide_text(StatusKind::HpaAtMax, false, h.target_kind == "Deployment");
        Some(self.alert(
            Detector::HpaAtMax,
            AlertSeverity::Warning,
            Subject::Autoscaler(h),
            since,
            summary,
            description,
        ))
    }

    fn stalled(&self, w: &WorkloadInfo, reason: &str, message: &str) -> Alert {
        // The condition `Rollout::Stalled` was read from.
        let since = w
            .conditions
            .iter()
            .find(|c| {
                (c.kind == "Progressing"
                    && !c.is_true()
                    && c.reason.as_deref() == Some(PROGRESS_DEADLINE_EXCEEDED))
                    || (c.kind == "ReplicaFailure" && c.is_true())
            })
            .and_then(|c| c.since);
        let mut summary = format!(
            "{} {} rollout stalled{} ({reason}): {} of {} updated, {} available",
            kind_word(w.kind),
            w.name,
            self.ago(since),
            w.updated,
            w.desired,
            w.available
        );
        if let Some(rev) = w.revision {
            summary.push_str(&format!(", revision {rev}"));
        }
        let message = message.trim();
        if !message.is_empty() {
            summary.push_str(&format!("; {message}"));
        }
        let description = guide_text(
            StatusKind::RolloutStalled,
            false,
            w.kind == WorkloadKind::Deployment,
        );
        self.alert(
            Detector::RolloutStalled,
            AlertSeverity::Critical,
            Subject::Workload(w),
            since,
            summary,
            description,
        )
    }

    fn node(&self, n: &NodeInfo, evicted: u32, out: &mut Vec<Alert>) {
        for c in &n.conditions {
            let detector = if c.kind == "Ready" && !c.is_true() {
                Detector::NodeNotReady
            } else if PRESSURES.contains(&&*c.kind) && c.is_true() {
                Detector::NodePressure
            } else {
                continue;
            };
            if !self.on(detector) {
                continue;
            }
            let (severity, state) = match detector {
                Detector::NodePressure => (AlertSeverity::Warning, c.kind.to_string()),
                _ if c.status == "False" => (AlertSeverity::Critical, "NotReady".to_string()),
                // `Unknown`, or a status Kubernetes does not write.
                _ if c.status.is_empty() => (AlertSeverity::Critical, "Ready Unknown".to_string()),
                _ => (AlertSeverity::Critical, format!("Ready {}", c.status)),
            };
            let mut summary = format!("{} {state}{}", n.name, self.lasting(c.since));
            if let Some(reason) = &c.reason {
                summary.push_str(&format!(" ({reason})"));
            }
            if let Some(message) = c
                .message
                .as_deref()
                .map(str::trim)
                .filter(|m| !m.is_empty())
            {
                summary.push_str(&format!(": {message}"));
            }
            let (kind, condition) = match detector {
                Detector::NodePressure => {
                    if evicted > 0 {
                        summary.push_str(&format!("; {} on it", count(evicted, "evicted pod")));
                    }
                    (StatusKind::NodePressure, Some(&*c.kind))
                }
                _ => (StatusKind::NodeNotReady, None),
            };
            out.push(self.alert(
                detector,
                severity,
                Subject::Node {
                    name: &n.name,
                    condition,
                },
                c.since,
                summary,
                guide_text(kind, false, false),
            ));
        }
    }

    /// The alert itself: labels and fingerprint from its subject.
    fn alert(
        &self,
        detector: Detector,
        severity: AlertSeverity,
        subject: Subject<'_>,
        starts_at: Option<Timestamp>,
        summary: String,
        description: String,
    ) -> Alert {
        let mut labels = BTreeMap::new();
        let mut label = |k: &str, v: &str| {
            labels.insert(k.to_string(), v.to_string());
        };
        label("alertname", detector.alertname());
        label("severity", severity.label());
        let id = detector.id();
        let fingerprint = match subject {
            Subject::Pod { pod, container } => {
                label("namespace", &pod.namespace);
                label("pod", &pod.name);
                if let Some((key, name)) = pod
                    .owner
                    .as_ref()
                    .and_then(|o| workload_label(&o.kind).map(|key| (key, o.name.as_str())))
                {
                    label(key, name);
                }
                match container {
                    Some(c) => {
                        label("container", c);
                        format!("detector/{id}/{}/{}/{c}", pod.namespace, pod.name)
                    }
                    None => format!("detector/{id}/{}/{}", pod.namespace, pod.name),
                }
            }
            Subject::Workload(w) => {
                let key = kind_label(w.kind);
                label("namespace", &w.namespace);
                label(key, &w.name);
                format!("detector/{id}/{}/{key}/{}", w.namespace, w.name)
            }
            Subject::Autoscaler(h) => {
                label("namespace", &h.namespace);
                label("horizontalpodautoscaler", &h.name);
                format!("detector/{id}/{}/{}", h.namespace, h.name)
            }
            Subject::Service(s) => {
                label("namespace", &s.namespace);
                label("service", &s.name);
                format!("detector/{id}/{}/{}", s.namespace, s.name)
            }
            Subject::Job(j) => {
                label("namespace", &j.namespace);
                label("job_name", &j.name);
                if let Some(cj) = &j.cronjob {
                    label("cronjob", cj);
                }
                format!("detector/{id}/{}/{}", j.namespace, j.name)
            }
            Subject::Node { name, condition } => {
                label("node", name);
                match condition {
                    Some(c) => {
                        label("condition", c);
                        format!("detector/{id}/{name}/{c}")
                    }
                    None => format!("detector/{id}/{name}"),
                }
            }
        };
        let annotations = BTreeMap::from([
            ("summary".to_string(), summary.clone()),
            ("description".to_string(), description.clone()),
        ]);
        Alert {
            fingerprint,
            name: detector.alertname().to_string(),
            severity,
            state: AlertState::Active,
            starts_at,
            updated_at: Some(self.now),
            ends_at: None,
            labels,
            annotations,
            summary: Some(summary),
            description: Some(description),
            generator_url: None,
            receivers: Vec::new(),
            silenced_by: Vec::new(),
            inhibited_by: Vec::new(),
            source: AlertSource::Detector(id.to_string()),
            reported_by: Vec::new(),
        }
    }
}

/// A guide entry's generic meaning and the steps that apply.
fn guide_text(kind: StatusKind, restarted: bool, deployment: bool) -> String {
    let Some(e) = status_guide().iter().find(|e| e.kind == kind) else {
        return String::new();
    };
    let generic = |_: &str| None;
    let next: Vec<String> = e
        .steps(restarted, deployment)
        .map(|s| render(s.text, &generic))
        .collect();
    text(&render(e.meaning, &generic), &next)
}

/// The meaning, then the steps numbered under "Check next:", as the detail
/// pane shows them.
fn text(meaning: &str, next: &[String]) -> String {
    let mut s = meaning.to_string();
    if !next.is_empty() {
        s.push_str("\n\nCheck next:");
        for (i, step) in next.iter().enumerate() {
            s.push_str(&format!("\n{}. {step}", i + 1));
        }
    }
    s
}

fn is_deployment(pod: &PodInfo) -> bool {
    pod.owner.as_ref().is_some_and(|o| o.kind == "Deployment")
}

/// The label kube-prometheus gives a pod's workload of this kind.
fn workload_label(kind: &str) -> Option<&'static str> {
    match kind {
        "Deployment" => Some("deployment"),
        "StatefulSet" => Some("statefulset"),
        "DaemonSet" => Some("daemonset"),
        _ => None,
    }
}

fn kind_label(kind: WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::Deployment => "deployment",
        WorkloadKind::StatefulSet => "statefulset",
        WorkloadKind::DaemonSet => "daemonset",
    }
}

fn kind_word(kind: WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::Deployment => "Deployment",
        WorkloadKind::StatefulSet => "StatefulSet",
        WorkloadKind::DaemonSet => "DaemonSet",
    }
}

/// `1 restart`, `5 restarts`.
fn count(n: u32, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
use pods::names_container;

#[cfg(test)]
mod tests;
