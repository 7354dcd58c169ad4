//! The confirmation every change goes through, over everything: the change
//! in words, what changes, the kubectl (or amtool) equivalent, the access
//! review, the dry run, and the keys.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::text::{sanitize, truncate, wrap};
use crate::config::theme::Theme;
use crate::keys::Action;
use crate::model::action::Access;
use crate::state::State;
use crate::state::actions::{Confirm, DryRun};

/// The confirmation over everything: the change in words, what changes,
/// the kubectl equivalent, the access review, the dry run, and the keys.
/// Returns whether it was drawn whole, its keys line included: when the
/// screen is too small for that, the box says how much room it needs and
/// offers only to cancel (the reducer refuses `y` for what was not shown).
/// `chrome` is how many rows of the `screen` are not `area` when a notice
/// is shown (one may come and go while the box is open).
#[allow(clippy::too_many_arguments)]
pub fn render(
    buf: &mut Buffer,
    area: Rect,
    screen: Rect,
    chrome: u16,
    state: &State,
    confirm: &Confirm,
    theme: &Theme,
) -> bool {
    let w = area.width.saturating_sub(4).min(100);
    let inner_w = w.saturating_sub(2) as usize;
    let title = format!(" Confirm: {} ", confirm.mutation.kind().label());
    let lines = wrapped(content(state, confirm, theme), inner_w);
    let needed = lines.len() + 2;
    if inner_w > 0 && needed <= area.height as usize {
        draw_box(buf, area, w, &title, lines, theme);
        return true;
    }
    // Too small to show it all: say so, and how much room it takes.
    let no = super::footer::key_for(&state.bindings, Action::Cancel).unwrap_or_default();
    let message = vec![
        (describe(confirm, theme), 0),
        (Line::raw(""), 0),
        (
            Line::styled(
                format!(
                    "enlarge the terminal to confirm: this needs {}×{} (now {}×{})",
                    screen.width,
                    needed + chrome as usize,
                    screen.width,
                    screen.height
                ),
                theme.status_warn,
            ),
            0,
        ),
        (
            Line::from(vec![
                Span::styled(no, theme.hint_key),
                Span::styled("/esc cancel", theme.hint_text),
            ]),
            0,
        ),
    ];
    let lines = wrapped(message, inner_w.max(1));
    draw_box(buf, area, w, &title, lines, theme);
    false
}

/// The change in words, the confirmation's first line.
fn describe<'a>(confirm: &Confirm, theme: &Theme) -> Line<'a> {
    Line::styled(
        sanitize(&confirm.mutation.describe()).into_owned(),
        theme.title,
    )
}

/// The lines of the confirmation, each with the indent its continuation
/// lines take when wrapped.
fn content<'a>(state: &State, confirm: &Confirm, theme: &Theme) -> Vec<(Line<'a>, usize)> {
    let mut lines = vec![(describe(confirm, theme), 0), (Line::raw(""), 0)];
    for warning in &confirm.warnings {
        lines.push((
            Line::styled(format!("⚠ {}", sanitize(warning)), theme.status_warn),
            2,
        ));
        lines.push((Line::raw(""), 0));
    }
    if !confirm.changes.is_empty() {
        lines.push((Span::styled("what changes", theme.table_header).into(), 0));
        for c in &confirm.changes {
            let line = Line::from(vec![
                Span::styled("  • ", theme.dim),
                Span::raw(sanitize(c).into_owned()),
            ]);
            lines.push((line, 4));
        }
        lines.push((Line::raw(""), 0));
    }
    let label = |s: &'static str| Span::styled(format!("{s:<LABEL$}"), theme.header_label);
    lines.push((
        Line::from(vec![
            label(if confirm.mutation.target().is_some() {
                "kubectl"
            } else {
                "amtool"
            }),
            Span::raw(sanitize(&confirm.mutation.kubectl()).into_owned()),
        ]),
        LABEL,
    ));
    let access = confirm.mutation.access().map(|a| a.describe());
    let (text, style) = match (&confirm.access, access) {
        (Some(Access::Allowed), Some(a)) => (format!("✔ allowed: {a}"), theme.status_ok),
        (Some(Access::Allowed), None) => ("✔ allowed".to_string(), theme.status_ok),
        (Some(Access::Denied(why)), _) => (format!("✖ denied: {why}"), theme.status_error),
        (Some(Access::Unknown(why)), _) => (format!("? not verified: {why}"), theme.status_warn),
        // Alertmanager has no access review; its answer to the request decides.
        (None, None) => (
            "decided by Alertmanager when it is made".to_string(),
            theme.dim,
        ),
        (None, Some(_)) => ("… checking".to_string(), theme.dim),
    };
    lines.push((
        Line::from(vec![
            label("access"),
            Span::styled(sanitize(&text).into_owned(), style),
        ]),
        LABEL,
    ));
    let (text, style) = match &confirm.dry_run {
        DryRun::Pending => (
            "… asking the API server (dryRun=All)".to_string(),
            theme.dim,
        ),
        DryRun::Passed(m) => (format!("✔ {m}"), theme.status_ok),
        DryRun::Failed(e) => (format!("✖ {e}"), theme.status_error),
    };
    lines.push((
        Line::from(vec![
            label("dry run"),
            Span::styled(sanitize(&text).into_owned(), style),
        ]),
        LABEL,
    ));
    lines.push((Line::raw(""), 0));
    let yes = super::footer::key_for(&state.bindings, Action::Confirm).unwrap_or_default();
    let no = super::footer::key_for(&state.bindings, Action::Cancel).unwrap_or_default();
    lines.push((
        match confirm.blocked() {
            None => Line::from(vec![
                Span::styled(yes, theme.hint_key),
                Span::styled(" make this change   ", theme.hint_text),
                Span::styled(no, theme.hint_key),
                Span::styled("/esc cancel", theme.hint_text),
            ]),
            Some(why) => Line::from(vec![
                Span::styled(
                    format!("cannot confirm: {}   ", sanitize(&why)),
                    theme.status_warn,
                ),
                Span::styled(no, theme.hint_key),
                Span::styled("/esc cancel", theme.hint_text),
            ]),
        },
        0,
    ));
    lines
}

/// Width of the labels before the kubectl line, the access review and the
/// dry run.
const LABEL: usize = 9;

/// The lines as they are drawn `width` cells wide.
fn wrapped<'a>(lines: Vec<(Line<'a>, usize)>, width: usize) -> Vec<Line<'a>> {
    lines
        .into_iter()
        .flat_map(|(line, hang)| wrap(line, width, hang))
        .collect()
}

/// The box, `w` wide and as high as its lines (at most the area), centred.
fn draw_box(buf: &mut Buffer, area: Rect, w: u16, title: &str, lines: Vec<Line>, theme: &Theme) {
    let h = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let rect = Rect {
        x: area.x + (area.width.saturating_sub(w)) / 2,
        y: area.y + (area.height.saturating_sub(h)) / 2,
        width: w,
        height: h,
    };
    Clear.render(rect, buf);
    let block = Block::bordered()
        .border_style(theme.status_warn)
        .style(theme.base)
        .title(Span::styled(
            truncate(title, w.saturating_sub(2) as usize).into_owned(),
            theme.title,
        ));
    Paragraph::new(lines)
        .block(block)
        .style(Style::default())
        .render(rect, buf);
}
