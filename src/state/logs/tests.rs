//! Reducer tests of the logs pane: opening from the pods and workloads
//! views, sessions, follow and pause, search and filter, markers, saving.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;

use crate::model::cluster::Change;
use crate::model::log_stream::{LogEvent, RawLine, StreamId};
use crate::model::pod_health::{Health, Owner, PodInfo};
use crate::state::*;

fn now() -> Timestamp {
    "2026-11-22T14:05:00Z".parse().unwrap()
}

fn key(c: char) -> Msg {
    Msg::KeyPressed(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(code: KeyCode) -> Msg {
    Msg::KeyPressed(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(state: &mut State, text: &str) {
    for c in text.chars() {
        let _ = update(state, key(c));
    }
}

fn pod(name: &str) -> Box<PodInfo> {
    let json = serde_json::json!({
        "metadata": {"name": name, "namespace": "shop", "labels": {"app": "checkout"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "checkout-7d8f",
                "uid": "u", "controller": true}]},
        "spec": {"containers": [{"name": "app", "image": "shop/checkout:2.3.0"}, {"name": "proxy", "image": "envoy"}]},
        "status": {"phase": "Running"}
    });
    let p: k8s_openapi::api::core::v1::Pod = serde_json::from_value(json).unwrap();
    let mut info = PodInfo::from_pod(&p);
    info.health = Health::Ok;
    info.owner = Some(Owner {
        kind: "Deployment".into(),
        name: "checkout".into(),
    });
    Box::new(info)
}

fn shop() -> State {
    let mut state = State::new(now(), Some("shop".into()));
    let _ = update(
        &mut state,
        Msg::Cluster {
            generation: 0,
            change: ClusterChange::Pods(Change::Replaced(vec![
                pod("checkout-7d8f-a"),
                pod("checkout-7d8f-b"),
            ])),
        },
    );
    state
}

fn stream(pod: &str) -> StreamId {
    StreamId {
        namespace: "shop".into(),
        pod: pod.into(),
        container: "app".into(),
    }
}

fn lines(session: u64, pod: &str, texts: &[&str]) -> Msg {
    Msg::Logs {
        session,
        event: LogEvent::Lines(
            texts
                .iter()
                .map(|t| RawLine {
                    stream: stream(pod),
                    at: Some(now()),
                    bytes: t.as_bytes().into(),
                    cut: 0,
                    previous: false,
                })
                .collect(),
        ),
    }
}

fn shown(state: &State) -> Vec<String> {
    let pane = state.overlay.logs().unwrap();
    pane.buffer
        .window(0, pane.buffer.len())
        .map(|l| l.shown(false).text.to_string())
        .collect()
}

#[test]
fn l_on_a_pod_streams_all_its_containers_and_c_chooses_one() {
    let mut state = shop();
    let effects = update(&mut state, key('l'));
    let Effect::OpenLogs { session, request } = &effects[0] else {
        panic!("{effects:?}")
    };
    assert_eq!(*session, 1);
    assert!(!request.previous);
    assert!(matches!(
        &request.target,
        LogTarget::Pod {
            container: None,
            ..
        }
    ));
    assert!(state.overlay.logs().unwrap().follow);
    // c: one container at a time, then all again; each is a new session.
    let effects = update(&mut state, key('c'));
    assert!(
        matches!(&effects[0], Effect::OpenLogs { session: 2, request }
        if matches!(&request.target, LogTarget::Pod { container: Some(c), .. } if c == "app"))
    );
    let _ = update(&mut state, key('c'));
    let effects = update(&mut state, key('c'));
    assert!(matches!(&effects[0], Effect::OpenLogs { request, .. }
        if matches!(&request.target, LogTarget::Pod { container: None, .. })));
}

#[test]
fn p_opens_the_previous_containers_at_their_end() {
    let mut state = shop();
    let effects = update(&mut state, key('p'));
    assert!(matches!(&effects[0], Effect::OpenLogs { request, .. } if request.previous));
    // The last words before the kill are what one opens them for.
    assert!(state.overlay.logs().unwrap().follow);
}

#[test]
fn a_group_heading_tails_the_whole_workload() {
    let mut state = shop();
    let _ = update(
        &mut state,
        Msg::Cluster {
            generation: 0,
            change: ClusterChange::Workloads(
                crate::model::workload::WorkloadKind::Deployment,
                Change::Replaced(vec![crate::model::workload::WorkloadInfo {
                    kind: crate::model::workload::WorkloadKind::Deployment,
                    namespace: "shop".into(),
                    name: "checkout".into(),
                    uid: String::new(),
                    created: None,
                    desired: 2,
                    ready: 2,
                    updated: 2,
                    available: 2,
                    unavailable: 0,
                    revision: Some(1),
                    template: Some("1".into()),
                    images: vec![],
                    selector: [("app", "checkout")].into_iter().collect(),
                    conditions: vec![],
                    rollout: crate::model::workload::Rollout::Complete,
                }]),
            ),
        },
    );
    let _ = update(&mut state, key('w'));
    let _ = update(&mut state, key('g'));
    let effects = update(&mut state, key('l'));
    assert!(matches!(&effects[0], Effect::OpenLogs { request, .. }
        if matches!(&request.target, LogTarget::Workload { name, selector, .. }
            if name == "checkout" && selector.get("app") == Some("checkout"))));
}

#[test]
fn lines_of_an_old_session_are_dropped_and_markers_say_what_happened() {
    let mut state = shop();
    let _ = update(&mut state, key('l'));
    let _ = update(&mut state, lines(1, "checkout-7d8f-a", &["one"]));
    let _ = update(&mut state, key('c')); // session 2
    let _ = update(
        &mut state,
        lines(1, "checkout-7d8f-a", &["late line of session 1"]),
    );
    let _ = update(&mut state, lines(2, "checkout-7d8f-a", &["two"]));
    let _ = update(
        &mut state,
        Msg::Logs {
            session: 2,
            event: LogEvent::Restarted {
                stream: stream("checkout-7d8f-a"),
                reason: "OOMKilled".into(),
                exit_code: Some(137),
            },
        },
    );
    assert_eq!(
        shown(&state),
        ["two", "checkout-7d8f-a restarted: OOMKilled (exit 137)"]
    );
}

#[test]
fn moving_up_pauses_and_bottom_follows_again() {
    let mut state = shop();
    let _ = update(&mut state, key('l'));
    let _ = update(&mut state, lines(1, "checkout-7d8f-a", &["a", "b", "c"]));
    assert_eq!(state.overlay.logs().unwrap().selected, 2);
    let _ = update(&mut state, key('k'));
    let pane = state.overlay.logs().unwrap();
    assert!(!pane.follow);
    assert_eq!(pane.selected, 1);
    // New lines do not move a paused view.
    let _ = update(&mut state, lines(1, "checkout-7d8f-a", &["d"]));
    assert_eq!(state.overlay.logs().unwrap().selected, 1);
    let _ = update(&mut state, key('G'));
    assert!(state.overlay.logs().unwrap().follow);
    assert_eq!(state.overlay.logs().unwrap().selected, 3);
}

#[test]
fn search_jumps_to_matches_and_filter_keeps_or_hides_lines() {
    let mut state = shop();
    let _ = update(&mut state, key('l'));
    let _ = update(
        &mut state,
        lines(
            1,
            "checkout-7d8f-a",
            &[
                "order placed",
                "DATABASE_URL not set",
                "order placed",
                "ready",
            ],
        ),
    );
    let _ = update(&mut state, key('/'));
    typed(&mut state, "database");
    let _ = update(&mut state, code(KeyCode::Enter));
    let pane = state.overlay.logs().unwrap();
    assert!(!pane.follow);
    assert_eq!(pane.selected, 1);
    assert_eq!(shown(&state).len(), 4);

    let _ = update(&mut state, key('&'));
    typed(&mut state, "!order");
    let _ = update(&mut state, code(KeyCode::Enter));
    assert_eq!(shown(&state), ["DATABASE_URL not set", "ready"]);
    let _ = update(&mut state, key('&'));
    for _ in 0..6 {
        let _ = update(&mut state, code(KeyCode::Backspace));
    }
    typed(&mut state, "order");
    let _ = update(&mut state, code(KeyCode::Enter));
    assert_eq!(shown(&state), ["order placed", "order placed"]);
}

#[test]
fn save_writes_what_is_shown_and_esc_closes_the_pane() {
    let mut state = shop();
    let _ = update(&mut state, key('l'));
    let _ = update(
        &mut state,
        lines(1, "checkout-7d8f-a", &["\u{1b}]52;c;aGk=\u{7}hello"]),
    );
    let effects = update(
        &mut state,
        Msg::KeyPressed(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    let Effect::SaveLogs { path, text } = &effects[0] else {
        panic!("{effects:?}")
    };
    assert!(
        path.to_string_lossy()
            .starts_with("warroom-pod_checkout-7d8f-a")
    );
    // Saved as shown: escapes visible, nothing raw.
    assert!(
        text.contains("checkout-7d8f-a/app \\x1b]52;c;aGk=\\x07hello"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'));
    let effects = update(&mut state, code(KeyCode::Esc));
    assert_eq!(effects, [Effect::CloseLogs]);
    assert!(state.overlay.logs().is_none());
}

#[test]
fn the_mouse_wheel_scrolls_the_logs_pane() {
    use crossterm::event::{MouseEvent, MouseEventKind};
    let mut state = shop();
    let _ = update(&mut state, key('l'));
    let _ = update(&mut state, lines(1, "checkout-7d8f-a", &["a", "b", "c"]));
    let wheel = |kind| {
        Msg::Mouse(MouseEvent {
            kind,
            column: 0,
            row: 5,
            modifiers: KeyModifiers::NONE,
        })
    };
    let _ = update(&mut state, wheel(MouseEventKind::ScrollUp));
    let pane = state.overlay.logs().unwrap();
    assert!(!pane.follow);
    assert_eq!(pane.selected, 1);
    assert_eq!(state.pods.cursor.selected, 0);
}
