use super::super::replicaset::tests::{make_ready, world};
use super::super::replicaset::{is_active, is_ready};
use super::*;
use crate::sim::cluster::controllers::reconcile;
use crate::sim::cluster::world::Part;
use jiff::SignedDuration;

fn create(w: &mut World, strategy: Value, deadline: i64) {
    let d = json!({
        "metadata": {"name": "web", "annotations": {"kubernetes.io/change-cause": "v1"}},
        "spec": {
            "replicas": 4, "selector": {"matchLabels": {"app": "web"}}, "strategy": strategy,
            "progressDeadlineSeconds": deadline,
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "web:1"}]}},
        },
    });
    let rt = resources::by_storage("deployments").expect("deployments");
    w.create(rt, "prod", d, false).expect("create");
}

fn rolling() -> Value {
    json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 1}})
}

fn web(w: &World) -> Value {
    w.store
        .get_value("deployments", "prod", "web")
        .expect("web")
}

fn edit(w: &mut World, image: &str, paused: bool) {
    let mut d = web(w);
    d["spec"]["template"]["spec"]["containers"][0]["image"] = json!(image);
    d["spec"]["paused"] = json!(paused);
    d["metadata"]["annotations"]["kubernetes.io/change-cause"] = json!(image);
    let rt = resources::by_storage("deployments").expect("deployments");
    w.replace(rt, "prod", "web", d, Part::Main, false)
        .expect("update");
}

/// Runs the controllers, every pod turning Ready as soon as it exists;
/// with `bounded`, checks on the way that a rollout of 4 never has more
/// than 5 pods nor fewer than 3 ready.
fn settle(w: &mut World, bounded: bool) {
    for _ in 0..30 {
        reconcile(w);
        let pods = w.store.values("pods", Some("prod"));
        let pods: Vec<&Value> = pods.iter().filter(|p| is_active(p)).collect();
        let ready = pods.iter().filter(|p| is_ready(p)).count();
        assert!(
            !bounded || (pods.len() <= 5 && ready >= 3),
            "{ready}/{}",
            pods.len()
        );
        for p in pods.into_iter().filter(|p| !is_ready(p)) {
            make_ready(w, p);
        }
    }
}

fn at(w: &World, rev: &str) -> Value {
    let all = w.store.values("replicasets", Some("prod"));
    let found = all
        .into_iter()
        .find(|rs| annotation(rs, REVISION) == Some(rev));
    found.expect("revision")
}

/// `revision:replicas …` of the ReplicaSets, then the conditions.
fn state(w: &World) -> String {
    let mut all = w.store.values("replicasets", Some("prod"));
    all.sort_by(by_revision);
    let sizes: Vec<String> = all
        .iter()
        .map(|rs| format!("{}:{}", revision(rs).unwrap_or(0), spec_replicas(rs)))
        .collect();
    let d = web(w);
    let conds = d["status"]["conditions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let conds: Vec<String> = conds
        .iter()
        .map(|c| format!("{}={}/{}", c["type"], c["status"], c["reason"]))
        .collect();
    format!("{} | {}", sizes.join(" "), conds.join(" ")).replace('"', "")
}

fn events(w: &World) -> Vec<String> {
    let all = w.store.values("events", Some("prod"));
    all.iter()
        .map(|e| format!("{}: {}", e["reason"], e["message"]).replace('"', ""))
        .collect()
}

#[test]
fn template_change_rolls_to_revision_two_and_rollback_reuses_revision_one() {
    let mut w = world();
    create(&mut w, rolling(), 600);
    settle(&mut w, false);
    let rs1 = at(&w, "1");
    let hash = rs1["metadata"]["labels"][HASH_LABEL]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert_eq!(name(&rs1), format!("web-{hash}"));
    assert_eq!(rs1["spec"]["selector"]["matchLabels"][HASH_LABEL], hash);
    assert_eq!(
        rs1["spec"]["template"]["metadata"]["labels"][HASH_LABEL],
        hash
    );
    let anns = &rs1["metadata"]["annotations"];
    assert_eq!([&anns[DESIRED_REPLICAS], &anns[MAX_REPLICAS]], ["4", "5"]);
    assert_eq!(anns["kubernetes.io/change-cause"], "v1");
    assert_eq!(rs1["metadata"]["ownerReferences"][0]["kind"], "Deployment");
    let created = format!("ScalingReplicaSet: Scaled up replica set web-{hash} to 4");
    assert!(events(&w).contains(&created));

    edit(&mut w, "web:2", false);
    reconcile(&mut w);
    let progress = "Available=True/MinimumReplicasAvailable Progressing=True/ReplicaSetUpdated";
    assert_eq!(
        state(&w),
        format!("1:3 2:2 | {progress}"),
        "4 + 1 surge, 1 unavailable"
    );
    let down = format!("ScalingReplicaSet: Scaled down replica set web-{hash} to 3 from 4");
    assert!(events(&w).contains(&down), "{:?}", events(&w));
    settle(&mut w, true);
    let done = "Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetAvailable";
    assert_eq!(state(&w), format!("1:0 2:4 | {done}"));
    let (d, rs2) = (web(&w), at(&w, "2"));
    assert_eq!(
        rs2["metadata"]["annotations"]["kubernetes.io/change-cause"],
        "web:2"
    );
    assert_eq!(annotation(&d, REVISION), Some("2"));
    let keys = ["updatedReplicas", "availableReplicas", "observedGeneration"];
    assert_eq!(
        keys.map(|k| d["status"][k].as_i64()),
        [Some(4), Some(4), Some(2)]
    );
    assert!(d["status"].get("unavailableReplicas").is_none());
    let msg = format!("ReplicaSet \"{}\" has successfully progressed.", name(&rs2));
    assert_eq!(
        condition(&d["status"], PROGRESSING).map(|c| &c["message"]),
        Some(&json!(msg))
    );

    edit(&mut w, "web:1", false);
    settle(&mut w, true);
    assert_eq!(
        state(&w),
        format!("2:0 3:4 | {done}"),
        "no third ReplicaSet"
    );
    let back = at(&w, "3");
    assert_eq!(
        (name(&back), annotation(&back, REVISION_HISTORY)),
        (name(&rs1), Some("1"))
    );
    assert_eq!(annotation(&web(&w), REVISION), Some("3"));
}

#[test]
fn a_paused_deployment_does_not_roll_until_resumed() {
    let mut w = world();
    create(&mut w, rolling(), 600);
    settle(&mut w, false);
    edit(&mut w, "web:2", true);
    settle(&mut w, true);
    let paused = "Available=True/MinimumReplicasAvailable Progressing=Unknown/DeploymentPaused";
    assert_eq!(state(&w), format!("1:4 | {paused}"));
    edit(&mut w, "web:2", false);
    settle(&mut w, true);
    let done = "Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetAvailable";
    assert_eq!(state(&w), format!("1:0 2:4 | {done}"));
}

#[test]
fn a_rollout_that_never_gets_ready_exceeds_its_progress_deadline() {
    let mut w = world();
    create(&mut w, rolling(), 30);
    reconcile(&mut w);
    w.now += SignedDuration::from_secs(20);
    reconcile(&mut w);
    let waiting = "Available=False/MinimumReplicasUnavailable Progressing=True/ReplicaSetUpdated";
    assert_eq!(state(&w), format!("1:4 | {waiting}"));
    w.now += SignedDuration::from_secs(15);
    reconcile(&mut w);
    let stalled =
        "Available=False/MinimumReplicasUnavailable Progressing=False/ProgressDeadlineExceeded";
    assert_eq!(state(&w), format!("1:4 | {stalled}"));
    let d = web(&w);
    let msg = format!(
        "ReplicaSet \"{}\" has timed out progressing.",
        name(&at(&w, "1"))
    );
    assert_eq!(
        condition(&d["status"], PROGRESSING).map(|c| &c["message"]),
        Some(&json!(msg))
    );
    assert_eq!(d["status"]["unavailableReplicas"], 4);
}

#[test]
fn recreate_waits_for_old_pods_to_be_gone() {
    let mut w = world();
    super::super::scheduler::tests::add_node(&mut w, "node-1", "16Gi", None);
    create(&mut w, json!({"type": "Recreate"}), 600);
    settle(&mut w, false);
    edit(&mut w, "web:2", false);
    reconcile(&mut w);
    assert!(
        state(&w).starts_with("1:0 |"),
        "old pods are still terminating: {}",
        state(&w)
    );
    for p in w.store.values("pods", Some("prod")) {
        w.remove_pod("prod", name(&p));
    }
    w.now += SignedDuration::from_secs(5);
    reconcile(&mut w);
    assert!(state(&w).starts_with("1:0 2:4 |"), "{}", state(&w));
    let up = format!(
        "ScalingReplicaSet: Scaled up replica set {} to 4",
        name(&at(&w, "2"))
    );
    assert!(events(&w).contains(&up), "created at full size");
}
