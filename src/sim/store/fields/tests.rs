use serde_json::json;

use super::schema::{ELEMENT, ListType, atomic_object, list_type};
use super::*;

fn container(name: &str) -> Pe {
    Pe::Key(key_text(&[("name", &json!(name))]))
}

#[test]
fn fields_v1_marks_a_path_with_children_of_its_own_with_a_dot() {
    let mut set = FieldSet::new();
    set.insert(field_path(&["data"]));
    set.insert(field_path(&["data", "k"]));
    set.insert(field_path(&["metadata", "labels", "app"]));
    let mut image = field_path(&["spec", "containers"]);
    image.push(container("app"));
    set.insert(image.clone());
    image.push(Pe::Field("image".into()));
    set.insert(image);
    assert_eq!(
        set.to_fields_v1(),
        json!({
            "f:data": {".": {}, "f:k": {}},
            "f:metadata": {"f:labels": {"f:app": {}}},
            "f:spec": {"f:containers": {"k:{\"name\":\"app\"}": {".": {}, "f:image": {}}}},
        })
    );
    assert_eq!(FieldSet::from_fields_v1(&set.to_fields_v1()), Ok(set));
}

#[test]
fn fields_v1_reads_keys_values_and_indexes_whatever_the_order_of_key_names() {
    let v = json!({
        "f:spec": {"f:ports": {"k:{\"protocol\":\"TCP\",\"port\":80}": {".": {}, "f:port": {}}}},
        "f:metadata": {"f:finalizers": {"v:\"a\"": {}}},
        "f:list": {"i:3": {}},
    });
    let set = FieldSet::from_fields_v1(&v).expect("valid");
    let mut port = field_path(&["spec", "ports"]);
    port.push(Pe::Key(key_text(&[
        ("port", &json!(80)),
        ("protocol", &json!("TCP")),
    ])));
    assert!(set.contains(&port), "{set:?}");
    let mut fin = field_path(&["metadata", "finalizers"]);
    fin.push(Pe::Value("\"a\"".into()));
    assert!(set.contains(&fin));
    let mut idx = field_path(&["list"]);
    idx.push(Pe::Index(3));
    assert!(set.contains(&idx));
    assert_eq!(set.len(), 4);
    assert!(FieldSet::from_fields_v1(&json!({"x:y": {}})).is_err());
    assert!(FieldSet::from_fields_v1(&json!({"f:a": 1})).is_err());
}

#[test]
fn paths_print_as_the_api_server_prints_them_in_conflicts() {
    let mut p = field_path(&["spec", "template", "spec", "containers"]);
    p.push(container("app"));
    p.push(Pe::Field("image".into()));
    assert_eq!(
        path_string(&p),
        ".spec.template.spec.containers[name=\"app\"].image"
    );
    let mut port = field_path(&["spec", "ports"]);
    port.push(Pe::Key(key_text(&[
        ("protocol", &json!("TCP")),
        ("port", &json!(80)),
    ])));
    assert_eq!(path_string(&port), ".spec.ports[port=80,protocol=\"TCP\"]");
    let mut fin = field_path(&["metadata", "finalizers"]);
    fin.push(Pe::Value("\"x\"".into()));
    assert_eq!(path_string(&fin), ".metadata.finalizers[=\"x\"]");
}

#[test]
fn a_set_is_walked_level_by_level_with_shallow_paths_first() {
    let mut paths = [
        field_path(&["spec", "a", "z"]),
        field_path(&["spec", "b"]),
        field_path(&["spec", "a"]),
        field_path(&["metadata", "labels", "x"]),
    ];
    paths.sort_by(|a, b| walk_order(a, b));
    let printed: Vec<String> = paths.iter().map(|p| path_string(p)).collect();
    assert_eq!(
        printed,
        [".metadata.labels.x", ".spec.a", ".spec.b", ".spec.a.z"]
    );
}

#[test]
fn lists_merge_by_the_keys_kubernetes_declares() {
    let pod = ["spec", "template", "spec"];
    let at = |rest: &[&'static str]| -> Vec<&'static str> {
        pod.iter().copied().chain(rest.iter().copied()).collect()
    };
    let keys = |lt: ListType| match lt {
        ListType::Map(k) => k.iter().map(|k| k.name).collect::<Vec<_>>(),
        other => panic!("{other:?} is not an associative list"),
    };
    assert_eq!(keys(list_type(&at(&["containers"]))), ["name"]);
    assert_eq!(
        keys(list_type(&at(&["containers", ELEMENT, "ports"]))),
        ["containerPort", "protocol"]
    );
    assert_eq!(keys(list_type(&["spec", "ports"])), ["port", "protocol"]);
    assert_eq!(
        keys(list_type(&at(&["initContainers", ELEMENT, "env"]))),
        ["name"]
    );
    assert_eq!(
        keys(list_type(&at(&["containers", ELEMENT, "volumeMounts"]))),
        ["mountPath"]
    );
    assert_eq!(keys(list_type(&["status", "conditions"])), ["type"]);
    assert_eq!(list_type(&["metadata", "finalizers"]), ListType::Set);
    assert_eq!(list_type(&at(&["tolerations"])), ListType::Atomic);
    assert_eq!(
        list_type(&at(&["containers", ELEMENT, "args"])),
        ListType::Atomic
    );
    assert_eq!(list_type(&["spec", "finalizers"]), ListType::Atomic);
    assert!(atomic_object(&["spec", "selector"]));
    assert!(!atomic_object(&["spec", "template"]));
}
