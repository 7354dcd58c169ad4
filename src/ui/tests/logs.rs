//! The logs pane: a workload's pods in one stream, structured lines,
//! markers, search highlights, and hostile bytes shown escaped.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{render, screen, snap, style_at};
use crate::config::theme::Theme;
use crate::model::log_stream::{LogEvent, RawLine, StreamId};
use crate::state::fixtures::{now, shop};
use crate::state::{Msg, State, update};

fn stream(pod: &str) -> StreamId {
    StreamId {
        namespace: "shop".into(),
        pod: pod.into(),
        container: "app".into(),
    }
}

/// The fixture's cluster with the logs of its first pod open and `lines`
/// streamed from two pods.
pub(super) fn with_logs() -> State {
    let mut s = shop();
    let _ = update(
        &mut s,
        Msg::KeyPressed(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::NONE)),
    );
    let session = s.logs_session;
    let line = |pod: &str, secs: i64, text: &str| RawLine {
        stream: stream(pod),
        at: Some(now() - jiff::SignedDuration::from_secs(secs)),
        bytes: text.as_bytes().into(),
        cut: 0,
        previous: false,
    };
    let _ = update(
        &mut s,
        Msg::Logs {
            session,
            event: LogEvent::Lines(vec![
                line(
                    "checkout-1",
                    30,
                    r#"{"level":"info","msg":"order placed","order_id":"ord-1"}"#,
                ),
                line(
                    "checkout-2",
                    20,
                    r#"{"level":"error","msg":"DATABASE_URL environment variable not set","component":"db"}"#,
                ),
                line(
                    "checkout-2",
                    15,
                    "level=warn msg=\"readiness check failed\" status=503",
                ),
                line(
                    "checkout-1",
                    10,
                    "plain \u{1b}[2J\u{1b}]0;owned\u{7} line with escapes",
                ),
            ]),
        },
    );
    let _ = update(
        &mut s,
        Msg::Logs {
            session,
            event: LogEvent::Restarted {
                stream: stream("checkout-2"),
                reason: "OOMKilled".into(),
                exit_code: Some(137),
            },
        },
    );
    s
}

#[test]
fn logs_pane_shows_pods_levels_markers_and_escapes() {
    let s = with_logs();
    let text = screen(&s, 130, 14);
    snap!("logs_pane", text.clone());
    assert!(
        text.contains("ERROR DATABASE_URL environment variable not set"),
        "{text}"
    );
    assert!(
        text.contains("── checkout-2 restarted: OOMKilled (exit 137) ──"),
        "{text}"
    );
    assert!(text.contains(r"\x1b[2J\x1b]0;owned\x07"), "{text}");
    let terminal = render(&s, 130, 14);
    let buf = terminal.backend().buffer();
    let theme = Theme::default();
    assert_eq!(style_at(buf, "ERROR").fg, theme.log_levels.error.fg);
}

#[test]
fn scrolled_to_the_top_the_lines_below_fill_the_pane() {
    let mut s = with_logs();
    let _ = update(
        &mut s,
        Msg::KeyPressed(KeyEvent::new(KeyCode::Char('g'), KeyModifiers::NONE)),
    );
    let pane = s.overlay.logs().unwrap();
    assert!(!pane.follow);
    assert_eq!(pane.selected, 0);
    let text = screen(&s, 130, 14);
    // The first line is selected and the rest follow under it.
    assert!(text.contains("order placed"), "{text}");
    assert!(text.contains("readiness check failed"), "{text}");
    assert!(text.contains("restarted: OOMKilled"), "{text}");
    let terminal = render(&s, 130, 14);
    let buf = terminal.backend().buffer();
    assert_eq!(
        style_at(buf, "order placed").bg,
        Theme::default().selection.bg
    );
}

#[test]
fn search_matches_are_highlighted() {
    let mut s = with_logs();
    let pane = s.overlay.logs_mut().unwrap();
    pane.buffer.set_query("readiness");
    let terminal = render(&s, 130, 14);
    let buf = terminal.backend().buffer();
    let theme = Theme::default();
    // (The title names the query too; the line's match is the one followed
    // by the rest of the message.)
    assert_eq!(style_at(buf, "readiness check").bg, theme.selection.bg);
    assert_ne!(style_at(buf, "check failed").bg, theme.selection.bg);
}
