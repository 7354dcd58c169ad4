//! Themes end to end: the real `warroom demo` in a pseudo-terminal, the
//! screen read back as a terminal shows it. `NO_COLOR` must leave no colour
//! on screen and still show the selection; a theme chosen explicitly must
//! bring colour back although crossterm drops colour codes under `NO_COLOR`.

mod common;

use common::pty::{Console, demo_with};

/// The row under the pods table's header (the selected one at start).
fn first_pod_row(screen: &vt100::Screen) -> Option<u16> {
    let (rows, _) = screen.size();
    (0..rows)
        .find(|r| {
            let text = screen.contents_between(*r, 0, *r + 1, 0);
            text.contains("NAME") && text.contains("READY")
        })
        .map(|r| r + 1)
}

fn quit(mut console: Console) {
    console.send("q");
    assert!(console.wait_exit(), "warroom exits cleanly on q");
}

#[test]
fn no_color_shows_no_colour_and_the_selection_in_reverse_video() {
    let (mut console, _port) = demo_with("oom-loop", 160, 30, &[], &[("NO_COLOR", "1")]);
    console.wait_for("production");
    console.wait_until("the selected pod in reverse video", |s| {
        first_pod_row(s).is_some_and(|row| s.cell(row, 3).is_some_and(|c| c.inverse()))
    });
    console.wait_until("every cell in the terminal's own colours", |s| {
        let (rows, cols) = s.size();
        (0..rows).all(|r| {
            (0..cols).all(|c| {
                s.cell(r, c).is_none_or(|cell| {
                    cell.fgcolor() == vt100::Color::Default
                        && cell.bgcolor() == vt100::Color::Default
                })
            })
        })
    });
    quit(console);
}

#[test]
fn an_explicit_theme_brings_colour_back_under_no_color() {
    let (mut console, _port) = demo_with(
        "oom-loop",
        160,
        30,
        &["--theme", "light"],
        &[("NO_COLOR", "1")],
    );
    console.wait_for("production");
    // light's text colour (index 235) on the pods table.
    console.wait_until("light's text colour on the pods", |s| {
        first_pod_row(s).is_some_and(|row| {
            (row..s.size().0).any(|r| {
                s.cell(r, 3)
                    .is_some_and(|c| c.fgcolor() == vt100::Color::Idx(235))
            })
        })
    });
    quit(console);
}
