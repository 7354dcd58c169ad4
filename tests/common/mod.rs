//! Shared set-up for the integration tests that talk HTTP to the simulated
//! cluster: a sim with a fixed start time and seed (so every run tells the
//! same story), a kube-rs client pointed at it, and a clock the test moves.

// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

pub mod alertmanager;
pub mod kubectl;
pub mod pty;

use std::future::Future;
use std::time::Duration;

use jiff::Timestamp;
use kube::api::{Api, ListParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use serde_json::Value;
use warroom::sim::{Running, ScenarioName, Sim, SimConfig};

/// Virtual time at which every test cluster starts.
pub const START: &str = "2026-03-02T09:00:00Z";
pub const SEED: u64 = 7;

pub fn start_time() -> Timestamp {
    START.parse().expect("START is a valid timestamp")
}

/// A sim config with a fixed start and seed; the clock only moves when the test says so.
pub fn config(scenario: ScenarioName) -> SimConfig {
    SimConfig {
        scenario,
        seed: SEED,
        start: Some(start_time()),
        speed: 0.0,
        ..SimConfig::default()
    }
}

/// A running sim, its server and a client talking to it.
pub struct Cluster {
    pub sim: Sim,
    pub running: Running,
    pub client: Client,
}

impl Cluster {
    pub fn url(&self) -> String {
        self.running.url()
    }

    pub fn api<K>(&self, namespace: &str) -> Api<K>
    where
        K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>,
        <K as kube::Resource>::DynamicType: Default,
    {
        Api::namespaced(self.client.clone(), namespace)
    }

    /// Moves the virtual clock, off the async worker threads (the world lock is a std mutex).
    pub async fn advance(&self, d: Duration) {
        advance(&self.sim, d).await;
    }

    /// Advances the clock `step` at a time until `check` holds or `limit` of
    /// virtual time has passed. Returns the last value `check` produced.
    pub async fn advance_until<T, F, Fut>(
        &self,
        step: Duration,
        limit: Duration,
        mut check: F,
    ) -> Option<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let mut waited = Duration::ZERO;
        loop {
            if let Some(v) = check().await {
                return Some(v);
            }
            if waited >= limit {
                return None;
            }
            self.advance(step).await;
            waited += step;
        }
    }
}

/// The sim's virtual clock, for the console's `Clock` parameters.
pub fn sim_clock(sim: &Sim) -> warroom::model::Clock {
    let sim = sim.clone();
    std::sync::Arc::new(move || sim.now())
}

pub async fn advance(sim: &Sim, d: Duration) {
    let sim = sim.clone();
    tokio::task::spawn_blocking(move || sim.advance(d))
        .await
        .expect("advance did not panic");
}

/// Builds the sim (which plays its two hours of history) off the async threads.
pub async fn build(cfg: SimConfig) -> Sim {
    tokio::task::spawn_blocking(move || Sim::new(cfg))
        .await
        .expect("Sim::new did not panic")
}

/// A sim serving on loopback, with a kube-rs client built from `Config::new(url)`.
pub async fn cluster(cfg: SimConfig) -> Cluster {
    let sim = build(cfg).await;
    let running = sim
        .start_background()
        .await
        .expect("sim listens on loopback");
    let client = plain_client(&running.url());
    Cluster {
        sim,
        running,
        client,
    }
}

/// A client with no credentials at all, default namespace "default".
pub fn plain_client(url: &str) -> Client {
    let config = Config::new(url.parse().expect("sim URL parses"));
    Client::try_from(config).expect("client builds")
}

/// A client built from the kubeconfig `warroom sim serve` would write.
pub async fn kubeconfig_client(url: &str, token: Option<&str>) -> Client {
    let text = warroom::sim::kubeconfig::render(url, token, "production");
    let kubeconfig = Kubeconfig::from_yaml(&text).expect("the sim's kubeconfig parses");
    let config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .expect("the sim's kubeconfig makes a client config");
    Client::try_from(config).expect("client builds")
}

/// `(code, reason, message)` of an API error, or a panic naming what happened instead.
pub fn api_error<T: std::fmt::Debug>(result: Result<T, kube::Error>) -> (u16, String, String) {
    match result {
        Err(kube::Error::Api(status)) => {
            (status.code, status.reason.clone(), status.message.clone())
        }
        other => panic!("expected an API error status, got {other:?}"),
    }
}

/// A typed object as JSON, for assertions on fields the typed API makes awkward.
pub fn json<T: serde::Serialize>(obj: &T) -> Value {
    serde_json::to_value(obj).expect("serializes")
}

/// `metadata.annotations[key]` of any object.
pub fn annotation<K: kube::Resource>(obj: &K, key: &str) -> Option<String> {
    obj.meta()
        .annotations
        .as_ref()
        .and_then(|a| a.get(key))
        .cloned()
}

pub fn revision<K: kube::Resource>(obj: &K) -> Option<i64> {
    annotation(obj, "deployment.kubernetes.io/revision").and_then(|r| r.parse().ok())
}

/// Names of a list's items, in order.
pub fn names<K: kube::Resource>(items: &[K]) -> Vec<String> {
    items
        .iter()
        .map(|o| o.meta().name.clone().unwrap_or_default())
        .collect()
}

/// Pods of an app in a namespace that are not being deleted.
pub async fn live_pods(
    api: &Api<k8s_openapi::api::core::v1::Pod>,
    app: &str,
) -> Vec<k8s_openapi::api::core::v1::Pod> {
    api.list(&ListParams::default().labels(&format!("app={app}")))
        .await
        .expect("pods list")
        .items
        .into_iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .collect()
}

pub fn pod_ready(pod: &k8s_openapi::api::core::v1::Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

pub fn pod_phase(pod: &k8s_openapi::api::core::v1::Pod) -> String {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_default()
}

pub fn pod_image(pod: &k8s_openapi::api::core::v1::Pod) -> String {
    pod.spec
        .as_ref()
        .and_then(|s| s.containers.first())
        .and_then(|c| c.image.clone())
        .unwrap_or_default()
}

/// Waits (real time) for the next item of a stream, failing the test after `secs`.
pub async fn next_within<S, T>(stream: &mut S, secs: u64, what: &str) -> Option<T>
where
    S: futures::Stream<Item = T> + Unpin,
{
    use futures::StreamExt;
    match tokio::time::timeout(Duration::from_secs(secs), stream.next()).await {
        Ok(item) => item,
        Err(_) => panic!("timed out after {secs}s waiting for {what}"),
    }
}
