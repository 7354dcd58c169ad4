//! The Table of a custom resource, as the apiextensions API server builds
//! it: the Name column, then the served version's
//! `additionalPrinterColumns` (or `Age` when it declares none), each cell
//! the first value its JSONPath finds, typed by the column: `string`
//! prints the value (objects and arrays as JSON), `integer`, `number` and
//! `boolean` keep JSON values of their type, `date` is an age (`5m`)
//! against the server's clock, and anything missing or of another type is
//! `null` (kubectl prints `<none>`).

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::columns::{D_CREATED, D_NAME};
use super::jsonpath::JsonPath;
use super::{IncludeObject, row_of};
use crate::model::pod_status::age;
use crate::sim::store::crd::PrinterColumn;

/// The Table of a list of custom resources.
pub fn to_table(
    columns: &[PrinterColumn],
    objects: &[Value],
    include: IncludeObject,
    list_meta: Value,
    now: Timestamp,
) -> Value {
    let metadata = match list_meta {
        Value::Object(m) => m.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        _ => Map::new(),
    };
    let paths = parsed(columns);
    let rows = objects
        .iter()
        .map(|o| row(columns, &paths, o, include, now))
        .collect();
    table(columns, metadata, rows)
}

/// The Table of one custom resource.
pub fn to_table_one(
    columns: &[PrinterColumn],
    object: &Value,
    include: IncludeObject,
    now: Timestamp,
) -> Value {
    let mut metadata = Map::new();
    if let Some(rv) = object
        .pointer("/metadata/resourceVersion")
        .filter(|v| v.is_string())
    {
        metadata.insert("resourceVersion".into(), rv.clone());
    }
    let paths = parsed(columns);
    let rows = vec![row(columns, &paths, object, include, now)];
    table(columns, metadata, rows)
}

fn parsed(columns: &[PrinterColumn]) -> Vec<Option<JsonPath>> {
    columns
        .iter()
        .map(|c| JsonPath::parse(&c.json_path).ok())
        .collect()
}

fn description(c: &PrinterColumn) -> String {
    if !c.description.is_empty() {
        c.description.clone()
    } else if c.name == "Age" && c.json_path == ".metadata.creationTimestamp" {
        D_CREATED.to_string()
    } else {
        format!(
            "Custom resource definition column (in JSONPath format): {}",
            c.json_path
        )
    }
}

fn table(columns: &[PrinterColumn], metadata: Map<String, Value>, rows: Vec<Value>) -> Value {
    let mut defs = vec![
        json!({"name": "Name", "type": "string", "format": "name", "description": D_NAME, "priority": 0}),
    ];
    defs.extend(columns.iter().map(|c| {
        json!({"name": c.name, "type": c.ty, "format": c.format, "description": description(c), "priority": c.priority})
    }));
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata, "columnDefinitions": defs, "rows": rows})
}

fn row(
    columns: &[PrinterColumn],
    paths: &[Option<JsonPath>],
    object: &Value,
    include: IncludeObject,
    now: Timestamp,
) -> Value {
    let name = object
        .pointer("/metadata/name")
        .cloned()
        .unwrap_or(json!(""));
    let mut cells = vec![name];
    for (c, path) in columns.iter().zip(paths) {
        let found = path.as_ref().and_then(|p| p.find(object).first().copied());
        cells.push(found.map_or(Value::Null, |v| cell(&c.ty, v, now)));
    }
    row_of(cells, None, object, include)
}

/// One cell of a column of type `ty` for the value found.
pub fn cell(ty: &str, v: &Value, now: Timestamp) -> Value {
    match (ty, v) {
        (_, Value::Null) => Value::Null,
        ("string", Value::String(_)) => v.clone(),
        ("string", Value::Object(_) | Value::Array(_)) => Value::String(v.to_string()),
        ("string", Value::Number(n)) => Value::String(n.to_string()),
        ("string", Value::Bool(b)) => Value::String(b.to_string()),
        ("integer", Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .map_or(Value::Null, Value::from),
        ("number", Value::Number(n)) => n.as_f64().map_or(Value::Null, Value::from),
        ("boolean", Value::Bool(_)) => v.clone(),
        ("date", Value::String(s)) => match s.parse::<Timestamp>() {
            Ok(t) => Value::String(age(Some(t), now)),
            Err(_) => Value::String("<invalid>".into()),
        },
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests;
