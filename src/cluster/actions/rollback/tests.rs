use std::collections::BTreeMap;

use super::*;

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn templates_match_but_for_the_hash_label_and_empty_fields() {
    let deployment = json!({
        "metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "web", "image": "web:1", "env": []}]},
    });
    let replica_set = json!({
        "metadata": {"labels": {"app": "web", "pod-template-hash": "5d8f9c"}, "annotations": {}},
        "spec": {"containers": [{"name": "web", "image": "web:1"}], "nodeSelector": null},
    });
    assert!(same_template(&deployment, &replica_set));
    let newer = json!({
        "metadata": {"labels": {"app": "web", "pod-template-hash": "77aa01"}},
        "spec": {"containers": [{"name": "web", "image": "web:2"}]},
    });
    assert!(!same_template(&deployment, &newer));
}

#[test]
fn the_patch_keeps_bookkeeping_and_brings_back_the_change_cause() {
    let deployment = map(&[
        (REVISION, "4"),
        ("deployment.kubernetes.io/revision-history", "1"),
        ("kubernetes.io/change-cause", "deploy 2.3.0"),
        ("team", "shop"),
    ]);
    let replica_set = map(&[
        (REVISION, "2"),
        ("deployment.kubernetes.io/desired-replicas", "3"),
        ("deployment.kubernetes.io/max-replicas", "4"),
        ("kubernetes.io/change-cause", "deploy 2.1.0"),
    ]);
    let template = json!({"metadata": {"labels": {"app": "web"}}});
    let patch = rollback_patch(template.clone(), Some(&deployment), Some(&replica_set));
    assert_eq!(
        patch,
        json!([
            {"op": "replace", "path": "/spec/template", "value": template},
            {"op": "replace", "path": "/metadata/annotations", "value": {
                "deployment.kubernetes.io/revision": "4",
                "deployment.kubernetes.io/revision-history": "1",
                "kubernetes.io/change-cause": "deploy 2.1.0",
            }},
        ])
    );
    // kube's JSON patch type reads it.
    let typed: Result<Patch<()>, _> = serde_json::from_value(patch).map(Patch::Json::<()>);
    assert!(typed.is_ok());
}

#[test]
fn selectors_render_as_list_parameters() {
    assert_eq!(
        selector_string(&json!({"matchLabels": {"app": "web", "tier": "front"}})),
        Ok("app=web,tier=front".into())
    );
    assert_eq!(
        selector_string(&json!({"matchLabels": {"app": "web"}, "matchExpressions": [
            {"key": "env", "operator": "In", "values": ["prod", "canary"]},
            {"key": "legacy", "operator": "DoesNotExist"},
            {"key": "zone", "operator": "NotIn", "values": ["a"]},
            {"key": "owner", "operator": "Exists"},
        ]})),
        Ok("app=web,env in (prod,canary),!legacy,zone notin (a),owner".into())
    );
    assert_eq!(selector_string(&Value::Null), Ok(String::new()));
    assert!(
        selector_string(&json!({"matchExpressions": [{"key": "a", "operator": "Near"}]})).is_err()
    );
}

fn rs(revision: Option<&str>, name: &str) -> DynamicObject {
    let mut o = DynamicObject::new(name, &ApiResource::erase::<ReplicaSet>(&()));
    if let Some(r) = revision {
        o.metadata.annotations = Some(map(&[(REVISION, r)]));
    }
    o
}

#[test]
fn revisions_are_picked_as_kubectl_picks_them() {
    let sets = [
        rs(Some("3"), "c"),
        rs(Some("1"), "a"),
        rs(Some("x"), "bad"),
        rs(Some("2"), "b"),
    ];
    let numbered: Vec<(i64, &DynamicObject)> = sets
        .iter()
        .filter_map(|s| replica_set_revision(s).map(|n| (n, s)))
        .collect();
    let name = |o: Option<&DynamicObject>| o.and_then(|o| o.metadata.name.clone());
    assert_eq!(name(pick(&numbered, 1)), Some("a".into()));
    assert_eq!(
        name(pick(&numbered, 0)),
        Some("b".into()),
        "0: the one before the newest"
    );
    assert_eq!(name(pick(&numbered, 7)), None);
    assert_eq!(replica_set_revision(&rs(None, "unnumbered")), Some(0));
    let only = [rs(Some("1"), "a")];
    let numbered: Vec<(i64, &DynamicObject)> = only.iter().map(|s| (1, s)).collect();
    assert_eq!(name(pick(&numbered, 0)), None);
}

#[test]
fn history_data_is_the_template_marked_to_replace() {
    let t =
        json!({"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "db"}]}});
    assert_eq!(
        history_data(&t),
        json!({"spec": {"template": {"$patch": "replace", "metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "db"}]}}}})
    );
}
