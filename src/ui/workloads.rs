//! The workloads table (Deployments, StatefulSets, DaemonSets) with rollout
//! progress, and the workload detail lines.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::detail::{Doc, conditions, heading, kv, object_events};
use super::table::{self, Cell, Column, Row};
use super::text::{sanitize, span, when};
use crate::config::theme::Theme;
use crate::model::ObjectKey;
use crate::model::cluster::Resource;
use crate::model::pod_status::age;
use crate::model::quota::refused_by_quota;
use crate::model::workload::{Rollout, WorkloadInfo, WorkloadKind};
use crate::state::{PodRow, State};

/// The kind as Kubernetes spells it (also the `involvedObject.kind` of its events).
pub fn kind_name(kind: WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::Deployment => "Deployment",
        WorkloadKind::StatefulSet => "StatefulSet",
        WorkloadKind::DaemonSet => "DaemonSet",
    }
}

fn kind_of(name: &str) -> Option<WorkloadKind> {
    match name {
        "Deployment" => Some(WorkloadKind::Deployment),
        "StatefulSet" => Some(WorkloadKind::StatefulSet),
        "DaemonSet" => Some(WorkloadKind::DaemonSet),
        _ => None,
    }
}

/// Row style and marker: stalled is failing, a rollout in progress is
/// progressing; availability lost without a rollout is not ready, or
/// failing when no replica is available at all.
fn health(w: &WorkloadInfo, theme: &Theme) -> (Style, Span<'static>) {
    match w.rollout {
        Rollout::Stalled { .. } => (theme.status_error, Span::styled("✖", theme.status_error)),
        Rollout::Progressing { .. } => (theme.progressing, Span::styled("◌", theme.progressing)),
        Rollout::Paused => (theme.status_warn, Span::styled("‖", theme.status_warn)),
        Rollout::Complete if w.unavailable > 0 && w.available == 0 => {
            (theme.status_error, Span::styled("✖", theme.status_error))
        }
        Rollout::Complete if w.unavailable > 0 => {
            (theme.not_ready, Span::styled("◐", theme.not_ready))
        }
        Rollout::Complete => (theme.base, Span::raw(" ")),
    }
}

/// The ROLLOUT cell: `████░░ 3/5`, `stalled: ProgressDeadlineExceeded`,
/// `paused`, `complete` (not in the colour of all-good when replicas have
/// become unavailable since).
pub fn rollout<'a>(w: &WorkloadInfo, theme: &Theme) -> Line<'a> {
    match &w.rollout {
        Rollout::Complete if w.unavailable > 0 => Span::styled("complete", theme.dim).into(),
        Rollout::Complete => Span::styled("complete", theme.status_ok).into(),
        Rollout::Paused => Span::styled("paused", theme.status_warn).into(),
        Rollout::Stalled { reason, .. } => {
            let text = match refused_by_quota(w) {
                Some((quota, _)) => format!("quota full: {}", sanitize(quota)),
                None => format!("stalled: {}", sanitize(reason)),
            };
            Span::styled(text, theme.status_error).into()
        }
        Rollout::Progressing { updated, desired } => {
            const CELLS: u32 = 6;
            let done = if *desired == 0 {
                CELLS
            } else {
                (updated.min(desired) * CELLS) / desired
            };
            Line::from(vec![
                Span::styled("█".repeat(done as usize), theme.progressing),
                Span::styled("░".repeat((CELLS - done) as usize), theme.gauge_empty),
                Span::styled(format!(" {updated}/{desired}"), theme.progressing),
            ])
        }
    }
}

/// What a narrow screen gives up, first to last: the registries of the
/// images and then their length, AGE, IMAGES (the detail pane has them
/// whole), REVISION, KIND, UP-TO-DATE, NAMESPACE, AVAILABLE; then
/// names and rollouts are shortened. READY and ROLLOUT explain a rollout
/// in trouble and stay.
fn columns(state: &State) -> Vec<Column> {
    let mut cols = vec![Column::new(""), Column::new("KIND").optional(6)];
    if state.namespace.is_none() {
        cols.push(Column::new("NAMESPACE").shrinks_first(8).optional(4));
    }
    cols.extend([
        Column::new("NAME").shrinks_last(12),
        Column::new("READY"),
        Column::new("UP-TO-DATE").optional(5),
        Column::new("AVAILABLE").optional(3),
        Column::new("ROLLOUT").shrinks_last(12),
        Column::new("REVISION").optional(7),
        Column::new("IMAGES")
            .compacts_first()
            .shrinks_first(12)
            .optional(8),
        Column::new("AGE").optional(9),
    ]);
    cols
}

fn row<'a>(state: &'a State, kind: WorkloadKind, key: &'a ObjectKey, theme: &Theme) -> Row<'a> {
    let mut cells = Vec::new();
    let Some(w) = state.cluster.workloads.get(&(kind, key.clone())) else {
        cells.extend([Line::raw(" "), Line::raw(kind_name(kind))]);
        if state.namespace.is_none() {
            cells.push(Line::from(span(&key.namespace, Style::new())));
        }
        cells.extend([
            Line::from(span(&key.name, Style::new())),
            Line::raw("(gone)"),
        ]);
        return Row::cells(cells, theme.dim);
    };
    let (style, mark) = health(w, theme);
    cells.extend([Line::from(mark), Line::raw(kind_name(kind))]);
    if state.namespace.is_none() {
        cells.push(Line::from(span(&w.namespace, Style::new())));
    }
    cells.extend([
        Line::from(span(&w.name, Style::new())),
        Line::raw(format!("{}/{}", w.ready, w.desired)),
        Line::raw(w.updated.to_string()),
        Line::raw(w.available.to_string()),
        rollout(w, theme),
        Line::raw(
            w.revision
                .map_or_else(|| "-".to_string(), |r| r.to_string()),
        ),
        Line::raw(age(w.created, state.now)),
    ]);
    // IMAGES, in full and without their registries and paths.
    let short: Vec<&str> = w
        .images
        .iter()
        .map(|i| i.rsplit_once('/').map_or(i.as_str(), |(_, name)| name))
        .collect();
    let images = Cell::with_short(
        Line::raw(sanitize(&w.images.join(",")).into_owned()),
        Line::raw(sanitize(&short.join(",")).into_owned()),
    );
    let mut cells: Vec<Cell> = cells.into_iter().map(Cell::from).collect();
    let at = cells.len() - 1;
    cells.insert(at, images);
    Row::Cells { cells, style }
}

fn title<'a>(state: &'a State, theme: &Theme) -> Line<'a> {
    let v = &state.workloads;
    let mut spans = vec![Span::styled(" Workloads", theme.title), table::sep(theme)];
    spans.push(match &state.namespace {
        Some(ns) => span(ns, theme.title),
        None => Span::styled("all namespaces", theme.title),
    });
    spans.push(table::sep(theme));
    spans.push(Span::raw(format!("{} workloads", v.rows.len())));
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
) -> table::ViewTable<
    'a,
    'a,
    (WorkloadKind, ObjectKey),
    impl Fn(&'a (WorkloadKind, ObjectKey)) -> Row<'a>,
> {
    let v = &state.workloads;
    table::ViewTable {
        title: title(state, theme),
        rows: &v.rows,
        cursor: v.cursor,
        columns: columns(state),
        resource: Resource::Deployments,
        noun: "workloads",
        filtered: !v.filter.text.is_empty() || v.problems_only,
        row: move |(kind, key): &'a (WorkloadKind, ObjectKey)| row(state, *kind, key, theme),
    }
}

/// Detail of the selected workload.
pub fn detail<'a>(state: &'a State, theme: &Theme) -> Option<(Line<'a>, Doc<'a>)> {
    let (kind, key) = table::selected(&state.workloads.rows, state.workloads.cursor)?;
    let w = state.cluster.workloads.get(&(*kind, key.clone()))?;
    Some(workload_detail(state, w, theme))
}

/// Title and lines for one workload.
pub fn workload_detail<'a>(
    state: &'a State,
    w: &'a WorkloadInfo,
    theme: &Theme,
) -> (Line<'a>, Doc<'a>) {
    let now = state.now;
    let title = Line::from(vec![
        Span::styled(format!(" {} ", kind_name(w.kind)), theme.dim),
        span(&w.name, theme.title),
        Span::raw(" "),
    ]);
    let (style, mark) = health(w, theme);
    let mut lines = Doc::default();
    let mut r = vec![mark, Span::raw(" ")];
    r.extend(rollout(w, theme).spans);
    lines.push(kv("rollout", r, theme));
    if let Rollout::Stalled { message, .. } = &w.rollout
        && !message.is_empty()
    {
        lines.push(kv("", vec![span(message, theme.status_error)], theme));
    }
    super::quota::refused(&mut lines, w, theme);
    lines.push(kv(
        "replicas",
        vec![Span::styled(
            format!(
                "{} desired · {} ready · {} up-to-date · {} available · {} unavailable",
                w.desired, w.ready, w.updated, w.available, w.unavailable
            ),
            style,
        )],
        theme,
    ));
    let target = crate::model::action::WorkloadRef::new(w.kind, &w.namespace, &w.name);
    if let Some(h) = state.cluster.hpa_for(&target) {
        autoscaler(&mut lines, h, now, theme);
    }
    // Its pods' usage summed at each poll.
    lines.extend(super::usage_chart::history_lines(
        state
            .cluster
            .usage_history
            .workload(kind_name(w.kind), &w.key()),
        None,
        None,
        theme,
    ));
    super::links::workload_services(&mut lines, state, w, theme);
    lines.push(kv(
        "namespace",
        vec![span(&w.namespace, Style::new())],
        theme,
    ));
    super::quota::namespace_quotas(&mut lines, state, &w.namespace, theme);
    if let Some(rev) = w.revision {
        lines.push(kv("revision", vec![Span::raw(rev.to_string())], theme));
    }
    for (i, image) in w.images.iter().enumerate() {
        lines.push(kv(
            if i == 0 { "images" } else { "" },
            vec![span(image, Style::new())],
            theme,
        ));
    }
    if !w.selector.is_empty() {
        let sel: Vec<String> = w
            .selector
            .iter()
            .map(|(k, v)| format!("{}={}", sanitize(k), sanitize(v)))
            .collect();
        lines.push(kv("selector", vec![Span::raw(sel.join(","))], theme));
    }
    lines.push(kv("created", vec![Span::raw(when(w.created, now))], theme));

    if w.kind == WorkloadKind::Deployment {
        history(&mut lines, state, w, theme);
    }
    let mut pods: Vec<_> = state.cluster.pods_of(&target).collect();
    pods.sort_by(|a, b| a.name.cmp(&b.name));
    super::config_refs::section(&mut lines, &pods, theme);
    lines.push(Line::raw(""));
    lines.push(heading("Conditions", theme));
    conditions(&mut lines, &w.conditions, now, theme);
    lines.push(Line::raw(""));
    lines.push(heading("Events", theme));
    object_events(
        &mut lines,
        state,
        kind_name(w.kind),
        &w.namespace,
        &w.name,
        theme,
    );
    let keys = |action: &str| super::detail::key_of(state, action);
    if let Some(explanation) = crate::model::explain::explain_workload(w, &keys) {
        lines.push(Line::raw(""));
        super::detail::explanation_lines(&mut lines, &explanation, theme);
    }
    (title, lines)
}

/// The Deployment's ReplicaSets by revision, newest first.
fn history<'a>(lines: &mut Doc<'a>, state: &'a State, w: &WorkloadInfo, theme: &Theme) {
    let mut sets: Vec<_> = state
        .cluster
        .replicasets
        .values()
        .filter(|rs| {
            rs.namespace == w.namespace && rs.deployment.as_deref() == Some(w.name.as_str())
        })
        .collect();
    if sets.is_empty() {
        return;
    }
    sets.sort_by(|a, b| {
        b.revision
            .cmp(&a.revision)
            .then_with(|| a.name.cmp(&b.name))
    });
    lines.push(Line::raw(""));
    lines.push(heading("Revisions", theme));
    for rs in sets.iter().take(10) {
        let current = rs.revision.is_some() && rs.revision == w.revision;
        let style = if current { theme.title } else { Style::new() };
        let mut spans = vec![
            Span::styled(
                format!(
                    "  {:>3} ",
                    rs.revision
                        .map_or_else(|| "?".to_string(), |r| r.to_string())
                ),
                style,
            ),
            span(&rs.name, style),
            Span::styled(if current { " (current)" } else { "" }, theme.dim),
            Span::styled(format!("  {}/{} ready  ", rs.ready, rs.desired), theme.dim),
            Span::raw(sanitize(&rs.images.join(",")).into_owned()),
        ];
        if let Some(cause) = &rs.change_cause {
            spans.push(Span::styled("  ", theme.dim));
            spans.push(span(cause, theme.dim));
        }
        lines.push(Line::from(spans));
    }
}

/// A group heading of the pods table: the workload's detail when we know
/// it, else the group's counts.
pub fn group_detail<'a>(state: &'a State, group: &'a PodRow, theme: &Theme) -> (Line<'a>, Doc<'a>) {
    let PodRow::Group {
        namespace,
        owner,
        pods,
        not_ready,
        failing,
    } = group
    else {
        return (Line::raw(" Details "), Doc::default());
    };
    if let Some(o) = owner {
        let found = kind_of(&o.kind).and_then(|k| {
            state
                .cluster
                .workloads
                .get(&(k, ObjectKey::new(namespace, &o.name)))
        });
        if let Some(w) = found {
            return workload_detail(state, w, theme);
        }
    }
    let title = match owner {
        Some(o) => Line::from(vec![
            Span::styled(" ", theme.dim),
            span(&o.kind, theme.dim),
            Span::raw(" "),
            span(&o.name, theme.title),
            Span::raw(" "),
        ]),
        None => Line::styled(" Pods without a controller ", theme.title),
    };
    let mut lines = Doc::default();
    lines.push(kv("namespace", vec![span(namespace, Style::new())], theme));
    lines.push(kv(
        "pods",
        vec![
            Span::raw(format!("{pods} · ")),
            Span::styled(format!("{not_ready} not ready"), theme.not_ready),
            Span::raw(" · "),
            Span::styled(format!("{failing} failing"), theme.status_error),
        ],
        theme,
    ));
    (title, lines)
}

/// The HPA that decides the workload's replicas: its bounds, where it
/// stands, its metrics, and whether it is pinned at its maximum or cannot
/// scale.
fn autoscaler<'a>(
    lines: &mut Doc<'a>,
    h: &'a crate::model::autoscaler::HpaInfo,
    now: jiff::Timestamp,
    theme: &Theme,
) {
    let mut spans = vec![
        Span::raw("HPA "),
        span(&h.name, Style::new()),
        Span::raw(format!(
            ": {} to {} replicas, now {}, wants {}",
            h.min, h.max, h.current, h.desired
        )),
    ];
    if !h.metrics.is_empty() {
        spans.push(Span::styled(" · ", theme.dim));
        spans.push(Span::raw(h.metrics.join(", ")));
    }
    lines.push(kv("autoscaled", spans, theme));
    if let Some(since) = h.pinned_at_max() {
        let how_long = since.map(|t| format!(" for {}", super::text::ago(Some(t), now)));
        lines.push(kv(
            "",
            vec![Span::styled(
                format!(
                    "at its maximum{}: the load wants more replicas than it may add (ScalingLimited TooManyReplicas)",
                    how_long.unwrap_or_default()
                ),
                theme.status_warn,
            )],
            theme,
        ));
    }
    if let Some(why) = h.not_scaling() {
        let why = Span::styled(sanitize(&why).into_owned(), theme.status_error);
        lines.push(kv("", vec![why], theme));
    }
}
