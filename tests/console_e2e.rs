//! End-to-end: the real `warroom demo` binary in a pseudo-terminal, the
//! simulated cluster's virtual clock moved by the test, the screen read back
//! through a VT100 parser — what an on-call engineer would see.

mod common;

use common::pty::{Console, demo_with, free_port};

fn demo(scenario: &str, cols: u16, rows: u16) -> (Console, u16) {
    demo_with(scenario, cols, rows, &[], &[])
}

#[test]
fn oom_loop_shows_the_oomkilled_last_termination_and_crashloopbackoff() {
    let (mut console, port) = demo("oom-loop", 200, 50);
    console.wait_for("production");
    console.advance_until(port, "OOMKilled exit 137", 10, 300);
    console.advance_until(port, "CrashLoopBackOff", 5, 600);
    console.send("q");
    assert!(console.wait_exit(), "warroom exits cleanly on q");
    let raw = console.raw_output();
    let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(200)..]).to_string();
    assert!(
        tail.contains("\x1b[?1049l"),
        "alternate screen left on exit: {tail:?}"
    );
}

/// The theme colour as the terminal reports it back.
fn vt_color(style: ratatui::style::Style) -> vt100::Color {
    match style.fg {
        Some(ratatui::style::Color::Indexed(i)) => vt100::Color::Idx(i),
        Some(ratatui::style::Color::Rgb(r, g, b)) => vt100::Color::Rgb(r, g, b),
        other => panic!("test expects an indexed or RGB colour, theme has {other:?}"),
    }
}

#[test]
fn bad_deploy_marks_the_running_but_not_ready_pod_apart_from_failing_ones() {
    let (mut console, port) = demo("bad-deploy", 200, 50);
    console.wait_for("production");
    console.advance_until(port, "◐", 5, 300);
    let (row, text) = console.row_with("◐").expect("a not-ready row");
    assert!(text.contains("checkout-service"), "{text}");
    assert!(text.contains("0/1") && text.contains("Running"), "{text}");
    let theme = warroom::config::theme::Theme::default();
    let col = text
        .find('◐')
        .map(|b| text[..b].chars().count() as u16)
        .unwrap();
    assert_eq!(console.fg(row, col), Some(vt_color(theme.not_ready)));
    assert_ne!(vt_color(theme.not_ready), vt_color(theme.status_error));
    // The header counts it, and the detail pane explains it.
    console.wait_for("1 not ready");
    console.send("g");
    // The explanation is further down the detail pane: focus it, read on.
    console.send("\t");
    console.read_on_until("readiness probe");
    console.send("\t");

    // The stalled rollout shows in the workloads view once the deadline passes.
    console.send("2");
    console.advance_until(port, "ProgressDeadlineExceeded", 30, 900);
    console.send("q");
    assert!(console.wait_exit());
}

#[test]
fn filter_command_and_views_work_through_the_keyboard() {
    let (mut console, _port) = demo("calm", 160, 40);
    console.wait_for("production");
    console.wait_for("postgres-0");
    console.send("/redis");
    console.enter();
    console.wait_until("only redis rows", |s| {
        let c = s.contents();
        c.contains("redis") && !c.contains("postgres-0")
    });
    console.esc();
    console.wait_for("postgres-0");
    console.send(":nodes");
    console.enter();
    console.wait_for("node-3");
    console.send(":ns monit");
    console.send("\t");
    console.enter();
    console.wait_for("ns monitoring");
    console.send("?");
    console.wait_for("problems only");
    console.esc();
    console.ctrl_c();
    assert!(console.wait_exit());
}

#[test]
fn a_tiny_terminal_gets_a_message_and_resizing_back_restores_the_view() {
    let (mut console, _port) = demo("calm", 120, 30);
    console.wait_for("postgres-0");
    console.resize(20, 5);
    console.wait_for("warroom needs");
    console.resize(120, 30);
    console.wait_for("postgres-0");
    console.send("q");
    assert!(console.wait_exit());
}

#[cfg(unix)]
#[test]
fn sigterm_restores_the_terminal() {
    let (mut console, _port) = demo("calm", 120, 30);
    console.wait_for("postgres-0");
    let pid = console.pid().expect("pid");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
    assert!(console.wait_exit(), "exits with success on SIGTERM");
    let raw = console.raw_output();
    let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(200)..]).to_string();
    assert!(
        tail.contains("\x1b[?1049l"),
        "alternate screen left: {tail:?}"
    );
    assert!(tail.contains("\x1b[?25h"), "cursor shown again: {tail:?}");
}

#[test]
fn without_a_kubeconfig_it_says_so_and_offers_the_demo() {
    let home = tempfile::tempdir().unwrap();
    let err = stderr_of_failure(
        std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
            .env("HOME", home.path())
            .env_remove("KUBECONFIG"),
    );
    assert!(
        err.contains("no kubeconfig found") && err.contains("warroom demo"),
        "{err}"
    );
}

#[test]
fn an_unreachable_api_server_is_a_clear_error_not_a_blank_screen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    let port = free_port();
    std::fs::write(
        &path,
        warroom::sim::kubeconfig::render(&format!("http://127.0.0.1:{port}"), None, "default"),
    )
    .unwrap();
    let err = stderr_of_failure(
        std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
            .arg("--kubeconfig")
            .arg(&path),
    );
    assert!(
        err.contains("cannot reach") && err.contains(&port.to_string()),
        "{err}"
    );
}

#[test]
fn logs_of_a_workload_with_search_and_filter() {
    let (mut console, port) = demo("bad-deploy", 160, 40);
    open_stalled_deployment_logs(&mut console, port);
    console.advance_until(port, "DATABASE_URL environment variable not set", 5, 120);
    console.send("/DATABASE");
    console.enter();
    console.wait_for("/DATABASE (");
    console.send("&!order");
    console.enter();
    console.wait_until("no 'order placed' lines", |s| {
        let c = s.contents();
        c.contains("&!order") && !c.contains("order placed")
    });
    console.leave_and_quit("Workloads ·");
}

#[test]
fn previous_logs_after_an_oomkill_and_the_restart_marker_while_following() {
    let (mut console, port) = demo("oom-loop", 180, 40);
    console.wait_for("production");
    // At 180 columns beside the memory gauges LAST TERMINATION takes its
    // short form (`OOMKilled · 14s`); the table's first row is the killed
    // pod whatever the width.
    console.advance_until(port, "OOMKilled · ", 10, 300);
    console.wait_until("the killed pod sorted first", |s| {
        let mut rows = s.rows(0, s.size().1).skip_while(|r| !r.contains(" NAME "));
        let first = rows.nth(1);
        first.is_some_and(|r| r.contains("notification-service") && r.contains("OOMKilled"))
    });
    // The selection follows the pod it was on (sorting moved it down):
    // `g` goes to the killed pod; follow its logs, then let it die again.
    console.send("g");
    console.send("l");
    console.wait_for("Logs · pod notification-service");
    console.advance_until(port, "restarted: OOMKilled (exit 137)", 10, 600);
    // p: the previous container's log, read once, shown from its end: the
    // last words before the kill.
    console.send("p");
    console.wait_for("previous containers");
    console.wait_for("at the end");
    console.wait_for("memory usage high");
    console.leave_and_quit("Pods ·");
}

#[test]
fn logs_config_limits_apply_and_the_buffer_saves_and_copies() {
    let (_dir, config) = config_file("[logs]\nbuffer_lines = 100\nmax_streams = 1\n");
    let (mut console, port) = demo_with(
        "bad-deploy",
        160,
        40,
        &[],
        &[("WARROOM_CONFIG", config.to_str().unwrap())],
    );
    open_stalled_deployment_logs(&mut console, port);
    // max_streams = 1: one container streamed, and the pane says so.
    console.wait_for("containers streamed (cap)");
    // buffer_lines = 100: the tail of 200 already overflows it.
    console.advance_until(port, "older dropped", 60, 1800);
    console.wait_for("100 lines");

    // ctrl-s: a new file in the working directory, 0600, the path shown.
    console.send("\x13");
    console.wait_for("saved 100 lines to");
    let saved: Vec<_> = std::fs::read_dir(console.home())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".log"))
        .collect();
    assert_eq!(saved.len(), 1, "{:?}", console.home());
    let text = std::fs::read_to_string(saved[0].path()).unwrap();
    assert_eq!(text.lines().count(), 100);
    assert!(
        text.lines().all(|l| l.starts_with("checkout-service-")),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = saved[0].metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    // y: the selected line goes to the terminal's clipboard through OSC 52.
    console.send("y");
    console.wait_for_output(b"\x1b]52;c;");
    console.leave_and_quit("Workloads ·");
}

#[test]
fn a_broken_config_file_is_an_error_with_its_position_before_anything_starts() {
    let (_dir, config) = config_file("[logs]\nbuffer_lines = \"lots\"\n");
    let err = stderr_of_failure(
        std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
            .args(["demo", "--config"])
            .arg(&config),
    );
    assert!(
        err.contains(&format!("{}:2:16:", config.display())),
        "{err}"
    );
}

/// In `bad-deploy`: waits for the not-ready pod, then opens the logs of the
/// stalled deployment, which sorts first in the workloads view.
fn open_stalled_deployment_logs(console: &mut Console, port: u16) {
    console.wait_for("production");
    console.advance_until(port, "◐", 5, 300);
    console.send("2");
    console.wait_for("Workloads ·");
    console.send("l");
    console.wait_for("Logs · Deployment checkout-service");
}

/// A config file in a fresh temporary directory (kept while the guard lives).
fn config_file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// Runs `cmd`, asserts that it failed without a panic, and returns its stderr.
fn stderr_of_failure(cmd: &mut std::process::Command) -> String {
    let out = cmd.output().expect("run warroom");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn config_check_names_the_position_and_config_path_names_the_places() {
    let (_dir, config) = config_file("[safety]\nreadonly = \"yes\"\n");
    let err = stderr_of_failure(
        std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
            .args(["config", "check", "--config"])
            .arg(&config),
    );
    assert!(err.contains(&format!("{}:2:", config.display())), "{err}");
    std::fs::write(&config, "[logs]\nbuffer_lines = 500\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["config", "check", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).ends_with(": ok\n"));
    let data = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["config", "path", "--config"])
        .arg(&config)
        .env("WARROOM_DATA_DIR", data.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&config.display().to_string()), "{text}");
    assert!(text.contains(&data.path().display().to_string()), "{text}");
}
