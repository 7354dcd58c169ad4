//! The real `kubectl apply --server-side` against the simulated cluster:
//! it creates, a second manager that sets a field differently is refused
//! with the API server's conflict until it forces, and `--show-managed-fields`
//! shows who owns what.
//!
//! Without `kubectl` on PATH the tests print a note and pass, except on CI
//! (`CI=true`), where a missing kubectl is a failure.

mod common;

use common::kubectl::*;
use warroom::sim::ScenarioName;

fn manifest(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("manifest written");
    path.display().to_string()
}

/// One field of one object, as `kubectl get -o jsonpath` prints it.
async fn field(k: &Kubectl, object: &str, path: &str) -> String {
    k.ok(&["get", object, "-o", &format!("jsonpath={path}")])
        .await
}

const FLAGS: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: feature-flags
data:
  checkout: \"on\"
  search: \"off\"
";

const FLAGS_OFF: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: feature-flags
data:
  checkout: \"off\"
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_side_apply_creates_refuses_a_conflict_and_forces() {
    if !kubectl_on_path() {
        return;
    }
    let sim = LocalSim::start(ScenarioName::Calm).await;
    let k = &sim.kubectl;
    let dir = tempfile::tempdir().expect("tempdir");
    let flags = manifest(dir.path(), "flags.yaml", FLAGS);
    let off = manifest(dir.path(), "off.yaml", FLAGS_OFF);

    let out = k.ok(&["apply", "--server-side", "-f", &flags]).await;
    assert_eq!(out.trim(), "configmap/feature-flags serverside-applied");
    let out = k.ok(&["apply", "--server-side", "-f", &flags]).await;
    assert_eq!(
        out.trim(),
        "configmap/feature-flags serverside-applied",
        "applying again is fine"
    );

    let refused = k
        .run(&[
            "apply",
            "--server-side",
            "--field-manager=flag-flipper",
            "-f",
            &off,
        ])
        .await;
    assert_ne!(refused.code, Some(0), "{}", refused.stdout);
    assert!(
        refused
            .stderr
            .contains("Apply failed with 1 conflict: conflict with \"kubectl\": .data.checkout"),
        "{}",
        refused.stderr
    );
    let value = field(k, "cm/feature-flags", "{.data.checkout}").await;
    assert_eq!(value, "on", "the refused apply changed nothing");

    k.ok(&[
        "apply",
        "--server-side",
        "--field-manager=flag-flipper",
        "--force-conflicts",
        "-f",
        &off,
    ])
    .await;
    let value = field(k, "cm/feature-flags", "{.data.checkout}").await;
    assert_eq!(value, "off");

    let yaml = k
        .ok(&[
            "get",
            "cm",
            "feature-flags",
            "-o",
            "yaml",
            "--show-managed-fields",
        ])
        .await;
    for want in [
        "managedFields:",
        "manager: kubectl",
        "manager: flag-flipper",
        "operation: Apply",
        "fieldsType: FieldsV1",
        "f:checkout: {}",
        "f:search: {}",
    ] {
        assert!(yaml.contains(want), "{want} in:\n{yaml}");
    }
    let plain = k.ok(&["get", "cm", "feature-flags", "-o", "yaml"]).await;
    assert!(
        !plain.contains("managedFields"),
        "kubectl hides them unless asked:\n{plain}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_side_apply_meets_the_fields_a_client_side_apply_set() {
    if !kubectl_on_path() {
        return;
    }
    let sim = LocalSim::start(ScenarioName::Calm).await;
    let k = &sim.kubectl;
    let dir = tempfile::tempdir().expect("tempdir");
    let scale = manifest(
        dir.path(),
        "scale.yaml",
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout-service
spec:
  replicas: 5
",
    );
    let refused = k.run(&["apply", "--server-side", "-f", &scale]).await;
    assert_ne!(refused.code, Some(0), "{}", refused.stdout);
    assert!(
        refused.stderr.contains(
            "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas"
        ),
        "{}",
        refused.stderr
    );
    let dry = k
        .ok(&[
            "apply",
            "--server-side",
            "--force-conflicts",
            "--dry-run=server",
            "-f",
            &scale,
        ])
        .await;
    assert!(dry.contains("serverside-applied (server dry run)"), "{dry}");
    let replicas = field(k, "deploy/checkout-service", "{.spec.replicas}").await;
    assert_eq!(replicas, "3", "a dry run changes nothing");

    k.ok(&["apply", "--server-side", "--force-conflicts", "-f", &scale])
        .await;
    let replicas = field(k, "deploy/checkout-service", "{.spec.replicas}").await;
    assert_eq!(replicas, "5");
}
