//! The DaemonSet controller (kubernetes `pkg/controller/daemon`): one pod per
//! node the pod may run on, pinned there by node affinity on
//! `metadata.name` and placed by the scheduler, with the tolerations every
//! daemon pod gets (so cordoned and memory-pressured nodes keep theirs);
//! ControllerRevisions per template; rolling updates by maxUnavailable.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::deployment::template_hash;
use super::replicaset::{
    claim, create_pod, created, delete_pod, is_available, is_ready, is_terminating, map_at, name,
    phase, pod_from_template, scaled_value, set_count, text, write,
};
use super::scheduler::{affinity_matches, taints, tolerates};
use super::statefulset::{
    REVISION_LABEL, create_revision, delete_revision, new_revision, renumber, revision_data,
    revision_number, same_data, sort_revisions,
};
use crate::sim::cluster::events::{self, DAEMONSET_CONTROLLER};
use crate::sim::cluster::world::World;
use crate::sim::store::labels_of;
use crate::sim::store::selector::LabelSelector;

/// Most pods one sync creates (the DaemonSet controller's burst).
const BURST: usize = 250;

/// The pod spec with the tolerations every daemon pod gets
/// (`AddOrUpdateDaemonPodTolerations`).
fn daemon_spec(template_spec: &Value) -> Value {
    let mut spec = template_spec.clone();
    let mut tolerations = spec["tolerations"].as_array().cloned().unwrap_or_default();
    let mut wanted = vec![
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    if spec["hostNetwork"] == true {
        wanted.push(("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    for (key, effect) in wanted {
        let t = json!({"key": key, "operator": "Exists", "effect": effect});
        if !tolerations.contains(&t) {
            tolerations.push(t);
        }
    }
    map_at(&mut spec, &[]).insert("tolerations".into(), Value::Array(tolerations));
    spec
}

/// `NodeShouldRunDaemonPod`: (should run there, may keep running there).
fn should_run(spec: &Value, node: &Value) -> (bool, bool) {
    let pinned = text(spec, &["nodeName"]);
    if !(pinned.is_empty() || pinned == name(node))
        || !affinity_matches(spec, name(node), &labels_of(node))
    {
        return (false, false);
    }
    let tolerations = spec["tolerations"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let node_taints = taints(node);
    let untolerated = |effects: &[&str]| {
        node_taints
            .iter()
            .any(|(k, v, e)| effects.contains(&e.as_str()) && !tolerates(tolerations, k, v, e))
    };
    (
        !untolerated(&["NoSchedule", "NoExecute"]),
        !untolerated(&["NoExecute"]),
    )
}

/// The node a daemon pod is for: where it runs, or where its affinity pins it.
fn target_node(pod: &Value) -> &str {
    let bound = text(pod, &["spec", "nodeName"]);
    if !bound.is_empty() {
        return bound;
    }
    let required =
        &pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"];
    let fields = required["nodeSelectorTerms"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|t| t["matchFields"].as_array().into_iter().flatten());
    let mut pins = fields.filter(|f| f["key"] == "metadata.name" && f["operator"] == "In");
    pins.find_map(|f| f["values"][0].as_str()).unwrap_or("")
}

/// Pods by node, scheduled ones first, then oldest (`podByCreationTimestampAndPhase`).
fn by_node(pods: &[Value]) -> BTreeMap<&str, Vec<&Value>> {
    let mut map: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for p in pods {
        map.entry(target_node(p)).or_default().push(p);
    }
    for list in map.values_mut() {
        list.sort_by_key(|p| {
            (
                text(p, &["spec", "nodeName"]).is_empty(),
                created(p),
                name(p).to_string(),
            )
        });
    }
    map
}

pub fn sync(w: &mut World, namespace: &str, name_: &str) {
    let Some(ds) = w.store.get_value("daemonsets", namespace, name_) else {
        return;
    };
    let selector = match LabelSelector::from_json(&ds["spec"]["selector"]) {
        Ok(s) if !s.is_empty() => s,
        _ => return,
    };
    let nodes = w.store.values("nodes", None);
    let mut revisions = claim(w, "controllerrevisions", &ds, &selector);
    sort_revisions(&mut revisions);
    let had_collisions = ds["status"]["collisionCount"].as_i64();
    let mut collisions = had_collisions.unwrap_or(0);
    let Some((current, olds)) = history(w, &ds, revisions, &mut collisions) else {
        return;
    };
    let hash = text(&current, &["metadata", "labels", REVISION_LABEL]).to_string();
    let spec = daemon_spec(&ds["spec"]["template"]["spec"]);
    let mut pods = claim(w, "pods", &ds, &selector);
    if !is_terminating(&ds) {
        if manage(w, &ds, &spec, &nodes, &pods, &hash) {
            pods = claim(w, "pods", &ds, &selector);
        }
        if ds["spec"]["updateStrategy"]["type"]
            .as_str()
            .unwrap_or("RollingUpdate")
            == "RollingUpdate"
            && rolling_update(w, &ds, &spec, &nodes, &pods, &hash)
        {
            pods = claim(w, "pods", &ds, &selector);
        }
        cleanup_history(w, &ds, &olds, &pods);
    }
    let mut new = ds.clone();
    new["status"] = status(w, &ds, &spec, &nodes, &pods, &hash);
    if had_collisions.is_some() || collisions > 0 {
        new["status"]["collisionCount"] = json!(collisions);
    }
    write(w, "daemonsets", &ds, new);
}

/// `constructHistory`: the revision of the current template (renumbered
/// past the others when it is an old one come back, created when new), and
/// the old revisions.
fn history(
    w: &mut World,
    ds: &Value,
    revisions: Vec<Value>,
    collisions: &mut i64,
) -> Option<(Value, Vec<Value>)> {
    let data = revision_data(ds);
    let (matching, olds): (Vec<Value>, Vec<Value>) =
        revisions.into_iter().partition(|r| same_data(r, &data));
    let next = olds.iter().map(revision_number).max().unwrap_or(0) + 1;
    let current = match matching.into_iter().max_by_key(revision_number) {
        Some(cr) if revision_number(&cr) < next => renumber(w, &cr, next),
        Some(cr) => cr,
        None => {
            let template = ds["spec"]["template"].clone();
            let had = ds["status"]["collisionCount"].is_i64();
            let hash = |c: i64| template_hash(&template, (had || c > 0).then_some(c));
            create_revision(
                w,
                new_revision(ds, data, next),
                REVISION_LABEL,
                collisions,
                hash,
            )?
        }
    };
    Some((current, olds))
}

/// Creates the missing daemon pods and deletes failed, duplicate and
/// misplaced ones. Returns whether it changed anything.
fn manage(
    w: &mut World,
    ds: &Value,
    spec: &Value,
    nodes: &[Value],
    pods: &[Value],
    hash: &str,
) -> bool {
    let ns = text(ds, &["metadata", "namespace"]).to_string();
    let placed = by_node(pods);
    let mut to_create = Vec::new();
    let mut to_delete: Vec<&Value> = Vec::new();
    for node in nodes {
        let (run, keep) = should_run(spec, node);
        let here = placed.get(name(node)).cloned().unwrap_or_default();
        if run && here.is_empty() {
            to_create.push(name(node).to_string());
        } else if keep {
            let live: Vec<&Value> = here.into_iter().filter(|p| !is_terminating(p)).collect();
            let (failed, running): (Vec<&Value>, Vec<&Value>) =
                live.into_iter().partition(|p| phase(p) == "Failed");
            for p in failed {
                let msg = format!(
                    "Found failed daemon pod {ns}/{} on node {}, will try to kill it",
                    name(p),
                    name(node)
                );
                events::record(
                    w,
                    ds,
                    None,
                    true,
                    "FailedDaemonPod",
                    &msg,
                    DAEMONSET_CONTROLLER,
                );
                to_delete.push(p);
            }
            to_delete.extend(running.into_iter().skip(1));
        } else {
            to_delete.extend(here.into_iter().filter(|p| !is_terminating(p)));
        }
    }
    // Pods for nodes that are gone and that no scheduler placed.
    let known: BTreeSet<&str> = nodes.iter().map(name).collect();
    for (node, list) in &placed {
        if !known.contains(node) {
            to_delete.extend(
                list.iter()
                    .filter(|p| text(p, &["spec", "nodeName"]).is_empty()),
            );
        }
    }
    for p in &to_delete {
        delete(w, ds, p);
    }
    let generation = ds["metadata"]["generation"]
        .as_i64()
        .unwrap_or(1)
        .to_string();
    let mut template = ds["spec"]["template"].clone();
    map_at(&mut template, &[]).insert("spec".into(), spec.clone());
    let labels = map_at(&mut template, &["metadata", "labels"]);
    labels.insert("pod-template-generation".into(), json!(generation));
    labels.insert(REVISION_LABEL.into(), json!(hash));
    for node in to_create.iter().take(BURST) {
        let mut pod = pod_from_template(ds, &template);
        let pin = json!({"key": "metadata.name", "operator": "In", "values": [node]});
        let required = json!({"nodeSelectorTerms": [{"matchFields": [pin]}]});
        map_at(&mut pod, &["spec", "affinity", "nodeAffinity"]).insert(
            "requiredDuringSchedulingIgnoredDuringExecution".into(),
            required,
        );
        let (reason, msg) = match create_pod(w, pod) {
            Ok(p) => ("SuccessfulCreate", format!("Created pod: {}", name(&p))),
            Err(e) => ("FailedCreate", format!("Error creating: {e}")),
        };
        events::record(
            w,
            ds,
            None,
            reason == "FailedCreate",
            reason,
            &msg,
            DAEMONSET_CONTROLLER,
        );
    }
    !to_delete.is_empty() || !to_create.is_empty()
}

fn delete(w: &mut World, ds: &Value, pod: &Value) {
    let (reason, msg) = match delete_pod(w, text(ds, &["metadata", "namespace"]), name(pod)) {
        Ok(()) => ("SuccessfulDelete", format!("Deleted pod: {}", name(pod))),
        Err(e) => ("FailedDelete", format!("Error deleting: {e}")),
    };
    events::record(
        w,
        ds,
        None,
        reason == "FailedDelete",
        reason,
        &msg,
        DAEMONSET_CONTROLLER,
    );
}

/// `rollingUpdate` without surge: old pods that are not available go at
/// once; available ones only while fewer than maxUnavailable nodes lack an
/// available pod. (A maxSurge is treated as a maxUnavailable of at least 1.)
fn rolling_update(
    w: &mut World,
    ds: &Value,
    spec: &Value,
    nodes: &[Value],
    pods: &[Value],
    hash: &str,
) -> bool {
    let desired = nodes.iter().filter(|n| should_run(spec, n).0).count() as i64;
    let ru = &ds["spec"]["updateStrategy"]["rollingUpdate"];
    let surge = scaled_value(&ru["maxSurge"], desired, true);
    let mut max_unavailable =
        scaled_value(ru.get("maxUnavailable").unwrap_or(&json!(1)), desired, true);
    if desired > 0 && (surge > 0 || max_unavailable == 0) {
        max_unavailable = max_unavailable.max(1);
    }
    let (min_ready, now) = (ds["spec"]["minReadySeconds"].as_i64().unwrap_or(0), w.now);
    let mut unavailable = 0;
    let (mut replace, mut candidates) = (Vec::new(), Vec::new());
    for list in by_node(pods).into_values() {
        let live: Vec<&Value> = list.into_iter().filter(|p| !is_terminating(p)).collect();
        let (new, old): (Vec<&Value>, Vec<&Value>) = live
            .into_iter()
            .partition(|p| text(p, &["metadata", "labels", REVISION_LABEL]) == hash);
        match (new.as_slice(), old.as_slice()) {
            ([n], []) if is_available(n, min_ready, now) => {}
            ([], [o]) if !is_available(o, min_ready, now) => replace.push(*o),
            ([], [o]) if unavailable < max_unavailable => candidates.push(*o),
            ([], [_]) => {}
            _ => unavailable += 1,
        }
    }
    let room = usize::try_from(max_unavailable - unavailable)
        .unwrap_or(0)
        .min(candidates.len());
    replace.extend_from_slice(&candidates[..room]);
    for p in &replace {
        delete(w, ds, p);
    }
    !replace.is_empty()
}

/// Deletes old revisions no pod uses, lowest first, beyond `revisionHistoryLimit`.
fn cleanup_history(w: &mut World, ds: &Value, olds: &[Value], pods: &[Value]) {
    let limit =
        usize::try_from(ds["spec"]["revisionHistoryLimit"].as_i64().unwrap_or(10)).unwrap_or(0);
    let live: BTreeSet<&str> = pods
        .iter()
        .map(|p| text(p, &["metadata", "labels", REVISION_LABEL]))
        .collect();
    let mut excess = olds.len().saturating_sub(limit);
    for cr in olds {
        if excess > 0 && !live.contains(text(cr, &["metadata", "labels", REVISION_LABEL])) {
            delete_revision(w, cr);
            excess -= 1;
        }
    }
}

fn status(
    w: &World,
    ds: &Value,
    spec: &Value,
    nodes: &[Value],
    pods: &[Value],
    hash: &str,
) -> Value {
    let (min_ready, now) = (ds["spec"]["minReadySeconds"].as_i64().unwrap_or(0), w.now);
    let placed = by_node(pods);
    let (mut desired, mut current, mut misscheduled, mut ready, mut available, mut updated) =
        (0, 0, 0, 0, 0, 0);
    for node in nodes {
        let first = placed.get(name(node)).and_then(|l| l.first());
        match (should_run(spec, node).0, first) {
            (true, None) => desired += 1,
            (true, Some(p)) => {
                desired += 1;
                current += 1;
                ready += i64::from(is_ready(p));
                available += i64::from(is_available(p, min_ready, now));
                updated += i64::from(text(p, &["metadata", "labels", REVISION_LABEL]) == hash);
            }
            (false, Some(_)) => misscheduled += 1,
            (false, None) => {}
        }
    }
    let mut st = Map::new();
    set_count(&mut st, "currentNumberScheduled", current, false);
    set_count(&mut st, "desiredNumberScheduled", desired, false);
    set_count(&mut st, "numberMisscheduled", misscheduled, false);
    set_count(&mut st, "numberReady", ready, false);
    set_count(&mut st, "numberAvailable", available, true);
    set_count(&mut st, "numberUnavailable", desired - available, true);
    set_count(&mut st, "updatedNumberScheduled", updated, true);
    if let Some(g) = ds["metadata"]["generation"].as_i64() {
        st.insert("observedGeneration".into(), json!(g));
    }
    Value::Object(st)
}

#[cfg(test)]
mod tests;
