//! Narrow terminals (80×24, 60×15, 20×5) and a wide one (200×55) on the
//! demo scenarios: what explains the incident stays on screen, what does
//! not is shortened first, nothing is cut when there is room, and a
//! confirmation that does not fit cannot be confirmed.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::rollouts::with_history;
use super::scenarios::scenario;
use super::{press, render, screen, snap};
use crate::config::theme::Theme;
use crate::model::action::{Access, Mutation, WorkloadRef};
use crate::model::log_stream::{LogEvent, StreamId};
use crate::model::workload::WorkloadKind;
use crate::sim::ScenarioName;
use crate::state::actions::{Confirm, DryRun};
use crate::state::overlay::Dialog;
use crate::state::{Effect, Msg, State, update};

/// The oom-loop incident five minutes in, its detectors' alerts firing.
fn oom_loop() -> State {
    let mut state = scenario(ScenarioName::OomLoop, 300);
    let now = state.now;
    let _ = update(&mut state, Msg::Ticked(now));
    state
}

/// The screen's lines, without the quotes `screen` puts around them.
fn lines(text: &str) -> Vec<&str> {
    text.lines().map(|l| l.trim_matches('"')).collect()
}

/// The lines of the table (left of a detail pane) that show `needle`.
fn rows_with<'a>(text: &'a str, needle: &str) -> Vec<&'a str> {
    lines(text)
        .into_iter()
        .filter(|l| l.starts_with('│'))
        .map(|l| l.split("││").next().unwrap_or(l))
        .filter(|l| l.contains(needle))
        .collect()
}

/// Both crash-looping pods of oom-loop have a row, told apart by its
/// suffix, that shows `cells`; the header shows `counts`.
fn oom_rows_and_counts(text: &str, cells: &[&str], counts: &[&str]) {
    for suffix in ["-55q48", "-n5zln"] {
        let row = rows_with(text, suffix);
        assert_eq!(row.len(), 1, "{text}");
        for cell in cells {
            assert!(row[0].contains(cell), "{cell:?}: {text}");
        }
    }
    let header = lines(text)[1];
    for count in counts {
        assert!(header.contains(count), "{count:?} in {header:?}");
    }
}

#[test]
fn at_80x24_the_oom_killed_pods_say_so_and_the_header_counts_them() {
    let text = screen(&oom_loop(), 80, 24);
    snap!("narrow_oom_loop_pods_80x24", text.clone());
    // Why they crash; the name keeps its workload and loses the middle of
    // its hash.
    let cells = [
        "notification-serv…",
        "CrashLoopBackOff",
        "2 (14s ago)",
        "OOMKilled · 14s",
    ];
    let counts = [
        "0 not ready",
        "2 failing",
        "2 pods OOMKilled",
        "alerts: 4 critical",
    ];
    oom_rows_and_counts(&text, &cells, &counts);
}

#[test]
fn at_60x15_the_pods_keep_status_and_last_termination() {
    let text = screen(&oom_loop(), 60, 15);
    snap!("narrow_oom_loop_pods_60x15", text.clone());
    let cells = ["CrashLoopBackOff OOMKilled · 14s"];
    oom_rows_and_counts(
        &text,
        &cells,
        &["2 failing", "2 pods OOMKilled", "alerts: 4 critical"],
    );
}

#[test]
fn at_200x55_nothing_in_the_pods_table_is_cut() {
    let state = oom_loop();
    let text = screen(&state, 200, 55);
    snap!("narrow_oom_loop_pods_200x55", text.clone());
    for (name, node, age) in [
        ("notification-service-dcjfbjbdhl-55q48", "node-3", "75m"),
        ("notification-service-dcjfbjbdhl-n5zln", "node-1", "74m"),
    ] {
        let row = rows_with(&text, &format!("{name} "));
        assert_eq!(row.len(), 1, "{text}");
        let cells = [
            "CrashLoopBackOff",
            "2 (14s ago)",
            "OOMKilled exit 137 · 14s ago",
            node,
            age,
        ];
        for cell in cells {
            assert!(row[0].contains(cell), "{cell:?}: {text}");
        }
    }
    // The table (left of the detail pane) cuts nothing.
    for line in lines(&text).iter().filter(|l| l.starts_with('│')) {
        let table = line.split("││").next().unwrap_or(line);
        assert!(!table.contains('…'), "{line}");
    }
    for heading in ["MEM/LIMIT", "NODE", "AGE"] {
        assert!(lines(&text)[4].contains(heading), "{text}");
    }
}

#[test]
fn workloads_keep_ready_and_rollout_when_narrow() {
    let mut state = scenario(ScenarioName::BadDeploy, 200);
    press(&mut state, "2");
    let sizes: [(u16, u16, &[&str]); 3] = [
        // Wide, the images too (without their registry) and nothing cut.
        (
            200,
            55,
            &[
                "3/3",
                "stalled: ProgressDeadlineExceeded",
                "checkout-service:2.3.0",
            ],
        ),
        (80, 24, &["3/3", "stalled: ProgressDeadlineExceeded"]),
        (60, 15, &["3/3   stalled: ProgressDeadlineExceeded"]),
    ];
    for (w, h, cells) in sizes {
        let text = screen(&state, w, h);
        if w < 200 {
            snap!(format!("narrow_bad_deploy_workloads_{w}x{h}"), text.clone());
        } else {
            let table = rows_with(&text, "");
            assert!(table.iter().all(|l| !l.contains('…')), "{text}");
        }
        let row = rows_with(&text, "checkout-service ");
        for cell in cells {
            assert!(row[0].contains(cell), "{w}×{h} {cell:?}: {text}");
        }
    }
}

#[test]
fn alerts_keep_their_name_and_tell_their_objects_apart_when_narrow() {
    let mut state = oom_loop();
    press(&mut state, "5");
    for (w, h) in [(80, 24), (60, 15), (200, 55)] {
        let text = screen(&state, w, h);
        if w == 80 {
            snap!("narrow_oom_loop_alerts_80x24", text.clone());
        }
        for alert in ["OOMKilled", "CrashLoopBackOff"] {
            let rows = rows_with(&text, &format!("✖ {alert} "));
            assert_eq!(rows.len(), 2, "{w}×{h}: {text}");
            // One row per pod, each with its own suffix.
            assert!(rows.iter().any(|r| r.contains("-55q48")), "{text}");
            assert!(rows.iter().any(|r| r.contains("-n5zln")), "{text}");
        }
        let header = lines(&text)[1];
        assert!(header.contains("alerts: 4 critical"), "{w}×{h}: {header:?}");
    }
}

fn cart() -> WorkloadRef {
    WorkloadRef::new(WorkloadKind::Deployment, "shop", "cart")
}

/// The rollback of cart, its dry run passed: `y` would make it.
fn confirming() -> State {
    let mut s = with_history();
    s.overlay.dialog = Some(Dialog::Confirm(Box::new(Confirm {
        warnings: Vec::new(),
        id: 3,
        mutation: Mutation::Rollback {
            target: cart(),
            to_revision: 6,
            from_revision: Some(7),
        },
        changes: vec![
            "image cart: 2.1.0 → 2.0.9".into(),
            "env DATABASE_URL added to cart".into(),
        ],
        dry_run: DryRun::Passed("deployment.apps/cart rolled back (server dry run)".into()),
        access: Some(Access::Allowed),
    })));
    s
}

/// Draws `state` at `width`×`height` as the console does, tells the
/// reducer what was drawn, and presses `y`; returns the screen and
/// whether a change was sent.
fn draw_then_confirm(state: &mut State, width: u16, height: u16) -> (String, bool) {
    let mut drawn = crate::ui::Drawn::default();
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| drawn = crate::ui::draw(f, state, &Theme::default()))
        .unwrap();
    let text = terminal.backend().to_string();
    let _ = update(state, Msg::from(drawn));
    let effects = update(
        state,
        Msg::KeyPressed(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE)),
    );
    let sent = effects.iter().any(|e| matches!(e, Effect::Mutate { .. }));
    (text, sent)
}

#[test]
fn a_confirmation_that_fits_shows_its_y_line_and_y_confirms() {
    for (w, h) in [(200, 55), (80, 24)] {
        let mut state = confirming();
        let (text, sent) = draw_then_confirm(&mut state, w, h);
        if w == 80 {
            snap!("narrow_confirm_80x24", text.clone());
        }
        assert!(text.contains("y make this change"), "{w}×{h}: {text}");
        assert!(text.contains("env DATABASE_URL added to cart"), "{text}");
        assert!(sent, "{w}×{h}: y confirms what is on screen");
    }
}

#[test]
fn a_confirmation_that_does_not_fit_says_so_and_y_does_nothing() {
    let mut state = confirming();
    let (text, sent) = draw_then_confirm(&mut state, 60, 15);
    snap!("narrow_confirm_60x15", text.clone());
    assert!(!text.contains("make this change"), "{text}");
    assert!(
        text.contains("enlarge the terminal to confirm: this needs 60×"),
        "{text}"
    );
    assert!(!sent, "y confirmed a change that was not on screen");
    assert!(state.overlay.confirm().is_some());
    assert!(
        crate::state::tests::last_notice(&state).contains("not wholly on screen"),
        "{:?}",
        state.notices
    );
    // The footer offers y dimmed, as a key that does nothing here.
    let t = render(&state, 60, 15);
    let hint = super::style_at(t.backend().buffer(), "y confirm");
    assert_eq!(hint.fg, Theme::default().dim.fg, "{text}");
    // Too small for anything: nothing panics and y still does nothing.
    for (w, h) in [(20, 5), (50, 10), (49, 30)] {
        let (_, sent) = draw_then_confirm(&mut state, w, h);
        assert!(!sent, "{w}×{h}");
    }
    // Enlarged to the size it asked for, the same confirmation can be made
    // (with the refusal's notice on screen too).
    let needs = text
        .split("this needs 60×")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|rows| rows.parse::<u16>().ok())
        .expect("the rows it needs");
    let (text, sent) = draw_then_confirm(&mut state, 60, needs);
    assert!(text.contains("y make this change"), "{text}");
    assert!(sent);
}

#[test]
fn the_logs_pane_says_why_it_has_no_lines_at_any_width() {
    let mut state = oom_loop();
    press(&mut state, "l");
    let session = state.logs_session;
    let problem = "container \"notification-service\" in pod \"notification-service-dcjfbjbdhl-55q48\" is waiting to start: CrashLoopBackOff";
    let _ = update(
        &mut state,
        Msg::Logs {
            session,
            event: LogEvent::Failed {
                stream: Some(StreamId {
                    namespace: "production".into(),
                    pod: "notification-service-dcjfbjbdhl-55q48".into(),
                    container: "notification-service".into(),
                }),
                error: problem.into(),
                retrying: true,
            },
        },
    );
    for (w, h) in [(60, 15), (80, 24), (200, 55)] {
        let text = screen(&state, w, h);
        // The body, wrapped: the whole reason is there in order.
        let body: String = lines(&text)
            .iter()
            .filter(|l| l.starts_with('│'))
            .flat_map(|l| l.chars().filter(|c| !c.is_whitespace() && *c != '│'))
            .collect();
        let squeezed = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let expected = format!(
            "nolinesyet:notification-service-dcjfbjbdhl-55q48/notification-service:{}(retrying)",
            squeezed(problem)
        );
        assert!(body.contains(&expected), "{w}×{h}: {text}");
    }
    // Nothing panics on a tiny screen with the pane open.
    for (w, h) in [(20, 5), (50, 10), (51, 11)] {
        render(&state, w, h);
    }
}

#[test]
fn no_size_panics_with_a_confirmation_or_the_logs_pane_open() {
    let confirm = confirming();
    let mut logs = oom_loop();
    press(&mut logs, "l");
    for state in [&confirm, &logs] {
        for w in (0..=200).step_by(7) {
            for h in (0..=60).step_by(3) {
                render(state, w, h);
            }
        }
    }
}
