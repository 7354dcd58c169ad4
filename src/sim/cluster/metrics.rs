//! What metrics-server would report: PodMetrics for running pods and
//! NodeMetrics, computed from what the simulated containers are doing right
//! now, so memory climbs towards the limit before an OOMKill.

use serde_json::{Value, json};

use super::rng::fnv32a;
use super::runtime::{Container, PodRuntime};
use super::time::k8s_time;
use super::world::World;

/// Memory the node's system daemons use outside pods.
const SYSTEM_MIB: f64 = 700.0;

fn cpu_nanocores(w: &World, rt: &PodRuntime, c: &Container, now: jiff::Timestamp) -> u64 {
    if c.running_since().is_none() {
        return 0;
    }
    // Jitter that changes every 15 s window, like real samples.
    let window = now.as_second() / 15;
    let j = fnv32a(format!("{}{}{window}", rt.uid, c.name).as_bytes()) % 40;
    let millis = loaded_cpu_millis(w, rt, c).unwrap_or(c.beh.cpu_millis);
    ((millis * (0.8 + f64::from(j) / 100.0)) * 1e6) as u64
}

/// Under a scenario's traffic (`Story::cpu_load`), an app's CPU is the
/// demand shared by its running pods, up to the core a pod can use: more
/// pods, less each, until there are enough of them.
fn loaded_cpu_millis(w: &World, rt: &PodRuntime, c: &Container) -> Option<f64> {
    let app = super::apps::image_name(&c.beh.image).0;
    let demand = w.story.cpu_demand(&rt.namespace, app)?;
    let running = w
        .kubelet
        .pods
        .values()
        .filter(|p| p.namespace == rt.namespace && p.evicted.is_none() && p.terminating.is_none())
        .filter(|p| {
            p.containers.iter().any(|o| {
                o.running_since().is_some() && super::apps::image_name(&o.beh.image).0 == app
            })
        })
        .count()
        .max(1);
    Some((demand / running as f64).min(SATURATED_MILLIS))
}

/// The most CPU one busy pod of the sim's apps burns (one core).
const SATURATED_MILLIS: f64 = 1000.0;

/// The PodMetrics of a pod with running containers (`None` otherwise).
pub fn pod_metrics(w: &World, rt: &PodRuntime, labels: &Value) -> Option<Value> {
    let now = w.now;
    if rt.containers.iter().all(|c| c.running_since().is_none()) || rt.evicted.is_some() {
        return None;
    }
    let containers: Vec<Value> = rt
        .containers
        .iter()
        .map(|c| {
            json!({"name": c.name, "usage": {
                "cpu": format!("{}n", cpu_nanocores(w, rt, c, now)),
                "memory": format!("{}Ki", (c.memory_mib(now) * 1024.0) as u64),
            }})
        })
        .collect();
    Some(json!({
        "kind": "PodMetrics",
        "apiVersion": "metrics.k8s.io/v1beta1",
        "metadata": {"name": rt.name, "namespace": rt.namespace, "creationTimestamp": k8s_time(now), "labels": labels},
        "timestamp": k8s_time(now),
        "window": "15s",
        "containers": containers,
    }))
}

/// Memory in use on a node: system daemons, its pods, and anything the
/// scenario leaks outside them.
pub fn node_memory_mib(w: &World, node: &str) -> f64 {
    let pods: f64 = w
        .kubelet
        .pods
        .values()
        .filter(|rt| rt.node == node && rt.evicted.is_none())
        .flat_map(|rt| rt.containers.iter().map(|c| c.memory_mib(w.now)))
        .sum();
    SYSTEM_MIB + pods + w.story.node_leak_mib(node, w.now)
}

/// The NodeMetrics of a node.
pub fn node_metrics(w: &World, node: &Value) -> Value {
    let name = node["metadata"]["name"].as_str().unwrap_or("");
    let cpu: u64 = w
        .kubelet
        .pods
        .values()
        .filter(|rt| rt.node == name)
        .flat_map(|rt| {
            rt.containers
                .iter()
                .map(move |c| cpu_nanocores(w, rt, c, w.now))
        })
        .sum::<u64>()
        + 150_000_000;
    json!({
        "kind": "NodeMetrics",
        "apiVersion": "metrics.k8s.io/v1beta1",
        "metadata": {"name": name, "creationTimestamp": k8s_time(w.now), "labels": node["metadata"]["labels"]},
        "timestamp": k8s_time(w.now),
        "window": "20.05s",
        "usage": {"cpu": format!("{cpu}n"), "memory": format!("{}Ki", (node_memory_mib(w, name) * 1024.0) as u64)},
    })
}
