//! Each detector at its thresholds, on hand-built pods, workloads and nodes
//! (the render tests' shop, `now` fixed): fires at the boundary, not a
//! second before or after; stable fingerprints; targets that point at the
//! object; the status guide's words as descriptions.

use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::model::alert::{AlertTarget, TargetKind};
use crate::model::explain::explain;
use crate::model::fixtures::shop::{
    self as fx, MI, ago, crashing_pod, not_ready_pod, now, shop_workloads,
};
use crate::model::pod_health::{Condition, ContainerState, Health, Termination};
use crate::model::usage::Usage;

fn data(pods: Vec<PodInfo>, workloads: Vec<WorkloadInfo>, nodes: Vec<NodeInfo>) -> ClusterData {
    let mut d = ClusterData::default();
    for p in pods {
        d.pods.insert(p.key(), Box::new(p));
    }
    for w in workloads {
        d.workloads.insert((w.kind, w.key()), w);
    }
    for n in nodes {
        d.nodes.insert(n.name.clone(), n);
    }
    d
}

fn pods(pods: Vec<PodInfo>) -> ClusterData {
    data(pods, Vec::new(), Vec::new())
}

fn run(d: &ClusterData) -> Vec<Alert> {
    detect(d, now(), &DetectorConfig::default())
}

fn with(d: &ClusterData, cfg: &DetectorConfig) -> Vec<Alert> {
    detect(d, now(), cfg)
}

fn only(disabled: &[Detector]) -> DetectorConfig {
    DetectorConfig {
        disabled: disabled.to_vec(),
        ..DetectorConfig::default()
    }
}

/// `alertname fingerprint`, one per alert, in the order returned.
fn names(alerts: &[Alert]) -> Vec<String> {
    alerts
        .iter()
        .map(|a| format!("{} {}", a.name, a.fingerprint))
        .collect()
}

fn named<'a>(alerts: &'a [Alert], name: &str) -> Vec<&'a Alert> {
    alerts.iter().filter(|a| a.name == name).collect()
}

fn summary(a: &Alert) -> &str {
    a.summary.as_deref().unwrap_or("")
}

fn description(a: &Alert) -> &str {
    a.description.as_deref().unwrap_or("")
}

fn term(container: &str, reason: &str, code: i32, at: Option<Timestamp>) -> Termination {
    Termination {
        container: container.into(),
        reason: reason.into(),
        exit_code: code,
        signal: None,
        finished_at: at,
        message: None,
    }
}

fn cond(kind: &str, status: &str, reason: &str, message: &str, since: i64) -> Condition {
    Condition {
        kind: kind.to_string().into(),
        status: status.to_string().into(),
        reason: Some(reason.into()).filter(|r: &String| !r.is_empty()),
        message: Some(message.into()).filter(|m: &String| !m.is_empty()),
        since: Some(ago(since)),
    }
}

/// A healthy cart pod whose container's previous run ended `last`.
fn restarted(restarts: u32, last: Termination) -> PodInfo {
    let mut p = fx::pod("shop", "cart-1", "cart");
    p.restarts = restarts;
    p.containers[0].restarts = restarts;
    p.containers[0].last = Some(last);
    p
}

#[test]
fn oom_killed_fires_within_its_window_and_not_after() {
    let at_edge = pods(vec![restarted(
        1,
        term("app", "OOMKilled", 137, Some(ago(15 * 60))),
    )]);
    let alerts = run(&at_edge);
    assert_eq!(
        names(&alerts),
        ["OOMKilled detector/oom-killed/shop/cart-1/app"]
    );
    let a = &alerts[0];
    assert_eq!(a.severity, AlertSeverity::Critical);
    assert_eq!(a.starts_at, Some(ago(15 * 60)));
    assert_eq!(
        summary(a),
        "cart-1 container app OOMKilled (exit 137) at 13:50:00; limit 256Mi"
    );
    // The pod runs again and is healthy, so its own explanation is not
    // about the kill: the guide's OOMKilled entry is used instead.
    assert!(
        description(a).starts_with(
            "The container used more memory than its memory limit and the kernel killed it (exit code 137)."
        ),
        "{}",
        description(a)
    );
    assert!(description(a).contains("\n\nCheck next:\n1. Read the previous container's logs (p)"));

    let past = pods(vec![restarted(
        1,
        term("app", "OOMKilled", 137, Some(ago(15 * 60 + 1))),
    )]);
    assert!(run(&past).is_empty());
    let unknown = pods(vec![restarted(1, term("app", "OOMKilled", 137, None))]);
    assert!(run(&unknown).is_empty(), "a past kill needs its time");
    let other = pods(vec![restarted(1, term("app", "Error", 137, Some(ago(60))))]);
    assert!(run(&other).is_empty());

    // Killed and not restarted (restartPolicy Never): dead now, time or not.
    let mut dead = fx::pod("shop", "report-1", "report");
    dead.containers[0].state = ContainerState::Terminated(term("app", "OOMKilled", 137, None));
    let alerts = run(&pods(vec![dead]));
    assert_eq!(named(&alerts, "OOMKilled").len(), 1);
    assert_eq!(alerts[0].starts_at, None);
    assert_eq!(
        summary(&alerts[0]),
        "report-1 container app OOMKilled (exit 137); limit 256Mi"
    );

    let cfg = DetectorConfig {
        oom_window: SignedDuration::from_mins(20),
        ..DetectorConfig::default()
    };
    assert_eq!(with(&past, &cfg).len(), 1, "the window is configurable");
}

#[test]
fn crash_loop_after_oom_uses_the_pods_own_explanation() {
    let pod = crashing_pod();
    let own = explain(&pod);
    let alerts = run(&pods(vec![pod]));
    assert_eq!(
        names(&alerts),
        [
            "CrashLoopBackOff detector/crash-loop/shop/cart-5b6d7c-ll2zx/app",
            "OOMKilled detector/oom-killed/shop/cart-5b6d7c-ll2zx/app",
        ],
        "no RestartSpike: the crash loop says more"
    );
    let crash = &alerts[0];
    assert_eq!(crash.severity, AlertSeverity::Critical);
    assert_eq!(
        summary(crash),
        "cart-5b6d7c-ll2zx container app CrashLoopBackOff after 5 restarts; last ended OOMKilled exit 137 at 14:03:00"
    );
    // Since the pod lost readiness.
    assert_eq!(crash.starts_at, Some(ago(20 * 60)));
    assert!(description(crash).starts_with(&own.meaning));
    assert!(
        description(crash).contains("its memory limit of 256Mi"),
        "{}",
        description(crash)
    );
    for (i, step) in own.next.iter().enumerate() {
        assert!(description(crash).contains(&format!("\n{}. {step}", i + 1)));
    }
    // The OOMKilled alert on a crash-looping pod shares that explanation.
    assert_eq!(description(&alerts[1]), description(crash));
}

#[test]
fn restart_spike_needs_the_count_and_a_recent_last_restart() {
    let error = |secs| term("app", "Error", 1, Some(ago(secs)));
    let alerts = run(&pods(vec![restarted(3, error(10 * 60))]));
    assert_eq!(
        names(&alerts),
        ["RestartSpike detector/restart-spike/shop/cart-1/app"]
    );
    let a = &alerts[0];
    assert_eq!(a.severity, AlertSeverity::Warning);
    assert_eq!(a.starts_at, Some(ago(10 * 60)));
    assert_eq!(
        summary(a),
        "cart-1 container app restarted 3 times, the last at 13:55:00 (Error exit 1)"
    );
    assert!(
        description(a).starts_with("The container keeps restarting"),
        "{}",
        description(a)
    );
    assert!(
        description(a).contains("rolling back (h)"),
        "a Deployment's pod"
    );

    assert!(run(&pods(vec![restarted(2, error(60))])).is_empty());
    assert!(run(&pods(vec![restarted(3, error(10 * 60 + 1))])).is_empty());
    let no_time = term("app", "Error", 1, None);
    assert!(run(&pods(vec![restarted(9, no_time)])).is_empty());

    // A crash loop hides it only while its own alert is raised.
    let looping = pods(vec![crashing_pod()]);
    let cfg = only(&[Detector::CrashLoopBackOff, Detector::OomKilled]);
    assert_eq!(
        names(&with(&looping, &cfg)),
        ["RestartSpike detector/restart-spike/shop/cart-5b6d7c-ll2zx/app"]
    );
}

#[test]
fn each_image_pull_reason_fires_and_names_the_image() {
    for reason in [
        "ErrImagePull",
        "ImagePullBackOff",
        "InvalidImageName",
        "ErrImageNeverPull",
    ] {
        let mut p = fx::pod("shop", "worker-1", "worker");
        p.status = reason.into();
        p.health = Health::Failing;
        p.containers[0].state = ContainerState::Waiting {
            reason: reason.into(),
            message: None,
        };
        let alerts = run(&pods(vec![p.clone()]));
        assert_eq!(
            names(&alerts),
            ["ImagePullBackOff detector/image-pull/shop/worker-1/app"],
            "{reason}"
        );
        let a = &alerts[0];
        assert_eq!(a.severity, AlertSeverity::Warning);
        assert_eq!(
            summary(a),
            format!("worker-1 container app {reason}: registry.example.com/shop/worker:1.4.2")
        );
        assert_eq!(
            a.starts_at, p.created,
            "never ran: waiting since it was made"
        );
        assert!(
            description(a).starts_with(
                "The kubelet cannot download image registry.example.com/shop/worker:1.4.2"
            ),
            "{}",
            description(a)
        );
        p.containers[0].restarts = 1;
        assert_eq!(run(&pods(vec![p])).first().and_then(|a| a.starts_at), None);
    }
    let mut config = fx::pod("shop", "worker-1", "worker");
    config.containers[0].state = ContainerState::Waiting {
        reason: "CreateContainerConfigError".into(),
        message: None,
    };
    let config: Vec<String> = run(&pods(vec![config]))
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(config, ["MissingConfig"], "not an image pull");
}

#[test]
fn pod_not_ready_fires_after_the_threshold_from_its_ready_transition() {
    let at = |secs: i64| {
        let mut p = not_ready_pod();
        p.ready_changed = Some(ago(secs));
        p
    };
    let alerts = run(&pods(vec![at(120)]));
    assert_eq!(
        names(&alerts),
        ["PodNotReady detector/pod-not-ready/shop/checkout-7d8f9c-9vbnm"]
    );
    let a = &alerts[0];
    assert_eq!(a.severity, AlertSeverity::Warning);
    assert_eq!(a.starts_at, Some(ago(120)));
    assert_eq!(
        summary(a),
        "checkout-7d8f9c-9vbnm Running but not Ready (0/1) since 14:03:00; not ready: app"
    );
    assert!(
        description(a).contains("its readiness probe (GET :8080/ready) fails"),
        "{}",
        description(a)
    );
    assert!(run(&pods(vec![at(59)])).is_empty());
    assert_eq!(run(&pods(vec![at(60)])).len(), 1, "60 s by default");

    let mut deleting = at(600);
    deleting.deleting = true;
    assert!(run(&pods(vec![deleting])).is_empty());
    let mut unknown = at(0);
    unknown.ready_changed = None;
    let alerts = run(&pods(vec![unknown]));
    assert_eq!(alerts.len(), 1, "no time: told at once");
    assert_eq!(alerts[0].starts_at, None);
    let cfg = DetectorConfig {
        not_ready_after: SignedDuration::from_secs(30),
        ..DetectorConfig::default()
    };
    assert_eq!(with(&pods(vec![at(30)]), &cfg).len(), 1);
}

#[test]
fn memory_near_limit_needs_both_usage_and_limit() {
    let with_usage = |limit: Option<u64>, used: Option<u64>| {
        let mut p = fx::pod("shop", "cart-1", "cart");
        p.limits.memory_bytes = limit;
        let mut d = pods(vec![p.clone()]);
        if let Some(used) = used {
            d.pod_usage.insert(
                p.key(),
                Usage {
                    cpu_milli: 10,
                    memory_bytes: used,
                },
            );
        }
        run(&d)
    };
    let alerts = with_usage(Some(10 * MI), Some(9 * MI));
    assert_eq!(
        names(&alerts),
        ["MemoryNearLimit detector/memory-near-limit/shop/cart-1/app"]
    );
    let a = &alerts[0];
    assert_eq!(a.severity, AlertSeverity::Warning);
    assert_eq!(a.starts_at, None);
    assert_eq!(summary(a), "cart-1 uses 9Mi of its 10Mi memory limit (90%)");
    assert!(
        description(a).starts_with("The pod uses nearly all of its memory limit."),
        "{}",
        description(a)
    );
    assert!(with_usage(Some(10 * MI), Some(9 * MI - 1)).is_empty());
    assert!(with_usage(None, Some(u64::MAX)).is_empty(), "no limit");
    assert!(
        with_usage(Some(0), Some(1)).is_empty(),
        "a zero limit is no limit"
    );
    assert!(with_usage(Some(10 * MI), None).is_empty(), "no metrics");
    let over = with_usage(Some(1), Some(u64::MAX));
    assert!(summary(&over[0]).ends_with("(1844674407370955161500%)"));

    // Two containers: the usage is the pod's, so no container is named.
    let mut two = fx::pod("shop", "cart-2", "cart");
    two.containers.push(fx::container("proxy", "envoy:1.30"));
    let mut d = pods(vec![two.clone()]);
    d.pod_usage.insert(
        two.key(),
        Usage {
            cpu_milli: 1,
            memory_bytes: 500 * MI,
        },
    );
    let alerts = run(&d);
    assert_eq!(
        names(&alerts),
        ["MemoryNearLimit detector/memory-near-limit/shop/cart-2"]
    );
    assert!(!alerts[0].labels.contains_key("container"));
}

#[test]
fn a_container_other_than_the_one_explained_gets_the_generic_words() {
    // Both containers crash-loop; the pod's explanation is about the first.
    let mut p = crashing_pod();
    let mut proxy = p.containers[0].clone();
    proxy.name = "app-proxy".into();
    proxy.last = Some(term("app-proxy", "Error", 1, Some(ago(30))));
    p.containers.push(proxy);
    let alerts = with(&pods(vec![p]), &only(&[Detector::OomKilled]));
    let loops = named(&alerts, "CrashLoopBackOff");
    assert_eq!(loops.len(), 2);
    let about = |c: &str| {
        loops
            .iter()
            .find(|a| a.labels.get("container").map(String::as_str) == Some(c))
            .map(|a| description(a))
            .unwrap_or_default()
    };
    assert!(
        about("app").starts_with("Container app keeps being killed"),
        "{}",
        about("app")
    );
    assert!(
        about("app-proxy").starts_with("The container starts and then exits"),
        "{}",
        about("app-proxy")
    );
    assert!(names_container("Container app runs.", "app"));
    assert!(names_container("so container app cannot", "app"));
    assert!(!names_container("Container app-proxy runs", "app"));
    assert!(!names_container("Container app2 runs", "app"));
}

mod cluster;
mod memory_soon;
mod quota_config;
