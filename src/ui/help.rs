//! The help overlay: every binding of `state.bindings`, grouped, and the
//! `:` commands. Generated from the keymap, so it cannot drift from the keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};

use super::text::{truncate_line, width};
use crate::config::theme::Theme;
use crate::keys::{Action, Binding, Mode, key_label};
use crate::state::{State, not_here};

/// A section of the overlay. Beyond the table's navigation, views and
/// commands, one per keymap section, so where a group's keys work is one
/// place, said once on its heading when it is not here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Navigation,
    Views,
    Table,
    Pods,
    Objects,
    Workloads,
    History,
    Confirm,
    Logs,
    Alerts,
    Changes,
    Incident,
    Editor,
    Yaml,
}

impl Group {
    const ALL: [Group; 14] = [
        Group::Navigation,
        Group::Views,
        Group::Table,
        Group::Objects,
        Group::Pods,
        Group::Workloads,
        Group::History,
        Group::Confirm,
        Group::Logs,
        Group::Alerts,
        Group::Changes,
        Group::Incident,
        Group::Editor,
        Group::Yaml,
    ];

    fn of(b: &Binding) -> Group {
        match b.mode {
            Mode::Pods => return Group::Pods,
            Mode::PodsAndWorkloads => return Group::Objects,
            Mode::Workloads => return Group::Workloads,
            Mode::History => return Group::History,
            Mode::Dialog => return Group::Confirm,
            Mode::Logs => return Group::Logs,
            Mode::Editor => return Group::Editor,
            Mode::Alerts => return Group::Alerts,
            Mode::Changes => return Group::Changes,
            Mode::Timeline => return Group::Incident,
            Mode::Yaml => return Group::Yaml,
            Mode::Table => {}
        }
        match b.action {
            a if a.is_movement() => Group::Navigation,
            Action::Open | Action::SwitchPane => Group::Navigation,
            Action::ShowPods
            | Action::ShowWorkloads
            | Action::ShowEvents
            | Action::ShowNodes
            | Action::ShowAlerts
            | Action::ShowObjectEvents
            | Action::ShowYaml
            | Action::Describe => Group::Views,
            _ => Group::Table,
        }
    }

    fn title(self) -> &'static str {
        match self {
            Group::Navigation => "navigation",
            Group::Views => "views",
            Group::Table => "table",
            Group::Objects => "a pod or a workload",
            Group::Pods => "pods view",
            Group::Workloads => "workloads view (each change asks first)",
            Group::History => "rollout history (each change asks first)",
            Group::Confirm => "a confirmation",
            Group::Logs => "logs",
            Group::Alerts => "alerts view",
            Group::Changes => "what changed",
            Group::Incident => "incident timeline",
            Group::Editor => "note editor",
            Group::Yaml => "an object's YAML",
        }
    }
}

/// Why a change cannot be made in this session at all.
fn read_only(state: &State, action: Action) -> Option<String> {
    let changes = matches!(
        action,
        Action::Rollback
            | Action::Scale
            | Action::Restart
            | Action::PauseResume
            | Action::Silence
            | Action::ExpireSilence
    );
    let reason = state.readonly.filter(|_| changes)?;
    Some(format!("read-only: {}", reason.describe()))
}

/// Why `action` cannot be used on what is selected now: what the footer
/// says for the selected workload, or that there is no incident yet.
fn unavailable(state: &State, action: Action) -> Option<String> {
    let no_incident = state.timeline.open.is_none();
    match action {
        Action::Mark | Action::Note if no_incident => Some("no incident declared yet".into()),
        Action::ExportIncident if no_incident && state.timeline.last.is_none() => {
            Some("no incident to export".into())
        }
        _ => crate::state::actions::disabled(state, action),
    }
}

/// A heading (dimmed, with the reason, when none of its keys applies
/// here) and its `(keys, description, dimmed)` lines.
struct Section {
    title: String,
    /// Why none of the section's keys works here (the heading is dimmed).
    reason: Option<String>,
    entries: Vec<(String, String, bool)>,
}

impl Section {
    fn new(title: impl Into<String>, entries: Vec<(String, String, bool)>) -> Section {
        Section {
            title: title.into(),
            reason: None,
            entries,
        }
    }
}

/// Why the keys bound to `action` in `modes` do nothing now: where they
/// work, when it is not here; else what stops it here (a read-only
/// session, the selected object, no incident); `None` when it works.
fn why_not(state: &State, action: Action, modes: &[Mode]) -> Option<String> {
    let mut elsewhere = None;
    for mode in modes {
        match not_here(state, *mode, action) {
            None => return read_only(state, action).or_else(|| unavailable(state, action)),
            Some(why) => {
                elsewhere.get_or_insert(why);
            }
        }
    }
    elsewhere
}

/// Heading and `(keys, description)` entries per group, keymap order, what
/// does not apply here dimmed: a whole group with its reason on the
/// heading, single keys listed again under "not available here" with
/// theirs. Then the markers the tables use, and the `:` commands.
fn sections(state: &State) -> Vec<Section> {
    let bindings = &state.bindings;
    let mut out = Vec::new();
    let mut disabled: Vec<(String, Action, String)> = Vec::new();
    for group in Group::ALL {
        // (keys, action, the modes it is bound in)
        let mut entries: Vec<(String, Action, Vec<Mode>)> = Vec::new();
        for b in bindings.iter().filter(|b| Group::of(b) == group) {
            let label = key_label(b.key, b.modifiers);
            match entries.iter_mut().find(|(_, a, _)| *a == b.action) {
                Some((keys, _, modes)) => {
                    // The same key in two modes of a group is listed once.
                    if !keys.split(' ').any(|k| k == label) {
                        keys.push(' ');
                        keys.push_str(&label);
                    }
                    if !modes.contains(&b.mode) {
                        modes.push(b.mode);
                    }
                }
                None => entries.push((label, b.action, vec![b.mode])),
            }
        }
        if entries.is_empty() {
            continue;
        }
        let why: Vec<Option<String>> = entries
            .iter()
            .map(|(_, action, modes)| why_not(state, *action, modes))
            .collect();
        // A group none of whose keys works here, for one reason: say it
        // once, on the heading. Other keys that do not work here are listed
        // again below, each with its reason.
        let whole = match why.first() {
            Some(Some(first)) if why.iter().all(|w| w.as_ref() == Some(first)) => {
                Some(first.clone())
            }
            _ => None,
        };
        let lines = entries
            .iter()
            .zip(&why)
            .map(|((keys, action, _), why)| {
                (keys.clone(), action.describe().to_string(), why.is_some())
            })
            .collect();
        if whole.is_none() {
            for ((keys, action, _), why) in entries.iter().zip(why) {
                if let Some(why) = why
                    && !disabled.iter().any(|(_, a, _)| a == action)
                {
                    disabled.push((keys.clone(), *action, why));
                }
            }
        }
        out.push(Section {
            title: group.title().to_string(),
            reason: whole,
            entries: lines,
        });
    }
    if !disabled.is_empty() {
        let entries = disabled
            .into_iter()
            .map(|(keys, action, why)| (keys, format!("{}: {why}", action.describe()), false))
            .collect();
        out.push(Section::new("not available here", entries));
    }
    out.push(Section::new("markers", markers()));
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
    out.push(Section::new("commands", commands));
    out
}

/// What the marker at the start of a row (and in the history pane) means.
fn markers() -> Vec<(String, String, bool)> {
    [
        ("✖", "failing: crashing, OOMKilled, stalled, down"),
        ("◐", "running but not ready: gets no traffic"),
        ("◌", "on its way: starting, rolling out"),
        ("⚠", "warning: node pressure, a warning alert"),
        ("‖", "paused, cordoned or silenced"),
        ("●", "history: the revision running now"),
        ("✔", "done, allowed, passed"),
    ]
    .into_iter()
    .map(|(k, d)| (k.to_string(), d.to_string(), false))
    .collect()
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
    for Section {
        title,
        reason,
        entries,
    } in sections
    {
        let used = column.len();
        let whole = entries.len() + 1 + usize::from(reason.is_some());
        // Start a new column rather than split a section that fits in one.
        let split = used + 1 + whole > height && whole <= height;
        if used > 0 && (used + 3 > height || split) {
            columns.push(std::mem::take(&mut column));
        } else if used > 0 {
            column.push(Line::raw(""));
        }
        match reason {
            Some(why) => {
                column.push(Line::styled(title.to_string(), theme.dim));
                column.push(Line::styled(format!(" ({why})"), theme.dim));
            }
            None => column.push(heading(title.to_string())),
        }
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
        .flat_map(|s| s.entries.iter().map(|(k, _, _)| width(k)))
        .max()
        .unwrap_or(0);
    let desc_w = sections
        .iter()
        .flat_map(|s| s.entries.iter().map(|(_, d, _)| width(d)))
        .max()
        .unwrap_or(0)
        .min(MAX_DESCRIPTION);
    let col_w = 1 + key_w + 2 + desc_w + 3;
    // Room inside the border, leaving a margin of the screen around it.
    let room_w = area.width.saturating_sub(6).max(1) as usize;
    let room_h = area.height.saturating_sub(4).max(1) as usize;
    let fit = (room_w / col_w).max(1);

    // The shortest columns that fit side by side, so the overlay is balanced.
    let total: usize = sections
        .iter()
        .map(|s| s.entries.len() + 2 + usize::from(s.reason.is_some()))
        .sum();
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
