//! The incident on screen: the header badge, the timeline pane (entries in
//! order, corrections folded in, unsaved ones marked) and the note editor.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

use super::table::sep;
use super::text::{sanitize, truncate_line, width};
use crate::config::theme::Theme;
use crate::state::editor::{NoteEditor, TextBuffer};
use crate::state::timeline::{PaneLine, TimelinePane, duration, shown};
use crate::state::{ListArea, State};
use crate::timeline::EntryKind;
use crate::timeline::repeats::Repeats;

/// ` INCIDENT SEV2 checkout not ready · 14m · 2 unsaved ` for the header.
pub fn badge<'a>(state: &State, theme: &Theme) -> Vec<Span<'a>> {
    let Some(i) = &state.timeline.open else {
        return Vec::new();
    };
    let mut spans = vec![Span::styled(
        format!(" {} {} ", i.meta.severity, sanitize(&i.meta.title)),
        theme.oom,
    )];
    let d = duration(i, state.now);
    spans.push(Span::styled(
        format!(" {}m", d.as_secs().max(0) / 60),
        theme.header,
    ));
    if i.unsaved > 0 {
        spans.push(Span::styled(
            format!(" · {} saving…", i.unsaved),
            theme.status_warn,
        ));
    }
    if let Some(e) = &i.error {
        spans.push(Span::styled(
            format!(" · journal: {}", sanitize(e)),
            theme.status_error,
        ));
    }
    spans.push(Span::raw("  "));
    spans
}

fn kind_label(k: EntryKind) -> &'static str {
    match k {
        EntryKind::IncidentStarted => "declared",
        EntryKind::IncidentEnded => "ended",
        EntryKind::Warning => "warning",
        EntryKind::PodTransition => "pod",
        EntryKind::Rollout => "rollout",
        EntryKind::Scale => "scale",
        EntryKind::AlertFired => "fired",
        EntryKind::AlertResolved => "resolved",
        EntryKind::Action => "action",
        EntryKind::Mark => "mark",
        EntryKind::Note => "note",
        EntryKind::Correction => "correct",
    }
}

/// The timeline pane over the main area.
pub fn render(
    buf: &mut Buffer,
    area: Rect,
    state: &State,
    pane: &TimelinePane,
    theme: &Theme,
) -> Option<ListArea> {
    let incident = state
        .timeline
        .open
        .as_ref()
        .or(state.timeline.last.as_ref())?;
    let lines = shown(incident, pane);
    let mut title = vec![
        Span::styled(" Incident", theme.title),
        sep(theme),
        Span::styled(
            format!(
                "{} {}",
                incident.meta.severity,
                sanitize(&incident.meta.title)
            ),
            theme.title,
        ),
        sep(theme),
        Span::raw(format!("{} entries", incident.entries.len())),
    ];
    if let Some(k) = pane.kind {
        title.push(sep(theme));
        title.push(Span::styled(kind_label(k), theme.hint_key));
    }
    if let Some(end) = crate::timeline::entry::ending(&incident.entries) {
        title.push(sep(theme));
        title.push(Span::styled(end.end_word(), theme.dim));
    } else if incident.ended {
        title.push(sep(theme));
        title.push(Span::styled("ended", theme.dim));
    }
    let inner = super::table::pane_frame(buf, area, title, theme);
    if inner.is_empty() {
        return None;
    }
    let lines = entry_lines(&lines, pane.cursor.selected, theme);
    let height = inner.height as usize;
    let selected_line = lines
        .iter()
        .position(|(item, _)| *item == Some(pane.cursor.selected))
        .unwrap_or(0);
    let offset = selected_line.saturating_sub(height.saturating_sub(1));
    let mut items = Vec::new();
    for (row, (item, line)) in lines.into_iter().skip(offset).take(height).enumerate() {
        let line = truncate_line(line, inner.width as usize);
        buf.set_line(inner.x, inner.y + row as u16, &line, inner.width);
        items.push(item);
    }
    Some(ListArea {
        x: inner.x,
        y: inner.y,
        width: inner.width,
        items,
    })
}

/// Each line of the pane as screen lines (a note's body indented under
/// it), each with its line's index; struck entries crossed out, corrected
/// ones with their correction, repeats counted.
fn entry_lines<'a>(
    lines: &[PaneLine<'a>],
    selected: usize,
    theme: &Theme,
) -> Vec<(Option<usize>, Line<'a>)> {
    let mut out = Vec::new();
    for (i, shown) in lines.iter().enumerate() {
        let e = shown.entry;
        let corrected = shown.corrected;
        let mut style = match e.kind {
            EntryKind::AlertFired | EntryKind::Warning => theme.status_warn,
            EntryKind::Action => theme.progressing,
            EntryKind::Note | EntryKind::Mark => theme.title,
            EntryKind::IncidentStarted | EntryKind::IncidentEnded => theme.status_error,
            _ => theme.base,
        };
        if shown.struck.is_some() {
            style = style.add_modifier(Modifier::CROSSED_OUT);
        }
        let text = corrected.map_or(e.text.as_str(), |c| c.text.as_str());
        let kind = if e.kind == EntryKind::IncidentEnded {
            e.end_word()
        } else {
            kind_label(e.kind)
        };
        let mut spans = vec![
            Span::styled(e.at.strftime("%H:%M:%S ").to_string(), theme.dim),
            Span::styled(format!("{kind:<9}"), theme.header_label),
            Span::styled(sanitize(text).into_owned(), style),
        ];
        if let Some(r) = Repeats::of(shown.all.iter().copied()) {
            let counted = r.counted(|t| t.strftime("%H:%M:%S").to_string());
            if !counted.is_empty() {
                spans.push(Span::styled(format!("  {counted}"), theme.hint_key));
            }
            if let Some(before) = r.before("it was declared") {
                spans.push(Span::styled(format!("  ({before})"), theme.dim));
            }
        }
        if corrected.is_some() {
            spans.push(Span::styled("  (corrected)", theme.dim));
        }
        let mut line = Line::from(spans);
        if i == selected {
            line = line.patch_style(theme.selection);
        }
        out.push((Some(i), line));
        const INDENT: &str = "                   ";
        if let Some(r) = &e.result {
            out.push((
                Some(i),
                Line::styled(format!("{INDENT}→ {}", sanitize(r)), theme.dim),
            ));
        }
        if let Some(cmd) = &e.command {
            out.push((
                Some(i),
                Line::styled(format!("{INDENT}$ {}", sanitize(cmd)), theme.dim),
            ));
        }
        if let Some(firing) = e.firing.as_ref().filter(|f| !f.is_empty()) {
            out.push((
                Some(i),
                Line::styled(
                    format!("{INDENT}still firing: {}", sanitize(&firing.join("; "))),
                    theme.status_warn,
                ),
            ));
        }
        let body = corrected
            .and_then(|c| c.body.as_deref())
            .or(e.body.as_deref());
        if let Some(body) = body {
            for l in body.lines() {
                out.push((
                    Some(i),
                    Line::styled(format!("{INDENT}{}", sanitize(l)), style),
                ));
            }
        }
    }
    out
}

/// The note editor, centred over the screen.
pub fn render_editor(buf: &mut Buffer, area: Rect, editor: &NoteEditor, theme: &Theme) {
    let w = area.width.saturating_sub(6).min(100);
    let h = area.height.saturating_sub(4).clamp(3, 16);
    let rect = Rect {
        x: area.x + area.width.saturating_sub(w) / 2,
        y: area.y + area.height.saturating_sub(h) / 2,
        width: w,
        height: h,
    };
    Clear.render(rect, buf);
    let title = if editor.corrects.is_some() {
        " Correct note · ctrl-s saves a correction · esc cancels "
    } else {
        " Note · ctrl-s saves · esc cancels "
    };
    let block = Block::bordered()
        .border_style(theme.border_focused)
        .style(theme.base)
        .title(Span::styled(title, theme.title));
    let inner = block.inner(rect);
    block.render(rect, buf);
    render_text(buf, inner, &editor.text, theme);
}

/// What an empty note says.
const PLACEHOLDER: &str = "What do you see, what did you try? (ctrl-s saves, esc cancels)";

/// The note's text in `area`, scrolled so that the cursor (a reversed
/// cell) is inside it.
fn render_text(buf: &mut Buffer, area: Rect, text: &TextBuffer, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    let (row, col) = text.cursor();
    let (w, h) = (usize::from(area.width), usize::from(area.height));
    let cursor_style = theme.base.add_modifier(Modifier::REVERSED);
    if text.is_empty() && text.lines().len() == 1 {
        let line = Line::from(vec![
            Span::styled(" ", cursor_style),
            Span::styled(PLACEHOLDER, theme.dim),
        ]);
        buf.set_line(area.x, area.y, &truncate_line(line, w), area.width);
        return;
    }
    let top = (row + 1).saturating_sub(h);
    // Columns scroll so that the cursor's cell is on screen.
    let cursor_x = |line: &str| width(&line.chars().take(col).collect::<String>());
    let left = (cursor_x(&text.lines()[row]) + 1).saturating_sub(w);
    for (i, line) in text.lines().iter().enumerate().skip(top).take(h) {
        let y = area.y + (i - top) as u16;
        let mut spans = Vec::new();
        let mut x = 0;
        for (j, c) in line.chars().chain(std::iter::once(' ')).enumerate() {
            let at_cursor = i == row && j == col;
            if j == line.chars().count() && !at_cursor {
                break;
            }
            let shown = sanitize(&c.to_string()).into_owned();
            let cw = width(&shown);
            if x + cw > left && x >= left {
                let style = if at_cursor { cursor_style } else { theme.base };
                spans.push(Span::styled(shown, style));
            }
            x += cw;
        }
        buf.set_line(area.x, y, &truncate_line(Line::from(spans), w), area.width);
    }
}

#[cfg(test)]
mod tests;
