//! The "what changed" pane (`c`): the two-hour ring of [`crate::model::changes`],
//! newest first, filtered by kind or to problems; `enter` on an entry opens
//! its object. And what a list from scratch back-fills into the ring.

use jiff::SignedDuration;

use crate::keys::Action;
use crate::model::changes::{self as model, Change, ChangeKind};
use crate::model::cluster::{Change as Delta, ClusterChange, Resource, WatchHealth};
use crate::model::workload::WorkloadKind;

use super::cursor::Cursor;
use super::update::notice;
use super::{Effect, Severity, State};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangesPane {
    /// Over the shown entries, 0 = newest.
    pub cursor: Cursor,
    /// Only this kind (`None`: all).
    pub kind: Option<ChangeKind>,
    /// Only problems (NotReady, OOMKilled, stalled, fired, warnings).
    pub problems_only: bool,
}

impl ChangesPane {
    fn shows(&self, c: &Change) -> bool {
        self.kind.is_none_or(|k| c.kind == k) && (!self.problems_only || c.bad)
    }
}

/// The entries the pane shows, newest first.
pub fn shown<'a>(state: &'a State, pane: &ChangesPane) -> Vec<&'a Change> {
    state
        .changes
        .iter()
        .rev()
        .filter(|c| pane.shows(c))
        .collect()
}

/// Selects a change (a click on it). `from_oldest` counts from the oldest
/// shown change, as the drawn list does.
pub fn select(state: &mut State, from_oldest: usize) {
    let Some(pane) = state.overlay.changes() else {
        return;
    };
    let n = shown(state, pane).len();
    if let Some(p) = state.overlay.changes_mut() {
        p.cursor.select_from_oldest(from_oldest, n);
    }
}

/// Keys while the pane is open.
pub fn key(state: &mut State, action: Action, effects: &mut Vec<Effect>) {
    let Some(pane) = state.overlay.changes_mut() else {
        return;
    };
    let n = state.changes.iter().filter(|c| pane.shows(c)).count();
    if pane.cursor.step(action, n, 10) {
        return;
    }
    match action {
        Action::CycleKind => {
            pane.kind = match pane.kind {
                None => Some(ChangeKind::ALL[0]),
                Some(k) => ChangeKind::ALL
                    .iter()
                    .position(|x| *x == k)
                    .and_then(|i| ChangeKind::ALL.get(i + 1).copied()),
            };
            pane.cursor = Cursor::default();
        }
        Action::ToggleProblemsOnly => {
            pane.problems_only = !pane.problems_only;
            pane.cursor = Cursor::default();
        }
        Action::Open => open(state, effects),
        Action::CloseChanges | Action::Back => state.close_pane(effects),
        _ => {}
    }
}

/// `enter`: the entry's object in its view.
fn open(state: &mut State, effects: &mut Vec<Effect>) {
    let Some(pane) = state.overlay.changes() else {
        return;
    };
    let Some(object) = shown(state, pane)
        .get(pane.cursor.selected)
        .and_then(|c| c.object.clone())
    else {
        return;
    };
    if super::view::reveal(state, &object.kind, &object.namespace, &object.name) {
        state.close_pane(effects);
    } else {
        let text = format!(
            "{} {}/{} is gone or not watched",
            object.kind, object.namespace, object.name
        );
        notice(state, Severity::Info, text);
    }
}

/// A list from scratch — the first after connecting or switching, or one
/// after its watch was down — has no "before" to compare with: what it
/// tells of the past (since the window's start, or since the watch went
/// down) goes into the ring, unless the ring has it already, and the ring
/// is complete from now on. After an outage the open incident gets what
/// happened during it too (the ring missed it, so its journal did); a
/// relist of a live watch adds nothing.
pub(super) fn listed(state: &mut State, change: &ClusterChange) {
    let resource = match change {
        ClusterChange::Pods(_) => Resource::Pods,
        ClusterChange::Workloads(WorkloadKind::Deployment, _) => Resource::Deployments,
        ClusterChange::Workloads(WorkloadKind::StatefulSet, _) => Resource::StatefulSets,
        ClusterChange::Workloads(WorkloadKind::DaemonSet, _) => Resource::DaemonSets,
        ClusterChange::ReplicaSets(_) => Resource::ReplicaSets,
        ClusterChange::Events(_) => Resource::Events,
        _ => return,
    };
    let now = state.now;
    let (since, outage) = match state.cluster.watches.get(&resource) {
        None | Some(WatchHealth::Syncing | WatchHealth::NotAllowed(_)) => {
            (now.checked_sub(model::WINDOW).unwrap_or(now), false)
        }
        Some(WatchHealth::Down { since, .. }) => (*since, true),
        Some(WatchHealth::Live) => return,
    };
    let found: Vec<Change> = match change {
        ClusterChange::Pods(Delta::Replaced(pods)) => pods
            .iter()
            .flat_map(|p| model::backfill_pod(p, since, now))
            .collect(),
        ClusterChange::ReplicaSets(Delta::Replaced(sets)) => model::backfill_revisions(sets, since),
        ClusterChange::Events(Delta::Replaced(events)) => events
            .iter()
            .filter_map(|e| model::backfill_warning(e, since, now))
            .collect(),
        _ => Vec::new(),
    };
    let to_incident = outage && state.timeline.open.as_ref().is_some_and(|i| !i.ended);
    for c in found {
        // A rollout told live carries the time it was seen, its back-fill
        // the ReplicaSet's creation: the same start, seconds apart.
        let slack = match c.kind {
            ChangeKind::Rollout => SignedDuration::from_mins(2),
            _ => SignedDuration::ZERO,
        };
        if state.changes.contains(&c, slack) {
            continue;
        }
        if to_incident {
            state.timeline.outbox.push(super::timeline::entry_of(&c));
        }
        state.changes.push(c, now);
    }
    state.changes.complete_since = Some(now);
    state.dirty = true;
}

#[cfg(test)]
mod tests;
