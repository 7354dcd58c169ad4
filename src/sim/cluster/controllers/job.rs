//! The Job controller (`pkg/controller/job`, as of 1.33): runs pods from the
//! template until `completions` of them succeeded, `parallelism` at a time;
//! replaces failed pods after the pod-failure back-off (10 s doubling, capped
//! at 6 minutes); fails the Job when failures pass `backoffLimit` or it ran
//! longer than `activeDeadlineSeconds` — first `FailureTarget`, then, once
//! its pods are gone, `Failed` — and completes it with `SuccessCriteriaMet`
//! then `Complete`. Suspending a Job stops its pods; a finished Job with
//! `ttlSecondsAfterFinished` is deleted that long after it finished.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Map, Value, json};

use super::replicaset::{
    claim, create_pod, delete_pod, is_ready, is_terminating, name, phase, pod_from_template, write,
};
use crate::sim::cluster::events::{self, Source};
use crate::sim::cluster::time::{parse_time, secs};
use crate::sim::cluster::world::World;
use crate::sim::store::selector::LabelSelector;

pub const JOB_CONTROLLER: Source<'static> = Source {
    component: "job-controller",
    host: None,
};

/// `DefaultJobPodFailureBackOff` and `MaxJobPodFailureBackOff`.
const BACKOFF_BASE: i64 = 10;
const BACKOFF_MAX: i64 = 360;

pub const BACKOFF_LIMIT_MESSAGE: &str = "Job has reached the specified backoff limit";
pub const DEADLINE_MESSAGE: &str = "Job was active longer than specified deadline";

fn condition(status: &Value, ty: &str) -> Option<Value> {
    status["conditions"]
        .as_array()?
        .iter()
        .find(|c| c["type"] == ty && c["status"] == "True")
        .cloned()
}

/// A Job that is Complete or Failed.
pub fn is_finished(job: &Value) -> bool {
    condition(&job["status"], "Complete").is_some() || condition(&job["status"], "Failed").is_some()
}

/// Adds a True condition, unless the Job already has one of that type.
fn add_condition(
    status: &mut Map<String, Value>,
    ty: &str,
    reason: &str,
    message: &str,
    now: &str,
) {
    let has = status
        .get("conditions")
        .and_then(Value::as_array)
        .is_some_and(|list| list.iter().any(|c| c["type"] == ty));
    if !has {
        set_condition(status, ty, true, reason, message, now);
    }
}

/// Sets a condition's status, reason and message; its transition time moves
/// only when the status does.
fn set_condition(
    status: &mut Map<String, Value>,
    ty: &str,
    on: bool,
    reason: &str,
    message: &str,
    now: &str,
) {
    let mut list = status
        .get("conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let value = if on { "True" } else { "False" };
    let since = list
        .iter()
        .find(|c| c["type"] == ty && c["status"] == value)
        .map_or(json!(now), |c| c["lastTransitionTime"].clone());
    list.retain(|c| c["type"] != ty);
    list.push(json!({"type": ty, "status": value, "lastProbeTime": now, "lastTransitionTime": since, "reason": reason, "message": message}));
    status.insert("conditions".into(), Value::Array(list));
}

fn record(w: &mut World, job: &Value, warning: bool, reason: &str, message: &str) {
    events::record(w, job, None, warning, reason, message, JOB_CONTROLLER);
}

fn wake_at(w: &mut World, ns: &str, job: &str, t: Timestamp) {
    let key = ("jobs", ns.to_string(), job.to_string());
    let due = w.queues.due.entry(key).or_insert(t);
    if t < *due {
        *due = t;
    }
}

/// When a pod finished (its containers' latest termination).
fn finished_at(pod: &Value) -> Option<Timestamp> {
    pod["status"]["containerStatuses"]
        .as_array()?
        .iter()
        .filter_map(|c| parse_time(&c["state"]["terminated"]["finishedAt"]))
        .max()
}

/// The TTL-after-finished controller: a finished Job with
/// `ttlSecondsAfterFinished` is deleted (with its pods) that long after it
/// finished.
fn expire(w: &mut World, ns: &str, job_name: &str, job: &Value) {
    let Some(ttl) = job["spec"]["ttlSecondsAfterFinished"].as_i64() else {
        return;
    };
    let finished = ["Complete", "Failed"]
        .into_iter()
        .filter_map(|t| condition(&job["status"], t))
        .filter_map(|c| parse_time(&c["lastTransitionTime"]))
        .max();
    let Some(finished) = finished else {
        return;
    };
    let at = finished + secs(ttl);
    if w.now < at {
        wake_at(w, ns, job_name, at);
        return;
    }
    if let Some(rt) = crate::sim::store::resources::by_storage("jobs") {
        let opts = crate::sim::cluster::world::DeleteOptions {
            propagation: Some("Background".into()),
            ..Default::default()
        };
        let _ = w.delete(rt, ns, job_name, &opts);
    }
}

pub fn sync(w: &mut World, ns: &str, job_name: &str) {
    let Some(job) = w.store.get_value("jobs", ns, job_name) else {
        return;
    };
    if is_finished(&job) {
        expire(w, ns, job_name, &job);
        return;
    }
    let spec = &job["spec"];
    let Ok(selector) = LabelSelector::from_json(&spec["selector"]) else {
        return;
    };
    if selector.is_empty() {
        return;
    }
    let now = w.now;
    let now_text = w.now_text();
    let pods = claim(w, "pods", &job, &selector);
    let active: Vec<&Value> = pods
        .iter()
        .filter(|p| !is_terminating(p) && !matches!(phase(p), "Succeeded" | "Failed"))
        .collect();
    let terminating = pods
        .iter()
        .filter(|p| is_terminating(p) && !matches!(phase(p), "Succeeded" | "Failed"))
        .count() as i64;
    let old_status = &job["status"];
    let count = |ph: &str| pods.iter().filter(|p| phase(p) == ph).count() as i64;
    let succeeded = count("Succeeded").max(old_status["succeeded"].as_i64().unwrap_or(0));
    let failed = count("Failed").max(old_status["failed"].as_i64().unwrap_or(0));
    let on_failure = spec["template"]["spec"]["restartPolicy"] == "OnFailure";
    // With OnFailure, the kubelet restarts containers in place: those
    // restarts are the failures the back-off limit counts.
    let restarts: i64 = if on_failure {
        active
            .iter()
            .flat_map(|p| {
                p["status"]["containerStatuses"]
                    .as_array()
                    .into_iter()
                    .flatten()
            })
            .map(|c| c["restartCount"].as_i64().unwrap_or(0))
            .sum()
    } else {
        0
    };
    let completions = spec["completions"].as_i64();
    let parallelism = spec["parallelism"].as_i64().unwrap_or(1).max(0);
    let backoff_limit = spec["backoffLimit"].as_i64().unwrap_or(6);
    let suspended = spec["suspend"] == true;

    let mut status = old_status.as_object().cloned().unwrap_or_default();
    // Suspending stops the Job's pods and its clock; resuming restarts both.
    let was_suspended = condition(old_status, "Suspended").is_some();
    if suspended && !was_suspended {
        set_condition(
            &mut status,
            "Suspended",
            true,
            "JobSuspended",
            "Job suspended",
            &now_text,
        );
        status.remove("startTime");
        for p in &active {
            let _ = delete_pod(w, ns, name(p));
        }
        record(w, &job, false, "Suspended", "Job suspended");
    } else if !suspended && was_suspended {
        set_condition(
            &mut status,
            "Suspended",
            false,
            "JobResumed",
            "Job resumed",
            &now_text,
        );
        status.remove("startTime");
        record(w, &job, false, "Resumed", "Job resumed");
    }
    if status.get("startTime").is_none_or(Value::is_null) && !suspended {
        status.insert("startTime".into(), json!(now_text));
    }
    let start = status.get("startTime").and_then(parse_time).unwrap_or(now);

    // Already failing (FailureTarget): wait for the pods to go, then Failed.
    let failing = condition(old_status, "FailureTarget");
    let mut failure: Option<(String, String)> = failing.as_ref().map(|c| {
        (
            c["reason"].as_str().unwrap_or("").to_string(),
            c["message"].as_str().unwrap_or("").to_string(),
        )
    });
    if failure.is_none() {
        if failed + restarts > backoff_limit {
            failure = Some(("BackoffLimitExceeded".into(), BACKOFF_LIMIT_MESSAGE.into()));
        } else if let Some(ads) = spec["activeDeadlineSeconds"].as_i64()
            && !suspended
        {
            if now >= start + secs(ads) {
                failure = Some(("DeadlineExceeded".into(), DEADLINE_MESSAGE.into()));
            } else {
                wake_at(w, ns, job_name, start + secs(ads));
            }
        }
        if let Some((reason, message)) = &failure {
            add_condition(&mut status, "FailureTarget", reason, message, &now_text);
            record(w, &job, true, reason, message);
        }
    }
    let complete = completions.is_some_and(|c| succeeded >= c)
        || (completions.is_none() && succeeded > 0 && active.is_empty());

    let mut remaining_active = if suspended { 0 } else { active.len() as i64 };
    if failure.is_some() {
        for p in &active {
            let _ = delete_pod(w, ns, name(p));
        }
        remaining_active = 0;
        if let Some((reason, message)) = &failure
            && terminating == 0
            && active.is_empty()
        {
            add_condition(&mut status, "Failed", reason, message, &now_text);
        }
    } else if complete {
        add_condition(
            &mut status,
            "SuccessCriteriaMet",
            "CompletionsReached",
            "Reached expected number of succeeded pods",
            &now_text,
        );
        add_condition(
            &mut status,
            "Complete",
            "CompletionsReached",
            "Reached expected number of succeeded pods",
            &now_text,
        );
        status.insert("completionTime".into(), json!(now_text));
        record(w, &job, false, "Completed", "Job completed");
    } else if !suspended {
        let want = match completions {
            Some(c) => (c - succeeded).min(parallelism),
            None => parallelism,
        }
        .max(0);
        let missing = want - active.len() as i64;
        if missing > 0 {
            // The pod-failure back-off, from the last failure.
            let last_failure = pods
                .iter()
                .filter(|p| phase(p) == "Failed")
                .filter_map(finished_at)
                .max();
            let failures = failed + restarts;
            let ready_at = last_failure.map(|t| {
                let exp = (failures - 1).clamp(0, 16) as u32;
                let delay = (BACKOFF_BASE << exp).min(BACKOFF_MAX);
                t + SignedDuration::from_secs(delay)
            });
            match ready_at {
                Some(t) if failures > 0 && now < t => wake_at(w, ns, job_name, t),
                _ => {
                    for _ in 0..missing {
                        let mut pod = pod_from_template(&job, &spec["template"]);
                        if let Some(m) = pod["metadata"].as_object_mut() {
                            m.remove("finalizers");
                        }
                        match create_pod(w, pod) {
                            Ok(p) => {
                                let msg = format!("Created pod: {}", name(&p));
                                record(w, &job, false, "SuccessfulCreate", &msg);
                                remaining_active += 1;
                            }
                            Err(e) => {
                                let msg = format!("Error creating: {e}");
                                record(w, &job, true, "FailedCreate", &msg);
                            }
                        }
                    }
                }
            }
        }
    }
    let ready = active.iter().filter(|p| is_ready(p)).count() as i64;
    let set = |status: &mut Map<String, Value>, key: &str, n: i64| {
        if n == 0 {
            status.remove(key);
        } else {
            status.insert(key.into(), json!(n));
        }
    };
    set(&mut status, "active", remaining_active);
    set(&mut status, "succeeded", succeeded);
    set(&mut status, "failed", failed);
    status.insert(
        "ready".into(),
        json!(if failure.is_some() { 0 } else { ready }),
    );
    status.insert("terminating".into(), json!(terminating));
    status.insert("uncountedTerminatedPods".into(), json!({}));
    let mut new = job.clone();
    new["status"] = Value::Object(status);
    write(w, "jobs", &job, new);
}
