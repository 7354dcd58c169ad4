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
fn scale_asks_for_a_number_then_confirms() {
    let mut state = on_workload("frontend");
    let _ = update(&mut state, key('s'));
    let prompt = state.overlay.prompt().expect("a replicas prompt");
    assert_eq!(prompt.kind, PromptKind::Scale);
    assert_eq!(prompt.input, "3");
    let _ = update(
        &mut state,
        Msg::KeyPressed(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
    );
    let _ = update(&mut state, key('x'));
    let _ = update(&mut state, enter());
    assert!(state.overlay.prompt().unwrap().error.is_some());
    assert!(state.overlay.confirm().is_none());
    let _ = update(
        &mut state,
        Msg::KeyPressed(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
    );
    let _ = update(&mut state, key('5'));
    let effects = update(&mut state, enter());
    assert!(effects.iter().any(|e| matches!(
        e,
        Effect::DryRun {
            mutation: Mutation::Scale {
                from: 3,
                replicas: 5,
                ..
            },
            ..
        }
    )));
    let _ = update(&mut state, esc());
    assert!(state.overlay.confirm().is_none());
}

/// `frontend` in the shop, scaled by an HPA between 2 and 4, pinned at 4.
fn under_hpa() -> State {
    use crate::model::autoscaler::HpaInfo;
    use crate::model::pod_health::Condition;
    let mut state = on_workload("frontend");
    let h = HpaInfo {
        namespace: "shop".into(),
        name: "frontend-hpa".into(),
        target_kind: "Deployment".into(),
        target_name: "frontend".into(),
        min: 2,
        max: 4,
        current: 4,
        desired: 4,
        metrics: vec![],
        conditions: vec![Condition {
            kind: "ScalingLimited".into(),
            status: "True".into(),
            reason: Some("TooManyReplicas".into()),
            message: None,
            since: None,
        }],
        last_scale: None,
        created: None,
    };
    state.cluster.hpas.insert(h.key(), h);
    state
}

fn typed(state: &mut State, text: &str) -> Vec<Effect> {
    let p = state.overlay.prompt().expect("a prompt");
    for _ in 0..p.input.chars().count() {
        let _ = update(
            state,
            Msg::KeyPressed(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
        );
    }
    for c in text.chars() {
        let _ = update(state, key(c));
    }
    update(state, enter())
}

#[test]
fn scale_under_an_hpa_offers_its_bounds_and_changes_them_through_the_same_confirmation() {
    let mut state = under_hpa();
    let _ = update(&mut state, key('s'));
    let prompt = state.overlay.prompt().expect("a prompt");
    assert_eq!(prompt.input, "2-4");
    assert!(
        prompt
            .label
            .as_deref()
            .unwrap()
            .contains("the HPA frontend-hpa decides the replicas"),
        "{:?}",
        prompt.label
    );
    for (bad, why) in [
        ("0-4", "at least 1"),
        ("5-4", "above maximum"),
        ("2-4", "already scales between 2 and 4"),
        ("2-x", "not a number"),
    ] {
        let _ = typed(&mut state, bad);
        let error = state.overlay.prompt().and_then(|p| p.error.clone());
        assert!(
            error.as_deref().is_some_and(|e| e.contains(why)),
            "{bad}: {error:?}"
        );
    }
    let effects = typed(&mut state, "2-6");
    let (_, mutation) = dry_run(&effects);
    assert_eq!(
        mutation,
        Mutation::ScaleBounds {
            target: target("frontend"),
            hpa: "frontend-hpa".into(),
            from: (2, 4),
            min: 2,
            max: 6,
        }
    );
    assert_eq!(
        mutation.kubectl(),
        r#"kubectl patch hpa frontend-hpa -n shop -p '{"spec":{"minReplicas":2,"maxReplicas":6}}'"#
    );
    assert_eq!(
        mutation.access().unwrap().resource,
        "horizontalpodautoscalers"
    );
    assert_eq!(mutation.access().unwrap().name, "frontend-hpa");
    let confirm = state.overlay.confirm().expect("a confirmation");
    assert!(
        confirm
            .warnings
            .iter()
            .any(|w| w.contains("pinned at its maximum: it will add up to 2 pod(s)")),
        "{:?}",
        confirm.warnings
    );
    // Recorded against the HPA, not the workload.
    assert_eq!(mutation.object().unwrap().kind, "HorizontalPodAutoscaler");
    let _ = update(&mut state, esc());

    // Pinned, the new maximum is what it runs at: the quota must have room.
    quota_with_room(&mut state, 1);
    let live = state
        .cluster
        .pods_of(&target("frontend"))
        .filter(|p| !p.deleting && p.phase != "Succeeded" && p.phase != "Failed")
        .count();
    let _ = update(&mut state, key('s'));
    let _ = typed(&mut state, "2-9");
    let warnings = &state.overlay.confirm().expect("a confirmation").warnings;
    let expected = format!(
        "letting the HPA frontend-hpa run Deployment shop/frontend at 9 needs {} more pods; quota shop-quota allows 1",
        9 - live
    );
    assert!(
        warnings.iter().any(|w| w.starts_with(&expected)),
        "{expected} in {warnings:?}"
    );
}

#[test]
fn a_count_by_hand_under_an_hpa_is_still_a_scale_told_it_will_be_undone() {
    let mut state = under_hpa();
    let _ = update(&mut state, key('s'));
    let effects = typed(&mut state, "5");
    let (_, mutation) = dry_run(&effects);
    assert!(matches!(mutation, Mutation::Scale { replicas: 5, .. }));
    let confirm = state.overlay.confirm().unwrap();
    assert!(
        confirm
            .warnings
            .iter()
            .any(|w| w.contains("will undo this at its next sync")
                && w.contains("type its MIN-MAX at s instead (e.g. 2-6)")),
        "{:?}",
        confirm.warnings
    );
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

/// `shop-quota` in namespace shop with `left` pods of room.
fn quota_with_room(state: &mut State, left: u64) {
    use crate::model::cluster::Change;
    use crate::model::quota::{QuotaInfo, QuotaResource};
    let mut q = QuotaInfo {
        namespace: "shop".into(),
        name: "shop-quota".into(),
        ..QuotaInfo::default()
    };
    q.hard[QuotaResource::Pods as usize] = Some(20);
    q.used[QuotaResource::Pods as usize] = Some(20 - left);
    let _ = update(
        state,
        Msg::Cluster {
            generation: state.generation,
            change: ClusterChange::Quotas(Change::Applied(vec![q])),
        },
    );
}

#[test]
fn scale_and_rollback_warn_when_the_quota_leaves_too_little() {
    let mut state = on_workload("frontend");
    quota_with_room(&mut state, 1);
    // What the ReplicaSet counts as active: not ended, not being deleted.
    let live = state
        .cluster
        .pods_of(&target("frontend"))
        .filter(|p| !p.deleting && p.phase != "Succeeded" && p.phase != "Failed")
        .count();
    let _ = update(&mut state, key('s'));
    let _ = update(
        &mut state,
        Msg::KeyPressed(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
    );
    let _ = update(&mut state, key('9'));
    let _ = update(&mut state, enter());
    let warnings = &state.overlay.confirm().expect("a confirmation").warnings;
    let expected = format!(
        "scaling Deployment shop/frontend to 9 needs {} more pods; quota shop-quota allows 1",
        9 - live
    );
    assert!(
        warnings.iter().any(|w| w.starts_with(&expected)),
        "{expected} in {warnings:?}"
    );
    let _ = update(&mut state, esc());

    // Within the quota: nothing to say.
    let _ = update(&mut state, key('s'));
    let _ = update(
        &mut state,
        Msg::KeyPressed(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
    );
    let _ = update(&mut state, key(char::from(b'0' + live as u8 + 1)));
    let _ = update(&mut state, enter());
    let warnings = &state.overlay.confirm().expect("a confirmation").warnings;
    assert!(
        !warnings.iter().any(|w| w.contains("quota")),
        "{warnings:?}"
    );

    // A rollback's surge needs room too: cart has 3 replicas, 25% is 1.
    let mut state = history_open();
    quota_with_room(&mut state, 0);
    let _ = propose_rollback(&mut state);
    let warnings = &state.overlay.confirm().expect("a confirmation").warnings;
    assert!(
        warnings.iter().any(|w| w.starts_with(
            "the rollback starts new pods beside the old ones (maxSurge, 25% by default) and needs 1 more pod; quota shop-quota allows 0"
        )),
        "{warnings:?}"
    );
}
