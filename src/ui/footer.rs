//! The bottom of the screen: the newest notice, and either the key hints
//! (generated from `state.bindings`, so they follow the keymap) or the `/`
//! and `:` prompt with its completions and error.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::text::{clock, sanitize, truncate_line, width};
use crate::config::theme::Theme;
use crate::keys::{Action, Binding, Mode, key_label};
use crate::state::active_modes;
use crate::state::{Notice, Prompt, PromptKind, Severity, State};

/// The bindings that apply in `view`, one entry per action in keymap order,
/// with every key bound to it: `(["k", "↑"], Up)`.
pub fn applicable<'b>(
    bindings: impl IntoIterator<Item = &'b Binding>,
    modes: &[Mode],
) -> Vec<(Vec<String>, Action)> {
    let bindings: Vec<&Binding> = bindings.into_iter().collect();
    let rank = |m: Mode| modes.iter().position(|x| *x == m);
    let mut out: Vec<(Vec<String>, Action)> = Vec::new();
    for b in bindings.iter().copied() {
        let Some(r) = rank(b.mode) else { continue };
        // A key bound in a mode that comes first is not offered again (in
        // the logs pane `q` closes the pane); keymap order is kept.
        let shadowed = bindings.iter().any(|o| {
            o.key == b.key && o.modifiers == b.modifiers && rank(o.mode).is_some_and(|ro| ro < r)
        });
        if shadowed {
            continue;
        }
        let label = key_label(b.key, b.modifiers);
        match out.iter_mut().find(|(_, a)| *a == b.action) {
            Some((keys, _)) => keys.push(label),
            None => out.push((vec![label], b.action)),
        }
    }
    out
}

/// The first key bound to `action`, as help writes it.
pub fn key_for(bindings: &[Binding], action: Action) -> Option<String> {
    bindings
        .iter()
        .find(|b| b.action == action)
        .map(|b| key_label(b.key, b.modifiers))
}

/// `? help  : command  / filter …` for the bindings marked as hints; as
/// many as fit, in keymap order.
pub fn hints<'a>(state: &State, theme: &Theme, max: usize) -> Line<'a> {
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    let modes = active_modes(state);
    // Over a pane or a dialog the table's keys are not offered, but for help.
    let pane = match modes.first() {
        Some(
            m @ (Mode::Logs
            | Mode::History
            | Mode::Dialog
            | Mode::Changes
            | Mode::Timeline
            | Mode::Yaml),
        ) => Some(*m),
        _ => None,
    };
    let offered = state
        .bindings
        .iter()
        .filter(|b| b.hint && pane.is_none_or(|m| b.mode == m || b.action == Action::ToggleHelp));
    for (keys, action) in applicable(offered, &modes) {
        let key = keys.join("/");
        let what = action.describe();
        // A change that cannot be made here is shown, dimmed.
        let disabled = crate::state::actions::disabled(state, action).is_some();
        let sep = if spans.len() > 1 { 2 } else { 0 };
        let w = sep + width(&key) + 1 + width(what);
        if used + w > max {
            break;
        }
        used += w;
        if sep > 0 {
            spans.push(Span::raw("  "));
        }
        if disabled {
            spans.push(Span::styled(key, theme.dim));
            spans.push(Span::styled(format!(" {what}"), theme.dim));
        } else {
            spans.push(Span::styled(key, theme.hint_key));
            spans.push(Span::styled(format!(" {what}"), theme.hint_text));
        }
    }
    Line::from(spans)
}

/// The prompt line; sets the terminal cursor after the input.
pub fn prompt(frame: &mut Frame, area: Rect, prompt: &Prompt, theme: &Theme) {
    let sigil = match prompt.kind {
        PromptKind::Filter | PromptKind::LogSearch => "/",
        PromptKind::Command => ":",
        PromptKind::LogFilter => "&",
        PromptKind::Scale => "replicas: ",
        PromptKind::Silence => "silence for (30m/2h/1d) and why: ",
        PromptKind::StartIncident => crate::state::timeline::START_PROMPT,
        PromptKind::Quit => {
            "an incident is open (its timeline is kept; --incident ID resumes it): y quits, esc stays "
        }
        PromptKind::EndIncident => {
            "end the incident (closing line, enter ends, esc keeps it open): "
        }
    };
    let sigil = prompt.label.as_deref().map_or(sigil, |l| l);
    let input = sanitize(&prompt.input);
    let input_w = width(&input);
    let mut spans = vec![
        Span::styled(sanitize(sigil).into_owned(), theme.hint_key),
        Span::styled(input.into_owned(), theme.prompt),
    ];
    if let Some(error) = &prompt.error {
        spans.push(Span::styled(
            format!("  ✖ {}", sanitize(error)),
            theme.notice_error,
        ));
    }
    let taken = prompt.cycle.unwrap_or(0);
    for (i, c) in prompt.completions.iter().enumerate() {
        let style = if i == taken {
            theme.completion_first
        } else {
            theme.dim
        };
        spans.push(Span::raw("  "));
        spans.push(Span::styled(sanitize(c).into_owned(), style));
    }
    if !prompt.completions.is_empty() {
        spans.push(Span::styled("  (tab)", theme.dim));
    }
    // The palette says what the command `tab` would take does.
    if prompt.kind == PromptKind::Command {
        let word = prompt
            .completions
            .get(taken)
            .map_or(prompt.input.as_str(), String::as_str)
            .split_whitespace()
            .next()
            .unwrap_or("");
        let command = crate::state::command::COMMANDS
            .iter()
            .find(|c| c.name == word || c.aliases.contains(&word));
        if let Some(c) = command.filter(|_| !word.is_empty()) {
            let usage = c.arg.map_or(String::new(), |a| format!(" {a}"));
            spans.push(Span::styled(
                format!("  · :{}{usage}: {}", c.name, c.help),
                theme.dim,
            ));
        }
    }
    let line = truncate_line(Line::from(spans), area.width as usize);
    frame
        .buffer_mut()
        .set_line(area.x, area.y, &line, area.width);
    let x = area.x + (width(sigil) + input_w).min(area.width.saturating_sub(1) as usize) as u16;
    frame.set_cursor_position(Position { x, y: area.y });
}

/// The newest notice in its severity's style.
pub fn notice<'a>(notice: &'a Notice, state: &State, theme: &Theme) -> Line<'a> {
    let (icon, style) = match notice.severity {
        Severity::Info => ("ℹ", theme.notice_info),
        Severity::Warning => ("⚠", theme.notice_warn),
        Severity::Error => ("✖", theme.notice_error),
    };
    Line::from(vec![
        Span::styled(format!(" {icon} "), style),
        Span::styled(format!("{} ", clock(notice.at, state.now)), theme.dim),
        Span::styled(sanitize(&notice.text), style),
    ])
}
