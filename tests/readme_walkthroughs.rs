//! The README's two walkthroughs, step by step, on the real binary in a
//! pseudo-terminal: exactly the keys each numbered step gives, and each
//! step's claim asserted on the screen. When the README or the console
//! changes so that a step no longer holds, this fails with the screen.
//!
//! Time moves only when the test says so (`--speed 0`, then the sim's
//! virtual clock is advanced): the story is seeded, so every run sees the
//! same.

mod common;

use common::pty::{Console, demo_with};

/// The README's terminal is whatever the reader has; these run at a
/// common laptop size.
const COLS: u16 = 160;
const ROWS: u16 = 48;

fn exported_markdown(data: &std::path::Path) -> String {
    let exports = data.join("exports");
    let file = std::fs::read_dir(&exports)
        .expect("an exports directory")
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().ends_with(".md"))
        .expect("an exported Markdown file");
    std::fs::read_to_string(file.path()).expect("readable export")
}

/// Saves the note open in the editor (its title says how: ctrl-s).
fn save_note(console: &mut Console, text: &str) {
    console.wait_for("Note · ctrl-s saves");
    console.send(text);
    console.send("\x13");
    console.wait_until("the note saved", |s| {
        !s.contents().contains("Note · ctrl-s saves")
    });
}

#[test]
fn bad_deploy_walkthrough() {
    let data = tempfile::tempdir().unwrap();
    let env = [("WARROOM_DATA_DIR", data.path().to_str().unwrap())];
    let (mut c, port) = demo_with("bad-deploy", COLS, ROWS, &[], &env);
    c.wait_for("production");

    // 1. See the alert: `1 not ready` first, then a PodNotReady warning,
    //    then — later — the critical RolloutStalled announced.
    c.advance_until(port, "1 not ready", 5, 300);
    c.advance_until(port, "alerts: 1 warning", 5, 180);
    assert!(
        !c.screen().contains("critical"),
        "PodNotReady comes before RolloutStalled:\n{}",
        c.screen()
    );
    c.send("5");
    c.wait_for("PodNotReady");
    c.advance_until(port, "RolloutStalled", 5, 300);
    // From the feed, the alert's object: `E` shows its events.
    c.send("E");
    c.wait_for("Events ·");
    c.esc();

    // 2. Find the not-ready pod: `1`, marked ◐ and 0/1 Running; `!` keeps
    //    the problems; `tab` explains and lists the probe failures.
    c.send("1");
    c.wait_for("Pods ·");
    let (_, row) = c.row_with("◐").expect("a ◐ pod row");
    assert!(row.contains("0/1") && row.contains("Running"), "{row}");
    c.send("!");
    c.wait_until("problems only", |s| {
        !s.contents().contains("api-server") || s.contents().contains("problems")
    });
    c.send("\t");
    // (wrapped at the pane's width)
    c.read_on_until("Readiness probe failed: HTTP");
    c.wait_for("statuscode: 503");
    c.read_on_until("What this means");
    c.read_on_until("Check next");

    // 3. Read its logs.
    c.send("l");
    c.wait_for("DATABASE_URL environment variable not set");

    // 4. Compare revisions: `h` (from the logs pane), the previous
    //    revision selected, its differences in words first.
    c.send("h");
    c.wait_for("→ current");
    c.wait_for("image checkout-service: 2.2.0 → 2.3.0");
    c.wait_for("env DATABASE_URL removed from checkout-service");

    // 5. Declare the incident (over the history pane), then a note.
    c.send("i");
    c.wait_for("declare incident");
    c.send("SEV2 checkout 2.3.0 not ready");
    c.enter();
    c.wait_for("SEV2 checkout 2.3.0 not ready");
    assert!(
        !c.screen().contains("SEV2 SEV2"),
        "the severity typed once:\n{}",
        c.screen()
    );
    c.wait_for("back-filled");
    c.send("n");
    save_note(&mut c, "DATABASE_URL missing from 2.3.0");

    // 6. Roll back: `u` on revision 3 asks first, with the kubectl command
    //    and a dry run; `y` sends it; the pane follows the rollout.
    c.send("u");
    c.wait_for("kubectl rollout undo deployment/checkout-service --to-revision=3 -n production");
    c.wait_for("(server dry run)");
    c.send("y");
    c.wait_until("the rollback's answer", |s| {
        let t = s.contents();
        t.contains("checkout-service rolled back") && !t.contains("Confirm:")
    });
    c.advance_until(port, "rollout of", 5, 300);

    // 7. Export: `i` ends with a closing line, `e` writes the draft.
    c.send("i");
    c.wait_for("end the incident");
    c.send("rolled back to 2.2.0");
    c.enter();
    c.wait_for("ended and saved");
    c.send("e");
    c.wait_for("exported to");
    let md = exported_markdown(data.path());
    for needle in [
        "checkout 2.3.0 not ready",
        "missing from 2.3.0",
        "kubectl rollout undo deployment/checkout-service --to-revision=3 -n production",
        "rolled back to 2.2.0",
    ] {
        assert!(md.contains(needle), "{needle:?} not in the export:\n{md}");
    }
    c.send("q");
    c.wait_for("Pods ·");
    c.send("q");
    assert!(c.wait_exit());
}

#[test]
fn oom_loop_walkthrough() {
    let data = tempfile::tempdir().unwrap();
    let env = [("WARROOM_DATA_DIR", data.path().to_str().unwrap())];
    let (mut c, port) = demo_with("oom-loop", COLS, ROWS, &[], &env);
    c.wait_for("production");

    // 1. See the alert: OOMKilled, then CrashLoopBackOff, counted in the
    //    header.
    c.advance_until(port, "OOMKilled", 10, 900);
    c.advance_until(port, "critical", 10, 600);

    // 2. Find the pods: LAST TERMINATION keeps the kill after the restart.
    c.send("1");
    c.wait_for("Pods ·");
    // (At this width LAST TERMINATION may take its short form,
    // `OOMKilled · 2m`; the reason and the age stay.)
    c.wait_until("a killed pod's row", |s| {
        s.contents()
            .lines()
            .any(|l| l.contains("notification-serv") && l.contains("OOMKilled"))
    });

    // 3. The previous logs: `p` on the pod (the problems sort first).
    c.send("p");
    c.wait_for("previous");
    c.esc();
    c.wait_for("Pods ·");

    // 4. What changed: the kills, newest first; `h` confirms the revision.
    c.send("c");
    c.wait_for("What changed");
    c.wait_for("OOMKilled");
    c.send("h");
    c.wait_for("→ current");
    c.send("q");
    c.wait_for("Pods ·");

    // 5. Act from the workloads view: `s` asks for replicas, then confirms
    //    with a dry run; `r` restarts, with a warning that the same limit
    //    runs again.
    c.send("2");
    c.wait_for("Workloads ·");
    c.send("/notification");
    c.enter();
    c.wait_for("Deployment notification-service");
    c.send("s");
    c.wait_for("replicas:");
    c.esc();
    c.send("r");
    c.wait_for("Confirm: restart");
    c.wait_for("runs the same template and limits again");
    c.send("n");
    c.wait_until("the confirmation closed", |s| {
        !s.contents().contains("Confirm:")
    });

    // 6. Write it down: `i` declares, `m` marks, `n` notes, `e` exports.
    c.send("i");
    c.wait_for("declare incident");
    c.send("SEV2 notifications OOMKilled");
    c.enter();
    c.wait_for("back-filled");
    c.send("m");
    c.send("n");
    save_note(&mut c, "memory climbs with the spike; scaled out");
    c.send("e");
    c.wait_for("exported to");
    let md = exported_markdown(data.path());
    assert!(md.contains("mark:"), "{md}");
    assert!(md.contains("memory climbs with the spike"), "{md}");
    // q with the incident open asks first.
    c.send("q");
    c.wait_for("an incident is open");
    c.send("y");
    assert!(c.wait_exit());
}
