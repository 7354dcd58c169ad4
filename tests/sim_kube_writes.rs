//! Writes through kube-rs against the simulated cluster, and who may make
//! them: dry-run changes nothing, the read-only user is refused (403) while
//! access reviews say so, and a configured token is required (401).

mod common;

use std::time::Duration;

use common::*;
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Pod};
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use serde_json::json;
use warroom::sim::ScenarioName;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_shows_the_change_but_changes_nothing() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let deployments: Api<Deployment> = c.api("production");
    let before = deployments.get("checkout-service").await.expect("get");
    let before_rv = before.metadata.resource_version.clone();
    let cluster_rv = c.sim.resource_version();
    let rs: Api<ReplicaSet> = c.api("production");
    let rs_before = names(
        &rs.list(&ListParams::default().labels("app=checkout-service"))
            .await
            .expect("rs")
            .items,
    );

    let dry = PatchParams {
        dry_run: true,
        ..PatchParams::default()
    };
    let p = Patch::Strategic(
        json!({"spec": {"replicas": 7, "template": {"spec": {"containers": [
        {"name": "checkout-service", "image": "registry.local/shop/checkout-service:9.9.9"}]}}}}),
    );
    let shown = deployments
        .patch("checkout-service", &dry, &p)
        .await
        .expect("dry-run patch");
    assert_eq!(
        shown.spec.as_ref().and_then(|s| s.replicas),
        Some(7),
        "the answer shows the change"
    );
    assert_eq!(
        pod_image_of_template(&shown),
        "registry.local/shop/checkout-service:9.9.9"
    );

    let pods: Api<Pod> = c.api("production");
    let probe: Pod = serde_json::from_value(json!({
        "metadata": {"name": "dry-run-probe", "labels": {"app": "probe"}},
        "spec": {"containers": [{"name": "probe", "image": "busybox:1.36"}]},
    }))
    .expect("pod");
    let created = pods
        .create(
            &PostParams {
                dry_run: true,
                ..PostParams::default()
            },
            &probe,
        )
        .await
        .expect("dry-run create");
    assert_eq!(created.metadata.name.as_deref(), Some("dry-run-probe"));

    let after = deployments.get("checkout-service").await.expect("get");
    assert_eq!(
        after.spec.as_ref().and_then(|s| s.replicas),
        Some(3),
        "spec.replicas did not change"
    );
    assert_eq!(
        pod_image_of_template(&after),
        pod_image_of_template(&before),
        "the image did not change"
    );
    assert_eq!(
        after.metadata.resource_version, before_rv,
        "the resourceVersion did not move"
    );
    assert_eq!(
        c.sim.resource_version(),
        cluster_rv,
        "nothing at all was written"
    );
    assert_eq!(
        api_error(pods.get("dry-run-probe").await).0,
        404,
        "the dry-run pod does not exist"
    );

    // And no rollout starts from a change that was never made.
    c.advance(Duration::from_secs(20)).await;
    let rs_after = names(
        &rs.list(&ListParams::default().labels("app=checkout-service"))
            .await
            .expect("rs")
            .items,
    );
    assert_eq!(rs_after, rs_before, "no new ReplicaSet");
    assert_eq!(live_pods(&pods, "checkout-service").await.len(), 3);
}

fn pod_image_of_template(d: &Deployment) -> String {
    d.spec
        .as_ref()
        .and_then(|s| s.template.spec.as_ref())
        .and_then(|s| s.containers.first())
        .and_then(|c| c.image.clone())
        .unwrap_or_default()
}

async fn access(client: &kube::Client, verb: &str, group: &str, resource: &str) -> bool {
    let reviews: Api<SelfSubjectAccessReview> = Api::all(client.clone());
    let review = SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                verb: Some(verb.into()),
                group: Some(group.into()),
                resource: Some(resource.into()),
                namespace: Some("production".into()),
                ..ResourceAttributes::default()
            }),
            ..SelfSubjectAccessReviewSpec::default()
        },
        ..SelfSubjectAccessReview::default()
    };
    let answer = reviews
        .create(&PostParams::default(), &review)
        .await
        .expect("access review");
    answer.status.expect("the review has a status").allowed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_user_is_refused_every_write_but_may_read() {
    let mut cfg = config(ScenarioName::Calm);
    cfg.readonly_user = true;
    let c = cluster(cfg).await;
    let deployments: Api<Deployment> = c.api("production");
    let before = c
        .sim
        .object("deployments", "production", "checkout-service")
        .expect("exists");

    let scale = Patch::Merge(json!({"spec": {"replicas": 0}}));
    let (code, reason, message) = api_error(
        deployments
            .patch("checkout-service", &PatchParams::default(), &scale)
            .await,
    );
    assert_eq!((code, reason.as_str()), (403, "Forbidden"), "{message}");
    assert!(
        message.contains("patch"),
        "the refusal names the verb: {message}"
    );
    assert_eq!(
        c.sim
            .object("deployments", "production", "checkout-service"),
        Some(before),
        "nothing changed"
    );

    let pods: Api<Pod> = c.api("production");
    let some_pod = pods
        .list(&ListParams::default())
        .await
        .expect("reading is allowed")
        .items[0]
        .metadata
        .name
        .clone()
        .expect("name");
    let (code, reason, _) = api_error(pods.delete(&some_pod, &DeleteParams::default()).await);
    assert_eq!((code, reason.as_str()), (403, "Forbidden"));
    assert!(
        pods.get(&some_pod)
            .await
            .expect("still there")
            .metadata
            .deletion_timestamp
            .is_none()
    );

    let cms: Api<ConfigMap> = c.api("production");
    let cm: ConfigMap =
        serde_json::from_value(json!({"metadata": {"name": "note"}, "data": {"k": "v"}}))
            .expect("cm");
    let (code, reason, _) = api_error(cms.create(&PostParams::default(), &cm).await);
    assert_eq!((code, reason.as_str()), (403, "Forbidden"));
    let (code, _, _) = api_error(
        deployments
            .patch_scale("checkout-service", &PatchParams::default(), &scale)
            .await,
    );
    assert_eq!(code, 403, "the scale subresource is a write too");

    assert!(
        !access(&c.client, "patch", "apps", "deployments").await,
        "may not patch deployments"
    );
    assert!(
        !access(&c.client, "delete", "", "pods").await,
        "may not delete pods"
    );
    assert!(access(&c.client, "list", "", "pods").await, "may list pods");
    assert!(
        access(&c.client, "watch", "apps", "deployments").await,
        "may watch deployments"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_token_is_required() {
    let mut cfg = config(ScenarioName::Calm);
    cfg.token = Some("t".into());
    let c = cluster(cfg).await;

    let anonymous: Api<Namespace> = Api::all(c.client.clone());
    let (code, reason, _) = api_error(anonymous.list(&ListParams::default()).await);
    assert_eq!((code, reason.as_str()), (401, "Unauthorized"));
    let wrong: Api<Namespace> = Api::all(kubeconfig_client(&c.url(), Some("not-t")).await);
    assert_eq!(api_error(wrong.list(&ListParams::default()).await).0, 401);

    let authed: Api<Namespace> = Api::all(kubeconfig_client(&c.url(), Some("t")).await);
    let namespaces = names(
        &authed
            .list(&ListParams::default())
            .await
            .expect("with the token")
            .items,
    );
    assert!(
        namespaces.contains(&"production".to_string()),
        "{namespaces:?}"
    );
    assert!(
        c.sim.requests().iter().any(|r| r.status == 401),
        "the refusals are in the request log"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permissive_access_review_allows_writes() {
    let c = cluster(config(ScenarioName::Calm)).await;
    assert!(access(&c.client, "patch", "apps", "deployments").await);
    assert!(access(&c.client, "delete", "", "pods").await);
}
