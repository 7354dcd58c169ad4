//! End-to-end: an incident recorded by the real binary — declared in
//! `demo --scenario bad-deploy`, a note, a rollback through its
//! confirmation, ended, exported — and the Markdown a post-mortem starts
//! from; then the same incident resumed with `--incident` after a restart.

mod common;

use common::pty::demo_with;

#[test]
fn declare_note_roll_back_end_export_and_resume() {
    let data = tempfile::tempdir().unwrap();
    let env = [("WARROOM_DATA_DIR", data.path().to_str().unwrap())];
    let (mut console, port) = demo_with("bad-deploy", 180, 50, &[], &env);
    console.wait_for("production");
    console.advance_until(port, "◐", 5, 300);
    // The not-ready alert fires (it still does when the incident ends).
    console.advance_until(port, "1 warning", 5, 600);

    // i: severity and title; back-filled with what changed before. A
    // severity that does not exist is refused on the prompt, input kept.
    console.send("i");
    console.wait_for("declare incident (SEV1–SEV5, default SEV2;");
    console.send("SEV9 checkout 2.3.0 not ready\r");
    console.wait_for("SEV9 is not a severity: SEV1 (worst) to SEV5");
    assert!(console.screen().contains("SEV9 checkout 2.3.0 not ready"));
    // ctrl-u clears it; the README's words declare it, the severity once.
    console.send("\x15");
    console.send("SEV2 checkout 2.3.0 not ready");
    console.send("\r");
    console.wait_for("SEV2 checkout 2.3.0 not ready");
    console.wait_for("incident declared, began");
    assert!(
        !console.screen().contains("SEV2 SEV2"),
        "{}",
        console.screen()
    );

    // n: a note, two lines, ctrl-s saves.
    console.send("n");
    console.wait_for("Note · ctrl-s saves");
    console.send("DATABASE_URL is missing in 2.3.0\rrolling back to revision 3");
    console.send("\x13");

    // Roll back from the history pane, confirmed.
    console.send("2");
    console.wait_for("Workloads ·");
    console.send("h");
    console.wait_for("→ current");
    console.send("u");
    console.wait_for("(server dry run)");
    console.send("y");
    console.wait_until("the rollback's answer", |s| {
        let c = s.contents();
        c.contains("ℹ") && c.contains("checkout-service rolled back") && !c.contains("Confirm:")
    });
    // q closes the pane (an esc followed at once by a key would read as alt+key).
    console.send("q");
    console.wait_for("Workloads ·");

    // I: the timeline shows the note and the action, with its kubectl.
    console.send("I");
    console.wait_for("Incident · SEV2 checkout 2.3.0 not ready");
    console.wait_for("DATABASE_URL is missing in 2.3.0");
    console.wait_for("$ kubectl rollout undo deployment/checkout-service --to-revision=3");
    console.send("q");
    console.wait_for("Workloads ·");

    // i again: the closing line, then e exports.
    console.send("i");
    console.wait_for("end the incident");
    console.send("rolled back to 2.2.0");
    console.send("\r");
    console.wait_for("ended and saved");
    console.send("e");
    console.wait_for("exported to");
    console.send("q");
    assert!(console.wait_exit());

    let exports = data.path().join("exports");
    let file = std::fs::read_dir(&exports)
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().ends_with(".md"))
        .expect("an exported Markdown file");
    let md = std::fs::read_to_string(file.path()).unwrap();
    for needle in [
        "# checkout 2.3.0 not ready\n",
        "- **Severity:** SEV2\n",
        // It began with the pod that went not ready, before the key press.
        "before it was declared — the first problem recorded: production/checkout-service-",
        "- **Declared:** ",
        "is missing in 2.3.0",
        "rolling back to revision 3",
        "kubectl rollout undo deployment/checkout-service --to-revision=3 -n production",
        "rolled back to 2.2.0",
        "before the incident was declared",
        "## Root cause\n\n_To be written:_ ",
        "## What went well",
        "## Lessons for the team\n\n_To be written:_ ",
        "## Action items\n\n| Action | Owner | Due |\n",
    ] {
        assert!(md.contains(needle), "{needle:?} not in:\n{md}");
    }
    // Ended right after the rollback, the not-ready alert still fired: the
    // export says so rather than calling it resolved.
    assert!(
        md.contains("- **Ended:** ") && md.contains(", while ") && md.contains("still fired: "),
        "{md}"
    );
    assert!(md.contains(" from began to ended\n"), "{md}");
    assert!(!md.contains("**Resolved:**"), "{md}");

    // The journal survives the process: list it, resume it.
    let id = file
        .file_name()
        .to_string_lossy()
        .trim_end_matches(".md")
        .to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["timeline", "list"])
        .env("WARROOM_DATA_DIR", data.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(&id));
    let (mut console, _) = demo_with("bad-deploy", 180, 50, &["--incident", &id], &env);
    console.wait_for(&format!("incident {id} loaded (it had ended)"));
    console.send("I");
    console.wait_for("DATABASE_URL is missing in 2.3.0");
    console.leave_and_quit("Pods ·");
}
