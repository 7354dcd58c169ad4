//! The "what changed" pane (`c`): the two-hour ring of [`crate::model::changes`],
//! newest first, filtered by kind or to problems; `enter` on an entry opens
//! its object.

use crate::keys::Action;
use crate::model::changes::{Change, ChangeKind};

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

#[cfg(test)]
mod tests;
