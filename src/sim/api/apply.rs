//! Server-side apply: `PATCH` with `Content-Type: application/apply-patch+yaml`
//! (`kubectl apply --server-side`, kube-rs `Patch::Apply`). The request's
//! checks are here; the merge, ownership and conflicts are
//! `World::apply` and `store::managed`.

use axum::response::Response;
use serde_json::Value;

use super::objects::{name_of, object_response, part};
use super::request::Req;
use super::response::error_response;
use super::shared::{Shared, lock};
use crate::sim::cluster::world::ApplyOptions;
use crate::sim::store::status::ApiError;

/// The Content-Type of an apply patch (parameters ignored).
pub fn is_apply(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or("").trim();
    media.eq_ignore_ascii_case("application/apply-patch+yaml")
}

pub fn apply(sim: &Shared, req: &Req) -> Response {
    match apply_request(sim, req) {
        Ok((obj, created)) => object_response(sim, req, if created { 201 } else { 200 }, &obj),
        Err(e) => error_response(&e),
    }
}

fn apply_request(sim: &Shared, req: &Req) -> Result<(Value, bool), ApiError> {
    // The API server validates the options before it reads the body.
    if req.param("fieldManager").is_none_or(str::is_empty) {
        return Err(ApiError::field_manager_required());
    }
    let rt = req.target.rt;
    let sub = req.target.subresource.as_deref();
    if rt.group == "events.k8s.io" || sub == Some("scale") {
        return Err(ApiError::unsupported_media_type(
            req.content_type(),
            "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json",
            " (the sim applies server-side to objects and their status, not to events.k8s.io/v1 or scale)",
        ));
    }
    // YAML is a superset of JSON, and kubectl and client libraries send
    // JSON; the sim reads only that.
    let config: Value = serde_json::from_slice(&req.body).map_err(|e| {
        ApiError::bad_request(format!(
            "error decoding YAML: the sim reads apply patches written as JSON: {e}"
        ))
    })?;
    let opts = ApplyOptions {
        manager: req.manager(),
        part: part(req),
        force: req.flag("force"),
        dry_run: req.dry_run(),
    };
    lock(&sim.world).apply(rt, req.namespace(), name_of(req), config, &opts)
}
