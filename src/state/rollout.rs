//! The rollout pane and the one safety model for every change warroom makes.
//!
//! `h` opens a workload's history (loaded on demand: templates are not kept
//! for every workload); the pane lists its revisions, diffs the selected one
//! against the current one, and follows the rollout live from the watched
//! state. `u` rollback, `s` scale, `r` restart, `z` pause/resume open a
//! confirmation — never a change directly. The confirmation states the
//! change in words and as kubectl, asks the API server for a dry run
//! (`dryRun=All`), and can be confirmed only when the dry run passed and the
//! access review did not deny it. In a read-only session none of this
//! starts: actions are shown disabled with the reason. (The app's effect
//! executor refuses mutations in a read-only session again, on its own.)

use std::collections::BTreeMap;

use crate::model::action::{
    Access, AccessCheck, ActionError, ActionKind, ActionOutcome, ActionRecord, Mutation,
    WorkloadRef,
};
use crate::model::rollout::History;
use crate::model::template_diff::{self, TemplateDiff};
use crate::model::workload::{Rollout, WorkloadInfo};

use super::update::notice;
use super::{Effect, Prompt, PromptKind, Severity, State};
use crate::keys::Action;

/// The history pane of one workload.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryPane {
    pub target: WorkloadRef,
    /// Number of the latest load; older answers are dropped.
    pub request: u64,
    pub loading: bool,
    pub history: Option<History>,
    pub error: Option<String>,
    /// Index into `history.revisions` (newest first).
    pub selected: usize,
    /// The selected revision against the current one.
    pub diff: TemplateDiff,
    pub diff_scroll: u16,
    /// Set after an action on this workload: the pane reports when its
    /// rollout completes or stalls.
    pub following: Option<Follow>,
}

/// A rollout followed after an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Follow {
    pub kind: ActionKind,
    /// The rollout was seen progressing: "complete" now means this one is
    /// done, not that the controller had not started yet.
    pub progressed: bool,
}

/// Where the server-side dry run of a pending change is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DryRun {
    Pending,
    Passed(String),
    Failed(ActionError),
}

/// A change waiting for the user's `y`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub id: u64,
    pub mutation: Mutation,
    /// What changes, in words (a rollback's template differences).
    pub changes: Vec<String>,
    pub dry_run: DryRun,
    /// The access review's answer, when there was one.
    pub access: Option<Access>,
}

impl Confirm {
    /// Why `y` does nothing yet, or `None` when it may go ahead.
    pub fn blocked(&self) -> Option<String> {
        if let Some(Access::Denied(why)) = &self.access {
            return Some(format!("not allowed: {why}"));
        }
        match &self.dry_run {
            DryRun::Pending => Some("waiting for the server's dry run".into()),
            DryRun::Failed(e) => Some(format!("the dry run failed: {e}")),
            DryRun::Passed(_) => None,
        }
    }
}

/// A change sent for real, until its answer arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Running {
    pub id: u64,
    pub mutation: Mutation,
    /// Confirmed from the history pane: if the user closes the pane while
    /// it runs, it is not opened again to follow the rollout.
    pub from_pane: bool,
}

/// The rollout side of the State.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rollouts {
    pub pane: Option<HistoryPane>,
    pub confirm: Option<Confirm>,
    pub running: Option<Running>,
    /// Access reviews by question (resource-level: no object names, so a
    /// namespace costs a handful of reviews, not one per workload).
    pub access: BTreeMap<AccessCheck, Access>,
    /// Reviews asked for and not answered yet.
    pub asked: std::collections::BTreeSet<AccessCheck>,
    /// Last id handed to a load, dry run or action.
    pub seq: u64,
    /// Every action taken and its outcome, newest last (the timeline reads
    /// `Msg::ActionDone`; this is what the pane shows).
    pub done: Vec<ActionRecord>,
}

/// How an action stands for the selected workload right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Availability {
    Available,
    /// Not possible here, with the reason shown beside the key.
    Disabled(String),
}

/// The access question for `kind`, asked without an object name.
fn check(kind: ActionKind, target: &WorkloadRef) -> AccessCheck {
    let mut c = kind.access(target);
    c.name.clear();
    c
}

/// Whether `kind` can be offered on `target` now, and why not.
pub fn availability(state: &State, kind: ActionKind, target: &WorkloadRef) -> Availability {
    if let Some(reason) = state.readonly {
        return Availability::Disabled(format!("read-only: {}", reason.describe()));
    }
    if !kind.applies_to(target.kind) {
        return Availability::Disabled(format!("a {:?} cannot {}", target.kind, kind.label()));
    }
    let workload = workload(state, target);
    match (kind, workload.map(|w| &w.rollout)) {
        (ActionKind::Pause, Some(Rollout::Paused)) => {
            return Availability::Disabled("already paused".into());
        }
        (ActionKind::Resume, Some(r)) if *r != Rollout::Paused => {
            return Availability::Disabled("not paused".into());
        }
        (ActionKind::Rollback | ActionKind::Restart, Some(Rollout::Paused)) => {
            return Availability::Disabled("paused: resume it first".into());
        }
        _ => {}
    }
    if state.rollouts.running.is_some() {
        return Availability::Disabled("another action is running".into());
    }
    match state.rollouts.access.get(&check(kind, target)) {
        Some(Access::Denied(why)) => Availability::Disabled(format!("forbidden: {why}")),
        _ => Availability::Available,
    }
}

fn workload<'a>(state: &'a State, target: &WorkloadRef) -> Option<&'a WorkloadInfo> {
    let key = crate::model::ObjectKey::new(&target.namespace, &target.name);
    state.cluster.workloads.get(&(target.kind, key))
}

/// Asks for the access reviews of every action on `target` not asked yet.
/// Nothing is asked in a read-only session: nothing would be offered.
pub fn review_access(state: &mut State, target: &WorkloadRef, effects: &mut Vec<Effect>) {
    if state.readonly.is_some() {
        return;
    }
    let checks: Vec<AccessCheck> = ActionKind::ALL
        .iter()
        .filter(|k| k.applies_to(target.kind))
        .map(|k| check(*k, target))
        .filter(|c| !state.rollouts.access.contains_key(c) && !state.rollouts.asked.contains(c))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if checks.is_empty() {
        return;
    }
    state.rollouts.asked.extend(checks.iter().cloned());
    effects.push(Effect::CheckAccess(checks));
}

/// `h`: the history pane of `target`.
pub fn open(state: &mut State, target: WorkloadRef, effects: &mut Vec<Effect>) {
    state.rollouts.seq += 1;
    let request = state.rollouts.seq;
    review_access(state, &target, effects);
    effects.push(Effect::LoadHistory {
        request,
        target: target.clone(),
    });
    state.rollouts.pane = Some(HistoryPane {
        target,
        request,
        loading: true,
        history: None,
        error: None,
        selected: 0,
        diff: TemplateDiff::default(),
        diff_scroll: 0,
        following: None,
    });
}

fn reload(state: &mut State, effects: &mut Vec<Effect>) {
    let Some(pane) = state.rollouts.pane.as_mut() else {
        return;
    };
    state.rollouts.seq += 1;
    pane.request = state.rollouts.seq;
    pane.loading = true;
    effects.push(Effect::LoadHistory {
        request: pane.request,
        target: pane.target.clone(),
    });
}

/// A history load answered.
pub fn loaded(state: &mut State, request: u64, result: Result<History, String>) {
    let Some(pane) = state.rollouts.pane.as_mut() else {
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
                .and_then(|h| h.revisions.get(pane.selected))
                .map(|r| r.number);
            pane.selected = keep
                .and_then(|n| history.revisions.iter().position(|r| r.number == n))
                .or_else(|| history.revisions.iter().position(|r| !r.current))
                .unwrap_or(0);
            pane.history = Some(history);
            pane.error = None;
            refresh_diff(pane);
        }
        Err(e) => pane.error = Some(e),
    }
    state.dirty = true;
}

fn refresh_diff(pane: &mut HistoryPane) {
    pane.diff_scroll = 0;
    pane.diff = match &pane.history {
        Some(h) => match (h.revisions.get(pane.selected), h.current()) {
            (Some(sel), Some(cur)) => template_diff::diff(&sel.template, &cur.template),
            _ => TemplateDiff::default(),
        },
        None => TemplateDiff::default(),
    };
}

/// Selects a revision (a click on it), with its diff. `from_oldest`
/// counts from the oldest revision, as the drawn list does.
pub fn select(state: &mut State, from_oldest: usize) {
    let Some(pane) = state.rollouts.pane.as_mut() else {
        return;
    };
    let n = pane.history.as_ref().map_or(0, |h| h.revisions.len());
    if from_oldest < n && n - 1 - from_oldest != pane.selected {
        pane.selected = n - 1 - from_oldest;
        refresh_diff(pane);
    }
}

/// Keys while the history pane is open.
pub fn pane_key(state: &mut State, action: Action, effects: &mut Vec<Effect>) {
    let Some(pane) = state.rollouts.pane.as_mut() else {
        return;
    };
    let n = pane.history.as_ref().map_or(0, |h| h.revisions.len());
    match action {
        Action::Up | Action::Down | Action::Top | Action::Bottom => {
            let before = pane.selected;
            pane.selected = match action {
                Action::Up => pane.selected.saturating_sub(1),
                Action::Down => (pane.selected + 1).min(n.saturating_sub(1)),
                Action::Top => 0,
                _ => n.saturating_sub(1),
            };
            if before != pane.selected {
                refresh_diff(pane);
            }
        }
        Action::PageDown => pane.diff_scroll = pane.diff_scroll.saturating_add(10),
        Action::PageUp => pane.diff_scroll = pane.diff_scroll.saturating_sub(10),
        Action::Reload => reload(state, effects),
        Action::CloseHistory | Action::Back => state.rollouts.pane = None,
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
    let Some(pane) = state.rollouts.pane.as_ref() else {
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
    let Some(selected) = history.revisions.get(pane.selected) else {
        return;
    };
    if selected.current {
        notice(
            state,
            Severity::Info,
            format!(
                "revision {} is the current one: choose an older revision to roll back to",
                selected.number
            ),
        );
        return;
    }
    let current = history.current();
    let changes = current
        .map(|c| template_diff::diff(&c.template, &selected.template).summary)
        .unwrap_or_default();
    let mutation = Mutation::Rollback {
        target: target.clone(),
        to_revision: selected.number,
        from_revision: current.map(|c| c.number),
    };
    propose(state, ActionKind::Rollback, mutation, changes, effects);
}

/// `s`, `r`, `z` on a workload (in the workloads view or the history pane).
pub fn workload_action(
    state: &mut State,
    action: Action,
    target: WorkloadRef,
    effects: &mut Vec<Effect>,
) {
    let paused = workload(state, &target).is_some_and(|w| w.rollout == Rollout::Paused);
    let kind = match action {
        Action::Scale => ActionKind::Scale,
        Action::Restart => ActionKind::Restart,
        Action::PauseResume if paused => ActionKind::Resume,
        Action::PauseResume => ActionKind::Pause,
        _ => return,
    };
    review_access(state, &target, effects);
    if let Availability::Disabled(why) = availability(state, kind, &target) {
        notice(state, Severity::Warning, format!("{}: {why}", kind.label()));
        return;
    }
    match kind {
        ActionKind::Scale => {
            let current = workload(state, &target).map_or(0, |w| w.desired);
            state.rollouts.pane.get_or_insert_with(|| HistoryPane {
                target: target.clone(),
                request: 0,
                loading: false,
                history: None,
                error: None,
                selected: 0,
                diff: TemplateDiff::default(),
                diff_scroll: 0,
                following: None,
            });
            state.prompt = Some(Prompt::new(PromptKind::Scale, &current.to_string()));
        }
        ActionKind::Restart => propose(
            state,
            kind,
            Mutation::Restart { target },
            Vec::new(),
            effects,
        ),
        ActionKind::Pause => propose(state, kind, Mutation::Pause { target }, Vec::new(), effects),
        ActionKind::Resume => propose(
            state,
            kind,
            Mutation::Resume { target },
            Vec::new(),
            effects,
        ),
        ActionKind::Rollback | ActionKind::Silence | ActionKind::ExpireSilence => {}
    }
}

/// The scale prompt's `enter`: a replica count, then the confirmation.
pub fn scale_entered(
    state: &mut State,
    text: &str,
    effects: &mut Vec<Effect>,
) -> Result<(), String> {
    let replicas: i32 = text
        .trim()
        .parse()
        .map_err(|_| format!("{:?} is not a number of replicas", text.trim()))?;
    if !(0..=10_000).contains(&replicas) {
        return Err(format!("{replicas} replicas: choose 0 to 10000"));
    }
    let Some(target) = state.rollouts.pane.as_ref().map(|p| p.target.clone()) else {
        return Err("no workload selected".into());
    };
    let from = workload(state, &target).map_or(0, |w| w.desired as i32);
    propose(
        state,
        ActionKind::Scale,
        Mutation::Scale {
            target,
            from,
            replicas,
        },
        Vec::new(),
        effects,
    );
    Ok(())
}

/// Whether `mutation` may be proposed now: a workload change by
/// [`availability`]; a silence only needs a writable session and no other
/// change running.
fn change_availability(state: &State, mutation: &Mutation) -> Availability {
    if let Some(target) = mutation.target() {
        return availability(state, mutation.kind(), target);
    }
    if let Some(reason) = state.readonly {
        return Availability::Disabled(format!("read-only: {}", reason.describe()));
    }
    if state.rollouts.running.is_some() {
        return Availability::Disabled("another action is running".into());
    }
    Availability::Available
}

/// Opens the confirmation of `mutation` and asks for its dry run. Every
/// change warroom makes starts here.
pub fn propose(
    state: &mut State,
    kind: ActionKind,
    mutation: Mutation,
    changes: Vec<String>,
    effects: &mut Vec<Effect>,
) {
    if let Availability::Disabled(why) = change_availability(state, &mutation) {
        notice(state, Severity::Warning, format!("{}: {why}", kind.label()));
        return;
    }
    state.rollouts.seq += 1;
    let id = state.rollouts.seq;
    let access = match mutation.target() {
        Some(t) => state.rollouts.access.get(&check(kind, t)).cloned(),
        // Alertmanager has no access review: the answer is the request's.
        None => None,
    };
    effects.push(Effect::DryRun {
        id,
        mutation: mutation.clone(),
    });
    state.rollouts.confirm = Some(Confirm {
        id,
        mutation,
        changes,
        dry_run: DryRun::Pending,
        access,
    });
}

/// Keys while a confirmation is open: `y` confirms (when allowed), `n` or
/// `esc` cancels, anything else does nothing.
pub fn confirm_key(state: &mut State, action: Action, effects: &mut Vec<Effect>) {
    let Some(confirm) = state.rollouts.confirm.as_ref() else {
        return;
    };
    match action {
        Action::Confirm => {
            if let Some(why) = confirm.blocked() {
                notice(state, Severity::Warning, format!("cannot confirm: {why}"));
                return;
            }
            let Some(confirm) = state.rollouts.confirm.take() else {
                return;
            };
            state.rollouts.running = Some(Running {
                id: confirm.id,
                mutation: confirm.mutation.clone(),
                from_pane: state.rollouts.pane.is_some(),
            });
            effects.push(Effect::Mutate {
                id: confirm.id,
                mutation: confirm.mutation,
            });
        }
        Action::Cancel | Action::Back => {
            state.rollouts.confirm = None;
            notice(
                state,
                Severity::Info,
                "cancelled: nothing was changed".into(),
            );
        }
        _ => {}
    }
}

/// The dry run of confirmation `id` answered.
pub fn dry_run_done(state: &mut State, id: u64, result: Result<ActionOutcome, ActionError>) {
    if let Some(c) = state.rollouts.confirm.as_mut().filter(|c| c.id == id) {
        c.dry_run = match result {
            Ok(outcome) => DryRun::Passed(outcome.message),
            Err(e) => DryRun::Failed(e),
        };
        state.dirty = true;
    }
}

/// Access reviews answered.
pub fn access_reviewed(state: &mut State, answers: Vec<(AccessCheck, Access)>) {
    for (check, access) in answers {
        state.rollouts.asked.remove(&check);
        if let Some(c) = state.rollouts.confirm.as_mut().filter(|c| {
            c.mutation
                .target()
                .is_some_and(|t| self::check(c.mutation.kind(), t) == check)
        }) {
            c.access = Some(access.clone());
        }
        state.rollouts.access.insert(check, access);
    }
    state.dirty = true;
}

/// An action answered: shown, recorded, and the pane follows the rollout.
pub fn action_done(state: &mut State, id: u64, record: ActionRecord, effects: &mut Vec<Effect>) {
    let from_pane = state
        .rollouts
        .running
        .as_ref()
        .filter(|r| r.id == id)
        .is_some_and(|r| r.from_pane);
    if state.rollouts.running.as_ref().is_some_and(|r| r.id == id) {
        state.rollouts.running = None;
    }
    let (severity, text) = match &record.result {
        Ok(outcome) => (Severity::Info, outcome.message.clone()),
        Err(e) => (
            Severity::Error,
            format!("{}: {e}", record.mutation.kind().label()),
        ),
    };
    notice(state, severity, text);
    let target = record.mutation.target().cloned();
    let kind = record.mutation.kind();
    let succeeded = record.result.is_ok();
    let mut change = super::recent::Change::new(
        record.at,
        super::recent::ChangeKind::Action,
        record.mutation.describe(),
        target.as_ref().map(|t| crate::model::event::ObjectRef {
            kind: format!("{:?}", t.kind),
            namespace: t.namespace.clone(),
            name: t.name.clone(),
        }),
        !succeeded,
    );
    change.actor = Some(record.user.clone());
    change.command = Some(record.kubectl.clone());
    change.result = Some(match &record.result {
        Ok(o) => o.message.clone(),
        Err(e) => e.to_string(),
    });
    super::incident::record(state, change);
    state.rollouts.done.push(record);
    if state.rollouts.done.len() > 100 {
        state.rollouts.done.remove(0);
    }
    if !succeeded {
        return;
    }
    // A silence changes the alert feed: ask again now rather than at the
    // next poll.
    let Some(target) = target else {
        effects.push(Effect::PollAlerts);
        return;
    };
    {
        match &state.rollouts.pane {
            Some(p) if p.target == target => reload(state, effects),
            // Closed while the change ran: the user looked elsewhere.
            None if from_pane => return,
            _ => open(state, target, effects),
        }
        if let Some(pane) = state.rollouts.pane.as_mut() {
            pane.following = Some(Follow {
                kind,
                progressed: false,
            });
        }
    }
}

/// Called on every workload change: a followed rollout that completes or
/// stalls is announced once, and the history reloads (new revisions).
pub fn workloads_changed(state: &mut State, effects: &mut Vec<Effect>) {
    let Some(pane) = state.rollouts.pane.as_ref() else {
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
    let text = match &w.rollout {
        Rollout::Progressing { .. } => {
            if let Some(f) = state
                .rollouts
                .pane
                .as_mut()
                .and_then(|p| p.following.as_mut())
            {
                f.progressed = true;
            }
            None
        }
        Rollout::Complete if !follow.progressed && !immediate => None,
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
        if let Some(pane) = state.rollouts.pane.as_mut() {
            pane.following = None;
        }
        notice(state, severity, text);
        reload(state, effects);
    }
}
