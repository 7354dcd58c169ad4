//! ConfigMaps and Secrets a container needs and cannot get: what the
//! kubelet's CreateContainerConfigError message names. The kubelet writes
//! (pkg/kubelet/kubelet_pods.go, `makeEnvironmentVariables`):
//!
//! - `configmap "shop-config" not found`, `secret "db" not found`
//! - `couldn't find key payment.provider in ConfigMap production/shop-config`
//! - `couldn't find key password in Secret production/db`
//!
//! Only names and keys are read from the message: never a value.

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

fn clean(s: &str) -> Option<String> {
    let s = sanitize(s.trim()).into_owned();
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests;
