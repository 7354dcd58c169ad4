//! The shop of [`crate::model::fixtures::shop`] as the console holds it:
//! namespace `shop`, pods view, every watch live. For reducer and render
//! tests.

use std::collections::BTreeMap;

use crate::model::ObjectKey;
use crate::model::alert::{Alert, AlertSeverity, AlertSource, AlertState};
use crate::model::cluster::{Connection, Resource, WatchHealth};
pub use crate::model::fixtures::shop::*;
use crate::model::usage::Usage;

use super::{PodRow, State};

/// The shop in namespace `shop`, pods view, all watches live.
pub fn shop() -> State {
    let mut s = State::new(now(), Some("shop".into()));
    s.connection = Connection {
        context: "prod-eu".into(),
        cluster: "gke-prod-eu".into(),
        user: "oncall".into(),
        server: "https://10.0.0.1".into(),
        contexts: vec!["prod-eu".into(), "staging".into()],
    };
    for r in Resource::ALL {
        s.cluster.watches.insert(r, WatchHealth::Live);
    }
    s.cluster.metrics = crate::model::cluster::Metrics::Served;
    for p in shop_pods() {
        let key = p.key();
        s.pods.rows.push(PodRow::Pod(key.clone()));
        s.cluster.pods.insert(key, Box::new(p));
    }
    let usage = |mem: u64, cpu: u64| Usage {
        cpu_milli: cpu,
        memory_bytes: mem * MI,
    };
    for (name, u) in [
        ("cart-5b6d7c-ll2zx", usage(250, 310)),
        ("checkout-7d8f9c-9vbnm", usage(200, 40)),
        ("frontend-84b7f5-qwert", usage(90, 12)),
        ("checkout-7d8f9c-2xkqp", usage(120, 85)),
        ("redis-0", usage(80, 20)),
    ] {
        s.cluster.pod_usage.insert(ObjectKey::new("shop", name), u);
    }
    for w in shop_workloads() {
        let key = (w.kind, w.key());
        s.workloads.rows.push(key.clone());
        s.cluster.workloads.insert(key, w);
    }
    for rs in cart_replicasets() {
        s.cluster.replicasets.insert(rs.key(), rs);
    }
    for e in shop_events() {
        s.events.rows.push(e.key());
        s.cluster.events.insert(e.key(), Box::new(e));
    }
    for n in nodes() {
        s.nodes.rows.push(n.name.clone());
        s.cluster.node_usage.insert(
            n.name.clone(),
            Usage {
                cpu_milli: 900,
                memory_bytes: if n.name == "worker-2" { 7 * GI } else { 3 * GI },
            },
        );
        s.cluster.nodes.insert(n.name.clone(), n);
    }
    s.cluster.node_usage.remove("worker-3");
    // What the reducer sums when it recomputes the nodes rows.
    s.nodes.totals = Some(s.cluster.node_requests());
    s.cluster.namespaces = ["default", "kube-system", "shipping", "shop"]
        .into_iter()
        .map(String::from)
        .collect();
    s
}

/// The shop seen from all namespaces, with a kube-system pod.
pub fn shop_all_namespaces() -> State {
    let mut s = shop();
    s.namespace = None;
    let mut dns = pod("kube-system", "coredns-5d78c9869d-4hx7p", "coredns");
    dns.node = Some("worker-3".into());
    dns.created = Some(ago(90 * 86400));
    s.pods.rows.push(PodRow::Pod(dns.key()));
    s.cluster.pods.insert(dns.key(), Box::new(dns));
    s
}

/// An active Alertmanager alert `name` about pod `shop/pod`, reported by
/// Alertmanager "prod".
pub fn alert(name: &str, severity: &str, pod: &str) -> Alert {
    let labels: BTreeMap<String, String> = [
        ("alertname", name),
        ("severity", severity),
        ("namespace", "shop"),
        ("pod", pod),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    Alert {
        fingerprint: format!("fp-{name}-{pod}"),
        name: name.into(),
        severity: AlertSeverity::parse(severity),
        state: AlertState::Active,
        starts_at: Some(ago(300)),
        updated_at: None,
        ends_at: None,
        labels,
        annotations: BTreeMap::new(),
        summary: Some(format!("{name} on {pod}")),
        description: None,
        generator_url: None,
        silenced_by: Vec::new(),
        inhibited_by: Vec::new(),
        receivers: Vec::new(),
        source: AlertSource::Alertmanager,
        reported_by: vec!["prod".into()],
    }
}

/// The shop with Alertmanager "prod" configured (feed 1), no alerts yet.
pub fn shop_with_alertmanager() -> State {
    let mut state = shop();
    let _ = super::update(
        &mut state,
        super::Msg::AlertsConfigured {
            feed: 1,
            names: vec!["prod".into()],
            failed: Vec::new(),
        },
    );
    state
}

/// Alertmanager "prod" of [`shop_with_alertmanager`] answered a round with
/// `alerts` firing.
pub fn alerts_firing(state: &mut State, alerts: Vec<Alert>) {
    let at = state.now;
    let report = crate::model::alert::AlertReport {
        alerts,
        failures: Vec::new(),
        failed: Vec::new(),
    };
    let _ = super::update(
        state,
        super::Msg::AlertsPolled {
            feed: 1,
            at,
            report,
        },
    );
}
