//! `:<resource>`: any resource in the server's own columns (those
//! `kubectl get` prints; `-o wide`'s extra ones in the detail pane), and
//! an object's YAML in a pane.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::detail::{Doc, heading, kv, object_events};
use super::table::{self, Column, Row, sep};
use super::text::{span, truncate_line};
use crate::config::theme::Theme;
use crate::keys::Action;
use crate::model::ObjectKey;
use crate::model::cluster::Resource;
use crate::model::insight::{Mark, Tone};
use crate::state::State;
use crate::state::browse::YamlPane;

/// The server's priority-0 columns, NAMESPACE first across namespaces.
fn columns(state: &State) -> Vec<Column> {
    let b = &state.browse;
    let mut cols = Vec::new();
    if across_namespaces(state) {
        cols.push(Column::new("NAMESPACE").shrinks_first(8));
    }
    for c in b.columns.iter().filter(|c| c.priority == 0) {
        let title = c.name.to_uppercase();
        let col = if c.kind == "string" && !c.name.eq_ignore_ascii_case("name") {
            Column::new(title).shrinks_first(6)
        } else {
            Column::new(title)
        };
        cols.push(col);
    }
    if cols.is_empty() {
        cols.push(Column::new("NAME"));
    }
    if let Some(lens) = b.lens() {
        cols.extend(lens.columns().iter().map(|c| Column::new(*c)));
    }
    cols
}

/// The style of a row by how warroom marks it.
fn mark_style(mark: Mark, theme: &Theme) -> Style {
    match mark {
        Mark::Bad => theme.status_error,
        Mark::Warn => theme.status_warn,
        Mark::Busy => theme.progressing,
        Mark::Ok => theme.base,
    }
}

fn tone_style(tone: Tone, theme: &Theme) -> Style {
    match tone {
        Tone::Plain => Style::new(),
        Tone::Dim => theme.dim,
        Tone::Good => theme.status_ok,
        Tone::Warn => theme.status_warn,
        Tone::Bad => theme.status_error,
    }
}

fn across_namespaces(state: &State) -> bool {
    state.namespace.is_none() && state.browse.kind.as_ref().is_some_and(|k| k.namespaced)
}

fn row<'a>(state: &'a State, key: &'a ObjectKey, theme: &Theme) -> Row<'a> {
    let b = &state.browse;
    let Some(cells) = b.all.get(key) else {
        return Row::cells(vec![Line::raw("(gone)")], Style::new());
    };
    let mut out = Vec::new();
    if across_namespaces(state) {
        out.push(Line::from(span(&key.namespace, Style::new())));
    }
    for (c, cell) in b.columns.iter().zip(cells) {
        if c.priority == 0 {
            out.push(Line::from(span(cell, Style::new())));
        }
    }
    if b.columns.is_empty() {
        out.push(Line::from(span(&key.name, Style::new())));
    }
    let mut style = Style::new();
    if let Some(lens) = b.lens() {
        match lens.verdict(&state.cluster, key, state.now) {
            Some(v) => {
                style = mark_style(v.mark, theme);
                out.extend(v.cells.into_iter().map(Line::raw));
            }
            None => out.extend(lens.columns().iter().map(|_| Line::raw(""))),
        }
    }
    Row::cells(out, style)
}

/// `certificates.cert-manager.io · production · 2 · read-only`.
fn title<'a>(state: &'a State, theme: &Theme) -> Line<'a> {
    let b = &state.browse;
    let mut spans = vec![Span::raw(" ")];
    match &b.kind {
        Some(k) => spans.push(Span::styled(k.qualified(), theme.title)),
        None => spans.push(Span::styled("Resource", theme.title)),
    }
    spans.push(sep(theme));
    spans.push(match &state.namespace {
        Some(ns) if b.kind.as_ref().is_none_or(|k| k.namespaced) => span(ns, theme.title),
        Some(_) => Span::styled("cluster-wide", theme.title),
        None => Span::styled("all namespaces", theme.title),
    });
    spans.push(sep(theme));
    spans.push(Span::raw(format!("{}", b.all.len())));
    spans.push(sep(theme));
    let source = match b.lens() {
        Some(lens) => match state.cluster.watches.get(&lens.watched_by()) {
            Some(crate::model::cluster::WatchHealth::NotAllowed(_)) => {
                "read-only · the server's columns (warroom's own: not allowed)"
            }
            _ => "read-only · the server's columns and warroom's",
        },
        None => "read-only · the server's columns",
    };
    spans.push(Span::styled(source, theme.dim));
    table::title_filters(
        &mut spans,
        &b.filter.text,
        &[(b.problems_only, "problems only")],
        theme,
    );
    Line::from(spans)
}

/// The view's table.
pub fn table<'a>(
    state: &'a State,
    theme: &'a Theme,
) -> table::ViewTable<'a, 'a, ObjectKey, impl Fn(&'a ObjectKey) -> Row<'a>> {
    let b = &state.browse;
    table::ViewTable {
        title: title(state, theme),
        rows: &b.rows,
        cursor: b.cursor,
        columns: columns(state),
        resource: Resource::Browsed,
        noun: b.kind.as_ref().map_or("objects", |k| k.plural.as_str()),
        filtered: !b.filter.text.is_empty(),
        row: move |key: &'a ObjectKey| row(state, key, theme),
    }
}

/// Every column of the selected object (the wide ones too), what the
/// columns mean, and its events.
pub fn detail<'a>(state: &'a State, theme: &Theme) -> Option<(Line<'a>, Doc<'a>)> {
    let b = &state.browse;
    let kind = b.kind.as_ref()?;
    let (key, cells) = b.selected()?;
    let title = Line::from(vec![
        Span::styled(format!(" {} ", kind.kind), theme.title),
        span(&key.name, theme.title),
        Span::raw(" "),
    ]);
    let mut lines = Doc::default();
    if !key.namespace.is_empty() {
        lines.push(kv(
            "namespace",
            vec![span(&key.namespace, Style::new())],
            theme,
        ));
    }
    lines.push(kv(
        "resource",
        vec![Span::raw(format!(
            "{} ({})",
            kind.qualified(),
            kind.api_version()
        ))],
        theme,
    ));
    for (c, cell) in b.columns.iter().zip(cells) {
        if c.name.eq_ignore_ascii_case("name") {
            continue;
        }
        lines.push(kv(
            &c.name.to_lowercase(),
            vec![span(cell, Style::new())],
            theme,
        ));
    }
    if let Some(lens) = b.lens() {
        for section in lens.detail(&state.cluster, key, state.now) {
            lines.push(Line::raw(""));
            lines.push(Line::styled(section.heading, theme.group_heading));
            for f in section.facts {
                let value = vec![Span::styled(f.text, tone_style(f.tone, theme))];
                if f.label.is_empty() {
                    lines.push(Line::from(value));
                } else {
                    lines.push(kv(&f.label, value, theme));
                }
            }
        }
    }
    let described: Vec<_> = b
        .columns
        .iter()
        .filter(|c| !c.description.is_empty() && !c.name.eq_ignore_ascii_case("name"))
        .collect();
    if !described.is_empty() {
        lines.push(Line::raw(""));
        lines.push(heading("What the columns mean", theme));
        for c in described {
            lines.push(kv(
                &c.name.to_lowercase(),
                vec![span(&c.description, theme.dim)],
                theme,
            ));
        }
    }
    lines.push(Line::raw(""));
    lines.push(heading("Events", theme));
    object_events(
        &mut lines,
        state,
        &kind.kind,
        &key.namespace,
        &key.name,
        theme,
    );
    if let Some(k) = super::footer::key_for(&state.bindings, Action::ShowYaml) {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("{k}: the whole object as YAML"),
            theme.dim,
        ));
    }
    if let Some(k) = super::footer::key_for(&state.bindings, Action::Describe) {
        lines.push(Line::styled(
            format!("{k}: described, as kubectl describe reads, with its events"),
            theme.dim,
        ));
    }
    Some((title, lines))
}

/// The YAML pane: the visible lines from the cursor down.
pub fn render_yaml(buf: &mut Buffer, area: Rect, pane: &YamlPane, theme: &Theme) {
    let mut title = vec![
        Span::styled(format!(" {} ", pane.kind), theme.title),
        span(&pane.key.name, theme.title),
    ];
    if !pane.key.namespace.is_empty() {
        title.push(sep(theme));
        title.push(span(&pane.key.namespace, theme.dim));
    }
    title.push(sep(theme));
    title.push(Span::styled(
        if pane.describe {
            "described · managedFields left out"
        } else {
            "YAML · managedFields left out"
        },
        theme.dim,
    ));
    if pane.kind == "Secret" {
        title.push(Span::styled(" · values hidden", theme.dim));
    }
    let inner = table::pane_frame(buf, area, title, theme);
    if inner.is_empty() {
        return;
    }
    let lines: Vec<Line> = match (&pane.lines, &pane.error) {
        (_, Some(e)) => vec![Line::styled(
            format!("cannot read it: {}", super::text::sanitize(e)),
            theme.status_warn,
        )],
        (None, None) => vec![Line::styled("reading…", theme.dim)],
        (Some(lines), None) => {
            let height = usize::from(inner.height);
            let range = table::window(pane.cursor, lines.len(), height);
            lines[range.clone()]
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let style = if range.start + i == pane.cursor.selected {
                        theme.selection
                    } else {
                        Style::new()
                    };
                    Line::styled(l.as_str(), style)
                })
                .collect()
        }
    };
    for (i, line) in lines.into_iter().enumerate() {
        let y = inner.y + i as u16;
        if y >= inner.bottom() {
            break;
        }
        let line = truncate_line(line, usize::from(inner.width));
        buf.set_line(inner.x, y, &line, inner.width);
    }
}
