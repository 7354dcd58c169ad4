//! Any resource, listed and watched with the server's own columns: what
//! `kubectl get <resource> --watch` does. One task follows the resource
//! the console shows (at most one at a time, none while another view is
//! shown), in the Table format: a paged list, then a watch from its
//! resourceVersion, a relist after 410, back-off after failures. Also the
//! discovery of what the server serves, and one object's YAML.

use std::time::Duration;

use futures::StreamExt;
use kube::Client;
use kube::core::WatchEvent;
use serde_json::Value;
use tokio::sync::watch;

use super::errors::describe_kube_error;
use super::watch::{Closed, Ctx};
use crate::model::ObjectKey;
use crate::model::api_resource::{ApiKind, is_subresource};
use crate::model::cluster::ClusterChange;
use crate::model::server_table::{self, TableChange};

/// What the server is asked for: the Table, else plain JSON (which the
/// console then says it cannot show).
const TABLE: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
const PAGE: usize = 500;
/// A watch the server ends after this long is simply watched again.
const WATCH_SECONDS: u32 = 290;
const RETRY_FIRST: Duration = Duration::from_secs(1);
const RETRY_MAX: Duration = Duration::from_secs(30);

/// The collection's path: `/api/v1/namespaces/shop/services`,
/// `/apis/cert-manager.io/v1/certificates`.
pub fn collection(kind: &ApiKind, namespace: Option<&str>) -> String {
    let base = if kind.group.is_empty() {
        format!("/api/{}", kind.version)
    } else {
        format!("/apis/{}/{}", kind.group, kind.version)
    };
    match namespace {
        Some(ns) if kind.namespaced => format!("{base}/namespaces/{ns}/{}", kind.plural),
        _ => format!("{base}/{}", kind.plural),
    }
}

/// Percent-encodes a query value (continue tokens are base64).
fn query_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn get(url: &str, accept: &str) -> http::Request<Vec<u8>> {
    let mut req = http::Request::get(url).body(Vec::new()).unwrap_or_default();
    if let Ok(v) = http::HeaderValue::from_str(accept) {
        req.headers_mut().insert(http::header::ACCEPT, v);
    }
    req
}

/// Follows the resource `wanted` names until the console goes away.
pub(crate) async fn follow(
    client: Client,
    namespace: Option<String>,
    ctx: Ctx,
    mut wanted: watch::Receiver<Option<ApiKind>>,
) {
    loop {
        let target = wanted.borrow_and_update().clone();
        let Some(kind) = target else {
            if wanted.changed().await.is_err() {
                return;
            }
            continue;
        };
        let run = follow_one(&client, namespace.as_deref(), &kind, &ctx);
        tokio::select! {
            changed = wanted.changed() => if changed.is_err() { return },
            closed = run => if closed.is_err() { return },
        }
    }
}

/// Lists and watches `kind` until told to stop; Err only when the console
/// is gone.
async fn follow_one(
    client: &Client,
    namespace: Option<&str>,
    kind: &ApiKind,
    ctx: &Ctx,
) -> Result<(), Closed> {
    let resource = kind.qualified();
    let path = collection(kind, namespace);
    let mut wait = RETRY_FIRST;
    let send = |change: TableChange| {
        ctx.send(ClusterChange::Browse {
            resource: resource.clone(),
            change,
        })
    };
    loop {
        let listed = list(client, &path).await;
        let mut version = match listed {
            Ok((columns, rows, version)) => {
                wait = RETRY_FIRST;
                send(TableChange::Listed { columns, rows }).await?;
                version
            }
            Err(e) => {
                send(failure(&e, &ctx.server)).await?;
                back_off(&mut wait).await;
                continue;
            }
        };
        // Watch until the version expires (410) or the watch cannot start.
        loop {
            match watch_from(client, &path, &version, ctx, &send).await? {
                Watched::Ended(last) => version = last,
                Watched::Gone => break,
                Watched::Failed(e) => {
                    send(failure(&e, &ctx.server)).await?;
                    back_off(&mut wait).await;
                    break;
                }
            }
        }
    }
}

/// A failed list or watch in words; a 403 is this user's lot.
fn failure(e: &kube::Error, server: &str) -> TableChange {
    TableChange::Failed {
        error: describe_kube_error(e, server),
        forbidden: matches!(e, kube::Error::Api(s) if s.code == 403),
    }
}

/// Waits before the next try, twice as long each time up to RETRY_MAX.
async fn back_off(wait: &mut Duration) {
    tokio::time::sleep(*wait).await;
    *wait = (*wait * 2).min(RETRY_MAX);
}

type Listed = (Vec<server_table::Column>, Vec<server_table::Row>, String);

/// Every page of the list as one Table.
async fn list(client: &Client, path: &str) -> Result<Listed, kube::Error> {
    let mut columns = Vec::new();
    let mut rows = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let mut url = format!("{path}?limit={PAGE}");
        if let Some(token) = &next {
            url.push_str("&continue=");
            url.push_str(&query_value(token));
        }
        let value: Value = client.request(get(&url, TABLE)).await?;
        let table = server_table::parse(&value).map_err(unexpected)?;
        if columns.is_empty() {
            columns = table.columns;
        }
        rows.extend(table.rows);
        match table.next {
            Some(token) => next = Some(token),
            None => return Ok((columns, rows, table.resource_version.unwrap_or_default())),
        }
    }
}

fn unexpected(text: String) -> kube::Error {
    kube::Error::Service(text.into())
}

enum Watched {
    /// The server ended the watch; go on from this version.
    Ended(String),
    /// 410: list again.
    Gone,
    Failed(kube::Error),
}

async fn watch_from<F, Fut>(
    client: &Client,
    path: &str,
    version: &str,
    ctx: &Ctx,
    send: &F,
) -> Result<Watched, Closed>
where
    F: Fn(TableChange) -> Fut,
    Fut: std::future::Future<Output = Result<(), Closed>>,
{
    let url = format!(
        "{path}?watch=1&resourceVersion={}&timeoutSeconds={WATCH_SECONDS}",
        query_value(version)
    );
    let events = match client.request_events::<Value>(get(&url, TABLE)).await {
        Ok(events) => events,
        Err(kube::Error::Api(s)) if s.code == 410 => return Ok(Watched::Gone),
        Err(e) => return Ok(Watched::Failed(e)),
    };
    let mut events = std::pin::pin!(events.ready_chunks(ctx.batch));
    let mut version = version.to_string();
    while let Some(chunk) = events.next().await {
        let mut applied = Vec::new();
        let mut deleted = Vec::new();
        for event in chunk {
            let (object, gone) = match event {
                Ok(WatchEvent::Added(o) | WatchEvent::Modified(o)) => (o, false),
                Ok(WatchEvent::Deleted(o)) => (o, true),
                Ok(WatchEvent::Bookmark(b)) => {
                    version = b.metadata.resource_version;
                    continue;
                }
                Ok(WatchEvent::Error(e)) if e.code == 410 => {
                    flush(send, &mut applied, &mut deleted).await?;
                    return Ok(Watched::Gone);
                }
                Ok(WatchEvent::Error(e)) => {
                    flush(send, &mut applied, &mut deleted).await?;
                    return Ok(Watched::Failed(kube::Error::Api(e)));
                }
                Err(e) => {
                    flush(send, &mut applied, &mut deleted).await?;
                    return Ok(Watched::Failed(e));
                }
            };
            let Ok(table) = server_table::parse(&object) else {
                continue;
            };
            if let Some(v) = table.resource_version.clone().or_else(|| {
                object
                    .pointer("/rows/0/object/metadata/resourceVersion")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            }) {
                version = v;
            }
            for row in table.rows {
                if gone {
                    applied.retain(|r: &server_table::Row| r.key != row.key);
                    deleted.push(row.key);
                } else {
                    deleted.retain(|k: &ObjectKey| *k != row.key);
                    applied.push(row);
                }
            }
        }
        flush(send, &mut applied, &mut deleted).await?;
    }
    Ok(Watched::Ended(version))
}

async fn flush<F, Fut>(
    send: &F,
    applied: &mut Vec<server_table::Row>,
    deleted: &mut Vec<ObjectKey>,
) -> Result<(), Closed>
where
    F: Fn(TableChange) -> Fut,
    Fut: std::future::Future<Output = Result<(), Closed>>,
{
    if !applied.is_empty() {
        send(TableChange::Applied(std::mem::take(applied))).await?;
    }
    if !deleted.is_empty() {
        send(TableChange::Deleted(std::mem::take(deleted))).await?;
    }
    Ok(())
}

/// What the server serves: the core group's resources and each group's
/// preferred version's, subresources left out. A group version that does
/// not answer (an aggregated API whose backend is down, as metrics-server
/// often is) is named in `failed` and the rest still count.
pub(crate) async fn discover(
    client: &Client,
    server: &str,
) -> Result<(Vec<ApiKind>, Vec<String>), String> {
    let mut versions: Vec<(String, String)> = Vec::new();
    let groups = client
        .list_api_groups()
        .await
        .map_err(|e| describe_kube_error(&e, server))?;
    for g in groups.groups {
        let version = g
            .preferred_version
            .map(|v| v.version)
            .or_else(|| g.versions.first().map(|v| v.version.clone()));
        if let Some(v) = version {
            versions.push((g.name, v));
        }
    }
    let core = client
        .list_core_api_resources("v1")
        .await
        .map_err(|e| describe_kube_error(&e, server))?;
    let mut kinds = kinds_of("", "v1", core);
    let lists = futures::stream::iter(versions.into_iter().map(|(group, version)| async move {
        let gv = format!("{group}/{version}");
        let listed = client.list_api_group_resources(&gv).await;
        (group, version, listed)
    }))
    .buffered(8)
    .collect::<Vec<_>>()
    .await;
    let mut failed = Vec::new();
    for (group, version, listed) in lists {
        match listed {
            Ok(list) => kinds.extend(kinds_of(&group, &version, list)),
            Err(e) => failed.push(format!(
                "{group}/{version}: {}",
                describe_kube_error(&e, server)
            )),
        }
    }
    Ok((kinds, failed))
}

fn kinds_of(
    group: &str,
    version: &str,
    list: k8s_openapi::apimachinery::pkg::apis::meta::v1::APIResourceList,
) -> Vec<ApiKind> {
    use crate::model::sanitize::sanitize;
    let clean = |s: &str| sanitize(s).into_owned();
    list.resources
        .into_iter()
        .filter(|r| !is_subresource(&r.name))
        .map(|r| ApiKind {
            group: clean(group),
            version: clean(version),
            plural: clean(&r.name),
            singular: clean(&r.singular_name),
            kind: clean(&r.kind),
            namespaced: r.namespaced,
            short_names: r
                .short_names
                .unwrap_or_default()
                .iter()
                .map(|s| clean(s))
                .collect(),
            verbs: r.verbs.iter().map(|s| clean(s)).collect(),
        })
        .collect()
}

/// Discovers now and whenever asked again (a word that names nothing may
/// name a resource created since), until the console goes away.
pub(crate) async fn discovery(
    client: Client,
    ctx: Ctx,
    again: std::sync::Arc<tokio::sync::Notify>,
) {
    loop {
        let found = discover(&client, &ctx.server).await;
        if ctx.send(ClusterChange::Discovered(found)).await.is_err() {
            return;
        }
        again.notified().await;
    }
}

/// One object as YAML lines, as `kubectl get -o yaml` shows it, or
/// described (`describe`, as `kubectl describe` reads), with managedFields
/// and every Secret value taken out before it leaves here.
pub async fn object_yaml(
    client: &Client,
    kind: &ApiKind,
    key: &ObjectKey,
    server: &str,
    describe: bool,
) -> Result<Vec<String>, String> {
    let ns = (!key.namespace.is_empty()).then_some(key.namespace.as_str());
    let url = format!("{}/{}", collection(kind, ns), query_value(&key.name));
    let value: Value = client
        .request(get(&url, "application/json"))
        .await
        .map_err(|e| describe_kube_error(&e, server))?;
    let shown = crate::model::yaml::shown(value);
    Ok(if describe {
        crate::model::describe::describe(&shown)
    } else {
        crate::model::yaml::to_yaml(&shown)
    })
}

#[cfg(test)]
mod tests;
