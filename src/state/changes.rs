//! The "what changed" pane (`c`): the recent-changes ring, newest first,
//! filtered by kind or to problems, `enter` on an entry opens its object.

use super::recent::{Change, ChangeKind};
use super::update::notice;
use super::{Severity, State};
use crate::keys::Action;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangesPane {
    /// Index among the shown entries, 0 = newest.
    pub selected: usize,
    /// Only this kind (`None`: all).
    pub kind: Option<ChangeKind>,
    /// Only problems (NotReady, OOMKilled, stalled, fired, warnings).
    pub problems_only: bool,
}

/// The entries the pane shows, newest first.
pub fn shown<'a>(state: &'a State, pane: &ChangesPane) -> Vec<&'a Change> {
    state
        .recent
        .iter()
        .rev()
        .filter(|c| pane.kind.is_none_or(|k| c.kind == k))
        .filter(|c| !pane.problems_only || c.bad)
        .collect()
}

/// Selects a change (a click on it). `from_oldest` counts from the oldest
/// shown change, as the drawn list does.
pub fn select(state: &mut State, from_oldest: usize) {
    let Some(pane) = state.changes.as_ref() else {
        return;
    };
    let n = shown(state, pane).len();
    if from_oldest < n
        && let Some(p) = state.changes.as_mut()
    {
        p.selected = n - 1 - from_oldest;
    }
}

/// Keys while the pane is open.
pub fn key(state: &mut State, action: Action) {
    let Some(pane) = state.changes.as_mut() else {
        return;
    };
    let n = state
        .recent
        .iter()
        .filter(|c| pane.kind.is_none_or(|k| c.kind == k))
        .filter(|c| !pane.problems_only || c.bad)
        .count();
    match action {
        Action::Up => pane.selected = pane.selected.saturating_sub(1),
        Action::Down => pane.selected = (pane.selected + 1).min(n.saturating_sub(1)),
        Action::PageUp => pane.selected = pane.selected.saturating_sub(10),
        Action::PageDown => pane.selected = (pane.selected + 10).min(n.saturating_sub(1)),
        Action::Top => pane.selected = 0,
        Action::Bottom => pane.selected = n.saturating_sub(1),
        Action::CycleKind => {
            pane.kind = match pane.kind {
                None => Some(ChangeKind::ALL[0]),
                Some(k) => ChangeKind::ALL
                    .iter()
                    .position(|x| *x == k)
                    .and_then(|i| ChangeKind::ALL.get(i + 1).copied()),
            };
            pane.selected = 0;
        }
        Action::ToggleProblemsOnly => {
            pane.problems_only = !pane.problems_only;
            pane.selected = 0;
        }
        Action::Open => open(state),
        Action::CloseChanges | Action::Back => state.changes = None,
        _ => {}
    }
}

/// `enter`: the entry's object in its view.
fn open(state: &mut State) {
    let Some(pane) = state.changes.clone() else {
        return;
    };
    let Some(object) = shown(state, &pane)
        .get(pane.selected)
        .and_then(|c| c.object.clone())
    else {
        return;
    };
    use crate::model::workload::WorkloadKind;
    let found = match object.kind.as_str() {
        "Pod" => super::input::reveal_pod(state, &object.namespace, &object.name),
        "Deployment" => super::input::reveal_workload(
            state,
            WorkloadKind::Deployment,
            &object.namespace,
            &object.name,
        ),
        "StatefulSet" => super::input::reveal_workload(
            state,
            WorkloadKind::StatefulSet,
            &object.namespace,
            &object.name,
        ),
        "DaemonSet" => super::input::reveal_workload(
            state,
            WorkloadKind::DaemonSet,
            &object.namespace,
            &object.name,
        ),
        "Node" => super::input::reveal_node(state, &object.name),
        _ => false,
    };
    if found {
        state.changes = None;
    } else {
        notice(
            state,
            Severity::Info,
            format!(
                "{} {}/{} is gone or not watched",
                object.kind, object.namespace, object.name
            ),
        );
    }
}
