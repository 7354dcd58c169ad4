//! The alerts view: Alertmanagers' and detectors' alerts in one table,
//! grouped by severity then name, and the selected alert in detail —
//! labels, annotations, silences, where it came from, and for a
//! detector's alert the plain explanation.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::detail::{Doc, heading, kv};
use super::table::{self, Column, Row};
use super::text::{ago, sanitize, span, when};
use crate::config::theme::Theme;
use crate::model::alert::{Alert, AlertSeverity, AlertSource, AlertState};
use crate::state::State;
use crate::state::alerts::{AlertRow, selected, subject};

/// The style of a severity.
pub fn severity_style(s: AlertSeverity, theme: &Theme) -> Style {
    match s {
        AlertSeverity::Critical => theme.status_error,
        AlertSeverity::Warning => theme.status_warn,
        AlertSeverity::Info => theme.progressing,
        AlertSeverity::None => theme.dim,
    }
}

fn marker(a: &Alert) -> &'static str {
    match (a.state, a.severity) {
        (AlertState::Suppressed, _) => "‖",
        (_, AlertSeverity::Critical) => "✖",
        (_, AlertSeverity::Warning) => "⚠",
        _ => "•",
    }
}

fn source(a: &Alert) -> String {
    match &a.source {
        AlertSource::Alertmanager => a.reported_by.join(","),
        AlertSource::Detector(d) => format!("warroom:{d}"),
    }
}

/// What a narrow screen gives up, first to last: the summary's length
/// (the detail pane has it whole), SOURCE, STATE, the middle of the
/// object's name, the summary; last, names are shortened further.
fn columns() -> Vec<Column> {
    vec![
        Column::new(""),
        Column::new("ALERT").shrinks_last(14),
        Column::new("STATE").optional(6),
        Column::new("SINCE"),
        Column::new("OBJECT")
            .cut_in_the_middle()
            .shrinks_at(5, 24)
            .shrinks_last(12),
        Column::new("SUMMARY").shrinks_first(20).optional(4),
        Column::new("SOURCE").optional(7),
    ]
}

/// The alert's object: `ns/name`, or the name alone in a view of its own
/// namespace.
fn object(state: &State, a: &Alert) -> String {
    match a.targets().into_iter().next() {
        Some(t) => match t.namespace {
            Some(ns) if state.namespace.as_deref() != Some(ns.as_str()) => {
                format!("{ns}/{}", t.name)
            }
            _ => t.name,
        },
        None => String::new(),
    }
}

fn row<'a>(state: &'a State, r: &'a AlertRow, theme: &Theme) -> Row<'a> {
    match r {
        AlertRow::Heading(sev, n) => Row::Heading(Line::from(vec![Span::styled(
            format!(" {} · {n}", sev.label()),
            severity_style(*sev, theme),
        )])),
        AlertRow::Alert(i) => {
            let Some(a) = state.alerts.feed.get(*i) else {
                return Row::cells(vec![Line::raw(" ")], theme.dim);
            };
            let style = if a.state == AlertState::Active {
                severity_style(a.severity, theme)
            } else {
                theme.dim
            };
            let cells = vec![
                Line::styled(marker(a), style),
                Line::from(span(&a.name, style)),
                Line::raw(a.state.label()),
                Line::raw(ago(a.starts_at, state.now)),
                Line::raw(sanitize(&object(state, a)).into_owned()),
                Line::raw(sanitize(a.summary.as_deref().unwrap_or("")).into_owned()),
                Line::styled(sanitize(&source(a)).into_owned(), theme.dim),
            ];
            Row::cells(cells, theme.base)
        }
    }
}

fn title<'a>(state: &'a State, theme: &Theme) -> Line<'a> {
    let v = &state.alerts_view;
    let firing = state
        .alerts
        .feed
        .iter()
        .filter(|a| a.state == AlertState::Active)
        .count();
    let mut spans = vec![
        Span::styled(" Alerts", theme.title),
        table::sep(theme),
        Span::raw(format!("{firing} firing of {}", state.alerts.feed.len())),
    ];
    let a = &state.alerts;
    if a.configured.is_empty() {
        spans.push(table::sep(theme));
        spans.push(Span::styled(
            "no Alertmanager configured: built-in detectors only",
            theme.dim,
        ));
    } else {
        for (name, _) in &a.failed {
            spans.push(table::sep(theme));
            spans.push(Span::styled(
                format!("{} unreachable", sanitize(name)),
                theme.stale,
            ));
        }
        if let Some(at) = a.polled_at {
            spans.push(table::sep(theme));
            spans.push(Span::styled(
                format!("polled {}", at.strftime("%H:%M:%S")),
                theme.dim,
            ));
        }
    }
    table::title_filters(
        &mut spans,
        &v.filter.text,
        &[(v.problems_only, "firing only")],
        theme,
    );
    Line::from(spans)
}

/// The view's table, its rows made on demand.
pub fn table<'a>(
    state: &'a State,
    theme: &'a Theme,
) -> table::ViewTable<'a, 'a, AlertRow, impl Fn(&'a AlertRow) -> Row<'a>> {
    let v = &state.alerts_view;
    table::ViewTable {
        title: title(state, theme),
        rows: &v.rows,
        cursor: v.cursor,
        columns: columns(),
        resource: crate::model::cluster::Resource::Pods,
        noun: "alerts",
        filtered: !v.filter.text.is_empty() || v.problems_only,
        row: move |r: &'a AlertRow| row(state, r, theme),
    }
}

/// The selected alert in full.
pub fn detail<'a>(state: &'a State, theme: &Theme) -> Option<(Line<'a>, Doc<'a>)> {
    let a = selected(state)?;
    let style = severity_style(a.severity, theme);
    let title = Line::from(vec![
        Span::styled(" Alert ", theme.dim),
        span(&a.name, theme.title),
        Span::raw(" "),
    ]);
    let mut doc = Doc::default();
    doc.push(kv(
        "severity",
        vec![
            Span::styled(a.severity.label(), style),
            Span::styled(" · ", theme.dim),
            Span::raw(a.state.label()),
        ],
        theme,
    ));
    doc.push(kv(
        "since",
        vec![Span::raw(when(a.starts_at, state.now))],
        theme,
    ));
    let object = subject(a);
    if !object.is_empty() {
        doc.push(kv(
            "object",
            vec![
                Span::raw(sanitize(object.trim_start_matches("on ")).into_owned()),
                Span::styled("  (enter: show it)", theme.dim),
            ],
            theme,
        ));
    }
    doc.push(kv(
        "source",
        vec![Span::raw(sanitize(&source(a)).into_owned())],
        theme,
    ));
    if let Some(s) = &a.summary {
        doc.push(kv("summary", vec![span(s, theme.base)], theme));
    }
    if !a.silenced_by.is_empty() {
        doc.push(kv(
            "silenced by",
            vec![Span::raw(sanitize(&a.silenced_by.join(", ")).into_owned())],
            theme,
        ));
    }
    if !a.inhibited_by.is_empty() {
        doc.push(kv(
            "inhibited by",
            vec![Span::raw(sanitize(&a.inhibited_by.join(", ")).into_owned())],
            theme,
        ));
    }
    if let Some(d) = &a.description {
        doc.push(Line::raw(""));
        doc.push(heading("Description", theme));
        for line in d.lines() {
            doc.push(Line::raw(sanitize(line).into_owned()));
        }
    }
    if !a.labels.is_empty() {
        doc.push(Line::raw(""));
        doc.push(heading("Labels", theme));
        for (k, v) in &a.labels {
            doc.push(kv(k, vec![span(v, theme.base)], theme));
        }
    }
    if let Some(url) = &a.generator_url {
        doc.push(kv("generator", vec![span(url, theme.dim)], theme));
    }
    Some((title, doc))
}

/// The alerts section of a pod's detail pane.
pub fn pod_section<'a>(
    state: &'a State,
    pod: &'a crate::model::pod_health::PodInfo,
    theme: &Theme,
    doc: &mut Doc<'a>,
) {
    let alerts = crate::state::alerts::for_pod(state, pod);
    if alerts.is_empty() {
        return;
    }
    doc.push(Line::raw(""));
    doc.push(heading("Alerts", theme));
    for a in alerts {
        let style = severity_style(a.severity, theme);
        doc.push(Line::from(vec![
            Span::styled(format!("{} ", marker(a)), style),
            span(&a.name, style),
            Span::styled(format!(" · {} · ", a.state.label()), theme.dim),
            Span::raw(ago(a.starts_at, state.now)),
            Span::styled(" · ", theme.dim),
            Span::raw(sanitize(a.summary.as_deref().unwrap_or("")).into_owned()),
        ]));
    }
}
