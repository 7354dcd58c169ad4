//! The node side of the kubelet: heartbeats and memory-pressure eviction.

use serde_json::{Value, json};

use jiff::SignedDuration;

use super::report::{event, pod_ref};
use crate::sim::cluster::events;
use crate::sim::cluster::time::k8s_time;
use crate::sim::cluster::time::secs;
use crate::sim::cluster::world::World;

/// How often a kubelet re-posts its node's conditions when nothing changed
/// (the kubelet's nodeStatusReportFrequency).
const NODE_STATUS_REPORT: SignedDuration = SignedDuration::from_secs(300);

/// How often the kubelet renews its node Lease.
const LEASE_RENEWAL: SignedDuration = SignedDuration::from_secs(10);

/// Renews node Leases, and refreshes `lastHeartbeatTime` of every Ready
/// node's conditions once per status report.
pub(super) fn heartbeat(w: &mut World) {
    let now = w.now;
    // The node Lease is the kubelet's liveness signal: renewed every 10 s.
    if w.kubelet
        .last_lease_renewal
        .is_none_or(|t| now.duration_since(t) >= LEASE_RENEWAL)
    {
        w.kubelet.last_lease_renewal = Some(now);
        for mut lease in w.store.values("leases", Some("kube-node-lease")) {
            lease["spec"]["renewTime"] = json!(crate::sim::cluster::time::k8s_micro_time(now));
            w.put_internal("leases", lease);
        }
    }
    if w.kubelet
        .last_heartbeat
        .is_some_and(|t| now.duration_since(t) < NODE_STATUS_REPORT)
    {
        return;
    }
    w.kubelet.last_heartbeat = Some(now);
    let stamp = k8s_time(now);
    for mut node in w.store.values("nodes", None) {
        if !node_ready(&node) {
            continue;
        }
        if let Some(conds) = node["status"]["conditions"].as_array_mut() {
            for c in conds.iter_mut() {
                c["lastHeartbeatTime"] = json!(stamp);
            }
        }
        w.put_internal("nodes", node);
    }
}

pub(super) fn node_ready(node: &Value) -> bool {
    node["status"]["conditions"].as_array().is_some_and(|cs| {
        cs.iter()
            .any(|c| c["type"] == "Ready" && c["status"] == "True")
    })
}

/// Memory pressure: when a node's free memory falls under the eviction
/// threshold, it reports MemoryPressure, taints itself, and evicts the pod
/// using the most memory above its request, one every ten seconds.
pub(super) fn node_pressure(w: &mut World) {
    let now = w.now;
    if w.kubelet
        .last_pressure_check
        .is_some_and(|t| now.duration_since(t) < secs(5))
    {
        return;
    }
    w.kubelet.last_pressure_check = Some(now);
    if w.story.node_leaks.is_empty() && w.kubelet.pressure.is_empty() {
        return;
    }
    for node in w.store.values("nodes", None) {
        let name = node["metadata"]["name"].as_str().unwrap_or("").to_string();
        let capacity =
            crate::model::quantity::mib(&node["status"]["capacity"]["memory"]).unwrap_or(0.0);
        let used = crate::sim::cluster::metrics::node_memory_mib(w, &name);
        let available = capacity - used;
        let under = available < 100.0;
        let was = w.kubelet.pressure.contains_key(&name);
        if under && !was {
            set_pressure(w, &node, true);
            w.kubelet.pressure.insert(name.clone(), now - secs(60));
        } else if !under
            && was
            && w.kubelet
                .pressure
                .get(&name)
                .is_some_and(|t| now.duration_since(*t) > secs(30))
        {
            set_pressure(w, &node, false);
            w.kubelet.pressure.remove(&name);
            continue;
        }
        if !under
            || w.kubelet
                .pressure
                .get(&name)
                .is_some_and(|t| now.duration_since(*t) < secs(10))
        {
            continue;
        }
        // Pick the victim: BestEffort first, then the largest use above request.
        let victim = w
            .kubelet
            .pods
            .iter()
            .filter(|(_, rt)| rt.node == name && rt.evicted.is_none() && rt.terminating.is_none())
            .map(|(k, rt)| {
                let used: f64 = rt.containers.iter().map(|c| c.memory_mib(now)).sum();
                (
                    k.clone(),
                    rt.best_effort,
                    used - rt.memory_request_mib,
                    used,
                    rt.memory_request_mib,
                    rt.containers
                        .first()
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                )
            })
            .filter(|v| v.3 > 0.0)
            .max_by(|a, b| {
                (a.1, a.2)
                    .partial_cmp(&(b.1, b.2))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        let Some((key, _, _, used_mib, req, cname)) = victim else {
            continue;
        };
        let msg = format!(
            "The node was low on resource: memory. Threshold quantity: 100Mi, available: {}Ki. Container {cname} was using {}Ki, request is {}Mi, has larger consumption of memory.",
            (available.max(0.0) * 1024.0) as i64,
            (used_mib * 1024.0) as i64,
            req.round() as i64
        );
        if let Some(rt) = w.kubelet.pods.get_mut(&key) {
            rt.evicted = Some(msg.clone());
            rt.dirty = true;
            let rt = rt.clone();
            event(w, &pod_ref(&rt), &name, None, true, "Evicted", &msg);
            event(
                w,
                &pod_ref(&rt),
                &name,
                Some(&cname),
                false,
                "Killing",
                &format!("Stopping container {cname}"),
            );
        }
        w.kubelet.pressure.insert(name, now);
    }
}

fn set_pressure(w: &mut World, node: &Value, on: bool) {
    let mut node = node.clone();
    let name = node["metadata"]["name"].as_str().unwrap_or("").to_string();
    let now = k8s_time(w.now);
    if let Some(conds) = node["status"]["conditions"].as_array_mut() {
        for c in conds.iter_mut().filter(|c| c["type"] == "MemoryPressure") {
            c["status"] = json!(if on { "True" } else { "False" });
            c["reason"] = json!(if on {
                "KubeletHasInsufficientMemory"
            } else {
                "KubeletHasSufficientMemory"
            });
            c["message"] = json!(if on {
                "kubelet has insufficient memory available"
            } else {
                "kubelet has sufficient memory available"
            });
            c["lastTransitionTime"] = json!(now);
            c["lastHeartbeatTime"] = json!(now);
        }
    }
    let taint = json!({"key": "node.kubernetes.io/memory-pressure", "effect": "NoSchedule", "timeAdded": now});
    let mut taints: Vec<Value> = node["spec"]["taints"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    taints.retain(|t| t["key"] != "node.kubernetes.io/memory-pressure");
    if on {
        taints.push(taint);
    }
    node["spec"]["taints"] = json!(taints);
    if taints.is_empty()
        && let Some(spec) = node["spec"].as_object_mut()
    {
        spec.remove("taints");
    }
    let node_ref =
        json!({"kind": "Node", "apiVersion": "v1", "metadata": {"name": name, "uid": name}});
    if on {
        events::record(
            w,
            &node_ref,
            None,
            false,
            "NodeHasInsufficientMemory",
            &format!("Node {name} status is now: NodeHasInsufficientMemory"),
            events::kubelet(&name),
        );
        events::record(
            w,
            &node_ref,
            None,
            true,
            "EvictionThresholdMet",
            "Attempting to reclaim memory",
            events::kubelet(&name),
        );
    } else {
        events::record(
            w,
            &node_ref,
            None,
            false,
            "NodeHasSufficientMemory",
            &format!("Node {name} status is now: NodeHasSufficientMemory"),
            events::kubelet(&name),
        );
    }
    w.put_internal("nodes", node);
}
