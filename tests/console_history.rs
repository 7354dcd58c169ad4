//! The history pane's loader against the simulated cluster over HTTP: the
//! checkout-service's releases from its ReplicaSets with their
//! change-causes, the bad deploy's diff in words (2.3.0 and no
//! DATABASE_URL), postgres and the node agent from their
//! ControllerRevisions, and refusals as one sentence naming the workload.

mod common;

use std::time::Duration;

use common::*;
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use kube::api::{Api, Patch, PatchParams};
use serde_json::json;
use warroom::cluster::load_history;
use warroom::model::action::WorkloadRef;
use warroom::model::history::History;
use warroom::model::template_diff::{DiffLine, diff};
use warroom::model::workload::WorkloadKind;
use warroom::sim::ScenarioName;

const APP: &str = "checkout-service";
const IMAGE: &str = "registry.local/shop/checkout-service";

fn checkout() -> WorkloadRef {
    WorkloadRef::new(WorkloadKind::Deployment, "production", APP)
}

fn postgres() -> WorkloadRef {
    WorkloadRef::new(WorkloadKind::StatefulSet, "production", "postgres")
}

async fn history(c: &Cluster, target: &WorkloadRef) -> History {
    match load_history(&c.client, target).await {
        Ok(h) => h,
        Err(e) => panic!("history of {target}: {e}"),
    }
}

/// (number, current) of each revision, newest first.
fn numbers(h: &History) -> Vec<(i64, bool)> {
    h.revisions.iter().map(|r| (r.number, r.current)).collect()
}

fn causes(h: &History) -> Vec<&str> {
    h.revisions
        .iter()
        .map(|r| r.change_cause.as_deref().unwrap_or("-"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_calm_checkout_lists_its_three_releases_with_their_causes() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let h = history(&c, &checkout()).await;
    assert_eq!(h.target, checkout());
    assert_eq!(numbers(&h), [(3, true), (2, false), (1, false)]);
    assert_eq!(
        causes(&h),
        [
            "deploy 2.2.0: coupon codes",
            "deploy 2.1.0: faster cart totals",
            "deploy 2.0.0: new payment provider"
        ]
    );
    let images: Vec<&[String]> = h.revisions.iter().map(|r| r.images.as_slice()).collect();
    assert_eq!(
        images,
        [
            [format!("{APP}={IMAGE}:2.2.0")],
            [format!("{APP}={IMAGE}:2.1.0")],
            [format!("{APP}={IMAGE}:2.0.0")]
        ]
    );
    // The running revision has the pods; the old ones are scaled to zero.
    let counts: Vec<_> = h.revisions.iter().map(|r| (r.ready, r.desired)).collect();
    assert_eq!(
        counts,
        [(Some(3), Some(3)), (Some(0), Some(0)), (Some(0), Some(0))]
    );
    // Only production's ReplicaSets: staging runs a deployment of the same name.
    let deployment: Deployment = c.api("production").get(APP).await.expect("get");
    let uid = deployment.metadata.uid.clone().expect("uid");
    for r in &h.revisions {
        assert!(r.name.starts_with("checkout-service-"), "{}", r.name);
        assert!(r.created.is_some(), "{} has a creation time", r.name);
        assert_eq!(
            r.template["metadata"]["labels"].get("pod-template-hash"),
            None
        );
    }
    let sets: Api<k8s_openapi::api::apps::v1::ReplicaSet> = c.api("production");
    for r in &h.revisions {
        let rs = sets.get(&r.name).await.expect("the revision's ReplicaSet");
        let owners = rs.metadata.owner_references.unwrap_or_default();
        assert!(owners.iter().any(|o| o.uid == uid), "{} is owned", r.name);
    }
    // The running template is the deployment's own.
    let own = json(&deployment.spec.expect("spec").template);
    assert!(diff(&h.revisions[0].template, &own).is_empty());

    // An ordinary release in words: only the image moved.
    let d = diff(&h.revisions[1].template, &h.revisions[0].template);
    assert_eq!(d.summary, ["image checkout-service: 2.1.0 → 2.2.0"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bad_deploy_diff_says_new_image_and_database_url_removed() {
    let c = cluster(config(ScenarioName::BadDeploy)).await;
    let deployments: Api<Deployment> = c.api("production");
    let deployed = c
        .advance_until(Duration::from_secs(5), Duration::from_secs(60), || async {
            let d = deployments.get(APP).await.expect("get");
            (revision(&d) == Some(4)).then_some(d)
        })
        .await;
    assert!(deployed.is_some(), "2.3.0 ships within a virtual minute");
    // Let the new pods start (and fail their readiness probe).
    c.advance(Duration::from_secs(30)).await;

    let h = history(&c, &checkout()).await;
    assert_eq!(numbers(&h), [(4, true), (3, false), (2, false), (1, false)]);
    let new = &h.revisions[0];
    assert_eq!(
        new.change_cause.as_deref(),
        Some("deploy 2.3.0: read config from env (SHOP-4521)")
    );
    assert_eq!(new.images, [format!("{APP}={IMAGE}:2.3.0")]);
    assert_eq!(new.ready, Some(0), "2.3.0's pods never get Ready");
    let old = &h.revisions[1];
    assert_eq!(old.images, [format!("{APP}={IMAGE}:2.2.0")]);
    assert!(
        old.ready.is_some_and(|r| r > 0),
        "2.2.0 still serves: {:?}",
        old.ready
    );

    // What a rollback to 3 would undo, as the confirmation shows it.
    let d = diff(&old.template, &new.template);
    assert_eq!(
        d.summary,
        [
            "image checkout-service: 2.2.0 → 2.3.0",
            "env DATABASE_URL removed from checkout-service"
        ]
    );
    let removed: Vec<&str> = d
        .lines
        .iter()
        .filter_map(|l| match l {
            DiffLine::Removed(s) => Some(s.trim()),
            _ => None,
        })
        .collect();
    let added: Vec<&str> = d
        .lines
        .iter()
        .filter_map(|l| match l {
            DiffLine::Added(s) => Some(s.trim()),
            _ => None,
        })
        .collect();
    assert!(removed.contains(&"- name: DATABASE_URL"), "{removed:?}");
    assert!(
        removed.contains(&format!("image: {IMAGE}:2.2.0").as_str()),
        "{removed:?}"
    );
    assert_eq!(added, [format!("image: {IMAGE}:2.3.0")]);
    assert!(matches!(d.lines.first(), Some(DiffLine::Hunk(_))));
    for line in &d.lines {
        let text = format!("{line:?}");
        assert!(
            !text.contains("postgres://"),
            "the database URL shows: {text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_and_the_node_agent_come_from_their_controller_revisions() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let h = history(&c, &postgres()).await;
    assert_eq!(h.target, postgres());
    assert_eq!(numbers(&h), [(1, true)], "postgres never changed");
    let r = &h.revisions[0];
    assert!(r.name.starts_with("postgres-"), "{}", r.name);
    assert_eq!(r.images, ["postgres=postgres:16.4"]);
    assert_eq!((r.ready, r.desired), (None, None));
    assert_eq!(r.template.get("$patch"), None);
    assert_eq!(r.template["metadata"]["labels"], json!({"app": "postgres"}));
    let set: StatefulSet = c.api("production").get("postgres").await.expect("get");
    let update = set.status.and_then(|s| s.update_revision);
    assert_eq!(update.as_deref(), Some(r.name.as_str()));

    // A new image: a second revision, current once the controller saw it.
    let sets: Api<StatefulSet> = c.api("production");
    let patch = json!({
        "metadata": {"annotations": {"kubernetes.io/change-cause": "postgres 16.5"}},
        "spec": {"template": {"spec": {"containers": [{"name": "postgres", "image": "postgres:16.5"}]}}}
    });
    sets.patch(
        "postgres",
        &PatchParams::default(),
        &Patch::Strategic(patch),
    )
    .await
    .expect("patch");
    let h = c
        .advance_until(Duration::from_secs(1), Duration::from_secs(60), || async {
            let h = history(&c, &postgres()).await;
            (h.revisions.len() == 2).then_some(h)
        })
        .await
        .expect("a second revision within a virtual minute");
    assert_eq!(numbers(&h), [(2, true), (1, false)]);
    assert_eq!(causes(&h), ["postgres 16.5", "-"]);
    let d = diff(&h.revisions[1].template, &h.revisions[0].template);
    assert_eq!(d.summary, ["image postgres: 16.4 → 16.5"]);

    // The DaemonSet's status names no revision: its highest is current.
    let agent = WorkloadRef::new(WorkloadKind::DaemonSet, "monitoring", "node-agent");
    let h = history(&c, &agent).await;
    assert_eq!(numbers(&h), [(1, true)]);
    assert_eq!(
        h.revisions[0].images,
        ["node-agent=registry.local/ops/node-agent:0.9.3"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlapping_selectors_do_not_mix_histories() {
    // A canary whose pods carry app=checkout-service too, selected with a
    // matchExpression: its history is listed without a label selector and
    // kept by owner; checkout-service's selector matches the canary's
    // ReplicaSet, which its owner filter leaves out.
    let c = cluster(config(ScenarioName::Calm)).await;
    let deployments: Api<Deployment> = c.api("production");
    let canary: Deployment = serde_json::from_value(json!({
        "metadata": {"name": "checkout-canary", "namespace": "production",
            "annotations": {"kubernetes.io/change-cause": "canary 2.3.0-rc1"}},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": APP},
                "matchExpressions": [{"key": "track", "operator": "In", "values": ["canary"]}]},
            "template": {"metadata": {"labels": {"app": APP, "track": "canary"}},
                "spec": {"containers": [{"name": APP, "image": format!("{IMAGE}:2.3.0-rc1")}]}}
        }
    }))
    .expect("a valid Deployment");
    deployments
        .create(&Default::default(), &canary)
        .await
        .expect("create the canary");
    let target = WorkloadRef::new(WorkloadKind::Deployment, "production", "checkout-canary");
    let h = c
        .advance_until(Duration::from_secs(1), Duration::from_secs(30), || async {
            let h = history(&c, &target).await;
            (!h.revisions.is_empty()).then_some(h)
        })
        .await
        .expect("the canary's ReplicaSet within 30 virtual seconds");
    assert_eq!(numbers(&h), [(1, true)]);
    assert_eq!(causes(&h), ["canary 2.3.0-rc1"]);
    assert_eq!(h.revisions[0].images, [format!("{APP}={IMAGE}:2.3.0-rc1")]);

    let main = history(&c, &checkout()).await;
    assert_eq!(numbers(&main), [(3, true), (2, false), (1, false)]);
    assert!(
        main.revisions
            .iter()
            .all(|r| !r.name.starts_with("checkout-canary")),
        "{:?}",
        main.revisions.iter().map(|r| &r.name).collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_are_one_sentence_naming_the_workload() {
    let mut cfg = config(ScenarioName::Calm);
    cfg.faults = "forbid=replicasets.apps+controllerrevisions.apps"
        .parse()
        .expect("valid faults");
    let c = cluster(cfg).await;
    assert_eq!(
        load_history(&c.client, &checkout()).await,
        Err(
            "cannot read the history of Deployment production/checkout-service: \
             403 Forbidden: user \"warroom-admin\" cannot list replicasets in namespace production"
                .to_string()
        )
    );
    assert_eq!(
        load_history(&c.client, &postgres()).await,
        Err("cannot read the history of StatefulSet production/postgres: \
             403 Forbidden: user \"warroom-admin\" cannot list controllerrevisions in namespace production"
            .to_string())
    );
    let missing = WorkloadRef::new(WorkloadKind::Deployment, "production", "no-such-app");
    assert_eq!(
        load_history(&c.client, &missing).await,
        Err(
            "cannot read the history of Deployment production/no-such-app: \
             404 Not Found: deployments.apps \"no-such-app\" not found"
                .to_string()
        )
    );
}
