use super::*;
use crate::sim::cluster::controllers::reconcile;
use crate::sim::cluster::controllers::replicaset::tests::world;
use crate::sim::store::resources;

pub(crate) fn add_node(w: &mut World, name: &str, memory: &str, taint: Option<&str>) {
    let mut node = json!({"metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}}, "spec": {}, "status": {
        "allocatable": {"cpu": "2", "memory": memory, "pods": "110"},
        "conditions": [{"type": "Ready", "status": "True"}]}});
    if let Some(key) = taint {
        node["spec"]["taints"] = json!([{"key": key, "effect": "NoSchedule"}]);
    }
    w.create(
        resources::by_storage("nodes").expect("nodes"),
        "",
        node,
        false,
    )
    .expect("node");
}

fn add_pod(w: &mut World, name: &str, memory: &str) {
    let pod = json!({"metadata": {"name": name}, "spec": {"containers": [{"name": "app", "image": "app:1",
        "resources": {"requests": {"cpu": "100m", "memory": memory}}}]}});
    w.create(
        resources::by_storage("pods").expect("pods"),
        "prod",
        pod,
        false,
    )
    .expect("pod");
}

fn pod(w: &World, name: &str) -> Value {
    w.store.get_value("pods", "prod", name).expect("pod")
}

#[test]
fn bound_pods_are_read_through_nulls_and_odd_shapes() {
    let stored = r#"{"spec": {"nodeName": "node-1", "initContainers": null, "containers": [
            {"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}, "status": {"phase": "Running"}}"#;
    let pod = BoundPod::read(stored);
    let r = pod.requests();
    assert_eq!(
        (pod.spec.node_name.as_str(), r.cpu, r.memory),
        ("node-1", 1000, 1 << 30)
    );
    let odd =
        r#"{"spec": {"nodeName": "node-2", "containers": "x"}, "status": {"phase": "Failed"}}"#;
    let pod = BoundPod::read(odd);
    assert_eq!(
        (pod.spec.node_name.as_str(), pod.status.phase.as_str()),
        ("node-2", "Failed")
    );
}

#[test]
fn binds_to_the_least_loaded_node_and_explains_what_does_not_fit() {
    let mut w = world();
    add_node(
        &mut w,
        "node-1",
        "4Gi",
        Some("node.kubernetes.io/memory-pressure"),
    );
    add_node(&mut w, "node-2", "1Gi", None);
    add_node(&mut w, "node-3", "1Gi", None);
    add_pod(&mut w, "a", "512Mi");
    reconcile(&mut w);
    add_pod(&mut w, "b", "512Mi");
    add_pod(&mut w, "c", "2Gi");
    reconcile(&mut w);
    let a = pod(&w, "a");
    assert_eq!(a["spec"]["nodeName"], "node-2", "equal load: by name");
    assert_eq!(a["status"]["conditions"][0]["type"], "PodScheduled");
    assert_eq!(a["status"]["conditions"][0]["status"], "True");
    assert_eq!(
        pod(&w, "b")["spec"]["nodeName"],
        "node-3",
        "node-2 is half full"
    );
    let c = pod(&w, "c");
    assert!(c["spec"].get("nodeName").is_none());
    let cond = &c["status"]["conditions"][0];
    let msg = "0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }, \
               2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for \
               scheduling, 2 No preemption victims found for incoming pod.";
    assert_eq!(
        [&cond["status"], &cond["reason"], &cond["message"]],
        ["False", "Unschedulable", msg]
    );
    let events = w.store.values("events", Some("prod"));
    let find = |reason: &str, obj: &str| {
        events
            .iter()
            .find(|e| e["reason"] == reason && e["involvedObject"]["name"] == obj)
            .cloned()
    };
    let scheduled = find("Scheduled", "a").expect("Scheduled");
    assert_eq!(
        scheduled["message"],
        "Successfully assigned prod/a to node-2"
    );
    assert_eq!(scheduled["source"]["component"], "default-scheduler");
    let failed = find("FailedScheduling", "c").expect("FailedScheduling");
    assert_eq!(
        (failed["type"].as_str(), failed["message"].as_str()),
        (Some("Warning"), Some(msg))
    );
    // Retried on every resync, reported again once a minute.
    let count = |w: &World| {
        let events = w.store.values("events", Some("prod"));
        events
            .iter()
            .find(|e| e["reason"] == "FailedScheduling")
            .map(|e| e["count"].clone())
    };
    w.now += RESYNC;
    reconcile(&mut w);
    assert_eq!(count(&w), Some(json!(1)));
    w.now += SignedDuration::from_secs(55);
    reconcile(&mut w);
    assert_eq!(count(&w), Some(json!(2)));
}

#[test]
fn node_affinity_and_tolerations_are_respected() {
    let mut w = world();
    add_node(&mut w, "node-1", "4Gi", Some("dedicated"));
    add_node(&mut w, "node-2", "4Gi", None);
    let rt = resources::by_storage("pods").expect("pods");
    let pinned = json!({"metadata": {"name": "pinned"}, "spec": {
        "containers": [{"name": "app", "image": "app:1"}],
        "tolerations": [{"key": "dedicated", "operator": "Exists", "effect": "NoSchedule"}],
        "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-1"]}]}]}}}}});
    w.create(rt, "prod", pinned, false).expect("pod");
    let selected = json!({"metadata": {"name": "selected"}, "spec": {
        "containers": [{"name": "app", "image": "app:1"}], "nodeSelector": {"kubernetes.io/hostname": "node-1"}}});
    w.create(rt, "prod", selected, false).expect("pod");
    reconcile(&mut w);
    assert_eq!(pod(&w, "pinned")["spec"]["nodeName"], "node-1");
    let msg = &pod(&w, "selected")["status"]["conditions"][0]["message"];
    assert_eq!(
        msg,
        "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated \
         taint {dedicated: }. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
    );
}
