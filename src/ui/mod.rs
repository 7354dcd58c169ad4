//! Drawing: pure functions of `&State` and `&Theme` into a ratatui frame.
//! Nothing here does I/O or changes State; the theme is passed in.
//!
//! ```text
//!  header       context, namespace, pod counts, READ-ONLY, clock   (2 lines)
//!              stale / syncing warning
//!  tabs         1 Pods 42 │ 2 Workloads 7 │ 3 Events 120 │ 4 Nodes 3
//!  main         the current view's table, and the detail pane
//!               (right of it from 160 columns, else below it)
//!  notice       the newest notice, when there is one
//!  footer       key hints from the keymap, or the / : prompt
//! ```

mod alerts;
mod browse;
mod changes;
mod config_refs;
mod confirm;
mod detail;
mod events;
mod footer;
mod header;
mod help;
mod history;
mod links;
mod logs;
mod nodes;
mod pods;
mod quota;
mod table;
pub mod text;
mod timeline;
mod usage_chart;

mod workloads;

#[cfg(test)]
pub(crate) mod tests;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::config::theme::Theme;
use crate::keys::Action;
use crate::state::overlay::{Dialog, Pane};
use crate::state::{Focus, ListArea, RowsArea, ScreenLayout, State, View};

/// Below this the screen only says it is too small.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 10;

/// From this width the detail pane sits right of the table.
const SIDE_BY_SIDE_WIDTH: u16 = 160;
/// The narrowest the detail pane gets beside the table.
const DETAIL_MIN_WIDTH: u16 = 60;
/// Below 160 columns the detail pane goes under the table when the main
/// area has this many lines (or when it has the focus).
const STACKED_HEIGHT: u16 = 24;

/// What a draw laid out, for the reducer's page keys (the table's real
/// height, not a guess).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drawn {
    /// Rows of the table that were visible.
    pub table_rows: u16,
    /// How far the detail pane can scroll (0 when it is not shown).
    pub detail_scroll_max: u16,
    /// Where the tabs and the rows went, for the mouse.
    pub layout: ScreenLayout,
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, state: &State, theme: &Theme) -> Drawn {
    let area = frame.area();
    if area.is_empty() {
        return Drawn::default();
    }
    frame.buffer_mut().set_style(area, theme.base);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame.buffer_mut(), area, theme);
        return Drawn::default();
    }

    let notice = state.notices.back();
    let notice_h = u16::from(notice.is_some());
    let header = Rect { height: 2, ..area };
    let tabs = Rect {
        y: area.y + 2,
        height: 1,
        ..area
    };
    let footer = Rect {
        y: area.bottom() - 1,
        height: 1,
        ..area
    };
    let notice_area = Rect {
        y: footer.y - notice_h,
        height: notice_h,
        ..area
    };
    let main = Rect {
        y: tabs.bottom(),
        height: notice_area.y - tabs.bottom(),
        ..area
    };

    let counts = state.cluster.pod_counts(state.now);
    let buf = frame.buffer_mut();
    header::render(buf, header, state, &counts, theme);
    let tab_spans = tab_line(buf, tabs, state, counts.pods, theme);
    let (table_rows, detail_scroll_max, rows, list) = draw_main(buf, main, state, theme);
    if let Some(n) = notice {
        let line = text::truncate_line(footer::notice(n, state, theme), area.width as usize);
        buf.set_line(notice_area.x, notice_area.y, &line, notice_area.width);
    }
    match state.overlay.prompt() {
        Some(p) => footer::prompt(frame, footer, p, theme),
        None => {
            let line = footer::hints(state, theme, area.width as usize);
            let line = text::truncate_line(line, area.width as usize);
            frame
                .buffer_mut()
                .set_line(footer.x, footer.y, &line, footer.width);
        }
    }
    let mut shown_confirm = None;
    match &state.overlay.dialog {
        Some(Dialog::Confirm(confirm)) => {
            // The rows around the main area, a notice line included.
            let chrome = area.height - main.height + (1 - notice_h);
            let buf = frame.buffer_mut();
            if confirm::render(buf, main, area, chrome, state, confirm, theme) {
                shown_confirm = Some(confirm.clone());
            }
        }
        Some(Dialog::Note(editor)) => {
            timeline::render_editor(frame.buffer_mut(), main, editor, theme)
        }
        Some(Dialog::Help { page }) => help::render(frame, area, state, *page, theme),
        // Drawn in the footer line.
        Some(Dialog::Prompt(_)) | None => {}
    }
    Drawn {
        table_rows,
        detail_scroll_max,
        layout: ScreenLayout {
            tab_y: tabs.y,
            tabs: tab_spans,
            rows,
            list,
            confirm: shown_confirm,
        },
    }
}

/// Cells across the current view's table takes in a frame `height` lines
/// high with every column whole: free text whole too, and free text at its
/// narrowest.
fn table_widths(state: &State, theme: &Theme, height: u16) -> [u16; 2] {
    match state.view {
        View::Pods => pods::table(state, theme).wanted_widths(height),
        View::Workloads => workloads::table(state, theme).wanted_widths(height),
        View::Events => events::table(state, theme).wanted_widths(height),
        View::Nodes => nodes::table(state, theme).wanted_widths(height),
        View::Alerts => alerts::table(state, theme).wanted_widths(height),
        View::Browse => browse::table(state, theme).wanted_widths(height),
    }
}

/// Where the table and the detail pane go in the main area. Side by side,
/// the detail pane takes two fifths (60 to 100 columns), less when that
/// lets the table show every column whole (down to 60 columns).
fn split_main(area: Rect, state: &State, theme: &Theme) -> (Rect, Option<Rect>) {
    if area.width >= SIDE_BY_SIDE_WIDTH {
        let share = (area.width * 2 / 5).clamp(DETAIL_MIN_WIDTH, 100);
        let detail_w = table_widths(state, theme, area.height)
            .into_iter()
            .map(|table| area.width.saturating_sub(table))
            .find(|room| *room >= DETAIL_MIN_WIDTH)
            .map_or(share, |room| room.min(share));
        let table = Rect {
            width: area.width - detail_w,
            ..area
        };
        let detail = Rect {
            x: table.right(),
            width: detail_w,
            ..area
        };
        return (table, Some(detail));
    }
    let rows = match state.view {
        View::Pods => state.pods.rows.len(),
        View::Workloads => state.workloads.rows.len(),
        View::Events => state.events.rows.len(),
        View::Nodes => state.nodes.rows.len(),
        View::Alerts => state.alerts_view.rows.len(),
        View::Browse => state.browse.rows.len(),
    };
    // Borders and the column header around the rows.
    let wanted = u16::try_from(rows).unwrap_or(u16::MAX).saturating_add(3);
    let table_h = if area.height >= STACKED_HEIGHT {
        // A short table gives the rest to the detail pane.
        wanted.clamp(area.height / 3, area.height * 3 / 5)
    } else if state.focus == Focus::Detail {
        // Keep a few rows of the table for orientation.
        (area.height / 3).max(4).min(area.height)
    } else {
        return (area, None);
    };
    let table = Rect {
        height: table_h,
        ..area
    };
    let detail = Rect {
        y: table.bottom(),
        height: area.height - table_h,
        ..area
    };
    (table, (!detail.is_empty()).then_some(detail))
}

/// Draws the table and the detail pane, or the open pane; returns the
/// table's visible rows, how far the detail pane can scroll, and where the
/// rows (or the pane's list) are.
fn draw_main(
    buf: &mut Buffer,
    area: Rect,
    state: &State,
    theme: &Theme,
) -> (u16, u16, Option<RowsArea>, Option<ListArea>) {
    match &state.overlay.pane {
        Some(Pane::History(pane)) => {
            let list = history::render(buf, area, state, pane, theme);
            return (0, 0, None, list);
        }
        Some(Pane::Timeline(pane)) => {
            let list = timeline::render(buf, area, state, pane, theme);
            return (0, 0, None, list);
        }
        Some(Pane::Changes(pane)) => {
            let list = changes::render(buf, area, state, pane, theme);
            return (0, 0, None, list);
        }
        Some(Pane::Logs(pane)) => {
            return (logs::render(buf, area, state, pane, theme), 0, None, None);
        }
        Some(Pane::Yaml(pane)) => {
            browse::render_yaml(buf, area, pane, theme);
            return (area.height.saturating_sub(2), 0, None, None);
        }
        None => {}
    }
    let (table_area, detail_area) = split_main(area, state, theme);
    let table_focused = state.focus == Focus::Table || detail_area.is_none();
    let (area, focused) = (table_area, table_focused);
    let first = match state.view {
        View::Pods => pods::table(state, theme).render(buf, area, state, theme, focused),
        View::Workloads => workloads::table(state, theme).render(buf, area, state, theme, focused),
        View::Events => events::table(state, theme).render(buf, area, state, theme, focused),
        View::Nodes => nodes::table(state, theme).render(buf, area, state, theme, focused),
        View::Alerts => alerts::table(state, theme).render(buf, area, state, theme, focused),
        View::Browse => browse::table(state, theme).render(buf, area, state, theme, focused),
    };
    let scroll_max = match detail_area {
        Some(d) => detail::render(buf, d, state, theme, state.focus == Focus::Detail),
        None => 0,
    };
    // Inside the borders, under the column header.
    let visible = table_area.height.saturating_sub(3);
    let rows = RowsArea {
        x: table_area.x + 1,
        y: table_area.y + 2,
        width: table_area.width.saturating_sub(2),
        height: visible,
        first,
    };
    (visible, scroll_max, Some(rows), None)
}

/// `1 Pods 42 │ 2 Workloads 7 │ …`, the current view highlighted; the keys
/// come from the keymap. Returns each tab's columns.
fn tab_line(
    buf: &mut Buffer,
    area: Rect,
    state: &State,
    pods: usize,
    theme: &Theme,
) -> [(u16, u16); 5] {
    let mut spans = vec![Span::raw(" ")];
    let mut tabs = [(0u16, 0u16); 5];
    for (i, view) in View::ALL.into_iter().enumerate() {
        let (action, count) = match view {
            View::Pods => (Action::ShowPods, pods),
            View::Workloads => (Action::ShowWorkloads, state.cluster.workloads.len()),
            View::Events => (Action::ShowEvents, state.cluster.events.len()),
            View::Nodes => (Action::ShowNodes, state.cluster.nodes.len()),
            View::Alerts => (
                Action::ShowAlerts,
                state
                    .alerts
                    .feed
                    .iter()
                    .filter(|a| a.state == crate::model::alert::AlertState::Active)
                    .count(),
            ),
            View::Browse => continue,
        };
        if i > 0 {
            spans.push(Span::styled(" │ ", theme.dim));
        }
        let start = spans.iter().map(|s| text::width(&s.content)).sum::<usize>();
        let key = footer::key_for(&state.bindings, action);
        if view == state.view {
            let key = key.map(|k| format!("{k} ")).unwrap_or_default();
            let text = format!(" {key}{} {count} ", view.title());
            spans.push(Span::styled(text, theme.tab_active));
        } else {
            if let Some(k) = key {
                spans.push(Span::styled(format!(" {k} "), theme.hint_key));
            }
            spans.push(Span::styled(
                format!("{} {count} ", view.title()),
                theme.tab,
            ));
        }
        let end = spans.iter().map(|s| text::width(&s.content)).sum::<usize>();
        let column = |n: usize| area.x.saturating_add(u16::try_from(n).unwrap_or(u16::MAX));
        if let Some(tab) = tabs.get_mut(i) {
            *tab = (column(start), column(end).min(area.right()));
        }
    }
    // A resource opened with `:` shows beside the tabs while it is shown.
    if state.view == View::Browse
        && let Some(kind) = &state.browse.kind
    {
        spans.push(Span::styled(" │ ", theme.dim));
        spans.push(Span::styled(
            format!(" :{} {} ", kind.plural, state.browse.all.len()),
            theme.tab_active,
        ));
    }
    let line = text::truncate_line(Line::from(spans), area.width as usize);
    buf.set_line(area.x, area.y, &line, area.width);
    tabs
}

/// The only thing drawn on a screen below the minimum size.
fn too_small(buf: &mut Buffer, area: Rect, theme: &Theme) {
    let message = format!(
        "warroom needs at least {MIN_WIDTH}×{MIN_HEIGHT} (now {}×{})",
        area.width, area.height
    );
    let lines = (text::width(&message) as u16).div_ceil(area.width).max(1);
    let y = area.y + area.height.saturating_sub(lines + 1) / 2;
    let rect = Rect {
        y,
        height: area.bottom() - y,
        ..area
    };
    Paragraph::new(Line::styled(message, theme.status_warn))
        .centered()
        .wrap(Wrap { trim: true })
        .render(rect, buf);
}
