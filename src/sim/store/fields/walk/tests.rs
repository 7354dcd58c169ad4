use serde_json::{Value, json};

use super::*;
use crate::sim::store::fields::field_path;

fn printed(set: &FieldSet) -> Vec<String> {
    set.iter().map(|p| path_string(p)).collect()
}

fn deployment(replicas: i64, image: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{
                    "name": "app", "image": image,
                    "ports": [{"containerPort": 80}],
                    "env": [{"name": "A", "value": "1"}],
                }]},
            },
        },
    })
}

#[test]
fn an_applied_configuration_owns_its_leaves_and_list_elements_not_its_objects() {
    let set = applied_set(&deployment(3, "web:1")).expect("valid");
    assert_eq!(
        printed(&set),
        [
            ".apiVersion",
            ".kind",
            ".metadata.labels.app",
            ".metadata.name",
            ".spec.replicas",
            ".spec.selector",
            ".spec.template.metadata.labels.app",
            ".spec.template.spec.containers[name=\"app\"]",
            ".spec.template.spec.containers[name=\"app\"].env[name=\"A\"]",
            ".spec.template.spec.containers[name=\"app\"].env[name=\"A\"].name",
            ".spec.template.spec.containers[name=\"app\"].env[name=\"A\"].value",
            ".spec.template.spec.containers[name=\"app\"].image",
            ".spec.template.spec.containers[name=\"app\"].name",
            ".spec.template.spec.containers[name=\"app\"].ports[containerPort=80,protocol=\"TCP\"]",
            ".spec.template.spec.containers[name=\"app\"].ports[containerPort=80,protocol=\"TCP\"].containerPort",
        ]
    );
}

#[test]
fn an_applied_list_element_without_its_key_or_twice_is_refused() {
    let no_name = json!({"spec": {"containers": [{"image": "x"}]}});
    let e = applied_set(&no_name).expect_err("no key");
    assert!(e.contains(".spec.containers: element 0"), "{e}");
    let twice = json!({"spec": {"containers": [{"name": "a"}, {"name": "a"}]}});
    let e = applied_set(&twice).expect_err("duplicate");
    assert!(e.contains("duplicate entries for key [name=\"a\"]"), "{e}");
}

#[test]
fn compare_names_added_removed_and_modified_paths() {
    let old = deployment(3, "web:1");
    let mut new = deployment(5, "web:2");
    new["metadata"]["labels"]["tier"] = json!("front");
    new["spec"]["template"]["spec"]["containers"][0]
        .as_object_mut()
        .unwrap()
        .remove("env");
    new["data"] = json!({"k": "v"});
    let c = compare(&old, &new);
    assert_eq!(
        printed(&c.modified),
        [
            ".spec.replicas",
            ".spec.template.spec.containers[name=\"app\"].image"
        ]
    );
    assert_eq!(
        printed(&c.added),
        [".data", ".data.k", ".metadata.labels.tier"]
    );
    assert_eq!(
        printed(&c.removed),
        [
            ".spec.template.spec.containers[name=\"app\"].env",
            ".spec.template.spec.containers[name=\"app\"].env[name=\"A\"]",
            ".spec.template.spec.containers[name=\"app\"].env[name=\"A\"].name",
            ".spec.template.spec.containers[name=\"app\"].env[name=\"A\"].value",
        ]
    );
    let mut tolerations = old.clone();
    tolerations["spec"]["template"]["spec"]["tolerations"] = json!([{"key": "a"}]);
    let mut changed = tolerations.clone();
    changed["spec"]["template"]["spec"]["tolerations"] = json!([{"key": "b"}]);
    let c = compare(&tolerations, &changed);
    assert_eq!(
        printed(&c.modified),
        [".spec.template.spec.tolerations"],
        "an atomic list changes whole"
    );
}

#[test]
fn merge_keeps_live_fields_and_elements_and_replaces_atomic_values() {
    let mut live = deployment(3, "web:1");
    live["spec"]["template"]["spec"]["containers"] = json!([
        {"name": "init-proxy", "image": "proxy:1"},
        {"name": "app", "image": "web:1", "imagePullPolicy": "IfNotPresent"},
    ]);
    live["spec"]["template"]["spec"]["tolerations"] = json!([{"key": "a"}, {"key": "b"}]);
    live["metadata"]["finalizers"] = json!(["x"]);
    let config = json!({
        "metadata": {"labels": {"tier": "front", "app": null}, "finalizers": ["y"]},
        "spec": {
            "replicas": 5,
            "template": {"spec": {
                "containers": [{"name": "app", "image": "web:2"}, {"name": "sidecar", "image": "s:1"}],
                "tolerations": [{"key": "c"}],
            }},
        },
    });
    let merged = merge(&live, &config);
    assert_eq!(merged["spec"]["replicas"], 5);
    assert_eq!(merged["metadata"]["labels"], json!({"tier": "front"}));
    assert_eq!(merged["metadata"]["finalizers"], json!(["x", "y"]));
    assert_eq!(
        merged["spec"]["template"]["spec"]["tolerations"],
        json!([{"key": "c"}])
    );
    assert_eq!(
        merged["spec"]["template"]["spec"]["containers"],
        json!([
            {"name": "init-proxy", "image": "proxy:1"},
            {"name": "app", "image": "web:2", "imagePullPolicy": "IfNotPresent"},
            {"name": "sidecar", "image": "s:1"},
        ])
    );
    assert_eq!(merged["spec"]["selector"], live["spec"]["selector"]);
}

#[test]
fn merge_follows_the_configuration_order_for_the_elements_it_names() {
    let live = json!({"spec": {"containers": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}});
    let config = json!({"spec": {"containers": [{"name": "c"}, {"name": "a"}]}});
    let merged = merge(&live, &config);
    let names: Vec<&str> = merged["spec"]["containers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["b", "c", "a"]);
}

#[test]
fn remove_takes_out_fields_elements_and_maps_left_empty() {
    let mut obj = deployment(3, "web:1");
    let mut env = field_path(&["spec", "template", "spec", "containers"]);
    env.push(Pe::Key(key_text(&[("name", &json!("app"))])));
    env.extend(field_path(&["env"]));
    env.push(Pe::Key(key_text(&[("name", &json!("A"))])));
    assert!(remove(&mut obj, &env));
    assert!(
        obj["spec"]["template"]["spec"]["containers"][0]
            .get("env")
            .is_none(),
        "a list left empty goes, as Go omits it"
    );
    assert!(remove(
        &mut obj,
        &field_path(&["metadata", "labels", "app"])
    ));
    assert!(
        obj["metadata"].get("labels").is_none(),
        "labels left empty go, as Go omits them"
    );
    assert!(!remove(
        &mut obj,
        &field_path(&["metadata", "labels", "app"])
    ));
    assert!(remove(&mut obj, &field_path(&["spec", "replicas"])));
    assert!(obj["spec"].get("replicas").is_none());
}
