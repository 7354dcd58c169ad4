use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::ObjectKey;
use crate::model::api_resource::ApiKind;
use crate::model::cluster::{ClusterChange, Resource, WatchHealth};
use crate::model::server_table::{Column, Row, TableChange};
use crate::state::overlay::Pane;
use crate::state::{Effect, Msg, State, View, fixtures, update, update_batch};

fn key(c: char) -> Msg {
    Msg::KeyPressed(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(c: KeyCode) -> Msg {
    Msg::KeyPressed(KeyEvent::new(c, KeyModifiers::NONE))
}

fn typed(state: &mut State, text: &str) -> Vec<Effect> {
    let mut msgs = vec![key(':')];
    msgs.extend(text.chars().map(key));
    msgs.push(code(KeyCode::Enter));
    update_batch(state, msgs)
}

/// A namespaced, listable resource.
fn api_kind(group: &str, plural: &str, kind: &str, short: &str) -> ApiKind {
    ApiKind {
        group: group.into(),
        version: "v1".into(),
        plural: plural.into(),
        singular: kind.to_lowercase(),
        kind: kind.into(),
        namespaced: true,
        short_names: vec![short.into()],
        verbs: ["get", "list", "watch"].map(String::from).to_vec(),
    }
}

fn certificates() -> ApiKind {
    api_kind("cert-manager.io", "certificates", "Certificate", "cert")
}

fn discovered(state: &mut State) {
    let generation = state.generation;
    let _ = update(
        state,
        Msg::Cluster {
            generation,
            change: ClusterChange::Discovered(Ok((vec![certificates()], Vec::new()))),
        },
    );
}

fn rows(state: &mut State, change: TableChange) {
    rows_of(state, "certificates.cert-manager.io", change);
}

/// The watch of `resource` in Table form reports `change`.
fn rows_of(state: &mut State, resource: &str, change: TableChange) {
    let generation = state.generation;
    let change = ClusterChange::Browse {
        resource: resource.into(),
        change,
    };
    let _ = update(state, Msg::Cluster { generation, change });
}

fn row(name: &str, ready: &str) -> Row {
    Row {
        key: ObjectKey::new("production", name),
        cells: vec![name.into(), ready.into(), "5m".into()],
    }
}

fn col(name: &str, priority: i64) -> Column {
    Column {
        name: name.into(),
        kind: "string".into(),
        description: String::new(),
        priority,
    }
}

#[test]
fn a_custom_resource_opens_by_short_name_and_is_followed_only_while_shown() {
    let mut state = fixtures::shop();
    discovered(&mut state);
    let effects = typed(&mut state, "cert");
    assert_eq!(state.view, View::Browse);
    assert!(
        effects.contains(&Effect::Browse(Some(certificates()))),
        "{effects:?}"
    );
    assert_eq!(
        state.cluster.watches.get(&Resource::Browsed),
        Some(&WatchHealth::Syncing)
    );
    rows(
        &mut state,
        TableChange::Listed {
            columns: vec![col("Name", 0), col("Ready", 0), col("Age", 0)],
            rows: vec![row("shop-tls", "True"), row("api-tls", "False")],
        },
    );
    assert_eq!(state.browse.rows.len(), 2);
    assert_eq!(state.browse.rows[0].name, "api-tls", "sorted by name");
    rows(
        &mut state,
        TableChange::Deleted(vec![ObjectKey::new("production", "api-tls")]),
    );
    assert_eq!(state.browse.rows.len(), 1);
    // Another view stops the watch, and nothing claims it is stale.
    let effects = update_batch(&mut state, [key('1')]);
    assert!(effects.contains(&Effect::Browse(None)), "{effects:?}");
    assert!(!state.cluster.watches.contains_key(&Resource::Browsed));
}

#[test]
fn a_word_typed_before_discovery_opens_when_it_answers() {
    let mut state = fixtures::shop();
    let effects = typed(&mut state, "certificates");
    assert_ne!(state.view, View::Browse);
    assert!(!effects.iter().any(|e| matches!(e, Effect::Browse(_))));
    discovered(&mut state);
    assert_eq!(state.view, View::Browse);
    assert_eq!(state.browse.kind, Some(certificates()));
}

#[test]
fn an_unknown_word_asks_discovery_again_and_says_what_is_near() {
    let mut state = fixtures::shop();
    discovered(&mut state);
    let effects = typed(&mut state, "certificats");
    assert!(effects.contains(&Effect::Rediscover), "{effects:?}");
    let prompt = state
        .overlay
        .prompt()
        .expect("the prompt stays with the error");
    let error = prompt.error.as_deref().unwrap_or("");
    assert!(error.contains("did you mean certificates"), "{error}");
}

#[test]
fn late_rows_of_another_resource_and_a_403_are_told_apart() {
    let mut state = fixtures::shop();
    discovered(&mut state);
    let _ = typed(&mut state, "cert");
    rows_of(
        &mut state,
        "services",
        TableChange::Applied(vec![row("checkout", "x")]),
    );
    assert!(
        state.browse.all.is_empty(),
        "rows of another resource are late"
    );
    rows(
        &mut state,
        TableChange::Failed {
            error: "user \"dev\" cannot list certificates".into(),
            forbidden: true,
        },
    );
    assert!(matches!(
        state.cluster.watches.get(&Resource::Browsed),
        Some(WatchHealth::NotAllowed(_))
    ));
}

#[test]
fn y_reads_the_selected_objects_yaml_and_drops_late_answers() {
    let mut state = fixtures::shop();
    let effects = update_batch(&mut state, [key('y')]);
    let Some(Effect::FetchYaml {
        request,
        describe: false,
        kind,
        key: object,
    }) = effects
        .iter()
        .find(|e| matches!(e, Effect::FetchYaml { .. }))
        .cloned()
    else {
        panic!("no fetch: {effects:?}");
    };
    assert_eq!(kind.plural, "pods");
    assert!(!object.name.is_empty());
    let _ = update(
        &mut state,
        Msg::YamlFetched {
            request: request + 1,
            result: Ok(vec!["late".into()]),
        },
    );
    let _ = update(
        &mut state,
        Msg::YamlFetched {
            request,
            result: Ok(vec!["kind: Pod".into()]),
        },
    );
    match &state.overlay.pane {
        Some(Pane::Yaml(p)) => assert_eq!(p.lines.as_deref(), Some(&["kind: Pod".to_string()][..])),
        other => panic!("{other:?}"),
    }
    let _ = update_batch(&mut state, [code(KeyCode::Esc)]);
    assert!(state.overlay.pane.is_none());
}

#[test]
fn an_alert_labelled_by_service_opens_that_service_once_listed() {
    let mut state = fixtures::shop_with_alertmanager();
    let services = api_kind("", "services", "Service", "svc");
    let generation = state.generation;
    let _ = update(
        &mut state,
        Msg::Cluster {
            generation,
            change: ClusterChange::Discovered(Ok((vec![services.clone()], Vec::new()))),
        },
    );
    let ns = state.namespace.clone().unwrap_or_else(|| "shop".into());
    let mut alert = fixtures::alert("HighErrorRate", "critical", "");
    alert.labels.remove("pod");
    alert.labels.insert("namespace".into(), ns.clone());
    alert.labels.insert("service".into(), "checkout".into());
    fixtures::alerts_firing(&mut state, vec![alert]);
    let _ = update_batch(&mut state, [key('5')]);
    let effects = update_batch(&mut state, [code(KeyCode::Enter)]);
    assert_eq!(state.view, View::Browse, "{:?}", state.notices);
    assert!(
        effects.contains(&Effect::Browse(Some(services))),
        "{effects:?}"
    );
    let listed = |names: &[&str]| TableChange::Listed {
        columns: vec![col("Name", 0), col("Type", 0)],
        rows: names
            .iter()
            .map(|n| Row {
                key: ObjectKey::new(&ns, n),
                cells: vec![n.to_string(), "ClusterIP".into()],
            })
            .collect(),
    };
    rows_of(
        &mut state,
        "services",
        listed(&["api", "cart", "checkout", "redis"]),
    );
    let (selected, _) = state.browse.selected().expect("a row");
    assert_eq!(selected.name, "checkout");
}

#[test]
fn d_describes_the_selected_object_and_ends_with_its_events() {
    let mut state = fixtures::shop();
    let effects = update_batch(&mut state, [key('d')]);
    let Some(Effect::FetchYaml {
        request,
        describe: true,
        key: object,
        ..
    }) = effects
        .iter()
        .find(|e| matches!(e, Effect::FetchYaml { .. }))
        .cloned()
    else {
        panic!("no describe: {effects:?}");
    };
    let events = state
        .cluster
        .events_for("Pod", &object.namespace, &object.name)
        .len();
    let _ = update(
        &mut state,
        Msg::YamlFetched {
            request,
            result: Ok(vec!["Name:          x".into()]),
        },
    );
    let Some(super::super::overlay::Pane::Yaml(pane)) = &state.overlay.pane else {
        panic!("no pane");
    };
    let lines = pane.lines.as_ref().unwrap();
    assert_eq!(lines[0], "Name:          x");
    assert!(lines.iter().any(|l| l.starts_with("Events:")), "{lines:?}");
    // One line per event after the header, or `<none>`.
    let after = lines.iter().position(|l| l.starts_with("Events:")).unwrap();
    let rows = lines.len() - after - 1;
    assert_eq!(rows, if events == 0 { 0 } else { events + 1 }, "{lines:?}");
}

#[test]
fn in_jobs_a_failed_job_sorts_first_and_l_streams_its_pods_only_where_it_can() {
    use crate::keys::Action;
    use crate::model::cluster::Change;
    use crate::model::insight::job::tests::{failed_status, job};
    use crate::model::log_stream::LogTarget;
    let mut state = fixtures::shop();
    let jobs = api_kind("batch", "jobs", "Job", "");
    let generation = state.generation;
    let _ = update(
        &mut state,
        Msg::Cluster {
            generation,
            change: ClusterChange::Discovered(Ok((vec![jobs.clone()], Vec::new()))),
        },
    );
    let _ = typed(&mut state, "jobs");
    assert_eq!(state.view, View::Browse, "{:?}", state.notices);
    let failed = job(
        "db-migrate",
        None,
        "2026-12-07T10:00:00Z",
        failed_status("2026-12-07T10:06:00Z"),
    );
    let running = job(
        "a-report",
        None,
        "2026-12-07T10:00:00Z",
        serde_json::json!({"active": 1}),
    );
    let _ = update(
        &mut state,
        Msg::Cluster {
            generation,
            change: ClusterChange::Jobs(Change::Replaced(vec![failed, running])),
        },
    );
    rows_of(
        &mut state,
        "jobs.batch",
        TableChange::Listed {
            columns: vec![col("Name", 0), col("Status", 0)],
            rows: ["a-report", "db-migrate", "not-watched"]
                .map(|n| Row {
                    key: ObjectKey::new("production", n),
                    cells: vec![n.into(), "x".into()],
                })
                .to_vec(),
        },
    );
    let names: Vec<&str> = state.browse.rows.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(
        names,
        ["db-migrate", "a-report", "not-watched"],
        "Bad, Busy, unknown"
    );
    // The failed Job is selected: `l` streams its pods, by its selector.
    assert_eq!(
        crate::state::actions::disabled(&state, Action::OpenLogs),
        None
    );
    assert!(crate::state::actions::disabled(&state, Action::OpenPreviousLogs).is_some());
    let effects = update_batch(&mut state, [key('l')]);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::OpenLogs { request, .. }
            if matches!(&request.target, LogTarget::Job { name, .. } if name == "db-migrate"))),
        "{effects:?}"
    );
    assert!(matches!(state.overlay.pane, Some(Pane::Logs(_))));
    let _ = update_batch(&mut state, [key('q')]);
    // A row the console's own watch does not know: dimmed, and said why.
    let _ = update_batch(&mut state, [key('G')]);
    let why = crate::state::actions::disabled(&state, Action::OpenLogs).expect("dimmed");
    assert!(why.contains("not in warroom's own watch"), "{why}");
    let effects = update_batch(&mut state, [key('l')]);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::OpenLogs { .. })),
        "{effects:?}"
    );
}
