//! Services' endpoints, config references, quota and limits through kube-rs
//! against the simulated cluster: EndpointSlices follow pod readiness and
//! termination, a Service selecting nothing keeps an empty slice, quota
//! admission refuses with the real message and keeps `status.used`,
//! LimitRange fills in defaults, and the kubelet holds a container whose
//! ConfigMap is missing in CreateContainerConfigError until it appears.

mod common;

use std::time::Duration;

use common::*;
use k8s_openapi::api::core::v1::{ConfigMap, Endpoints, Event, Pod, ResourceQuota, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::Ingress;
use kube::api::{Api, DeleteParams, ListParams, PostParams};
use serde_json::json;
use warroom::sim::ScenarioName;

const STEP: Duration = Duration::from_millis(250);

async fn slice_of(c: &Cluster, ns: &str, service: &str) -> EndpointSlice {
    let slices: Api<EndpointSlice> = c.api(ns);
    let mut list = slices
        .list(&ListParams::default().labels(&format!("kubernetes.io/service-name={service}")))
        .await
        .expect("list endpointslices")
        .items;
    assert_eq!(list.len(), 1, "one slice for {service}");
    list.remove(0)
}

/// (ready, serving, terminating) of the endpoint of `pod`.
fn conditions_of(slice: &EndpointSlice, pod: &str) -> Option<(bool, bool, bool)> {
    slice
        .endpoints
        .iter()
        .find(|e| e.target_ref.as_ref().and_then(|r| r.name.as_deref()) == Some(pod))
        .map(|e| {
            let c = e.conditions.clone().unwrap_or_default();
            (
                c.ready.unwrap_or(false),
                c.serving.unwrap_or(false),
                c.terminating.unwrap_or(false),
            )
        })
}

fn name_of(p: &Pod) -> String {
    p.metadata.name.clone().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slices_follow_ready_and_terminating_pods() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let slice = slice_of(&c, "production", "checkout-service").await;
    let labels = slice.metadata.labels.clone().unwrap_or_default();
    assert_eq!(
        labels
            .get("endpointslice.kubernetes.io/managed-by")
            .map(String::as_str),
        Some("endpointslice-controller.k8s.io")
    );
    let owner = &slice.metadata.owner_references.as_ref().expect("owner")[0];
    assert_eq!(
        (owner.kind.as_str(), owner.name.as_str()),
        ("Service", "checkout-service")
    );
    assert_eq!(slice.address_type, "IPv4");
    let ports = slice.ports.clone().unwrap_or_default();
    assert_eq!(ports.len(), 1);
    assert_eq!(
        (ports[0].name.as_deref(), ports[0].port),
        (Some("http"), Some(8080))
    );
    assert_eq!(slice.endpoints.len(), 3);
    for e in &slice.endpoints {
        assert!(
            e.node_name.is_some()
                && e.zone
                    .as_deref()
                    .is_some_and(|z| z.starts_with("eu-west-1"))
        );
    }

    let pods: Api<Pod> = c.api("production");
    let victim = name_of(
        &pods
            .list(&ListParams::default().labels("app=checkout-service"))
            .await
            .expect("pods")
            .items[0],
    );
    assert_eq!(conditions_of(&slice, &victim), Some((true, true, false)));
    pods.delete(&victim, &DeleteParams::default())
        .await
        .expect("delete");
    c.advance(STEP).await;
    let slice = slice_of(&c, "production", "checkout-service").await;
    assert_eq!(
        conditions_of(&slice, &victim),
        Some((false, true, true)),
        "a terminating pod still serves but is not ready"
    );
    let endpoints: Api<Endpoints> = c.api("production");
    let ep = endpoints.get("checkout-service").await.expect("endpoints");
    let addresses = ep.subsets.unwrap_or_default()[0]
        .addresses
        .clone()
        .unwrap_or_default();
    assert_eq!(
        addresses.len(),
        2,
        "Endpoints leave the terminating pod out"
    );
    c.advance(Duration::from_secs(10)).await;
    let slice = slice_of(&c, "production", "checkout-service").await;
    assert_eq!(conditions_of(&slice, &victim), None, "gone with its pod");
    assert_eq!(slice.endpoints.len(), 3, "its replacement took its place");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pod_that_is_not_ready_is_not_a_ready_endpoint() {
    // bad-deploy: checkout-service 2.3.0's pods run but never become Ready.
    let c = cluster(config(ScenarioName::BadDeploy)).await;
    let pods: Api<Pod> = c.api("production");
    let unready = c
        .advance_until(Duration::from_secs(1), Duration::from_secs(90), || async {
            pods.list(&ListParams::default().labels("app=checkout-service"))
                .await
                .expect("pods")
                .items
                .into_iter()
                .find(|p| {
                    let s = p.status.clone().unwrap_or_default();
                    s.phase.as_deref() == Some("Running")
                        && s.conditions
                            .unwrap_or_default()
                            .iter()
                            .any(|c| c.type_ == "Ready" && c.status == "False")
                })
                .map(|p| name_of(&p))
        })
        .await
        .expect("a running, unready checkout-service pod");
    let slice = slice_of(&c, "production", "checkout-service").await;
    assert_eq!(conditions_of(&slice, &unready), Some((false, false, false)));
    let ready = slice
        .endpoints
        .iter()
        .filter(|e| e.conditions.as_ref().and_then(|c| c.ready) == Some(true))
        .count();
    assert_eq!(ready, 3, "the old pods keep serving");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_selector_that_matches_nothing_leaves_an_empty_slice() {
    let c = cluster(config(ScenarioName::NoEndpoints)).await;
    let before = slice_of(&c, "production", "checkout-service").await;
    assert_eq!(before.endpoints.len(), 3);
    c.advance(Duration::from_secs(25)).await;
    let services: Api<Service> = c.api("production");
    let svc = services.get("checkout-service").await.expect("svc");
    let selector = svc.spec.and_then(|s| s.selector).unwrap_or_default();
    assert_eq!(selector.get("app").map(String::as_str), Some("checkout"));
    let after = slice_of(&c, "production", "checkout-service").await;
    assert!(after.endpoints.is_empty(), "no endpoints");
    assert_eq!(
        after.metadata.name, before.metadata.name,
        "the slice is kept"
    );
    let pods: Api<Pod> = c.api("production");
    let all = pods
        .list(&ListParams::default().labels("app=checkout-service"))
        .await
        .expect("pods")
        .items;
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|p| {
        p.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
    }));
}

fn probe(name: &str, resources: serde_json::Value) -> Pod {
    serde_json::from_value(json!({
        "metadata": {"name": name, "labels": {"app": "probe"}},
        "spec": {"containers": [{"name": "probe", "image": "busybox:1.36", "resources": resources}]},
    }))
    .expect("pod")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quota_refuses_the_pod_too_many_and_limit_range_fills_defaults() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let quotas: Api<ResourceQuota> = c.api("production");
    let q = quotas.get("production-quota").await.expect("quota");
    let used = q.status.clone().and_then(|s| s.used).unwrap_or_default();
    assert_eq!(used.get("pods").map(|q| q.0.as_str()), Some("12"));

    let pods: Api<Pod> = c.api("production");
    // No resources at all: LimitRange production-limits fills them in.
    let created = pods
        .create(&PostParams::default(), &probe("probe-0", json!({})))
        .await
        .expect("created with defaults");
    let res = created.spec.expect("spec").containers[0]
        .resources
        .clone()
        .expect("resources");
    let requests = res.requests.unwrap_or_default();
    let limits = res.limits.unwrap_or_default();
    assert_eq!(requests.get("cpu").map(|q| q.0.as_str()), Some("100m"));
    assert_eq!(requests.get("memory").map(|q| q.0.as_str()), Some("256Mi"));
    assert_eq!(limits.get("memory").map(|q| q.0.as_str()), Some("512Mi"));
    let annotations = created.metadata.annotations.unwrap_or_default();
    assert_eq!(
        annotations
            .get("kubernetes.io/limit-ranger")
            .map(String::as_str),
        Some(
            "LimitRanger plugin set: cpu, memory request for container probe; memory limit for container probe"
        )
    );
    for n in 1..3 {
        pods.create(
            &PostParams::default(),
            &probe(&format!("probe-{n}"), json!({})),
        )
        .await
        .expect("within quota");
    }
    let (code, reason, message) = api_error(
        pods.create(&PostParams::default(), &probe("probe-3", json!({})))
            .await,
    );
    assert_eq!((code, reason.as_str()), (403, "Forbidden"));
    assert_eq!(
        message,
        "pods \"probe-3\" is forbidden: exceeded quota: production-quota, requested: pods=1, used: pods=15, limited: pods=15"
    );
    let q = quotas.get("production-quota").await.expect("quota");
    let status = q.status.expect("status");
    let used = status.used.unwrap_or_default();
    assert_eq!(used.get("pods").map(|q| q.0.as_str()), Some("15"));
    assert_eq!(
        used.get("requests.cpu").map(|q| q.0.as_str()),
        Some("1650m")
    );
    assert_eq!(
        status
            .hard
            .unwrap_or_default()
            .get("pods")
            .map(|q| q.0.as_str()),
        Some("15")
    );

    // Deleting one gives its share back.
    pods.delete("probe-0", &DeleteParams::default())
        .await
        .expect("delete");
    c.advance(Duration::from_secs(5)).await;
    let q = quotas.get("production-quota").await.expect("quota");
    let used = q.status.and_then(|s| s.used).unwrap_or_default();
    assert_eq!(used.get("pods").map(|q| q.0.as_str()), Some("14"));
}

/// The waiting reason and message of a pod's one container.
async fn waiting(pods: &Api<Pod>, name: &str) -> Option<(String, String)> {
    let p = pods.get(name).await.expect("pod");
    let s = p.status?.container_statuses?.into_iter().next()?;
    let w = s.state?.waiting?;
    Some((w.reason.unwrap_or_default(), w.message.unwrap_or_default()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_config_map_holds_the_container_until_it_appears() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let pods: Api<Pod> = c.api("staging");
    let pod: Pod = serde_json::from_value(json!({
        "metadata": {"name": "reader"},
        "spec": {"containers": [{"name": "app", "image": "busybox:1.36", "env": [
            {"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "app-settings", "key": "mode"}}},
            {"name": "TUNING", "valueFrom": {"configMapKeyRef": {"name": "absent", "key": "x", "optional": true}}},
        ]}]},
    }))
    .expect("pod");
    pods.create(&PostParams::default(), &pod)
        .await
        .expect("create");
    let state = c
        .advance_until(STEP, Duration::from_secs(30), || waiting_config(&pods))
        .await
        .expect("CreateContainerConfigError");
    assert_eq!(state, "configmap \"app-settings\" not found");
    let events: Api<Event> = c.api("staging");
    let failed = events
        .list(&ListParams::default().fields("involvedObject.name=reader,reason=Failed"))
        .await
        .expect("events")
        .items;
    assert_eq!(
        failed[0].message.as_deref(),
        Some("Error: configmap \"app-settings\" not found")
    );
    assert_eq!(
        failed[0].involved_object.field_path.as_deref(),
        Some("spec.containers{app}")
    );

    let maps: Api<ConfigMap> = c.api("staging");
    let cm: ConfigMap = serde_json::from_value(
        json!({"metadata": {"name": "app-settings"}, "data": {"other": "1"}}),
    )
    .expect("cm");
    maps.create(&PostParams::default(), &cm).await.expect("cm");
    let msg = c
        .advance_until(STEP, Duration::from_secs(30), || async {
            waiting_config(&pods)
                .await
                .filter(|m| m.contains("couldn't find key"))
        })
        .await
        .expect("the key is missing now");
    assert_eq!(
        msg,
        "couldn't find key mode in ConfigMap staging/app-settings"
    );

    let cm: ConfigMap = serde_json::from_value(
        json!({"metadata": {"name": "app-settings"}, "data": {"mode": "fast"}}),
    )
    .expect("cm");
    maps.replace("app-settings", &PostParams::default(), &cm)
        .await
        .expect("cm");
    let running = c
        .advance_until(STEP, Duration::from_secs(30), || async {
            let p = pods.get("reader").await.expect("pod");
            (p.status.and_then(|s| s.phase).as_deref() == Some("Running")).then_some(())
        })
        .await;
    assert!(running.is_some(), "started once the key exists");
}

async fn waiting_config(pods: &Api<Pod>) -> Option<String> {
    waiting(pods, "reader")
        .await
        .filter(|(r, _)| r == "CreateContainerConfigError")
        .map(|(_, m)| m)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shop_ingress_and_load_balancer_have_addresses() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let ingresses: Api<Ingress> = c.api("production");
    let shop = ingresses.get("shop").await.expect("ingress");
    let spec = shop.spec.expect("spec");
    assert_eq!(spec.ingress_class_name.as_deref(), Some("nginx"));
    let ip = shop
        .status
        .and_then(|s| s.load_balancer)
        .and_then(|l| l.ingress)
        .expect("address")[0]
        .ip
        .clone();
    assert!(ip.is_some_and(|ip| ip.starts_with("203.0.113.")));
    let services: Api<Service> = c.api("production");
    let lb = services.get("api-server").await.expect("svc");
    assert_eq!(
        lb.spec.as_ref().and_then(|s| s.type_.as_deref()),
        Some("LoadBalancer")
    );
    assert!(
        lb.status
            .and_then(|s| s.load_balancer)
            .and_then(|l| l.ingress)
            .is_some_and(|i| i.len() == 1)
    );
    let np = services.get("notification-service").await.expect("svc");
    let port = np.spec.and_then(|s| s.ports).expect("ports")[0].node_port;
    assert!(port.is_some_and(|p| (30000..=32767).contains(&p)));
}
