//! The rollout history pane (`h`): a workload's revisions, loaded on demand
//! (templates are not kept for every workload), the selected one diffed
//! against the current one, and the rollout followed live from the watched
//! state after an action. `u` rolls back to the selected revision, `s`,
//! `r`, `z` scale, restart, pause or resume — each through the one safety
//! model of [`super::actions`].

use crate::keys::Action;
use crate::model::action::{ActionKind, Mutation, WorkloadRef};
use crate::model::history::History;
use crate::model::template_diff::{self, TemplateDiff};
use crate::model::workload::Rollout;

use super::actions::{propose, review_access, workload, workload_action};
use super::cursor::Cursor;
use super::overlay::Pane;
use super::update::notice;
use super::{Effect, Severity, State};

/// The history pane of one workload.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryPane {
    pub target: WorkloadRef,
    /// Number of the latest load; older answers are dropped.
    pub request: u64,
    pub loading: bool,
    pub history: Option<History>,
    pub error: Option<String>,
    /// Over `history.revisions` (newest first).
    pub cursor: Cursor,
    /// The selected revision against the current one.
    pub diff: TemplateDiff,
    pub diff_scroll: u16,
    /// Set after an action on this workload: the pane reports when its
    /// rollout completes or stalls.
    pub following: Option<Follow>,
    /// The watched workload as it was when the latest load was asked for:
    /// when it moves on (a new revision, pods getting ready), the pane
    /// loads again, so READY and the current mark (●) never stay behind.
    pub seen: Option<Seen>,
}

/// What of a workload the history pane shows that its watch also sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    revision: Option<i64>,
    desired: u32,
    ready: u32,
    updated: u32,
    available: u32,
}

pub(super) fn seen(state: &State, target: &WorkloadRef) -> Option<Seen> {
    workload(state, target).map(|w| Seen {
        revision: w.revision,
        desired: w.desired,
        ready: w.ready,
        updated: w.updated,
        available: w.available,
    })
}

impl HistoryPane {
    fn revisions(&self) -> usize {
        self.history.as_ref().map_or(0, |h| h.revisions.len())
    }

    fn refresh_diff(&mut self) {
        self.diff_scroll = 0;
        self.diff = match &self.history {
            Some(h) => match (h.revisions.get(self.cursor.selected), h.current()) {
                (Some(sel), Some(cur)) => template_diff::diff(&sel.template, &cur.template),
                _ => TemplateDiff::default(),
            },
            None => TemplateDiff::default(),
        };
    }
}

/// A rollout followed after an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Follow {
    pub kind: ActionKind,
    /// The rollout was seen progressing: "complete" now means this one is
    /// done, not that the controller had not started yet.
    pub progressed: bool,
    /// The workload when the change was sent: complete at another
    /// revision (or size) is this change done, even when every step of the
    /// rollout fell between two looks (a fast controller, a batch of
    /// deltas, steps seen before the answer to the change arrived).
    pub before: Option<Seen>,
}

/// `h`: the history pane of `target`.
pub fn open(state: &mut State, target: WorkloadRef, effects: &mut Vec<Effect>) {
    let request = state.actions.next_id();
    review_access(state, &target, effects);
    effects.push(Effect::LoadHistory {
        request,
        target: target.clone(),
    });
    let pane = HistoryPane {
        seen: seen(state, &target),
        target,
        request,
        loading: true,
        history: None,
        error: None,
        cursor: Cursor::default(),
        diff: TemplateDiff::default(),
        diff_scroll: 0,
        following: None,
    };
    state.open_pane(Pane::History(Box::new(pane)), effects);
}

fn reload(state: &mut State, effects: &mut Vec<Effect>) {
    let request = state.actions.next_id();
    let now = state.overlay.history().and_then(|p| seen(state, &p.target));
    let Some(pane) = state.overlay.history_mut() else {
        return;
    };
    pane.request = request;
    pane.loading = true;
    pane.seen = now;
    effects.push(Effect::LoadHistory {
        request,
        target: pane.target.clone(),
    });
}

/// A history load answered.
pub fn loaded(
    state: &mut State,
    request: u64,
    result: Result<History, String>,
    effects: &mut Vec<Effect>,
) {
    let Some(pane) = state.overlay.history_mut() else {
        return;
    };
    if pane.request != request {
        return;
    }
    pane.loading = false;
    match result {
        Ok(history) => {
            // Keep the selected revision by number across a reload.
            let keep = pane
                .history
                .as_ref()
                .and_then(|h| h.revisions.get(pane.cursor.selected))
                .map(|r| r.number);
            pane.cursor.selected = keep
                .and_then(|n| history.revisions.iter().position(|r| r.number == n))
                .or_else(|| history.revisions.iter().position(|r| !r.current))
                .unwrap_or(0);
            pane.history = Some(history);
            pane.error = None;
            pane.refresh_diff();
        }
        Err(e) => pane.error = Some(e),
    }
    state.dirty = true;
    catch_up(state, effects);
}

/// Loads the history again when the watched workload moved on since the
/// last load was asked for (one load at a time; a change seen while one
/// runs is caught when it lands).
fn catch_up(state: &mut State, effects: &mut Vec<Effect>) {
    let Some(pane) = state.overlay.history() else {
        return;
    };
    if pane.loading || pane.error.is_some() {
        return;
    }
    if seen(state, &pane.target) != pane.seen {
        reload(state, effects);
    }
}

/// Selects a revision (a click on it), with its diff. `from_oldest`
/// counts from the oldest revision, as the drawn list does.
pub fn select(state: &mut State, from_oldest: usize) {
    if let Some(pane) = state.overlay.history_mut() {
        let n = pane.revisions();
        if pane.cursor.select_from_oldest(from_oldest, n) {
            pane.refresh_diff();
        }
    }
}

/// Keys while the history pane is open.
pub fn key(state: &mut State, action: Action, effects: &mut Vec<Effect>) {
    let Some(pane) = state.overlay.history_mut() else {
        return;
    };
    match action {
        Action::Up | Action::Down | Action::Top | Action::Bottom => {
            let before = pane.cursor.selected;
            let n = pane.revisions();
            pane.cursor.step(action, n, n.max(1));
            if before != pane.cursor.selected {
                pane.refresh_diff();
            }
        }
        // Page keys scroll the diff; the revisions are few.
        Action::PageDown => pane.diff_scroll = pane.diff_scroll.saturating_add(10),
        Action::PageUp => pane.diff_scroll = pane.diff_scroll.saturating_sub(10),
        Action::Reload => reload(state, effects),
        Action::CloseHistory | Action::Back => state.close_pane(effects),
        Action::Rollback => request_rollback(state, effects),
        Action::Scale | Action::Restart | Action::PauseResume => {
            let target = pane.target.clone();
            workload_action(state, action, target, effects);
        }
        _ => {}
    }
}

/// `u` in the history pane: roll back to the selected revision.
fn request_rollback(state: &mut State, effects: &mut Vec<Effect>) {
    let Some(pane) = state.overlay.history() else {
        return;
    };
    let target = pane.target.clone();
    let Some(history) = pane.history.as_ref() else {
        notice(
            state,
            Severity::Warning,
            "the history is still loading".into(),
        );
        return;
    };
    let Some(selected) = history.revisions.get(pane.cursor.selected) else {
        return;
    };
    if selected.current {
        let text = format!(
            "revision {} is the current one: choose an older revision to roll back to",
            selected.number
        );
        notice(state, Severity::Info, text);
        return;
    }
    let current = history.current();
    let changes = current
        .map(|c| template_diff::diff(&c.template, &selected.template).summary)
        .unwrap_or_default();
    let mutation = Mutation::Rollback {
        target,
        to_revision: selected.number,
        from_revision: current.map(|c| c.number),
    };
    propose(state, ActionKind::Rollback, mutation, changes, effects);
}

/// A change to `target` succeeded: its history pane (open, or opened
/// again unless the user closed it while the change ran) follows the
/// rollout.
pub(super) fn follow(
    state: &mut State,
    target: WorkloadRef,
    kind: ActionKind,
    from_pane: bool,
    before: Option<Seen>,
    effects: &mut Vec<Effect>,
) {
    match state.overlay.history() {
        Some(p) if p.target == target => reload(state, effects),
        // Closed while the change ran: the user looked elsewhere.
        None if from_pane => return,
        _ => open(state, target, effects),
    }
    if let Some(pane) = state.overlay.history_mut() {
        pane.following = Some(Follow {
            kind,
            progressed: false,
            before,
        });
    }
    // A rollout may be done already (all of it seen before the answer).
    // Pausing and resuming wait for the watch to show them.
    if !matches!(kind, ActionKind::Pause | ActionKind::Resume) {
        announce(state, effects);
    }
}

/// Called on every workload change: a followed rollout that completes or
/// stalls is announced once, and the history reloads (new revisions).
pub fn workloads_changed(state: &mut State, effects: &mut Vec<Effect>) {
    catch_up(state, effects);
    announce(state, effects);
}

/// A followed rollout that completed or stalled: said once, and the
/// history reloads (new revisions).
fn announce(state: &mut State, effects: &mut Vec<Effect>) {
    let Some(pane) = state.overlay.history() else {
        return;
    };
    let Some(follow) = pane.following else {
        return;
    };
    let target = pane.target.clone();
    let Some(w) = workload(state, &target) else {
        return;
    };
    // Pausing and resuming change no pods: their rollout state is the answer.
    let immediate = matches!(follow.kind, ActionKind::Pause | ActionKind::Resume);
    // Seen progressing, or moved since the change was sent (every step may
    // have fallen between two looks).
    let moved = follow
        .before
        .is_some_and(|b| Some(b) != seen(state, &target));
    let started = follow.progressed || immediate || moved;
    let text = match &w.rollout {
        Rollout::Progressing { .. } => {
            if let Some(f) = state
                .overlay
                .history_mut()
                .and_then(|p| p.following.as_mut())
            {
                f.progressed = true;
            }
            None
        }
        // Before the controller acted, complete or stalled is the old
        // rollout's state, not this one's.
        Rollout::Complete | Rollout::Stalled { .. } if !started => None,
        Rollout::Complete => Some((
            Severity::Info,
            format!(
                "rollout of {target} complete: {}/{} ready",
                w.ready, w.desired
            ),
        )),
        Rollout::Stalled { reason, message } => Some((
            Severity::Error,
            format!("rollout of {target} stalled: {reason}: {message}"),
        )),
        Rollout::Paused => Some((Severity::Info, format!("rollout of {target} paused"))),
    };
    if let Some((severity, text)) = text {
        if let Some(pane) = state.overlay.history_mut() {
            pane.following = None;
        }
        notice(state, severity, text);
        reload(state, effects);
    }
}
