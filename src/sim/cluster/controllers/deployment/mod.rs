//! The Deployment controller (kubernetes `pkg/controller/deployment`): one
//! ReplicaSet per pod template, named `<deployment>-<pod-template-hash>`,
//! rolled by maxSurge/maxUnavailable or recreated, with the revision
//! annotations `kubectl rollout history/undo` read and the status and
//! conditions `kubectl rollout status` waits on.
//!
//! A rollback is a template change back to an older template: the old
//! ReplicaSet is found again (templates compare without the hash label) and
//! gets the next revision number.

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::replicaset::{
    by_creation, canonical, claim, controller_ref, controller_uid, ensure_object, is_terminating,
    map_at, name, normalized, phase, scaled_value, set_count, spec_replicas, status_count, text,
    uid, write,
};
use crate::sim::cluster::events::{self, DEPLOYMENT_CONTROLLER};
use crate::sim::cluster::rng::{fnv32a, safe_encode};
use crate::sim::cluster::time::{k8s_time, parse_time};
use crate::sim::cluster::world::{DeleteOptions, World};
use crate::sim::store::resources;
use crate::sim::store::selector::LabelSelector;

pub const HASH_LABEL: &str = "pod-template-hash";
pub const REVISION: &str = "deployment.kubernetes.io/revision";
pub const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
pub const DESIRED_REPLICAS: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
/// Deployment annotations that are not copied onto its ReplicaSets.
const NOT_COPIED: &[&str] = &[
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION,
    REVISION_HISTORY,
    DESIRED_REPLICAS,
    MAX_REPLICAS,
    "deprecated.deployment.rollback.to",
];
/// `revision-history` is kept under this many characters.
const MAX_HISTORY_CHARS: usize = 2000;

const PROGRESSING: &str = "Progressing";
const REPLICA_FAILURE: &str = "ReplicaFailure";
const AVAILABLE: &str = "Available";
const NEW_RS_AVAILABLE: &str = "NewReplicaSetAvailable";
const TIMED_OUT: &str = "ProgressDeadlineExceeded";
const PAUSED: &str = "DeploymentPaused";

fn without_hash(template: &Value) -> Value {
    let mut t = template.clone();
    if let Some(labels) = t
        .pointer_mut("/metadata/labels")
        .and_then(Value::as_object_mut)
    {
        labels.remove(HASH_LABEL);
    }
    normalized(&t)
}

/// `controller.ComputeHash`: FNV-1a of the template (without the hash label),
/// then of the collision count, safe-encoded.
pub(crate) fn template_hash(template: &Value, collision_count: Option<i64>) -> String {
    let mut bytes = canonical(&without_hash(template)).into_bytes();
    if let Some(c) = collision_count {
        bytes.extend_from_slice(&(c as u32).to_le_bytes());
    }
    safe_encode(fnv32a(&bytes))
}

fn annotation<'a>(obj: &'a Value, key: &str) -> Option<&'a str> {
    obj["metadata"]["annotations"][key].as_str()
}

fn set_annotation(obj: &mut Value, key: &str, value: String) -> bool {
    let anns = map_at(obj, &["metadata", "annotations"]);
    let changed = anns.get(key).and_then(Value::as_str) != Some(value.as_str());
    anns.insert(key.to_string(), Value::String(value));
    changed
}

fn revision(rs: &Value) -> Option<i64> {
    annotation(rs, REVISION)?.parse().ok()
}

fn is_rolling(d: &Value) -> bool {
    text(d, &["spec", "strategy", "type"]) != "Recreate"
}

/// (maxSurge, maxUnavailable) against `spec.replicas`: surge rounds up,
/// unavailability down, and both 0 means one may be unavailable.
fn fenceposts(d: &Value) -> (i64, i64) {
    let (n, dflt) = (spec_replicas(d), json!("25%"));
    let ru = &d["spec"]["strategy"]["rollingUpdate"];
    let surge = scaled_value(ru.get("maxSurge").unwrap_or(&dflt), n, true).max(0);
    let unavailable = scaled_value(ru.get("maxUnavailable").unwrap_or(&dflt), n, false).max(0);
    if surge == 0 && unavailable == 0 {
        (0, 1)
    } else {
        (surge, unavailable)
    }
}

fn max_surge(d: &Value) -> i64 {
    if is_rolling(d) { fenceposts(d).0 } else { 0 }
}

fn max_unavailable(d: &Value) -> i64 {
    let n = spec_replicas(d);
    if !is_rolling(d) || n == 0 {
        0
    } else {
        fenceposts(d).1.min(n)
    }
}

fn has_deadline(d: &Value) -> bool {
    d["spec"]["progressDeadlineSeconds"]
        .as_i64()
        .is_some_and(|s| s != i64::from(i32::MAX))
}

fn condition<'a>(status: &'a Value, kind: &str) -> Option<&'a Value> {
    status["conditions"]
        .as_array()?
        .iter()
        .find(|c| c["type"] == kind)
}

fn new_condition(kind: &str, status: &str, reason: &str, msg: &str, now: Timestamp) -> Value {
    let t = k8s_time(now);
    json!({"type": kind, "status": status, "reason": reason, "message": msg, "lastUpdateTime": t, "lastTransitionTime": t})
}

fn remove_condition(status: &mut Value, kind: &str) {
    let mut list = status["conditions"].as_array().cloned().unwrap_or_default();
    list.retain(|c| c["type"] != kind);
    ensure_object(status).insert("conditions".into(), Value::Array(list));
}

/// `SetDeploymentCondition`: same status and reason is no change; same
/// status keeps the transition time; the condition moves to the end.
fn set_condition(status: &mut Value, mut c: Value) {
    let kind = c["type"].as_str().unwrap_or("").to_string();
    if let Some(cur) = condition(status, &kind) {
        if cur["status"] == c["status"] && cur["reason"] == c["reason"] {
            return;
        }
        if cur["status"] == c["status"] {
            c["lastTransitionTime"] = cur["lastTransitionTime"].clone();
        }
    }
    remove_condition(status, &kind);
    let mut list = status["conditions"].as_array().cloned().unwrap_or_default();
    list.push(c);
    ensure_object(status).insert("conditions".into(), Value::Array(list));
}

/// One sync of one Deployment: the object as it is being changed and its
/// ReplicaSets (indices into `rss` stand for ReplicaSets below).
struct Sync {
    d: Value,
    rss: Vec<Value>,
    selector: LabelSelector,
    now: Timestamp,
}

pub fn sync(w: &mut World, namespace: &str, name_: &str) {
    let Some(orig) = w.store.get_value("deployments", namespace, name_) else {
        return;
    };
    let selector = match LabelSelector::from_json(&orig["spec"]["selector"]) {
        Ok(s) if !s.is_empty() => s,
        _ => return,
    };
    let rss = claim(w, "replicasets", &orig, &selector);
    let mut s = Sync {
        d: orig.clone(),
        rss,
        selector,
        now: w.now,
    };
    if is_terminating(&orig) {
        let new = s.new_rs(w, false);
        s.d["status"] = s.calculate_status(new);
    } else {
        s.check_paused_conditions();
        if s.d["spec"]["paused"] == true || s.is_scaling_event(w) {
            let new = s.new_rs(w, false);
            s.scale(w, new);
            if s.d["spec"]["paused"] == true {
                s.cleanup(w, new);
            }
            s.d["status"] = s.calculate_status(new);
        } else if is_rolling(&s.d) {
            s.rollout_rolling(w);
        } else {
            s.rollout_recreate(w);
        }
    }
    write(w, "deployments", &orig, s.d);
}

impl Sync {
    fn olds(&self, new: Option<usize>) -> Vec<usize> {
        (0..self.rss.len()).filter(|&i| Some(i) != new).collect()
    }

    fn all(&self) -> Vec<usize> {
        (0..self.rss.len()).collect()
    }

    fn sum(&self, which: &[usize], f: impl Fn(&Value) -> i64) -> i64 {
        which.iter().map(|&i| f(&self.rss[i])).sum()
    }

    fn sorted(&self, mut which: Vec<usize>, newest_first: bool) -> Vec<usize> {
        which.sort_by(|&a, &b| by_creation(&self.rss[a], &self.rss[b]));
        if newest_first {
            which.reverse();
        }
        which
    }

    fn want(&self) -> i64 {
        spec_replicas(&self.d)
    }

    fn progress(&self, status: &str, reason: &str, msg: &str) -> Value {
        new_condition(PROGRESSING, status, reason, msg, self.now)
    }

    fn set_progressing(&mut self, status: &str, reason: &str, msg: &str) {
        let c = self.progress(status, reason, msg);
        set_condition(&mut self.d["status"], c);
    }

    /// `getNewReplicaSet`: the (oldest) ReplicaSet with the deployment's
    /// template, its revision raised past the old ones and annotations
    /// synced; created when missing and `create`.
    fn new_rs(&mut self, w: &mut World, create: bool) -> Option<usize> {
        let template = without_hash(&self.d["spec"]["template"]);
        let order = self.sorted(self.all(), false);
        let found = order
            .into_iter()
            .find(|&i| without_hash(&self.rss[i]["spec"]["template"]) == template);
        let max_old = self
            .olds(found)
            .iter()
            .filter_map(|&i| revision(&self.rss[i]))
            .max();
        let next = max_old.unwrap_or(0) + 1;
        let min_ready = self.d["spec"]["minReadySeconds"].as_i64().unwrap_or(0);
        if let Some(i) = found {
            let mut rs = self.rss[i].clone();
            set_new_rs_annotations(&self.d, &mut rs, next, true);
            set_min_ready(&mut rs, min_ready);
            write(w, "replicasets", &self.rss[i], rs.clone());
            let rev = annotation(&rs, REVISION).unwrap_or("").to_string();
            set_annotation(&mut self.d, REVISION, rev);
            if has_deadline(&self.d) && condition(&self.d["status"], PROGRESSING).is_none() {
                let msg = format!("Found new replica set {:?}", name(&rs));
                self.set_progressing("True", "FoundNewReplicaSet", &msg);
            }
            self.rss[i] = rs;
            return Some(i);
        }
        if !create {
            return None;
        }
        let collision = self.d["status"]["collisionCount"].as_i64();
        let hash = template_hash(&self.d["spec"]["template"], collision);
        let mut rs_template = self.d["spec"]["template"].clone();
        map_at(&mut rs_template, &["metadata", "labels"]).insert(HASH_LABEL.into(), json!(hash));
        let mut selector = self.d["spec"]["selector"].clone();
        map_at(&mut selector, &["matchLabels"]).insert(HASH_LABEL.into(), json!(hash));
        let (rs_name, ns) = (
            format!("{}-{hash}", name(&self.d)),
            text(&self.d, &["metadata", "namespace"]),
        );
        let replicas = self.new_rs_replicas(0, self.sum(&self.all(), spec_replicas));
        let mut rs = json!({
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": rs_name, "namespace": ns, "labels": rs_template["metadata"]["labels"], "ownerReferences": [controller_ref(&self.d)]},
            "spec": {"replicas": replicas, "selector": selector, "template": rs_template},
        });
        set_min_ready(&mut rs, min_ready);
        set_new_rs_annotations(&self.d, &mut rs, next, false);
        let (rt, ns) = (resources::by_storage("replicasets")?, ns.to_string());
        match w.create(rt, &ns, rs, false) {
            Ok(created) => {
                if replicas > 0 {
                    let msg = format!("Scaled up replica set {rs_name} to {replicas}");
                    self.event(w, false, "ScalingReplicaSet", &msg);
                }
                self.rss.push(created);
                set_annotation(&mut self.d, REVISION, next.to_string());
                if has_deadline(&self.d) {
                    let msg = format!("Created new replica set {rs_name:?}");
                    self.set_progressing("True", "NewReplicaSetCreated", &msg);
                }
                Some(self.rss.len() - 1)
            }
            Err(e) if e.reason == "AlreadyExists" => {
                if let Some(rs) = w.store.get_value("replicasets", &ns, &rs_name)
                    && controller_uid(&rs) == Some(uid(&self.d))
                    && without_hash(&rs["spec"]["template"]) == template
                {
                    self.rss.push(rs);
                    set_annotation(&mut self.d, REVISION, next.to_string());
                    return Some(self.rss.len() - 1);
                }
                // A hash collision: the next sync tries another name.
                let count = json!(collision.unwrap_or(0) + 1);
                map_at(&mut self.d, &["status"]).insert("collisionCount".into(), count);
                None
            }
            Err(e) => {
                let msg = format!(
                    "Failed to create new replica set {rs_name:?}: {}",
                    e.message
                );
                if has_deadline(&self.d) {
                    self.set_progressing("False", "ReplicaSetCreateError", &msg);
                }
                self.event(w, true, "ReplicaSetCreateError", &msg);
                None
            }
        }
    }

    fn event(&self, w: &mut World, warning: bool, reason: &str, msg: &str) {
        events::record(
            w,
            &self.d,
            None,
            warning,
            reason,
            msg,
            DEPLOYMENT_CONTROLLER,
        );
    }

    /// `NewRSNewReplicas`: how far the new ReplicaSet may grow now.
    fn new_rs_replicas(&self, have: i64, all: i64) -> i64 {
        let max_total = self.want() + fenceposts(&self.d).0;
        match is_rolling(&self.d) {
            false => self.want(),
            true if all >= max_total => have,
            true => have + (max_total - all).min(self.want() - have),
        }
    }

    /// Sets a ReplicaSet's size and replica annotations; records the event.
    fn scale_rs(&mut self, w: &mut World, i: usize, to: i64, op: &str) -> bool {
        let (from, want) = (spec_replicas(&self.rss[i]), self.want());
        let mut rs = self.rss[i].clone();
        rs["spec"]["replicas"] = json!(to);
        set_replicas_annotations(&mut rs, want, want + max_surge(&self.d));
        write(w, "replicasets", &self.rss[i], rs.clone());
        if from != to {
            let msg = format!("Scaled {op} replica set {} to {to} from {from}", name(&rs));
            self.event(w, false, "ScalingReplicaSet", &msg);
        }
        self.rss[i] = rs;
        from != to
    }

    fn scale_to(&mut self, w: &mut World, i: usize, to: i64) -> bool {
        let from = spec_replicas(&self.rss[i]);
        from != to && self.scale_rs(w, i, to, if from < to { "up" } else { "down" })
    }

    fn reconcile_new(&mut self, w: &mut World, new: usize) -> bool {
        let have = spec_replicas(&self.rss[new]);
        if have >= self.want() {
            return self.scale_to(w, new, self.want());
        }
        let to = self.new_rs_replicas(have, self.sum(&self.all(), spec_replicas));
        self.scale_to(w, new, to)
    }

    /// `reconcileOldReplicaSets`: old replicas that are not available go
    /// first, then old ones scale down (oldest first) while at least
    /// `replicas - maxUnavailable` stay available.
    fn reconcile_olds(&mut self, w: &mut World, new: usize) -> bool {
        let active = |s: &Self| {
            s.olds(Some(new))
                .into_iter()
                .filter(|&i| spec_replicas(&s.rss[i]) > 0)
                .collect()
        };
        let olds: Vec<usize> = self.sorted(active(self), false);
        let min_available = self.want() - max_unavailable(&self.d);
        let new_unavailable =
            spec_replicas(&self.rss[new]) - status_count(&self.rss[new], "availableReplicas");
        let mut budget = self.sum(&self.all(), spec_replicas) - min_available - new_unavailable;
        if olds.is_empty() || budget <= 0 {
            return false;
        }
        let mut scaled = false;
        for &i in &olds {
            let have = spec_replicas(&self.rss[i]);
            let down = budget.min(have - status_count(&self.rss[i], "availableReplicas"));
            if budget > 0 && down > 0 {
                scaled |= self.scale_to(w, i, have - down);
                budget -= down;
            }
        }
        let mut counted = olds.clone();
        counted.push(new);
        let mut excess =
            self.sum(&counted, |rs| status_count(rs, "availableReplicas")) - min_available;
        for &i in &olds {
            let have = spec_replicas(&self.rss[i]);
            if excess > 0 && have > 0 {
                scaled |= self.scale_to(w, i, have - have.min(excess));
                excess -= have.min(excess);
            }
        }
        scaled
    }

    /// Deletes old ReplicaSets beyond `revisionHistoryLimit`, lowest revision
    /// first, if they are scaled to 0 and have no pods.
    fn cleanup(&mut self, w: &mut World, new: Option<usize>) {
        let Some(limit) = self.d["spec"]["revisionHistoryLimit"].as_i64() else {
            return;
        };
        let mut olds = self.olds(new);
        olds.retain(|&i| !is_terminating(&self.rss[i]));
        olds.sort_by(|&a, &b| by_revision(&self.rss[a], &self.rss[b]));
        let excess = usize::try_from(olds.len() as i64 - limit).unwrap_or(0);
        let Some(rt) = resources::by_storage("replicasets") else {
            return;
        };
        for &i in olds.iter().take(excess) {
            let rs = &self.rss[i];
            let generation = rs["metadata"]["generation"].as_i64().unwrap_or(0);
            let busy = status_count(rs, "replicas") != 0 || spec_replicas(rs) != 0;
            if busy || generation > status_count(rs, "observedGeneration") {
                continue;
            }
            let ns = text(rs, &["metadata", "namespace"]).to_string();
            let _ = w.delete(rt, &ns, name(rs), &DeleteOptions::default());
        }
    }

    fn calculate_status(&self, new: Option<usize>) -> Value {
        let all = self.all();
        let count = |k: &str| self.sum(&all, |rs| status_count(rs, k));
        let available = count("availableReplicas");
        let mut st = Map::new();
        if let Some(g) = self.d["metadata"]["generation"].as_i64() {
            st.insert("observedGeneration".into(), json!(g));
        }
        set_count(&mut st, "replicas", count("replicas"), true);
        let updated = new.map_or(0, |i| status_count(&self.rss[i], "replicas"));
        set_count(&mut st, "updatedReplicas", updated, true);
        set_count(&mut st, "readyReplicas", count("readyReplicas"), true);
        set_count(&mut st, "availableReplicas", available, true);
        let unavailable = (self.sum(&all, spec_replicas) - available).max(0);
        set_count(&mut st, "unavailableReplicas", unavailable, true);
        for key in ["conditions", "collisionCount"] {
            if let Some(v) = self.d["status"].get(key).filter(|v| !v.is_null()) {
                st.insert(key.into(), v.clone());
            }
        }
        let mut status = Value::Object(st);
        let c = match available >= self.want() - max_unavailable(&self.d) {
            true => [
                "True",
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.",
            ],
            false => [
                "False",
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.",
            ],
        };
        set_condition(
            &mut status,
            new_condition(AVAILABLE, c[0], c[1], c[2], self.now),
        );
        status
    }

    /// `DeploymentComplete`.
    fn complete(&self, status: &Value) -> bool {
        let count = |k: &str| status[k].as_i64().unwrap_or(0);
        let generation = self.d["metadata"]["generation"].as_i64().unwrap_or(0);
        ["updatedReplicas", "replicas", "availableReplicas"]
            .iter()
            .all(|k| count(k) == self.want())
            && count("observedGeneration") >= generation
    }

    /// `DeploymentProgressing`: more updated, ready or available replicas, or
    /// fewer old ones, than the status last written says.
    fn progressing(&self, new: &Value) -> bool {
        let old = &self.d["status"];
        let n = |s: &Value, k: &str| s[k].as_i64().unwrap_or(0);
        let olds = |s: &Value| n(s, "replicas") - n(s, "updatedReplicas");
        ["updatedReplicas", "readyReplicas", "availableReplicas"]
            .iter()
            .any(|k| n(new, k) > n(old, k))
            || olds(new) < olds(old)
    }

    /// `syncRolloutStatus`: counts, Available, and Progressing as a rollout
    /// moves, completes, or stalls past `progressDeadlineSeconds`.
    fn sync_rollout_status(&mut self, new: Option<usize>) {
        let mut status = self.calculate_status(new);
        let current = condition(&self.d["status"], PROGRESSING).cloned();
        let done = current
            .as_ref()
            .is_some_and(|c| c["reason"] == NEW_RS_AVAILABLE);
        if !has_deadline(&self.d) {
            remove_condition(&mut status, PROGRESSING);
        } else if !(done && status["replicas"] == status["updatedReplicas"]) {
            let subject = match new {
                Some(i) => format!("ReplicaSet {:?}", name(&self.rss[i])),
                None => format!("Deployment {:?}", name(&self.d)),
            };
            let deadline = self.d["spec"]["progressDeadlineSeconds"]
                .as_i64()
                .unwrap_or(600);
            let c = condition(&status, PROGRESSING);
            let stalled = match c.and_then(|c| c["reason"].as_str()) {
                Some(NEW_RS_AVAILABLE) | None => false,
                Some(TIMED_OUT) => true,
                _ => c
                    .and_then(|c| parse_time(&c["lastUpdateTime"]))
                    .is_some_and(|t| crate::sim::cluster::time::after(t, deadline) < self.now),
            };
            if self.complete(&status) {
                let msg = format!("{subject} has successfully progressed.");
                set_condition(&mut status, self.progress("True", NEW_RS_AVAILABLE, &msg));
            } else if self.progressing(&status) {
                // Progress refreshes lastUpdateTime even when the reason stays.
                let msg = format!("{subject} is progressing.");
                let mut c = self.progress("True", "ReplicaSetUpdated", &msg);
                if let Some(cur) = current.as_ref().filter(|c| c["status"] == "True") {
                    c["lastTransitionTime"] = cur["lastTransitionTime"].clone();
                }
                remove_condition(&mut status, PROGRESSING);
                set_condition(&mut status, c);
            } else if stalled {
                let msg = format!("{subject} has timed out progressing.");
                set_condition(&mut status, self.progress("False", TIMED_OUT, &msg));
            }
        }
        // `getReplicaFailures`: the new ReplicaSet's failure to create pods
        // (a quota exceeded) shows on the Deployment, else an old one's.
        let failure = new
            .into_iter()
            .chain(self.olds(new))
            .find_map(|i| condition(&self.rss[i]["status"], REPLICA_FAILURE).cloned());
        match failure {
            Some(f) => {
                let mut c = new_condition(
                    REPLICA_FAILURE,
                    f["status"].as_str().unwrap_or("True"),
                    f["reason"].as_str().unwrap_or(""),
                    f["message"].as_str().unwrap_or(""),
                    self.now,
                );
                c["lastUpdateTime"] = f["lastTransitionTime"].clone();
                c["lastTransitionTime"] = f["lastTransitionTime"].clone();
                set_condition(&mut status, c);
            }
            None if condition(&status, REPLICA_FAILURE).is_some() => {
                remove_condition(&mut status, REPLICA_FAILURE);
            }
            None => {}
        }
        self.d["status"] = status;
    }

    fn check_paused_conditions(&mut self) {
        let reason = condition(&self.d["status"], PROGRESSING).and_then(|c| c["reason"].as_str());
        let shown = reason == Some(PAUSED);
        if !has_deadline(&self.d) || reason == Some(TIMED_OUT) {
            return;
        }
        match (self.d["spec"]["paused"] == true, shown) {
            (true, false) => self.set_progressing("Unknown", PAUSED, "Deployment is paused"),
            (false, true) => {
                self.set_progressing("Unknown", "DeploymentResumed", "Deployment is resumed")
            }
            _ => {}
        }
    }

    /// Some active ReplicaSet was sized for another `spec.replicas`.
    fn is_scaling_event(&mut self, w: &mut World) -> bool {
        self.new_rs(w, false);
        let sized_for =
            |rs: &Value| annotation(rs, DESIRED_REPLICAS).and_then(|s| s.parse::<i64>().ok());
        self.rss
            .iter()
            .any(|rs| spec_replicas(rs) > 0 && sized_for(rs).is_some_and(|n| n != self.want()))
    }

    /// `scale`: a lone active ReplicaSet takes the new size; a saturated new
    /// one ends the old ones; otherwise the change is spread over the active
    /// ones in proportion to their size (simpler than `GetProportion`, which
    /// works from the max-replicas annotation).
    fn scale(&mut self, w: &mut World, new: Option<usize>) {
        let olds = self.sorted(self.olds(new), true);
        let mut active: Vec<usize> = olds.iter().copied().chain(new).collect();
        active.retain(|&i| spec_replicas(&self.rss[i]) > 0);
        let lone = match active.len() {
            0 => new.or(olds.first().copied()),
            1 => Some(active[0]),
            _ => None,
        };
        if let Some(i) = lone {
            self.scale_to(w, i, self.want());
            return;
        }
        if let Some(n) = new.filter(|&n| {
            let rs = &self.rss[n];
            let desired = annotation(rs, DESIRED_REPLICAS).and_then(|s| s.parse::<i64>().ok());
            spec_replicas(rs) == self.want()
                && desired == Some(self.want())
                && status_count(rs, "availableReplicas") == self.want()
        }) {
            for i in olds.into_iter().filter(|&i| i != n) {
                self.scale_to(w, i, 0);
            }
            return;
        }
        if !is_rolling(&self.d) {
            return;
        }
        // Spread the change over the active ReplicaSets in proportion to
        // their size, the rounding rest to the largest.
        let allowed = (self.want() + max_surge(&self.d)) * i64::from(self.want() > 0);
        let total = self.sum(&active, spec_replicas);
        let to_add = allowed - total;
        let rss = &self.rss;
        active.sort_by(|&a, &b| {
            let (x, y) = if to_add > 0 { (b, a) } else { (a, b) };
            let size = |i: usize| spec_replicas(&rss[i]);
            size(b).cmp(&size(a)).then(by_creation(&rss[x], &rss[y]))
        });
        let mut added = 0;
        let mut sizes: Vec<i64> = Vec::new();
        for &i in &active {
            let have = spec_replicas(&self.rss[i]);
            let share = ((have * to_add) as f64 / total.max(1) as f64).round() as i64;
            let p = if to_add > 0 {
                share.min(to_add - added)
            } else {
                share.max(to_add - added)
            };
            sizes.push(have + p);
            added += p;
        }
        let op = if to_add > 0 { "up" } else { "down" };
        for (k, &i) in active.iter().enumerate() {
            let rest = if k == 0 { to_add - added } else { 0 };
            self.scale_rs(w, i, (sizes[k] + rest).max(0), op);
        }
    }

    fn rollout_rolling(&mut self, w: &mut World) {
        let Some(n) = self.new_rs(w, true) else {
            return;
        };
        if !self.reconcile_new(w, n)
            && !self.reconcile_olds(w, n)
            && self.complete(&self.d["status"])
        {
            self.cleanup(w, Some(n));
        }
        self.sync_rollout_status(Some(n));
    }

    /// Recreate: old ReplicaSets to 0, wait until their pods are gone, then
    /// the new one at full size.
    fn rollout_recreate(&mut self, w: &mut World) {
        let mut new = self.new_rs(w, false);
        let mut scaled = false;
        for i in self.olds(new) {
            scaled |= self.scale_to(w, i, 0);
        }
        if !scaled && !self.old_pods_running(w, new) {
            if new.is_none() {
                new = self.new_rs(w, true);
            }
            if let Some(n) = new {
                self.scale_to(w, n, self.want());
            }
            if self.complete(&self.d["status"]) {
                self.cleanup(w, new);
            }
        }
        self.sync_rollout_status(new);
    }

    /// Some pod of an old ReplicaSet still exists and has not finished
    /// (terminating ones included).
    fn old_pods_running(&self, w: &World, new: Option<usize>) -> bool {
        let olds = self.olds(new);
        if self.sum(&olds, |rs| status_count(rs, "replicas")) > 0 {
            return true;
        }
        let uids: Vec<&str> = olds
            .iter()
            .map(|&i| uid(&self.rss[i]))
            .filter(|u| !u.is_empty())
            .collect();
        let ns = text(&self.d, &["metadata", "namespace"]);
        w.store.list("pods", Some(ns), None).items.iter().any(|s| {
            if !self.selector.matches(&s.labels) || !uids.iter().any(|u| s.json.contains(u)) {
                return false;
            }
            let pod = s.value();
            let owned = controller_uid(&pod).is_some_and(|u| uids.contains(&u));
            owned && !matches!(phase(&pod), "Failed" | "Succeeded")
        })
    }
}

/// `ReplicaSetsByRevision`.
fn by_revision(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (revision(a), revision(b)) {
        (Some(x), Some(y)) if x != y => x.cmp(&y),
        _ => by_creation(a, b),
    }
}

fn set_min_ready(rs: &mut Value, seconds: i64) {
    let spec = map_at(rs, &["spec"]);
    if seconds > 0 {
        spec.insert("minReadySeconds".into(), json!(seconds));
    } else {
        spec.remove("minReadySeconds");
    }
}

fn set_replicas_annotations(rs: &mut Value, desired: i64, max: i64) -> bool {
    let a = set_annotation(rs, DESIRED_REPLICAS, desired.to_string());
    set_annotation(rs, MAX_REPLICAS, max.to_string()) || a
}

/// `SetNewReplicaSetAnnotations`: the deployment's annotations, the revision
/// (raised, never lowered; a raised one keeps the old in revision-history)
/// and, for a ReplicaSet being created, the replica annotations.
fn set_new_rs_annotations(d: &Value, rs: &mut Value, next: i64, exists: bool) {
    for (k, v) in d["metadata"]["annotations"]
        .as_object()
        .into_iter()
        .flatten()
    {
        if let Some(v) = v.as_str().filter(|_| !NOT_COPIED.contains(&k.as_str())) {
            set_annotation(rs, k, v.to_string());
        }
    }
    let old = annotation(rs, REVISION).unwrap_or("").to_string();
    let old_n = match old.parse::<i64>() {
        Ok(n) => n,
        Err(_) if old.is_empty() => 0,
        Err(_) => return,
    };
    if old_n < next {
        set_annotation(rs, REVISION, next.to_string());
        if !old.is_empty() {
            let history = annotation(rs, REVISION_HISTORY).unwrap_or("").to_string();
            let mut kept: Vec<&str> = history.split(',').filter(|s| !s.is_empty()).collect();
            let mut total = history.len() + old.len() + 1;
            while total > MAX_HISTORY_CHARS && !kept.is_empty() {
                total -= kept.remove(0).len() + 1;
            }
            kept.push(&old);
            set_annotation(rs, REVISION_HISTORY, kept.join(","));
        }
    }
    if !exists {
        set_replicas_annotations(rs, spec_replicas(d), spec_replicas(d) + max_surge(d));
    }
}

#[cfg(test)]
mod tests;
