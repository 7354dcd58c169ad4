//! Whole screens of the demo scenarios: the simulated cluster plays its
//! incident on a fixed clock, its objects go through the watchers'
//! conversions and the reducer, and the views are snapshotted. A change in
//! what an on-call engineer would see during these incidents shows here.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{press, screen, snap};
use crate::cluster::{initial_sync, node_wide};
use crate::model::cluster::{ClusterChange, Connection, Resource};
use crate::sim::{ScenarioName, Sim, SimConfig};
use crate::state::{Msg, State, update, update_batch};

/// The console attached to `scenario` after `seconds` of its story, showing
/// `namespace`.
pub(super) fn scenario(scenario: ScenarioName, seconds: u64) -> State {
    let sim = Sim::new(SimConfig {
        scenario,
        seed: 1,
        speed: 0.0,
        start: Some("2026-03-02T09:00:00Z".parse().expect("time")),
        ..SimConfig::default()
    });
    sim.advance(Duration::from_secs(seconds));
    let mut state = State::new(sim.now(), Some("production".into()));
    let changes = initial_sync(|plural| {
        // The watchers of a namespaced session see only its namespace.
        let ns = match plural {
            "namespaces" | "nodes" => None,
            _ => Some("production"),
        };
        sim.objects(plural, ns)
    });
    // The node events from `default` and the node-wide requests the nodes
    // view polls for.
    let node_facts = node_wide(
        &sim.objects("events", Some("default")),
        &sim.objects("pods", None),
    );
    let connected = ClusterChange::Connected(Connection {
        context: "warroom-sim".into(),
        cluster: "warroom-sim".into(),
        user: "warroom-sim".into(),
        server: "http://127.0.0.1:6443".into(),
        contexts: vec!["warroom-sim".into()],
    });
    let _ = update_batch(
        &mut state,
        std::iter::once(connected)
            .chain(changes)
            .chain(node_facts)
            // Every watch has synced, as after a real start.
            .chain(Resource::ALL.into_iter().map(ClusterChange::WatchUp))
            .map(|change| Msg::Cluster {
                generation: 0,
                change,
            }),
    );
    state.refresh_view();
    state
}

#[test]
fn oom_loop_pods_and_detail() {
    let mut state = scenario(ScenarioName::OomLoop, 300);
    snap!("scenario_oom_loop_pods", screen(&state, 200, 40));
    // The first row is the crash-looping pod; its detail explains the OOMKill.
    let _ = update(
        &mut state,
        Msg::KeyPressed(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)),
    );
    snap!("scenario_oom_loop_detail", screen(&state, 140, 70));
}

#[test]
fn bad_deploy_pods_workloads_and_events() {
    let mut state = scenario(ScenarioName::BadDeploy, 200);
    snap!("scenario_bad_deploy_pods", screen(&state, 200, 40));
    press(&mut state, "2");
    snap!("scenario_bad_deploy_workloads", screen(&state, 200, 30));
    press(&mut state, "3");
    press(&mut state, "!");
    snap!("scenario_bad_deploy_warnings", screen(&state, 200, 30));
}

#[test]
fn image_pull_pods_grouped_by_workload() {
    let mut state = scenario(ScenarioName::ImagePull, 120);
    press(&mut state, "w");
    snap!("scenario_image_pull_grouped", screen(&state, 200, 40));
}

#[test]
fn node_pressure_nodes() {
    let mut state = scenario(ScenarioName::NodePressure, 240);
    press(&mut state, "4");
    snap!("scenario_node_pressure_nodes", screen(&state, 200, 20));
}
