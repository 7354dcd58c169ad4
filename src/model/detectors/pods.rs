//! The pod detectors: OOMKilled, CrashLoopBackOff, ImagePullBackOff and
//! RestartSpike per container; PodNotReady and MemoryNearLimit per pod.
//! Also what the workload detector needs from the pods: since when each
//! Deployment's or StatefulSet's pods have not been Ready.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};

use super::{
    Ctx, Detector, IMAGE_PULL_REASONS, Subject, WorkloadRef, count, guide_text, is_deployment, text,
};
use crate::model::ObjectKey;
use crate::model::alert::{Alert, AlertSeverity};
use crate::model::explain::{StatusKind, explain};
use crate::model::pod_health::{ContainerInfo, ContainerState, PodInfo, Termination};
use crate::model::quantity::format_bytes;
use crate::model::usage::Usage;
use crate::model::usage_history::UsageHistory;
use crate::model::workload::WorkloadKind;

impl Ctx<'_> {
    pub(super) fn pod(
        &self,
        pod: &PodInfo,
        key: &ObjectKey,
        usage: &HashMap<ObjectKey, Usage>,
        history: &UsageHistory,
        out: &mut Vec<Alert>,
    ) {
        for c in &pod.containers {
            // An OOMKilled or CrashLoopBackOff alert says more than a
            // restart spike about the same container.
            let mut explained = false;
            if self.on(Detector::OomKilled)
                && let Some(t) = recent_oom(c, self.now, self.cfg.oom_window)
            {
                out.push(self.oom_killed(pod, c, t));
                explained = true;
            }
            match c.waiting_reason() {
                Some("CrashLoopBackOff") if self.on(Detector::CrashLoopBackOff) => {
                    out.push(self.crash_loop(pod, c));
                    explained = true;
                }
                Some(reason)
                    if IMAGE_PULL_REASONS.contains(&reason)
                        && self.on(Detector::ImagePullBackOff) =>
                {
                    out.push(self.image_pull(pod, c, reason));
                }
                Some(super::quota_config::CONFIG_ERROR) if self.on(Detector::MissingConfig) => {
                    out.push(self.missing_config(pod, c));
                }
                _ => {}
            }
            if !explained
                && self.on(Detector::RestartSpike)
                && let Some(at) = self.restart_spike(c)
            {
                out.push(self.restarts(pod, c, at));
            }
        }
        if self.on(Detector::PodNotReady) && pod.running_not_ready() && !pod.deleting {
            let since = pod.ready_changed;
            if since.is_none_or(|t| self.since(t) >= self.cfg.not_ready_after) {
                out.push(self.not_ready(pod, since));
            }
        }
        // One alert about a pod's memory: the one that says when, while it
        // climbs (see `memory_soon`).
        let soon = if self.on(Detector::MemoryLimitSoon) {
            self.memory_limit_soon(pod, key, history)
        } else {
            None
        };
        if soon.is_none()
            && self.on(Detector::MemoryNearLimit)
            && let Some(limit) = pod.limits.memory_bytes.filter(|l| *l > 0)
            && let Some(used) = usage.get(key).map(|u| u.memory_bytes)
            && used as f64 >= self.cfg.memory_fraction * limit as f64
        {
            out.push(self.memory(pod, used, limit));
        }
        out.extend(soon);
    }

    fn oom_killed(&self, pod: &PodInfo, c: &ContainerInfo, t: &Termination) -> Alert {
        let limit = c
            .limits
            .memory_bytes
            .map_or("no memory limit".to_string(), |b| {
                format!("limit {}", format_bytes(b))
            });
        let summary = format!(
            "{} container {} OOMKilled (exit {}){}; {limit}",
            pod.name,
            c.name,
            t.exit_code,
            self.ago(t.finished_at)
        );
        let description = pod_text(
            pod,
            Some(c),
            &[StatusKind::OomKilled, StatusKind::CrashLoopOom],
            StatusKind::OomKilled,
        );
        self.alert(
            Detector::OomKilled,
            AlertSeverity::Critical,
            Subject::Pod {
                pod,
                container: Some(&c.name),
            },
            t.finished_at,
            summary,
            description,
        )
    }

    fn crash_loop(&self, pod: &PodInfo, c: &ContainerInfo) -> Alert {
        let mut summary = format!(
            "{} container {} CrashLoopBackOff after {}",
            pod.name,
            c.name,
            count(c.restarts, "restart")
        );
        if let Some(t) = &c.last {
            summary.push_str(&format!(
                "; last ended {}{}",
                t.short(),
                self.ago(t.finished_at)
            ));
        }
        let oom = c.last.as_ref().is_some_and(Termination::oom_killed);
        let fallback = if oom {
            StatusKind::CrashLoopOom
        } else {
            StatusKind::CrashLoop
        };
        let description = pod_text(
            pod,
            Some(c),
            &[StatusKind::CrashLoop, StatusKind::CrashLoopOom],
            fallback,
        );
        // The loop began about when the pod lost readiness, if it has.
        let since = pod
            .condition("Ready")
            .filter(|r| !r.is_true())
            .and_then(|r| r.since);
        self.alert(
            Detector::CrashLoopBackOff,
            AlertSeverity::Critical,
            Subject::Pod {
                pod,
                container: Some(&c.name),
            },
            since,
            summary,
            description,
        )
    }

    fn image_pull(&self, pod: &PodInfo, c: &ContainerInfo, reason: &str) -> Alert {
        let summary = format!("{} container {} {reason}: {}", pod.name, c.name, c.image);
        let description = pod_text(
            pod,
            Some(c),
            &[StatusKind::ImagePull],
            StatusKind::ImagePull,
        );
        self.alert(
            Detector::ImagePullBackOff,
            AlertSeverity::Warning,
            Subject::Pod {
                pod,
                container: Some(&c.name),
            },
            waiting_since(pod, c),
            summary,
            description,
        )
    }

    fn not_ready(&self, pod: &PodInfo, since: Option<Timestamp>) -> Alert {
        let mut summary = format!(
            "{} Running but not Ready ({}/{}){}",
            pod.name,
            pod.ready,
            pod.total,
            self.lasting(since)
        );
        let names: Vec<&str> = pod
            .containers
            .iter()
            .filter(|c| (!c.init || c.sidecar) && !c.ready)
            .map(|c| c.name.as_str())
            .collect();
        if !names.is_empty() {
            summary.push_str(&format!("; not ready: {}", names.join(", ")));
        }
        let description = pod_text(pod, None, &[StatusKind::NotReady], StatusKind::NotReady);
        self.alert(
            Detector::PodNotReady,
            AlertSeverity::Warning,
            Subject::Pod {
                pod,
                container: None,
            },
            since,
            summary,
            description,
        )
    }

    fn memory(&self, pod: &PodInfo, used: u64, limit: u64) -> Alert {
        let percent = u128::from(used) * 100 / u128::from(limit);
        let summary = format!(
            "{} uses {} of its {} memory limit ({percent}%)",
            pod.name,
            format_bytes(used),
            format_bytes(limit)
        );
        // Usage is the pod's sum; it names a container only when there is one.
        let only = only_container(pod);
        let description = guide_text(
            StatusKind::MemoryNearLimit,
            pod.restarts > 0,
            is_deployment(pod),
        );
        self.alert(
            Detector::MemoryNearLimit,
            AlertSeverity::Warning,
            Subject::Pod {
                pod,
                container: only,
            },
            None,
            summary,
            description,
        )
    }

    /// The last restart, when it makes a spike (see the module docs).
    fn restart_spike(&self, c: &ContainerInfo) -> Option<Timestamp> {
        if c.restarts < self.cfg.restart_spike_count {
            return None;
        }
        let at = c.last.as_ref()?.finished_at?;
        (self.since(at) <= self.cfg.restart_spike_window).then_some(at)
    }

    fn restarts(&self, pod: &PodInfo, c: &ContainerInfo, at: Timestamp) -> Alert {
        let mut summary = format!(
            "{} container {} restarted {}, the last{}",
            pod.name,
            c.name,
            count(c.restarts, "time"),
            self.ago(Some(at))
        );
        if let Some(t) = &c.last {
            summary.push_str(&format!(" ({})", t.short()));
        }
        let description = guide_text(StatusKind::RestartSpike, true, is_deployment(pod));
        self.alert(
            Detector::RestartSpike,
            AlertSeverity::Warning,
            Subject::Pod {
                pod,
                container: Some(&c.name),
            },
            Some(at),
            summary,
            description,
        )
    }
}

/// The container's OOM kill within `window` of `now`: its current
/// termination (a time unknown counts: it is dead now), else its last one
/// (whose time must be known to be recent).
fn recent_oom(c: &ContainerInfo, now: Timestamp, window: SignedDuration) -> Option<&Termination> {
    let recent = |t: Timestamp| now.duration_since(t) <= window;
    if let ContainerState::Terminated(t) = &c.state
        && t.oom_killed()
        && t.finished_at.is_none_or(recent)
    {
        return Some(t);
    }
    c.last
        .as_ref()
        .filter(|t| t.oom_killed() && t.finished_at.is_some_and(recent))
}

/// Notes, for a Deployment's or StatefulSet's pod that is not Ready, since
/// when (its Ready transition, else its creation), keeping the earliest.
pub(super) fn note_unready<'a>(
    pod: &'a PodInfo,
    unready: &mut HashMap<WorkloadRef<'a>, Timestamp>,
) {
    let Some(owner) = &pod.owner else {
        return;
    };
    let kind = match owner.kind.as_str() {
        "Deployment" => WorkloadKind::Deployment,
        "StatefulSet" => WorkloadKind::StatefulSet,
        _ => return,
    };
    if pod.deleting || pod.phase == "Succeeded" || pod.phase == "Failed" {
        return;
    }
    let ready = pod.condition("Ready");
    if ready.is_some_and(|c| c.is_true()) {
        return;
    }
    let Some(since) = ready.and_then(|c| c.since).or(pod.created) else {
        return;
    };
    unready
        .entry((kind, pod.namespace.as_str(), owner.name.as_str()))
        .and_modify(|t| *t = (*t).min(since))
        .or_insert(since);
}

/// The pod's own explanation when it is about the same thing (one of
/// `accept`, and naming `container` when one is given); else the generic
/// text of `fallback`. A pod's STATUS can tell another story than the
/// alert: Running again after an OOM kill, or another container's trouble.
pub(super) fn pod_text(
    pod: &PodInfo,
    container: Option<&ContainerInfo>,
    accept: &[StatusKind],
    fallback: StatusKind,
) -> String {
    let e = explain(pod);
    if accept.contains(&e.kind) && container.is_none_or(|c| names_container(&e.meaning, &c.name)) {
        return text(&e.meaning, &e.next);
    }
    let restarted = container.map_or(pod.restarts, |c| c.restarts) > 0;
    guide_text(fallback, restarted, is_deployment(pod))
}

/// Whether an explanation is about container `name` (the guide writes
/// `container <name>` and follows it with a space or punctuation).
pub(super) fn names_container(meaning: &str, name: &str) -> bool {
    let needle = format!("ontainer {name}");
    meaning.match_indices(&needle).any(|(i, _)| {
        meaning[i + needle.len()..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    })
}

/// The pod's one regular container, when it has only one: what a pod-wide
/// figure (its summed memory) can name.
pub(super) fn only_container(pod: &PodInfo) -> Option<&str> {
    let mut regular = pod.containers.iter().filter(|c| !c.init);
    match (regular.next(), regular.next()) {
        (Some(c), None) => Some(c.name.as_str()),
        _ => None,
    }
}

/// Since when a waiting container has waited: a container that never ran
/// has waited since the pod was made; one that ran before, unknown (it
/// may have changed image or config since).
pub(super) fn waiting_since(pod: &PodInfo, c: &ContainerInfo) -> Option<Timestamp> {
    let never_ran = c.restarts == 0 && c.last.is_none();
    pod.created.filter(|_| never_ran)
}
