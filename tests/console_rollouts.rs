//! End-to-end: rollouts in the real `warroom demo` binary, in a
//! pseudo-terminal — the history, the diff, a rollback through its
//! confirmation, and the two ways nothing may change: `--readonly` (no
//! request but reads, whatever keys are pressed) and a user RBAC allows only
//! to read (every change shown as not allowed, nothing patched).

mod common;

use common::pty::{Console, demo_with, sim_requests};

/// Methods that never change anything.
fn reads_only(requests: &[(String, String, String)]) -> Vec<&(String, String, String)> {
    requests
        .iter()
        .filter(|(method, _, _)| method != "GET")
        .collect()
}

/// In `bad-deploy`: waits for the not-ready pod, then opens the history of
/// the stalled deployment (it sorts first in the workloads view).
fn open_checkout_history(console: &mut Console, port: u16) {
    console.wait_for("production");
    console.advance_until(port, "◐", 5, 300);
    console.send("2");
    console.wait_for("Workloads ·");
    console.send("h");
    console.wait_for("Rollout · Deployment production/checkout-service");
}

#[test]
fn bad_deploy_history_diff_rollback_and_the_pods_become_ready() {
    let (mut console, port) = demo_with("bad-deploy", 180, 50, &[], &[]);
    open_checkout_history(&mut console, port);
    // The previous revision is preselected and compared with the current.
    console.wait_for("→ current");
    console.wait_for("DATABASE_URL removed");
    console.wait_for("2.2.0 → 2.3.0");
    // u: a confirmation with the kubectl equivalent and the server's dry run.
    console.send("u");
    console.wait_for("Confirm: rollback");
    console.wait_for("kubectl rollout undo deployment/checkout-service --to-revision=");
    console.wait_for("(server dry run)");
    let before = sim_requests(port);
    assert!(
        before.iter().all(|(m, _, q)| m == "GET"
            || m == "POST" && !q.contains("dryRun") // access reviews
            || q.contains("dryRun=All")),
        "only dry runs so far: {:?}",
        reads_only(&before)
    );
    console.send("y");
    console.wait_for("deployment.apps/checkout-service rolled back");
    // The rollout is followed until the new pods are Ready.
    console.advance_until(
        port,
        "rollout of Deployment production/checkout-service complete",
        5,
        600,
    );
    let after = sim_requests(port);
    let patches: Vec<_> = after
        .iter()
        .filter(|(m, _, q)| m == "PATCH" && !q.contains("dryRun"))
        .collect();
    assert_eq!(patches.len(), 1, "exactly one real change: {patches:?}");
    console.leave_and_quit("Workloads ·");
}

#[test]
fn with_readonly_no_key_in_any_view_sends_anything_but_reads() {
    let (mut console, port) = demo_with("bad-deploy", 160, 40, &["--readonly"], &[]);
    console.wait_for("READ-ONLY");
    console.advance_until(port, "◐", 5, 300);
    // Every printable key (but q) in each view, in the history pane and in
    // the logs pane, each followed by enter and esc so prompts and dialogs
    // open, submit and close.
    let keys: Vec<char> = (b'!'..=b'~')
        .map(char::from)
        .filter(|c| *c != 'q')
        .collect();
    let combos = [
        ('1', '\0'),
        ('1', 'l'),
        ('1', 'h'),
        ('2', '\0'),
        ('2', 'h'),
        ('2', 'l'),
        ('3', '\0'),
        ('4', '\0'),
    ];
    for (view, pane) in combos {
        console.send(&view.to_string());
        if pane != '\0' {
            console.send(&pane.to_string());
        }
        for k in &keys {
            console.send(&k.to_string());
            console.send("\r");
            console.esc();
        }
        console.esc();
        console.esc();
    }
    // Keys are handled in order: once help shows, every key before it was.
    console.send("?");
    console.wait_until("the help overlay", |s| s.contents().contains("?/esc close"));
    let requests = sim_requests(port);
    assert!(
        reads_only(&requests).is_empty(),
        "--readonly sent: {:?}",
        reads_only(&requests)
    );
    // Whatever pane the keys left open, ctrl-c quits.
    console.ctrl_c();
    assert!(console.wait_exit());
}

#[test]
fn a_user_who_may_only_read_sees_every_change_disabled_with_the_reason() {
    let (mut console, port) = demo_with("bad-deploy", 180, 50, &["--readonly-user"], &[]);
    open_checkout_history(&mut console, port);
    console.wait_for("rollback (forbidden:");
    console.send("r");
    console.wait_for("restart: forbidden:");
    console.send("u");
    console.wait_until("no confirmation", |s| !s.contents().contains("Confirm:"));
    let requests = sim_requests(port);
    let writes: Vec<_> = requests
        .iter()
        .filter(|(m, p, _)| m != "GET" && !p.contains("selfsubjectaccessreviews"))
        .collect();
    assert!(writes.is_empty(), "nothing but access reviews: {writes:?}");
    console.leave_and_quit("Workloads ·");
}
