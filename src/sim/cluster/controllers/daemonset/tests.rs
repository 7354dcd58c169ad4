use super::super::replicaset::tests::{make_ready, world};
use super::super::scheduler::tests::add_node;
use super::*;
use crate::sim::cluster::controllers::reconcile;
use crate::sim::cluster::world::Part;
use crate::sim::store::resources;
use jiff::SignedDuration;

fn create(w: &mut World) {
    let ds = json!({"metadata": {"name": "agent"}, "spec": {
        "selector": {"matchLabels": {"app": "agent"}},
        "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {"containers": [{"name": "agent", "image": "agent:1"}]}}}});
    w.create(
        resources::by_storage("daemonsets").expect("ds"),
        "prod",
        ds,
        false,
    )
    .expect("create");
}

fn pods(w: &World) -> Vec<Value> {
    w.store.values("pods", Some("prod"))
}

fn ds_status(w: &World) -> Value {
    w.store
        .get_value("daemonsets", "prod", "agent")
        .expect("agent")["status"]
        .clone()
}

/// What the kubelets would do in five seconds: finish terminating pods,
/// start the others.
fn kubelet_step(w: &mut World) {
    for p in pods(w) {
        if is_terminating(&p) {
            w.remove_pod("prod", name(&p));
        } else if !is_ready(&p) && !text(&p, &["spec", "nodeName"]).is_empty() {
            make_ready(w, &p);
        }
    }
    w.now += SignedDuration::from_secs(5);
    reconcile(w);
}

#[test]
fn one_pod_per_node_it_may_run_on_bound_there_by_the_scheduler() {
    let mut w = world();
    add_node(&mut w, "node-1", "4Gi", None);
    add_node(
        &mut w,
        "node-2",
        "4Gi",
        Some("node.kubernetes.io/memory-pressure"),
    );
    add_node(&mut w, "node-3", "4Gi", Some("dedicated"));
    let mut cordoned = w.store.get_value("nodes", "", "node-1").expect("node");
    cordoned["spec"]["unschedulable"] = json!(true);
    w.put_internal("nodes", cordoned);
    create(&mut w);
    reconcile(&mut w);
    let mut placed: Vec<String> = pods(&w)
        .iter()
        .map(|p| text(p, &["spec", "nodeName"]).to_string())
        .collect();
    placed.sort();
    assert_eq!(
        placed,
        ["node-1", "node-2"],
        "cordoned and memory pressure are tolerated, `dedicated` is not"
    );
    let p = &pods(&w)[0];
    assert_eq!(p["metadata"]["ownerReferences"][0]["kind"], "DaemonSet");
    let pin =
        &p["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"];
    assert_eq!(
        pin["nodeSelectorTerms"][0]["matchFields"][0]["values"][0],
        p["spec"]["nodeName"]
    );
    assert_eq!(p["spec"]["tolerations"].as_array().map(Vec::len), Some(6));
    let crs = w.store.values("controllerrevisions", Some("prod"));
    let hash = &p["metadata"]["labels"][REVISION_LABEL];
    assert_eq!(
        (crs.len(), &crs[0]["metadata"]["labels"][REVISION_LABEL]),
        (1, hash)
    );
    assert_eq!(
        crs[0]["metadata"]["name"],
        format!("agent-{}", hash.as_str().unwrap_or(""))
    );
    kubelet_step(&mut w);
    let st = ds_status(&w);
    let keys = [
        "desiredNumberScheduled",
        "currentNumberScheduled",
        "numberReady",
        "numberAvailable",
        "updatedNumberScheduled",
    ];
    assert_eq!(keys.map(|k| st[k].as_i64()), [Some(2); 5]);
    assert_eq!(
        (
            st["numberMisscheduled"].as_i64(),
            st.get("numberUnavailable")
        ),
        (Some(0), None)
    );
}

#[test]
fn rolling_update_replaces_one_node_at_a_time() {
    let mut w = world();
    for n in ["node-1", "node-2", "node-3"] {
        add_node(&mut w, n, "4Gi", None);
    }
    create(&mut w);
    reconcile(&mut w);
    kubelet_step(&mut w);
    let mut ds = w
        .store
        .get_value("daemonsets", "prod", "agent")
        .expect("agent");
    ds["spec"]["template"]["spec"]["containers"][0]["image"] = json!("agent:2");
    w.replace(
        resources::by_storage("daemonsets").expect("ds"),
        "prod",
        "agent",
        ds,
        Part::Main,
        false,
    )
    .expect("update");
    for _ in 0..12 {
        reconcile(&mut w);
        let up = pods(&w)
            .iter()
            .filter(|p| !is_terminating(p) && is_ready(p))
            .count();
        assert!(up >= 2, "maxUnavailable 1 of 3 nodes: {up} available");
        kubelet_step(&mut w);
    }
    let images: Vec<Value> = pods(&w)
        .iter()
        .map(|p| p["spec"]["containers"][0]["image"].clone())
        .collect();
    assert_eq!(images, ["agent:2"; 3]);
    let st = ds_status(&w);
    assert_eq!(
        (
            st["updatedNumberScheduled"].as_i64(),
            st["numberAvailable"].as_i64()
        ),
        (Some(3), Some(3))
    );
    let mut revisions: Vec<i64> = w
        .store
        .values("controllerrevisions", Some("prod"))
        .iter()
        .map(revision_number)
        .collect();
    revisions.sort();
    assert_eq!(revisions, [1, 2]);
}
