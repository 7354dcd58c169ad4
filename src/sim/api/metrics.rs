//! `metrics.k8s.io/v1beta1` as metrics-server serves it: get and list of
//! PodMetrics and NodeMetrics, with label selectors.

use axum::response::Response;
use serde_json::{Value, json};

use super::request::Req;
use super::response::{error_response, json_response};
use super::shared::{Shared, lock};
use crate::sim::cluster::metrics::{node_metrics, pod_metrics};
use crate::sim::store::selector::LabelSelector;
use crate::sim::store::status::ApiError;

pub fn answer(sim: &Shared, req: &Req, verb: &str) -> Response {
    if !matches!(verb, "get" | "list") {
        return error_response(&ApiError::method_not_allowed("metrics are read-only"));
    }
    let selector = match LabelSelector::parse(req.param("labelSelector").unwrap_or("")) {
        Ok(s) => s,
        Err(e) => return error_response(&ApiError::bad_request(e.0)),
    };
    let w = lock(&sim.world);
    let nodes = req.target.rt.plural == "nodes";
    let items: Vec<Value> = if nodes {
        w.store
            .list("nodes", None, None)
            .items
            .iter()
            .filter(|n| {
                req.target.name.as_ref().is_none_or(|want| *want == n.name)
                    && selector.matches(&n.labels)
            })
            .map(|n| node_metrics(&w, &n.value()))
            .collect()
    } else {
        let ns = req.target.namespace.as_deref();
        w.kubelet
            .pods
            .iter()
            .filter(|((pns, pname), _)| {
                ns.is_none_or(|n| n == pns)
                    && req.target.name.as_ref().is_none_or(|want| want == pname)
            })
            .filter_map(|((pns, pname), rt)| {
                let stored = w.store.get("pods", pns, pname)?;
                if !selector.matches(&stored.labels) {
                    return None;
                }
                pod_metrics(&w, rt, &json!(stored.labels))
            })
            .collect()
    };
    if let Some(name) = &req.target.name {
        return match items.into_iter().next() {
            Some(item) => json_response(200, &item),
            None => error_response(&ApiError::not_found(
                "metrics.k8s.io",
                req.target.rt.plural,
                name,
            )),
        };
    }
    let kind = if nodes {
        "NodeMetricsList"
    } else {
        "PodMetricsList"
    };
    json_response(
        200,
        &json!({"kind": kind, "apiVersion": "metrics.k8s.io/v1beta1", "metadata": {}, "items": items}),
    )
}
