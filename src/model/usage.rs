//! Resource usage from metrics.k8s.io (`PodMetrics`, `NodeMetrics`).
//!
//! metrics-server reports CPU in nanocores (`123456789n`) and memory in
//! kibibytes (`123456Ki`), but any Kubernetes quantity is accepted. CPU is
//! summed in nanocores and rounded up to millicores once, as `kubectl top`
//! rounds, so a pod of many small containers is not overstated.

use serde_json::Value;

use super::quantity;

/// Usage summed over a pod's containers, or a node's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub cpu_milli: u64,
    pub memory_bytes: u64,
}

/// What a pod uses now, to set against its requests and limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodUsage {
    pub namespace: String,
    pub name: String,
    pub usage: Usage,
}

/// What a node uses now, to set against its allocatable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeUsage {
    pub name: String,
    pub usage: Usage,
}

/// Reads a `PodMetricsList` (`metrics.k8s.io/v1beta1`); items it cannot read are skipped.
/// A single `PodMetrics` object (the answer to a GET by name) reads as a list of one.
pub fn pod_usages(list: &Value) -> Vec<PodUsage> {
    items(list)
        .filter_map(|item| {
            let name = item["metadata"]["name"]
                .as_str()
                .filter(|n| !n.is_empty())?;
            let containers = item["containers"].as_array()?;
            let mut sum = Sum::default();
            for c in containers {
                sum.add(&c["usage"]);
            }
            Some(PodUsage {
                namespace: item["metadata"]["namespace"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                name: name.to_string(),
                usage: sum.usage(),
            })
        })
        .collect()
}

/// Reads a `NodeMetricsList`; a single `NodeMetrics` reads as a list of one.
pub fn node_usages(list: &Value) -> Vec<NodeUsage> {
    items(list)
        .filter_map(|item| {
            let name = item["metadata"]["name"]
                .as_str()
                .filter(|n| !n.is_empty())?;
            if !item["usage"].is_object() {
                return None;
            }
            let mut sum = Sum::default();
            sum.add(&item["usage"]);
            Some(NodeUsage {
                name: name.to_string(),
                usage: sum.usage(),
            })
        })
        .collect()
}

fn items(list: &Value) -> impl Iterator<Item = &Value> {
    let single = list["metadata"]["name"].is_string() && !list["items"].is_array();
    list["items"]
        .as_array()
        .map(|v| v.as_slice())
        .unwrap_or(if single {
            std::slice::from_ref(list)
        } else {
            &[]
        })
        .iter()
}

/// CPU in nanocores and memory in bytes, saturating.
#[derive(Default)]
struct Sum {
    nanocores: u64,
    bytes: u64,
}

impl Sum {
    /// Adds a `usage` map; a missing or unreadable quantity counts as zero.
    fn add(&mut self, usage: &Value) {
        let read = |v: &Value, exp10: i32| match v {
            Value::String(s) => quantity::scaled(s, exp10).unwrap_or(0),
            Value::Number(n) => n
                .as_f64()
                .map_or(0, |f| (f * 10f64.powi(exp10)).ceil().max(0.0) as u64),
            _ => 0,
        };
        self.nanocores = self.nanocores.saturating_add(read(&usage["cpu"], 9));
        self.bytes = self.bytes.saturating_add(read(&usage["memory"], 0));
    }

    fn usage(&self) -> Usage {
        Usage {
            cpu_milli: self.nanocores.div_ceil(1_000_000),
            memory_bytes: self.bytes,
        }
    }
}

#[cfg(test)]
mod tests;
