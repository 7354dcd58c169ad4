//! Table cells of HorizontalPodAutoscalers, Jobs and CronJobs, as
//! `printHorizontalPodAutoscaler`, `printJob` and `printCronJob` fill them.

use jiff::Timestamp;
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::batch::v1::{CronJob, Job, JobCondition};
use serde_json::Value;

use super::{Cells, container_cells, created, name, plain, selector_string};
use crate::model::pod_status::age;

pub(super) fn hpa_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let h: &HorizontalPodAutoscaler = &super::parse(o)?;
    let spec = h.spec.clone().unwrap_or_default();
    let status = h.status.clone().unwrap_or_default();
    let r = &spec.scale_target_ref;
    let reference = format!("{}/{}", r.kind, r.name);
    let min = spec
        .min_replicas
        .map_or("<unset>".to_string(), |m| m.to_string());
    plain(vec![
        name(&h.metadata),
        reference.into(),
        targets(
            &spec.metrics.unwrap_or_default(),
            &status.current_metrics.unwrap_or_default(),
        )
        .into(),
        min.into(),
        spec.max_replicas.into(),
        status.current_replicas.unwrap_or(0).into(),
        created(&h.metadata, now),
    ])
}

/// `formatHPAMetrics`: `cpu: 45%/70%`, at most three, then `+ N more...`.
fn targets(
    specs: &[k8s_openapi::api::autoscaling::v2::MetricSpec],
    statuses: &[k8s_openapi::api::autoscaling::v2::MetricStatus],
) -> String {
    if specs.is_empty() {
        return "<none>".into();
    }
    let mut list = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let status = statuses.get(i);
        let text = match (spec.type_.as_str(), &spec.resource) {
            ("Resource", Some(res)) => {
                let cur = status.and_then(|s| s.resource.as_ref()).map(|s| &s.current);
                if let Some(avg) = &res.target.average_value {
                    let current = cur
                        .and_then(|c| c.average_value.as_ref())
                        .map_or("<unknown>".to_string(), |q| q.0.clone());
                    format!("{}: {current}/{}", res.name, avg.0)
                } else {
                    let current = cur
                        .and_then(|c| c.average_utilization)
                        .map_or("<unknown>".to_string(), |u| format!("{u}%"));
                    let target = res
                        .target
                        .average_utilization
                        .map_or("<auto>".to_string(), |u| format!("{u}%"));
                    format!("{}: {current}/{target}", res.name)
                }
            }
            _ => "<unknown type>".into(),
        };
        list.push(text);
    }
    let more = list.len().saturating_sub(3);
    list.truncate(3);
    let mut out = list.join(", ");
    if more > 0 {
        out.push_str(&format!(" + {more} more..."));
    }
    out
}

fn has(conditions: &[JobCondition], ty: &str) -> bool {
    conditions
        .iter()
        .any(|c| c.type_ == ty && c.status == "True")
}

pub(super) fn job_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let j: &Job = &super::parse(o)?;
    let spec = j.spec.clone().unwrap_or_default();
    let status = j.status.clone().unwrap_or_default();
    let conds = status.conditions.clone().unwrap_or_default();
    let state = if has(&conds, "Complete") {
        "Complete"
    } else if has(&conds, "Failed") {
        "Failed"
    } else if j.metadata.deletion_timestamp.is_some() {
        "Terminating"
    } else if has(&conds, "Suspended") {
        "Suspended"
    } else if has(&conds, "FailureTarget") {
        "FailureTarget"
    } else if has(&conds, "SuccessCriteriaMet") {
        "SuccessCriteriaMet"
    } else {
        "Running"
    };
    let succeeded = status.succeeded.unwrap_or(0);
    let completions = match spec.completions {
        Some(c) => format!("{succeeded}/{c}"),
        None => {
            let p = spec.parallelism.unwrap_or(1);
            if p > 1 {
                format!("{succeeded}/1 of {p}")
            } else {
                format!("{succeeded}/1")
            }
        }
    };
    let duration = match (status.start_time.as_ref(), status.completion_time.as_ref()) {
        (None, _) => String::new(),
        (Some(s), None) => age(Some(s.0), now),
        (Some(s), Some(c)) => age(Some(s.0), c.0),
    };
    let [names, images] = container_cells(Some(&spec.template));
    plain(vec![
        name(&j.metadata),
        state.into(),
        completions.into(),
        duration.into(),
        created(&j.metadata, now),
        names,
        images,
        selector_string(spec.selector.as_ref())
            .unwrap_or_else(|| "<invalid>".into())
            .into(),
    ])
}

pub(super) fn cronjob_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let cj: &CronJob = &super::parse(o)?;
    let spec = cj.spec.clone().unwrap_or_default();
    let status = cj.status.clone().unwrap_or_default();
    let last = status
        .last_schedule_time
        .as_ref()
        .map_or("<none>".to_string(), |t| age(Some(t.0), now));
    let job_spec = spec.job_template.spec.clone().unwrap_or_default();
    let [names, images] = container_cells(Some(&job_spec.template));
    plain(vec![
        name(&cj.metadata),
        spec.schedule.clone().into(),
        spec.time_zone
            .clone()
            .unwrap_or_else(|| "<none>".into())
            .into(),
        if spec.suspend.unwrap_or(false) {
            "True"
        } else {
            "False"
        }
        .into(),
        status.active.map_or(0, |a| a.len()).into(),
        last.into(),
        created(&cj.metadata, now),
        names,
        images,
        selector_string(job_spec.selector.as_ref())
            .unwrap_or_else(|| "<invalid>".into())
            .into(),
    ])
}
