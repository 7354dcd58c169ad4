//! OpenAPI v3 documents of the custom resources' group-versions, as the
//! apiextensions API server publishes them: each served version's
//! `openAPIV3Schema` with `apiVersion`, `kind` and `metadata` (a reference
//! to `ObjectMeta`) filled in, tagged with its GroupVersionKind, named
//! `<reversed group>.<version>.<Kind>`, beside the write operations. kubectl
//! `explain` walks it, and `apply` finds the kind in it.

use serde_json::{Map, Value, json};

use super::{KUBE_MINOR, v3_operations, v3_schemas};
use crate::sim::store::crd::{CustomResources, ServedVersion};

/// The definition name the API server gives a custom kind:
/// `cert-manager.io`, `v1`, `Certificate` is `io.cert-manager.v1.Certificate`.
pub(super) fn definition_name(group: &str, version: &str, kind: &str) -> String {
    let reversed: Vec<&str> = group.split('.').rev().collect();
    format!("{}.{version}.{kind}", reversed.join("."))
}

/// One custom resource's schema as published.
fn schema(served: &ServedVersion) -> Value {
    let rt = served.rt;
    let mut schema = match &served.schema {
        Value::Object(o) => Value::Object(o.clone()),
        _ => json!({"type": "object"}),
    };
    if !schema["properties"].is_object() {
        schema["properties"] = json!({});
    }
    let props = &mut schema["properties"];
    props["apiVersion"] = json!({"description": "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources", "type": "string"});
    props["kind"] = json!({"description": "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds", "type": "string"});
    props["metadata"] = json!({"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}], "description": "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"});
    schema["x-kubernetes-group-version-kind"] =
        json!([{"group": rt.group, "version": rt.version, "kind": rt.kind}]);
    schema
}

/// The document of `apis/<group>/<version>` when custom resources are
/// served there.
pub(super) fn v3_group(path: &str, custom: &CustomResources) -> Option<Value> {
    let rest = path.strip_prefix("apis/")?;
    let (group, version) = rest.split_once('/')?;
    let served: Vec<_> = custom
        .all()
        .filter(|s| s.rt.group == group && s.rt.version == version)
        .collect();
    if served.is_empty() {
        return None;
    }
    let mut paths = Map::new();
    let mut schemas = v3_schemas().clone();
    for s in served {
        paths.extend(v3_operations(s.rt));
        schemas.insert(definition_name(group, version, s.rt.kind), schema(s));
    }
    Some(json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes CRD Swagger", "version": format!("v1.{KUBE_MINOR}.0")},
        "paths": paths,
        "components": {"schemas": schemas},
    }))
}
