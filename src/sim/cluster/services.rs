//! What the API server and the cloud do for a Service besides storing it:
//! node ports allocated from 30000–32767 for NodePort and LoadBalancer
//! services (kept across updates, as `patchAllocatedValues` keeps them), and
//! a simulated cloud's service controller that gives a LoadBalancer an
//! external address (`status.loadBalancer.ingress[0].ip`), with the events
//! the real service controller records.

use serde_json::{Value, json};

use super::events::{self, Source};
use super::world::World;

/// The default `--service-node-port-range`.
pub const NODE_PORTS: std::ops::RangeInclusive<u16> = 30000..=32767;

/// The addresses the simulated cloud hands out (TEST-NET-3, RFC 5737).
const LB_NET: &str = "203.0.113";

pub const SERVICE_CONTROLLER: Source<'static> = Source {
    component: "service-controller",
    host: None,
};

fn needs_node_ports(svc: &Value) -> bool {
    matches!(
        svc["spec"]["type"].as_str(),
        Some("NodePort" | "LoadBalancer")
    )
}

/// Node ports in use by every Service but `skip` (namespace, name).
fn taken(w: &World, skip: (&str, &str)) -> Vec<u16> {
    let mut used = Vec::new();
    for svc in w.store.values("services", None) {
        let meta = &svc["metadata"];
        if meta["namespace"] == skip.0 && meta["name"] == skip.1 {
            continue;
        }
        for p in svc["spec"]["ports"].as_array().into_iter().flatten() {
            if let Some(n) = p["nodePort"].as_u64().and_then(|n| u16::try_from(n).ok()) {
                used.push(n);
            }
        }
    }
    used
}

/// Gives every port of a NodePort or LoadBalancer Service a node port (the
/// one it had before, if `old` had one for the same port), and keeps the
/// cluster IP an update left out.
pub fn allocate(w: &mut World, svc: &mut Value, old: Option<&Value>) {
    if let Some(old) = old
        && svc["spec"].is_object()
        && svc["spec"]["clusterIP"].as_str().unwrap_or("").is_empty()
    {
        for key in ["clusterIP", "clusterIPs"] {
            if let Some(v) = old["spec"].get(key) {
                svc["spec"][key] = v.clone();
            }
        }
    }
    if !needs_node_ports(svc) {
        return;
    }
    let ns = svc["metadata"]["namespace"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let name = svc["metadata"]["name"].as_str().unwrap_or("").to_string();
    let mut used = taken(w, (&ns, &name));
    let Some(ports) = svc["spec"]["ports"].as_array_mut() else {
        return;
    };
    for p in ports.iter_mut().filter(|p| p.is_object()) {
        if p["nodePort"].as_u64().is_some_and(|n| n > 0) {
            continue;
        }
        let before = old
            .and_then(|o| o["spec"]["ports"].as_array())
            .and_then(|ps| ps.iter().find(|q| q["port"] == p["port"]))
            .and_then(|q| q["nodePort"].as_u64())
            .and_then(|n| u16::try_from(n).ok())
            .filter(|n| NODE_PORTS.contains(n) && !used.contains(n));
        let port = before.unwrap_or_else(|| {
            let span = u64::from(NODE_PORTS.end() - NODE_PORTS.start()) + 1;
            let mut n = *NODE_PORTS.start() + w.rng.below(span) as u16;
            while used.contains(&n) {
                n = if n == *NODE_PORTS.end() {
                    *NODE_PORTS.start()
                } else {
                    n + 1
                };
            }
            n
        });
        used.push(port);
        p["nodePort"] = json!(port);
    }
}

/// The simulated cloud's service controller: a LoadBalancer Service without
/// an address gets the next one, with `EnsuringLoadBalancer` and
/// `EnsuredLoadBalancer` events.
pub fn sync_load_balancer(w: &mut World, namespace: &str, name: &str) {
    let Some(svc) = w.store.get_value("services", namespace, name) else {
        return;
    };
    if svc["spec"]["type"] != "LoadBalancer"
        || svc["metadata"].get("deletionTimestamp").is_some()
        || svc["status"]["loadBalancer"]["ingress"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    {
        return;
    }
    let ip = next_address(w);
    events::record(
        w,
        &svc,
        None,
        false,
        "EnsuringLoadBalancer",
        "Ensuring load balancer",
        SERVICE_CONTROLLER,
    );
    let mut new = svc.clone();
    new["status"] = json!({"loadBalancer": {"ingress": [{"ip": ip, "ipMode": "VIP"}]}});
    w.put_internal("services", new);
    events::record(
        w,
        &svc,
        None,
        false,
        "EnsuredLoadBalancer",
        "Ensured load balancer",
        SERVICE_CONTROLLER,
    );
}

/// The next free address of the simulated cloud: .10 upwards, skipping
/// those Services and Ingresses already hold.
pub fn next_address(w: &World) -> String {
    let held: Vec<String> = ["services", "ingresses"]
        .iter()
        .flat_map(|s| w.store.values(s, None))
        .flat_map(|o| {
            o["status"]["loadBalancer"]["ingress"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|i| i["ip"].as_str().map(str::to_string))
        .collect();
    (10..255)
        .map(|n| format!("{LB_NET}.{n}"))
        .find(|ip| !held.contains(ip))
        .unwrap_or_else(|| format!("{LB_NET}.254"))
}
