//! `JobFailed`: a Job the Job controller gave up on, while the failure is
//! recent and no newer run of its CronJob supersedes it (see the table in
//! the parent module).

use std::collections::HashMap;

use jiff::Timestamp;

use super::{Ctx, Detector, JOB_FAILED_WITHIN, Subject, guide_text};
use crate::model::alert::{Alert, AlertSeverity};
use crate::model::cluster::ClusterData;
use crate::model::explain::StatusKind;
use crate::model::job::JobState;

/// Appends a `JobFailed` alert per recently failed Job. Two passes over
/// the Jobs: the newest Job of each CronJob, then the failures.
pub(super) fn failed(ctx: &Ctx<'_>, cluster: &ClusterData, out: &mut Vec<Alert>) {
    // Per CronJob (namespace, name): when its newest Job was created.
    let mut newest: HashMap<(&str, &str), Option<Timestamp>> = HashMap::new();
    for j in cluster.jobs.values() {
        if let Some(cj) = j.cronjob.as_deref() {
            let n = newest.entry((j.namespace.as_str(), cj)).or_insert(None);
            if j.created > *n {
                *n = j.created;
            }
        }
    }
    for j in cluster.jobs.values() {
        let JobState::Failed {
            reason,
            message,
            since,
        } = j.state()
        else {
            continue;
        };
        if since.is_some_and(|t| ctx.since(t) > JOB_FAILED_WITHIN) {
            continue;
        }
        let superseded = j.cronjob.as_deref().is_some_and(|cj| {
            newest
                .get(&(j.namespace.as_str(), cj))
                .is_some_and(|n| *n > j.created)
        });
        if superseded {
            continue;
        }
        let mut summary = format!(
            "Job {} failed{} ({reason}): {} of its pods failed, {} succeeded",
            j.name,
            ctx.ago(since),
            j.failed,
            j.succeeded
        );
        if let Some(cj) = &j.cronjob {
            summary.push_str(&format!("; made by CronJob {cj}"));
        }
        if let Some(m) = message.map(str::trim).filter(|m| !m.is_empty()) {
            summary.push_str(&format!("; {m}"));
        }
        let description = guide_text(StatusKind::JobFailed, false, false);
        out.push(ctx.alert(
            Detector::JobFailed,
            AlertSeverity::Warning,
            Subject::Job(j),
            since,
            summary,
            description,
        ));
    }
}

#[cfg(test)]
mod tests;
