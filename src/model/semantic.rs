//! JSON compared as Kubernetes compares Go values (`apiequality.Semantic`):
//! a null, an empty list and an empty map are the same as nothing. Two pod
//! templates that differ only there are the same template — for the sim's
//! controllers and for the console's "already at this revision" check.

use serde_json::{Map, Value};

/// `v` without nulls, empty maps and empty lists, at any depth.
pub fn normalized(v: &Value) -> Value {
    let empty = |v: &Value| {
        v.is_null()
            || v.as_object().is_some_and(Map::is_empty)
            || v.as_array().is_some_and(Vec::is_empty)
    };
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), normalized(v)))
                .filter(|(_, v)| !empty(v))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(normalized).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests;
