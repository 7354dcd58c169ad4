use super::*;
use crate::sim::cluster::scenario::{ScenarioName, build};

#[test]
fn the_shop_serves_certificates_and_scaledobjects() {
    let start: Timestamp = "2026-03-01T12:00:00Z".parse().expect("time");
    let mut w = World::new(7, start, 10_000);
    build(&mut w, ScenarioName::Calm, 0);
    let certs = w
        .crds
        .version("cert-manager.io", "v1", "certificates")
        .expect("served");
    assert_eq!(certs.columns.len(), 5);
    assert!(
        w.crds
            .version("keda.sh", "v1alpha1", "scaledobjects")
            .is_some()
    );
    let api = w
        .store
        .get_value("certificates.cert-manager.io", "production", "api-tls")
        .expect("api-tls");
    assert_eq!(api["status"]["conditions"][0]["status"], "False");
    assert_eq!(api["status"]["conditions"][0]["reason"], "Expired");
    let shop = w
        .store
        .get_value("certificates.cert-manager.io", "production", "shop-tls")
        .expect("shop-tls");
    assert_eq!(shop["status"]["conditions"][0]["status"], "True");
    let so = w
        .store
        .get_value("scaledobjects.keda.sh", "production", "worker")
        .expect("worker");
    assert_eq!(so["status"]["hpaName"], "keda-hpa-worker");
    assert_eq!(so["spec"]["maxReplicaCount"], 8);
    assert_eq!(so["metadata"]["generation"], 1);
}
