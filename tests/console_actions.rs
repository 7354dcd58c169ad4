//! The console's actions against the simulated cluster over HTTP, as an
//! engineer on call uses them: roll the bad deploy back to the revision
//! that worked, scale, restart, pause and resume; dry runs that change
//! nothing; refusals in the API server's words for a read-only user; and
//! access reviews that say beforehand what will be refused. Time moves
//! only when a test advances the sim's clock.
//!
//! Not staged here: a 409 Conflict. kubectl (and so `execute`) sends no
//! resourceVersion and no JSON-patch `test` op with any of these patches,
//! so a change made between the GET and the PATCH does not conflict; a
//! 409 can come only from the server itself. Its mapping to
//! `ActionError::Conflict` is unit-tested in `cluster::actions::failure`.

mod common;

use std::time::Duration;

use common::*;
use jiff::Timestamp;
use k8s_openapi::api::apps::v1::{
    ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet,
};
use k8s_openapi::api::core::v1::{Pod, PodTemplateSpec};
use kube::api::{Api, ListParams, Patch, PatchParams};
use serde_json::json;
use warroom::cluster::actions::{execute, review};
use warroom::model::action::{
    Access, AccessCheck, ActionError, ActionKind, ActionOutcome, Mutation, WorkloadRef,
};
use warroom::model::workload::WorkloadKind;
use warroom::sim::ScenarioName;

const APP: &str = "checkout-service";
const NS: &str = "production";

fn checkout() -> WorkloadRef {
    WorkloadRef::new(WorkloadKind::Deployment, NS, APP)
}

fn rollback(target: WorkloadRef, to_revision: i64) -> Mutation {
    Mutation::Rollback {
        target,
        to_revision,
        from_revision: None,
    }
}

fn scale(target: WorkloadRef, replicas: i32) -> Mutation {
    Mutation::Scale {
        target,
        from: 3,
        replicas,
    }
}

async fn run(c: &Cluster, m: &Mutation, dry_run: bool) -> Result<ActionOutcome, ActionError> {
    execute(&c.client, m, dry_run, c.sim.now()).await
}

fn ok(result: Result<ActionOutcome, ActionError>, what: &str) -> ActionOutcome {
    match result {
        Ok(outcome) => outcome,
        Err(e) => panic!("{what} failed: {e} ({e:?})"),
    }
}

async fn replica_sets(c: &Cluster) -> Vec<ReplicaSet> {
    let api: Api<ReplicaSet> = c.api(NS);
    api.list(&ListParams::default().labels(&format!("app={APP}")))
        .await
        .expect("replicasets")
        .items
}

/// A ReplicaSet's template as the Deployment would carry it.
fn without_hash(rs: &ReplicaSet) -> PodTemplateSpec {
    let mut t = rs
        .spec
        .as_ref()
        .and_then(|s| s.template.clone())
        .expect("the ReplicaSet has a template");
    if let Some(labels) = t.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        labels.remove("pod-template-hash");
    }
    t
}

fn template(d: &Deployment) -> PodTemplateSpec {
    d.spec.as_ref().expect("spec").template.clone()
}

fn image(t: &PodTemplateSpec) -> String {
    t.spec
        .as_ref()
        .and_then(|s| s.containers.first())
        .and_then(|c| c.image.clone())
        .unwrap_or_default()
}

fn template_annotation(t: &PodTemplateSpec, key: &str) -> Option<String> {
    t.metadata
        .as_ref()
        .and_then(|m| m.annotations.as_ref())
        .and_then(|a| a.get(key))
        .cloned()
}

/// Writes the test saw in the sim's request log (everything but reads).
fn writes(c: &Cluster) -> Vec<warroom::sim::RequestRecord> {
    c.sim
        .requests()
        .into_iter()
        .filter(|r| !matches!(r.verb.as_str(), "get" | "list" | "watch"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rolling_the_bad_deploy_back_reuses_the_good_replicaset_as_the_next_revision() {
    let c = cluster(config(ScenarioName::BadDeploy)).await;
    let deployments: Api<Deployment> = c.api(NS);
    let pods: Api<Pod> = c.api(NS);
    // 2.3.0 ships at +20s.
    let bad = c
        .advance_until(Duration::from_secs(5), Duration::from_secs(60), || async {
            let d = deployments.get(APP).await.expect("get");
            (revision(&d) == Some(4)).then_some(d)
        })
        .await
        .expect("the bad deploy is revision 4");
    assert!(image(&template(&bad)).ends_with(":2.3.0"));
    let before_sets = replica_sets(&c).await;
    let good = before_sets
        .iter()
        .find(|rs| revision(*rs) == Some(3))
        .expect("revision 3 is kept")
        .clone();
    assert!(image(&without_hash(&good)).ends_with(":2.2.0"));

    let outcome = ok(
        run(&c, &rollback(checkout(), 3), false).await,
        "rollback to 3",
    );
    assert_eq!(
        outcome,
        ActionOutcome {
            message: "deployment.apps/checkout-service rolled back".into(),
            revision_before: Some(4),
            revision_after: None,
        }
    );
    let rolled = deployments.get(APP).await.expect("get");
    assert_eq!(
        template(&rolled),
        without_hash(&good),
        "the Deployment carries revision 3's template"
    );
    assert_eq!(
        annotation(&rolled, "kubernetes.io/change-cause").as_deref(),
        Some("deploy 2.2.0: coupon codes"),
        "the change-cause comes back with the template"
    );

    let done = c
        .advance_until(Duration::from_secs(5), Duration::from_secs(300), || async {
            let d = deployments.get(APP).await.expect("get");
            let live = live_pods(&pods, APP).await;
            let settled = revision(&d) == Some(5)
                && live.len() == 3
                && live
                    .iter()
                    .all(|p| pod_image(p).ends_with(":2.2.0") && pod_ready(p));
            settled.then_some(d)
        })
        .await;
    assert!(
        done.is_some(),
        "revision 5, three Ready 2.2.0 pods; have {:?}",
        live_pods(&pods, APP)
            .await
            .iter()
            .map(pod_image)
            .collect::<Vec<_>>()
    );
    let after_sets = replica_sets(&c).await;
    assert_eq!(
        names(&after_sets),
        names(&before_sets),
        "no ReplicaSet was made"
    );
    let reused = after_sets
        .iter()
        .find(|rs| rs.metadata.name == good.metadata.name)
        .expect("the 2.2.0 ReplicaSet is still there");
    assert_eq!(revision(reused), Some(5), "reused as the newest revision");
    assert!(
        !after_sets.iter().any(|rs| revision(rs) == Some(3)),
        "revision 3 left the history"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rollback_to_the_current_revision_is_skipped_and_zero_means_the_previous_one() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let deployments: Api<Deployment> = c.api(NS);
    c.sim.clear_requests();
    let same = ok(
        run(&c, &rollback(checkout(), 3), false).await,
        "rollback to 3",
    );
    assert_eq!(
        same.message,
        "deployment.apps/checkout-service skipped rollback (current template already matches revision 3)"
    );
    assert_eq!(
        (same.revision_before, same.revision_after),
        (Some(3), Some(3))
    );
    assert!(writes(&c).is_empty(), "nothing written: {:?}", writes(&c));

    // `kubectl rollout undo` without --to-revision: the one before the newest.
    ok(run(&c, &rollback(checkout(), 0), false).await, "undo");
    let d = deployments.get(APP).await.expect("get");
    assert!(
        image(&template(&d)).ends_with(":2.1.0"),
        "{}",
        image(&template(&d))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revision_or_workload_that_does_not_exist_is_not_found() {
    let c = cluster(config(ScenarioName::Calm)).await;
    c.sim.clear_requests();
    assert_eq!(
        run(&c, &rollback(checkout(), 42), false).await,
        Err(ActionError::NotFound(
            "unable to find specified revision 42 in history".into()
        ))
    );
    assert!(writes(&c).is_empty());
    c.sim.clear_requests();
    assert_eq!(
        run(&c, &rollback(checkout(), -1), false).await,
        Err(ActionError::NotFound(
            "unable to find specified revision -1 in history".into()
        ))
    );
    assert!(
        c.sim.requests().is_empty(),
        "a negative revision asks nothing"
    );
    let gone = WorkloadRef::new(WorkloadKind::Deployment, NS, "no-such-service");
    assert_eq!(
        run(&c, &scale(gone.clone(), 2), false).await,
        Err(ActionError::NotFound(
            "deployments.apps \"no-such-service\" not found".into()
        ))
    );
    assert!(matches!(
        run(&c, &Mutation::Restart { target: gone }, false).await,
        Err(ActionError::NotFound(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_runs_are_admitted_but_change_nothing() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let deployments: Api<Deployment> = c.api(NS);
    let before = deployments.get(APP).await.expect("get");
    let cluster_rv = c.sim.resource_version();
    c.sim.clear_requests();

    let mutations = [
        rollback(checkout(), 1),
        scale(checkout(), 5),
        Mutation::Restart { target: checkout() },
        Mutation::Pause { target: checkout() },
    ];
    let expected = ["rolled back", "scaled", "restarted", "paused"];
    for (m, verb) in mutations.iter().zip(expected) {
        let outcome = ok(run(&c, m, true).await, &m.describe());
        assert_eq!(
            outcome.message,
            format!("deployment.apps/checkout-service {verb} (server dry run)")
        );
        assert_eq!(
            outcome.revision_after.filter(|_| verb == "rolled back"),
            None
        );
    }

    let after = deployments.get(APP).await.expect("get");
    assert_eq!(
        after.metadata.resource_version, before.metadata.resource_version,
        "the Deployment's resourceVersion did not move"
    );
    assert_eq!(after.spec, before.spec, "nor its spec");
    assert_eq!(
        c.sim.resource_version(),
        cluster_rv,
        "nothing at all was written"
    );

    let sent = writes(&c);
    assert_eq!(
        sent.len(),
        4,
        "one PATCH per mutation: {:?}",
        sent.iter().map(|r| &r.path).collect::<Vec<_>>()
    );
    for w in &sent {
        assert_eq!(w.verb, "patch");
        assert!(
            w.query.split('&').any(|p| p == "dryRun=All"),
            "{} {} carried dryRun=All: {:?}",
            w.method,
            w.path,
            w.query
        );
    }
    assert!(
        sent.iter()
            .any(|w| w.path.ends_with("/checkout-service/scale")),
        "scale goes through the scale subresource"
    );

    // And no rollout starts from changes that were never made.
    c.advance(Duration::from_secs(20)).await;
    let later = deployments.get(APP).await.expect("get");
    assert_eq!(revision(&later), Some(3));
    assert_eq!(later.spec, before.spec);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scaling_moves_the_pod_count_and_a_negative_count_is_rejected_with_its_field() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let pods: Api<Pod> = c.api(NS);
    // notification-service: checkout-service has an HPA, which (as a real
    // one) would scale a manual change back at its next sync. To 4, and
    // postgres to 2: 14 and then 15 pods, what production-quota allows.
    const APP: &str = "notification-service";
    let notification = || WorkloadRef::new(WorkloadKind::Deployment, NS, APP);
    let outcome = ok(
        run(&c, &scale(notification(), 4), false).await,
        "scale to 4",
    );
    assert_eq!(
        outcome.message,
        "deployment.apps/notification-service scaled"
    );
    let four = c
        .advance_until(Duration::from_secs(5), Duration::from_secs(120), || async {
            let live = live_pods(&pods, APP).await;
            (live.len() == 4 && live.iter().all(pod_ready)).then_some(())
        })
        .await;
    assert!(
        four.is_some(),
        "four Ready pods; have {:?}",
        names(&live_pods(&pods, APP).await)
    );

    match run(&c, &scale(notification(), -1), false).await {
        Err(ActionError::Invalid(text)) => assert!(
            text.contains("spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
            "{text}"
        ),
        other => panic!("expected Invalid, got {other:?}"),
    }
    let deployments: Api<Deployment> = c.api(NS);
    let d = deployments.get(APP).await.expect("get");
    assert_eq!(d.spec.and_then(|s| s.replicas), Some(4));

    // A StatefulSet scales the same way; a DaemonSet has nothing to scale.
    let postgres = WorkloadRef::new(WorkloadKind::StatefulSet, NS, "postgres");
    let outcome = ok(run(&c, &scale(postgres, 2), false).await, "scale postgres");
    assert_eq!(outcome.message, "statefulset.apps/postgres scaled");
    let second = c
        .advance_until(Duration::from_secs(5), Duration::from_secs(120), || async {
            pods.get_opt("postgres-1")
                .await
                .expect("get")
                .filter(pod_ready)
        })
        .await;
    assert!(second.is_some(), "postgres-1 runs and is Ready");
    let agent = WorkloadRef::new(WorkloadKind::DaemonSet, "monitoring", "node-agent");
    assert_eq!(
        run(&c, &scale(agent, 2), false).await,
        Err(ActionError::Failed(
            "a DaemonSet has no replicas: it runs one pod per node".into()
        ))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_stamps_the_given_time_and_rolls_a_new_revision() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let deployments: Api<Deployment> = c.api(NS);
    let pods: Api<Pod> = c.api(NS);
    let old_pods = names(&live_pods(&pods, APP).await);
    // Not the sim's clock, not the wall clock: the `now` the caller gave.
    let now: Timestamp = "2026-03-02T09:30:15.750Z".parse().expect("time");
    let outcome = execute(
        &c.client,
        &Mutation::Restart { target: checkout() },
        false,
        now,
    )
    .await
    .expect("restart");
    assert_eq!(
        outcome.message,
        "deployment.apps/checkout-service restarted"
    );
    assert_eq!(outcome.revision_before, Some(3));
    let d = deployments.get(APP).await.expect("get");
    assert_eq!(
        template_annotation(&template(&d), "kubectl.kubernetes.io/restartedAt").as_deref(),
        Some("2026-03-02T09:30:15Z")
    );

    let done = c
        .advance_until(Duration::from_secs(5), Duration::from_secs(300), || async {
            let d = deployments.get(APP).await.expect("get");
            let live = live_pods(&pods, APP).await;
            let fresh = live.len() == 3
                && live.iter().all(|p| {
                    pod_ready(p) && !old_pods.contains(&p.metadata.name.clone().unwrap_or_default())
                });
            (revision(&d) == Some(4) && fresh).then_some(())
        })
        .await;
    assert!(done.is_some(), "revision 4 with three new Ready pods");
    let newest = replica_sets(&c)
        .await
        .into_iter()
        .find(|rs| revision(rs) == Some(4))
        .expect("a ReplicaSet for revision 4");
    assert_eq!(
        template_annotation(&without_hash(&newest), "kubectl.kubernetes.io/restartedAt").as_deref(),
        Some("2026-03-02T09:30:15Z")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pause_and_resume_and_what_a_paused_deployment_refuses() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let deployments: Api<Deployment> = c.api(NS);
    let paused = |d: &Deployment| d.spec.as_ref().and_then(|s| s.paused) == Some(true);

    let outcome = ok(
        run(&c, &Mutation::Pause { target: checkout() }, false).await,
        "pause",
    );
    assert_eq!(outcome.message, "deployment.apps/checkout-service paused");
    assert!(paused(&deployments.get(APP).await.expect("get")));

    c.sim.clear_requests();
    let again = ok(
        run(&c, &Mutation::Pause { target: checkout() }, false).await,
        "pause again",
    );
    assert_eq!(
        again.message,
        "deployment.apps/checkout-service is already paused"
    );
    assert!(writes(&c).is_empty(), "nothing to write");

    match run(&c, &rollback(checkout(), 1), false).await {
        Err(ActionError::Failed(text)) => assert_eq!(
            text,
            "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/checkout-service' and try again"
        ),
        other => panic!("expected the paused refusal, got {other:?}"),
    }
    assert_eq!(
        run(&c, &Mutation::Restart { target: checkout() }, false).await,
        Err(ActionError::Failed(
            "deployments.apps \"checkout-service\" can't restart paused deployment (run rollout resume first)".into()
        ))
    );
    assert!(writes(&c).is_empty(), "refusals write nothing");

    let resumed = ok(
        run(&c, &Mutation::Resume { target: checkout() }, false).await,
        "resume",
    );
    assert_eq!(resumed.message, "deployment.apps/checkout-service resumed");
    assert!(!paused(&deployments.get(APP).await.expect("get")));
    let again = ok(
        run(&c, &Mutation::Resume { target: checkout() }, false).await,
        "resume again",
    );
    assert_eq!(
        again.message,
        "deployment.apps/checkout-service is not paused"
    );

    let postgres = WorkloadRef::new(WorkloadKind::StatefulSet, NS, "postgres");
    assert!(matches!(
        run(&c, &Mutation::Pause { target: postgres }, false).await,
        Err(ActionError::Failed(text)) if text.contains("pausing is not supported")
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_statefulset_rolls_back_to_its_controller_revision() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let sets: Api<StatefulSet> = c.api(NS);
    let revisions: Api<ControllerRevision> = c.api(NS);
    let postgres = WorkloadRef::new(WorkloadKind::StatefulSet, NS, "postgres");
    let sts_image = |s: &StatefulSet| image(&s.spec.as_ref().expect("spec").template);
    let numbers = || async {
        let mut n: Vec<i64> = revisions
            .list(&ListParams::default().labels("app=postgres"))
            .await
            .expect("controllerrevisions")
            .items
            .iter()
            .map(|r| r.revision)
            .collect();
        n.sort();
        n
    };
    assert_eq!(numbers().await, [1]);
    sets.patch(
        "postgres",
        &PatchParams::default(),
        &Patch::Strategic(json!({"spec": {"template": {"spec": {"containers": [
            {"name": "postgres", "image": "postgres:16.5"}]}}}})),
    )
    .await
    .expect("upgrade");
    let two = c
        .advance_until(Duration::from_secs(5), Duration::from_secs(60), || async {
            let n = numbers().await;
            (n == [1, 2]).then_some(n)
        })
        .await;
    assert!(
        two.is_some(),
        "the upgrade is revision 2: {:?}",
        numbers().await
    );

    let outcome = ok(
        run(&c, &rollback(postgres.clone(), 1), false).await,
        "rollback",
    );
    assert_eq!(
        outcome,
        ActionOutcome {
            message: "statefulset.apps/postgres rolled back".into(),
            revision_before: Some(2),
            revision_after: None,
        }
    );
    assert_eq!(
        sts_image(&sets.get("postgres").await.expect("get")),
        "postgres:16.4"
    );
    let renumbered = c
        .advance_until(Duration::from_secs(5), Duration::from_secs(60), || async {
            let n = numbers().await;
            (n == [2, 3]).then_some(n)
        })
        .await;
    assert!(
        renumbered.is_some(),
        "revision 1 comes back as 3: {:?}",
        numbers().await
    );
    let same = ok(
        run(&c, &rollback(postgres.clone(), 3), false).await,
        "rollback to 3",
    );
    assert_eq!(
        same.message,
        "statefulset.apps/postgres skipped rollback (current template already matches revision 3)"
    );
    assert_eq!(
        run(&c, &rollback(postgres, 1), false).await,
        Err(ActionError::NotFound(
            "unable to find specified revision 1 in history".into()
        ))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_daemonset_restart_is_undone_by_rolling_back_to_revision_one() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let sets: Api<DaemonSet> = c.api("monitoring");
    let agent = WorkloadRef::new(WorkloadKind::DaemonSet, "monitoring", "node-agent");
    let stamp = |d: &DaemonSet| {
        template_annotation(
            &d.spec.as_ref().expect("spec").template,
            "kubectl.kubernetes.io/restartedAt",
        )
    };
    let restarted = ok(
        run(
            &c,
            &Mutation::Restart {
                target: agent.clone(),
            },
            false,
        )
        .await,
        "restart",
    );
    assert_eq!(restarted.message, "daemonset.apps/node-agent restarted");
    assert!(stamp(&sets.get("node-agent").await.expect("get")).is_some());
    c.advance(Duration::from_secs(10)).await;

    let dry = ok(
        run(&c, &rollback(agent.clone(), 1), true).await,
        "dry rollback",
    );
    assert_eq!(
        dry.message,
        "daemonset.apps/node-agent rolled back (server dry run)"
    );
    assert!(
        stamp(&sets.get("node-agent").await.expect("get")).is_some(),
        "dry run"
    );

    let outcome = ok(run(&c, &rollback(agent, 1), false).await, "rollback");
    assert_eq!(outcome.message, "daemonset.apps/node-agent rolled back");
    assert_eq!(outcome.revision_before, Some(2));
    assert_eq!(
        stamp(&sets.get("node-agent").await.expect("get")),
        None,
        "revision 1's template replaced the restarted one ($patch: replace)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_read_only_user_is_refused_in_the_servers_words_and_reviews_say_so_first() {
    let mut cfg = config(ScenarioName::Calm);
    cfg.readonly_user = true;
    let c = cluster(cfg).await;
    let before = c.sim.object("deployments", NS, APP);

    let kinds = [
        ActionKind::Rollback,
        ActionKind::Scale,
        ActionKind::Restart,
        ActionKind::Pause,
        ActionKind::Resume,
    ];
    let answers = review(
        &c.client,
        &kinds
            .iter()
            .map(|k| k.access(&checkout()))
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(answers.len(), kinds.len());
    for (kind, answer) in kinds.iter().zip(&answers) {
        match answer {
            Access::Denied(why) => assert!(why.contains("read-only"), "{kind:?}: {why}"),
            other => panic!("{kind:?}: expected Denied, got {other:?}"),
        }
    }
    let reads: Vec<AccessCheck> = ["get", "list", "watch"]
        .into_iter()
        .map(|verb| AccessCheck {
            verb,
            ..ActionKind::Restart.access(&checkout())
        })
        .collect();
    assert_eq!(review(&c.client, &reads).await, vec![Access::Allowed; 3]);
    // Answers come back in the order asked, whatever order they finish in.
    let mixed = [
        reads[0].clone(),
        ActionKind::Scale.access(&checkout()),
        reads[1].clone(),
        ActionKind::Pause.access(&checkout()),
    ];
    let answers = review(&c.client, &mixed).await;
    assert_eq!(
        answers
            .iter()
            .map(|a| matches!(a, Access::Allowed))
            .collect::<Vec<_>>(),
        [true, false, true, false],
        "{answers:?}"
    );

    for (m, sub) in [
        (rollback(checkout(), 1), "deployments"),
        (scale(checkout(), 5), "deployments/scale"),
        (Mutation::Restart { target: checkout() }, "deployments"),
        (Mutation::Pause { target: checkout() }, "deployments"),
    ] {
        for dry_run in [false, true] {
            match run(&c, &m, dry_run).await {
                Err(ActionError::Forbidden(text)) => assert!(
                    text.contains(&format!(
                        "is forbidden: User \"warroom-viewer\" cannot patch resource \"{sub}\" in API group \"apps\" in the namespace \"production\""
                    )),
                    "{} (dry run: {dry_run}): the server's words, got {text}",
                    m.describe()
                ),
                other => panic!(
                    "{} (dry run: {dry_run}): expected Forbidden, got {other:?}",
                    m.describe()
                ),
            }
        }
    }
    // Resuming a Deployment that is not paused writes nothing, so nothing is refused.
    assert_eq!(
        ok(
            run(&c, &Mutation::Resume { target: checkout() }, false).await,
            "resume"
        )
        .message,
        "deployment.apps/checkout-service is not paused"
    );
    assert_eq!(
        c.sim.object("deployments", NS, APP),
        before,
        "nothing changed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_normal_user_may_do_everything_the_console_offers() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let postgres = WorkloadRef::new(WorkloadKind::StatefulSet, NS, "postgres");
    let checks: Vec<AccessCheck> = ActionKind::ALL
        .iter()
        .map(|k| k.access(&checkout()))
        .chain([ActionKind::Scale.access(&postgres)])
        .collect();
    assert_eq!(
        review(&c.client, &checks).await,
        vec![Access::Allowed; checks.len()]
    );
    assert_eq!(review(&c.client, &[]).await, vec![]);
}
