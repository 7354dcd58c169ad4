//! Clicks land where the last draw put things: the layout `ui::draw`
//! reports goes back to the reducer as `Msg::Drawn`, as the app does.

use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::find;
use super::fixtures::shop;
use crate::state::{Focus, Msg, State, View, update_batch};
use crate::ui::{Theme, draw};

/// Draws and hands the layout to the state; returns the screen.
fn draw_and_report(state: &mut State, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut drawn = crate::ui::Drawn::default();
    terminal
        .draw(|frame| drawn = draw(frame, state, &Theme::default()))
        .unwrap();
    update_batch(
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
    update_batch(state, [mouse(MouseEventKind::Down(MouseButton::Left), at)]);
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
    s.prompt = Some(crate::state::Prompt::new(
        crate::state::PromptKind::Command,
        "",
    ));
    let events = find(t.backend().buffer(), "Events").unwrap();
    click(&mut s, events);
    assert_eq!(s.view, View::Pods);
    // A click closes help.
    s.prompt = None;
    s.help = true;
    click(&mut s, events);
    assert!(!s.help);
    assert_eq!(s.view, View::Pods);
}

#[test]
fn the_wheel_scrolls_the_table() {
    let mut s = shop();
    draw_and_report(&mut s, 120, 40);
    let before = s.pods.cursor.selected;
    update_batch(&mut s, [mouse(MouseEventKind::ScrollDown, (10, 10))]);
    assert_eq!(s.pods.cursor.selected, before + 1);
    update_batch(&mut s, [mouse(MouseEventKind::ScrollUp, (10, 10))]);
    assert_eq!(s.pods.cursor.selected, before);
}
