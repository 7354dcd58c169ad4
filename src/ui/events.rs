//! The events table (newest first, as the reducer sorts it) and the full
//! event in the detail pane.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::detail::{Doc, Para, heading, kv};
use super::table::{self, Column, Row};
use super::text::{ago, sanitize, sanitize_lines, span, when};
use crate::config::theme::Theme;
use crate::model::ObjectKey;
use crate::model::cluster::Resource;
use crate::model::event::EventInfo;
use crate::state::State;

fn style(e: &EventInfo, theme: &Theme) -> Style {
    if e.warning {
        theme.event_warning
    } else {
        theme.event_normal
    }
}

fn kind_label(e: &EventInfo) -> &'static str {
    if e.warning { "Warning" } else { "Normal" }
}

fn columns(state: &State) -> Vec<Column> {
    let mut cols = vec![Column::new("LAST SEEN"), Column::new("TYPE").optional(1)];
    if state.namespace.is_none() {
        cols.push(Column::new("NAMESPACE").shrinks_first(8).optional(4));
    }
    cols.extend([
        Column::new("REASON").shrinks_last(10),
        Column::new("OBJECT").shrinks_last(16),
        Column::new("COUNT").optional(3),
        Column::new("FIRST SEEN").optional(5),
        Column::new("MESSAGE").shrinks_first(20),
    ]);
    cols
}

fn row<'a>(state: &'a State, key: &'a ObjectKey, theme: &Theme) -> Row<'a> {
    let Some(e) = state.cluster.events.get(key) else {
        return Row::cells(vec![Line::raw(""), Line::raw("(gone)")], theme.dim);
    };
    let now = state.now;
    let mut cells = vec![Line::raw(ago(e.last_seen, now)), Line::raw(kind_label(e))];
    if state.namespace.is_none() {
        cells.push(Line::from(span(&e.namespace, Style::new())));
    }
    cells.extend([
        Line::from(span(&e.reason, Style::new())),
        Line::from(vec![
            span(&e.object.kind, Style::new()),
            Span::raw("/"),
            span(&e.object.name, Style::new()),
        ]),
        Line::raw(e.count.to_string()),
        Line::raw(ago(e.first_seen, now)),
        Line::from(span(&e.message, Style::new())),
    ]);
    Row::cells(cells, style(e, theme))
}

fn title<'a>(state: &'a State, theme: &Theme) -> Line<'a> {
    let v = &state.events;
    let mut spans = vec![Span::styled(" Events", theme.title), table::sep(theme)];
    spans.push(match &state.namespace {
        Some(ns) => span(ns, theme.title),
        None => Span::styled("all namespaces", theme.title),
    });
    if let Some(o) = &v.object {
        spans.push(table::sep(theme));
        spans.push(Span::styled("about ", theme.dim));
        spans.push(span(&o.kind, theme.title));
        spans.push(Span::raw("/"));
        spans.push(span(&o.name, theme.title));
    }
    spans.push(table::sep(theme));
    spans.push(Span::raw(format!("{} events", v.rows.len())));
    if state.cluster.events_dropped > 0 {
        spans.push(Span::styled(
            format!(
                " (newest kept; {} older let go)",
                state.cluster.events_dropped
            ),
            theme.dim,
        ));
    }
    table::title_filters(
        &mut spans,
        &v.filter.text,
        &[(v.warnings_only, "warnings only")],
        theme,
    );
    Line::from(spans)
}

/// The view's table, its rows made on demand.
pub fn table<'a>(
    state: &'a State,
    theme: &'a Theme,
) -> table::ViewTable<'a, 'a, ObjectKey, impl Fn(&'a ObjectKey) -> Row<'a>> {
    let v = &state.events;
    table::ViewTable {
        title: title(state, theme),
        rows: &v.rows,
        cursor: v.cursor,
        columns: columns(state),
        resource: Resource::Events,
        noun: "events",
        filtered: !v.filter.text.is_empty() || v.warnings_only || v.object.is_some(),
        row: move |key: &'a ObjectKey| row(state, key, theme),
    }
}

/// The selected event in full.
pub fn detail<'a>(state: &'a State, theme: &Theme) -> Option<(Line<'a>, Doc<'a>)> {
    let key = table::selected(&state.events.rows, state.events.cursor)?;
    let e = state.cluster.events.get(key)?;
    let now = state.now;
    let style = style(e, theme);
    let title = Line::from(vec![
        Span::styled(format!(" {} ", kind_label(e)), style),
        span(&e.reason, theme.title),
        Span::raw(" "),
    ]);
    let mut object = vec![span(&e.object.kind, Style::new()), Span::raw(" ")];
    if !e.object.namespace.is_empty() {
        object.push(span(&e.object.namespace, Style::new()));
        object.push(Span::raw("/"));
    }
    object.push(span(&e.object.name, Style::new()));
    if let Some(c) = e.container() {
        object.push(Span::styled(" · container ", theme.dim));
        object.push(span(c, Style::new()));
    }
    let mut lines = Doc::default();
    lines.push(kv("object", object, theme));
    lines.push(kv("count", vec![Span::raw(e.count.to_string())], theme));
    lines.push(kv(
        "last seen",
        vec![Span::raw(when(e.last_seen, now))],
        theme,
    ));
    lines.push(kv(
        "first seen",
        vec![Span::raw(when(e.first_seen, now))],
        theme,
    ));
    lines.push(kv(
        "source",
        vec![Span::raw(sanitize(&e.source_column()).into_owned())],
        theme,
    ));
    lines.push(kv("event", vec![span(&e.name, theme.dim)], theme));
    lines.push(Line::raw(""));
    lines.push(heading("Message", theme));
    for l in sanitize_lines(&e.message) {
        lines.push(Para::hanging(Line::styled(format!("  {l}"), style), 2));
    }
    Some((title, lines))
}
