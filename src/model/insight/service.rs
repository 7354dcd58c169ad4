//! Services in the browse view: where their traffic can go now.

use jiff::Timestamp;

use super::{Fact, Mark, Section, Tone, Verdict, for_how_long};
use crate::model::ObjectKey;
use crate::model::cluster::ClusterData;
use crate::model::explain::{StatusKind, guide_entry};
use crate::model::service::{Network, Reach};

pub(super) const COLUMNS: &[&str] = &["ENDPOINTS", "STATE"];

/// The most endpoints the detail lists one by one.
const LISTED: usize = 50;

fn mark(reach: Reach) -> Mark {
    match reach {
        Reach::NotJudged(_) | Reach::AllReady(_) => Mark::Ok,
        Reach::SelectsNoPod | Reach::NoneReady(_) => Mark::Bad,
        Reach::SomeNotReady(_) => Mark::Warn,
    }
}

pub(super) fn verdict(cluster: &ClusterData, key: &ObjectKey, now: Timestamp) -> Option<Verdict> {
    let net = &cluster.network;
    if !net.listed() {
        return None;
    }
    let reach = net.reach(key)?;
    let (count, words) = match reach {
        Reach::NotJudged(_) => {
            let s = net.services.get(key)?;
            let why = if s.type_ == "ExternalName" {
                "ExternalName"
            } else {
                "no selector"
            };
            ("-".to_string(), format!("not judged: {why}"))
        }
        _ => {
            let since = net.no_ready_since.get(key).copied();
            let mut words = reach.words().to_string();
            if reach.unreachable() {
                words.push_str(&for_how_long(since, now));
            }
            (net.endpoints(key).to_string(), words)
        }
    };
    Some(Verdict {
        mark: mark(reach),
        cells: vec![count, words],
    })
}

pub(super) fn detail(cluster: &ClusterData, key: &ObjectKey, now: Timestamp) -> Vec<Section> {
    let net = &cluster.network;
    let (Some(s), Some(reach)) = (net.services.get(key), net.reach(key)) else {
        return Vec::new();
    };
    if !net.listed() {
        return Vec::new();
    }
    let mut traffic = Section::new("Traffic");
    if let Some(v) = verdict(cluster, key, now) {
        traffic.push(Fact::new(
            "state",
            format!("{} ({} ready/total)", v.cells[1], v.cells[0]),
            v.mark.tone(),
        ));
    }
    if let Some(n) = &s.external_name {
        traffic.push(Fact::new("alias of", n.clone(), Tone::Plain));
    }
    if !s.load_balancer.is_empty() {
        traffic.push(Fact::new(
            "external",
            s.load_balancer.join(", "),
            Tone::Plain,
        ));
    } else if s.type_ == "LoadBalancer" {
        traffic.push(Fact::new(
            "external",
            "pending: the load balancer has no address yet",
            Tone::Warn,
        ));
    }
    let routed: Vec<String> = ingresses_to(net, key);
    if !routed.is_empty() {
        traffic.push(Fact::new("ingresses", routed.join(", "), Tone::Plain));
    }
    let mut out = vec![traffic];
    if let Reach::NotJudged(why) = reach {
        let mut not = Section::new("Not judged");
        not.push(Fact::line(
            format!("warroom does not judge it: {why}."),
            Tone::Dim,
        ));
        out.push(not);
        return out;
    }
    out.push(endpoints(net, key, &s.namespace));
    if reach.unreachable() {
        out.push(what_it_means(key, reach, &s.selector_text()));
    } else if let Reach::SomeNotReady(c) = reach {
        out.push(Section::what_it_means(format!(
            "{} of {} endpoints are not ready: kube-proxy sends traffic only to the {} ready ones, which carry the whole load. Look at the not-ready pods' readiness probes and logs.",
            c.total - c.ready,
            c.total,
            c.ready
        )));
    }
    out
}

fn endpoints(net: &Network, key: &ObjectKey, namespace: &str) -> Section {
    let mut section = Section::new("Endpoints");
    let mut all: Vec<_> = net.slices_of(key).flat_map(|s| &s.endpoints).collect();
    all.sort_by(|a, b| a.pod.cmp(&b.pod).then_with(|| a.address.cmp(&b.address)));
    for e in all.iter().take(LISTED) {
        let mut text = format!(
            "{}  {}",
            e.pod.as_deref().unwrap_or("(not a pod)"),
            e.state()
        );
        if let Some(n) = &e.node {
            text.push_str(&format!(" · node {n}"));
        }
        text.push_str(&format!(" · {}", e.address));
        let tone = if e.ready { Tone::Good } else { Tone::Warn };
        section.push(Fact::line(text, tone));
    }
    if all.len() > LISTED {
        section.push(Fact::line(
            format!("… and {} more", all.len() - LISTED),
            Tone::Dim,
        ));
    }
    if all.is_empty() {
        section.push(Fact::line(
            format!("none: its selector matches no pod in {namespace}"),
            Tone::Bad,
        ));
    }
    section
}

fn what_it_means(key: &ObjectKey, reach: Reach, selector: &str) -> Section {
    let entry = guide_entry(StatusKind::ServiceNoEndpoints);
    let mut what = Section::what_it_means(entry.generic_meaning());
    if reach == Reach::SelectsNoPod {
        what.push(Fact::line(
            format!("Its selector {selector} matches no pod: a label changed on the Service or on the pods' template, or the pods are gone."),
            Tone::Dim,
        ));
    }
    for step in entry.generic_next() {
        // The guide's generic command, made this Service's.
        let step = step.replace(
            "kubectl get endpointslices -l kubernetes.io/service-name=<service>",
            &format!(
                "kubectl get endpointslices -n {} -l kubernetes.io/service-name={}",
                key.namespace, key.name
            ),
        );
        what.step(step);
    }
    what
}

/// The Ingresses with a route to this Service (few: a scan).
pub(super) fn ingresses_to(net: &Network, key: &ObjectKey) -> Vec<String> {
    let mut out: Vec<String> = net
        .ingresses
        .values()
        .filter(|i| i.namespace == key.namespace && i.services().contains(&key.name.as_str()))
        .map(|i| i.name.clone())
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests;
