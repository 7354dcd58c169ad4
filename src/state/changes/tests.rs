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
