//! The held logs: complete only when every stream the server said would
//! speak has, with all its lines (and its end, where it ends); handed on
//! stream by stream whatever order the network mixed them in.

use std::sync::Arc;

use super::*;
use crate::cluster::{FirstRead, FirstReads};
use crate::model::log_stream::RawLine;

fn id(pod: &str) -> StreamId {
    StreamId {
        namespace: Arc::from("production"),
        pod: Arc::from(pod),
        container: Arc::from("app"),
    }
}

fn line(pod: &str, text: &str) -> RawLine {
    RawLine {
        stream: id(pod),
        at: None,
        bytes: text.as_bytes().into(),
        cut: 0,
        previous: false,
    }
}

fn joined(pod: &str) -> LogEvent {
    LogEvent::Joined {
        stream: id(pod),
        previous: false,
    }
}

fn expect(streams: &[(&str, usize, bool)]) -> FirstReads {
    FirstReads {
        streams: streams
            .iter()
            .map(|(pod, lines, ends)| {
                let read = FirstRead {
                    lines: *lines,
                    ends: *ends,
                };
                (id(pod), read)
            })
            .collect(),
        explained: false,
        max_streams: 50,
    }
}

/// What the released Msgs say, one word per event: `a:joined`, `b:x y`.
fn released(held: HeldLogs) -> Vec<String> {
    held.release()
        .into_iter()
        .map(|msg| match msg {
            Msg::Logs { event, .. } => match event {
                LogEvent::Lines(lines) => {
                    let pod = lines[0].stream.pod.to_string();
                    let texts: Vec<String> = lines
                        .iter()
                        .map(|l| String::from_utf8_lossy(&l.bytes).into_owned())
                        .collect();
                    format!("{pod}:{}", texts.join(" "))
                }
                LogEvent::Joined { stream, .. } => format!("{}:joined", stream.pod),
                LogEvent::Left { stream, .. } => format!("{}:left", stream.pod),
                other => format!("{other:?}"),
            },
            other => format!("{other:?}"),
        })
        .collect()
}

#[test]
fn streams_are_handed_on_one_after_the_other_whatever_the_arrival_order() {
    let mut held = HeldLogs::new(3);
    held.hold(joined("b"));
    held.hold(LogEvent::Lines(vec![line("b", "b1"), line("a", "a1")]));
    held.hold(joined("a"));
    held.hold(LogEvent::Lines(vec![line("a", "a2"), line("b", "b2")]));
    assert_eq!(
        held.missing().as_deref(),
        Some("the logs' first reads to be counted")
    );
    held.expected = Some(expect(&[("a", 2, false), ("b", 2, false)]));
    assert_eq!(held.missing(), None);
    assert_eq!(
        released(held),
        ["a:a1", "a:joined", "a:a2", "b:joined", "b:b1", "b:b2"]
    );
}

#[test]
fn a_stream_short_of_lines_or_of_its_end_is_still_missing() {
    let mut held = HeldLogs::new(1);
    held.expected = Some(expect(&[("a", 2, true)]));
    held.hold(joined("a"));
    held.hold(LogEvent::Lines(vec![line("a", "a1")]));
    assert_eq!(
        held.missing().as_deref(),
        Some("the logs of a/app (1 of 2 lines, then its end)")
    );
    held.hold(LogEvent::Lines(vec![line("a", "a2")]));
    assert!(held.missing().is_some(), "read once: its end is part of it");
    held.hold(LogEvent::Left {
        stream: id("a"),
        reason: "end of the log".into(),
    });
    assert_eq!(held.missing(), None);
}

#[test]
fn a_refused_stream_counts_once_it_says_so_and_no_stream_once_the_session_does() {
    let mut held = HeldLogs::new(1);
    held.expected = Some(expect(&[("a", 0, false)]));
    assert!(held.missing().is_some(), "not reported yet");
    held.hold(LogEvent::Failed {
        stream: Some(id("a")),
        error: "a/app is waiting to start".into(),
        retrying: true,
    });
    assert_eq!(held.missing(), None);

    let mut none = HeldLogs::new(2);
    none.expected = Some(FirstReads {
        explained: true,
        ..expect(&[])
    });
    assert!(none.missing().is_some());
    none.hold(LogEvent::Failed {
        stream: None,
        error: "no pods of worker".into(),
        retrying: true,
    });
    assert_eq!(none.missing(), None);
}
