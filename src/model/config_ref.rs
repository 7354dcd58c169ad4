//! ConfigMaps and Secrets a container needs and cannot get: what the
//! kubelet's CreateContainerConfigError message names. The kubelet writes
//! (pkg/kubelet/kubelet_pods.go, `makeEnvironmentVariables`):
//!
//! - `configmap "shop-config" not found`, `secret "db" not found`
//! - `couldn't find key payment.provider in ConfigMap production/shop-config`
//! - `couldn't find key password in Secret production/db`
//!
//! Only names and keys are read from the message: never a value.

use k8s_openapi::api::core::v1::PodSpec;

use super::pod_health::{ContainerState, PodInfo};
use super::sanitize::sanitize;

/// ConfigMap or Secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConfigKind {
    ConfigMap,
    Secret,
}

impl ConfigKind {
    /// As kubectl spells the resource (and the alert label): `configmap`.
    pub fn label(self) -> &'static str {
        match self {
            ConfigKind::ConfigMap => "configmap",
            ConfigKind::Secret => "secret",
        }
    }

    /// As the API names the kind: `ConfigMap`.
    pub fn kind(self) -> &'static str {
        match self {
            ConfigKind::ConfigMap => "ConfigMap",
            ConfigKind::Secret => "Secret",
        }
    }
}

/// What a CreateContainerConfigError message says is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingConfig {
    pub kind: ConfigKind,
    pub name: String,
    /// The key, when the object exists but lacks it.
    pub key: Option<String>,
}

impl MissingConfig {
    /// `key payment.provider of ConfigMap shop-config`, `Secret db`.
    pub fn describe(&self) -> String {
        match &self.key {
            Some(k) => format!("key {k} of {} {}", self.kind.kind(), self.name),
            None => format!("{} {}", self.kind.kind(), self.name),
        }
    }
}

/// A ConfigMap or Secret (or one key of it) a pod's spec reads: env
/// `valueFrom`, `envFrom`, a volume or a projected volume's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigRef {
    pub kind: ConfigKind,
    pub name: String,
    /// The key, when one key is read (env `valueFrom`, a volume's `items`).
    pub key: Option<String>,
    /// `optional: true`: the kubelet starts the container without it.
    pub optional: bool,
    /// How it is read: `env PAYMENT_PROVIDER (app)`, `envFrom (app)`,
    /// `volume config`.
    pub how: String,
}

impl ConfigRef {
    /// Whether the kubelet's complaint `m` is about this reference: any
    /// reference to an object that is missing, only this key's when a key
    /// is.
    pub fn is(&self, m: &MissingConfig) -> bool {
        self.kind == m.kind && self.name == m.name && (m.key.is_none() || self.key == m.key)
    }
}

/// Every ConfigMap and Secret `spec` reads, in spec order (init
/// containers, containers, volumes), each (kind, name, key) once. Names
/// and keys only: a value is never read.
pub fn pod_refs(spec: &PodSpec) -> Vec<ConfigRef> {
    let mut out: Vec<ConfigRef> = Vec::new();
    let mut add = |kind, name: &str, key: Option<&str>, optional: Option<bool>, how: String| {
        let (Some(name), key) = (clean(name), key.and_then(clean)) else {
            return;
        };
        if out
            .iter()
            .any(|r| r.kind == kind && r.name == name && r.key == key)
        {
            return;
        }
        out.push(ConfigRef {
            kind,
            name,
            key,
            optional: optional == Some(true),
            how: sanitize(&how).into_owned(),
        });
    };
    let containers = spec
        .init_containers
        .iter()
        .flatten()
        .chain(spec.containers.iter());
    for c in containers {
        for e in c.env.iter().flatten() {
            let Some(from) = &e.value_from else { continue };
            let how = format!("env {} ({})", e.name, c.name);
            if let Some(r) = &from.config_map_key_ref {
                add(
                    ConfigKind::ConfigMap,
                    &r.name,
                    Some(&r.key),
                    r.optional,
                    how.clone(),
                );
            }
            if let Some(r) = &from.secret_key_ref {
                add(ConfigKind::Secret, &r.name, Some(&r.key), r.optional, how);
            }
        }
        for e in c.env_from.iter().flatten() {
            let how = format!("envFrom ({})", c.name);
            if let Some(r) = &e.config_map_ref {
                add(
                    ConfigKind::ConfigMap,
                    &r.name,
                    None,
                    r.optional,
                    how.clone(),
                );
            }
            if let Some(r) = &e.secret_ref {
                add(ConfigKind::Secret, &r.name, None, r.optional, how);
            }
        }
    }
    for v in spec.volumes.iter().flatten() {
        let how = format!("volume {}", v.name);
        let keys = |items: Option<&Vec<k8s_openapi::api::core::v1::KeyToPath>>| {
            items.map(|i| i.iter().map(|k| k.key.clone()).collect::<Vec<_>>())
        };
        let mut sources = Vec::new();
        if let Some(c) = &v.config_map {
            sources.push((
                ConfigKind::ConfigMap,
                c.name.clone(),
                keys(c.items.as_ref()),
                c.optional,
            ));
        }
        if let Some(s) = &v.secret {
            let name = s.secret_name.clone().unwrap_or_default();
            sources.push((ConfigKind::Secret, name, keys(s.items.as_ref()), s.optional));
        }
        for p in v.projected.iter().flat_map(|p| p.sources.iter().flatten()) {
            if let Some(c) = &p.config_map {
                sources.push((
                    ConfigKind::ConfigMap,
                    c.name.clone(),
                    keys(c.items.as_ref()),
                    c.optional,
                ));
            }
            if let Some(s) = &p.secret {
                sources.push((
                    ConfigKind::Secret,
                    s.name.clone(),
                    keys(s.items.as_ref()),
                    s.optional,
                ));
            }
        }
        for (kind, name, keys, optional) in sources {
            match keys {
                Some(keys) if !keys.is_empty() => {
                    for k in keys {
                        add(kind, &name, Some(&k), optional, how.clone());
                    }
                }
                _ => add(kind, &name, None, optional, how.clone()),
            }
        }
    }
    out
}

/// Reads the kubelet's message; `None` when it names neither (another
/// cause: a runAsNonRoot check, a bad subPath…).
pub fn missing_config(message: &str) -> Option<MissingConfig> {
    let m = message.trim();
    let m = m.strip_prefix("Error: ").unwrap_or(m);
    if let Some(rest) = m.strip_prefix("couldn't find key ") {
        let (key, rest) = rest.split_once(" in ")?;
        let (kind, object) = rest.split_once(' ')?;
        let kind = match kind {
            "ConfigMap" => ConfigKind::ConfigMap,
            "Secret" => ConfigKind::Secret,
            _ => return None,
        };
        // `namespace/name`.
        let name = object.trim().rsplit('/').next()?;
        return Some(MissingConfig {
            kind,
            name: clean(name)?,
            key: Some(clean(key)?),
        });
    }
    for (prefix, kind) in [
        ("configmap \"", ConfigKind::ConfigMap),
        ("secret \"", ConfigKind::Secret),
    ] {
        if let Some(rest) = m.strip_prefix(prefix)
            && let Some((name, tail)) = rest.split_once('"')
            && tail.trim() == "not found"
        {
            return Some(MissingConfig {
                kind,
                name: clean(name)?,
                key: None,
            });
        }
    }
    None
}

/// What the kubelet says is missing for `pod`: each container waiting in
/// CreateContainerConfigError whose message names a ConfigMap or Secret.
pub fn missing_in(pod: &PodInfo) -> Vec<MissingConfig> {
    let mut out: Vec<MissingConfig> = Vec::new();
    for c in &pod.containers {
        if let ContainerState::Waiting {
            reason,
            message: Some(m),
        } = &c.state
            && reason == "CreateContainerConfigError"
            && let Some(found) = missing_config(m)
            && !out.contains(&found)
        {
            out.push(found);
        }
    }
    out
}

fn clean(s: &str) -> Option<String> {
    let s = sanitize(s.trim()).into_owned();
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests;
