//! The pods table: one row per pod (or a heading per workload when grouped),
//! problems marked so that Running-but-not-Ready stands apart from failing.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::table::{self, Column, Row};
use super::text::{ago, fraction, gauge, mem, span};
use crate::config::theme::Theme;
use crate::keys::PodColumn;
use crate::model::ObjectKey;
use crate::model::cluster::Resource;
use crate::model::pod_health::{Health, PodInfo, Termination};
use crate::state::{PodRow, State};

/// The marker of a row's health and its style: `◐` Running but not Ready,
/// `✖` failing, `◌` on its way; nothing when all is well.
pub fn marker(health: Health, theme: &Theme) -> Span<'static> {
    match health {
        Health::Ok => Span::raw(" "),
        Health::Progressing => Span::styled("◌", theme.progressing),
        Health::NotReady => Span::styled("◐", theme.not_ready),
        Health::Failing => Span::styled("✖", theme.status_error),
    }
}

/// The LAST TERMINATION cell: `OOMKilled exit 137 · 3m ago`, OOM highlighted.
pub fn termination<'a>(t: &Termination, now: jiff::Timestamp, theme: &Theme) -> Line<'a> {
    let style = if t.oom_killed() {
        theme.oom
    } else {
        Style::new()
    };
    let mut spans = vec![Span::styled(
        super::text::sanitize(&t.short()).into_owned(),
        style,
    )];
    if let Some(at) = t.finished_at {
        spans.push(Span::styled(
            format!(" · {} ago", ago(Some(at), now)),
            theme.dim,
        ));
    }
    Line::from(spans)
}

/// RESTARTS as kubectl prints it: `5 (4m ago)`.
pub fn restarts(pod: &PodInfo, now: jiff::Timestamp) -> String {
    match pod.last_restart {
        Some(at) if pod.restarts > 0 => format!("{} ({} ago)", pod.restarts, ago(Some(at), now)),
        _ => pod.restarts.to_string(),
    }
}

/// MEM/LIMIT: `▰▰▰▰▱ 230Mi/256Mi`; usage alone without a limit; `-` without metrics.
pub fn memory<'a>(state: &State, key: &ObjectKey, pod: &PodInfo, theme: &Theme) -> Line<'a> {
    let Some(usage) = state.cluster.pod_usage.get(key) else {
        return Line::styled("-", theme.dim);
    };
    let used = usage.memory_bytes;
    match (
        pod.limits.memory_bytes,
        fraction(used, pod.limits.memory_bytes),
    ) {
        (Some(limit), Some(f)) => {
            let [full, empty] = gauge(f, 5, theme);
            Line::from(vec![
                full,
                empty,
                Span::styled(format!(" {}/{}", mem(used), mem(limit)), theme.gauge(f)),
            ])
        }
        _ => Line::raw(mem(used)),
    }
}

fn columns(state: &State) -> Vec<Column> {
    let sort = state.pods.sort;
    let col =
        |c: PodColumn| Column::new(c.title()).sorted((sort.column == c).then_some(sort.descending));
    let mut cols = vec![Column::new("")];
    if state.namespace.is_none() {
        cols.push(col(PodColumn::Namespace).shrinks_first(8).optional(2));
    }
    cols.extend([
        col(PodColumn::Name).shrinks_last(16),
        col(PodColumn::Ready),
        col(PodColumn::Status).shrinks_last(10),
        col(PodColumn::Restarts).optional(1),
        col(PodColumn::LastTermination)
            .shrinks_first(18)
            .optional(3),
        col(PodColumn::Memory).optional(4),
        col(PodColumn::Node).shrinks_first(8).optional(6),
        col(PodColumn::Age).optional(5),
    ]);
    cols
}

fn pod_row<'a>(state: &'a State, key: &'a ObjectKey, theme: &Theme) -> Row<'a> {
    let Some(pod) = state.cluster.pods.get(key) else {
        // A row the reducer has not recomputed yet after a delete.
        let mut cells = vec![Line::raw(" ")];
        if state.namespace.is_none() {
            cells.push(Line::from(span(&key.namespace, Style::new())));
        }
        cells.push(Line::from(span(&key.name, Style::new())));
        cells.push(Line::raw(""));
        cells.push(Line::raw("(gone)"));
        return Row::Cells {
            cells,
            style: theme.dim,
        };
    };
    let now = state.now;
    let mut cells = vec![Line::from(marker(pod.health, theme))];
    if state.namespace.is_none() {
        cells.push(Line::from(span(&pod.namespace, Style::new())));
    }
    cells.extend([
        Line::from(span(&pod.name, Style::new())),
        Line::raw(format!("{}/{}", pod.ready, pod.total)),
        Line::from(span(&pod.status, Style::new())),
        Line::raw(restarts(pod, now)),
        match &pod.last_termination {
            Some(t) => termination(t, now, theme),
            None => Line::raw(""),
        },
        memory(state, key, pod, theme),
        Line::from(span(pod.node.as_deref().unwrap_or("<none>"), Style::new())),
        Line::raw(crate::model::pod_status::age(pod.created, now)),
    ]);
    Row::Cells {
        cells,
        style: theme.health(pod.health),
    }
}

fn group_row<'a>(row: &'a PodRow, state: &State, theme: &Theme) -> Row<'a> {
    let PodRow::Group {
        namespace,
        owner,
        pods,
        not_ready,
        failing,
    } = row
    else {
        return Row::Heading(Line::raw(""));
    };
    let mut spans = vec![Span::raw("▾ ")];
    let plural = if *pods == 1 { "" } else { "s" };
    match owner {
        Some(o) => {
            spans.push(span(&o.kind, theme.dim));
            spans.push(Span::raw(" "));
            spans.push(span(&o.name, theme.group_heading));
        }
        None => spans.push(Span::styled(
            "pods without a controller",
            theme.group_heading,
        )),
    }
    if state.namespace.is_none() {
        spans.push(Span::styled("  in ", theme.dim));
        spans.push(span(namespace, theme.dim));
    }
    spans.push(table::sep(theme));
    spans.push(Span::styled(format!("{pods} pod{plural}"), theme.base));
    if *not_ready > 0 {
        spans.push(table::sep(theme));
        spans.push(Span::styled(
            format!("◐ {not_ready} not ready"),
            theme.not_ready,
        ));
    }
    if *failing > 0 {
        spans.push(table::sep(theme));
        spans.push(Span::styled(
            format!("✖ {failing} failing"),
            theme.status_error,
        ));
    }
    Row::Heading(Line::from(spans))
}

fn title<'a>(state: &'a State, theme: &Theme) -> Line<'a> {
    let v = &state.pods;
    let mut spans = vec![Span::styled(" Pods", theme.title), table::sep(theme)];
    spans.push(match &state.namespace {
        Some(ns) => span(ns, theme.title),
        None => Span::styled("all namespaces", theme.title),
    });
    if let Some((ns, owner)) = &v.owner {
        spans.push(table::sep(theme));
        spans.push(Span::styled(format!("{} ", owner.kind), theme.dim));
        spans.push(span(&owner.name, theme.title));
        if state.namespace.is_none() {
            spans.push(Span::styled(" in ", theme.dim));
            spans.push(span(ns, theme.dim));
        }
    }
    spans.push(table::sep(theme));
    if v.group_by_workload {
        let (pods, groups) = v.rows.iter().fold((0, 0), |(p, g), r| match r {
            PodRow::Group { .. } => (p, g + 1),
            PodRow::Pod(_) => (p + 1, g),
        });
        spans.push(Span::raw(format!("{pods} pods in {groups} groups")));
    } else {
        spans.push(Span::raw(format!("{} pods", v.rows.len())));
    }
    table::title_filters(
        &mut spans,
        &v.filter.text,
        &[
            (v.problems_only, "problems only"),
            (v.group_by_workload, "grouped"),
        ],
        theme,
    );
    Line::from(spans)
}

pub fn render(buf: &mut Buffer, area: Rect, state: &State, theme: &Theme, focused: bool) -> usize {
    let v = &state.pods;
    table::ViewTable {
        title: title(state, theme),
        rows: &v.rows,
        cursor: v.cursor,
        columns: columns(state),
        resource: Resource::Pods,
        noun: "pods",
        filtered: !v.filter.text.is_empty() || v.problems_only || v.owner.is_some(),
    }
    .render(buf, area, state, theme, focused, |r| match r {
        PodRow::Pod(key) => pod_row(state, key, theme),
        PodRow::Group { .. } => group_row(r, state, theme),
    })
}
