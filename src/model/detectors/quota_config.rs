//! `QuotaExceeded` (a workload whose ReplicaSet a ResourceQuota refuses)
//! and `MissingConfig` (a container waiting in CreateContainerConfigError
//! for a ConfigMap, Secret or key that is not there).

use super::{Ctx, Detector, Subject, guide_text, kind_word};
use crate::model::alert::{Alert, AlertSeverity};
use crate::model::config_ref::missing_config;
use crate::model::explain::StatusKind;
use crate::model::pod_health::{ContainerInfo, ContainerState, PodInfo};
use crate::model::quota::refused_by_quota;
use crate::model::workload::{WorkloadInfo, WorkloadKind};

/// The waiting reason MissingConfig looks for.
pub(super) const CONFIG_ERROR: &str = "CreateContainerConfigError";

impl Ctx<'_> {
    /// `QuotaExceeded` when a quota refuses `w`'s pods: critical, as the
    /// replicas it lacks never come.
    pub(super) fn quota_exceeded(&self, w: &WorkloadInfo) -> Option<Alert> {
        let (quota, c) = refused_by_quota(w)?;
        let mut summary = format!(
            "{} {} cannot create pods: quota {quota} exceeded{}; {} of {} replicas exist",
            kind_word(w.kind),
            w.name,
            self.lasting(c.since),
            w.available.max(w.ready),
            w.desired
        );
        if let Some(m) = c
            .message
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            summary.push_str(&format!("; {m}"));
        }
        let description = guide_text(
            StatusKind::QuotaExceeded,
            false,
            w.kind == WorkloadKind::Deployment,
        );
        let mut alert = self.alert(
            Detector::QuotaExceeded,
            AlertSeverity::Critical,
            Subject::Workload(w),
            c.since,
            summary,
            description,
        );
        alert
            .labels
            .insert("resourcequota".to_string(), quota.to_string());
        Some(alert)
    }

    /// `MissingConfig` for a container waiting in
    /// CreateContainerConfigError: a warning (the pods of the previous
    /// revision usually serve; the stalled rollout that follows is
    /// critical), naming the ConfigMap or Secret and key when the
    /// kubelet's message does.
    pub(super) fn missing_config(&self, pod: &PodInfo, c: &ContainerInfo) -> Alert {
        let message = match &c.state {
            ContainerState::Waiting { message, .. } => message.as_deref().unwrap_or(""),
            _ => "",
        };
        let missing = missing_config(message);
        let summary = match &missing {
            Some(m) => format!(
                "{} container {} cannot start: {} does not exist ({CONFIG_ERROR})",
                pod.name,
                c.name,
                m.describe()
            ),
            None if !message.trim().is_empty() => format!(
                "{} container {} {CONFIG_ERROR}: {}",
                pod.name,
                c.name,
                message.trim()
            ),
            None => format!("{} container {} {CONFIG_ERROR}", pod.name, c.name),
        };
        let description = super::pods::pod_text(
            pod,
            Some(c),
            &[StatusKind::ConfigError],
            StatusKind::ConfigError,
        );
        let mut alert = self.alert(
            Detector::MissingConfig,
            AlertSeverity::Warning,
            Subject::Pod {
                pod,
                container: Some(&c.name),
            },
            super::pods::waiting_since(pod, c),
            summary,
            description,
        );
        if let Some(m) = missing {
            alert.labels.insert(m.kind.label().to_string(), m.name);
        }
        alert
    }
}
