//! Attaching to a cluster with kubectl's habits: `--kubeconfig`, else the
//! files in `KUBECONFIG` merged (the first to set a value wins), else
//! `~/.kube/config`; `--context`, else `current-context`; `--namespace`,
//! else the context's namespace, else `default`; `-A` for all namespaces.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError, LoadDataError};
use kube::{Client, Config};

use super::errors::{
    ConnectError, describe_kube_error, innermost, transport_reason, yaml_message, yaml_position,
};
use crate::model::cluster::Connection;

/// How long the first request may take before the server counts as unreachable.
const PROBE_TIMEOUT: Duration = Duration::from_secs(15);

/// What the command line chose; everything optional, as with kubectl.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectOptions {
    /// `--kubeconfig`: this file only, `KUBECONFIG` is ignored.
    pub kubeconfig: Option<PathBuf>,
    /// `--context`: instead of `current-context`.
    pub context: Option<String>,
    /// `--namespace`: instead of the context's namespace.
    pub namespace: Option<String>,
    /// `-A`: every namespace; wins over `namespace`.
    pub all_namespaces: bool,
}

impl ConnectOptions {
    /// The same options for another context (`:ctx NAME`); the namespace
    /// comes from that context unless the command line fixed it.
    pub fn with_context(&self, context: &str) -> ConnectOptions {
        ConnectOptions {
            context: Some(context.to_string()),
            ..self.clone()
        }
    }
}

/// A client attached to one context, and where it points.
#[derive(Clone)]
pub struct Session {
    pub client: Client,
    pub connection: Connection,
    /// `None`: all namespaces.
    pub namespace: Option<String>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("connection", &self.connection)
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}

/// The merged kubeconfig and the files it came from.
#[derive(Debug, Clone)]
pub struct LoadedKubeconfig {
    pub kubeconfig: Kubeconfig,
    pub paths: Vec<PathBuf>,
}

/// Where kubectl would look, in order: `explicit` (`--kubeconfig`) alone;
/// else, when `env` (`KUBECONFIG`, a path list) names any file, those that
/// exist, merged; else `home/.kube/config`. Files in `KUBECONFIG` that do
/// not exist are skipped, as kubectl does; an explicit file must exist.
pub fn load_kubeconfig(
    explicit: Option<&Path>,
    env: Option<&OsStr>,
    home: Option<&Path>,
) -> Result<LoadedKubeconfig, ConnectError> {
    if let Some(path) = explicit {
        let kubeconfig = read_file(path)?;
        return Ok(LoadedKubeconfig {
            kubeconfig,
            paths: vec![path.to_path_buf()],
        });
    }
    if let Some(env) = env {
        let listed: Vec<PathBuf> = std::env::split_paths(env)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        if !listed.is_empty() {
            let mut merged = Kubeconfig::default();
            let mut used = Vec::new();
            for path in &listed {
                if !path.exists() {
                    continue;
                }
                let next = read_file(path)?;
                merged = merged.merge(next).map_err(|e| ConnectError::Unmergeable {
                    paths: listed.clone(),
                    message: e.to_string(),
                })?;
                used.push(path.clone());
            }
            if used.is_empty() {
                // Set but naming nothing that exists: kubectl does not fall
                // back to ~/.kube/config either.
                return Err(ConnectError::NoKubeconfig { looked_in: listed });
            }
            return Ok(LoadedKubeconfig {
                kubeconfig: merged,
                paths: used,
            });
        }
    }
    if let Some(home) = home {
        let path = home.join(".kube").join("config");
        if path.exists() {
            let kubeconfig = read_file(&path)?;
            return Ok(LoadedKubeconfig {
                kubeconfig,
                paths: vec![path],
            });
        }
        return Err(ConnectError::NoKubeconfig {
            looked_in: vec![path],
        });
    }
    Err(ConnectError::NoKubeconfig {
        looked_in: Vec::new(),
    })
}

fn read_file(path: &Path) -> Result<Kubeconfig, ConnectError> {
    if !path.exists() {
        return Err(ConnectError::Unreadable {
            path: path.to_path_buf(),
            error: "no such file".to_string(),
        });
    }
    Kubeconfig::read_from(path).map_err(|e| match e {
        KubeconfigError::ReadConfig(io, _) => ConnectError::Unreadable {
            path: path.to_path_buf(),
            error: io.to_string(),
        },
        KubeconfigError::Parse(err) => {
            let text = err.to_string();
            let position = err
                .location()
                .map(|l| (l.line(), l.column()))
                .filter(|&(line, _)| line > 0)
                .or_else(|| yaml_position(&text));
            ConnectError::Malformed {
                path: path.to_path_buf(),
                position,
                message: yaml_message(&text),
            }
        }
        other => ConnectError::Unmergeable {
            paths: vec![path.to_path_buf()],
            message: other.to_string(),
        },
    })
}

/// Which context, cluster, user, server and namespace the options pick from
/// a kubeconfig, without touching the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub connection: Connection,
    /// `None`: all namespaces.
    pub namespace: Option<String>,
}

/// Picks the context as kubectl does and says plainly what is missing.
pub fn resolve(
    loaded: &LoadedKubeconfig,
    options: &ConnectOptions,
) -> Result<Resolved, ConnectError> {
    let kc = &loaded.kubeconfig;
    let mut contexts: Vec<String> = kc.contexts.iter().map(|c| c.name.clone()).collect();
    contexts.sort();
    contexts.dedup();
    if contexts.is_empty() {
        return Err(ConnectError::NoContexts {
            paths: loaded.paths.clone(),
        });
    }
    let name = match options
        .context
        .clone()
        .or_else(|| kc.current_context.clone())
        .filter(|n| !n.is_empty())
    {
        Some(n) => n,
        None => {
            return Err(ConnectError::NoCurrentContext {
                available: contexts,
            });
        }
    };
    let Some(context) = kc
        .contexts
        .iter()
        .find(|c| c.name == name)
        .and_then(|c| c.context.clone())
    else {
        return Err(ConnectError::UnknownContext {
            name,
            available: contexts,
        });
    };
    let Some(cluster) = kc
        .clusters
        .iter()
        .find(|c| c.name == context.cluster)
        .and_then(|c| c.cluster.clone())
    else {
        return Err(ConnectError::UnknownCluster {
            context: name,
            cluster: context.cluster.clone(),
        });
    };
    let namespace = if options.all_namespaces {
        None
    } else {
        Some(
            options
                .namespace
                .clone()
                .or_else(|| context.namespace.clone())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "default".to_string()),
        )
    };
    Ok(Resolved {
        connection: Connection {
            context: name,
            cluster: context.cluster.clone(),
            user: context.user.clone().unwrap_or_default(),
            server: cluster.server.clone().unwrap_or_default(),
            contexts,
        },
        namespace,
    })
}

/// Reads the kubeconfig, builds a client for the chosen context and asks
/// the server for its version, so that a wrong token or a dead server is
/// reported now, in a sentence, rather than as nine watch failures.
pub async fn connect(options: &ConnectOptions) -> Result<Session, ConnectError> {
    let env = std::env::var_os("KUBECONFIG");
    let home = home_dir();
    let loaded = load_kubeconfig(
        options.kubeconfig.as_deref(),
        env.as_deref(),
        home.as_deref(),
    )?;
    connect_with(loaded, options).await
}

/// Re-connects to another context of the same kubeconfig, for `:ctx NAME`.
/// The kubeconfig is read again: tokens may have been refreshed meanwhile.
pub async fn connect_context(
    options: &ConnectOptions,
    context: &str,
) -> Result<Session, ConnectError> {
    connect(&options.with_context(context)).await
}

/// [`connect`] with an already loaded kubeconfig.
pub async fn connect_with(
    loaded: LoadedKubeconfig,
    options: &ConnectOptions,
) -> Result<Session, ConnectError> {
    let resolved = resolve(&loaded, options)?;
    let connection = &resolved.connection;
    let (context, server) = (connection.context.clone(), connection.server.clone());
    tracing::info!(
        %context,
        cluster = %connection.cluster,
        user = %connection.user,
        %server,
        namespace = resolved.namespace.as_deref().unwrap_or("(all)"),
        kubeconfig = ?loaded.paths,
        "connecting"
    );
    match client_for(loaded.kubeconfig, &resolved).await {
        Ok(client) => {
            tracing::info!(%context, %server, "connected");
            Ok(Session {
                client,
                connection: resolved.connection,
                namespace: resolved.namespace,
            })
        }
        Err(e) => {
            tracing::warn!(%context, %server, error = %e, "cannot connect");
            Err(e)
        }
    }
}

/// A client for the resolved context, once the server has answered.
async fn client_for(kubeconfig: Kubeconfig, resolved: &Resolved) -> Result<Client, ConnectError> {
    let context = &resolved.connection.context;
    let server = &resolved.connection.server;
    let kube_options = KubeConfigOptions {
        context: Some(context.clone()),
        ..KubeConfigOptions::default()
    };
    let mut config = Config::from_custom_kubeconfig(kubeconfig, &kube_options)
        .await
        .map_err(|e| invalid_context(context, e))?;
    if let Some(ns) = &resolved.namespace {
        config.default_namespace = ns.clone();
    }
    let client = Client::try_from(config).map_err(|e| ConnectError::InvalidContext {
        context: context.clone(),
        message: describe_kube_error(&e, server),
    })?;
    probe(&client, context, server).await?;
    Ok(client)
}

fn invalid_context(context: &str, e: KubeconfigError) -> ConnectError {
    let message = match e {
        KubeconfigError::MissingClusterUrl => "its cluster has no server URL".to_string(),
        KubeconfigError::ParseClusterUrl(err) => format!("its server URL is not valid: {err}"),
        KubeconfigError::LoadCertificateAuthority(e) => load_data("certificate authority", e),
        KubeconfigError::LoadClientCertificate(e) => load_data("client certificate", e),
        KubeconfigError::LoadClientKey(e) => load_data("client key", e),
        // Read from the kubeconfig, never sent: not a transport error.
        other => innermost(&other),
    };
    ConnectError::InvalidContext {
        context: context.to_string(),
        message,
    }
}

/// A certificate or key the kubeconfig names that cannot be loaded: one
/// cause, once, with the file named (nothing was sent, so no "TLS").
fn load_data(what: &str, e: LoadDataError) -> String {
    match e {
        LoadDataError::ReadFile(io, path) => {
            let why = match io.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ => io.to_string(),
            };
            format!("cannot read its {what} file {}: {why}", path.display())
        }
        LoadDataError::DecodeBase64(err) => {
            format!("its {what} data is not valid base64: {err}")
        }
        LoadDataError::NoBase64DataOrFile => format!("its {what} has neither data nor a file"),
    }
}

/// `GET /version`: cheap, allowed to every authenticated user, and it fails
/// the way everything else would.
async fn probe(client: &Client, context: &str, server: &str) -> Result<(), ConnectError> {
    match tokio::time::timeout(PROBE_TIMEOUT, client.apiserver_version()).await {
        Err(_) => Err(ConnectError::Unreachable {
            server: server.to_string(),
            reason: format!("no answer within {} s", PROBE_TIMEOUT.as_secs()),
        }),
        Ok(Ok(_)) => Ok(()),
        Ok(Err(kube::Error::Api(status))) if status.code == 401 => {
            Err(ConnectError::Unauthorized {
                context: context.to_string(),
                server: server.to_string(),
            })
        }
        Ok(Err(e @ kube::Error::Api(_))) => Err(ConnectError::Api {
            server: server.to_string(),
            text: describe_kube_error(&e, server),
        }),
        Ok(Err(kube::Error::Auth(e))) => Err(ConnectError::Credentials {
            context: context.to_string(),
            message: transport_reason(&e),
        }),
        Ok(Err(e)) => Err(ConnectError::Unreachable {
            server: server.to_string(),
            reason: transport_reason(&e),
        }),
    }
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()))
}

/// A client straight from a URL and an optional bearer token, for tests and
/// tools; the console itself always goes through [`connect`].
pub fn client_for_url(url: &str, token: Option<&str>) -> Result<Client, ConnectError> {
    let uri = url.parse().map_err(|e| ConnectError::InvalidContext {
        context: url.to_string(),
        message: format!("not a URL: {e}"),
    })?;
    let mut config = Config::new(uri);
    if let Some(t) = token {
        config.auth_info.token = Some(t.to_string().into());
    }
    Client::try_from(config).map_err(|e| ConnectError::InvalidContext {
        context: url.to_string(),
        message: describe_kube_error(&e, url),
    })
}

#[cfg(test)]
mod tests;
