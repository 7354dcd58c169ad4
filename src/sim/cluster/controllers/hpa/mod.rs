//! The HorizontalPodAutoscaler controller (`pkg/controller/podautoscaler`),
//! `autoscaling/v2`: every 15 s of virtual time each HPA reads its target's
//! scale, computes a replica count per metric from the sim's pod metrics
//! (resource metrics: `Utilization` of requests or `AverageValue`), takes
//! the largest, stabilises and rate-limits it (the built-in rules when the
//! HPA has no `behavior`, its policies when it has), writes the target's
//! replicas through the scale subresource, and reports status, conditions
//! and events with the real controller's reasons and messages.

mod replicas;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::sim::cluster::events::{self, Source};
use crate::sim::cluster::queues::HpaMemory;
use crate::sim::cluster::world::{CONTROLLER_MANAGER, Manager, Part, World};
use crate::sim::store::resources;
use crate::sim::store::selector::LabelSelector;

use replicas::{Target, milli_quantity};

/// `--horizontal-pod-autoscaler-sync-period`.
pub const SYNC_PERIOD: SignedDuration = SignedDuration::from_secs(15);
/// `--horizontal-pod-autoscaler-downscale-stabilization`, for HPAs without `behavior`.
const DOWNSCALE_STABILISATION: SignedDuration = SignedDuration::from_secs(300);

pub const HPA_CONTROLLER: Source<'static> = Source {
    component: "horizontal-pod-autoscaler",
    host: None,
};

/// Syncs the HPAs that are due: all of them every [`SYNC_PERIOD`], and at
/// once those whose spec is new (created or edited).
pub fn run(w: &mut World) {
    let now = w.now;
    let changed = std::mem::take(&mut w.queues.hpas);
    let periodic = w
        .queues
        .last_hpa_sync
        .is_none_or(|t| now.duration_since(t) >= SYNC_PERIOD);
    let keys: Vec<(String, String)> = if periodic {
        w.queues.last_hpa_sync = Some(now);
        w.store
            .list("horizontalpodautoscalers", None, None)
            .items
            .iter()
            .map(|o| (o.namespace.clone(), o.name.clone()))
            .collect()
    } else {
        changed
            .into_iter()
            .filter(|(ns, n)| {
                w.store
                    .get_value("horizontalpodautoscalers", ns, n)
                    .is_some_and(|h| {
                        h["status"]["observedGeneration"] != h["metadata"]["generation"]
                    })
            })
            .collect()
    };
    if periodic {
        let live: std::collections::BTreeSet<_> = keys.iter().cloned().collect();
        w.queues.hpa_memory.retain(|k, _| live.contains(k));
    }
    for (ns, name) in keys {
        sync(w, &ns, &name);
    }
}

/// The conditions being written, in the order the controller sets them.
struct Conditions {
    list: Vec<Value>,
    old: Vec<Value>,
    now: String,
}

impl Conditions {
    fn set(&mut self, ty: &str, status: bool, reason: &str, message: String) {
        let status = if status { "True" } else { "False" };
        let prev = self.old.iter().find(|c| c["type"] == ty);
        let since = match prev {
            Some(p) if p["status"] == status => p["lastTransitionTime"].clone(),
            _ => json!(self.now),
        };
        let c = json!({"type": ty, "status": status, "lastTransitionTime": since, "reason": reason, "message": message});
        match self.list.iter_mut().find(|c| c["type"] == ty) {
            Some(slot) => *slot = c,
            None => self.list.push(c),
        }
    }
}

fn storage_of(kind: &str) -> Option<&'static str> {
    match kind {
        "Deployment" => Some("deployments"),
        "StatefulSet" => Some("statefulsets"),
        "ReplicaSet" => Some("replicasets"),
        _ => None,
    }
}

/// One metric's outcome: a proposal and the MetricStatus, or the error
/// (with the condition reason).
struct MetricOutcome {
    status: Value,
    result: Result<(i64, String), (String, String)>,
}

fn compute_metric(
    w: &World,
    ns: &str,
    selector: &LabelSelector,
    spec: &Value,
    current: i64,
) -> MetricOutcome {
    let ty = spec["type"].as_str().unwrap_or("");
    let empty = json!({"type": ""});
    if ty != "Resource" {
        let msg = format!("unknown metric source type \"{ty}\"");
        return MetricOutcome {
            status: empty,
            result: Err(("InvalidMetricSourceType".into(), msg)),
        };
    }
    let res = spec["resource"]["name"].as_str().unwrap_or("");
    let target = &spec["resource"]["target"];
    let (target, what) = if let Some(avg) =
        crate::model::quantity::quantity(&target["averageValue"])
    {
        (Target::AverageValue((avg * 1000.0).round() as i64), "usage")
    } else if let Some(pct) = target["averageUtilization"].as_i64() {
        (Target::Utilization(pct), "utilization")
    } else {
        let msg = "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set".to_string();
        return MetricOutcome {
            status: empty,
            result: Err(("FailedGetResourceMetric".into(), msg)),
        };
    };
    let samples = replicas::sample(w, ns, selector, res);
    match replicas::replicas(&samples, current, target, res) {
        Ok(p) => {
            let mut cur = json!({"averageValue": milli_quantity(p.average_milli)});
            let name = match p.utilization {
                Some(u) => {
                    cur["averageUtilization"] = json!(u);
                    format!("{res} resource utilization (percentage of request)")
                }
                None => format!("{res} resource"),
            };
            MetricOutcome {
                status: json!({"type": "Resource", "resource": {"name": res, "current": cur}}),
                result: Ok((p.replicas, name)),
            }
        }
        Err(e) => MetricOutcome {
            status: empty,
            result: Err((
                "FailedGetResourceMetric".into(),
                format!("failed to get {res} {what}: {e}"),
            )),
        },
    }
}

fn warn(w: &mut World, hpa: &Value, reason: &str, message: &str) {
    events::record(w, hpa, None, true, reason, message, HPA_CONTROLLER);
}

/// `reconcileAutoscaler` for one HPA.
pub fn sync(w: &mut World, ns: &str, name: &str) {
    let Some(hpa) = w.store.get_value("horizontalpodautoscalers", ns, name) else {
        return;
    };
    let key = (ns.to_string(), name.to_string());
    let now = w.now;
    let spec = &hpa["spec"];
    let min = spec["minReplicas"].as_i64().unwrap_or(1);
    let max = spec["maxReplicas"].as_i64().unwrap_or(min);
    let kind = spec["scaleTargetRef"]["kind"].as_str().unwrap_or("");
    let target_name = spec["scaleTargetRef"]["name"].as_str().unwrap_or("");
    let old_status = hpa["status"].clone();
    let mut conds = Conditions {
        list: Vec::new(),
        old: old_status["conditions"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
        now: w.now_text(),
    };
    // Conditions not touched this time are kept, as the controller does.
    conds.list = conds.old.clone();
    let rt = storage_of(kind).and_then(resources::by_storage);
    let target = rt.and_then(|rt| w.store.get_value(rt.storage, ns, target_name));
    let (Some(rt), Some(target)) = (rt, target) else {
        let err = match rt {
            Some(rt) => format!("{}.{} \"{target_name}\" not found", rt.plural, rt.group),
            None => format!("no matches for kind \"{kind}\" in group \"\""),
        };
        warn(w, &hpa, "FailedGetScale", &err);
        conds.set(
            "AbleToScale",
            false,
            "FailedGetScale",
            format!("the HPA controller was unable to get the target's current scale: {err}"),
        );
        let mut status = old_status.clone();
        if !status.is_object() {
            status = json!({"currentReplicas": 0, "desiredReplicas": 0});
        }
        status["conditions"] = json!(conds.list);
        write_status(w, &hpa, status);
        return;
    };
    conds.set(
        "AbleToScale",
        true,
        "SucceededGetScale",
        "the HPA controller was able to get the target's current scale".into(),
    );
    let current = target["spec"]["replicas"].as_i64().unwrap_or(1);
    let selector = LabelSelector::from_json(&target["spec"]["selector"])
        .ok()
        .filter(|s| !s.is_empty());
    let mut metric_statuses: Vec<Value> = Vec::new();
    let mut desired = 0;
    let mut rescale_reason = String::new();
    let rescale;
    if current == 0 && min != 0 {
        desired = 0;
        rescale = false;
        conds.set(
            "ScalingActive",
            false,
            "ScalingDisabled",
            "scaling is disabled since the replica count of the target is zero".into(),
        );
    } else if current > max {
        rescale_reason = "Current number of replicas above Spec.MaxReplicas".into();
        desired = max;
        rescale = true;
    } else if current < min {
        rescale_reason = "Current number of replicas below Spec.MinReplicas".into();
        desired = min;
        rescale = true;
    } else {
        let Some(selector) = selector else {
            warn(w, &hpa, "SelectorRequired", "selector is required");
            conds.set(
                "ScalingActive",
                false,
                "InvalidSelector",
                "the HPA target's scale is missing a selector".into(),
            );
            let mut status = old_status.clone();
            status["conditions"] = json!(conds.list);
            write_status(w, &hpa, status);
            return;
        };
        let specs = spec["metrics"].as_array().cloned().unwrap_or_default();
        let mut proposal = 0;
        let mut metric = String::new();
        let mut invalid = 0;
        // (reason, message) of the first failure, and the error the
        // controller reports for it.
        let mut first_err: Option<(String, String, String)> = None;
        for m in &specs {
            let out = compute_metric(w, ns, &selector, m, current);
            metric_statuses.push(out.status);
            match out.result {
                Ok((n, name)) => {
                    if proposal == 0 || n > proposal {
                        proposal = n;
                        metric = name;
                    }
                }
                Err((reason, msg)) => {
                    warn(w, &hpa, &reason, &msg);
                    let res = m["resource"]["name"].as_str().unwrap_or("");
                    let wrapped = if reason == "FailedGetResourceMetric" {
                        format!("failed to get {res} resource metric value: {msg}")
                    } else {
                        msg.clone()
                    };
                    if first_err.is_none() {
                        first_err = Some((reason, msg, wrapped));
                    }
                    invalid += 1;
                }
            }
        }
        if let Some((reason, msg, wrapped)) = &first_err
            && (invalid >= specs.len() || proposal < current)
        {
            conds.set(
                "ScalingActive",
                false,
                reason,
                format!("the HPA was unable to compute the replica count: {msg}"),
            );
            let err = format!(
                "invalid metrics ({invalid} invalid out of {}), first error is: {wrapped}",
                specs.len()
            );
            let desired_before = old_status["desiredReplicas"].as_i64().unwrap_or(0);
            let status = status_json(
                &hpa,
                &old_status,
                current,
                desired_before,
                &metric_statuses,
                &conds.list,
                None,
            );
            write_status(w, &hpa, status);
            warn(w, &hpa, "FailedComputeMetricsReplicas", &err);
            return;
        }
        conds.set(
            "ScalingActive",
            true,
            "ValidMetricFound",
            format!("the HPA was able to successfully calculate a replica count from {metric}"),
        );
        if proposal > desired {
            desired = proposal;
        }
        if desired > current {
            rescale_reason = format!("{metric} above target");
        }
        if desired < current {
            rescale_reason = "All metrics below target".into();
        }
        let memory = w.queues.hpa_memory.entry(key.clone()).or_default();
        desired = if spec["behavior"].is_object() {
            with_behavior(
                memory,
                &spec["behavior"],
                &mut conds,
                now,
                current,
                desired,
                min,
                max,
            )
        } else {
            built_in(memory, &mut conds, now, current, desired, min, max)
        };
        rescale = desired != current;
    }
    let mut last_scale = None;
    if rescale {
        let mut scaled = target.clone();
        scaled["spec"]["replicas"] = json!(desired);
        let by = Manager {
            name: CONTROLLER_MANAGER.into(),
            subresource: Some("scale".into()),
        };
        match w.replace_by(rt, ns, target_name, scaled, Part::Main, false, &by) {
            Ok(_) => {
                conds.set(
                    "AbleToScale",
                    true,
                    "SucceededRescale",
                    format!("the HPA controller was able to update the target scale to {desired}"),
                );
                let msg = format!("New size: {desired}; reason: {rescale_reason}");
                events::record(
                    w,
                    &hpa,
                    None,
                    false,
                    "SuccessfulRescale",
                    &msg,
                    HPA_CONTROLLER,
                );
                last_scale = Some(now);
                if spec["behavior"].is_object() {
                    let m = w.queues.hpa_memory.entry(key).or_default();
                    if desired > current {
                        m.scale_ups.push((now, desired - current));
                    } else {
                        m.scale_downs.push((now, current - desired));
                    }
                }
            }
            Err(e) => {
                let msg = format!("failed to rescale {kind}/{target_name}: {}", e.message);
                warn(w, &hpa, "FailedRescale", &msg);
                conds.set(
                    "AbleToScale",
                    false,
                    "FailedUpdateScale",
                    format!(
                        "the HPA controller was unable to update the target scale: {}",
                        e.message
                    ),
                );
                desired = current;
            }
        }
    } else {
        desired = current;
    }
    let status = status_json(
        &hpa,
        &old_status,
        current,
        desired,
        &metric_statuses,
        &conds.list,
        last_scale,
    );
    write_status(w, &hpa, status);
}

fn status_json(
    hpa: &Value,
    old: &Value,
    current: i64,
    desired: i64,
    metrics: &[Value],
    conditions: &[Value],
    rescaled: Option<Timestamp>,
) -> Value {
    let mut status = json!({
        "observedGeneration": hpa["metadata"]["generation"].as_i64().unwrap_or(1),
        "currentReplicas": current,
        "desiredReplicas": desired,
    });
    match rescaled {
        Some(t) => status["lastScaleTime"] = json!(crate::sim::cluster::time::k8s_time(t)),
        None => {
            if let Some(t) = old.get("lastScaleTime").filter(|t| !t.is_null()) {
                status["lastScaleTime"] = t.clone();
            }
        }
    }
    if !metrics.is_empty() {
        status["currentMetrics"] = json!(metrics);
    }
    if !conditions.is_empty() {
        status["conditions"] = json!(conditions);
    }
    status
}

fn write_status(w: &mut World, hpa: &Value, status: Value) {
    if hpa["status"] == status {
        return;
    }
    let Some(rt) = resources::by_storage("horizontalpodautoscalers") else {
        return;
    };
    let mut new = hpa.clone();
    new["status"] = status;
    let ns = hpa["metadata"]["namespace"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let name = hpa["metadata"]["name"].as_str().unwrap_or("").to_string();
    let by = Manager {
        name: CONTROLLER_MANAGER.into(),
        subresource: Some("status".into()),
    };
    let _ = w.replace_by(rt, &ns, &name, new, Part::Status, false, &by);
}

/// `normalizeDesiredReplicas`: the HPA has no `behavior`. Scale-downs wait
/// for the highest recommendation of the last 5 minutes; scale-ups go at most
/// to twice the replicas (or 4).
fn built_in(
    m: &mut HpaMemory,
    conds: &mut Conditions,
    now: Timestamp,
    current: i64,
    desired: i64,
    min: i64,
    max: i64,
) -> i64 {
    let cutoff = now - DOWNSCALE_STABILISATION;
    m.recommendations.retain(|(t, _)| *t >= cutoff);
    let stabilized = m
        .recommendations
        .iter()
        .map(|(_, r)| *r)
        .fold(desired, i64::max);
    m.recommendations.push((now, desired));
    if stabilized != desired {
        conds.set(
            "AbleToScale",
            true,
            "ScaleDownStabilized",
            "recent recommendations were higher than current one, applying the highest recent recommendation".into(),
        );
    } else {
        conds.set(
            "AbleToScale",
            true,
            "ReadyForNewScale",
            "recommended size matches current size".into(),
        );
    }
    let scale_up_limit = (2 * current).max(4);
    let (max_allowed, mut reason, mut message) = if max > scale_up_limit {
        (
            scale_up_limit,
            "ScaleUpLimit",
            "the desired replica count is increasing faster than the maximum scale rate",
        )
    } else {
        (
            max,
            "TooManyReplicas",
            "the desired replica count is more than the maximum replica count",
        )
    };
    let out = if stabilized < min {
        reason = "TooFewReplicas";
        message = "the desired replica count is less than the minimum replica count";
        min
    } else if stabilized > max_allowed {
        max_allowed
    } else {
        reason = "DesiredWithinRange";
        message = "the desired count is within the acceptable range";
        stabilized
    };
    conds.set("ScalingLimited", out != stabilized, reason, message.into());
    out
}

fn rules(behavior: &Value, dir: &str) -> (i64, String, Vec<(String, i64, i64)>) {
    let r = &behavior[dir];
    let default_window = if dir == "scaleUp" { 0 } else { 300 };
    let window = r["stabilizationWindowSeconds"]
        .as_i64()
        .unwrap_or(default_window);
    let select = r["selectPolicy"].as_str().unwrap_or("Max").to_string();
    let policies = r["policies"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["type"].as_str().unwrap_or("").to_string(),
                p["value"].as_i64().unwrap_or(0),
                p["periodSeconds"].as_i64().unwrap_or(15),
            )
        })
        .collect();
    (window, select, policies)
}

fn changed_within(events: &[(Timestamp, i64)], now: Timestamp, period: i64) -> i64 {
    let cutoff = now - SignedDuration::from_secs(period);
    events
        .iter()
        .filter(|(t, _)| *t > cutoff)
        .map(|(_, n)| n)
        .sum()
}

/// `normalizeDesiredReplicasWithBehaviors`: the HPA's stabilisation
/// windows and rate policies.
#[allow(clippy::too_many_arguments)]
fn with_behavior(
    m: &mut HpaMemory,
    behavior: &Value,
    conds: &mut Conditions,
    now: Timestamp,
    current: i64,
    desired: i64,
    min: i64,
    max: i64,
) -> i64 {
    let (up_window, up_select, up_policies) = rules(behavior, "scaleUp");
    let (down_window, down_select, down_policies) = rules(behavior, "scaleDown");
    let up_cutoff = now - SignedDuration::from_secs(up_window);
    let down_cutoff = now - SignedDuration::from_secs(down_window);
    let (mut up_rec, mut down_rec) = (desired, desired);
    for (t, r) in &m.recommendations {
        if *t > up_cutoff {
            up_rec = up_rec.min(*r);
        }
        if *t > down_cutoff {
            down_rec = down_rec.max(*r);
        }
    }
    let keep = up_cutoff.min(down_cutoff);
    m.recommendations.retain(|(t, _)| *t >= keep);
    m.recommendations.push((now, desired));
    let stabilized = current.max(up_rec).min(down_rec);
    if stabilized != desired {
        let (reason, message) = if desired >= current {
            (
                "ScaleUpStabilized",
                "recent recommendations were lower than current one, applying the lowest recent recommendation",
            )
        } else {
            (
                "ScaleDownStabilized",
                "recent recommendations were higher than current one, applying the highest recent recommendation",
            )
        };
        conds.set("AbleToScale", true, reason, message.into());
    } else {
        conds.set(
            "AbleToScale",
            true,
            "ReadyForNewScale",
            "recommended size matches current size".into(),
        );
    }
    let longest = up_policies
        .iter()
        .chain(&down_policies)
        .map(|p| p.2)
        .max()
        .unwrap_or(15);
    let horizon = now - SignedDuration::from_secs(longest);
    m.scale_ups.retain(|(t, _)| *t > horizon);
    m.scale_downs.retain(|(t, _)| *t > horizon);
    let (mut reason, mut message) = (
        "DesiredWithinRange",
        "the desired count is within the acceptable range",
    );
    let mut out = stabilized;
    if stabilized > current {
        let limit = if up_select == "Disabled" {
            current
        } else {
            let proposals = up_policies.iter().map(|(ty, value, period)| {
                let start = current - changed_within(&m.scale_ups, now, *period)
                    + changed_within(&m.scale_downs, now, *period);
                if ty == "Pods" {
                    start + value
                } else {
                    (start as f64 * (1.0 + *value as f64 / 100.0)).ceil() as i64
                }
            });
            let p: Vec<i64> = proposals.collect();
            if up_select == "Min" {
                p.into_iter().min().unwrap_or(current)
            } else {
                p.into_iter().max().unwrap_or(current)
            }
        }
        .max(current);
        let max_allowed = if max > limit {
            reason = "ScaleUpLimit";
            message = "the desired replica count is increasing faster than the maximum scale rate";
            limit
        } else {
            reason = "TooManyReplicas";
            message = "the desired replica count is more than the maximum replica count";
            max
        };
        if stabilized > max_allowed {
            out = max_allowed;
        }
    } else if stabilized < current {
        let limit = if down_select == "Disabled" {
            current
        } else {
            let p: Vec<i64> = down_policies
                .iter()
                .map(|(ty, value, period)| {
                    let start = current - changed_within(&m.scale_ups, now, *period)
                        + changed_within(&m.scale_downs, now, *period);
                    if ty == "Pods" {
                        start - value
                    } else {
                        (start as f64 * (1.0 - *value as f64 / 100.0)) as i64
                    }
                })
                .collect();
            if down_select == "Min" {
                p.into_iter().max().unwrap_or(current)
            } else {
                p.into_iter().min().unwrap_or(current)
            }
        }
        .min(current);
        let min_allowed = if min < limit {
            reason = "ScaleDownLimit";
            message = "the desired replica count is decreasing faster than the maximum scale rate";
            limit
        } else {
            reason = "TooFewReplicas";
            message = "the desired replica count is less than the minimum replica count";
            min
        };
        if stabilized < min_allowed {
            out = min_allowed;
        }
    }
    if out == stabilized {
        (reason, message) = (
            "DesiredWithinRange",
            "the desired count is within the acceptable range",
        );
        // The controller keeps the limiting reason only when it limited.
    }
    conds.set("ScalingLimited", out != stabilized, reason, message.into());
    out
}

#[cfg(test)]
mod tests;
