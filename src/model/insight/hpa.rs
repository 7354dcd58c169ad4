//! HPAs in the browse view: what they want against what they may do.

use jiff::Timestamp;

use super::{Fact, Mark, Section, Tone, Verdict, ago, for_how_long};
use crate::model::ObjectKey;
use crate::model::autoscaler::HpaInfo;
use crate::model::cluster::ClusterData;
use crate::model::explain::{StatusKind, guide_entry};

pub(super) const COLUMNS: &[&str] = &["DESIRED", "STATE"];

/// The row's mark and its STATE words.
fn state(h: &HpaInfo, now: Timestamp) -> (Mark, String) {
    if let Some(why) = h.not_scaling() {
        let reason = why.split(':').next().unwrap_or(&why).to_string();
        return (Mark::Bad, format!("cannot scale: {reason}"));
    }
    if let Some(since) = h.pinned_at_max() {
        return (Mark::Warn, format!("at max{}", for_how_long(since, now)));
    }
    if h.desired != h.current {
        return (Mark::Busy, format!("scaling {}→{}", h.current, h.desired));
    }
    (Mark::Ok, "ok".into())
}

pub(super) fn verdict(cluster: &ClusterData, key: &ObjectKey, now: Timestamp) -> Option<Verdict> {
    let h = cluster.hpas.get(key)?;
    let (mark, words) = state(h, now);
    Some(Verdict {
        mark,
        cells: vec![h.desired.to_string(), words],
    })
}

/// What each condition tells, for someone who has not met HPAs.
fn condition_meaning(kind: &str) -> &'static str {
    match kind {
        "AbleToScale" => "whether it can read and change its target's replicas",
        "ScalingActive" => "whether it can read its metrics and compute a replica count",
        "ScalingLimited" => "whether the count it wants is held back by its minimum or maximum",
        _ => "",
    }
}

fn condition_tone(kind: &str, status: &str) -> Tone {
    match (kind, status) {
        ("AbleToScale" | "ScalingActive", "False") => Tone::Bad,
        ("ScalingLimited", "True") => Tone::Warn,
        (_, "True") => Tone::Good,
        _ => Tone::Plain,
    }
}

pub(super) fn detail(cluster: &ClusterData, key: &ObjectKey, now: Timestamp) -> Vec<Section> {
    let Some(h) = cluster.hpas.get(key) else {
        return Vec::new();
    };
    let (mark, words) = state(h, now);
    let mut scaling = Section::new("Autoscaling");
    scaling.push(Fact::new("state", words, mark.tone()));
    scaling.push(Fact::new(
        "scales",
        format!("{} {}", h.target_kind, h.target_name),
        Tone::Plain,
    ));
    scaling.push(Fact::new(
        "replicas",
        format!(
            "min {} · max {} · current {} · desired {}",
            h.min, h.max, h.current, h.desired
        ),
        Tone::Plain,
    ));
    for m in &h.metrics {
        scaling.push(Fact::new(
            "metric",
            format!("{m} (current/target)"),
            Tone::Plain,
        ));
    }
    if let Some(t) = h.last_scale {
        scaling.push(Fact::new("last scaled", ago(t, now), Tone::Dim));
    }
    let mut conditions = Section::new("Conditions");
    for c in &h.conditions {
        let mut text = c.status.to_string();
        if let Some(r) = &c.reason {
            text.push_str(&format!(" {r}"));
        }
        if let Some(m) = c.message.as_deref().filter(|m| !m.is_empty()) {
            text.push_str(&format!(": {m}"));
        }
        conditions.push(Fact::new(
            c.kind.to_string(),
            text,
            condition_tone(&c.kind, &c.status),
        ));
        let meaning = condition_meaning(&c.kind);
        if !meaning.is_empty() {
            conditions.push(Fact::new("", meaning, Tone::Dim));
        }
    }
    if h.conditions.is_empty() {
        conditions.push(Fact::line(
            "none reported yet: the controller has not synced it",
            Tone::Dim,
        ));
    }
    let mut out = vec![scaling, conditions];
    if h.pinned_at_max().is_some() {
        let entry = guide_entry(StatusKind::HpaAtMax);
        let mut what = Section::what_it_means(entry.generic_meaning());
        for step in entry.generic_next() {
            what.step(step);
        }
        out.push(what);
    } else if h.not_scaling().is_some() {
        let mut what = Section::what_it_means(
            "The autoscaler cannot compute or apply a replica count: the workload stays at its current replicas whatever the load.",
        );
        what.step("Check that metrics are served (kubectl top pods; is metrics-server running?)");
        what.step("Utilization is a share of the containers' requests: every container of the target needs a CPU (or memory) request");
        what.step("Check that the target named under scales exists and has a scale subresource");
        out.push(what);
    }
    out
}
