//! The status-guide entry for what the `JobFailed` detector raises: a Job
//! that gave up. Part of the one [`status_guide`](super::status_guide)
//! table (listed there, before `Other`); here to keep the other files short.

use super::{GuideEntry, StatusKind, always};
use crate::model::pod_health::Health;

pub(super) const JOB_FAILED: GuideEntry = GuideEntry {
    kind: StatusKind::JobFailed,
    title: "Job failed",
    statuses: &[],
    health: Health::Failing,
    meaning: "The Job controller gave up on the Job (condition Failed): its pods failed more times than spec.backoffLimit allows (BackoffLimitExceeded), or it ran longer than spec.activeDeadlineSeconds (DeadlineExceeded). A failed Job is never retried: the work it was to do (a migration, a backup, a report) was not done, and whatever waits for it waits on.",
    next: &[
        always(
            "Read the failed pods' logs ({key.logs|l} on the Job in :jobs, or kubectl logs job/NAME): the last lines usually say why",
        ),
        always(
            "Look at the pods' exit codes (1: the program failed; 137: killed, often OOMKilled) and their events",
        ),
        always(
            "If a CronJob made it, check whether its next run succeeded before acting; else fix the cause and run it again (kubectl create job --from=cronjob/NAME)",
        ),
        always(
            "A migration that failed half-way may have left the schema half changed: check before re-running it or rolling out the release that needs it",
        ),
    ],
};
