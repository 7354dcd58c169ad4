//! Reducer tests: Msgs in, State and Effects out. No cluster, no terminal.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::model::cluster::{Change, Resource};
use crate::model::event::{EventInfo, ObjectRef};
use crate::model::pod_health::{Health, Owner, PodInfo, Resources, Termination};
use crate::sim::rng::Rng;

fn now() -> Timestamp {
    "2026-11-22T14:05:00Z".parse().unwrap()
}

fn pod(name: &str, health: Health, status: &str) -> Box<PodInfo> {
    let (ready, total) = if health == Health::Ok { (1, 1) } else { (0, 1) };
    Box::new(PodInfo {
        namespace: "shop".into(),
        name: name.into(),
        uid: format!("uid-{name}"),
        created: Some(now() - SignedDuration::from_hours(2)),
        deleting: false,
        deleting_since: None,
        grace_period_s: None,
        finalizers: Vec::new(),
        status_reason: None,
        status_message: None,
        labels: BTreeMap::from([(
            "app".to_string(),
            name.split('-').next().unwrap().to_string(),
        )])
        .into(),
        owner: Some(Owner {
            kind: "Deployment".into(),
            name: name.split('-').next().unwrap().into(),
        }),
        node: Some("node-1".into()),
        pod_ip: None,
        phase: "Running".into(),
        status: status.into(),
        health,
        ready,
        total,
        restarts: 0,
        last_restart: None,
        last_termination: None,
        ready_changed: None,
        containers: Vec::new(),
        conditions: Vec::new(),
        requests: Resources::default(),
        limits: Resources::default(),
        qos_class: None,
        config_refs: Vec::new(),
    })
}

fn event(name: &str, warning: bool, object: &str, last_seen_min_ago: i64) -> EventInfo {
    EventInfo {
        namespace: "shop".into(),
        name: name.into(),
        warning,
        reason: if warning {
            "BackOff".into()
        } else {
            "Pulled".into()
        },
        object: ObjectRef {
            kind: "Pod".into(),
            namespace: "shop".into(),
            name: object.into(),
        },
        count: 1,
        first_seen: Some(now() - SignedDuration::from_mins(30)),
        last_seen: Some(now() - SignedDuration::from_mins(last_seen_min_ago)),
        message: format!("about {object}"),
        source: "kubelet".into(),
        field_path: None,
        source_host: None,
    }
}

fn cluster(generation: u64, change: ClusterChange) -> Msg {
    Msg::Cluster { generation, change }
}

fn key(c: char) -> Msg {
    Msg::KeyPressed(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(code: KeyCode) -> Msg {
    Msg::KeyPressed(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(state: &mut State, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(update(state, key(c)));
    }
    effects
}

fn shop() -> State {
    let mut state = State::new(now(), Some("shop".into()));
    state.height = 40;
    let _ = update(
        &mut state,
        cluster(
            0,
            ClusterChange::Pods(Change::Replaced(vec![
                pod("web-1", Health::Ok, "Running"),
                pod("checkout-1", Health::NotReady, "Running"),
                pod("notify-1", Health::Failing, "CrashLoopBackOff"),
                pod("batch-1", Health::Progressing, "ContainerCreating"),
                pod("web-2", Health::Ok, "Running"),
            ])),
        ),
    );
    state
}

fn pod_names(state: &State) -> Vec<String> {
    state
        .pods
        .rows
        .iter()
        .map(|r| match r {
            PodRow::Pod(k) => k.name.clone(),
            PodRow::Group { owner, pods, .. } => format!(
                "[{} {}]",
                owner.as_ref().map(|o| o.name.as_str()).unwrap_or("-"),
                pods
            ),
        })
        .collect()
}

#[test]
fn default_order_puts_failing_then_running_not_ready_first() {
    let state = shop();
    assert_eq!(
        pod_names(&state),
        ["notify-1", "checkout-1", "batch-1", "web-1", "web-2"]
    );
}

#[test]
fn sorting_by_the_same_column_twice_reverses_it() {
    let mut state = shop();
    let _ = update(&mut state, key('N'));
    assert_eq!(pod_names(&state)[0], "batch-1");
    let _ = update(&mut state, key('N'));
    assert_eq!(pod_names(&state)[0], "web-2");
    assert!(state.pods.sort.descending);
}

#[test]
fn selection_stays_on_its_pod_when_rows_move() {
    let mut state = shop();
    let _ = update(&mut state, key('j')); // checkout-1
    assert_eq!(state.selected_pod().unwrap().name, "checkout-1");
    // notify-1 recovers and moves down; the cursor follows checkout-1.
    let _ = update(
        &mut state,
        cluster(
            0,
            ClusterChange::Pods(Change::Applied(vec![pod(
                "notify-1",
                Health::Ok,
                "Running",
            )])),
        ),
    );
    assert_eq!(state.selected_pod().unwrap().name, "checkout-1");
    assert_eq!(state.pods.cursor.selected, 0);
}

#[test]
fn deleting_the_selected_last_pod_keeps_the_cursor_in_bounds() {
    let mut state = shop();
    let _ = update(&mut state, key('G'));
    let last = state.selected_pod().unwrap().key();
    let _ = update(
        &mut state,
        cluster(0, ClusterChange::Pods(Change::Deleted(vec![last]))),
    );
    assert_eq!(state.pods.rows.len(), 4);
    assert_eq!(state.pods.cursor.selected, 3);
}

#[test]
fn problems_only_keeps_a_ready_pod_that_was_oomkilled_recently() {
    let mut state = shop();
    let mut looping = pod("api-1", Health::Ok, "Running");
    looping.restarts = 3;
    looping.last_termination = Some(Termination {
        container: "api".into(),
        reason: "OOMKilled".into(),
        exit_code: 137,
        signal: None,
        finished_at: Some(now() - SignedDuration::from_mins(3)),
        message: None,
    });
    looping.last_restart = looping.last_termination.as_ref().unwrap().finished_at;
    let _ = update(
        &mut state,
        cluster(0, ClusterChange::Pods(Change::Applied(vec![looping]))),
    );
    let _ = update(&mut state, key('!'));
    assert_eq!(
        pod_names(&state),
        ["notify-1", "checkout-1", "batch-1", "api-1"]
    );
    // An hour and more later it is no longer a problem.
    let _ = update(
        &mut state,
        Msg::Ticked(now() + SignedDuration::from_mins(61)),
    );
    let _ = update(&mut state, key('!'));
    let _ = update(&mut state, key('!'));
    assert!(!pod_names(&state).contains(&"api-1".to_string()));
}

#[test]
fn filter_applies_while_typing_and_label_selectors_work() {
    let mut state = shop();
    let _ = update(&mut state, key('/'));
    typed(&mut state, "web");
    assert_eq!(pod_names(&state), ["web-1", "web-2"]);
    let _ = update(&mut state, code(KeyCode::Enter));
    assert!(state.overlay.prompt().is_none());
    assert_eq!(state.pods.filter.text, "web");

    let _ = update(&mut state, key('/'));
    let _ = update(
        &mut state,
        Msg::KeyPressed(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut state, "-l app=checkout");
    let _ = update(&mut state, code(KeyCode::Enter));
    assert_eq!(pod_names(&state), ["checkout-1"]);

    // esc clears the filter.
    let _ = update(&mut state, code(KeyCode::Esc));
    assert_eq!(state.pods.rows.len(), 5);
}

#[test]
fn a_bad_selector_is_reported_on_the_prompt_and_nothing_is_lost() {
    let mut state = shop();
    let _ = update(&mut state, key('/'));
    typed(&mut state, "-l app=(x)");
    let _ = update(&mut state, code(KeyCode::Enter));
    let prompt = state.overlay.prompt().expect("prompt stays open");
    assert!(
        prompt.error.as_ref().unwrap().contains("label selector"),
        "{prompt:?}"
    );
    assert_eq!(prompt.input, "-l app=(x)");
}

#[test]
fn grouping_by_workload_shows_headings_with_problem_groups_first() {
    let mut state = shop();
    let _ = update(&mut state, key('w'));
    assert_eq!(
        pod_names(&state),
        [
            "[notify 1]",
            "notify-1",
            "[checkout 1]",
            "checkout-1",
            "[batch 1]",
            "batch-1",
            "[web 2]",
            "web-1",
            "web-2"
        ]
    );
    // enter on a heading shows only that workload's pods; esc leaves it.
    let _ = update(&mut state, key('G'));
    let _ = update(&mut state, key('k'));
    let _ = update(&mut state, key('k'));
    let _ = update(&mut state, code(KeyCode::Enter));
    assert_eq!(pod_names(&state), ["web-1", "web-2"]);
    let _ = update(&mut state, code(KeyCode::Esc));
    assert_eq!(state.pods.rows.len(), 5);
}

#[test]
fn node_wide_requests_are_polled_only_while_the_nodes_view_is_shown() {
    let mut state = shop();
    let node_load = |effects: &[Effect]| {
        effects.iter().find_map(|e| match e {
            Effect::NodeLoad(on) => Some(*on),
            _ => None,
        })
    };
    assert_eq!(node_load(&update(&mut state, key('4'))), Some(true));
    assert_eq!(node_load(&update(&mut state, key('j'))), None, "asked once");
    assert_eq!(node_load(&update(&mut state, key('1'))), Some(false));
    assert_eq!(node_load(&update(&mut state, key('4'))), Some(true));
    // All namespaces: every pod is watched, the sums are the console's own.
    let _ = update(&mut state, key(':'));
    typed(&mut state, "ns all");
    let effects = update(&mut state, code(KeyCode::Enter));
    assert_eq!(node_load(&effects), Some(false), "{effects:?}");
    let _ = update(
        &mut state,
        cluster(
            1,
            ClusterChange::Pods(Change::Replaced(vec![pod("web-1", Health::Ok, "Running")])),
        ),
    );
    assert!(state.nodes.totals.is_some(), "summed from the watched pods");
}

#[test]
fn switching_namespace_restarts_watchers_and_drops_late_messages() {
    let mut state = shop();
    let _ = update(&mut state, key(':'));
    typed(&mut state, "ns payments");
    let effects = update(&mut state, code(KeyCode::Enter));
    assert_eq!(
        effects,
        [Effect::Watch {
            generation: 1,
            context: None,
            namespace: Some("payments".into())
        }]
    );
    assert!(state.cluster.pods.is_empty());
    // A delta from the old watchers arrives late and is ignored.
    let _ = update(
        &mut state,
        cluster(
            0,
            ClusterChange::Pods(Change::Applied(vec![pod("web-3", Health::Ok, "Running")])),
        ),
    );
    assert!(state.cluster.pods.is_empty());
    let _ = update(
        &mut state,
        cluster(
            1,
            ClusterChange::Pods(Change::Applied(vec![pod("pay-1", Health::Ok, "Running")])),
        ),
    );
    assert_eq!(pod_names(&state), ["pay-1"]);
}

#[test]
fn command_completion_offers_namespaces_and_contexts() {
    let mut state = shop();
    let _ = update(
        &mut state,
        cluster(
            0,
            ClusterChange::Namespaces(Change::Replaced(vec![
                "production".into(),
                "staging".into(),
                "shop".into(),
            ])),
        ),
    );
    state.connection.contexts = vec!["prod-eu".into(), "dev".into()];
    let _ = update(&mut state, key(':'));
    typed(&mut state, "ns s");
    assert_eq!(
        state.overlay.prompt().unwrap().completions,
        ["ns shop", "ns staging"]
    );
    let _ = update(&mut state, code(KeyCode::Tab));
    assert_eq!(state.overlay.prompt().unwrap().input, "ns shop");
    // Tab again: the next candidate, the list unchanged; then round.
    let _ = update(&mut state, code(KeyCode::Tab));
    let prompt = state.overlay.prompt().unwrap();
    assert_eq!(prompt.input, "ns staging");
    assert_eq!(prompt.completions, ["ns shop", "ns staging"]);
    let _ = update(&mut state, code(KeyCode::Tab));
    assert_eq!(state.overlay.prompt().unwrap().input, "ns shop");
    let _ = update(&mut state, code(KeyCode::Esc));

    // `:ns` then tab, tab, tab: every namespace, not only `all`.
    let _ = update(&mut state, key(':'));
    typed(&mut state, "ns");
    let _ = update(&mut state, code(KeyCode::Tab));
    assert_eq!(state.overlay.prompt().unwrap().input, "ns ");
    let mut taken = Vec::new();
    for _ in 0..4 {
        let _ = update(&mut state, code(KeyCode::Tab));
        taken.push(state.overlay.prompt().unwrap().input.clone());
    }
    assert_eq!(
        taken,
        ["ns all", "ns production", "ns shop", "ns staging"],
        "{taken:?}"
    );
    // Typing again filters afresh.
    let _ = update(&mut state, code(KeyCode::Backspace));
    assert_eq!(state.overlay.prompt().unwrap().cycle, None);
    let _ = update(&mut state, code(KeyCode::Esc));

    let _ = update(&mut state, key(':'));
    typed(&mut state, "ctx nope");
    let _ = update(&mut state, code(KeyCode::Enter));
    let error = state.overlay.prompt().unwrap().error.clone().unwrap();
    assert!(error.contains("prod-eu, dev"), "{error}");
    let _ = update(&mut state, code(KeyCode::Esc));
    let _ = update(&mut state, key(':'));
    typed(&mut state, "ctx dev");
    let effects = update(&mut state, code(KeyCode::Enter));
    assert_eq!(
        effects,
        [Effect::Watch {
            generation: 1,
            context: Some("dev".into()),
            namespace: Some("shop".into())
        }]
    );
}

#[test]
fn a_misspelt_namespace_or_extra_words_are_refused_with_the_reason() {
    let mut state = shop();
    let _ = update(
        &mut state,
        cluster(
            0,
            ClusterChange::Namespaces(Change::Replaced(vec!["production".into(), "shop".into()])),
        ),
    );
    state.cluster.watches.insert(
        Resource::Namespaces,
        crate::model::cluster::WatchHealth::Live,
    );
    let entered = |state: &mut State, text: &str| {
        let _ = update(state, key(':'));
        typed(state, text);
        let effects = update(state, code(KeyCode::Enter));
        let error = state.overlay.prompt().and_then(|p| p.error.clone());
        let _ = update(state, code(KeyCode::Esc));
        (effects, error)
    };
    let (effects, error) = entered(&mut state, "ns prodution");
    assert!(effects.is_empty());
    assert_eq!(
        error.as_deref(),
        Some("no namespace \"prodution\"; did you mean production?")
    );
    let (_, error) = entered(&mut state, "ns nothing-like-it");
    assert!(error.unwrap().contains("tab lists them"));
    let (_, error) = entered(&mut state, "pods extra words");
    assert_eq!(
        error.as_deref(),
        Some("pods takes no argument; remove \"extra words\"")
    );
    let (_, error) = entered(&mut state, "ns shop production");
    assert!(error.unwrap().contains("takes one NAME"));
    let (effects, error) = entered(&mut state, "ns production");
    assert_eq!(error, None);
    assert!(matches!(effects[..], [Effect::Watch { .. }]));
    // Without a namespace list (RBAC may forbid it), any name is taken.
    state.cluster.watches.insert(
        Resource::Namespaces,
        crate::model::cluster::WatchHealth::Down {
            since: now(),
            error: "403 Forbidden".into(),
        },
    );
    let (effects, error) = entered(&mut state, "ns team-a");
    assert_eq!(error, None);
    assert!(matches!(effects[..], [Effect::Watch { .. }]));
}

#[test]
fn q_asks_before_leaving_an_open_incident_ctrl_c_does_not() {
    let mut state = shop();
    let _ = update(&mut state, key('i'));
    typed(&mut state, "SEV2 checkout down");
    let _ = update(&mut state, code(KeyCode::Enter));
    assert!(state.timeline.open.is_some());
    assert!(update(&mut state, key('q')).is_empty());
    assert_eq!(
        state.overlay.prompt().map(|p| p.kind),
        Some(PromptKind::Quit)
    );
    // esc (or anything but y and q) stays.
    assert!(update(&mut state, code(KeyCode::Esc)).is_empty());
    assert!(state.overlay.dialog.is_none());
    let _ = update(&mut state, key('q'));
    assert_eq!(update(&mut state, key('y')), [Effect::Quit]);
    let _ = update(&mut state, key('q'));
    assert_eq!(
        update(&mut state, key('q')),
        [Effect::Quit],
        "a second q quits"
    );
    let _ = update(&mut state, key(':'));
    typed(&mut state, "q!");
    assert_eq!(update(&mut state, code(KeyCode::Enter)), [Effect::Quit]);
    let ctrl_c = Msg::KeyPressed(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(update(&mut state, ctrl_c), [Effect::Quit]);
}

#[test]
fn unknown_commands_say_what_exists() {
    let mut state = shop();
    let generation = state.generation;
    let discovered = ClusterChange::Discovered(Ok((Vec::new(), Vec::new())));
    let _ = update(&mut state, cluster(generation, discovered));
    let _ = update(&mut state, key(':'));
    typed(&mut state, "rollout");
    let _ = update(&mut state, code(KeyCode::Enter));
    let error = state.overlay.prompt().unwrap().error.clone().unwrap();
    assert!(
        error.contains("unknown command") && error.contains("deploy"),
        "{error}"
    );
}

#[test]
fn a_watch_outage_keeps_its_start_time_and_is_announced_once() {
    let mut state = shop();
    let t0 = now();
    for i in 0..3 {
        let _ = update(
            &mut state,
            cluster(
                0,
                ClusterChange::WatchDown {
                    resource: Resource::Pods,
                    error: "connection refused".into(),
                    at: t0 + SignedDuration::from_secs(i * 5),
                },
            ),
        );
    }
    assert_eq!(state.cluster.stale_since(), Some((Resource::Pods, t0)));
    assert_eq!(state.notices.len(), 1);
    assert_eq!(state.notices[0].severity, Severity::Error);
    let _ = update(
        &mut state,
        cluster(0, ClusterChange::WatchUp(Resource::Pods)),
    );
    assert_eq!(state.cluster.stale_since(), None);
    assert_eq!(state.notices.back().unwrap().text, "pods watch recovered");
}

#[test]
fn events_are_newest_first_and_filter_to_warnings_and_to_one_object() {
    let mut state = shop();
    let _ = update(
        &mut state,
        cluster(
            0,
            ClusterChange::Events(Change::Replaced(vec![
                event("e-old", true, "notify-1", 20),
                event("e-new", false, "web-1", 1),
                event("e-mid", true, "checkout-1", 5),
            ])),
        ),
    );
    let _ = update(&mut state, key('3'));
    assert_eq!(state.view, View::Events);
    let names = |s: &State| {
        s.events
            .rows
            .iter()
            .map(|k| k.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&state), ["e-new", "e-mid", "e-old"]);
    let _ = update(&mut state, key('!'));
    assert_eq!(names(&state), ["e-mid", "e-old"]);
    let _ = update(&mut state, key('!'));

    // From the pods view, E shows the selected pod's events.
    let _ = update(&mut state, key('1'));
    let _ = update(&mut state, key('g')); // notify-1
    let _ = update(&mut state, key('E'));
    assert_eq!(state.view, View::Events);
    assert_eq!(names(&state), ["e-old"]);
    let _ = update(&mut state, code(KeyCode::Esc));
    assert_eq!(names(&state).len(), 3);
}

#[test]
fn quit_help_and_pane_keys() {
    let mut state = shop();
    assert_eq!(update(&mut state, key('q')), [Effect::Quit]);
    let ctrl_c = Msg::KeyPressed(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(update(&mut state, ctrl_c), [Effect::Quit]);
    let _ = update(&mut state, key('?'));
    assert!(state.overlay.help_page().is_some());
    // Any key closes help without acting.
    assert!(update(&mut state, key('q')).is_empty());
    assert!(state.overlay.help_page().is_none());
    let _ = update(&mut state, code(KeyCode::Tab));
    assert_eq!(state.focus, Focus::Detail);
    let _ = update(&mut state, key('j'));
    assert_eq!(state.detail_scroll, 1);
    assert_eq!(state.pods.cursor.selected, 0);
    let _ = update(&mut state, code(KeyCode::Esc));
    assert_eq!(state.focus, Focus::Table);
}

#[test]
fn a_batch_of_ten_thousand_deltas_is_applied_with_one_recompute() {
    let mut state = State::new(now(), None);
    let pods: Vec<Box<PodInfo>> = (0..10_000)
        .map(|i| pod(&format!("p-{i:05}"), Health::Ok, "Running"))
        .collect();
    let msgs = pods
        .chunks(100)
        .map(|c| cluster(0, ClusterChange::Pods(Change::Applied(c.to_vec()))));
    let _ = update_batch(&mut state, msgs);
    state.refresh_view();
    assert_eq!(state.pods.rows.len(), 10_000);
    assert!(state.dirty);
}

#[test]
fn patched_rows_equal_a_full_recompute_after_any_sequence_of_changes() {
    let healths = [
        Health::Ok,
        Health::NotReady,
        Health::Failing,
        Health::Progressing,
    ];
    let statuses = ["Running", "Running", "CrashLoopBackOff", "Pending"];
    for (sort_key, problems) in [('S', false), ('N', false), ('T', true), ('A', false)] {
        let mut rng = Rng::new(7);
        let mut state = State::new(now(), None);
        let _ = update(&mut state, key(sort_key));
        if problems {
            let _ = update(&mut state, key('!'));
        }
        for round in 0..40 {
            let mut applied = Vec::new();
            let mut deleted = Vec::new();
            for _ in 0..rng.below(30) {
                let i = rng.below(60);
                if rng.below(5) == 0 {
                    deleted.push(crate::model::ObjectKey::new("shop", &format!("p-{i}")));
                } else {
                    let h = rng.below(4) as usize;
                    let mut p = pod(&format!("p-{i}"), healths[h], statuses[h]);
                    p.restarts = rng.below(4) as u32;
                    p.created = Some(now() - SignedDuration::from_mins(rng.below(100) as i64));
                    applied.push(p);
                }
            }
            let _ = update_batch(
                &mut state,
                [
                    cluster(0, ClusterChange::Pods(Change::Applied(applied))),
                    cluster(0, ClusterChange::Pods(Change::Deleted(deleted))),
                ],
            );
            state.refresh_view();
            let patched = state.pods.rows.clone();
            state.rows_changed();
            state.refresh_view();
            assert_eq!(patched, state.pods.rows, "sort {sort_key}, round {round}");
        }
    }
}

#[test]
fn patched_event_rows_equal_a_full_recompute() {
    let mut rng = Rng::new(11);
    let mut state = shop();
    let _ = update(&mut state, key('3'));
    for round in 0..40 {
        let events: Vec<EventInfo> = (0..rng.below(20))
            .map(|_| {
                let i = rng.below(50);
                event(
                    &format!("e-{i}"),
                    rng.below(2) == 0,
                    "web-1",
                    rng.below(30) as i64,
                )
            })
            .collect();
        let gone = vec![crate::model::ObjectKey::new(
            "shop",
            &format!("e-{}", rng.below(50)),
        )];
        let _ = update_batch(
            &mut state,
            [
                cluster(0, ClusterChange::Events(Change::Applied(events))),
                cluster(0, ClusterChange::Events(Change::Deleted(gone))),
            ],
        );
        state.refresh_view();
        let patched = state.events.rows.clone();
        state.rows_changed();
        state.refresh_view();
        assert_eq!(patched, state.events.rows, "round {round}");
    }
}

#[test]
fn page_keys_move_by_the_rows_the_last_draw_showed() {
    let mut state = State::new(now(), None);
    let pods: Vec<_> = (0..50)
        .map(|i| pod(&format!("p-{i:02}"), Health::Ok, "Running"))
        .collect();
    let _ = update(
        &mut state,
        cluster(0, ClusterChange::Pods(Change::Replaced(pods))),
    );
    let _ = update(
        &mut state,
        Msg::Drawn {
            table_rows: 7,
            layout: Default::default(),
            detail_scroll_max: 0,
        },
    );
    let _ = update(&mut state, code(KeyCode::PageDown));
    assert_eq!(state.pods.cursor.selected, 7);
    let _ = update(&mut state, code(KeyCode::PageDown));
    assert_eq!(state.pods.cursor.selected, 14);
    // The first visible row follows so the cursor stays on screen.
    assert_eq!(state.pods.cursor.offset, 8);
}

#[test]
fn the_detail_scroll_stays_within_what_the_pane_can_show() {
    let mut state = State::new(now(), None);
    state.detail_scroll = 40;
    let _ = update(
        &mut state,
        Msg::Drawn {
            table_rows: 7,
            layout: Default::default(),
            detail_scroll_max: 12,
        },
    );
    assert_eq!(state.detail_scroll, 12);
}

/// The text of the newest notice (for the pane and flow tests).
pub(crate) fn last_notice(state: &State) -> &str {
    state.notices.back().map_or("", |n| n.text.as_str())
}

#[test]
fn usage_that_arrives_before_the_first_pod_list_is_kept() {
    use crate::model::usage::{PodUsage, Usage};
    let mut state = State::new(now(), Some("shop".into()));
    let usage = Usage {
        cpu_milli: 10,
        memory_bytes: 1 << 20,
    };
    let metrics = ClusterChange::Metrics {
        pods: vec![PodUsage {
            namespace: "shop".into(),
            name: "web-1".into(),
            usage,
        }],
        nodes: Vec::new(),
        at: now(),
    };
    let _ = update(&mut state, cluster(0, metrics));
    let _ = update(
        &mut state,
        cluster(
            0,
            ClusterChange::Pods(Change::Replaced(vec![pod("web-1", Health::Ok, "Running")])),
        ),
    );
    let _ = update(
        &mut state,
        cluster(0, ClusterChange::WatchUp(Resource::Pods)),
    );
    assert_eq!(
        state
            .cluster
            .pod_usage
            .get(&crate::model::ObjectKey::new("shop", "web-1")),
        Some(&usage)
    );
}

mod services;
