//! `d`: an object described the way `kubectl describe` reads, for any
//! kind, custom ones included: who it is (name, labels, owner, age), then
//! its spec and status as indented `Title Case:` fields (the form kubectl
//! uses for kinds it has no describer for), its conditions as a table, and
//! (added by the console) its events. Built from the same object the YAML
//! pane shows, after [`super::yaml::shown`]: no managedFields, no Secret
//! value.

use serde_json::{Map, Value};

use super::sanitize::sanitize;

/// Longest a value is shown before it is cut (a script in a ConfigMap, a
/// certificate): the YAML pane has it whole.
const LONGEST: usize = 200;

/// Annotations that repeat the object or are bookkeeping.
const QUIET_ANNOTATIONS: [&str; 1] = ["kubectl.kubernetes.io/last-applied-configuration"];

/// The describe-like lines of `object`, safe for the terminal.
pub fn describe(object: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let meta = object.get("metadata").and_then(Value::as_object);
    let text = |m: Option<&Map<String, Value>>, k: &str| {
        m.and_then(|m| m.get(k))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    field(&mut out, "Name", &text(meta, "name"));
    let ns = text(meta, "namespace");
    if !ns.is_empty() {
        field(&mut out, "Namespace", &ns);
    }
    field(
        &mut out,
        "Kind",
        &format!(
            "{} ({})",
            object.get("kind").and_then(Value::as_str).unwrap_or("?"),
            object
                .get("apiVersion")
                .and_then(Value::as_str)
                .unwrap_or("?")
        ),
    );
    pairs(&mut out, "Labels", meta.and_then(|m| m.get("labels")), &[]);
    pairs(
        &mut out,
        "Annotations",
        meta.and_then(|m| m.get("annotations")),
        &QUIET_ANNOTATIONS,
    );
    field(&mut out, "Created", &text(meta, "creationTimestamp"));
    let deleting = text(meta, "deletionTimestamp");
    if !deleting.is_empty() {
        field(&mut out, "Deleting since", &deleting);
    }
    let owners: Vec<String> = meta
        .and_then(|m| m.get("ownerReferences"))
        .and_then(Value::as_array)
        .map(|refs| {
            refs.iter()
                .map(|r| {
                    let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("?");
                    format!("{}/{}", s("kind"), s("name"))
                })
                .collect()
        })
        .unwrap_or_default();
    if !owners.is_empty() {
        field(&mut out, "Controlled by", &owners.join(", "));
    }
    let finalizers = meta
        .and_then(|m| m.get("finalizers"))
        .and_then(Value::as_array)
        .map(|f| {
            f.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    if !finalizers.is_empty() {
        field(&mut out, "Finalizers", &finalizers);
    }
    let Some(top) = object.as_object() else {
        return clean(out);
    };
    for (key, value) in top {
        if matches!(key.as_str(), "apiVersion" | "kind" | "metadata") {
            continue;
        }
        let conditions = (key == "status")
            .then(|| value.get("conditions").and_then(Value::as_array))
            .flatten();
        out.push(format!("{}:", title(key)));
        match value {
            Value::Object(m) => {
                let rest: Map<String, Value> = m
                    .iter()
                    .filter(|(k, _)| !(conditions.is_some() && *k == "conditions"))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                nested_as(&mut out, &rest, 2, NAMED_KEYS.contains(&key.as_str()));
            }
            Value::Array(items) => list(&mut out, items, 2),
            other => {
                out.pop();
                field(&mut out, &title(key), &scalar(other));
            }
        }
        if let Some(c) = conditions {
            condition_table(&mut out, c);
        }
    }
    clean(out)
}

/// `Events:` as `kubectl describe` ends, from the watched events (newest
/// first, as the console keeps them).
pub fn events(events: &[&super::event::EventInfo], now: jiff::Timestamp) -> Vec<String> {
    let mut out = vec![String::new()];
    if events.is_empty() {
        out.push("Events:        <none> (among the events the console watches)".into());
        return out;
    }
    out.push("Events:".into());
    out.push("  Type     Reason                Age    From                  Message".into());
    for e in events {
        let age = e.last_seen.map_or_else(
            || "?".to_string(),
            |t| super::pod_status::human_duration(now.duration_since(t)),
        );
        let count = if e.count > 1 {
            format!(" (x{})", e.count)
        } else {
            String::new()
        };
        out.push(format!(
            "  {:<8} {:<21} {:<6} {:<21} {}{count}",
            if e.warning { "Warning" } else { "Normal" },
            e.reason,
            age,
            e.source,
            e.message
        ));
    }
    // Event text comes from the cluster: made safe for the terminal.
    clean(out)
}

fn clean(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .map(|l| sanitize(&l).into_owned())
        .collect()
}

/// `Name:          value`, values lined up as kubectl lines them up.
fn field(out: &mut Vec<String>, label: &str, value: &str) {
    out.push(format!("{:<15}{}", format!("{label}:"), cut(value)));
}

/// Labels or annotations: one `k=v` a line, `<none>` when there are none.
fn pairs(out: &mut Vec<String>, label: &str, map: Option<&Value>, quiet: &[&str]) {
    let items: Vec<String> = map
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter(|(k, _)| !quiet.contains(&k.as_str()))
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                .collect()
        })
        .unwrap_or_default();
    match items.split_first() {
        None => field(out, label, "<none>"),
        Some((first, rest)) => {
            field(out, label, first);
            for item in rest {
                out.push(format!("{:<15}{}", "", cut(item)));
            }
        }
    }
}

/// `scaleTargetRef` → `Scale Target Ref`, as kubectl's generic describer
/// titles fields.
fn title(key: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for (i, c) in key.chars().enumerate() {
        if i == 0 {
            out.extend(c.to_uppercase());
        } else if c.is_uppercase() && prev_lower {
            out.push(' ');
            out.push(c);
        } else {
            out.push(c);
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
    }
    out
}

/// Maps whose keys are names people chose (a ConfigMap's file names,
/// labels), shown as they are rather than titled.
const NAMED_KEYS: [&str; 7] = [
    "data",
    "stringData",
    "binaryData",
    "labels",
    "matchLabels",
    "selector",
    "nodeSelector",
];

fn nested(out: &mut Vec<String>, m: &Map<String, Value>, indent: usize) {
    nested_as(out, m, indent, false);
}

fn nested_as(out: &mut Vec<String>, m: &Map<String, Value>, indent: usize, named: bool) {
    let pad = " ".repeat(indent);
    for (k, v) in m {
        let name = if named { k.clone() } else { title(k) };
        match v {
            Value::Object(inner) if !inner.is_empty() => {
                out.push(format!("{pad}{name}:"));
                nested_as(out, inner, indent + 2, NAMED_KEYS.contains(&k.as_str()));
            }
            Value::Array(items) if !items.is_empty() => {
                out.push(format!("{pad}{name}:"));
                list(out, items, indent + 2);
            }
            other => out.push(format!("{pad}{name}:  {}", cut(&scalar(other)))),
        }
    }
}

fn list(out: &mut Vec<String>, items: &[Value], indent: usize) {
    let pad = " ".repeat(indent);
    for item in items {
        match item {
            Value::Object(inner) if !inner.is_empty() => {
                let start = out.len();
                nested(out, inner, indent + 2);
                if let Some(first) = out.get_mut(start) {
                    first.replace_range(indent..indent + 2, "- ");
                }
            }
            other => out.push(format!("{pad}- {}", cut(&scalar(other)))),
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "<none>".into(),
        Value::String(s) => s.clone(),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        other => other.to_string(),
    }
}

/// One line of at most [`LONGEST`] characters; a longer or multi-line
/// value says how much was left out.
fn cut(s: &str) -> String {
    let first = s.lines().next().unwrap_or("");
    let chars = s.chars().count();
    if first.len() == s.len() && chars <= LONGEST {
        return s.to_string();
    }
    let shown: String = first.chars().take(LONGEST).collect();
    format!("{shown}… ({} bytes; y shows it whole)", s.len())
}

/// `status.conditions` as kubectl's describers print them.
fn condition_table(out: &mut Vec<String>, conditions: &[Value]) {
    let rows: Vec<[String; 5]> = conditions
        .iter()
        .map(|c| {
            let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            [
                s("type"),
                s("status"),
                s("reason"),
                s("lastTransitionTime"),
                cut(&s("message")),
            ]
        })
        .collect();
    out.push("Conditions:".into());
    let heads = ["Type", "Status", "Reason", "Since", "Message"];
    let widths: Vec<usize> = (0..5)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([heads[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: [&str; 5]| {
        let mut l = String::from("  ");
        for (i, c) in cells.iter().enumerate() {
            if i == 4 {
                l.push_str(c);
            } else {
                l.push_str(&format!("{c:<w$}  ", w = widths[i]));
            }
        }
        l.trim_end().to_string()
    };
    out.push(line(heads));
    for r in &rows {
        out.push(line([&r[0], &r[1], &r[2], &r[3], &r[4]]));
    }
}

#[cfg(test)]
mod tests;
