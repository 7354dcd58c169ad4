//! Rollouts through kube-rs against the simulated cluster: a template change
//! makes a new revision and rolls; a rollback (as `kubectl rollout undo`
//! sends it) reuses the old ReplicaSet as the newest revision; the scale
//! subresource moves the pod count; a bad deploy runs but never gets Ready.

mod common;

use std::time::Duration;

use common::*;
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams, LogParams, Patch, PatchParams, PostParams};
use serde_json::{Value, json};
use warroom::sim::ScenarioName;

const APP: &str = "checkout-service";
const HASH: &str = "pod-template-hash";

async fn replica_sets(api: &Api<ReplicaSet>) -> Vec<ReplicaSet> {
    api.list(&ListParams::default().labels(&format!("app={APP}")))
        .await
        .expect("replicasets")
        .items
}

fn rs_image(rs: &ReplicaSet) -> String {
    rs.spec
        .as_ref()
        .and_then(|s| s.template.as_ref())
        .and_then(|t| t.spec.as_ref())
        .and_then(|s| s.containers.first())
        .and_then(|c| c.image.clone())
        .unwrap_or_default()
}

fn rs_image_of(d: &Deployment) -> String {
    d.spec
        .as_ref()
        .and_then(|s| s.template.spec.as_ref())
        .and_then(|s| s.containers.first())
        .and_then(|c| c.image.clone())
        .unwrap_or_default()
}

fn rs_hash(rs: &ReplicaSet) -> String {
    rs.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(HASH))
        .cloned()
        .unwrap_or_default()
}

fn rs_replicas(rs: &ReplicaSet) -> i32 {
    rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(-1)
}

fn condition(d: &Deployment, kind: &str) -> Option<(String, String)> {
    d.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == kind))
        .map(|c| (c.status.clone(), c.reason.clone().unwrap_or_default()))
}

/// The rollout is complete as `kubectl rollout status` judges it.
fn rolled_out(d: &Deployment) -> bool {
    let (Some(spec), Some(status)) = (&d.spec, &d.status) else {
        return false;
    };
    let want = spec.replicas.unwrap_or(1);
    status.observed_generation >= d.metadata.generation
        && status.updated_replicas == Some(want)
        && status.replicas == Some(want)
        && status.ready_replicas == Some(want)
        && status.available_replicas == Some(want)
}

async fn wait_rolled_out(c: &Cluster, deployments: &Api<Deployment>) -> Deployment {
    let done = c
        .advance_until(Duration::from_secs(5), Duration::from_secs(300), || async {
            let d = deployments.get(APP).await.expect("get");
            rolled_out(&d).then_some(d)
        })
        .await;
    match done {
        Some(d) => d,
        None => panic!(
            "rollout did not complete in 5 virtual minutes: {:#?}",
            deployments.get(APP).await.expect("get").status
        ),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_template_change_makes_the_next_revision_and_rolls_out() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let deployments: Api<Deployment> = c.api("production");
    let rs_api: Api<ReplicaSet> = c.api("production");
    let pods: Api<Pod> = c.api("production");

    let before = deployments.get(APP).await.expect("get");
    let current = revision(&before).expect("the deployment has a revision annotation");
    let old_sets = replica_sets(&rs_api).await;
    let highest = old_sets
        .iter()
        .filter_map(revision)
        .max()
        .expect("replicasets carry revisions");
    assert_eq!(
        current, highest,
        "the deployment's revision is its newest ReplicaSet's"
    );
    assert_eq!(current, 3, "history: 2.0.0, 2.1.0, 2.2.0");

    let image = "registry.local/shop/checkout-service:2.2.1";
    let patch = Patch::Strategic(
        json!({"spec": {"template": {"spec": {"containers": [{"name": APP, "image": image}]}}}}),
    );
    let patched = deployments
        .patch(APP, &PatchParams::default(), &patch)
        .await
        .expect("patch");
    assert_eq!(
        patched.metadata.generation,
        before.metadata.generation.map(|g| g + 1),
        "a template change bumps generation"
    );

    let done = wait_rolled_out(&c, &deployments).await;
    assert_eq!(
        revision(&done),
        Some(current + 1),
        "the deployment moved to revision {}",
        current + 1
    );
    let (status, reason) = condition(&done, "Progressing").expect("Progressing condition");
    assert_eq!(
        (status.as_str(), reason.as_str()),
        ("True", "NewReplicaSetAvailable")
    );

    let sets = replica_sets(&rs_api).await;
    let new: Vec<&ReplicaSet> = sets.iter().filter(|rs| rs_image(rs) == image).collect();
    assert_eq!(new.len(), 1, "exactly one ReplicaSet for the new template");
    let new = new[0];
    assert_eq!(revision(new), Some(current + 1));
    assert!(
        !old_sets
            .iter()
            .any(|o| o.metadata.name == new.metadata.name),
        "the ReplicaSet is new"
    );
    assert_eq!(
        new.metadata.name.clone().unwrap_or_default(),
        format!("{APP}-{}", rs_hash(new)),
        "named <deployment>-<pod-template-hash>"
    );
    assert_eq!(rs_replicas(new), 3);
    for old in sets
        .iter()
        .filter(|rs| rs.metadata.name != new.metadata.name)
    {
        assert_eq!(
            rs_replicas(old),
            0,
            "old ReplicaSet {:?} scaled to zero",
            old.metadata.name
        );
    }
    let live = live_pods(&pods, APP).await;
    assert_eq!(live.len(), 3);
    for p in &live {
        assert_eq!(pod_image(p), image);
        assert!(pod_ready(p), "{:?} is Ready", p.metadata.name);
        let hash = p
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(HASH))
            .cloned();
        assert_eq!(
            hash.as_deref(),
            Some(rs_hash(new).as_str()),
            "pods belong to the new ReplicaSet"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rollback_reuses_the_old_replicaset_as_the_newest_revision() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let deployments: Api<Deployment> = c.api("production");
    let rs_api: Api<ReplicaSet> = c.api("production");
    let pods: Api<Pod> = c.api("production");
    let before_sets = replica_sets(&rs_api).await;
    let current = revision(&deployments.get(APP).await.expect("get")).expect("revision");
    let target = before_sets
        .iter()
        .find(|rs| revision(*rs) == Some(1))
        .expect("revision 1 is kept");
    let target_name = target.metadata.name.clone().expect("name");
    assert!(
        rs_image(target).ends_with(":2.0.0"),
        "revision 1 ran 2.0.0, got {}",
        rs_image(target)
    );

    // What `kubectl rollout undo --to-revision=1` sends (kubectl
    // polymorphichelpers/rollback.go): the ReplicaSet's template without its
    // hash label, and its annotations minus the deployment bookkeeping ones.
    let deployment = json(&deployments.get(APP).await.expect("get"));
    let rs = json(target);
    let mut template = rs["spec"]["template"].clone();
    if let Some(labels) = template["metadata"]["labels"].as_object_mut() {
        labels.remove(HASH);
    }
    let skip = [
        "kubectl.kubernetes.io/last-applied-configuration",
        "deployment.kubernetes.io/revision",
        "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas",
        "deprecated.deployment.rollback.to",
    ];
    let mut annotations = serde_json::Map::new();
    for key in skip {
        if let Some(v) = deployment["metadata"]["annotations"].get(key) {
            annotations.insert(key.into(), v.clone());
        }
    }
    for (k, v) in rs["metadata"]["annotations"]
        .as_object()
        .into_iter()
        .flatten()
    {
        if !skip.contains(&k.as_str()) {
            annotations.insert(k.clone(), v.clone());
        }
    }
    let patch: Value = json!([
        {"op": "replace", "path": "/spec/template", "value": template},
        {"op": "replace", "path": "/metadata/annotations", "value": annotations},
    ]);
    // kube's typed JSON patch needs the `jsonpatch` feature; send the bytes as kubectl does.
    let request = axum::http::Request::builder()
        .method("PATCH")
        .uri(format!(
            "/apis/apps/v1/namespaces/production/deployments/{APP}"
        ))
        .header("content-type", "application/json-patch+json")
        .body(serde_json::to_vec(&patch).expect("bytes"))
        .expect("request");
    let rolled: Deployment = c.client.request(request).await.expect("rollback patch");
    assert_eq!(
        rs_image_of(&rolled),
        rs_image(target),
        "the answer carries revision 1's template"
    );

    let done = wait_rolled_out(&c, &deployments).await;
    let after_sets = replica_sets(&rs_api).await;
    assert_eq!(
        after_sets.len(),
        before_sets.len(),
        "no ReplicaSet was created: {:?}",
        names(&after_sets)
    );
    let reused = after_sets
        .iter()
        .find(|rs| rs.metadata.name.as_deref() == Some(target_name.as_str()))
        .expect("the old ReplicaSet is still there");
    assert_eq!(
        revision(reused),
        Some(current + 1),
        "the reused ReplicaSet is the newest revision"
    );
    assert_eq!(revision(&done), Some(current + 1));
    let history = annotation(reused, "deployment.kubernetes.io/revision-history");
    assert_eq!(
        history.as_deref(),
        Some("1"),
        "the revision it used to be is remembered"
    );
    assert!(
        !after_sets.iter().any(|rs| revision(rs) == Some(1)),
        "revision 1 is gone from the history"
    );
    assert_eq!(
        annotation(&done, "kubernetes.io/change-cause").as_deref(),
        Some("deploy 2.0.0: new payment provider"),
        "the change-cause comes back with the template"
    );
    assert_eq!(rs_replicas(reused), 3);
    let live = live_pods(&pods, APP).await;
    assert_eq!(live.len(), 3);
    assert!(
        live.iter()
            .all(|p| pod_image(p).ends_with(":2.0.0") && pod_ready(p)),
        "2.0.0 serves again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scale_subresource_moves_the_pod_count() {
    // notification-service: checkout-service has an HPA, which (as a real
    // one) would scale a manual change back at its next sync.
    const APP: &str = "notification-service";
    let c = cluster(config(ScenarioName::Calm)).await;
    let deployments: Api<Deployment> = c.api("production");
    let pods: Api<Pod> = c.api("production");

    let scale = deployments.get_scale(APP).await.expect("get scale");
    assert_eq!(scale.spec.as_ref().and_then(|s| s.replicas), Some(2));
    assert_eq!(
        scale
            .status
            .as_ref()
            .and_then(|s| s.selector.clone())
            .as_deref(),
        Some("app=notification-service")
    );

    let up = deployments
        .patch_scale(
            APP,
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"replicas": 5}})),
        )
        .await
        .expect("patch scale");
    assert_eq!(up.spec.as_ref().and_then(|s| s.replicas), Some(5));
    let ready = c
        .advance_until(Duration::from_secs(5), Duration::from_secs(120), || async {
            let live = live_pods(&pods, APP).await;
            (live.len() == 5 && live.iter().all(pod_ready)).then_some(live.len())
        })
        .await;
    assert_eq!(
        ready,
        Some(5),
        "five Ready notification pods after scaling up; have {:?}",
        names(&live_pods(&pods, APP).await)
    );

    let mut scale = deployments.get_scale(APP).await.expect("get scale");
    scale.spec.as_mut().expect("spec").replicas = Some(2);
    let down = deployments
        .replace_scale(APP, &PostParams::default(), &scale)
        .await
        .expect("replace scale");
    assert_eq!(down.spec.as_ref().and_then(|s| s.replicas), Some(2));
    let settled = c
        .advance_until(Duration::from_secs(5), Duration::from_secs(120), || async {
            let all = pods
                .list(&ListParams::default().labels(&format!("app={APP}")))
                .await
                .expect("pods")
                .items;
            let d = deployments.get(APP).await.expect("get");
            (all.len() == 2 && d.status.as_ref().and_then(|s| s.replicas) == Some(2)).then_some(())
        })
        .await;
    assert!(
        settled.is_some(),
        "two pods remain and status.replicas == 2"
    );
    assert_eq!(
        deployments
            .get(APP)
            .await
            .expect("get")
            .spec
            .and_then(|s| s.replicas),
        Some(2)
    );

    // A stale Scale (old resourceVersion) is a conflict, not a lost update.
    let (code, reason, _) = api_error(
        deployments
            .replace_scale(APP, &PostParams::default(), &scale)
            .await,
    );
    assert_eq!((code, reason.as_str()), (409, "Conflict"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_deploy_runs_but_never_becomes_ready() {
    let c = cluster(config(ScenarioName::BadDeploy)).await;
    let deployments: Api<Deployment> = c.api("production");
    let pods: Api<Pod> = c.api("production");
    c.advance(Duration::from_secs(180)).await;

    let live = live_pods(&pods, APP).await;
    let bad: Vec<&Pod> = live
        .iter()
        .filter(|p| pod_image(p).ends_with(":2.3.0"))
        .collect();
    assert!(
        !bad.is_empty(),
        "2.3.0 pods exist after 3 minutes: {:?}",
        live.iter().map(pod_image).collect::<Vec<_>>()
    );
    for p in &bad {
        let name = p.metadata.name.clone().expect("name");
        assert_eq!(pod_phase(p), "Running", "{name} runs");
        assert!(!pod_ready(p), "{name} is not Ready");
        let statuses = p
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.clone())
            .unwrap_or_default();
        assert!(
            statuses
                .iter()
                .all(|s| !s.ready && s.state.as_ref().is_some_and(|st| st.running.is_some())),
            "{name}: running, not ready"
        );
        let log = pods.logs(&name, &LogParams::default()).await.expect("logs");
        assert!(
            log.contains("DATABASE_URL environment variable not set"),
            "{name} says why:\n{log}"
        );
    }
    // The old pods keep serving: maxUnavailable 25% of 3 rounds down to 0.
    let good = live
        .iter()
        .filter(|p| pod_image(p).ends_with(":2.2.0") && pod_ready(p))
        .count();
    assert_eq!(good, 3, "all three 2.2.0 pods stay Ready");

    let d = deployments.get(APP).await.expect("get");
    let status = d.status.clone().expect("status");
    assert_eq!(
        status.updated_replicas,
        Some(1),
        "one surge pod of the new version (maxSurge 25% rounds up to 1)"
    );
    assert_eq!(status.ready_replicas, Some(3));
    assert_eq!(
        annotation(&d, "kubernetes.io/change-cause").as_deref(),
        Some("deploy 2.3.0: read config from env (SHOP-4521)")
    );

    let stuck = c
        .advance_until(
            Duration::from_secs(10),
            Duration::from_secs(360),
            || async {
                let d = deployments.get(APP).await.expect("get");
                condition(&d, "Progressing").filter(|(s, _)| s == "False")
            },
        )
        .await;
    assert_eq!(
        stuck,
        Some(("False".to_string(), "ProgressDeadlineExceeded".to_string())),
        "progressDeadlineSeconds (120) passes without progress"
    );
    let d = deployments.get(APP).await.expect("get");
    let message = d
        .status
        .and_then(|s| s.conditions)
        .and_then(|cs| cs.into_iter().find(|c| c.type_ == "Progressing"))
        .and_then(|c| c.message)
        .unwrap_or_default();
    assert!(message.contains("has timed out progressing"), "{message}");
}
