//! Alertmanager's API v2 documents (`api/v2/openapi.yaml`) as serde types,
//! and their conversion to the console's model. Pure: bytes in, values or a
//! serde error out.
//!
//! Reading is lenient where leniency is harmless: every field may be
//! missing or `null` (older and newer Alertmanagers, and proxies in front
//! of them, differ), unknown fields are ignored, and a timestamp that does
//! not parse is an unknown time rather than a lost alert. A body of the
//! wrong shape — not a list, labels that are not strings — is an error.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize};

use crate::model::alert::{
    Alert, AlertSeverity, AlertSource, AlertState, AlertmanagerStatus, Matcher, NewSilence,
    Silence, fingerprint,
};

/// `null` read as the type's default, like a missing field.
fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// `gettableAlert`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GettableAlert {
    #[serde(default, deserialize_with = "nullable")]
    fingerprint: String,
    #[serde(default, deserialize_with = "nullable")]
    labels: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "nullable")]
    annotations: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "nullable")]
    starts_at: String,
    #[serde(default, deserialize_with = "nullable")]
    updated_at: String,
    #[serde(default, deserialize_with = "nullable")]
    ends_at: String,
    #[serde(default, rename = "generatorURL", deserialize_with = "nullable")]
    generator_url: String,
    #[serde(default, deserialize_with = "nullable")]
    receivers: Vec<Receiver>,
    #[serde(default, deserialize_with = "nullable")]
    status: AlertStatus,
}

#[derive(Deserialize, Default)]
struct Receiver {
    #[serde(default, deserialize_with = "nullable")]
    name: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct AlertStatus {
    #[serde(default, deserialize_with = "nullable")]
    state: String,
    #[serde(default, deserialize_with = "nullable")]
    silenced_by: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    inhibited_by: Vec<String>,
}

/// A `GET /api/v2/alerts` body as alerts reported by `instance`.
pub(crate) fn parse_alerts(body: &[u8], instance: &str) -> Result<Vec<Alert>, serde_json::Error> {
    let list: Vec<GettableAlert> = serde_json::from_slice(body)?;
    Ok(list.into_iter().map(|a| to_alert(a, instance)).collect())
}

fn to_alert(a: GettableAlert, instance: &str) -> Alert {
    let status = a.status;
    let state = if status.state.is_empty()
        && (!status.silenced_by.is_empty() || !status.inhibited_by.is_empty())
    {
        AlertState::Suppressed
    } else {
        AlertState::parse(&status.state)
    };
    let fingerprint = if a.fingerprint.is_empty() {
        fingerprint(&a.labels)
    } else {
        a.fingerprint
    };
    let annotation = |key: &str| a.annotations.get(key).filter(|v| !v.is_empty()).cloned();
    let summary = annotation("summary");
    let description = annotation("description").or_else(|| annotation("message"));
    Alert {
        fingerprint,
        name: a.labels.get("alertname").cloned().unwrap_or_default(),
        severity: AlertSeverity::from_labels(&a.labels),
        state,
        starts_at: timestamp(&a.starts_at),
        updated_at: timestamp(&a.updated_at),
        ends_at: timestamp(&a.ends_at),
        summary,
        description,
        labels: a.labels,
        annotations: a.annotations,
        generator_url: Some(a.generator_url).filter(|u| !u.is_empty()),
        receivers: a
            .receivers
            .into_iter()
            .map(|r| r.name)
            .filter(|n| !n.is_empty())
            .collect(),
        silenced_by: status.silenced_by,
        inhibited_by: status.inhibited_by,
        source: AlertSource::Alertmanager,
        reported_by: vec![instance.to_string()],
    }
}

/// An RFC 3339 time as Alertmanager writes it. Go's zero time
/// (`0001-01-01T00:00:00Z`, "not set") and anything unparseable are `None`.
pub(crate) fn timestamp(s: &str) -> Option<Timestamp> {
    // 0001-01-01T00:00:00Z in seconds since the Unix epoch.
    const GO_ZERO_TIME: i64 = -62_135_596_800;
    let t: Timestamp = s.trim().parse().ok()?;
    (t.as_second() > GO_ZERO_TIME).then_some(t)
}

/// `matcher`, both ways.
#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct WireMatcher {
    #[serde(default, deserialize_with = "nullable")]
    name: String,
    #[serde(default, deserialize_with = "nullable")]
    value: String,
    #[serde(default, deserialize_with = "nullable")]
    is_regex: bool,
    /// Absent before Alertmanager 0.22, when every matcher was `=`/`=~`.
    #[serde(default)]
    is_equal: Option<bool>,
}

impl From<&Matcher> for WireMatcher {
    fn from(m: &Matcher) -> WireMatcher {
        WireMatcher {
            name: m.name.clone(),
            value: m.value.clone(),
            is_regex: m.is_regex,
            is_equal: Some(m.is_equal),
        }
    }
}

impl From<WireMatcher> for Matcher {
    fn from(m: WireMatcher) -> Matcher {
        Matcher {
            name: m.name,
            value: m.value,
            is_regex: m.is_regex,
            is_equal: m.is_equal.unwrap_or(true),
        }
    }
}

/// `postableSilence` without an `id` (an id would update that silence).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PostableSilence<'a> {
    matchers: Vec<WireMatcher>,
    starts_at: String,
    ends_at: String,
    created_by: &'a str,
    comment: &'a str,
}

pub(crate) fn silence_body(s: &NewSilence) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(&PostableSilence {
        matchers: s.matchers.iter().map(WireMatcher::from).collect(),
        starts_at: s.starts_at.to_string(),
        ends_at: s.ends_at.to_string(),
        created_by: &s.created_by,
        comment: &s.comment,
    })
}

#[derive(Deserialize)]
struct SilenceCreated {
    #[serde(rename = "silenceID")]
    silence_id: String,
}

/// The ID in a `POST /api/v2/silences` answer.
pub(crate) fn parse_silence_created(body: &[u8]) -> Result<String, serde_json::Error> {
    Ok(serde_json::from_slice::<SilenceCreated>(body)?.silence_id)
}

/// `gettableSilence`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GettableSilence {
    #[serde(default, deserialize_with = "nullable")]
    id: String,
    #[serde(default, deserialize_with = "nullable")]
    matchers: Vec<WireMatcher>,
    #[serde(default, deserialize_with = "nullable")]
    starts_at: String,
    #[serde(default, deserialize_with = "nullable")]
    ends_at: String,
    #[serde(default, deserialize_with = "nullable")]
    updated_at: String,
    #[serde(default, deserialize_with = "nullable")]
    created_by: String,
    #[serde(default, deserialize_with = "nullable")]
    comment: String,
    #[serde(default, deserialize_with = "nullable")]
    status: SilenceStatus,
}

#[derive(Deserialize, Default)]
struct SilenceStatus {
    #[serde(default, deserialize_with = "nullable")]
    state: String,
}

/// A `GET /api/v2/silences` body.
pub(crate) fn parse_silences(body: &[u8]) -> Result<Vec<Silence>, serde_json::Error> {
    let list: Vec<GettableSilence> = serde_json::from_slice(body)?;
    Ok(list
        .into_iter()
        .map(|s| Silence {
            id: s.id,
            matchers: s.matchers.into_iter().map(Matcher::from).collect(),
            starts_at: timestamp(&s.starts_at),
            ends_at: timestamp(&s.ends_at),
            updated_at: timestamp(&s.updated_at),
            created_by: s.created_by,
            comment: s.comment,
            state: s.status.state,
        })
        .collect())
}

/// `alertmanagerStatus`, the parts the console shows.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status {
    #[serde(default, deserialize_with = "nullable")]
    uptime: String,
    #[serde(default, deserialize_with = "nullable")]
    version_info: VersionInfo,
    #[serde(default, deserialize_with = "nullable")]
    cluster: ClusterStatus,
}

#[derive(Deserialize, Default)]
struct VersionInfo {
    #[serde(default, deserialize_with = "nullable")]
    version: String,
}

#[derive(Deserialize, Default)]
struct ClusterStatus {
    #[serde(default, deserialize_with = "nullable")]
    status: String,
    #[serde(default, deserialize_with = "nullable")]
    peers: Vec<serde::de::IgnoredAny>,
}

/// A `GET /api/v2/status` body.
pub(crate) fn parse_status(body: &[u8]) -> Result<AlertmanagerStatus, serde_json::Error> {
    let s: Status = serde_json::from_slice(body)?;
    Ok(AlertmanagerStatus {
        version: Some(s.version_info.version).filter(|v| !v.is_empty()),
        cluster: Some(s.cluster.status).filter(|v| !v.is_empty()),
        peers: s.cluster.peers.len(),
        up_since: timestamp(&s.uptime),
    })
}

/// What an error answer says, for the error sentence: the `message` of
/// Alertmanager's `{"code":…,"message":…}`, a bare JSON string (its 404s
/// and 500s), or the body as text.
pub(crate) fn error_detail(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct ApiError {
        message: String,
    }
    if let Ok(e) = serde_json::from_slice::<ApiError>(body) {
        return e.message;
    }
    if let Ok(s) = serde_json::from_slice::<String>(body) {
        return s;
    }
    String::from_utf8_lossy(body).trim().to_string()
}

#[cfg(test)]
mod tests;
