//! A simulated ingress controller (ingress-nginx): for every Ingress of an
//! IngressClass whose controller is `k8s.io/ingress-nginx` (named, or the
//! class marked default), it publishes its load balancer's address in
//! `status.loadBalancer.ingress[0].ip` — one address for all its Ingresses —
//! and records the `Sync` event the real controller does.

use serde_json::{Value, json};

use crate::sim::cluster::events::{self, Source};
use crate::sim::cluster::services::next_address;
use crate::sim::cluster::world::World;

pub const NGINX_CONTROLLER: &str = "k8s.io/ingress-nginx";
pub const DEFAULT_CLASS_ANNOTATION: &str = "ingressclass.kubernetes.io/is-default-class";

pub const INGRESS_CONTROLLER: Source<'static> = Source {
    component: "nginx-ingress-controller",
    host: None,
};

/// The IngressClass an Ingress belongs to: the one it names, else the default.
fn class_of(w: &World, ingress: &Value) -> Option<Value> {
    match ingress["spec"]["ingressClassName"].as_str() {
        Some(name) => w.store.get_value("ingressclasses", "", name),
        None => w
            .store
            .values("ingressclasses", None)
            .into_iter()
            .find(|c| c["metadata"]["annotations"][DEFAULT_CLASS_ANNOTATION] == "true"),
    }
}

fn address(ingress: &Value) -> Option<&str> {
    ingress["status"]["loadBalancer"]["ingress"][0]["ip"].as_str()
}

pub fn sync(w: &mut World, namespace: &str, name: &str) {
    let Some(ingress) = w.store.get_value("ingresses", namespace, name) else {
        return;
    };
    if ingress["metadata"].get("deletionTimestamp").is_some() || address(&ingress).is_some() {
        return;
    }
    let Some(class) = class_of(w, &ingress) else {
        return;
    };
    if class["spec"]["controller"] != NGINX_CONTROLLER {
        return;
    }
    let class_name = class["metadata"]["name"].clone();
    // Every Ingress this controller serves shares its one address.
    let shared = w
        .store
        .values("ingresses", None)
        .into_iter()
        .filter(|i| class_of(w, i).is_some_and(|c| c["metadata"]["name"] == class_name))
        .find_map(|i| address(&i).map(str::to_string));
    let ip = shared.unwrap_or_else(|| next_address(w));
    let mut new = ingress.clone();
    new["status"] = json!({"loadBalancer": {"ingress": [{"ip": ip}]}});
    w.put_internal("ingresses", new);
    events::record(
        w,
        &ingress,
        None,
        false,
        "Sync",
        "Scheduled for sync",
        INGRESS_CONTROLLER,
    );
}
