//! The default scheduler, as far as the sim's pods need it: kube-scheduler's
//! filters (NodeUnschedulable, TaintToleration, NodeAffinity,
//! NodeResourcesFit) in their order, a least-requested-memory score, binding,
//! and the `FailedScheduling` message users paste into search engines:
//! `0/3 nodes are available: 1 node(s) had untolerated taint {…}, 2
//! Insufficient memory. preemption: 0/3 nodes are available: …`.

use crate::model::quantity::quantity;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::SignedDuration;
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

use super::replicaset::{created, is_terminating, map_at, name, phase, text};
use crate::sim::cluster::events::{self, SCHEDULER};
use crate::sim::cluster::queues::RESYNC;
use crate::sim::cluster::time::{k8s_time, parse_time};
use crate::sim::cluster::world::World;
use crate::sim::store::{Labels, labels_of};

/// How often a pod that stays unschedulable is reported again (kube-scheduler
/// retries such pods on cluster changes and at least every five minutes).
const REPORT_AGAIN: SignedDuration = SignedDuration::from_secs(60);
/// What scoring assumes a container without requests uses (the scheduler's
/// non-zero defaults), so that BestEffort pods still spread.
const DEFAULT_MEMORY: i64 = 200 * 1024 * 1024;
const NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";
const NO_VICTIMS: &str = "No preemption victims found for incoming pod";

/// What a pod asks for: CPU in millicores, memory in bytes, and the memory
/// scoring counts.
#[derive(Debug, Default, Clone, Copy)]
struct Requests {
    cpu: i64,
    memory: i64,
    score_memory: i64,
}

/// A container's requests for `r` in millicores or bytes; a limit without a
/// request is the request (API defaulting).
fn request(resources: &Value, r: &str) -> i64 {
    let q = quantity(&resources["requests"][r]).or_else(|| quantity(&resources["limits"][r]));
    q.map_or(0, |q| {
        if r == "cpu" {
            (q * 1000.0).ceil() as i64
        } else {
            q.ceil() as i64
        }
    })
}

/// The effective requests from the containers' and init containers'
/// `resources` and the pod overhead.
fn requests<'a>(
    containers: impl Iterator<Item = &'a Value>,
    init: impl Iterator<Item = &'a Value>,
    overhead: &Value,
) -> Requests {
    let mut r = Requests::default();
    for res in containers {
        let memory = request(res, "memory");
        r.cpu += request(res, "cpu");
        r.memory += memory;
        r.score_memory += if memory > 0 { memory } else { DEFAULT_MEMORY };
    }
    for res in init {
        r.cpu = r.cpu.max(request(res, "cpu"));
        r.memory = r.memory.max(request(res, "memory"));
    }
    r.cpu += quantity(&overhead["cpu"]).map_or(0, |q| (q * 1000.0).ceil() as i64);
    r.memory += quantity(&overhead["memory"]).map_or(0, |q| q.ceil() as i64);
    r
}

fn pod_requests(spec: &Value) -> Requests {
    let list = |key: &str| spec[key].as_array().map_or(&[][..], Vec::as_slice);
    let containers = list("containers").iter().map(|c| &c["resources"]);
    let init = list("initContainers").iter().map(|c| &c["resources"]);
    requests(containers, init, &spec["overhead"])
}

/// The little of a bound pod the scheduler's cache needs, read without
/// building the whole document (10,000 pods are read on every pass).
#[derive(Deserialize, Default)]
#[serde(default)]
struct BoundPod {
    #[serde(deserialize_with = "nullable")]
    spec: BoundSpec,
    #[serde(deserialize_with = "nullable")]
    status: BoundStatus,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct BoundSpec {
    #[serde(deserialize_with = "nullable")]
    node_name: String,
    #[serde(deserialize_with = "nullable")]
    containers: Vec<Resourced>,
    #[serde(deserialize_with = "nullable")]
    init_containers: Vec<Resourced>,
    overhead: Value,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Resourced {
    resources: Value,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BoundStatus {
    #[serde(deserialize_with = "nullable")]
    phase: String,
}

/// `null` reads as the default, as Go's decoder leaves a zero value.
fn nullable<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

impl BoundPod {
    /// Reads a stored pod; odd shapes written by clients take the slow path.
    fn read(json: &str) -> BoundPod {
        serde_json::from_str(json).unwrap_or_else(|_| {
            let v: Value = serde_json::from_str(json).unwrap_or_default();
            let r = pod_requests(&v["spec"]);
            let res = json!({"requests": {"cpu": format!("{}m", r.cpu), "memory": r.memory}});
            BoundPod {
                spec: BoundSpec {
                    node_name: text(&v, &["spec", "nodeName"]).to_string(),
                    containers: vec![Resourced { resources: res }],
                    ..BoundSpec::default()
                },
                status: BoundStatus {
                    phase: phase(&v).to_string(),
                },
            }
        })
    }

    fn requests(&self) -> Requests {
        let s = &self.spec;
        let containers = s.containers.iter().map(|c| &c.resources);
        requests(
            containers,
            s.init_containers.iter().map(|c| &c.resources),
            &s.overhead,
        )
    }
}

/// A node as the scheduler's cache sees it: what it offers and what the
/// pods bound to it already asked for.
struct Node {
    name: String,
    labels: Labels,
    taints: Vec<(String, String, String)>,
    unschedulable: bool,
    cpu: i64,
    memory: i64,
    pods: i64,
    used: Requests,
    used_pods: i64,
}

/// A node's taints as (key, value, effect).
pub(crate) fn taints(node: &Value) -> Vec<(String, String, String)> {
    let field = |t: &Value, k: &str| t[k].as_str().unwrap_or("").to_string();
    let list = node["spec"]["taints"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    list.iter()
        .map(|t| (field(t, "key"), field(t, "value"), field(t, "effect")))
        .collect()
}

impl Node {
    fn new(v: &Value) -> Node {
        let status = &v["status"];
        let offer = |r: &str| {
            quantity(&status["allocatable"][r]).or_else(|| quantity(&status["capacity"][r]))
        };
        let mut taints = taints(v);
        // What the node lifecycle controller taints a node that is not Ready with.
        let ready = status["conditions"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["type"] == "Ready"));
        let lost = match ready.and_then(|c| c["status"].as_str()) {
            Some("True") => None,
            Some("False") => Some("node.kubernetes.io/not-ready"),
            _ => Some("node.kubernetes.io/unreachable"),
        };
        if let Some(key) = lost.filter(|k| !taints.iter().any(|t| t.0 == *k)) {
            taints.push((key.to_string(), String::new(), "NoSchedule".to_string()));
        }
        Node {
            name: name(v).to_string(),
            labels: labels_of(v),
            taints,
            unschedulable: v["spec"]["unschedulable"] == true,
            cpu: offer("cpu").map_or(0, |q| (q * 1000.0).floor() as i64),
            memory: offer("memory").map_or(0, |q| q.floor() as i64),
            pods: offer("pods").map_or(110, |q| q as i64),
            used: Requests::default(),
            used_pods: 0,
        }
    }

    fn add(&mut self, r: &Requests) {
        self.used.cpu += r.cpu;
        self.used.memory += r.memory;
        self.used.score_memory += r.score_memory;
        self.used_pods += 1;
    }

    /// Why this node cannot take the pod (none when it can), and whether
    /// preempting other pods could change that.
    fn unfit(&self, spec: &Value, r: &Requests) -> (Vec<String>, bool) {
        let tolerations = spec["tolerations"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        if self.unschedulable
            && !tolerates(
                tolerations,
                "node.kubernetes.io/unschedulable",
                "",
                "NoSchedule",
            )
        {
            return (vec!["node(s) were unschedulable".into()], false);
        }
        let hard = |e: &str| e == "NoSchedule" || e == "NoExecute";
        if let Some((k, v, _)) = self
            .taints
            .iter()
            .find(|(k, v, e)| hard(e) && !tolerates(tolerations, k, v, e))
        {
            return (
                vec![format!("node(s) had untolerated taint {{{k}: {v}}}")],
                false,
            );
        }
        if !affinity_matches(spec, &self.name, &self.labels) {
            return (
                vec!["node(s) didn't match Pod's node affinity/selector".into()],
                false,
            );
        }
        let mut why = Vec::new();
        if self.used_pods + 1 > self.pods {
            why.push("Too many pods".to_string());
        }
        if r.cpu > 0 && r.cpu > self.cpu - self.used.cpu {
            why.push("Insufficient cpu".to_string());
        }
        if r.memory > 0 && r.memory > self.memory - self.used.memory {
            why.push("Insufficient memory".to_string());
        }
        (why, true)
    }

    /// The share of memory requested with the pod on it (lower is better).
    fn load(&self, r: &Requests) -> f64 {
        let requested = (self.used.score_memory + r.score_memory) as f64;
        if self.memory > 0 {
            requested / self.memory as f64
        } else {
            f64::INFINITY
        }
    }
}

/// `ToleratesTaint` for any of the tolerations.
pub(crate) fn tolerates(tolerations: &[Value], key: &str, value: &str, effect: &str) -> bool {
    tolerations.iter().any(|t| {
        let (tk, te) = (text(t, &["key"]), text(t, &["effect"]));
        let op = t["operator"].as_str().unwrap_or("Equal");
        (te.is_empty() || te == effect)
            && (tk.is_empty() || tk == key)
            && (op == "Exists" || (op == "Equal" && text(t, &["value"]) == value))
    })
}

/// `nodeSelector` and required node affinity (`matchExpressions` on labels,
/// `matchFields` on `metadata.name`).
pub(crate) fn affinity_matches(spec: &Value, node_name: &str, labels: &Labels) -> bool {
    let selected = spec["nodeSelector"].as_object().into_iter().flatten();
    if !selected
        .clone()
        .all(|(k, v)| labels.get(k).map(String::as_str) == v.as_str())
    {
        return false;
    }
    let required =
        &spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"];
    if required.is_null() {
        return true;
    }
    let terms = required["nodeSelectorTerms"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    terms.iter().any(|term| {
        let list = |k: &str| term[k].as_array().cloned().unwrap_or_default();
        let (exprs, fields) = (list("matchExpressions"), list("matchFields"));
        let label = |e: &Value| labels.get(text(e, &["key"])).map(String::as_str);
        let field = |e: &Value| (text(e, &["key"]) == "metadata.name").then_some(node_name);
        !(exprs.is_empty() && fields.is_empty())
            && exprs.iter().all(|e| requirement(e, label(e)))
            && fields
                .iter()
                .all(|e| text(e, &["key"]) == "metadata.name" && requirement(e, field(e)))
    })
}

fn requirement(e: &Value, got: Option<&str>) -> bool {
    let values: Vec<&str> = e["values"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let listed = got.is_some_and(|g| values.contains(&g));
    let number = |s: Option<&str>| s.and_then(|s| s.parse::<i64>().ok());
    match text(e, &["operator"]) {
        "In" => listed,
        "NotIn" => !listed,
        "Exists" => got.is_some(),
        "DoesNotExist" => got.is_none(),
        "Gt" => number(got)
            .zip(number(values.first().copied()))
            .is_some_and(|(g, v)| g > v),
        "Lt" => number(got)
            .zip(number(values.first().copied()))
            .is_some_and(|(g, v)| g < v),
        _ => false,
    }
}

/// Pods this scheduler must place.
fn wants_node(pod: &Value) -> bool {
    let scheduler = text(pod, &["spec", "schedulerName"]);
    let gated = pod["spec"]["schedulingGates"]
        .as_array()
        .is_some_and(|g| !g.is_empty());
    text(pod, &["spec", "nodeName"]).is_empty()
        && !is_terminating(pod)
        && !gated
        && (scheduler.is_empty() || scheduler == "default-scheduler")
        && !matches!(phase(pod), "Succeeded" | "Failed")
}

pub fn schedule(w: &mut World, pending: BTreeSet<(String, String)>) {
    let mut pods: Vec<Value> = pending
        .iter()
        .filter_map(|(ns, n)| w.store.get_value("pods", ns, n))
        .collect();
    pods.retain(wants_node);
    if pods.is_empty() {
        return;
    }
    // The scheduling queue: higher priority first, then older.
    let priority = |p: &Value| p["spec"]["priority"].as_i64().unwrap_or(0);
    pods.sort_by(|a, b| {
        priority(b)
            .cmp(&priority(a))
            .then(created(a).cmp(&created(b)))
            .then(name(a).cmp(name(b)))
    });
    let mut nodes: Vec<Node> = w
        .store
        .values("nodes", None)
        .iter()
        .map(Node::new)
        .collect();
    let index: HashMap<String, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.name.clone(), i))
        .collect();
    // Requests of the pods already bound, once per call.
    for stored in w.store.list("pods", None, None).items {
        let pod = BoundPod::read(&stored.json);
        if let Some(&i) = index.get(&pod.spec.node_name)
            && !matches!(pod.status.phase.as_str(), "Succeeded" | "Failed")
        {
            nodes[i].add(&pod.requests());
        }
    }
    for pod in pods {
        let r = pod_requests(&pod["spec"]);
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        let mut preemption: BTreeMap<String, usize> = BTreeMap::new();
        let mut best: Option<(f64, usize)> = None;
        for (i, node) in nodes.iter().enumerate() {
            let (why, resolvable) = node.unfit(&pod["spec"], &r);
            if why.is_empty() {
                let load = node.load(&r);
                if best.is_none_or(|(l, _)| load < l) {
                    best = Some((load, i));
                }
                continue;
            }
            for reason in why {
                *reasons.entry(reason).or_default() += 1;
            }
            let p = if resolvable { NO_VICTIMS } else { NOT_HELPFUL };
            *preemption.entry(p.to_string()).or_default() += 1;
        }
        match best {
            Some((_, i)) => {
                nodes[i].add(&r);
                bind(w, pod, &nodes[i].name);
            }
            None => {
                let n = nodes.len();
                let msg = if n == 0 {
                    "no nodes available to schedule pods".to_string()
                } else {
                    let (why, pre) = (histogram(&reasons), histogram(&preemption));
                    format!(
                        "0/{n} nodes are available: {why}. preemption: 0/{n} nodes are available: {pre}."
                    )
                };
                unschedulable(w, pod, &msg);
            }
        }
    }
}

/// `3 Insufficient memory, 1 node(s) were unschedulable`, sorted as text.
fn histogram(counts: &BTreeMap<String, usize>) -> String {
    let mut parts: Vec<String> = counts
        .iter()
        .map(|(reason, n)| format!("{n} {reason}"))
        .collect();
    parts.sort();
    parts.join(", ")
}

/// Sets the PodScheduled condition (`UpdatePodCondition`): the transition
/// time moves only when the status does. Returns whether anything changed.
fn set_scheduled(pod: &mut Value, status: &str, why: Option<(&str, &str)>, now: &str) -> bool {
    let mut c = json!({"type": "PodScheduled", "status": status, "lastProbeTime": null, "lastTransitionTime": now});
    if let Some((reason, message)) = why {
        c["reason"] = json!(reason);
        c["message"] = json!(message);
    }
    let mut list = pod["status"]["conditions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    match list.iter().position(|x| x["type"] == "PodScheduled") {
        Some(i) if list[i]["status"] == status => {
            c["lastTransitionTime"] = list[i]["lastTransitionTime"].clone();
            if list[i] == c {
                return false;
            }
            list[i] = c;
        }
        Some(i) => list[i] = c,
        None => list.push(c),
    }
    map_at(pod, &["status"]).insert("conditions".into(), Value::Array(list));
    true
}

fn bind(w: &mut World, mut pod: Value, node: &str) {
    map_at(&mut pod, &["spec"]).insert("nodeName".into(), json!(node));
    set_scheduled(&mut pod, "True", None, &k8s_time(w.now));
    let msg = format!(
        "Successfully assigned {}/{} to {node}",
        text(&pod, &["metadata", "namespace"]),
        name(&pod)
    );
    let stored = w.put_internal("pods", pod).value();
    events::record(w, &stored, None, false, "Scheduled", &msg, SCHEDULER);
}

/// Records why a pod cannot be placed: the condition when it changes, the
/// event then and again every [`REPORT_AGAIN`] while it stays so.
fn unschedulable(w: &mut World, mut pod: Value, msg: &str) {
    let now = w.now;
    let changed = set_scheduled(
        &mut pod,
        "False",
        Some(("Unschedulable", msg)),
        &k8s_time(now),
    );
    let since = pod["status"]["conditions"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["type"] == "PodScheduled"))
        .and_then(|c| parse_time(&c["lastTransitionTime"]));
    let again = since
        .map(|t| now.duration_since(t).as_millis())
        .is_some_and(|ms| {
            ms >= REPORT_AGAIN.as_millis() && ms % REPORT_AGAIN.as_millis() < RESYNC.as_millis()
        });
    let pod = if changed {
        w.put_internal("pods", pod).value()
    } else {
        pod
    };
    if changed || again {
        events::record(w, &pod, None, true, "FailedScheduling", msg, SCHEDULER);
    }
}

#[cfg(test)]
pub(crate) mod tests;
