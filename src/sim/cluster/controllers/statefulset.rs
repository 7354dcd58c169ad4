//! The StatefulSet controller (kubernetes `pkg/controller/statefulset`):
//! pods `<set>-0 … <set>-N-1` with stable identity labels, created in order
//! (each waits for its predecessor to be Running and Ready) or all at once
//! (Parallel), removed from the highest ordinal down, and rolled from the
//! highest ordinal down to the partition.
//!
//! Also ControllerRevisions as `pkg/controller/history` keeps them (used by
//! DaemonSets too): a snapshot of the pod template per revision, so that
//! `kubectl rollout history/undo statefulset` work.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::replicaset::{
    by_creation, canonical, claim, controller_ref, create_pod, delete_pod, ensure_object,
    is_available, is_ready, is_terminating, map_at, name, normalized, phase, pod_from_template,
    set_count, spec_replicas, text, write,
};
use crate::sim::cluster::events::{self, STATEFULSET_CONTROLLER};
use crate::sim::cluster::rng::safe_encode;
use crate::sim::cluster::world::{DeleteOptions, World};
use crate::sim::store::resources;
use crate::sim::store::selector::LabelSelector;

/// The label naming the revision a pod was made from.
pub const REVISION_LABEL: &str = "controller-revision-hash";
const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";
/// The label `history.NewControllerRevision` puts on a revision.
const HISTORY_HASH_LABEL: &str = "controller.kubernetes.io/hash";

// ------------------------------------------------------- ControllerRevisions

/// `getPatch`: what a revision records of its owner, the pod template marked
/// to replace the owner's on rollback.
pub(crate) fn revision_data(owner: &Value) -> Value {
    let mut template = owner["spec"]["template"].clone();
    ensure_object(&mut template).insert("$patch".into(), json!("replace"));
    json!({"spec": {"template": template}})
}

/// The pod template a revision recorded.
pub(crate) fn revision_template(cr: &Value) -> Value {
    let mut template = cr["data"]["spec"]["template"].clone();
    if let Some(m) = template.as_object_mut() {
        m.remove("$patch");
    }
    template
}

pub(crate) fn revision_number(cr: &Value) -> i64 {
    cr["revision"].as_i64().unwrap_or(0)
}

pub(crate) fn same_data(cr: &Value, data: &Value) -> bool {
    normalized(&cr["data"]) == normalized(data)
}

/// `SortControllerRevisions`: by revision, then age, then name.
pub(crate) fn sort_revisions(crs: &mut [Value]) {
    crs.sort_by(|a, b| {
        revision_number(a)
            .cmp(&revision_number(b))
            .then(by_creation(a, b))
    });
}

/// A revision of `owner` (named and labelled by [`create_revision`]):
/// template labels, the owner's annotations (change-cause shows in
/// `rollout history`) and its controller reference.
pub(crate) fn new_revision(owner: &Value, data: Value, revision: i64) -> Value {
    let labels = owner["spec"]["template"]["metadata"]["labels"].clone();
    let mut meta = json!({
        "namespace": owner["metadata"]["namespace"], "labels": labels,
        "ownerReferences": [controller_ref(owner)],
    });
    if owner["metadata"]["annotations"].is_object() {
        meta["annotations"] = owner["metadata"]["annotations"].clone();
    }
    json!({"apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": meta, "data": data, "revision": revision})
}

/// Creates `cr` as `<owner>-<hash>`, labelled `label: hash`. A name taken by
/// other data is a hash collision: the count goes up and the hash changes.
pub(crate) fn create_revision(
    w: &mut World,
    cr: Value,
    label: &str,
    collisions: &mut i64,
    hash: impl Fn(i64) -> String,
) -> Option<Value> {
    let rt = resources::by_storage("controllerrevisions")?;
    let ns = text(&cr, &["metadata", "namespace"]).to_string();
    let owner = cr["metadata"]["ownerReferences"][0]["name"]
        .as_str()
        .unwrap_or("");
    for _ in 0..10 {
        let (mut attempt, h) = (cr.clone(), hash(*collisions));
        attempt["metadata"]["name"] = json!(format!("{owner}-{h}"));
        map_at(&mut attempt, &["metadata", "labels"]).insert(label.into(), json!(h));
        match w.create(rt, &ns, attempt, false) {
            Ok(created) => return Some(created),
            Err(e) if e.reason == "AlreadyExists" => {
                let taken = w
                    .store
                    .get_value("controllerrevisions", &ns, &format!("{owner}-{h}"));
                if let Some(existing) = taken.filter(|t| same_data(t, &cr["data"])) {
                    return Some(existing);
                }
                *collisions += 1;
            }
            Err(_) => return None,
        }
    }
    None
}

/// Gives an existing revision a new number (a rollback to it).
pub(crate) fn renumber(w: &mut World, cr: &Value, revision: i64) -> Value {
    let mut new = cr.clone();
    new["revision"] = json!(revision);
    write(w, "controllerrevisions", cr, new.clone());
    new
}

pub(crate) fn delete_revision(w: &mut World, cr: &Value) {
    if let Some(rt) = resources::by_storage("controllerrevisions") {
        let ns = text(cr, &["metadata", "namespace"]);
        let _ = w.delete(rt, ns, name(cr), &DeleteOptions::default());
    }
}

/// 32-bit FNV-1 (not 1a), which `history.HashControllerRevision` uses.
fn fnv32(data: &[u8]) -> u32 {
    data.iter().fold(0x811c_9dc5_u32, |h, b| {
        h.wrapping_mul(0x0100_0193) ^ u32::from(*b)
    })
}

// -------------------------------------------------------------- the sync

/// The ordinal of a pod of `set` (`web-3` is 3), if it is one.
fn ordinal(set_name: &str, pod: &Value) -> Option<i64> {
    let (parent, n) = name(pod).rsplit_once('-')?;
    let valid = parent == set_name && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
    valid.then(|| n.parse().ok()).flatten()
}

fn revision_of(pod: &Value) -> &str {
    text(pod, &["metadata", "labels", REVISION_LABEL])
}

fn owned_pods(w: &mut World, set: &Value, selector: &LabelSelector) -> Vec<Value> {
    let pods = claim(w, "pods", set, selector);
    pods.into_iter()
        .filter(|p| ordinal(name(set), p).is_some())
        .collect()
}

pub fn sync(w: &mut World, namespace: &str, name_: &str) {
    let Some(set) = w.store.get_value("statefulsets", namespace, name_) else {
        return;
    };
    let selector = match LabelSelector::from_json(&set["spec"]["selector"]) {
        Ok(s) if !s.is_empty() => s,
        _ => return,
    };
    let pods = owned_pods(w, &set, &selector);
    let mut revisions = claim(w, "controllerrevisions", &set, &selector);
    sort_revisions(&mut revisions);
    let mut collisions = set["status"]["collisionCount"].as_i64().unwrap_or(0);
    let Some((current, update)) = revisions_of(w, &set, &revisions, &mut collisions) else {
        return;
    };
    if !is_terminating(&set) {
        update_pods(w, &set, &current, &update, &pods);
    }
    let now_pods = owned_pods(w, &set, &selector);
    let mut new = set.clone();
    new["status"] = status(w, &set, &current, &update, collisions, &now_pods);
    write(w, "statefulsets", &set, new);
    truncate_history(w, &set, &pods, &revisions, &current, &update);
}

/// `getStatefulSetRevisions`: (current, update). The update revision is the
/// latest if it matches the template, an older matching one renumbered
/// (a rollback), or a new one.
fn revisions_of(
    w: &mut World,
    set: &Value,
    revisions: &[Value],
    collisions: &mut i64,
) -> Option<(Value, Value)> {
    let next = revisions.last().map_or(1, |r| revision_number(r) + 1);
    let data = revision_data(set);
    let update = match revisions.iter().rev().find(|r| same_data(r, &data)) {
        Some(r) if revisions.last().is_some_and(|last| same_data(last, &data)) => r.clone(),
        Some(r) => renumber(w, r, next),
        None => {
            let bytes = canonical(&data);
            let hash = |c: i64| safe_encode(fnv32(format!("{bytes}{c}").as_bytes()));
            create_revision(
                w,
                new_revision(set, data.clone(), next),
                HISTORY_HASH_LABEL,
                collisions,
                hash,
            )?
        }
    };
    let current_name = text(set, &["status", "currentRevision"]);
    let current = revisions.iter().find(|r| name(r) == current_name).cloned();
    Some((current.unwrap_or_else(|| update.clone()), update))
}

fn record(w: &mut World, set: &Value, verb: &str, pod: &str, error: Option<&str>) {
    let title = if verb == "create" { "Create" } else { "Delete" };
    let set_name = name(set);
    let (reason, msg) = match error {
        None => (
            format!("Successful{title}"),
            format!("{verb} Pod {pod} in StatefulSet {set_name} successful"),
        ),
        Some(e) => (
            format!("Failed{title}"),
            format!("{verb} Pod {pod} in StatefulSet {set_name} failed error: {e}"),
        ),
    };
    events::record(
        w,
        set,
        None,
        error.is_some(),
        &reason,
        &msg,
        STATEFULSET_CONTROLLER,
    );
}

fn delete(w: &mut World, set: &Value, pod: &Value) {
    let result = delete_pod(w, text(set, &["metadata", "namespace"]), name(pod));
    record(w, set, "delete", name(pod), result.err().as_deref());
}

/// The pod for one ordinal: from the current revision below the partition
/// (a rollout in progress), from the update revision otherwise.
fn new_pod(set: &Value, current: &Value, update: &Value, ord: i64) -> Value {
    let strategy = &set["spec"]["updateStrategy"];
    let rolling = strategy["type"].as_str().unwrap_or("RollingUpdate") == "RollingUpdate";
    let start = set["spec"]["ordinals"]["start"].as_i64().unwrap_or(0);
    let below = match strategy["rollingUpdate"]["partition"].as_i64() {
        _ if strategy["rollingUpdate"].is_null() => {
            ord < start + set["status"]["currentReplicas"].as_i64().unwrap_or(0)
        }
        p => ord < start + p.unwrap_or(0),
    };
    let rev = if rolling && below { current } else { update };
    let mut pod = pod_from_template(set, &revision_template(rev));
    let pod_name = format!("{}-{ord}", name(set));
    pod["metadata"]["name"] = json!(pod_name);
    let labels = map_at(&mut pod, &["metadata", "labels"]);
    labels.insert(POD_NAME_LABEL.into(), json!(pod_name));
    labels.insert(POD_INDEX_LABEL.into(), json!(ord.to_string()));
    labels.insert(REVISION_LABEL.into(), json!(name(rev)));
    let spec = map_at(&mut pod, &["spec"]);
    spec.insert("hostname".into(), json!(pod_name));
    if let Some(service) = set["spec"]["serviceName"]
        .as_str()
        .filter(|s| !s.is_empty())
    {
        spec.insert("subdomain".into(), json!(service));
    }
    pod
}

/// `updateStatefulSet`: replace failed pods, create missing ones, remove
/// condemned ones (highest ordinal first), then roll pods not at the update
/// revision, highest ordinal first, down to the partition. With OrderedReady
/// every step waits for the pods before it to be Running and Available.
fn update_pods(w: &mut World, set: &Value, current: &Value, update: &Value, pods: &[Value]) {
    let set_name = name(set).to_string();
    let (start, n) = (
        set["spec"]["ordinals"]["start"]
            .as_i64()
            .unwrap_or(0)
            .max(0),
        spec_replicas(set),
    );
    let monotonic = text(set, &["spec", "podManagementPolicy"]) != "Parallel";
    let (min_ready, now) = (set["spec"]["minReadySeconds"].as_i64().unwrap_or(0), w.now);
    let healthy =
        |p: &Value| !is_terminating(p) && phase(p) == "Running" && is_available(p, min_ready, now);
    let mut slots: Vec<Option<Value>> = vec![None; usize::try_from(n).unwrap_or(0)];
    let mut condemned: Vec<(i64, Value)> = Vec::new();
    for p in pods {
        let ord = ordinal(&set_name, p).unwrap_or(-1);
        match usize::try_from(ord - start)
            .ok()
            .filter(|&i| i < slots.len())
        {
            Some(i) => slots[i] = Some(p.clone()),
            None => condemned.push((ord, p.clone())),
        }
    }
    condemned.sort_by_key(|c| std::cmp::Reverse(c.0));
    // The first unhealthy condemned pod may go even in order.
    let first_unhealthy = condemned
        .iter()
        .rev()
        .find(|(_, p)| !healthy(p))
        .map(|(o, _)| *o);
    for (i, slot) in slots.iter_mut().enumerate() {
        let ord = start + i as i64;
        match slot {
            Some(p) if matches!(phase(p), "Failed" | "Succeeded") => {
                if !is_terminating(p) {
                    delete(w, set, p);
                }
                if monotonic {
                    return;
                }
            }
            Some(p) if monotonic && !healthy(p) => return,
            Some(_) => {}
            None => {
                let pod = new_pod(set, current, update, ord);
                let pod_name = name(&pod).to_string();
                match create_pod(w, pod) {
                    Ok(created) => {
                        record(w, set, "create", &pod_name, None);
                        *slot = Some(created);
                    }
                    Err(e) => return record(w, set, "create", &pod_name, Some(&e)),
                }
                if monotonic {
                    return;
                }
            }
        }
    }
    for (ord, p) in &condemned {
        if is_terminating(p) {
            if monotonic {
                return;
            }
            continue;
        }
        if monotonic && !healthy(p) && first_unhealthy != Some(*ord) {
            return;
        }
        delete(w, set, p);
        if monotonic {
            return;
        }
    }
    let strategy = &set["spec"]["updateStrategy"];
    if strategy["type"] == "OnDelete" {
        return;
    }
    let partition =
        usize::try_from(strategy["rollingUpdate"]["partition"].as_i64().unwrap_or(0)).unwrap_or(0);
    for slot in slots.iter().skip(partition).rev() {
        let Some(p) = slot else { return };
        if revision_of(p) != name(update) && !is_terminating(p) {
            return delete(w, set, p);
        }
        if !healthy(p) {
            return;
        }
    }
}

fn status(
    w: &World,
    set: &Value,
    current: &Value,
    update: &Value,
    collisions: i64,
    pods: &[Value],
) -> Value {
    let (min_ready, now) = (set["spec"]["minReadySeconds"].as_i64().unwrap_or(0), w.now);
    let count = |f: &dyn Fn(&Value) -> bool| pods.iter().filter(|p| f(p)).count() as i64;
    let running = |p: &Value| phase(p) == "Running";
    let ready = count(&|p| running(p) && is_ready(p));
    let available = count(&|p| running(p) && is_available(p, min_ready, now));
    let at = |rev: &Value| count(&|p| !is_terminating(p) && revision_of(p) == name(rev));
    let (mut current_n, updated) = (at(current), at(update));
    let mut current_rev = name(current);
    let want = spec_replicas(set);
    let rolling = set["spec"]["updateStrategy"]["type"]
        .as_str()
        .unwrap_or("RollingUpdate")
        == "RollingUpdate";
    // completeRollingUpdate: everything at the update revision and ready.
    if rolling && updated == want && ready == want && pods.len() as i64 == want {
        (current_n, current_rev) = (updated, name(update));
    }
    let mut st = Map::new();
    if let Some(g) = set["metadata"]["generation"].as_i64() {
        st.insert("observedGeneration".into(), json!(g));
    }
    set_count(&mut st, "replicas", pods.len() as i64, false);
    set_count(&mut st, "readyReplicas", ready, true);
    set_count(&mut st, "currentReplicas", current_n, true);
    set_count(&mut st, "updatedReplicas", updated, true);
    set_count(&mut st, "availableReplicas", available, false);
    st.insert("currentRevision".into(), json!(current_rev));
    st.insert("updateRevision".into(), json!(name(update)));
    st.insert("collisionCount".into(), json!(collisions));
    Value::Object(st)
}

/// Deletes revisions no pod uses, oldest first, beyond `revisionHistoryLimit`.
fn truncate_history(
    w: &mut World,
    set: &Value,
    pods: &[Value],
    revisions: &[Value],
    current: &Value,
    update: &Value,
) {
    let mut live: BTreeSet<&str> = pods.iter().map(revision_of).collect();
    live.extend([name(current), name(update)]);
    let history: Vec<&Value> = revisions
        .iter()
        .filter(|r| !live.contains(name(r)))
        .collect();
    let Ok(limit) = usize::try_from(set["spec"]["revisionHistoryLimit"].as_i64().unwrap_or(10))
    else {
        return;
    };
    for cr in history.iter().take(history.len().saturating_sub(limit)) {
        delete_revision(w, cr);
    }
}

#[cfg(test)]
mod tests;
