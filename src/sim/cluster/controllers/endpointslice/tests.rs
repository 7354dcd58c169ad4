use super::*;
use crate::sim::cluster::controllers::reconcile;
use crate::sim::cluster::time::k8s_time;

fn world() -> World {
    let mut w = World::new(7, "2026-03-01T10:00:00Z".parse().expect("time"), 10_000);
    let ns = resources::by_storage("namespaces").expect("namespaces");
    w.create(ns, "", json!({"metadata": {"name": "prod"}}), false)
        .expect("namespace");
    let nodes = resources::by_storage("nodes").expect("nodes");
    w.create(
        nodes,
        "",
        json!({"metadata": {"name": "node-1", "labels": {"topology.kubernetes.io/zone": "eu-west-1a"}}}),
        false,
    )
    .expect("node");
    w
}

fn service(w: &mut World, selector: Value) {
    let rt = resources::by_storage("services").expect("services");
    w.create(
        rt,
        "prod",
        json!({"metadata": {"name": "web", "labels": {"team": "shop"}}, "spec": {
            "selector": selector,
            "ports": [{"name": "http", "port": 80, "targetPort": "http"}, {"name": "metrics", "port": 9090}],
        }}),
        false,
    )
    .expect("service");
}

/// A pod on node-1 with an IP, Ready or not.
fn pod(w: &mut World, name: &str, ip: &str, ready: bool) {
    let rt = resources::by_storage("pods").expect("pods");
    let mut p = w
        .create(
            rt,
            "prod",
            json!({"metadata": {"name": name, "labels": {"app": "web"}}, "spec": {
                "nodeName": "node-1",
                "containers": [{"name": "app", "image": "web:1", "ports": [{"name": "http", "containerPort": 8080}]}],
            }}),
            false,
        )
        .expect("pod");
    set_ready(w, &mut p, ip, ready);
}

fn set_ready(w: &mut World, p: &mut Value, ip: &str, ready: bool) {
    p["status"]["phase"] = json!("Running");
    p["status"]["podIP"] = json!(ip);
    p["status"]["conditions"] = json!([{"type": "Ready", "status": if ready { "True" } else { "False" }, "lastTransitionTime": k8s_time(w.now)}]);
    w.put_internal("pods", p.clone());
}

fn slices(w: &World) -> Vec<Value> {
    managed_slices(w, "prod", "web")
}

fn endpoint_of<'a>(slice: &'a Value, pod: &str) -> &'a Value {
    slice["endpoints"]
        .as_array()
        .and_then(|eps| eps.iter().find(|e| e["targetRef"]["name"] == pod))
        .expect("an endpoint for the pod")
}

#[test]
fn ready_pods_become_endpoints_with_their_ports_node_and_zone() {
    let mut w = world();
    service(&mut w, json!({"app": "web"}));
    pod(&mut w, "web-1", "10.244.0.5", true);
    pod(&mut w, "web-2", "10.244.0.6", true);
    reconcile(&mut w);
    let all = slices(&w);
    assert_eq!(all.len(), 1);
    let s = &all[0];
    let name = s["metadata"]["name"].as_str().expect("name");
    assert!(
        name.starts_with("web-") && name.len() == "web-".len() + 5,
        "{name}"
    );
    assert_eq!(s["metadata"]["generateName"], "web-");
    assert_eq!(s["metadata"]["labels"][SERVICE_NAME_LABEL], "web");
    assert_eq!(s["metadata"]["labels"][MANAGED_BY_LABEL], MANAGED_BY);
    assert_eq!(
        s["metadata"]["labels"]["team"], "shop",
        "the Service's labels are copied"
    );
    let owner = &s["metadata"]["ownerReferences"][0];
    assert_eq!(
        (owner["kind"].as_str(), owner["name"].as_str()),
        (Some("Service"), Some("web"))
    );
    assert_eq!(owner["controller"], true);
    assert_eq!(s["addressType"], "IPv4");
    assert_eq!(
        s["ports"],
        json!([{"name": "http", "port": 8080, "protocol": "TCP"}, {"name": "metrics", "port": 9090, "protocol": "TCP"}]),
        "a named targetPort is the container port of that name"
    );
    let ep = endpoint_of(s, "web-1");
    assert_eq!(ep["addresses"], json!(["10.244.0.5"]));
    assert_eq!(
        ep["conditions"],
        json!({"ready": true, "serving": true, "terminating": false})
    );
    assert_eq!(ep["nodeName"], "node-1");
    assert_eq!(ep["zone"], "eu-west-1a");
    assert_eq!(ep["targetRef"]["kind"], "Pod");
    let eps = w
        .store
        .get_value("endpoints", "prod", "web")
        .expect("Endpoints");
    assert_eq!(
        eps["subsets"][0]["addresses"].as_array().map(Vec::len),
        Some(2)
    );
}

#[test]
fn an_unready_pod_is_neither_ready_nor_serving_and_the_slice_keeps_its_name() {
    let mut w = world();
    service(&mut w, json!({"app": "web"}));
    pod(&mut w, "web-1", "10.244.0.5", true);
    reconcile(&mut w);
    let before = slices(&w)[0]["metadata"]["name"].clone();
    let mut p = w.store.get_value("pods", "prod", "web-1").expect("pod");
    set_ready(&mut w, &mut p, "10.244.0.5", false);
    reconcile(&mut w);
    let all = slices(&w);
    assert_eq!(all[0]["metadata"]["name"], before);
    assert_eq!(
        endpoint_of(&all[0], "web-1")["conditions"],
        json!({"ready": false, "serving": false, "terminating": false})
    );
    let eps = w
        .store
        .get_value("endpoints", "prod", "web")
        .expect("Endpoints");
    assert!(eps["subsets"][0].get("addresses").is_none());
    assert_eq!(
        eps["subsets"][0]["notReadyAddresses"][0]["ip"],
        "10.244.0.5"
    );
}

#[test]
fn a_terminating_pod_is_serving_and_terminating_but_not_ready() {
    let mut w = world();
    service(&mut w, json!({"app": "web"}));
    pod(&mut w, "web-1", "10.244.0.5", true);
    reconcile(&mut w);
    let rt = resources::by_storage("pods").expect("pods");
    w.delete(rt, "prod", "web-1", &DeleteOptions::default())
        .expect("delete");
    reconcile(&mut w);
    assert_eq!(
        endpoint_of(&slices(&w)[0], "web-1")["conditions"],
        json!({"ready": false, "serving": true, "terminating": true})
    );
    let eps = w
        .store
        .get_value("endpoints", "prod", "web")
        .expect("Endpoints");
    assert!(
        eps.get("subsets").is_none(),
        "Endpoints leave terminating pods out"
    );
}

#[test]
fn a_selector_matching_nothing_keeps_one_empty_slice() {
    let mut w = world();
    service(&mut w, json!({"app": "web"}));
    pod(&mut w, "web-1", "10.244.0.5", true);
    reconcile(&mut w);
    let before = slices(&w)[0]["metadata"]["name"].clone();
    let rt = resources::by_storage("services").expect("services");
    let mut svc = w.store.get_value("services", "prod", "web").expect("svc");
    svc["spec"]["selector"] = json!({"app": "wbe"});
    w.replace(
        rt,
        "prod",
        "web",
        svc,
        crate::sim::cluster::world::Part::Main,
        false,
    )
    .expect("replace");
    reconcile(&mut w);
    let all = slices(&w);
    assert_eq!(all.len(), 1);
    assert_eq!(
        all[0]["metadata"]["name"], before,
        "the slice is kept, emptied"
    );
    assert!(all[0]["endpoints"].is_null());
    assert!(all[0]["ports"].is_null());
    // Deleting the Service takes its slices and Endpoints with it.
    w.delete(rt, "prod", "web", &DeleteOptions::default())
        .expect("delete");
    reconcile(&mut w);
    assert!(slices(&w).is_empty());
    assert!(w.store.get("endpoints", "prod", "web").is_none());
}

#[test]
fn pods_without_an_ip_or_finished_are_left_out() {
    let mut w = world();
    service(&mut w, json!({"app": "web"}));
    pod(&mut w, "web-1", "", true);
    pod(&mut w, "web-2", "10.244.0.6", true);
    let mut done = w.store.get_value("pods", "prod", "web-2").expect("pod");
    done["status"]["phase"] = json!("Succeeded");
    w.put_internal("pods", done);
    reconcile(&mut w);
    assert!(slices(&w)[0]["endpoints"].is_null());
}
