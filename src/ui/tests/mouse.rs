//! Clicks land where the last draw put things: the layout `ui::draw`
//! reports goes back to the reducer as `Msg::Drawn`, as the app does.

use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{find, press};
use crate::config::theme::Theme;
use crate::state::fixtures::shop;
use crate::state::{Focus, Msg, State, View, update_batch};
use crate::ui::draw;

/// Draws and hands the layout to the state; returns the screen.
fn draw_and_report(state: &mut State, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut drawn = crate::ui::Drawn::default();
    terminal
        .draw(|frame| drawn = draw(frame, state, &Theme::default()))
        .unwrap();
    let _ = update_batch(
        state,
        [Msg::Drawn {
            table_rows: drawn.table_rows,
            layout: drawn.layout,
            detail_scroll_max: drawn.detail_scroll_max,
        }],
    );
    terminal
}

fn mouse(kind: MouseEventKind, (column, row): (u16, u16)) -> Msg {
    Msg::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

fn click(state: &mut State, at: (u16, u16)) {
    let _ = update_batch(state, [mouse(MouseEventKind::Down(MouseButton::Left), at)]);
}

#[test]
fn a_click_on_a_tab_switches_the_view() {
    let mut s = shop();
    let t = draw_and_report(&mut s, 120, 30);
    let events = find(t.backend().buffer(), "Events").expect("the events tab");
    click(&mut s, events);
    assert_eq!(s.view, View::Events);
    let t = draw_and_report(&mut s, 120, 30);
    let nodes = find(t.backend().buffer(), "Nodes").expect("the nodes tab");
    click(&mut s, nodes);
    assert_eq!(s.view, View::Nodes);
}

#[test]
fn a_click_selects_a_row_and_a_second_click_opens_it() {
    let mut s = shop();
    s.focus = Focus::Table;
    let t = draw_and_report(&mut s, 120, 40);
    let name = s.pods.rows.iter().rev().find_map(|r| match r {
        crate::state::PodRow::Pod(key) => Some(key.name.clone()),
        _ => None,
    });
    let name = name.expect("a pod row");
    let at = find(t.backend().buffer(), &name).expect("the pod on screen");
    click(&mut s, at);
    let selected = s.pods.cursor.selected;
    assert!(
        matches!(&s.pods.rows[selected], crate::state::PodRow::Pod(k) if k.name == name),
        "row {selected} selected"
    );
    assert_eq!(s.focus, Focus::Table);
    // The same row again: open it, as enter does (a pod focuses its detail).
    draw_and_report(&mut s, 120, 40);
    click(&mut s, at);
    assert_eq!(s.focus, Focus::Detail);
}

#[test]
fn clicks_outside_the_rows_and_over_questions_change_nothing() {
    let mut s = shop();
    let t = draw_and_report(&mut s, 120, 40);
    let before = s.pods.cursor;
    // The column header and the header lines.
    let header = find(t.backend().buffer(), "NAME").expect("the column header");
    click(&mut s, header);
    click(&mut s, (0, 0));
    assert_eq!(s.pods.cursor, before);
    // Under an open prompt a click answers nothing.
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Prompt(
        crate::state::Prompt::new(crate::state::PromptKind::Command, ""),
    ));
    let events = find(t.backend().buffer(), "Events").unwrap();
    click(&mut s, events);
    assert_eq!(s.view, View::Pods);
    // A click closes help.
    s.overlay.dialog = None;
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Help { page: 0 });
    click(&mut s, events);
    assert!(s.overlay.help_page().is_none());
    assert_eq!(s.view, View::Pods);
}

#[test]
fn the_wheel_scrolls_the_table() {
    let mut s = shop();
    draw_and_report(&mut s, 120, 40);
    let before = s.pods.cursor.selected;
    let _ = update_batch(&mut s, [mouse(MouseEventKind::ScrollDown, (10, 10))]);
    assert_eq!(s.pods.cursor.selected, before + 1);
    let _ = update_batch(&mut s, [mouse(MouseEventKind::ScrollUp, (10, 10))]);
    assert_eq!(s.pods.cursor.selected, before);
}

#[test]
fn a_click_selects_a_revision_but_not_the_lines_around_it() {
    let mut s = super::rollouts::with_history();
    let t = draw_and_report(&mut s, 140, 34);
    let rev5 = find(t.backend().buffer(), "2.0.8").expect("revision 5 on screen");
    let rev6 = find(t.backend().buffer(), "2.0.9").expect("revision 6 on screen");
    click(&mut s, rev5);
    assert_eq!(s.overlay.history().unwrap().cursor.selected, 2);
    // A reload that brings a new revision before the click: the click still
    // lands on the revision under the pointer.
    {
        let pane = s.overlay.history_mut().unwrap();
        let history = pane.history.as_mut().unwrap();
        let mut newer = history.revisions[0].clone();
        newer.number = 8;
        history.revisions.insert(0, newer);
    }
    click(&mut s, rev6);
    let pane = s.overlay.history().unwrap();
    assert_eq!(
        pane.history.as_ref().unwrap().revisions[pane.cursor.selected].number,
        6
    );
    // Drawn again, the list has moved down a line.
    let t = draw_and_report(&mut s, 140, 34);
    let rev5 = find(t.backend().buffer(), "2.0.8").expect("revision 5 on screen");
    click(&mut s, rev5);
    let pane = s.overlay.history().unwrap();
    assert_eq!(
        pane.history.as_ref().unwrap().revisions[pane.cursor.selected].number,
        5
    );
    assert_eq!(pane.cursor.selected, 3);
    // The same click again does nothing more: a rollback stays with its key.
    click(&mut s, rev5);
    assert_eq!(s.overlay.history().unwrap().cursor.selected, 3);
    assert!(s.overlay.confirm().is_none());
    // The column header and the diff under the list select nothing.
    let t = draw_and_report(&mut s, 140, 34);
    for text in ["REV  CREATED", "revision 5 → current 8"] {
        let at = find(t.backend().buffer(), text).expect(text);
        click(&mut s, at);
        assert_eq!(s.overlay.history().unwrap().cursor.selected, 3, "{text}");
    }
}

#[test]
fn a_click_selects_a_change_in_the_what_changed_pane() {
    use crate::model::changes::{Change, ChangeKind};
    let mut s = shop();
    for (i, text) in ["cart scaled to 3", "checkout not ready", "redis restarted"]
        .into_iter()
        .enumerate()
    {
        let at = crate::state::fixtures::ago(600 - 60 * i as i64);
        s.changes.push(
            Change::new(at, ChangeKind::ALL[0], text.into(), None, false),
            s.now,
        );
    }
    press(&mut s, "c");
    assert!(s.overlay.changes().is_some());
    let t = draw_and_report(&mut s, 120, 30);
    // Newest first: the oldest change is the third line.
    let at = find(t.backend().buffer(), "cart scaled to 3").expect("the change");
    click(&mut s, at);
    assert_eq!(s.overlay.changes().cloned().unwrap().cursor.selected, 2);
    // A change that arrives between the draw and the click goes on top: the
    // click still lands on the line under the pointer.
    let at = find(t.backend().buffer(), "checkout not ready").expect("the change");
    let now = s.now;
    s.changes.push(
        Change::new(now, ChangeKind::ALL[0], "newest".into(), None, false),
        now,
    );
    click(&mut s, at);
    let pane = s.overlay.changes().cloned().unwrap();
    let shown = crate::state::changes::shown(&s, &pane);
    assert_eq!(shown[pane.cursor.selected].text, "checkout not ready");
}

#[test]
fn a_click_on_a_timeline_entry_or_its_note_body_selects_it() {
    use crate::timeline::{Entry, EntryKind};
    let mut s = shop();
    // Declare (SEV2 by default), then the journal's entries.
    press(&mut s, "icheckout down\n");
    let now = s.now;
    let incident = s.timeline.open.as_mut().expect("declared");
    incident.entries = vec![
        Entry::new(now, EntryKind::IncidentStarted, "started"),
        Entry::new(now, EntryKind::Note, "db creds rotated").with_body("first line\nsecond line"),
        Entry::new(now, EntryKind::Mark, "rolled back"),
    ];
    incident.unsaved = 0;
    press(&mut s, "I");
    assert!(s.overlay.timeline().is_some(), "timeline open");
    let selected = |s: &State| s.overlay.timeline().unwrap().cursor.selected;
    let t = draw_and_report(&mut s, 120, 30);
    let buf = t.backend().buffer();
    let (started, body, mark) = (
        find(buf, "started").expect("start"),
        find(buf, "second line").expect("the note's body"),
        find(buf, "rolled back").expect("mark"),
    );
    click(&mut s, started);
    assert_eq!(selected(&s), 0);
    draw_and_report(&mut s, 120, 30);
    click(&mut s, body);
    assert_eq!(selected(&s), 1, "a note's body line selects the note");
    draw_and_report(&mut s, 120, 30);
    click(&mut s, mark);
    assert_eq!(selected(&s), 2);
}
