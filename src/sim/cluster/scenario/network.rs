//! The shop's traffic and guard rails, and the incidents about them.
//!
//! The calm shop gets, in production: IngressClass `nginx` and Ingress
//! `shop` (`shop.example.com`: `/api` → api-server:8080, `/checkout` →
//! checkout-service:8080), the api-server Service as a LoadBalancer and
//! notification-service as a NodePort, ResourceQuota `production-quota`
//! and LimitRange `production-limits`; postgres reads its credentials from
//! the Secret `postgres-credentials`, and the monitoring node agent its
//! settings from the ConfigMap `node-agent-config` (env and a volume).
//!
//! Everything here is created on the aside random stream, so the shop's
//! pods keep the names they always had.
//!
//! The incidents: `config-missing` (checkout-service 2.3.1 reads a key
//! shop-config does not have), `no-endpoints` (a label typo in the
//! checkout-service selector), `quota-full` (api-server scaled past the
//! quota).

use jiff::Timestamp;
use serde_json::{Value, json};

use super::{DEPLOYER, REGISTRY, create};
use crate::sim::cluster::story::Step;
use crate::sim::cluster::world::{Manager, Part, World};
use crate::sim::store::resources;

pub const QUOTA: &str = "production-quota";
pub const LIMITS: &str = "production-limits";
pub const INGRESS: &str = "shop";
pub const INGRESS_CLASS: &str = "nginx";
pub const HOST: &str = "shop.example.com";
/// The production Service made a LoadBalancer, and the one made a NodePort.
pub const LOAD_BALANCER_SERVICE: &str = "api-server";
pub const NODE_PORT_SERVICE: &str = "notification-service";

/// The pods production may run: three above the twelve it runs when calm.
pub const QUOTA_PODS: u32 = 15;

/// `kubectl scale` writes as this manager, through the scale subresource.
/// Who raised the HPA's maximum: `kubectl patch`.
const PATCHER: &str = "kubectl-patch";

/// What the calm shop adds, once its namespaces, workloads and Services exist.
pub fn add_to_shop(w: &mut World) {
    w.aside(|w| {
        create(
            w,
            "ingressclasses",
            "networking.k8s.io",
            "",
            json!({
                "metadata": {
                    "name": INGRESS_CLASS,
                    "labels": {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller"},
                    "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"},
                },
                "spec": {"controller": "k8s.io/ingress-nginx"},
            }),
        );
        let path = |p: &str, svc: &str| {
            json!({"path": p, "pathType": "Prefix", "backend": {"service": {"name": svc, "port": {"number": 8080}}}})
        };
        create(
            w,
            "ingresses",
            "networking.k8s.io",
            "production",
            json!({
                "metadata": {"name": INGRESS, "labels": {"app": "shop"}},
                "spec": {
                    "ingressClassName": INGRESS_CLASS,
                    "rules": [{"host": HOST, "http": {"paths": [
                        path("/api", "api-server"),
                        path("/checkout", "checkout-service"),
                    ]}}],
                },
            }),
        );
        create(
            w,
            "resourcequotas",
            "",
            "production",
            json!({
                "metadata": {"name": QUOTA},
                "spec": {"hard": {
                    "pods": QUOTA_PODS.to_string(),
                    "requests.cpu": "2",
                    "requests.memory": "6Gi",
                    "limits.memory": "12Gi",
                }},
            }),
        );
        create(
            w,
            "limitranges",
            "",
            "production",
            json!({
                "metadata": {"name": LIMITS},
                "spec": {"limits": [{
                    "type": "Container",
                    "default": {"memory": "512Mi"},
                    "defaultRequest": {"cpu": "100m", "memory": "256Mi"},
                }]},
            }),
        );
        create(
            w,
            "configmaps",
            "",
            "monitoring",
            json!({
                "metadata": {"name": "node-agent-config"},
                "data": {"SCRAPE_INTERVAL": "15s", "agent.yaml": "scrape:\n  interval: 15s\n  targets: [kubelet, cadvisor]\n"},
            }),
        );
        for (name, ty) in [
            (LOAD_BALANCER_SERVICE, "LoadBalancer"),
            (NODE_PORT_SERVICE, "NodePort"),
        ] {
            edit_now(w, "services", "production", name, DEPLOYER, None, &json!({"spec": {"type": ty}}));
        }
    });
}

/// postgres reads its user and password from the Secret the shop keeps.
pub fn postgres_env() -> Value {
    let secret = |key: &str| json!({"secretKeyRef": {"name": "postgres-credentials", "key": key}});
    json!([
        {"name": "POSTGRES_DB", "value": "shop"},
        {"name": "POSTGRES_USER", "valueFrom": secret("username")},
        {"name": "POSTGRES_PASSWORD", "valueFrom": secret("password")},
    ])
}

/// The node agent's settings: env from its ConfigMap and the same mounted.
pub fn node_agent_config(pod_spec: &mut Value) {
    if let Some(c) = pod_spec
        .pointer_mut("/containers/0")
        .filter(|c| c.is_object())
    {
        c["envFrom"] = json!([{"configMapRef": {"name": "node-agent-config"}}]);
        c["volumeMounts"] =
            json!([{"name": "config", "mountPath": "/etc/node-agent", "readOnly": true}]);
    }
    pod_spec["volumes"] = json!([{"name": "config", "configMap": {"name": "node-agent-config"}}]);
}

/// JSON merge patch (RFC 7386).
fn merge(target: &mut Value, patch: &Value) {
    match patch {
        Value::Object(p) => {
            if !target.is_object() {
                *target = json!({});
            }
            for (k, v) in p {
                if v.is_null() {
                    if let Some(t) = target.as_object_mut() {
                        t.remove(k);
                    }
                } else {
                    merge(&mut target[k.as_str()], v);
                }
            }
        }
        other => *target = other.clone(),
    }
}

/// A client changes an object now: `patch` merged in, written by `manager`
/// (through `subresource`, if any).
pub fn edit_now(
    w: &mut World,
    storage: &str,
    namespace: &str,
    name: &str,
    manager: &str,
    subresource: Option<&str>,
    patch: &Value,
) {
    let Some(rt) = resources::RESOURCES
        .iter()
        .find(|r| r.storage == storage && r.is_stored())
    else {
        return;
    };
    let Some(mut obj) = w.store.get_value(storage, namespace, name) else {
        return;
    };
    merge(&mut obj, patch);
    let by = Manager {
        name: manager.to_string(),
        subresource: subresource.map(str::to_string),
    };
    let _ = w.replace_by(rt, namespace, name, obj, Part::Main, false, &by);
}

/// Schedules `config-missing`: checkout-service 2.3.1 reads
/// `PAYMENT_PROVIDER` from shop-config's `payment.provider`, which is not
/// there; its new pods stop in CreateContainerConfigError.
pub fn config_missing(w: &mut World, at: Timestamp) {
    let Some(d) = w
        .store
        .get_value("deployments", "production", "checkout-service")
    else {
        return;
    };
    let mut container = d["spec"]["template"]["spec"]["containers"][0].clone();
    if !container.is_object() {
        return;
    }
    container["image"] = json!(format!("{REGISTRY}/checkout-service:2.3.1"));
    let mut env = container["env"].as_array().cloned().unwrap_or_default();
    env.push(json!({"name": "PAYMENT_PROVIDER", "valueFrom": {"configMapKeyRef": {"name": "shop-config", "key": "payment.provider"}}}));
    container["env"] = Value::Array(env);
    w.story.at(
        at,
        Step::Edit {
            storage: "deployments",
            namespace: "production".into(),
            name: "checkout-service".into(),
            manager: DEPLOYER,
            subresource: None,
            patch: json!({
                "metadata": {"annotations": {"kubernetes.io/change-cause": "deploy 2.3.1: payment provider from config (SHOP-4610)"}},
                "spec": {"template": {"spec": {"containers": [container]}}},
            }),
        },
    );
}

/// Schedules `no-endpoints`: the checkout-service selector loses its
/// `-service` (`app: checkout`), so it selects no pod at all.
pub fn no_endpoints(w: &mut World, at: Timestamp) {
    w.story.at(
        at,
        Step::Edit {
            storage: "services",
            namespace: "production".into(),
            name: "checkout-service".into(),
            manager: DEPLOYER,
            subresource: None,
            patch: json!({"spec": {"selector": {"app": "checkout"}}}),
        },
    );
}

/// Schedules `quota-full`: a traffic spike on api-server, and someone
/// raises its HPA's maximum from 6 to 8 to meet it; the HPA scales to 8,
/// the quota has room for three more pods, the other two are refused
/// forever.
pub fn quota_full(w: &mut World, at: Timestamp) {
    w.story.at(at, super::autoscaling::spike());
    w.story.at(
        at,
        Step::Edit {
            storage: "horizontalpodautoscalers",
            namespace: "production".into(),
            name: "api-server".into(),
            manager: PATCHER,
            subresource: None,
            patch: json!({"spec": {"maxReplicas": 8}}),
        },
    );
}

#[cfg(test)]
mod tests;
