//! metrics.k8s.io polling: pod and node usage every 15 s, for the MEM gauge.
//! A cluster without metrics-server is normal, not an error: it is reported
//! once as `MetricsUnavailable` and looked for again every few minutes; a
//! user RBAC does not let read it likewise, as `MetricsForbidden`.

use std::time::Duration;

use kube::Client;
use kube::api::ListParams;

use super::errors::describe_kube_error;
use super::watch::{Closed, Ctx};
use crate::model::cluster::{ClusterChange, Resource};
use crate::model::list_items::ListItems;
use crate::model::usage::{NodeUsage, PodUsage, node_usage_item, pod_usage_item};

const GROUP: &str = "/apis/metrics.k8s.io/v1beta1";

#[derive(Debug, Clone, Copy)]
pub(crate) struct PollTiming {
    pub interval: Duration,
    pub timeout: Duration,
    pub recheck: Duration,
}

/// How one poll went.
#[derive(Debug)]
pub(crate) enum Outcome {
    Usage(Vec<PodUsage>, Vec<NodeUsage>),
    /// metrics.k8s.io is not served here.
    Unavailable,
    /// Served, but this user may not read it (403).
    Forbidden(String),
    Failed(String),
}

/// The path of the pod metrics list: one namespace, or all.
pub(crate) fn pods_path(namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("{GROUP}/namespaces/{ns}/pods"),
        None => format!("{GROUP}/pods"),
    }
}

/// The list's items, each decoded into the few fields used as soon as its
/// bytes have arrived: a 10,000-pod list (~4 MB) is never held whole, only
/// the item being read and one read buffer.
async fn get<T>(
    client: &Client,
    path: &str,
    convert: impl Fn(&str) -> Option<T>,
) -> Result<Vec<T>, kube::Error> {
    use futures::AsyncReadExt;
    let req = kube::core::Request::new(path)
        .list(&ListParams::default())
        .map_err(kube::Error::BuildRequest)?;
    let mut body = client.request_stream(req).await?;
    let mut split = ListItems::new();
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = body
            .read(&mut buf)
            .await
            .map_err(|e| kube::Error::Service(Box::new(e)))?;
        if n == 0 {
            break;
        }
        split.push(&buf[..n], |item| out.extend(convert(item)));
    }
    Ok(out)
}

/// A 404 from the group's paths: nothing serves metrics.k8s.io.
fn not_served(err: &kube::Error) -> bool {
    matches!(err, kube::Error::Api(s) if s.code == 404)
}

/// A 403: RBAC lets this user see pods but not their usage. Not an outage.
fn forbidden(err: &kube::Error) -> bool {
    matches!(err, kube::Error::Api(s) if s.code == 403)
}

pub(crate) async fn poll_once(
    client: &Client,
    namespace: Option<&str>,
    timeout: Duration,
    server: &str,
) -> Outcome {
    let pods_path = pods_path(namespace);
    let nodes_path = format!("{GROUP}/nodes");
    let both = async {
        futures::join!(
            get(client, &pods_path, pod_usage_item),
            get(client, &nodes_path, node_usage_item)
        )
    };
    match tokio::time::timeout(timeout, both).await {
        Err(_) => Outcome::Failed(format!(
            "metrics.k8s.io gave no answer within {} s",
            timeout.as_secs()
        )),
        Ok((Ok(pods), Ok(nodes))) => Outcome::Usage(pods, nodes),
        // A namespace-only role reads its pods' usage but not the nodes':
        // the pods' gauges stay.
        Ok((Ok(pods), Err(e))) if forbidden(&e) => Outcome::Usage(pods, Vec::new()),
        Ok((Err(e), _)) | Ok((_, Err(e))) => {
            if not_served(&e) {
                Outcome::Unavailable
            } else if forbidden(&e) {
                Outcome::Forbidden(describe_kube_error(&e, server))
            } else {
                Outcome::Failed(format!("metrics: {}", describe_kube_error(&e, server)))
            }
        }
    }
}

/// Polls until the task is aborted or the receiver is gone.
pub(crate) async fn poll(client: Client, namespace: Option<String>, ctx: Ctx, timing: PollTiming) {
    let _ = poll_loop(client, namespace, ctx, timing).await;
}

async fn poll_loop(
    client: Client,
    namespace: Option<String>,
    ctx: Ctx,
    timing: PollTiming,
) -> Result<(), Closed> {
    let mut down = false;
    let mut unavailable = false;
    let mut denied = false;
    loop {
        let at = (ctx.clock)();
        let outcome = poll_once(&client, namespace.as_deref(), timing.timeout, &ctx.server).await;
        let wait = match outcome {
            Outcome::Usage(pods, nodes) => {
                ctx.send(ClusterChange::Metrics { pods, nodes, at }).await?;
                if down {
                    tracing::info!("metrics poll recovered");
                    ctx.send(ClusterChange::WatchUp(Resource::Metrics)).await?;
                }
                down = false;
                unavailable = false;
                denied = false;
                timing.interval
            }
            Outcome::Forbidden(why) => {
                if !denied {
                    tracing::info!(%why, "metrics.k8s.io is not allowed: polling every {:?}", timing.recheck);
                    ctx.send(ClusterChange::MetricsForbidden(why)).await?;
                }
                denied = true;
                down = false;
                unavailable = false;
                timing.recheck
            }
            Outcome::Unavailable => {
                if !unavailable {
                    tracing::info!(
                        "metrics.k8s.io is not served: polling every {:?}",
                        timing.recheck
                    );
                    ctx.send(ClusterChange::MetricsUnavailable).await?;
                }
                unavailable = true;
                down = false;
                denied = false;
                timing.recheck
            }
            Outcome::Failed(error) => {
                if !down {
                    tracing::warn!(%error, "metrics poll failed");
                    ctx.send(ClusterChange::WatchDown {
                        resource: Resource::Metrics,
                        error,
                        at: (ctx.clock)(),
                    })
                    .await?;
                }
                down = true;
                timing.interval
            }
        };
        until_due(&ctx, at, wait).await;
    }
}

/// Waits `wait` on the wall clock, or until the cluster's clock has moved
/// `wait` past `since`, whichever comes first. Against a real cluster both
/// are the wall clock; in `demo` the sim's virtual clock can run faster
/// (`--speed`) or be moved by hand, and the usage history wants a sample
/// every 15 s of the cluster's time, as metrics-server's resolution gives.
async fn until_due(ctx: &Ctx, since: jiff::Timestamp, wait: Duration) {
    const LOOK: Duration = Duration::from_millis(200);
    let due = tokio::time::Instant::now() + wait;
    let wait_cluster = jiff::SignedDuration::try_from(wait).unwrap_or(jiff::SignedDuration::MAX);
    loop {
        let now = tokio::time::Instant::now();
        if now >= due || (ctx.clock)().duration_since(since) >= wait_cluster {
            return;
        }
        tokio::time::sleep(LOOK.min(due - now)).await;
    }
}

#[cfg(test)]
mod tests;
