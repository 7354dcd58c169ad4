//! Polls a set of Alertmanagers at an interval and sends what they said as
//! one [`FeedEvent`] per round. Dropping the [`AlertFeed`] stops it.

use std::time::Duration;

use tokio::sync::mpsc;

use super::alertmanager::{AlertmanagerClient, fetch_all};
use jiff::Timestamp;

use crate::model::Clock;
use crate::model::alert::AlertReport;

/// One round of polls by feed `feed`: what every Alertmanager said `at`.
#[derive(Debug, Clone)]
pub struct FeedEvent {
    pub feed: u64,
    pub at: Timestamp,
    pub report: AlertReport,
}

/// A running poller.
pub struct AlertFeed {
    task: tokio::task::JoinHandle<()>,
    poke: mpsc::Sender<()>,
}

impl AlertFeed {
    /// Asks again now instead of at the next tick (after a silence).
    pub fn poll_now(&self) {
        let _ = self.poke.try_send(());
    }
}

impl Drop for AlertFeed {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts polling `clients` every `interval`, sending a [`FeedEvent`]
/// tagged `feed` per round. Each round waits for every
/// Alertmanager (each bounded by its own timeout) before the next begins,
/// so a slow one never piles up requests.
pub fn spawn_feed(
    clients: Vec<AlertmanagerClient>,
    interval: Duration,
    feed: u64,
    tx: mpsc::Sender<FeedEvent>,
    clock: Clock,
) -> AlertFeed {
    let (poke, mut poked) = mpsc::channel(1);
    let task = tokio::spawn(async move {
        let mut failing = Vec::new();
        loop {
            let report = fetch_all(&clients).await;
            note_failures(&report.failed, &report.failures, &mut failing);
            let event = FeedEvent {
                feed,
                at: clock(),
                report,
            };
            if tx.send(event).await.is_err() {
                return;
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                p = poked.recv() => if p.is_none() { return },
            }
        }
    });
    AlertFeed { task, poke }
}

/// Tells the diagnostics log when an Alertmanager stops answering (with
/// why) and when it answers again, not at every poll in between.
fn note_failures(failed: &[String], failures: &[String], failing: &mut Vec<String>) {
    for (name, error) in failed.iter().zip(failures) {
        if !failing.contains(name) {
            tracing::warn!(alertmanager = %name, %error, "alertmanager poll failed");
        }
    }
    for name in failing.iter().filter(|n| !failed.contains(n)) {
        tracing::info!(alertmanager = %name, "alertmanager answers again");
    }
    *failing = failed.to_vec();
}
