//! Jobs and CronJobs (`batch/v1`) as the console keeps them: how far a Job
//! got (active, succeeded, failed pods against its completions and back-off
//! limit), how it ended (the Job controller's `Complete` and `Failed`
//! conditions, with `BackoffLimitExceeded` or `DeadlineExceeded`), and which
//! CronJob started it; a CronJob's schedule, whether it is suspended, and
//! when it last ran and last succeeded.
//!
//! A busy cluster keeps thousands of finished Jobs: a [`JobInfo`] holds only
//! the conditions that are true and only a failure's message.

use std::borrow::Cow;

use jiff::Timestamp;
use k8s_openapi::api::batch::v1::{CronJob, Job};

use super::ObjectKey;
use super::labels::Labels;
use super::pod_health::{Condition, known, non_empty, time};
use super::sanitize::sanitize;

/// The label the Job controller puts on its pods (Kubernetes 1.27+; older
/// servers write `job-name`).
pub const JOB_NAME_LABEL: &str = "batch.kubernetes.io/job-name";

/// The Job condition kinds, kept without allocation.
const JOB_CONDITIONS: &[&str] = &[
    "Complete",
    "Failed",
    "SuccessCriteriaMet",
    "FailureTarget",
    "Suspended",
];

/// One Job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobInfo {
    pub namespace: String,
    pub name: String,
    /// `spec.completions`: `None` for a work queue (any success ends it).
    pub completions: Option<i32>,
    pub parallelism: i32,
    pub active: i32,
    pub succeeded: i32,
    pub failed: i32,
    /// `spec.backoffLimit` (6 when unset, as the API server defaults it).
    pub backoff_limit: i32,
    /// `spec.activeDeadlineSeconds`.
    pub deadline_s: Option<i64>,
    pub suspended: bool,
    /// The conditions that are `True` (a finished Job's history).
    pub conditions: Vec<Condition>,
    pub started: Option<Timestamp>,
    pub completed: Option<Timestamp>,
    pub created: Option<Timestamp>,
    /// The CronJob that made it (its controller owner).
    pub cronjob: Option<String>,
    /// `spec.selector.matchLabels`: how its pods are found.
    pub selector: Labels,
}

/// Where a Job stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobState<'a> {
    /// `Failed` True (or `FailureTarget`, its pods still terminating):
    /// the reason (`BackoffLimitExceeded`, `DeadlineExceeded`…), the
    /// message and since when.
    Failed {
        reason: &'a str,
        message: Option<&'a str>,
        since: Option<Timestamp>,
    },
    Complete {
        at: Option<Timestamp>,
    },
    Suspended,
    /// Pods running (or being created).
    Running {
        active: i32,
    },
}

impl JobInfo {
    pub fn key(&self) -> ObjectKey {
        ObjectKey::new(&self.namespace, &self.name)
    }

    pub fn from_job(job: &Job) -> JobInfo {
        let meta = &job.metadata;
        let clean = |s: &str| sanitize(s).into_owned();
        let spec = job.spec.as_ref();
        let status = job.status.as_ref();
        let conditions = status
            .and_then(|s| s.conditions.as_deref())
            .unwrap_or(&[])
            .iter()
            .filter(|c| c.status == "True")
            .map(|c| {
                // Only a failure's message says something a reader needs;
                // "Reached expected number of succeeded pods" on thousands
                // of finished Jobs would only cost memory.
                let failure = c.type_ == "Failed" || c.type_ == "FailureTarget";
                let message = failure.then(|| c.message.as_deref().map(clean)).flatten();
                Condition {
                    kind: known(&c.type_, JOB_CONDITIONS),
                    status: Cow::Borrowed("True"),
                    reason: non_empty(c.reason.as_deref()).map(|r| clean(&r)),
                    message: non_empty(message.as_deref()),
                    since: time(c.last_transition_time.as_ref()),
                }
            })
            .collect();
        let cronjob = meta
            .owner_references
            .as_deref()
            .unwrap_or(&[])
            .iter()
            .find(|o| o.kind == "CronJob" && o.controller == Some(true))
            .map(|o| clean(&o.name));
        let selector = spec
            .and_then(|s| s.selector.as_ref())
            .and_then(|s| s.match_labels.clone())
            .map(Labels::from)
            .unwrap_or_default();
        JobInfo {
            namespace: clean(meta.namespace.as_deref().unwrap_or("")),
            name: clean(meta.name.as_deref().unwrap_or("")),
            completions: spec.and_then(|s| s.completions),
            parallelism: spec.and_then(|s| s.parallelism).unwrap_or(1),
            active: status.and_then(|s| s.active).unwrap_or(0).max(0),
            succeeded: status.and_then(|s| s.succeeded).unwrap_or(0).max(0),
            failed: status.and_then(|s| s.failed).unwrap_or(0).max(0),
            backoff_limit: spec.and_then(|s| s.backoff_limit).unwrap_or(6),
            deadline_s: spec.and_then(|s| s.active_deadline_seconds),
            suspended: spec.and_then(|s| s.suspend).unwrap_or(false),
            conditions,
            started: time(status.and_then(|s| s.start_time.as_ref())),
            completed: time(status.and_then(|s| s.completion_time.as_ref())),
            created: time(meta.creation_timestamp.as_ref()),
            cronjob,
            selector,
        }
    }

    pub fn condition(&self, kind: &str) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.kind == kind)
    }

    /// How it stands: failed first (a failure is final), then complete,
    /// suspended, running.
    pub fn state(&self) -> JobState<'_> {
        if let Some(c) = self
            .condition("Failed")
            .or_else(|| self.condition("FailureTarget"))
        {
            return JobState::Failed {
                reason: c.reason.as_deref().unwrap_or("Failed"),
                message: c.message.as_deref(),
                since: c.since,
            };
        }
        if let Some(c) = self.condition("Complete") {
            return JobState::Complete {
                at: self.completed.or(c.since),
            };
        }
        if self.suspended || self.condition("Suspended").is_some() {
            return JobState::Suspended;
        }
        JobState::Running {
            active: self.active,
        }
    }

    /// When it failed, if it did.
    pub fn failed_at(&self) -> Option<Option<Timestamp>> {
        match self.state() {
            JobState::Failed { since, .. } => Some(since),
            _ => None,
        }
    }

    /// `1/1`: succeeded pods against completions (`1/1 of any` for a work
    /// queue).
    pub fn completions_text(&self) -> String {
        match self.completions {
            Some(n) => format!("{}/{n}", self.succeeded),
            None => format!("{}/1 of any", self.succeeded.min(1)),
        }
    }

    /// When it finished (completed or failed), or `None` while it runs.
    pub fn finished(&self) -> Option<Timestamp> {
        match self.state() {
            JobState::Failed { since, .. } => since.or(self.completed),
            JobState::Complete { at } => at,
            _ => None,
        }
    }
}

/// What a Job failure's reason means, for someone new to Jobs, and what
/// to check next.
pub fn failure_meaning(reason: &str) -> (&'static str, &'static [&'static str]) {
    match reason {
        "BackoffLimitExceeded" => (
            "Its pods failed more times than spec.backoffLimit allows: the Job controller gave up and will not start another pod. The work was not done.",
            &[
                "Read the failed pods' logs (l here, or kubectl logs job/NAME): the last lines usually say why",
                "Look at the exit codes in the pods' last termination (1: the program failed; 137: killed, often OOMKilled)",
                "Fix the cause, then run it again: a failed Job is never retried; delete and re-create it (or kubectl create job --from=cronjob/NAME)",
            ],
        ),
        "DeadlineExceeded" => (
            "It ran longer than spec.activeDeadlineSeconds: the Job controller stopped its pods and marked it failed. The work may be half done.",
            &[
                "Read the pods' logs (l here) to see how far it got and what was slow",
                "Check whether it was waiting (a lock, a slow dependency, Pending pods) rather than working",
                "Raise activeDeadlineSeconds only if the work really needs longer",
            ],
        ),
        "PodFailurePolicy" => (
            "A pod failed in a way its podFailurePolicy says must fail the whole Job at once (no retries).",
            &[
                "Read the failed pod's logs (l here) and its exit code",
                "The condition's message names the container and the rule that matched",
            ],
        ),
        "MaxFailedIndexesExceeded" | "FailedIndexes" => (
            "Some indexes of this indexed Job failed more than their back-off limit per index allows.",
            &["Read the logs of the failed indexes' pods (l here)"],
        ),
        _ => (
            "The Job controller marked it failed: it will not start another pod.",
            &[
                "Read the pods' logs (l here, or kubectl logs job/NAME)",
                "kubectl describe job NAME shows the controller's events",
            ],
        ),
    }
}

/// One CronJob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronJobInfo {
    pub namespace: String,
    pub name: String,
    pub schedule: String,
    pub time_zone: Option<String>,
    pub suspend: bool,
    /// The Jobs it runs now (`status.active`), by name.
    pub active: Vec<String>,
    pub last_schedule: Option<Timestamp>,
    pub last_success: Option<Timestamp>,
    pub created: Option<Timestamp>,
}

/// Where a CronJob stands, from its own status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CronState {
    Suspended,
    /// A Job of it runs now.
    Running,
    /// Its last run ended after its last success (or it never succeeded):
    /// that Job failed (or was deleted before it finished).
    LastFailed,
    NeverSucceeded,
    /// Scheduled, never run yet.
    Waiting,
    Ok,
}

impl CronJobInfo {
    pub fn key(&self) -> ObjectKey {
        ObjectKey::new(&self.namespace, &self.name)
    }

    pub fn from_cronjob(cj: &CronJob) -> CronJobInfo {
        let meta = &cj.metadata;
        let clean = |s: &str| sanitize(s).into_owned();
        let spec = cj.spec.as_ref();
        let status = cj.status.as_ref();
        CronJobInfo {
            namespace: clean(meta.namespace.as_deref().unwrap_or("")),
            name: clean(meta.name.as_deref().unwrap_or("")),
            schedule: clean(spec.map_or("", |s| s.schedule.as_str())),
            time_zone: spec
                .and_then(|s| non_empty(s.time_zone.as_deref()))
                .map(|z| clean(&z)),
            suspend: spec.and_then(|s| s.suspend).unwrap_or(false),
            active: status
                .and_then(|s| s.active.as_deref())
                .unwrap_or(&[])
                .iter()
                .filter_map(|r| r.name.as_deref().map(clean))
                .collect(),
            last_schedule: time(status.and_then(|s| s.last_schedule_time.as_ref())),
            last_success: time(status.and_then(|s| s.last_successful_time.as_ref())),
            created: time(meta.creation_timestamp.as_ref()),
        }
    }

    /// How it stands. A run that ended is failed when the last schedule
    /// is later than the last success and nothing runs: a success always
    /// lands after the schedule that started it.
    pub fn state(&self) -> CronState {
        if self.suspend {
            return CronState::Suspended;
        }
        if !self.active.is_empty() {
            return CronState::Running;
        }
        match (self.last_schedule, self.last_success) {
            (None, _) => CronState::Waiting,
            (Some(_), None) => CronState::NeverSucceeded,
            (Some(s), Some(ok)) if s > ok => CronState::LastFailed,
            _ => CronState::Ok,
        }
    }

    /// `0 2 * * *` or `0 2 * * * (Europe/Paris)`.
    pub fn schedule_text(&self) -> String {
        match &self.time_zone {
            Some(z) => format!("{} ({z})", self.schedule),
            None => self.schedule.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
