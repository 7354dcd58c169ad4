use serde_json::json;

use super::*;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

const NOW: &str = "2026-12-07T14:00:00Z";

pub(crate) fn service(name: &str, selector: Option<&str>) -> ServiceInfo {
    let mut spec = json!({"type": "ClusterIP", "clusterIP": "10.96.0.11",
        "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}]});
    if let Some(app) = selector {
        spec["selector"] = json!({"app": app});
    }
    let svc: Service = serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": "shop"},
        "spec": spec,
    }))
    .unwrap();
    ServiceInfo::from_service(&svc)
}

/// A slice of `service` with endpoints `(pod, ready)`.
pub(crate) fn slice(
    name: &str,
    service: &str,
    endpoints: &[(&str, Option<bool>)],
) -> EndpointSliceInfo {
    let eps: Vec<_> = endpoints
        .iter()
        .enumerate()
        .map(|(i, (pod, ready))| {
            let mut c = json!({});
            if let Some(r) = ready {
                c["ready"] = json!(r);
            }
            json!({"addresses": [format!("10.244.0.{i}")], "conditions": c, "nodeName": "node-1",
                   "targetRef": {"kind": "Pod", "name": pod, "namespace": "shop"}})
        })
        .collect();
    let s: EndpointSlice = serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": "shop", "labels": {SERVICE_NAME_LABEL: service}},
        "addressType": "IPv4",
        "endpoints": eps,
    }))
    .unwrap();
    EndpointSliceInfo::from_slice(&s)
}

fn listed(services: Vec<ServiceInfo>, slices: Vec<EndpointSliceInfo>) -> Network {
    let mut n = Network::default();
    n.apply_services(Change::Replaced(services), t(NOW));
    let lost = n.apply_slices(Change::Replaced(slices), t(NOW));
    assert!(lost.is_empty(), "a list tells of no transition: {lost:?}");
    n
}

#[test]
fn a_service_reads_as_kubectl_prints_it() {
    let s = service("cart", Some("cart"));
    assert_eq!(s.type_, "ClusterIP");
    assert_eq!(s.cluster_ip.as_deref(), Some("10.96.0.11"));
    assert_eq!(s.ports, vec!["80→8080/TCP"]);
    assert_eq!(s.selector_text(), "app=cart");
    assert!(s.not_judged().is_none());
    // No selector, or an ExternalName: not judged, and why.
    assert!(
        service("db", None)
            .not_judged()
            .unwrap()
            .contains("no selector")
    );
    let ext: Service = serde_json::from_value(json!({
        "metadata": {"name": "ext", "namespace": "shop"},
        "spec": {"type": "ExternalName", "externalName": "db.example.com"},
    }))
    .unwrap();
    let ext = ServiceInfo::from_service(&ext);
    assert_eq!(ext.external_name.as_deref(), Some("db.example.com"));
    assert!(ext.not_judged().unwrap().contains("ExternalName"));
}

#[test]
fn an_endpoints_unset_conditions_mean_ready_and_serving() {
    let s = slice(
        "cart-abc",
        "cart",
        &[("cart-1", None), ("cart-2", Some(false))],
    );
    assert_eq!(s.service.as_deref(), Some("cart"));
    let [a, b] = &s.endpoints[..] else { panic!() };
    assert_eq!(
        (a.pod.as_deref(), a.ready, a.serving, a.terminating),
        (Some("cart-1"), true, true, false)
    );
    assert_eq!(a.state(), "ready");
    assert_eq!((b.ready, b.serving), (false, false));
    assert_eq!(b.state(), "not ready");
    assert_eq!(a.node.as_deref(), Some("node-1"));
}

#[test]
fn counts_sum_a_services_slices_and_only_its_own() {
    let n = listed(
        vec![
            service("cart", Some("cart")),
            service("web", Some("web")),
            service("db", None),
        ],
        vec![
            slice(
                "cart-a",
                "cart",
                &[("cart-1", Some(true)), ("cart-2", Some(false))],
            ),
            slice("cart-b", "cart", &[("cart-3", Some(true))]),
            slice("web-a", "web", &[("web-1", Some(false))]),
        ],
    );
    let key = |n: &str| ObjectKey::new("shop", n);
    assert_eq!(
        n.endpoints(&key("cart")),
        EndpointCount { ready: 2, total: 3 }
    );
    assert_eq!(n.endpoints(&key("cart")).to_string(), "2/3");
    assert_eq!(
        n.reach(&key("cart")),
        Some(Reach::SomeNotReady(EndpointCount { ready: 2, total: 3 }))
    );
    assert_eq!(
        n.reach(&key("web")),
        Some(Reach::NoneReady(EndpointCount { ready: 0, total: 1 }))
    );
    assert!(matches!(n.reach(&key("db")), Some(Reach::NotJudged(_))));
    assert_eq!(n.reach(&key("gone")), None);
    // Seen unreachable at the list: counted from now.
    assert_eq!(n.no_ready_since.get(&key("web")), Some(&t(NOW)));
    assert!(!n.no_ready_since.contains_key(&key("cart")));
    assert!(!n.no_ready_since.contains_key(&key("db")));
}

#[test]
fn nothing_is_judged_until_both_lists_arrived() {
    let mut n = Network::default();
    n.apply_services(
        Change::Replaced(vec![service("cart", Some("cart"))]),
        t(NOW),
    );
    assert!(!n.listed());
    assert!(
        n.no_ready_since.is_empty(),
        "no slices listed yet is not no endpoints"
    );
    n.apply_slices(
        Change::Replaced(vec![slice("cart-a", "cart", &[("cart-1", Some(true))])]),
        t(NOW),
    );
    assert!(n.listed());
    assert!(n.no_ready_since.is_empty());
}

#[test]
fn endpoints_falling_to_none_are_told_once_with_what_it_had() {
    let later = t("2026-12-07T14:05:00Z");
    let key = ObjectKey::new("shop", "cart");
    let mut n = listed(
        vec![service("cart", Some("cart"))],
        vec![slice(
            "cart-a",
            "cart",
            &[("cart-1", Some(true)), ("cart-2", Some(true))],
        )],
    );
    // The selector matches nothing any more: the controller empties the slice.
    let lost = n.apply_slices(Change::Applied(vec![slice("cart-a", "cart", &[])]), later);
    assert_eq!(
        lost,
        vec![EndpointsLost {
            service: key.clone(),
            had: 2
        }]
    );
    assert_eq!(n.no_ready_since.get(&key), Some(&later));
    assert_eq!(n.reach(&key), Some(Reach::SelectsNoPod));
    let change = lost[0].change(later);
    assert!(change.bad);
    assert!(
        change
            .text
            .contains("shop/cart: Service has no ready endpoints (had 2)"),
        "{}",
        change.text
    );
    // Still none: no second entry, and the time it began is kept.
    let again = n.apply_slices(
        Change::Applied(vec![slice("cart-a", "cart", &[])]),
        t("2026-12-07T14:06:00Z"),
    );
    assert!(again.is_empty());
    assert_eq!(n.no_ready_since.get(&key), Some(&later));
    // Back: the clock stops.
    n.apply_slices(
        Change::Applied(vec![slice("cart-a", "cart", &[("cart-9", None)])]),
        later,
    );
    assert!(n.no_ready_since.is_empty());
}

#[test]
fn the_index_follows_slices_that_move_and_go() {
    let key = |n: &str| ObjectKey::new("shop", n);
    let mut n = listed(
        vec![service("cart", Some("cart")), service("web", Some("web"))],
        vec![slice("s1", "cart", &[("cart-1", Some(true))])],
    );
    assert_eq!(n.endpoints(&key("cart")).total, 1);
    // Relabelled to another Service.
    n.apply_slices(
        Change::Applied(vec![slice("s1", "web", &[("web-1", Some(true))])]),
        t(NOW),
    );
    assert_eq!(n.endpoints(&key("cart")).total, 0);
    assert_eq!(n.endpoints(&key("web")).total, 1);
    let lost = n.apply_slices(Change::Deleted(vec![key("s1")]), t(NOW));
    assert_eq!(
        lost,
        vec![EndpointsLost {
            service: key("web"),
            had: 1
        }]
    );
    assert_eq!(n.slices_of(&key("web")).count(), 0);
    assert!(n.slices.is_empty());
    // A deleted Service forgets its clock.
    n.apply_services(Change::Deleted(vec![key("web")]), t(NOW));
    assert!(!n.no_ready_since.contains_key(&key("web")));
}

#[test]
fn a_pod_is_selected_by_the_services_whose_selector_its_labels_match() {
    let n = listed(
        vec![
            service("cart", Some("cart")),
            service("web", Some("web")),
            service("db", None),
        ],
        vec![],
    );
    let labels: Labels = [("app", "cart"), ("pod-template-hash", "abc")]
        .into_iter()
        .collect();
    let names: Vec<&str> = n
        .selecting("shop", &labels)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, vec!["cart"]);
    assert_eq!(n.selecting("other", &labels).count(), 0);
}
