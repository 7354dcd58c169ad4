//! An object as YAML, for reading: what `kubectl get -o yaml` shows, minus
//! `metadata.managedFields` (pages of bookkeeping nobody reads mid-incident)
//! and minus every Secret value, which never reaches the screen: each key
//! of `data` and `stringData` becomes `(hidden, N bytes)`, and so does the
//! last-applied annotation of a Secret, which holds them again.
//!
//! Strings are written plain when YAML reads them back as the same string,
//! else double-quoted with escapes; text from the cluster is made safe for
//! the terminal afterwards by the caller's drawing (`sanitize`).

use serde_json::{Map, Value};

use super::sanitize::sanitize;

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// `object` with what is never shown taken out: managedFields, and a
/// Secret's values.
pub fn shown(mut object: Value) -> Value {
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    if object["kind"] == "Secret" {
        for field in ["data", "stringData"] {
            if let Some(data) = object.get_mut(field).and_then(Value::as_object_mut) {
                for (_, v) in data.iter_mut() {
                    *v = Value::String(hidden(field, v));
                }
            }
        }
        if let Some(a) = object
            .pointer_mut("/metadata/annotations")
            .and_then(Value::as_object_mut)
            && let Some(v) = a.get_mut(LAST_APPLIED)
        {
            *v = Value::String("(hidden: it repeats the Secret's values)".into());
        }
    }
    object
}

/// `(hidden, 12 bytes)`: the decoded size of a `data` value (base64), the
/// size of a `stringData` one.
fn hidden(field: &str, v: &Value) -> String {
    let text = v.as_str().unwrap_or("");
    let bytes = if field == "data" {
        decoded_len(text)
    } else {
        text.len()
    };
    format!("(hidden, {bytes} bytes)")
}

/// The length of what base64 `text` decodes to, without decoding it.
pub fn decoded_len(text: &str) -> usize {
    let n = text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
        .count();
    n * 3 / 4
}

/// YAML lines of `value`, safe for the terminal.
pub fn to_yaml(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    match value {
        Value::Object(m) if !m.is_empty() => map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => list(&mut out, a, 0),
        other => out.push(scalar(other)),
    }
    out.into_iter().map(|l| sanitize(&l).into_owned()).collect()
}

fn pad(indent: usize) -> String {
    " ".repeat(indent)
}

fn map(out: &mut Vec<String>, m: &Map<String, Value>, indent: usize) {
    for (k, v) in m {
        let key = string(k);
        match v {
            Value::Object(inner) if !inner.is_empty() => {
                out.push(format!("{}{key}:", pad(indent)));
                map(out, inner, indent + 2);
            }
            Value::Array(items) if !items.is_empty() => {
                out.push(format!("{}{key}:", pad(indent)));
                list(out, items, indent);
            }
            other => out.push(format!("{}{key}: {}", pad(indent), scalar(other))),
        }
    }
}

/// A sequence under a key at `indent` (kubectl's style: dashes at the
/// key's indent).
fn list(out: &mut Vec<String>, items: &[Value], indent: usize) {
    for item in items {
        match item {
            Value::Object(inner) if !inner.is_empty() => {
                let start = out.len();
                map(out, inner, indent + 2);
                // The first key goes on the dash's line.
                if let Some(first) = out.get_mut(start) {
                    first.replace_range(indent..indent + 2, "- ");
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push(format!("{}-", pad(indent)));
                list(out, inner, indent + 2);
            }
            other => out.push(format!("{}- {}", pad(indent), scalar(other))),
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

/// A string plain when YAML would read it back as that same string.
fn string(s: &str) -> String {
    if plain(s) {
        s.to_string()
    } else {
        // JSON's escaping is valid YAML double-quoted style.
        Value::String(s.to_string()).to_string()
    }
}

fn plain(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let reserved = matches!(
        s.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
    );
    let numeric = s.parse::<f64>().is_ok()
        || s.starts_with("0x")
        || s.starts_with("0o")
        || s.chars()
            .all(|c| c.is_ascii_digit() || c == ':' || c == '_');
    !reserved
        && !numeric
        && !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !first.is_whitespace()
        && !s.ends_with(char::is_whitespace)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && s.chars().all(|c| !c.is_control())
}

#[cfg(test)]
mod tests;
