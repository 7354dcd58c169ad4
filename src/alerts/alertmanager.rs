//! A client for one Alertmanager's API v2: the alerts it holds, its
//! silences, and creating and expiring a silence.
//!
//! Every failure is one sentence that names the Alertmanager and says what
//! went wrong (`alertmanager "prod" (http://127.0.0.1:9093): connection
//! refused`), ready to show as is. An Alertmanager that cannot be asked is
//! always an `Err`, never an empty list: "no alerts" must mean Alertmanager
//! said so. Text that came from the other side is sanitized and cut short,
//! and neither the token nor the password ever appears in a message.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use reqwest::{Method, StatusCode, Url};

use super::wire;
use crate::config::{AlertmanagerConfig, Auth};
use crate::model::alert::{Alert, AlertReport, AlertmanagerStatus, NewSilence, Silence, merge};
use crate::model::sanitize::sanitize;

/// The largest answer read; past this the Alertmanager (or whatever
/// answers at its address) is not believed. 32 MB holds ~30,000 alerts.
pub const MAX_BODY: usize = 32 << 20;

/// How much of an error answer is read, and how much of it is quoted.
const MAX_ERROR_BODY: usize = 64 << 10;
const QUOTED_CHARS: usize = 200;

/// A client for one Alertmanager.
#[derive(Debug, Clone)]
pub struct AlertmanagerClient {
    name: String,
    /// Base URL, no query, credentials left in (reqwest sends them as
    /// basic auth).
    base: Url,
    /// The base URL as messages show it: no credentials, no query.
    shown: String,
    auth: Auth,
    timeout: Duration,
    http: reqwest::Client,
}

impl AlertmanagerClient {
    /// A client for `cfg`. Fails, in one sentence naming the Alertmanager,
    /// when the URL is not an http(s) URL or the CA file cannot be read
    /// or holds no certificate; nothing is sent yet.
    pub fn new(cfg: &AlertmanagerConfig) -> Result<AlertmanagerClient, String> {
        let name = sanitize(&cfg.name).into_owned();
        let fail = |what: String| format!("alertmanager \"{name}\": {what}");
        // The URL itself may hold a password: it is never quoted.
        let mut base = Url::parse(cfg.url.trim())
            .map_err(|e| fail(format!("the URL is not a valid URL ({e})")))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(fail(format!(
                "the URL must start with http:// or https://, not {}:",
                sanitize(base.scheme())
            )));
        }
        base.set_query(None);
        base.set_fragment(None);
        let shown = shown_url(&base);

        // reqwest built with `rustls-no-provider` panics when no rustls
        // provider is installed; main installs ring, and so does this for
        // any other caller (tests, tools) rather than panic.
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let mut builder = reqwest::Client::builder()
            .timeout(cfg.timeout)
            .user_agent(concat!("warroom/", env!("CARGO_PKG_VERSION")));
        let ca_file = cfg
            .ca_file
            .as_ref()
            .map(|p| sanitize(&p.to_string_lossy()).into_owned());
        if let (Some(path), Some(file)) = (&cfg.ca_file, &ca_file) {
            let pem = std::fs::read(path)
                .map_err(|e| fail(format!("cannot read the CA file {file}: {e}")))?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| fail(format!("the CA file {file} is not PEM: {e}")))?;
            if certs.is_empty() {
                return Err(fail(format!("the CA file {file} holds no PEM certificate")));
            }
            builder = builder.tls_certs_only(certs);
        }
        // The certificates are parsed here, so a broken one fails here.
        let http = builder.build().map_err(|e| {
            fail(match &ca_file {
                Some(file) => format!(
                    "the CA file {file} holds a certificate that cannot be used: {}",
                    innermost(&e)
                ),
                None => format!("cannot set up HTTPS: {}", innermost(&e)),
            })
        })?;
        Ok(AlertmanagerClient {
            name,
            base,
            shown,
            auth: cfg.auth.clone(),
            timeout: cfg.timeout,
            http,
        })
    }

    /// The name it was configured with (sanitized).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Every alert it holds: active, silenced, inhibited and unprocessed,
    /// each with `reported_by` this Alertmanager's name.
    pub async fn alerts(&self) -> Result<Vec<Alert>, String> {
        let mut url = self.endpoint(&["alerts"])?;
        url.query_pairs_mut()
            .append_pair("active", "true")
            .append_pair("silenced", "true")
            .append_pair("inhibited", "true")
            .append_pair("unprocessed", "true");
        let body = self.call(Method::GET, url, None, MAX_BODY).await?;
        wire::parse_alerts(&body, &self.name).map_err(|e| {
            self.error(&format!(
                "sent something that is not the v2 alerts list: {e}"
            ))
        })
    }

    /// All its silences, expired ones included, in Alertmanager's order.
    pub async fn silences(&self) -> Result<Vec<Silence>, String> {
        let url = self.endpoint(&["silences"])?;
        let body = self.call(Method::GET, url, None, MAX_BODY).await?;
        wire::parse_silences(&body).map_err(|e| {
            self.error(&format!(
                "sent something that is not the v2 silences list: {e}"
            ))
        })
    }

    /// Creates a silence; returns its ID.
    pub async fn create_silence(&self, silence: &NewSilence) -> Result<String, String> {
        let url = self.endpoint(&["silences"])?;
        let body = wire::silence_body(silence)
            .map_err(|e| self.error(&format!("cannot encode the silence: {e}")))?;
        let answer = self
            .call(Method::POST, url, Some(body), MAX_ERROR_BODY)
            .await?;
        match wire::parse_silence_created(&answer) {
            Ok(id) if !id.is_empty() => Ok(id),
            Ok(_) => Err(self.error("created the silence but sent an empty silence ID")),
            Err(e) => Err(self.error(&format!("sent something that is not a silence ID: {e}"))),
        }
    }

    /// Expires a silence now (Alertmanager keeps it, as expired).
    pub async fn expire_silence(&self, id: &str) -> Result<(), String> {
        // Alertmanager's IDs are UUIDs; anything else would only make a
        // stranger path.
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(self.error(&format!("\"{}\" is not a silence ID", quote(id.as_bytes()))));
        }
        let url = self.endpoint(&["silence", id])?;
        self.call(Method::DELETE, url, None, MAX_ERROR_BODY)
            .await
            .map(drop)
    }

    /// Its version and cluster state: a cheap "is it there" check.
    pub async fn status(&self) -> Result<AlertmanagerStatus, String> {
        let url = self.endpoint(&["status"])?;
        let body = self.call(Method::GET, url, None, MAX_BODY).await?;
        wire::parse_status(&body)
            .map_err(|e| self.error(&format!("sent something that is not the v2 status: {e}")))
    }

    /// `<base>/api/v2/<parts…>`, parts percent-encoded as path segments.
    fn endpoint(&self, parts: &[&str]) -> Result<Url, String> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| self.error("the URL cannot take a path"))?
            .pop_if_empty()
            .extend(["api", "v2"])
            .extend(parts);
        Ok(url)
    }

    /// Sends one request and returns the body of a 2xx answer (at most
    /// `limit` bytes); anything else is the error sentence.
    async fn call(
        &self,
        method: Method,
        url: Url,
        json: Option<Vec<u8>>,
        limit: usize,
    ) -> Result<Vec<u8>, String> {
        let mut request = self
            .http
            .request(method, url)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = json {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        request = match &self.auth {
            Auth::None => request,
            Auth::Bearer(token) => request.bearer_auth(token),
            Auth::Basic { user, password } => request.basic_auth(user, Some(password)),
        };
        let mut response = request
            .send()
            .await
            .map_err(|e| self.error(&self.transport(&e)))?;
        let status = response.status();
        if !status.is_success() {
            let body = self
                .read(&mut response, MAX_ERROR_BODY, true)
                .await
                .unwrap_or_default();
            return Err(self.error(&self.refusal(status, &body)));
        }
        self.read(&mut response, limit, false)
            .await
            .map_err(|e| self.error(&e))
    }

    /// Reads a body of at most `limit` bytes. With `truncate`, a longer one
    /// is cut at the limit (error answers, only quoted); otherwise it is
    /// an error.
    async fn read(
        &self,
        response: &mut reqwest::Response,
        limit: usize,
        truncate: bool,
    ) -> Result<Vec<u8>, String> {
        let too_big = || {
            format!(
                "sent an answer larger than {} MB, more than any alert list should be",
                limit >> 20
            )
        };
        if !truncate && response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_big());
        }
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > limit {
                        if truncate {
                            let room = limit - body.len();
                            body.extend_from_slice(&chunk[..room]);
                            return Ok(body);
                        }
                        return Err(too_big());
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(body),
                Err(e) => return Err(self.transport(&e)),
            }
        }
    }

    /// `answered 401 Unauthorized: <what it said>`.
    fn refusal(&self, status: StatusCode, body: &[u8]) -> String {
        let mut out = format!("answered {}", status.as_u16());
        if let Some(reason) = status.canonical_reason() {
            out.push(' ');
            out.push_str(reason);
        }
        let detail = self.redact(wire::error_detail(body));
        if !detail.is_empty() {
            out.push_str(": ");
            out.push_str(&quote(detail.as_bytes()));
        }
        out
    }

    /// What a failed exchange comes down to, in a few words.
    fn transport(&self, e: &reqwest::Error) -> String {
        if e.is_timeout() {
            return format!("timed out after {}", seconds(self.timeout));
        }
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(err) = source {
            if let Some(io) = err.downcast_ref::<std::io::Error>() {
                use std::io::ErrorKind::*;
                let said = match io.kind() {
                    ConnectionRefused => "connection refused",
                    ConnectionReset => "the connection was reset",
                    ConnectionAborted => "the connection was aborted",
                    TimedOut => return format!("timed out after {}", seconds(self.timeout)),
                    _ => "",
                };
                if !said.is_empty() {
                    return said.to_string();
                }
            }
            source = err.source();
        }
        let what = if e.is_connect() {
            "cannot connect"
        } else if e.is_body() || e.is_decode() {
            "the answer broke off"
        } else {
            "the request failed"
        };
        format!("{what}: {}", self.redact(innermost(e)))
    }

    /// Removes the configured secrets from text the other side sent, in
    /// case it echoes a header back (basic auth also in its base64 form).
    fn redact(&self, mut text: String) -> String {
        let secrets = match &self.auth {
            Auth::None => vec![],
            Auth::Bearer(token) => vec![token.clone()],
            Auth::Basic { user, password } => vec![
                BASE64.encode(format!("{user}:{password}")),
                password.clone(),
            ],
        };
        for secret in secrets {
            if !secret.is_empty() && text.contains(&secret) {
                text = text.replace(&secret, "<redacted>");
            }
        }
        text
    }

    /// `alertmanager "prod" (http://127.0.0.1:9093): <what>`.
    fn error(&self, what: &str) -> String {
        format!("alertmanager \"{}\" ({}): {what}", self.name, self.shown)
    }
}

/// Asks every Alertmanager at once and merges what they said (see
/// [`merge`]).
pub async fn fetch_all(clients: &[AlertmanagerClient]) -> AlertReport {
    let answers = futures::future::join_all(clients.iter().map(|c| c.alerts())).await;
    let mut reports = Vec::new();
    let mut failures = Vec::new();
    let mut failed = Vec::new();
    for (client, answer) in clients.iter().zip(answers) {
        match answer {
            Ok(alerts) => reports.push((client.name.clone(), alerts)),
            Err(e) => {
                failures.push(e);
                failed.push(client.name.clone());
            }
        }
    }
    AlertReport {
        alerts: merge(reports),
        failures,
        failed,
    }
}

/// The URL without user info, query or trailing slash.
fn shown_url(base: &Url) -> String {
    let mut url = base.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    let shown = url.to_string();
    sanitize(shown.trim_end_matches('/')).into_owned()
}

/// The last error in a chain: the one that says what actually happened
/// ("invalid peer certificate: UnknownIssuer"), without the URL reqwest
/// puts in its own.
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last = e;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

/// Text from the other side, sanitized and cut to [`QUOTED_CHARS`].
fn quote(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    let mut cut: String = text.chars().take(QUOTED_CHARS).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    sanitize(&cut).into_owned()
}

/// `5s`, `1.5s`, `250ms`.
fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{}s", d.as_secs())
    } else if d.as_secs() == 0 {
        format!("{}ms", d.as_millis())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests;
