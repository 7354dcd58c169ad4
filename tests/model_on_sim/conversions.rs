//! The model's conversions and readings on the sim's objects: what the
//! sim's kubelet and controllers write during an incident is exactly what a
//! watcher hands the console, so these tests read the shapes a real cluster
//! produces (every field the kubelet sets, in its order, with its quirks)
//! rather than ones written by hand.

use std::time::Duration;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{Event, Node, Pod};
use serde::de::DeserializeOwned;

use warroom::model::event::EventInfo;
use warroom::model::explain::{StatusKind, explain};
use warroom::model::node::NodeInfo;
use warroom::model::pod_health::{Health, PodInfo};
use warroom::model::workload::{ReplicaSetInfo, Rollout, WorkloadInfo};
use warroom::sim::{ScenarioName, Sim};

fn sim(scenario: ScenarioName) -> Sim {
    super::sim(scenario, 3)
}

fn objects<T: DeserializeOwned>(sim: &Sim, plural: &str) -> Vec<T> {
    sim.objects(plural, None)
        .into_iter()
        .map(|v| serde_json::from_value(v).expect("the sim writes valid objects"))
        .collect()
}

fn pods(sim: &Sim, app: &str) -> Vec<PodInfo> {
    objects::<Pod>(sim, "pods")
        .iter()
        .map(PodInfo::from_pod)
        .filter(|p| p.labels.get("app").is_some_and(|a| a == app))
        .collect()
}

fn deployment(sim: &Sim, name: &str) -> WorkloadInfo {
    objects::<Deployment>(sim, "deployments")
        .iter()
        .map(WorkloadInfo::from_deployment)
        .find(|d| d.name == name)
        .expect("deployment")
}

/// Everything the sim holds converts, and every pod explains itself with
/// no unfilled slot.
fn convert_everything(sim: &Sim) {
    for p in objects::<Pod>(sim, "pods") {
        let info = PodInfo::from_pod(&p);
        let e = explain(&info);
        assert!(!e.meaning.contains('{'), "{}: {}", info.name, e.meaning);
    }
    objects::<Deployment>(sim, "deployments")
        .iter()
        .for_each(|d| drop(WorkloadInfo::from_deployment(d)));
    objects::<StatefulSet>(sim, "statefulsets")
        .iter()
        .for_each(|s| drop(WorkloadInfo::from_statefulset(s)));
    objects::<DaemonSet>(sim, "daemonsets")
        .iter()
        .for_each(|d| drop(WorkloadInfo::from_daemonset(d)));
    objects::<ReplicaSet>(sim, "replicasets")
        .iter()
        .for_each(|r| drop(ReplicaSetInfo::from_replicaset(r)));
    objects::<Event>(sim, "events")
        .iter()
        .for_each(|e| drop(EventInfo::from_event(e)));
    objects::<Node>(sim, "nodes")
        .iter()
        .for_each(|n| drop(NodeInfo::from_node(n)));
}

#[test]
fn calm_cluster_is_healthy_and_complete() {
    let sim = sim(ScenarioName::Calm);
    sim.advance(Duration::from_secs(30));
    convert_everything(&sim);
    let api = pods(&sim, "api-server");
    assert!(!api.is_empty());
    for p in &api {
        assert_eq!(p.health, Health::Ok, "{} is {}", p.name, p.status);
        assert_eq!(
            p.owner.as_ref().map(|o| o.kind.as_str()),
            Some("Deployment")
        );
        assert_eq!(
            p.owner.as_ref().map(|o| o.name.as_str()),
            Some("api-server")
        );
    }
    assert_eq!(deployment(&sim, "api-server").rollout, Rollout::Complete);
    for n in objects::<Node>(&sim, "nodes")
        .iter()
        .map(NodeInfo::from_node)
    {
        assert_eq!(n.ready, Some(true), "{}", n.name);
        assert!(n.allocatable.memory_bytes.is_some());
    }
}

#[test]
fn bad_deploy_pods_run_but_are_not_ready() {
    let sim = sim(ScenarioName::BadDeploy);
    sim.advance(Duration::from_secs(90));
    convert_everything(&sim);
    let new: Vec<PodInfo> = pods(&sim, "checkout-service")
        .into_iter()
        .filter(|p| p.containers.iter().any(|c| c.image.ends_with(":2.3.0")))
        .collect();
    let stuck = new
        .iter()
        .find(|p| p.running_not_ready())
        .expect("a 2.3.0 pod runs but is not Ready");
    assert_eq!(stuck.status, "Running");
    let e = explain(stuck);
    assert_eq!(e.kind, StatusKind::NotReady);
    assert!(
        e.meaning.contains("readiness probe (GET :8080/ready)"),
        "{}",
        e.meaning
    );
    let env = e
        .next
        .iter()
        .find(|s| s.contains("environment variables"))
        .unwrap();
    assert!(
        !env.contains("DATABASE_URL"),
        "the variable it lacks is not listed: {env}"
    );

    let d = deployment(&sim, "checkout-service");
    assert!(
        matches!(d.rollout, Rollout::Progressing { .. }),
        "{:?}",
        d.rollout
    );
    // Past the progress deadline (600 s) the rollout is stalled.
    sim.advance(Duration::from_secs(660));
    let d = deployment(&sim, "checkout-service");
    assert!(
        matches!(&d.rollout, Rollout::Stalled { reason, .. } if reason == "ProgressDeadlineExceeded"),
        "{:?}",
        d.rollout
    );
    assert!(d.has_problem());
}

#[test]
fn oom_loop_shows_oomkilled_into_crash_loop() {
    let sim = sim(ScenarioName::OomLoop);
    // Memory climbs past the limit within minutes; step until a pod is
    // caught backing off (it is Running again between back-offs).
    let mut looping = None;
    let mut seen = Vec::new();
    for _ in 0..120 {
        sim.advance(Duration::from_secs(5));
        let now = pods(&sim, "notification-service");
        seen.extend(now.iter().map(|p| p.status.clone()));
        looping = now.into_iter().find(|p| p.status == "CrashLoopBackOff");
        if looping.is_some() {
            break;
        }
    }
    seen.dedup();
    let looping = looping.unwrap_or_else(|| panic!("no CrashLoopBackOff in 10 minutes: {seen:?}"));
    convert_everything(&sim);
    let last = looping
        .last_termination
        .as_ref()
        .expect("a last termination");
    assert_eq!(last.short(), "OOMKilled exit 137");
    assert_eq!(looping.health, Health::Failing);
    let e = explain(&looping);
    assert_eq!(e.kind, StatusKind::CrashLoopOom);
    assert!(
        e.meaning.contains("its memory limit of 512Mi"),
        "{}",
        e.meaning
    );

    // The events say so too, and the newest comes first by last_seen.
    let mut events: Vec<EventInfo> = objects::<Event>(&sim, "events")
        .iter()
        .map(EventInfo::from_event)
        .collect();
    events.sort_by_key(|e| std::cmp::Reverse(e.last_seen));
    let oom_event = events
        .iter()
        .find(|e| e.warning && e.reason == "OOMKilling")
        .expect("the kernel's OOM kill is an event");
    assert_eq!(oom_event.object.kind, "Node");
    assert!(events.windows(2).all(|w| w[0].last_seen >= w[1].last_seen));
}
