//! Jobs and CronJobs in the browse view: whether the work got done, and
//! when a schedule last did it.

use jiff::Timestamp;

use super::{Fact, Mark, Section, Tone, Verdict, ago};
use crate::model::ObjectKey;
use crate::model::cluster::ClusterData;
use crate::model::job::{CronJobInfo, CronState, JobInfo, JobState, failure_meaning};
use crate::model::pod_health::PodInfo;
use crate::model::pod_status::human_duration;

pub(super) const JOB_COLUMNS: &[&str] = &["FAILED", "STATE"];
pub(super) const CRONJOB_COLUMNS: &[&str] = &["LAST SUCCESS", "STATE"];

/// How many of a Job's pods, or a CronJob's Jobs, the detail lists.
const LISTED: usize = 8;

/// The row's mark and its STATE words.
pub(crate) fn job_state(j: &JobInfo) -> (Mark, String) {
    match j.state() {
        JobState::Failed { reason, .. } => (Mark::Bad, format!("failed: {reason}")),
        JobState::Complete { .. } => (Mark::Ok, "complete".into()),
        JobState::Suspended => (Mark::Warn, "suspended".into()),
        JobState::Running { .. } if j.failed > 0 => (
            Mark::Warn,
            format!(
                "retrying: {} failed of {} allowed",
                j.failed,
                j.backoff_limit.saturating_add(1)
            ),
        ),
        JobState::Running { active: 0 } => (Mark::Busy, "starting".into()),
        JobState::Running { active } => (
            Mark::Busy,
            format!("running {active} pod{}", if active == 1 { "" } else { "s" }),
        ),
    }
}

pub(super) fn job_verdict(cluster: &ClusterData, key: &ObjectKey) -> Option<Verdict> {
    let j = cluster.jobs.get(key)?;
    let (mark, words) = job_state(j);
    Some(Verdict {
        mark,
        cells: vec![j.failed.to_string(), words],
    })
}

/// The pods a Job made, newest first: owned by it, or carrying its
/// job-name label. One pass over the pods, for the selected row only.
pub(crate) fn pods_of_job<'a>(cluster: &'a ClusterData, j: &JobInfo) -> Vec<&'a PodInfo> {
    let mut pods: Vec<&PodInfo> = cluster
        .pods
        .values()
        .map(Box::as_ref)
        .filter(|p| p.namespace == j.namespace)
        .filter(|p| {
            p.owner
                .as_ref()
                .is_some_and(|o| o.kind == "Job" && o.name == j.name)
                || p.labels.get(crate::model::job::JOB_NAME_LABEL) == Some(j.name.as_str())
        })
        .collect();
    pods.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.name.cmp(&b.name)));
    pods
}

pub(super) fn job_detail(cluster: &ClusterData, key: &ObjectKey, now: Timestamp) -> Vec<Section> {
    let Some(j) = cluster.jobs.get(key) else {
        return Vec::new();
    };
    let (mark, words) = job_state(j);
    let mut job = Section::new("Job");
    job.push(Fact::new("state", words, mark.tone()));
    job.push(Fact::new(
        "pods",
        format!(
            "active {} · succeeded {} · failed {}",
            j.active, j.succeeded, j.failed
        ),
        Tone::Plain,
    ));
    job.push(Fact::new(
        "completions",
        format!("{} (parallelism {})", j.completions_text(), j.parallelism),
        Tone::Plain,
    ));
    job.push(Fact::new(
        "limit",
        format!(
            "backoffLimit {}: the Job fails once {} of its pods have failed",
            j.backoff_limit,
            j.backoff_limit.saturating_add(1)
        ),
        Tone::Dim,
    ));
    if let Some(d) = j.deadline_s {
        job.push(Fact::new(
            "deadline",
            format!("{d}s (activeDeadlineSeconds): it fails if it runs longer"),
            Tone::Dim,
        ));
    }
    if let Some(t) = j.started {
        job.push(Fact::new("started", ago(t, now), Tone::Dim));
    }
    if let Some(t) = j.finished() {
        let took = j
            .started
            .map(|s| format!(" (ran {})", human_duration(t.duration_since(s))))
            .unwrap_or_default();
        job.push(Fact::new(
            "finished",
            format!("{}{took}", ago(t, now)),
            Tone::Dim,
        ));
    }
    match &j.cronjob {
        Some(cj) => job.push(Fact::new(
            "made by",
            format!("CronJob {cj} (:cj lists it)"),
            Tone::Plain,
        )),
        None => job.push(Fact::new(
            "made by",
            "created directly (no CronJob)",
            Tone::Dim,
        )),
    }
    let mut out = vec![job];
    let pods = pods_of_job(cluster, j);
    let mut listed = Section::new(format!("Pods ({}; l streams their logs)", pods.len()));
    for p in pods.iter().take(LISTED) {
        let ended = p
            .last_termination
            .as_ref()
            .map(|t| format!(" · exit {}", t.exit_code))
            .unwrap_or_default();
        let tone = match p.phase.as_str() {
            "Failed" => Tone::Bad,
            "Succeeded" => Tone::Good,
            _ => Tone::Plain,
        };
        listed.push(Fact::line(format!("{}  {}{ended}", p.name, p.status), tone));
    }
    if pods.len() > LISTED {
        listed.push(Fact::line(
            format!("… and {} more", pods.len() - LISTED),
            Tone::Dim,
        ));
    }
    if pods.is_empty() {
        listed.push(Fact::line(
            "none left: finished pods may have been deleted (ttlSecondsAfterFinished, or by hand)",
            Tone::Dim,
        ));
    }
    out.push(listed);
    if let JobState::Failed {
        reason, message, ..
    } = j.state()
    {
        let mut failure = Section::new("Why it failed");
        failure.push(Fact::new("reason", reason, Tone::Bad));
        if let Some(m) = message {
            failure.push(Fact::new("message", m, Tone::Plain));
        }
        let (meaning, next) = failure_meaning(reason);
        failure.push(Fact::line(meaning, Tone::Dim));
        for step in next {
            failure.step(step.replace("NAME", &j.name));
        }
        out.push(failure);
    }
    out
}

/// The row's mark and its STATE words.
fn cron_state(c: &CronJobInfo) -> (Mark, String) {
    match c.state() {
        CronState::Suspended => (Mark::Warn, "suspended: starts no Jobs".into()),
        CronState::Running => (Mark::Busy, format!("running {}", c.active.join(", "))),
        CronState::LastFailed => (Mark::Bad, "last run failed".into()),
        CronState::NeverSucceeded => (Mark::Bad, "never succeeded".into()),
        CronState::Waiting => (Mark::Ok, "waiting for its first run".into()),
        CronState::Ok => (Mark::Ok, "ok".into()),
    }
}

pub(super) fn cron_verdict(
    cluster: &ClusterData,
    key: &ObjectKey,
    now: Timestamp,
) -> Option<Verdict> {
    let c = cluster.cronjobs.get(key)?;
    let (mark, words) = cron_state(c);
    let success = c
        .last_success
        .map_or_else(|| "never".into(), |t| ago(t, now));
    Some(Verdict {
        mark,
        cells: vec![success, words],
    })
}

/// The Jobs a CronJob made that the console watches, newest first.
fn jobs_of<'a>(cluster: &'a ClusterData, c: &CronJobInfo) -> Vec<&'a JobInfo> {
    let mut jobs: Vec<&JobInfo> = cluster
        .jobs
        .values()
        .filter(|j| j.namespace == c.namespace && j.cronjob.as_deref() == Some(c.name.as_str()))
        .collect();
    jobs.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| b.name.cmp(&a.name)));
    jobs
}

pub(super) fn cron_detail(cluster: &ClusterData, key: &ObjectKey, now: Timestamp) -> Vec<Section> {
    let Some(c) = cluster.cronjobs.get(key) else {
        return Vec::new();
    };
    let (mark, words) = cron_state(c);
    let mut cron = Section::new("CronJob");
    cron.push(Fact::new("state", words, mark.tone()));
    cron.push(Fact::new("schedule", c.schedule_text(), Tone::Plain));
    if c.time_zone.is_none() {
        cron.push(Fact::new(
            "",
            "no timeZone: the times are the kube-controller-manager's time zone (usually UTC)",
            Tone::Dim,
        ));
    }
    let when = |t: Option<Timestamp>| t.map_or_else(|| "never".to_string(), |t| ago(t, now));
    cron.push(Fact::new("scheduled", when(c.last_schedule), Tone::Plain));
    cron.push(Fact::new(
        "succeeded",
        when(c.last_success),
        if matches!(mark, Mark::Bad) {
            Tone::Bad
        } else {
            Tone::Plain
        },
    ));
    cron.push(Fact::new(
        "active",
        if c.active.is_empty() {
            "no Job running".to_string()
        } else {
            c.active.join(", ")
        },
        Tone::Plain,
    ));
    let mut out = vec![cron];
    let jobs = jobs_of(cluster, c);
    let mut recent = Section::new(format!("Its Jobs ({}; :jobs lists them)", jobs.len()));
    for j in jobs.iter().take(LISTED) {
        let (m, words) = job_state(j);
        let at = j
            .created
            .map(|t| format!(" · {}", ago(t, now)))
            .unwrap_or_default();
        recent.push(Fact::line(format!("{}  {words}{at}", j.name), m.tone()));
    }
    if jobs.is_empty() {
        recent.push(Fact::line(
            "none: its Jobs were cleaned up (successfulJobsHistoryLimit, failedJobsHistoryLimit) or it never ran",
            Tone::Dim,
        ));
    }
    out.push(recent);
    let explain: Option<(&str, &[&str])> = match c.state() {
        CronState::Suspended => Some((
            "spec.suspend is true: the schedule starts no new Jobs (running ones go on). Someone paused it, often during an incident or a migration.",
            &[
                "Check whether it is still meant to be paused (the team, the incident channel)",
                "kubectl patch cronjob NAME -p '{\"spec\":{\"suspend\":false}}' resumes it",
            ],
        )),
        CronState::LastFailed | CronState::NeverSucceeded => Some((
            "Its last run ended without success: the work of that schedule (a backup, a report) was not done.",
            &[
                "Open the newest Job in :jobs to see why it failed, and l for its pods' logs",
                "kubectl create job --from=cronjob/NAME NAME-manual runs it again now",
            ],
        )),
        _ => None,
    };
    if let Some((meaning, next)) = explain {
        let mut what = Section::what_it_means(meaning);
        for step in next {
            what.step(step.replace("NAME", &c.name));
        }
        out.push(what);
    }
    out
}

#[cfg(test)]
pub(crate) mod tests;
