//! SelfSubjectAccessReview: may the caller do this? The read-only user may
//! only read, and faults can forbid resources.

use axum::response::Response;
use serde_json::json;

use super::protobuf;
use super::request::{Req, is_mutating, parse_body};
use super::response::{error_response, json_response};
use super::shared::Shared;
use crate::sim::store::status::ApiError;

/// SelfSubjectAccessReview: may the caller do this? The read-only user may
/// only read.
pub fn access_review(sim: &Shared, req: &Req) -> Response {
    let ct = req.content_type();
    let body = if ct.starts_with(protobuf::CONTENT_TYPE) {
        match protobuf::self_subject_access_review(&req.body) {
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
    let mutating = is_mutating(verb) || matches!(verb, "*" | "escalate" | "bind" | "impersonate");
    let attrs = &spec["resourceAttributes"];
    let resource = attrs["resource"].as_str().unwrap_or("");
    let forbidden = !resource.is_empty()
        && sim.faults.forbids_sub(
            attrs["group"].as_str().unwrap_or(""),
            resource,
            attrs["subresource"].as_str().filter(|s| !s.is_empty()),
        );
    // A namespace-only user: nothing outside that namespace.
    let namespace = attrs["namespace"].as_str().filter(|n| !n.is_empty());
    let forbidden = forbidden || sim.faults.outside_namespace(namespace);
    let allowed = !(forbidden || sim.readonly_user && mutating);
    let user = sim.user_name();
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
