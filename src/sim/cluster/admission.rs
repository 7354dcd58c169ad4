//! The admission plugins a pod passes on its way into the store, as the API
//! server runs them: `LimitRanger` (plugin/pkg/admission/limitranger) fills
//! in the namespace's default requests and limits for containers without
//! them, and `ResourceQuota` (plugin/pkg/admission/resourcequota) refuses an
//! object that would take a quota past its hard limits — `403 Forbidden`,
//! `exceeded quota: <quota>, requested: …, used: …, limited: …` — and
//! otherwise charges it to the quota's `status.used` at once.
//!
//! Also the usage arithmetic the ResourceQuota controller shares: what an
//! object counts for (pods, requests.cpu, count/…), in thousandths, and the
//! quantities written back the way `resource.Quantity` prints them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::world::World;
use crate::model::quantity;
use crate::sim::store::resources::ResourceType;
use crate::sim::store::status::ApiError;

/// Amounts per resource name, in thousandths of the unit (millicores,
/// milli-bytes, milli-pods), so CPU and counts add up exactly.
pub type Usage = BTreeMap<String, i128>;

/// The annotation LimitRanger leaves on a pod it changed.
pub const LIMIT_RANGER_ANNOTATION: &str = "kubernetes.io/limit-ranger";

/// A quantity in thousandths (`100m` → 100, `1` → 1000, `1Gi` → 1073741824000).
pub fn milli(v: &Value) -> Option<i128> {
    match v {
        // Thousandths of an exabyte overflow u64: such a quantity is
        // counted from its whole units instead.
        Value::String(s) => match quantity::scaled(s, 3) {
            Some(u64::MAX) => quantity::scaled(s, 0).map(|v| i128::from(v) * 1000),
            other => other.map(i128::from),
        },
        Value::Number(n) => n.as_f64().map(|f| (f * 1000.0).ceil() as i128),
        _ => None,
    }
}

/// A usage amount as `resource.Quantity` prints it for this resource:
/// CPU in cores or millicores (`1350m`, `2`), memory and storage in the
/// largest binary unit that divides it (`3520Mi`), counts as integers.
pub fn format(resource: &str, milli: i128) -> String {
    let milli = milli.max(0);
    if resource.ends_with("cpu") {
        return quantity::format_milli(u64::try_from(milli).unwrap_or(u64::MAX));
    }
    if milli % 1000 != 0 {
        return format!("{milli}m");
    }
    let whole = milli / 1000;
    if resource.ends_with("memory") || resource.ends_with("storage") {
        for (unit, exp) in [
            ("Ei", 6),
            ("Pi", 5),
            ("Ti", 4),
            ("Gi", 3),
            ("Mi", 2),
            ("Ki", 1),
        ] {
            let size = 1i128 << (10 * exp);
            if whole != 0 && whole % size == 0 {
                return format!("{}{unit}", whole / size);
            }
        }
    }
    whole.to_string()
}

/// Whether a pod is over: its phase is Succeeded or Failed (`QuotaV1Pod`).
fn is_terminal(pod: &Value) -> bool {
    matches!(
        pod["status"]["phase"].as_str(),
        Some("Succeeded" | "Failed")
    )
}

/// A container's requests and limits as quota names them: `requests.cpu`
/// and its alias `cpu`, `limits.memory`, …
fn container_usage(c: &Value) -> Usage {
    let mut u = Usage::new();
    let res = &c["resources"];
    for (kind, alias) in [("requests", true), ("limits", false)] {
        for (name, q) in res[kind].as_object().into_iter().flatten() {
            let Some(m) = milli(q) else { continue };
            u.insert(format!("{kind}.{name}"), m);
            if alias && matches!(name.as_str(), "cpu" | "memory" | "ephemeral-storage") {
                u.insert(name.clone(), m);
            }
        }
    }
    u
}

/// What a pod counts for: one pod, and the sum of its containers' requests
/// and limits (or the largest init container's, if that is more).
fn pod_usage(pod: &Value) -> Usage {
    let mut u = Usage::new();
    if is_terminal(pod) {
        return u;
    }
    u.insert("pods".into(), 1000);
    u.insert("count/pods".into(), 1000);
    let mut sum = Usage::new();
    for c in pod["spec"]["containers"].as_array().into_iter().flatten() {
        for (k, v) in container_usage(c) {
            *sum.entry(k).or_default() += v;
        }
    }
    for c in pod["spec"]["initContainers"]
        .as_array()
        .into_iter()
        .flatten()
    {
        for (k, v) in container_usage(c) {
            let e = sum.entry(k).or_default();
            *e = (*e).max(v);
        }
    }
    u.extend(sum);
    u
}

/// What one object of `rt` counts for in a quota.
pub fn usage_of(rt: &ResourceType, obj: &Value) -> Usage {
    if rt.storage == "pods" {
        return pod_usage(obj);
    }
    let mut u = Usage::new();
    let count = if rt.group.is_empty() {
        format!("count/{}", rt.plural)
    } else {
        format!("count/{}.{}", rt.plural, rt.group)
    };
    u.insert(count, 1000);
    if rt.group.is_empty()
        && matches!(
            rt.plural,
            "services" | "configmaps" | "secrets" | "resourcequotas" | "replicationcontrollers"
        )
    {
        u.insert(rt.plural.to_string(), 1000);
    }
    if rt.storage == "services" {
        let ports = obj["spec"]["ports"].as_array().map_or(0, Vec::len) as i128;
        match obj["spec"]["type"].as_str() {
            Some("NodePort") => {
                u.insert("services.nodeports".into(), ports * 1000);
            }
            Some("LoadBalancer") => {
                u.insert("services.loadbalancers".into(), 1000);
                u.insert("services.nodeports".into(), ports * 1000);
            }
            _ => {}
        }
    }
    u
}

/// The hard limits of a quota: `status.hard` once the controller has
/// written it, else `spec.hard`.
pub fn hard_of(quota: &Value) -> Usage {
    let status = &quota["status"]["hard"];
    let hard = if status.as_object().is_some_and(|m| !m.is_empty()) {
        status
    } else {
        &quota["spec"]["hard"]
    };
    hard.as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| milli(v).map(|m| (k.clone(), m)))
        .collect()
}

/// What everything in `namespace` uses of the resources `hard` names.
pub fn used_in(w: &World, namespace: &str, hard: &Usage) -> Usage {
    let mut used: Usage = hard.keys().map(|k| (k.clone(), 0)).collect();
    let tracked = |rt: &ResourceType| {
        let plural = rt.plural;
        hard.keys().any(|k| {
            k.starts_with("count/")
                || k.as_str() == plural
                || (rt.storage == "pods"
                    && (k.starts_with("requests.")
                        || k.starts_with("limits.")
                        || matches!(k.as_str(), "cpu" | "memory" | "ephemeral-storage")))
                || (rt.storage == "services" && k.starts_with("services."))
        })
    };
    for rt in crate::sim::store::resources::RESOURCES
        .iter()
        .filter(|r| r.namespaced && r.is_stored() && r.group != "events.k8s.io")
        .filter(|r| tracked(r))
    {
        for obj in w.store.values(rt.storage, Some(namespace)) {
            for (k, v) in usage_of(rt, &obj) {
                if let Some(e) = used.get_mut(&k) {
                    *e += v;
                }
            }
        }
    }
    used
}

/// `key=value,…` in key order, as the quota plugin's `prettyPrint`.
fn pretty(u: &Usage) -> String {
    u.iter()
        .map(|(k, v)| format!("{k}={}", format(k, *v)))
        .collect::<Vec<_>>()
        .join(",")
}

/// Resource names a pod's every container must state when a quota limits them.
const COMPUTE: &[&str] = &[
    "cpu",
    "memory",
    "requests.cpu",
    "requests.memory",
    "limits.cpu",
    "limits.memory",
];

/// The ResourceQuota plugin: refuses `obj` (already named) if it would take
/// a quota of its namespace past a hard limit; otherwise, unless
/// `dry_run`, adds it to each quota's `status.used`.
pub fn check_quota(
    w: &mut World,
    rt: &ResourceType,
    namespace: &str,
    obj: &Value,
    dry_run: bool,
) -> Result<(), ApiError> {
    if !rt.namespaced || !rt.is_stored() || rt.storage == "events" {
        return Ok(());
    }
    let quotas = w.store.values("resourcequotas", Some(namespace));
    if quotas.is_empty() {
        return Ok(());
    }
    let name = obj["metadata"]["name"].as_str().unwrap_or("");
    let refuse = |why: String| ApiError::admission_forbidden(rt.group, rt.plural, name, &why);
    let delta = usage_of(rt, obj);
    let mut charges = Vec::new();
    for quota in quotas {
        let qname = quota["metadata"]["name"].as_str().unwrap_or("").to_string();
        let hard = hard_of(&quota);
        if rt.storage == "pods" && !is_terminal(obj) {
            let required: BTreeSet<&str> = COMPUTE
                .iter()
                .copied()
                .filter(|r| hard.contains_key(*r))
                .collect();
            let mut missing = BTreeSet::new();
            for c in obj["spec"]["containers"].as_array().into_iter().flatten() {
                let has = container_usage(c);
                missing.extend(required.iter().filter(|r| !has.contains_key(**r)));
            }
            if !missing.is_empty() {
                let list: Vec<&str> = missing.into_iter().collect();
                return Err(refuse(format!(
                    "failed quota: {qname}: must specify {}",
                    list.join(",")
                )));
            }
        }
        let requested: Usage = delta
            .iter()
            .filter(|(k, _)| hard.contains_key(*k))
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        if requested.is_empty() {
            continue;
        }
        let used = used_in(w, namespace, &hard);
        let exceeded: Vec<&String> = requested
            .iter()
            .filter(|(k, v)| used.get(*k).copied().unwrap_or(0) + **v > hard[*k])
            .map(|(k, _)| k)
            .collect();
        if !exceeded.is_empty() {
            let mask = |u: &Usage| -> Usage {
                exceeded
                    .iter()
                    .map(|k| ((*k).clone(), u.get(*k).copied().unwrap_or(0)))
                    .collect()
            };
            return Err(refuse(format!(
                "exceeded quota: {qname}, requested: {}, used: {}, limited: {}",
                pretty(&mask(&requested)),
                pretty(&mask(&used)),
                pretty(&mask(&hard)),
            )));
        }
        let mut after = used;
        for (k, v) in &requested {
            *after.entry(k.clone()).or_default() += v;
        }
        charges.push((quota, after));
    }
    if !dry_run {
        for (quota, used) in charges {
            write_status(w, &quota, &used);
        }
    }
    Ok(())
}

/// Writes a quota's `status` (hard from the spec, used as given) if it changed.
pub fn write_status(w: &mut World, quota: &Value, used: &Usage) {
    let spec_hard = quota["spec"]["hard"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let used: Map<String, Value> = spec_hard
        .keys()
        .map(|k| {
            (
                k.clone(),
                json!(format(k, used.get(k).copied().unwrap_or(0))),
            )
        })
        .collect();
    let status = json!({"hard": spec_hard, "used": used});
    if quota["status"] != status {
        let mut new = quota.clone();
        new["status"] = status;
        w.put_internal("resourcequotas", new);
    }
}

/// The defaults of a namespace's LimitRanges for containers: (requests, limits).
fn container_defaults(w: &World, namespace: &str) -> (Map<String, Value>, Map<String, Value>) {
    let (mut requests, mut limits) = (Map::new(), Map::new());
    for lr in w.store.values("limitranges", Some(namespace)) {
        for item in lr["spec"]["limits"].as_array().into_iter().flatten() {
            if item["type"] != "Container" {
                continue;
            }
            let obj = |key: &str| item[key].as_object().cloned().unwrap_or_default();
            // The API server defaults a LimitRange's defaultRequest from its
            // default, and its default from its max.
            let mut default = obj("max");
            default.extend(obj("default"));
            let mut default_request = default.clone();
            default_request.extend(obj("defaultRequest"));
            limits.extend(default);
            requests.extend(default_request);
        }
    }
    (requests, limits)
}

/// LimitRanger: fills each container's missing requests and limits from the
/// namespace's LimitRange defaults, and notes what it set on the pod.
pub fn limit_ranger(w: &World, namespace: &str, pod: &mut Value) {
    let (requests, limits) = container_defaults(w, namespace);
    if (requests.is_empty() && limits.is_empty())
        || !pod["spec"].is_object()
        || !pod["metadata"].is_object()
    {
        return;
    }
    let mut notes = Vec::new();
    for (list, prefix) in [
        ("containers", "container"),
        ("initContainers", "init container"),
    ] {
        let Some(containers) = pod["spec"][list].as_array_mut() else {
            continue;
        };
        for c in containers.iter_mut().filter(|c| c.is_object()) {
            let cname = c["name"].as_str().unwrap_or("").to_string();
            if !c["resources"].is_object() {
                c["resources"] = json!({});
            }
            let mut set = |kind: &str, defaults: &Map<String, Value>| {
                let mut names = Vec::new();
                if !c["resources"][kind].is_object() {
                    c["resources"][kind] = json!({});
                }
                for (k, v) in defaults {
                    if c["resources"][kind].get(k).is_none() {
                        c["resources"][kind][k] = v.clone();
                        names.push(k.clone());
                    }
                }
                if c["resources"][kind]
                    .as_object()
                    .is_some_and(|m| m.is_empty())
                    && let Some(r) = c["resources"].as_object_mut()
                {
                    r.remove(kind);
                }
                names.sort();
                names
            };
            let set_requests = set("requests", &requests);
            let set_limits = set("limits", &limits);
            if !set_requests.is_empty() {
                notes.push(format!(
                    "{} request for {prefix} {cname}",
                    set_requests.join(", ")
                ));
            }
            if !set_limits.is_empty() {
                notes.push(format!(
                    "{} limit for {prefix} {cname}",
                    set_limits.join(", ")
                ));
            }
        }
    }
    if !notes.is_empty() {
        if !pod["metadata"]["annotations"].is_object() {
            pod["metadata"]["annotations"] = json!({});
        }
        pod["metadata"]["annotations"][LIMIT_RANGER_ANNOTATION] =
            json!(format!("LimitRanger plugin set: {}", notes.join("; ")));
    }
}

#[cfg(test)]
mod tests;
