use super::*;

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("test timestamp")
}

fn alert(name: &str, severity: &str, extra: &[(&str, &str)]) -> Alert {
    let mut l = labels(extra);
    l.insert("alertname".into(), name.into());
    if !severity.is_empty() {
        l.insert("severity".into(), severity.into());
    }
    Alert {
        fingerprint: fingerprint(&l),
        name: name.into(),
        severity: AlertSeverity::from_labels(&l),
        state: AlertState::Active,
        starts_at: Some(ts("2026-03-02T09:00:00Z")),
        updated_at: Some(ts("2026-03-02T09:00:00Z")),
        ends_at: Some(ts("2026-03-02T09:05:00Z")),
        labels: l,
        annotations: BTreeMap::new(),
        summary: None,
        description: None,
        generator_url: None,
        receivers: vec![],
        silenced_by: vec![],
        inhibited_by: vec![],
        source: AlertSource::Alertmanager,
        reported_by: vec![],
    }
}

fn pod(ns: &str, name: &str, container: Option<&str>) -> AlertTarget {
    AlertTarget {
        kind: TargetKind::Pod,
        namespace: Some(ns.into()),
        name: name.into(),
        container: container.map(Into::into),
    }
}

fn workload(kind: TargetKind, ns: &str, name: &str) -> AlertTarget {
    AlertTarget {
        kind,
        namespace: Some(ns.into()),
        name: name.into(),
        container: None,
    }
}

fn node(name: &str) -> AlertTarget {
    AlertTarget {
        kind: TargetKind::Node,
        namespace: None,
        name: name.into(),
        container: None,
    }
}

#[test]
fn severity_words_teams_use() {
    use AlertSeverity::*;
    for (word, want) in [
        ("critical", Critical),
        ("CRITICAL", Critical),
        ("Page", Critical),
        ("emergency", Critical),
        ("error", Critical),
        ("high", Critical),
        (" critical ", Critical),
        ("warning", Warning),
        ("Warn", Warning),
        ("medium", Warning),
        ("info", Info),
        ("LOW", Info),
        ("notice", Info),
        ("none", None),
        ("", None),
        ("p1", None),
        ("débâcle", None),
    ] {
        assert_eq!(AlertSeverity::parse(word), want, "{word:?}");
    }
    assert_eq!(AlertSeverity::from_labels(&labels(&[])), None);
    assert_eq!(
        AlertSeverity::from_labels(&labels(&[("severity", "warning")])),
        Warning
    );
    // Most severe sorts first.
    let mut all = vec![None, Info, Critical, Warning];
    all.sort();
    assert_eq!(all, [Critical, Warning, Info, None]);
    assert_eq!(
        all.iter().map(|s| s.label()).collect::<Vec<_>>(),
        ["critical", "warning", "info", "none"]
    );
}

#[test]
fn state_words() {
    assert_eq!(AlertState::parse("active"), AlertState::Active);
    assert_eq!(AlertState::parse("suppressed"), AlertState::Suppressed);
    assert_eq!(AlertState::parse("unprocessed"), AlertState::Unprocessed);
    // A word from a later version is not taken as "muted".
    assert_eq!(AlertState::parse("muted-ish"), AlertState::Unprocessed);
    assert_eq!(AlertState::Suppressed.label(), "suppressed");
}

#[test]
fn fingerprint_matches_alertmanager() {
    // Read from a real Alertmanager 0.25 after posting these labels.
    let l = labels(&[
        ("alertname", "X"),
        ("namespace", "shop"),
        ("pod", "p1"),
        ("severity", "critical"),
    ]);
    assert_eq!(fingerprint(&l), "7645e3587308a88b");
    // The empty label set hashes to the FNV offset basis.
    assert_eq!(fingerprint(&labels(&[])), "cbf29ce484222325");
}

#[test]
fn a_pod_alert_points_at_the_container_then_the_workload_then_the_node() {
    let a = alert(
        "KubePodCrashLooping",
        "warning",
        &[
            ("namespace", "shop"),
            ("pod", "checkout-7d9f-abcde"),
            ("container", "app"),
            ("deployment", "checkout"),
            ("node", "node-2"),
            ("instance", "10.0.0.7:8080"),
        ],
    );
    assert_eq!(
        a.targets(),
        [
            pod("shop", "checkout-7d9f-abcde", Some("app")),
            workload(TargetKind::Deployment, "shop", "checkout"),
            node("node-2"),
        ]
    );
}

#[test]
fn kube_state_metrics_exported_labels_name_the_object() {
    // Scraped without honor_labels: namespace/pod/container are
    // kube-state-metrics' own, the exported_ ones are the subject's.
    let a = alert(
        "KubePodNotReady",
        "warning",
        &[
            ("namespace", "monitoring"),
            ("pod", "kube-state-metrics-0"),
            ("container", "kube-state-metrics"),
            ("exported_namespace", "shop"),
            ("exported_pod", "web-1"),
            ("exported_container", "nginx"),
        ],
    );
    assert_eq!(a.targets(), [pod("shop", "web-1", Some("nginx"))]);

    // A workload metric relabelled the same way.
    let a = alert(
        "KubeStatefulSetReplicasMismatch",
        "warning",
        &[
            ("namespace", "monitoring"),
            ("exported_namespace", "db"),
            ("statefulset", "postgres"),
        ],
    );
    assert_eq!(
        a.targets(),
        [workload(TargetKind::StatefulSet, "db", "postgres")]
    );
}

#[test]
fn targets_need_their_namespace_and_ignore_empty_values() {
    let a = alert("X", "", &[("pod", "web-1"), ("deployment", "web")]);
    assert_eq!(a.targets(), []);
    let a = alert(
        "X",
        "",
        &[("namespace", "shop"), ("pod", ""), ("daemonset", "agent")],
    );
    assert_eq!(
        a.targets(),
        [workload(TargetKind::DaemonSet, "shop", "agent")]
    );
    let a = alert("KubeNodeNotReady", "warning", &[("node", "node-1")]);
    assert_eq!(a.targets(), [node("node-1")]);
    let a = alert("HostDown", "critical", &[("instance", "node-1:9100")]);
    assert_eq!(a.targets(), [], "instance is an address, not a node");
    let a = alert("X", "", &[("namespace", "shop"), ("pod", "web-1")]);
    assert_eq!(a.targets(), [pod("shop", "web-1", None)]);
}

#[test]
fn merge_joins_the_same_alert_from_two_alertmanagers() {
    let mut a1 = alert("KubePodCrashLooping", "critical", &[("pod", "web-1")]);
    a1.starts_at = Some(ts("2026-03-02T09:01:00Z"));
    a1.summary = Some("web-1 restarts".into());
    a1.annotations
        .insert("summary".into(), "web-1 restarts".into());
    a1.receivers = vec!["pager".into()];
    let mut a2 = a1.clone();
    a2.starts_at = Some(ts("2026-03-02T09:00:30Z"));
    a2.updated_at = Some(ts("2026-03-02T09:02:00Z"));
    a2.summary = None;
    a2.annotations.clear();
    a2.annotations
        .insert("runbook_url".into(), "https://r".into());
    a2.receivers = vec!["pager".into(), "slack".into()];
    let only_b = alert("HighLatency", "warning", &[]);

    let merged = merge(vec![
        ("prod-a".into(), vec![a1.clone()]),
        ("prod-b".into(), vec![a2, only_b.clone()]),
    ]);
    assert_eq!(merged.len(), 2, "{merged:#?}");
    let m = &merged[0];
    assert_eq!(m.fingerprint, a1.fingerprint);
    assert_eq!(m.reported_by, ["prod-a", "prod-b"]);
    assert_eq!(m.starts_at, Some(ts("2026-03-02T09:00:30Z")));
    assert_eq!(m.updated_at, Some(ts("2026-03-02T09:02:00Z")));
    assert_eq!(m.summary.as_deref(), Some("web-1 restarts"));
    assert_eq!(m.annotations.len(), 2);
    assert_eq!(m.receivers, ["pager", "slack"]);
    assert_eq!(merged[1].name, "HighLatency");
    assert_eq!(merged[1].reported_by, ["prod-b"]);
}

#[test]
fn silenced_in_one_alertmanager_but_active_in_the_other_is_active() {
    let active = alert("X", "critical", &[]);
    let mut silenced = active.clone();
    silenced.state = AlertState::Suppressed;
    silenced.silenced_by = vec!["s-1".into()];
    for order in [
        vec![("a", silenced.clone()), ("b", active.clone())],
        vec![("b", active.clone()), ("a", silenced.clone())],
    ] {
        let merged = merge(
            order
                .into_iter()
                .map(|(n, a)| (n.to_string(), vec![a]))
                .collect(),
        );
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].state, AlertState::Active);
        assert_eq!(merged[0].silenced_by, ["s-1"]);
    }
    let mut unprocessed = active.clone();
    unprocessed.state = AlertState::Unprocessed;
    let merged = merge(vec![
        ("a".into(), vec![silenced.clone()]),
        ("b".into(), vec![unprocessed]),
    ]);
    assert_eq!(merged[0].state, AlertState::Unprocessed);
    let merged = merge(vec![
        ("a".into(), vec![silenced.clone()]),
        ("b".into(), vec![silenced]),
    ]);
    assert_eq!(merged[0].state, AlertState::Suppressed);
    assert_eq!(merged[0].reported_by, ["a", "b"]);
}

#[test]
fn merge_sorts_by_severity_then_name_then_start() {
    let mut late = alert("B", "critical", &[("pod", "2")]);
    late.starts_at = Some(ts("2026-03-02T09:30:00Z"));
    let early = alert("B", "critical", &[("pod", "1")]);
    let mut unknown_start = alert("B", "critical", &[("pod", "3")]);
    unknown_start.starts_at = None;
    let a = alert("A", "critical", &[]);
    let warning = alert("A", "warning", &[]);
    let none = alert("0-first-by-name", "", &[]);
    let merged = merge(vec![(
        "am".into(),
        vec![
            none.clone(),
            warning.clone(),
            unknown_start.clone(),
            late.clone(),
            early.clone(),
            a.clone(),
        ],
    )]);
    let got: Vec<_> = merged.iter().map(|a| a.fingerprint.clone()).collect();
    let want: Vec<_> = [a, early, late, unknown_start, warning, none]
        .into_iter()
        .map(|a| a.fingerprint)
        .collect();
    assert_eq!(got, want);
}

#[test]
fn detector_alerts_never_merge_into_alertmanager_ones() {
    let from_am = alert("OOMKilled", "warning", &[]);
    let mut from_detector = from_am.clone();
    from_detector.source = AlertSource::Detector("oom".into());
    let merged = merge(vec![
        ("am".into(), vec![from_am]),
        ("warroom".into(), vec![from_detector]),
    ]);
    assert_eq!(merged.len(), 2);
}

#[test]
fn merge_of_nothing_is_empty() {
    assert!(merge(vec![]).is_empty());
    assert!(merge(vec![("am".into(), vec![])]).is_empty());
}
