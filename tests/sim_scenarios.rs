//! The scenarios play their incidents: driven on the virtual clock, no
//! server needed, asserting what an on-call engineer would see; among
//! them config-missing, no-endpoints and quota-full, whose same seed tells
//! the same story.

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

// config-missing, no-endpoints, quota-full.

fn is_ready(p: &Value) -> bool {
    p["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|c| c["type"] == "Ready" && c["status"] == "True")
}

/// What an on-call engineer would compare: pod names and states, events.
fn story(sim: &Sim) -> Vec<String> {
    let mut lines: Vec<String> = sim
        .objects("pods", Some("production"))
        .iter()
        .map(|p| {
            format!(
                "pod {} {} {}",
                p["metadata"]["name"],
                p["status"]["phase"],
                p["status"]["containerStatuses"][0]["state"]
            )
        })
        .collect();
    lines.extend(sim.objects("events", Some("production")).iter().map(|e| {
        format!(
            "event {} {} {} {}",
            e["involvedObject"]["name"], e["reason"], e["message"], e["count"]
        )
    }));
    lines.extend(
        sim.objects("endpointslices", Some("production"))
            .iter()
            .map(|s| format!("slice {} {}", s["metadata"]["name"], s["endpoints"])),
    );
    lines
}

fn same_story_twice(scenario: ScenarioName, secs: u64) {
    let (a, b) = (sim(scenario), sim(scenario));
    a.advance(Duration::from_secs(secs));
    b.advance(Duration::from_secs(secs));
    assert_eq!(story(&a), story(&b), "{scenario}: same seed, same story");
}

#[test]
fn config_missing_stops_the_new_pods_and_keeps_the_old_ones_serving() {
    let sim = sim(ScenarioName::ConfigMissing);
    sim.advance(Duration::from_secs(90));
    let pods = pods_of(&sim, "production", "checkout-service");
    let stuck: Vec<&Value> = pods
        .iter()
        .filter(|p| {
            p["status"]["containerStatuses"][0]["state"]["waiting"]["reason"]
                == "CreateContainerConfigError"
        })
        .collect();
    assert_eq!(stuck.len(), 1, "one surge pod of 2.3.1, stuck");
    let waiting = &stuck[0]["status"]["containerStatuses"][0]["state"]["waiting"];
    assert_eq!(
        waiting["message"],
        "couldn't find key payment.provider in ConfigMap production/shop-config"
    );
    assert_eq!(stuck[0]["status"]["phase"], "Pending");
    assert!(
        stuck[0]["spec"]["containers"][0]["image"]
            .as_str()
            .is_some_and(|i| i.ends_with(":2.3.1"))
    );
    let serving = pods.iter().filter(|p| is_ready(p)).count();
    assert_eq!(serving, 3, "the old pods keep serving");
    let failed = events_with(
        &sim,
        "Failed",
        "Error: couldn't find key payment.provider in ConfigMap production/shop-config",
    );
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0]["count"].as_i64().unwrap_or(0) >= 5,
        "retried on every sync"
    );
    let slice = sim
        .objects("endpointslices", Some("production"))
        .into_iter()
        .find(|s| s["metadata"]["labels"]["kubernetes.io/service-name"] == "checkout-service")
        .expect("slice");
    let endpoints = slice["endpoints"].as_array().cloned().unwrap_or_default();
    assert_eq!(endpoints.len(), 4, "the stuck pod has its IP");
    let ready = endpoints
        .iter()
        .filter(|e| e["conditions"]["ready"] == true)
        .count();
    assert_eq!(ready, 3, "only the old pods are ready endpoints");
    same_story_twice(ScenarioName::ConfigMissing, 60);
}

#[test]
fn no_endpoints_leaves_ready_pods_behind_an_empty_service() {
    let sim = sim(ScenarioName::NoEndpoints);
    sim.advance(Duration::from_secs(30));
    let svc = sim
        .object("services", "production", "checkout-service")
        .expect("svc");
    assert_eq!(
        svc["spec"]["selector"],
        serde_json::json!({"app": "checkout"})
    );
    let writers: Vec<&str> = svc["metadata"]["managedFields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["manager"].as_str())
        .collect();
    assert!(writers.contains(&"kubectl-client-side-apply"));
    let pods = pods_of(&sim, "production", "checkout-service");
    assert_eq!(pods.len(), 3);
    assert!(pods.iter().all(is_ready), "every pod Running and Ready");
    let slices: Vec<Value> = sim
        .objects("endpointslices", Some("production"))
        .into_iter()
        .filter(|s| s["metadata"]["labels"]["kubernetes.io/service-name"] == "checkout-service")
        .collect();
    assert_eq!(slices.len(), 1);
    assert!(slices[0]["endpoints"].is_null(), "no endpoints");
    let ep = sim
        .object("endpoints", "production", "checkout-service")
        .expect("endpoints");
    assert!(ep.get("subsets").is_none());
    same_story_twice(ScenarioName::NoEndpoints, 30);
}

#[test]
fn quota_full_creates_what_fits_and_refuses_the_rest_forever() {
    let sim = sim(ScenarioName::QuotaFull);
    sim.advance(Duration::from_secs(120));
    let d = sim
        .object("deployments", "production", "api-server")
        .expect("deployment");
    // The HPA, its maximum raised to 8, scaled it there.
    assert_eq!(d["spec"]["replicas"], 8);
    let hpa = sim
        .object("horizontalpodautoscalers", "production", "api-server")
        .expect("hpa");
    assert_eq!(hpa["spec"]["maxReplicas"], 8);
    assert!(
        hpa["metadata"]["managedFields"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|m| m["manager"] == "kubectl-patch")
    );
    let pods = pods_of(&sim, "production", "api-server");
    assert_eq!(pods.len(), 6, "three more fit under production-quota");
    let quota = sim
        .object("resourcequotas", "production", "production-quota")
        .expect("quota");
    assert_eq!(quota["status"]["used"]["pods"], "15");
    let refused = events_with(
        &sim,
        "FailedCreate",
        "is forbidden: exceeded quota: production-quota, requested: pods=1, used: pods=15, limited: pods=15",
    );
    // Each refusal names the pod it would have made: nine events as they
    // are, then one "combined from similar events", counted up.
    let message = refused[0]["message"].as_str().unwrap_or("");
    assert!(
        message.starts_with("Error creating: pods \"api-server-"),
        "{message}"
    );
    let combined: Vec<&Value> = refused
        .iter()
        .filter(|e| {
            e["message"].as_str().is_some_and(|m| {
                m.starts_with("(combined from similar events): Error creating: pods \"api-server-")
            })
        })
        .collect();
    assert_eq!((refused.len(), combined.len()), (10, 1));
    assert!(combined[0]["count"].as_i64().unwrap_or(0) >= 5);
    let rs_name = refused[0]["involvedObject"]["name"].as_str().unwrap_or("");
    let rs = sim
        .object("replicasets", "production", rs_name)
        .expect("replicaset");
    let failure = rs["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["type"] == "ReplicaFailure")
        .cloned()
        .expect("ReplicaFailure");
    assert_eq!(failure["reason"], "FailedCreate");
    assert!(
        failure["message"]
            .as_str()
            .is_some_and(|m| m.contains("exceeded quota"))
    );
    let d = sim
        .object("deployments", "production", "api-server")
        .expect("deployment");
    let on_deployment = d["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["type"] == "ReplicaFailure")
        .cloned()
        .expect("the Deployment shows the ReplicaSet's failure");
    assert_eq!(on_deployment["reason"], "FailedCreate");
    assert_eq!(on_deployment["message"], failure["message"]);
    sim.advance(Duration::from_secs(300));
    assert_eq!(
        pods_of(&sim, "production", "api-server").len(),
        6,
        "forever"
    );
    same_story_twice(ScenarioName::QuotaFull, 60);
}
