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
mod tests {
    use std::sync::Arc;

    use tokio::sync::mpsc;

    use super::*;
    use crate::model::log_stream::StreamId;

    fn line(text: &str) -> RawLine {
        RawLine {
            stream: StreamId {
                namespace: Arc::from("ns"),
                pod: Arc::from("p"),
                container: Arc::from("c"),
            },
            at: None,
            bytes: text.as_bytes().into(),
            cut: 0,
            previous: false,
        }
    }

    fn texts(event: &LogEvent) -> Vec<String> {
        match event {
            LogEvent::Lines(lines) => lines
                .iter()
                .map(|l| String::from_utf8_lossy(&l.bytes).into_owned())
                .collect(),
            other => vec![format!("{other:?}")],
        }
    }

    /// Everything the batcher sent for session 9, until it ended.
    async fn all(mut rx: mpsc::Receiver<Update>) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        while let Some(msg) = rx.recv().await {
            match msg {
                Update::Logs { session: 9, event } => out.push(texts(&event)),
                other => panic!("unexpected {other:?}"),
            }
        }
        out
    }

    const LONG: Duration = Duration::from_secs(3600);

    #[tokio::test]
    async fn full_batches_go_at_once_and_the_rest_at_the_end() {
        let (out, rx) = mpsc::channel(16);
        let (tx, msgs) = mpsc::channel(16);
        let task = tokio::spawn(run(rx, tx, 9, 3, LONG));
        for i in 0..7 {
            out.send(Item::Line(line(&i.to_string())))
                .await
                .expect("open");
        }
        drop(out);
        task.await.expect("ends");
        assert_eq!(
            all(msgs).await,
            vec![vec!["0", "1", "2"], vec!["3", "4", "5"], vec!["6"]]
        );
    }

    #[tokio::test]
    async fn events_keep_their_place_between_lines() {
        let (out, rx) = mpsc::channel(16);
        let (tx, msgs) = mpsc::channel(16);
        let task = tokio::spawn(run(rx, tx, 9, 100, LONG));
        out.send(Item::Line(line("a"))).await.expect("open");
        out.send(Item::Line(line("b"))).await.expect("open");
        let capped = LogEvent::Capped {
            streaming: 1,
            total: 2,
        };
        out.send(Item::Event(capped.clone())).await.expect("open");
        out.send(Item::Line(line("c"))).await.expect("open");
        drop(out);
        task.await.expect("ends");
        assert_eq!(
            all(msgs).await,
            vec![
                vec!["a".to_string(), "b".to_string()],
                vec![format!("{capped:?}")],
                vec!["c".to_string()]
            ]
        );
    }

    #[tokio::test]
    async fn a_lone_line_goes_out_when_the_window_ends() {
        let (out, rx) = mpsc::channel(16);
        let (tx, mut msgs) = mpsc::channel(16);
        let _task = tokio::spawn(run(rx, tx, 9, 100, Duration::from_millis(20)));
        out.send(Item::Line(line("alone"))).await.expect("open");
        let msg = tokio::time::timeout(Duration::from_secs(30), msgs.recv())
            .await
            .expect("sent within the window, not when the batch fills")
            .expect("open");
        let Update::Logs { event, .. } = msg else {
            panic!("{msg:?}")
        };
        assert_eq!(texts(&event), vec!["alone"]);
        drop(out);
    }

    #[tokio::test]
    async fn a_receiver_that_does_not_read_stops_the_streams() {
        let (out, rx) = mpsc::channel(8);
        // Room for two Updates, which nobody reads.
        let (tx, _msgs) = mpsc::channel(2);
        let _task = tokio::spawn(run(rx, tx, 9, 4, LONG));
        let mut accepted = 0;
        loop {
            let sent = tokio::time::timeout(
                Duration::from_millis(200),
                out.send(Item::Line(line("chatty"))),
            )
            .await;
            if sent.is_err() {
                break;
            }
            accepted += 1;
            assert!(accepted < 1000, "the batcher never pushed back");
        }
        // Two batches of 4 sent, one in the batcher's hands, 8 queued.
        assert!(accepted <= 2 * 4 + 4 + 8, "{accepted} lines held");
    }
}
