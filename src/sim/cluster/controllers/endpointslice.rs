//! The EndpointSlice controller (kubernetes `pkg/controller/endpointslice`,
//! `staging/src/k8s.io/endpointslice`) and the older Endpoints controller
//! (`pkg/controller/endpoint`): for every Service with a selector, the pods
//! it selects that have an IP, as endpoints with `ready`, `serving` and
//! `terminating` conditions, their node and zone, and the Service's ports
//! resolved against each pod (a named `targetPort` looked up in the pod's
//! containers).
//!
//! Slices are named from `generateName: <service>-`, labelled
//! `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by`,
//! and controlled by the Service. Endpoints with the same ports share a
//! slice (at most [`MAX_ENDPOINTS`] to one); a Service that selects nothing
//! keeps one empty slice, as the real controller does. Existing slices are
//! rewritten in place rather than replaced, so their names stay.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::replicaset::{controller_ref, is_ready, is_terminating, name, text, write};
use crate::sim::cluster::world::{DeleteOptions, World};
use crate::sim::store::resources;
use crate::sim::store::selector::LabelSelector;

pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
pub const MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";
pub const MANAGED_BY: &str = "endpointslice-controller.k8s.io";
/// `--max-endpoints-per-slice`'s default.
pub const MAX_ENDPOINTS: usize = 100;

/// The Service's selector, if it has one (a Service without one has its
/// endpoints managed by someone else).
fn selector_of(svc: &Value) -> Option<LabelSelector> {
    let sel = svc["spec"]["selector"].as_object()?;
    let match_labels = Value::Object(sel.clone());
    LabelSelector::from_json(&json!({ "matchLabels": match_labels })).ok()
}

/// `ShouldPodBeInEndpoints` (terminating pods included): not finished and
/// has an IP.
fn has_endpoint(pod: &Value) -> bool {
    !matches!(text(pod, &["status", "phase"]), "Succeeded" | "Failed")
        && !text(pod, &["status", "podIP"]).is_empty()
}

/// `podutil.FindPort`: a number is itself; a name is the container port of
/// that name and protocol.
fn find_port(pod: &Value, target: &Value, protocol: &str) -> Option<i64> {
    if let Some(n) = target.as_i64() {
        return Some(n);
    }
    let wanted = target.as_str()?;
    if let Ok(n) = wanted.parse::<i64>() {
        return Some(n);
    }
    pod["spec"]["containers"]
        .as_array()?
        .iter()
        .flat_map(|c| c["ports"].as_array().into_iter().flatten())
        .find(|p| p["name"] == wanted && p["protocol"].as_str().unwrap_or("TCP") == protocol)
        .and_then(|p| p["containerPort"].as_i64())
}

/// The slice ports of one pod: each Service port whose target the pod has.
fn endpoint_ports(svc: &Value, pod: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for p in svc["spec"]["ports"].as_array().into_iter().flatten() {
        let protocol = p["protocol"].as_str().unwrap_or("TCP");
        let target = match &p["targetPort"] {
            Value::Null => p["port"].clone(),
            t => t.clone(),
        };
        let Some(port) = find_port(pod, &target, protocol) else {
            continue;
        };
        let mut ep =
            json!({"name": p["name"].as_str().unwrap_or(""), "port": port, "protocol": protocol});
        if let Some(app) = p.get("appProtocol").filter(|a| a.is_string()) {
            ep["appProtocol"] = app.clone();
        }
        out.push(ep);
    }
    out
}

/// `podToEndpoint`: serving is the pod's Ready condition, ready is serving
/// and not terminating (unless the Service publishes unready addresses).
fn endpoint(w: &World, svc: &Value, pod: &Value) -> Value {
    let serving = is_ready(pod);
    let terminating = is_terminating(pod);
    let publish = svc["spec"]["publishNotReadyAddresses"] == true;
    let ready = publish || (serving && !terminating);
    let mut ep = json!({
        "addresses": [text(pod, &["status", "podIP"])],
        "conditions": {"ready": ready, "serving": serving, "terminating": terminating},
        "targetRef": {
            "kind": "Pod",
            "namespace": pod["metadata"]["namespace"],
            "name": pod["metadata"]["name"],
            "uid": pod["metadata"]["uid"],
        },
    });
    let node = text(pod, &["spec", "nodeName"]);
    if !node.is_empty() {
        ep["nodeName"] = json!(node);
        if let Some(zone) = w.store.get_value("nodes", "", node).and_then(|n| {
            n["metadata"]["labels"]["topology.kubernetes.io/zone"]
                .as_str()
                .map(str::to_string)
        }) {
            ep["zone"] = json!(zone);
        }
    }
    ep
}

/// A Service's slices as the controller wants them: (ports, endpoints).
fn desired(w: &World, svc: &Value, pods: &[Value]) -> Vec<(Value, Vec<Value>)> {
    let mut by_ports: BTreeMap<String, (Value, Vec<Value>)> = BTreeMap::new();
    for pod in pods {
        let ports = Value::Array(endpoint_ports(svc, pod));
        let key = ports.to_string();
        let group = by_ports.entry(key).or_insert_with(|| (ports, Vec::new()));
        group.1.push(endpoint(w, svc, pod));
    }
    let mut out = Vec::new();
    for (_, (ports, eps)) in by_ports {
        for chunk in eps.chunks(MAX_ENDPOINTS) {
            out.push((ports.clone(), chunk.to_vec()));
        }
    }
    if out.is_empty() {
        out.push((Value::Null, Vec::new()));
    }
    out
}

/// The labels of a Service's slices: the Service's own, and the two the
/// controller owns.
fn slice_labels(svc: &Value) -> Value {
    let mut labels = svc["metadata"]["labels"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    labels.insert(SERVICE_NAME_LABEL.into(), json!(name(svc)));
    labels.insert(MANAGED_BY_LABEL.into(), json!(MANAGED_BY));
    Value::Object(labels)
}

fn managed_slices(w: &World, namespace: &str, service: &str) -> Vec<Value> {
    w.store
        .list("endpointslices", Some(namespace), None)
        .items
        .iter()
        .filter(|s| {
            s.labels.get(SERVICE_NAME_LABEL).map(String::as_str) == Some(service)
                && s.labels.get(MANAGED_BY_LABEL).map(String::as_str) == Some(MANAGED_BY)
        })
        .map(|s| s.value())
        .collect()
}

fn delete(w: &mut World, plural: &str, group: &str, namespace: &str, obj_name: &str) {
    if let Some(rt) = resources::find(group, "v1", plural) {
        let _ = w.delete(rt, namespace, obj_name, &DeleteOptions::default());
    }
}

/// Brings the slices and the Endpoints of one Service up to date.
pub fn sync(w: &mut World, namespace: &str, service: &str) {
    let svc = w.store.get_value("services", namespace, service);
    let selector = svc.as_ref().and_then(selector_of);
    let (Some(svc), Some(selector)) = (svc.clone(), selector) else {
        // Gone, or not ours to manage: the slices we made for it go.
        for slice in managed_slices(w, namespace, service) {
            delete(
                w,
                "endpointslices",
                "discovery.k8s.io",
                namespace,
                name(&slice),
            );
        }
        // A Service without a selector keeps the Endpoints its owner wrote.
        if svc.is_none() && w.store.get("endpoints", namespace, service).is_some() {
            delete(w, "endpoints", "", namespace, service);
        }
        return;
    };
    if is_terminating(&svc) || svc["spec"]["type"] == "ExternalName" {
        return;
    }
    let mut pods: Vec<Value> = w
        .store
        .list("pods", Some(namespace), None)
        .items
        .iter()
        .filter(|p| selector.matches(&p.labels))
        .map(|p| p.value())
        .filter(has_endpoint)
        .collect();
    pods.sort_by(|a, b| name(a).cmp(name(b)));
    sync_slices(w, &svc, &pods);
    sync_endpoints(w, &svc, &pods);
}

fn sync_slices(w: &mut World, svc: &Value, pods: &[Value]) {
    let ns = text(svc, &["metadata", "namespace"]).to_string();
    let want = desired(w, svc, pods);
    let mut existing = managed_slices(w, &ns, name(svc));
    existing.sort_by(|a, b| name(a).cmp(name(b)));
    // Slices whose ports already match are kept for that group; the rest
    // are reused for what is left (renaming nothing), then created or deleted.
    let mut assigned: Vec<Option<Value>> = vec![None; want.len()];
    for (i, (ports, _)) in want.iter().enumerate() {
        if let Some(pos) = existing.iter().position(|s| s["ports"] == *ports) {
            assigned[i] = Some(existing.remove(pos));
        }
    }
    for slot in assigned.iter_mut().filter(|s| s.is_none()) {
        if !existing.is_empty() {
            *slot = Some(existing.remove(0));
        }
    }
    for leftover in existing {
        delete(
            w,
            "endpointslices",
            "discovery.k8s.io",
            &ns,
            name(&leftover),
        );
    }
    for ((ports, endpoints), current) in want.into_iter().zip(assigned) {
        let endpoints = if endpoints.is_empty() {
            Value::Null
        } else {
            Value::Array(endpoints)
        };
        match current {
            Some(old) => {
                let mut new = old.clone();
                new["metadata"]["labels"] = slice_labels(svc);
                new["addressType"] = json!("IPv4");
                new["ports"] = ports;
                new["endpoints"] = endpoints;
                write(w, "endpointslices", &old, new);
            }
            None => {
                let slice = json!({
                    "apiVersion": "discovery.k8s.io/v1",
                    "kind": "EndpointSlice",
                    "metadata": {
                        "generateName": format!("{}-", name(svc)),
                        "namespace": ns,
                        "labels": slice_labels(svc),
                        "ownerReferences": [controller_ref(svc)],
                    },
                    "addressType": "IPv4",
                    "ports": ports,
                    "endpoints": endpoints,
                });
                if let Some(rt) = resources::find("discovery.k8s.io", "v1", "endpointslices") {
                    let _ = w.create(rt, &ns, slice, false);
                }
            }
        }
    }
}

/// The core/v1 Endpoints of a Service: ready pods' addresses, unready ones'
/// under `notReadyAddresses`, terminating pods left out; one subset per set
/// of ports.
fn sync_endpoints(w: &mut World, svc: &Value, pods: &[Value]) {
    let ns = text(svc, &["metadata", "namespace"]).to_string();
    let publish = svc["spec"]["publishNotReadyAddresses"] == true;
    let mut subsets: BTreeMap<String, (Value, Vec<Value>, Vec<Value>)> = BTreeMap::new();
    for pod in pods.iter().filter(|p| publish || !is_terminating(p)) {
        let ports = Value::Array(
            endpoint_ports(svc, pod)
                .into_iter()
                .map(|mut p| {
                    if p["name"] == ""
                        && let Some(m) = p.as_object_mut()
                    {
                        m.remove("name");
                    }
                    p
                })
                .collect(),
        );
        let address = json!({
            "ip": text(pod, &["status", "podIP"]),
            "nodeName": text(pod, &["spec", "nodeName"]),
            "targetRef": {
                "kind": "Pod",
                "namespace": pod["metadata"]["namespace"],
                "name": pod["metadata"]["name"],
                "uid": pod["metadata"]["uid"],
            },
        });
        let entry = subsets
            .entry(ports.to_string())
            .or_insert_with(|| (ports, Vec::new(), Vec::new()));
        if publish || is_ready(pod) {
            entry.1.push(address);
        } else {
            entry.2.push(address);
        }
    }
    let subsets: Vec<Value> = subsets
        .into_values()
        .map(|(ports, ready, not_ready)| {
            let mut s = json!({});
            if !ready.is_empty() {
                s["addresses"] = Value::Array(ready);
            }
            if !not_ready.is_empty() {
                s["notReadyAddresses"] = Value::Array(not_ready);
            }
            if ports.as_array().is_some_and(|p| !p.is_empty()) {
                s["ports"] = ports;
            }
            s
        })
        .collect();
    let labels = svc["metadata"]["labels"].clone();
    match w.store.get_value("endpoints", &ns, name(svc)) {
        Some(old) => {
            let mut new = old.clone();
            set_or_remove(&mut new, "subsets", subsets);
            if labels.is_object() {
                new["metadata"]["labels"] = labels;
            }
            write(w, "endpoints", &old, new);
        }
        None => {
            let mut ep = json!({
                "apiVersion": "v1",
                "kind": "Endpoints",
                "metadata": {"name": name(svc), "namespace": ns},
            });
            if labels.is_object() {
                ep["metadata"]["labels"] = labels;
            }
            set_or_remove(&mut ep, "subsets", subsets);
            if let Some(rt) = resources::find("", "v1", "endpoints") {
                let _ = w.create(rt, &ns, ep, false);
            }
        }
    }
}

fn set_or_remove(obj: &mut Value, key: &str, list: Vec<Value>) {
    if list.is_empty() {
        if let Some(m) = obj.as_object_mut() {
            m.remove(key);
        }
    } else {
        obj[key] = Value::Array(list);
    }
}

/// The Services of `namespace` that have a selector: those a pod's change
/// may concern (its labels may have matched one before they changed).
pub fn services_in(w: &World, namespace: &str) -> Vec<(String, String)> {
    w.store
        .values("services", Some(namespace))
        .into_iter()
        .filter(|svc| selector_of(svc).is_some())
        .map(|svc| (namespace.to_string(), name(&svc).to_string()))
        .collect()
}

#[cfg(test)]
mod tests;
