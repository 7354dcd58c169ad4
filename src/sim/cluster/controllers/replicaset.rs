//! The ReplicaSet controller (kubernetes `pkg/controller/replicaset`): keeps
//! `spec.replicas` active pods, replacing pods that failed or were evicted and
//! deleting the least valuable ones first on scale-down.
//!
//! Also the small vocabulary every workload controller here shares: reading
//! pod readiness, claiming objects through ownerReferences, creating pods from
//! a template, and writing an object only when it really changed (the store
//! bumps resourceVersion on every put, and a controller that rewrites what it
//! read would wake itself forever).

use std::cmp::Ordering;
use std::collections::BTreeMap;

pub(crate) use crate::model::semantic::normalized;
use jiff::Timestamp;
use serde_json::{Map, Value, json};

use crate::sim::cluster::events::{self, REPLICASET_CONTROLLER};
use crate::sim::cluster::time::{k8s_time, parse_time};
use crate::sim::cluster::world::{DeleteOptions, World};
use crate::sim::store::labels_of;
use crate::sim::store::resources;
use crate::sim::store::selector::LabelSelector;

/// Most pods one sync creates or deletes (kube-controller-manager's burstReplicas).
pub const BURST: usize = 500;

// ------------------------------------------------------------------ reading

/// A string field, "" when absent or not a string.
pub(crate) fn text<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    path.iter().fold(v, |v, k| &v[*k]).as_str().unwrap_or("")
}

pub(crate) fn uid(obj: &Value) -> &str {
    text(obj, &["metadata", "uid"])
}

pub(crate) fn name(obj: &Value) -> &str {
    text(obj, &["metadata", "name"])
}

pub(crate) fn created(obj: &Value) -> Option<Timestamp> {
    parse_time(&obj["metadata"]["creationTimestamp"])
}

pub(crate) fn is_terminating(obj: &Value) -> bool {
    !obj["metadata"]["deletionTimestamp"].is_null()
}

/// `spec.replicas` as the API server defaults it (1 when absent).
pub(crate) fn spec_replicas(obj: &Value) -> i64 {
    obj["spec"]["replicas"].as_i64().unwrap_or(1).max(0)
}

pub(crate) fn status_count(obj: &Value, key: &str) -> i64 {
    obj["status"][key].as_i64().unwrap_or(0)
}

/// Oldest first, then by name (`ReplicaSetsByCreationTimestamp` and friends).
pub(crate) fn by_creation(a: &Value, b: &Value) -> Ordering {
    created(a)
        .cmp(&created(b))
        .then_with(|| name(a).cmp(name(b)))
}

pub(crate) fn phase(pod: &Value) -> &str {
    text(pod, &["status", "phase"])
}

/// Counted by its owner: not terminating and not finished.
pub(crate) fn is_active(pod: &Value) -> bool {
    !is_terminating(pod) && !matches!(phase(pod), "Succeeded" | "Failed")
}

fn ready_condition(pod: &Value) -> Option<&Value> {
    pod["status"]["conditions"]
        .as_array()?
        .iter()
        .find(|c| c["type"] == "Ready")
}

pub(crate) fn is_ready(pod: &Value) -> bool {
    ready_condition(pod).is_some_and(|c| c["status"] == "True")
}

fn ready_since(pod: &Value) -> Option<Timestamp> {
    ready_condition(pod).and_then(|c| parse_time(&c["lastTransitionTime"]))
}

/// Ready for longer than `min_ready_seconds` (`podutil.IsPodAvailable`).
pub(crate) fn is_available(pod: &Value, min_ready_seconds: i64, now: Timestamp) -> bool {
    if !is_ready(pod) {
        return false;
    }
    min_ready_seconds <= 0
        || ready_since(pod)
            .is_some_and(|t| crate::sim::cluster::time::after(t, min_ready_seconds) < now)
}

/// `IntOrString` scaled against `total` ("25%" of 10 is 3 rounded up, 2 down).
pub(crate) fn scaled_value(v: &Value, total: i64, round_up: bool) -> i64 {
    if let Some(n) = v.as_i64() {
        return n;
    }
    let Some(pct) = v
        .as_str()
        .and_then(|s| s.strip_suffix('%'))
        .and_then(|p| p.parse::<i64>().ok())
    else {
        return 0;
    };
    let scaled = pct * total;
    if round_up {
        (scaled + 99).div_euclid(100)
    } else {
        scaled.div_euclid(100)
    }
}

// ---------------------------------------------------------------- ownership

/// The ownerReference a controller puts on what it makes.
pub(crate) fn controller_ref(owner: &Value) -> Value {
    json!({
        "apiVersion": owner["apiVersion"],
        "kind": owner["kind"],
        "name": name(owner),
        "uid": uid(owner),
        "controller": true,
        "blockOwnerDeletion": true,
    })
}

/// The uid of the controller that owns `obj`, if any.
pub(crate) fn controller_uid(obj: &Value) -> Option<&str> {
    obj["metadata"]["ownerReferences"]
        .as_array()?
        .iter()
        .find(|r| r["controller"] == true)
        .map(|r| r["uid"].as_str().unwrap_or(""))
}

/// The objects of `storage` in the owner's namespace that it controls, after
/// adopting orphans its selector matches and releasing owned ones it no
/// longer matches (`ControllerRefManager`). Cheap for objects that neither
/// match nor mention the owner: those are never parsed.
pub(crate) fn claim(
    w: &mut World,
    storage: &'static str,
    owner: &Value,
    selector: &LabelSelector,
) -> Vec<Value> {
    let ns = text(owner, &["metadata", "namespace"]);
    let owner_uid = uid(owner);
    if owner_uid.is_empty() {
        return Vec::new();
    }
    let mut owned = Vec::new();
    for stored in w.store.list(storage, Some(ns), None).items {
        let matches = selector.matches(&stored.labels);
        if !matches && !stored.owners.iter().any(|u| u == owner_uid) {
            continue;
        }
        let mut obj = stored.value();
        match controller_uid(&obj) {
            Some(u) if u == owner_uid && matches => owned.push(obj),
            Some(u) if u == owner_uid => {
                let old = obj.clone();
                if let Some(refs) = obj
                    .pointer_mut("/metadata/ownerReferences")
                    .and_then(Value::as_array_mut)
                {
                    refs.retain(|r| r["uid"] != owner_uid);
                }
                write(w, storage, &old, obj);
            }
            None if matches && !is_terminating(&obj) && !is_terminating(owner) => {
                let old = obj.clone();
                let meta = map_at(&mut obj, &["metadata"]);
                let mut refs = meta
                    .get("ownerReferences")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                refs.push(controller_ref(owner));
                meta.insert("ownerReferences".into(), Value::Array(refs));
                write(w, storage, &old, obj.clone());
                owned.push(obj);
            }
            _ => {}
        }
    }
    owned
}

// ------------------------------------------------------------------- writing

/// An object, made one if it is not (so writes into client data never panic).
pub(crate) fn ensure_object(v: &mut Value) -> &mut Map<String, Value> {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    match v {
        Value::Object(m) => m,
        _ => unreachable!("made an object above"),
    }
}

/// The map at `path` under `v`, created (or replaced, if not a map) as needed.
pub(crate) fn map_at<'a>(v: &'a mut Value, path: &[&str]) -> &'a mut Map<String, Value> {
    let mut m = ensure_object(v);
    for key in path {
        m = ensure_object(m.entry(key.to_string()).or_insert(Value::Null));
    }
    m
}

/// JSON with object keys sorted, whatever map order serde_json is built with.
pub(crate) fn canonical(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", json!(k), canonical(&m[*k])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

/// Writes `new` if it differs from `old` (what was read), bumping
/// `metadata.generation` when the spec changed as the API server does.
pub(crate) fn write(w: &mut World, storage: &'static str, old: &Value, mut new: Value) -> bool {
    if *old == new {
        return false;
    }
    if old["spec"] != new["spec"]
        && let Some(g) = old["metadata"]["generation"].as_i64()
    {
        map_at(&mut new, &["metadata"]).insert("generation".into(), json!(g + 1));
    }
    w.put_internal(storage, new);
    true
}

/// Sets a status counter; `omit_zero` drops it at 0 like Go's `omitempty`.
pub(crate) fn set_count(status: &mut Map<String, Value>, key: &str, n: i64, omit_zero: bool) {
    if n == 0 && omit_zero {
        status.remove(key);
    } else {
        status.insert(key.to_string(), json!(n));
    }
}

/// A pod as `controller.GetPodFromTemplate` makes it: the template's labels,
/// annotations, finalizers and spec, `generateName` `<owner>-`, and the
/// owner's controller reference.
pub(crate) fn pod_from_template(owner: &Value, template: &Value) -> Value {
    let mut meta = json!({
        "generateName": format!("{}-", name(owner)),
        "namespace": owner["metadata"]["namespace"],
        "ownerReferences": [controller_ref(owner)],
    });
    for key in ["labels", "annotations", "finalizers"] {
        if let Some(v) = template["metadata"].get(key).filter(|v| !v.is_null()) {
            meta[key] = v.clone();
        }
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": template["spec"]})
}

/// Creates a pod through the client path (defaults, validation), retrying a
/// generated name that happens to be taken.
pub(crate) fn create_pod(w: &mut World, pod: Value) -> Result<Value, String> {
    let Some(rt) = resources::by_storage("pods") else {
        return Err("pods are not served".into());
    };
    let ns = text(&pod, &["metadata", "namespace"]).to_string();
    let mut last = String::new();
    for _ in 0..3 {
        match w.create(rt, &ns, pod.clone(), false) {
            Ok(created) => return Ok(created),
            Err(e) if e.reason == "AlreadyExists" && !pod["metadata"]["generateName"].is_null() => {
                last = e.message
            }
            Err(e) => return Err(e.message),
        }
    }
    Err(last)
}

/// Deletes a pod as a controller does (graceful when it runs on a node).
pub(crate) fn delete_pod(w: &mut World, ns: &str, pod_name: &str) -> Result<(), String> {
    let Some(rt) = resources::by_storage("pods") else {
        return Err("pods are not served".into());
    };
    w.delete(rt, ns, pod_name, &DeleteOptions::default())
        .map(|_| ())
        .map_err(|e| e.message)
}

// ---------------------------------------------------------------- controller

pub fn sync(w: &mut World, namespace: &str, name_: &str) {
    let Some(rs) = w.store.get_value("replicasets", namespace, name_) else {
        return;
    };
    let selector = match LabelSelector::from_json(&rs["spec"]["selector"]) {
        Ok(s) if !s.is_empty() => s,
        _ => return,
    };
    let mut active: Vec<Value> = claim(w, "pods", &rs, &selector)
        .into_iter()
        .filter(is_active)
        .collect();
    let failure = if is_terminating(&rs) {
        None
    } else {
        manage(w, &rs, &mut active)
    };
    update_status(w, &rs, &active, failure);
}

fn event(w: &mut World, rs: &Value, warning: bool, reason: &str, msg: &str) {
    events::record(w, rs, None, warning, reason, msg, REPLICASET_CONTROLLER);
}

/// Creates or deletes pods until `spec.replicas` are active. Returns the
/// error of a failed creation.
fn manage(w: &mut World, rs: &Value, active: &mut Vec<Value>) -> Option<String> {
    let want = usize::try_from(spec_replicas(rs)).unwrap_or(0);
    if active.len() < want {
        for _ in 0..(want - active.len()).min(BURST) {
            match create_pod(w, pod_from_template(rs, &rs["spec"]["template"])) {
                Ok(pod) => {
                    event(
                        w,
                        rs,
                        false,
                        "SuccessfulCreate",
                        &format!("Created pod: {}", name(&pod)),
                    );
                    active.push(pod);
                }
                Err(e) => {
                    event(w, rs, true, "FailedCreate", &format!("Error creating: {e}"));
                    return Some(e);
                }
            }
        }
    } else if active.len() > want {
        // Pods of this set on the same node as others of it go first.
        let node = |p: &Value| text(p, &["spec", "nodeName"]).to_string();
        let mut per_node: BTreeMap<String, i64> = BTreeMap::new();
        for p in active.iter() {
            *per_node.entry(node(p)).or_default() += 1;
        }
        let rank = |p: &Value| per_node.get(&node(p)).copied().unwrap_or(0);
        let mut order: Vec<usize> = (0..active.len()).collect();
        order.sort_by(|&a, &b| {
            let (pa, pb) = (&active[a], &active[b]);
            delete_first(pa, rank(pa), pb, rank(pb))
        });
        order.truncate((active.len() - want).min(BURST));
        let ns = text(rs, &["metadata", "namespace"]).to_string();
        for &i in &order {
            let pod_name = name(&active[i]).to_string();
            if delete_pod(w, &ns, &pod_name).is_ok() {
                event(
                    w,
                    rs,
                    false,
                    "SuccessfulDelete",
                    &format!("Deleted pod: {pod_name}"),
                );
            }
        }
        let mut i = 0;
        active.retain(|_| {
            i += 1;
            !order.contains(&(i - 1))
        });
    }
    None
}

/// `ActivePodsWithRanks`: which of two pods to delete first on scale-down.
fn delete_first(a: &Value, rank_a: i64, b: &Value, rank_b: i64) -> Ordering {
    let unassigned = |p: &Value| text(p, &["spec", "nodeName"]).is_empty();
    let phase_rank = |p: &Value| match phase(p) {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 3,
    };
    let cost = |p: &Value| {
        let cost = &p["metadata"]["annotations"]["controller.kubernetes.io/pod-deletion-cost"];
        cost.as_str()
            .and_then(|c| c.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let restarts = |p: &Value| {
        p["status"]["containerStatuses"].as_array().map_or(0, |cs| {
            cs.iter()
                .filter_map(|c| c["restartCount"].as_i64())
                .max()
                .unwrap_or(0)
        })
    };
    unassigned(b)
        .cmp(&unassigned(a))
        .then_with(|| phase_rank(a).cmp(&phase_rank(b)))
        .then_with(|| is_ready(a).cmp(&is_ready(b)))
        .then_with(|| cost(a).cmp(&cost(b)))
        .then_with(|| rank_b.cmp(&rank_a))
        // More recently ready goes first.
        .then_with(|| {
            if is_ready(a) && is_ready(b) {
                ready_since(b).cmp(&ready_since(a))
            } else {
                Ordering::Equal
            }
        })
        .then_with(|| restarts(b).cmp(&restarts(a)))
        // Newer goes first.
        .then_with(|| created(b).cmp(&created(a)))
        .then_with(|| name(a).cmp(name(b)))
}

fn update_status(w: &mut World, rs: &Value, active: &[Value], failure: Option<String>) {
    let now = w.now;
    let template_labels = labels_of(&rs["spec"]["template"]);
    let min_ready = rs["spec"]["minReadySeconds"].as_i64().unwrap_or(0);
    let fully = active
        .iter()
        .filter(|p| {
            let labels = labels_of(p);
            template_labels
                .iter()
                .all(|(k, v)| labels.get(k) == Some(v))
        })
        .count();
    let ready = active.iter().filter(|p| is_ready(p)).count();
    let available = active
        .iter()
        .filter(|p| is_available(p, min_ready, now))
        .count();
    let mut status = Map::new();
    set_count(&mut status, "replicas", active.len() as i64, false);
    set_count(&mut status, "fullyLabeledReplicas", fully as i64, true);
    set_count(&mut status, "readyReplicas", ready as i64, true);
    set_count(&mut status, "availableReplicas", available as i64, true);
    if let Some(g) = rs["metadata"]["generation"].as_i64() {
        status.insert("observedGeneration".into(), json!(g));
    }
    let mut conditions: Vec<Value> = rs["status"]["conditions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let has_failure = conditions.iter().any(|c| c["type"] == "ReplicaFailure");
    match failure {
        Some(msg) if !has_failure => conditions.push(json!({
            "type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
            "message": msg, "lastTransitionTime": k8s_time(now),
        })),
        None if has_failure => conditions.retain(|c| c["type"] != "ReplicaFailure"),
        _ => {}
    }
    if !conditions.is_empty() {
        status.insert("conditions".into(), Value::Array(conditions));
    }
    let mut new = rs.clone();
    new["status"] = Value::Object(status);
    write(w, "replicasets", rs, new);
}

#[cfg(test)]
pub(crate) mod tests;
