//! Scaling: a count by hand, an HPA's bounds instead, and what the
//! namespace's quota leaves for either (and for a rollback's surge).

use super::*;

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
