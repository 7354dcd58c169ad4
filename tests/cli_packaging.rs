//! What packagers and shells get from the binary: completions for every
//! shell clap_complete knows (bash checked by bash itself when present),
//! the manual pages, and `--version` naming the git revision it was built
//! from.

use std::process::{Command, Output};

fn warroom(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(args)
        .output()
        .expect("the warroom binary runs")
}

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Whether a tool is on PATH.
fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// CI must have what a test needs; elsewhere the test says why it skips.
fn skip_unless(tool: &str) -> bool {
    if have(tool) {
        return false;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{tool} is needed under CI=true and is not on PATH");
    }
    eprintln!("skipped: {tool} is not on PATH");
    true
}

#[test]
fn bash_completion_knows_the_subcommands_and_flags_and_bash_accepts_it() {
    let script = stdout(&warroom(&["completions", "bash"]));
    for word in [
        "demo",
        "sim",
        "timeline",
        "config",
        "screenshot",
        "completions",
        "--readonly",
        "--context",
        "--scenario",
    ] {
        assert!(script.contains(word), "bash completion mentions {word}");
    }
    if skip_unless("bash") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("warroom.bash");
    std::fs::write(&path, &script).unwrap();
    let check = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    assert!(
        check.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn every_shell_gets_completions_and_an_unknown_one_is_refused() {
    for (shell, marker) in [
        ("zsh", "#compdef warroom"),
        ("fish", "complete -c warroom"),
        ("elvish", "edit:completion:arg-completer[warroom]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = stdout(&warroom(&["completions", shell]));
        assert!(script.contains(marker), "{shell}: {marker}");
        assert!(script.contains("readonly"), "{shell} knows --readonly");
    }
    let out = warroom(&["completions", "tcsh"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values"));
}

#[test]
fn the_manual_page_is_roff_and_one_page_per_command_can_be_written() {
    let page = stdout(&warroom(&["man"]));
    assert!(page.contains(".TH warroom 1"), "{page}");
    assert!(page.contains(".SH NAME"));
    assert!(page.contains("readonly"));
    assert!(page.contains("screenshot"));

    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("man1");
    stdout(&warroom(&["man", "-o", out_dir.to_str().unwrap()]));
    for file in [
        "warroom.1",
        "warroom-demo.1",
        "warroom-screenshot.1",
        "warroom-sim-serve.1",
    ] {
        let text = std::fs::read_to_string(out_dir.join(file))
            .unwrap_or_else(|e| panic!("{file} written: {e}"));
        assert!(text.contains(".TH "), "{file} is a manual page");
    }
    assert!(
        !out_dir.join("warroom-timeline-crash-writer.1").exists(),
        "hidden commands have no page"
    );
}

#[test]
fn version_names_the_git_revision_it_was_built_from() {
    let version = stdout(&warroom(&["--version"]));
    assert!(
        version.starts_with(&format!("warroom {}", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    if skip_unless("git") {
        return;
    }
    let rev = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    if !rev.status.success() {
        eprintln!("skipped: not a git checkout, so the version names no revision");
        return;
    }
    let rev = String::from_utf8_lossy(&rev.stdout).trim().to_string();
    assert!(
        version.contains(&format!("(git {rev}")),
        "{version:?} names {rev}"
    );
    // `, <commit date>)` after the revision.
    let date = version
        .trim_end()
        .trim_end_matches(')')
        .rsplit(", ")
        .next()
        .unwrap();
    assert!(
        date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-',
        "{version:?} ends with the commit date"
    );
}
