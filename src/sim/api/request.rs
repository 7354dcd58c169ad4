//! What a request asks for: the resource its path names, its query, its
//! body, and the Kubernetes verb it is.

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, header};
use serde_json::Value;

use super::protobuf;
use crate::sim::cluster::world::Manager;
use crate::sim::store::crd::{CustomResources, ServedVersion};
use crate::sim::store::resources::{self, ResourceType};
use crate::sim::store::status::ApiError;

/// A parsed resource path.
#[derive(Debug, Clone)]
pub struct Target {
    pub rt: &'static ResourceType,
    /// Namespace from the path; `None` for all namespaces or cluster-scoped.
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub subresource: Option<String>,
    /// The served version of a custom resource (its printer columns and
    /// schema); `None` for the built-in kinds.
    pub custom: Option<Arc<ServedVersion>>,
}

/// Everything a handler needs from the request.
pub struct Req {
    pub target: Target,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Req {
    /// The `Content-Type` header ("" when absent or not text).
    pub fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

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

    /// Who this write is by, for `metadata.managedFields`: the
    /// `fieldManager` parameter, else the user agent up to its first `/`
    /// (printable characters, at most 128 bytes), as the API server names
    /// a client that does not say.
    pub fn manager(&self) -> Manager {
        let name = match self.param("fieldManager").filter(|m| !m.is_empty()) {
            Some(m) => m.to_string(),
            None => {
                let agent = self
                    .headers
                    .get(header::USER_AGENT)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                let mut name = String::new();
                for c in agent.split('/').next().unwrap_or("").chars() {
                    if c.is_control() {
                        continue;
                    }
                    if name.len() + c.len_utf8() > 128 {
                        break;
                    }
                    name.push(c);
                }
                name
            }
        };
        Manager {
            name,
            subresource: self.target.subresource.clone(),
        }
    }
}

pub fn parse_query(q: Option<&str>) -> Vec<(String, String)> {
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

/// Maps an API path to a resource target of the built-in kinds, or `None`
/// for discovery and unknown paths.
#[cfg(test)]
pub fn parse_target(path: &str) -> Result<Option<Target>, ApiError> {
    parse_target_with(path, &CustomResources::default())
}

/// Maps an API path to a resource target, the built-in kinds or the
/// custom resources served now, or `None` for discovery and unknown paths.
pub fn parse_target_with(path: &str, custom: &CustomResources) -> Result<Option<Target>, ApiError> {
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
    let served = custom.version(group, version, plural);
    let Some(rt) = resources::find(group, version, plural).or(served.as_ref().map(|s| s.rt)) else {
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
        custom: served,
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

/// The body as JSON (protobuf bodies are read as the JSON they stand for).
pub fn parse_body(req: &Req) -> Result<Value, ApiError> {
    let ct = req.content_type();
    // kubectl's `create <kind> NAME` generators send protobuf.
    if ct.starts_with(protobuf::CONTENT_TYPE) {
        return protobuf::object_from_body(ct, &req.body);
    }
    serde_json::from_slice(&req.body).map_err(|e| {
        ApiError::bad_request(format!(
            "the body of the request could not be decoded as JSON: {e}"
        ))
    })
}

#[cfg(test)]
mod tests;
