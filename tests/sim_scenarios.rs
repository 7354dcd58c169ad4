//! The scenarios play their incidents: driven on the virtual clock, no
//! server needed, asserting what an on-call engineer would see.

use std::time::Duration;

use serde_json::Value;
use warroom::sim::{ScenarioName, Sim, SimConfig};

fn sim(scenario: ScenarioName) -> Sim {
    Sim::new(SimConfig {
        scenario,
        seed: 3,
        speed: 0.0,
        start: Some("2026-03-02T09:00:00Z".parse().expect("time")),
        ..SimConfig::default()
    })
}

fn pods_of(sim: &Sim, ns: &str, app: &str) -> Vec<Value> {
    sim.objects("pods", Some(ns))
        .into_iter()
        .filter(|p| p["metadata"]["labels"]["app"] == app)
        .collect()
}

fn events_with(sim: &Sim, reason: &str, text: &str) -> Vec<Value> {
    sim.objects("events", None)
        .into_iter()
        .filter(|e| {
            e["reason"] == reason && e["message"].as_str().is_some_and(|m| m.contains(text))
        })
        .collect()
}

#[test]
fn readiness_flap_then_liveness_restarts_the_deadlocked_pods() {
    let sim = sim(ScenarioName::ReadinessFlap);
    sim.advance(Duration::from_secs(60));
    let unready = pods_of(&sim, "production", "api-server")
        .iter()
        .filter(|p| {
            p["status"]["conditions"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|c| c["type"] == "Ready" && c["status"] == "False")
        })
        .count();
    let flapped = events_with(&sim, "Unhealthy", "Readiness probe failed");
    assert!(
        !flapped.is_empty() || unready > 0,
        "readiness flaps within a minute"
    );
    sim.advance(Duration::from_secs(300));
    let pods = pods_of(&sim, "production", "api-server");
    let restarted: Vec<&Value> = pods
        .iter()
        .filter(|p| {
            p["status"]["containerStatuses"][0]["restartCount"]
                .as_u64()
                .unwrap_or(0)
                >= 1
        })
        .collect();
    assert!(
        !restarted.is_empty(),
        "a deadlocked api-server pod is restarted"
    );
    let last = &restarted[0]["status"]["containerStatuses"][0]["lastState"]["terminated"];
    assert_eq!(last["exitCode"], 137);
    assert_eq!(last["reason"], "Error");
    assert!(!events_with(&sim, "Killing", "failed liveness probe, will be restarted").is_empty());
    assert!(!events_with(&sim, "Unhealthy", "Liveness probe failed").is_empty());
}

#[test]
fn image_pull_failure_backs_off_and_keeps_the_old_pods() {
    let sim = sim(ScenarioName::ImagePull);
    sim.advance(Duration::from_secs(60));
    let pods = pods_of(&sim, "production", "worker");
    let waiting: Vec<&str> = pods
        .iter()
        .filter_map(|p| p["status"]["containerStatuses"][0]["state"]["waiting"]["reason"].as_str())
        .collect();
    assert!(
        waiting
            .iter()
            .any(|r| *r == "ImagePullBackOff" || *r == "ErrImagePull"),
        "the new worker pod cannot pull: {waiting:?}"
    );
    let running = pods
        .iter()
        .filter(|p| p["status"]["phase"] == "Running")
        .count();
    assert_eq!(running, 2, "maxUnavailable 25% of 2 keeps both old pods");
    assert!(!events_with(&sim, "Failed", "worker:2.5.0").is_empty());
    assert!(!events_with(&sim, "BackOff", "Back-off pulling image").is_empty());
}

#[test]
fn node_pressure_taints_the_node_and_evicts_a_pod_that_is_replaced() {
    let sim = sim(ScenarioName::NodePressure);
    sim.advance(Duration::from_secs(240));
    let node = sim.object("nodes", "", "node-3").expect("node-3");
    let pressure = node["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["type"] == "MemoryPressure")
        .cloned()
        .unwrap_or_default();
    assert_eq!(pressure["status"], "True", "{pressure}");
    assert!(
        node["spec"]["taints"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|t| t["key"] == "node.kubernetes.io/memory-pressure")
    );
    let evicted: Vec<Value> = sim
        .objects("pods", None)
        .into_iter()
        .filter(|p| p["status"]["reason"] == "Evicted")
        .collect();
    assert!(!evicted.is_empty(), "a pod on node-3 is evicted");
    assert_eq!(evicted[0]["status"]["phase"], "Failed");
    assert!(
        evicted[0]["status"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("low on resource: memory")
    );
    assert!(!events_with(&sim, "EvictionThresholdMet", "reclaim memory").is_empty());
    // Its workload replaced it (an Evicted pod stays, Failed, for the record).
    let ns = evicted[0]["metadata"]["namespace"].as_str().unwrap_or("");
    let app = evicted[0]["metadata"]["labels"]["app"]
        .as_str()
        .unwrap_or("");
    let replacements = pods_of(&sim, ns, app)
        .iter()
        .filter(|p| p["status"]["phase"] == "Running")
        .count();
    assert!(replacements >= 1, "{app} has a running replacement");
    // Nothing new is scheduled onto the tainted node.
    let new_on_node3 = sim
        .objects("pods", None)
        .into_iter()
        .filter(|p| p["spec"]["nodeName"] == "node-3" && p["status"]["phase"] == "Pending")
        .count();
    assert_eq!(new_on_node3, 0);
}

#[test]
fn same_seed_same_story() {
    let a = sim(ScenarioName::OomLoop);
    let b = sim(ScenarioName::OomLoop);
    a.advance(Duration::from_secs(120));
    b.advance(Duration::from_secs(120));
    let names = |s: &Sim| -> Vec<String> {
        s.objects("pods", None)
            .iter()
            .filter_map(|p| p["metadata"]["name"].as_str().map(String::from))
            .collect()
    };
    assert_eq!(names(&a), names(&b));
    assert_eq!(a.resource_version(), b.resource_version());
    assert_eq!(
        a.objects("events", Some("production")).len(),
        b.objects("events", Some("production")).len()
    );
}

#[test]
fn every_node_has_a_lease_its_kubelet_renews() {
    let sim = sim(ScenarioName::Calm);
    let renew = |s: &Sim| -> Vec<String> {
        s.objects("leases", Some("kube-node-lease"))
            .iter()
            .map(|l| l["spec"]["renewTime"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let before = renew(&sim);
    assert_eq!(before.len(), sim.objects("nodes", None).len());
    sim.advance(Duration::from_secs(30));
    let after = renew(&sim);
    assert!(
        before.iter().zip(&after).all(|(b, a)| a > b),
        "{before:?} → {after:?}"
    );
}
