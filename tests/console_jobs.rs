//! Jobs and CronJobs in the real binary against the demo: in `job-fail`
//! the migration Job reaches BackoffLimitExceeded; `:jobs` shows it first,
//! failed, with its reason and what to check; the JobFailed alert opens
//! it; `l` streams its failed pods' logs. The calm shop's nightly
//! `db-backup` CronJob in `:cj`.

mod common;

use common::pty::demo_with;

#[test]
fn a_failed_migration_job_is_listed_first_alerts_and_streams_its_pods_logs() {
    let (mut console, port) = demo_with("job-fail", 200, 55, &[], &[]);
    console.wait_for("1 of");
    // The migration fails four times, with back-off, then gives up.
    console.send("5");
    console.wait_for("Alerts ·");
    console.advance_until(port, "JobFailed", 20, 600);
    console.wait_for("Job db-migrate failed at");
    console.wait_for("BackoffLimitExceeded");
    // enter on the alert, enter on its object: the Job in :jobs.
    console.send("/JobFailed");
    console.enter();
    console.enter();
    console.wait_for("jobs.batch · production");
    console.wait_for("the server's columns and warroom's");
    console.wait_for("FAILED");
    console.wait_for("failed: BackoffLimitExceeded");
    // Problems first: the failed Job is the first row, above last night's
    // backup, and coloured as failing.
    let (row, text) = console
        .row_with("failed: BackoffLimitExceeded")
        .expect("the Job's row");
    assert!(text.contains("db-migrate"), "{text}");
    let (backup, _) = console.row_with("complete").expect("the backup's row");
    assert!(row < backup, "the failed Job sorts first");
    // The detail: the pods, the failure, and what to check next.
    console.wait_for("active 0 · succeeded 0 · failed 4");
    console.wait_for("Why it failed");
    console.wait_for("Job has reached the specified backoff limit");
    console.wait_for("kubectl logs job/db-migrate");
    // `l`: every pod of the Job, finished ones included, with why they failed.
    console.send("l");
    console.wait_for("Logs · Job db-migrate");
    console.wait_for("db-migrate joined");
    console.wait_for("FATAL: 1 migration failed");
    console.send("q");
    console.wait_for("jobs.batch · production");
    // `!`: only the problems.
    console.send("!");
    console.wait_for("problems only");
    console.wait_until("only the failed Job listed", |s| {
        let c = s.contents();
        c.contains("db-migrate") && !c.contains("db-backup-")
    });
    console.leave_and_quit("Pods");
}

#[test]
fn logs_are_offered_only_on_a_job_and_previous_logs_say_why_not() {
    let (mut console, _port) = demo_with("calm", 200, 50, &[], &[]);
    console.wait_for("1 of 12");
    console.send(":jobs");
    console.enter();
    console.wait_for("db-backup-");
    console.wait_for("complete");
    console.wait_for("l logs");
    console.send("p");
    console.wait_for("a Job's failed attempts are pods of their own");
    console.send("l");
    console.wait_for("Logs · Job db-backup-");
    console.send("q");
    console.wait_for("jobs.batch · production");
    console.leave_and_quit("Pods");
}

#[test]
fn the_nightly_backup_cronjob_shows_its_last_success_and_its_jobs() {
    let (mut console, _port) = demo_with("calm", 200, 50, &[], &[]);
    console.wait_for("1 of 12");
    console.send(":cj");
    console.enter();
    console.wait_for("cronjobs.batch · production");
    console.wait_for("LAST SUCCESS");
    // Its last success, and its state, in warroom's columns after the
    // server's.
    console.wait_until("the CronJob's row with its last success", |s| {
        s.contents()
            .lines()
            .any(|l| l.contains("db-backup") && l.contains(" ago") && l.contains(" ok "))
    });
    console.wait_for("schedule    0 2 * * *");
    console.wait_for("Its Jobs (1; :jobs lists them)");
    console.wait_for("complete ·");
    console.leave_and_quit("Pods");
}
