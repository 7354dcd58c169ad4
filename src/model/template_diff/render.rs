//! A pod template as canonical YAML-like lines: keys sorted, nested maps
//! indented two spaces, lists of named objects (containers, env vars,
//! ports, volumes…) in name order with `- name: …` first, so that two
//! templates that differ only in order render the same.
//!
//! Environment variable values are never rendered: [`redact_env`] replaces
//! them before rendering (see there why and how).

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::model::sanitize::sanitize;

/// Deeper than this (no pod template is), a value renders as `…`: arbitrary
/// JSON must not exhaust the stack.
const MAX_DEPTH: usize = 64;

/// The lists of containers in a pod spec.
pub(super) const CONTAINER_LISTS: [&str; 3] =
    ["containers", "initContainers", "ephemeralContainers"];

/// Lists whose order is meaning, not noise: init containers run one after
/// the other, so a reordering is a real change and renders as one.
const ORDERED_LISTS: [&str; 1] = ["initContainers"];

/// `value` as lines. An absent template (`null`) or an empty one renders
/// as no lines; a scalar as one.
pub(super) fn render(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    match value {
        Value::Null => {}
        Value::Object(m) => map_body(m, 0, 0, false, &mut out),
        Value::Array(a) if !a.is_empty() => array_body(a, 0, 0, "", &mut out),
        other => out.push(inline(other)),
    }
    out
}

fn pad(indent: usize) -> String {
    " ".repeat(indent)
}

/// A scalar, or an empty collection, on one line.
fn inline(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => text(s),
        Value::Array(_) => "[]".to_string(),
        Value::Object(_) => "{}".to_string(),
    }
}

fn is_inline(v: &Value) -> bool {
    match v {
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        _ => true,
    }
}

/// A string as a plain scalar, or JSON-quoted where plain would be empty,
/// read as another type (`true`, `8080`, `null`), lose its edges (leading
/// or trailing spaces) or look like YAML syntax. Anything that could act on
/// a terminal is escaped either way.
pub(super) fn text(s: &str) -> String {
    if needs_quotes(s) {
        let quoted = serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"));
        sanitize(&quoted).into_owned()
    } else {
        s.to_string()
    }
}

fn needs_quotes(s: &str) -> bool {
    const RESERVED: [&str; 10] = [
        "true", "false", "null", "~", "yes", "no", "on", "off", "y", "n",
    ];
    let Some(first) = s.chars().next() else {
        return true;
    };
    let last = s.chars().next_back().unwrap_or(first);
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s))
        || s.parse::<f64>().is_ok()
        || first.is_whitespace()
        || last.is_whitespace()
        || last == ':'
        || "[]{}#&*!|>'\"%@`,".contains(first)
        || matches!(s, "-" | "?" | ":")
        || s.starts_with("- ")
        || s.starts_with("? ")
        || s.starts_with(": ")
        || s.contains(": ")
        || s.contains(" #")
        || matches!(sanitize(s), std::borrow::Cow::Owned(_))
}

/// A map's entries at `indent`, keys sorted; `name` first when the map is
/// an item of a list (where it says which item this is).
fn map_body(
    m: &Map<String, Value>,
    indent: usize,
    depth: usize,
    name_first: bool,
    out: &mut Vec<String>,
) {
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort_by(|a, b| {
        let rank = |k: &str| !(name_first && k == "name");
        rank(a).cmp(&rank(b)).then_with(|| a.cmp(b))
    });
    let p = pad(indent);
    for k in keys {
        let Some(v) = m.get(k) else { continue };
        let key = text(k);
        if is_inline(v) {
            out.push(format!("{p}{key}: {}", inline(v)));
        } else if depth >= MAX_DEPTH {
            out.push(format!("{p}{key}: …"));
        } else {
            out.push(format!("{p}{key}:"));
            match v {
                Value::Object(inner) => map_body(inner, indent + 2, depth + 1, false, out),
                Value::Array(items) => array_body(items, indent + 2, depth + 1, k, out),
                _ => {}
            }
        }
    }
}

/// The string `name` of a list item, when it has one.
fn item_name(v: &Value) -> Option<&str> {
    v.get("name").and_then(Value::as_str)
}

/// The order a list renders in: by name when every item is an object with
/// a string name (and the list is not one whose order matters), else as is.
pub(super) fn list_order<'a>(key: &str, items: &'a [Value]) -> Vec<&'a Value> {
    let mut order: Vec<&Value> = items.iter().collect();
    let named = !items.is_empty() && items.iter().all(|i| item_name(i).is_some());
    if named && !ORDERED_LISTS.contains(&key) {
        order.sort_by(|a, b| item_name(a).cmp(&item_name(b)));
    }
    order
}

/// A list's items at `indent`, each as `- ` followed by its first line and
/// its other lines two columns further in.
fn array_body(items: &[Value], indent: usize, depth: usize, key: &str, out: &mut Vec<String>) {
    let p = pad(indent);
    for item in list_order(key, items) {
        if is_inline(item) {
            out.push(format!("{p}- {}", inline(item)));
            continue;
        }
        if depth >= MAX_DEPTH {
            out.push(format!("{p}- …"));
            continue;
        }
        let mut lines = Vec::new();
        match item {
            Value::Object(m) => map_body(m, indent + 2, depth + 1, true, &mut lines),
            Value::Array(a) => array_body(a, indent + 2, depth + 1, "", &mut lines),
            _ => {}
        }
        let inner = pad(indent + 2);
        for (i, line) in lines.into_iter().enumerate() {
            match line.strip_prefix(inner.as_str()) {
                Some(rest) if i == 0 => out.push(format!("{p}- {rest}")),
                _ => out.push(line),
            }
        }
    }
}

/// Which template a rendering is of, for the marker of a changed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Before,
    After,
}

type EnvKey = (String, String, String);

/// Every env var's `value` (by container list, container name and var
/// name; the last of duplicates wins, as in the kubelet).
fn env_values(template: &Value) -> HashMap<EnvKey, &Value> {
    let mut out = HashMap::new();
    for (list, container, entry) in env_entries(template) {
        if let (Some(name), Some(v)) = (item_name(entry), entry.get("value")) {
            out.insert(
                (list.to_string(), container.to_string(), name.to_string()),
                v,
            );
        }
    }
    out
}

/// (container list, container name, env entry) for every env entry.
fn env_entries(template: &Value) -> Vec<(&'static str, &str, &Value)> {
    let mut out = Vec::new();
    let spec = template.get("spec");
    for list in CONTAINER_LISTS {
        let containers = spec.and_then(|s| s.get(list)).and_then(Value::as_array);
        for c in containers.into_iter().flatten() {
            let name = item_name(c).unwrap_or("");
            let env = c.get("env").and_then(Value::as_array);
            for e in env.into_iter().flatten() {
                out.push((list, name, e));
            }
        }
    }
    out
}

/// `template` with every env var's `value` replaced by a marker that shows
/// that it is set and how long it is, never what it is: env values hold
/// database URLs with passwords and API tokens, and a diff is read on
/// shared screens and pasted into incident channels and post-mortems.
///
/// A change must still show as a changed line, so the marker depends on the
/// other template: a var whose value differs between the two reads
/// `(hidden, 54 chars, before)` in `from` and `(hidden, 57 chars, after)`
/// in `to`; an unchanged one, or one present on one side only, reads
/// `(hidden, 54 chars)`. Unlike a hash of the value, even a short one,
/// this gives nothing to test a guess against: all it tells beyond the
/// length is what the diff tells anyway, that the value changed. An empty
/// value hides nothing and stays `""`. `valueFrom` references (a Secret's
/// name and key) are not secret and render as they are.
///
/// `other` is the template compared against (`None`: render one template
/// alone, every value as `(hidden, N chars)`).
pub(super) fn redact_env(template: &Value, other: Option<&Value>, side: Side) -> Value {
    let theirs = other.map(env_values).unwrap_or_default();
    let mut out = template.clone();
    let Some(spec) = out.get_mut("spec").and_then(Value::as_object_mut) else {
        return out;
    };
    for list in CONTAINER_LISTS {
        let containers = spec.get_mut(list).and_then(Value::as_array_mut);
        for c in containers.into_iter().flatten() {
            let container = item_name(c).unwrap_or("").to_string();
            let env = c.get_mut("env").and_then(Value::as_array_mut);
            for e in env.into_iter().flatten() {
                let name = item_name(e).unwrap_or("").to_string();
                let Some(slot) = e.get_mut("value") else {
                    continue;
                };
                let key = (list.to_string(), container.clone(), name);
                let changed = other.is_some() && theirs.get(&key).is_some_and(|t| *t != &*slot);
                *slot = Value::String(marker(slot, changed.then_some(side)));
            }
        }
    }
    out
}

fn marker(value: &Value, changed: Option<Side>) -> String {
    let length = match value {
        Value::String(s) if s.is_empty() => return String::new(),
        Value::String(s) => s.chars().count(),
        other => other.to_string().chars().count(),
    };
    let unit = if length == 1 { "char" } else { "chars" };
    match changed {
        None => format!("(hidden, {length} {unit})"),
        Some(Side::Before) => format!("(hidden, {length} {unit}, before)"),
        Some(Side::After) => format!("(hidden, {length} {unit}, after)"),
    }
}
