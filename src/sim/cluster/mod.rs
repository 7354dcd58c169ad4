//! The simulated cluster: the [`World`] (the object store, the virtual clock
//! and everything the components keep between steps), the controllers of
//! kube-controller-manager and the scheduler, the kubelet with the
//! applications its containers run and the logs they write, the Events they
//! record, the metrics metrics-server would report, and the scenarios that
//! play an incident on the clock. It stands on the store and knows nothing
//! of HTTP.
//!
//! What the components keep between steps is data in files of its own
//! (`queues`, `recorder`, `runtime`, `story`) that [`World`] holds and
//! imports; the components that work on it (`controllers/`, `kubelet/`,
//! `events`, `scenario`) import World, and nothing imports them back.

pub mod admission;
pub mod apps;
pub mod controllers;
mod crds;
pub mod events;
pub mod kubelet;
pub mod metrics;
pub mod queues;
pub mod recorder;
pub mod rng;
pub mod runtime;
pub mod scenario;
pub mod services;
pub mod story;
pub mod time;
pub mod world;

use jiff::SignedDuration;

use scenario::ScenarioName;
pub use world::World;

/// How the virtual clock moves in one step. Controllers and the kubelet
/// react at this granularity, like a real cluster's sync loops.
pub const STEP: SignedDuration = SignedDuration::from_millis(250);

/// Builds the starting cluster of scenario `name`, plays it up to the
/// scenario's start in one-second steps, and schedules its incident.
pub fn set_up(w: &mut World, name: ScenarioName, pods: usize) {
    let start = scenario::build(w, name, pods);
    while w.now < start {
        step(w, start.duration_since(w.now).min(time::secs(1)));
    }
    scenario::schedule(w, name);
}

/// One step of the virtual clock: the scenario plays what is due, the
/// kubelet runs its pods, the controllers settle.
pub fn step(w: &mut World, step: SignedDuration) {
    w.now += step;
    scenario::tick(w, step);
    kubelet::tick(w);
    controllers::reconcile(w);
}
