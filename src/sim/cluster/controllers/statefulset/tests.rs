use super::super::replicaset::tests::{make_ready, world};
use super::*;
use crate::sim::cluster::controllers::reconcile;
use crate::sim::cluster::world::Part;

fn create(w: &mut World) {
    let set = json!({
        "metadata": {"name": "db", "annotations": {"kubernetes.io/change-cause": "postgres 16"}},
        "spec": {
            "replicas": 3, "serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
            "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "pg", "image": "postgres:16"}]}},
        },
    });
    w.create(
        resources::by_storage("statefulsets").expect("sts"),
        "prod",
        set,
        false,
    )
    .expect("create");
}

fn pod_names(w: &World) -> Vec<String> {
    w.store
        .values("pods", Some("prod"))
        .iter()
        .map(|p| name(p).to_string())
        .collect()
}

/// Runs the controllers, making every pod Ready after each pass.
fn settle(w: &mut World, passes: usize) {
    for _ in 0..passes {
        reconcile(w);
        for p in w.store.values("pods", Some("prod")) {
            if !is_ready(&p) && !is_terminating(&p) {
                make_ready(w, &p);
            }
        }
    }
}

fn set_status(w: &World) -> Value {
    w.store.get_value("statefulsets", "prod", "db").expect("db")["status"].clone()
}

#[test]
fn ordered_ready_creates_one_pod_at_a_time_with_stable_identity() {
    let mut w = world();
    create(&mut w);
    reconcile(&mut w);
    assert_eq!(pod_names(&w), ["db-0"]);
    let p = w.store.get_value("pods", "prod", "db-0").expect("db-0");
    let labels = &p["metadata"]["labels"];
    assert_eq!(
        (
            labels[POD_NAME_LABEL].as_str(),
            labels[POD_INDEX_LABEL].as_str()
        ),
        (Some("db-0"), Some("0"))
    );
    assert_eq!(
        (
            p["spec"]["hostname"].as_str(),
            p["spec"]["subdomain"].as_str()
        ),
        (Some("db-0"), Some("db"))
    );
    let crs = w.store.values("controllerrevisions", Some("prod"));
    assert_eq!(crs.len(), 1);
    assert_eq!(labels[REVISION_LABEL], crs[0]["metadata"]["name"]);
    assert_eq!(crs[0]["revision"], 1);
    assert_eq!(
        crs[0]["metadata"]["annotations"]["kubernetes.io/change-cause"],
        "postgres 16"
    );
    assert_eq!(crs[0]["data"]["spec"]["template"]["$patch"], "replace");
    reconcile(&mut w);
    assert_eq!(pod_names(&w), ["db-0"], "waits for db-0 to be Ready");
    make_ready(&mut w, &p);
    reconcile(&mut w);
    assert_eq!(pod_names(&w), ["db-0", "db-1"]);
    settle(&mut w, 3);
    let st = set_status(&w);
    let counts = [
        "replicas",
        "readyReplicas",
        "currentReplicas",
        "updatedReplicas",
        "availableReplicas",
    ];
    assert_eq!(counts.map(|k| st[k].as_i64()), [Some(3); 5]);
    assert_eq!(st["currentRevision"], st["updateRevision"]);
    let events = w.store.values("events", Some("prod"));
    assert!(events.iter().any(|e| e["reason"] == "SuccessfulCreate"
        && e["message"] == "create Pod db-2 in StatefulSet db successful"));
}

#[test]
fn rolling_update_goes_down_from_the_highest_ordinal_to_the_partition_and_back() {
    let mut w = world();
    create(&mut w);
    settle(&mut w, 5);
    let old = set_status(&w)["currentRevision"].clone();
    let rt = resources::by_storage("statefulsets").expect("sts");
    let edit = |w: &mut World, image: &str, partition: i64| {
        let mut set = w.store.get_value("statefulsets", "prod", "db").expect("db");
        set["spec"]["template"]["spec"]["containers"][0]["image"] = json!(image);
        set["spec"]["updateStrategy"]["rollingUpdate"]["partition"] = json!(partition);
        w.replace(rt, "prod", "db", set, Part::Main, false)
            .expect("update");
    };
    edit(&mut w, "postgres:17", 1);
    reconcile(&mut w);
    let deleted = w.store.values("events", Some("prod"));
    assert!(
        deleted
            .iter()
            .any(|e| e["message"] == "delete Pod db-2 in StatefulSet db successful")
    );
    settle(&mut w, 6);
    let st = set_status(&w);
    assert_eq!(st["currentRevision"], old, "db-0 is below the partition");
    let image = |w: &World, p: &str| {
        w.store.get_value("pods", "prod", p).expect("pod")["spec"]["containers"][0]["image"].clone()
    };
    assert_eq!(
        [image(&w, "db-0"), image(&w, "db-1"), image(&w, "db-2")],
        ["postgres:16", "postgres:17", "postgres:17"]
    );
    assert_eq!(
        (
            st["updatedReplicas"].as_i64(),
            st["currentReplicas"].as_i64()
        ),
        (Some(2), Some(1))
    );
    edit(&mut w, "postgres:16", 0);
    settle(&mut w, 8);
    let st = set_status(&w);
    assert_eq!(
        (&st["currentRevision"], &st["updateRevision"]),
        (&old, &old),
        "rolled back to revision 1's template"
    );
    let crs = w.store.values("controllerrevisions", Some("prod"));
    let rev = |n: &Value| {
        crs.iter()
            .find(|c| c["metadata"]["name"] == *n)
            .map(|c| c["revision"].clone())
    };
    assert_eq!((crs.len(), rev(&old)), (2, Some(json!(3))));
}
