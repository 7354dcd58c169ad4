//! The simulated cluster: a real HTTP server on loopback that speaks the
//! Kubernetes API well enough for kube-rs and kubectl, with controllers, a
//! kubelet and scripted incidents running on a virtual clock.
//!
//! [`Sim`] is the handle: build one from a [`SimConfig`], [`Sim::serve`] it on a
//! socket, and drive its clock with [`Sim::advance`] (tests) or
//! [`Sim::run_clock`] (`warroom sim serve`, `warroom demo`).
//!
//! Three layers, each importing only the ones below it:
//! - `api/`: HTTP — routing, discovery, the verbs, watches, patches,
//!   Tables, protobuf, logs and metrics endpoints, faults at the edge;
//! - `cluster/`: the `World` and what runs in it — controllers, kubelet,
//!   events, scenarios, on the virtual clock;
//! - `store/`: objects as JSON documents, resourceVersions, change history,
//!   selectors, the kinds served, Status errors, defaulting and validation.
//!
//! Only this file's items and re-exports are public; the layers are not.

mod api;
mod cluster;
mod store;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::Notify;

pub use api::RequestRecord;
pub use api::faults::Faults;
pub use api::kubeconfig;
pub use api::tls::Certificates;
use api::{Shared, lock};
use cluster::World;
pub use cluster::scenario::ScenarioName;

/// The sim's seeded random source, which tests and benchmarks elsewhere in
/// the crate borrow for reproducible data.
pub mod rng {
    pub use super::cluster::rng::Rng;
}

/// Everything `warroom sim serve` and the tests can choose.
#[derive(Debug, Clone)]
pub struct SimConfig {
    pub scenario: ScenarioName,
    /// Pods for the `scale` scenario.
    pub pods: usize,
    pub seed: u64,
    /// Virtual seconds per real second when the clock runs by itself.
    pub speed: f64,
    /// A bearer token every request must carry.
    pub token: Option<String>,
    /// Every mutating verb is refused with 403.
    pub readonly_user: bool,
    pub faults: Faults,
    /// Virtual time at start; `None` means the wall clock now.
    pub start: Option<Timestamp>,
    /// How many changes watches can resume from before `410 Gone`.
    pub history_limit: usize,
}

impl Default for SimConfig {
    fn default() -> SimConfig {
        SimConfig {
            scenario: ScenarioName::Calm,
            pods: 10_000,
            seed: 1,
            speed: 1.0,
            token: None,
            readonly_user: false,
            faults: Faults::default(),
            start: None,
            history_limit: 10_000,
        }
    }
}

/// A running simulated cluster. Cheap to clone; all clones are the same cluster.
#[derive(Clone)]
pub struct Sim {
    shared: Arc<Shared>,
    /// Virtual seconds per real second for [`Sim::run_clock`].
    speed: f64,
}

impl Sim {
    /// Builds the cluster and plays its scenario's set-up. The clock does not
    /// move until [`Sim::advance`] or [`Sim::run_clock`].
    pub fn new(config: SimConfig) -> Sim {
        let start = config.start.unwrap_or_else(|| {
            // Whole seconds, like every timestamp the API shows.
            Timestamp::from_second(Timestamp::now().as_second()).unwrap_or(Timestamp::UNIX_EPOCH)
        });
        let mut world = World::new(config.seed, start, config.history_limit);
        cluster::set_up(&mut world, config.scenario, config.pods);
        // Let the controllers and kubelet bring the cluster to its starting state.
        cluster::controllers::reconcile(&mut world);
        let shared = Arc::new(Shared {
            world: Mutex::new(world),
            token: config.token,
            readonly_user: config.readonly_user,
            faults: config.faults,
            request_log: Mutex::new(VecDeque::new()),
            ticked: Notify::new(),
            fault_rng: Mutex::new(rng::Rng::new(config.seed ^ 0xfa17)),
        });
        Sim {
            shared,
            speed: config.speed,
        }
    }

    /// The virtual time now.
    pub fn now(&self) -> Timestamp {
        self.shared.now()
    }

    /// Moves the virtual clock by `d`, in steps of `cluster::STEP`, running the
    /// controllers, the kubelet and the scenario at each step.
    pub fn advance(&self, d: Duration) {
        self.shared.advance(d);
    }

    /// Moves the clock with real time times `speed`, until the task is dropped.
    pub async fn run_clock(self) {
        let speed = self.speed;
        if speed <= 0.0 {
            return std::future::pending().await;
        }
        let real = Duration::from_millis(100);
        let mut tick = tokio::time::interval(real);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // Carry fractions so that slow speeds still move.
        let mut owed = Duration::ZERO;
        loop {
            tick.tick().await;
            owed += real.mul_f64(speed);
            if owed >= Duration::from_millis(50) {
                let d = owed;
                owed = Duration::ZERO;
                let sim = self.clone();
                // The world lock is a std mutex: do the stepping off the async threads.
                let _ = tokio::task::spawn_blocking(move || sim.advance(d)).await;
            }
        }
    }

    /// Binds a listener on `addr` (port 0 picks a free port) and returns the
    /// address it got; [`Sim::serve`] then answers on it.
    pub async fn bind(
        &self,
        addr: SocketAddr,
    ) -> std::io::Result<(SocketAddr, tokio::net::TcpListener)> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        Ok((local, listener))
    }

    /// Serves HTTP on an already bound listener until `shutdown` completes.
    pub async fn serve(
        &self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let app = api::router(self.shared.clone());
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
    }

    /// Serves HTTPS with `certificates` on an already bound listener until
    /// `shutdown` completes (`sim serve --tls`).
    pub async fn serve_tls(
        &self,
        listener: tokio::net::TcpListener,
        certificates: &Certificates,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let app = api::router(self.shared.clone());
        axum::serve(api::tls::TlsListener::new(listener, certificates), app)
            .with_graceful_shutdown(shutdown)
            .await
    }

    /// Starts serving on a free loopback port in the background and returns
    /// the address; the server stops when the returned guard is dropped.
    pub async fn start_background(&self) -> std::io::Result<Running> {
        self.start_background_with(None).await
    }

    /// [`Sim::start_background`] over HTTPS with a throwaway CA; the
    /// guard's [`Running::ca_pem`] is what a client trusts.
    pub async fn start_background_tls(&self) -> Result<Running, String> {
        let certificates = Certificates::throwaway()?;
        self.start_background_with(Some(certificates))
            .await
            .map_err(|e| format!("cannot listen: {e}"))
    }

    async fn start_background_with(
        &self,
        certificates: Option<Certificates>,
    ) -> std::io::Result<Running> {
        let (addr, listener) = self.bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let sim = self.clone();
        let ca_pem = certificates.as_ref().map(|c| c.ca_pem.clone());
        let task = tokio::spawn(async move {
            let shutdown = async move {
                let _ = rx.await;
            };
            let _ = match certificates {
                Some(c) => sim.serve_tls(listener, &c, shutdown).await,
                None => sim.serve(listener, shutdown).await,
            };
        });
        Ok(Running {
            addr,
            ca_pem,
            stop: Some(tx),
            task,
        })
    }

    /// Requests answered so far, oldest first (the last 100,000).
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.requests()
    }

    pub fn clear_requests(&self) {
        lock(&self.shared.request_log).clear();
    }

    /// Runs `f` with the world locked.
    fn with_world<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        f(&mut lock(&self.shared.world))
    }

    /// The current JSON of one stored object, for tests.
    pub fn object(&self, storage: &str, namespace: &str, name: &str) -> Option<serde_json::Value> {
        self.with_world(|w| w.store.get_value(storage, namespace, name))
    }

    /// Every stored object of one storage (`"pods"`, `"events"`…), optionally
    /// in one namespace, for tests.
    pub fn objects(&self, storage: &str, namespace: Option<&str>) -> Vec<serde_json::Value> {
        self.with_world(|w| w.store.values(storage, namespace))
    }

    /// Forgets all watch history now: every older resourceVersion answers 410.
    pub fn expire_resource_versions(&self) {
        self.shared.expire_resource_versions();
    }

    /// The cluster-wide resourceVersion now.
    pub fn resource_version(&self) -> u64 {
        self.with_world(|w| w.store.resource_version())
    }

    /// Pod creations, updates and removals so far (the churn measure).
    pub fn pod_changes(&self) -> u64 {
        self.with_world(|w| w.store.writes("pods"))
    }
}

/// A server started by [`Sim::start_background`].
pub struct Running {
    addr: SocketAddr,
    /// The CA a client trusts, when serving HTTPS.
    ca_pem: Option<String>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    pub fn url(&self) -> String {
        let scheme = if self.ca_pem.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    /// The CA certificate (PEM) of an HTTPS sim.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// Stops the server and waits until it has.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}
