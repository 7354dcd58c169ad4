//! The real console in small terminals: at 80×24 the oom-loop incident's
//! pods still say OOMKilled and the header still counts them and the
//! alerts; shrunk to 60×15, the rows keep their reason.

mod common;

use common::pty::demo_with;

#[test]
fn at_80x24_the_oom_loop_rows_say_oomkilled() {
    let (mut console, port) = demo_with("oom-loop", 80, 24, &[], &[]);
    console.wait_for("production");
    console.advance_until(port, "OOMKilled · ", 10, 600);
    let (_, row) = console
        .row_with("OOMKilled · ")
        .expect("a row that says OOMKilled");
    assert!(row.starts_with('│'), "a row of the pods table: {row}");
    assert!(row.contains("notification-serv"), "{row}");
    // The header counts the kills and, once the detectors have seen them,
    // the alerts: nothing cut at 80 columns.
    console.advance_until(port, "alerts: ", 5, 120);
    let header = console
        .screen()
        .lines()
        .nth(1)
        .unwrap_or_default()
        .to_string();
    assert!(header.contains("OOMKilled"), "{header}");
    assert!(header.contains("critical"), "{header}");
    assert!(!header.contains('…'), "{header}");

    // Narrower still, the reason stays on the row.
    console.resize(60, 15);
    console.wait_until("the 60-column table", |s| {
        s.contents()
            .lines()
            .any(|l| l.starts_with('│') && l.contains("OOMKilled · ") && l.chars().count() == 60)
    });
    console.send("q");
    assert!(console.wait_exit(), "warroom exits cleanly on q");
}
