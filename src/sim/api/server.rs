//! HTTP front of the sim: authentication, faults, the request log, and routing
//! of Kubernetes API paths to their handlers.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::response::Response;
use serde_json::Value;

use super::request::{Req, Target, is_mutating, parse_query, parse_target_with, verb_of};
use super::response::{error_response, json_response};
use super::shared::{REQUEST_LOG_LIMIT, RequestRecord, Shared, lock};
use super::{access_review, discovery, list, logs, metrics, objects, openapi, watch};
use crate::sim::store::crd::CustomResources;
use crate::sim::store::status::ApiError;

/// Largest request body the sim reads.
const MAX_BODY: usize = 8 * 1024 * 1024;

pub fn router(sim: Arc<Shared>) -> Router {
    let expire = sim.faults.expire_rv;
    if let Some(every) = expire {
        let s = sim.clone();
        tokio::spawn(async move {
            let mut t = tokio::time::interval(every);
            t.tick().await;
            loop {
                t.tick().await;
                s.expire_resource_versions();
            }
        });
    }
    Router::new().fallback(handle).with_state(sim)
}

async fn handle(State(sim): State<Arc<Shared>>, req: Request) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let raw_query = req.uri().query().unwrap_or("").to_string();
    let query = parse_query(req.uri().query());
    let headers = req.headers().clone();
    // The custom resources served now (a cheap copy: shared versions).
    let custom = lock(&sim.world).crds.clone();
    let target = parse_target_with(&path, &custom);
    let verb = verb_of(
        &method,
        target.as_ref().ok().and_then(|t| t.as_ref()),
        &query,
    );

    let response = answer(
        &sim,
        &custom,
        &method,
        &path,
        query,
        headers,
        target,
        verb,
        req.into_body(),
    )
    .await;

    let mut log = lock(&sim.request_log);
    if log.len() >= REQUEST_LOG_LIMIT {
        log.pop_front();
    }
    log.push_back(RequestRecord {
        method: method.to_string(),
        path,
        query: raw_query,
        verb: verb.to_string(),
        status: response.status().as_u16(),
    });
    response
}

#[allow(clippy::too_many_arguments)]
async fn answer(
    sim: &Arc<Shared>,
    custom: &CustomResources,
    method: &Method,
    path: &str,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    target: Result<Option<Target>, ApiError>,
    verb: &'static str,
    body: Body,
) -> Response {
    let faults = &sim.faults;
    if let Some(latency) = faults.latency {
        tokio::time::sleep(latency).await;
    }
    if let Some(token) = &sim.token {
        let sent = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let ok = sent
            .strip_prefix("Bearer ")
            .is_some_and(|t| t.trim() == token);
        if !ok && !matches!(path, "/healthz" | "/livez" | "/readyz") {
            return error_response(&ApiError::unauthorized());
        }
    }
    if faults.error_rate > 0.0 && lock(&sim.fault_rng).chance(faults.error_rate) {
        return error_response(&ApiError::internal("injected fault (error-rate)"));
    }
    if let Some(resp) = openapi::answer(method, path, &headers, custom) {
        return resp;
    }
    if let Some(resp) = discovery::answer(method, path, custom) {
        return resp;
    }
    if path.starts_with("/_sim/") {
        return sim_control(sim, method, path, &query);
    }
    let target = match target {
        Ok(Some(t)) => t,
        Ok(None) => return error_response(&ApiError::no_such_path()),
        Err(e) => return error_response(&e),
    };
    if !target.rt.has_verb(verb) || (verb == "watch" && target.name.is_some()) {
        return error_response(&ApiError::method_not_allowed(format!(
            "the server does not allow this method on the requested resource ({verb})"
        )));
    }
    if faults.forbids_sub(
        target.rt.group,
        target.rt.plural,
        target.subresource.as_deref(),
    ) {
        return forbidden(sim, &target, verb);
    }
    if faults.outside_namespace(target.namespace.as_deref())
        && target.rt.plural != "selfsubjectaccessreviews"
    {
        return forbidden(sim, &target, verb);
    }
    if sim.readonly_user && is_mutating(verb) && target.rt.plural != "selfsubjectaccessreviews" {
        return forbidden(sim, &target, verb);
    }
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return error_response(&ApiError::bad_request(
                "request body too large or unreadable",
            ));
        }
    };
    let req = Req {
        target,
        query,
        headers,
        body,
    };
    dispatch(sim, req, verb).await
}

/// 403 with the API server's RBAC message for this user, verb and resource.
fn forbidden(sim: &Shared, target: &Target, verb: &str) -> Response {
    let resource = match &target.subresource {
        Some(s) => format!("{}/{s}", target.rt.plural),
        None => target.rt.plural.to_string(),
    };
    error_response(&ApiError::forbidden(
        sim.user_name(),
        verb,
        target.rt.group,
        &resource,
        target.namespace.as_deref().unwrap_or(""),
    ))
}

/// `/_sim/...`: the sim's own controls (not Kubernetes API): the request log
/// and moving a stopped clock, for end-to-end tests of the real binary.
fn sim_control(sim: &Shared, method: &Method, path: &str, query: &[(String, String)]) -> Response {
    match (method, path) {
        (&Method::GET, "/_sim/requests") => {
            let list: Vec<Value> = sim
                .requests()
                .into_iter()
                .map(|r| serde_json::json!({"method": r.method, "path": r.path, "query": r.query, "verb": r.verb, "status": r.status}))
                .collect();
            json_response(200, &Value::Array(list))
        }
        (&Method::POST, "/_sim/advance") => {
            let secs: f64 = query
                .iter()
                .find(|(k, _)| k == "seconds")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0.0);
            if !(0.0..=86_400.0).contains(&secs) {
                return error_response(&ApiError::bad_request(
                    "seconds must be between 0 and 86400",
                ));
            }
            sim.advance(Duration::from_secs_f64(secs));
            json_response(
                200,
                &serde_json::json!({"now": crate::sim::cluster::time::k8s_time(sim.now())}),
            )
        }
        _ => error_response(&ApiError::no_such_path()),
    }
}

/// Sends a request to the handler for its verb and resource.
async fn dispatch(sim: &Arc<Shared>, req: Req, verb: &str) -> Response {
    let rt = req.target.rt;
    if rt.group == "authorization.k8s.io" {
        return access_review::access_review(sim, &req);
    }
    if rt.group == "metrics.k8s.io" {
        return metrics::answer(sim, &req, verb);
    }
    if req.target.subresource.as_deref() == Some("log") {
        return logs::answer(sim, req).await;
    }
    match verb {
        "list" => list::list(sim, &req),
        "watch" => watch::watch(sim, req),
        "get" => objects::get(sim, &req),
        "create" => objects::create(sim, &req),
        "update" => objects::update(sim, &req),
        "patch" => objects::patch(sim, &req),
        "delete" => objects::delete(sim, &req),
        "deletecollection" => objects::delete_collection(sim, &req),
        _ => error_response(&ApiError::method_not_allowed("method not allowed")),
    }
}
