//! Where keys go: the alerts view acts on the alert's object, the incident
//! keys and the pane-opening keys work over any pane, a main-screen key
//! over a pane says why it does nothing, and `not_here` (what help dims)
//! agrees with what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::keys::{Action, Mode, PodColumn};
use crate::model::alert::{AlertReport, TargetKind};
use crate::model::log_stream::LogTarget;
use crate::model::workload::WorkloadKind;
use crate::state::fixtures::{self, alert};
use crate::state::overlay::Pane;
use crate::state::*;

fn key(c: char) -> Msg {
    Msg::KeyPressed(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(code: KeyCode) -> Msg {
    Msg::KeyPressed(KeyEvent::new(code, KeyModifiers::NONE))
}

const CART_POD: &str = "cart-5b6d7c-ll2zx";

/// The shop in the alerts view, one critical OOMKilled alert about a cart
/// pod selected.
fn alerting() -> State {
    let mut state = fixtures::shop_with_alertmanager();
    let at = state.now;
    let report = AlertReport {
        alerts: vec![alert("KubeContainerOOMKilled", "critical", CART_POD)],
        failures: Vec::new(),
        failed: Vec::new(),
    };
    let _ = update(
        &mut state,
        Msg::AlertsPolled {
            feed: 1,
            at,
            report,
        },
    );
    let _ = update(&mut state, key('5'));
    state.refresh_view();
    let target = super::super::alerts::selected(&state).unwrap().targets()[0].clone();
    assert_eq!(
        (target.kind, target.name.as_str()),
        (TargetKind::Pod, CART_POD)
    );
    state
}

fn last_notice(state: &State) -> String {
    state
        .notices
        .back()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

#[test]
fn in_the_alerts_view_l_h_and_e_act_on_the_alerts_object() {
    let mut state = alerting();
    let effects = update(&mut state, key('l'));
    let opened = effects.iter().find_map(|e| match e {
        Effect::OpenLogs { request, .. } => Some(request.target.clone()),
        _ => None,
    });
    assert_eq!(
        opened,
        Some(LogTarget::Pod {
            namespace: "shop".into(),
            pod: CART_POD.into(),
            container: None
        })
    );
    assert!(matches!(state.overlay.pane, Some(Pane::Logs(_))));

    let _ = update(&mut state, code(KeyCode::Esc));
    let effects = update(&mut state, key('h'));
    let history = effects.iter().find_map(|e| match e {
        Effect::LoadHistory { target, .. } => Some(target.clone()),
        _ => None,
    });
    let history = history.expect("h loads the history of the pod's workload");
    assert_eq!(
        (history.kind, history.name.as_str()),
        (WorkloadKind::Deployment, "cart")
    );

    let _ = update(&mut state, code(KeyCode::Esc));
    let _ = update(&mut state, key('E'));
    assert_eq!(state.view, View::Events);
    let object = state
        .events
        .object
        .clone()
        .expect("events of the alert's pod");
    assert_eq!(
        (object.kind.as_str(), object.name.as_str()),
        ("Pod", CART_POD)
    );
}

#[test]
fn incident_keys_work_over_every_pane() {
    let mut state = fixtures::shop();
    let _ = update(&mut state, key('l'));
    assert!(matches!(state.overlay.pane, Some(Pane::Logs(_))));
    let _ = update(&mut state, key('i'));
    assert_eq!(
        state.overlay.prompt().map(|p| p.kind),
        Some(PromptKind::StartIncident),
        "i declares from the logs pane"
    );
    for c in "SEV2 checkout not ready".chars() {
        let _ = update(&mut state, key(c));
    }
    let _ = update(&mut state, code(KeyCode::Enter));
    assert!(state.timeline.open.is_some());
    assert!(
        matches!(state.overlay.pane, Some(Pane::Logs(_))),
        "the pane stays"
    );

    // `h` over the logs pane: the history pane replaces it, streams stop.
    let effects = update(&mut state, key('h'));
    assert!(effects.contains(&Effect::CloseLogs), "{effects:?}");
    assert!(matches!(state.overlay.pane, Some(Pane::History(_))));
    let _ = update(&mut state, key('n'));
    assert!(
        matches!(state.overlay.dialog, Some(overlay::Dialog::Note(_))),
        "n notes from the history pane"
    );
    let _ = update(&mut state, code(KeyCode::Esc));
    let effects = update(&mut state, key('m'));
    let marked = effects.iter().any(|e| {
        matches!(e, Effect::AppendJournal(entries) if entries.iter().any(|e| e.text.starts_with("mark: ")))
    });
    assert!(marked, "m marks from the history pane: {effects:?}");
    let _ = update(&mut state, key('c'));
    assert!(matches!(state.overlay.pane, Some(Pane::Changes(_))));
    let _ = update(&mut state, key('I'));
    assert!(matches!(state.overlay.pane, Some(Pane::Timeline(_))));
    // A view key closes the pane and shows the view.
    let _ = update(&mut state, key('2'));
    assert!(state.overlay.pane.is_none());
    assert_eq!(state.view, View::Workloads);
}

#[test]
fn a_main_screen_key_over_a_pane_says_why_it_does_nothing() {
    let mut state = fixtures::shop();
    let _ = update(&mut state, key('c'));
    let sort = state.pods.sort;
    // `S` sorts the pods view by status; over the what-changed pane it
    // does not, and says so.
    let _ = update(&mut state, key('S'));
    assert_eq!(state.pods.sort, sort);
    assert!(matches!(state.overlay.pane, Some(Pane::Changes(_))));
    assert_eq!(
        last_notice(&state),
        "sort by status works on the main screen: esc closes this pane"
    );
}

#[test]
fn end_scrolls_the_focused_detail_pane_not_the_table() {
    let mut state = fixtures::shop();
    let _ = update(&mut state, code(KeyCode::Tab));
    assert_eq!(state.focus, Focus::Detail);
    let _ = update(&mut state, key('G'));
    assert_eq!(state.pods.cursor.selected, 0);
    assert_eq!(
        state.detail_scroll,
        u16::MAX,
        "drawing clamps it to the last page"
    );
    let _ = update(&mut state, code(KeyCode::Home));
    assert_eq!(state.detail_scroll, 0);
    let _ = update(&mut state, code(KeyCode::Tab));
    let _ = update(&mut state, code(KeyCode::End));
    assert_eq!(state.pods.cursor.selected, state.row_count() - 1);
}

#[test]
fn not_here_agrees_with_where_keys_work() {
    let mut state = fixtures::shop();
    let sort = Action::SortBy(PodColumn::Status);
    assert_eq!(not_here(&state, Mode::Pods, sort), None);
    assert_eq!(
        not_here(&state, Mode::PodsAndWorkloads, Action::OpenLogs),
        None
    );
    assert_eq!(
        not_here(&state, Mode::Workloads, Action::Scale).as_deref(),
        Some("in the workloads view (2), or the history pane (h)")
    );
    assert_eq!(
        not_here(&state, Mode::Logs, Action::ToggleFollow).as_deref(),
        Some("in the logs pane (l)")
    );
    let _ = update(&mut state, key('l'));
    assert_eq!(not_here(&state, Mode::Logs, Action::ToggleFollow), None);
    assert_eq!(not_here(&state, Mode::Table, Action::ToggleIncident), None);
    assert_eq!(
        not_here(&state, Mode::PodsAndWorkloads, Action::OpenHistory),
        None
    );
    assert_eq!(
        not_here(&state, Mode::Pods, sort).as_deref(),
        Some("on the main screen: esc closes this pane")
    );
    // In the events view, a pod's keys are elsewhere.
    let _ = update(&mut state, key('3'));
    assert!(not_here(&state, Mode::PodsAndWorkloads, Action::OpenLogs).is_some());
    let effects = update(&mut state, key('l'));
    assert!(effects.is_empty());
}
