use super::*;
use crate::sim::api::table::jsonpath::JsonPath;

fn col(name: &str, ty: &str, path: &str) -> PrinterColumn {
    PrinterColumn {
        name: name.into(),
        ty: ty.into(),
        format: String::new(),
        description: String::new(),
        priority: 0,
        json_path: path.into(),
    }
}

fn obj() -> Value {
    json!({
        "metadata": {"name": "worker", "resourceVersion": "7", "creationTimestamp": "2026-01-01T00:00:00Z"},
        "spec": {"minReplicaCount": 1, "maxReplicaCount": 8.0, "paused": false,
                 "triggers": [{"type": "prometheus"}, {"type": "cron", "authenticationRef": {"name": "cron-auth"}}],
                 "labels": {"a": "b"}},
        "status": {"conditions": [
            {"type": "Ready", "status": "True"},
            {"type": "Active", "status": "False", "count": 3},
        ]},
    })
}

fn find(path: &str) -> Vec<Value> {
    JsonPath::parse(path)
        .expect("parses")
        .find(&obj())
        .into_iter()
        .cloned()
        .collect()
}

#[test]
fn jsonpath_fields_indices_wildcards_and_filters() {
    assert_eq!(find(".spec.minReplicaCount"), [json!(1)]);
    assert_eq!(find("{.spec.triggers[1].type}"), [json!("cron")]);
    assert_eq!(find(".spec.triggers[-1].type"), [json!("cron")]);
    assert_eq!(
        find(".spec.triggers[*].type"),
        [json!("prometheus"), json!("cron")]
    );
    assert_eq!(find(".spec.triggers[0:1].type"), [json!("prometheus")]);
    assert_eq!(
        find(".spec.triggers[*].authenticationRef.name"),
        [json!("cron-auth")]
    );
    assert_eq!(
        find(".status.conditions[?(@.type==\"Active\")].status"),
        [json!("False")]
    );
    assert_eq!(
        find(".status.conditions[?(@.type=='Ready')].status"),
        [json!("True")]
    );
    assert_eq!(
        find(".status.conditions[?(@.count>2)].type"),
        [json!("Active")]
    );
    assert_eq!(
        find(".status.conditions[?(@.count)].type"),
        [json!("Active")]
    );
    assert_eq!(find(".status..status"), [json!("True"), json!("False")]);
    assert_eq!(find(".metadata['name']"), [json!("worker")]);
    assert!(find(".spec.missing.deeper").is_empty());
    assert!(JsonPath::parse(".spec[").is_err());
}

#[test]
fn cells_take_the_first_value_typed_by_the_column() {
    let now: Timestamp = "2026-01-01T00:05:00Z".parse().expect("time");
    let columns = [
        col("Min", "integer", ".spec.minReplicaCount"),
        col("Max", "integer", ".spec.maxReplicaCount"),
        col("Triggers", "string", ".spec.triggers[*].type"),
        col(
            "Ready",
            "string",
            ".status.conditions[?(@.type==\"Ready\")].status",
        ),
        col("Paused", "boolean", ".spec.paused"),
        col("Labels", "string", ".spec.labels"),
        col("Missing", "string", ".status.nothing"),
        col("Wrong", "integer", ".metadata.name"),
        col("Age", "date", ".metadata.creationTimestamp"),
        col("Bad", "date", ".metadata.name"),
    ];
    let table = to_table(
        &columns,
        &[obj()],
        IncludeObject::None,
        json!({"resourceVersion": "9"}),
        now,
    );
    let names: Vec<&str> = table["columnDefinitions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names[0], "Name");
    assert_eq!(names.len(), columns.len() + 1);
    assert_eq!(
        table["columnDefinitions"][1]["description"],
        "Custom resource definition column (in JSONPath format): .spec.minReplicaCount"
    );
    assert_eq!(
        table["rows"][0]["cells"],
        json!([
            "worker",
            1,
            8,
            "prometheus",
            "True",
            false,
            "{\"a\":\"b\"}",
            null,
            null,
            "5m",
            "<invalid>"
        ])
    );
    assert_eq!(table["metadata"]["resourceVersion"], "9");
    assert!(table["rows"][0].get("object").is_none());
}
