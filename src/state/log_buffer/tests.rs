use std::sync::Arc;

use jiff::SignedDuration;

use super::*;
use crate::model::log_line::LineKind;
use crate::model::log_stream::RawLine;
use crate::sim::rng::Rng;

fn stream(pod: &str, container: &str) -> StreamId {
    StreamId {
        namespace: Arc::from("shop"),
        pod: Arc::from(pod),
        container: Arc::from(container),
    }
}

fn now() -> Timestamp {
    "2024-01-02T15:00:00Z".parse().unwrap()
}

fn at(line: &str, pod: &str, ago_secs: i64) -> LogLine {
    LogLine::from_raw(RawLine {
        stream: stream(pod, "app"),
        at: Some(now() - SignedDuration::from_secs(ago_secs)),
        bytes: line.as_bytes().into(),
        cut: 0,
        previous: false,
    })
}

fn plain(line: &str) -> LogLine {
    at(line, "web-1", 0)
}

fn texts(buffer: &LogBuffer) -> Vec<String> {
    buffer
        .window(0, usize::MAX)
        .map(|l| l.text(buffer.raw()).to_string())
        .collect()
}

fn numbered(range: Range<usize>) -> Vec<LogLine> {
    range.map(|i| plain(&format!("line {i}"))).collect()
}

#[test]
fn the_oldest_lines_fall_off_and_are_counted() {
    let mut b = LogBuffer::new(5);
    assert_eq!(
        b.push_batch(numbered(0..3)),
        Pushed {
            appended: 3,
            removed: 0
        }
    );
    assert_eq!(
        b.push_batch(numbered(3..6)),
        Pushed {
            appended: 3,
            removed: 1
        }
    );
    assert_eq!(
        b.push_batch(numbered(6..10)),
        Pushed {
            appended: 4,
            removed: 4
        }
    );
    assert_eq!(
        texts(&b),
        ["line 5", "line 6", "line 7", "line 8", "line 9"]
    );
    assert_eq!((b.held(), b.dropped()), (5, 5));
    // A batch larger than the whole buffer keeps its newest lines.
    let pushed = b.push_batch(numbered(10..22));
    assert_eq!(
        texts(&b),
        ["line 17", "line 18", "line 19", "line 20", "line 21"]
    );
    assert_eq!(b.dropped(), 17);
    assert_eq!(pushed.removed, 5);
    // Sequence numbers count every line ever pushed.
    assert_eq!(b.seq(0), Some(17));
    assert_eq!(b.index_of(19), Ok(2));
    assert_eq!(b.index_of(3), Err(0));
    // Shrinking the capacity drops the oldest now.
    assert_eq!(b.set_capacity(2).removed, 3);
    assert_eq!(texts(&b), ["line 20", "line 21"]);
    assert_eq!(b.dropped(), 20);
}

#[test]
fn a_byte_budget_bounds_pods_that_write_huge_lines() {
    let mut b = LogBuffer::with_limits(100, 3000);
    let big = "x".repeat(1000);
    b.push_batch((0..5).map(|_| plain(&big)).collect());
    assert_eq!(b.held(), 3);
    assert_eq!(b.dropped(), 2);
    assert!(b.text_bytes() <= 3000);
    // One line over the budget on its own is still kept.
    b.push_batch(vec![plain(&"y".repeat(5000))]);
    assert_eq!(b.held(), 1);
}

#[test]
fn search_finds_highlights_and_steps_through_matches_live() {
    let mut b = LogBuffer::new(100);
    b.push_batch(vec![
        plain("GET /orders 200"),
        plain("upstream timeout after 30s"),
        plain("GET /cart 200"),
        plain("Timeout waiting for db; timeout again"),
    ]);
    b.set_query("timeout");
    assert_eq!(b.query(), Some("timeout"));
    assert_eq!(b.len(), 4);
    assert_eq!(b.hit_count(), 2);
    assert_eq!(b.next_match(0), Some(1));
    assert_eq!(b.next_match(1), Some(3));
    // Past the last match `n` wraps to the first, `N` the other way.
    assert_eq!(b.next_match(3), Some(1));
    assert_eq!(b.prev_match(3), Some(1));
    assert_eq!(b.prev_match(1), Some(3));
    assert_eq!(b.prev_match(0), Some(3));
    assert_eq!(b.hits_through(2), 1);
    assert_eq!(b.hits_through(3), 2);
    let line = b.get(3).unwrap();
    assert_eq!(b.match_ranges(line), [0..7, 24..31]);
    // New lines are searched as they arrive.
    b.push_batch(vec![plain("timeout #3"), plain("ok")]);
    assert_eq!(b.hit_count(), 3);
    assert_eq!(b.next_match(3), Some(4));
    // A capital makes the search exact.
    b.set_query("Timeout");
    assert_eq!(b.hit_count(), 1);
    b.set_query("");
    assert_eq!((b.hit_count(), b.next_match(0)), (0, None));
    assert!(b.match_ranges(b.get(3).unwrap()).is_empty());
}

#[test]
fn filter_keeps_matching_lines_and_exclude_the_rest() {
    let mut b = LogBuffer::new(100);
    b.push_batch(vec![
        plain("GET /healthz 200"),
        plain("POST /orders 500"),
        plain("GET /healthz 200"),
    ]);
    b.set_mode(QueryMode::Filter);
    // Without a query nothing is filtered.
    assert_eq!(b.len(), 3);
    b.set_query("healthz");
    assert_eq!(texts(&b), ["GET /healthz 200", "GET /healthz 200"]);
    assert_eq!(b.hit_count(), 2);
    b.set_mode(QueryMode::Exclude);
    assert_eq!(texts(&b), ["POST /orders 500"]);
    assert_eq!(b.hit_count(), 0);
    let pushed = b.push_batch(vec![plain("GET /healthz 200"), plain("GET /cart 200")]);
    assert_eq!(pushed.appended, 1);
    assert_eq!(texts(&b), ["POST /orders 500", "GET /cart 200"]);
}

#[test]
fn the_level_filter_shows_lines_at_or_above_and_keeps_stack_traces_and_markers() {
    let mut b = LogBuffer::new(100);
    b.push_batch(vec![
        plain(r#"{"level":"debug","msg":"cache warm"}"#),
        plain(r#"{"level":"info","msg":"listening"}"#),
        plain("level=warn msg=slow"),
        plain("2024-01-02 10:00:00,123 ERROR [main] payment failed"),
        plain("java.lang.IllegalStateException: card declined"),
        plain("\tat com.shop.Pay.charge(Pay.java:42)"),
        plain("    at com.shop.Pay.run(Pay.java:7)"),
        plain("no level here"),
        plain("    indented but after a line without a level"),
        LogLine::marker(
            "web-1 restarted: OOMKilled (exit 137)",
            stream("web-1", "app"),
            None,
        ),
    ]);
    b.set_min_level(Some(Level::Warn));
    assert_eq!(
        texts(&b),
        [
            "WARN  slow",
            "2024-01-02 10:00:00,123 ERROR [main] payment failed",
            "java.lang.IllegalStateException: card declined",
            "        at com.shop.Pay.charge(Pay.java:42)",
            "    at com.shop.Pay.run(Pay.java:7)",
            "web-1 restarted: OOMKilled (exit 137)",
        ]
    );
    b.set_min_level(Some(Level::Debug));
    assert_eq!(b.len(), 8);
    b.set_min_level(None);
    assert_eq!(b.len(), 10);
    // Continuation follows its own stream, not whichever line came before.
    let mut b = LogBuffer::new(100);
    b.push_batch(vec![
        at("E0102 15:00:00.000000 1 x.go:1] failed", "a", 0),
        at("I0102 15:00:00.000000 1 y.go:1] fine", "b", 0),
        at("  frame of a", "a", 0),
    ]);
    b.set_min_level(Some(Level::Error));
    assert_eq!(b.len(), 2);
}

#[test]
fn since_cuts_at_a_moment_relative_to_now() {
    let mut b = LogBuffer::new(100);
    b.push_batch(vec![
        at("two hours ago", "web-1", 7200),
        at("ten minutes ago", "web-1", 600),
        at("two minutes ago", "web-1", 120),
        at("now", "web-1", 0),
        // A line with no time of its own is not hidden by a time cut.
        LogLine::from_raw(RawLine {
            stream: stream("web-1", "app"),
            at: None,
            bytes: b"no time".as_slice().into(),
            cut: 0,
            previous: false,
        }),
        // The record's own time counts when the kubelet gave none.
        LogLine::from_raw(RawLine {
            stream: stream("web-1", "app"),
            at: None,
            bytes: br#"{"msg":"old record","time":"2024-01-02T13:00:00Z"}"#
                .as_slice()
                .into(),
            cut: 0,
            previous: false,
        }),
    ]);
    b.set_since(Since::FiveMinutes, now());
    assert_eq!(texts(&b), ["two minutes ago", "now", "no time"]);
    b.set_since(Since::FifteenMinutes, now());
    assert_eq!(b.len(), 4);
    b.set_since(Since::Hour, now() + SignedDuration::from_mins(59));
    assert_eq!(texts(&b), ["now", "no time"]);
    assert_eq!(b.since(), Since::Hour);
    b.set_since(Since::All, now());
    assert_eq!(b.len(), 6);
    // The choices cycle.
    let labels: Vec<_> = std::iter::successors(Some(Since::Minute), |s| Some(s.next()))
        .take(6)
        .map(Since::label)
        .collect();
    assert_eq!(labels, ["1m", "5m", "15m", "1h", "all", "1m"]);
}

#[test]
fn the_raw_toggle_searches_what_is_shown() {
    let mut b = LogBuffer::new(100);
    b.push_batch(vec![plain(
        r#"{"level":"info","msg":"order placed","user":"bob"}"#,
    )]);
    b.set_query("level");
    assert_eq!(b.hit_count(), 0);
    b.set_raw(true);
    assert_eq!(b.hit_count(), 1);
    assert_eq!(b.match_ranges(b.get(0).unwrap()), vec![2..7]);
    b.set_raw(false);
    b.set_query("user=bob");
    assert_eq!(b.hit_count(), 1);
    assert_eq!(b.match_ranges(b.get(0).unwrap()), vec![19..27]);
}

#[test]
fn each_pod_keeps_the_colour_of_its_first_appearance() {
    let mut b = LogBuffer::new(3);
    let line = |pod: &str, container: &str| {
        LogLine::from_raw(RawLine {
            stream: stream(pod, container),
            at: None,
            bytes: b"x".as_slice().into(),
            cut: 0,
            previous: false,
        })
    };
    b.push_batch(vec![line("b", "app"), line("a", "app")]);
    b.push_batch(vec![line("b", "sidecar"), line("c", "app")]);
    b.push_batch((0..10).map(|_| line("d", "app")).collect());
    assert_eq!(b.colour_of(&stream("b", "app")), 0);
    assert_eq!(b.colour_of(&stream("a", "app")), 1);
    // Containers of one pod share its colour, even one not seen yet.
    assert_eq!(b.colour_of(&stream("b", "sidecar")), 0);
    assert_eq!(b.colour_of(&stream("b", "init")), 0);
    assert_eq!(b.colour_of(&stream("c", "app")), 2);
    assert_eq!(b.colour_of(&stream("d", "app")), 3);
    // A marker gives its pod a colour too.
    b.push_batch(vec![LogLine::marker("e joined", stream("e", "app"), None)]);
    assert_eq!(b.colour_of(&stream("e", "app")), 4);
}

fn random_line(rng: &mut Rng) -> LogLine {
    let pods = ["web-1", "web-2", "db-0"];
    let levels = ["debug", "info", "warn", "error", "INFO", "nonsense"];
    let words = ["timeout", "Timeout", "ok", "GET", "retry", "db"];
    let word = words[rng.below(words.len() as u64) as usize];
    let level = levels[rng.below(levels.len() as u64) as usize];
    let text = match rng.below(6) {
        0 => format!(
            r#"{{"level":"{level}","msg":"{word} {}","n":{}}}"#,
            rng.below(9),
            rng.below(99)
        ),
        1 => format!("level={level} msg=\"{word} x\" db={}", rng.below(3)),
        2 => format!("    at frame {word}"),
        3 => format!("plain {word} line {}", rng.below(1000)),
        _ => format!("2024-01-02 10:00:00 {} {word}", level.to_uppercase()),
    };
    let pod = pods[rng.below(pods.len() as u64) as usize];
    if rng.below(20) == 0 {
        return LogLine::marker(
            &format!("{pod} restarted: {word}"),
            stream(pod, "app"),
            Some(now()),
        );
    }
    at(&text, pod, rng.below(3600) as i64)
}

/// The incrementally kept lists equal those of a full rescan.
fn assert_same_as_rescan(b: &LogBuffer, context: &str) {
    let mut fresh = b.clone();
    fresh.rescan();
    assert_eq!(b.visible, fresh.visible, "{context}: visible");
    assert_eq!(b.hits, fresh.hits, "{context}: hits");
    assert!(b.visible.iter().all(|&s| s >= b.first_seq));
    assert!(b.hits.iter().all(|h| b.visible.binary_search(h).is_ok()));
}

#[test]
fn incremental_views_equal_a_full_rescan_after_any_sequence_of_pushes() {
    let mut rng = Rng::new(23);
    let queries = ["", "timeout", "Timeout", "db", "frame", "x"];
    let modes = [QueryMode::Search, QueryMode::Filter, QueryMode::Exclude];
    let levels = [
        None,
        Some(Level::Debug),
        Some(Level::Warn),
        Some(Level::Error),
    ];
    for capacity in [1, 7, 50] {
        let mut b = LogBuffer::new(capacity);
        let mut visible_len = 0usize;
        for round in 0..300 {
            match rng.below(8) {
                0 => b.set_query(queries[rng.below(queries.len() as u64) as usize]),
                1 => b.set_mode(modes[rng.below(3) as usize]),
                2 => b.set_min_level(levels[rng.below(4) as usize]),
                3 => b.set_since(Since::CHOICES[rng.below(5) as usize], now()),
                4 => b.set_raw(rng.below(2) == 0),
                _ => {}
            }
            visible_len = b.len();
            let batch: Vec<_> = (0..rng.below(2 * capacity as u64 + 3))
                .map(|_| random_line(&mut rng))
                .collect();
            let pushed = b.push_batch(batch);
            assert_eq!(
                b.len(),
                visible_len + pushed.appended - pushed.removed,
                "capacity {capacity}, round {round}: pushed arithmetic"
            );
            assert!(b.held() <= capacity);
            // The ring never reserves room it will not use.
            assert!(b.lines.capacity() <= capacity + 1);
            assert_same_as_rescan(&b, &format!("capacity {capacity}, round {round}"));
        }
        assert!(visible_len <= capacity);
        assert_eq!(b.dropped() + b.held() as u64, b.first_seq + b.held() as u64);
    }
}

#[test]
fn markers_are_held_in_order_with_lines() {
    let mut b = LogBuffer::new(10);
    b.push_batch(vec![
        plain("before"),
        LogLine::marker(
            "web-1 restarted: OOMKilled (exit 137)",
            stream("web-1", "app"),
            Some(now()),
        ),
        plain("after"),
    ]);
    assert_eq!(b.get(1).map(LogLine::kind), Some(LineKind::Marker));
    b.set_query("oomkilled");
    b.set_mode(QueryMode::Exclude);
    // Markers stay through every filter; the since cut alone hides them.
    assert_eq!(b.len(), 3);
    b.set_since(Since::Minute, now() + SignedDuration::from_mins(2));
    assert_eq!(b.len(), 0);
}
