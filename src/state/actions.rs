//! The one safety model for every change warroom makes: a rollback, scale,
//! restart, pause or resume of a workload, and a silence in Alertmanager.
//!
//! A key never changes anything directly: it opens a confirmation. The
//! confirmation states the change in words and as kubectl, asks the API
//! server for a dry run (`dryRun=All`), and can be confirmed only when the
//! dry run passed and the access review did not deny it. In a read-only
//! session none of this starts: actions are shown disabled with the
//! reason. (The app's effect executor refuses changes in a read-only
//! session again, on its own.)

use std::collections::{BTreeMap, BTreeSet};

use crate::keys::Action;
use crate::model::action::{
    Access, AccessCheck, ActionError, ActionKind, ActionOutcome, ActionRecord, Mutation,
    WorkloadRef,
};
use crate::model::changes::{Change, ChangeKind};
use crate::model::pod_health::Health;
use crate::model::workload::{Rollout, WorkloadInfo};

use super::overlay::Dialog;
use super::update::notice;
use super::{Effect, Prompt, PromptKind, Severity, State};

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
    /// What this change may do that the user may not expect (scaling to
    /// zero, restarting a failing template), said before `y`.
    pub warnings: Vec<String>,
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
    /// When it was sent, on the console's clock: the time the record gives
    /// the action, before anything it caused.
    pub sent_at: jiff::Timestamp,
    /// The workload as it was when the change was sent.
    pub before: Option<super::history::Seen>,
}

/// How long what changed meanwhile waits for a running action's answer
/// before it is recorded anyway (a server that does not answer must not
/// stop the record).
const HOLD: jiff::SignedDuration = jiff::SignedDuration::from_secs(10);

/// The changes side of the State: what runs, what may, what was done.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Actions {
    pub running: Option<Running>,
    /// Access reviews by question (resource-level: no object names, so a
    /// namespace costs a handful of reviews, not one per workload).
    pub access: BTreeMap<AccessCheck, Access>,
    /// Reviews asked for and not answered yet.
    pub asked: BTreeSet<AccessCheck>,
    /// Last id handed to a load, dry run or action.
    pub seq: u64,
    /// Every action taken and its outcome, newest last (the timeline reads
    /// `Msg::ActionDone`; this is what the pane shows).
    pub done: Vec<ActionRecord>,
    /// Changes seen while an action runs, recorded after it: the action is
    /// told before what it caused.
    pub held: Vec<Change>,
}

impl Actions {
    /// A new id for a load, a dry run or an action.
    pub fn next_id(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }
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
        return Availability::Disabled(format!("a {} cannot {}", target.kind.name(), kind.label()));
    }
    match (kind, workload(state, target).map(|w| &w.rollout)) {
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
    if state.actions.running.is_some() {
        return Availability::Disabled("another action is running".into());
    }
    match state.actions.access.get(&check(kind, target)) {
        Some(Access::Denied(why)) => Availability::Disabled(format!("forbidden: {why}")),
        _ => Availability::Available,
    }
}

/// The action a key offers, on the workload it would act on: the history
/// pane's, else the one selected.
pub fn action_target(state: &State, action: Action) -> Option<(ActionKind, WorkloadRef)> {
    let history = state.overlay.history();
    let target = match history {
        Some(p) => p.target.clone(),
        None => super::selected_workload(state)?,
    };
    let paused = workload(state, &target).is_some_and(|w| w.rollout == Rollout::Paused);
    let kind = match action {
        Action::Rollback if history.is_some() => ActionKind::Rollback,
        Action::Scale => ActionKind::Scale,
        Action::Restart => ActionKind::Restart,
        Action::PauseResume if paused => ActionKind::Resume,
        Action::PauseResume => ActionKind::Pause,
        _ => return None,
    };
    Some((kind, target))
}

/// Why the change `action` stands for cannot be made now (help and hints
/// show it dimmed with this reason), or `None` when it can or is no change
/// at all.
pub fn disabled(state: &State, action: Action) -> Option<String> {
    if let Some(why) = super::browse::not_here(state, action) {
        return Some(why);
    }
    if action == Action::Confirm {
        return state
            .overlay
            .confirm()
            .and_then(|c| c.blocked().or_else(|| not_on_screen(state, c)));
    }
    let (kind, target) = action_target(state, action)?;
    match availability(state, kind, &target) {
        Availability::Available => None,
        Availability::Disabled(why) => Some(why),
    }
}

pub fn workload<'a>(state: &'a State, target: &WorkloadRef) -> Option<&'a WorkloadInfo> {
    let key = crate::model::ObjectKey::new(&target.namespace, &target.name);
    state.cluster.workloads.get(&(target.kind, key))
}

/// Asks for the access reviews of every action on `target` not asked yet.
/// Nothing is asked in a read-only session: nothing would be offered.
pub fn review_access(state: &mut State, target: &WorkloadRef, effects: &mut Vec<Effect>) {
    if state.readonly.is_some() {
        return;
    }
    let checks: BTreeSet<AccessCheck> = ActionKind::ALL
        .iter()
        .filter(|k| k.applies_to(target.kind))
        .map(|k| check(*k, target))
        .filter(|c| !state.actions.access.contains_key(c) && !state.actions.asked.contains(c))
        .collect();
    if checks.is_empty() {
        return;
    }
    state.actions.asked.extend(checks.iter().cloned());
    effects.push(Effect::CheckAccess(checks.into_iter().collect()));
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
    let mutation = match kind {
        ActionKind::Scale => {
            let current = workload(state, &target).map_or(0, |w| w.desired);
            // Under an HPA, a count by hand is undone at its next sync:
            // offer its bounds first.
            let mut prompt = match state.cluster.hpa_for(&target) {
                Some(h) => {
                    let mut p = Prompt::new(PromptKind::Scale, &format!("{}-{}", h.min, h.max));
                    p.label = Some(format!(
                        "the HPA {} decides the replicas; its MIN-MAX, or a count by hand: ",
                        h.name
                    ));
                    p
                }
                None => Prompt::new(PromptKind::Scale, &current.to_string()),
            };
            prompt.target = Some(target);
            state.overlay.dialog = Some(Dialog::Prompt(prompt));
            return;
        }
        ActionKind::Restart => Mutation::Restart { target },
        ActionKind::Pause => Mutation::Pause { target },
        ActionKind::Resume => Mutation::Resume { target },
        ActionKind::Rollback
        | ActionKind::ScaleBounds
        | ActionKind::Silence
        | ActionKind::ExpireSilence => return,
    };
    propose(state, kind, mutation, Vec::new(), effects);
}

/// `MIN-MAX` in the scale prompt of a workload an HPA scales.
fn bounds_entered(
    state: &mut State,
    target: WorkloadRef,
    min: &str,
    max: &str,
    effects: &mut Vec<Effect>,
) -> Result<(), String> {
    let number = |s: &str| {
        s.trim()
            .parse::<i32>()
            .map_err(|_| format!("{:?} is not a number of replicas", s.trim()))
    };
    let (min, max) = (number(min)?, number(max)?);
    // minReplicas 0 needs the HPAScaleToZero feature gate, off by default.
    if min < 1 {
        return Err(format!(
            "minimum {min}: an HPA scales from at least 1 replica"
        ));
    }
    if min > max {
        return Err(format!("minimum {min} is above maximum {max}"));
    }
    if max > 10_000 {
        return Err(format!("maximum {max}: choose at most 10000"));
    }
    let Some(h) = state.cluster.hpa_for(&target) else {
        return Err(format!(
            "no HPA scales {target} (any more): type a number of replicas"
        ));
    };
    if (h.min, h.max) == (min, max) {
        return Err(format!(
            "the HPA {} already scales between {min} and {max}",
            h.name
        ));
    }
    let mutation = Mutation::ScaleBounds {
        hpa: h.name.clone(),
        from: (h.min, h.max),
        target,
        min,
        max,
    };
    propose(
        state,
        ActionKind::ScaleBounds,
        mutation,
        Vec::new(),
        effects,
    );
    Ok(())
}

/// The scale prompt's `enter`: a replica count for `target`, then the
/// confirmation.
pub fn scale_entered(
    state: &mut State,
    target: Option<WorkloadRef>,
    text: &str,
    effects: &mut Vec<Effect>,
) -> Result<(), String> {
    if let Some((min, max)) = text.split_once('-')
        && !min.trim().is_empty()
    {
        let Some(target) = target else {
            return Err("no workload selected".into());
        };
        return bounds_entered(state, target, min, max, effects);
    }
    let replicas: i32 = text
        .trim()
        .parse()
        .map_err(|_| format!("{:?} is not a number of replicas", text.trim()))?;
    if !(0..=10_000).contains(&replicas) {
        return Err(format!("{replicas} replicas: choose 0 to 10000"));
    }
    let Some(target) = target else {
        return Err("no workload selected".into());
    };
    let from = workload(state, &target).map_or(0, |w| w.desired as i32);
    let mutation = Mutation::Scale {
        target,
        from,
        replicas,
    };
    propose(state, ActionKind::Scale, mutation, Vec::new(), effects);
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
    if state.actions.running.is_some() {
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
    let id = state.actions.next_id();
    let access = match mutation.target() {
        Some(t) => state.actions.access.get(&check(kind, t)).cloned(),
        // Alertmanager has no access review: the answer is the request's.
        None => None,
    };
    effects.push(Effect::DryRun {
        id,
        mutation: mutation.clone(),
    });
    let warnings = warnings(state, &mutation);
    state.overlay.dialog = Some(Dialog::Confirm(Box::new(Confirm {
        id,
        mutation,
        changes,
        warnings,
        dry_run: DryRun::Pending,
        access,
    })));
}

/// What a change may do that the person confirming it may not expect.
fn warnings(state: &State, mutation: &Mutation) -> Vec<String> {
    let mut out = Vec::new();
    let Some(target) = mutation.target() else {
        return out;
    };
    let w = workload(state, target);
    let pods = || state.cluster.pods_of(target);
    match mutation {
        Mutation::Scale { replicas, .. } => {
            if *replicas == 0 {
                out.push(format!(
                    "0 replicas stops every pod of {target}: it serves nothing until it is scaled up again"
                ));
            }
            if let Some(h) = state.cluster.hpa_for(target) {
                out.push(format!(
                    "the HPA {} manages the replicas of {target} ({} to {}) and will undo this at its next sync (every 15 s); to change how far it scales, cancel and type its MIN-MAX at s instead (e.g. {}-{})",
                    h.name,
                    h.min,
                    h.max,
                    h.min,
                    h.max.saturating_add(2)
                ));
            }
        }
        Mutation::ScaleBounds { hpa, min, max, .. } => {
            let current = w.map_or(0, |w| w.desired as i32);
            if current > *max {
                out.push(format!(
                    "{target} runs {current} replicas: the HPA {hpa} scales it down to {max} once its scale-down stabilization window (5 minutes by default) has passed"
                ));
            } else if current < *min {
                out.push(format!(
                    "{target} runs {current} replicas: the HPA {hpa} scales it up to {min} at its next sync (every 15 s)"
                ));
            }
            if let Some(h) = state.cluster.hpa_for(target)
                && h.pinned_at_max().is_some()
                && *max > h.max
            {
                out.push(format!(
                    "the HPA {hpa} is pinned at its maximum: it will add up to {} pod(s) at once; check that the nodes and the namespace's quota have room",
                    max - h.max
                ));
            }
        }
        Mutation::Restart { .. } => {
            let failing: Vec<&str> = pods()
                .filter(|p| p.health == Health::Failing)
                .map(|p| p.status.as_str())
                .collect();
            if let Some(Rollout::Stalled { reason, .. }) = w.map(|w| &w.rollout) {
                out.push(format!(
                    "the rollout of {target} is stalled ({reason}): a restart makes a new revision of the same failing template and replaces the pods still serving; rolling back to a revision that worked (h, then u) does not"
                ));
            } else if let Some(status) = failing.first() {
                out.push(format!(
                    "{} pod(s) of {target} are failing ({status}): a restart runs the same template and limits again, so it does not fix a crash or an OOM kill; it replaces the pods still serving",
                    failing.len()
                ));
            } else {
                let hour_ago = state.now - jiff::SignedDuration::from_hours(1);
                let killed = pods()
                    .filter(|p| {
                        p.last_termination.as_ref().is_some_and(|t| {
                            t.reason == "OOMKilled"
                                && t.finished_at.is_some_and(|at| at >= hour_ago)
                        })
                    })
                    .count();
                if killed > 0 {
                    out.push(format!(
                        "{killed} pod(s) of {target} were OOMKilled in the last hour: a restart runs the same template and limits again, so it does not fix an OOM kill"
                    ));
                }
            }
        }
        _ => {}
    }
    out.extend(quota::warnings(state, mutation));
    out
}

/// Why `y` cannot confirm `confirm` as the screen shows it: the last draw
/// did not show it whole (the terminal is too small), or it has changed
/// since (the dry run answered after the frame was drawn).
fn not_on_screen(state: &State, confirm: &Confirm) -> Option<String> {
    match state.layout.confirm.as_deref() {
        Some(shown) if shown == confirm => None,
        Some(shown) if shown.id == confirm.id => {
            Some("it changed since it was drawn: read it again".into())
        }
        _ => Some("it is not wholly on screen: enlarge the terminal".into()),
    }
}

/// Keys while a confirmation is open: `y` confirms (when allowed, and
/// only what the screen shows whole), `n` or `esc` cancels, anything else
/// does nothing.
pub fn confirm_key(state: &mut State, action: Action, effects: &mut Vec<Effect>) {
    let Some(confirm) = state.overlay.confirm() else {
        return;
    };
    match action {
        Action::Confirm => {
            if let Some(why) = confirm.blocked().or_else(|| not_on_screen(state, confirm)) {
                notice(state, Severity::Warning, format!("cannot confirm: {why}"));
                return;
            }
            let Some(Dialog::Confirm(confirm)) = state.overlay.dialog.take() else {
                return;
            };
            state.actions.running = Some(Running {
                id: confirm.id,
                mutation: confirm.mutation.clone(),
                from_pane: state.overlay.history().is_some(),
                sent_at: state.now,
                before: confirm
                    .mutation
                    .target()
                    .and_then(|t| super::history::seen(state, t)),
            });
            effects.push(Effect::Mutate {
                id: confirm.id,
                mutation: confirm.mutation,
            });
        }
        Action::Cancel | Action::Back => {
            state.overlay.close_confirm();
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
    if let Some(c) = state.overlay.confirm_mut().filter(|c| c.id == id) {
        c.dry_run = match result {
            Ok(outcome) => DryRun::Passed(outcome.message),
            Err(e) => DryRun::Failed(e),
        };
        state.dirty = true;
    }
}

/// Access reviews answered.
pub fn access_reviewed(state: &mut State, answers: Vec<(AccessCheck, Access)>) {
    for (asked, access) in answers {
        state.actions.asked.remove(&asked);
        if let Some(c) = state.overlay.confirm_mut().filter(|c| {
            c.mutation
                .target()
                .is_some_and(|t| check(c.mutation.kind(), t) == asked)
        }) {
            c.access = Some(access.clone());
        }
        state.actions.access.insert(asked, access);
    }
    state.dirty = true;
}

/// An action answered: shown, recorded, and the history pane follows the
/// rollout it started.
pub fn action_done(state: &mut State, id: u64, record: ActionRecord, effects: &mut Vec<Effect>) {
    let running = state.actions.running.take_if(|r| r.id == id);
    let sent_at = running.as_ref().map_or(record.at, |r| r.sent_at);
    let from_pane = running.as_ref().is_some_and(|r| r.from_pane);
    let before = running.and_then(|r| r.before);
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
    let mut change = Change::new(
        sent_at,
        ChangeKind::Action,
        record.mutation.describe(),
        record.mutation.object(),
        !succeeded,
    );
    change.actor = Some(record.user.clone());
    change.command = Some(record.kubectl.clone());
    change.result = Some(match &record.result {
        Ok(o) => o.message.clone(),
        Err(e) => e.to_string(),
    });
    super::timeline::record(state, change);
    release_held(state);
    state.actions.done.push(record);
    if state.actions.done.len() > 100 {
        state.actions.done.remove(0);
    }
    if !succeeded {
        return;
    }
    match target {
        // New bounds start no rollout: the HPA acts at its next sync,
        // which the workload's detail and the watch show.
        Some(_) if kind == ActionKind::ScaleBounds => {}
        Some(target) => super::history::follow(state, target, kind, from_pane, before, effects),
        // A silence changes the alert feed: ask again now rather than at
        // the next poll.
        None => effects.push(Effect::PollAlerts),
    }
}

/// Whether changes seen now wait for the running action's answer.
fn holding(state: &State) -> bool {
    state
        .actions
        .running
        .as_ref()
        .is_some_and(|r| state.now.duration_since(r.sent_at) < HOLD)
}

/// Whether `change`, seen now, waits for the running action's answer.
pub(super) fn holds(state: &State, change: &Change) -> bool {
    change.kind != ChangeKind::Action && holding(state)
}

/// At each tick: an answer that takes too long lets what waited go.
pub(super) fn tick(state: &mut State) {
    if !state.actions.held.is_empty() && !holding(state) {
        release_held(state);
    }
}

/// Records what waited for an action (its answer came, or too long passed).
fn release_held(state: &mut State) {
    for change in std::mem::take(&mut state.actions.held) {
        super::timeline::record(state, change);
    }
}

mod quota;

#[cfg(test)]
mod tests;
