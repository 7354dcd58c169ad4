use super::*;
use crate::sim::cluster::controllers::reconcile;

pub(crate) fn world() -> World {
    let mut w = World::new(7, "2026-03-01T10:00:00Z".parse().expect("time"), 10_000);
    let ns = resources::by_storage("namespaces").expect("namespaces");
    w.create(ns, "", json!({"metadata": {"name": "prod"}}), false)
        .expect("namespace");
    w
}

/// What the kubelet would write for a pod that started and passed readiness.
pub(crate) fn make_ready(w: &mut World, pod: &Value) {
    let mut p = pod.clone();
    p["status"]["phase"] = json!("Running");
    p["status"]["conditions"] =
        json!([{"type": "Ready", "status": "True", "lastTransitionTime": k8s_time(w.now)}]);
    w.put_internal("pods", p);
}

pub(crate) fn pods_of(w: &World, owner: &str) -> Vec<Value> {
    w.store
        .values("pods", Some("prod"))
        .into_iter()
        .filter(|p| p["metadata"]["ownerReferences"][0]["name"] == owner)
        .collect()
}

fn replicaset(replicas: i64) -> Value {
    json!({
        "metadata": {"name": "web-abc"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "web:1"}]}},
        },
    })
}

#[test]
fn creates_pods_and_replaces_an_evicted_one() {
    let mut w = world();
    let rt = resources::by_storage("replicasets").expect("rs");
    w.create(rt, "prod", replicaset(3), false).expect("rs");
    reconcile(&mut w);
    let pods = pods_of(&w, "web-abc");
    assert_eq!(pods.len(), 3);
    let first = &pods[0];
    assert!(name(first).starts_with("web-abc-") && name(first).len() == "web-abc-".len() + 5);
    assert_eq!(first["metadata"]["labels"]["app"], "web");
    assert_eq!(first["metadata"]["ownerReferences"][0]["controller"], true);
    assert_eq!(
        first["status"]["phase"], "Pending",
        "created through the defaulting path"
    );
    for p in &pods {
        make_ready(&mut w, p);
    }
    let mut evicted = pods_of(&w, "web-abc")[0].clone();
    evicted["status"] = json!({"phase": "Failed", "reason": "Evicted", "message": "The node was low on resource: memory."});
    w.put_internal("pods", evicted);
    reconcile(&mut w);
    let pods = pods_of(&w, "web-abc");
    assert_eq!(
        pods.len(),
        4,
        "the evicted pod stays, a replacement is made"
    );
    assert_eq!(pods.iter().filter(|p| is_active(p)).count(), 3);
    let rs = w
        .store
        .get_value("replicasets", "prod", "web-abc")
        .expect("rs");
    assert_eq!(rs["status"]["replicas"], 3);
    assert_eq!(rs["status"]["readyReplicas"], 2);
    assert_eq!(rs["status"]["observedGeneration"], 1);
    let created = w
        .store
        .values("events", Some("prod"))
        .iter()
        .filter(|e| {
            e["reason"] == "SuccessfulCreate"
                && e["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("Created pod: web-abc-"))
        })
        .count();
    assert_eq!(created, 4);
}

#[test]
fn scale_down_deletes_unready_pods_first() {
    let mut w = world();
    let rt = resources::by_storage("replicasets").expect("rs");
    w.create(rt, "prod", replicaset(3), false).expect("rs");
    reconcile(&mut w);
    let pods = pods_of(&w, "web-abc");
    make_ready(&mut w, &pods[0]);
    let keep = name(&pods[0]).to_string();
    let mut rs = w
        .store
        .get_value("replicasets", "prod", "web-abc")
        .expect("rs");
    rs["spec"]["replicas"] = json!(1);
    w.replace(
        rt,
        "prod",
        "web-abc",
        rs,
        crate::sim::cluster::world::Part::Main,
        false,
    )
    .expect("scale");
    reconcile(&mut w);
    let left = pods_of(&w, "web-abc");
    assert_eq!(left.len(), 1);
    assert_eq!(name(&left[0]), keep, "the ready pod survives");
    let rs = w
        .store
        .get_value("replicasets", "prod", "web-abc")
        .expect("rs");
    assert_eq!(rs["status"]["observedGeneration"], 2);
    assert_eq!(rs["status"]["replicas"], 1);
}

#[test]
fn percentages_round_as_kubernetes_does() {
    assert_eq!(scaled_value(&json!("25%"), 10, true), 3);
    assert_eq!(scaled_value(&json!("25%"), 10, false), 2);
    assert_eq!(scaled_value(&json!(2), 10, false), 2);
    assert_eq!(scaled_value(&json!("x"), 10, false), 0);
}
