//! Every shipped theme on real screens: the cells that carry meaning wear
//! their slot's style, and `mono` (and whatever `NO_COLOR` resolves to)
//! puts no colour in any cell at all (issue 8).

use ratatui::buffer::{Buffer, Cell};
use ratatui::style::Style;

use super::logs::with_logs;
use super::rollouts::with_history;
use super::{render_with, style_at};
use crate::config::theme::Theme;
use crate::config::theme::{ThemeEnv, choose_theme, select, shipped, shipped_names};
use crate::model::cluster::{Resource, WatchHealth};
use crate::state::fixtures::{ago, shop};
use crate::state::{Notice, Severity, State, View};

fn theme(name: &str) -> Theme {
    shipped(name)
        .unwrap_or_else(|| panic!("{name} is shipped"))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The pods view mid-incident: read-only, the pods watch down (so the
/// header says "stale since"), an error notice, and the cursor on a
/// healthy pod so every health shows unselected.
fn incident_pods() -> State {
    let mut s = shop();
    s.readonly = Some(crate::config::ReadonlyReason::Flag);
    s.cluster.watches.insert(
        Resource::Pods,
        WatchHealth::Down {
            since: ago(108),
            error: "403 Forbidden".into(),
        },
    );
    s.notices.push_back(Notice {
        severity: Severity::Error,
        text: "403 Forbidden: cannot watch pods in namespace shop".into(),
        at: ago(108),
    });
    // checkout-7d8f9c-2xkqp, Running and Ready.
    s.pods.cursor.selected = 4;
    s
}

/// Asserts that the cell where `needle` starts wears `slot`: its colours
/// where the slot sets them, and at least its modifiers.
fn assert_wears(buf: &Buffer, needle: &str, slot: Style, what: &str) {
    let cell = style_at(buf, needle);
    if let Some(fg) = slot.fg {
        assert_eq!(cell.fg, Some(fg), "{what}: fg of {needle:?}");
    }
    if let Some(bg) = slot.bg {
        assert_eq!(cell.bg, Some(bg), "{what}: bg of {needle:?}");
    }
    assert!(
        cell.add_modifier.contains(slot.add_modifier),
        "{what}: {needle:?} has {:?}, not {:?}",
        cell.add_modifier,
        slot.add_modifier
    );
}

#[test]
fn every_shipped_theme_styles_the_incident_screen_by_meaning() {
    let s = incident_pods();
    for name in shipped_names() {
        let t = theme(name);
        let terminal = render_with(&s, 150, 16, &t);
        let buf = terminal.backend().buffer();
        let at = |needle: &str| style_at(buf, needle);

        assert_wears(buf, "cart-5b6d7c-ll2zx", t.status_error, name);
        assert_wears(buf, "✖", t.status_error, name);
        assert_wears(buf, "checkout-7d8f9c-9vbnm", t.not_ready, name);
        assert_wears(buf, "◐", t.not_ready, name);
        assert_wears(buf, "payments-6c9f4d-abcde", t.progressing, name);
        assert_wears(buf, "redis-0", t.base, name);
        assert_wears(
            buf,
            "checkout-7d8f9c-2xkqp",
            t.base.patch(t.selection),
            name,
        );
        assert_wears(buf, "OOMKilled exit 137", t.oom, name);
        assert_wears(buf, "250Mi/256Mi", t.gauge_full, name);
        assert_wears(buf, "stale since", t.stale, name);
        assert_wears(buf, "READ-ONLY", t.readonly_badge, name);
        assert_wears(buf, "403 Forbidden: cannot watch", t.notice_error, name);
        assert_wears(buf, "NAME", t.table_header, name);

        // Whatever the theme, the states a user must tell apart look
        // different, and so does the selected row.
        let rows = [
            ("failing", at("cart-5b6d7c-ll2zx")),
            ("not ready", at("checkout-7d8f9c-9vbnm")),
            ("on its way", at("payments-6c9f4d-abcde")),
            ("healthy", at("redis-0")),
            ("selected", at("checkout-7d8f9c-2xkqp")),
        ];
        for (i, (a, x)) in rows.iter().enumerate() {
            for (b, y) in &rows[i + 1..] {
                assert_ne!(x, y, "{name}: {a} and {b} rows look the same");
            }
        }
    }
}

#[test]
fn every_shipped_theme_styles_logs_and_diffs() {
    let logs = with_logs();
    let history = with_history();
    for name in shipped_names() {
        let t = theme(name);
        let terminal = render_with(&logs, 130, 14, &t);
        let buf = terminal.backend().buffer();
        assert_wears(buf, "ERROR", t.log_levels.error, name);
        let terminal = render_with(&history, 150, 30, &t);
        let buf = terminal.backend().buffer();
        assert_wears(buf, "+      image", t.diff_added, name);
        assert_wears(buf, "-      image", t.diff_removed, name);
    }
}

/// Screens that between them draw every pane, overlay and slot.
fn screens() -> Vec<(String, State, u16, u16)> {
    let mut all = vec![
        ("incident pods".to_string(), incident_pods(), 150, 16),
        ("logs".into(), with_logs(), 130, 14),
        ("rollout history".into(), with_history(), 150, 30),
    ];
    let mut grouped = shop();
    grouped.pods.group_by_workload = true;
    grouped.pending.pods.everything();
    grouped.refresh_view();
    assert!(
        grouped
            .pods
            .rows
            .iter()
            .any(|r| matches!(r, crate::state::PodRow::Group { .. }))
    );
    all.push(("pods grouped".into(), grouped, 140, 24));
    let mut help = shop();
    help.overlay.dialog = Some(crate::state::overlay::Dialog::Help { page: 0 });
    all.push(("help".into(), help, 200, 50));
    for view in View::ALL {
        let mut s = shop();
        s.view = view;
        all.push((format!("{view:?}"), s, 170, 30));
    }
    all
}

/// Every cell of every screen has the terminal's own colours (`Reset`
/// foreground, background and underline colour): only its symbol and
/// modifiers may differ from a blank cell.
fn assert_colourless(what: &str, theme: &Theme) {
    for (screen, state, w, h) in screens() {
        let terminal = render_with(&state, w, h, theme);
        let buf = terminal.backend().buffer();
        for (i, cell) in buf.content().iter().enumerate() {
            let mut plain = Cell::default();
            plain.set_symbol(cell.symbol());
            plain.modifier = cell.modifier;
            plain.skip = cell.skip;
            let (x, y) = buf.pos_of(i);
            assert_eq!(cell, &plain, "{what}: {screen} at ({x}, {y})");
        }
    }
}

#[test]
fn mono_puts_no_colour_in_any_cell() {
    assert_colourless("mono", &theme("mono"));
}

#[test]
fn no_color_puts_no_colour_in_any_cell() {
    let env = ThemeEnv {
        theme: None,
        no_color: Some("1".into()),
    };
    let choice = choose_theme(None, None, &env);
    let theme = select(&choice, None).unwrap().theme;
    assert_colourless("NO_COLOR", &theme);
    // And the default theme does colour them (the check can fail).
    let coloured = Theme::default();
    let terminal = render_with(&incident_pods(), 150, 16, &coloured);
    assert!(
        terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .any(|c| c.fg != ratatui::style::Color::Reset)
    );
}
