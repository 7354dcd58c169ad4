//! The detail pane: everything about the selected object that does not fit
//! a table row. For a pod: containers, last states, probes, resources,
//! conditions, its events, and what its status means. The other views
//! supply their own lines (`workloads::detail`, `events::detail`,
//! `nodes::detail`); the helpers here keep them looking alike.

use jiff::Timestamp;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

use super::text::{
    ago, cpu, fraction, gauge, mem, percent, sanitize, sanitize_lines, span, when, wrap,
};
use super::{events, nodes, pods, table, workloads};
use crate::config::theme::Theme;
use crate::keys::Action;
use crate::model::ObjectKey;
use crate::model::pod_health::{
    Condition, ContainerInfo, ContainerState, Explanation, PodInfo, Resources,
};
use crate::state::{PodRow, State, View};

/// How many of an object's events the pane lists.
const EVENTS_SHOWN: usize = 10;

/// Title and lines of the pane for what is selected in the current view.
fn content<'a>(state: &'a State, theme: &Theme) -> (Line<'a>, Doc<'a>) {
    let nothing = |what: &str| {
        (
            Line::styled(" Details ", theme.title),
            Doc::of(Line::styled(format!("No {what} selected."), theme.dim)),
        )
    };
    match state.view {
        View::Pods => match table::selected(&state.pods.rows, state.pods.cursor) {
            Some(PodRow::Pod(key)) => match state.cluster.pods.get(key) {
                Some(pod) => {
                    let keys = |action: &str| key_of(state, action);
                    let failure = probe_failure(state, pod);
                    let explanation = crate::model::explain::explain_in(pod, &keys, failure);
                    (
                        pod_title(pod, theme),
                        pod_lines(state, key, pod, &explanation, theme),
                    )
                }
                None => nothing("pod"),
            },
            Some(group @ PodRow::Group { .. }) => workloads::group_detail(state, group, theme),
            None => nothing("pod"),
        },
        View::Workloads => workloads::detail(state, theme).unwrap_or_else(|| nothing("workload")),
        View::Events => events::detail(state, theme).unwrap_or_else(|| nothing("event")),
        View::Nodes => nodes::detail(state, theme).unwrap_or_else(|| nothing("node")),
        View::Alerts => super::alerts::detail(state, theme).unwrap_or_else(|| nothing("alert")),
        View::Browse => super::browse::detail(state, theme).unwrap_or_else(|| nothing("object")),
    }
}

/// The newest probe failure the kubelet reported for `pod` (its newest
/// `Unhealthy` event), which tells a timeout from a wrong answer.
fn probe_failure<'a>(state: &'a State, pod: &PodInfo) -> Option<&'a str> {
    state
        .cluster
        .events_for("Pod", &pod.namespace, &pod.name)
        .into_iter()
        .find(|e| e.reason == "Unhealthy")
        .map(|e| e.message.as_str())
}

/// The key bound to the action named `action` where the pods view takes
/// it, as help writes it; "unbound" when the keymap has none.
pub(super) fn key_of(state: &State, action: &str) -> Option<String> {
    use crate::keys::{Action, Mode, key_label};
    let action = Action::from_name(action)?;
    let modes = [Mode::Pods, Mode::PodsAndWorkloads, Mode::Table];
    let found = modes.iter().find_map(|m| {
        state
            .bindings
            .iter()
            .find(|b| b.mode == *m && b.action == action)
    });
    Some(found.map_or_else(|| "unbound".to_string(), |b| key_label(b.key, b.modifiers)))
}

/// Draws the pane; returns how far it can scroll (lines past the first
/// screenful), so the reducer can keep its scroll in range.
pub fn render(buf: &mut Buffer, area: Rect, state: &State, theme: &Theme, focused: bool) -> u16 {
    let (title, lines) = content(state, theme);
    render_lines(buf, area, title, lines, state.detail_scroll, focused, theme)
}

/// The pane's frame around `lines`, wrapped and scrolled (never past the
/// last screenful); only the visible lines are drawn. Returns the largest
/// useful scroll.
pub fn render_lines(
    buf: &mut Buffer,
    area: Rect,
    title: Line<'_>,
    lines: Doc<'_>,
    scroll: u16,
    focused: bool,
    theme: &Theme,
) -> u16 {
    let border = if focused {
        theme.border_focused
    } else {
        theme.border
    };
    let block = Block::bordered().border_style(border).title(title);
    let inner = block.inner(area);
    block.render(area, buf);
    let width = inner.width as usize;
    let all: Vec<Line> = lines
        .0
        .into_iter()
        .flat_map(|p| wrap(p.line, width, p.hang))
        .collect();
    let max = all.len().saturating_sub(inner.height as usize);
    let visible: Vec<Line> = all
        .into_iter()
        .skip((scroll as usize).min(max))
        .take(inner.height as usize)
        .collect();
    Paragraph::new(visible).render(inner, buf);
    u16::try_from(max).unwrap_or(u16::MAX)
}

/// ` Pod name ` for the pane's border.
pub fn pod_title<'a>(pod: &'a PodInfo, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(" Pod ", theme.dim),
        span(&pod.name, theme.title),
        Span::raw(" "),
    ])
}

/// Everything about one pod, the explanation last.
pub fn pod_lines<'a>(
    state: &'a State,
    key: &ObjectKey,
    pod: &'a PodInfo,
    explanation: &Explanation,
    theme: &Theme,
) -> Doc<'a> {
    let now = state.now;
    let mut lines = Doc::default();
    let health = theme.health(pod.health);
    let status = vec![
        pods::marker(pod.health, theme),
        Span::raw(" "),
        span(&pod.status, health),
        Span::styled(format!(" · ready {}/{}", pod.ready, pod.total), health),
        Span::raw(format!(" · restarts {}", pods::restarts(pod, now))),
    ];
    lines.push(kv("status", status, theme));
    if let Some(reason) = &pod.status_reason {
        let mut spans = vec![span(reason, health)];
        if let Some(m) = &pod.status_message {
            spans.push(Span::raw(": "));
            spans.push(span(m, Style::new()));
        }
        lines.push(kv("reason", spans, theme));
    }
    if pod.deleting {
        lines.push(kv("deleting", deletion(pod, now, theme), theme));
    }
    if let Some(t) = &pod.last_termination {
        let mut spans = pods::termination(t, now, theme).spans;
        spans.push(Span::styled(" · container ", theme.dim));
        spans.push(span(&t.container, Style::new()));
        lines.push(kv("last end", spans, theme));
    }
    lines.push(kv(
        "namespace",
        vec![span(&pod.namespace, Style::new())],
        theme,
    ));
    let mut node = vec![span(
        pod.node.as_deref().unwrap_or("<not scheduled>"),
        Style::new(),
    )];
    if let Some(ip) = &pod.pod_ip {
        node.push(Span::styled(" · ip ", theme.dim));
        node.push(span(ip, Style::new()));
    }
    if let Some(qos) = &pod.qos_class {
        node.push(Span::styled(" · qos ", theme.dim));
        node.push(span(qos, Style::new()));
    }
    lines.push(kv("node", node, theme));
    if let Some(owner) = &pod.owner {
        let spans = vec![
            span(&owner.kind, theme.dim),
            Span::raw(" "),
            span(&owner.name, Style::new()),
        ];
        lines.push(kv("owner", spans, theme));
    }
    super::links::pod_services(&mut lines, state, pod, theme);
    lines.push(kv(
        "created",
        vec![Span::raw(when(pod.created, now))],
        theme,
    ));
    lines.extend(pod_usage(state, key, pod, theme));
    lines.extend(super::usage_chart::history_lines(
        state.cluster.usage_history.pod(key),
        pod.limits.memory_bytes,
        pod.limits.cpu_milli,
        theme,
    ));
    super::alerts::pod_section(state, pod, theme, &mut lines);

    lines.push(Line::raw(""));
    lines.push(heading("Containers", theme));
    for c in &pod.containers {
        container_lines(&mut lines, c, now, theme);
    }
    super::config_refs::section(&mut lines, &[pod], theme);

    lines.push(Line::raw(""));
    lines.push(heading("Conditions", theme));
    conditions(&mut lines, &pod.conditions, now, theme);

    lines.push(Line::raw(""));
    lines.push(heading("Events", theme));
    object_events(&mut lines, state, "Pod", &pod.namespace, &pod.name, theme);

    lines.push(Line::raw(""));
    explanation_lines(&mut lines, explanation, theme);
    lines
}

/// "What this means" (with the guide entry's title) and the numbered
/// "Check next" steps.
pub(super) fn explanation_lines(lines: &mut Doc<'_>, explanation: &Explanation, theme: &Theme) {
    let title = crate::model::explain::status_guide()
        .iter()
        .find(|g| g.kind == explanation.kind)
        .map(|g| g.title);
    lines.push(match title {
        Some(t) => Line::from(vec![
            Span::styled("What this means", theme.group_heading),
            Span::styled(format!(" · {t}"), theme.dim),
        ]),
        None => heading("What this means", theme),
    });
    for l in sanitize_lines(&explanation.meaning) {
        lines.push(Para::hanging(Line::raw(format!("  {l}")), 2));
    }
    if !explanation.next.is_empty() {
        lines.push(Line::raw(""));
        lines.push(heading("Check next", theme));
        for (i, step) in explanation.next.iter().enumerate() {
            let line = Line::from(vec![
                Span::styled(format!("  {}. ", i + 1), theme.hint_key),
                Span::raw(sanitize(step).into_owned()),
            ]);
            lines.push(Para::hanging(line, 5));
        }
    }
}

/// Since when a pod is being deleted, its grace period, and the
/// finalizers that can hold it in Terminating.
fn deletion<'a>(pod: &'a PodInfo, now: Timestamp, theme: &Theme) -> Vec<Span<'a>> {
    let mut spans = Vec::new();
    // The deletionTimestamp is when the grace period ends.
    let started =
        |due: Timestamp, grace: i64| due.checked_sub(jiff::SignedDuration::from_secs(grace)).ok();
    match (pod.deleting_since, pod.grace_period_s) {
        (Some(due), Some(grace)) if started(due, grace).is_some() => spans.push(Span::styled(
            format!(
                "since {} · grace {grace}s · SIGKILL due {}",
                when(started(due, grace), now),
                super::text::clock(due, now)
            ),
            theme.progressing,
        )),
        (Some(due), None) => spans.push(Span::styled(
            format!("SIGKILL due {}", when(Some(due), now)),
            theme.progressing,
        )),
        _ => spans.push(Span::styled("yes", theme.progressing)),
    }
    if !pod.finalizers.is_empty() {
        spans.push(Span::styled(" · finalizers ", theme.dim));
        spans.push(Span::raw(sanitize(&pod.finalizers.join(", ")).into_owned()));
    }
    spans
}

/// Memory and CPU of the whole pod: usage against limits and requests.
fn pod_usage<'a>(state: &State, key: &ObjectKey, pod: &PodInfo, theme: &Theme) -> [Para<'a>; 2] {
    let usage = state.cluster.pod_usage.get(key);
    let mut memory = Vec::new();
    let mut cpu_spans = Vec::new();
    match usage {
        Some(u) => {
            match fraction(u.memory_bytes, pod.limits.memory_bytes) {
                Some(f) => {
                    memory.extend(gauge(f, 5, theme));
                    memory.push(Span::styled(
                        format!(
                            " {} used of {} limit ({})",
                            mem(u.memory_bytes),
                            mem_or(pod.limits.memory_bytes),
                            percent(f)
                        ),
                        theme.gauge(f),
                    ));
                }
                None => memory.push(Span::raw(format!("{} used, no limit", mem(u.memory_bytes)))),
            }
            cpu_spans.push(Span::raw(format!("{} used", cpu(u.cpu_milli))));
        }
        None => {
            // Why there is no gauge: not polled yet, no metrics-server, or
            // RBAC; a served poll without this pod means it has none yet.
            let why = state
                .cluster
                .metrics
                .missing()
                .unwrap_or("no usage reported yet");
            memory.push(Span::styled(why, theme.dim));
            cpu_spans.push(Span::styled(why, theme.dim));
        }
    }
    memory.push(Span::styled(
        format!(
            " · request {} · limit {}",
            mem_or(pod.requests.memory_bytes),
            mem_or(pod.limits.memory_bytes)
        ),
        theme.dim,
    ));
    cpu_spans.push(Span::styled(
        format!(
            " · request {} · limit {}",
            cpu_or(pod.requests.cpu_milli),
            cpu_or(pod.limits.cpu_milli)
        ),
        theme.dim,
    ));
    [kv("memory", memory, theme), kv("cpu", cpu_spans, theme)]
}

fn mem_or(b: Option<u64>) -> String {
    b.map_or_else(|| "-".to_string(), mem)
}

fn cpu_or(m: Option<u64>) -> String {
    m.map_or_else(|| "-".to_string(), cpu)
}

fn container_lines<'a>(lines: &mut Doc<'a>, c: &'a ContainerInfo, now: Timestamp, theme: &Theme) {
    let mut name = vec![Span::raw(" "), span(&c.name, theme.title)];
    if c.sidecar {
        name.push(Span::styled(" (sidecar)", theme.dim));
    } else if c.init {
        name.push(Span::styled(" (init)", theme.dim));
    }
    name.push(Span::raw("  "));
    name.push(span(&c.image, theme.dim));
    lines.push(Line::from(name));

    let state = match &c.state {
        ContainerState::Running { since } => {
            vec![
                Span::styled("Running", theme.status_ok),
                Span::raw(format!(" since {}", when(*since, now))),
            ]
        }
        ContainerState::Waiting { reason, message } => {
            let mut s = vec![
                Span::styled("Waiting ", theme.status_warn),
                span(reason, theme.status_warn),
            ];
            if let Some(m) = message {
                s.push(Span::raw(": "));
                s.push(span(m, Style::new()));
            }
            s
        }
        ContainerState::Terminated(t) => {
            let mut s = vec![Span::styled("Terminated ", theme.dim)];
            s.extend(pods::termination(t, now, theme).spans);
            s
        }
        ContainerState::Unknown => vec![Span::styled("not reported yet", theme.dim)],
    };
    lines.push(kv("  state", state, theme));
    let ready = if c.ready {
        Span::styled("ready", theme.status_ok)
    } else {
        Span::styled("not ready", theme.not_ready)
    };
    lines.push(kv(
        "  ready",
        vec![ready, Span::raw(format!(" · restarts {}", c.restarts))],
        theme,
    ));
    if let Some(t) = &c.last {
        let mut s = pods::termination(t, now, theme).spans;
        if let Some(at) = t.finished_at {
            s.push(Span::styled(
                format!(" (at {})", super::text::clock(at, now)),
                theme.dim,
            ));
        }
        if let Some(m) = &t.message {
            s.push(Span::raw(": "));
            s.push(span(m, Style::new()));
        }
        lines.push(kv("  last", s, theme));
    }
    for (i, p) in c.probes.iter().enumerate() {
        let label = if i == 0 { "  probes" } else { "" };
        lines.push(kv(
            label,
            vec![Span::raw(sanitize(&p.describe()).into_owned())],
            theme,
        ));
    }
    lines.push(kv(
        "  resources",
        resources(c.requests, c.limits, theme),
        theme,
    ));
    if !c.env_names.is_empty() {
        let names: Vec<_> = c.env_names.iter().take(6).map(|n| sanitize(n)).collect();
        let more = if c.env_names.len() > 6 { ", …" } else { "" };
        lines.push(kv(
            "  env",
            vec![
                Span::raw(format!("{} variables", c.env_names.len())),
                Span::styled(format!(" ({}{more})", names.join(", ")), theme.dim),
            ],
            theme,
        ));
    }
}

fn resources<'a>(req: Resources, lim: Resources, theme: &Theme) -> Vec<Span<'a>> {
    vec![
        Span::styled("cpu ", theme.dim),
        Span::raw(format!(
            "{}/{}",
            cpu_or(req.cpu_milli),
            cpu_or(lim.cpu_milli)
        )),
        Span::styled(" · memory ", theme.dim),
        Span::raw(format!(
            "{}/{}",
            mem_or(req.memory_bytes),
            mem_or(lim.memory_bytes)
        )),
        Span::styled("  (request/limit)", theme.dim),
    ]
}

/// A section heading.
pub fn heading<'a>(text: &'static str, theme: &Theme) -> Line<'a> {
    Line::styled(text, theme.group_heading)
}

/// Width of the labels of [`kv`] lines.
const LABEL_W: usize = 12;

/// `label      value`, the label dimmed and padded so values line up, and
/// wrapped lines continuing under the value.
pub fn kv<'a>(label: &str, value: Vec<Span<'a>>, theme: &Theme) -> Para<'a> {
    // A label as long as the column still keeps a space before its value
    // (`resourcequota production-quota`).
    let label = if label.chars().count() >= LABEL_W {
        format!("{label} ")
    } else {
        format!("{label:<LABEL_W$}")
    };
    let mut spans = vec![Span::styled(label, theme.dim)];
    spans.extend(value);
    Para::hanging(Line::from(spans), LABEL_W)
}

/// A line of the detail pane and where its wrapped continuations start.
#[derive(Debug, Clone)]
pub struct Para<'a> {
    pub line: Line<'a>,
    pub hang: usize,
}

impl<'a> Para<'a> {
    pub fn hanging(line: Line<'a>, hang: usize) -> Para<'a> {
        Para { line, hang }
    }
}

impl<'a> From<Line<'a>> for Para<'a> {
    /// Continuations start two cells right of the line's own indent.
    fn from(line: Line<'a>) -> Para<'a> {
        let indent = line.spans.first().map_or(0, |s| {
            s.content.len() - s.content.trim_start_matches(' ').len()
        });
        Para {
            line,
            hang: indent + 2,
        }
    }
}

/// The detail pane's content, before wrapping.
#[derive(Debug, Clone, Default)]
pub struct Doc<'a>(pub Vec<Para<'a>>);

impl<'a> Doc<'a> {
    pub fn of(line: Line<'a>) -> Doc<'a> {
        Doc(vec![line.into()])
    }

    pub fn push(&mut self, p: impl Into<Para<'a>>) {
        self.0.push(p.into());
    }

    pub fn extend(&mut self, ps: impl IntoIterator<Item = Para<'a>>) {
        self.0.extend(ps);
    }
}

/// Whether a condition's status is the healthy one (`MemoryPressure` is
/// healthy when False).
fn condition_ok(c: &Condition) -> bool {
    let bad_when_true = c.kind.ends_with("Pressure")
        || c.kind == "NetworkUnavailable"
        || c.kind == "ReplicaFailure";
    match &*c.status {
        "True" => !bad_when_true,
        "False" => bad_when_true,
        _ => false,
    }
}

/// Conditions with status, reason, since, and message underneath.
pub fn conditions<'a>(lines: &mut Doc<'a>, conds: &'a [Condition], now: Timestamp, theme: &Theme) {
    if conds.is_empty() {
        lines.push(Line::styled("  none reported", theme.dim));
        return;
    }
    let kind_w = conds
        .iter()
        .map(|c| c.kind.len())
        .max()
        .unwrap_or(0)
        .min(24);
    for c in conds {
        let style = if condition_ok(c) {
            theme.status_ok
        } else {
            theme.status_warn
        };
        let mut spans = vec![
            Span::raw("  "),
            Span::raw(format!("{:<kind_w$}  ", sanitize(&c.kind))),
            Span::styled(format!("{:<5}", sanitize(&c.status)), style),
        ];
        if let Some(r) = &c.reason {
            spans.push(Span::raw("  "));
            spans.push(span(r, style));
        }
        if let Some(since) = c.since {
            spans.push(Span::styled(
                format!("  since {}", when(Some(since), now)),
                theme.dim,
            ));
        }
        lines.push(Line::from(spans));
        if let Some(m) = c.message.as_deref().filter(|m| !m.is_empty()) {
            for l in sanitize_lines(m) {
                lines.push(Line::styled(format!("    {l}"), theme.dim));
            }
        }
    }
}

/// The object's events, newest first, warnings styled.
pub fn object_events<'a>(
    lines: &mut Doc<'a>,
    state: &'a State,
    kind: &str,
    namespace: &str,
    name: &str,
    theme: &Theme,
) {
    let events = state.cluster.events_for(kind, namespace, name);
    if events.is_empty() {
        lines.push(Line::styled("  none", theme.dim));
        return;
    }
    for e in events.iter().take(EVENTS_SHOWN) {
        let style = if e.warning {
            theme.event_warning
        } else {
            theme.event_normal
        };
        let mut spans = vec![
            Span::styled(
                format!("  {:>6} ago  ", ago(e.last_seen, state.now)),
                theme.dim,
            ),
            span(&e.reason, style),
        ];
        if e.count > 1 {
            spans.push(Span::styled(format!(" ×{}", e.count), style));
        }
        spans.push(Span::raw("  "));
        spans.push(span(&e.message, style));
        lines.push(Para::hanging(Line::from(spans), 14));
    }
    if events.len() > EVENTS_SHOWN {
        let mut text = format!("  … {} older", events.len() - EVENTS_SHOWN);
        if let Some(key) = super::footer::key_for(&state.bindings, Action::ShowObjectEvents) {
            text.push_str(&format!(" ({key}: all events of this object)"));
        }
        lines.push(Line::styled(text, theme.dim));
    }
}
