//! ResourceQuotas as the console keeps them: how much of a namespace's pods,
//! CPU and memory the quota allows (`status.hard`) and how much is taken
//! (`status.used`), so the console can say how much room is left, why a
//! ReplicaSet cannot create pods ("exceeded quota"), and warn before a scale
//! or rollback asks for more than is left.
//!
//! The quota admission plugin refuses a pod whose requests or limits would
//! take a resource past its hard limit; the ReplicaSet controller then
//! records `FailedCreate` and sets `ReplicaFailure` on the ReplicaSet (and
//! the Deployment controller copies it onto the Deployment). Nothing is
//! retried until something frees room or the quota is raised.

use k8s_openapi::api::core::v1::ResourceQuota;

use super::ObjectKey;
use super::pod_health::{Condition, Resources};
use super::quantity;
use super::sanitize::sanitize;
use super::workload::WorkloadInfo;

/// The quota resources the console reads (of the many a quota may limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QuotaResource {
    Pods,
    RequestsCpu,
    RequestsMemory,
    LimitsCpu,
    LimitsMemory,
}

impl QuotaResource {
    pub const ALL: [QuotaResource; 5] = [
        QuotaResource::Pods,
        QuotaResource::RequestsCpu,
        QuotaResource::RequestsMemory,
        QuotaResource::LimitsCpu,
        QuotaResource::LimitsMemory,
    ];

    /// The resource as a quota spells it; `cpu` and `memory` mean the
    /// requests.
    fn from_key(key: &str) -> Option<QuotaResource> {
        Some(match key {
            "pods" | "count/pods" => QuotaResource::Pods,
            "cpu" | "requests.cpu" => QuotaResource::RequestsCpu,
            "memory" | "requests.memory" => QuotaResource::RequestsMemory,
            "limits.cpu" => QuotaResource::LimitsCpu,
            "limits.memory" => QuotaResource::LimitsMemory,
            _ => return None,
        })
    }

    /// Short, for the headroom line: `pods`, `cpu`, `memory`, `limits.cpu`.
    pub fn short(self) -> &'static str {
        match self {
            QuotaResource::Pods => "pods",
            QuotaResource::RequestsCpu => "cpu",
            QuotaResource::RequestsMemory => "memory",
            QuotaResource::LimitsCpu => "limits.cpu",
            QuotaResource::LimitsMemory => "limits.memory",
        }
    }

    /// In words, for a sentence: `pods`, `CPU requests`.
    fn words(self) -> &'static str {
        match self {
            QuotaResource::Pods => "pods",
            QuotaResource::RequestsCpu => "CPU requests",
            QuotaResource::RequestsMemory => "memory requests",
            QuotaResource::LimitsCpu => "CPU limits",
            QuotaResource::LimitsMemory => "memory limits",
        }
    }

    /// Parses an amount in the console's unit: a count, millicores, bytes.
    fn parse(self, text: &str) -> Option<u64> {
        match self {
            QuotaResource::RequestsCpu | QuotaResource::LimitsCpu => quantity::milli_value(text),
            _ => quantity::value(text),
        }
    }

    /// Formats an amount as Kubernetes writes it: `15`, `1500m`, `6Gi`.
    pub fn format(self, amount: u64) -> String {
        match self {
            QuotaResource::Pods => amount.to_string(),
            QuotaResource::RequestsCpu | QuotaResource::LimitsCpu => quantity::format_milli(amount),
            QuotaResource::RequestsMemory | QuotaResource::LimitsMemory => {
                quantity::format_bytes(amount)
            }
        }
    }
}

/// One ResourceQuota: hard and used amounts of what the console reads, in
/// counts, millicores and bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuotaInfo {
    pub namespace: String,
    pub name: String,
    /// Indexed by `QuotaResource as usize`.
    pub hard: [Option<u64>; 5],
    pub used: [Option<u64>; 5],
}

impl QuotaInfo {
    pub fn key(&self) -> ObjectKey {
        ObjectKey::new(&self.namespace, &self.name)
    }

    /// Converts an API ResourceQuota: the status's hard (what the quota
    /// controller enforces), else the spec's when the status has none yet.
    /// Never panics on odd amounts: what does not parse is left out.
    pub fn from_quota(q: &ResourceQuota) -> QuotaInfo {
        let clean = |s: Option<&String>| sanitize(s.map_or("", String::as_str)).into_owned();
        let status = q.status.as_ref();
        let hard = status
            .and_then(|s| s.hard.as_ref())
            .filter(|h| !h.is_empty())
            .or_else(|| q.spec.as_ref().and_then(|s| s.hard.as_ref()));
        let read = |map: Option<&std::collections::BTreeMap<String, _>>| {
            let mut out = [None; 5];
            for (k, v) in map.into_iter().flatten() {
                let v: &k8s_openapi::apimachinery::pkg::api::resource::Quantity = v;
                if let Some(r) = QuotaResource::from_key(k) {
                    out[r as usize] = r.parse(&v.0);
                }
            }
            out
        };
        QuotaInfo {
            namespace: clean(q.metadata.namespace.as_ref()),
            name: clean(q.metadata.name.as_ref()),
            hard: read(hard),
            used: read(status.and_then(|s| s.used.as_ref())),
        }
    }

    pub fn hard(&self, r: QuotaResource) -> Option<u64> {
        self.hard[r as usize]
    }

    /// What is taken (0 when the status does not say yet).
    pub fn used(&self, r: QuotaResource) -> u64 {
        self.used[r as usize].unwrap_or(0)
    }

    /// How much of `r` is left, when the quota limits it.
    pub fn left(&self, r: QuotaResource) -> Option<u64> {
        Some(self.hard(r)?.saturating_sub(self.used(r)))
    }

    /// The resources it limits that are used up.
    pub fn exhausted(&self) -> Vec<QuotaResource> {
        QuotaResource::ALL
            .into_iter()
            .filter(|r| self.left(*r) == Some(0))
            .collect()
    }

    /// `pods 15/15 · cpu 1500m/2 · memory 3Gi/6Gi`: used/hard of what it
    /// limits, pods and requests first.
    pub fn headroom(&self) -> String {
        QuotaResource::ALL
            .into_iter()
            .filter_map(|r| {
                let hard = self.hard(r)?;
                Some(format!(
                    "{} {}/{}",
                    r.short(),
                    r.format(self.used(r)),
                    r.format(hard)
                ))
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// What `demand` needs beyond what this quota leaves, in one
    /// sentence: "needs 6 more pods; quota production-quota allows 2", or
    /// with more resources "needs 4 more pods, 400m more CPU requests;
    /// quota production-quota allows 0, 350m". `None` when it fits.
    pub fn shortfall(&self, demand: &Demand) -> Option<String> {
        let short: Vec<(QuotaResource, u64, u64)> = QuotaResource::ALL
            .into_iter()
            .filter_map(|r| {
                let need = demand.get(r);
                let left = self.left(r)?;
                (need > left).then_some((r, need, left))
            })
            .collect();
        if short.is_empty() {
            return None;
        }
        let needs: Vec<String> = short
            .iter()
            .map(|(r, need, _)| {
                let what = if *r == QuotaResource::Pods && *need == 1 {
                    "pod"
                } else {
                    r.words()
                };
                format!("{} more {what}", r.format(*need))
            })
            .collect();
        let allows: Vec<String> = short.iter().map(|(r, _, left)| r.format(*left)).collect();
        Some(format!(
            "needs {}; quota {} allows {}",
            needs.join(", "),
            self.name,
            allows.join(", ")
        ))
    }
}

/// What a change adds to a namespace: pods, and their requests and limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Demand {
    pub pods: u64,
    pub requests: Resources,
    pub limits: Resources,
}

impl Demand {
    /// `pods` more pods, each requesting and limited as `requests` and
    /// `limits` (one pod's sums over its containers).
    pub fn pods(pods: u64, requests: Resources, limits: Resources) -> Demand {
        let times = |v: Option<u64>| v.map(|v| v.saturating_mul(pods));
        Demand {
            pods,
            requests: Resources {
                cpu_milli: times(requests.cpu_milli),
                memory_bytes: times(requests.memory_bytes),
            },
            limits: Resources {
                cpu_milli: times(limits.cpu_milli),
                memory_bytes: times(limits.memory_bytes),
            },
        }
    }

    fn get(&self, r: QuotaResource) -> u64 {
        match r {
            QuotaResource::Pods => self.pods,
            QuotaResource::RequestsCpu => self.requests.cpu_milli.unwrap_or(0),
            QuotaResource::RequestsMemory => self.requests.memory_bytes.unwrap_or(0),
            QuotaResource::LimitsCpu => self.limits.cpu_milli.unwrap_or(0),
            QuotaResource::LimitsMemory => self.limits.memory_bytes.unwrap_or(0),
        }
    }
}

/// The quota an admission refusal names: `exceeded quota: production-quota,
/// requested: pods=1, …` gives `production-quota`.
pub fn exceeded_quota(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once("exceeded quota: ")?;
    let name = rest.split([',', ' ']).next()?.trim();
    (!name.is_empty()).then_some(name)
}

/// Why a workload cannot create pods because a quota is used up: its
/// `ReplicaFailure` condition (True) whose message says "exceeded quota",
/// with the quota's name.
pub fn refused_by_quota(w: &WorkloadInfo) -> Option<(&str, &Condition)> {
    let c = w
        .conditions
        .iter()
        .find(|c| c.kind == "ReplicaFailure" && c.is_true())?;
    Some((exceeded_quota(c.message.as_deref()?)?, c))
}

#[cfg(test)]
mod tests;
