//! Resource usage from metrics.k8s.io (`PodMetrics`, `NodeMetrics`).
//!
//! metrics-server reports CPU in nanocores (`123456789n`) and memory in
//! kibibytes (`123456Ki`), but any Kubernetes quantity is accepted. CPU is
//! summed in nanocores and rounded up to millicores once, as `kubectl top`
//! rounds, so a pod of many small containers is not overstated.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::Value;

use super::list_items::ListItems;
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
    pod_usages_json(&list.to_string())
}

/// As [`pod_usages`], from the response text.
pub fn pod_usages_json(text: &str) -> Vec<PodUsage> {
    items(text, pod_usage_item)
}

/// One `PodMetrics` item, decoded into the few fields used.
pub fn pod_usage_item(text: &str) -> Option<PodUsage> {
    let item = serde_json::from_str::<Item>(text).ok()?;
    let name = item.metadata.name.filter(|n| !n.is_empty())?;
    let containers = item.containers?;
    let mut sum = Sum::default();
    for c in &containers {
        if let Some(u) = &c.usage {
            sum.add(u);
        }
    }
    Some(PodUsage {
        namespace: item
            .metadata
            .namespace
            .map(Cow::into_owned)
            .unwrap_or_default(),
        name: name.into_owned(),
        usage: sum.usage(),
    })
}

/// Reads a `NodeMetricsList`; a single `NodeMetrics` reads as a list of one.
pub fn node_usages(list: &Value) -> Vec<NodeUsage> {
    node_usages_json(&list.to_string())
}

/// As [`node_usages`], from the response text.
pub fn node_usages_json(text: &str) -> Vec<NodeUsage> {
    items(text, node_usage_item)
}

/// One `NodeMetrics` item.
pub fn node_usage_item(text: &str) -> Option<NodeUsage> {
    let item = serde_json::from_str::<Item>(text).ok()?;
    let name = item.metadata.name.filter(|n| !n.is_empty())?;
    let mut sum = Sum::default();
    sum.add(item.usage.as_ref()?);
    Some(NodeUsage {
        name: name.into_owned(),
        usage: sum.usage(),
    })
}

#[derive(Deserialize, Default)]
struct Item<'a> {
    #[serde(borrow, default)]
    metadata: Meta<'a>,
    #[serde(default)]
    containers: Option<Vec<ContainerUsage>>,
    #[serde(default)]
    usage: Option<UsageLeaf>,
}

/// Names borrowed from the response where they need no unescaping.
#[derive(Deserialize, Default)]
struct Meta<'a> {
    #[serde(borrow, default)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    namespace: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct ContainerUsage {
    #[serde(default)]
    usage: Option<UsageLeaf>,
}

/// `usage: {cpu, memory}`; quantities are strings, numbers are tolerated.
#[derive(Deserialize)]
struct UsageLeaf {
    #[serde(default)]
    cpu: Value,
    #[serde(default)]
    memory: Value,
}

/// Converts each readable item of a list (or a single object naming
/// itself); unreadable items are skipped alone. The same splitter reads the
/// console's polls as they stream in.
fn items<T>(text: &str, convert: impl Fn(&str) -> Option<T>) -> Vec<T> {
    let mut out = Vec::new();
    let mut split = ListItems::new();
    split.push(text.as_bytes(), |item| out.extend(convert(item)));
    if !split.found_items() {
        out.extend(convert(text));
    }
    out
}

/// CPU in nanocores and memory in bytes, saturating.
#[derive(Default)]
struct Sum {
    nanocores: u64,
    bytes: u64,
}

impl Sum {
    /// Adds a `usage` map; a missing or unreadable quantity counts as zero.
    fn add(&mut self, usage: &UsageLeaf) {
        let read = |v: &Value, exp10: i32| match v {
            Value::String(s) => quantity::scaled(s, exp10).unwrap_or(0),
            Value::Number(n) => n
                .as_f64()
                .map_or(0, |f| (f * 10f64.powi(exp10)).ceil().max(0.0) as u64),
            _ => 0,
        };
        self.nanocores = self.nanocores.saturating_add(read(&usage.cpu, 9));
        self.bytes = self.bytes.saturating_add(read(&usage.memory, 0));
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
