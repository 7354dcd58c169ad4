//! The sim's OpenAPI documents, as kubectl reads them:
//!
//! - `/openapi/v2` (kubectl up to 1.28 fetches it before `apply`, `create`
//!   and `explain`): Swagger 2.0, in the gnostic protobuf encoding kubectl
//!   asks for (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`),
//!   JSON otherwise;
//! - `/openapi/v3` and one document per group-version (kubectl 1.27+).
//!
//! Each has the schemas of the kinds the sim serves (k8s-openapi's, which
//! are the Kubernetes API's own, with their descriptions), each kind
//! tagged `x-kubernetes-group-version-kind`, and the write operations with
//! their `fieldValidation` parameter: kubectl then leaves validation to the
//! server, computes apply patches, and `explain` walks the fields.
//!
//! The lists merged by key (containers by name, env by name…) carry the
//! patch-strategy and list-type extensions the API server publishes, so
//! kubectl's three-way apply patch merges them as against a real cluster.

use std::sync::OnceLock;

use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::Response;
use k8s_openapi::api;
use k8s_openapi::schemars::generate::{SchemaGenerator, SchemaSettings};
use k8s_openapi::schemars::{JsonSchema, Schema};
use serde_json::{Map, Value, json};

use super::discovery::KUBE_MINOR;
use super::response::{error_response, json_response};
use crate::sim::store::crd::CustomResources;
use crate::sim::store::resources::{self, GROUPS, ResourceType};
use crate::sim::store::status::ApiError;

/// The documents of the custom resources' groups.
mod custom;

/// The content type of the protobuf document, as the API server sends it:
/// what kubectl asks for (`…spec.v2@v1.0+protobuf`) is not a valid media
/// type (`@`), and Go's client refuses it in a response.
const PROTOBUF_V2: &str = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

/// The schema of each served kind k8s-openapi knows (not metrics.k8s.io).
fn kind_schema(rt: &ResourceType) -> Option<fn(&mut SchemaGenerator) -> Schema> {
    fn of<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
        g.subschema_for::<T>()
    }
    Some(match (rt.group, rt.kind) {
        ("", "Pod") => of::<api::core::v1::Pod>,
        ("", "Node") => of::<api::core::v1::Node>,
        ("", "Namespace") => of::<api::core::v1::Namespace>,
        ("", "Event") => of::<api::core::v1::Event>,
        ("", "ConfigMap") => of::<api::core::v1::ConfigMap>,
        ("", "Secret") => of::<api::core::v1::Secret>,
        ("", "Service") => of::<api::core::v1::Service>,
        ("", "Endpoints") => of::<api::core::v1::Endpoints>,
        ("", "ResourceQuota") => of::<api::core::v1::ResourceQuota>,
        ("", "LimitRange") => of::<api::core::v1::LimitRange>,
        ("discovery.k8s.io", "EndpointSlice") => of::<api::discovery::v1::EndpointSlice>,
        ("networking.k8s.io", "Ingress") => of::<api::networking::v1::Ingress>,
        ("networking.k8s.io", "IngressClass") => of::<api::networking::v1::IngressClass>,
        ("apps", "Deployment") => of::<api::apps::v1::Deployment>,
        ("apps", "ReplicaSet") => of::<api::apps::v1::ReplicaSet>,
        ("apps", "StatefulSet") => of::<api::apps::v1::StatefulSet>,
        ("apps", "DaemonSet") => of::<api::apps::v1::DaemonSet>,
        ("apps", "ControllerRevision") => of::<api::apps::v1::ControllerRevision>,
        ("autoscaling", "HorizontalPodAutoscaler") => {
            of::<api::autoscaling::v2::HorizontalPodAutoscaler>
        }
        ("batch", "Job") => of::<api::batch::v1::Job>,
        ("batch", "CronJob") => of::<api::batch::v1::CronJob>,
        ("events.k8s.io", "Event") => of::<api::events::v1::Event>,
        ("coordination.k8s.io", "Lease") => of::<api::coordination::v1::Lease>,
        ("apiextensions.k8s.io", "CustomResourceDefinition") => {
            of::<k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition>
        }
        ("authorization.k8s.io", "SelfSubjectAccessReview") => {
            of::<api::authorization::v1::SelfSubjectAccessReview>
        }
        _ => return None,
    })
}

/// Lists merged by key, as the API types declare them (their
/// `patchMergeKey`/`patchStrategy` and `listType=map` tags), which the
/// generated schemas leave out: kubectl's apply merges these by key instead
/// of replacing them whole. (definition, property, keys, strategy).
const MERGED_LISTS: &[(&str, &str, &[&str], &str)] = &[
    (
        "io.k8s.api.core.v1.PodSpec",
        "containers",
        &["name"],
        "merge",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "initContainers",
        &["name"],
        "merge",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "ephemeralContainers",
        &["name"],
        "merge",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "volumes",
        &["name"],
        "merge,retainKeys",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "imagePullSecrets",
        &["name"],
        "merge",
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "hostAliases",
        &["ip"],
        "merge",
    ),
    ("io.k8s.api.core.v1.Container", "env", &["name"], "merge"),
    (
        "io.k8s.api.core.v1.Container",
        "ports",
        &["containerPort", "protocol"],
        "merge",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "volumeMounts",
        &["mountPath"],
        "merge",
    ),
    (
        "io.k8s.api.core.v1.Container",
        "volumeDevices",
        &["devicePath"],
        "merge",
    ),
    (
        "io.k8s.api.core.v1.EphemeralContainer",
        "env",
        &["name"],
        "merge",
    ),
    (
        "io.k8s.api.core.v1.EphemeralContainer",
        "volumeMounts",
        &["mountPath"],
        "merge",
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "ports",
        &["port", "protocol"],
        "merge",
    ),
    (
        "io.k8s.api.core.v1.PodStatus",
        "conditions",
        &["type"],
        "merge",
    ),
    (
        "io.k8s.api.core.v1.NodeStatus",
        "conditions",
        &["type"],
        "merge",
    ),
    (
        "io.k8s.api.core.v1.NodeStatus",
        "addresses",
        &["type"],
        "merge",
    ),
    (
        "io.k8s.api.apps.v1.DeploymentStatus",
        "conditions",
        &["type"],
        "merge",
    ),
    (
        "io.k8s.api.apps.v1.ReplicaSetStatus",
        "conditions",
        &["type"],
        "merge",
    ),
    (
        "io.k8s.api.apps.v1.StatefulSetStatus",
        "conditions",
        &["type"],
        "merge",
    ),
    (
        "io.k8s.api.apps.v1.DaemonSetStatus",
        "conditions",
        &["type"],
        "merge",
    ),
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "ownerReferences",
        &["uid"],
        "merge",
    ),
];

/// The schemas of every served kind and of what they refer to.
struct Definitions {
    /// Swagger 2.0 definitions: `$ref: #/definitions/…`.
    schemas: Map<String, Value>,
}

fn definitions() -> &'static Definitions {
    static DEFS: OnceLock<Definitions> = OnceLock::new();
    DEFS.get_or_init(|| {
        // No transforms: `$ref` keeps its siblings (the description), as in
        // the Kubernetes API server's own Swagger document.
        let settings = SchemaSettings::draft07().with(|s| {
            s.transforms.clear();
            s.meta_schema = None;
        });
        let mut generator = SchemaGenerator::new(settings);
        let mut kinds = Vec::new();
        for rt in resources::RESOURCES {
            if let Some(schema) = kind_schema(rt) {
                let reference = schema(&mut generator);
                let name = reference
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/definitions/"))
                    .unwrap_or_default()
                    .to_string();
                kinds.push((rt, name));
            }
        }
        let mut schemas = generator.take_definitions(false);
        for (definition, property, keys, strategy) in MERGED_LISTS {
            if let Some(p) = schemas
                .get_mut(*definition)
                .and_then(|d| d.get_mut("properties"))
                .and_then(|p| p.get_mut(*property))
                .and_then(Value::as_object_mut)
            {
                p.insert("x-kubernetes-patch-merge-key".into(), json!(keys[0]));
                p.insert("x-kubernetes-patch-strategy".into(), json!(strategy));
                p.insert("x-kubernetes-list-type".into(), json!("map"));
                p.insert("x-kubernetes-list-map-keys".into(), json!(keys));
            }
        }
        for (rt, name) in &kinds {
            if let Some(Value::Object(def)) = schemas.get_mut(name) {
                let gvk = json!({"group": rt.group, "kind": rt.kind, "version": rt.version});
                def.insert("x-kubernetes-group-version-kind".into(), json!([gvk]));
            }
        }
        Definitions { schemas }
    })
}

/// The write operations of `rt` under `path`, keyed by method, as the
/// Kubernetes API server lists them: with the GroupVersionKind and the
/// `fieldValidation` query parameter.
fn operations(rt: &ResourceType) -> Vec<(String, Value)> {
    let prefix = if rt.group.is_empty() {
        "/api/v1".to_string()
    } else {
        format!("/apis/{}/{}", rt.group, rt.version)
    };
    let base = if rt.namespaced {
        format!("{prefix}/namespaces/{{namespace}}/{}", rt.plural)
    } else {
        format!("{prefix}/{}", rt.plural)
    };
    let gvk = json!({"group": rt.group, "version": rt.version, "kind": rt.kind});
    let op = |action: &str| {
        json!({
            "x-kubernetes-action": action,
            "x-kubernetes-group-version-kind": gvk,
            "parameters": [{"name": "fieldValidation", "in": "query", "type": "string", "uniqueItems": true}],
            "responses": {"200": {"description": "OK"}},
        })
    };
    vec![
        (base.clone(), json!({"post": op("post")})),
        (
            format!("{base}/{{name}}"),
            json!({"put": op("put"), "patch": op("patch")}),
        ),
    ]
}

fn writable() -> impl Iterator<Item = &'static ResourceType> {
    resources::RESOURCES.iter().filter(|r| r.has_verb("patch"))
}

/// The Swagger 2.0 document.
fn v2() -> Value {
    let mut paths = Map::new();
    for rt in writable() {
        paths.extend(operations(rt));
    }
    json!({
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": format!("v1.{KUBE_MINOR}.0")},
        "paths": paths,
        "definitions": definitions().schemas,
    })
}

/// Group-versions as OpenAPI v3 names them: `api/v1`, `apis/apps/v1`.
fn v3_paths() -> Vec<(String, &'static str, &'static str)> {
    let mut out = vec![("api/v1".to_string(), "", "v1")];
    out.extend(
        GROUPS
            .iter()
            .map(|(g, v)| (format!("apis/{g}/{v}"), *g, *v)),
    );
    out
}

/// `/openapi/v3`: where each group-version's document is, the custom
/// resources' included.
fn v3_index(custom: &CustomResources) -> Value {
    let custom_paths = custom
        .groups()
        .into_iter()
        .flat_map(|(g, vs)| vs.into_iter().map(move |v| format!("apis/{g}/{v}")));
    let paths: Map<String, Value> = v3_paths()
        .into_iter()
        .map(|(p, _, _)| p)
        .chain(custom_paths)
        .map(|p| {
            let url = json!({"serverRelativeURL": format!("/openapi/v3/{p}?hash=0")});
            (p, url)
        })
        .collect();
    json!({"paths": paths})
}

/// One group-version's OpenAPI v3 document: its write operations, and the
/// schemas (all of them: a kind's schema refers to others' groups, as
/// `ObjectMeta` in every one).
fn v3_group(path: &str) -> Option<Value> {
    let (_, group, version) = v3_paths().into_iter().find(|(p, _, _)| p == path)?;
    let mut paths = Map::new();
    for rt in resources::in_group(group, version).filter(|r| r.has_verb("patch")) {
        paths.extend(v3_operations(rt));
    }
    Some(json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": format!("v1.{KUBE_MINOR}.0")},
        "paths": paths,
        "components": {"schemas": v3_schemas()},
    }))
}

/// The write operations of `rt` as OpenAPI v3 lists them: parameters carry
/// a schema instead of a type.
fn v3_operations(rt: &ResourceType) -> Vec<(String, Value)> {
    let mut ops = operations(rt);
    for (_, item) in &mut ops {
        for op in item
            .as_object_mut()
            .into_iter()
            .flat_map(|o| o.values_mut())
        {
            op["parameters"] = json!([{"name": "fieldValidation", "in": "query", "schema": {"type": "string", "uniqueItems": true}}]);
        }
    }
    ops
}

/// The definitions as OpenAPI v3 writes them, converted once.
fn v3_schemas() -> &'static Map<String, Value> {
    static SCHEMAS: OnceLock<Map<String, Value>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        definitions()
            .schemas
            .iter()
            .map(|(k, v)| (k.clone(), to_v3(v)))
            .collect()
    })
}

/// A Swagger 2.0 schema as OpenAPI v3 writes it: references under
/// `#/components/schemas/`, and a reference with siblings (a description)
/// wrapped in `allOf`, as the Kubernetes API server does.
fn to_v3(schema: &Value) -> Value {
    match schema {
        Value::Object(o) => {
            let mut out: Map<String, Value> =
                o.iter().map(|(k, v)| (k.clone(), to_v3(v))).collect();
            if let Some(Value::String(r)) = out.remove("$ref") {
                let r = r.replace("#/definitions/", "#/components/schemas/");
                if out.is_empty() {
                    out.insert("$ref".into(), Value::String(r));
                } else {
                    out.insert("allOf".into(), json!([{"$ref": r}]));
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(to_v3).collect()),
        other => other.clone(),
    }
}

/// Answers `/openapi/…`; `None` for other paths.
pub fn answer(
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    custom: &CustomResources,
) -> Option<Response> {
    if method != Method::GET {
        return None;
    }
    let rest = path.trim_matches('/').strip_prefix("openapi")?;
    let rest = rest.trim_start_matches('/');
    let body = match rest {
        "v2" => {
            let wants_protobuf = headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|a| a.contains("protobuf"));
            if wants_protobuf {
                return Some(protobuf_response(v2_protobuf()));
            }
            v2()
        }
        "v3" => v3_index(custom),
        _ => match rest
            .strip_prefix("v3/")
            .and_then(|p| v3_group(p).or_else(|| custom::v3_group(p, custom)))
        {
            Some(doc) => doc,
            None => return Some(error_response(&ApiError::no_such_path())),
        },
    };
    Some(json_response(200, &body))
}

fn v2_protobuf() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| gnostic::document(&v2()))
}

fn protobuf_response(bytes: &'static [u8]) -> Response {
    let mut r = Response::new(axum::body::Body::from(bytes));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROTOBUF_V2));
    r
}

/// Swagger 2.0 in gnostic's protobuf messages (`openapiv2.Document`), the
/// encoding kubectl decodes. Only what a Kubernetes document uses is
/// encoded; vendor extensions are `Any { yaml }`, written as JSON (which is
/// YAML).
mod gnostic {
    use serde_json::Value;

    fn varint(out: &mut Vec<u8>, mut v: u64) {
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }

    fn bytes(out: &mut Vec<u8>, field: u64, data: &[u8]) {
        varint(out, field << 3 | 2);
        varint(out, data.len() as u64);
        out.extend_from_slice(data);
    }

    fn string(out: &mut Vec<u8>, field: u64, s: &str) {
        bytes(out, field, s.as_bytes());
    }

    fn int(out: &mut Vec<u8>, field: u64, v: i64) {
        varint(out, field << 3);
        varint(out, v as u64);
    }

    fn double(out: &mut Vec<u8>, field: u64, v: f64) {
        varint(out, field << 3 | 1);
        out.extend_from_slice(&v.to_le_bytes());
    }

    /// `Any { yaml = 2 }`.
    fn any(value: &Value) -> Vec<u8> {
        let mut out = Vec::new();
        string(&mut out, 2, &value.to_string());
        out
    }

    /// `NamedAny { name = 1; value = 2 }`.
    fn named_any(out: &mut Vec<u8>, field: u64, name: &str, value: &Value) {
        let mut m = Vec::new();
        string(&mut m, 1, name);
        bytes(&mut m, 2, &any(value));
        bytes(out, field, &m);
    }

    fn extensions(out: &mut Vec<u8>, field: u64, o: &serde_json::Map<String, Value>) {
        for (k, v) in o.iter().filter(|(k, _)| k.starts_with("x-")) {
            named_any(out, field, k, v);
        }
    }

    /// `openapiv2.Schema`.
    pub(super) fn schema(v: &Value) -> Vec<u8> {
        let mut out = Vec::new();
        let Some(o) = v.as_object() else {
            return out;
        };
        let text = |k: &str| o.get(k).and_then(Value::as_str);
        if let Some(r) = text("$ref") {
            string(&mut out, 1, r);
        }
        if let Some(f) = text("format") {
            string(&mut out, 2, f);
        }
        if let Some(t) = text("title") {
            string(&mut out, 3, t);
        }
        if let Some(d) = text("description") {
            string(&mut out, 4, d);
        }
        if let Some(d) = o.get("default") {
            bytes(&mut out, 5, &any(d));
        }
        if let Some(m) = o.get("maximum").and_then(Value::as_f64) {
            double(&mut out, 7, m);
        }
        if let Some(m) = o.get("minimum").and_then(Value::as_f64) {
            double(&mut out, 9, m);
        }
        for (key, field) in [
            ("maxLength", 11),
            ("minLength", 12),
            ("maxItems", 14),
            ("minItems", 15),
            ("maxProperties", 17),
            ("minProperties", 18),
        ] {
            if let Some(n) = o.get(key).and_then(Value::as_i64) {
                int(&mut out, field, n);
            }
        }
        if let Some(p) = text("pattern") {
            string(&mut out, 13, p);
        }
        if o.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
            int(&mut out, 16, 1);
        }
        for r in o
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(r) = r.as_str() {
                string(&mut out, 19, r);
            }
        }
        for e in o
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            bytes(&mut out, 20, &any(e));
        }
        match o.get("additionalProperties") {
            Some(Value::Bool(b)) => {
                let mut item = Vec::new();
                int(&mut item, 2, i64::from(*b));
                bytes(&mut out, 21, &item);
            }
            Some(s @ Value::Object(_)) => {
                let mut item = Vec::new();
                bytes(&mut item, 1, &schema(s));
                bytes(&mut out, 21, &item);
            }
            _ => {}
        }
        match o.get("type") {
            Some(Value::String(t)) => {
                let mut item = Vec::new();
                string(&mut item, 1, t);
                bytes(&mut out, 22, &item);
            }
            Some(Value::Array(ts)) => {
                let mut item = Vec::new();
                for t in ts.iter().filter_map(Value::as_str) {
                    string(&mut item, 1, t);
                }
                bytes(&mut out, 22, &item);
            }
            _ => {}
        }
        if let Some(items) = o.get("items") {
            let mut item = Vec::new();
            match items {
                Value::Array(all) => all.iter().for_each(|s| bytes(&mut item, 1, &schema(s))),
                s => bytes(&mut item, 1, &schema(s)),
            }
            bytes(&mut out, 23, &item);
        }
        for s in o
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            bytes(&mut out, 24, &schema(s));
        }
        if let Some(Value::Object(props)) = o.get("properties") {
            let mut p = Vec::new();
            for (name, s) in props {
                named_schema(&mut p, 1, name, s);
            }
            bytes(&mut out, 25, &p);
        }
        extensions(&mut out, 31, o);
        out
    }

    fn named_schema(out: &mut Vec<u8>, field: u64, name: &str, s: &Value) {
        let mut m = Vec::new();
        string(&mut m, 1, name);
        bytes(&mut m, 2, &schema(s));
        bytes(out, field, &m);
    }

    /// `openapiv2.Operation`: parameters (query ones), responses,
    /// extensions.
    fn operation(v: &Value) -> Vec<u8> {
        let mut out = Vec::new();
        for p in v["parameters"].as_array().into_iter().flatten() {
            // ParametersItem { parameter = 1 } → Parameter
            // { non_body_parameter = 2 } → NonBodyParameter
            // { query_parameter_sub_schema = 3 }.
            let mut query = Vec::new();
            if p["uniqueItems"].as_bool() == Some(true) {
                int(&mut query, 20, 1);
            }
            string(&mut query, 2, p["in"].as_str().unwrap_or("query"));
            string(&mut query, 4, p["name"].as_str().unwrap_or(""));
            string(&mut query, 6, p["type"].as_str().unwrap_or("string"));
            let mut non_body = Vec::new();
            bytes(&mut non_body, 3, &query);
            let mut parameter = Vec::new();
            bytes(&mut parameter, 2, &non_body);
            let mut item = Vec::new();
            bytes(&mut item, 1, &parameter);
            bytes(&mut out, 8, &item);
        }
        if let Some(codes) = v["responses"].as_object() {
            let mut responses = Vec::new();
            for (code, r) in codes {
                let mut response = Vec::new();
                string(&mut response, 1, r["description"].as_str().unwrap_or(""));
                let mut value = Vec::new();
                bytes(&mut value, 1, &response);
                let mut named = Vec::new();
                string(&mut named, 1, code);
                bytes(&mut named, 2, &value);
                bytes(&mut responses, 1, &named);
            }
            bytes(&mut out, 9, &responses);
        }
        if let Some(o) = v.as_object() {
            extensions(&mut out, 13, o);
        }
        out
    }

    /// `openapiv2.PathItem`: put = 3, post = 4, patch = 8.
    fn path_item(v: &Value) -> Vec<u8> {
        let mut out = Vec::new();
        for (method, field) in [
            ("get", 2),
            ("put", 3),
            ("post", 4),
            ("delete", 5),
            ("patch", 8),
        ] {
            if let Some(op) = v.get(method) {
                bytes(&mut out, field, &operation(op));
            }
        }
        out
    }

    /// `openapiv2.Document`.
    pub(super) fn document(doc: &Value) -> Vec<u8> {
        let mut out = Vec::new();
        string(&mut out, 1, doc["swagger"].as_str().unwrap_or("2.0"));
        let mut info = Vec::new();
        string(&mut info, 1, doc["info"]["title"].as_str().unwrap_or(""));
        string(&mut info, 2, doc["info"]["version"].as_str().unwrap_or(""));
        bytes(&mut out, 2, &info);
        let mut paths = Vec::new();
        for (name, item) in doc["paths"].as_object().into_iter().flatten() {
            let mut named = Vec::new();
            string(&mut named, 1, name);
            bytes(&mut named, 2, &path_item(item));
            bytes(&mut paths, 2, &named);
        }
        bytes(&mut out, 8, &paths);
        let mut definitions = Vec::new();
        for (name, s) in doc["definitions"].as_object().into_iter().flatten() {
            named_schema(&mut definitions, 1, name, s);
        }
        bytes(&mut out, 9, &definitions);
        out
    }
}

#[cfg(test)]
mod tests;
