//! Workloads, nodes, and a cluster with something of everything: rollout
//! and availability thresholds, node conditions, targets, fingerprints,
//! disabled detectors, odd data, and 10,000 pods.

use jiff::{SignedDuration, Timestamp};

use super::*;

#[test]
fn rollout_stalled_wins_over_unavailable_replicas() {
    let d = data(Vec::new(), shop_workloads(), Vec::new());
    let alerts = run(&d);
    // checkout is rolling (its deadline will tell); redis has nothing
    // available and no time to go by: told at once.
    assert_eq!(
        names(&alerts),
        ["RolloutStalled detector/rollout-stalled/shop/deployment/cart"]
    );
    let a = &alerts[0];
    assert_eq!(a.severity, AlertSeverity::Critical);
    assert_eq!(a.starts_at, Some(ago(180)));
    assert_eq!(
        summary(a),
        "Deployment cart rollout stalled at 14:02:00 (ProgressDeadlineExceeded): 1 of 3 updated, 2 available, revision 7; ReplicaSet \"cart-5b6d7c\" has timed out progressing."
    );
    assert!(
        description(a).starts_with("The Deployment's rollout has made no progress"),
        "{}",
        description(a)
    );

    let alerts = with(&d, &only(&[Detector::RolloutStalled]));
    assert_eq!(
        names(&alerts),
        ["DeploymentReplicasUnavailable detector/replicas-unavailable/shop/deployment/cart"],
        "without the stalled alert, cart's missing replica is told, at once"
    );
    assert_eq!(
        summary(&alerts[0]),
        "Deployment cart: 1 replica unavailable, 2 of 3 available"
    );
    assert_eq!(alerts[0].starts_at, None);
}

#[test]
fn unavailable_replicas_since_the_available_condition_or_the_unready_pods() {
    let checkout = |available: Option<i64>| {
        let mut w = shop_workloads().remove(1);
        assert_eq!(w.name, "checkout");
        if let Some(secs) = available {
            w.conditions[0] = cond(
                "Available",
                "False",
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.",
                secs,
            );
        }
        w
    };
    // Below minimum availability for exactly the threshold.
    let alerts = run(&data(Vec::new(), vec![checkout(Some(300))], Vec::new()));
    assert_eq!(
        names(&alerts),
        ["DeploymentReplicasUnavailable detector/replicas-unavailable/shop/deployment/checkout"]
    );
    let a = &alerts[0];
    assert_eq!(a.severity, AlertSeverity::Warning, "4 of 5 still serve");
    assert_eq!(a.starts_at, Some(ago(300)));
    assert_eq!(
        summary(a),
        "Deployment checkout: 1 replica unavailable since 14:00:00, 4 of 5 available"
    );
    assert!(run(&data(Vec::new(), vec![checkout(Some(299))], Vec::new())).is_empty());

    // Available, mid-rollout: the unready pod tells since when.
    let unready = |secs: i64| {
        let mut p = not_ready_pod();
        p.ready_changed = Some(ago(secs));
        p.conditions[3].since = Some(ago(secs));
        p
    };
    let cfg = only(&[Detector::PodNotReady]);
    let alerts = with(
        &data(vec![unready(300)], vec![checkout(None)], Vec::new()),
        &cfg,
    );
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].starts_at, Some(ago(300)));
    let alerts = with(
        &data(vec![unready(299)], vec![checkout(None)], Vec::new()),
        &cfg,
    );
    assert!(alerts.is_empty(), "{:?}", names(&alerts));

    // A StatefulSet with nothing available and no time: at once, critical;
    // not while it rolls.
    let mut redis = shop_workloads().remove(4);
    assert_eq!(redis.kind, WorkloadKind::StatefulSet);
    redis.available = 0;
    redis.ready = 0;
    redis.unavailable = 1;
    redis.conditions.clear();
    let alerts = run(&data(Vec::new(), vec![redis.clone()], Vec::new()));
    assert_eq!(
        names(&alerts),
        ["DeploymentReplicasUnavailable detector/replicas-unavailable/shop/statefulset/redis"]
    );
    assert_eq!(alerts[0].severity, AlertSeverity::Critical);
    assert_eq!(
        summary(&alerts[0]),
        "StatefulSet redis: 1 replica unavailable, 0 of 1 available"
    );
    redis.rollout = Rollout::Progressing {
        updated: 0,
        desired: 1,
    };
    assert!(run(&data(Vec::new(), vec![redis], Vec::new())).is_empty());

    // DaemonSets are left to the node and pod detectors.
    let mut agent = shop_workloads().remove(5);
    assert_eq!(agent.kind, WorkloadKind::DaemonSet);
    agent.unavailable = 2;
    assert!(run(&data(Vec::new(), vec![agent], Vec::new())).is_empty());
}

#[test]
fn node_conditions_raise_one_alert_each() {
    let mut evicted = fx::pod("shop", "api-1", "api");
    evicted.node = Some("worker-2".into());
    evicted.phase = "Failed".into();
    evicted.status = "Evicted".into();
    evicted.status_reason = Some("Evicted".into());
    let d = data(vec![evicted], Vec::new(), fx::nodes());
    let alerts = run(&d);
    assert_eq!(
        names(&alerts),
        [
            "NodeNotReady detector/node-not-ready/worker-3",
            "NodePressure detector/node-pressure/worker-2/MemoryPressure",
        ]
    );
    let (down, pressure) = (&alerts[0], &alerts[1]);
    assert_eq!(down.severity, AlertSeverity::Critical);
    assert_eq!(down.starts_at, Some(ago(90)));
    assert_eq!(
        summary(down),
        "worker-3 Ready Unknown since 14:03:30 (NodeStatusUnknown): Kubelet stopped posting node status."
    );
    assert!(description(down).starts_with("The node is not Ready"));
    assert_eq!(pressure.severity, AlertSeverity::Warning);
    assert_eq!(pressure.starts_at, Some(ago(360)));
    assert_eq!(
        summary(pressure),
        "worker-2 MemoryPressure since 13:59:00 (KubeletHasInsufficientMemory): kubelet has insufficient memory available; 1 evicted pod on it"
    );
    assert!(description(pressure).starts_with("The node is running short of memory"));

    // NotReady (False) and two pressures at once.
    let mut n = fx::nodes().remove(0);
    n.conditions = vec![
        cond("MemoryPressure", "True", "", "", 60),
        cond("DiskPressure", "True", "KubeletHasDiskPressure", "", 60),
        cond("PIDPressure", "False", "", "", 60),
        cond("NetworkUnavailable", "True", "NoRouteCreated", "", 60),
        cond(
            "Ready",
            "False",
            "KubeletNotReady",
            "container runtime is down",
            30,
        ),
    ];
    let alerts = run(&data(Vec::new(), Vec::new(), vec![n]));
    assert_eq!(
        names(&alerts),
        [
            "NodeNotReady detector/node-not-ready/worker-1",
            "NodePressure detector/node-pressure/worker-1/DiskPressure",
            "NodePressure detector/node-pressure/worker-1/MemoryPressure",
        ]
    );
    assert_eq!(
        summary(&alerts[0]),
        "worker-1 NotReady since 14:04:30 (KubeletNotReady): container runtime is down"
    );
    assert_eq!(
        summary(&alerts[2]),
        "worker-1 MemoryPressure since 14:04:00"
    );
}

/// Pods, workloads and nodes with something of everything.
fn everything() -> ClusterData {
    let mut image = fx::pod("shop", "worker-1", "worker");
    image.containers[0].state = ContainerState::Waiting {
        reason: "ErrImagePull".into(),
        message: None,
    };
    let mut redis = fx::redis_pod();
    redis.restarts = 4;
    redis.containers[0].restarts = 4;
    redis.containers[0].last = Some(term("app", "Error", 1, Some(ago(60))));
    let mut workloads = shop_workloads();
    workloads.push(super::quota_config::refused_workload());
    let mut d = data(
        vec![
            crashing_pod(),
            not_ready_pod(),
            image,
            redis,
            super::quota_config::config_error_pod(),
        ],
        workloads,
        fx::nodes(),
    );
    let mut sts = shop_workloads().remove(4);
    sts.unavailable = 1;
    sts.available = 0;
    sts.conditions[0] = cond("Available", "False", "", "", 600);
    d.workloads.insert((sts.kind, sts.key()), sts);
    let cart = crashing_pod().key();
    d.pod_usage.insert(
        cart,
        Usage {
            cpu_milli: 1,
            memory_bytes: 250 * MI,
        },
    );
    let pinned = hpa("True", "TooManyReplicas", 10);
    d.hpas.insert(pinned.key(), pinned);
    // The unready checkout pod's memory climbs 60 MiB a minute towards its
    // 256Mi limit, still below MemoryNearLimit's 90%.
    let checkout = not_ready_pod().key();
    for (i, mib) in [150, 165, 180, 195, 210].into_iter().enumerate() {
        let usage = Usage {
            cpu_milli: 1,
            memory_bytes: mib * MI,
        };
        d.usage_history.record(
            ago(60 - 15 * i as i64),
            [crate::model::usage_history::Sample {
                pod: &checkout,
                owner: Some(("Deployment", "checkout")),
                usage,
            }],
        );
        d.pod_usage.insert(checkout.clone(), usage);
    }
    // A Service that has selected no pod for ten minutes.
    let svc = crate::model::service::tests::service("cart", Some("cart"));
    d.network
        .apply_services(crate::model::cluster::Change::Replaced(vec![svc]), ago(600));
    let _ = d.network.apply_slices(
        crate::model::cluster::Change::Replaced(Vec::new()),
        ago(600),
    );
    let failed_at = (now() - SignedDuration::from_mins(20)).to_string();
    let migrate = crate::model::insight::job::tests::job(
        "db-migrate",
        None,
        &failed_at,
        crate::model::insight::job::tests::failed_status(&failed_at),
    );
    d.jobs.insert(migrate.key(), migrate);
    d
}

#[test]
fn every_alert_points_at_its_object() {
    let alerts = run(&everything());
    let expected: &[(&str, &str, TargetKind, Option<&str>)] = &[
        (
            "CrashLoopBackOff",
            "cart-5b6d7c-ll2zx",
            TargetKind::Pod,
            Some("app"),
        ),
        (
            "DeploymentReplicasUnavailable",
            "redis",
            TargetKind::StatefulSet,
            None,
        ),
        ("NodeNotReady", "worker-3", TargetKind::Node, None),
        (
            "OOMKilled",
            "cart-5b6d7c-ll2zx",
            TargetKind::Pod,
            Some("app"),
        ),
        ("QuotaExceeded", "api", TargetKind::Deployment, None),
        ("RolloutStalled", "cart", TargetKind::Deployment, None),
        ("ServiceNoEndpoints", "cart", TargetKind::Service, None),
        (
            "HPAAtMax",
            "api-server",
            TargetKind::HorizontalPodAutoscaler,
            None,
        ),
        ("ImagePullBackOff", "worker-1", TargetKind::Pod, Some("app")),
        ("JobFailed", "db-migrate", TargetKind::Job, None),
        (
            "MemoryLimitSoon",
            "checkout-7d8f9c-9vbnm",
            TargetKind::Pod,
            Some("app"),
        ),
        (
            "MemoryNearLimit",
            "cart-5b6d7c-ll2zx",
            TargetKind::Pod,
            Some("app"),
        ),
        ("MissingConfig", "worker-2", TargetKind::Pod, Some("app")),
        ("NodePressure", "worker-2", TargetKind::Node, None),
        (
            "PodNotReady",
            "checkout-7d8f9c-9vbnm",
            TargetKind::Pod,
            None,
        ),
        ("RestartSpike", "redis-0", TargetKind::Pod, Some("app")),
    ];
    let targets: Vec<AlertTarget> = alerts.iter().map(|a| a.targets()[0].clone()).collect();
    let got: Vec<(&str, &str, TargetKind, Option<&str>)> = alerts
        .iter()
        .zip(&targets)
        .map(|(a, t)| {
            (
                a.name.as_str(),
                t.name.as_str(),
                t.kind,
                t.container.as_deref(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    for a in &alerts {
        assert_eq!(a.state, AlertState::Active);
        assert_eq!(
            a.source,
            AlertSource::Detector(a.fingerprint.split('/').nth(1).unwrap_or("").to_string())
        );
        assert_eq!(a.labels["alertname"], a.name);
        assert_eq!(a.labels["severity"], a.severity.label());
        assert_eq!(a.annotations.get("summary"), a.summary.as_ref());
        assert_eq!(a.annotations.get("description"), a.description.as_ref());
        assert_eq!(a.updated_at, Some(now()));
        let t = a.targets();
        if t[0].kind == TargetKind::Pod {
            assert_eq!(t[0].namespace.as_deref(), Some("shop"));
            // Then the pod's own workload, as a kube-prometheus rule would.
            let owner = AlertTarget {
                kind: if t[0].name == "redis-0" {
                    TargetKind::StatefulSet
                } else {
                    TargetKind::Deployment
                },
                namespace: Some("shop".into()),
                name: a
                    .labels
                    .get("deployment")
                    .or(a.labels.get("statefulset"))
                    .cloned()
                    .unwrap_or_default(),
                container: None,
            };
            assert_eq!(t.get(1), Some(&owner), "{}", a.name);
            assert_eq!(t.len(), 2, "pod alerts do not name the node");
        }
    }
    let mut sorted = alerts.clone();
    sorted.sort_by(compare);
    assert_eq!(sorted, alerts, "returned in merge order");
}

#[test]
fn fingerprints_are_stable_and_unique() {
    let d = everything();
    let first: Vec<String> = run(&d).into_iter().map(|a| a.fingerprint).collect();
    let later: Vec<String> = detect(
        &d,
        now() + SignedDuration::from_secs(30),
        &DetectorConfig::default(),
    )
    .into_iter()
    .map(|a| a.fingerprint)
    .collect();
    assert_eq!(first, later, "the same problems 30 s later");
    let mut unique = first.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), first.len());
    assert!(first.iter().all(|f| f.starts_with("detector/")));
}

#[test]
fn disabled_detectors_raise_nothing() {
    let d = everything();
    let all = run(&d);
    for detector in Detector::ALL {
        let alerts = with(&d, &only(&[detector]));
        assert!(
            alerts.iter().all(|a| a.name != detector.alertname()),
            "{detector}"
        );
        assert!(
            all.iter().any(|a| a.name == detector.alertname()),
            "{detector} raises something here"
        );
        // The others are untouched (a stalled rollout's unavailable
        // replicas are told once RolloutStalled is off: that is the only
        // alert that comes in).
        for a in all.iter().filter(|a| a.name != detector.alertname()) {
            assert!(alerts.contains(a), "{detector} off: {}", a.fingerprint);
        }
        let new: Vec<&Alert> = alerts.iter().filter(|a| !all.contains(a)).collect();
        match detector {
            Detector::RolloutStalled => assert_eq!(
                new.iter()
                    .map(|a| a.fingerprint.as_str())
                    .collect::<Vec<_>>(),
                ["detector/replicas-unavailable/shop/deployment/cart"]
            ),
            // api's quota refusal is then told as the stall it causes.
            Detector::QuotaExceeded => assert_eq!(
                new.iter()
                    .map(|a| a.fingerprint.as_str())
                    .collect::<Vec<_>>(),
                ["detector/rollout-stalled/shop/deployment/api"]
            ),
            _ => assert!(new.is_empty(), "{detector} off"),
        }
    }
    let off = DetectorConfig {
        enabled: false,
        ..DetectorConfig::default()
    };
    assert!(with(&d, &off).is_empty());
}

#[test]
fn odd_data_never_panics() {
    let empty = PodInfo::from_pod(&Default::default());
    let mut future = restarted(
        7,
        term(
            "app",
            "OOMKilled",
            137,
            Some(now() + SignedDuration::from_hours(1)),
        ),
    );
    future.containers[0].state = ContainerState::Waiting {
        reason: "CrashLoopBackOff".into(),
        message: None,
    };
    future.health = Health::NotReady;
    future.ready_changed = Some(Timestamp::MAX);
    let mut node = fx::nodes().remove(0);
    node.conditions.push(cond("Ready", "", "", "", 0));
    node.name = String::new();
    let mut w = shop_workloads().remove(0);
    w.desired = u32::MAX;
    w.unavailable = u32::MAX;
    let mut d = data(vec![empty, future], vec![w], vec![node]);
    for p in d.pods.keys().cloned().collect::<Vec<_>>() {
        d.pod_usage.insert(
            p,
            Usage {
                cpu_milli: u64::MAX,
                memory_bytes: u64::MAX,
            },
        );
    }
    for t in [Timestamp::MIN, now(), Timestamp::MAX] {
        let alerts = detect(&d, t, &DetectorConfig::default());
        for a in &alerts {
            assert!(!summary(a).contains("<invalid>"), "{}", summary(a));
        }
    }
}

#[test]
fn ten_thousand_pods_in_one_pass() {
    let mut d = ClusterData::default();
    for i in 0..10_000 {
        let mut p = match i % 100 {
            0 => crashing_pod(),
            1 => not_ready_pod(),
            _ => fx::pod("shop", "", "checkout"),
        };
        p.name = format!("pod-{i:05}");
        d.pod_usage.insert(
            p.key(),
            Usage {
                cpu_milli: 50,
                memory_bytes: 128 * MI,
            },
        );
        d.pods.insert(p.key(), Box::new(p));
    }
    let alerts = run(&d);
    // 100 crash-looping pods (CrashLoopBackOff and OOMKilled each), 100 not Ready.
    assert_eq!(named(&alerts, "CrashLoopBackOff").len(), 100);
    assert_eq!(named(&alerts, "OOMKilled").len(), 100);
    assert_eq!(named(&alerts, "PodNotReady").len(), 100);
    assert_eq!(alerts.len(), 300);
}

/// An HPA on `api-server`, `ScalingLimited` `status`/`reason` since
/// `minutes` before now.
fn hpa(status: &str, reason: &str, minutes: i64) -> crate::model::autoscaler::HpaInfo {
    let since = (now() - jiff::SignedDuration::from_mins(minutes)).to_string();
    let hpa: k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler =
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": "api-server", "namespace": "shop"},
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api-server"},
                "minReplicas": 3, "maxReplicas": 6,
            },
            "status": {
                "currentReplicas": 6, "desiredReplicas": 6,
                "conditions": [{"type": "ScalingLimited", "status": status, "reason": reason, "lastTransitionTime": since}],
            },
        }))
        .unwrap();
    crate::model::autoscaler::HpaInfo::from_hpa(&hpa)
}

#[test]
fn an_hpa_pinned_at_its_maximum_for_five_minutes_is_an_alert_about_it() {
    let mut d = ClusterData::default();
    let h = hpa("True", "TooManyReplicas", 5);
    d.hpas.insert(h.key(), h);
    let alerts = detect(&d, now(), &DetectorConfig::default());
    let at_max = named(&alerts, "HPAAtMax");
    assert_eq!(at_max.len(), 1, "{alerts:?}");
    let a = at_max[0];
    assert_eq!(a.severity, AlertSeverity::Warning);
    assert_eq!(a.fingerprint, "detector/hpa-at-max/shop/api-server");
    assert!(
        a.summary
            .as_deref()
            .unwrap_or("")
            .contains("at its maximum of 6 replicas since 14:00:00"),
        "{a:?}"
    );
    let target = &a.targets()[0];
    assert_eq!(
        target.kind,
        crate::model::alert::TargetKind::HorizontalPodAutoscaler
    );
    assert_eq!(target.name, "api-server");
    assert!(
        a.description
            .as_deref()
            .unwrap_or("")
            .contains("raise the HPA's maximum")
    );
    // A minute short, held at its minimum, or within range: nothing.
    for h in [
        hpa("True", "TooManyReplicas", 4),
        hpa("True", "TooFewReplicas", 60),
        hpa("False", "DesiredWithinRange", 60),
    ] {
        let mut d = ClusterData::default();
        d.hpas.insert(h.key(), h);
        assert!(named(&detect(&d, now(), &DetectorConfig::default()), "HPAAtMax").is_empty());
    }
}
