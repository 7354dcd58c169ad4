//! The config-missing, no-endpoints and quota-full scenarios play their
//! incidents on the virtual clock, no server needed, and the same seed
//! tells the same story.

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
