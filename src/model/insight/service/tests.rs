//! The `:svc` and `:ing` lenses on hand-built Services, slices and an
//! Ingress.

use jiff::Timestamp;
use serde_json::json;

use crate::model::ObjectKey;
use crate::model::cluster::{Change, ClusterData};
use crate::model::ingress::IngressInfo;
use crate::model::insight::{Lens, Mark, Section, Tone};
use crate::model::service::tests::{service, slice};

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn key(n: &str) -> ObjectKey {
    ObjectKey::new("shop", n)
}

/// cart: 0 of 2 ready; web: 1 of 2; api: 2/2; db: no selector; gone:
/// selects no pod. An Ingress routes /cart, /api and /missing.
fn shop() -> ClusterData {
    let mut d = ClusterData::default();
    let at = t("2026-12-07T13:55:00Z");
    let net = &mut d.network;
    net.apply_services(
        Change::Replaced(vec![
            service("cart", Some("cart")),
            service("web", Some("web")),
            service("api", Some("api")),
            service("db", None),
            service("gone", Some("gone")),
        ]),
        at,
    );
    let _ = net.apply_slices(
        Change::Replaced(vec![
            slice(
                "cart-a",
                "cart",
                &[("cart-1", Some(false)), ("cart-2", Some(false))],
            ),
            slice(
                "web-a",
                "web",
                &[("web-1", Some(true)), ("web-2", Some(false))],
            ),
            slice("api-a", "api", &[("api-1", Some(true)), ("api-2", None)]),
        ]),
        at,
    );
    let ing: k8s_openapi::api::networking::v1::Ingress = serde_json::from_value(json!({
        "metadata": {"name": "shop", "namespace": "shop"},
        "spec": {"ingressClassName": "nginx", "rules": [{"host": "shop.example.com", "http": {"paths": [
            {"path": "/api", "pathType": "Prefix", "backend": {"service": {"name": "api", "port": {"number": 80}}}},
            {"path": "/cart", "pathType": "Prefix", "backend": {"service": {"name": "cart", "port": {"name": "http"}}}},
            {"path": "/missing", "pathType": "Prefix", "backend": {"service": {"name": "nope", "port": {"number": 80}}}},
        ]}}]},
    }))
    .unwrap();
    net.apply_ingresses(Change::Replaced(vec![IngressInfo::from_ingress(&ing)]));
    d
}

fn now() -> Timestamp {
    t("2026-12-07T14:00:00Z")
}

fn text(sections: &[Section]) -> String {
    sections
        .iter()
        .flat_map(|s| {
            std::iter::once(s.heading.clone())
                .chain(s.facts.iter().map(|f| format!("{} {}", f.label, f.text)))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn services_are_marked_by_their_ready_endpoints() {
    let d = shop();
    let v = |n: &str| Lens::Service.verdict(&d, &key(n), now()).unwrap();
    assert_eq!(v("cart").mark, Mark::Bad);
    assert_eq!(v("cart").cells, vec!["0/2", "no ready endpoints for 5m"]);
    assert_eq!(v("gone").mark, Mark::Bad);
    assert_eq!(v("gone").cells, vec!["0/0", "selects no pod for 5m"]);
    assert_eq!(v("web").mark, Mark::Warn);
    assert_eq!(v("web").cells, vec!["1/2", "some not ready"]);
    assert_eq!(v("api").mark, Mark::Ok);
    assert_eq!(v("api").cells, vec!["2/2", "ok"]);
    assert_eq!(v("db").mark, Mark::Ok);
    assert_eq!(v("db").cells, vec!["-", "not judged: no selector"]);
    assert!(Lens::Service.verdict(&d, &key("other"), now()).is_none());
}

#[test]
fn before_the_slices_are_listed_a_service_says_nothing() {
    let mut d = ClusterData::default();
    d.network
        .apply_services(Change::Replaced(vec![service("cart", Some("cart"))]), now());
    assert!(Lens::Service.verdict(&d, &key("cart"), now()).is_none());
    assert!(Lens::Service.detail(&d, &key("cart"), now()).is_empty());
}

#[test]
fn a_services_detail_lists_its_endpoints_and_what_none_ready_means() {
    let d = shop();
    let cart = text(&Lens::Service.detail(&d, &key("cart"), now()));
    assert!(
        cart.contains("cart-1  not ready · node node-1 · 10.244.0.0"),
        "{cart}"
    );
    assert!(cart.contains("ingresses shop"), "{cart}");
    assert!(
        cart.contains("kube-proxy has no pod to send its traffic to"),
        "{cart}"
    );
    assert!(
        cart.contains("kubectl get endpointslices -n shop -l kubernetes.io/service-name=cart"),
        "{cart}"
    );
    assert!(!cart.contains("<service>"), "{cart}");
    let gone = text(&Lens::Service.detail(&d, &key("gone"), now()));
    assert!(
        gone.contains("none: its selector matches no pod in shop"),
        "{gone}"
    );
    assert!(
        gone.contains("Its selector app=gone matches no pod"),
        "{gone}"
    );
    let web = text(&Lens::Service.detail(&d, &key("web"), now()));
    assert!(web.contains("1 of 2 endpoints are not ready"), "{web}");
    let db = text(&Lens::Service.detail(&d, &key("db"), now()));
    assert!(db.contains("Not judged"), "{db}");
    assert!(db.contains("no selector"), "{db}");
    assert!(!db.contains("Endpoints"), "{db}");
    // The state line's tone is the row's mark.
    let first = &Lens::Service.detail(&d, &key("cart"), now())[0].facts[0];
    assert_eq!(first.tone, Tone::Bad);
}

#[test]
fn an_ingress_is_bad_when_a_backend_is_missing_or_has_no_ready_endpoint() {
    let d = shop();
    let v = Lens::Ingress.verdict(&d, &key("shop"), now()).unwrap();
    assert_eq!(v.mark, Mark::Bad);
    assert_eq!(v.cells, vec!["1/3 ready", "no ready endpoints: cart"]);
    let detail = text(&Lens::Ingress.detail(&d, &key("shop"), now()));
    assert!(
        detail.contains("shop.example.com/api → api:80 · ok (2/2 ready)"),
        "{detail}"
    );
    assert!(
        detail.contains("shop.example.com/cart → cart:http · no ready endpoints (0/2 ready)"),
        "{detail}"
    );
    assert!(
        detail.contains("shop.example.com/missing → nope:80 · no such Service"),
        "{detail}"
    );
    assert!(detail.contains("class nginx"), "{detail}");
    assert!(detail.contains("users get 503"), "{detail}");
}

#[test]
fn an_ingress_whose_backends_are_ready_is_ok() {
    let mut d = shop();
    let _ = d.network.apply_slices(
        Change::Applied(vec![slice("cart-a", "cart", &[("cart-1", Some(true))])]),
        now(),
    );
    let ing: k8s_openapi::api::networking::v1::Ingress = serde_json::from_value(json!({
        "metadata": {"name": "shop", "namespace": "shop"},
        "spec": {"defaultBackend": {"service": {"name": "cart", "port": {"number": 80}}}},
    }))
    .unwrap();
    d.network
        .apply_ingresses(Change::Applied(vec![IngressInfo::from_ingress(&ing)]));
    let v = Lens::Ingress.verdict(&d, &key("shop"), now()).unwrap();
    assert_eq!(
        (v.mark, v.cells),
        (Mark::Ok, vec!["1/1 ready".to_string(), "ok".to_string()])
    );
    let detail = text(&Lens::Ingress.detail(&d, &key("shop"), now()));
    assert!(detail.contains("(default backend) → cart:80"), "{detail}");
    assert!(detail.contains("class (the cluster's default)"), "{detail}");
}

#[test]
fn the_lenses_are_found_for_services_and_ingresses() {
    let kind = |group: &str, plural: &str| crate::model::api_resource::ApiKind {
        group: group.into(),
        version: "v1".into(),
        plural: plural.into(),
        singular: String::new(),
        kind: String::new(),
        namespaced: true,
        short_names: vec![],
        verbs: vec![],
    };
    assert_eq!(Lens::of(&kind("", "services")), Some(Lens::Service));
    assert_eq!(
        Lens::of(&kind("networking.k8s.io", "ingresses")),
        Some(Lens::Ingress)
    );
    assert_eq!(Lens::of(&kind("extensions", "ingresses")), None);
}
