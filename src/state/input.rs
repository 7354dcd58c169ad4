//! Keys and actions: navigation, views, toggles, the `/` filter and the `:`
//! command prompt.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::event::ObjectRef;
use crate::model::workload::WorkloadKind;

use super::tables::{Filter, PodRow};
use super::update::is_plain_char;
use super::{Effect, Focus, Prompt, PromptKind, State, View};
use crate::keys::Action;
use crate::keys::{Mode, lookup};

/// Rows a page key moves: the table's visible rows at the last draw (an
/// estimate from the terminal height before the first).
fn page(state: &State) -> usize {
    let rows = match state.table_rows {
        0 => state.height.saturating_sub(10),
        n => n,
    };
    usize::from(rows).max(1)
}

pub(super) fn key(state: &mut State, key: KeyEvent, effects: &mut Vec<Effect>) {
    // The note editor takes every key but its own save and cancel.
    if state.incident.editor.is_some() {
        super::incident::editor_key(state, key);
        return;
    }
    if state.prompt.is_some() {
        prompt_key(state, key, effects);
        return;
    }
    if state.help {
        // Page keys turn its pages; any other key closes help; quitting
        // still quits.
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            effects.push(Effect::Quit);
        }
        match lookup(&state.bindings, key, &[Mode::Table]) {
            Some(Action::PageDown | Action::Down) => state.help_page += 1,
            Some(Action::PageUp | Action::Up) => {
                state.help_page = state.help_page.saturating_sub(1)
            }
            _ => {
                state.help = false;
                state.help_page = 0;
            }
        }
        return;
    }
    let modes = active_modes(state);
    if let Some(action) = lookup(&state.bindings, key, modes) {
        route(state, action, effects);
    }
}

/// An action to whatever has the keys: the confirmation, the open pane, or
/// the view.
fn route(state: &mut State, action: Action, effects: &mut Vec<Effect>) {
    if state.rollouts.confirm.is_some() {
        super::rollout::confirm_key(state, action, effects);
    } else if global(action) {
        act(state, action, effects);
    } else if state.rollouts.pane.is_some() {
        history_key(state, action, effects);
    } else if state.incident.pane.is_some() {
        super::incident::pane_key(state, action);
    } else if state.changes.is_some() {
        super::changes::key(state, action);
    } else if state.logs.is_some() {
        logs_key(state, action, effects);
    } else {
        act(state, action, effects);
    }
}

/// A left click. On a tab: that view (as its key would). On a row of the
/// table: select it; on the selected row: open it (as enter). A click
/// closes help; over a prompt, a confirmation or the note editor it does
/// nothing, so a stray click never answers a question.
pub(super) fn click(state: &mut State, x: u16, y: u16, effects: &mut Vec<Effect>) {
    if state.incident.editor.is_some() || state.prompt.is_some() || state.rollouts.confirm.is_some()
    {
        return;
    }
    if state.help {
        state.help = false;
        state.help_page = 0;
        return;
    }
    let layout = state.layout.clone();
    if y == layout.tab_y {
        let tab = layout.tabs.iter().position(|(a, b)| (*a..*b).contains(&x));
        if let Some(view) = tab.and_then(|i| View::ALL.get(i)) {
            let action = match view {
                View::Pods => Action::ShowPods,
                View::Workloads => Action::ShowWorkloads,
                View::Events => Action::ShowEvents,
                View::Nodes => Action::ShowNodes,
                View::Alerts => Action::ShowAlerts,
            };
            route(state, action, effects);
        }
        return;
    }
    if let Some(item) = layout.list.as_ref().and_then(|l| l.item_at(x, y)) {
        select_in_pane(state, item);
        return;
    }
    let Some(rows) = layout.rows else {
        return;
    };
    let inside = (rows.x..rows.x.saturating_add(rows.width)).contains(&x)
        && (rows.y..rows.y.saturating_add(rows.height)).contains(&y);
    if !inside {
        return;
    }
    let index = rows.first + usize::from(y - rows.y);
    if index >= state.row_count() {
        return;
    }
    if state.focus == Focus::Table && state.cursor_mut().selected == index {
        act(state, Action::Open, effects);
    } else {
        state.focus = Focus::Table;
        move_to(state, |_, _| index);
    }
}

/// A click on a pane's list selects the item (never more: opening or acting
/// stays with the keys). The pane on top is the one drawn.
fn select_in_pane(state: &mut State, item: usize) {
    if state.rollouts.pane.is_some() {
        super::rollout::select(state, item);
    } else if let Some(p) = state.incident.pane.as_mut() {
        p.selected = item;
    } else {
        super::changes::select(state, item);
    }
}

/// Help, the command prompt and quit work over every pane.
fn global(action: Action) -> bool {
    matches!(
        action,
        Action::Quit | Action::ToggleHelp | Action::StartCommand
    )
}

fn switches_view(action: Action) -> bool {
    matches!(
        action,
        Action::ShowPods
            | Action::ShowWorkloads
            | Action::ShowEvents
            | Action::ShowNodes
            | Action::ShowAlerts
    )
}

/// In the history pane: its own keys and movement go to the pane;
/// switching view closes the pane.
fn history_key(state: &mut State, action: Action, effects: &mut Vec<Effect>) {
    if switches_view(action) {
        state.rollouts.pane = None;
        act(state, action, effects);
    } else {
        super::rollout::pane_key(state, action, effects);
    }
}

/// In the logs pane: its own keys and movement go to the pane; switching
/// view closes the pane (and its streams).
fn logs_key(state: &mut State, action: Action, effects: &mut Vec<Effect>) {
    if switches_view(action) {
        state.logs = None;
        effects.push(Effect::CloseLogs);
        act(state, action, effects);
    } else {
        super::logs::act(state, action, effects);
    }
}

pub(super) fn act(state: &mut State, action: Action, effects: &mut Vec<Effect>) {
    let detail = state.focus == Focus::Detail;
    match action {
        Action::Quit => effects.push(Effect::Quit),
        Action::Up if detail => state.detail_scroll = state.detail_scroll.saturating_sub(1),
        Action::Down if detail => state.detail_scroll = state.detail_scroll.saturating_add(1),
        Action::PageUp if detail => {
            state.detail_scroll = state.detail_scroll.saturating_sub(page(state) as u16)
        }
        Action::PageDown if detail => {
            state.detail_scroll = state.detail_scroll.saturating_add(page(state) as u16)
        }
        Action::Top if detail => state.detail_scroll = 0,
        Action::Up => move_to(state, |s, _| s.saturating_sub(1)),
        Action::Down => move_to(state, |s, n| (s + 1).min(n.saturating_sub(1))),
        Action::PageUp => {
            let p = page(state);
            move_to(state, |s, _| s.saturating_sub(p));
        }
        Action::PageDown => {
            let p = page(state);
            move_to(state, |s, n| (s + p).min(n.saturating_sub(1)));
        }
        Action::Top => move_to(state, |_, _| 0),
        Action::Bottom => move_to(state, |_, n| n.saturating_sub(1)),
        Action::Open => open(state),
        Action::Back => back(state),
        Action::SwitchPane => {
            state.focus = if detail { Focus::Table } else { Focus::Detail };
        }
        Action::ShowPods => show(state, View::Pods),
        Action::ShowWorkloads => show(state, View::Workloads),
        Action::ShowEvents => show(state, View::Events),
        Action::ShowNodes => show(state, View::Nodes),
        Action::ShowAlerts => show(state, View::Alerts),
        Action::OpenChanges => state.changes = Some(Default::default()),
        Action::ToggleIncident => super::incident::toggle(state),
        Action::Mark => super::incident::mark(state),
        Action::Note => super::incident::start_note(state, None, ""),
        Action::ExportIncident => super::incident::export(state, effects),
        Action::OpenTimeline => {
            if state.incident.open.is_some() || state.incident.last.is_some() {
                state.incident.pane = Some(Default::default());
            } else {
                super::update::notice(
                    state,
                    super::Severity::Info,
                    "no incident: i declares one (c shows what changed without one)".into(),
                );
            }
        }
        Action::Silence => super::alerts::start_silence(state),
        Action::ExpireSilence => super::alerts::expire_silence(state, effects),
        Action::ShowObjectEvents => {
            if let Some(object) = selected_object(state) {
                state.events.object = Some(object);
                state.events.cursor = Default::default();
                show(state, View::Events);
                state.rows_changed();
            }
        }
        Action::StartFilter => {
            let current = current_filter(state).text.clone();
            state.prompt = Some(Prompt::new(PromptKind::Filter, &current));
        }
        Action::StartCommand => {
            let mut p = Prompt::new(PromptKind::Command, "");
            p.completions = super::command::completions(state, "");
            state.prompt = Some(p);
        }
        Action::ToggleHelp => state.help = !state.help,
        Action::ToggleProblemsOnly => {
            match state.view {
                View::Pods => state.pods.problems_only = !state.pods.problems_only,
                View::Workloads => state.workloads.problems_only = !state.workloads.problems_only,
                View::Events => state.events.warnings_only = !state.events.warnings_only,
                View::Nodes => state.nodes.problems_only = !state.nodes.problems_only,
                View::Alerts => {
                    state.alerts_view.problems_only = !state.alerts_view.problems_only
                }
            }
            state.rows_changed();
        }
        Action::ToggleGroupByWorkload => {
            state.pods.group_by_workload = !state.pods.group_by_workload;
            state.rows_changed();
        }
        Action::OpenLogs => super::logs::open(state, false, effects),
        Action::OpenHistory => match selected_workload(state) {
            Some(target) => super::rollout::open(state, target, effects),
            None => super::update::notice(
                state,
                super::Severity::Warning,
                "select a Deployment, StatefulSet or DaemonSet (or one of its pods) for its history"
                    .into(),
            ),
        },
        Action::Scale | Action::Restart | Action::PauseResume => {
            if let Some(target) = selected_workload(state) {
                super::rollout::workload_action(state, action, target, effects);
            }
        }
        // Keys of the history pane and the confirmation do nothing elsewhere.
        Action::CloseHistory
        | Action::Rollback
        | Action::Reload
        | Action::Confirm
        | Action::Cancel
        | Action::Save
        | Action::CloseChanges
        | Action::CycleKind
        | Action::CloseTimeline
        | Action::EditNote
        | Action::StrikeEntry => {}
        Action::OpenPreviousLogs => super::logs::open(state, true, effects),
        // Keys of the logs pane do nothing while it is closed.
        Action::CloseLogs
        | Action::ToggleFollow
        | Action::ToggleWrap
        | Action::ToggleTimestamps
        | Action::TogglePrevious
        | Action::CycleSince
        | Action::CycleContainer
        | Action::CycleLevel
        | Action::ToggleRaw
        | Action::StartSearch
        | Action::NextMatch
        | Action::PreviousMatch
        | Action::StartLogFilter
        | Action::SaveLogs
        | Action::CopyLine => {}
        Action::SortBy(column) => {
            let sort = &mut state.pods.sort;
            if sort.column == column {
                sort.descending = !sort.descending;
            } else {
                sort.column = column;
                sort.descending = false;
            }
            state.rows_changed();
        }
    }
}

fn move_to(state: &mut State, f: impl Fn(usize, usize) -> usize) {
    let n = state.row_count();
    let page = page(state);
    let cursor = state.cursor_mut();
    cursor.selected = f(cursor.selected, n);
    if cursor.selected < cursor.offset {
        cursor.offset = cursor.selected;
    } else if cursor.selected >= cursor.offset + page {
        cursor.offset = cursor.selected + 1 - page;
    }
    state.detail_scroll = 0;
}

fn show(state: &mut State, view: View) {
    state.view = view;
    state.focus = Focus::Table;
    state.detail_scroll = 0;
}

/// Enter: a group heading or a workload drills into its pods; a node shows
/// its pods; anything else focuses the detail pane.
fn open(state: &mut State) {
    open_row(state);
    state.rows_changed();
}

fn open_row(state: &mut State) {
    match state.view {
        View::Pods => match state.pods.rows.get(state.pods.cursor.selected) {
            Some(PodRow::Group {
                namespace,
                owner: Some(owner),
                ..
            }) => {
                state.pods.owner = Some((namespace.clone(), owner.clone()));
                state.pods.group_by_workload = false;
                state.pods.cursor = Default::default();
            }
            Some(PodRow::Pod(_)) => state.focus = Focus::Detail,
            _ => {}
        },
        View::Workloads => {
            let Some((kind, key)) = state.workloads.rows.get(state.workloads.cursor.selected)
            else {
                return;
            };
            let owner = crate::model::pod_health::Owner {
                kind: workload_kind_name(*kind).to_string(),
                name: key.name.clone(),
            };
            state.pods.owner = Some((key.namespace.clone(), owner));
            state.pods.cursor = Default::default();
            show(state, View::Pods);
        }
        View::Nodes => {
            let Some(node) = state.nodes.rows.get(state.nodes.cursor.selected).cloned() else {
                return;
            };
            let _ = set_filter(state, View::Pods, &node);
            state.pods.cursor = Default::default();
            show(state, View::Pods);
        }
        View::Events => state.focus = Focus::Detail,
        View::Alerts => super::alerts::jump(state),
    }
}

/// Shows pod `namespace/name` selected in the pods view (filters that hide
/// it cleared); false when the pod is not watched.
pub(super) fn reveal_pod(state: &mut State, namespace: &str, name: &str) -> bool {
    let key = crate::model::ObjectKey::new(namespace, name);
    if !state.cluster.pods.contains_key(&key) {
        return false;
    }
    state.pods.owner = None;
    state.pods.problems_only = false;
    state.pods.group_by_workload = false;
    let _ = set_filter(state, View::Pods, "");
    show(state, View::Pods);
    state.refresh_view();
    if let Some(i) = state
        .pods
        .rows
        .iter()
        .position(|r| matches!(r, PodRow::Pod(k) if *k == key))
    {
        state.pods.cursor.selected = i;
    }
    true
}

/// Shows a workload selected in the workloads view.
pub(super) fn reveal_workload(
    state: &mut State,
    kind: WorkloadKind,
    namespace: &str,
    name: &str,
) -> bool {
    let key = crate::model::ObjectKey::new(namespace, name);
    if !state.cluster.workloads.contains_key(&(kind, key.clone())) {
        return false;
    }
    state.workloads.problems_only = false;
    let _ = set_filter(state, View::Workloads, "");
    show(state, View::Workloads);
    state.refresh_view();
    if let Some(i) = state
        .workloads
        .rows
        .iter()
        .position(|(k, w)| *k == kind && *w == key)
    {
        state.workloads.cursor.selected = i;
    }
    true
}

/// Shows a node selected in the nodes view.
pub(super) fn reveal_node(state: &mut State, name: &str) -> bool {
    if !state.cluster.nodes.contains_key(name) {
        return false;
    }
    state.nodes.problems_only = false;
    let _ = set_filter(state, View::Nodes, "");
    show(state, View::Nodes);
    state.refresh_view();
    if let Some(i) = state.nodes.rows.iter().position(|n| n == name) {
        state.nodes.cursor.selected = i;
    }
    true
}

pub fn workload_kind_name(kind: WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::Deployment => "Deployment",
        WorkloadKind::StatefulSet => "StatefulSet",
        WorkloadKind::DaemonSet => "DaemonSet",
    }
}

/// Esc: close the innermost thing that is open.
fn back(state: &mut State) {
    back_one(state);
    state.rows_changed();
}

fn back_one(state: &mut State) {
    if state.focus == Focus::Detail {
        state.focus = Focus::Table;
        return;
    }
    match state.view {
        View::Pods if state.pods.owner.is_some() => state.pods.owner = None,
        View::Events if state.events.object.is_some() => state.events.object = None,
        _ if !current_filter(state).is_empty() => {
            let view = state.view;
            let _ = set_filter(state, view, "");
        }
        View::Events | View::Workloads | View::Nodes | View::Alerts => show(state, View::Pods),
        View::Pods => {}
    }
}

/// The workload under the cursor, or the selected pod's workload.
pub fn selected_workload(state: &State) -> Option<crate::model::action::WorkloadRef> {
    use crate::model::action::WorkloadRef;
    match state.view {
        View::Workloads => {
            let (kind, key) = state.workloads.rows.get(state.workloads.cursor.selected)?;
            Some(WorkloadRef::new(*kind, &key.namespace, &key.name))
        }
        View::Pods => {
            let pod = state.selected_pod()?;
            let owner = pod.owner.as_ref()?;
            let kind = [
                WorkloadKind::Deployment,
                WorkloadKind::StatefulSet,
                WorkloadKind::DaemonSet,
            ]
            .into_iter()
            .find(|k| workload_kind_name(*k) == owner.kind)?;
            Some(WorkloadRef::new(kind, &pod.namespace, &owner.name))
        }
        _ => None,
    }
}

/// The object under the cursor, as events refer to it.
fn selected_object(state: &State) -> Option<ObjectRef> {
    match state.view {
        View::Pods => state.selected_pod().map(|p| ObjectRef {
            kind: "Pod".into(),
            namespace: p.namespace.clone(),
            name: p.name.clone(),
        }),
        View::Workloads => state
            .workloads
            .rows
            .get(state.workloads.cursor.selected)
            .map(|(kind, key)| ObjectRef {
                kind: workload_kind_name(*kind).into(),
                namespace: key.namespace.clone(),
                name: key.name.clone(),
            }),
        View::Nodes => state
            .nodes
            .rows
            .get(state.nodes.cursor.selected)
            .map(|n| ObjectRef {
                kind: "Node".into(),
                namespace: String::new(),
                name: n.clone(),
            }),
        View::Events | View::Alerts => None,
    }
}

fn current_filter(state: &State) -> &Filter {
    match state.view {
        View::Pods => &state.pods.filter,
        View::Workloads => &state.workloads.filter,
        View::Events => &state.events.filter,
        View::Nodes => &state.nodes.filter,
        View::Alerts => &state.alerts_view.filter,
    }
}

/// Sets a view's filter; an unreadable selector is reported on the prompt
/// and the previous filter stays.
fn set_filter(state: &mut State, view: View, text: &str) -> Result<(), String> {
    let filter = Filter::parse(text)?;
    let slot = match view {
        View::Pods => &mut state.pods.filter,
        View::Workloads => &mut state.workloads.filter,
        View::Events => &mut state.events.filter,
        View::Nodes => &mut state.nodes.filter,
        View::Alerts => &mut state.alerts_view.filter,
    };
    *slot = filter;
    match view {
        View::Pods => state.pending.pods.everything(),
        View::Workloads => state.pending.workloads = true,
        View::Events => state.pending.events.everything(),
        View::Nodes => state.pending.nodes = true,
        View::Alerts => state.pending.alerts = true,
    }
    Ok(())
}

fn prompt_key(state: &mut State, key: KeyEvent, effects: &mut Vec<Effect>) {
    let Some(prompt) = state.prompt.as_mut() else {
        return;
    };
    let kind = prompt.kind;
    match key.code {
        KeyCode::Esc => {
            state.prompt = None;
            return;
        }
        KeyCode::Enter => {
            let input = prompt.input.clone();
            match kind {
                PromptKind::Filter => match set_filter(state, state.view, &input) {
                    Ok(()) => state.prompt = None,
                    Err(e) => {
                        if let Some(p) = state.prompt.as_mut() {
                            p.error = Some(e)
                        }
                    }
                },
                PromptKind::Command => match super::command::run(state, &input, effects) {
                    Ok(()) => state.prompt = None,
                    Err(e) => {
                        if let Some(p) = state.prompt.as_mut() {
                            p.error = Some(e)
                        }
                    }
                },
                // Applied while typing; enter only closes the prompt.
                PromptKind::LogSearch | PromptKind::LogFilter => state.prompt = None,
                PromptKind::EndIncident => {
                    state.prompt = None;
                    super::incident::end(state, &input, effects);
                }
                PromptKind::Scale | PromptKind::Silence | PromptKind::StartIncident => {
                    state.prompt = None;
                    let result = match kind {
                        PromptKind::Scale => super::rollout::scale_entered(state, &input, effects),
                        PromptKind::Silence => {
                            super::alerts::silence_entered(state, &input, effects)
                        }
                        _ => super::incident::start(state, &input, effects),
                    };
                    if let Err(e) = result {
                        let mut p = Prompt::new(kind, &input);
                        p.error = Some(e);
                        state.prompt = Some(p);
                    }
                }
            }
            return;
        }
        KeyCode::Tab => {
            if let Some(first) = prompt.completions.first().cloned() {
                prompt.input = first;
                // `ns` completes to `ns ` and waits for a name.
                if kind == PromptKind::Command
                    && !prompt.input.contains(' ')
                    && super::command::takes_argument(&prompt.input)
                {
                    prompt.input.push(' ');
                }
            }
        }
        KeyCode::Backspace => {
            prompt.input.pop();
        }
        KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            prompt.input.clear();
        }
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            state.prompt = None;
            return;
        }
        _ => match is_plain_char(&key) {
            Some(c) if prompt.input.chars().count() < 256 => prompt.input.push(c),
            _ => return,
        },
    }
    let input = prompt.input.clone();
    prompt.error = None;
    match kind {
        // The filter applies while typing; a half-typed selector waits.
        PromptKind::Filter => {
            let _ = set_filter(state, state.view, &input);
            let view = state.view;
            if view == View::Pods {
                state.pods.cursor = Default::default();
            }
        }
        PromptKind::Command => {
            let completions = super::command::completions(state, &input);
            if let Some(p) = state.prompt.as_mut() {
                p.completions = completions;
            }
        }
        PromptKind::LogSearch | PromptKind::LogFilter => {
            super::logs::prompt_changed(state, kind, &input)
        }
        PromptKind::Scale
        | PromptKind::Silence
        | PromptKind::StartIncident
        | PromptKind::EndIncident => {}
    }
}

/// The modes whose bindings apply to what is on screen, in priority order:
/// a confirmation takes every key, then the history pane, then the logs
/// pane, then the view.
pub fn active_modes(state: &State) -> &'static [Mode] {
    if state.rollouts.confirm.is_some() {
        return &[Mode::Dialog];
    }
    if state.rollouts.pane.is_some() {
        return &[Mode::History, Mode::Table];
    }
    if state.changes.is_some() {
        return &[Mode::Changes, Mode::Table];
    }
    if state.incident.pane.is_some() {
        return &[Mode::Timeline, Mode::Table];
    }
    if state.logs.is_some() {
        return &[Mode::Logs, Mode::Table];
    }
    match state.view {
        View::Pods => &[Mode::Pods, Mode::PodsAndWorkloads, Mode::Table],
        View::Workloads => &[Mode::Workloads, Mode::PodsAndWorkloads, Mode::Table],
        View::Alerts => &[Mode::Alerts, Mode::Table],
        _ => &[Mode::Table],
    }
}
