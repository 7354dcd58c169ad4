//! The what-changed pane: the last two hours, newest first, problems in
//! their colours, each entry with its time and kind. Its title says how far
//! back the record is whole: "last 2h" only once the console has watched
//! that long, else since when, and what reaches further back.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::table::sep;
use super::text::{sanitize, truncate_line};
use crate::config::theme::Theme;
use crate::state::changes::{ChangesPane, shown};
use crate::state::{ListArea, State};

pub fn render(
    buf: &mut Buffer,
    area: Rect,
    state: &State,
    pane: &ChangesPane,
    theme: &Theme,
) -> Option<ListArea> {
    let entries = shown(state, pane);
    let mut title = vec![Span::styled(" What changed", theme.title), sep(theme)];
    let n = entries.len();
    // Whole since the last list from scratch; before it, what the lists
    // could tell of the past (`state::changes::listed`).
    let since = state.changes.complete_since;
    let partial = since.filter(|t| state.now.duration_since(*t) < crate::model::changes::WINDOW);
    match (since, partial) {
        (None, _) => title.push(Span::raw(format!("{n} so far"))),
        (_, Some(t)) => {
            title.push(Span::raw(format!(
                "{n} · all since {}",
                t.strftime("%H:%M")
            )));
            title.push(Span::styled(
                "; before that only warnings, rollouts started, OOM kills, pods not Ready",
                theme.dim,
            ));
        }
        (Some(_), None) => title.push(Span::raw(format!("{n} in the last 2h"))),
    }
    if let Some(k) = pane.kind {
        title.push(sep(theme));
        title.push(Span::styled(k.label(), theme.hint_key));
    }
    if pane.problems_only {
        title.push(sep(theme));
        title.push(Span::styled("problems only", theme.status_warn));
    }
    if state.changes.dropped > 0 {
        title.push(sep(theme));
        title.push(Span::styled(
            format!("{} older let go", state.changes.dropped),
            theme.dim,
        ));
    }
    let inner = super::table::pane_frame(buf, area, title, theme);
    if inner.is_empty() {
        return None;
    }
    if entries.is_empty() {
        let text = match since {
            _ if pane.kind.is_some() || pane.problems_only => " nothing of this kind".to_string(),
            None => " nothing yet: the cluster is still being listed".to_string(),
            Some(_) => match partial {
                Some(t) => format!(
                    " nothing changed since {}, nor before as far as the cluster tells",
                    t.strftime("%H:%M")
                ),
                None => " nothing changed in the last two hours".to_string(),
            },
        };
        let line = Line::styled(text, theme.dim);
        buf.set_line(inner.x, inner.y, &line, inner.width);
        return None;
    }
    let height = inner.height as usize;
    let selected = pane.cursor.selected.min(entries.len() - 1);
    let offset = selected.saturating_sub(height.saturating_sub(1));
    let mut items = Vec::new();
    for (row, (i, c)) in entries
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .enumerate()
    {
        let style = if c.bad { theme.status_warn } else { theme.base };
        let mut line = Line::from(vec![
            Span::styled(c.at.strftime("%H:%M:%S ").to_string(), theme.dim),
            Span::styled(format!("{:<8}", c.kind.label()), theme.header_label),
            Span::styled(sanitize(&c.text).into_owned(), style),
        ]);
        if i == selected {
            line = line.patch_style(theme.selection);
        }
        let line = truncate_line(line, inner.width as usize);
        buf.set_line(inner.x, inner.y + row as u16, &line, inner.width);
        // Counted from the oldest: changes arriving between this draw and
        // a click go on top and must not shift what the click lands on.
        items.push(Some(entries.len() - 1 - i));
    }
    Some(ListArea {
        x: inner.x,
        y: inner.y,
        width: inner.width,
        items,
    })
}
