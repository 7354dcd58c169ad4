//! The detectors against the simulated cluster's incidents: the sim plays
//! its story on a fixed clock, its objects go through the watchers'
//! conversions and the reducer, and the detectors read the resulting
//! `ClusterData` — what the console would hold at that moment.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use warroom::cluster::initial_sync;
use warroom::model::alert::{Alert, AlertSeverity, TargetKind};
use warroom::model::cluster::{ClusterChange, ClusterData, Resource};
use warroom::model::detectors::{DetectorConfig, detect};
use warroom::model::workload::{Rollout, WorkloadKind};
use warroom::sim::{ScenarioName, Sim};
use warroom::state::{Msg, State, update_batch};

fn sim(scenario: ScenarioName) -> Sim {
    super::sim(scenario, 1)
}

/// What the console holds after syncing every namespace of `sim` now.
fn cluster(sim: &Sim) -> ClusterData {
    let mut state = State::new(sim.now(), None);
    let connected = super::connected();
    let changes = initial_sync(|plural| sim.objects(plural, None));
    let _ = update_batch(
        &mut state,
        std::iter::once(connected)
            .chain(changes)
            .chain(Resource::ALL.into_iter().map(ClusterChange::WatchUp))
            .map(|change| Msg::Cluster {
                generation: 0,
                change,
            }),
    );
    state.cluster
}

fn alerts(sim: &Sim) -> Vec<Alert> {
    detect(&cluster(sim), sim.now(), &DetectorConfig::default())
}

fn named<'a>(alerts: &'a [Alert], name: &str) -> Vec<&'a Alert> {
    alerts.iter().filter(|a| a.name == name).collect()
}

fn label<'a>(a: &'a Alert, key: &str) -> &'a str {
    a.labels.get(key).map_or("", String::as_str)
}

/// The alerts as `alertname label=value…` lines, for failure messages.
fn listing(alerts: &[Alert]) -> String {
    alerts
        .iter()
        .map(|a| format!("{}: {}", a.name, a.summary.as_deref().unwrap_or("")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn calm_shop_raises_nothing() {
    let sim = sim(ScenarioName::Calm);
    sim.advance(Duration::from_secs(60));
    let all = alerts(&sim);
    assert!(all.is_empty(), "{}", listing(&all));
}

#[test]
fn oom_loop_raises_oomkilled_then_crash_loop_on_notification_service() {
    let sim = sim(ScenarioName::OomLoop);
    // The load starts at 10 s and memory passes 512Mi within minutes; step
    // until a pod is caught backing off (it runs again between back-offs).
    let mut found = None;
    for _ in 0..120 {
        sim.advance(Duration::from_secs(5));
        let all = alerts(&sim);
        if !named(&all, "CrashLoopBackOff").is_empty() {
            found = Some(all);
            break;
        }
    }
    let all = found.expect("a CrashLoopBackOff alert within 10 minutes");
    let data = cluster(&sim);

    let ooms = named(&all, "OOMKilled");
    assert!(!ooms.is_empty(), "{}", listing(&all));
    for a in &ooms {
        assert_eq!(label(a, "namespace"), "production", "{}", listing(&all));
        assert_eq!(label(a, "deployment"), "notification-service");
        assert_eq!(label(a, "container"), "notification-service");
        assert_eq!(a.severity, AlertSeverity::Critical);
        let pod = data
            .pods
            .values()
            .find(|p| p.name == label(a, "pod"))
            .expect("the alert's pod");
        let kill = pod.containers[0].last.as_ref().expect("a last termination");
        assert_eq!(kill.reason, "OOMKilled");
        assert_eq!(a.starts_at, kill.finished_at, "starts at the kill");
        let summary = a.summary.as_deref().unwrap_or("");
        assert!(summary.contains("OOMKilled (exit 137)"), "{summary}");
        assert!(summary.ends_with("; limit 512Mi"), "{summary}");
    }

    let loops = named(&all, "CrashLoopBackOff");
    let a = loops[0];
    assert_eq!(label(a, "deployment"), "notification-service");
    let description = a.description.as_deref().unwrap_or("");
    // The pod's own explanation, with its limit: CrashLoopBackOff after OOMKilled.
    assert!(
        description
            .contains("keeps being killed for using more memory than its memory limit of 512Mi"),
        "{description}"
    );
    assert!(
        description.contains("\n\nCheck next:\n1. "),
        "{description}"
    );
    // The crash-looping container has an OOMKilled alert too, and no
    // restart spike on top.
    assert!(ooms.iter().any(|o| label(o, "pod") == label(a, "pod")));
    assert!(named(&all, "RestartSpike").is_empty(), "{}", listing(&all));
    // Nothing else in the shop is in trouble.
    assert!(
        all.iter()
            .all(|a| label(a, "deployment") == "notification-service"),
        "{}",
        listing(&all)
    );
}

#[test]
fn bad_deploy_raises_pod_not_ready_after_the_threshold_then_rollout_stalled() {
    let sim = sim(ScenarioName::BadDeploy);
    // 2.3.0 ships at 20 s; its first pod runs but never gets Ready.
    sim.advance(Duration::from_secs(60));
    let data = cluster(&sim);
    let stuck = data
        .pods
        .values()
        .find(|p| {
            p.running_not_ready()
                && p.containers
                    .iter()
                    .any(|c| c.image.ends_with("checkout-service:2.3.0"))
        })
        .expect("a 2.3.0 pod runs but is not Ready")
        .clone();
    let since = stuck.ready_changed.expect("a Ready transition");
    assert!(sim.now().duration_since(since) < SignedDuration::from_secs(60));
    let all = alerts(&sim);
    assert!(named(&all, "PodNotReady").is_empty(), "{}", listing(&all));
    assert!(
        named(&all, "RolloutStalled").is_empty(),
        "{}",
        listing(&all)
    );

    // The same pod at the threshold (the detectors read `now`, not the clock).
    let cfg = DetectorConfig::default();
    let at = |t: Timestamp| detect(&data, t, &cfg);
    let before = at(since + SignedDuration::from_secs(59));
    assert!(named(&before, "PodNotReady").is_empty());
    let after = at(since + SignedDuration::from_secs(60));
    let a = named(&after, "PodNotReady")[0];
    assert_eq!(label(a, "pod"), stuck.name);
    assert_eq!(a.starts_at, Some(since));

    // And on the cluster's own clock, later.
    sim.advance(Duration::from_secs(110));
    let all = alerts(&sim);
    let not_ready = named(&all, "PodNotReady");
    assert!(
        not_ready.iter().any(|a| label(a, "pod") == stuck.name),
        "{}",
        listing(&all)
    );
    let a = not_ready[0];
    assert_eq!(label(a, "deployment"), "checkout-service");
    assert_eq!(a.severity, AlertSeverity::Warning);
    let description = a.description.as_deref().unwrap_or("");
    assert!(
        description.contains("readiness probe (GET :8080/ready) fails"),
        "{description}"
    );

    // Past its progress deadline the rollout is stalled, and that alert
    // replaces the unavailable-replicas one for the same Deployment.
    let mut stalled = None;
    for _ in 0..80 {
        sim.advance(Duration::from_secs(10));
        let all = alerts(&sim);
        if !named(&all, "RolloutStalled").is_empty() {
            stalled = Some(all);
            break;
        }
    }
    let all = stalled.expect("RolloutStalled within the progress deadline");
    let data = cluster(&sim);
    let d = data
        .workloads
        .values()
        .find(|w| {
            w.kind == WorkloadKind::Deployment
                && w.namespace == "production"
                && w.name == "checkout-service"
        })
        .expect("the deployment");
    assert!(
        matches!(&d.rollout, Rollout::Stalled { reason, .. } if reason == "ProgressDeadlineExceeded"),
        "{:?}",
        d.rollout
    );
    let a = named(&all, "RolloutStalled")[0];
    assert_eq!(a.severity, AlertSeverity::Critical);
    assert_eq!(label(a, "deployment"), "checkout-service");
    let targets = a.targets();
    assert_eq!(targets[0].kind, TargetKind::Deployment);
    assert_eq!(targets[0].name, "checkout-service");
    let deadline = d
        .conditions
        .iter()
        .find(|c| c.kind == "Progressing")
        .and_then(|c| c.since);
    assert_eq!(a.starts_at, deadline);
    let summary = a.summary.as_deref().unwrap_or("");
    assert!(summary.contains("(ProgressDeadlineExceeded)"), "{summary}");
    assert!(summary.contains("has timed out progressing"), "{summary}");
    assert!(
        named(&all, "DeploymentReplicasUnavailable")
            .iter()
            .all(|u| label(u, "deployment") != "checkout-service"),
        "{}",
        listing(&all)
    );
}

#[test]
fn image_pull_raises_image_pull_back_off_on_the_new_worker_pod() {
    let sim = sim(ScenarioName::ImagePull);
    sim.advance(Duration::from_secs(120));
    let all = alerts(&sim);
    let pulls = named(&all, "ImagePullBackOff");
    assert!(!pulls.is_empty(), "{}", listing(&all));
    let data = cluster(&sim);
    for a in pulls {
        assert_eq!(label(a, "namespace"), "production");
        assert_eq!(label(a, "deployment"), "worker");
        assert_eq!(a.severity, AlertSeverity::Warning);
        let summary = a.summary.as_deref().unwrap_or("");
        assert!(
            summary.ends_with(": registry.local/shop/worker:2.5.0"),
            "{summary}"
        );
        assert!(
            summary.contains(" ErrImagePull: ") || summary.contains(" ImagePullBackOff: "),
            "{summary}"
        );
        let pod = data
            .pods
            .values()
            .find(|p| p.name == label(a, "pod"))
            .expect("the alert's pod");
        assert_eq!(a.starts_at, pod.created, "waiting since it was made");
        let description = a.description.as_deref().unwrap_or("");
        assert!(
            description.contains("cannot download image registry.local/shop/worker:2.5.0"),
            "{description}"
        );
    }
}

#[test]
fn node_pressure_raises_memory_pressure_on_node_3_and_counts_evictions() {
    let sim = sim(ScenarioName::NodePressure);
    let mut found = None;
    for _ in 0..60 {
        sim.advance(Duration::from_secs(10));
        let all = alerts(&sim);
        let evicting = named(&all, "NodePressure").iter().any(|a| {
            a.summary
                .as_deref()
                .is_some_and(|s| s.contains("evicted pod"))
        });
        if evicting {
            found = Some(all);
            break;
        }
    }
    let all = found.expect("MemoryPressure with evictions within 10 minutes");
    let pressure = named(&all, "NodePressure");
    assert_eq!(pressure.len(), 1, "{}", listing(&all));
    let a = pressure[0];
    assert_eq!(label(a, "node"), "node-3");
    assert_eq!(label(a, "condition"), "MemoryPressure");
    assert_eq!(
        a.fingerprint,
        "detector/node-pressure/node-3/MemoryPressure"
    );
    assert_eq!(a.targets()[0].kind, TargetKind::Node);
    let data = cluster(&sim);
    let node = &data.nodes["node-3"];
    let condition = node
        .conditions
        .iter()
        .find(|c| c.kind == "MemoryPressure")
        .expect("the condition");
    assert_eq!(a.starts_at, condition.since);
    let evicted = data
        .pods
        .values()
        .filter(|p| {
            p.node.as_deref() == Some("node-3") && p.status_reason.as_deref() == Some("Evicted")
        })
        .count();
    assert!(evicted > 0);
    let summary = a.summary.as_deref().unwrap_or("");
    assert!(
        summary.starts_with("node-3 MemoryPressure since "),
        "{summary}"
    );
    assert!(
        summary
            .contains("(KubeletHasInsufficientMemory): kubelet has insufficient memory available"),
        "{summary}"
    );
    let word = if evicted == 1 { "pod" } else { "pods" };
    assert!(
        summary.ends_with(&format!("; {evicted} evicted {word} on it")),
        "{summary}"
    );
    // The node stays Ready; evicted pods are not mistaken for unready ones.
    assert!(named(&all, "NodeNotReady").is_empty(), "{}", listing(&all));
    assert!(named(&all, "PodNotReady").is_empty(), "{}", listing(&all));
}

#[test]
fn readiness_flap_restarts_show_as_restart_spikes_between_back_offs() {
    let sim = sim(ScenarioName::ReadinessFlap);
    // The probes flap from 15 s; the pods then deadlock and their liveness
    // probe restarts them. At 6 minutes each has restarted three times and
    // runs again, out of back-off.
    sim.advance(Duration::from_secs(360));
    let all = alerts(&sim);
    let spikes = named(&all, "RestartSpike");
    assert_eq!(spikes.len(), 4, "{}", listing(&all));
    let data = cluster(&sim);
    for a in spikes {
        assert_eq!(label(a, "deployment"), "api-server");
        let pod = data
            .pods
            .values()
            .find(|p| p.name == label(a, "pod"))
            .expect("the alert's pod");
        let c = &pod.containers[0];
        assert!(c.restarts >= 3, "{}", c.restarts);
        let last = c.last.as_ref().expect("a last termination");
        assert_eq!(a.starts_at, last.finished_at);
        let summary = a.summary.as_deref().unwrap_or("");
        assert!(
            summary.contains(&format!("restarted {} times, the last ", c.restarts)),
            "{summary}"
        );
        assert!(summary.ends_with("(Error exit 137)"), "{summary}");
    }
    assert!(
        named(&all, "CrashLoopBackOff").is_empty(),
        "{}",
        listing(&all)
    );
}
