//! The shop's batch work: the nightly `db-backup` CronJob in production
//! (with last night's Job already done), and the `job-fail` incident, a
//! schema migration Job `db-migrate` that fails until its back-off limit.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::create;
use crate::sim::cluster::story::Step;
use crate::sim::cluster::time::{k8s_time, secs};
use crate::sim::cluster::world::World;
use crate::sim::store::cron::Schedule;

pub const BACKUP_SCHEDULE: &str = "0 2 * * *";

/// The annotation the CronJob controller puts on the Jobs it starts.
const SCHEDULED_TIMESTAMP: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

fn backup_container() -> Value {
    json!({
        "name": "db-backup", "image": "registry.local/ops/db-backup:1.4.0",
        "env": [
            {"name": "PGHOST", "value": "postgres.production.svc"},
            {"name": "PGUSER", "value": "backup"},
            {"name": "BACKUP_BUCKET", "value": "s3://shop-backups/nightly/"},
        ],
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "512Mi"}},
    })
}

/// Sets fields a scenario writes as history (an old creation time, a
/// finished status) straight into the store.
fn rewrite(
    w: &mut World,
    storage: &'static str,
    ns: &str,
    name: &str,
    f: impl FnOnce(&mut Value),
) -> Option<Value> {
    let mut obj = w.store.get_value(storage, ns, name)?;
    f(&mut obj);
    Some(w.put_internal(storage, obj).value())
}

/// The nightly backup CronJob, created a month ago, and its last run
/// before `start` (when the console attaches), already done. That run is
/// seeded even when it falls within the shop's two hours of history (the
/// world is built from before it): otherwise a demo started between 02:00
/// and 04:00 would have the controller run a backup during the history, a
/// pod more than at any other hour, and the same seed would tell a
/// different story by the time of day.
pub(super) fn add_backup(w: &mut World, start: Timestamp) {
    let now = w.now;
    create(
        w,
        "cronjobs",
        "batch",
        "production",
        json!({
            "metadata": {"name": "db-backup", "labels": {"app": "db-backup", "team": "shop"}},
            "spec": {
                "schedule": BACKUP_SCHEDULE,
                "concurrencyPolicy": "Forbid",
                "startingDeadlineSeconds": 600,
                "jobTemplate": {
                    "metadata": {"labels": {"app": "db-backup"}},
                    "spec": {
                        "backoffLimit": 2,
                        "template": {
                            "metadata": {"labels": {"app": "db-backup"}},
                            "spec": {"restartPolicy": "OnFailure", "containers": [backup_container()]},
                        },
                    },
                },
            },
        }),
    );
    let Ok(schedule) = Schedule::parse(BACKUP_SCHEDULE) else {
        return;
    };
    let (Some(last), _) = schedule.most_recent(start - secs(2 * 86_400), start) else {
        return;
    };
    let Some(cj) = rewrite(w, "cronjobs", "production", "db-backup", |cj| {
        cj["metadata"]["creationTimestamp"] = json!(k8s_time(now - secs(30 * 86_400)));
    }) else {
        return;
    };
    let started = last + SignedDuration::from_secs(1);
    let done = last + SignedDuration::from_secs(44);
    let job_name = format!("db-backup-{}", last.as_second() / 60);
    let mut job_spec = cj["spec"]["jobTemplate"]["spec"].clone();
    job_spec["template"]["metadata"]["labels"]["app"] = json!("db-backup");
    let owner = json!({"apiVersion": "batch/v1", "kind": "CronJob", "name": "db-backup", "uid": cj["metadata"]["uid"], "controller": true, "blockOwnerDeletion": true});
    let t = |ts: Timestamp| json!(k8s_time(ts));
    create(
        w,
        "jobs",
        "batch",
        "production",
        json!({
            "metadata": {
                "name": job_name, "labels": {"app": "db-backup"},
                "annotations": {SCHEDULED_TIMESTAMP: k8s_time(last)},
                "ownerReferences": [owner],
            },
            "spec": job_spec,
            "status": {
                "startTime": t(started), "completionTime": t(done), "succeeded": 1, "ready": 0, "terminating": 0,
                "uncountedTerminatedPods": {},
                "conditions": [
                    {"type": "SuccessCriteriaMet", "status": "True", "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods", "lastProbeTime": t(done), "lastTransitionTime": t(done)},
                    {"type": "Complete", "status": "True", "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods", "lastProbeTime": t(done), "lastTransitionTime": t(done)},
                ],
            },
        }),
    );
    rewrite(w, "jobs", "production", &job_name, |j| {
        j["metadata"]["creationTimestamp"] = t(last);
    });
    rewrite(w, "cronjobs", "production", "db-backup", |cj| {
        cj["status"] = json!({"lastScheduleTime": t(last), "lastSuccessfulTime": t(done)});
    });
}

/// The migration of release 3.6.0, run as a Job before the rollout.
pub(super) fn migration() -> Step {
    Step::Create {
        group: "batch",
        plural: "jobs",
        namespace: "production".into(),
        object: json!({
            "metadata": {"name": "db-migrate", "labels": {"app": "db-migrate", "team": "shop"}, "annotations": {"kubernetes.io/change-cause": "release 3.6.0: orders region index (SHOP-4590)"}},
            "spec": {
                "backoffLimit": 3,
                "template": {
                    "metadata": {"labels": {"app": "db-migrate"}},
                    "spec": {
                        "restartPolicy": "Never",
                        "containers": [{
                            "name": "db-migrate", "image": "registry.local/shop/db-migrate:3.6.0",
                            "args": ["migrate", "up"],
                            "env": [{"name": "DATABASE_URL", "value": "postgres://migrator@postgres.production.svc:5432/shop"}],
                            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
                        }],
                    },
                },
            },
        }),
    }
}
