//! The logs pane: one stream of lines from every container of a pod or a
//! workload, each prefixed with pod/container in the pod's own colour,
//! structured lines as `LEVEL message key=value`, search matches
//! highlighted. Only the lines that fit are laid out.

use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

use super::table::sep;
use super::text::{truncate_line, wrap};
use crate::config::theme::Theme;
use crate::model::log_line::{Level, LineKind, LogLine, cut_marker};
use crate::model::log_stream::LogTarget;
use crate::state::State;
use crate::state::log_buffer::QueryMode;
use crate::state::logs::LogsPane;

fn level_style(level: Level, theme: &Theme) -> Style {
    let l = &theme.log_levels;
    match level {
        Level::Error => l.error,
        Level::Warn => l.warn,
        Level::Info => l.info,
        Level::Debug => l.debug,
        Level::Trace => l.trace,
    }
}

fn title<'a>(pane: &'a LogsPane, theme: &Theme) -> Line<'a> {
    let mut spans = vec![
        Span::styled(" Logs", theme.title),
        sep(theme),
        Span::styled(pane.title(), theme.title),
    ];
    if pane.request.previous {
        spans.push(sep(theme));
        spans.push(Span::styled("previous containers", theme.status_warn));
    }
    spans.push(sep(theme));
    // A previous container's log is read once: nothing follows, it is
    // either at its end or scrolled back.
    spans.push(match (pane.follow, pane.request.previous) {
        (true, false) => Span::styled("following", theme.status_ok),
        (true, true) => Span::styled("at the end", theme.status_ok),
        (false, _) => Span::styled("paused", theme.status_warn),
    });
    spans.push(sep(theme));
    spans.push(Span::raw(pane.since_label()));
    spans.push(sep(theme));
    spans.push(Span::raw(format!("{} lines", pane.buffer.len())));
    if pane.buffer.dropped() > 0 {
        spans.push(Span::styled(
            format!(" ({} older dropped)", pane.buffer.dropped()),
            theme.dim,
        ));
    }
    if let Some(level) = pane.buffer.min_level() {
        spans.push(sep(theme));
        spans.push(Span::styled(
            format!("{}+", level.label()),
            level_style(level, theme),
        ));
    }
    if let Some(q) = pane.buffer.query() {
        let shown = match pane.buffer.mode() {
            QueryMode::Search => format!("/{q} ({} matches)", pane.buffer.hit_count()),
            QueryMode::Filter => format!("&{q}"),
            QueryMode::Exclude => format!("&!{q}"),
        };
        spans.push(sep(theme));
        spans.push(Span::styled(
            super::text::sanitize(&shown).into_owned(),
            theme.hint_key,
        ));
    }
    if let Some((streaming, total)) = pane.capped {
        spans.push(sep(theme));
        spans.push(Span::styled(
            format!("{streaming} of {total} containers streamed (cap)"),
            theme.status_warn,
        ));
    }
    if let Some(problem) = &pane.problem {
        spans.push(sep(theme));
        spans.push(Span::styled(
            super::text::sanitize(problem).into_owned(),
            theme.status_error,
        ));
    }
    spans.push(Span::raw(" "));
    Line::from(spans)
}

/// Splits `range` of `text` into spans, highlighting `hits` within it.
fn styled<'a>(
    text: &'a str,
    range: Range<usize>,
    style: Style,
    hits: &[Range<usize>],
    hit: Style,
    out: &mut Vec<Span<'a>>,
) {
    let mut at = range.start;
    for h in hits
        .iter()
        .filter(|h| h.end > range.start && h.start < range.end)
    {
        let (s, e) = (h.start.max(range.start), h.end.min(range.end));
        if s > at {
            out.push(Span::styled(&text[at..s], style));
        }
        out.push(Span::styled(&text[s..e], hit));
        at = e;
    }
    if at < range.end {
        out.push(Span::styled(&text[at..range.end], style));
    }
}

fn line<'a>(state: &State, pane: &'a LogsPane, l: &'a LogLine, theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    let stream = l.stream();
    if l.kind() == LineKind::Marker {
        let shown = l.shown(false);
        spans.push(Span::styled(format!("── {} ──", shown.text), theme.dim));
        return Line::from(spans);
    }
    let colour = theme
        .log_pods
        .get(pane.buffer.colour_of(stream) % theme.log_pods.len().max(1))
        .copied();
    let prefix_style = colour.map_or(theme.dim, |c| Style::default().fg(c));
    let single_pod = matches!(pane.request.target, LogTarget::Pod { .. });
    let prefix = if single_pod {
        format!("{} ", stream.container)
    } else {
        format!("{}/{} ", stream.pod, stream.container)
    };
    spans.push(Span::styled(prefix, prefix_style));
    if pane.timestamps {
        let at = l
            .at()
            .map(|t| t.strftime("%H:%M:%S%.3f ").to_string())
            .unwrap_or_else(|| "-            ".into());
        spans.push(Span::styled(at, theme.dim));
    }
    if l.previous() && !pane.request.previous {
        spans.push(Span::styled("(previous) ", theme.dim));
    }
    let shown = l.shown(pane.buffer.raw());
    let hits = pane.buffer.match_ranges(l);
    let hit = theme.selection.add_modifier(Modifier::BOLD);
    let text = shown.text;
    let base = Style::default();
    if !shown.label.is_empty() {
        let style = shown.level.map_or(base, |lv| level_style(lv, theme));
        styled(
            text,
            shown.label.clone(),
            style.add_modifier(Modifier::BOLD),
            &hits,
            hit,
            &mut spans,
        );
        styled(
            text,
            shown.label.end..shown.message.start,
            base,
            &hits,
            hit,
            &mut spans,
        );
    } else if shown.message.start > 0 {
        styled(text, 0..shown.message.start, base, &hits, hit, &mut spans);
    }
    let line_style = match (shown.label.is_empty(), l.level()) {
        // A plain line with a recognisable level keeps its colour.
        (true, Some(Level::Error)) => theme.log_levels.error,
        (true, Some(Level::Warn)) => theme.log_levels.warn,
        _ => base,
    };
    styled(
        text,
        shown.message.clone(),
        line_style,
        &hits,
        hit,
        &mut spans,
    );
    styled(
        text,
        shown.message.end..text.len(),
        theme.dim,
        &hits,
        hit,
        &mut spans,
    );
    if shown.cut > 0 {
        spans.push(Span::styled(cut_marker(shown.cut), theme.status_warn));
    }
    let _ = state;
    Line::from(spans)
}

/// Draws the pane over the whole main area.
pub fn render(buf: &mut Buffer, area: Rect, state: &State, pane: &LogsPane, theme: &Theme) -> u16 {
    let block = Block::bordered()
        .border_style(theme.border_focused)
        .title(title(pane, theme));
    let inner = block.inner(area);
    block.render(area, buf);
    let height = inner.height as usize;
    let len = pane.buffer.len();
    if height == 0 {
        return 0;
    }
    if len == 0 {
        // Why there is nothing yet, wrapped to the pane: the title may be
        // cut on a narrow screen, this is not.
        let why = match &pane.problem {
            Some(problem) => Line::from(vec![
                Span::styled(" no lines yet: ", theme.dim),
                Span::styled(
                    super::text::sanitize(problem).into_owned(),
                    theme.status_error,
                ),
            ]),
            None => Line::styled(" waiting for lines…", theme.dim),
        };
        for (y, part) in (inner.y..inner.bottom()).zip(wrap(why, inner.width as usize, 1)) {
            buf.set_line(inner.x, y, &part, inner.width);
        }
        return inner.height;
    }
    // The selected line sits at the bottom when following, else where the
    // cursor is; lines are laid out upwards from there until the pane is full.
    let bottom = if pane.follow {
        len - 1
    } else {
        pane.selected.min(len - 1)
    };
    let width = inner.width as usize;
    let mut rows: Vec<(Line, bool)> = Vec::new();
    let mut i = bottom + 1;
    while i > 0 && rows.len() < height {
        i -= 1;
        let Some(l) = pane.buffer.get(i) else { break };
        let selected = !pane.follow && i == bottom;
        let laid = line(state, pane, l, theme);
        let mut parts = if pane.wrap {
            wrap(laid, width, 2)
        } else {
            vec![truncate_line(laid, width)]
        };
        while let Some(part) = parts.pop() {
            rows.push((part, selected));
            if rows.len() == height {
                break;
            }
        }
    }
    rows.reverse();
    // Scrolled near the top, the lines under the cursor fill the pane.
    let mut below = bottom + 1;
    while rows.len() < height {
        let Some(l) = pane.buffer.get(below) else {
            break;
        };
        let laid = line(state, pane, l, theme);
        let parts = if pane.wrap {
            wrap(laid, width, 2)
        } else {
            vec![truncate_line(laid, width)]
        };
        for part in parts.into_iter().take(height - rows.len()) {
            rows.push((part, false));
        }
        below += 1;
    }
    for (y, (l, selected)) in rows.into_iter().enumerate() {
        let y = inner.y + y as u16;
        if selected {
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), theme.selection);
        }
        buf.set_line(inner.x, y, &l, inner.width);
    }
    inner.height
}
