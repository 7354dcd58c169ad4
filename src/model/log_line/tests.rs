use std::sync::Arc;

use super::*;
use crate::model::sanitize::needs_escape;
use crate::model::sanitize::tests::{Lcg, hostile_bytes};

fn stream() -> StreamId {
    StreamId {
        namespace: Arc::from("shop"),
        pod: Arc::from("checkout-7d8f9c-x2x4q"),
        container: Arc::from("app"),
    }
}

fn raw(bytes: &[u8]) -> RawLine {
    RawLine {
        stream: stream(),
        at: None,
        bytes: bytes.into(),
        cut: 0,
        previous: false,
    }
}

fn line(text: &str) -> LogLine {
    LogLine::from_raw(raw(text.as_bytes()))
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn zap_json_reads_as_level_message_error_then_fields_in_order() {
    let l = line(
        r#"{"level":"error","ts":1704207845.123456,"caller":"server/main.go:42","msg":"request failed","method":"GET","status":500,"error":"dial tcp 10.0.0.5:5432: connect: connection refused","stacktrace":"main.handler\n\t/app/main.go:42"}"#,
    );
    assert_eq!(l.kind(), LineKind::Structured);
    assert_eq!(l.level(), Some(Level::Error));
    assert_eq!(
        l.text(false),
        r#"ERROR request failed error="dial tcp 10.0.0.5:5432: connect: connection refused" caller=server/main.go:42 method=GET status=500 stacktrace=main.handler\n\t/app/main.go:42"#
    );
    let t = l.time().unwrap();
    assert_eq!(t.as_second(), 1704207845);
    assert!((t.subsec_microsecond() - 123456).abs() <= 1);
    // The raw line is one key away, unchanged.
    assert!(
        l.text(true)
            .starts_with(r#"{"level":"error","ts":1704207845.123456,"#)
    );
    assert_eq!(l.raw(), l.text(true));
    let shown = l.shown(false);
    assert_eq!(&shown.text[shown.label.clone()], "ERROR");
    assert_eq!(&shown.text[shown.message.clone()], "request failed");
    assert_eq!(shown.level, Some(Level::Error));
    // The raw view has no structure to colour.
    let shown = l.shown(true);
    assert_eq!((shown.level, shown.label), (None, 0..0));
}

#[test]
fn logrus_json_and_text() {
    let l = line(
        r#"{"duration_ms":1234,"level":"warning","msg":"slow query","query":"SELECT * FROM orders","time":"2024-01-02T15:04:05+01:00"}"#,
    );
    assert_eq!(
        l.text(false),
        r#"WARN  slow query duration_ms=1234 query="SELECT * FROM orders""#
    );
    assert_eq!(l.time(), Some(ts("2024-01-02T14:04:05Z")));

    let l = line(r#"time="2024-01-02T15:04:05Z" level=info msg="Started server" addr=":8080""#);
    assert_eq!(l.kind(), LineKind::Structured);
    assert_eq!(l.text(false), "INFO  Started server addr=:8080");
    assert_eq!(l.time(), Some(ts("2024-01-02T15:04:05Z")));
}

#[test]
fn pino_and_bunyan_numeric_levels() {
    let l = line(
        r#"{"level":30,"time":1704207845123,"pid":7,"hostname":"checkout-7d8f","msg":"order placed","orderId":"A-17"}"#,
    );
    assert_eq!(
        l.text(false),
        "INFO  order placed pid=7 hostname=checkout-7d8f orderId=A-17"
    );
    assert_eq!(l.time(), Some(ts("2024-01-02T15:04:05.123Z")));
    for (n, level) in [
        (10, Level::Trace),
        (20, Level::Debug),
        (40, Level::Warn),
        (50, Level::Error),
        (60, Level::Error),
    ] {
        let l = line(&format!(r#"{{"level":{n},"msg":"m"}}"#));
        assert_eq!(l.level(), Some(level), "{n}");
    }
    // bunyan: the error is an object, shown compactly right after the message.
    let l = line(
        r#"{"name":"api","hostname":"h","pid":1,"level":50,"err":{"message":"boom", "name":"Error", "stack":"Error: boom\n    at handler (/app/x.js:3:9)"},"msg":"handler failed","time":"2024-01-02T15:04:05.000Z","v":0}"#,
    );
    assert_eq!(
        l.text(false),
        r#"ERROR handler failed err={"message":"boom","name":"Error","stack":"Error: boom\n    at handler (/app/x.js:3:9)"} name=api hostname=h pid=1 v=0"#
    );
    // A number that is no bunyan level stays a field.
    let l = line(r#"{"level":7,"msg":"x"}"#);
    assert_eq!((l.level(), l.text(false)), (None, "x level=7"));
}

#[test]
fn slog_json_and_text() {
    let l = line(
        r#"{"time":"2024-01-02T15:04:05.123456789Z","level":"WARN+2","msg":"disk almost full","disk":{ "used": "91%",  "path": "/data" },"tags":[ "a", "b c" ]}"#,
    );
    assert_eq!(l.level(), Some(Level::Warn));
    assert_eq!(
        l.text(false),
        r#"WARN  disk almost full disk={"used":"91%","path":"/data"} tags=["a","b c"]"#
    );
    assert_eq!(l.time(), Some(ts("2024-01-02T15:04:05.123456789Z")));

    let l = line("time=2024-01-02T15:04:05.000Z level=DEBUG-4 msg=\"cache miss\" key=user:42");
    assert_eq!(l.level(), Some(Level::Debug));
    assert_eq!(l.text(false), "DEBUG cache miss key=user:42");
}

#[test]
fn other_shapes_in_the_wild() {
    // python-json-logger: a time it cannot read stays a field.
    let l = line(
        r#"{"asctime": "2024-01-02 15:04:05,123", "levelname": "ERROR", "name": "app", "message": "boom", "exc_info": "Traceback (most recent call last):\n  File \"app.py\", line 1"}"#,
    );
    assert_eq!(
        l.text(false),
        r#"ERROR boom exc_info="Traceback (most recent call last):\n  File \"app.py\", line 1" asctime="2024-01-02 15:04:05,123" name=app"#
    );
    // GCP structured logging.
    let l =
        line(r#"{"severity":"CRITICAL","message":"db down","timestamp":"2024-01-02T15:04:05Z"}"#);
    assert_eq!(
        (l.level(), l.text(false)),
        (Some(Level::Error), "ERROR db down")
    );
    // ECS.
    let l = line(
        r#"{"@timestamp":"2024-01-02T15:04:05Z","log.level":"info","message":"hi","service.name":"web"}"#,
    );
    assert_eq!(l.text(false), "INFO  hi service.name=web");
    // Only the first message is the message; empty values are quoted.
    let l = line(r#"{"msg":"a","message":"b","user":""}"#);
    assert_eq!((l.level(), l.text(false)), (None, r#"a message=b user="""#));
    // Upper-case keys, a level alone.
    assert_eq!(line(r#"{"Level":"Info"}"#).text(false), "INFO");
    // No message: the fields follow the label.
    assert_eq!(
        line(r#"{"lvl":"warn","event":"retry","attempt":3}"#).text(false),
        "WARN  event=retry attempt=3"
    );
}

#[test]
fn lines_that_are_not_records_stay_plain() {
    for text in [
        // klog, including its structured form.
        "I0102 15:04:05.123456       1 main.go:42] Starting server",
        r#"E0102 15:04:05.123456       1 controller.go:114] "Failed to sync" err="timeout" key="shop/checkout""#,
        // Broken or incomplete JSON, JSON that is not an object, an empty object.
        r#"{"level":"info","msg":"unterminated"#,
        r#"{"level":"info"} and more"#,
        r#"[1,2,3]"#,
        "{}",
        "{not json}",
        // Prose with an `=` in it, logfmt without a role, a broken quote.
        "connecting to db host=db port=5432",
        "a=1 b=2",
        r#"level=info msg="unterminated"#,
        r#"level=info msg="x"y"#,
        "plain text",
        "",
    ] {
        let l = line(text);
        assert_eq!(l.kind(), LineKind::Plain, "{text}");
        assert_eq!(l.text(false), text);
        assert_eq!(l.text(true), text);
        let shown = l.shown(false);
        assert_eq!(shown.message, 0..text.len());
    }
}

#[test]
fn plain_lines_say_their_level_where_formats_put_it() {
    let level = |t: &str| line(t).level();
    assert_eq!(
        level("I0102 15:04:05.123456 1 main.go:42] up"),
        Some(Level::Info)
    );
    assert_eq!(
        level("W0102 15:04:05.123456 1 main.go:42] slow"),
        Some(Level::Warn)
    );
    assert_eq!(
        level("E0102 15:04:05.123456 1 x.go:1] failed"),
        Some(Level::Error)
    );
    assert_eq!(
        level("F0102 15:04:05.123456 1 x.go:1] dead"),
        Some(Level::Error)
    );
    assert_eq!(
        level("2024-01-02 10:00:00,123 ERROR [main] c.e.Checkout - payment declined"),
        Some(Level::Error)
    );
    assert_eq!(level("WARNING:root:disk almost full"), Some(Level::Warn));
    assert_eq!(
        level("2024/01/02 10:00:00 [error] 7#7: *1 connect() failed"),
        Some(Level::Error)
    );
    assert_eq!(
        level("[2024-01-02 10:00:00] DEBUG: cache warm"),
        Some(Level::Debug)
    );
    // Prose is not a level, nor a level word deep in the message.
    assert_eq!(level("the error was handled"), None);
    assert_eq!(level("GET /healthz HTTP/1.1 200"), None);
    assert_eq!(level("INFORMATIONAL"), None);
    assert_eq!(
        level("a long message that only mentions, much later on, an ERROR"),
        None
    );
}

#[test]
fn hostile_json_and_logfmt_values_are_escaped_in_the_structured_view() {
    let l = line(
        r#"{"level":"info","msg":"\u001b]52;c;aGk=\u0007 clip \u001b[2J","user":"\u202eevil","k\u001bey":1}"#,
    );
    assert_eq!(
        l.text(false),
        r#"INFO  \x1b]52;c;aGk=\x07 clip \x1b[2J user=\u{202e}evil k\x1bey=1"#
    );
    // Raw C1 and bidi characters are valid inside JSON strings.
    let l = line("{\"msg\":\"a\u{9b}2Jb\",\"n\":{\"x\":\"\u{202e}\"}}");
    assert_eq!(l.text(false), r#"a\x9b2Jb n={"x":"\u{202e}"}"#);
    let l = line(r#"level=error msg="line one\nline two\u001b[H" path="C:\temp""#);
    assert_eq!(
        l.text(false),
        r#"ERROR line one\nline two\x1b[H path=C:\temp"#
    );
    // Tabs in the message are expanded like those of a plain line.
    let l = line(r#"{"msg":"a\tb"}"#);
    assert_eq!(l.text(false), format!("a{}b", " ".repeat(7)));
}

#[test]
fn cut_lines_keep_their_marker_outside_the_text() {
    let mut big = vec![b'x'; 1024 * 1024];
    big[10] = 0x1b;
    let l = LogLine::from_raw(RawLine {
        cut: 1_048_576,
        ..raw(&big)
    });
    assert_eq!(l.cut(), 1_048_576);
    assert_eq!(l.text(false).len(), 1024 * 1024 + 3);
    assert!(l.text(false).starts_with("xxxxxxxxxx\\x1bxxx"));
    let shown = l.shown(false).to_string();
    assert!(
        shown.ends_with("xxx …[cut 1048576 bytes]"),
        "{}",
        &shown[shown.len() - 40..]
    );
    // A record cut at the limit is no longer a record.
    let l = LogLine::from_raw(RawLine {
        cut: 10,
        ..raw(br#"{"level":"info","msg":"par"#)
    });
    assert_eq!(l.kind(), LineKind::Plain);
    assert_eq!(
        l.shown(false).to_string(),
        r#"{"level":"info","msg":"par …[cut 10 bytes]"#
    );
}

#[test]
fn markers_and_line_facts() {
    let at = ts("2024-01-02T15:04:05Z");
    let m = LogLine::marker(
        "checkout-7d8f… restarted: OOMKilled (exit 137)\x1b[2J",
        stream(),
        Some(at),
    );
    assert!(m.is_marker());
    assert_eq!(
        m.text(false),
        "checkout-7d8f… restarted: OOMKilled (exit 137)\\x1b[2J"
    );
    assert_eq!((m.when(), m.level(), m.cut()), (Some(at), None, 0));
    let l = LogLine::from_raw(RawLine {
        at: Some(at),
        previous: true,
        ..raw(br#"{"msg":"x","ts":"2024-01-02T15:00:00Z"}"#)
    });
    assert!(l.previous());
    assert_eq!(l.stream().container.as_ref(), "app");
    // The kubelet's time wins over the record's.
    assert_eq!(l.when(), Some(at));
    assert_eq!(l.time(), Some(ts("2024-01-02T15:00:00Z")));
}

#[test]
fn a_clean_plain_line_keeps_the_streams_allocation() {
    let bytes: Box<[u8]> = b"GET /healthz 200".as_slice().into();
    let ptr = bytes.as_ptr();
    let l = LogLine::from_raw(RawLine { bytes, ..raw(b"") });
    assert_eq!(l.raw().as_ptr(), ptr);
}

#[test]
fn a_line_is_small() {
    // The text is one allocation; the rest (mostly the stream's three
    // shared names) fits in well under two cache lines.
    let size = std::mem::size_of::<LogLine>();
    assert!(size <= 104, "LogLine is {size} bytes");
}

#[test]
fn no_view_of_any_line_holds_a_control_or_invisible_character() {
    let mut rng = Lcg(17);
    for case in 0..10_000 {
        let noise = hostile_bytes(&mut rng);
        let text = String::from_utf8_lossy(&noise);
        let quoted = serde_json::to_string(&text).unwrap();
        let candidates = [
            noise.clone(),
            format!(r#"{{"level":"info","msg":{quoted},"k":{quoted},{quoted}:[{quoted}]}}"#)
                .into_bytes(),
            format!("level=warn msg={quoted} k={quoted}").into_bytes(),
        ];
        for bytes in candidates {
            let len = bytes.len();
            let l = LogLine::from_raw(raw(&bytes));
            for raw_view in [false, true] {
                let shown = l.shown(raw_view);
                if let Some(c) = shown.text.chars().find(|&c| needs_escape(c)) {
                    panic!("case {case}: {c:?} in {:?}", shown.text);
                }
                assert!(shown.message.end <= shown.text.len());
                assert!(shown.text.is_char_boundary(shown.message.start));
                assert!(shown.text.is_char_boundary(shown.message.end));
            }
            // Both forms together stay within a small multiple of the input.
            assert!(l.text_bytes() <= 2 * 8 * len + 16, "case {case}");
        }
    }
}
