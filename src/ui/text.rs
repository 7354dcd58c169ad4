//! Text for the cell grid: cluster strings made harmless, cut to width with
//! `…`, and the few number and time formats every pane shares.
//!
//! Everything a cluster sends (names, messages, reasons, images) goes through
//! [`sanitize`] before it reaches the buffer: a pod name or an event message
//! can carry escape sequences meant for whoever prints it. The sanitiser
//! lives in the model (`model::sanitize`) because log lines are made safe
//! there, once, when they arrive; it is re-exported here for the panes.

use std::borrow::Cow;

use jiff::Timestamp;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

pub use crate::model::sanitize::{sanitize, sanitize_lines};

use crate::model::pod_status::human_duration;

/// Display width in cells.
pub fn width(s: &str) -> usize {
    Span::raw(s).width()
}

/// `s` cut to at most `max` cells, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let w = width(&s[i..i + c.len_utf8()]);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// A line cut to at most `max` cells, the last kept span ending in `…`.
pub fn truncate_line(line: Line<'_>, max: usize) -> Line<'_> {
    if line.width() <= max {
        return line;
    }
    let Line {
        spans,
        style,
        alignment,
    } = line;
    let mut out = Vec::with_capacity(spans.len());
    let mut left = max;
    for span in spans {
        let w = span.width();
        if w < left {
            left -= w;
            out.push(span);
        } else {
            // This span reaches the edge (or the `…` needs its last cell).
            let cut = truncate(&span.content, left).into_owned();
            out.push(Span::styled(cut, span.style));
            break;
        }
    }
    Line {
        spans: out,
        style,
        alignment,
    }
}

/// `s` cut to at most `max` cells by taking out its middle: a pod name
/// keeps its workload and its own suffix, `notification-service-7d…-x2k9p`.
/// The tail is the last `-` segment when it takes at most half the room,
/// else half the room.
pub fn elide_middle(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    Cow::Owned(elide_middle_line(Line::from(Span::raw(s)), max).to_string())
}

/// A line cut to at most `max` cells by taking out its middle (see
/// [`elide_middle`]), its spans keeping their styles; the `…` takes the
/// style of the cell it replaces.
pub fn elide_middle_line(line: Line<'_>, max: usize) -> Line<'_> {
    let total = line.width();
    if total <= max {
        return line;
    }
    if max < 3 {
        return truncate_line(line, max);
    }
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let room = max - 1;
    let segment = text.rfind('-').map_or(total, |i| width(&text[i..]));
    let tail = if segment * 2 <= room {
        segment
    } else {
        room / 2
    };
    let head = room - tail;
    let Line {
        spans,
        style,
        alignment,
    } = line;
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    let mut ellipsis = Style::default();
    'head: for span in &spans {
        let mut kept = String::new();
        for c in span.content.chars() {
            let w = char_width(c);
            if used + w > head {
                if !kept.is_empty() {
                    out.push(Span::styled(kept, span.style));
                }
                ellipsis = span.style;
                break 'head;
            }
            kept.push(c);
            used += w;
        }
        if !kept.is_empty() {
            out.push(Span::styled(kept, span.style));
        }
    }
    out.push(Span::styled("…", ellipsis));
    // The tail, gathered from the end.
    let mut back: Vec<Span<'static>> = Vec::new();
    let mut left = tail;
    for span in spans.iter().rev() {
        if left == 0 {
            break;
        }
        let mut kept: Vec<char> = Vec::new();
        for c in span.content.chars().rev() {
            let w = char_width(c);
            if w > left {
                left = 0;
                break;
            }
            kept.push(c);
            left -= w;
        }
        if !kept.is_empty() {
            back.push(Span::styled(
                kept.into_iter().rev().collect::<String>(),
                span.style,
            ));
        }
    }
    out.extend(back.into_iter().rev());
    Line {
        spans: out,
        style,
        alignment,
    }
}

fn char_width(c: char) -> usize {
    width(c.encode_utf8(&mut [0; 4]))
}

/// Word-wraps `line` to `max` cells, keeping span styles; continuation
/// lines start with `hang` spaces (ignored when it would leave less than
/// half the width). Words longer than a line are split.
pub fn wrap(line: Line<'_>, max: usize, hang: usize) -> Vec<Line<'_>> {
    if max == 0 || line.width() <= max {
        return vec![line];
    }
    let hang = if hang * 2 > max { 0 } else { hang };
    let line_style = line.style;
    let finish = |spans: Vec<Span<'static>>| Line::from(spans).style(line_style);
    let mut out = Vec::new();
    let mut row: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    let mut has_words = false;
    // The row holds nothing but its hanging indent.
    let mut fresh = true;
    for span in &line.spans {
        for word in words(&span.content) {
            let mut word = word;
            if has_words && used + width(word.trim_end()) > max {
                out.push(finish(std::mem::take(&mut row)));
                row.push(Span::raw(" ".repeat(hang)));
                used = hang;
                has_words = false;
                fresh = true;
            }
            // A word longer than the whole line: split it where it reaches the edge.
            while used + width(word.trim_end()) > max {
                let (head, tail) = split_at_width(word, max.saturating_sub(used));
                row.push(Span::styled(head.to_string(), span.style));
                out.push(finish(std::mem::take(&mut row)));
                row.push(Span::raw(" ".repeat(hang)));
                used = hang;
                fresh = true;
                word = tail;
            }
            if !word.is_empty() {
                row.push(Span::styled(word.to_string(), span.style));
                used += width(word);
                has_words |= !word.trim().is_empty();
                fresh = false;
            }
        }
    }
    if !fresh {
        out.push(finish(row));
    }
    out
}

/// Words with their trailing spaces; leading spaces are a word of their own.
fn words(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let start = if rest.starts_with(' ') {
            0
        } else {
            rest.find(' ').unwrap_or(rest.len())
        };
        let end = rest[start..]
            .find(|c| c != ' ')
            .map_or(rest.len(), |i| start + i);
        let (word, tail) = rest.split_at(end);
        rest = tail;
        Some(word)
    })
}

/// The longest prefix of at most `max` cells (at least one character, so
/// callers always make progress) and the rest.
fn split_at_width(s: &str, max: usize) -> (&str, &str) {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let w = width(&s[i..i + c.len_utf8()]);
        if used + w > max && i > 0 {
            return s.split_at(i);
        }
        used += w;
    }
    (s, "")
}

/// A sanitized span of cluster text.
pub fn span<'a>(s: &'a str, style: Style) -> Span<'a> {
    Span::styled(sanitize(s), style)
}

/// How long ago: `4m`, `3h5m`; `?` when unknown. Callers add " ago".
pub fn ago(at: Option<Timestamp>, now: Timestamp) -> String {
    match at {
        Some(t) => human_duration(now.duration_since(t)),
        None => "?".to_string(),
    }
}

/// A moment on the clock, in UTC: `14:03:12` today, else `Nov 20 14:03`,
/// with the year when it is not this year's.
pub fn clock(at: Timestamp, now: Timestamp) -> String {
    let day = |t: Timestamp| t.strftime("%Y-%m-%d").to_string();
    let year = |t: Timestamp| t.strftime("%Y").to_string();
    if day(at) == day(now) {
        at.strftime("%H:%M:%S").to_string()
    } else if year(at) == year(now) {
        at.strftime("%b %d %H:%M").to_string()
    } else {
        at.strftime("%Y-%m-%d %H:%M").to_string()
    }
}

/// `14:03:12 (2m ago)`, or `-`.
pub fn when(at: Option<Timestamp>, now: Timestamp) -> String {
    match at {
        Some(t) => format!("{} ({} ago)", clock(t, now), ago(Some(t), now)),
        None => "-".to_string(),
    }
}

const MI: u64 = 1024 * 1024;
const GI: u64 = 1024 * MI;

/// Memory as `kubectl top` writes usage: whole `230Mi`, and `1.5Gi` from
/// 1 Gi up. (Limits are exact and read the same as the model's
/// `quantity::format_bytes`; usage is rounded down to fit a table cell.)
pub fn mem(bytes: u64) -> String {
    if bytes >= GI {
        let tenths = (bytes * 10 + GI / 2) / GI;
        if tenths.is_multiple_of(10) {
            format!("{}Gi", tenths / 10)
        } else {
            format!("{}.{}Gi", tenths / 10, tenths % 10)
        }
    } else if bytes >= MI {
        format!("{}Mi", bytes / MI)
    } else if bytes >= 1024 {
        format!("{}Ki", bytes / 1024)
    } else {
        format!("{bytes}B")
    }
}

/// CPU: `250m`, or whole cores as `4`.
pub fn cpu(milli: u64) -> String {
    crate::model::quantity::format_milli(milli)
}

/// Used fraction, `None` without a (non-zero) total.
pub fn fraction(used: u64, total: Option<u64>) -> Option<f64> {
    match total {
        Some(t) if t > 0 => Some(used as f64 / t as f64),
        _ => None,
    }
}

/// A percentage for people: `45%`.
pub fn percent(f: f64) -> String {
    format!("{:.0}%", f * 100.0)
}

/// A small gauge `▰▰▰▱▱` coloured ok/warn/full by the fraction.
pub fn gauge(f: f64, cells: usize, theme: &crate::config::theme::Theme) -> [Span<'static>; 2] {
    let filled = ((f.clamp(0.0, 1.0) * cells as f64).round() as usize).min(cells);
    [
        Span::styled("▰".repeat(filled), theme.gauge(f)),
        Span::styled("▱".repeat(cells - filled), theme.gauge_empty),
    ]
}

#[cfg(test)]
mod tests;
