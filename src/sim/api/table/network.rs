//! Rows for the kinds of Services' endpoints, Ingress and quota, as
//! `pkg/printers/internalversion` prints them: EndpointSlices, Endpoints,
//! Ingresses, IngressClasses and ResourceQuotas. (LimitRanges have no
//! printer there: they get the default Name / Created At table.)

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Endpoints, ResourceQuota};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::{Ingress, IngressClass};
use serde_json::Value;

use super::{Cells, created, name, parse, plain};
use crate::sim::cluster::admission;

/// Up to three items, then `+ N more...`; `<unset>` for none (`listWithMoreString`).
fn list_with_more(items: &[String]) -> String {
    const MAX: usize = 3;
    if items.is_empty() {
        return "<unset>".into();
    }
    let shown = items[..items.len().min(MAX)].join(",");
    if items.len() > MAX {
        format!("{shown} + {} more...", items.len() - MAX)
    } else {
        shown
    }
}

pub(super) fn endpointslice_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let slice: EndpointSlice = parse(o)?;
    let ports: Vec<String> = slice
        .ports
        .iter()
        .flatten()
        .map(|p| match (p.port, &p.name) {
            (Some(n), _) => n.to_string(),
            (None, Some(name)) => name.clone(),
            (None, None) => "*".into(),
        })
        .collect();
    let addresses: Vec<String> = slice
        .endpoints
        .iter()
        .flat_map(|e| e.addresses.iter().cloned())
        .collect();
    plain(vec![
        name(&slice.metadata),
        slice.address_type.clone().into(),
        list_with_more(&ports).into(),
        list_with_more(&addresses).into(),
        created(&slice.metadata, now),
    ])
}

/// `formatEndpoints`: `ip:port` of ready addresses, three at most.
pub(super) fn endpoints_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let ep: Endpoints = parse(o)?;
    let mut list = Vec::new();
    let mut count = 0;
    for ss in ep.subsets.iter().flatten() {
        let addresses = ss.addresses.as_deref().unwrap_or(&[]);
        match ss.ports.as_deref() {
            None | Some([]) => {
                count += addresses.len();
                list.extend(addresses.iter().map(|a| a.ip.clone()));
            }
            Some(ports) => {
                for p in ports {
                    count += addresses.len();
                    list.extend(addresses.iter().map(|a| format!("{}:{}", a.ip, p.port)));
                }
            }
        }
    }
    let text = if list.is_empty() {
        "<none>".to_string()
    } else if count > 3 {
        format!("{} + {} more...", list[..3].join(","), count - 3)
    } else {
        list.join(",")
    };
    plain(vec![
        name(&ep.metadata),
        text.into(),
        created(&ep.metadata, now),
    ])
}

pub(super) fn ingress_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let ing: Ingress = parse(o)?;
    let spec = ing.spec.clone().unwrap_or_default();
    let class = spec
        .ingress_class_name
        .clone()
        .unwrap_or_else(|| "<none>".into());
    let rules = spec.rules.clone().unwrap_or_default();
    let hosts: Vec<String> = rules
        .iter()
        .filter_map(|r| r.host.clone().filter(|h| !h.is_empty()))
        .take(3)
        .collect();
    let hosts = match hosts.len() {
        0 => "*".to_string(),
        _ if rules.len() > 3 => format!("{} + {} more...", hosts.join(","), rules.len() - 3),
        _ => hosts.join(","),
    };
    let lb = ing.status.as_ref().and_then(|s| s.load_balancer.as_ref());
    let addresses: Vec<String> = lb
        .and_then(|l| l.ingress.as_deref())
        .unwrap_or(&[])
        .iter()
        .filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone()))
        .filter(|a| !a.is_empty())
        .collect();
    let mut address = addresses.join(",");
    if address.len() > 16 {
        address = format!("{}...", &address[..13]);
    }
    let ports = if spec.tls.as_ref().is_some_and(|t| !t.is_empty()) {
        "80, 443"
    } else {
        "80"
    };
    plain(vec![
        name(&ing.metadata),
        class.into(),
        hosts.into(),
        address.into(),
        ports.into(),
        created(&ing.metadata, now),
    ])
}

pub(super) fn ingressclass_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let class: IngressClass = parse(o)?;
    let spec = class.spec.clone().unwrap_or_default();
    let parameters = match &spec.parameters {
        Some(p) => {
            let kind = match &p.api_group {
                Some(g) => format!("{}.{g}", p.kind),
                None => p.kind.clone(),
            };
            format!("{kind}/{}", p.name)
        }
        None => "<none>".into(),
    };
    plain(vec![
        name(&class.metadata),
        spec.controller.clone().unwrap_or_default().into(),
        parameters.into(),
        created(&class.metadata, now),
    ])
}

/// `printResourceQuota`: `resource: used/hard` for each hard resource in
/// name order, limits.* in the Limit column, the rest in Request.
pub(super) fn resourcequota_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let quota: ResourceQuota = parse(o)?;
    let status = quota.status.clone().unwrap_or_default();
    let hard = status.hard.clone().unwrap_or_default();
    let used = status.used.clone().unwrap_or_default();
    let (mut request, mut limit) = (Vec::new(), Vec::new());
    for (resource, h) in &hard {
        let u = used
            .get(resource)
            .map(|q| q.0.clone())
            .unwrap_or_else(|| "0".into());
        // Quantities print canonically: "2000m" of CPU is "2".
        let canon = |q: &str| {
            admission::milli(&Value::String(q.to_string()))
                .map(|m| admission::format(resource, m))
                .unwrap_or_else(|| q.to_string())
        };
        let cell = format!("{resource}: {}/{}", canon(&u), canon(&h.0));
        if resource.split('.').next() == Some("limits") && resource.contains('.') {
            limit.push(cell);
        } else {
            request.push(cell);
        }
    }
    plain(vec![
        name(&quota.metadata),
        created(&quota.metadata, now),
        request.join(", ").into(),
        limit.join(", ").into(),
    ])
}
