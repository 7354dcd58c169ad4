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
