//! Alerts as the console keeps them, whoever raised them: severity and
//! state read from Alertmanager's words, the Kubernetes objects an alert is
//! about (from its labels), the merge of what several Alertmanagers report
//! into one list, silences and their matchers, and the fired/resolved
//! transitions the timeline records. Pure: no I/O, no clock.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;

/// How bad an alert says it is, most severe first, so that sorting puts
/// the pages on top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AlertSeverity {
    Critical,
    Warning,
    Info,
    None,
}

impl AlertSeverity {
    /// Reads the words teams put in a `severity` label, case-insensitively.
    /// There is no standard: kube-prometheus uses critical/warning/info,
    /// others borrow syslog (emergency, error, notice) or ticket priorities
    /// (high, medium, low). Anything else is `None`, shown as is in the
    /// labels rather than guessed at.
    pub fn parse(s: &str) -> AlertSeverity {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "critical" | "page" | "emergency" | "error" | "high" => AlertSeverity::Critical,
            "warning" | "warn" | "medium" => AlertSeverity::Warning,
            "info" | "low" | "notice" => AlertSeverity::Info,
            _ => AlertSeverity::None,
        }
    }

    /// The severity an alert's `severity` label gives, `None` without one.
    pub fn from_labels(labels: &BTreeMap<String, String>) -> AlertSeverity {
        labels
            .get("severity")
            .map_or(AlertSeverity::None, |s| AlertSeverity::parse(s))
    }

    pub fn label(self) -> &'static str {
        match self {
            AlertSeverity::Critical => "critical",
            AlertSeverity::Warning => "warning",
            AlertSeverity::Info => "info",
            AlertSeverity::None => "none",
        }
    }
}

/// What Alertmanager is doing with an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertState {
    /// Firing and routed to its receivers.
    Active,
    /// Muted by a silence or an inhibition (`silenced_by`, `inhibited_by`).
    Suppressed,
    /// Received, not yet checked against silences and inhibitions.
    Unprocessed,
}

impl AlertState {
    /// Alertmanager's word for the state. An unknown word (a later
    /// version's) reads as `Unprocessed`: the console does not claim an
    /// alert is muted, nor that someone was paged, on a guess.
    pub fn parse(s: &str) -> AlertState {
        match s {
            "active" => AlertState::Active,
            "suppressed" => AlertState::Suppressed,
            _ => AlertState::Unprocessed,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AlertState::Active => "active",
            AlertState::Suppressed => "suppressed",
            AlertState::Unprocessed => "unprocessed",
        }
    }

    /// Rank for [`merge`]: lower is more active.
    fn activeness(self) -> u8 {
        match self {
            AlertState::Active => 0,
            AlertState::Unprocessed => 1,
            AlertState::Suppressed => 2,
        }
    }
}

/// Who raised an alert.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AlertSource {
    /// One or more Alertmanagers (their names are in `reported_by`).
    Alertmanager,
    /// One of warroom's built-in detectors, by name.
    Detector(String),
}

/// One alert, as read from Alertmanager's v2 API or raised by a detector.
/// Strings are kept as sent; they are sanitized where they are drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// Alertmanager's hash of the label set: the same alert has the same
    /// fingerprint on every Alertmanager.
    pub fingerprint: String,
    /// The `alertname` label (empty without one).
    pub name: String,
    pub severity: AlertSeverity,
    pub state: AlertState,
    pub starts_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    /// When the alert resolves unless re-sent (Prometheus keeps pushing it
    /// forward while the rule fires).
    pub ends_at: Option<Timestamp>,
    pub labels: BTreeMap<String, String>,
    /// All annotations, `summary` and `description` included (a
    /// `runbook_url` is often the most useful line in an incident).
    pub annotations: BTreeMap<String, String>,
    pub summary: Option<String>,
    /// The `description` annotation, or `message` (older kube-prometheus
    /// rules) when there is no description.
    pub description: Option<String>,
    pub generator_url: Option<String>,
    /// Receivers the alert routes to (who was paged).
    pub receivers: Vec<String>,
    /// IDs of the silences muting it.
    pub silenced_by: Vec<String>,
    /// Fingerprints of the alerts inhibiting it.
    pub inhibited_by: Vec<String>,
    pub source: AlertSource,
    /// Names of the Alertmanagers that reported it, in configuration order.
    pub reported_by: Vec<String>,
}

/// Kinds of Kubernetes objects an alert can point at, most specific first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TargetKind {
    Pod,
    Deployment,
    StatefulSet,
    DaemonSet,
    HorizontalPodAutoscaler,
    Job,
    CronJob,
    Ingress,
    Service,
    Node,
}

impl TargetKind {
    /// The kind as the API names it: `Pod`, `Deployment`.
    pub fn name(self) -> &'static str {
        match self {
            TargetKind::Pod => "Pod",
            TargetKind::Deployment => "Deployment",
            TargetKind::StatefulSet => "StatefulSet",
            TargetKind::DaemonSet => "DaemonSet",
            TargetKind::HorizontalPodAutoscaler => "HorizontalPodAutoscaler",
            TargetKind::Job => "Job",
            TargetKind::CronJob => "CronJob",
            TargetKind::Ingress => "Ingress",
            TargetKind::Service => "Service",
            TargetKind::Node => "Node",
        }
    }
}

/// A Kubernetes object an alert is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AlertTarget {
    pub kind: TargetKind,
    /// `None` for nodes.
    pub namespace: Option<String>,
    pub name: String,
    /// For a pod, the container the alert names.
    pub container: Option<String>,
}

impl Alert {
    /// The objects this alert is about, most specific first (a pod and its
    /// container before the workload, the workload before the node), read
    /// from the labels kube-prometheus rules carry: `namespace` with `pod`,
    /// `deployment`, `statefulset` or `daemonset`, then the objects
    /// kube-state-metrics and application alerts name (`horizontalpodautoscaler`,
    /// `job_name`, `cronjob`, `ingress`, `service`), and `node`. A `job`
    /// label is Prometheus' scrape job, not a Job, and is not used.
    ///
    /// When Prometheus scrapes kube-state-metrics without `honor_labels`,
    /// the metric's own `namespace`, `pod` and `container` collide with the
    /// scrape target's (kube-state-metrics' own pod) and are renamed
    /// `exported_namespace`, `exported_pod`, `exported_container`; those
    /// then name the object and win over the unprefixed ones. An `instance`
    /// label is an address, not a node name, and is not used. Empty values
    /// count as absent, as they do in Prometheus.
    pub fn targets(&self) -> Vec<AlertTarget> {
        let get = |key: &str| {
            self.labels
                .get(key)
                .map(|v| v.as_str())
                .filter(|v| !v.is_empty())
        };
        let subject = |key: &str| get(&format!("exported_{key}")).or_else(|| get(key));
        let namespace = subject("namespace");
        let mut out = Vec::new();
        if let (Some(ns), Some(pod)) = (namespace, subject("pod")) {
            out.push(AlertTarget {
                kind: TargetKind::Pod,
                namespace: Some(ns.to_string()),
                name: pod.to_string(),
                container: subject("container").map(str::to_string),
            });
        }
        for (key, kind) in [
            ("deployment", TargetKind::Deployment),
            ("statefulset", TargetKind::StatefulSet),
            ("daemonset", TargetKind::DaemonSet),
            (
                "horizontalpodautoscaler",
                TargetKind::HorizontalPodAutoscaler,
            ),
            ("job_name", TargetKind::Job),
            ("cronjob", TargetKind::CronJob),
            ("ingress", TargetKind::Ingress),
            ("service", TargetKind::Service),
        ] {
            if let (Some(ns), Some(name)) = (namespace, get(key)) {
                out.push(AlertTarget {
                    kind,
                    namespace: Some(ns.to_string()),
                    name: name.to_string(),
                    container: None,
                });
            }
        }
        if let Some(node) = get("node") {
            out.push(AlertTarget {
                kind: TargetKind::Node,
                namespace: None,
                name: node.to_string(),
                container: None,
            });
        }
        out
    }
}

/// One list from what several Alertmanagers report, `(name, alerts)` in
/// configuration order.
///
/// The same alert (same source and fingerprint) reported by several
/// Alertmanagers becomes one, with `reported_by` naming them all. Its state
/// is the most active any of them reports — `Active` over `Unprocessed`
/// over `Suppressed` — because an alert silenced in one Alertmanager and
/// active in another still pages someone through the other: a silence
/// that reached only part of an unclustered pair must not read as muted.
/// `silenced_by` and `inhibited_by` are the union over all reports, so
/// such an alert shows both that it is active and which silence covers it
/// somewhere. `starts_at` is the earliest, `updated_at` and `ends_at` the
/// latest; annotations come from the first report, gaps filled from later
/// ones.
///
/// Sorted by severity (most severe first), then alertname, then start
/// (earliest first, unknown last), then fingerprint so the order is stable.
pub fn merge(reports: Vec<(String, Vec<Alert>)>) -> Vec<Alert> {
    let mut out: Vec<Alert> = Vec::new();
    let mut index: HashMap<(AlertSource, String), usize> = HashMap::new();
    for (instance, alerts) in reports {
        for mut alert in alerts {
            push_unique(&mut alert.reported_by, &instance);
            let key = (alert.source.clone(), alert.fingerprint.clone());
            match index.get(&key) {
                Some(&i) => absorb(&mut out[i], alert),
                None => {
                    index.insert(key, out.len());
                    out.push(alert);
                }
            }
        }
    }
    out.sort_by(compare);
    out
}

/// The order [`merge`] returns alerts in.
pub fn compare(a: &Alert, b: &Alert) -> Ordering {
    a.severity
        .cmp(&b.severity)
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| match (a.starts_at, b.starts_at) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| a.fingerprint.cmp(&b.fingerprint))
}

/// Folds another report of the same alert into `into`.
fn absorb(into: &mut Alert, other: Alert) {
    if other.state.activeness() < into.state.activeness() {
        into.state = other.state;
    }
    into.starts_at = earliest(into.starts_at, other.starts_at);
    into.updated_at = latest(into.updated_at, other.updated_at);
    into.ends_at = latest(into.ends_at, other.ends_at);
    for (k, v) in other.annotations {
        into.annotations.entry(k).or_insert(v);
    }
    if into.summary.is_none() {
        into.summary = other.summary;
    }
    if into.description.is_none() {
        into.description = other.description;
    }
    if into.generator_url.is_none() {
        into.generator_url = other.generator_url;
    }
    for (list, more) in [
        (&mut into.receivers, other.receivers),
        (&mut into.silenced_by, other.silenced_by),
        (&mut into.inhibited_by, other.inhibited_by),
        (&mut into.reported_by, other.reported_by),
    ] {
        for item in more {
            push_unique(list, &item);
        }
    }
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

fn earliest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn latest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

/// Alertmanager's fingerprint of a label set (Prometheus' `LabelSet.
/// Fingerprint`: FNV-1a 64 over each name and value in name order, each
/// followed by a 0xff byte, as 16 hex digits). Used when a report leaves
/// the fingerprint out, so the alert still merges with its twin.
pub fn fingerprint(labels: &BTreeMap<String, String>) -> String {
    const OFFSET: u64 = 14_695_981_039_346_656_037;
    const PRIME: u64 = 1_099_511_628_211;
    let mut h = OFFSET;
    let mut add = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(PRIME);
        }
    };
    for (name, value) in labels {
        add(name.as_bytes());
        add(&[0xff]);
        add(value.as_bytes());
        add(&[0xff]);
    }
    format!("{h:016x}")
}

/// One label matcher of a silence: `name="value"`, `!=`, `=~`, `!~`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Matcher {
    pub name: String,
    pub value: String,
    pub is_regex: bool,
    /// `false` for the negative forms `!=` and `!~`.
    pub is_equal: bool,
}

/// A silence to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSilence {
    pub matchers: Vec<Matcher>,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub created_by: String,
    pub comment: String,
}

/// A silence as Alertmanager holds it. Times Alertmanager left out (or
/// wrote unreadably) are `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct Silence {
    pub id: String,
    pub matchers: Vec<Matcher>,
    pub starts_at: Option<Timestamp>,
    pub ends_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub created_by: String,
    pub comment: String,
    /// `active`, `pending` or `expired`, as Alertmanager says.
    pub state: String,
}

/// What `GET /api/v2/status` says, the parts worth showing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertmanagerStatus {
    pub version: Option<String>,
    /// `ready`, `settling`, `disabled` (no HA cluster).
    pub cluster: Option<String>,
    pub peers: usize,
    pub up_since: Option<Timestamp>,
}

/// Equality matchers for every label of `alert`, as Alertmanager's own UI
/// prefills a silence from an alert: it silences exactly this alert (and
/// any later one with the same labels). The user narrows it by removing
/// matchers.
pub fn matchers_for(alert: &Alert) -> Vec<Matcher> {
    alert
        .labels
        .iter()
        .map(|(name, value)| Matcher {
            name: name.clone(),
            value: value.clone(),
            is_regex: false,
            is_equal: true,
        })
        .collect()
}

/// What a whole set of Alertmanagers said: the merged alerts of those
/// that answered, and one sentence for each that did not.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertReport {
    pub alerts: Vec<Alert>,
    pub failures: Vec<String>,
    /// The names of the Alertmanagers that did not answer, in the order of
    /// `failures`.
    pub failed: Vec<String>,
}

/// An alert fired or resolved: an entry for the incident timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertTransition {
    pub at: Timestamp,
    pub fired: bool,
    pub name: String,
    pub severity: AlertSeverity,
    pub summary: Option<String>,
    /// `Alertmanager prod` or `detector oom-killed`.
    pub source: String,
    pub targets: Vec<AlertTarget>,
}

#[cfg(test)]
mod tests;
