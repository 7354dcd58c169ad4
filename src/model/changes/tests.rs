use super::*;

fn at(min: i64) -> Timestamp {
    Timestamp::from_second(1_700_000_000 + min * 60).unwrap()
}

fn change(min: i64) -> Change {
    Change::new(at(min), ChangeKind::Pod, format!("t{min}"), None, false)
}

#[test]
fn the_ring_keeps_time_order_two_hours_and_a_cap() {
    let mut r = Ring::default();
    r.push(change(10), at(10));
    r.push(change(5), at(10));
    r.push(change(12), at(12));
    let order: Vec<_> = r.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(order, ["t5", "t10", "t12"]);
    r.push(change(131), at(131));
    let order: Vec<_> = r.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(order, ["t12", "t131"], "older than two hours let go");
    assert_eq!(r.since(at(100)).count(), 1);
    for i in 0..(CAPACITY as i64 + 5) {
        r.push(change(130), at(130 + i / 1000));
    }
    assert_eq!(r.len(), CAPACITY);
    assert!(r.dropped >= 5);
}

use crate::model::fixtures::shop::{
    ago, cart_replicasets, crashing_pod, not_ready_pod, now, pod, shop_events, shop_workloads,
};

fn texts(changes: &[Change]) -> Vec<&str> {
    changes.iter().map(|c| c.text.as_str()).collect()
}

#[test]
fn a_kill_is_told_before_the_back_off_it_causes() {
    let running = pod("shop", "cart-5b6d7c-ll2zx", "cart");
    let crashing = crashing_pod();
    // The console's clock lags the kubelet's: the update is seen "before"
    // the kill it reports.
    let killed_at = crashing.last_termination.as_ref().unwrap().finished_at;
    let stale_now = ago(3 * 60);
    let out = pod_changes(&running, &crashing, stale_now, None);
    assert_eq!(
        texts(&out),
        [
            "shop/cart-5b6d7c-ll2zx: container app OOMKilled (exit 137)",
            "shop/cart-5b6d7c-ll2zx: CrashLoopBackOff",
        ]
    );
    assert_eq!(Some(out[0].at), killed_at, "the kill at its finishedAt");
    assert!(
        out[1].at >= out[0].at,
        "the back-off no earlier than the kill"
    );

    // The kill seen while it is the container's current state (status
    // OOMKilled) is the same kill as the last state after the restart.
    let mut terminated = running.clone();
    terminated.status = "OOMKilled".into();
    terminated.health = Health::Failing;
    terminated.last_termination = crashing.last_termination.clone();
    let out = pod_changes(&running, &terminated, now(), None);
    assert_eq!(
        texts(&out),
        ["shop/cart-5b6d7c-ll2zx: container app OOMKilled (exit 137)"]
    );
    assert!(pod_changes(&terminated, &crashing, now(), None).len() == 1);
}

#[test]
fn running_but_not_ready_is_told_once_a_spell() {
    let ok = pod("shop", "checkout-7d8f9c-9vbnm", "checkout");
    let not_ready = not_ready_pod();
    let out = pod_changes(&ok, &not_ready, now(), None);
    assert_eq!(
        texts(&out),
        ["shop/checkout-7d8f9c-9vbnm: Running but not Ready (0/1)"]
    );
    assert_eq!(Some(out[0].at), not_ready.ready_changed);
    // Killed by its liveness probe meanwhile, back-off told, running again,
    // still not Ready since the same moment: nothing new.
    let mut restarting = not_ready.clone();
    restarting.status = "ContainerCreating".into();
    restarting.health = Health::Progressing;
    let told = Some(ago(60));
    assert!(pod_changes(&restarting, &not_ready, now(), told).is_empty());
    // A spell that began well after the last problem told is news.
    let mut later = not_ready.clone();
    later.ready_changed = Some(ago(10));
    assert_eq!(pod_changes(&restarting, &later, now(), told).len(), 1);

    // Ready again: recovered. Ending (deleted) or finished: nothing.
    assert!(texts(&pod_changes(&not_ready, &ok, now(), None))[0].contains("recovered"));
    let mut ending = ok.clone();
    ending.deleting = true;
    assert!(pod_changes(&not_ready, &ending, now(), None).is_empty());
    let mut finished = ok.clone();
    finished.status = "Completed".into();
    finished.ready = 0;
    assert!(pod_changes(&not_ready, &finished, now(), None).is_empty());
}

fn deployment(name: &str) -> WorkloadInfo {
    shop_workloads()
        .into_iter()
        .find(|w| w.name == name)
        .unwrap()
}

#[test]
fn lost_availability_is_no_rollout_and_a_new_revision_is() {
    let healthy = deployment("frontend");
    let mut down = healthy.clone();
    down.ready = 0;
    down.available = 0;
    down.unavailable = 3;
    assert!(workload_changes(&healthy, &down, now()).is_empty());
    assert!(workload_changes(&down, &healthy, now()).is_empty());

    let mut rolling = healthy.clone();
    rolling.revision = Some(4);
    rolling.template = Some("4".into());
    rolling.updated = 1;
    rolling.rollout = Rollout::Progressing {
        updated: 1,
        desired: 3,
    };
    assert_eq!(
        texts(&workload_changes(&healthy, &rolling, now())),
        [
            "Deployment shop/frontend: rollout started, revision 3 → 4 (registry.example.com/shop/frontend:1.4.2)"
        ]
    );
    let mut done = rolling.clone();
    done.updated = 3;
    done.rollout = Rollout::Complete;
    assert_eq!(
        texts(&workload_changes(&rolling, &done, now())),
        ["Deployment shop/frontend: rollout complete, 3/3 ready"]
    );
}

#[test]
fn a_stall_read_with_a_new_template_belongs_to_the_old_one() {
    let stalled = deployment("cart");
    let mut rolled_back = stalled.clone();
    rolled_back.revision = Some(8);
    rolled_back.template = Some("8".into());
    // As if the status still carried the old deadline.
    let mut progressing = stalled.clone();
    progressing.rollout = Rollout::Progressing {
        updated: 1,
        desired: 3,
    };
    let out = workload_changes(&progressing, &rolled_back, now());
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(out[0].text.contains("rollout started, revision 7 → 8"));
    // The same stall read again without a new template is one stall.
    assert!(workload_changes(&stalled, &stalled, now()).is_empty());
    let out = workload_changes(&progressing, &stalled, now());
    assert!(
        out[0]
            .text
            .contains("rollout stalled: ProgressDeadlineExceeded")
    );
}

#[test]
fn a_daemonset_rolls_when_pods_of_an_older_template_appear() {
    let done = deployment("node-exporter");
    let mut rolling = done.clone();
    rolling.updated = 1;
    rolling.rollout = Rollout::Progressing {
        updated: 1,
        desired: 3,
    };
    assert_eq!(
        texts(&workload_changes(&done, &rolling, now())),
        ["DaemonSet shop/node-exporter: rollout started (quay.io/prometheus/node-exporter:v1.8.2)"]
    );
}

#[test]
fn a_list_back_fills_revisions_kills_not_ready_pods_and_warnings() {
    let since = ago(2 * 3600);
    // cart: revision 6 made 6h ago (outside), 7 made 7h ago… both outside.
    assert!(backfill_revisions(&cart_replicasets(), since).is_empty());
    let mut sets = cart_replicasets();
    sets[1].created = Some(ago(20 * 60));
    let out = backfill_revisions(&sets, since);
    assert_eq!(
        texts(&out),
        [
            "Deployment shop/cart: rollout started, revision 6 → 7 (registry.example.com/shop/cart:2.1.0)"
        ]
    );
    assert_eq!(out[0].at, ago(20 * 60));
    // A rollback took revision 5's ReplicaSet back as 8: it was made as 5.
    sets[0].revision = Some(8);
    sets[0].revision_history = vec![5];
    sets[0].created = Some(ago(30 * 60));
    let out = backfill_revisions(&sets, since);
    assert!(
        texts(&out).contains(&"Deployment shop/cart: rollout started, revision 5 (registry.example.com/shop/cart:2.0.9)"),
        "{out:?}"
    );

    let crashing = crashing_pod();
    assert_eq!(
        texts(&backfill_pod(&crashing, since, now())),
        ["shop/cart-5b6d7c-ll2zx: container app OOMKilled (exit 137)"]
    );
    assert!(
        backfill_pod(&crashing, ago(60), now()).is_empty(),
        "too old"
    );
    assert_eq!(backfill_pod(&not_ready_pod(), since, now()).len(), 1);

    let events = shop_events();
    // Warnings last seen 30 s, 45 s and 2 min ago are in; 3 and 5 min ago
    // are not; normal events never.
    let warned: Vec<Change> = events
        .iter()
        .filter_map(|e| backfill_warning(e, ago(150), now()))
        .collect();
    let reasons: Vec<&str> = texts(&warned)
        .into_iter()
        .map(|t| t.split(' ').next().unwrap())
        .collect();
    assert_eq!(reasons, ["BackOff", "Unhealthy", "OOMKilling"]);
    assert!(warned.iter().all(|c| c.at >= ago(150) && c.bad));
}

#[test]
fn the_ring_knows_what_it_holds_and_the_last_problem_of_a_pod() {
    let mut r = Ring::default();
    let p = not_ready_pod();
    let c = pod_changes(&pod("shop", &p.name, "checkout"), &p, now(), None).remove(0);
    r.push(c.clone(), now());
    assert!(r.contains(&c, SignedDuration::ZERO));
    let mut moved = c.clone();
    moved.at = c.at + SignedDuration::from_secs(30);
    assert!(!r.contains(&moved, SignedDuration::ZERO));
    assert!(r.contains(&moved, SignedDuration::from_mins(1)));
    assert_eq!(r.pod_problem("shop", &p.name), p.ready_changed);
    // Two hours on, it is gone, and so is what it told.
    r.push(change(0), now() + WINDOW + SignedDuration::from_mins(5));
    assert_eq!(r.pod_problem("shop", &p.name), None);
}

#[test]
fn an_hpa_says_why_it_rescaled_and_when_it_is_pinned_or_cannot_scale() {
    use crate::model::autoscaler::HpaInfo;
    use crate::model::pod_health::Condition;
    let now: jiff::Timestamp = "2026-12-07T10:00:00Z".parse().unwrap();
    let hpa = |desired: i32, current: i32, conditions: Vec<Condition>| HpaInfo {
        namespace: "production".into(),
        name: "api-server".into(),
        target_kind: "Deployment".into(),
        target_name: "api-server".into(),
        min: 3,
        max: 6,
        current,
        desired,
        metrics: vec!["cpu 246%/70%".into()],
        conditions,
        last_scale: None,
        created: None,
    };
    let cond = |kind: &str, status: &str, reason: &str| Condition {
        kind: kind.to_string().into(),
        status: status.to_string().into(),
        reason: Some(reason.into()),
        message: None,
        since: None,
    };
    let texts = |c: Vec<Change>| c.into_iter().map(|c| (c.text, c.bad)).collect::<Vec<_>>();
    assert_eq!(
        texts(hpa_changes(&hpa(3, 3, vec![]), &hpa(6, 3, vec![]), now)),
        [(
            "HPA production/api-server: wants 3 → 6 replicas of Deployment api-server (cpu 246%/70%)".to_string(),
            false
        )]
    );
    let pinned = vec![cond("ScalingLimited", "True", "TooManyReplicas")];
    assert_eq!(
        texts(hpa_changes(&hpa(6, 6, vec![]), &hpa(6, 6, pinned.clone()), now)),
        [(
            "HPA production/api-server: at its maximum (6) and the load wants more (ScalingLimited TooManyReplicas)".to_string(),
            true
        )]
    );
    // Still pinned: nothing new.
    assert!(hpa_changes(&hpa(6, 6, pinned.clone()), &hpa(6, 6, pinned), now).is_empty());
    let blind = vec![cond("ScalingActive", "False", "FailedGetResourceMetric")];
    let c = hpa_changes(&hpa(3, 3, vec![]), &hpa(3, 3, blind), now);
    assert_eq!(c.len(), 1);
    assert!(
        c[0].bad && c[0].text.contains("cannot scale: FailedGetResourceMetric"),
        "{c:?}"
    );
    assert_eq!(
        c[0].object.as_ref().unwrap().kind,
        "HorizontalPodAutoscaler"
    );
}
