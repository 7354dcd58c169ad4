//! Discovery: `/version`, `/api`, `/apis` and the resource lists generic
//! clients read to learn what the server has. Aggregated discovery
//! (`apidiscovery.k8s.io/v2`) is answered in the legacy form with a plain
//! `application/json` content type, which client-go and kube-rs accept as
//! "this server does not aggregate" and fall back on.

use axum::http::Method;
use axum::response::Response;
use serde_json::{Value, json};

use super::response::{error_response, json_response};
use crate::sim::store::resources::{self, GROUPS, ResourceType};
use crate::sim::store::status::ApiError;

/// The Kubernetes version the sim reports.
pub const KUBE_MINOR: &str = "33";

fn version() -> Value {
    json!({
        "major": "1",
        "minor": KUBE_MINOR,
        "gitVersion": format!("v1.{KUBE_MINOR}.0-warroom-sim"),
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "2026-01-01T00:00:00Z",
        "goVersion": "go1.24.0",
        "compiler": "gc",
        "platform": "linux/amd64",
        "emulationMajor": "1",
        "emulationMinor": KUBE_MINOR,
        "minCompatibilityMajor": "1",
        "minCompatibilityMinor": "32",
    })
}

fn sub_verbs(sub: &str) -> &'static [&'static str] {
    match sub {
        "log" => &["get"],
        _ => &["get", "patch", "update"],
    }
}

fn resource_entries(rt: &ResourceType) -> Vec<Value> {
    let mut out = vec![{
        let mut r = json!({
            "name": rt.plural,
            "singularName": rt.singular,
            "namespaced": rt.namespaced,
            "kind": rt.kind,
            "verbs": rt.verbs,
        });
        if !rt.short_names.is_empty() {
            r["shortNames"] = json!(rt.short_names);
        }
        if !rt.categories.is_empty() {
            r["categories"] = json!(rt.categories);
        }
        r
    }];
    for sub in rt.subresources {
        let mut r = json!({
            "name": format!("{}/{sub}", rt.plural),
            "singularName": "",
            "namespaced": rt.namespaced,
            "kind": rt.kind,
            "verbs": sub_verbs(sub),
        });
        if *sub == "scale" {
            r["group"] = json!("autoscaling");
            r["version"] = json!("v1");
            r["kind"] = json!("Scale");
        }
        out.push(r);
    }
    out
}

fn resource_list(group: &str, version: &str) -> Value {
    let group_version = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    let resources: Vec<Value> = resources::in_group(group, version)
        .flat_map(resource_entries)
        .collect();
    json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version,
        "resources": resources,
    })
}

fn api_group(name: &str, version: &str) -> Value {
    let gv = json!({"groupVersion": format!("{name}/{version}"), "version": version});
    json!({"kind": "APIGroup", "apiVersion": "v1", "name": name, "versions": [gv.clone()], "preferredVersion": gv})
}

/// Group-versions as OpenAPI v3 names them: `api/v1`, `apis/apps/v1`.
fn openapi_paths() -> Vec<(String, &'static str, &'static str)> {
    let mut out = vec![("api/v1".to_string(), "", "v1")];
    out.extend(
        GROUPS
            .iter()
            .map(|(g, v)| (format!("apis/{g}/{v}"), *g, *v)),
    );
    out
}

/// `/openapi/v3`: where each group-version's document is.
fn openapi_index() -> Value {
    let paths: serde_json::Map<String, Value> = openapi_paths()
        .into_iter()
        .map(|(p, _, _)| {
            let url = json!({"serverRelativeURL": format!("/openapi/v3/{p}?hash=0")});
            (p, url)
        })
        .collect();
    json!({"paths": paths})
}

/// A minimal OpenAPI v3 document for one group-version: the operations with
/// their GroupVersionKind and the `fieldValidation` parameter, which is what
/// kubectl reads to decide that the server validates fields itself. No
/// schemas: kubectl needs none for the commands the sim supports.
fn openapi_group(path: &str) -> Option<Value> {
    let (_, group, version) = openapi_paths().into_iter().find(|(p, _, _)| p == path)?;
    let field_validation = json!({"name": "fieldValidation", "in": "query", "schema": {"type": "string", "uniqueItems": true}});
    let mut paths = serde_json::Map::new();
    for rt in resources::in_group(group, version).filter(|r| r.has_verb("patch")) {
        let gvk = json!({"group": group, "version": version, "kind": rt.kind});
        let prefix = if group.is_empty() {
            "/api/v1".to_string()
        } else {
            format!("/apis/{group}/{version}")
        };
        let base = if rt.namespaced {
            format!("{prefix}/namespaces/{{namespace}}/{}", rt.plural)
        } else {
            format!("{prefix}/{}", rt.plural)
        };
        let op = |action: &str| {
            json!({
                "x-kubernetes-action": action,
                "x-kubernetes-group-version-kind": gvk,
                "parameters": [field_validation],
                "responses": {"200": {"description": "OK"}},
            })
        };
        paths.insert(base.clone(), json!({"post": op("post")}));
        paths.insert(
            format!("{base}/{{name}}"),
            json!({"put": op("put"), "patch": op("patch")}),
        );
    }
    Some(json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes (warroom sim)", "version": format!("v1.{KUBE_MINOR}.0")},
        "paths": paths,
        "components": {"schemas": {}},
    }))
}

/// Answers discovery and health paths; `None` for anything else.
pub fn answer(method: &Method, path: &str) -> Option<Response> {
    if method != Method::GET {
        return None;
    }
    let segs: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let body = match segs.as_slice() {
        ["version"] => version(),
        ["healthz" | "livez" | "readyz"] => {
            let mut r = Response::new(axum::body::Body::from("ok"));
            r.headers_mut().insert(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            return Some(r);
        }
        ["api"] => json!({
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}],
        }),
        ["api", "v1"] => resource_list("", "v1"),
        ["apis"] => json!({
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": GROUPS.iter().map(|(g, v)| {
                let mut group = api_group(g, v);
                if let Some(o) = group.as_object_mut() {
                    o.remove("kind");
                    o.remove("apiVersion");
                }
                group
            }).collect::<Vec<_>>(),
        }),
        ["apis", g] => match GROUPS.iter().find(|(name, _)| name == g) {
            Some((name, v)) => api_group(name, v),
            None => return Some(error_response(&ApiError::no_such_path())),
        },
        ["apis", g, v] => {
            if !GROUPS.iter().any(|(name, ver)| name == g && ver == v) {
                return Some(error_response(&ApiError::no_such_path()));
            }
            resource_list(g, v)
        }
        ["openapi", "v3"] => openapi_index(),
        ["openapi", "v3", rest @ ..] => match openapi_group(&rest.join("/")) {
            Some(doc) => doc,
            None => return Some(error_response(&ApiError::no_such_path())),
        },
        ["openapi", ..] => return Some(error_response(&ApiError::no_such_path())),
        _ => return None,
    };
    Some(json_response(200, &body))
}

#[cfg(test)]
mod tests;
