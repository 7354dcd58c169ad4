//! Faults on demand: what clients meet when the API server misbehaves —
//! 500s, slow answers — and that kube-rs's watcher rides through them.

mod common;

use std::time::{Duration, Instant};

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams};
use kube::runtime::{WatchStreamExt, reflector, watcher};
use warroom::sim::ScenarioName;

use common::{api_error, cluster, config};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_failing_answers_500_with_a_status() {
    let mut cfg = config(ScenarioName::Calm);
    cfg.faults = "error-rate=1".parse().expect("valid faults");
    let c = cluster(cfg).await;
    let pods: Api<Pod> = Api::all(c.client.clone());
    let (code, reason, message) = api_error(pods.list(&ListParams::default()).await);
    assert_eq!((code, reason.as_str()), (500, "InternalError"));
    assert!(message.contains("injected fault"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latency_delays_every_answer() {
    let mut cfg = config(ScenarioName::Calm);
    cfg.faults = "latency=300ms".parse().expect("valid faults");
    let c = cluster(cfg).await;
    let pods: Api<Pod> = Api::namespaced(c.client.clone(), "production");
    let t = Instant::now();
    let list = pods.list(&ListParams::default()).await.expect("list");
    assert!(!list.items.is_empty());
    assert!(
        t.elapsed() >= Duration::from_millis(300),
        "answered after {:?}",
        t.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watcher_with_backoff_converges_through_a_third_of_requests_failing() {
    let mut cfg = config(ScenarioName::Calm);
    cfg.faults = "error-rate=0.3,drop-watch=1s"
        .parse()
        .expect("valid faults");
    let c = cluster(cfg).await;
    let want = c.sim.objects("pods", Some("production")).len();
    let pods: Api<Pod> = Api::namespaced(c.client.clone(), "production");
    let (reader, writer) = reflector::store();
    let stream = watcher(pods, watcher::Config::default())
        .default_backoff()
        .reflect(writer)
        .applied_objects();
    let task = tokio::spawn(stream.for_each(|_| async {}));
    let seen = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            if reader.state().len() == want {
                return reader.state().len();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the reflector fills despite failures");
    assert_eq!(seen, want);
    // A change made while watches keep dropping still arrives.
    let before = c.sim.objects("pods", Some("production")).len();
    c.sim.expire_resource_versions();
    let victim = c.sim.objects("pods", Some("production"))[0]["metadata"]["name"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let api: Api<Pod> = Api::namespaced(c.client.clone(), "production");
    let mut deleted = false;
    for _ in 0..20 {
        if api.delete(&victim, &Default::default()).await.is_ok() {
            deleted = true;
            break;
        }
    }
    assert!(deleted, "delete goes through within 20 tries at 30% errors");
    c.advance(Duration::from_secs(10)).await;
    let gone = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            if reader
                .state()
                .iter()
                .all(|p| p.metadata.name.as_deref() != Some(victim.as_str()))
            {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .unwrap_or(false);
    assert!(
        gone,
        "the deleted pod leaves the reflector ({before} pods before)"
    );
    task.abort();
}
