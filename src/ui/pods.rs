//! The pods table: one row per pod (or a heading per workload when grouped),
//! problems marked so that Running-but-not-Ready stands apart from failing.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::table::{self, Cell, Column, Row};
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
    let mut spans = vec![Span::styled(
        super::text::sanitize(&t.short()).into_owned(),
        termination_style(t, theme),
    )];
    if let Some(at) = t.finished_at {
        spans.push(Span::styled(
            format!(" · {} ago", ago(Some(at), now)),
            theme.dim,
        ));
    }
    Line::from(spans)
}

/// The same cell on a narrow screen: `OOMKilled · 3m`, the reason (or the
/// exit code without one) and how long ago.
fn termination_short<'a>(t: &Termination, now: jiff::Timestamp, theme: &Theme) -> Line<'a> {
    let what = if t.reason.is_empty() {
        format!("exit {}", t.exit_code)
    } else {
        super::text::sanitize(&t.reason).into_owned()
    };
    let mut spans = vec![Span::styled(what, termination_style(t, theme))];
    if let Some(at) = t.finished_at {
        spans.push(Span::styled(
            format!(" · {}", ago(Some(at), now)),
            theme.dim,
        ));
    }
    Line::from(spans)
}

fn termination_style(t: &Termination, theme: &Theme) -> Style {
    if t.oom_killed() {
        theme.oom
    } else {
        Style::new()
    }
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

/// What a narrow screen gives up, first to last: the NODE's length, AGE,
/// NODE, LAST TERMINATION's long form (`OOMKilled · 2m` stays), the middle
/// of the pod name's hash, MEM/LIMIT, NAMESPACE, RESTARTS; then names and
/// statuses are shortened further, and what explains a crash — the last
/// termination — goes last of all.
fn columns(state: &State) -> Vec<Column> {
    let sort = state.pods.sort;
    let col =
        |c: PodColumn| Column::new(c.title()).sorted((sort.column == c).then_some(sort.descending));
    let mut cols = vec![Column::new("")];
    if state.namespace.is_none() {
        cols.push(col(PodColumn::Namespace).shrinks_first(8).optional(4));
    }
    cols.extend([
        col(PodColumn::Name)
            .cut_in_the_middle()
            .shrinks_at(6, 24)
            .shrinks_at(2, 12),
        col(PodColumn::Ready),
        col(PodColumn::Status).shrinks_at(2, 10),
        col(PodColumn::Restarts).optional(3),
        col(PodColumn::LastTermination).compacts_at(7).optional(1),
        col(PodColumn::Memory).optional(5),
        col(PodColumn::Node).shrinks_first(8).optional(8),
        col(PodColumn::Age).optional(9),
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
        return Row::cells(cells, theme.dim);
    };
    let now = state.now;
    let mut cells: Vec<Cell> = vec![Line::from(marker(pod.health, theme)).into()];
    if state.namespace.is_none() {
        cells.push(Line::from(span(&pod.namespace, Style::new())).into());
    }
    let last = match &pod.last_termination {
        Some(t) => Cell::with_short(termination(t, now, theme), termination_short(t, now, theme)),
        None => Line::raw("").into(),
    };
    cells.extend([
        Line::from(span(&pod.name, Style::new())).into(),
        Line::raw(format!("{}/{}", pod.ready, pod.total)).into(),
        Line::from(span(&pod.status, Style::new())).into(),
        Line::raw(restarts(pod, now)).into(),
        last,
        memory(state, key, pod, theme).into(),
        Line::from(span(pod.node.as_deref().unwrap_or("<none>"), Style::new())).into(),
        Line::raw(crate::model::pod_status::age(pod.created, now)).into(),
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

/// The pods table of the view, its rows made on demand.
pub fn table<'a>(
    state: &'a State,
    theme: &'a Theme,
) -> table::ViewTable<'a, 'a, PodRow, impl Fn(&'a PodRow) -> Row<'a>> {
    let v = &state.pods;
    table::ViewTable {
        title: title(state, theme),
        rows: &v.rows,
        cursor: v.cursor,
        columns: columns(state),
        resource: Resource::Pods,
        noun: "pods",
        filtered: !v.filter.text.is_empty() || v.problems_only || v.owner.is_some(),
        row: move |r: &'a PodRow| match r {
            PodRow::Pod(key) => pod_row(state, key, theme),
            PodRow::Group { .. } => group_row(r, state, theme),
        },
    }
}
