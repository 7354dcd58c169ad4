use jiff::Timestamp;
use serde_json::json;

use crate::model::cluster::ClusterData;
use crate::model::detectors::{Detector, DetectorConfig, JOB_FAILED_WITHIN, detect};
use crate::model::insight::job::tests::{failed_status, job};
use crate::model::job::JobInfo;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn cluster(jobs: Vec<JobInfo>) -> ClusterData {
    let mut c = ClusterData::default();
    for j in jobs {
        c.jobs.insert(j.key(), j);
    }
    c
}

fn job_alerts(c: &ClusterData, now: Timestamp) -> Vec<crate::model::alert::Alert> {
    detect(c, now, &DetectorConfig::default())
        .into_iter()
        .filter(|a| a.name == "JobFailed")
        .collect()
}

#[test]
fn a_recently_failed_job_is_a_warning_labelled_job_name_and_cronjob() {
    let now = t("2026-12-07T12:00:00Z");
    let c = cluster(vec![
        job(
            "db-migrate",
            None,
            "2026-12-07T11:50:00Z",
            failed_status("2026-12-07T11:56:00Z"),
        ),
        job(
            "db-backup-2",
            Some("db-backup"),
            "2026-12-07T02:00:00Z",
            failed_status("2026-12-07T02:03:00Z"),
        ),
        job("fine", None, "2026-12-07T11:50:00Z", json!({"active": 1})),
    ]);
    let alerts = job_alerts(&c, now);
    assert_eq!(alerts.len(), 2, "{alerts:#?}");
    let migrate = alerts
        .iter()
        .find(|a| a.labels["job_name"] == "db-migrate")
        .unwrap();
    assert_eq!(migrate.severity.label(), "warning");
    assert_eq!(migrate.labels["namespace"], "production");
    assert!(!migrate.labels.contains_key("cronjob"));
    assert_eq!(
        migrate.fingerprint,
        "detector/job-failed/production/db-migrate"
    );
    assert_eq!(migrate.starts_at, Some(t("2026-12-07T11:56:00Z")));
    let summary = migrate.summary.as_deref().unwrap();
    assert!(
        summary.contains(
            "Job db-migrate failed at 11:56:00 (BackoffLimitExceeded): 4 of its pods failed"
        ),
        "{summary}"
    );
    let backup = alerts
        .iter()
        .find(|a| a.labels["job_name"] == "db-backup-2")
        .unwrap();
    assert_eq!(backup.labels["cronjob"], "db-backup");
    assert!(
        migrate
            .description
            .as_deref()
            .unwrap()
            .contains("Check next:")
    );
}

#[test]
fn old_failures_and_failures_a_newer_run_superseded_do_not_alert() {
    let now = t("2026-12-07T12:00:00Z");
    let old = now - JOB_FAILED_WITHIN - jiff::SignedDuration::from_mins(1);
    let c = cluster(vec![
        job(
            "last-week",
            None,
            "2026-11-30T02:00:00Z",
            failed_status(&old.to_string()),
        ),
        job(
            "db-backup-1",
            Some("db-backup"),
            "2026-12-07T02:00:00Z",
            failed_status("2026-12-07T02:03:00Z"),
        ),
        job(
            "db-backup-2",
            Some("db-backup"),
            "2026-12-07T11:00:00Z",
            json!({"active": 1}),
        ),
    ]);
    assert!(job_alerts(&c, now).is_empty());
}

#[test]
fn job_failed_can_be_turned_off() {
    let now = t("2026-12-07T12:00:00Z");
    let c = cluster(vec![job(
        "db-migrate",
        None,
        "2026-12-07T11:50:00Z",
        failed_status("2026-12-07T11:56:00Z"),
    )]);
    let cfg = DetectorConfig {
        disabled: vec![Detector::JobFailed],
        ..DetectorConfig::default()
    };
    assert!(detect(&c, now, &cfg).iter().all(|a| a.name != "JobFailed"));
    assert_eq!(
        Detector::from_alertname("jobfailed"),
        Some(Detector::JobFailed)
    );
}
