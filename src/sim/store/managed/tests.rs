use serde_json::{Value, json};

use super::*;
use crate::sim::store::fields::field_path;

const NOW: &str = "2024-05-01T10:00:00Z";
const LATER: &str = "2024-05-01T10:05:00Z";

fn update_by(manager: &str) -> Writer<'_> {
    Writer {
        manager,
        operation: Operation::Update,
        subresource: "",
        api_version: "apps/v1",
    }
}

fn apply_by(manager: &str) -> Writer<'_> {
    Writer {
        manager,
        operation: Operation::Apply,
        subresource: "",
        api_version: "apps/v1",
    }
}

fn deployment(replicas: i64, image: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "prod", "uid": "u-1", "labels": {"app": "web"}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "app", "image": image}]},
            },
        },
    })
}

fn created(obj: &Value, manager: &str) -> Vec<Entry> {
    record_update(Vec::new(), &empty_like(obj), obj, &update_by(manager), NOW)
}

fn owns(entries: &[Entry], manager: &str, path: &[&str]) -> bool {
    entries
        .iter()
        .any(|e| e.manager == manager && e.fields.contains(&field_path(path)))
}

#[test]
fn a_create_owns_what_it_wrote_in_fields_v1_as_the_api_server_writes_it() {
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "c", "namespace": "prod", "uid": "u", "resourceVersion": "5"},
        "data": {"k": "v"}});
    let entries = created(&cm, "kubectl-create");
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].fields.to_fields_v1(),
        json!({"f:data": {".": {}, "f:k": {}}})
    );
    assert_eq!(entries[0].time.as_deref(), Some(NOW));

    let d = created(&deployment(3, "web:1"), "kubectl-client-side-apply");
    let fields = d[0].fields.to_fields_v1();
    assert_eq!(
        fields["f:metadata"],
        json!({"f:labels": {".": {}, "f:app": {}}})
    );
    assert!(fields["f:spec"].get(".").is_none(), "spec was always there");
    assert_eq!(fields["f:spec"]["f:selector"], json!({}), "atomic");
    assert_eq!(
        fields["f:spec"]["f:template"]["f:spec"]["f:containers"]["k:{\"name\":\"app\"}"],
        json!({".": {}, "f:image": {}, "f:name": {}})
    );
}

#[test]
fn an_update_takes_the_fields_it_changes_from_their_owner() {
    let old = deployment(3, "web:1");
    let entries = created(&old, "kubectl-client-side-apply");
    let new = deployment(5, "web:1");
    let entries = record_update(entries, &old, &new, &update_by("kubectl-edit"), LATER);
    assert!(owns(&entries, "kubectl-edit", &["spec", "replicas"]));
    assert!(!owns(
        &entries,
        "kubectl-client-side-apply",
        &["spec", "replicas"]
    ));
    assert!(owns(
        &entries,
        "kubectl-client-side-apply",
        &["metadata", "labels", "app"]
    ));
    let edit = entries
        .iter()
        .find(|e| e.manager == "kubectl-edit")
        .unwrap();
    assert_eq!(edit.time.as_deref(), Some(LATER));
    assert_eq!(edit.fields.len(), 1);

    let same = record_update(
        entries.clone(),
        &new,
        &new,
        &update_by("kubectl-edit"),
        "later still",
    );
    assert_eq!(
        same, entries,
        "a write that changes nothing changes no entry"
    );
}

#[test]
fn applying_a_field_another_manager_set_differently_is_a_conflict_unless_forced() {
    let live = deployment(3, "web:1");
    let entries = created(&live, "kubectl-client-side-apply");
    let config = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web"}, "spec": {"replicas": 5}});
    let who = apply_by("ops");
    let err = apply(
        entries.clone(),
        &live,
        &config,
        &who,
        Reset::Status,
        false,
        LATER,
    )
    .expect_err("conflict");
    assert_eq!(
        err,
        ApplyError::Conflicts(vec![(
            "\"kubectl-client-side-apply\" using apps/v1".into(),
            field_path(&["spec", "replicas"])
        )])
    );
    let status = err.to_api_error();
    assert_eq!((status.code, status.reason), (409, "Conflict"));
    assert_eq!(
        status.message,
        "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas"
    );
    assert_eq!(
        status.details.unwrap()["causes"],
        json!([{"reason": "FieldManagerConflict",
                "message": "conflict with \"kubectl-client-side-apply\" using apps/v1",
                "field": ".spec.replicas"}])
    );

    let (obj, entries) =
        apply(entries, &live, &config, &who, Reset::Status, true, LATER).expect("forced");
    assert_eq!(obj["spec"]["replicas"], 5);
    assert!(owns(&entries, "ops", &["spec", "replicas"]));
    assert!(!owns(
        &entries,
        "kubectl-client-side-apply",
        &["spec", "replicas"]
    ));
    let ops = entries.iter().find(|e| e.manager == "ops").unwrap();
    assert_eq!(
        (ops.operation, ops.time.as_deref()),
        (Operation::Apply, Some(LATER))
    );
}

#[test]
fn applying_the_value_a_field_already_has_shares_it_without_conflict() {
    let live = deployment(3, "web:1");
    let entries = created(&live, "kubectl-client-side-apply");
    let config = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web"}, "spec": {"replicas": 3}});
    let (obj, entries) = apply(
        entries,
        &live,
        &config,
        &apply_by("ops"),
        Reset::Status,
        false,
        LATER,
    )
    .expect("no conflict");
    assert_eq!(obj, live);
    assert!(owns(&entries, "ops", &["spec", "replicas"]));
    assert!(owns(
        &entries,
        "kubectl-client-side-apply",
        &["spec", "replicas"]
    ));
}

#[test]
fn conflicts_with_several_managers_are_listed_by_manager() {
    let list = vec![
        ("\"a\"".to_string(), ".spec.replicas".to_string()),
        ("\"a\"".to_string(), ".spec.paused".to_string()),
        ("\"b\" using v1".to_string(), ".data.k".to_string()),
    ];
    let e = ApiError::apply_conflict(&list);
    assert_eq!(
        e.message,
        "Apply failed with 3 conflicts: conflicts with \"a\":\n- .spec.replicas\n- .spec.paused\nconflicts with \"b\" using v1:\n- .data.k"
    );
}

#[test]
fn a_field_no_longer_applied_goes_unless_someone_else_owns_it() {
    let who = apply_by("ops");
    let first = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
        "data": {"a": "1", "b": "2"}});
    let (live, entries) = apply(
        Vec::new(),
        &json!({}),
        &first,
        &who,
        Reset::Nothing,
        false,
        NOW,
    )
    .expect("create");
    assert_eq!(live["data"], json!({"a": "1", "b": "2"}));
    let ops = entries.iter().find(|e| e.manager == "ops").unwrap();
    assert_eq!(
        ops.fields.to_fields_v1(),
        json!({"f:data": {"f:a": {}, "f:b": {}}})
    );

    let second = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
        "data": {"a": "1"}});
    let (after, _) = apply(
        entries.clone(),
        &live,
        &second,
        &who,
        Reset::Nothing,
        false,
        LATER,
    )
    .expect("apply");
    assert_eq!(after["data"], json!({"a": "1"}));

    // Someone else set b too: it stays, theirs.
    let mut edited = entries.clone();
    edited.push(Entry {
        manager: "kubectl-edit".into(),
        operation: Operation::Update,
        api_version: "v1".into(),
        time: Some(NOW.into()),
        subresource: String::new(),
        fields: std::iter::once(field_path(&["data", "b"])).collect(),
    });
    let (kept, entries) =
        apply(edited, &live, &second, &who, Reset::Nothing, false, LATER).expect("apply");
    assert_eq!(kept["data"], json!({"a": "1", "b": "2"}));
    assert!(owns(&entries, "kubectl-edit", &["data", "b"]));
    assert!(!owns(&entries, "ops", &["data", "b"]));
}

#[test]
fn status_is_not_owned_by_an_apply_to_the_object() {
    let config = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"replicas": 1}, "status": {"replicas": 9}});
    let (_, entries) = apply(
        Vec::new(),
        &json!({}),
        &config,
        &apply_by("ops"),
        Reset::Status,
        false,
        NOW,
    )
    .expect("apply");
    assert!(owns(&entries, "ops", &["spec", "replicas"]));
    assert!(!owns(&entries, "ops", &["status", "replicas"]));
    let (_, entries) = apply(
        Vec::new(),
        &json!({}),
        &config,
        &apply_by("ops"),
        Reset::AllButStatus,
        false,
        NOW,
    )
    .expect("apply");
    assert!(owns(&entries, "ops", &["status", "replicas"]));
    assert!(!owns(&entries, "ops", &["spec", "replicas"]));
}

#[test]
fn entries_are_written_applies_first_and_read_back() {
    let mut obj = deployment(3, "web:1");
    let mut entries = created(&obj, "kubectl-client-side-apply");
    let config = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"paused": true}});
    let (_, applied) = apply(
        entries.clone(),
        &obj,
        &config,
        &apply_by("ops"),
        Reset::Status,
        false,
        LATER,
    )
    .expect("apply");
    entries = applied;
    set_on(&mut obj, &entries);
    let list = obj["metadata"]["managedFields"].as_array().unwrap();
    assert_eq!(list[0]["manager"], "ops");
    assert_eq!(list[0]["operation"], "Apply");
    assert_eq!(list[0]["fieldsType"], "FieldsV1");
    assert_eq!(list[1]["manager"], "kubectl-client-side-apply");
    assert_eq!(list[1]["operation"], "Update");
    assert_eq!(list[1]["apiVersion"], "apps/v1");
    assert_eq!(list[1]["time"], NOW);
    let mut back = decode(&obj).expect("readable");
    back.sort_by(|a, b| a.manager.cmp(&b.manager));
    entries.sort_by(|a, b| a.manager.cmp(&b.manager));
    assert_eq!(back, entries);
    assert!(strip(&obj)["metadata"].get("managedFields").is_none());
    set_on(&mut obj, &[]);
    assert!(obj["metadata"].get("managedFields").is_none());
}

#[test]
fn an_apply_configuration_is_checked_before_anything_else() {
    let ok = json!({"apiVersion": "apps/v1", "kind": "Deployment"});
    assert!(check_config(&ok, "apps/v1").is_ok());
    let e = check_config(
        &json!({"apiVersion": "v1", "kind": "Deployment"}),
        "apps/v1",
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "Incorrect version specified in apply patch. Specified patch version: v1, expected: apps/v1"
    );
    let with_fields = json!({"apiVersion": "apps/v1", "metadata": {"managedFields": []}});
    let e = check_config(&with_fields, "apps/v1").unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (400, "metadata.managedFields must be nil")
    );
}
