//! The help overlay: every binding of `state.bindings`, grouped, and the
//! `:` commands. Generated from the keymap, so it cannot drift from the keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};

use super::text::{truncate_line, width};
use crate::config::theme::Theme;
use crate::keys::{Action, Binding, Mode, key_label};
use crate::state::State;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Navigation,
    Views,
    Table,
    Pods,
    Logs,
    Rollouts,
    Alerts,
    Changes,
    Incident,
    Editor,
}

impl Group {
    const ALL: [Group; 10] = [
        Group::Navigation,
        Group::Views,
        Group::Table,
        Group::Pods,
        Group::Logs,
        Group::Rollouts,
        Group::Alerts,
        Group::Changes,
        Group::Incident,
        Group::Editor,
    ];

    fn of(b: &Binding) -> Group {
        match b.mode {
            Mode::PodsAndWorkloads if b.action == Action::OpenHistory => return Group::Rollouts,
            Mode::Pods | Mode::PodsAndWorkloads => return Group::Pods,
            Mode::Logs => return Group::Logs,
            Mode::Workloads | Mode::History | Mode::Dialog => return Group::Rollouts,
            Mode::Editor => return Group::Editor,
            Mode::Alerts => return Group::Alerts,
            Mode::Changes => return Group::Changes,
            Mode::Timeline => return Group::Incident,
            Mode::Table => {}
        }
        match b.action {
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
            | Action::Open
            | Action::Back
            | Action::SwitchPane => Group::Navigation,
            Action::ShowPods
            | Action::ShowWorkloads
            | Action::ShowEvents
            | Action::ShowNodes
            | Action::ShowAlerts
            | Action::ShowObjectEvents => Group::Views,
            _ => Group::Table,
        }
    }

    fn title(self) -> &'static str {
        match self {
            Group::Navigation => "navigation",
            Group::Views => "views",
            Group::Table => "table",
            Group::Pods => "pods view",
            Group::Logs => "logs",
            Group::Rollouts => "rollouts (each change asks first)",
            Group::Alerts => "alerts view",
            Group::Changes => "what changed (c)",
            Group::Incident => "incident timeline (I)",
            Group::Editor => "note editor (n)",
        }
    }
}

/// Why `action` cannot be used now, for the help overlay: read-only
/// sessions refuse every change; the rest is what the footer says for the
/// selected workload, or that there is no incident yet.
fn unavailable(state: &State, action: Action) -> Option<String> {
    let changes = matches!(
        action,
        Action::Rollback
            | Action::Scale
            | Action::Restart
            | Action::PauseResume
            | Action::Silence
            | Action::ExpireSilence
    );
    if changes && let Some(reason) = state.readonly {
        return Some(format!("read-only: {}", reason.describe()));
    }
    let no_incident = state.timeline.open.is_none();
    match action {
        Action::Mark if no_incident => Some("no incident declared yet".into()),
        Action::ExportIncident if no_incident && state.timeline.last.is_none() => {
            Some("no incident to export".into())
        }
        _ => crate::state::actions::disabled(state, action),
    }
}

/// A heading and its `(keys, description, dimmed)` lines.
type Section = (String, Vec<(String, String, bool)>);

/// Heading and `(keys, description)` entries per group, keymap order; then
/// what cannot be used now and why; then the `:` commands.
fn sections(state: &State) -> Vec<Section> {
    let bindings = &state.bindings;
    let mut out = Vec::new();
    let mut disabled: Vec<(String, Action, String)> = Vec::new();
    for group in Group::ALL {
        let mut entries: Vec<(String, Action)> = Vec::new();
        for b in bindings.iter().filter(|b| Group::of(b) == group) {
            let label = key_label(b.key, b.modifiers);
            match entries.iter_mut().find(|(_, a)| *a == b.action) {
                // The same key in two modes of a group is listed once.
                Some((keys, _)) if !keys.split(' ').any(|k| k == label) => {
                    keys.push(' ');
                    keys.push_str(&label);
                }
                Some(_) => {}
                None => entries.push((label, b.action)),
            }
        }
        for (keys, action) in &entries {
            if let Some(why) = unavailable(state, *action)
                && !disabled.iter().any(|(_, a, _)| a == action)
            {
                disabled.push((keys.clone(), *action, why));
            }
        }
        if !entries.is_empty() {
            let entries = entries
                .into_iter()
                .map(|(k, a)| {
                    let dim = disabled.iter().any(|(_, d, _)| *d == a);
                    (k, a.describe().to_string(), dim)
                })
                .collect();
            out.push((group.title().to_string(), entries));
        }
    }
    if !disabled.is_empty() {
        let entries = disabled
            .into_iter()
            .map(|(keys, action, why)| (keys, format!("{}: {why}", action.describe()), false))
            .collect();
        out.push(("not available now".to_string(), entries));
    }
    let commands = crate::state::command::COMMANDS
        .iter()
        .map(|c| {
            let usage = match c.arg {
                Some(arg) => format!(":{} {arg}", c.name),
                None => format!(":{}", c.name),
            };
            (usage, c.help.to_string(), false)
        })
        .collect();
    out.push(("commands".to_string(), commands));
    out
}

/// Descriptions wider than this are cut (the reasons an action is not
/// available can be long); the columns stay readable side by side.
const MAX_DESCRIPTION: usize = 44;

/// Packs sections into columns of `height` lines, top to bottom; a section
/// is split only when it is taller than a column, and a heading never ends one.
fn pack<'a>(
    sections: &[Section],
    height: usize,
    key_w: usize,
    theme: &Theme,
) -> Vec<Vec<Line<'a>>> {
    let heading = |t: String| Line::styled(t, theme.group_heading);
    let mut columns: Vec<Vec<Line>> = Vec::new();
    let mut column: Vec<Line> = Vec::new();
    for (title, entries) in sections {
        let used = column.len();
        let whole = entries.len() + 1;
        // Start a new column rather than split a section that fits in one.
        let split = used + 1 + whole > height && whole <= height;
        if used > 0 && (used + 3 > height || split) {
            columns.push(std::mem::take(&mut column));
        } else if used > 0 {
            column.push(Line::raw(""));
        }
        column.push(heading(title.to_string()));
        for (keys, what, dim) in entries {
            if column.len() >= height {
                columns.push(std::mem::replace(
                    &mut column,
                    vec![heading(format!("{title} (cont.)"))],
                ));
            }
            let (key_style, text_style) = if *dim {
                (theme.dim, theme.dim)
            } else {
                (theme.hint_key, theme.base)
            };
            column.push(Line::from(vec![
                Span::raw(" "),
                Span::styled(format!("{keys:<key_w$}"), key_style),
                Span::styled(format!("  {what}"), text_style),
            ]));
        }
    }
    columns.push(column);
    columns
}

pub fn render(frame: &mut Frame, area: Rect, state: &State, page: usize, theme: &Theme) {
    let sections = sections(state);
    let key_w = sections
        .iter()
        .flat_map(|(_, e)| e.iter().map(|(k, _, _)| width(k)))
        .max()
        .unwrap_or(0);
    let desc_w = sections
        .iter()
        .flat_map(|(_, e)| e.iter().map(|(_, d, _)| width(d)))
        .max()
        .unwrap_or(0)
        .min(MAX_DESCRIPTION);
    let col_w = 1 + key_w + 2 + desc_w + 3;
    // Room inside the border, leaving a margin of the screen around it.
    let room_w = area.width.saturating_sub(6).max(1) as usize;
    let room_h = area.height.saturating_sub(4).max(1) as usize;
    let fit = (room_w / col_w).max(1);

    // The shortest columns that fit side by side, so the overlay is balanced.
    let total: usize = sections.iter().map(|(_, e)| e.len() + 2).sum();
    let mut height = total.div_ceil(fit).clamp(1, room_h);
    let columns = loop {
        let columns = pack(&sections, height, key_w, theme);
        if columns.len() <= fit || height >= room_h {
            break columns;
        }
        height += 1;
    };
    let pages = columns.len().div_ceil(fit).max(1);
    let page = page.min(pages - 1);
    let overflow = pages > 1;
    let used_h =
        columns.iter().map(Vec::len).max().unwrap_or(0).min(height) + usize::from(overflow);
    let inner_w = (columns.len().min(fit) * col_w).min(room_w) as u16;
    let inner_h = used_h.min(room_h) as u16;
    let popup = Rect {
        x: area.x + area.width.saturating_sub(inner_w + 2) / 2,
        y: area.y + area.height.saturating_sub(inner_h + 2) / 2,
        width: (inner_w + 2).min(area.width),
        height: (inner_h + 2).min(area.height),
    };

    let close: Vec<String> = state
        .bindings
        .iter()
        .filter(|b| matches!(b.action, Action::ToggleHelp | Action::Back))
        .map(|b| key_label(b.key, b.modifiers))
        .collect();
    let block = Block::bordered()
        .border_style(theme.border_focused)
        .style(theme.base)
        .title(Line::styled(" Help ", theme.title))
        .title_bottom(Line::styled(
            format!(" {} close ", close.join("/")),
            theme.dim,
        ));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    if inner.is_empty() {
        return;
    }

    let buf = frame.buffer_mut();
    for (i, col) in columns.iter().skip(page * fit).enumerate().take(fit) {
        let x = inner.x + (i * col_w).min(inner.width as usize) as u16;
        let w = (inner.right() - x).min(col_w as u16);
        for (j, line) in col.iter().enumerate().take(inner.height as usize) {
            let line = truncate_line(line.clone(), w as usize);
            buf.set_line(x, inner.y + j as u16, &line, w);
        }
    }
    if overflow {
        let more = Line::styled(
            format!(
                " page {}/{pages} · pgdn/pgup (↓/↑) for the others",
                page + 1
            ),
            theme.dim,
        );
        let y = inner.bottom() - 1;
        buf.set_line(
            inner.x,
            y,
            &truncate_line(more, inner.width as usize),
            inner.width,
        );
    }
}
