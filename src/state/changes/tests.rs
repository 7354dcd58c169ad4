//! The what-changed ring as the reducer fills it, and its pane.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::changes::ChangeKind;
use crate::model::cluster::Change;
use crate::model::pod_health::Health;
use crate::model::pod_health::PodInfo;
use crate::state::fixtures;
use crate::state::*;

fn key(c: char) -> Msg {
    Msg::KeyPressed(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn pods(change: Change<Box<PodInfo>>) -> Msg {
    Msg::Cluster {
        generation: 0,
        change: ClusterChange::Pods(change),
    }
}

#[test]
fn pod_transitions_are_recorded_and_a_relist_records_nothing() {
    let mut state = fixtures::shop();
    let healthy = fixtures::pod("shop", "checkout-7d8f9c-9vbnm", "checkout");
    let _ = update(
        &mut state,
        pods(Change::Applied(vec![Box::new(healthy.clone())])),
    );
    let before = state.changes.len();
    let _ = update(
        &mut state,
        pods(Change::Applied(vec![Box::new(fixtures::not_ready_pod())])),
    );
    let last = state.changes.iter().last().unwrap();
    assert_eq!(state.changes.len(), before + 1);
    assert_eq!(last.kind, ChangeKind::Pod);
    assert!(last.bad);
    assert!(last.text.contains("Running but not Ready"), "{}", last.text);
    // Recovered.
    let mut ok = fixtures::not_ready_pod();
    ok.health = Health::Ok;
    ok.ready = 1;
    let _ = update(&mut state, pods(Change::Applied(vec![Box::new(ok)])));
    assert!(
        state
            .changes
            .iter()
            .last()
            .unwrap()
            .text
            .contains("recovered")
    );
    // A relist has no "before": nothing new.
    let n = state.changes.len();
    let _ = update(
        &mut state,
        pods(Change::Replaced(vec![Box::new(fixtures::not_ready_pod())])),
    );
    assert_eq!(state.changes.len(), n);
}

#[test]
fn the_pane_filters_by_kind_and_enter_opens_the_object() {
    let mut state = fixtures::shop();
    let healthy = fixtures::pod("shop", "checkout-7d8f9c-9vbnm", "checkout");
    let _ = update(&mut state, pods(Change::Applied(vec![Box::new(healthy)])));
    let _ = update(
        &mut state,
        pods(Change::Applied(vec![Box::new(fixtures::not_ready_pod())])),
    );
    let _ = update(&mut state, key('c'));
    assert!(state.overlay.changes().is_some());
    // K: warning first — no pod changes shown under it.
    let _ = update(&mut state, key('K'));
    let pane = state.overlay.changes().cloned().unwrap();
    assert_eq!(pane.kind, Some(ChangeKind::Warning));
    assert!(crate::state::changes::shown(&state, &pane).is_empty());
    let _ = update(&mut state, key('K'));
    let pane = state.overlay.changes().cloned().unwrap();
    assert_eq!(pane.kind, Some(ChangeKind::Pod));
    assert_eq!(crate::state::changes::shown(&state, &pane).len(), 1);
    let _ = update(
        &mut state,
        Msg::KeyPressed(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert!(state.overlay.changes().is_none());
    assert_eq!(state.view, View::Pods);
    assert_eq!(state.selected_pod().unwrap().name, "checkout-7d8f9c-9vbnm");
}

fn workloads(items: Vec<crate::model::workload::WorkloadInfo>) -> Msg {
    Msg::Cluster {
        generation: 0,
        change: ClusterChange::Workloads(
            crate::model::workload::WorkloadKind::Deployment,
            Change::Applied(items),
        ),
    }
}

fn frontend(state: &State) -> crate::model::workload::WorkloadInfo {
    state
        .cluster
        .workloads
        .values()
        .find(|w| w.name == "frontend")
        .cloned()
        .unwrap()
}

#[test]
fn pods_going_unready_under_the_same_revision_record_no_rollout() {
    use crate::model::workload::Rollout;
    let mut state = fixtures::shop();
    let before = state.changes.len();
    let mut down = frontend(&state);
    down.ready = 0;
    down.available = 0;
    down.unavailable = 3;
    let _ = update(&mut state, workloads(vec![down.clone()]));
    let mut back = down.clone();
    back.ready = 3;
    back.available = 3;
    back.unavailable = 0;
    let _ = update(&mut state, workloads(vec![back]));
    assert_eq!(
        state.changes.len(),
        before,
        "{:?}",
        state.changes.iter().collect::<Vec<_>>()
    );

    // A new revision is a rollout, started then complete.
    let mut rolling = frontend(&state);
    rolling.revision = Some(4);
    rolling.template = Some("4".into());
    rolling.rollout = Rollout::Progressing {
        updated: 1,
        desired: 3,
    };
    let _ = update(&mut state, workloads(vec![rolling.clone()]));
    rolling.rollout = Rollout::Complete;
    let _ = update(&mut state, workloads(vec![rolling]));
    let told: Vec<&str> = state.changes.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        told,
        [
            "Deployment shop/frontend: rollout started, revision 3 → 4 (registry.example.com/shop/frontend:1.4.2)",
            "Deployment shop/frontend: rollout complete, 3/3 ready",
        ]
    );
}

/// A console that has just connected: every watch still syncing.
fn connecting() -> State {
    let mut state = fixtures::shop();
    state.cluster = Default::default();
    let connection = state.connection.clone();
    let _ = update(
        &mut state,
        Msg::Cluster {
            generation: 0,
            change: ClusterChange::Connected(connection),
        },
    );
    state
}

fn listed(state: &mut State, change: ClusterChange) {
    let _ = update(
        state,
        Msg::Cluster {
            generation: 0,
            change,
        },
    );
}

#[test]
fn a_first_list_back_fills_what_the_cluster_still_knows() {
    let mut state = connecting();
    assert_eq!(state.changes.complete_since, None);
    let mut sets = fixtures::cart_replicasets();
    sets[1].created = Some(fixtures::ago(25 * 60));
    listed(
        &mut state,
        ClusterChange::ReplicaSets(Change::Replaced(sets.clone())),
    );
    listed(
        &mut state,
        ClusterChange::Pods(Change::Replaced(
            fixtures::shop_pods().into_iter().map(Box::new).collect(),
        )),
    );
    listed(
        &mut state,
        ClusterChange::Events(Change::Replaced(fixtures::shop_events())),
    );
    assert_eq!(state.changes.complete_since, Some(state.now));
    let told: Vec<(String, &str)> = state
        .changes
        .iter()
        .map(|c| (c.at.strftime("%H:%M").to_string(), c.text.as_str()))
        .collect();
    for (at, text) in [
        (
            "13:40",
            "Deployment shop/cart: rollout started, revision 6 → 7 (registry.example.com/shop/cart:2.1.0)",
        ),
        (
            "14:03",
            "shop/cart-5b6d7c-ll2zx: container app OOMKilled (exit 137)",
        ),
        (
            "14:01",
            "shop/checkout-7d8f9c-9vbnm: Running but not Ready (0/1)",
        ),
    ] {
        assert!(
            told.contains(&(at.to_string(), text)),
            "{at} {text} not in {told:?}"
        );
    }
    assert!(
        told.iter()
            .any(|(_, t)| t.starts_with("Unhealthy Pod/checkout-7d8f9c-9vbnm")),
        "{told:?}"
    );
    assert!(state.changes.iter().all(|c| c.at <= state.now));

    // The same lists again (switched away and back): nothing twice.
    let n = state.changes.len();
    state.cluster.watches.clear();
    listed(
        &mut state,
        ClusterChange::ReplicaSets(Change::Replaced(sets)),
    );
    listed(
        &mut state,
        ClusterChange::Events(Change::Replaced(fixtures::shop_events())),
    );
    assert_eq!(state.changes.len(), n);
}

#[test]
fn a_relist_after_an_outage_tells_the_incident_what_happened_meanwhile() {
    use crate::model::cluster::WatchHealth;
    let mut state = fixtures::shop();
    let mut effects = Vec::new();
    crate::state::timeline::start(&mut state, "SEV2 cart down -60m", &mut effects).unwrap();
    let down_since = fixtures::ago(10 * 60);
    state.cluster.watches.insert(
        crate::model::cluster::Resource::Pods,
        WatchHealth::Down {
            since: down_since,
            error: "connection reset".into(),
        },
    );
    let effects = update(
        &mut state,
        pods(Change::Replaced(
            fixtures::shop_pods().into_iter().map(Box::new).collect(),
        )),
    );
    let journaled: Vec<String> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::AppendJournal(entries) => Some(entries.iter().map(|e| e.text.clone())),
            _ => None,
        })
        .flatten()
        .collect();
    // The kill 2 minutes ago and the pod not Ready for 4: during the outage.
    assert_eq!(journaled.len(), 2, "{journaled:?}");
    assert!(journaled.iter().any(|t| t.contains("OOMKilled (exit 137)")));
    assert!(
        journaled
            .iter()
            .any(|t| t.contains("Running but not Ready"))
    );
    assert_eq!(state.changes.complete_since, Some(state.now));
}
