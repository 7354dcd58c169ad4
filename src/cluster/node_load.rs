//! What the pods of every namespace request on each node, for a console
//! that watches one namespace: a node's row is node-wide whatever
//! namespace is shown ("MEM REQ 8 %" of one namespace's pods beside a
//! node-wide "MEM USE 107 %" would mislead).
//!
//! Listing every pod of the cluster is not free, so it is done only while
//! the nodes view is shown (the reducer says so through
//! [`super::WatchSet::want_node_load`]), at once and then every
//! `interval`, in pages of [`PAGE`] as `kubectl describe node` does
//! (`status.phase!=Succeeded,status.phase!=Failed`), keeping only the sums.
//! A namespace-only user may not list pods at the cluster scope: that is
//! told once as `NotAllowed`, and the view says so where the numbers would
//! be.

use std::collections::HashMap;
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::api::ListParams;
use kube::{Api, Client};
use tokio::sync::watch;

use super::errors::{describe_kube_error, describe_status};
use super::watch::{Closed, Ctx};
use crate::model::cluster::{ClusterChange, NodeTotals, Resource};
use crate::model::node::add_pod_loads;

/// Pods per page: kubectl's chunk size.
const PAGE: u32 = 500;
/// The longest one poll (every page) may take.
const TIMEOUT: Duration = Duration::from_secs(60);
/// Pods that hold resources on their node.
const HOLDING: &str = "status.phase!=Succeeded,status.phase!=Failed";

/// Polls while `shown` is true, until the console goes away.
pub(crate) async fn poll(
    client: Client,
    ctx: Ctx,
    mut shown: watch::Receiver<bool>,
    interval: Duration,
) {
    let _ = poll_loop(client, &ctx, &mut shown, interval).await;
}

async fn poll_loop(
    client: Client,
    ctx: &Ctx,
    shown: &mut watch::Receiver<bool>,
    interval: Duration,
) -> Result<(), Closed> {
    let api: Api<Pod> = Api::all(client);
    let mut forbidden_told = false;
    loop {
        // Wait for the nodes view.
        while !*shown.borrow_and_update() {
            if shown.changed().await.is_err() {
                return Ok(());
            }
        }
        let resource = Resource::NodeRequests;
        let failed = match tokio::time::timeout(TIMEOUT, totals(&api)).await {
            Ok(Ok(totals)) => {
                forbidden_told = false;
                ctx.send(ClusterChange::NodeRequests(totals)).await?;
                ctx.send(ClusterChange::WatchUp(resource)).await?;
                None
            }
            Ok(Err(kube::Error::Api(status))) if status.code == 403 => {
                if !forbidden_told {
                    forbidden_told = true;
                    let error = describe_status(&status);
                    tracing::info!(?resource, %error, "not allowed");
                    ctx.send(ClusterChange::NotAllowed { resource, error })
                        .await?;
                }
                None
            }
            Ok(Err(e)) => Some(describe_kube_error(&e, &ctx.server)),
            Err(_) => Some(format!(
                "listing every namespace's pods took over {}s",
                TIMEOUT.as_secs()
            )),
        };
        if let Some(error) = failed {
            tracing::warn!(?resource, %error, "node requests poll failed");
            let at = (ctx.clock)();
            ctx.send(ClusterChange::WatchDown {
                resource,
                error,
                at,
            })
            .await?;
        }
        // The next poll after `interval`, or at once when the view is left
        // and shown again (the loop waits while it is not shown).
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            changed = shown.changed() => if changed.is_err() { return Ok(()) },
        }
    }
}

/// One pass over every namespace's pods, page by page, keeping the sums.
async fn totals(api: &Api<Pod>) -> Result<Vec<(String, NodeTotals)>, kube::Error> {
    let mut sums: HashMap<String, NodeTotals> = HashMap::new();
    let mut params = ListParams::default().fields(HOLDING).limit(PAGE);
    loop {
        let page = api.list(&params).await?;
        add_pod_loads(&mut sums, &page.items);
        match page.metadata.continue_.filter(|c| !c.is_empty()) {
            Some(token) => params = params.continue_token(&token),
            None => break,
        }
    }
    Ok(sums.into_iter().collect())
}
