//! HTTP front of the sim: authentication, faults, the request log, and routing
//! of Kubernetes API paths to the handlers in [`super::api`]-style modules.

use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use serde_json::Value;

use super::store::resources::{self, ResourceType};
use super::store::status::ApiError;
use super::{RequestRecord, Sim, lock};

/// Largest request body the sim reads.
const MAX_BODY: usize = 8 * 1024 * 1024;

/// The user every request is made as.
pub fn user_name(sim: &Sim) -> &'static str {
    if sim.shared.config.readonly_user {
        "warroom-viewer"
    } else {
        "warroom-admin"
    }
}

/// A parsed resource path.
#[derive(Debug, Clone)]
pub struct Target {
    pub rt: &'static ResourceType,
    /// Namespace from the path; `None` for all namespaces or cluster-scoped.
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub subresource: Option<String>,
}

/// Everything a handler needs from the request.
pub struct Req {
    pub method: Method,
    pub target: Target,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Req {
    pub fn param(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn flag(&self, key: &str) -> bool {
        matches!(self.param(key), Some("true" | "1"))
    }

    pub fn dry_run(&self) -> bool {
        self.query.iter().any(|(k, v)| k == "dryRun" && v == "All")
    }

    /// The client asked for a `meta.k8s.io` Table.
    pub fn wants_table(&self) -> bool {
        let accept = self
            .headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        // The first acceptable type wins; kubectl lists Table first.
        accept
            .split(',')
            .next()
            .is_some_and(|first| first.contains("as=Table"))
    }

    pub fn namespace(&self) -> &str {
        self.target.namespace.as_deref().unwrap_or("")
    }
}

pub fn json_response(code: u16, value: &Value) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_default();
    raw_json_response(code, body)
}

pub fn raw_json_response(code: u16, body: Vec<u8>) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::from_u16(code).unwrap_or(StatusCode::OK);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

pub fn error_response(e: &ApiError) -> Response {
    json_response(e.code, &e.to_status())
}

pub fn router(sim: Sim) -> Router {
    let expire = sim.shared.config.faults.expire_rv;
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

fn parse_query(q: Option<&str>) -> Vec<(String, String)> {
    let Some(q) = q else { return Vec::new() };
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// Decodes `%XX` and `+` in a query component; bad escapes are kept as text.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Maps an API path to a resource target, or `None` for discovery and unknown paths.
pub fn parse_target(path: &str) -> Result<Option<Target>, ApiError> {
    let segs: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let (group, version, rest) = match segs.as_slice() {
        ["api", "v1", rest @ ..] if !rest.is_empty() => ("", "v1", rest),
        ["apis", g, v, rest @ ..] if !rest.is_empty() => (*g, *v, rest),
        _ => return Ok(None),
    };
    let (namespace, rest) = match rest {
        ["namespaces", ns, plural, tail @ ..]
            if !(tail.is_empty()
                && group.is_empty()
                && (*plural == "status" || *plural == "finalize")) =>
        {
            (Some(ns.to_string()), [&[*plural][..], tail].concat())
        }
        _ => (None, rest.to_vec()),
    };
    let Some(plural) = rest.first() else {
        return Ok(None);
    };
    let Some(rt) = resources::find(group, version, plural) else {
        return Err(ApiError::no_such_path());
    };
    let name = rest.get(1).map(|s| s.to_string());
    let subresource = rest.get(2).map(|s| s.to_string());
    if rest.len() > 3 {
        return Err(ApiError::no_such_path());
    }
    if let Some(sub) = &subresource
        && !rt.subresources.contains(&sub.as_str())
    {
        return Err(ApiError::no_such_path());
    }
    if namespace.is_some() && !rt.namespaced {
        return Err(ApiError::no_such_path());
    }
    Ok(Some(Target {
        rt,
        namespace,
        name,
        subresource,
    }))
}

/// The Kubernetes verb for a request, as audit logs and RBAC name it.
pub fn verb_of(
    method: &Method,
    target: Option<&Target>,
    query: &[(String, String)],
) -> &'static str {
    let has_name = target.is_some_and(|t| t.name.is_some());
    let watch = query
        .iter()
        .any(|(k, v)| k == "watch" && (v == "true" || v == "1"));
    match *method {
        Method::GET if watch => "watch",
        Method::GET if has_name || target.is_none() => "get",
        Method::GET => "list",
        Method::POST => "create",
        Method::PUT => "update",
        Method::PATCH => "patch",
        Method::DELETE if has_name => "delete",
        Method::DELETE => "deletecollection",
        _ => "unknown",
    }
}

pub fn is_mutating(verb: &str) -> bool {
    matches!(
        verb,
        "create" | "update" | "patch" | "delete" | "deletecollection"
    )
}

async fn handle(State(sim): State<Sim>, req: Request) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let raw_query = req.uri().query().unwrap_or("").to_string();
    let query = parse_query(req.uri().query());
    let headers = req.headers().clone();
    let target = parse_target(&path);
    let verb = verb_of(
        &method,
        target.as_ref().ok().and_then(|t| t.as_ref()),
        &query,
    );

    let response = answer(
        &sim,
        method.clone(),
        &path,
        query,
        headers,
        target,
        verb,
        req.into_body(),
    )
    .await;

    let mut log = lock(&sim.shared.requests);
    if log.len() >= super::REQUEST_LOG_LIMIT {
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
    sim: &Sim,
    method: Method,
    path: &str,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    target: Result<Option<Target>, ApiError>,
    verb: &'static str,
    body: Body,
) -> Response {
    let faults = &sim.shared.config.faults;
    if let Some(latency) = faults.latency {
        tokio::time::sleep(latency).await;
    }
    if let Some(token) = &sim.shared.config.token {
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
    if faults.error_rate > 0.0 && lock(&sim.shared.fault_rng).chance(faults.error_rate) {
        return error_response(&ApiError::internal("injected fault (error-rate)"));
    }
    if let Some(resp) = super::discovery::answer(sim, &method, path) {
        return resp;
    }
    if path.starts_with("/_sim/") {
        return sim_control(sim, &method, path, &query);
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
    if sim.shared.config.readonly_user
        && is_mutating(verb)
        && target.rt.plural != "selfsubjectaccessreviews"
    {
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
        method,
        target,
        query,
        headers,
        body,
    };
    super::watch::dispatch(sim, req, verb).await
}

/// 403 with the API server's RBAC message for this user, verb and resource.
fn forbidden(sim: &Sim, target: &Target, verb: &str) -> Response {
    let resource = match &target.subresource {
        Some(s) => format!("{}/{s}", target.rt.plural),
        None => target.rt.plural.to_string(),
    };
    error_response(&ApiError::forbidden(
        user_name(sim),
        verb,
        target.rt.group,
        &resource,
        target.namespace.as_deref().unwrap_or(""),
    ))
}

/// `/_sim/...`: the sim's own controls (not Kubernetes API): the request log
/// and moving a stopped clock, for end-to-end tests of the real binary.
fn sim_control(sim: &Sim, method: &Method, path: &str, query: &[(String, String)]) -> Response {
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
                &serde_json::json!({"now": super::cluster::time::k8s_time(sim.now())}),
            )
        }
        _ => error_response(&ApiError::no_such_path()),
    }
}

#[cfg(test)]
mod tests;
