//! The alert feed's settings: which Alertmanagers (for which contexts), how
//! they are reached, and how often.
//!
//! ```toml
//! [alerts]
//! poll_seconds = 15
//! timeout_seconds = 5
//! bell = false              # ring the terminal bell on a new critical alert
//! silence_minutes = 120     # what the silence prompt offers
//!
//! [[alertmanager]]
//! name = "prod-eu"
//! url = "https://alertmanager.prod-eu.example.com"
//! contexts = ["gke_acme-prod_europe-west1"]   # empty or absent: every context
//! bearer_token_env = "AM_TOKEN"                # or bearer_token_file, or
//! # basic_user = "oncall" with basic_password_env / basic_password_file
//! ca_file = "/etc/ssl/acme-ca.pem"
//! ```
//!
//! Secrets are never written in the file itself: they are read from the
//! environment variable or file it names, when the console starts.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// How to prove who we are to the Alertmanager (or the proxy in front).
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    None,
    /// `Authorization: Bearer <token>`.
    Bearer(String),
    /// HTTP basic authentication.
    Basic {
        user: String,
        password: String,
    },
}

/// Secrets are never printed, not even in `{:?}`.
impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Auth::Basic { user, .. } => f
                .debug_struct("Basic")
                .field("user", user)
                .field("password", &"<redacted>")
                .finish(),
        }
    }
}

/// One Alertmanager the console reads.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertmanagerConfig {
    /// What the user calls it ("prod-eu"), in messages and `reported_by`.
    pub name: String,
    /// Base URL, with the route prefix if it has one
    /// (`https://example.com/alertmanager`).
    pub url: String,
    pub auth: Auth,
    /// PEM file of the CA(s) to trust instead of the system's, as
    /// Prometheus' `tls_config.ca_file`.
    pub ca_file: Option<PathBuf>,
    /// Limit on each whole request, connect to last byte.
    pub timeout: Duration,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertsConfig {
    #[serde(deserialize_with = "poll_seconds")]
    pub poll_seconds: u64,
    #[serde(deserialize_with = "timeout_seconds")]
    pub timeout_seconds: u64,
    pub bell: bool,
    #[serde(deserialize_with = "silence_minutes")]
    pub silence_minutes: u32,
}

impl Default for AlertsConfig {
    fn default() -> AlertsConfig {
        AlertsConfig {
            poll_seconds: 15,
            timeout_seconds: 5,
            bell: false,
            silence_minutes: 120,
        }
    }
}

fn ranged<'de, D: Deserializer<'de>>(d: D, min: i64, max: i64) -> Result<i64, D::Error> {
    let n = i64::deserialize(d)?;
    if n < min || n > max {
        return Err(serde::de::Error::custom(format!(
            "must be between {min} and {max}, got {n}"
        )));
    }
    Ok(n)
}

fn poll_seconds<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    ranged(d, 2, 3600).map(|n| n as u64)
}

fn timeout_seconds<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    ranged(d, 1, 120).map(|n| n as u64)
}

fn silence_minutes<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    ranged(d, 1, 30 * 24 * 60).map(|n| n as u32)
}

/// One `[[alertmanager]]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertmanagerEntry {
    pub name: Option<String>,
    pub url: String,
    /// The kubeconfig contexts it belongs to; empty: all of them.
    #[serde(default)]
    pub contexts: Vec<String>,
    pub bearer_token_env: Option<String>,
    pub bearer_token_file: Option<PathBuf>,
    pub basic_user: Option<String>,
    pub basic_password_env: Option<String>,
    pub basic_password_file: Option<PathBuf>,
    pub ca_file: Option<PathBuf>,
}

/// The name shown for an Alertmanager given only by URL: its host and port.
pub fn name_from_url(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    // Credentials in a URL never become part of a name.
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    if host.is_empty() {
        "alertmanager".into()
    } else {
        host.to_string()
    }
}

/// A secret from an environment variable or a file (trailing newline cut).
fn secret(
    name: &str,
    what: &str,
    env: &Option<String>,
    file: &Option<PathBuf>,
) -> Result<Option<String>, String> {
    if let Some(var) = env {
        return match std::env::var(var) {
            Ok(v) if !v.is_empty() => Ok(Some(v)),
            _ => Err(format!(
                "alertmanager {name:?}: {what}_env names {var}, which is not set"
            )),
        };
    }
    if let Some(path) = file {
        return match std::fs::read_to_string(path) {
            Ok(v) => Ok(Some(v.trim_end_matches(['\r', '\n']).to_string())),
            Err(e) => Err(format!(
                "alertmanager {name:?}: cannot read {what}_file {}: {e}",
                path.display()
            )),
        };
    }
    Ok(None)
}

impl AlertmanagerEntry {
    /// The client settings, secrets read now.
    pub fn resolve(&self, timeout: Duration) -> Result<AlertmanagerConfig, String> {
        let name = self
            .name
            .clone()
            .unwrap_or_else(|| name_from_url(&self.url));
        let token = secret(
            &name,
            "bearer_token",
            &self.bearer_token_env,
            &self.bearer_token_file,
        )?;
        let password = secret(
            &name,
            "basic_password",
            &self.basic_password_env,
            &self.basic_password_file,
        )?;
        let auth = match (token, &self.basic_user, password) {
            (Some(_), Some(_), _) => {
                return Err(format!(
                    "alertmanager {name:?}: choose a bearer token or basic auth, not both"
                ));
            }
            (Some(t), None, _) => Auth::Bearer(t),
            (None, Some(user), Some(password)) => Auth::Basic {
                user: user.clone(),
                password,
            },
            (None, Some(_), None) => {
                return Err(format!(
                    "alertmanager {name:?}: basic_user needs basic_password_env or basic_password_file"
                ));
            }
            (None, None, _) => Auth::None,
        };
        Ok(AlertmanagerConfig {
            name,
            url: self.url.clone(),
            auth,
            ca_file: self.ca_file.clone(),
            timeout,
        })
    }

    pub fn applies_to(&self, context: &str) -> bool {
        self.contexts.is_empty() || self.contexts.iter().any(|c| c == context)
    }
}

/// The Alertmanagers for `context`: the config's entries for it, then the
/// `--alertmanager` URLs (which apply to every context).
pub fn alertmanagers_for(
    entries: &[AlertmanagerEntry],
    alerts: &AlertsConfig,
    context: &str,
    urls: &[String],
) -> Result<Vec<AlertmanagerConfig>, String> {
    let timeout = Duration::from_secs(alerts.timeout_seconds);
    let mut out: Vec<AlertmanagerConfig> = entries
        .iter()
        .filter(|e| e.applies_to(context))
        .map(|e| e.resolve(timeout))
        .collect::<Result<_, _>>()?;
    for url in urls {
        out.push(AlertmanagerConfig {
            name: name_from_url(url),
            url: url.clone(),
            auth: Auth::None,
            ca_file: None,
            timeout,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
