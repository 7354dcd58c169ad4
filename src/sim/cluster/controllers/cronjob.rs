//! The CronJob controller (`pkg/controller/cronjob`, the v2 controller):
//! creates a Job for each scheduled time, named `<cronjob>-<minutes since
//! the epoch>`, honouring `suspend`, `startingDeadlineSeconds` and
//! `concurrencyPolicy`; keeps `status.active`, `lastScheduleTime` and
//! `lastSuccessfulTime`; and deletes finished Jobs beyond the history limits.
//! Schedules are read in UTC.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::job::is_finished;
use super::replicaset::{controller_ref, controller_uid, created, name, uid, write};
use crate::sim::cluster::events::{self, Source};
use crate::sim::cluster::time::{k8s_time, parse_time, secs};
use crate::sim::cluster::world::{DeleteOptions, World};
use crate::sim::store::cron::Schedule;
use crate::sim::store::resources;

pub const CRONJOB_CONTROLLER: Source<'static> = Source {
    component: "cronjob-controller",
    host: None,
};

/// The annotation that says which scheduled time a Job was made for.
pub const SCHEDULED_TIMESTAMP: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

fn record(w: &mut World, cj: &Value, warning: bool, reason: &str, message: &str) {
    events::record(w, cj, None, warning, reason, message, CRONJOB_CONTROLLER);
}

fn wake_at(w: &mut World, ns: &str, cj: &str, t: Timestamp) {
    w.queues
        .due
        .insert(("cronjobs", ns.to_string(), cj.to_string()), t);
}

/// The Job's finished condition type (`Complete` or `Failed`), if finished.
fn finished_as(job: &Value) -> Option<&'static str> {
    let conds = job["status"]["conditions"].as_array()?;
    ["Complete", "Failed"].into_iter().find(|t| {
        conds
            .iter()
            .any(|c| c["type"] == *t && c["status"] == "True")
    })
}

fn job_ref(job: &Value) -> Value {
    json!({
        "kind": "Job",
        "namespace": job["metadata"]["namespace"],
        "name": name(job),
        "uid": uid(job),
        "apiVersion": "batch/v1",
        "resourceVersion": job["metadata"]["resourceVersion"],
    })
}

fn delete_job(w: &mut World, cj: &Value, ns: &str, job: &str) {
    let Some(rt) = resources::by_storage("jobs") else {
        return;
    };
    let opts = DeleteOptions {
        propagation: Some("Background".into()),
        ..DeleteOptions::default()
    };
    if w.delete(rt, ns, job, &opts).is_ok() {
        record(
            w,
            cj,
            false,
            "SuccessfulDelete",
            &format!("Deleted job {job}"),
        );
    }
}

/// `time.RFC1123Z`, as the MissSchedule event prints the time.
fn rfc1123z(t: Timestamp) -> String {
    t.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

pub fn sync(w: &mut World, ns: &str, cj_name: &str) {
    let Some(cj) = w.store.get_value("cronjobs", ns, cj_name) else {
        w.queues
            .due
            .remove(&("cronjobs", ns.to_string(), cj_name.to_string()));
        return;
    };
    let now = w.now;
    let cj_uid = uid(&cj).to_string();
    let jobs: Vec<Value> = w
        .store
        .list("jobs", Some(ns), None)
        .items
        .iter()
        .filter(|s| s.owners.contains(&cj_uid))
        .map(|s| s.value())
        .filter(|j| controller_uid(j) == Some(cj_uid.as_str()))
        .collect();
    let mut status = cj["status"].as_object().cloned().unwrap_or_default();
    let old_active: Vec<Value> = status
        .get("active")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut active = Vec::new();
    for job in &jobs {
        let listed = old_active
            .iter()
            .any(|r| r["uid"] == job["metadata"]["uid"]);
        match finished_as(job) {
            Some(cond) => {
                if listed {
                    let msg = format!("Saw completed job: {}, condition: {cond}", name(job));
                    record(w, &cj, false, "SawCompletedJob", &msg);
                }
                if cond == "Complete"
                    && let Some(done) = parse_time(&job["status"]["completionTime"])
                {
                    let last = parse_time(
                        &status
                            .get("lastSuccessfulTime")
                            .cloned()
                            .unwrap_or_default(),
                    );
                    if last.is_none_or(|l| done > l) {
                        status.insert("lastSuccessfulTime".into(), json!(k8s_time(done)));
                    }
                }
            }
            None if !is_finished(job) => active.push(job_ref(job)),
            None => {}
        }
    }
    // Keep the references' order; listed ones first as they were.
    active.sort_by_key(|r| {
        old_active
            .iter()
            .position(|o| o["uid"] == r["uid"])
            .unwrap_or(usize::MAX)
    });
    let spec = &cj["spec"];
    let schedule = spec["schedule"].as_str().unwrap_or("");
    match Schedule::parse(schedule) {
        Err(e) => {
            record(
                w,
                &cj,
                true,
                "InvalidSchedule",
                &format!("invalid schedule: {schedule} : {e}"),
            );
        }
        Ok(_) if cj["metadata"]["deletionTimestamp"].is_string() => {}
        Ok(sched) => {
            if let Some(next) = sched.next_after(now) {
                wake_at(w, ns, cj_name, next);
            }
            if spec["suspend"] != true {
                let last = parse_time(&status.get("lastScheduleTime").cloned().unwrap_or_default());
                let mut earliest = last.or_else(|| created(&cj)).unwrap_or(now);
                if let Some(sds) = spec["startingDeadlineSeconds"].as_i64() {
                    let floor = now - secs(sds);
                    if floor > earliest {
                        earliest = floor;
                    }
                }
                let (scheduled, missed) = sched.most_recent(earliest, now);
                if missed > 100 {
                    record(
                        w,
                        &cj,
                        true,
                        "TooManyMissedTimes",
                        &format!(
                            "too many missed start times: {missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew"
                        ),
                    );
                }
                if let Some(t) = scheduled
                    && let Some(job) = start_job(w, &cj, &jobs, &active, t)
                {
                    active.push(job_ref(&job));
                    status.insert("lastScheduleTime".into(), json!(k8s_time(t)));
                }
            }
        }
    }
    if active.is_empty() {
        status.remove("active");
    } else {
        status.insert("active".into(), Value::Array(active));
    }
    let mut new = cj.clone();
    new["status"] = Value::Object(status);
    write(w, "cronjobs", &cj, new);
    clean_history(w, &cj, &jobs);
}

/// Starts the Job for scheduled time `t`, unless it exists or the
/// concurrency policy says no.
fn start_job(
    w: &mut World,
    cj: &Value,
    jobs: &[Value],
    active: &[Value],
    t: Timestamp,
) -> Option<Value> {
    let ns = cj["metadata"]["namespace"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let cj_name = name(cj).to_string();
    let spec = &cj["spec"];
    if let Some(sds) = spec["startingDeadlineSeconds"].as_i64()
        && t + secs(sds) < w.now
    {
        record(
            w,
            cj,
            true,
            "MissSchedule",
            &format!("Missed scheduled time to start a job: {}", rfc1123z(t)),
        );
        return None;
    }
    let job_name = format!("{cj_name}-{}", t.as_second() / 60);
    if jobs.iter().any(|j| name(j) == job_name) || w.store.get("jobs", &ns, &job_name).is_some() {
        return None;
    }
    match spec["concurrencyPolicy"].as_str().unwrap_or("Allow") {
        "Forbid" if !active.is_empty() => {
            record(
                w,
                cj,
                false,
                "JobAlreadyActive",
                "Not starting job because prior execution is running and concurrency policy is Forbid",
            );
            return None;
        }
        "Replace" => {
            for r in active {
                let n = r["name"].as_str().unwrap_or("").to_string();
                delete_job(w, cj, &ns, &n);
            }
        }
        _ => {}
    }
    let template = &spec["jobTemplate"];
    let mut annotations = template["metadata"]["annotations"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    annotations.insert(SCHEDULED_TIMESTAMP.into(), json!(k8s_time(t)));
    let mut meta = json!({
        "name": job_name,
        "namespace": ns,
        "annotations": annotations,
        "ownerReferences": [controller_ref(cj)],
    });
    if let Some(labels) = template["metadata"].get("labels").filter(|l| l.is_object()) {
        meta["labels"] = labels.clone();
    }
    let job = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": template["spec"]});
    let rt = resources::by_storage("jobs")?;
    match w.create(rt, &ns, job, false) {
        Ok(created) => {
            record(
                w,
                cj,
                false,
                "SuccessfulCreate",
                &format!("Created job {}", name(&created)),
            );
            Some(created)
        }
        Err(e) => {
            record(
                w,
                cj,
                true,
                "FailedCreate",
                &format!("Error creating job: {}", e.message),
            );
            None
        }
    }
}

/// Deletes the oldest finished Jobs beyond the history limits.
fn clean_history(w: &mut World, cj: &Value, jobs: &[Value]) {
    let ns = cj["metadata"]["namespace"]
        .as_str()
        .unwrap_or("")
        .to_string();
    for (cond, key, default) in [
        ("Complete", "successfulJobsHistoryLimit", 3),
        ("Failed", "failedJobsHistoryLimit", 1),
    ] {
        let limit = cj["spec"][key].as_i64().unwrap_or(default).max(0) as usize;
        let mut done: Vec<&Value> = jobs
            .iter()
            .filter(|j| finished_as(j) == Some(cond))
            .collect();
        if done.len() <= limit {
            continue;
        }
        done.sort_by_key(|j| {
            (
                parse_time(&j["status"]["startTime"]).or_else(|| created(j)),
                name(j).to_string(),
            )
        });
        let extra = done.len() - limit;
        for j in done.into_iter().take(extra) {
            let n = name(j).to_string();
            delete_job(w, cj, &ns, &n);
        }
    }
}
