//! The real `kubectl` with custom resources: `apply -f` a
//! CustomResourceDefinition, `api-resources` lists it, `get` prints its
//! printer columns, `explain` walks its schema, and the shop's
//! cert-manager Certificates print as on a cluster that runs cert-manager.
//!
//! Without `kubectl` on PATH the tests print a note and pass, except on CI
//! (`CI=true`), where a missing kubectl is a failure.

mod common;

use common::kubectl::*;
use warroom::sim::ScenarioName;

const CRD: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: backups.ops.example.com
spec:
  group: ops.example.com
  scope: Namespaced
  names:
    plural: backups
    singular: backup
    kind: Backup
    shortNames: [bk]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
    additionalPrinterColumns:
    - name: Database
      type: string
      jsonPath: .spec.database
    - name: Keep
      type: integer
      jsonPath: .spec.keep
    - name: Phase
      type: string
      jsonPath: .status.phase
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        type: object
        description: A Backup copies a database to object storage on a schedule.
        properties:
          spec:
            type: object
            description: What to back up and how many copies to keep.
            properties:
              database:
                type: string
                description: The database to back up.
              keep:
                type: integer
                description: How many copies to keep.
          status:
            type: object
            properties:
              phase:
                type: string
"#;

const BACKUP: &str = r#"apiVersion: ops.example.com/v1
kind: Backup
metadata:
  name: nightly
spec:
  database: postgres
  keep: 7
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_applies_a_definition_and_lists_its_resources() {
    if !kubectl_on_path() {
        return;
    }
    let sim = LocalSim::start(ScenarioName::Calm).await;
    let k = &sim.kubectl;
    let dir = sim.kubectl_dir();
    let crd = dir.join("crd.yaml");
    std::fs::write(&crd, CRD).expect("crd written");
    let backup = dir.join("backup.yaml");
    std::fs::write(&backup, BACKUP).expect("backup written");

    let out = k.ok(&["apply", "-f", &crd.display().to_string()]).await;
    assert_eq!(
        out.trim(),
        "customresourcedefinition.apiextensions.k8s.io/backups.ops.example.com created"
    );
    let out = k.ok(&["get", "crds"]).await;
    let header: Vec<&str> = out
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    assert_eq!(header, ["NAME", "CREATED", "AT"]);
    assert!(out.contains("backups.ops.example.com"), "{out}");
    assert!(out.contains("certificates.cert-manager.io"), "{out}");

    let out = k
        .ok(&["api-resources", "--api-group=ops.example.com"])
        .await;
    let row = rows(&out)
        .into_iter()
        .find(|r| r[0] == "backups")
        .expect("backups listed");
    assert_eq!(
        row,
        ["backups", "bk", "ops.example.com/v1", "true", "Backup"]
    );

    let out = k.ok(&["apply", "-f", &backup.display().to_string()]).await;
    assert_eq!(out.trim(), "backup.ops.example.com/nightly created");
    let out = k.ok(&["get", "backups"]).await;
    let header: Vec<&str> = out
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    assert_eq!(header, ["NAME", "DATABASE", "KEEP", "PHASE", "AGE"]);
    // No phase yet: kubectl prints an empty cell for a null one.
    assert_eq!(rows(&out)[0], ["nightly", "postgres", "7", "0s"], "{out}");

    // A second apply patches (kubectl computes the patch with the schema).
    let changed = BACKUP.replace("keep: 7", "keep: 14");
    std::fs::write(&backup, changed).expect("backup rewritten");
    let out = k.ok(&["apply", "-f", &backup.display().to_string()]).await;
    assert_eq!(out.trim(), "backup.ops.example.com/nightly configured");
    let out = k
        .ok(&["get", "bk", "nightly", "-o", "jsonpath={.spec.keep}"])
        .await;
    assert_eq!(out, "14");

    let out = k.ok(&["explain", "backups.spec"]).await;
    assert!(
        out.contains("KIND:       Backup") || out.contains("KIND:     Backup"),
        "{out}"
    );
    assert!(
        out.contains("What to back up and how many copies to keep."),
        "{out}"
    );
    assert!(out.contains("database"), "{out}");

    let out = k.ok(&["delete", "-f", &crd.display().to_string()]).await;
    assert!(out.contains("deleted"), "{out}");
    let out = k
        .run(&[
            "get",
            "--raw",
            "/apis/ops.example.com/v1/namespaces/production/backups",
        ])
        .await;
    assert_ne!(out.code, Some(0), "the API is gone: {}", out.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_gets_the_shops_certificates() {
    if !kubectl_on_path() {
        return;
    }
    let sim = LocalSim::start(ScenarioName::Calm).await;
    let k = &sim.kubectl;
    let out = k.ok(&["get", "certificates", "-n", "production"]).await;
    let header: Vec<&str> = out
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    assert_eq!(header, ["NAME", "READY", "SECRET", "AGE"]);
    let rows = rows(&out);
    assert_eq!(rows[0], ["api-tls", "False", "api-tls", "120m"]);
    assert_eq!(rows[1], ["shop-tls", "True", "shop-tls", "120m"]);
    let out = k.ok(&["get", "scaledobjects", "-n", "production"]).await;
    assert!(out.starts_with("NAME"), "{out}");
    let row = &common::kubectl::rows(&out)[0];
    assert_eq!(
        row,
        // No authentication: an empty cell.
        &[
            "worker",
            "apps/v1.Deployment",
            "worker",
            "1",
            "8",
            "prometheus",
            "True",
            "False",
            "False",
            "False",
            "120m"
        ]
    );
    let out = k
        .ok(&["get", "certs", "-n", "production", "-o", "wide"])
        .await;
    assert!(
        out.contains("ISSUER") && out.contains("letsencrypt-prod"),
        "{out}"
    );
}
