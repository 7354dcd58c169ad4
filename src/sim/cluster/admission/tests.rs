use super::*;
use crate::sim::cluster::controllers::reconcile;
use crate::sim::store::resources;

fn world() -> World {
    let mut w = World::new(7, "2026-03-01T10:00:00Z".parse().expect("time"), 10_000);
    let ns = resources::by_storage("namespaces").expect("namespaces");
    w.create(ns, "", json!({"metadata": {"name": "prod"}}), false)
        .expect("namespace");
    w
}

fn add(w: &mut World, storage: &str, obj: Value) -> Result<Value, ApiError> {
    let rt = resources::by_storage(storage).expect("served");
    w.create(rt, "prod", obj, false)
}

fn pod(name: &str, cpu: &str, memory: &str) -> Value {
    json!({"metadata": {"name": name}, "spec": {"containers": [{
        "name": "app", "image": "app:1",
        "resources": {"requests": {"cpu": cpu, "memory": memory}},
    }]}})
}

#[test]
fn quantities_print_as_resource_quantity_does() {
    assert_eq!(format("requests.cpu", 1350), "1350m");
    assert_eq!(format("requests.cpu", 2000), "2");
    assert_eq!(
        format("requests.memory", 3520 * 1024 * 1024 * 1000),
        "3520Mi"
    );
    assert_eq!(format("limits.memory", 12 * (1 << 30) * 1000), "12Gi");
    assert_eq!(format("requests.memory", 1000 * 1000), "1000");
    assert_eq!(format("pods", 15_000), "15");
    assert_eq!(format("pods", 0), "0");
    assert_eq!(milli(&json!("100m")), Some(100));
    assert_eq!(milli(&json!("1Gi")), Some(1_073_741_824_000));
}

#[test]
fn limit_ranger_fills_missing_requests_and_limits_and_says_so() {
    let mut w = world();
    add(
        &mut w,
        "limitranges",
        json!({"metadata": {"name": "limits"}, "spec": {"limits": [{
            "type": "Container",
            "default": {"memory": "512Mi", "cpu": "500m"},
            "defaultRequest": {"cpu": "100m"},
        }]}}),
    )
    .expect("limit range");
    let created = add(
        &mut w,
        "pods",
        json!({"metadata": {"name": "bare"}, "spec": {"containers": [
            {"name": "app", "image": "app:1"},
            {"name": "side", "image": "side:1", "resources": {"limits": {"memory": "64Mi"}, "requests": {"memory": "32Mi"}}},
        ]}}),
    )
    .expect("pod");
    let app = &created["spec"]["containers"][0]["resources"];
    assert_eq!(app["limits"], json!({"cpu": "500m", "memory": "512Mi"}));
    // defaultRequest is defaulted from default where it names nothing.
    assert_eq!(app["requests"], json!({"cpu": "100m", "memory": "512Mi"}));
    let side = &created["spec"]["containers"][1]["resources"];
    assert_eq!(side["limits"], json!({"cpu": "500m", "memory": "64Mi"}));
    assert_eq!(side["requests"], json!({"cpu": "100m", "memory": "32Mi"}));
    assert_eq!(
        created["metadata"]["annotations"][LIMIT_RANGER_ANNOTATION],
        "LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app; cpu request for container side; cpu limit for container side"
    );
    assert_eq!(created["status"]["qosClass"], "Burstable");
}

#[test]
fn a_pod_over_quota_is_forbidden_with_the_quota_plugins_message() {
    let mut w = world();
    add(
        &mut w,
        "resourcequotas",
        json!({"metadata": {"name": "prod-quota"}, "spec": {"hard": {"pods": "2", "requests.cpu": "1", "requests.memory": "1Gi"}}}),
    )
    .expect("quota");
    reconcile(&mut w);
    add(&mut w, "pods", pod("a", "400m", "256Mi")).expect("first fits");
    let q = w
        .store
        .get_value("resourcequotas", "prod", "prod-quota")
        .expect("quota");
    assert_eq!(
        q["status"]["used"],
        json!({"pods": "1", "requests.cpu": "400m", "requests.memory": "256Mi"}),
        "admission charges the quota at once"
    );
    assert_eq!(q["status"]["hard"]["pods"], "2");
    let e = add(&mut w, "pods", pod("b", "700m", "256Mi")).expect_err("cpu over");
    assert_eq!(e.code, 403);
    assert_eq!(e.reason, "Forbidden");
    assert_eq!(
        e.message,
        "pods \"b\" is forbidden: exceeded quota: prod-quota, requested: requests.cpu=700m, used: requests.cpu=400m, limited: requests.cpu=1"
    );
    add(&mut w, "pods", pod("c", "100m", "128Mi")).expect("second fits");
    let e = add(&mut w, "pods", pod("d", "100m", "128Mi")).expect_err("pods over");
    assert_eq!(
        e.message,
        "pods \"d\" is forbidden: exceeded quota: prod-quota, requested: pods=1, used: pods=2, limited: pods=2"
    );
    // A container that states no cpu request cannot be charged.
    let e = add(
        &mut w,
        "pods",
        json!({"metadata": {"name": "e"}, "spec": {"containers": [{"name": "app", "image": "app:1"}]}}),
    )
    .expect_err("must specify");
    assert_eq!(
        e.message,
        "pods \"e\" is forbidden: failed quota: prod-quota: must specify requests.cpu,requests.memory"
    );
    // A pod going away gives its share back (the quota controller).
    let rt = resources::by_storage("pods").expect("pods");
    w.delete(
        rt,
        "prod",
        "a",
        &crate::sim::cluster::world::DeleteOptions::default(),
    )
    .expect("delete");
    reconcile(&mut w);
    let q = w
        .store
        .get_value("resourcequotas", "prod", "prod-quota")
        .expect("quota");
    assert_eq!(
        q["status"]["used"],
        json!({"pods": "1", "requests.cpu": "100m", "requests.memory": "128Mi"})
    );
}
