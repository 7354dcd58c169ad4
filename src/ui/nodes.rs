//! The nodes table: readiness, pressure, how full the node is by requests
//! and by measured usage; and the node detail lines.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::detail::{Doc, conditions, heading, kv, object_events};
use super::table::{self, Column, Row};
use super::text::{cpu, fraction, gauge, mem, percent, sanitize, span, when};
use crate::config::theme::Theme;
use crate::model::cluster::{NodeTotals, Resource, WatchHealth};
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
    let totals = node_totals(state, name);
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
        match totals {
            Some(t) => share(t.cpu_milli, n.allocatable.cpu_milli, theme),
            None => unknown(theme),
        },
        match totals {
            Some(t) => share(t.memory_bytes, n.allocatable.memory_bytes, theme),
            None => unknown(theme),
        },
        match (totals, n.allocatable_pods) {
            (Some(t), Some(max)) => Line::raw(format!("{}/{max}", t.pods)),
            (Some(t), None) => Line::raw(t.pods.to_string()),
            (None, _) => unknown(theme),
        },
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

/// What the pods on `name` request, node-wide, or `None` when that is not
/// known (see [`requests_missing`]).
fn node_totals(state: &State, name: &str) -> Option<NodeTotals> {
    let totals = state.nodes.totals.as_ref()?;
    Some(totals.get(name).copied().unwrap_or_default())
}

/// A cell whose node-wide number is not known: why is in the title.
fn unknown<'a>(theme: &Theme) -> Line<'a> {
    Line::styled("?", theme.dim)
}

/// Why the node-wide requests are not shown (a namespaced session lists
/// every namespace's pods for them), in a few words; `None` when they are.
fn requests_missing(state: &State) -> Option<&'static str> {
    if state.nodes.totals.is_some() {
        return None;
    }
    Some(match state.cluster.watches.get(&Resource::NodeRequests) {
        Some(WatchHealth::NotAllowed(_)) => "requests: not allowed",
        Some(WatchHealth::Down { .. }) => "requests: list failed",
        _ => "requests: listing every namespace's pods…",
    })
}

fn title<'a>(state: &'a State, theme: &Theme) -> Line<'a> {
    let v = &state.nodes;
    let mut spans = vec![
        Span::styled(" Nodes", theme.title),
        table::sep(theme),
        Span::raw(format!("{} nodes", v.rows.len())),
    ];
    if let Some(why) = requests_missing(state) {
        spans.push(table::sep(theme));
        spans.push(Span::styled(why, theme.dim));
    }
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

    let totals = node_totals(state, name);
    let usage = state.cluster.node_usage.get(name.as_str());
    let alloc = n.allocatable;
    let line =
        |requested: Option<u64>, alloc: Option<u64>, used: Option<u64>, fmt: fn(u64) -> String| {
            let mut spans = match requested {
                Some(r) => {
                    let mut line = share(r, alloc, theme).spans;
                    line.push(Span::raw(format!(
                        " requested: {} of {}",
                        fmt(r),
                        alloc.map_or_else(|| "?".to_string(), fmt)
                    )));
                    line
                }
                None => vec![Span::raw(format!(
                    "{} allocatable",
                    alloc.map_or_else(|| "?".to_string(), fmt)
                ))],
            };
            if let Some(u) = used {
                spans.push(Span::styled(format!(" · {} used", fmt(u)), theme.dim));
            }
            spans
        };
    lines.push(kv(
        "cpu",
        line(
            totals.map(|t| t.cpu_milli),
            alloc.cpu_milli,
            usage.map(|u| u.cpu_milli),
            cpu,
        ),
        theme,
    ));
    lines.push(kv(
        "memory",
        line(
            totals.map(|t| t.memory_bytes),
            alloc.memory_bytes,
            usage.map(|u| u.memory_bytes),
            mem,
        ),
        theme,
    ));
    let pods_text = match (totals, n.allocatable_pods) {
        (Some(t), Some(max)) => format!("{} of {max}", t.pods),
        (Some(t), None) => t.pods.to_string(),
        (None, Some(max)) => format!("? of {max}"),
        (None, None) => "?".to_string(),
    };
    lines.push(kv("pods", vec![Span::raw(pods_text)], theme));
    if state.nodes.totals.is_none() {
        // The pods of this namespace alone would be a wrong node total.
        let text = match state.cluster.watches.get(&Resource::NodeRequests) {
            Some(WatchHealth::NotAllowed(error)) => format!(
                "not allowed to list the pods of every namespace, which a node's requests need ({})",
                sanitize(error)
            ),
            Some(WatchHealth::Down { error, .. }) => {
                format!("listing every namespace's pods failed: {}", sanitize(error))
            }
            _ => "listing every namespace's pods…".to_string(),
        };
        lines.push(kv("requests", vec![Span::styled(text, theme.dim)], theme));
    }

    lines.push(Line::raw(""));
    lines.push(heading("Conditions", theme));
    conditions(&mut lines, &n.conditions, now, theme);
    lines.push(Line::raw(""));
    lines.push(heading("Events", theme));
    if let Some(WatchHealth::NotAllowed(error)) = state.cluster.watches.get(&Resource::NodeEvents) {
        // Node events live in `default`; this user may not read them there.
        lines.push(Line::styled(
            format!(
                "  node events: not allowed (they are recorded in namespace default): {}",
                sanitize(error)
            ),
            theme.dim,
        ));
    }
    object_events(&mut lines, state, "Node", "", &n.name, theme);
    Some((title, lines))
}
