//! What changed between two pod templates, in words, most important first:
//! images, containers added or removed, env vars (by name, never by value),
//! commands, resources, probes, other container fields, a restart, pod spec
//! fields, labels and annotations.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::render::{CONTAINER_LISTS, render};
use crate::model::sanitize::sanitize;

/// `kubectl rollout restart` sets this on the pod template.
const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";
const PROBES: [(&str, &str); 3] = [
    ("readinessProbe", "readiness probe"),
    ("livenessProbe", "liveness probe"),
    ("startupProbe", "startup probe"),
];
/// Container fields with a section of their own.
const DESCRIBED: [&str; 10] = [
    "name",
    "image",
    "env",
    "command",
    "args",
    "resources",
    "readinessProbe",
    "livenessProbe",
    "startupProbe",
    "envFrom",
];

/// The sections of the summary, in the order they are read.
#[derive(Default)]
struct Summary {
    images: Vec<String>,
    containers: Vec<String>,
    env: Vec<String>,
    commands: Vec<String>,
    resources: Vec<String>,
    probes: Vec<String>,
    container_fields: Vec<String>,
    restart: Vec<String>,
    pod_spec: Vec<String>,
    labels: Vec<String>,
    annotations: Vec<String>,
    other: Vec<String>,
}

impl Summary {
    fn len(&self) -> usize {
        [
            &self.images,
            &self.containers,
            &self.env,
            &self.commands,
            &self.resources,
            &self.probes,
            &self.container_fields,
            &self.restart,
            &self.pod_spec,
            &self.labels,
            &self.annotations,
            &self.other,
        ]
        .iter()
        .map(|v| v.len())
        .sum()
    }

    fn into_lines(self) -> Vec<String> {
        [
            self.images,
            self.containers,
            self.env,
            self.commands,
            self.resources,
            self.probes,
            self.container_fields,
            self.restart,
            self.pod_spec,
            self.labels,
            self.annotations,
            self.other,
        ]
        .concat()
    }
}

pub(super) fn summarize(from: &Value, to: &Value) -> Vec<String> {
    let mut s = Summary::default();
    let (fs, ts) = (from.get("spec"), to.get("spec"));
    for list in CONTAINER_LISTS {
        containers(
            &mut s,
            list,
            fs.and_then(|x| x.get(list)),
            ts.and_then(|x| x.get(list)),
        );
    }
    for key in keys(fs, ts) {
        if !CONTAINER_LISTS.contains(&key) && !same(field(fs, key), field(ts, key)) {
            s.pod_spec.push(format!("{} changed", word(key)));
        }
    }
    metadata(&mut s, from.get("metadata"), to.get("metadata"));
    for key in keys(Some(from), Some(to)) {
        if !matches!(key, "spec" | "metadata") && !same(from.get(key), to.get(key)) {
            s.other.push(format!("{} changed", word(key)));
        }
    }
    s.into_lines()
}

/// Whether two values render the same (so a reordered list of named items,
/// which the diff does not show, is no change here either).
fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => x == y || render(x) == render(y),
        _ => false,
    }
}

fn field<'a>(v: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    v.and_then(|v| v.get(key))
}

/// The keys of two objects (either may be absent or not an object), sorted.
fn keys<'a>(a: Option<&'a Value>, b: Option<&'a Value>) -> BTreeSet<&'a str> {
    [a, b]
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(Map::keys)
        .map(String::as_str)
        .collect()
}

/// A name or key from the cluster, safe to print.
fn word(s: &str) -> String {
    sanitize(s).into_owned()
}

/// Named objects of a list, by name (the last of duplicates wins), and the
/// names in the list's order.
fn by_name(list: Option<&Value>) -> (BTreeMap<&str, &Value>, Vec<&str>) {
    let mut map = BTreeMap::new();
    let mut order = Vec::new();
    for item in list.and_then(Value::as_array).into_iter().flatten() {
        if let Some(name) = item.get("name").and_then(Value::as_str)
            && map.insert(name, item).is_none()
        {
            order.push(name);
        }
    }
    (map, order)
}

fn containers(s: &mut Summary, list: &str, from: Option<&Value>, to: Option<&Value>) {
    let before = s.len();
    let (old, old_order) = by_name(from);
    let (new, new_order) = by_name(to);
    let prefix = match list {
        "initContainers" => "init:",
        "ephemeralContainers" => "debug:",
        _ => "",
    };
    let what = match list {
        "initContainers" => "init container",
        "ephemeralContainers" => "ephemeral container",
        _ => "container",
    };
    for name in &old_order {
        if !new.contains_key(name) {
            s.containers.push(format!("{what} {} removed", word(name)));
        }
    }
    for name in &new_order {
        match old.get(name) {
            None => s.containers.push(format!("{what} {} added", word(name))),
            Some(was) => {
                let label = word(&format!("{prefix}{name}"));
                if let Some(now) = new.get(name) {
                    container(s, &label, was, now);
                }
            }
        }
    }
    // What pairing by name cannot see: unnamed items, duplicates, or a new
    // order of init containers (which run in that order).
    if s.len() == before {
        if list == "initContainers" && old.keys().eq(new.keys()) && old_order != new_order {
            s.containers.push("init containers reordered".to_string());
        } else if !same(from, to) {
            s.containers.push(format!("{what}s changed"));
        }
    }
}

fn container(s: &mut Summary, c: &str, from: &Value, to: &Value) {
    let (fi, ti) = (from.get("image"), to.get("image"));
    if !same(fi, ti) {
        s.images.push(format!("image {c}: {}", images(fi, ti)));
    }
    env(s, c, from.get("env"), to.get("env"));
    if !same(from.get("envFrom"), to.get("envFrom")) {
        s.env.push(format!("envFrom changed in {c}"));
    }
    for key in ["command", "args"] {
        if !same(from.get(key), to.get(key)) {
            s.commands.push(format!("{key} changed in {c}"));
        }
    }
    resources(s, c, from.get("resources"), to.get("resources"));
    for (key, name) in PROBES {
        match (from.get(key), to.get(key)) {
            (None, Some(_)) => s.probes.push(format!("{name} added to {c}")),
            (Some(_), None) => s.probes.push(format!("{name} removed from {c}")),
            (a, b) if !same(a, b) => s.probes.push(format!("{name} changed in {c}")),
            _ => {}
        }
    }
    for key in keys(Some(from), Some(to)) {
        if !DESCRIBED.contains(&key) && !same(from.get(key), to.get(key)) {
            s.container_fields
                .push(format!("{} changed in {c}", word(key)));
        }
    }
}

/// Env vars by name: removed, added, then changed. Values are compared,
/// never shown.
fn env(s: &mut Summary, c: &str, from: Option<&Value>, to: Option<&Value>) {
    let before = s.env.len();
    let (old, _) = by_name(from);
    let (new, _) = by_name(to);
    for name in old.keys().filter(|n| !new.contains_key(*n)) {
        s.env.push(format!("env {} removed from {c}", word(name)));
    }
    for name in new.keys().filter(|n| !old.contains_key(*n)) {
        s.env.push(format!("env {} added to {c}", word(name)));
    }
    for (name, was) in &old {
        if new.get(name).is_some_and(|now| !same(Some(was), Some(now))) {
            s.env.push(format!("env {} changed in {c}", word(name)));
        }
    }
    if s.env.len() == before && !same(from, to) {
        // Unnamed entries or duplicates: the list changed, not one var.
        s.env.push(format!("env changed in {c}"));
    }
}

/// `memory limit checkout: 256Mi → 512Mi`, per requests/limits entry.
fn resources(s: &mut Summary, c: &str, from: Option<&Value>, to: Option<&Value>) {
    let before = s.resources.len();
    for (key, kind) in [("requests", "request"), ("limits", "limit")] {
        let (f, t) = (field(from, key), field(to, key));
        for name in keys(f, t) {
            let (a, b) = (field(f, name), field(t, name));
            if !same(a, b) {
                s.resources.push(format!(
                    "{} {kind} {c}: {} → {}",
                    word(name),
                    quantity(a),
                    quantity(b)
                ));
            }
        }
    }
    for key in keys(from, to) {
        if !matches!(key, "requests" | "limits") && !same(field(from, key), field(to, key)) {
            s.resources
                .push(format!("resources {} changed in {c}", word(key)));
        }
    }
    if s.resources.len() == before && !same(from, to) {
        s.resources.push(format!("resources changed in {c}"));
    }
}

fn quantity(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "(none)".to_string(),
        Some(Value::String(q)) if q.is_empty() => "\"\"".to_string(),
        Some(Value::String(q)) => word(q),
        Some(other) => word(&other.to_string()),
    }
}

/// `2.2.0 → 2.3.0` when only the tag or digest differs, else both images
/// in full.
fn images(from: Option<&Value>, to: Option<&Value>) -> String {
    let name = |v: Option<&Value>| match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    };
    match (name(from), name(to)) {
        (Some(a), Some(b)) => {
            let ((ra, va), (rb, vb)) = (split_image(&a), split_image(&b));
            if ra == rb && !va.is_empty() && !vb.is_empty() {
                format!("{} → {}", word(va), word(vb))
            } else {
                format!("{} → {}", word(&a), word(&b))
            }
        }
        (a, b) => format!(
            "{} → {}",
            a.map_or("(none)".to_string(), |a| word(&a)),
            b.map_or("(none)".to_string(), |b| word(&b))
        ),
    }
}

/// An image reference as (registry/repository, version): the version is
/// the tag without its colon (`2.3.0`), or `@sha256:…` with any tag before
/// it (`2.3.0@sha256:…`), or empty.
fn split_image(image: &str) -> (&str, &str) {
    let name_end = image.find('@').unwrap_or(image.len());
    let last_slash = image[..name_end].rfind('/').map_or(0, |i| i + 1);
    let repo_end = image[last_slash..name_end]
        .find(':')
        .map_or(name_end, |i| last_slash + i);
    let (repo, version) = image.split_at(repo_end);
    (repo, version.strip_prefix(':').unwrap_or(version))
}

fn metadata(s: &mut Summary, from: Option<&Value>, to: Option<&Value>) {
    for (key, what) in [("labels", "label"), ("annotations", "annotation")] {
        let (f, t) = (field(from, key), field(to, key));
        for name in keys(f, t) {
            let (a, b) = (field(f, name), field(t, name));
            if same(a, b) {
                continue;
            }
            if key == "annotations" && name == RESTARTED_AT && b.is_some() {
                s.restart
                    .push("restarted (restartedAt annotation)".to_string());
                continue;
            }
            let change = match (a, b) {
                (None, _) => "added",
                (_, None) => "removed",
                _ => "changed",
            };
            let line = format!("{what} {} {change}", word(name));
            if key == "labels" {
                s.labels.push(line);
            } else {
                s.annotations.push(line);
            }
        }
    }
    for key in keys(from, to) {
        if !matches!(key, "labels" | "annotations") && !same(field(from, key), field(to, key)) {
            s.other.push(format!("metadata.{} changed", word(key)));
        }
    }
}

#[cfg(test)]
mod tests;
