use jiff::SignedDuration;

use super::sparkline;
use crate::config::theme::{Theme, shipped};
use crate::model::ObjectKey;
use crate::model::cluster::ClusterChange;
use crate::model::usage::{PodUsage, Usage};
use crate::state::fixtures::shop;
use crate::state::{Msg, PodRow, State, View, update};
use crate::ui::tests::{render_with, screen};

const MI: u64 = 1024 * 1024;

#[test]
fn bars_scale_to_the_limit_and_gaps_stay_blank() {
    let v = |m: u64| Some(m * MI);
    // A full bar is the limit; a missing poll is a blank, a zero the lowest bar.
    assert_eq!(
        sparkline(&[v(64), v(128), None, v(256), Some(0)], 256 * MI, 30),
        "▂▄ █▁"
    );
    // Beyond the limit stays a full bar.
    assert_eq!(sparkline(&[v(300)], 256 * MI, 30), "█");
    // 120 polls in 30 cells: four a cell, each the highest of its four.
    let many: Vec<Option<u64>> = (0..120).map(|i| Some(i as u64)).collect();
    let line = sparkline(&many, 119, 30);
    assert_eq!(line.chars().count(), 30);
    assert!(line.ends_with('█'), "{line}");
    assert_eq!(sparkline(&[], 1, 30), "");
    assert_eq!(sparkline(&[None, None], 1, 30), "  ");
}

/// The shop's first pod, selected, after polls every 15 s in which its
/// memory reads `mibs` (MiB); `None` is a poll without it.
fn climbing(mibs: &[Option<u64>]) -> (State, ObjectKey) {
    let mut state = shop();
    state.refresh_view();
    let key = match state.pods.cursor.pick(&state.pods.rows) {
        Some(PodRow::Pod(k)) => k.clone(),
        _ => panic!("a pod is selected"),
    };
    let start = state.now;
    for (i, m) in mibs.iter().enumerate() {
        let at = start + SignedDuration::from_secs(15 * i as i64);
        let pods = m
            .iter()
            .map(|m| PodUsage {
                namespace: key.namespace.clone(),
                name: key.name.clone(),
                usage: Usage {
                    cpu_milli: 100 + 10 * i as u64,
                    memory_bytes: m * MI,
                },
            })
            .collect();
        let _ = update(&mut state, Msg::Ticked(at));
        let change = ClusterChange::Metrics {
            pods,
            nodes: Vec::new(),
            at,
        };
        let generation = state.generation;
        let _ = update(&mut state, Msg::Cluster { generation, change });
    }
    (state, key)
}

#[test]
fn the_pod_detail_draws_memory_and_cpu_over_time_and_the_estimate() {
    let (state, key) = climbing(&[
        Some(100),
        Some(110),
        None,
        Some(130),
        Some(140),
        Some(150),
        Some(160),
    ]);
    let limit = state.cluster.pods[&key].limits.memory_bytes;
    assert_eq!(limit, Some(256 * MI), "the fixture's limit");
    let text = screen(&state, 170, 45);
    assert!(text.contains("mem history"), "{text}");
    // The bars, the gap of the missed poll, and the figures.
    assert!(
        text.contains("▄▄ ▅▅▅▅ 160Mi now · min 100Mi · max 160Mi · limit")
            && text.contains("256Mi · 90s"),
        "{text}"
    );
    assert!(text.contains("cpu history"), "{text}");
    assert!(
        text.contains("160m now · min 100m · max 160m · limit 500m"),
        "{text}"
    );
    // 40 MiB a minute; 96 MiB to go: about two and a half minutes.
    assert!(
        text.contains("at this rate reaches its 256Mi limit in ~2m")
            && text.contains("(+40Mi/min)"),
        "{text}"
    );
}

#[test]
fn no_estimate_without_a_real_climb() {
    let (state, _) = climbing(&[Some(150), Some(150), Some(151), Some(150), Some(150)]);
    let text = screen(&state, 170, 45);
    assert!(text.contains("mem history"), "{text}");
    assert!(!text.contains("at this rate"), "{text}");
    // Too few polls to tell.
    let (state, _) = climbing(&[Some(100), Some(140)]);
    assert!(!screen(&state, 170, 45).contains("at this rate"));
}

#[test]
fn the_workload_detail_sums_its_pods() {
    let (mut state, key) = climbing(&[Some(100), Some(120), Some(140), Some(160)]);
    let owner = state.cluster.pods[&key].owner.clone().expect("an owner");
    state.view = View::Workloads;
    state.refresh_view();
    // Select the pod's workload.
    let index = state
        .workloads
        .rows
        .iter()
        .position(|(_, k)| k.name == owner.name)
        .expect("its workload is listed");
    state.workloads.cursor.select(index, 10);
    let text = screen(&state, 170, 45);
    assert!(text.contains("mem history"), "{text}");
    assert!(text.contains("160Mi now · min 100Mi · max 160Mi"), "{text}");
}

#[test]
fn every_theme_and_a_tiny_terminal_draw_it() {
    let (state, _) = climbing(&[Some(100), Some(120), Some(140), Some(160), Some(180)]);
    for name in ["mono", "default"] {
        let theme: Theme = shipped(name)
            .unwrap_or_else(|| panic!("{name} is shipped"))
            .expect("it loads");
        let terminal = render_with(&state, 170, 45, &theme);
        let text = terminal.backend().to_string();
        // The bars carry the meaning without colour.
        assert!(text.contains("▄▄▅▅▆ 180Mi now"), "{name}: {text}");
    }
    for (w, h) in [(20, 5), (40, 10), (60, 15)] {
        let _ = screen(&state, w, h);
    }
}
