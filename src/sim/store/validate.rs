//! Defaulting and validation, the part of the API server's admission that
//! clients notice: defaults they read back (strategy, replicas, probes'
//! periods), and 422 Invalid for objects a real server refuses.

use serde_json::{Value, json};

use super::resources::ResourceType;
use super::selector::LabelSelector;

pub mod batch;

fn default(v: &mut Value, key: &str, value: Value) {
    // Only objects (or nothing yet) take defaults; shapes were checked before.
    if !(v.is_object() || v.is_null()) {
        return;
    }
    if v.get(key).is_none_or(Value::is_null) {
        v[key] = value;
    }
}

/// Pod spec defaults, for pods and for pod templates.
fn default_pod_spec(spec: &mut Value) {
    if !spec.is_object() {
        return;
    }
    default(spec, "restartPolicy", json!("Always"));
    default(spec, "terminationGracePeriodSeconds", json!(30));
    default(spec, "dnsPolicy", json!("ClusterFirst"));
    default(spec, "schedulerName", json!("default-scheduler"));
    default(spec, "securityContext", json!({}));
    for list in ["initContainers", "containers"] {
        if let Some(cs) = spec.get_mut(list).and_then(Value::as_array_mut) {
            for c in cs {
                if !c.is_object() {
                    continue;
                }
                let image = c["image"].as_str().unwrap_or("");
                let latest = !image.contains(':') || image.ends_with(":latest");
                default(
                    c,
                    "imagePullPolicy",
                    json!(if latest { "Always" } else { "IfNotPresent" }),
                );
                default(c, "terminationMessagePath", json!("/dev/termination-log"));
                default(c, "terminationMessagePolicy", json!("File"));
                default(c, "resources", json!({}));
                if let Some(ports) = c.get_mut("ports").and_then(Value::as_array_mut) {
                    for port in ports.iter_mut().filter(|p| p.is_object()) {
                        default(port, "protocol", json!("TCP"));
                    }
                }
                for probe in ["readinessProbe", "livenessProbe", "startupProbe"] {
                    if c[probe].is_object() {
                        let p = &mut c[probe];
                        default(p, "periodSeconds", json!(10));
                        default(p, "timeoutSeconds", json!(1));
                        default(p, "successThreshold", json!(1));
                        default(p, "failureThreshold", json!(3));
                        if p["httpGet"].is_object() {
                            default(&mut p["httpGet"], "path", json!("/"));
                            default(&mut p["httpGet"], "scheme", json!("HTTP"));
                        }
                    }
                }
            }
        }
    }
}

/// A Secret's `stringData` is write-only: the API server stores each value
/// base64-encoded in `data` (over a key of the same name) and drops it.
fn fold_string_data(obj: &mut Value) {
    use base64::Engine;
    let Some(m) = obj.as_object_mut() else { return };
    let Some(Value::Object(plain)) = m.remove("stringData") else {
        return;
    };
    if !m.get("data").is_some_and(Value::is_object) {
        m.insert("data".into(), json!({}));
    }
    if let Some(Value::Object(data)) = m.get_mut("data") {
        for (k, v) in plain {
            let text = v.as_str().unwrap_or_default().to_string();
            let encoded = base64::engine::general_purpose::STANDARD.encode(text);
            data.insert(k, Value::String(encoded));
        }
    }
}

/// Fills in what the API server defaults for this kind.
pub fn default_object(rt: &ResourceType, obj: &mut Value) {
    match (rt.group, rt.plural) {
        ("", "pods") => {
            default_pod_spec(&mut obj["spec"]);
            if obj.get("status").is_none_or(|s| s.get("phase").is_none()) {
                obj["status"] = json!({"phase": "Pending", "qosClass": qos_class(&obj["spec"])});
            }
        }
        ("", "namespaces") => {
            default(obj, "spec", json!({"finalizers": ["kubernetes"]}));
            default(obj, "status", json!({"phase": "Active"}));
            let name = obj["metadata"]["name"].clone();
            if obj["metadata"]["labels"]
                .get("kubernetes.io/metadata.name")
                .is_none()
            {
                obj["metadata"]["labels"]["kubernetes.io/metadata.name"] = name;
            }
        }
        ("", "services") => {
            let spec = &mut obj["spec"];
            default(spec, "type", json!("ClusterIP"));
            default(spec, "sessionAffinity", json!("None"));
            if let Some(ports) = spec["ports"].as_array_mut() {
                for p in ports {
                    default(p, "protocol", json!("TCP"));
                    let port = p["port"].clone();
                    default(p, "targetPort", port);
                }
            }
            default(obj, "status", json!({"loadBalancer": {}}));
        }
        ("", "secrets") => {
            default(obj, "type", json!("Opaque"));
            fold_string_data(obj);
        }
        ("apiextensions.k8s.io", "customresourcedefinitions") => super::crd::default_crd(obj),
        ("apps", "deployments") => {
            let spec = &mut obj["spec"];
            default(spec, "replicas", json!(1));
            default(spec, "revisionHistoryLimit", json!(10));
            default(spec, "progressDeadlineSeconds", json!(600));
            default(spec, "strategy", json!({"type": "RollingUpdate"}));
            if spec["strategy"]["type"] == "RollingUpdate" {
                default(&mut spec["strategy"], "rollingUpdate", json!({}));
                let ru = &mut spec["strategy"]["rollingUpdate"];
                default(ru, "maxSurge", json!("25%"));
                default(ru, "maxUnavailable", json!("25%"));
            }
            default_pod_spec(&mut spec["template"]["spec"]);
        }
        ("autoscaling", "horizontalpodautoscalers") => batch::default_hpa(obj),
        ("batch", "jobs") => batch::default_job(obj),
        ("batch", "cronjobs") => batch::default_cronjob(obj),
        ("apps", "replicasets") => {
            default(&mut obj["spec"], "replicas", json!(1));
            default_pod_spec(&mut obj["spec"]["template"]["spec"]);
        }
        ("apps", "statefulsets") => {
            let spec = &mut obj["spec"];
            default(spec, "replicas", json!(1));
            default(spec, "podManagementPolicy", json!("OrderedReady"));
            default(spec, "revisionHistoryLimit", json!(10));
            default(
                spec,
                "updateStrategy",
                json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}),
            );
            default_pod_spec(&mut spec["template"]["spec"]);
        }
        ("apps", "daemonsets") => {
            let spec = &mut obj["spec"];
            default(spec, "revisionHistoryLimit", json!(10));
            default(
                spec,
                "updateStrategy",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}),
            );
            default_pod_spec(&mut spec["template"]["spec"]);
        }
        _ => {}
    }
}

/// Guaranteed, Burstable or BestEffort, from the containers' requests and limits.
pub fn qos_class(spec: &Value) -> &'static str {
    let containers = spec["containers"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let mut any = false;
    let mut all_guaranteed = !containers.is_empty();
    for c in containers {
        let req = &c["resources"]["requests"];
        let lim = &c["resources"]["limits"];
        if req.as_object().is_some_and(|m| !m.is_empty())
            || lim.as_object().is_some_and(|m| !m.is_empty())
        {
            any = true;
        }
        for r in ["cpu", "memory"] {
            let l = lim.get(r);
            let q = req.get(r).or(l);
            if l.is_none() || q != l {
                all_guaranteed = false;
            }
        }
    }
    if all_guaranteed {
        "Guaranteed"
    } else if any {
        "Burstable"
    } else {
        "BestEffort"
    }
}

/// Is `s` a DNS-1123 subdomain, as object names must be?
pub fn is_dns_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !part.starts_with('-')
                && !part.ends_with('-')
        })
}

fn check_pod_spec(spec: &Value, path: &str, causes: &mut Vec<(String, String)>) {
    let containers = spec["containers"].as_array();
    if containers.is_none_or(|c| c.is_empty()) {
        causes.push((format!("{path}.containers"), "Required value".into()));
        return;
    }
    for (i, c) in containers.into_iter().flatten().enumerate() {
        if c["name"].as_str().is_none_or(str::is_empty) {
            causes.push((
                format!("{path}.containers[{i}].name"),
                "Required value".into(),
            ));
        }
        if c["image"].as_str().is_none_or(str::is_empty) {
            causes.push((
                format!("{path}.containers[{i}].image"),
                "Required value".into(),
            ));
        }
    }
}

fn check_replicas(spec: &Value, causes: &mut Vec<(String, String)>) {
    if let Some(r) = spec.get("replicas")
        && r.as_i64().is_none_or(|n| n < 0)
    {
        causes.push((
            "spec.replicas".into(),
            format!("Invalid value: {r}: must be greater than or equal to 0"),
        ));
    }
}

fn check_selector(spec: &Value, causes: &mut Vec<(String, String)>) {
    let Ok(selector) = LabelSelector::from_json(&spec["selector"]) else {
        causes.push((
            "spec.selector".into(),
            "Invalid value: invalid label selector".into(),
        ));
        return;
    };
    if selector.is_empty() {
        causes.push(("spec.selector".into(), "Required value".into()));
        return;
    }
    let labels = super::labels_of(&spec["template"]);
    if !selector.matches(&labels) {
        causes.push((
            "spec.template.metadata.labels".into(),
            format!(
                "Invalid value: {}: `selector` does not match template `labels`",
                json!(labels)
            ),
        ));
    }
}

fn check_meta(meta: &Value, path: &str, causes: &mut Vec<(String, String)>) {
    if !(meta.is_object() || meta.is_null()) {
        causes.push((path.into(), "Invalid value: must be an object".into()));
        return;
    }
    for field in ["labels", "annotations"] {
        match meta.get(field) {
            None | Some(Value::Null) => {}
            Some(Value::Object(m)) if m.values().all(Value::is_string) => {}
            Some(_) => causes.push((
                format!("{path}.{field}"),
                "Invalid value: must be a map of string keys to string values".into(),
            )),
        }
    }
}

/// Shapes every reader of an object relies on, checked before anything
/// else touches it: a client may send any JSON at all.
pub fn check_shape(obj: &Value) -> Vec<(String, String)> {
    let mut causes = Vec::new();
    check_meta(&obj["metadata"], "metadata", &mut causes);
    for field in ["spec", "status"] {
        if obj
            .get(field)
            .is_some_and(|v| !v.is_object() && !v.is_null())
        {
            causes.push((field.into(), "Invalid value: must be an object".into()));
        }
    }
    let template = &obj["spec"]["template"];
    if !(template.is_object() || template.is_null()) {
        causes.push((
            "spec.template".into(),
            "Invalid value: must be an object".into(),
        ));
    } else {
        check_meta(&template["metadata"], "spec.template.metadata", &mut causes);
        let spec = &template["spec"];
        if !(spec.is_object() || spec.is_null()) {
            causes.push((
                "spec.template.spec".into(),
                "Invalid value: must be an object".into(),
            ));
        }
    }
    causes
}

/// The fields a real server would refuse, as (field path, message).
pub fn validate(rt: &ResourceType, obj: &Value, old: Option<&Value>) -> Vec<(String, String)> {
    let mut causes = Vec::new();
    let name = obj["metadata"]["name"].as_str().unwrap_or("");
    // Events are named `<object>.<hex>`, which is a valid subdomain too.
    if !is_dns_subdomain(name) {
        causes.push((
            "metadata.name".into(),
            format!("Invalid value: {name:?}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'"),
        ));
    }
    match (rt.group, rt.plural) {
        ("", "pods") => {
            check_pod_spec(&obj["spec"], "spec", &mut causes);
            if let Some(old) = old {
                let node_old = old["spec"]["nodeName"].as_str().unwrap_or("");
                let node_new = obj["spec"]["nodeName"].as_str().unwrap_or("");
                if !node_old.is_empty() && node_old != node_new {
                    causes.push(("spec.nodeName".into(), "Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.activeDeadlineSeconds` or `spec.tolerations`".into()));
                }
            }
        }
        ("apps", "deployments" | "replicasets" | "statefulsets" | "daemonsets") => {
            let spec = &obj["spec"];
            check_replicas(spec, &mut causes);
            check_selector(spec, &mut causes);
            check_pod_spec(&spec["template"]["spec"], "spec.template.spec", &mut causes);
            if let Some(old) = old
                && rt.plural != "replicasets"
                && old["spec"]["selector"] != spec["selector"]
            {
                causes.push((
                    "spec.selector".into(),
                    "Invalid value: field is immutable".into(),
                ));
            }
        }
        ("autoscaling", "horizontalpodautoscalers") => batch::validate_hpa(obj, &mut causes),
        ("batch", "jobs") => batch::validate_job(obj, &mut causes),
        ("batch", "cronjobs") => batch::validate_cronjob(obj, &mut causes),
        ("apiextensions.k8s.io", "customresourcedefinitions") => {
            causes.extend(super::crd::validate_crd(obj, old));
        }
        _ => {}
    }
    causes
}

#[cfg(test)]
mod tests;
