//! The verbs on one stored object: get, create, update, patch (three patch
//! types, and server-side apply in [`super::apply`]), delete (and
//! deletecollection), and the `status` and `scale` subresources. Lists, watches, logs, access reviews and metrics are in
//! their own modules.

use axum::response::Response;
use serde_json::{Value, json};

use super::apply;
use super::events_v1::{from_events_v1, present};
use super::list::Filter;
use super::patch::{self, PatchKind};
use super::request::{Req, parse_body};
use super::response::{error_response, json_response};
use super::shared::{Shared, lock};
use super::table::{self, IncludeObject};
use crate::sim::cluster::world::{DeleteOptions, Part};
use crate::sim::store::selector::LabelSelector;
use crate::sim::store::status::ApiError;

pub(super) fn object_response(sim: &Shared, req: &Req, code: u16, obj: &Value) -> Response {
    let shown = present(req, obj);
    if req.wants_table() {
        let include = IncludeObject::parse(req.param("includeObject"));
        let table = match &req.target.custom {
            Some(cr) => table::custom::to_table_one(&cr.columns, &shown, include, sim.now()),
            None => table::to_table_one(req.target.rt.plural, &shown, include, sim.now()),
        };
        return json_response(code, &table);
    }
    json_response(code, &shown)
}

pub(super) fn name_of(req: &Req) -> &str {
    req.target.name.as_deref().unwrap_or("")
}

/// The current object, as stored.
fn current(sim: &Shared, req: &Req) -> Result<Value, ApiError> {
    let rt = req.target.rt;
    lock(&sim.world)
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
fn apply_scale(sim: &Shared, req: &Req, scale: &Value) -> Result<Value, ApiError> {
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
    let updated = lock(&sim.world).replace_by(
        rt,
        req.namespace(),
        name_of(req),
        obj,
        Part::Main,
        req.dry_run(),
        &req.manager(),
    )?;
    Ok(scale_of(&updated))
}

pub fn get(sim: &Shared, req: &Req) -> Response {
    let result = current(sim, req);
    match (result, req.target.subresource.as_deref()) {
        (Ok(obj), Some("scale")) => json_response(200, &scale_of(&obj)),
        (Ok(obj), _) => object_response(sim, req, 200, &obj),
        (Err(e), _) => error_response(&e),
    }
}

pub fn create(sim: &Shared, req: &Req) -> Response {
    let result = parse_body(req).and_then(|body| {
        let body = if req.target.rt.group == "events.k8s.io" {
            from_events_v1(&body)
        } else {
            body
        };
        lock(&sim.world).create_by(
            req.target.rt,
            req.namespace(),
            body,
            req.dry_run(),
            &req.manager(),
        )
    });
    match result {
        Ok(obj) => object_response(sim, req, 201, &obj),
        Err(e) => error_response(&e),
    }
}

pub(super) fn part(req: &Req) -> Part {
    if req.target.subresource.as_deref() == Some("status") {
        Part::Status
    } else {
        Part::Main
    }
}

pub fn update(sim: &Shared, req: &Req) -> Response {
    let result = parse_body(req).and_then(|body| {
        if req.target.subresource.as_deref() == Some("scale") {
            return apply_scale(sim, req, &body);
        }
        let body = if req.target.rt.group == "events.k8s.io" {
            from_events_v1(&body)
        } else {
            body
        };
        lock(&sim.world).replace_by(
            req.target.rt,
            req.namespace(),
            name_of(req),
            body,
            part(req),
            req.dry_run(),
            &req.manager(),
        )
    });
    match result {
        Ok(obj) if req.target.subresource.as_deref() == Some("scale") => json_response(200, &obj),
        Ok(obj) => object_response(sim, req, 200, &obj),
        Err(e) => error_response(&e),
    }
}

pub fn patch(sim: &Shared, req: &Req) -> Response {
    let ct = req.content_type();
    if apply::is_apply(ct) {
        return apply::apply(sim, req);
    }
    let Some(kind) = PatchKind::from_content_type(ct) else {
        return error_response(&ApiError::unsupported_media_type(
            ct,
            "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml",
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
            from_events_v1(&patched)
        } else {
            patched
        };
        lock(&sim.world).replace_by(
            req.target.rt,
            req.namespace(),
            name_of(req),
            patched,
            part(req),
            req.dry_run(),
            &req.manager(),
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

pub fn delete(sim: &Shared, req: &Req) -> Response {
    let result = delete_options(req).and_then(|opts| {
        lock(&sim.world).delete(req.target.rt, req.namespace(), name_of(req), &opts)
    });
    match result {
        Ok(obj) => object_response(sim, req, 200, &obj),
        Err(e) => error_response(&e),
    }
}

pub fn delete_collection(sim: &Shared, req: &Req) -> Response {
    let result = (|| {
        let filter = Filter::from_req(req)?;
        let opts = delete_options(req)?;
        let mut w = lock(&sim.world);
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
