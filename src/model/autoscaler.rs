//! HorizontalPodAutoscalers (`autoscaling/v2`) as the console keeps them:
//! what they scale, between which bounds, how far their metrics are from
//! target, and the controller's conditions in words. An HPA decides a
//! workload's replicas: a hand-made scale is undone at its next sync, and
//! an HPA pinned at its maximum is an incident of its own (the load needs
//! more than it may give).

use jiff::Timestamp;
use k8s_openapi::api::autoscaling::v2::{HorizontalPodAutoscaler, MetricTarget, MetricValueStatus};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::ObjectKey;
use super::pod_health::{Condition, non_empty, time};
use super::sanitize::sanitize;

/// One HPA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HpaInfo {
    pub namespace: String,
    pub name: String,
    /// `Deployment`, `StatefulSet`… and its name.
    pub target_kind: String,
    pub target_name: String,
    pub min: i32,
    pub max: i32,
    pub current: i32,
    pub desired: i32,
    /// Each metric as `cpu 250%/70%`, in the spec's order.
    pub metrics: Vec<String>,
    pub conditions: Vec<Condition>,
    pub last_scale: Option<Timestamp>,
    pub created: Option<Timestamp>,
}

impl HpaInfo {
    pub fn key(&self) -> ObjectKey {
        ObjectKey::new(&self.namespace, &self.name)
    }

    pub fn from_hpa(hpa: &HorizontalPodAutoscaler) -> HpaInfo {
        let meta = &hpa.metadata;
        let clean = |s: &str| sanitize(s).into_owned();
        let spec = hpa.spec.as_ref();
        let status = hpa.status.as_ref();
        let statuses = status
            .and_then(|s| s.current_metrics.as_deref())
            .unwrap_or(&[]);
        let metrics = spec
            .and_then(|s| s.metrics.as_deref())
            .unwrap_or(&[])
            .iter()
            .map(|m| {
                let (name, target) = match (&m.resource, &m.container_resource) {
                    (Some(r), _) => (r.name.clone(), Some(&r.target)),
                    (None, Some(c)) => (format!("{} ({})", c.name, c.container), Some(&c.target)),
                    _ => (m.type_.to_lowercase(), None),
                };
                let now = statuses
                    .iter()
                    .find(|s| {
                        s.resource.as_ref().is_some_and(|r| r.name == name)
                            || s.container_resource
                                .as_ref()
                                .is_some_and(|c| name.starts_with(c.name.as_str()))
                    })
                    .map(|s| match (&s.resource, &s.container_resource) {
                        (Some(r), _) => value(&r.current),
                        (None, Some(c)) => value(&c.current),
                        _ => "?".into(),
                    })
                    .unwrap_or_else(|| "<unknown>".into());
                let target = target.map_or_else(|| "?".into(), target_text);
                clean(&format!("{name} {now}/{target}"))
            })
            .collect();
        HpaInfo {
            namespace: clean(meta.namespace.as_deref().unwrap_or("")),
            name: clean(meta.name.as_deref().unwrap_or("")),
            target_kind: clean(spec.map_or("", |s| s.scale_target_ref.kind.as_str())),
            target_name: clean(spec.map_or("", |s| s.scale_target_ref.name.as_str())),
            min: spec.and_then(|s| s.min_replicas).unwrap_or(1),
            max: spec.map_or(0, |s| s.max_replicas),
            current: status.and_then(|s| s.current_replicas).unwrap_or(0),
            desired: status.map_or(0, |s| s.desired_replicas),
            metrics,
            conditions: conditions!(status.and_then(|s| s.conditions.as_deref())),
            last_scale: time(status.and_then(|s| s.last_scale_time.as_ref())),
            created: time(meta.creation_timestamp.as_ref()),
        }
    }

    pub fn condition(&self, kind: &str) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.kind == kind)
    }

    /// Since when it wants more replicas than its maximum allows
    /// (`ScalingLimited` True, `TooManyReplicas`), at its maximum.
    pub fn pinned_at_max(&self) -> Option<Option<Timestamp>> {
        let c = self.condition("ScalingLimited")?;
        (c.status == "True"
            && c.reason.as_deref() == Some("TooManyReplicas")
            && self.current >= self.max)
            .then_some(c.since)
    }

    /// Why it cannot compute or apply a scale, from `ScalingActive` or
    /// `AbleToScale` False: the controller's words.
    pub fn not_scaling(&self) -> Option<String> {
        ["ScalingActive", "AbleToScale"].iter().find_map(|kind| {
            let c = self.condition(kind)?;
            (c.status == "False").then(|| {
                let reason = c.reason.as_deref().unwrap_or(kind);
                match non_empty(c.message.as_deref()) {
                    Some(m) => format!("{reason}: {m}"),
                    None => reason.to_string(),
                }
            })
        })
    }

    /// Whether it scales `kind` `namespace/name`.
    pub fn scales(&self, kind: &str, namespace: &str, name: &str) -> bool {
        self.namespace == namespace && self.target_kind == kind && self.target_name == name
    }
}

/// `250%`, `180Mi`: a metric's current value or its target, whichever
/// of utilization, average value or value it gives.
fn amount(
    utilization: Option<i32>,
    average: Option<&Quantity>,
    value: Option<&Quantity>,
) -> String {
    match (utilization, average.or(value)) {
        (Some(u), _) => format!("{u}%"),
        (None, Some(q)) => q.0.clone(),
        (None, None) => "?".into(),
    }
}

fn value(v: &MetricValueStatus) -> String {
    amount(
        v.average_utilization,
        v.average_value.as_ref(),
        v.value.as_ref(),
    )
}

fn target_text(t: &MetricTarget) -> String {
    amount(
        t.average_utilization,
        t.average_value.as_ref(),
        t.value.as_ref(),
    )
}

#[cfg(test)]
mod tests;
