//! The confirmation every change goes through, over everything: the change
//! in words, what changes, the kubectl (or amtool) equivalent, the access
//! review, the dry run, and the keys.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::text::{sanitize, truncate, width};
use crate::config::theme::Theme;
use crate::keys::Action;
use crate::model::action::Access;
use crate::state::State;
use crate::state::actions::{Confirm, DryRun};

/// The confirmation over everything: the change in words, what changes,
/// the kubectl equivalent, the access review, the dry run, and the keys.
pub fn render(buf: &mut Buffer, area: Rect, state: &State, confirm: &Confirm, theme: &Theme) {
    let w = area.width.saturating_sub(4).min(100);
    let mut lines: Vec<Line> = vec![
        Line::from(Span::styled(
            sanitize(&confirm.mutation.describe()).into_owned(),
            theme.title,
        )),
        Line::raw(""),
    ];
    for warning in &confirm.warnings {
        lines.push(Line::styled(
            format!("⚠ {}", sanitize(warning)),
            theme.status_warn,
        ));
        lines.push(Line::raw(""));
    }
    if !confirm.changes.is_empty() {
        lines.push(Span::styled("what changes", theme.table_header).into());
        for c in &confirm.changes {
            lines.push(Line::from(vec![
                Span::styled("  • ", theme.dim),
                Span::raw(sanitize(c).into_owned()),
            ]));
        }
        lines.push(Line::raw(""));
    }
    let label = |s: &'static str| Span::styled(format!("{s:<9}"), theme.header_label);
    lines.push(Line::from(vec![
        label(if confirm.mutation.target().is_some() {
            "kubectl"
        } else {
            "amtool"
        }),
        Span::raw(sanitize(&confirm.mutation.kubectl()).into_owned()),
    ]));
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
    lines.push(Line::from(vec![
        label("access"),
        Span::styled(sanitize(&text).into_owned(), style),
    ]));
    let (text, style) = match &confirm.dry_run {
        DryRun::Pending => (
            "… asking the API server (dryRun=All)".to_string(),
            theme.dim,
        ),
        DryRun::Passed(m) => (format!("✔ {m}"), theme.status_ok),
        DryRun::Failed(e) => (format!("✖ {e}"), theme.status_error),
    };
    lines.push(Line::from(vec![
        label("dry run"),
        Span::styled(sanitize(&text).into_owned(), style),
    ]));
    lines.push(Line::raw(""));
    let yes = super::footer::key_for(&state.bindings, Action::Confirm).unwrap_or_default();
    let no = super::footer::key_for(&state.bindings, Action::Cancel).unwrap_or_default();
    lines.push(match confirm.blocked() {
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
    });
    let inner_w = w.saturating_sub(2).max(1) as usize;
    // Height after wrapping, estimated per line.
    let h = lines
        .iter()
        .map(|l| {
            let lw: usize = l.spans.iter().map(|s| width(&s.content)).sum();
            lw.div_ceil(inner_w).max(1)
        })
        .sum::<usize>() as u16
        + 2;
    let h = h.min(area.height);
    let rect = Rect {
        x: area.x + (area.width.saturating_sub(w)) / 2,
        y: area.y + (area.height.saturating_sub(h)) / 2,
        width: w,
        height: h,
    };
    Clear.render(rect, buf);
    let title = format!(" Confirm: {} ", confirm.mutation.kind().label());
    let block = Block::bordered()
        .border_style(theme.status_warn)
        .style(theme.base)
        .title(Span::styled(
            truncate(&title, inner_w).into_owned(),
            theme.title,
        ));
    Paragraph::new(lines)
        .block(block)
        .style(Style::default())
        .wrap(Wrap { trim: false })
        .render(rect, buf);
}
