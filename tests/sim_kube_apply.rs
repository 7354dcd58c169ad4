//! Server-side apply through kube-rs (`Patch::Apply`) against the simulated
//! cluster: apply creates, owns what it applied in `metadata.managedFields`,
//! removes what it no longer applies, and meets another manager's field
//! with a 409 Conflict unless it forces — as a real API server does.

mod common;

use common::*;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ManagedFieldsEntry;
use kube::api::{Api, Patch, PatchParams};
use serde_json::{Value, json};
use warroom::sim::ScenarioName;

fn by(manager: &str) -> PatchParams {
    PatchParams::apply(manager)
}

fn entries<K: kube::Resource>(obj: &K) -> Vec<ManagedFieldsEntry> {
    obj.meta().managed_fields.clone().unwrap_or_default()
}

fn entry<'a>(list: &'a [ManagedFieldsEntry], manager: &str, op: &str) -> &'a ManagedFieldsEntry {
    list.iter()
        .find(|e| e.manager.as_deref() == Some(manager) && e.operation.as_deref() == Some(op))
        .unwrap_or_else(|| panic!("no {op} entry by {manager} in {list:#?}"))
}

fn fields_v1(e: &ManagedFieldsEntry) -> Value {
    e.fields_v1
        .as_ref()
        .map(|f| f.0.clone())
        .unwrap_or(Value::Null)
}

fn config_map(data: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap",
           "metadata": {"name": "feature-flags", "labels": {"team": "shop"}},
           "data": data})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_creates_owns_what_it_applied_and_removes_what_it_no_longer_applies() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let cms: Api<ConfigMap> = c.api("production");

    let first = config_map(json!({"checkout": "on", "search": "off"}));
    let created = cms
        .patch("feature-flags", &by("flags-bot"), &Patch::Apply(&first))
        .await
        .expect("apply creates");
    assert_eq!(
        created.data.as_ref().map(|d| d.len()),
        Some(2),
        "{created:?}"
    );
    let list = entries(&created);
    assert_eq!(list.len(), 1, "{list:#?}");
    let mine = entry(&list, "flags-bot", "Apply");
    assert_eq!(mine.api_version.as_deref(), Some("v1"));
    assert_eq!(mine.fields_type.as_deref(), Some("FieldsV1"));
    assert_eq!(
        mine.time.as_ref().map(|t| t.0.to_string()),
        Some(START.to_string())
    );
    assert_eq!(
        fields_v1(mine),
        json!({"f:data": {"f:checkout": {}, "f:search": {}},
               "f:metadata": {"f:labels": {"f:team": {}}}})
    );

    // Someone edits the map by hand: their field, an Update.
    let edit = PatchParams {
        field_manager: Some("kubectl-edit".into()),
        ..PatchParams::default()
    };
    let edited = cms
        .patch(
            "feature-flags",
            &edit,
            &Patch::Merge(json!({"data": {"payments": "on"}})),
        )
        .await
        .expect("merge patch");
    let hand = entry(&entries(&edited), "kubectl-edit", "Update").clone();
    assert_eq!(
        fields_v1(&hand),
        json!({"f:data": {"f:payments": {}}}),
        "an update owns what it changed"
    );

    // Applied again without `search` and without the label: both go; the
    // edited key is not the applier's and stays.
    let second = json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "feature-flags"}, "data": {"checkout": "on"}});
    let after = cms
        .patch("feature-flags", &by("flags-bot"), &Patch::Apply(&second))
        .await
        .expect("second apply");
    let data = after.data.clone().unwrap_or_default();
    assert_eq!(
        data.keys().map(String::as_str).collect::<Vec<_>>(),
        ["checkout", "payments"],
        "{after:?}"
    );
    assert!(
        after.metadata.labels.as_ref().is_none_or(|l| l.is_empty()),
        "{:?}",
        after.metadata.labels
    );
    assert_eq!(
        fields_v1(entry(&entries(&after), "flags-bot", "Apply")),
        json!({"f:data": {"f:checkout": {}}})
    );
    let stored = cms.get("feature-flags").await.expect("get");
    assert_eq!(stored.data, after.data, "the answer is what was stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn applying_a_field_another_manager_set_is_a_409_until_forced() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let deployments: Api<Deployment> = c.api("production");
    let before = deployments.get("checkout-service").await.expect("get");
    let before_fields = entries(&before);
    let deployer = entry(&before_fields, "kubectl-client-side-apply", "Update");
    assert_eq!(
        fields_v1(deployer)["f:spec"]["f:replicas"],
        json!({}),
        "the scenario's deployer owns spec.replicas"
    );

    let scale_up = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "checkout-service"}, "spec": {"replicas": 5}});
    let refused = deployments
        .patch(
            "checkout-service",
            &by("autoscaler"),
            &Patch::Apply(&scale_up),
        )
        .await;
    let Err(kube::Error::Api(status)) = refused else {
        panic!("expected a conflict, got {refused:?}");
    };
    assert_eq!((status.code, status.reason.as_str()), (409, "Conflict"));
    assert_eq!(
        status.message,
        "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas"
    );
    let causes = status.details.expect("details").causes;
    assert_eq!(causes.len(), 1);
    assert_eq!(causes[0].reason, "FieldManagerConflict");
    assert_eq!(
        causes[0].message,
        "conflict with \"kubectl-client-side-apply\" using apps/v1"
    );
    assert_eq!(causes[0].field, ".spec.replicas");
    let unchanged = deployments.get("checkout-service").await.expect("get");
    assert_eq!(unchanged.spec.as_ref().and_then(|s| s.replicas), Some(3));
    assert_eq!(
        unchanged.metadata.resource_version,
        before.metadata.resource_version
    );

    // The same value is no conflict: the field is shared.
    let same = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "checkout-service"}, "spec": {"replicas": 3}});
    deployments
        .patch("checkout-service", &by("autoscaler"), &Patch::Apply(&same))
        .await
        .expect("applying the current value");

    let forced = deployments
        .patch(
            "checkout-service",
            &by("autoscaler").force(),
            &Patch::Apply(&scale_up),
        )
        .await
        .expect("forced apply");
    assert_eq!(forced.spec.as_ref().and_then(|s| s.replicas), Some(5));
    let list = entries(&forced);
    assert_eq!(
        fields_v1(entry(&list, "autoscaler", "Apply")),
        json!({"f:spec": {"f:replicas": {}}})
    );
    let deployer = fields_v1(entry(&list, "kubectl-client-side-apply", "Update"));
    assert!(
        deployer["f:spec"].get("f:replicas").is_none(),
        "the deployer lost spec.replicas: {deployer}"
    );
    assert!(
        deployer["f:spec"].get("f:template").is_some(),
        "and kept the rest"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_dry_run_shows_the_result_and_stores_nothing() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let cms: Api<ConfigMap> = c.api("production");
    let rv = c.sim.resource_version();
    let dry = PatchParams {
        dry_run: true,
        ..by("flags-bot")
    };
    let shown = cms
        .patch(
            "feature-flags",
            &dry,
            &Patch::Apply(&config_map(json!({"a": "1"}))),
        )
        .await
        .expect("dry-run apply");
    assert_eq!(
        shown
            .data
            .as_ref()
            .and_then(|d| d.get("a"))
            .map(String::as_str),
        Some("1")
    );
    assert_eq!(entries(&shown).len(), 1);
    let (code, reason, _) = api_error(cms.get("feature-flags").await);
    assert_eq!((code, reason.as_str()), (404, "NotFound"));
    assert_eq!(c.sim.resource_version(), rv, "nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_without_a_field_manager_is_refused_as_the_api_server_refuses_it() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let req = axum::http::Request::patch("/api/v1/namespaces/production/configmaps/feature-flags")
        .header("content-type", "application/apply-patch+yaml")
        .body(config_map(json!({"a": "1"})).to_string().into_bytes())
        .expect("request");
    let (code, reason, message) = api_error(c.client.request::<Value>(req).await);
    assert_eq!((code, reason.as_str()), (422, "Invalid"));
    assert_eq!(
        message,
        "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_keeps_managed_fields_with_its_manager_and_subresource() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let deployments: Api<Deployment> = c.api("production");
    let console = PatchParams {
        field_manager: Some("warroom".into()),
        ..PatchParams::default()
    };
    let patched = deployments
        .patch(
            "checkout-service",
            &console,
            &Patch::Strategic(json!({"spec": {"paused": true}})),
        )
        .await
        .expect("strategic patch");
    let list = entries(&patched);
    assert_eq!(
        fields_v1(entry(&list, "warroom", "Update")),
        json!({"f:spec": {"f:paused": {}}})
    );

    let status = deployments
        .patch_status(
            "checkout-service",
            &console,
            &Patch::Merge(json!({"status": {"observedGeneration": 99}})),
        )
        .await
        .expect("status patch");
    let on_status = entries(&status)
        .into_iter()
        .find(|e| e.subresource.as_deref() == Some("status"))
        .expect("a status entry");
    assert_eq!(on_status.manager.as_deref(), Some("warroom"));
    assert_eq!(
        fields_v1(&on_status),
        json!({"f:status": {"f:observedGeneration": {}}})
    );

    // The pods the controllers made are theirs.
    let pods: Api<k8s_openapi::api::core::v1::Pod> = c.api("production");
    let pod = pods
        .list(&kube::api::ListParams::default().labels("app=checkout-service"))
        .await
        .expect("pods")
        .items
        .into_iter()
        .next()
        .expect("a pod");
    let pod_fields = entries(&pod);
    let made = entry(&pod_fields, "kube-controller-manager", "Update");
    assert!(
        fields_v1(made)["f:metadata"]
            .get("f:ownerReferences")
            .is_some(),
        "{:?}",
        fields_v1(made)
    );
}
