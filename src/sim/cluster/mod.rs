//! The simulated cluster: the [`World`] (the object store, the virtual clock
//! and everything the components keep between steps), the controllers of
//! kube-controller-manager and the scheduler, the kubelet with the
//! applications its containers run and the logs they write, the Events they
//! record, the metrics metrics-server would report, and the scenarios that
//! play an incident on the clock. It stands on the store and knows nothing
//! of HTTP.

pub mod apps;
pub mod controllers;
pub mod events;
pub mod kubelet;
pub mod metrics;
pub mod rng;
pub mod scenario;
pub mod time;
pub mod world;

use jiff::SignedDuration;

pub use world::World;

/// How the virtual clock moves in one step. Controllers and the kubelet
/// react at this granularity, like a real cluster's sync loops.
pub const STEP: SignedDuration = SignedDuration::from_millis(250);

/// One step of the virtual clock: the scenario plays what is due, the
/// kubelet runs its pods, the controllers settle.
pub fn step(w: &mut World, step: SignedDuration) {
    w.now += step;
    scenario::tick(w, step);
    kubelet::tick(w);
    controllers::reconcile(w);
}
