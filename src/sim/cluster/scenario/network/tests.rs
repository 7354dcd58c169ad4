use super::*;
use crate::sim::cluster::scenario::ScenarioName;

fn calm() -> World {
    let mut w = World::new(3, "2026-03-02T09:00:00Z".parse().expect("time"), 100_000);
    crate::sim::cluster::set_up(&mut w, ScenarioName::Calm, 0);
    w
}

#[test]
fn merge_patch_replaces_lists_and_removes_nulls() {
    let mut v = json!({"a": {"b": 1, "c": [1, 2]}, "d": "x"});
    merge(
        &mut v,
        &json!({"a": {"b": null, "c": [3]}, "e": {"f": true}}),
    );
    assert_eq!(v, json!({"a": {"c": [3]}, "d": "x", "e": {"f": true}}));
}

#[test]
fn the_calm_shop_has_its_ingress_quota_limits_and_service_types() {
    let w = calm();
    let class = w
        .store
        .get_value("ingressclasses", "", INGRESS_CLASS)
        .expect("class");
    assert_eq!(class["spec"]["controller"], "k8s.io/ingress-nginx");
    let ing = w
        .store
        .get_value("ingresses", "production", INGRESS)
        .expect("ingress");
    assert_eq!(ing["spec"]["rules"][0]["host"], HOST);
    assert_eq!(
        ing["spec"]["rules"][0]["http"]["paths"][1]["backend"]["service"]["name"],
        "checkout-service"
    );
    let ip = ing["status"]["loadBalancer"]["ingress"][0]["ip"]
        .as_str()
        .expect("the ingress controller published an address");
    assert!(ip.starts_with("203.0.113."));

    let lb = w
        .store
        .get_value("services", "production", LOAD_BALANCER_SERVICE)
        .expect("svc");
    assert_eq!(lb["spec"]["type"], "LoadBalancer");
    let lb_ip = lb["status"]["loadBalancer"]["ingress"][0]["ip"]
        .as_str()
        .expect("the cloud gave the load balancer an address");
    assert_ne!(lb_ip, ip, "each holds its own address");
    let np = w
        .store
        .get_value("services", "production", NODE_PORT_SERVICE)
        .expect("svc");
    assert_eq!(np["spec"]["type"], "NodePort");
    for svc in [&lb, &np] {
        let port = svc["spec"]["ports"][0]["nodePort"]
            .as_u64()
            .expect("node port");
        assert!((30000..=32767).contains(&port));
        assert!(
            svc["spec"]["clusterIP"]
                .as_str()
                .is_some_and(|ip| ip.starts_with("10.96."))
        );
    }

    let quota = w
        .store
        .get_value("resourcequotas", "production", QUOTA)
        .expect("quota");
    assert_eq!(quota["status"]["hard"]["pods"], QUOTA_PODS.to_string());
    assert_eq!(
        quota["status"]["used"]["pods"], "12",
        "the calm shop runs twelve pods in production"
    );
    assert_eq!(quota["status"]["used"]["requests.cpu"], "1350m");
    assert_eq!(quota["status"]["used"]["requests.memory"], "3520Mi");
    assert!(w.store.get("limitranges", "production", LIMITS).is_some());

    // Every production Service has its slice; postgres reads its Secret.
    for svc in [
        "checkout-service",
        "api-server",
        "notification-service",
        "redis",
        "postgres",
    ] {
        let slices: Vec<Value> = w
            .store
            .values("endpointslices", Some("production"))
            .into_iter()
            .filter(|s| s["metadata"]["labels"]["kubernetes.io/service-name"] == svc)
            .collect();
        assert_eq!(slices.len(), 1, "{svc}");
    }
    let pg = w
        .store
        .get_value("pods", "production", "postgres-0")
        .expect("postgres-0");
    assert_eq!(pg["status"]["containerStatuses"][0]["ready"], true);
    assert_eq!(
        pg["spec"]["containers"][0]["env"][2]["valueFrom"]["secretKeyRef"]["name"],
        "postgres-credentials"
    );
}
