//! The two header lines: where we are attached and how the pods are doing,
//! the read-only badge and clock, and whether the data can be trusted
//! ("stale since", "syncing…").

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::text::{sanitize, span, truncate, truncate_line};
use crate::config::theme::Theme;
use crate::model::cluster::{PodCounts, WatchHealth};
use crate::state::State;

/// How much of a watch error the header shows.
const ERROR_SHOWN: usize = 40;

pub fn render(buf: &mut Buffer, area: Rect, state: &State, counts: &PodCounts, theme: &Theme) {
    if area.height == 0 {
        return;
    }
    buf.set_style(area, theme.header);
    let first = Rect { height: 1, ..area };
    two_sided(
        buf,
        first,
        where_line(state, theme),
        clock_line(state, theme),
    );
    if area.height > 1 {
        let second = Rect {
            y: area.y + 1,
            height: 1,
            ..area
        };
        two_sided(
            buf,
            second,
            counts_line(state, counts, theme),
            health_line(state, theme),
        );
    }
}

fn where_line<'a>(state: &'a State, theme: &Theme) -> Line<'a> {
    let label = |s: &'static str| Span::styled(s, theme.header_label);
    let mut spans = vec![Span::styled(" warroom ", theme.title)];
    let conn = &state.connection;
    if conn.context.is_empty() {
        spans.push(Span::styled(" not connected", theme.dim));
    } else {
        spans.push(label(" ctx "));
        spans.push(span(&conn.context, theme.header));
    }
    spans.push(label("  ns "));
    spans.push(match &state.namespace {
        Some(ns) => span(ns, theme.header),
        None => Span::styled("all namespaces", theme.header),
    });
    // Last, so a narrow screen cuts it before the namespace.
    if !conn.cluster.is_empty() && conn.cluster != conn.context {
        spans.push(label("  cluster "));
        spans.push(span(&conn.cluster, theme.header));
    }
    Line::from(spans)
}

fn clock_line<'a>(state: &State, theme: &Theme) -> Line<'a> {
    let mut spans = super::timeline::badge(state, theme);
    if let Some(reason) = state.readonly {
        spans.push(Span::styled(" READ-ONLY ", theme.readonly_badge));
        spans.push(Span::styled(format!(" {}  ", reason.short()), theme.dim));
    }
    spans.push(Span::styled(
        state.now.strftime("%H:%M:%S").to_string(),
        theme.header,
    ));
    spans.push(Span::styled(" UTC ", theme.header_label));
    Line::from(spans)
}

fn counts_line<'a>(state: &State, c: &PodCounts, theme: &Theme) -> Line<'a> {
    let count = |n: usize, what: &'static str, style| {
        let style = if n == 0 { theme.dim } else { style };
        [
            Span::styled(n.to_string(), style),
            Span::styled(what, style),
        ]
    };
    let sep = || Span::styled(" · ", theme.dim);
    let mut spans = vec![Span::raw(" ")];
    spans.extend(count(c.pods, " pods", theme.header));
    spans.push(sep());
    spans.extend(count(c.not_ready, " not ready", theme.not_ready));
    spans.push(sep());
    spans.extend(count(c.failing, " failing", theme.status_error));
    // Pods, not restarts or kills: a pod killed six times counts once.
    let pods = |n: usize, one: &'static str, more: &'static str| if n == 1 { one } else { more };
    spans.push(Span::styled("   last 1h: ", theme.header_label));
    let restarted = pods(c.restarted, " pod restarted", " pods restarted");
    spans.extend(count(c.restarted, restarted, theme.status_warn));
    spans.push(sep());
    let oom_killed = pods(c.oom_killed, " pod OOMKilled", " pods OOMKilled");
    spans.extend(count(c.oom_killed, oom_killed, theme.oom));
    // Firing alerts by severity, most severe first.
    let (firing, _) = crate::state::alerts::header_counts(state);
    if !firing.is_empty() {
        spans.push(Span::styled("   alerts: ", theme.header_label));
        for (i, (severity, n)) in firing.into_iter().enumerate() {
            if i > 0 {
                spans.push(sep());
            }
            spans.push(Span::styled(
                format!("{n} {}", severity.label()),
                super::alerts::severity_style(severity, theme),
            ));
        }
    }
    Line::from(spans)
}

/// "syncing …" while a watch lists for the first time, then "stale since …"
/// when one is down (its error cut last when space runs out).
fn health_line<'a>(state: &'a State, theme: &Theme) -> Line<'a> {
    let watches = &state.cluster.watches;
    let mut spans = Vec::new();
    // An Alertmanager that does not answer is said, never shown as "no alerts".
    let (_, unreachable) = crate::state::alerts::header_counts(state);
    if !unreachable.is_empty() {
        spans.push(Span::styled(
            format!(
                " ⚠ alertmanager {} unreachable ",
                sanitize(&unreachable.join(", "))
            ),
            theme.stale,
        ));
    }
    // Usage this user may not read: said where the gauges are missing,
    // never as stale (nothing stopped updating).
    if let crate::model::cluster::Metrics::Forbidden(_) = state.cluster.metrics {
        spans.push(Span::styled(" metrics: not allowed ", theme.dim));
    }
    let syncing: Vec<&str> = watches
        .iter()
        .filter(|(_, h)| **h == WatchHealth::Syncing)
        .map(|(r, _)| r.plural())
        .collect();
    if !syncing.is_empty() {
        spans.push(Span::styled(
            format!(" syncing {}… ", syncing.join(", ")),
            theme.progressing,
        ));
    }
    if let Some((resource, since)) = state.cluster.stale_since() {
        // The full error is in the notice line; the header keeps it short.
        let error = match watches.get(&resource) {
            Some(WatchHealth::Down { error, .. }) => {
                truncate(&sanitize(error), ERROR_SHOWN).into_owned()
            }
            _ => String::new(),
        };
        let down = watches
            .values()
            .filter(|h| matches!(h, WatchHealth::Down { .. }))
            .count();
        let more = if down > 1 {
            format!(" +{} more", down - 1)
        } else {
            String::new()
        };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            format!(
                " ⚠ stale since {} ({}: {error}){more} ",
                since.strftime("%H:%M:%S"),
                resource.plural()
            ),
            theme.stale,
        ));
    }
    Line::from(spans)
}

/// `left` from the left edge, `right` against the right edge; the right
/// side may take up to half the width when both do not fit.
fn two_sided(buf: &mut Buffer, area: Rect, left: Line<'_>, right: Line<'_>) {
    let total = area.width as usize;
    let left_w = left.width();
    let right_w = right.width().min(total - left_w.min(total / 2));
    let left_w = left_w.min(total - right_w);
    buf.set_line(area.x, area.y, &truncate_line(left, left_w), left_w as u16);
    let x = area.x + (total - right_w) as u16;
    buf.set_line(x, area.y, &truncate_line(right, right_w), right_w as u16);
}
