//! `ServiceNoEndpoints` at its grace, labelled for the browse view.

use jiff::{SignedDuration, Timestamp};

use crate::model::alert::{AlertSeverity, TargetKind};
use crate::model::cluster::{Change, ClusterData};
use crate::model::detectors::{Detector, DetectorConfig, NO_ENDPOINTS_AFTER, detect};
use crate::model::service::tests::{service, slice};

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// cart's two endpoints go unready at `lost`; web keeps one ready; db has
/// no selector and no slice.
fn data(lost: Timestamp) -> ClusterData {
    let mut d = ClusterData::default();
    let start = lost - SignedDuration::from_mins(30);
    d.network.apply_services(
        Change::Replaced(vec![
            service("cart", Some("cart")),
            service("web", Some("web")),
            service("db", None),
        ]),
        start,
    );
    let _ = d.network.apply_slices(
        Change::Replaced(vec![
            slice(
                "cart-a",
                "cart",
                &[("cart-1", Some(true)), ("cart-2", Some(true))],
            ),
            slice("web-a", "web", &[("web-1", Some(true))]),
        ]),
        start,
    );
    let _ = d.network.apply_slices(
        Change::Applied(vec![slice(
            "cart-a",
            "cart",
            &[("cart-1", Some(false)), ("cart-2", Some(false))],
        )]),
        lost,
    );
    d
}

#[test]
fn a_service_without_ready_endpoints_for_a_minute_is_critical() {
    let lost = t("2026-12-07T14:00:00Z");
    let d = data(lost);
    let cfg = DetectorConfig::default();
    let named = |at: Timestamp| {
        detect(&d, at, &cfg)
            .into_iter()
            .filter(|a| a.name == "ServiceNoEndpoints")
            .collect::<Vec<_>>()
    };
    // A rollout's churn: under a minute says nothing.
    assert!(named(lost + NO_ENDPOINTS_AFTER - SignedDuration::from_secs(1)).is_empty());
    let alerts = named(lost + NO_ENDPOINTS_AFTER);
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    let a = &alerts[0];
    assert_eq!(a.severity, AlertSeverity::Critical);
    assert_eq!(a.fingerprint, "detector/service-no-endpoints/shop/cart");
    assert_eq!(a.labels.get("service").map(String::as_str), Some("cart"));
    assert_eq!(a.labels.get("namespace").map(String::as_str), Some("shop"));
    assert_eq!(a.starts_at, Some(lost));
    let summary = a.summary.as_deref().unwrap();
    assert!(
        summary.contains(
            "Service cart has no ready endpoints since 14:00:00: none of its 2 endpoints is ready"
        ),
        "{summary}"
    );
    let description = a.description.as_deref().unwrap();
    assert!(
        description.contains("kube-proxy has no pod"),
        "{description}"
    );
    assert!(
        description
            .contains("kubectl get endpointslices -n shop -l kubernetes.io/service-name=cart"),
        "{description}"
    );
    let target = &a.targets()[0];
    assert_eq!(
        (target.kind, target.name.as_str()),
        (TargetKind::Service, "cart")
    );
    // Turned off in the configuration: nothing.
    let mut off = DetectorConfig::default();
    off.disabled.push(Detector::ServiceNoEndpoints);
    assert!(
        detect(&d, lost + NO_ENDPOINTS_AFTER, &off)
            .iter()
            .all(|a| a.name != "ServiceNoEndpoints")
    );
}
