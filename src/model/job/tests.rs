use k8s_openapi::api::batch::v1::{CronJob, Job};
use serde_json::json;

use super::*;

fn job(value: serde_json::Value) -> JobInfo {
    let job: Job = serde_json::from_value(value).unwrap();
    JobInfo::from_job(&job)
}

/// A Job as the real controller leaves it after BackoffLimitExceeded.
fn failed_migration() -> serde_json::Value {
    json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "db-migrate", "namespace": "production", "creationTimestamp": "2026-12-07T10:00:00Z"},
        "spec": {
            "backoffLimit": 3, "completions": 1, "parallelism": 1,
            "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "u-1"}},
            "template": {"spec": {"containers": []}},
        },
        "status": {
            "failed": 4, "startTime": "2026-12-07T10:00:01Z",
            "conditions": [
                {"type": "FailureTarget", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit", "lastTransitionTime": "2026-12-07T10:06:00Z"},
                {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit", "lastTransitionTime": "2026-12-07T10:06:01Z"},
            ],
        },
    })
}

#[test]
fn a_job_over_its_backoff_limit_is_failed_with_the_reason_and_message() {
    let j = job(failed_migration());
    assert_eq!(j.failed, 4);
    assert_eq!(j.backoff_limit, 3);
    assert_eq!(
        j.state(),
        JobState::Failed {
            reason: "BackoffLimitExceeded",
            message: Some("Job has reached the specified backoff limit"),
            since: Some("2026-12-07T10:06:01Z".parse().unwrap()),
        }
    );
    assert_eq!(
        j.selector.get("batch.kubernetes.io/controller-uid"),
        Some("u-1")
    );
    assert_eq!(j.completions_text(), "0/1");
}

#[test]
fn a_complete_job_keeps_no_success_message_and_names_its_cronjob() {
    let j = job(json!({
        "metadata": {"name": "db-backup-1", "namespace": "production",
            "ownerReferences": [{"apiVersion": "batch/v1", "kind": "CronJob", "name": "db-backup", "uid": "c", "controller": true}]},
        "spec": {"template": {"spec": {"containers": []}}},
        "status": {"succeeded": 1, "completionTime": "2026-12-07T02:00:44Z", "conditions": [
            {"type": "SuccessCriteriaMet", "status": "True", "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods"},
            {"type": "Complete", "status": "True", "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods"},
            {"type": "Suspended", "status": "False"},
        ]},
    }));
    assert_eq!(j.cronjob.as_deref(), Some("db-backup"));
    assert_eq!(j.conditions.len(), 2, "only the true conditions are kept");
    assert!(j.conditions.iter().all(|c| c.message.is_none()));
    assert_eq!(
        j.state(),
        JobState::Complete {
            at: Some("2026-12-07T02:00:44Z".parse().unwrap())
        }
    );
    assert_eq!(j.backoff_limit, 6, "the API server's default");
}

#[test]
fn a_job_without_conditions_runs_and_a_suspended_one_says_so() {
    let running = job(
        json!({"metadata": {"name": "a"}, "spec": {"template": {"spec": {"containers": []}}}, "status": {"active": 2}}),
    );
    assert_eq!(running.state(), JobState::Running { active: 2 });
    let suspended = job(
        json!({"metadata": {"name": "b"}, "spec": {"suspend": true, "template": {"spec": {"containers": []}}}}),
    );
    assert_eq!(suspended.state(), JobState::Suspended);
}

#[test]
fn a_deadline_failure_is_failed_and_explained_differently() {
    let mut v = failed_migration();
    v["status"]["conditions"] = json!([{"type": "Failed", "status": "True", "reason": "DeadlineExceeded", "message": "Job was active longer than specified deadline"}]);
    let j = job(v);
    assert!(matches!(
        j.state(),
        JobState::Failed {
            reason: "DeadlineExceeded",
            ..
        }
    ));
    let (deadline, _) = failure_meaning("DeadlineExceeded");
    let (backoff, next) = failure_meaning("BackoffLimitExceeded");
    assert!(deadline.contains("activeDeadlineSeconds"));
    assert!(backoff.contains("backoffLimit"));
    assert!(next.iter().any(|s| s.contains("kubectl logs job/")));
}

fn cronjob(spec: serde_json::Value, status: serde_json::Value) -> CronJobInfo {
    let cj: CronJob = serde_json::from_value(json!({
        "metadata": {"name": "db-backup", "namespace": "production"},
        "spec": spec, "status": status,
    }))
    .unwrap();
    CronJobInfo::from_cronjob(&cj)
}

fn spec() -> serde_json::Value {
    json!({"schedule": "0 2 * * *", "jobTemplate": {"spec": {"template": {"spec": {"containers": []}}}}})
}

#[test]
fn a_cronjob_tells_its_state_from_its_status() {
    let ok = cronjob(
        spec(),
        json!({"lastScheduleTime": "2026-12-07T02:00:00Z", "lastSuccessfulTime": "2026-12-07T02:00:44Z"}),
    );
    assert_eq!(ok.state(), CronState::Ok);
    assert_eq!(ok.schedule_text(), "0 2 * * *");
    let failed = cronjob(
        spec(),
        json!({"lastScheduleTime": "2026-12-07T02:00:00Z", "lastSuccessfulTime": "2026-12-06T02:00:44Z"}),
    );
    assert_eq!(failed.state(), CronState::LastFailed);
    let never = cronjob(spec(), json!({"lastScheduleTime": "2026-12-07T02:00:00Z"}));
    assert_eq!(never.state(), CronState::NeverSucceeded);
    let running = cronjob(
        spec(),
        json!({"lastScheduleTime": "2026-12-07T02:00:00Z", "active": [{"name": "db-backup-29420"}]}),
    );
    assert_eq!(running.state(), CronState::Running);
    assert_eq!(running.active, vec!["db-backup-29420".to_string()]);
    assert_eq!(cronjob(spec(), json!({})).state(), CronState::Waiting);
    let mut s = spec();
    s["suspend"] = json!(true);
    s["timeZone"] = json!("Europe/Paris");
    let suspended = cronjob(s, json!({}));
    assert_eq!(suspended.state(), CronState::Suspended);
    assert_eq!(suspended.schedule_text(), "0 2 * * * (Europe/Paris)");
}
