//! The rollout history pane: live status, the actions and whether they are
//! allowed, revisions, the workload's pods, the diff of the selected
//! revision.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::table::sep;
use super::text::{ago, sanitize, truncate_line};
use crate::config::theme::Theme;
use crate::keys::Action;
use crate::model::action::WorkloadRef;
use crate::model::template_diff::DiffLine;
use crate::state::actions::{Availability, action_target, availability, workload};
use crate::state::history::HistoryPane;
use crate::state::{ListArea, State};

/// Draws the pane over the main area; returns where its revisions are, for
/// clicks.
pub fn render(
    buf: &mut Buffer,
    area: Rect,
    state: &State,
    pane: &HistoryPane,
    theme: &Theme,
) -> Option<ListArea> {
    let w = workload(state, &pane.target);
    let mut title = vec![
        Span::styled(" Rollout", theme.title),
        sep(theme),
        Span::styled(sanitize(&pane.target.to_string()).into_owned(), theme.title),
    ];
    if let Some(w) = w {
        title.push(sep(theme));
        title.extend(super::workloads::rollout(w, theme).spans);
        title.push(Span::styled(
            format!(
                " · {}/{} ready · {} up-to-date",
                w.ready, w.desired, w.updated
            ),
            theme.header,
        ));
    }
    if pane.following.is_some() {
        title.push(sep(theme));
        title.push(Span::styled("following", theme.status_ok));
    }
    if pane.loading {
        title.push(sep(theme));
        title.push(Span::styled("loading…", theme.dim));
    }
    let inner = super::table::pane_frame(buf, area, title, theme);
    if inner.is_empty() {
        return None;
    }
    let max = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();

    // What can be done, and why not.
    lines.push(actions_line(state, pane, theme));
    if let Some(w) = w
        && let crate::model::workload::Rollout::Stalled { reason, message } = &w.rollout
    {
        lines.push(Line::from(vec![
            Span::styled("stalled  ", theme.status_error),
            Span::styled(
                format!("{}: {}", sanitize(reason), sanitize(message)),
                theme.status_error,
            ),
        ]));
    }
    if let Some(e) = &pane.error {
        lines.push(Span::styled(format!("✖ {}", sanitize(e)), theme.status_error).into());
    }
    lines.push(Line::raw(""));

    // Revisions, newest first; where they land, for clicks.
    let mut list: Vec<Option<usize>> = Vec::new();
    if let Some(history) = &pane.history {
        lines.push(
            Span::styled(
                "   REV  CREATED   READY  IMAGES / CHANGE-CAUSE",
                theme.table_header,
            )
            .into(),
        );
        list.resize(lines.len(), None);
        let budget = (inner.height as usize / 3).max(3);
        let start = pane
            .cursor
            .selected
            .saturating_sub(budget.saturating_sub(1));
        for (i, r) in history
            .revisions
            .iter()
            .enumerate()
            .skip(start)
            .take(budget)
        {
            let marker = if r.current { "●" } else { " " };
            let ready = match (r.ready, r.desired) {
                (Some(a), Some(b)) => format!("{a}/{b}"),
                _ => "-".into(),
            };
            let cause = r.change_cause.as_deref().unwrap_or("");
            let text = format!(
                " {marker} {:>4}  {:<8}  {:<5}  {}{}{}",
                r.number,
                ago(r.created, state.now),
                ready,
                r.images.join(", "),
                if cause.is_empty() { "" } else { " · " },
                cause
            );
            let style = if r.current {
                theme.status_ok
            } else {
                theme.base
            };
            let mut line = Line::from(Span::styled(sanitize(&text).into_owned(), style));
            if i == pane.cursor.selected {
                line = line.patch_style(theme.selection);
            }
            lines.push(line);
            // Counted from the oldest: a revision added by a reload between
            // this draw and a click goes on top and shifts nothing.
            list.push(Some(history.revisions.len() - 1 - i));
        }
        if history.revisions.is_empty() {
            lines.push(Span::styled("no revisions found", theme.dim).into());
        }
    }

    // The workload's pods, live: new ones becoming Ready after an action.
    let pods = pods_of(state, &pane.target);
    if !pods.is_empty() {
        lines.push(Line::raw(""));
        let mut spans = vec![Span::styled("pods  ", theme.table_header)];
        for (i, p) in pods.iter().take(12).enumerate() {
            if i > 0 {
                spans.push(Span::raw("  "));
            }
            let marker = super::pods::marker(p.health, theme);
            let mark = if marker.content.trim().is_empty() {
                "✔".to_string()
            } else {
                marker.content.to_string()
            };
            spans.push(Span::styled(
                format!("{mark} {} {}/{}", short_pod(&p.name), p.ready, p.total),
                theme.health(p.health),
            ));
        }
        if pods.len() > 12 {
            spans.push(Span::styled(
                format!("  +{} more", pods.len() - 12),
                theme.dim,
            ));
        }
        lines.push(Line::from(spans));
    }

    // The diff of the selected revision against the current one.
    if let Some(history) = &pane.history
        && let (Some(sel), Some(cur)) = (
            history.revisions.get(pane.cursor.selected),
            history.current(),
        )
    {
        lines.push(Line::raw(""));
        if sel.number == cur.number {
            lines.push(
                Span::styled(
                    format!(
                        "revision {} is the current one; select another to compare",
                        cur.number
                    ),
                    theme.dim,
                )
                .into(),
            );
        } else {
            lines.push(
                Span::styled(
                    format!("revision {} → current {}", sel.number, cur.number),
                    theme.title,
                )
                .into(),
            );
            if pane.diff.summary.is_empty() && pane.diff.lines.is_empty() {
                lines.push(Span::styled("same pod template", theme.dim).into());
            }
            for s in &pane.diff.summary {
                lines.push(Line::from(vec![
                    Span::styled("  • ", theme.dim),
                    Span::raw(sanitize(s).into_owned()),
                ]));
            }
            let rest = (inner.height as usize).saturating_sub(lines.len());
            for d in pane
                .diff
                .lines
                .iter()
                .skip(pane.diff_scroll as usize)
                .take(rest)
            {
                let (text, style) = match d {
                    DiffLine::Hunk(t) => (t.as_str(), theme.dim),
                    DiffLine::Context(t) => (t.as_str(), theme.base),
                    DiffLine::Added(t) => (t.as_str(), theme.diff_added),
                    DiffLine::Removed(t) => (t.as_str(), theme.diff_removed),
                };
                let prefix = match d {
                    DiffLine::Added(_) => "+",
                    DiffLine::Removed(_) => "-",
                    DiffLine::Context(_) => " ",
                    DiffLine::Hunk(_) => "",
                };
                lines.push(Span::styled(format!("{prefix}{}", sanitize(text)), style).into());
            }
        }
    }

    for (i, line) in lines.into_iter().take(inner.height as usize).enumerate() {
        let line = truncate_line(line, max);
        buf.set_line(inner.x, inner.y + i as u16, &line, inner.width);
    }
    list.truncate(inner.height as usize);
    Some(ListArea {
        x: inner.x,
        y: inner.y,
        width: inner.width,
        items: list,
    })
}

/// `u rollback  s scale  r restart  z pause`, disabled ones dimmed with why.
fn actions_line<'a>(state: &State, pane: &HistoryPane, theme: &Theme) -> Line<'a> {
    let mut spans = vec![Span::styled("actions  ", theme.table_header)];
    for action in [
        Action::Rollback,
        Action::Scale,
        Action::Restart,
        Action::PauseResume,
    ] {
        let Some((kind, target)) = action_target(state, action) else {
            continue;
        };
        if !kind.applies_to(pane.target.kind) || target != pane.target {
            continue;
        }
        let Some(key) = super::footer::key_for(&state.bindings, action) else {
            continue;
        };
        if spans.len() > 1 {
            spans.push(Span::raw("  "));
        }
        match availability(state, kind, &target) {
            Availability::Available => {
                spans.push(Span::styled(key, theme.hint_key));
                spans.push(Span::styled(format!(" {}", kind.label()), theme.hint_text));
            }
            Availability::Disabled(why) => {
                spans.push(Span::styled(
                    format!("{key} {} ({})", kind.label(), sanitize(&why)),
                    theme.dim,
                ));
            }
        }
    }
    Line::from(spans)
}

fn pods_of<'a>(
    state: &'a State,
    target: &WorkloadRef,
) -> Vec<&'a crate::model::pod_health::PodInfo> {
    let mut pods: Vec<_> = state.cluster.pods_of(target).collect();
    pods.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.name.cmp(&b.name)));
    pods
}

/// The pod's own suffix: `checkout-service-7d8f9c-x2x9q` → `…7d8f9c-x2x9q`.
fn short_pod(name: &str) -> String {
    let parts: Vec<&str> = name.rsplitn(3, '-').collect();
    if parts.len() == 3 {
        format!("…{}-{}", parts[1], parts[0])
    } else {
        name.to_string()
    }
}
