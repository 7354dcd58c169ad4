//! Errors in words for the person on call: what failed, and where to look.
//! kube-rs errors are precise but read like a stack trace
//! ("ApiError: nodes is forbidden: User … (ErrorResponse { … })"); the
//! console shows a sentence instead.

use std::error::Error as StdError;
use std::fmt;
use std::path::PathBuf;

use kube::core::Status;
use kube::runtime::watcher;

/// Why the console could not attach to a cluster.
#[derive(Debug)]
pub enum ConnectError {
    /// No `--kubeconfig`, no usable `KUBECONFIG`, no `~/.kube/config`.
    NoKubeconfig { looked_in: Vec<PathBuf> },
    /// The file exists but could not be read.
    Unreadable { path: PathBuf, error: String },
    /// The file is not YAML, or not a kubeconfig.
    Malformed {
        path: PathBuf,
        /// 1-based line and column, when the parser knows them.
        position: Option<(u64, u64)>,
        message: String,
    },
    /// Two kubeconfig files disagree on `kind` or `apiVersion`.
    Unmergeable {
        paths: Vec<PathBuf>,
        message: String,
    },
    /// The kubeconfig defines no contexts at all.
    NoContexts { paths: Vec<PathBuf> },
    /// Neither `--context` nor `current-context`.
    NoCurrentContext { available: Vec<String> },
    UnknownContext {
        name: String,
        available: Vec<String>,
    },
    /// The context names a cluster the kubeconfig does not define.
    UnknownCluster { context: String, cluster: String },
    /// The context's cluster or user entry cannot be used (no server URL,
    /// unreadable certificate…).
    InvalidContext { context: String, message: String },
    /// The server answered 401.
    Unauthorized { context: String, server: String },
    /// Credentials could not be obtained (exec plugin, token file…).
    Credentials { context: String, message: String },
    /// No answer from the server.
    Unreachable { server: String, reason: String },
    /// The server answered with some other error.
    Api { server: String, text: String },
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

fn paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectError::NoKubeconfig { looked_in } => write!(
                f,
                "no kubeconfig found (looked in {}); point --kubeconfig or KUBECONFIG at one, \
                 or run `warroom demo` to explore a simulated cluster",
                if looked_in.is_empty() {
                    "~/.kube/config, but HOME is not set".to_string()
                } else {
                    paths(looked_in)
                }
            ),
            ConnectError::Unreadable { path, error } => {
                write!(f, "cannot read kubeconfig {}: {error}", path.display())
            }
            ConnectError::Malformed {
                path,
                position,
                message,
            } => match position {
                Some((line, col)) => write!(
                    f,
                    "malformed kubeconfig {}:{line}:{col}: {message}",
                    path.display()
                ),
                None => write!(f, "malformed kubeconfig {}: {message}", path.display()),
            },
            ConnectError::Unmergeable { paths: p, message } => {
                write!(f, "cannot merge kubeconfig files {}: {message}", paths(p))
            }
            ConnectError::NoContexts { paths: p } => write!(
                f,
                "kubeconfig {} defines no contexts; add one with `kubectl config set-context`, \
                 or run `warroom demo` to explore a simulated cluster",
                paths(p)
            ),
            ConnectError::NoCurrentContext { available } => write!(
                f,
                "the kubeconfig sets no current-context; choose one with --context (available: {})",
                list(available)
            ),
            ConnectError::UnknownContext { name, available } => write!(
                f,
                "no context {name:?} in the kubeconfig (available: {})",
                list(available)
            ),
            ConnectError::UnknownCluster { context, cluster } => write!(
                f,
                "context {context:?} refers to cluster {cluster:?}, which the kubeconfig does not define"
            ),
            ConnectError::InvalidContext { context, message } => {
                write!(f, "context {context:?} cannot be used: {message}")
            }
            ConnectError::Unauthorized { context, server } => write!(
                f,
                "401 Unauthorized: {server} rejected the credentials of context {context:?} \
                 (wrong or expired; log in again and retry)"
            ),
            ConnectError::Credentials { context, message } => write!(
                f,
                "cannot get credentials for context {context:?}: {message}"
            ),
            ConnectError::Unreachable { server, reason } => {
                write!(f, "cannot reach {server}: {reason}")
            }
            ConnectError::Api { server, text } => write!(f, "{server} answered {text}"),
        }
    }
}

impl StdError for ConnectError {}

/// `line 4 column 12` or `at line 3, column 7` → (line, column): the YAML
/// parser's text, for when it has no structured location.
pub(crate) fn yaml_position(text: &str) -> Option<(u64, u64)> {
    let rest = &text[text.find("line ")? + "line ".len()..];
    let line_end = rest.find(|c: char| !c.is_ascii_digit())?;
    let line: u64 = rest[..line_end].parse().ok()?;
    let rest = rest[line_end..].trim_start_matches(',').trim_start();
    let rest = rest.strip_prefix("column ")?;
    let col_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let col: u64 = rest[..col_end].parse().ok()?;
    Some((line, col))
}

/// The parser's message alone, without `error:`, its position and the
/// source snippet it draws below: `expected mapping start`.
pub(crate) fn yaml_message(text: &str) -> String {
    let first = text.lines().next().unwrap_or("").trim();
    let mut msg = first.strip_prefix("error:").unwrap_or(first).trim();
    if let Some(rest) = msg.strip_prefix("line ")
        && let Some((_, after)) = rest.split_once(": ")
        && rest.contains("column ")
    {
        msg = after.trim();
    }
    if let Some(cut) = msg.find(" at line ") {
        msg = msg[..cut].trim();
    }
    if msg.is_empty() {
        first.to_string()
    } else {
        msg.to_string()
    }
}

/// `403 Forbidden: user "alice" cannot list nodes at the cluster scope`: an
/// API Status in words. 410 is not an outage and reads as such.
pub fn describe_status(status: &Status) -> String {
    let code = status.code;
    let message = status.message.trim();
    match code {
        401 => "401 Unauthorized: credentials rejected or expired".to_string(),
        403 => format!(
            "403 Forbidden: {}",
            forbidden_in_words(message).unwrap_or_else(|| message.to_string())
        ),
        410 => "watch expired (410), relisting".to_string(),
        _ => {
            let phrase = reason_phrase(code).map_or_else(
                || {
                    if status.reason.is_empty() {
                        "error".to_string()
                    } else {
                        status.reason.clone()
                    }
                },
                str::to_string,
            );
            let lead = if code == 0 {
                phrase
            } else {
                format!("{code} {phrase}")
            };
            if message.is_empty() {
                lead
            } else {
                format!("{lead}: {message}")
            }
        }
    }
}

fn reason_phrase(code: u16) -> Option<&'static str> {
    Some(match code {
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        410 => "Gone",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

/// The API server's RBAC refusal,
/// `nodes is forbidden: User "bob" cannot list resource "nodes" in API group "" at the cluster scope`,
/// as `user "bob" cannot list nodes at the cluster scope`.
fn forbidden_in_words(message: &str) -> Option<String> {
    let rest = &message[message.find("User \"")? + "User \"".len()..];
    let (user, rest) = rest.split_once('"')?;
    let rest = rest.strip_prefix(" cannot ")?;
    let (verb, rest) = rest.split_once(" resource \"")?;
    let (resource, rest) = rest.split_once('"')?;
    let rest = rest.trim_start();
    let rest = match rest.strip_prefix("in API group \"") {
        Some(r) => r.split_once('"')?.1.trim_start(),
        None => rest,
    };
    let scope = if let Some(r) = rest.strip_prefix("in the namespace \"") {
        format!("in namespace {}", r.split_once('"').map_or(r, |(ns, _)| ns))
    } else if rest.starts_with("at the cluster scope") {
        "at the cluster scope".to_string()
    } else {
        rest.trim_end_matches(|c: char| c == ':' || c.is_whitespace())
            .to_string()
    };
    let text = format!("user \"{user}\" cannot {verb} {resource} {scope}");
    Some(text.trim_end().to_string())
}

/// A kube-rs error in words. `server` is the API server URL, for transport errors.
pub fn describe_kube_error(err: &kube::Error, server: &str) -> String {
    let server = if server.is_empty() {
        "the API server"
    } else {
        server
    };
    match err {
        kube::Error::Api(status) => describe_status(status),
        kube::Error::Auth(e) => format!("cannot get credentials: {}", innermost(e)),
        kube::Error::SerdeError(e) => format!("unexpected answer from {server}: {e}"),
        kube::Error::HyperError(_)
        | kube::Error::Service(_)
        | kube::Error::ReadEvents(_)
        | kube::Error::RustlsTls(_) => format!("cannot reach {server}: {}", transport_reason(err)),
        other => other.to_string(),
    }
}

/// A watcher's error in words; `None` for a 410, which is not an outage
/// (the watcher relists by itself).
pub fn describe_watch_error(err: &watcher::Error, server: &str) -> Option<String> {
    if is_gone(err) {
        return None;
    }
    Some(match err {
        watcher::Error::InitialListFailed(e)
        | watcher::Error::WatchStartFailed(e)
        | watcher::Error::WatchFailed(e) => describe_kube_error(e, server),
        watcher::Error::WatchError(status) => describe_status(status),
        watcher::Error::NoResourceVersion => {
            "the server's list carried no resourceVersion; cannot watch".to_string()
        }
    })
}

/// The HTTP status the API server answered a watcher with, if it answered.
fn watch_status(err: &watcher::Error) -> Option<u16> {
    match err {
        watcher::Error::InitialListFailed(kube::Error::Api(s))
        | watcher::Error::WatchStartFailed(kube::Error::Api(s))
        | watcher::Error::WatchFailed(kube::Error::Api(s))
        | watcher::Error::WatchError(s) => Some(s.code),
        _ => None,
    }
}

/// A 403: RBAC does not let this user do it.
pub fn is_forbidden(err: &watcher::Error) -> bool {
    watch_status(err) == Some(403)
}

/// A 410 Gone (expired resourceVersion or continue token).
pub fn is_gone(err: &watcher::Error) -> bool {
    watch_status(err) == Some(410)
}

/// Why a connection failed, from the deepest I/O error in the chain:
/// `connection refused`, `connection timed out`, `host not found`.
pub(crate) fn transport_reason(err: &(dyn StdError + 'static)) -> String {
    let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
    let mut last_text = err.to_string();
    while let Some(e) = cur {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            match io.kind() {
                ConnectionRefused => return "connection refused".to_string(),
                TimedOut => return "connection timed out".to_string(),
                ConnectionReset => return "connection reset by the server".to_string(),
                ConnectionAborted => return "connection aborted".to_string(),
                HostUnreachable => return "host unreachable".to_string(),
                NetworkUnreachable => return "network unreachable".to_string(),
                AddrNotAvailable => return "address not available".to_string(),
                _ => {}
            }
        }
        let text = e.to_string();
        if text.contains("connection closed before message completed") {
            return "the server closed the connection".to_string();
        }
        if text.contains("failed to lookup address") || text.contains("dns error") {
            return "host not found (DNS lookup failed)".to_string();
        }
        if text.contains("certificate") || text.contains("InvalidCertificate") {
            return format!("TLS handshake failed: {}", certificate_words(&text));
        }
        if !text.is_empty() {
            last_text = text;
        }
        cur = e.source();
    }
    last_text
}

/// rustls's certificate verdicts in words, the verdict kept for searching.
fn certificate_words(text: &str) -> String {
    let said = [
        (
            "UnknownIssuer",
            "the server's certificate is not signed by a certificate authority the kubeconfig trusts",
        ),
        (
            "NotValidForName",
            "the server's certificate does not name this server's address",
        ),
        ("Expired", "the server's certificate has expired"),
        ("NotValidYet", "the server's certificate is not valid yet"),
    ]
    .into_iter()
    .find(|(verdict, _)| text.contains(verdict));
    match said {
        Some((verdict, words)) => format!("{words} ({verdict})"),
        None => text.to_string(),
    }
}

/// The error's text, with its innermost cause when the text leaves it out.
pub(crate) fn innermost(err: &(dyn StdError + 'static)) -> String {
    let mut cur = err;
    while let Some(next) = cur.source() {
        cur = next;
    }
    let inner = cur.to_string();
    let outer = err.to_string();
    if outer.contains(&inner) {
        outer
    } else {
        format!("{outer}: {inner}")
    }
}

#[cfg(test)]
mod tests;
