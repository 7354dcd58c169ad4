//! Reducer tests of the rollout pane and the confirmation flow: nothing
//! changes without a passed dry run and a `y`, and a read-only session
//! produces no change, no dry run and no access review at all.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

use crate::config::ReadonlyReason;
use crate::keys::Action;
use crate::model::action::{ActionKind, ActionOutcome, Mutation};
use crate::model::history::{History, Revision};
use crate::model::workload::WorkloadKind;
use crate::state::actions::{DryRun, disabled};
use crate::state::fixtures;
use crate::state::*;
use crate::timeline::EntryKind;

fn key(c: char) -> Msg {
    Msg::KeyPressed(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn esc() -> Msg {
    Msg::KeyPressed(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE))
}

fn enter() -> Msg {
    Msg::KeyPressed(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))
}

/// The shop fixture in the workloads view with `name` selected.
fn on_workload(name: &str) -> State {
    let mut state = fixtures::shop();
    let _ = update(&mut state, key('2'));
    state.refresh_view();
    let i = state
        .workloads
        .rows
        .iter()
        .position(|(_, k)| k.name == name)
        .unwrap();
    state.workloads.cursor.selected = i;
    state
}

/// What a draw tells the reducer when it showed the open confirmation
/// whole (`true`) or could not (`false`).
fn drawn(state: &State, whole: bool) -> Msg {
    Msg::Drawn {
        table_rows: 10,
        layout: ScreenLayout {
            confirm: state
                .overlay
                .confirm()
                .filter(|_| whole)
                .map(|c| Box::new(c.clone())),
            ..ScreenLayout::default()
        },
        detail_scroll_max: 0,
    }
}

fn target(name: &str) -> WorkloadRef {
    WorkloadRef::new(WorkloadKind::Deployment, "shop", name)
}

fn revision(number: i64, image: &str, current: bool) -> Revision {
    Revision {
        number,
        name: format!("cart-{number}"),
        change_cause: Some(format!("deploy {image}")),
        images: vec![format!("cart={image}")],
        created: None,
        ready: Some(if current { 0 } else { 2 }),
        desired: Some(if current { 1 } else { 0 }),
        current,
        template: json!({"spec": {"containers": [{"name": "cart", "image": image}]}}),
    }
}

fn cart_history() -> History {
    History {
        target: target("cart"),
        revisions: vec![
            revision(7, "cart:2.1.0", true),
            revision(6, "cart:2.0.9", false),
            revision(5, "cart:2.0.8", false),
        ],
    }
}

fn mutations(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| {
            matches!(
                e,
                Effect::DryRun { .. } | Effect::Mutate { .. } | Effect::CheckAccess(_)
            )
        })
        .count()
}

/// The dry run `effects` ask for: its id and the change.
fn dry_run(effects: &[Effect]) -> (u64, Mutation) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::DryRun { id, mutation } => Some((*id, mutation.clone())),
            _ => None,
        })
        .expect("a dry run first")
}

/// `h` on cart, its history loaded, access allowed.
fn history_open() -> State {
    let mut state = on_workload("cart");
    let effects = update(&mut state, key('h'));
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadHistory { request, target } => {
                assert_eq!(*target, self::target("cart"));
                Some(*request)
            }
            _ => None,
        })
        .expect("a history load");
    let checks: Vec<_> = effects
        .iter()
        .find_map(|e| match e {
            Effect::CheckAccess(c) => Some(c.clone()),
            _ => None,
        })
        .expect("access reviews");
    let _ = update(
        &mut state,
        Msg::HistoryLoaded {
            request,
            result: Ok(cart_history()),
        },
    );
    let _ = update(
        &mut state,
        Msg::AccessReviewed(checks.into_iter().map(|c| (c, Access::Allowed)).collect()),
    );
    state
}

#[test]
fn the_history_opens_on_the_newest_revision_that_is_not_current() {
    let state = history_open();
    let pane = state.overlay.history().unwrap();
    assert!(!pane.loading);
    assert_eq!(pane.cursor.selected, 1, "revision 6 preselected");
    // A late answer to an older load changes nothing.
    let mut state = state;
    let _ = update(
        &mut state,
        Msg::HistoryLoaded {
            request: 0,
            result: Err("old".into()),
        },
    );
    assert!(state.overlay.history().unwrap().error.is_none());
}

#[test]
fn a_rollback_needs_a_passed_dry_run_and_a_y() {
    let mut state = history_open();
    let effects = update(&mut state, key('u'));
    let (id, mutation) = dry_run(&effects);
    assert_eq!(
        mutation,
        Mutation::Rollback {
            target: target("cart"),
            to_revision: 6,
            from_revision: Some(7),
        }
    );
    assert!(!effects.iter().any(|e| matches!(e, Effect::Mutate { .. })));
    // y before the dry run answered: nothing happens but a notice.
    let effects = update(&mut state, key('y'));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(crate::state::tests::last_notice(&state).contains("dry run"));
    // Other keys are swallowed by the dialog: q does not quit.
    assert!(!update(&mut state, key('q')).contains(&Effect::Quit));
    pass_dry_run(&mut state, id);
    let c = state.overlay.confirm().unwrap();
    assert!(matches!(c.dry_run, DryRun::Passed(_)));
    assert_eq!(c.blocked(), None);
    // Drawn whole with its passed dry run: now y makes the change.
    let msg = drawn(&state, true);
    let _ = update(&mut state, msg);
    let effects = update(&mut state, key('y'));
    assert_eq!(
        effects,
        vec![Effect::Mutate {
            id,
            mutation: mutation.clone()
        }]
    );
    assert!(state.overlay.confirm().is_none());
    assert!(state.actions.running.is_some());
    // While it runs, no second change is offered.
    let _ = update(&mut state, key('r'));
    assert!(state.overlay.confirm().is_none());

    let now = state.now;
    let effects = update(&mut state, done(id, mutation, now));
    assert!(state.actions.running.is_none());
    assert_eq!(state.actions.done.len(), 1);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadHistory { .. }))
    );
    let follow = state.overlay.history().unwrap().following.unwrap();
    assert_eq!(follow.kind, ActionKind::Rollback);
    assert_eq!(
        crate::state::tests::last_notice(&state),
        "deployment.apps/cart rolled back"
    );
}

/// The whole rollout may be seen before the answer to the change (a fast
/// controller, one batch of deltas): complete at a new revision is still
/// this rollback done, and said so.
#[test]
fn a_rollout_seen_complete_before_the_answer_is_announced() {
    use crate::model::cluster::{Change, ClusterChange};
    use crate::model::workload::Rollout;
    let mut state = history_open();
    let (id, mutation) = dry_run(&update(&mut state, key('u')));
    pass_dry_run(&mut state, id);
    let msg = drawn(&state, true);
    let _ = update(&mut state, msg);
    let _ = update(&mut state, key('y'));
    let key = (
        WorkloadKind::Deployment,
        crate::model::ObjectKey::new("shop", "cart"),
    );
    let mut cart = state.cluster.workloads[&key].clone();
    cart.revision = Some(cart.revision.unwrap_or(0) + 1);
    cart.ready = cart.desired;
    cart.updated = cart.desired;
    cart.available = cart.desired;
    cart.rollout = Rollout::Complete;
    let generation = state.generation;
    let _ = update(
        &mut state,
        Msg::Cluster {
            generation,
            change: ClusterChange::Workloads(WorkloadKind::Deployment, Change::Applied(vec![cart])),
        },
    );
    let now = state.now;
    let _ = update(&mut state, done(id, mutation, now));
    let said = crate::state::tests::last_notice(&state);
    assert!(
        said.starts_with("rollout of Deployment shop/cart complete"),
        "{said}"
    );
    assert!(state.overlay.history().unwrap().following.is_none());
}

#[test]
fn a_failed_dry_run_cannot_be_confirmed_and_n_changes_nothing() {
    let mut state = history_open();
    let (id, _) = dry_run(&update(&mut state, key('u')));
    let _ = update(
        &mut state,
        Msg::DryRunDone {
            id,
            result: Err(ActionError::Invalid(
                "spec.template.spec.containers[0].image: Required value".into(),
            )),
        },
    );
    assert!(update(&mut state, key('y')).is_empty());
    assert!(state.overlay.confirm().is_some());
    assert!(update(&mut state, key('n')).is_empty());
    assert!(state.overlay.confirm().is_none());
    assert!(crate::state::tests::last_notice(&state).contains("nothing was changed"));
}

#[test]
fn the_current_revision_is_not_a_rollback_target() {
    let mut state = history_open();
    let _ = update(&mut state, key('g'));
    assert_eq!(state.overlay.history().unwrap().cursor.selected, 0);
    let effects = update(&mut state, key('u'));
    assert_eq!(mutations(&effects), 0);
    assert!(state.overlay.confirm().is_none());
}

#[test]
fn pause_and_resume_follow_the_rollout_state() {
    let mut state = on_workload("payments");
    let effects = update(&mut state, key('z'));
    assert!(effects.iter().any(|e| matches!(
        e,
        Effect::DryRun {
            mutation: Mutation::Resume { .. },
            ..
        }
    )));
    let _ = update(&mut state, esc());
    // A paused deployment is not restarted or rolled back: resume first.
    let effects = update(&mut state, key('r'));
    assert!(!effects.iter().any(|e| matches!(e, Effect::DryRun { .. })));
    assert!(crate::state::tests::last_notice(&state).contains("resume it first"));
}

#[test]
fn a_denied_access_review_disables_the_action_with_its_reason() {
    let mut state = on_workload("frontend");
    let check = ActionKind::Restart.access(&target("frontend"));
    let mut check = check;
    check.name.clear();
    let _ = update(
        &mut state,
        Msg::AccessReviewed(vec![(
            check,
            Access::Denied("RBAC: user \"junior\" may only view".into()),
        )]),
    );
    let effects = update(&mut state, key('r'));
    assert!(!effects.iter().any(|e| matches!(e, Effect::DryRun { .. })));
    assert!(crate::state::tests::last_notice(&state).contains("may only view"));
}

#[test]
fn a_read_only_session_asks_nothing_and_changes_nothing() {
    let mut state = on_workload("cart");
    let _ = update(&mut state, Msg::Safety(Some(ReadonlyReason::Production)));
    let mut all = Vec::new();
    for c in ['s', 'r', 'z', 'h'] {
        all.extend(update(&mut state, key(c)));
    }
    let request = state.overlay.history().unwrap().request;
    let _ = update(
        &mut state,
        Msg::HistoryLoaded {
            request,
            result: Ok(cart_history()),
        },
    );
    for c in ['y', 'u', 's', 'r', 'z'] {
        all.extend(update(&mut state, key(c)));
    }
    assert_eq!(mutations(&all), 0, "{all:?}");
    assert!(state.overlay.confirm().is_none());
    assert!(crate::state::tests::last_notice(&state).contains("read-only"));
}

#[test]
fn switching_to_read_only_closes_a_pending_confirmation() {
    let mut state = history_open();
    let _ = update(&mut state, key('u'));
    assert!(state.overlay.confirm().is_some());
    let _ = update(&mut state, Msg::Safety(Some(ReadonlyReason::Flag)));
    assert!(state.overlay.confirm().is_none());
    assert!(update(&mut state, key('y')).is_empty());
}

#[test]
fn the_history_pane_catches_up_with_the_watched_workload() {
    let mut state = history_open();
    let loads = |effects: &[Effect]| {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::LoadHistory { request, .. } => Some(*request),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let key = (
        WorkloadKind::Deployment,
        crate::model::ObjectKey::new("shop", "cart"),
    );
    let mut cart = state.cluster.workloads[&key].clone();
    // Nothing the pane shows moved: no load.
    let same = Msg::Cluster {
        generation: state.generation,
        change: crate::model::cluster::ClusterChange::Workloads(
            WorkloadKind::Deployment,
            crate::model::cluster::Change::Applied(vec![cart.clone()]),
        ),
    };
    assert!(loads(&update(&mut state, same)).is_empty());
    // A rollback elsewhere made revision 8: the pane loads again, once
    // while that load runs, and again after it if the workload moved on.
    cart.revision = Some(8);
    let changed = |w: &crate::model::workload::WorkloadInfo, generation| Msg::Cluster {
        generation,
        change: crate::model::cluster::ClusterChange::Workloads(
            WorkloadKind::Deployment,
            crate::model::cluster::Change::Applied(vec![w.clone()]),
        ),
    };
    let generation = state.generation;
    let first = loads(&update(&mut state, changed(&cart, generation)));
    assert_eq!(first.len(), 1);
    cart.ready = 3;
    assert!(loads(&update(&mut state, changed(&cart, generation))).is_empty());
    let mut history = cart_history();
    history.revisions[0].current = false;
    let effects = update(
        &mut state,
        Msg::HistoryLoaded {
            request: first[0],
            result: Ok(history),
        },
    );
    assert_eq!(loads(&effects).len(), 1, "ready moved while it loaded");
}

#[test]
fn scale_then_esc_from_the_workloads_view_leaves_no_pane() {
    let mut state = on_workload("frontend");
    let _ = update(&mut state, key('s'));
    let _ = update(&mut state, esc());
    assert!(state.overlay.pane.is_none());
    assert!(state.overlay.dialog.is_none());
}

#[test]
fn the_confirmation_warns_of_scaling_to_zero_and_restarting_a_failing_template() {
    // cart's rollout is stalled: a restart would only make another
    // revision of the failing template.
    let mut state = on_workload("cart");
    let _ = update(&mut state, key('r'));
    let warnings = state
        .overlay
        .confirm()
        .expect("a confirmation")
        .warnings
        .clone();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("is stalled (ProgressDeadlineExceeded)"),
        "{warnings:?}"
    );
    assert!(warnings[0].contains("h, then u"), "{warnings:?}");
    let _ = update(&mut state, esc());

    let mut state = on_workload("frontend");
    let _ = update(&mut state, key('r'));
    assert!(
        state.overlay.confirm().unwrap().warnings.is_empty(),
        "a healthy restart"
    );
    let _ = update(&mut state, esc());
    let _ = update(&mut state, key('s'));
    let _ = update(
        &mut state,
        Msg::KeyPressed(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
    );
    let _ = update(&mut state, key('0'));
    let _ = update(&mut state, enter());
    let warnings = &state.overlay.confirm().expect("a confirmation").warnings;
    assert!(
        warnings[0].starts_with("0 replicas stops every pod of"),
        "{warnings:?}"
    );
}

/// `u` and `y` on revision 6 of cart in an open incident; returns the
/// confirmation's id and what `y` sent.
fn rolled_back() -> (State, u64, Mutation) {
    let mut state = history_open();
    let mut effects = Vec::new();
    crate::state::timeline::start(&mut state, "SEV2 cart stalled", &mut effects).unwrap();
    let effects = update(&mut state, key('u'));
    let (id, mutation) = dry_run(&effects);
    let _ = update(
        &mut state,
        Msg::DryRunDone {
            id,
            result: Ok(ActionOutcome {
                message: "ok (server dry run)".into(),
                revision_before: Some(7),
                revision_after: None,
            }),
        },
    );
    let shown = drawn(&state, true);
    let _ = update(&mut state, shown);
    let effects = update(&mut state, key('y'));
    assert_eq!(mutations(&effects), 1);
    (state, id, mutation)
}

/// cart as the watch reports it once the rollback made revision 8.
fn cart_at_revision_8(state: &State) -> Msg {
    let mut cart = state
        .cluster
        .workloads
        .values()
        .find(|w| w.name == "cart")
        .cloned()
        .unwrap();
    cart.revision = Some(8);
    cart.template = Some("8".into());
    cart.rollout = crate::model::workload::Rollout::Progressing {
        updated: 2,
        desired: 3,
    };
    Msg::Cluster {
        generation: 0,
        change: ClusterChange::Workloads(
            WorkloadKind::Deployment,
            crate::model::cluster::Change::Applied(vec![cart]),
        ),
    }
}

/// The API server's answer to rolling cart back, read at `at`.
fn done(id: u64, mutation: Mutation, at: jiff::Timestamp) -> Msg {
    Msg::ActionDone {
        id,
        record: ActionRecord {
            at,
            user: "oncall".into(),
            context: "prod-eu".into(),
            kubectl: mutation.kubectl(),
            mutation,
            result: Ok(ActionOutcome {
                message: "deployment.apps/cart rolled back".into(),
                revision_before: Some(7),
                revision_after: None,
            }),
        },
    }
}

#[test]
fn the_action_is_told_before_what_it_caused_even_when_the_watch_is_faster() {
    use crate::model::changes::ChangeKind;
    let (mut state, id, mutation) = rolled_back();
    let sent = state.now;
    // The console's clock moves on; the watch reports the new revision
    // before the API server's answer arrives, and the executor's clock read
    // a little later than the reducer's.
    let later = sent + jiff::SignedDuration::from_millis(700);
    let mut journal = Vec::new();
    for msg in [
        Msg::Ticked(later),
        cart_at_revision_8(&state),
        done(id, mutation, later),
    ] {
        for e in update(&mut state, msg) {
            if let Effect::AppendJournal(entries) = e {
                journal.extend(entries);
            }
        }
    }
    let told: Vec<(ChangeKind, jiff::Timestamp)> = state
        .changes
        .iter()
        .filter(|c| matches!(c.kind, ChangeKind::Action | ChangeKind::Rollout))
        .map(|c| (c.kind, c.at))
        .collect();
    assert_eq!(
        told,
        [(ChangeKind::Action, sent), (ChangeKind::Rollout, later)],
        "the action at the time it was sent, its effect after"
    );
    // (The detectors, judging on the tick, may add alerts about the shop.)
    let journal: Vec<_> = journal
        .into_iter()
        .filter(|e| matches!(e.kind, EntryKind::Action | EntryKind::Rollout))
        .collect();
    let kinds: Vec<EntryKind> = journal.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EntryKind::Action, EntryKind::Rollout]);
    assert!(journal[1].text.contains("rollout started, revision 7 → 8"));
}

#[test]
fn an_answer_that_never_comes_does_not_stop_the_record() {
    let (mut state, _, _) = rolled_back();
    let msg = cart_at_revision_8(&state);
    let _ = update(&mut state, msg);
    let started = |s: &State| {
        s.changes
            .iter()
            .any(|c| c.text.contains("rollout started, revision 7 → 8"))
    };
    assert!(!started(&state), "held for the answer");
    let now = state.now;
    let _ = update(
        &mut state,
        Msg::Ticked(now + jiff::SignedDuration::from_secs(5)),
    );
    assert!(!started(&state));
    let _ = update(
        &mut state,
        Msg::Ticked(now + jiff::SignedDuration::from_secs(11)),
    );
    assert!(started(&state), "told anyway");
}

/// `u` on revision 6 in the history pane: the rollback's confirmation
/// opens; returns its dry run's id.
fn propose_rollback(state: &mut State) -> u64 {
    let effects = update(state, key('u'));
    effects
        .iter()
        .find_map(|e| match e {
            Effect::DryRun { id, .. } => Some(*id),
            _ => None,
        })
        .expect("a dry run")
}

/// The server's dry run of `id` passed.
fn pass_dry_run(state: &mut State, id: u64) {
    let _ = update(
        state,
        Msg::DryRunDone {
            id,
            result: Ok(ActionOutcome {
                message: "deployment.apps/cart rolled back (server dry run)".into(),
                revision_before: Some(7),
                revision_after: None,
            }),
        },
    );
}

/// The rollback of revision 6, its dry run passed, not drawn yet.
fn passed_rollback() -> State {
    let mut state = history_open();
    let id = propose_rollback(&mut state);
    pass_dry_run(&mut state, id);
    state
}

#[test]
fn y_does_not_confirm_a_confirmation_the_screen_cut() {
    let mut state = passed_rollback();
    // The terminal was too small: the draw could not show it whole.
    let msg = drawn(&state, false);
    let _ = update(&mut state, msg);
    assert!(update(&mut state, key('y')).is_empty());
    assert!(
        state.overlay.confirm().is_some(),
        "still open, to cancel or enlarge"
    );
    assert!(
        crate::state::tests::last_notice(&state).contains("not wholly on screen"),
        "{:?}",
        state.notices
    );
    assert!(disabled(&state, Action::Confirm).is_some());
    // Never drawn at all (keys typed before the frame): the same.
    let mut state = passed_rollback();
    assert!(update(&mut state, key('y')).is_empty());
    // Drawn whole: y confirms.
    let msg = drawn(&state, true);
    let _ = update(&mut state, msg);
    assert_eq!(disabled(&state, Action::Confirm), None);
    let effects = update(&mut state, key('y'));
    assert!(
        matches!(effects.as_slice(), [Effect::Mutate { .. }]),
        "{effects:?}"
    );
}

#[test]
fn y_does_not_confirm_what_changed_since_it_was_drawn() {
    let mut state = history_open();
    let id = propose_rollback(&mut state);
    // Drawn whole while the dry run was pending ("cannot confirm" on screen)…
    let msg = drawn(&state, true);
    let _ = update(&mut state, msg);
    // …then the dry run passes and y comes before the next frame.
    pass_dry_run(&mut state, id);
    assert!(update(&mut state, key('y')).is_empty());
    assert!(crate::state::tests::last_notice(&state).contains("changed since it was drawn"));
    // Drawn as it is now, it can be confirmed.
    let msg = drawn(&state, true);
    let _ = update(&mut state, msg);
    assert!(matches!(
        update(&mut state, key('y')).as_slice(),
        [Effect::Mutate { .. }]
    ));
}

mod scale;
