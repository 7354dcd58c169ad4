//! The real `kubectl` reads the shop's Services, EndpointSlices, Ingress,
//! quota and limits from the simulated cluster and prints the columns it
//! prints against a real one; `describe quota` shows used against hard.
//!
//! Without `kubectl` on PATH the tests print a note and pass, except on CI
//! (`CI=true`), where a missing kubectl is a failure.

mod common;

use std::time::Duration;

use common::kubectl::*;
use warroom::sim::ScenarioName;

/// The table of one kind out of `kubectl get a,b,c` output (tables are
/// separated by blank lines; the header names the columns).
fn table_of(out: &str, first_name: &str) -> String {
    out.split("\n\n")
        .find(|t| {
            t.lines().nth(1).is_some_and(|l| {
                l.split_whitespace()
                    .nth(1)
                    .is_some_and(|n| n.starts_with(first_name))
            })
        })
        .unwrap_or_else(|| panic!("a table of {first_name}…:\n{out}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_services_slices_ingress_quota_and_limits() {
    if !kubectl_on_path() {
        return;
    }
    let sim = LocalSim::start(ScenarioName::Calm).await;
    let k = &sim.kubectl;
    let out = k
        .ok(&["get", "svc,endpointslices,ing,quota,limits", "-A"])
        .await;

    let svc = table_of(&out, "service/");
    assert_eq!(
        header(&svc),
        [
            "NAMESPACE",
            "NAME",
            "TYPE",
            "CLUSTER-IP",
            "EXTERNAL-IP",
            "PORT(S)",
            "AGE"
        ]
    );
    let row = |t: &str, ns: &str, name: &str| -> Vec<String> {
        rows(t)
            .into_iter()
            .find(|r| r[0] == ns && r[1] == name)
            .unwrap_or_else(|| panic!("{ns} {name} in\n{t}"))
            .into_iter()
            .map(str::to_string)
            .collect()
    };
    let lb = row(&svc, "production", "service/api-server");
    assert_eq!(lb[2], "LoadBalancer");
    assert!(lb[4].starts_with("203.0.113."), "{lb:?}");
    assert!(
        lb[5].starts_with("8080:3") && lb[5].ends_with("/TCP"),
        "{lb:?}"
    );
    let np = row(&svc, "production", "service/notification-service");
    assert_eq!((np[2].as_str(), np[4].as_str()), ("NodePort", "<none>"));

    let slices = table_of(&out, "endpointslice.discovery.k8s.io/");
    assert_eq!(
        header(&slices),
        [
            "NAMESPACE",
            "NAME",
            "ADDRESSTYPE",
            "PORTS",
            "ENDPOINTS",
            "AGE"
        ]
    );
    let checkout: Vec<Vec<&str>> = rows(&slices)
        .into_iter()
        .filter(|r| {
            r[0] == "production"
                && r[1].starts_with("endpointslice.discovery.k8s.io/checkout-service-")
        })
        .collect();
    assert_eq!(checkout.len(), 1, "{slices}");
    assert_eq!(checkout[0][2], "IPv4");
    assert_eq!(checkout[0][3], "8080");
    assert_eq!(
        checkout[0][4].split(',').count(),
        3,
        "three pod IPs: {:?}",
        checkout[0]
    );

    let ing = table_of(&out, "ingress.networking.k8s.io/");
    assert_eq!(
        header(&ing),
        [
            "NAMESPACE",
            "NAME",
            "CLASS",
            "HOSTS",
            "ADDRESS",
            "PORTS",
            "AGE"
        ]
    );
    let shop = row(&ing, "production", "ingress.networking.k8s.io/shop");
    assert_eq!(
        (shop[2].as_str(), shop[3].as_str(), shop[5].as_str()),
        ("nginx", "shop.example.com", "80")
    );
    assert!(shop[4].starts_with("203.0.113."));

    let quota = table_of(&out, "resourcequota/");
    assert_eq!(
        header(&quota),
        ["NAMESPACE", "NAME", "AGE", "REQUEST", "LIMIT"]
    );
    let line = quota
        .lines()
        .find(|l| l.contains("resourcequota/production-quota"))
        .expect("quota row");
    assert!(
        line.contains("pods: 12/15, requests.cpu: 1350m/2, requests.memory: 3520Mi/6Gi")
            && line.contains("limits.memory: 8Gi/12Gi"),
        "{line}"
    );

    let limits = table_of(&out, "limitrange/");
    assert_eq!(header(&limits), ["NAMESPACE", "NAME", "CREATED", "AT"]);
    assert!(limits.contains("limitrange/production-limits"));

    let described = k
        .ok(&["describe", "quota", "production-quota", "-n", "production"])
        .await;
    for want in [
        "Name:",
        "production-quota",
        "Namespace:",
        "Resource",
        "Used",
        "Hard",
    ] {
        assert!(described.contains(want), "{want} in\n{described}");
    }
    let pods_line = described
        .lines()
        .find(|l| l.trim_start().starts_with("pods "))
        .unwrap_or_else(|| panic!("pods row in\n{described}"));
    assert_eq!(
        pods_line.split_whitespace().collect::<Vec<_>>(),
        ["pods", "12", "15"]
    );

    let described = k
        .ok(&[
            "describe",
            "limits",
            "production-limits",
            "-n",
            "production",
        ])
        .await;
    assert!(
        described.contains("Container") && described.contains("512Mi"),
        "{described}"
    );

    let out = k
        .ok(&["get", "endpoints", "checkout-service", "-n", "production"])
        .await;
    let r = rows(&out);
    assert_eq!(r[0][1].split(',').count(), 3, "{out}");
    assert!(r[0][1].ends_with(":8080"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_label_typo_shows_as_a_service_without_endpoints() {
    if !kubectl_on_path() {
        return;
    }
    let sim = LocalSim::start(ScenarioName::NoEndpoints).await;
    sim.cluster.advance(Duration::from_secs(30)).await;
    let k = &sim.kubectl;
    let out = k
        .ok(&[
            "get",
            "endpointslices",
            "-n",
            "production",
            "-l",
            "kubernetes.io/service-name=checkout-service",
        ])
        .await;
    let r = rows(&out);
    assert_eq!(r.len(), 1, "{out}");
    assert_eq!((r[0][2], r[0][3]), ("<unset>", "<unset>"), "{out}");
    let out = k
        .ok(&["get", "endpoints", "checkout-service", "-n", "production"])
        .await;
    assert_eq!(rows(&out)[0][1], "<none>", "{out}");
}
