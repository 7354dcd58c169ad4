//! The two header lines: where we are attached and how the pods are doing,
//! the read-only badge and clock, and whether the data can be trusted
//! ("stale since", "syncing…").

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::text::{elide_middle, sanitize, span, truncate, truncate_line, width};
use crate::config::theme::Theme;
use crate::model::cluster::{PodCounts, WatchHealth};
use crate::state::State;

/// How much of a watch error the header shows.
const ERROR_SHOWN: usize = 40;
/// The fewest cells of the context's name a narrow header keeps.
const CONTEXT_SHOWN: usize = 8;

pub fn render(buf: &mut Buffer, area: Rect, state: &State, counts: &PodCounts, theme: &Theme) {
    if area.height == 0 {
        return;
    }
    buf.set_style(area, theme.header);
    let first = Rect { height: 1, ..area };
    two_sided(
        buf,
        first,
        |room| where_line(state, room, theme),
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
            |room| counts_line(state, counts, room, theme),
            health_line(state, theme),
        );
    }
}

/// Where we are attached, in `room` cells. A narrow screen loses, in turn,
/// the cluster's name, the program's name, and the middle of the context's
/// name; the namespace stays whole as long as it can.
fn where_line<'a>(state: &'a State, room: usize, theme: &Theme) -> Line<'a> {
    let label = |s: &'static str| Span::styled(s, theme.header_label);
    let conn = &state.connection;
    let context = sanitize(&conn.context);
    let form = |brand: bool, cluster: bool, context_w: usize| {
        let mut spans = Vec::new();
        if brand {
            spans.push(Span::styled(" warroom ", theme.title));
        }
        if conn.context.is_empty() {
            spans.push(Span::styled(" not connected", theme.dim));
        } else {
            spans.push(label(" ctx "));
            spans.push(Span::styled(
                elide_middle(&context, context_w).into_owned(),
                theme.header,
            ));
        }
        spans.push(label("  ns "));
        spans.push(match &state.namespace {
            Some(ns) => span(ns, theme.header),
            None => Span::styled("all namespaces", theme.header),
        });
        if cluster && !conn.cluster.is_empty() && conn.cluster != conn.context {
            spans.push(label("  cluster "));
            spans.push(span(&conn.cluster, theme.header));
        }
        Line::from(spans)
    };
    let whole = width(&context);
    let forms = [
        form(true, true, whole),
        form(true, false, whole),
        form(false, false, whole),
    ];
    if let Some(fits) = forms.into_iter().find(|l| l.width() <= room) {
        return fits;
    }
    // The context's name gives way, down to a few cells, before the namespace.
    let rest = form(false, false, 0).width();
    form(false, false, room.saturating_sub(rest).max(CONTEXT_SHOWN))
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

/// How the counts line is written, from the longest form to the shortest.
#[derive(Clone, Copy)]
struct CountsForm {
    /// `12 pods` first (the Pods tab says it too).
    total: bool,
    /// Between the groups: pods, the last hour, alerts.
    gap: &'static str,
    hour: &'static str,
    /// Pods restarted in the last hour (the RESTARTS column says it too).
    restarted: bool,
    /// Counts that are zero.
    zeros: bool,
}

/// The counts line's forms: each gives up one more thing than the last.
fn counts_forms() -> [CountsForm; 5] {
    let full = CountsForm {
        total: true,
        gap: "   ",
        hour: "last 1h: ",
        restarted: true,
        zeros: true,
    };
    let no_total = CountsForm {
        total: false,
        ..full
    };
    let tight = CountsForm {
        gap: "  ",
        hour: "1h: ",
        ..no_total
    };
    let no_restarts = CountsForm {
        restarted: false,
        ..tight
    };
    let no_zeros = CountsForm {
        zeros: false,
        ..no_restarts
    };
    [full, no_total, tight, no_restarts, no_zeros]
}

/// How the pods are doing and the firing alerts, in the longest form that
/// fits `room`: not ready, failing, OOMKilled and the alerts by severity
/// are the last to go.
fn counts_line<'a>(state: &State, c: &PodCounts, room: usize, theme: &Theme) -> Line<'a> {
    let (firing, _) = crate::state::alerts::header_counts(state);
    let line = |f: CountsForm| {
        let item = |n: usize, what: &str, style| {
            let style = if n == 0 { theme.dim } else { style };
            (n > 0 || f.zeros).then(|| Span::styled(format!("{n}{what}"), style))
        };
        let pods = [
            f.total
                .then(|| item(c.pods, " pods", theme.header))
                .flatten(),
            item(c.not_ready, " not ready", theme.not_ready),
            item(c.failing, " failing", theme.status_error),
        ];
        // Pods, not restarts or kills: a pod killed six times counts once.
        let pods_word =
            |n: usize, one: &'static str, more: &'static str| if n == 1 { one } else { more };
        let hour = [
            f.restarted
                .then(|| {
                    let what = pods_word(c.restarted, " pod restarted", " pods restarted");
                    item(c.restarted, what, theme.status_warn)
                })
                .flatten(),
            item(
                c.oom_killed,
                pods_word(c.oom_killed, " pod OOMKilled", " pods OOMKilled"),
                theme.oom,
            ),
        ];
        // Firing alerts by severity, most severe first.
        let alerts = firing.iter().map(|(severity, n)| {
            Some(Span::styled(
                format!("{n} {}", severity.label()),
                super::alerts::severity_style(*severity, theme),
            ))
        });
        let mut spans = vec![Span::raw(" ")];
        let mut group = |label: &'static str, items: Vec<Span<'a>>| {
            if items.is_empty() {
                return;
            }
            if spans.len() > 1 {
                spans.push(Span::raw(f.gap));
            }
            if !label.is_empty() {
                spans.push(Span::styled(label, theme.header_label));
            }
            for (i, s) in items.into_iter().enumerate() {
                if i > 0 {
                    spans.push(Span::styled(" · ", theme.dim));
                }
                spans.push(s);
            }
        };
        group("", pods.into_iter().flatten().collect());
        group(f.hour, hour.into_iter().flatten().collect());
        group("alerts: ", alerts.flatten().collect());
        Line::from(spans)
    };
    let mut last = Line::default();
    for form in counts_forms().into_iter().map(line) {
        if form.width() <= room {
            return form;
        }
        last = form;
    }
    last
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

/// `left` (made for the room it gets) from the left edge, `right` against
/// the right edge; the right side may take up to half the width when both
/// do not fit, the left side what is left.
fn two_sided<'a>(buf: &mut Buffer, area: Rect, left: impl Fn(usize) -> Line<'a>, right: Line<'_>) {
    let total = area.width as usize;
    // The left side's shortest form.
    let left_w = left(0).width();
    let right_w = right.width().min(total - left_w.min(total / 2));
    let room = total - right_w;
    let left = left(room);
    let left_w = left.width().min(room);
    buf.set_line(area.x, area.y, &truncate_line(left, left_w), left_w as u16);
    let x = area.x + (total - right_w) as u16;
    buf.set_line(x, area.y, &truncate_line(right, right_w), right_w as u16);
}
