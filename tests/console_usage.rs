//! End-to-end: usage over time in the real `warroom demo` binary. On
//! oom-loop, notification-service's memory climbs 240 MiB a minute towards
//! its 512Mi limit; the console polls metrics.k8s.io every 15 s of the
//! sim's virtual clock (moved here by the test), keeps the history, warns
//! with MemoryLimitSoon before the kill, and the pod's detail draws the
//! climb and says when it reaches the limit.

mod common;

use common::pty::demo_with;

#[test]
fn oom_loop_warns_memory_limit_soon_before_the_kill_and_draws_the_climb() {
    let (mut console, port) = demo_with("oom-loop", 200, 50, &[], &[]);
    console.wait_for("production");
    console.send("5");
    console.wait_for("Alerts ·");
    // The first kill comes about 93 s in; the warning must come before.
    let took = console.advance_until(port, "MemoryLimitSoon", 5, 85);
    assert!(took <= 85, "{took}");
    let screen = console.screen();
    // No kill yet: the header counts none, and no critical alert fires.
    assert!(
        screen.contains("0 pods OOMKilled") && !screen.contains("critical"),
        "the warning comes before the kill: {screen}"
    );
    assert!(
        screen.contains("memory climbs") && screen.contains("of its 512Mi limit, reaches it"),
        "{screen}"
    );
    // enter: the pod it is about, whose detail draws the climb.
    console.send("\r");
    console.wait_for("Pod notification-service-");
    console.wait_for("mem history");
    console.wait_for("at this rate reaches its 512Mi limit in ~");
    let (_, row) = console.row_with("mem history").expect("the memory line");
    assert!(
        row.contains("limit 512Mi") && row.contains(" now · min "),
        "{row}"
    );
    // The bars rise towards the limit: the newest is higher than the first.
    let bars: Vec<char> = row
        .chars()
        .skip_while(|c| !"▁▂▃▄▅▆▇█".contains(*c))
        .take_while(|c| "▁▂▃▄▅▆▇█ ".contains(*c))
        .filter(|c| *c != ' ')
        .collect();
    assert!(bars.len() >= 4, "{row}");
    assert!(bars.last() > bars.first(), "{row}");
    console.wait_for("cpu history");
    // Then the kill happens, as the warning said.
    console.advance_until(port, "OOMKilled", 5, 120);
    console.leave_and_quit("Pods ·");
}
