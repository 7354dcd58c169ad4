//! The batcher: lines from every stream of a session, gathered into
//! `LogEvent::Lines` of up to `batch` lines (or [`BATCH_BYTES`]), sent when
//! full or when the first line has waited `batch_window`; events go out in
//! order with the lines around them. Its sends await, so a slow receiver
//! stops it reading, which stops the streams (and the server) in turn.

use std::time::Duration;

use tokio::sync::mpsc::{Receiver, Sender};
use tokio::time::Instant;

use super::{Closed, Item, until};
use crate::cluster::Update;
use crate::model::log_stream::{LogEvent, RawLine};

/// A batch is sent once it holds this many bytes of lines, however few
/// lines that is: with the channel bounds, this bounds the memory a session
/// holds in flight (64 KiB lines would otherwise make a 1,024-line batch
/// 64 MiB).
pub(super) const BATCH_BYTES: usize = 1024 * 1024;

/// Lines gathered for the next `LogEvent::Lines`.
struct Batch {
    session: u64,
    size: usize,
    window: Duration,
    lines: Vec<RawLine>,
    bytes: usize,
    /// When the batch goes out however few lines it has: its first line's
    /// arrival plus the window.
    due: Option<Instant>,
}

impl Batch {
    fn push(&mut self, line: RawLine) {
        if self.lines.is_empty() {
            self.due = Some(Instant::now() + self.window);
        }
        self.bytes += line.bytes.len();
        self.lines.push(line);
    }

    fn full(&self) -> bool {
        self.lines.len() >= self.size || self.bytes >= BATCH_BYTES
    }

    /// Sends the lines gathered so far, if any.
    async fn flush(&mut self, tx: &Sender<Update>) -> Result<(), Closed> {
        if self.lines.is_empty() {
            return Ok(());
        }
        let lines = std::mem::take(&mut self.lines);
        self.bytes = 0;
        self.due = None;
        send(tx, self.session, LogEvent::Lines(lines)).await
    }
}

async fn send(tx: &Sender<Update>, session: u64, event: LogEvent) -> Result<(), Closed> {
    tx.send(Update::Logs { session, event })
        .await
        .map_err(|_| Closed)
}

/// Gathers lines into batches and sends them, with the events in between in
/// order, until every stream is gone or the receiver is.
pub(super) async fn run(
    rx: Receiver<Item>,
    tx: Sender<Update>,
    session: u64,
    size: usize,
    window: Duration,
) {
    let batch = Batch {
        session,
        size,
        window,
        lines: Vec::new(),
        bytes: 0,
        due: None,
    };
    let _ = run_batches(rx, &tx, batch).await;
}

async fn run_batches(
    mut rx: Receiver<Item>,
    tx: &Sender<Update>,
    mut batch: Batch,
) -> Result<(), Closed> {
    loop {
        let item = tokio::select! {
            item = rx.recv() => item,
            () = until(batch.due) => {
                batch.flush(tx).await?;
                continue;
            }
        };
        match item {
            Some(Item::Line(line)) => {
                batch.push(line);
                if batch.full() {
                    batch.flush(tx).await?;
                }
            }
            Some(Item::Event(event)) => {
                batch.flush(tx).await?;
                send(tx, batch.session, event).await?;
            }
            None => return batch.flush(tx).await,
        }
    }
}

#[cfg(test)]
mod tests;
