use jiff::Timestamp;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use serde_json::{Value, json};

use crate::model::ObjectKey;
use crate::model::cluster::ClusterData;
use crate::model::insight::{Lens, Mark, Tone};
use crate::model::job::{CronJobInfo, JobInfo};

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

pub(crate) fn job(name: &str, cronjob: Option<&str>, created: &str, status: Value) -> JobInfo {
    let mut meta = json!({"name": name, "namespace": "production", "creationTimestamp": created});
    if let Some(cj) = cronjob {
        meta["ownerReferences"] = json!([{"apiVersion": "batch/v1", "kind": "CronJob", "name": cj, "uid": "u", "controller": true}]);
    }
    let j: Job = serde_json::from_value(json!({
        "metadata": meta,
        "spec": {"backoffLimit": 3, "template": {"spec": {"containers": []}}},
        "status": status,
    }))
    .unwrap();
    JobInfo::from_job(&j)
}

pub(crate) fn failed_status(at: &str) -> Value {
    json!({"failed": 4, "conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit", "lastTransitionTime": at}]})
}

fn complete_status(at: &str) -> Value {
    json!({"succeeded": 1, "completionTime": at, "conditions": [{"type": "Complete", "status": "True", "lastTransitionTime": at}]})
}

fn cluster(jobs: Vec<JobInfo>, cronjobs: Vec<CronJobInfo>) -> ClusterData {
    let mut c = ClusterData::default();
    for j in jobs {
        c.jobs.insert(j.key(), j);
    }
    for cj in cronjobs {
        c.cronjobs.insert(cj.key(), cj);
    }
    c
}

fn backup(status: Value) -> CronJobInfo {
    let cj: CronJob = serde_json::from_value(json!({
        "metadata": {"name": "db-backup", "namespace": "production"},
        "spec": {"schedule": "0 2 * * *", "jobTemplate": {"spec": {"template": {"spec": {"containers": []}}}}},
        "status": status,
    }))
    .unwrap();
    CronJobInfo::from_cronjob(&cj)
}

fn key(name: &str) -> ObjectKey {
    ObjectKey::new("production", name)
}

#[test]
fn a_failed_job_is_bad_with_its_reason_running_busy_complete_ok() {
    let now = t("2026-12-07T12:00:00Z");
    let c = cluster(
        vec![
            job(
                "db-migrate",
                None,
                "2026-12-07T11:50:00Z",
                failed_status("2026-12-07T11:56:00Z"),
            ),
            job("report", None, "2026-12-07T11:59:00Z", json!({"active": 1})),
            job(
                "retrying",
                None,
                "2026-12-07T11:59:00Z",
                json!({"active": 1, "failed": 2}),
            ),
            job(
                "done",
                None,
                "2026-12-07T02:00:00Z",
                complete_status("2026-12-07T02:00:44Z"),
            ),
        ],
        vec![],
    );
    let v = |n: &str| Lens::Job.verdict(&c, &key(n), now).unwrap();
    assert_eq!(v("db-migrate").mark, Mark::Bad);
    assert_eq!(
        v("db-migrate").cells,
        vec!["4", "failed: BackoffLimitExceeded"]
    );
    assert_eq!(v("report").mark, Mark::Busy);
    assert_eq!(v("report").cells[1], "running 1 pod");
    assert_eq!(v("retrying").mark, Mark::Warn);
    assert_eq!(v("retrying").cells[1], "retrying: 2 failed of 4 allowed");
    assert_eq!(v("done").mark, Mark::Ok);
    assert_eq!(Lens::Job.verdict(&c, &key("gone"), now), None);
}

#[test]
fn a_failed_jobs_detail_says_why_and_what_to_check_for_a_junior() {
    let now = t("2026-12-07T12:00:00Z");
    let c = cluster(
        vec![job(
            "db-migrate",
            None,
            "2026-12-07T11:50:00Z",
            failed_status("2026-12-07T11:56:00Z"),
        )],
        vec![],
    );
    let sections = Lens::Job.detail(&c, &key("db-migrate"), now);
    let headings: Vec<&str> = sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(headings[0], "Job");
    assert!(headings.contains(&"Why it failed"), "{headings:?}");
    let why = sections
        .iter()
        .find(|s| s.heading == "Why it failed")
        .unwrap();
    assert_eq!(why.facts[0].text, "BackoffLimitExceeded");
    assert_eq!(why.facts[0].tone, Tone::Bad);
    let all: Vec<&str> = why.facts.iter().map(|f| f.text.as_str()).collect();
    assert!(
        all.iter()
            .any(|t| t.contains("kubectl logs job/db-migrate")),
        "{all:?}"
    );
    assert!(all.iter().any(|t| t.contains("exit codes")), "{all:?}");
    let job = &sections[0];
    assert!(
        job.facts
            .iter()
            .any(|f| f.text == "active 0 · succeeded 0 · failed 4")
    );
}

#[test]
fn a_cronjob_whose_last_run_failed_is_bad_and_lists_its_jobs_newest_first() {
    let now = t("2026-12-07T12:00:00Z");
    let c = cluster(
        vec![
            job(
                "db-backup-1",
                Some("db-backup"),
                "2026-12-06T02:00:00Z",
                complete_status("2026-12-06T02:00:44Z"),
            ),
            job(
                "db-backup-2",
                Some("db-backup"),
                "2026-12-07T02:00:00Z",
                failed_status("2026-12-07T02:03:00Z"),
            ),
            job("other", None, "2026-12-07T02:00:00Z", json!({})),
        ],
        vec![backup(
            json!({"lastScheduleTime": "2026-12-07T02:00:00Z", "lastSuccessfulTime": "2026-12-06T02:00:44Z"}),
        )],
    );
    let v = Lens::CronJob.verdict(&c, &key("db-backup"), now).unwrap();
    assert_eq!(v.mark, Mark::Bad);
    assert_eq!(v.cells, vec!["33h ago", "last run failed"]);
    let sections = Lens::CronJob.detail(&c, &key("db-backup"), now);
    let jobs = sections
        .iter()
        .find(|s| s.heading.starts_with("Its Jobs"))
        .unwrap();
    assert_eq!(jobs.heading, "Its Jobs (2; :jobs lists them)");
    assert!(
        jobs.facts[0]
            .text
            .starts_with("db-backup-2  failed: BackoffLimitExceeded"),
        "{:?}",
        jobs.facts[0]
    );
    assert!(jobs.facts[1].text.starts_with("db-backup-1  complete"));
    assert!(sections.iter().any(|s| s.heading == "What it means"));
}

#[test]
fn a_suspended_cronjob_warns_and_says_why_a_healthy_one_is_ok() {
    let now = t("2026-12-07T12:00:00Z");
    let ok = backup(
        json!({"lastScheduleTime": "2026-12-07T02:00:00Z", "lastSuccessfulTime": "2026-12-07T02:00:44Z"}),
    );
    let mut suspended = ok.clone();
    suspended.name = "paused".into();
    suspended.suspend = true;
    let c = cluster(vec![], vec![ok, suspended]);
    let v = Lens::CronJob.verdict(&c, &key("db-backup"), now).unwrap();
    assert_eq!((v.mark, v.cells[1].as_str()), (Mark::Ok, "ok"));
    assert_eq!(v.cells[0], "9h ago");
    let p = Lens::CronJob.verdict(&c, &key("paused"), now).unwrap();
    assert_eq!(p.mark, Mark::Warn);
    assert_eq!(p.cells[1], "suspended: starts no Jobs");
}
