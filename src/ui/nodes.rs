//! The nodes table: readiness, pressure, how full the node is by requests
//! and by measured usage; and the node detail lines.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::detail::{Doc, conditions, heading, kv, object_events};
use super::table::{self, Column, Row};
use super::text::{cpu, fraction, gauge, mem, percent, sanitize, span, when};
use crate::config::theme::Theme;
use crate::model::cluster::Resource;
use crate::model::node::NodeInfo;
use crate::model::pod_status::age;
use crate::state::State;

/// `Ready`, `NotReady`, `Unknown`, with `,SchedulingDisabled` when cordoned.
pub fn status(n: &NodeInfo) -> String {
    let ready = match n.ready {
        Some(true) => "Ready",
        Some(false) => "NotReady",
        None => "Unknown",
    };
    if n.unschedulable {
        format!("{ready},SchedulingDisabled")
    } else {
        ready.to_string()
    }
}

fn health(n: &NodeInfo, theme: &Theme) -> (Style, Span<'static>) {
    if n.ready != Some(true) {
        (theme.status_error, Span::styled("✖", theme.status_error))
    } else if !n.pressures.is_empty() {
        (theme.status_warn, Span::styled("⚠", theme.status_warn))
    } else if n.unschedulable {
        (theme.status_warn, Span::styled("‖", theme.status_warn))
    } else {
        (theme.base, Span::raw(" "))
    }
}

/// `▰▰▱▱▱ 45%` of allocatable, or `-` when allocatable is unknown.
fn share<'a>(used: u64, total: Option<u64>, theme: &Theme) -> Line<'a> {
    match fraction(used, total) {
        Some(f) => {
            let [full, empty] = gauge(f, 5, theme);
            Line::from(vec![
                full,
                empty,
                Span::styled(format!(" {}", percent(f)), theme.gauge(f)),
            ])
        }
        None => Span::styled("-", theme.dim).into(),
    }
}

/// Measured usage: `900m 22%`, `7.1Gi 95%`; `-` without metrics.
fn used<'a>(amount: Option<(String, Option<f64>)>, theme: &Theme) -> Line<'a> {
    match amount {
        Some((text, Some(f))) => Line::from(vec![
            Span::raw(format!("{text} ")),
            Span::styled(percent(f), theme.gauge(f)),
        ]),
        Some((text, None)) => Line::raw(text),
        None => Line::styled("-", theme.dim),
    }
}

fn columns() -> Vec<Column> {
    vec![
        Column::new(""),
        Column::new("NAME").shrinks_last(12),
        Column::new("STATUS").shrinks_last(8),
        Column::new("ROLES").optional(6),
        Column::new("PRESSURE").shrinks_last(8),
        Column::new("CPU REQ"),
        Column::new("MEM REQ"),
        Column::new("PODS").optional(3),
        Column::new("CPU USE").optional(4),
        Column::new("MEM USE").optional(2),
        Column::new("VERSION").optional(7),
        Column::new("AGE").optional(5),
    ]
}

fn row<'a>(state: &'a State, name: &'a str, theme: &Theme) -> Row<'a> {
    let Some(n) = state.cluster.nodes.get(name) else {
        return Row::cells(
            vec![
                Line::raw(" "),
                Line::from(span(name, Style::new())),
                Line::raw("(gone)"),
            ],
            theme.dim,
        );
    };
    let (style, mark) = health(n, theme);
    let t = state.nodes.totals.get(name).copied().unwrap_or_default();
    let (req_cpu, req_mem, pods) = (t.cpu_milli, t.memory_bytes, t.pods);
    let usage = state.cluster.node_usage.get(name);
    let pressure = if n.pressures.is_empty() {
        Line::styled("-", theme.dim)
    } else {
        Line::styled(
            sanitize(&n.pressures.join(",")).into_owned(),
            theme.status_warn,
        )
    };
    let cells = vec![
        Line::from(mark),
        Line::from(span(&n.name, Style::new())),
        Line::raw(status(n)),
        Line::raw(if n.roles.is_empty() {
            "<none>".to_string()
        } else {
            sanitize(&n.roles.join(",")).into_owned()
        }),
        pressure,
        share(req_cpu, n.allocatable.cpu_milli, theme),
        share(req_mem, n.allocatable.memory_bytes, theme),
        Line::raw(match n.allocatable_pods {
            Some(max) => format!("{pods}/{max}"),
            None => pods.to_string(),
        }),
        used(
            usage.map(|u| {
                (
                    cpu(u.cpu_milli),
                    fraction(u.cpu_milli, n.allocatable.cpu_milli),
                )
            }),
            theme,
        ),
        used(
            usage.map(|u| {
                (
                    mem(u.memory_bytes),
                    fraction(u.memory_bytes, n.allocatable.memory_bytes),
                )
            }),
            theme,
        ),
        Line::from(span(&n.kubelet_version, Style::new())),
        Line::raw(age(n.created, state.now)),
    ];
    Row::cells(cells, style)
}

fn title<'a>(state: &'a State, theme: &Theme) -> Line<'a> {
    let v = &state.nodes;
    let mut spans = vec![
        Span::styled(" Nodes", theme.title),
        table::sep(theme),
        Span::raw(format!("{} nodes", v.rows.len())),
    ];
    table::title_filters(
        &mut spans,
        &v.filter.text,
        &[(v.problems_only, "problems only")],
        theme,
    );
    Line::from(spans)
}

/// The view's table, its rows made on demand.
pub fn table<'a>(
    state: &'a State,
    theme: &'a Theme,
) -> table::ViewTable<'a, 'a, String, impl Fn(&'a String) -> Row<'a>> {
    let v = &state.nodes;
    table::ViewTable {
        title: title(state, theme),
        rows: &v.rows,
        cursor: v.cursor,
        columns: columns(),
        resource: Resource::Nodes,
        noun: "nodes",
        filtered: !v.filter.text.is_empty() || v.problems_only,
        row: move |name: &'a String| row(state, name, theme),
    }
}

/// The selected node: status, capacity against requests and usage,
/// conditions and events.
pub fn detail<'a>(state: &'a State, theme: &Theme) -> Option<(Line<'a>, Doc<'a>)> {
    let name = table::selected(&state.nodes.rows, state.nodes.cursor)?;
    let n = state.cluster.nodes.get(name)?;
    let now = state.now;
    let (style, mark) = health(n, theme);
    let title = Line::from(vec![
        Span::styled(" Node ", theme.dim),
        span(&n.name, theme.title),
        Span::raw(" "),
    ]);
    let mut st = vec![mark, Span::raw(" "), Span::styled(status(n), style)];
    for p in &n.pressures {
        st.push(Span::raw(" · "));
        st.push(span(p, theme.status_warn));
    }
    let mut lines = Doc::default();
    lines.push(kv("status", st, theme));
    let mut about = vec![Span::raw(if n.roles.is_empty() {
        "no roles".to_string()
    } else {
        sanitize(&n.roles.join(",")).into_owned()
    })];
    if let Some(ip) = &n.internal_ip {
        about.push(Span::styled(" · ip ", theme.dim));
        about.push(span(ip, Style::new()));
    }
    about.push(Span::styled(" · kubelet ", theme.dim));
    about.push(span(&n.kubelet_version, Style::new()));
    lines.push(kv("node", about, theme));
    lines.push(kv("created", vec![Span::raw(when(n.created, now))], theme));

    let t = state.nodes.totals.get(name).copied().unwrap_or_default();
    let (req_cpu, req_mem, pods) = (t.cpu_milli, t.memory_bytes, t.pods);
    let usage = state.cluster.node_usage.get(name.as_str());
    let alloc = n.allocatable;
    let mut cpu_line = share(req_cpu, alloc.cpu_milli, theme).spans;
    cpu_line.push(Span::raw(format!(
        " requested: {} of {}",
        cpu(req_cpu),
        alloc.cpu_milli.map_or_else(|| "?".to_string(), cpu)
    )));
    if let Some(u) = usage {
        cpu_line.push(Span::styled(
            format!(" · {} used", cpu(u.cpu_milli)),
            theme.dim,
        ));
    }
    lines.push(kv("cpu", cpu_line, theme));
    let mut mem_line = share(req_mem, alloc.memory_bytes, theme).spans;
    mem_line.push(Span::raw(format!(
        " requested: {} of {}",
        mem(req_mem),
        alloc.memory_bytes.map_or_else(|| "?".to_string(), mem)
    )));
    if let Some(u) = usage {
        mem_line.push(Span::styled(
            format!(" · {} used", mem(u.memory_bytes)),
            theme.dim,
        ));
    }
    lines.push(kv("memory", mem_line, theme));
    let pods_text = match n.allocatable_pods {
        Some(max) => format!("{pods} of {max}"),
        None => pods.to_string(),
    };
    lines.push(kv("pods", vec![Span::raw(pods_text)], theme));

    lines.push(Line::raw(""));
    lines.push(heading("Conditions", theme));
    conditions(&mut lines, &n.conditions, now, theme);
    lines.push(Line::raw(""));
    lines.push(heading("Events", theme));
    object_events(&mut lines, state, "Node", "", &n.name, theme);
    Some((title, lines))
}
