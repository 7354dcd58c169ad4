//! End-to-end: the real `warroom demo` binary in a pseudo-terminal, the
//! simulated cluster's virtual clock moved by the test, the screen read back
//! through a VT100 parser — what an on-call engineer would see.

mod common;

use common::pty::{Console, advance_demo, free_port};

/// Starts `warroom demo` on a stopped clock, listening on a known port so
/// the test can move time itself.
fn demo(scenario: &str, cols: u16, rows: u16) -> (Console, u16) {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let console = Console::spawn(
        &["demo", "--scenario", scenario, "--speed", "0", "--listen", &listen],
        cols,
        rows,
    );
    (console, port)
}

#[test]
fn oom_loop_shows_the_oomkilled_last_termination_and_crashloopbackoff() {
    let (mut console, port) = demo("oom-loop", 200, 50);
    console.wait_for("production");
    advance_demo(port, 120);
    console.wait_for("OOMKilled exit 137");
    console.wait_for("CrashLoopBackOff");
    console.send("q");
    assert!(console.wait_exit(), "warroom exits cleanly on q");
    let raw = console.raw_output();
    let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(200)..]).to_string();
    assert!(tail.contains("\x1b[?1049l"), "alternate screen left on exit: {tail:?}");
}
