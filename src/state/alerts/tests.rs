//! Reducer tests of the alert feed: merged rounds, fired/resolved
//! transitions, an unreachable Alertmanager keeping its alerts, the view's
//! rows, jumping to the object, and silences through the confirmation.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::config::ReadonlyReason;
use crate::model::action::Mutation;
use crate::model::alert::{Alert, AlertReport, AlertSeverity};
use crate::state::alerts::AlertRow;
use crate::state::fixtures::{self, alert};
use crate::state::*;

fn key(c: char) -> Msg {
    Msg::KeyPressed(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn enter() -> Msg {
    Msg::KeyPressed(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))
}

fn typed(state: &mut State, text: &str) {
    for c in text.chars() {
        let _ = update(state, key(c));
    }
}

fn report(alerts: Vec<Alert>, failed: &[&str]) -> AlertReport {
    AlertReport {
        alerts,
        failures: failed
            .iter()
            .map(|n| format!("alertmanager {n:?}: connection refused"))
            .collect(),
        failed: failed.iter().map(|n| n.to_string()).collect(),
    }
}

/// The shop fixture with Alertmanager "prod" configured (poller 1).
fn shop() -> State {
    fixtures::shop_with_alertmanager()
}

fn poll(state: &mut State, alerts: Vec<Alert>, failed: &[&str]) -> Vec<Effect> {
    let at = state.now;
    update(
        state,
        Msg::AlertsPolled {
            feed: 1,
            at,
            report: report(alerts, failed),
        },
    )
}

/// Any pod of the fixture, by name.
fn a_pod(state: &State) -> String {
    state.cluster.pods.values().next().unwrap().name.clone()
}

/// The shop with one critical alert about one of its pods, in the alerts view.
fn one_critical() -> (State, String) {
    let mut state = shop();
    let pod = a_pod(&state);
    poll(
        &mut state,
        vec![alert("KubeContainerOOMKilled", "critical", &pod)],
        &[],
    );
    let _ = update(&mut state, key('5'));
    (state, pod)
}

#[test]
fn rounds_record_fired_and_resolved_and_announce_new_criticals() {
    let mut state = shop();
    let pod = a_pod(&state);
    poll(
        &mut state,
        vec![alert("KubePodNotReady", "warning", &pod)],
        &[],
    );
    // Alerts already firing when the console attached are recorded with
    // their own start, not announced.
    assert_eq!(state.alerts.transitions.len(), 1);
    assert_eq!(state.alerts.transitions[0].at, fixtures::ago(300));
    assert!(
        state
            .notices
            .iter()
            .all(|n| !n.text.contains("new critical"))
    );

    state.alerts.bell = true;
    let effects = poll(
        &mut state,
        vec![
            alert("KubePodNotReady", "warning", &pod),
            alert("KubeContainerOOMKilled", "critical", &pod),
        ],
        &[],
    );
    assert!(effects.contains(&Effect::Bell));
    assert!(
        crate::state::tests::last_notice(&state)
            .contains("new critical alert: KubeContainerOOMKilled")
    );
    poll(
        &mut state,
        vec![alert("KubeContainerOOMKilled", "critical", &pod)],
        &[],
    );
    let last = state.alerts.transitions.back().unwrap();
    assert!(!last.fired);
    assert_eq!(last.name, "KubePodNotReady");
    assert_eq!(last.at, state.now);
    assert_eq!(
        state.alerts.firing_counts(),
        vec![(AlertSeverity::Critical, 1)]
    );
}

#[test]
fn an_unreachable_alertmanager_keeps_its_alerts_and_says_so() {
    let mut state = shop();
    let pod = a_pod(&state);
    poll(
        &mut state,
        vec![alert("KubeContainerOOMKilled", "critical", &pod)],
        &[],
    );
    let before = state.alerts.transitions.len();
    poll(&mut state, Vec::new(), &["prod"]);
    assert_eq!(state.alerts.feed.len(), 1, "not 'no alerts'");
    assert_eq!(
        state.alerts.transitions.len(),
        before,
        "no false 'resolved'"
    );
    assert_eq!(state.alerts.failed[0].0, "prod");
    // Answering again with nothing: now it did resolve.
    poll(&mut state, Vec::new(), &[]);
    assert!(state.alerts.feed.is_empty());
    assert!(state.alerts.failed.is_empty());
}

#[test]
fn answers_of_an_old_poller_are_dropped() {
    let mut state = shop();
    let at = state.now;
    let _ = update(
        &mut state,
        Msg::AlertsPolled {
            feed: 0,
            at,
            report: report(vec![alert("Old", "critical", "x")], &[]),
        },
    );
    assert!(state.alerts.feed.is_empty());
}

#[test]
fn the_view_groups_by_severity_and_enter_shows_the_pod() {
    let mut state = shop();
    let pod = a_pod(&state);
    poll(
        &mut state,
        vec![
            alert("KubePodNotReady", "warning", &pod),
            alert("KubeContainerOOMKilled", "critical", &pod),
        ],
        &[],
    );
    let _ = update(&mut state, key('5'));
    state.refresh_view();
    assert_eq!(
        state.alerts_view.rows,
        vec![
            AlertRow::Heading(AlertSeverity::Critical, 1),
            AlertRow::Alert(0),
            AlertRow::Heading(AlertSeverity::Warning, 1),
            AlertRow::Alert(1),
        ]
    );
    assert_eq!(state.alerts_view.cursor.selected, 1, "starts on an alert");
    let _ = update(&mut state, enter());
    assert_eq!(state.view, View::Pods);
    assert_eq!(state.selected_pod().unwrap().name, pod);
}

#[test]
fn a_silence_is_proposed_with_its_matchers_and_confirmed_like_any_change() {
    let (mut state, pod) = one_critical();
    let _ = update(&mut state, key('S'));
    assert_eq!(state.overlay.prompt().unwrap().kind, PromptKind::Silence);
    assert_eq!(state.overlay.prompt().unwrap().input, "2h ");
    // A silence needs a reason.
    let _ = update(&mut state, enter());
    assert!(
        state
            .overlay
            .prompt()
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .contains("why")
    );
    typed(&mut state, "SHOP-4521 memory leak");
    let effects = update(&mut state, enter());
    let Some(Effect::DryRun { mutation, .. }) = effects.first() else {
        panic!("a dry run first: {effects:?}");
    };
    let Mutation::Silence {
        alertmanager,
        matchers,
        minutes,
        comment,
        created_by,
        ..
    } = mutation
    else {
        panic!("{mutation:?}")
    };
    assert_eq!(alertmanager, "prod");
    assert_eq!(*minutes, 120);
    assert_eq!(comment, "SHOP-4521 memory leak");
    assert_eq!(created_by, "oncall");
    assert!(matchers.iter().any(|m| m.name == "pod" && m.value == pod));
    assert!(state.overlay.confirm().is_some());
}

#[test]
fn read_only_sessions_do_not_silence() {
    let (mut state, _) = one_critical();
    let _ = update(&mut state, Msg::Safety(Some(ReadonlyReason::Flag)));
    let effects = update(&mut state, key('S'));
    assert!(effects.is_empty());
    assert!(state.overlay.prompt().is_none());
    assert!(crate::state::tests::last_notice(&state).contains("read-only"));
}

#[test]
fn durations_read_like_amtool() {
    use crate::state::alerts::parse_duration;
    assert_eq!(parse_duration("30m"), Some(30));
    assert_eq!(parse_duration("2h"), Some(120));
    assert_eq!(parse_duration("1d"), Some(1440));
    assert_eq!(parse_duration("0m"), None);
    assert_eq!(parse_duration("31d"), None);
    assert_eq!(parse_duration("2"), None);
    assert_eq!(parse_duration("h"), None);
    // jiff's friendly format: combined units and words read too, and what
    // is not a whole number of minutes, negative or calendar-long is not.
    assert_eq!(parse_duration("1h30m"), Some(90));
    assert_eq!(parse_duration("90 min"), Some(90));
    assert_eq!(parse_duration("1.5h"), Some(90));
    assert_eq!(parse_duration("1w"), Some(7 * 1440));
    assert_eq!(parse_duration("30d"), Some(30 * 1440));
    assert_eq!(parse_duration("90s"), None);
    assert_eq!(parse_duration("-30m"), None);
    assert_eq!(parse_duration("1mo"), None);
    assert_eq!(parse_duration("99999999999d"), None);
}

#[test]
fn time_alone_crosses_a_detector_threshold() {
    use crate::model::cluster::{Change, ClusterChange};
    let mut state = shop();
    state.cluster.watches.insert(
        crate::model::cluster::Resource::Pods,
        crate::model::cluster::WatchHealth::Live,
    );
    // A pod that turned not ready 30 s ago: nothing to say yet.
    let mut pod = fixtures::not_ready_pod();
    pod.name = "checkout-new".into();
    pod.ready_changed = Some(state.now - jiff::SignedDuration::from_secs(30));
    let generation = state.generation;
    let _ = update(
        &mut state,
        Msg::Cluster {
            generation,
            change: ClusterChange::Pods(Change::Applied(vec![Box::new(pod)])),
        },
    );
    let t0 = state.now;
    let _ = update(
        &mut state,
        Msg::Ticked(t0 + jiff::SignedDuration::from_secs(1)),
    );
    let about_new = |state: &State| {
        state.alerts.detected.iter().any(|a| {
            a.name == "PodNotReady"
                && a.labels.get("pod").map(String::as_str) == Some("checkout-new")
        })
    };
    assert!(!about_new(&state));
    // 40 s later, with no change in the cluster, it has been 70 s.
    for s in 2..=40 {
        let _ = update(
            &mut state,
            Msg::Ticked(t0 + jiff::SignedDuration::from_secs(s)),
        );
    }
    assert!(about_new(&state), "PodNotReady fires on time alone");
}
