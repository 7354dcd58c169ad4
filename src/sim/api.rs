//! The verbs on stored resources: get, list (selectors, pagination, Tables),
//! create, update, patch (three patch types), delete, and the `status` and
//! `scale` subresources. Watches are in [`super::watch`], logs in
//! [`super::logs`], access reviews and metrics in their own modules.

use std::sync::Arc;

use axum::http::header;
use axum::response::Response;
use serde_json::{Value, json};

use super::cluster::events;
use super::cluster::world::{DeleteOptions, Part};
use super::patch::{self, PatchKind};
use super::server::{Req, error_response, json_response, raw_json_response};
use super::store::Stored;
use super::store::selector::{self, FieldSelector, LabelSelector};
use super::store::status::ApiError;
use super::table::{self, IncludeObject};
use super::{Sim, lock};

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

/// The object as this API resource shows it (events.k8s.io sees core events
/// in its own shape).
pub fn present(req: &Req, stored: &Value) -> Value {
    if req.target.rt.group == "events.k8s.io" {
        events::to_events_v1(stored)
    } else {
        stored.clone()
    }
}

fn encode_continue(rv: u64, ns: &str, name: &str) -> String {
    format!("{rv}:{ns}:{name}")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn decode_continue(token: &str) -> Option<(u64, String, String)> {
    if token.len() % 2 != 0 {
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
pub fn list(sim: &Sim, req: &Req) -> Response {
    match list_inner(sim, req) {
        Ok(r) => r,
        Err(e) => error_response(&e),
    }
}

fn list_inner(sim: &Sim, req: &Req) -> Result<Response, ApiError> {
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
        let w = lock(&sim.shared.world);
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
            if next.is_none() {
                if let Some(last) = items.last() {
                    next = Some(encode_continue(list_rv, &last.namespace, &last.name));
                }
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
        return Ok(json_response(
            200,
            &table::to_table(rt.plural, &values, include, meta, now),
        ));
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
    let convert = rt.group == "events.k8s.io";
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

fn object_response(sim: &Sim, req: &Req, code: u16, obj: &Value) -> Response {
    let shown = present(req, obj);
    if req.wants_table() {
        let include = IncludeObject::parse(req.param("includeObject"));
        return json_response(
            code,
            &table::to_table_one(req.target.rt.plural, &shown, include, sim.now()),
        );
    }
    json_response(code, &shown)
}

fn name_of(req: &Req) -> &str {
    req.target.name.as_deref().unwrap_or("")
}

fn parse_body(req: &Req) -> Result<Value, ApiError> {
    let ct = req
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // kubectl's `create <kind> NAME` generators send protobuf.
    if ct.starts_with(super::protobuf::CONTENT_TYPE) {
        return super::protobuf::object_from_body(ct, &req.body);
    }
    serde_json::from_slice(&req.body).map_err(|e| {
        ApiError::bad_request(format!(
            "the body of the request could not be decoded as JSON: {e}"
        ))
    })
}

/// The current object, as stored.
fn current(sim: &Sim, req: &Req) -> Result<Value, ApiError> {
    let rt = req.target.rt;
    lock(&sim.shared.world)
        .store
        .get_value(rt.storage, req.namespace(), name_of(req))
        .ok_or_else(|| ApiError::not_found(rt.group, rt.plural, name_of(req)))
}

/// The `autoscaling/v1` Scale view of a workload.
pub fn scale_of(obj: &Value) -> Value {
    let selector = LabelSelector::from_json(&obj["spec"]["selector"])
        .map(|s| s.to_string())
        .unwrap_or_default();
    let meta = &obj["metadata"];
    json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            "name": meta["name"],
            "namespace": meta["namespace"],
            "uid": meta["uid"],
            "resourceVersion": meta["resourceVersion"],
            "creationTimestamp": meta["creationTimestamp"],
        },
        "spec": {"replicas": obj["spec"]["replicas"].as_i64().unwrap_or(1)},
        "status": {"replicas": obj["status"]["replicas"].as_i64().unwrap_or(0), "selector": selector},
    })
}

/// Writes a Scale back: only spec.replicas (and the precondition) count.
fn apply_scale(sim: &Sim, req: &Req, scale: &Value) -> Result<Value, ApiError> {
    let rt = req.target.rt;
    let mut obj = current(sim, req)?;
    let replicas = scale["spec"]["replicas"].as_i64().ok_or_else(|| {
        ApiError::invalid(
            "autoscaling",
            "Scale",
            name_of(req),
            &[("spec.replicas".into(), "Required value".into())],
        )
    })?;
    if replicas < 0 {
        return Err(ApiError::invalid(
            "autoscaling",
            "Scale",
            name_of(req),
            &[(
                "spec.replicas".into(),
                format!("Invalid value: {replicas}: must be greater than or equal to 0"),
            )],
        ));
    }
    if let Some(rv) = scale["metadata"]["resourceVersion"]
        .as_str()
        .filter(|s| !s.is_empty())
    {
        obj["metadata"]["resourceVersion"] = json!(rv);
    }
    obj["spec"]["replicas"] = json!(replicas);
    let updated = lock(&sim.shared.world).replace(
        rt,
        req.namespace(),
        name_of(req),
        obj,
        Part::Main,
        req.dry_run(),
    )?;
    Ok(scale_of(&updated))
}

pub fn get(sim: &Sim, req: &Req) -> Response {
    let result = current(sim, req);
    match (result, req.target.subresource.as_deref()) {
        (Ok(obj), Some("scale")) => json_response(200, &scale_of(&obj)),
        (Ok(obj), _) => object_response(sim, req, 200, &obj),
        (Err(e), _) => error_response(&e),
    }
}

pub fn create(sim: &Sim, req: &Req) -> Response {
    let result = parse_body(req).and_then(|body| {
        let body = if req.target.rt.group == "events.k8s.io" {
            events::from_events_v1(&body)
        } else {
            body
        };
        lock(&sim.shared.world).create(req.target.rt, req.namespace(), body, req.dry_run())
    });
    match result {
        Ok(obj) => object_response(sim, req, 201, &obj),
        Err(e) => error_response(&e),
    }
}

fn part(req: &Req) -> Part {
    if req.target.subresource.as_deref() == Some("status") {
        Part::Status
    } else {
        Part::Main
    }
}

pub fn update(sim: &Sim, req: &Req) -> Response {
    let result = parse_body(req).and_then(|body| {
        if req.target.subresource.as_deref() == Some("scale") {
            return apply_scale(sim, req, &body);
        }
        let body = if req.target.rt.group == "events.k8s.io" {
            events::from_events_v1(&body)
        } else {
            body
        };
        lock(&sim.shared.world).replace(
            req.target.rt,
            req.namespace(),
            name_of(req),
            body,
            part(req),
            req.dry_run(),
        )
    });
    match result {
        Ok(obj) if req.target.subresource.as_deref() == Some("scale") => json_response(200, &obj),
        Ok(obj) => object_response(sim, req, 200, &obj),
        Err(e) => error_response(&e),
    }
}

pub fn patch(sim: &Sim, req: &Req) -> Response {
    let ct = req
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(kind) = PatchKind::from_content_type(ct) else {
        return error_response(&ApiError::unsupported_media_type(
            ct,
            "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json",
            "",
        ));
    };
    let scale = req.target.subresource.as_deref() == Some("scale");
    let result = current(sim, req).and_then(|obj| {
        let base = if scale {
            scale_of(&obj)
        } else {
            present(req, &obj)
        };
        let patched = patch::apply_patch(kind, &base, &req.body).map_err(|e| {
            if matches!(kind, PatchKind::Json) {
                ApiError::invalid(
                    req.target.rt.group,
                    req.target.rt.kind,
                    name_of(req),
                    &[("patch".into(), e.0)],
                )
            } else {
                ApiError::bad_request(e.0)
            }
        })?;
        if scale {
            return apply_scale(sim, req, &patched);
        }
        let patched = if req.target.rt.group == "events.k8s.io" {
            events::from_events_v1(&patched)
        } else {
            patched
        };
        lock(&sim.shared.world).replace(
            req.target.rt,
            req.namespace(),
            name_of(req),
            patched,
            part(req),
            req.dry_run(),
        )
    });
    match result {
        Ok(obj) if scale => json_response(200, &obj),
        Ok(obj) => object_response(sim, req, 200, &obj),
        Err(e) => error_response(&e),
    }
}

fn delete_options(req: &Req) -> Result<DeleteOptions, ApiError> {
    let mut opts = DeleteOptions {
        dry_run: req.dry_run(),
        ..DeleteOptions::default()
    };
    if !req.body.is_empty() {
        let body = parse_body(req)?;
        opts.grace_period_seconds = body["gracePeriodSeconds"].as_i64();
        opts.propagation = body["propagationPolicy"].as_str().map(String::from);
        if body["orphanDependents"] == json!(true) {
            opts.propagation = Some("Orphan".into());
        }
        opts.precondition_rv = body["preconditions"]["resourceVersion"]
            .as_str()
            .map(String::from);
        opts.precondition_uid = body["preconditions"]["uid"].as_str().map(String::from);
        if body["dryRun"]
            .as_array()
            .is_some_and(|d| d.iter().any(|x| x == "All"))
        {
            opts.dry_run = true;
        }
    }
    if let Some(g) = req.param("gracePeriodSeconds") {
        opts.grace_period_seconds = Some(
            g.parse()
                .map_err(|_| ApiError::bad_request(format!("invalid gracePeriodSeconds {g:?}")))?,
        );
    }
    if let Some(p) = req.param("propagationPolicy") {
        opts.propagation = Some(p.to_string());
    }
    Ok(opts)
}

pub fn delete(sim: &Sim, req: &Req) -> Response {
    let result = delete_options(req).and_then(|opts| {
        lock(&sim.shared.world).delete(req.target.rt, req.namespace(), name_of(req), &opts)
    });
    match result {
        Ok(obj) => object_response(sim, req, 200, &obj),
        Err(e) => error_response(&e),
    }
}

pub fn delete_collection(sim: &Sim, req: &Req) -> Response {
    let result = (|| {
        let filter = Filter::from_req(req)?;
        let opts = delete_options(req)?;
        let mut w = lock(&sim.shared.world);
        let items = w
            .store
            .list(req.target.rt.storage, req.target.namespace.as_deref(), None)
            .items;
        let mut deleted = Vec::new();
        for obj in items.iter().filter(|o| filter.matches(o)) {
            deleted.push(w.delete(req.target.rt, &obj.namespace, &obj.name, &opts)?);
        }
        let rv = w.store.resource_version();
        Ok::<_, ApiError>(json!({
            "kind": req.target.rt.list_kind(),
            "apiVersion": req.target.rt.api_version(),
            "metadata": {"resourceVersion": rv.to_string()},
            "items": deleted,
        }))
    })();
    match result {
        Ok(list) => json_response(200, &list),
        Err(e) => error_response(&e),
    }
}

/// SelfSubjectAccessReview: may the caller do this? The read-only user may
/// only read.
pub fn access_review(sim: &Sim, req: &Req) -> Response {
    let ct = req
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let body = if ct.starts_with(super::protobuf::CONTENT_TYPE) {
        match super::protobuf::self_subject_access_review(&req.body) {
            Some(b) => b,
            None => {
                return error_response(&ApiError::bad_request(
                    "the protobuf body is not a SelfSubjectAccessReview",
                ));
            }
        }
    } else {
        match parse_body(req) {
            Ok(b) => b,
            Err(e) => return error_response(&e),
        }
    };
    let spec = body["spec"].clone();
    let verb = spec["resourceAttributes"]["verb"]
        .as_str()
        .or_else(|| spec["nonResourceAttributes"]["verb"].as_str())
        .unwrap_or("");
    let mutating = super::server::is_mutating(verb)
        || matches!(verb, "*" | "escalate" | "bind" | "impersonate");
    let attrs = &spec["resourceAttributes"];
    let resource = attrs["resource"].as_str().unwrap_or("");
    let forbidden = !resource.is_empty()
        && sim.shared.config.faults.forbids_sub(
            attrs["group"].as_str().unwrap_or(""),
            resource,
            attrs["subresource"].as_str().filter(|s| !s.is_empty()),
        );
    let allowed = !(forbidden || sim.shared.config.readonly_user && mutating);
    let user = super::server::user_name(sim);
    let reason = if allowed {
        "RBAC: allowed by ClusterRoleBinding \"warroom-sim-admin\"".to_string()
    } else if forbidden {
        format!("RBAC: no role of user \"{user}\" grants access to {resource}")
    } else {
        format!(
            "RBAC: user \"{user}\" is bound to the read-only ClusterRole \"view\"; {verb} is not allowed"
        )
    };
    let mut status = json!({"allowed": allowed, "reason": reason});
    if !allowed {
        status["denied"] = json!(false);
    }
    json_response(
        201,
        &json!({
            "kind": "SelfSubjectAccessReview",
            "apiVersion": "authorization.k8s.io/v1",
            "metadata": {"creationTimestamp": null},
            "spec": spec,
            "status": status,
        }),
    )
}

#[cfg(test)]
mod tests;
