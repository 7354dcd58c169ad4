//! The model against the simulated cluster's own objects: what the sim's
//! kubelet and controllers write during an incident goes through the same
//! conversions a watcher applies, and the model's readings (health,
//! explanations, rollouts, detectors) are asserted on what a real cluster's
//! objects look like rather than on shapes written by hand; and what the
//! console records while the sim plays (`record`).

use warroom::model::cluster::{ClusterChange, Connection};
use warroom::sim::{ScenarioName, Sim, SimConfig};

#[path = "model_on_sim/conversions.rs"]
mod conversions;
#[path = "model_on_sim/detectors.rs"]
mod detectors;
#[path = "model_on_sim/record.rs"]
mod record;

/// The sim playing `scenario` from 09:00 with `seed`, its clock still.
fn sim(scenario: ScenarioName, seed: u64) -> Sim {
    Sim::new(SimConfig {
        scenario,
        seed,
        speed: 0.0,
        start: Some("2026-03-02T09:00:00Z".parse().expect("time")),
        ..SimConfig::default()
    })
}

/// What the console hears first: where it is attached.
fn connected() -> ClusterChange {
    ClusterChange::Connected(Connection {
        context: "warroom-sim".into(),
        cluster: "warroom-sim".into(),
        user: "warroom-sim".into(),
        server: "http://127.0.0.1:6443".into(),
        contexts: vec!["warroom-sim".into()],
    })
}
