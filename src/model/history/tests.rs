use k8s_openapi::api::apps::v1::{ControllerRevision, Deployment, ReplicaSet};
use serde_json::{Value, json};

use super::*;
use crate::model::workload::WorkloadKind;

const IMAGE: &str = "registry.local/shop/checkout-service";

fn template(version: &str, hash: Option<&str>) -> Value {
    let mut labels = json!({"app": "checkout-service"});
    if let Some(h) = hash {
        labels["pod-template-hash"] = json!(h);
    }
    json!({"metadata": {"labels": labels}, "spec": {
        "initContainers": [{"name": "migrate", "image": format!("{IMAGE}-migrate:{version}")}],
        "containers": [{"name": "checkout-service", "image": format!("{IMAGE}:{version}")}]}})
}

fn deployment(uid: Option<&str>, revision: Option<&str>, version: &str) -> Deployment {
    let mut meta = json!({"name": "checkout-service", "namespace": "production"});
    if let Some(u) = uid {
        meta["uid"] = json!(u);
    }
    if let Some(r) = revision {
        meta["annotations"] = json!({"deployment.kubernetes.io/revision": r});
    }
    serde_json::from_value(json!({
        "metadata": meta,
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "checkout-service"}},
                 "template": template(version, None)}
    }))
    .unwrap()
}

/// A ReplicaSet of the Deployment `owner` (uid `owner_uid`).
fn rs(
    owner: &str,
    owner_uid: &str,
    revision: Option<&str>,
    version: &str,
    hash: &str,
) -> ReplicaSet {
    let mut annotations = json!({"kubernetes.io/change-cause": format!("deploy {version}")});
    if let Some(r) = revision {
        annotations["deployment.kubernetes.io/revision"] = json!(r);
    }
    serde_json::from_value(json!({
        "metadata": {"name": format!("{owner}-{hash}"), "namespace": "production",
            "creationTimestamp": "2026-03-02T08:00:00Z",
            "labels": {"app": "checkout-service", "pod-template-hash": hash},
            "annotations": annotations,
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": owner,
                "uid": owner_uid, "controller": true}]},
        "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "checkout-service"}},
                 "template": template(version, Some(hash))},
        "status": {"replicas": 0}
    }))
    .unwrap()
}

fn numbers(h: &History) -> Vec<(i64, bool)> {
    h.revisions.iter().map(|r| (r.number, r.current)).collect()
}

#[test]
fn replica_sets_become_revisions_newest_first_with_the_current_marked() {
    let d = deployment(Some("d1"), Some("3"), "2.2.0");
    let mut current = rs("checkout-service", "d1", Some("3"), "2.2.0", "ccc");
    current.spec.as_mut().unwrap().replicas = Some(3);
    current.status.as_mut().unwrap().ready_replicas = Some(2);
    let sets = [
        rs("checkout-service", "d1", Some("1"), "2.0.0", "aaa"),
        current,
        rs("checkout-service", "d1", Some("2"), "2.1.0", "bbb"),
    ];
    let h = deployment_history(&d, &sets);
    assert_eq!(
        h.target,
        WorkloadRef::new(WorkloadKind::Deployment, "production", "checkout-service")
    );
    assert_eq!(numbers(&h), [(3, true), (2, false), (1, false)]);
    let r = h.current().unwrap();
    assert_eq!(r.name, "checkout-service-ccc");
    assert_eq!(r.change_cause.as_deref(), Some("deploy 2.2.0"));
    assert_eq!(
        r.images,
        [
            format!("checkout-service={IMAGE}:2.2.0"),
            format!("init:migrate={IMAGE}-migrate:2.2.0")
        ]
    );
    assert_eq!((r.ready, r.desired), (Some(2), Some(3)));
    assert_eq!(
        h.revision(1).unwrap().ready,
        Some(0),
        "absent readyReplicas is 0"
    );
    assert_eq!(r.created, Some("2026-03-02T08:00:00Z".parse().unwrap()));
}

#[test]
fn templates_lose_the_hash_label_and_match_the_deployment() {
    let d = deployment(Some("d1"), Some("1"), "2.0.0");
    let h = deployment_history(
        &d,
        &[rs("checkout-service", "d1", Some("1"), "2.0.0", "aaa")],
    );
    let t = &h.revisions[0].template;
    assert_eq!(t["metadata"]["labels"], json!({"app": "checkout-service"}));
    assert_eq!(
        *t,
        serde_json::to_value(&d.spec.as_ref().unwrap().template).unwrap()
    );

    // Only the hash label: the labels map goes with it.
    let mut only_hash = rs("checkout-service", "d1", Some("1"), "2.0.0", "aaa");
    let tpl = only_hash.spec.as_mut().unwrap().template.as_mut().unwrap();
    tpl.metadata.as_mut().unwrap().labels =
        Some([("pod-template-hash".to_string(), "aaa".to_string())].into());
    let h = deployment_history(&d, &[only_hash]);
    assert_eq!(h.revisions[0].template["metadata"], json!({}));
}

#[test]
fn other_deployments_replica_sets_are_left_out() {
    let d = deployment(Some("d1"), Some("2"), "2.1.0");
    let sets = [
        rs("checkout-service", "d1", Some("2"), "2.1.0", "bbb"),
        // Same name, other uid: a deleted and recreated deployment's leftover.
        rs("checkout-service", "old-uid", Some("5"), "1.0.0", "zzz"),
        rs("checkout-service-canary", "d2", Some("7"), "2.2.0", "ccc"),
    ];
    let h = deployment_history(&d, &sets);
    assert_eq!(numbers(&h), [(2, true)]);

    // Without a uid, the controller reference's kind and name decide.
    let d = deployment(None, Some("2"), "2.1.0");
    let h = deployment_history(&d, &sets);
    assert_eq!(numbers(&h), [(5, false), (2, true)]);
    let mut not_controller = rs("checkout-service", "d1", Some("9"), "2.1.0", "ddd");
    not_controller.metadata.owner_references.as_mut().unwrap()[0].controller = None;
    assert_eq!(numbers(&deployment_history(&d, &[not_controller])), []);
}

#[test]
fn missing_annotations_are_tolerated() {
    // No revision on the deployment: its template finds the current one.
    let d = deployment(Some("d1"), None, "2.1.0");
    let mut bare = rs("checkout-service", "d1", Some("1"), "2.0.0", "aaa");
    bare.metadata.annotations = Some(
        [(
            "deployment.kubernetes.io/revision".to_string(),
            "1".to_string(),
        )]
        .into(),
    );
    let sets = [
        rs("checkout-service", "d1", Some("2"), "2.1.0", "bbb"),
        rs("checkout-service", "d1", None, "2.2.0", "ccc"),
        rs("checkout-service", "d1", Some("next"), "2.2.0", "ddd"),
        bare,
    ];
    let h = deployment_history(&d, &sets);
    assert_eq!(numbers(&h), [(2, true), (1, false)]);
    assert_eq!(h.revisions[1].change_cause, None);

    // A revision annotation naming no ReplicaSet falls back the same way.
    let d = deployment(Some("d1"), Some("8"), "2.1.0");
    assert_eq!(
        numbers(&deployment_history(&d, &sets)),
        [(2, true), (1, false)]
    );

    // Nothing matches: nothing is current.
    let d = deployment(Some("d1"), None, "9.9.9");
    assert_eq!(
        numbers(&deployment_history(&d, &sets)),
        [(2, false), (1, false)]
    );

    // No spec at all anywhere.
    let empty = Deployment::default();
    let hollow = ReplicaSet {
        metadata: sets[0].metadata.clone(),
        ..ReplicaSet::default()
    };
    let h = deployment_history(&empty, &[hollow]);
    assert!(h.revisions.is_empty(), "no uid, no name: owns nothing");
    let mut named = Deployment::default();
    named.metadata.name = Some("checkout-service".into());
    let hollow = ReplicaSet {
        metadata: sets[0].metadata.clone(),
        ..ReplicaSet::default()
    };
    let h = deployment_history(&named, &[hollow]);
    assert_eq!(h.revisions[0].template, Value::Null);
    assert_eq!(h.revisions[0].desired, None);
    assert!(h.revisions[0].images.is_empty());
}

fn cr(name: &str, revision: i64, data: Option<Value>, cause: Option<&str>) -> ControllerRevision {
    let mut meta = json!({"name": name, "namespace": "production",
        "creationTimestamp": format!("2026-03-02T0{revision}:00:00Z")});
    if let Some(c) = cause {
        meta["annotations"] = json!({"kubernetes.io/change-cause": c});
    }
    let mut v = json!({"metadata": meta, "revision": revision});
    if let Some(d) = data {
        v["data"] = d;
    }
    serde_json::from_value(v).unwrap()
}

fn sts_data(image: &str) -> Value {
    json!({"spec": {"template": {
        "$patch": "replace",
        "metadata": {"labels": {"app": "postgres", "controller-revision-hash": "postgres-abc"}},
        "spec": {"containers": [{"name": "postgres", "image": image}]}}}})
}

#[test]
fn controller_revisions_become_revisions_with_plain_templates() {
    let target = WorkloadRef::new(WorkloadKind::StatefulSet, "production", "postgres");
    let crs = [
        cr(
            "postgres-6b8f",
            1,
            Some(sts_data("postgres:16.3")),
            Some("16.3"),
        ),
        cr("postgres-7c9d", 3, Some(sts_data("postgres:16.5")), None),
        cr(
            "postgres-5d4c",
            2,
            Some(sts_data("postgres:16.4")),
            Some("16.4"),
        ),
    ];
    let h = controller_history(target.clone(), Some("postgres-5d4c"), &crs);
    assert_eq!(h.target, target);
    assert_eq!(numbers(&h), [(3, false), (2, true), (1, false)]);
    let r = h.current().unwrap();
    assert_eq!(r.change_cause.as_deref(), Some("16.4"));
    assert_eq!(r.images, ["postgres=postgres:16.4"]);
    assert_eq!((r.ready, r.desired), (None, None));
    assert_eq!(
        r.template,
        json!({"metadata": {"labels": {"app": "postgres"}},
               "spec": {"containers": [{"name": "postgres", "image": "postgres:16.4"}]}})
    );
    assert_eq!(r.created, Some("2026-03-02T02:00:00Z".parse().unwrap()));

    // A DaemonSet names no revision: the highest is current.
    let ds = WorkloadRef::new(WorkloadKind::DaemonSet, "monitoring", "node-agent");
    assert_eq!(
        numbers(&controller_history(ds.clone(), None, &crs)),
        [(3, true), (2, false), (1, false)]
    );
    // A name matching nothing marks nothing.
    assert!(
        controller_history(ds.clone(), Some("gone"), &crs)
            .current()
            .is_none()
    );
    assert!(controller_history(ds, None, &[]).revisions.is_empty());
}

#[test]
fn garbage_controller_revision_data_still_lists_the_revision() {
    let target = WorkloadRef::new(WorkloadKind::StatefulSet, "production", "postgres");
    let crs = [
        cr("a", 1, None, None),
        cr("b", 2, Some(json!("not an object")), None),
        cr("c", 3, Some(json!({"spec": {"template": [1, 2]}})), None),
        cr("d", 4, Some(json!({"spec": null})), None),
        cr(
            "e",
            5,
            Some(json!({"spec": {"template": {"spec": {"containers": "x"}}}})),
            None,
        ),
        cr(
            "f",
            6,
            Some(json!({"spec": {"template": {"$patch": "replace"}}})),
            None,
        ),
    ];
    let h = controller_history(target, Some("c"), &crs);
    assert_eq!(
        numbers(&h),
        [
            (6, false),
            (5, false),
            (4, false),
            (3, true),
            (2, false),
            (1, false)
        ]
    );
    for r in &h.revisions[2..] {
        assert_eq!(r.template, Value::Null, "{}", r.name);
        assert!(r.images.is_empty());
    }
    assert_eq!(h.revisions[0].template, json!({}));
    assert!(h.revisions[1].images.is_empty());
}
