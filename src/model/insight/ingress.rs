//! Ingresses in the browse view: can each backend take traffic?

use jiff::Timestamp;

use super::{Fact, Mark, Section, Tone, Verdict};
use crate::model::ObjectKey;
use crate::model::cluster::ClusterData;
use crate::model::ingress::Route;
use crate::model::service::{Network, Reach};

pub(super) const COLUMNS: &[&str] = &["BACKENDS", "STATE"];

/// How one route's backend stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    /// Not a Service (a resource backend): not judged.
    Other,
    Missing,
    Reach(Reach),
}

impl Backend {
    fn of(net: &Network, namespace: &str, r: &Route) -> Backend {
        let Some(s) = &r.service else {
            return Backend::Other;
        };
        match net.reach(&ObjectKey::new(namespace, s)) {
            None => Backend::Missing,
            Some(reach) => Backend::Reach(reach),
        }
    }

    fn bad(self) -> bool {
        match self {
            Backend::Missing => true,
            Backend::Reach(r) => r.unreachable(),
            Backend::Other => false,
        }
    }

    fn words(self) -> String {
        match self {
            Backend::Other => "not a Service: not judged".into(),
            Backend::Missing => "no such Service".into(),
            Backend::Reach(Reach::NotJudged(_)) => {
                "Service not judged (no selector or ExternalName)".into()
            }
            Backend::Reach(
                r @ (Reach::SomeNotReady(c) | Reach::AllReady(c) | Reach::NoneReady(c)),
            ) => {
                format!("{} ({c} ready)", r.words())
            }
            Backend::Reach(r) => r.words().into(),
        }
    }
}

pub(super) fn verdict(cluster: &ClusterData, key: &ObjectKey, _now: Timestamp) -> Option<Verdict> {
    let net = &cluster.network;
    let ing = net.ingresses.get(key)?;
    if !net.listed() {
        return None;
    }
    let backends: Vec<(&Route, Backend)> = ing
        .routes
        .iter()
        .map(|r| (r, Backend::of(net, &ing.namespace, r)))
        .collect();
    let ready = backends.iter().filter(|(_, b)| !b.bad()).count();
    let first_bad = backends.iter().find(|(_, b)| b.bad());
    let (mark, state) = match first_bad {
        Some((r, Backend::Missing)) => (
            Mark::Bad,
            format!("no Service {}", r.service.as_deref().unwrap_or("")),
        ),
        Some((r, _)) => (
            Mark::Bad,
            format!("no ready endpoints: {}", r.service.as_deref().unwrap_or("")),
        ),
        None if backends.is_empty() => (Mark::Warn, "no rules".into()),
        None => (Mark::Ok, "ok".into()),
    };
    Some(Verdict {
        mark,
        cells: vec![format!("{ready}/{} ready", backends.len()), state],
    })
}

pub(super) fn detail(cluster: &ClusterData, key: &ObjectKey, now: Timestamp) -> Vec<Section> {
    let net = &cluster.network;
    let Some(ing) = net.ingresses.get(key) else {
        return Vec::new();
    };
    let mut routes = Section::new("Routes");
    if let Some(v) = verdict(cluster, key, now) {
        routes.push(Fact::new(
            "state",
            format!("{} · backends {}", v.cells[1], v.cells[0]),
            v.mark.tone(),
        ));
    }
    routes.push(Fact::new(
        "class",
        ing.class
            .clone()
            .unwrap_or_else(|| "(the cluster's default)".into()),
        Tone::Plain,
    ));
    let mut any_bad = false;
    for r in &ing.routes {
        let b = Backend::of(net, &ing.namespace, r);
        any_bad |= b.bad();
        let tone = if b.bad() {
            Tone::Bad
        } else if matches!(b, Backend::Reach(Reach::SomeNotReady(_))) {
            Tone::Warn
        } else {
            Tone::Good
        };
        routes.push(Fact::line(
            format!("{} → {} · {}", r.from_text(), r.to_text(), b.words()),
            tone,
        ));
    }
    if ing.routes.is_empty() {
        routes.push(Fact::line(
            "no rules and no default backend: it routes nothing",
            Tone::Warn,
        ));
    }
    let mut out = vec![routes];
    if any_bad {
        let mut what = Section::what_it_means(
            "The ingress controller has nowhere to send requests for a route whose Service is missing or has no ready endpoints: users get 503 Service Unavailable (or 404 for a missing Service) on those paths, while the other paths work.",
        );
        what.step("Open the backend Service (:svc) and look at its endpoints: does its selector match the pods' labels, are the pods Ready?");
        what.step("Check the Service name and port in the Ingress match the Service (kubectl describe ingress)");
        out.push(what);
    }
    out
}
