//! The add-ons every shop runs, as custom resources: cert-manager's
//! Certificates and KEDA's ScaledObjects, defined by their projects' own
//! CustomResourceDefinitions (names, scope, printer columns), so that
//! juniors meet custom resources as they are on a real cluster.
//!
//! In production: Certificate `shop-tls` (Ready True), Certificate
//! `api-tls` (Ready False, `Expired`: its renewal kept failing on the ACME
//! rate limit), and ScaledObject `worker` (Deployment worker, 1 to 8
//! replicas on a prometheus trigger; Ready True, Active False; its HPA is
//! `keda-hpa-worker`).

use jiff::Timestamp;
use serde_json::{Value, json};

use super::super::rng::Rng;
use super::super::time::{k8s_time, secs};
use super::super::world::{Manager, Part, World};
use crate::sim::store::crd::CRD_STORAGE;
use crate::sim::store::resources;

/// Who installed the add-ons: their Helm charts.
const INSTALLER: &str = "helm";

fn column(name: &str, ty: &str, path: &str) -> Value {
    json!({"name": name, "type": ty, "jsonPath": path})
}

fn crd(
    group: &str,
    kind: &str,
    plural: &str,
    short: &[&str],
    categories: &[&str],
    version: Value,
) -> Value {
    let mut names = json!({"kind": kind, "listKind": format!("{kind}List"), "plural": plural, "singular": kind.to_lowercase(), "shortNames": short});
    if !categories.is_empty() {
        names["categories"] = json!(categories);
    }
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": format!("{plural}.{group}"), "labels": {"app.kubernetes.io/managed-by": "Helm"}},
        "spec": {"group": group, "names": names, "scope": "Namespaced", "versions": [version]},
    })
}

fn conditions_schema() -> Value {
    json!({"type": "array", "description": "List of status conditions to indicate the status of the resource.", "items": {"type": "object", "required": ["status", "type"], "properties": {
        "type": {"type": "string", "description": "Type of the condition."},
        "status": {"type": "string", "enum": ["True", "False", "Unknown"], "description": "Status of the condition, one of (`True`, `False`, `Unknown`)."},
        "reason": {"type": "string", "description": "Reason is a brief machine readable explanation for the condition's last transition."},
        "message": {"type": "string", "description": "Message is a human readable description of the details of the last transition, complementing reason."},
        "lastTransitionTime": {"type": "string", "format": "date-time", "description": "LastTransitionTime is the timestamp corresponding to the last status change of this condition."},
        "observedGeneration": {"type": "integer", "format": "int64"},
    }}, "x-kubernetes-list-map-keys": ["type"], "x-kubernetes-list-type": "map"})
}

/// cert-manager's `certificates.cert-manager.io`.
pub fn certificate_crd() -> Value {
    let version = json!({
        "name": "v1", "served": true, "storage": true,
        "subresources": {"status": {}},
        "additionalPrinterColumns": [
            column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
            column("Secret", "string", ".spec.secretName"),
            {"name": "Issuer", "type": "string", "jsonPath": ".spec.issuerRef.name", "priority": 1},
            {"name": "Status", "type": "string", "jsonPath": ".status.conditions[?(@.type==\"Ready\")].message", "priority": 1},
            {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp", "description": "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC."},
        ],
        "schema": {"openAPIV3Schema": {
            "type": "object", "required": ["spec"],
            "description": "A Certificate resource should be created to ensure an up to date and signed X.509 certificate is stored in the Kubernetes Secret resource named in `spec.secretName`.\n\nThe stored certificate will be renewed before it expires (as configured by `spec.renewBefore`).",
            "properties": {
                "spec": {"type": "object", "required": ["issuerRef", "secretName"], "description": "Specification of the desired state of the Certificate resource.", "properties": {
                    "secretName": {"type": "string", "description": "Name of the Secret resource that will be automatically created and managed by this Certificate resource. It will be populated with a private key and certificate, signed by the denoted issuer."},
                    "commonName": {"type": "string", "description": "Requested common name X509 certificate subject attribute."},
                    "dnsNames": {"type": "array", "items": {"type": "string"}, "description": "Requested DNS subject alternative names."},
                    "duration": {"type": "string", "description": "Requested 'duration' (i.e. lifetime) of the Certificate."},
                    "renewBefore": {"type": "string", "description": "How long before the currently issued certificate's expiry cert-manager should renew the certificate."},
                    "issuerRef": {"type": "object", "required": ["name"], "description": "Reference to the issuer responsible for issuing the certificate.", "properties": {
                        "name": {"type": "string", "description": "Name of the issuer being referred to."},
                        "kind": {"type": "string", "description": "Kind of the issuer being referred to."},
                        "group": {"type": "string", "description": "Group of the issuer being referred to."},
                    }},
                }},
                "status": {"type": "object", "description": "Status of the Certificate. This is set and managed automatically.", "properties": {
                    "conditions": conditions_schema(),
                    "notBefore": {"type": "string", "format": "date-time", "description": "The time after which the certificate stored in the secret named by this resource in `spec.secretName` is valid."},
                    "notAfter": {"type": "string", "format": "date-time", "description": "The expiration time of the certificate stored in the secret named by this resource in `spec.secretName`."},
                    "renewalTime": {"type": "string", "format": "date-time", "description": "RenewalTime is the time at which the certificate will be next renewed."},
                    "revision": {"type": "integer", "description": "The current 'revision' of the certificate as issued."},
                    "failedIssuanceAttempts": {"type": "integer", "description": "The number of continuous failed issuance attempts up till now."},
                    "lastFailureTime": {"type": "string", "format": "date-time", "description": "LastFailureTime is set only if the latest issuance for this Certificate failed and contains the time of the failure."},
                }},
            },
        }},
    });
    crd(
        "cert-manager.io",
        "Certificate",
        "certificates",
        &["cert", "certs"],
        &["cert-manager"],
        version,
    )
}

/// KEDA's `scaledobjects.keda.sh`.
pub fn scaledobject_crd() -> Value {
    let cond = |t: &str| format!(".status.conditions[?(@.type==\"{t}\")].status");
    let columns = json!([
        column("ScaleTargetKind", "string", ".status.scaleTargetKind"),
        column("ScaleTargetName", "string", ".spec.scaleTargetRef.name"),
        column("Min", "integer", ".spec.minReplicaCount"),
        column("Max", "integer", ".spec.maxReplicaCount"),
        column("Triggers", "string", ".spec.triggers[*].type"),
        column(
            "Authentication",
            "string",
            ".spec.triggers[*].authenticationRef.name"
        ),
        column("Ready", "string", &cond("Ready")),
        column("Active", "string", &cond("Active")),
        column("Fallback", "string", &cond("Fallback")),
        column("Paused", "string", &cond("Paused")),
        column("Age", "date", ".metadata.creationTimestamp"),
    ]);
    let int32 = json!({"type": "integer", "format": "int32"});
    let trigger = json!({"type": "object", "required": ["metadata", "type"], "description": "ScaleTriggers reference the scaler that will be used", "properties": {
        "type": {"type": "string"}, "name": {"type": "string"}, "useCachedMetrics": {"type": "boolean"},
        "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
        "authenticationRef": {"type": "object", "required": ["name"], "description": "AuthenticationRef points to the TriggerAuthentication or ClusterTriggerAuthentication object that is used to authenticate the scaler with the environment", "properties": {"kind": {"type": "string"}, "name": {"type": "string"}}},
    }});
    let spec = json!({"type": "object", "required": ["scaleTargetRef", "triggers"], "description": "ScaledObjectSpec is the spec for a ScaledObject resource", "properties": {
        "scaleTargetRef": {"type": "object", "required": ["name"], "description": "ScaleTarget holds the reference to the scale target Object", "properties": {
            "apiVersion": {"type": "string"}, "kind": {"type": "string"}, "name": {"type": "string"}, "envSourceContainerName": {"type": "string"},
        }},
        "minReplicaCount": int32, "maxReplicaCount": int32, "idleReplicaCount": int32,
        "pollingInterval": int32, "cooldownPeriod": int32,
        "triggers": {"type": "array", "items": trigger},
    }});
    let condition = json!({"type": "object", "required": ["status", "type"], "properties": {
        "type": {"type": "string", "description": "Type of condition"}, "status": {"type": "string", "description": "Status of the condition, one of True, False, Unknown."},
        "reason": {"type": "string", "description": "The reason for the condition's last transition."}, "message": {"type": "string", "description": "A human readable message indicating details about the transition."},
    }});
    let health = json!({"type": "object", "description": "HealthStatus is the status for a ScaledObject's health", "properties": {"numberOfFailures": int32, "status": {"type": "string"}}});
    let status = json!({"type": "object", "description": "ScaledObjectStatus is the status for a ScaledObject resource", "properties": {
        "conditions": {"type": "array", "description": "Conditions an array representation to store multiple Condition", "items": condition},
        "scaleTargetKind": {"type": "string"},
        "scaleTargetGVKR": {"type": "object", "required": ["group", "kind", "resource", "version"], "properties": {"group": {"type": "string"}, "kind": {"type": "string"}, "resource": {"type": "string"}, "version": {"type": "string"}}},
        "originalReplicaCount": int32,
        "lastActiveTime": {"type": "string", "format": "date-time"},
        "externalMetricNames": {"type": "array", "items": {"type": "string"}},
        "hpaName": {"type": "string"},
        "health": {"type": "object", "additionalProperties": health},
    }});
    let version = json!({
        "name": "v1alpha1", "served": true, "storage": true,
        "subresources": {"status": {}},
        "additionalPrinterColumns": columns,
        "schema": {"openAPIV3Schema": {
            "type": "object", "required": ["spec"],
            "description": "ScaledObject is a specification for a ScaledObject resource",
            "properties": {"spec": spec, "status": status},
        }},
    });
    crd(
        "keda.sh",
        "ScaledObject",
        "scaledobjects",
        &["so"],
        &[],
        version,
    )
}

/// RFC 1123, as cert-manager writes times into its messages.
fn rfc1123(t: Timestamp) -> String {
    t.strftime("%a, %d %b %Y %H:%M:%S UTC").to_string()
}

/// Creates an object and then writes its status (the subresource), as the
/// chart and then the add-on's controller would.
fn create_with_status(
    w: &mut World,
    group: &str,
    version: &str,
    plural: &str,
    obj: Value,
    status: Value,
) {
    let Some(rt) = w.crds.version(group, version, plural).map(|s| s.rt) else {
        debug_assert!(false, "{plural}.{group} is not served");
        return;
    };
    let by = Manager::named(INSTALLER);
    let created = w.create_by(rt, "production", obj, false, &by);
    let Ok(mut created) = created else {
        debug_assert!(false, "scenario object refused: {created:?}");
        return;
    };
    created["status"] = status;
    let name = created["metadata"]["name"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let controller = Manager {
        name: if group == "keda.sh" {
            "keda"
        } else {
            "cert-manager-certificates-readiness"
        }
        .into(),
        subresource: Some("status".into()),
    };
    let written = w.replace_by(
        rt,
        "production",
        &name,
        created,
        Part::Status,
        false,
        &controller,
    );
    debug_assert!(written.is_ok(), "scenario status refused: {written:?}");
}

/// Installs the two definitions and their objects, now (the shop's start).
/// Their uids come from a random stream of their own, so that the rest of
/// the shop (pod names, the incidents) tells the same story as without them.
pub fn install(w: &mut World) {
    let own = Rng::new(w.rng.clone().below(u64::MAX) ^ 0x6164_646f_6e73);
    let shop = std::mem::replace(&mut w.rng, own);
    install_objects(w);
    w.rng = shop;
}

fn install_objects(w: &mut World) {
    let Some(crd_rt) = resources::by_storage(CRD_STORAGE) else {
        return;
    };
    let by = Manager::named(INSTALLER);
    for def in [certificate_crd(), scaledobject_crd()] {
        let created = w.create_by(crd_rt, "", def, false, &by);
        debug_assert!(created.is_ok(), "scenario CRD refused: {created:?}");
    }
    let now = w.now;
    let t = |s: i64| k8s_time(now + secs(s));
    let issuer =
        json!({"name": "letsencrypt-prod", "kind": "ClusterIssuer", "group": "cert-manager.io"});
    create_with_status(
        w,
        "cert-manager.io",
        "v1",
        "certificates",
        json!({
            "metadata": {"name": "shop-tls", "labels": {"app": "checkout-service"}},
            "spec": {"secretName": "shop-tls", "commonName": "shop.example.com", "dnsNames": ["shop.example.com", "www.shop.example.com"], "issuerRef": issuer.clone()},
        }),
        json!({
            "conditions": [{"type": "Ready", "status": "True", "reason": "Ready", "message": "Certificate is up to date and has not expired", "lastTransitionTime": t(-40 * 86400), "observedGeneration": 1}],
            "notBefore": t(-40 * 86400), "notAfter": t(50 * 86400), "renewalTime": t(20 * 86400), "revision": 4,
        }),
    );
    let expired = now - secs(6 * 3600);
    create_with_status(
        w,
        "cert-manager.io",
        "v1",
        "certificates",
        json!({
            "metadata": {"name": "api-tls", "labels": {"app": "api-server"}},
            "spec": {"secretName": "api-tls", "commonName": "api.example.com", "dnsNames": ["api.example.com"], "issuerRef": issuer},
        }),
        json!({
            "conditions": [
                {"type": "Ready", "status": "False", "reason": "Expired", "message": format!("Certificate expired on {}", rfc1123(expired)), "lastTransitionTime": k8s_time(expired), "observedGeneration": 1},
                {"type": "Issuing", "status": "False", "reason": "Failed", "message": "The certificate request has failed to complete and will be retried: Failed to wait for order resource \"api-tls-5-2207471838\" to become ready: order is in \"errored\" state: Failed to create Order: 429 urn:ietf:params:acme:error:rateLimited: too many certificates already issued for \"example.com\"", "lastTransitionTime": t(-1800), "observedGeneration": 1},
            ],
            "notBefore": k8s_time(expired - secs(90 * 86400)), "notAfter": k8s_time(expired), "revision": 4,
            "failedIssuanceAttempts": 5, "lastFailureTime": t(-1800),
        }),
    );
    create_with_status(
        w,
        "keda.sh",
        "v1alpha1",
        "scaledobjects",
        json!({
            "metadata": {"name": "worker", "labels": {"app": "worker"}},
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "worker"},
                "minReplicaCount": 1, "maxReplicaCount": 8, "pollingInterval": 30, "cooldownPeriod": 300,
                "triggers": [{"type": "prometheus", "metadata": {"serverAddress": "http://prometheus.monitoring.svc:9090", "query": "sum(rate(shop_jobs_enqueued_total{queue=\"orders\"}[2m]))", "threshold": "50"}}],
            },
        }),
        json!({
            "scaleTargetKind": "apps/v1.Deployment",
            "scaleTargetGVKR": {"group": "apps", "kind": "Deployment", "resource": "deployments", "version": "v1"},
            "originalReplicaCount": 2,
            "externalMetricNames": ["s0-prometheus"],
            "hpaName": "keda-hpa-worker",
            "health": {"s0-prometheus": {"numberOfFailures": 0, "status": "Happy"}},
            "conditions": [
                {"type": "Ready", "status": "True", "reason": "ScaledObjectReady", "message": "ScaledObject is defined correctly and is ready for scaling"},
                {"type": "Active", "status": "False", "reason": "ScalerNotActive", "message": "Scaling is not performed because triggers are not active"},
                {"type": "Fallback", "status": "False", "reason": "NoFallbackFound", "message": "No fallbacks are active on this scaled object"},
                {"type": "Paused", "status": "False", "reason": "ScaledObjectUnpaused", "message": "pause annotation removed for ScaledObject"},
            ],
        }),
    );
}

#[cfg(test)]
mod tests;
