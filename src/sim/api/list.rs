//! LIST: label and field selectors, `limit`/`continue` pagination,
//! `resourceVersion` and `resourceVersionMatch`, and Tables.

use std::sync::Arc;

use axum::response::Response;
use serde_json::{Value, json};

use super::events_v1::present;
use super::request::Req;
use super::response::{error_response, json_response, raw_json_response};
use super::shared::{Shared, lock};
use super::table::{self, IncludeObject};
use crate::sim::store::Stored;
use crate::sim::store::selector::{self, FieldSelector, LabelSelector};
use crate::sim::store::status::ApiError;

/// Selectors of a list or watch request, parsed and checked.
pub struct Filter {
    pub labels: LabelSelector,
    pub fields: FieldSelector,
    pub resource: &'static str,
}

impl Filter {
    pub fn from_req(req: &Req) -> Result<Filter, ApiError> {
        let labels = LabelSelector::parse(req.param("labelSelector").unwrap_or(""))
            .map_err(|e| ApiError::bad_request(e.0))?;
        let fields = FieldSelector::parse(req.param("fieldSelector").unwrap_or(""))
            .map_err(|e| ApiError::bad_request(e.0))?;
        let resource = req.target.rt.storage;
        if let Some(bad) = fields
            .fields()
            .find(|f| !selector::field_supported(resource, f))
        {
            return Err(ApiError::bad_request(format!(
                "field label not supported: {bad}"
            )));
        }
        Ok(Filter {
            labels,
            fields,
            resource,
        })
    }

    pub fn matches(&self, obj: &Stored) -> bool {
        if !self.labels.matches(&obj.labels) {
            return false;
        }
        if self.fields.is_empty() {
            return true;
        }
        let value = obj.value();
        self.fields
            .matches(|f| selector::field_value(self.resource, &value, f))
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty() && self.fields.is_empty()
    }
}

fn encode_continue(rv: u64, ns: &str, name: &str) -> String {
    format!("{rv}:{ns}:{name}")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn decode_continue(token: &str) -> Option<(u64, String, String)> {
    if !token.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..token.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(token.get(i..i + 2)?, 16).ok())
        .collect();
    let text = String::from_utf8(bytes?).ok()?;
    let mut parts = text.splitn(3, ':');
    let rv = parts.next()?.parse().ok()?;
    Some((rv, parts.next()?.to_string(), parts.next()?.to_string()))
}

/// LIST: selectors, `limit`/`continue`, `resourceVersion` + `resourceVersionMatch`.
pub fn list(sim: &Shared, req: &Req) -> Response {
    match list_inner(sim, req) {
        Ok(r) => r,
        Err(e) => error_response(&e),
    }
}

fn list_inner(sim: &Shared, req: &Req) -> Result<Response, ApiError> {
    let filter = Filter::from_req(req)?;
    let limit: usize = match req.param("limit") {
        Some(l) => l
            .parse::<i64>()
            .map_err(|_| ApiError::bad_request(format!("invalid limit {l:?}")))?
            .max(0) as usize,
        None => 0,
    };
    let cont = match req.param("continue").filter(|c| !c.is_empty()) {
        Some(c) => Some(decode_continue(c).ok_or_else(|| ApiError::bad_request("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"))?),
        None => None,
    };
    let rv_param = req.param("resourceVersion").filter(|s| !s.is_empty());
    let rv_match = req.param("resourceVersionMatch").filter(|s| !s.is_empty());
    let (snapshot, compacted) = {
        let w = lock(&sim.world);
        let after = cont
            .as_ref()
            .map(|(_, ns, name)| (ns.clone(), name.clone()));
        (
            w.store.list(
                req.target.rt.storage,
                req.target.namespace.as_deref(),
                after.as_ref(),
            ),
            w.store.compacted(),
        )
    };
    let current = snapshot.rv;
    if let Some(rv) = rv_param {
        let n: u64 = rv
            .parse()
            .map_err(|_| ApiError::bad_request(format!("invalid resource version {rv:?}")))?;
        match rv_match {
            Some("Exact") if n != current => {
                return Err(if n > current {
                    ApiError::too_large_resource_version(n)
                } else {
                    ApiError::expired(format!("too old resource version: {n} ({current})"))
                });
            }
            Some("NotOlderThan") | None if n > current => {
                return Err(ApiError::too_large_resource_version(n));
            }
            Some("Exact" | "NotOlderThan") | None => {}
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                    "resourceVersionMatch: Unsupported value: {other:?}"
                )));
            }
        }
        if rv_match == Some("Exact") && n < compacted {
            return Err(ApiError::expired(format!(
                "too old resource version: {n} ({compacted})"
            )));
        }
    }
    // A continued list reports the version its first page was read at.
    let list_rv = cont.as_ref().map_or(current, |(rv, _, _)| *rv);
    if let Some((rv, _, _)) = &cont
        && *rv < compacted
    {
        return Err(ApiError::expired(
            "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
        ));
    }
    let mut items: Vec<Arc<Stored>> = Vec::new();
    let mut next = None;
    let mut remaining = 0usize;
    for obj in snapshot.items {
        if !filter.matches(&obj) {
            continue;
        }
        if limit > 0 && items.len() >= limit {
            if next.is_none()
                && let Some(last) = items.last()
            {
                next = Some(encode_continue(list_rv, &last.namespace, &last.name));
            }
            remaining += 1;
            continue;
        }
        items.push(obj);
    }
    let mut meta = json!({"resourceVersion": list_rv.to_string()});
    if let Some(token) = &next {
        meta["continue"] = json!(token);
        if filter.is_empty() {
            meta["remainingItemCount"] = json!(remaining);
        }
    }
    let rt = req.target.rt;
    if req.wants_table() {
        let values: Vec<Value> = items.iter().map(|s| present(req, &s.value())).collect();
        let include = IncludeObject::parse(req.param("includeObject"));
        let now = sim.now();
        let table = match &req.target.custom {
            Some(cr) => table::custom::to_table(&cr.columns, &values, include, meta, now),
            None => table::to_table(rt.plural, &values, include, meta, now),
        };
        return Ok(json_response(200, &table));
    }
    // Write the list out from stored JSON without re-encoding each object.
    let mut body =
        String::with_capacity(items.iter().map(|s| s.json.len() + 1).sum::<usize>() + 256);
    body.push_str(&format!(
        "{{\"kind\":\"{}\",\"apiVersion\":\"{}\",\"metadata\":{},\"items\":[",
        rt.list_kind(),
        rt.api_version(),
        meta
    ));
    let convert = rt.group == "events.k8s.io" || req.target.custom.is_some();
    for (i, obj) in items.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        if convert {
            body.push_str(&present(req, &obj.value()).to_string());
        } else {
            body.push_str(&obj.json);
        }
    }
    body.push_str("]}");
    Ok(raw_json_response(200, body.into_bytes()))
}

#[cfg(test)]
mod tests;
