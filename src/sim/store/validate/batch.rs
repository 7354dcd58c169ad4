//! Defaults and validation of HorizontalPodAutoscalers (`autoscaling/v2`),
//! Jobs and CronJobs (`batch/v1`), as the API server's defaulting functions
//! and registry strategies apply them: a Job gets a generated selector on the
//! controller-uid label, and its template the four labels pods are found by.

use serde_json::{Value, json};

use super::{default, default_pod_spec};

/// The label the Job's generated selector matches.
pub const CONTROLLER_UID: &str = "batch.kubernetes.io/controller-uid";
pub const JOB_NAME: &str = "batch.kubernetes.io/job-name";

pub(super) fn default_hpa(obj: &mut Value) {
    let spec = &mut obj["spec"];
    default(spec, "minReplicas", json!(1));
    if spec["metrics"].as_array().is_none_or(Vec::is_empty) && spec.is_object() {
        spec["metrics"] = json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]);
    }
    // A behavior given in part is completed with the default rules; none
    // given stays none (the controller then uses its built-in rates).
    if spec["behavior"].is_object() {
        let b = &mut spec["behavior"];
        default(
            b,
            "scaleUp",
            json!({"stabilizationWindowSeconds": 0, "selectPolicy": "Max", "policies": [
                {"type": "Pods", "value": 4, "periodSeconds": 15},
                {"type": "Percent", "value": 100, "periodSeconds": 15},
            ]}),
        );
        default(
            b,
            "scaleDown",
            json!({"stabilizationWindowSeconds": 300, "selectPolicy": "Max", "policies": [
                {"type": "Percent", "value": 100, "periodSeconds": 15},
            ]}),
        );
        default(&mut b["scaleUp"], "selectPolicy", json!("Max"));
        default(&mut b["scaleUp"], "stabilizationWindowSeconds", json!(0));
        default(&mut b["scaleDown"], "selectPolicy", json!("Max"));
        default(
            &mut b["scaleDown"],
            "stabilizationWindowSeconds",
            json!(300),
        );
    }
}

fn default_job_spec(spec: &mut Value) {
    if !spec.is_object() {
        return;
    }
    let both_unset = spec["completions"].is_null() && spec["parallelism"].is_null();
    if both_unset {
        spec["completions"] = json!(1);
    }
    default(spec, "parallelism", json!(1));
    default(spec, "backoffLimit", json!(6));
    default(spec, "completionMode", json!("NonIndexed"));
    default(spec, "suspend", json!(false));
    default(spec, "podReplacementPolicy", json!("TerminatingOrFailed"));
    default_pod_spec(&mut spec["template"]["spec"]);
}

pub(super) fn default_job(obj: &mut Value) {
    default_job_spec(&mut obj["spec"]);
    let uid = obj["metadata"]["uid"].as_str().unwrap_or("").to_string();
    let name = obj["metadata"]["name"].as_str().unwrap_or("").to_string();
    let manual = obj["spec"]["manualSelector"] == true;
    if manual || uid.is_empty() || !obj["spec"]["selector"].is_null() || !obj["spec"].is_object() {
        return;
    }
    // `generateSelector` of the Job registry strategy.
    obj["spec"]["selector"] = json!({"matchLabels": {CONTROLLER_UID: uid}});
    let meta = &mut obj["spec"]["template"]["metadata"];
    if !(meta.is_object() || meta.is_null()) {
        return;
    }
    for (k, v) in [
        (CONTROLLER_UID, &uid),
        (JOB_NAME, &name),
        ("controller-uid", &uid),
        ("job-name", &name),
    ] {
        if !(meta["labels"].is_object() || meta["labels"].is_null()) {
            return;
        }
        meta["labels"][k] = json!(v);
    }
}

pub(super) fn default_cronjob(obj: &mut Value) {
    let spec = &mut obj["spec"];
    if !spec.is_object() {
        return;
    }
    default(spec, "concurrencyPolicy", json!("Allow"));
    default(spec, "suspend", json!(false));
    default(spec, "successfulJobsHistoryLimit", json!(3));
    default(spec, "failedJobsHistoryLimit", json!(1));
    // The Job defaults apply when a Job is made from the template, not here.
    let job_spec = &mut spec["jobTemplate"]["spec"];
    if job_spec.is_object() {
        default_pod_spec(&mut job_spec["template"]["spec"]);
    }
}

fn check_restart_policy(pod_spec: &Value, path: &str, causes: &mut Vec<(String, String)>) {
    let policy = pod_spec["restartPolicy"].as_str().unwrap_or("");
    if !matches!(policy, "OnFailure" | "Never") {
        causes.push((
            format!("{path}.restartPolicy"),
            format!("Unsupported value: {policy:?}: supported values: \"OnFailure\", \"Never\""),
        ));
    }
}

pub(super) fn validate_hpa(obj: &Value, causes: &mut Vec<(String, String)>) {
    let spec = &obj["spec"];
    let min = spec["minReplicas"].as_i64().unwrap_or(1);
    let max = spec["maxReplicas"].as_i64();
    if min < 1 {
        causes.push((
            "spec.minReplicas".into(),
            format!("Invalid value: {min}: must be greater than or equal to 1"),
        ));
    }
    match max {
        None => causes.push(("spec.maxReplicas".into(), "Required value".into())),
        Some(m) if m < 1 => causes.push((
            "spec.maxReplicas".into(),
            format!("Invalid value: {m}: must be greater than 0"),
        )),
        Some(m) if m < min => causes.push((
            "spec.maxReplicas".into(),
            format!("Invalid value: {m}: must be greater than or equal to `minReplicas`"),
        )),
        _ => {}
    }
    for (field, what) in [("kind", "kind"), ("name", "name")] {
        if spec["scaleTargetRef"][field]
            .as_str()
            .unwrap_or("")
            .is_empty()
        {
            causes.push((
                format!("spec.scaleTargetRef.{what}"),
                "Required value".into(),
            ));
        }
    }
}

pub(super) fn validate_job(obj: &Value, causes: &mut Vec<(String, String)>) {
    let spec = &obj["spec"];
    check_restart_policy(&spec["template"]["spec"], "spec.template.spec", causes);
    for key in [
        "parallelism",
        "completions",
        "backoffLimit",
        "activeDeadlineSeconds",
    ] {
        if let Some(n) = spec[key].as_i64()
            && n < 0
        {
            causes.push((
                format!("spec.{key}"),
                format!("Invalid value: {n}: must be greater than or equal to 0"),
            ));
        }
    }
}

pub(super) fn validate_cronjob(obj: &Value, causes: &mut Vec<(String, String)>) {
    let spec = &obj["spec"];
    let schedule = spec["schedule"].as_str().unwrap_or("");
    if schedule.is_empty() {
        causes.push(("spec.schedule".into(), "Required value".into()));
    } else if let Err(e) = crate::sim::store::cron::Schedule::parse(schedule) {
        causes.push((
            "spec.schedule".into(),
            format!("Invalid value: {schedule:?}: {e}"),
        ));
    }
    check_restart_policy(
        &spec["jobTemplate"]["spec"]["template"]["spec"],
        "spec.jobTemplate.spec.template.spec",
        causes,
    );
}
