//! The views' own actions: moving through a table, switching views,
//! drilling in (enter) and out (esc), toggles, sorting, filters, and which
//! object is selected. Reached when no dialog or pane took the key
//! ([`super::input`]).

use crate::keys::Action;
use crate::model::ObjectKey;
use crate::model::action::WorkloadRef;
use crate::model::alert::TargetKind;
use crate::model::event::ObjectRef;
use crate::model::workload::WorkloadKind;

use super::overlay::{Dialog, Pane};
use super::tables::{Filter, PodRow};
use super::{Effect, Focus, Prompt, PromptKind, State, View};

/// Rows a page key moves: the table's visible rows at the last draw (an
/// estimate from the terminal height before the first).
pub(super) fn page(state: &State) -> usize {
    let rows = match state.table_rows {
        0 => state.height.saturating_sub(10),
        n => n,
    };
    usize::from(rows).max(1)
}

/// An action on the view (no pane or dialog took it).
pub(super) fn act(state: &mut State, action: Action, effects: &mut Vec<Effect>) {
    let detail = state.focus == Focus::Detail;
    match action {
        Action::Quit => quit(state, effects),
        Action::Up if detail => state.detail_scroll = state.detail_scroll.saturating_sub(1),
        Action::Down if detail => state.detail_scroll = state.detail_scroll.saturating_add(1),
        Action::PageUp if detail => {
            state.detail_scroll = state.detail_scroll.saturating_sub(page(state) as u16)
        }
        Action::PageDown if detail => {
            state.detail_scroll = state.detail_scroll.saturating_add(page(state) as u16)
        }
        Action::Top if detail => state.detail_scroll = 0,
        // Drawing clamps the scroll to the pane's last page.
        Action::Bottom if detail => state.detail_scroll = u16::MAX,
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => {
            let (n, page) = (state.row_count(), page(state));
            state.cursor_mut().step(action, n, page);
            state.detail_scroll = 0;
        }
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
        Action::OpenChanges => state.open_pane(Pane::Changes(Default::default()), effects),
        Action::ToggleIncident => super::timeline::toggle(state),
        Action::Mark => super::timeline::mark(state),
        Action::Note => super::timeline::start_note(state, None, ""),
        Action::ExportIncident => super::timeline::export(state, effects),
        Action::OpenTimeline => super::timeline::open(state, effects),
        Action::Silence => super::alerts::start_silence(state),
        Action::ExpireSilence => super::alerts::expire_silence(state, effects),
        Action::ShowObjectEvents => {
            if let Some(object) = selected_object(state) {
                state.events.object = Some(object);
                state.events.cursor = Default::default();
                show(state, View::Events);
                state.rows_changed();
            } else {
                super::update::notice(
                    state,
                    super::Severity::Warning,
                    "select a pod, a workload or a node (or an alert about one) for its events"
                        .into(),
                );
            }
        }
        Action::StartFilter => {
            let current = current_filter(state).text.clone();
            state.overlay.dialog = Some(Dialog::Prompt(Prompt::new(PromptKind::Filter, &current)));
        }
        Action::StartCommand => {
            let mut p = Prompt::new(PromptKind::Command, "");
            p.completions = super::command::completions(state, "");
            state.overlay.dialog = Some(Dialog::Prompt(p));
        }
        Action::ToggleHelp => state.overlay.dialog = Some(Dialog::Help { page: 0 }),
        Action::ToggleProblemsOnly => {
            match state.view {
                View::Pods => state.pods.problems_only = !state.pods.problems_only,
                View::Workloads => state.workloads.problems_only = !state.workloads.problems_only,
                View::Events => state.events.warnings_only = !state.events.warnings_only,
                View::Nodes => state.nodes.problems_only = !state.nodes.problems_only,
                View::Alerts => {
                    state.alerts_view.problems_only = !state.alerts_view.problems_only
                }
                View::Browse => match super::browse::not_here(state, action) {
                    Some(why) => super::update::notice(state, super::Severity::Info, why),
                    None => state.browse.problems_only = !state.browse.problems_only,
                },
            }
            state.rows_changed();
        }
        Action::ToggleGroupByWorkload => {
            state.pods.group_by_workload = !state.pods.group_by_workload;
            state.rows_changed();
        }
        Action::ShowYaml => super::browse::open_yaml(state, false, effects),
        Action::Describe => super::browse::open_yaml(state, true, effects),
        Action::OpenLogs | Action::OpenPreviousLogs | Action::OpenHistory
            if let Some(why) = super::browse::not_here(state, action) =>
        {
            super::update::notice(state, super::Severity::Info, why)
        }
        Action::OpenLogs => super::logs::open(state, false, effects),
        Action::OpenHistory => match selected_workload(state) {
            Some(target) => super::history::open(state, target, effects),
            None => super::update::notice(
                state,
                super::Severity::Warning,
                "select a Deployment, StatefulSet or DaemonSet (or one of its pods) for its history"
                    .into(),
            ),
        },
        Action::Scale | Action::Restart | Action::PauseResume => {
            if let Some(target) = selected_workload(state) {
                super::actions::workload_action(state, action, target, effects);
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
        | Action::StrikeEntry
        | Action::CloseYaml => {}
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

/// `q`: quits, but asks first while an incident is open (its journal is
/// safe either way; the question is whether leaving was meant). ctrl-c
/// always quits at once.
pub(super) fn quit(state: &mut State, effects: &mut Vec<Effect>) {
    match &state.timeline.open {
        Some(incident) if !incident.ended => {
            state.overlay.dialog = Some(Dialog::Prompt(Prompt::new(PromptKind::Quit, "")));
        }
        _ => effects.push(Effect::Quit),
    }
}

pub(super) fn show(state: &mut State, view: View) {
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
                kind: kind.name().to_string(),
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
        View::Events | View::Browse => state.focus = Focus::Detail,
        View::Alerts => super::alerts::jump(state),
    }
}

/// Shows pod `namespace/name` selected in the pods view (filters that hide
/// it cleared); false when the pod is not watched.
fn reveal_pod(state: &mut State, namespace: &str, name: &str) -> bool {
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

/// Shows the object an entry names (a pod, a workload or a node) selected
/// in its view; false when it is gone or not watched.
pub(super) fn reveal(state: &mut State, kind: &str, namespace: &str, name: &str) -> bool {
    match kind {
        "Pod" => reveal_pod(state, namespace, name),
        "Node" => reveal_node(state, name),
        _ => match WorkloadKind::from_name(kind) {
            Some(k) => reveal_workload(state, k, namespace, name),
            // Any other kind the server serves: its resource, the object
            // selected once it is listed.
            None => super::browse::reveal(state, kind, namespace, name),
        },
    }
}

/// Shows a workload selected in the workloads view.
fn reveal_workload(state: &mut State, kind: WorkloadKind, namespace: &str, name: &str) -> bool {
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
fn reveal_node(state: &mut State, name: &str) -> bool {
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
        View::Events | View::Workloads | View::Nodes | View::Alerts | View::Browse => {
            show(state, View::Pods)
        }
        View::Pods => {}
    }
}

/// What the cursor is on, as the keys that act on an object see it. In
/// the alerts view it is the object the selected alert is about (its first
/// pod, workload or node), so the keys its "check next" names work there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selected {
    Pod(ObjectKey),
    Workload(WorkloadKind, ObjectKey),
    Node(String),
}

pub fn selected(state: &State) -> Option<Selected> {
    match state.view {
        View::Pods => match state.pods.rows.get(state.pods.cursor.selected)? {
            PodRow::Pod(key) => Some(Selected::Pod(key.clone())),
            PodRow::Group {
                namespace,
                owner: Some(owner),
                ..
            } => {
                let kind = WorkloadKind::from_name(&owner.kind)?;
                Some(Selected::Workload(
                    kind,
                    ObjectKey::new(namespace, &owner.name),
                ))
            }
            PodRow::Group { .. } => None,
        },
        View::Workloads => {
            let (kind, key) = state.workloads.rows.get(state.workloads.cursor.selected)?;
            Some(Selected::Workload(*kind, key.clone()))
        }
        View::Nodes => {
            let name = state.nodes.rows.get(state.nodes.cursor.selected)?;
            Some(Selected::Node(name.clone()))
        }
        View::Alerts => {
            let target = super::alerts::selected(state)?
                .targets()
                .into_iter()
                .next()?;
            let namespace = target.namespace.clone().unwrap_or_default();
            let key = ObjectKey::new(&namespace, &target.name);
            match target.kind {
                TargetKind::Pod => Some(Selected::Pod(key)),
                TargetKind::Node => Some(Selected::Node(target.name.clone())),
                kind => Some(Selected::Workload(
                    WorkloadKind::from_name(kind.name())?,
                    key,
                )),
            }
        }
        View::Events | View::Browse => None,
    }
}

/// The selected workload, or the selected pod's workload.
pub fn selected_workload(state: &State) -> Option<WorkloadRef> {
    match selected(state)? {
        Selected::Workload(kind, key) => Some(WorkloadRef::new(kind, &key.namespace, &key.name)),
        Selected::Pod(key) => {
            let pod = state.cluster.pods.get(&key)?;
            let owner = pod.owner.as_ref()?;
            let kind = WorkloadKind::from_name(&owner.kind)?;
            Some(WorkloadRef::new(kind, &pod.namespace, &owner.name))
        }
        Selected::Node(_) => None,
    }
}

/// The selected event's key in the events view.
pub(super) fn selected_event(state: &State) -> Option<ObjectKey> {
    (state.view == View::Events)
        .then(|| state.events.cursor.pick(&state.events.rows).cloned())
        .flatten()
}

/// The object under the cursor, as events refer to it.
pub(super) fn selected_object(state: &State) -> Option<ObjectRef> {
    if state.view == View::Browse {
        let kind = state.browse.kind.as_ref()?;
        let (key, _) = state.browse.selected()?;
        return Some(ObjectRef {
            kind: kind.kind.clone(),
            namespace: key.namespace.clone(),
            name: key.name.clone(),
        });
    }
    let (kind, namespace, name) = match selected(state)? {
        Selected::Pod(key) => ("Pod", key.namespace, key.name),
        Selected::Workload(kind, key) => (kind.name(), key.namespace, key.name),
        Selected::Node(name) => ("Node", String::new(), name),
    };
    Some(ObjectRef {
        kind: kind.into(),
        namespace,
        name,
    })
}

pub(super) fn current_filter(state: &State) -> &Filter {
    match state.view {
        View::Pods => &state.pods.filter,
        View::Workloads => &state.workloads.filter,
        View::Events => &state.events.filter,
        View::Nodes => &state.nodes.filter,
        View::Alerts => &state.alerts_view.filter,
        View::Browse => &state.browse.filter,
    }
}

/// Sets a view's filter; an unreadable selector is reported on the prompt
/// and the previous filter stays.
pub(super) fn set_filter(state: &mut State, view: View, text: &str) -> Result<(), String> {
    let filter = Filter::parse(text)?;
    let slot = match view {
        View::Pods => &mut state.pods.filter,
        View::Workloads => &mut state.workloads.filter,
        View::Events => &mut state.events.filter,
        View::Nodes => &mut state.nodes.filter,
        View::Alerts => &mut state.alerts_view.filter,
        View::Browse => &mut state.browse.filter,
    };
    *slot = filter;
    match view {
        View::Pods => state.pending.pods.everything(),
        View::Workloads => state.pending.workloads = true,
        View::Events => state.pending.events.everything(),
        View::Nodes => state.pending.nodes = true,
        View::Alerts => state.pending.alerts = true,
        View::Browse => state.pending.browse = true,
    }
    state.dirty = true;
    Ok(())
}
