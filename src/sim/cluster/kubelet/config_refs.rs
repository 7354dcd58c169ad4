//! The ConfigMaps and Secrets a container's environment needs, checked as
//! the kubelet's `makeEnvironmentVariables` does before it creates the
//! container: a missing object or key that is not `optional` stops the
//! container with `CreateContainerConfigError` and the kubelet's own
//! message (`configmap "x" not found`, `couldn't find key K in ConfigMap
//! ns/name`, the same for a Secret).

use serde_json::Value;

use crate::sim::cluster::world::World;

/// The object a reference names: (storage, the kubelet's word for it, kind).
fn object(secret: bool) -> (&'static str, &'static str, &'static str) {
    if secret {
        ("secrets", "secret", "Secret")
    } else {
        ("configmaps", "configmap", "ConfigMap")
    }
}

fn optional(r: &Value) -> bool {
    r["optional"] == true
}

/// Why the kubelet cannot build `container`'s environment in `namespace`,
/// or `None` when every reference it must have is there.
pub fn env_error(w: &World, namespace: &str, container: &Value) -> Option<String> {
    for from in container["envFrom"].as_array().into_iter().flatten() {
        for (key, secret) in [("configMapRef", false), ("secretRef", true)] {
            let r = &from[key];
            if !r.is_object() {
                continue;
            }
            let (storage, word, _) = object(secret);
            let name = r["name"].as_str().unwrap_or("");
            if w.store.get(storage, namespace, name).is_none() && !optional(r) {
                return Some(format!("{word} \"{name}\" not found"));
            }
        }
    }
    for var in container["env"].as_array().into_iter().flatten() {
        for (key, secret) in [("configMapKeyRef", false), ("secretKeyRef", true)] {
            let r = &var["valueFrom"][key];
            if !r.is_object() {
                continue;
            }
            let (storage, word, kind) = object(secret);
            let name = r["name"].as_str().unwrap_or("");
            let wanted = r["key"].as_str().unwrap_or("");
            let Some(obj) = w.store.get_value(storage, namespace, name) else {
                if optional(r) {
                    continue;
                }
                return Some(format!("{word} \"{name}\" not found"));
            };
            // A Secret's values are base64 in `data` (or plain in
            // `stringData`, folded in on write); a ConfigMap's env reads `data`.
            let has = obj["data"].get(wanted).is_some()
                || (secret && obj["stringData"].get(wanted).is_some());
            if !has && !optional(r) {
                return Some(format!(
                    "couldn't find key {wanted} in {kind} {namespace}/{name}"
                ));
            }
        }
    }
    None
}

/// The first configMap or secret volume of `pod` whose object is missing
/// (and not optional): (volume name, the mount error), as the volume
/// manager reports it in `FailedMount`.
pub fn volume_error(w: &World, namespace: &str, pod: &Value) -> Option<(String, String)> {
    for vol in pod["spec"]["volumes"].as_array().into_iter().flatten() {
        for (key, name_key, secret) in
            [("configMap", "name", false), ("secret", "secretName", true)]
        {
            let src = &vol[key];
            if !src.is_object() || optional(src) {
                continue;
            }
            let (storage, word, _) = object(secret);
            let name = src[name_key].as_str().unwrap_or("");
            if w.store.get(storage, namespace, name).is_none() {
                let vol_name = vol["name"].as_str().unwrap_or("").to_string();
                return Some((
                    vol_name.clone(),
                    format!(
                        "MountVolume.SetUp failed for volume \"{vol_name}\" : {word} \"{name}\" not found"
                    ),
                ));
            }
        }
    }
    None
}
