//! `cargo bench --bench logs`: the log viewer's core under load (issue 4).
//!
//! Targets:
//! - ingest ≥ 200,000 lines/s from 50 streams (lines made safe, read as
//!   JSON/logfmt, pushed into a 10,000-line buffer with a search active);
//! - a full 10,000-line buffer of ~200-byte lines holds ≤ 10 MB;
//! - no growth over a 1,000,000-line run: memory after 100,000 lines and
//!   after 1,000,000 lines differ by at most 2 % (what varies is only which
//!   10,000 lines happen to be held).
//!
//! Memory is what glibc reports as allocated (`mallinfo2`: bytes in use in
//! every arena plus mmapped chunks, allocator overhead per chunk included),
//! read before and after; so it is the heap the buffer holds, not pages the
//! allocator keeps around. RSS is printed alongside, from /proc.
//!
//! The lines are synthetic but shaped like a real workload's: zap JSON,
//! logfmt and log4j-style plain lines of about 200 bytes, a few percent
//! with the searched word, interleaved from 50 pods. Generating them is not
//! timed; the streaming side does that work. Prints the numbers; exits
//! non-zero when a target is missed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use warroom::model::log_line::LogLine;
use warroom::model::log_stream::{RawLine, StreamId};
use warroom::sim::rng::Rng;
use warroom::state::log_buffer::LogBuffer;

const STREAMS: usize = 50;
const CAPACITY: usize = 10_000;
const BATCH: usize = 256;
const RUN: usize = 1_000_000;
const EARLY: usize = 100_000;

const TARGET_LINES_PER_SEC: f64 = 200_000.0;
const TARGET_FULL_BUFFER_BYTES: usize = 10 * 1024 * 1024;
const TARGET_GROWTH: f64 = 0.02;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn allocated() -> usize {
    // SAFETY: mallinfo2 takes nothing and returns a plain struct by value.
    let m = unsafe { libc::mallinfo2() };
    m.uordblks + m.hblkhd
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn allocated() -> usize {
    0
}

fn rss_kb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(f64::NAN)
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[derive(Clone, Copy, PartialEq)]
enum Mix {
    /// A third each of JSON, logfmt and plain lines.
    Realistic,
    /// Only JSON: every line keeps a structured form and the raw line.
    Json,
}

/// Lines as 50 pods of a few deployments would write them.
struct Workload {
    streams: Vec<StreamId>,
    rng: Rng,
    clock: Timestamp,
    mix: Mix,
}

impl Workload {
    fn new(mix: Mix) -> Workload {
        let apps = [
            "checkout",
            "payments",
            "inventory",
            "notification-service",
            "gateway",
        ];
        let streams = (0..STREAMS)
            .map(|i| StreamId {
                namespace: Arc::from("shop"),
                pod: Arc::from(format!(
                    "{}-7d8f9c6b4-{:05x}",
                    apps[i % apps.len()],
                    i * 7919
                )),
                container: Arc::from("app"),
            })
            .collect();
        Workload {
            streams,
            rng: Rng::new(42),
            clock: "2024-01-02T15:04:05Z".parse().unwrap(),
            mix,
        }
    }

    fn line(&mut self) -> RawLine {
        let r = &mut self.rng;
        self.clock += SignedDuration::from_micros(5);
        let stream = self.streams[r.below(STREAMS as u64) as usize].clone();
        let (level, word) = match r.below(100) {
            0..=2 => ("error", "timeout"),
            3..=9 => ("warn", "retrying"),
            10..=14 => ("debug", "cache"),
            _ => ("info", "served"),
        };
        let order = r.below(100_000);
        let ms = r.below(2000);
        let kind = match self.mix {
            Mix::Realistic => r.below(3),
            Mix::Json => 0,
        };
        let text = match kind {
            0 => format!(
                r#"{{"level":"{level}","ts":{}.{:06},"caller":"http/server.go:212","msg":"request {word}","method":"GET","path":"/api/v1/orders/{order}","status":200,"duration_ms":{ms},"request_id":"5f2c9a7e-41d3-4b8e-9c1a-{order:012}"}}"#,
                self.clock.as_second(),
                self.clock.subsec_microsecond(),
            ),
            1 => format!(
                r#"time={} level={level} msg="cache lookup {word}" key=user:{order} hit=true latency={ms}us shard=7 region=eu-west-1 request_id=5f2c9a7e-41d3-4b8e-{order:012} user_agent="kube-probe/1.29""#,
                self.clock,
            ),
            _ => format!(
                "2024-01-02 15:04:05,123 {} [http-nio-8080-exec-7] c.s.checkout.OrderController - Order {order} {word} for customer 9921 total=129.90 EUR items=3 in {ms} ms via api-gateway (trace 4bf92f3577b34da6)",
                level.to_uppercase(),
            ),
        };
        RawLine {
            stream,
            at: Some(self.clock),
            bytes: text.into_bytes().into_boxed_slice(),
            cut: 0,
            previous: false,
        }
    }

    fn batch(&mut self, n: usize) -> Vec<RawLine> {
        (0..n).map(|_| self.line()).collect()
    }
}

/// Times reducer + draw for 400 batches of 256 lines into an open pane.
fn render_while_following() -> Vec<Duration> {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use warroom::model::cluster::{Change, ClusterChange};
    use warroom::model::log_stream::LogEvent;
    use warroom::model::pod_health::PodInfo;
    use warroom::state::{Msg, State, update};
    let pod: k8s_openapi::api::core::v1::Pod = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "checkout-7d8f9c6b4-00000", "namespace": "shop"},
        "spec": {"containers": [{"name": "app", "image": "shop/checkout:2.3.0"}]},
        "status": {"phase": "Running"}
    }))
    .expect("a pod");
    let mut state = State::new("2024-01-02T15:04:05Z".parse().unwrap(), None);
    let _ = update(
        &mut state,
        Msg::Cluster {
            generation: 0,
            change: ClusterChange::Pods(Change::Replaced(vec![Box::new(PodInfo::from_pod(&pod))])),
        },
    );
    let _ = update(
        &mut state,
        Msg::KeyPressed(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::NONE)),
    );
    let session = state.logs_session;
    let theme = warroom::config::theme::Theme::default();
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 60)).expect("test terminal");
    let mut work = Workload::new(Mix::Realistic);
    let mut times = Vec::new();
    for _ in 0..400 {
        let batch = work.batch(BATCH);
        let t = Instant::now();
        let _ = update(
            &mut state,
            Msg::Logs {
                session,
                event: LogEvent::Lines(batch),
            },
        );
        terminal
            .draw(|f| {
                warroom::ui::draw(f, &state, &theme);
            })
            .expect("draw");
        times.push(t.elapsed());
    }
    times.sort();
    times
}

/// Converts and pushes a batch as the pane will: the timed work.
fn ingest(buffer: &mut LogBuffer, raw: Vec<RawLine>) {
    let lines = raw.into_iter().map(LogLine::from_raw).collect();
    buffer.push_batch(lines);
}

/// What drawing a 60-row view asks of the buffer: the window, each line's
/// parts, its matches and its pod's colour.
fn read_window(buffer: &LogBuffer) -> usize {
    let rows = 60;
    let start = buffer.len().saturating_sub(rows);
    let mut cells = 0;
    for line in buffer.window(start, rows) {
        let shown = line.shown(buffer.raw());
        cells += shown.text.len().min(200) + shown.label.len();
        cells += buffer.match_ranges(line).len();
        cells += buffer.colour_of(line.stream());
    }
    cells
}

/// Bytes a full buffer of `mix` lines holds.
fn full_buffer_bytes(mix: Mix) -> (usize, usize) {
    let mut workload = Workload::new(mix);
    let before = allocated();
    let mut buffer = LogBuffer::new(CAPACITY);
    buffer.set_query("timeout");
    for _ in 0..(2 * CAPACITY / BATCH + 1) {
        ingest(&mut buffer, workload.batch(BATCH));
    }
    let held = allocated() - before;
    assert_eq!(buffer.held(), CAPACITY);
    (held, buffer.text_bytes())
}

fn main() {
    let mut failed = Vec::new();
    let sample = Workload::new(Mix::Realistic).batch(10_000);
    let raw_bytes: usize = sample.iter().map(|l| l.bytes.len()).sum();
    println!(
        "lines written: {} bytes on average",
        raw_bytes / sample.len()
    );
    drop(sample);

    // Memory of a full buffer.
    let (mixed, mixed_text) = full_buffer_bytes(Mix::Realistic);
    let (json, json_text) = full_buffer_bytes(Mix::Json);
    println!(
        "full {CAPACITY}-line buffer, mixed lines: {:.2} MiB allocated ({} B/line: {} B text, the rest line structs, ring and indices)",
        mib(mixed),
        mixed / CAPACITY,
        mixed_text / CAPACITY,
    );
    println!(
        "full {CAPACITY}-line buffer, all JSON:    {:.2} MiB allocated ({} B/line: {} B text)",
        mib(json),
        json / CAPACITY,
        json_text / CAPACITY,
    );
    for (what, bytes) in [("mixed", mixed), ("all-JSON", json)] {
        if bytes > TARGET_FULL_BUFFER_BYTES {
            failed.push(format!(
                "{what} buffer holds {:.2} MiB > 10 MiB",
                mib(bytes)
            ));
        }
    }

    // Ingest rate, batch latency, window reads and growth over a long run.
    let mut workload = Workload::new(Mix::Realistic);
    let mut buffer = LogBuffer::new(CAPACITY);
    buffer.set_query("timeout");
    let base = allocated();
    let mut busy = Duration::ZERO;
    let mut batches = Vec::with_capacity(RUN / BATCH + 1);
    let mut reads = Vec::with_capacity(RUN / BATCH + 1);
    let mut early = None;
    let mut pushed = 0;
    let mut sink = 0;
    while pushed < RUN {
        let raw = workload.batch(BATCH);
        let t = Instant::now();
        ingest(&mut buffer, raw);
        let took = t.elapsed();
        busy += took;
        batches.push(took);
        pushed += BATCH;
        let t = Instant::now();
        sink += read_window(&buffer);
        reads.push(t.elapsed());
        if early.is_none() && pushed >= EARLY {
            early = Some(allocated() - base);
        }
    }
    let late = allocated() - base;
    let early = early.unwrap_or(late);
    let rate = pushed as f64 / busy.as_secs_f64();
    batches.sort();
    reads.sort();
    println!(
        "ingest: {pushed} lines from {STREAMS} streams in {:.2} s of work: {:.0} lines/s (search active, {} matches held, {} dropped)",
        busy.as_secs_f64(),
        rate,
        buffer.hit_count(),
        buffer.dropped(),
    );
    println!(
        "batch of {BATCH} lines: p50 {:?}, p99 {:?}, max {:?}",
        percentile(&batches, 0.5),
        percentile(&batches, 0.99),
        batches.last().copied().unwrap_or_default(),
    );
    println!(
        "reading a 60-row window (parts, matches, colours): p50 {:?}, p99 {:?} [{sink}]",
        percentile(&reads, 0.5),
        percentile(&reads, 0.99),
    );
    let growth = late as f64 / early as f64 - 1.0;
    println!(
        "allocated after {EARLY} lines: {:.2} MiB, after {pushed}: {:.2} MiB ({:+.2} %); RSS {:.1} MiB",
        mib(early),
        mib(late),
        growth * 100.0,
        rss_kb() / 1024.0,
    );
    if rate < TARGET_LINES_PER_SEC {
        failed.push(format!("ingest {rate:.0} lines/s < 200,000"));
    }
    if growth > TARGET_GROWTH {
        failed.push(format!("memory grew {:.2} % over the run", growth * 100.0));
    }

    // The whole pane while following: each 256-line batch applied through
    // the reducer, then a 200×60 frame drawn, as the event loop does.
    let frames = render_while_following();
    println!(
        "following: batch + frame at 200×60: p50 {:?}, p99 {:?} (target p99 ≤ 16 ms)",
        percentile(&frames, 0.5),
        percentile(&frames, 0.99),
    );
    if percentile(&frames, 0.99) > Duration::from_millis(16) {
        failed.push("render p99 while following > 16 ms".into());
    }

    if failed.is_empty() {
        println!("all log targets met");
    } else {
        for f in &failed {
            eprintln!("MISSED: {f}");
        }
        std::process::exit(1);
    }
}
