//! The replica calculator of the HPA controller
//! (`pkg/controller/podautoscaler/replica_calculator.go`): pods grouped into
//! ready, unready, missing and ignored; usage over requests (or the raw
//! average); the 0.1 tolerance; and the conservative fill-in for pods
//! without metrics, so that a missing sample never causes a rescale the
//! other way.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use crate::model::quantity;
use crate::sim::cluster::controllers::replicaset::{is_terminating, name, phase};
use crate::sim::cluster::metrics;
use crate::sim::cluster::time::parse_time;
use crate::sim::cluster::world::World;
use crate::sim::store::selector::LabelSelector;

/// The change in usage ratio the controller ignores.
pub const TOLERANCE: f64 = 0.1;
/// CPU samples of a pod this young may still be its start-up burst.
const CPU_INITIALIZATION: SignedDuration = SignedDuration::from_secs(300);
/// A pod unready this soon after it started has never been ready.
const INITIAL_READINESS_DELAY: SignedDuration = SignedDuration::from_secs(30);
/// The metrics window metrics-server reports.
const METRIC_WINDOW: SignedDuration = SignedDuration::from_secs(15);

/// How one pod counts.
#[derive(Debug, Clone, PartialEq)]
pub enum Group {
    /// Deleted or failed: left out.
    Ignored,
    /// Pending, or (for CPU) not yet ready: its sample (if it has one) would mislead.
    Unready {
        sampled: bool,
    },
    /// No sample from metrics-server.
    Missing,
    Ready(i64),
}

#[derive(Debug, Clone)]
pub struct Sample {
    pub pod: String,
    pub group: Group,
    /// Sum of the containers' requests, in milli-units; `Err` names the
    /// container without one.
    pub request: Result<i64, String>,
}

/// What a target asks for: a percentage of requests, or an average in milli-units.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    Utilization(i64),
    AverageValue(i64),
}

/// A proposal: replicas, and the current utilization and raw average.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proposal {
    pub replicas: i64,
    pub utilization: Option<i64>,
    pub average_milli: i64,
}

fn usage_milli(w: &World, ns: &str, pod: &str, resource: &str) -> Option<i64> {
    let rt = w.kubelet.pods.get(&(ns.to_string(), pod.to_string()))?;
    let m = metrics::pod_metrics(w, rt, &Value::Null)?;
    let total: f64 = m["containers"]
        .as_array()?
        .iter()
        .filter_map(|c| c["usage"][resource].as_str().and_then(quantity::parse))
        .sum();
    Some((total * 1000.0).round() as i64)
}

fn ready_condition(pod: &Value) -> Option<&Value> {
    pod["status"]["conditions"]
        .as_array()?
        .iter()
        .find(|c| c["type"] == "Ready")
}

/// `groupPods`, for the pods of `selector` in `ns`.
pub fn sample(w: &World, ns: &str, selector: &LabelSelector, resource: &str) -> Vec<Sample> {
    let now = w.now;
    let mut out = Vec::new();
    for stored in w.store.list("pods", Some(ns), None).items {
        if !selector.matches(&stored.labels) {
            continue;
        }
        let pod = stored.value();
        let pod_name = name(&pod).to_string();
        let request = request_milli(&pod, resource);
        let group = if is_terminating(&pod) || phase(&pod) == "Failed" {
            Group::Ignored
        } else {
            match usage_milli(w, ns, &pod_name, resource) {
                u if phase(&pod) == "Pending" => Group::Unready {
                    sampled: u.is_some(),
                },
                None => Group::Missing,
                Some(_) if resource == "cpu" && cpu_unready(&pod, now) => {
                    Group::Unready { sampled: true }
                }
                Some(u) => Group::Ready(u),
            }
        };
        out.push(Sample {
            pod: pod_name,
            group,
            request,
        });
    }
    out
}

/// Whether a running pod's CPU sample should not count yet.
fn cpu_unready(pod: &Value, now: Timestamp) -> bool {
    let (Some(cond), Some(start)) = (
        ready_condition(pod),
        parse_time(&pod["status"]["startTime"]),
    ) else {
        return true;
    };
    let ready = cond["status"] == "True";
    let since = parse_time(&cond["lastTransitionTime"]).unwrap_or(start);
    if start + CPU_INITIALIZATION > now {
        // The sample (taken now) covers a window that began before the pod was ready.
        !ready || now < since + METRIC_WINDOW
    } else {
        !ready && start + INITIAL_READINESS_DELAY > since
    }
}

fn request_milli(pod: &Value, resource: &str) -> Result<i64, String> {
    let mut total = 0;
    for c in pod["spec"]["containers"].as_array().into_iter().flatten() {
        match quantity::quantity(&c["resources"]["requests"][resource]) {
            Some(q) => total += (q * 1000.0).round() as i64,
            None => {
                return Err(format!(
                    "missing request for {resource} in container {} of Pod {}",
                    c["name"].as_str().unwrap_or(""),
                    name(pod)
                ));
            }
        }
    }
    Ok(total)
}

/// `GetResourceUtilizationRatio` / `GetMetricUsageRatio`:
/// (ratio, utilization, raw average).
fn ratio(
    metrics: &BTreeMap<String, i64>,
    requests: &BTreeMap<String, i64>,
    target: Target,
) -> Result<(f64, Option<i64>, i64), String> {
    match target {
        Target::Utilization(pct) => {
            let (mut used, mut requested, mut n) = (0i64, 0i64, 0i64);
            for (pod, m) in metrics {
                if let Some(r) = requests.get(pod) {
                    used += m;
                    requested += r;
                    n += 1;
                }
            }
            if n == 0 || requested == 0 {
                return Err("no metrics returned matched known pods".into());
            }
            let utilization = used * 100 / requested;
            Ok((
                utilization as f64 / pct.max(1) as f64,
                Some(utilization),
                used / n,
            ))
        }
        Target::AverageValue(avg) => {
            let n = metrics.len().max(1) as i64;
            let usage = metrics.values().sum::<i64>() / n;
            Ok((usage as f64 / avg.max(1) as f64, None, usage))
        }
    }
}

/// `GetResourceReplicas` (utilization) and `GetRawResourceReplicas` (average value).
pub fn replicas(
    samples: &[Sample],
    current: i64,
    target: Target,
    resource: &str,
) -> Result<Proposal, String> {
    let mut metrics: BTreeMap<String, i64> = BTreeMap::new();
    let (mut unready, mut missing) = (Vec::new(), Vec::new());
    for s in samples {
        match s.group {
            Group::Ready(u) => {
                metrics.insert(s.pod.clone(), u);
            }
            Group::Unready { .. } => unready.push(s.pod.clone()),
            Group::Missing => missing.push(s.pod.clone()),
            Group::Ignored => {}
        }
    }
    let sampled = samples
        .iter()
        .any(|s| matches!(s.group, Group::Ready(_) | Group::Unready { sampled: true }));
    if !sampled {
        return Err(format!(
            "unable to get metrics for resource {resource}: no metrics returned from resource metrics API"
        ));
    }
    if metrics.is_empty() {
        return Err("did not receive metrics for targeted pods (pods might be unready)".into());
    }
    let ready = metrics.len() as i64;
    let mut requests = BTreeMap::new();
    if let Target::Utilization(_) = target {
        for s in samples {
            requests.insert(s.pod.clone(), s.request.clone()?);
        }
    }
    let (usage_ratio, utilization, raw) = ratio(&metrics, &requests, target)?;
    let proposal = |replicas| Proposal {
        replicas,
        utilization,
        average_milli: raw,
    };
    let scale_up_with_unready = !unready.is_empty() && usage_ratio > 1.0;
    if !scale_up_with_unready && missing.is_empty() {
        if (1.0 - usage_ratio).abs() <= TOLERANCE {
            return Ok(proposal(current));
        }
        return Ok(proposal((usage_ratio * ready as f64).ceil() as i64));
    }
    if !missing.is_empty() {
        for pod in &missing {
            let fill = if usage_ratio < 1.0 {
                match target {
                    Target::Utilization(pct) => {
                        requests.get(pod).copied().unwrap_or(0) * pct.max(100) / 100
                    }
                    Target::AverageValue(avg) => avg,
                }
            } else {
                0
            };
            metrics.insert(pod.clone(), fill);
        }
    }
    if scale_up_with_unready {
        for pod in &unready {
            metrics.insert(pod.clone(), 0);
        }
    }
    let (new_ratio, _, _) = ratio(&metrics, &requests, target)?;
    if (1.0 - new_ratio).abs() <= TOLERANCE
        || (usage_ratio < 1.0 && new_ratio > 1.0)
        || (usage_ratio > 1.0 && new_ratio < 1.0)
    {
        return Ok(proposal(current));
    }
    let n = (new_ratio * metrics.len() as f64).ceil() as i64;
    if (new_ratio < 1.0 && n > current) || (new_ratio > 1.0 && n < current) {
        return Ok(proposal(current));
    }
    Ok(proposal(n))
}

/// A quantity of milli-units as the API writes it (`resource.NewMilliQuantity`
/// with DecimalSI): `250m`, `1`, `314572800`, `12k`.
pub fn milli_quantity(milli: i64) -> String {
    if milli % 1000 != 0 {
        return format!("{milli}m");
    }
    let mut v = milli / 1000;
    let mut i = 0;
    const SUFFIX: [&str; 7] = ["", "k", "M", "G", "T", "P", "E"];
    while v != 0 && v % 1000 == 0 && i < SUFFIX.len() - 1 {
        v /= 1000;
        i += 1;
    }
    format!("{v}{}", SUFFIX[i])
}
