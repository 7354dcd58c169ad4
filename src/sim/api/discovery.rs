//! Discovery: `/version`, `/api`, `/apis` and the resource lists generic
//! clients read to learn what the server has. Aggregated discovery
//! (`apidiscovery.k8s.io/v2`) is answered in the legacy form with a plain
//! `application/json` content type, which client-go and kube-rs accept as
//! "this server does not aggregate" and fall back on.

use axum::http::Method;
use axum::response::Response;
use serde_json::{Value, json};

use super::response::{error_response, json_response};
use crate::sim::store::crd::CustomResources;
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

fn resource_list(group: &str, version: &str, custom: &CustomResources) -> Value {
    let group_version = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    let resources: Vec<Value> = resources::in_group(group, version)
        .chain(custom.in_group(group, version))
        .flat_map(resource_entries)
        .collect();
    json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version,
        "resources": resources,
    })
}

/// An `APIGroup`: its versions, the preferred (first) one.
fn api_group(name: &str, versions: &[String]) -> Value {
    let gv = |v: &String| json!({"groupVersion": format!("{name}/{v}"), "version": v});
    let all: Vec<Value> = versions.iter().map(gv).collect();
    let preferred = all.first().cloned().unwrap_or(Value::Null);
    json!({"kind": "APIGroup", "apiVersion": "v1", "name": name, "versions": all, "preferredVersion": preferred})
}

/// Every API group with its versions: the built-in ones, then the custom
/// resources' groups.
fn all_groups(custom: &CustomResources) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = GROUPS
        .iter()
        .map(|(g, v)| (g.to_string(), vec![v.to_string()]))
        .collect();
    groups.extend(custom.groups());
    groups
}

/// Answers discovery and health paths; `None` for anything else.
pub fn answer(method: &Method, path: &str, custom: &CustomResources) -> Option<Response> {
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
        ["api", "v1"] => resource_list("", "v1", custom),
        ["apis"] => json!({
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": all_groups(custom).iter().map(|(g, v)| {
                let mut group = api_group(g, v);
                if let Some(o) = group.as_object_mut() {
                    o.remove("kind");
                    o.remove("apiVersion");
                }
                group
            }).collect::<Vec<_>>(),
        }),
        ["apis", g] => match all_groups(custom).iter().find(|(name, _)| name == g) {
            Some((name, v)) => api_group(name, v),
            None => return Some(error_response(&ApiError::no_such_path())),
        },
        ["apis", g, v] => {
            let known = all_groups(custom)
                .iter()
                .any(|(name, vs)| name == g && vs.iter().any(|x| x == v));
            if !known {
                return Some(error_response(&ApiError::no_such_path()));
            }
            resource_list(g, v, custom)
        }
        _ => return None,
    };
    Some(json_response(200, &body))
}

#[cfg(test)]
mod tests;
