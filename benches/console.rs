//! `cargo bench --bench console`: the console at 10,000 pods.
//!
//! Targets (issue 3), checked against the simulated cluster running
//! `--scenario scale --pods 10000` in its own process:
//! - start to the first complete pods view ≤ 1.5 s;
//! - console peak RSS ≤ 80 MB;
//! - console CPU ≤ 2 % of a core at steady state (the scale scenario churns
//!   about 50–70 pod updates a second);
//! - one frame at 200×60 ≤ 2 ms at p99;
//! - 10,000 watch deltas applied in one batch without a visible stall
//!   (≤ 100 ms).
//!
//! The first three run the real `warroom` binary in a pseudo-terminal and read
//! /proc; the last two run in this process on the same pods, converted by the
//! same code. Prints the numbers; exits non-zero when a target is missed.
//! `WARROOM_BENCH_PODS` changes the pod count.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Pod;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use warroom::config::theme::Theme;
use warroom::model::cluster::{Change, ClusterChange};
use warroom::model::pod_health::PodInfo;
use warroom::sim::{ScenarioName, Sim, SimConfig};
use warroom::state::{Msg, State, update_batch};
use warroom::ui::draw;

fn proc_kb(pid: u32, key: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(f64::NAN)
}

/// CPU seconds (user + system) a process has used.
fn process_cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// The median time of `n` runs of `f`.
fn median_of(n: usize, mut f: impl FnMut()) -> Duration {
    let mut runs: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    runs.sort();
    percentile(&runs, 0.5)
}

fn main() {
    let pods: usize = std::env::var("WARROOM_BENCH_PODS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let mut failed = Vec::new();
    let exe = env!("CARGO_BIN_EXE_warroom");

    // Part 1: the real console against the real sim binary.
    let dir = tempfile::tempdir().expect("temp dir");
    let kubeconfig = dir.path().join("kubeconfig");
    let mut sim = Command::new(exe)
        .args([
            "sim",
            "serve",
            "--scenario",
            "scale",
            "--speed",
            "1",
            "--pods",
        ])
        .arg(pods.to_string())
        .arg("--kubeconfig-out")
        .arg(&kubeconfig)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start warroom sim serve");
    let mut out = BufReader::new(sim.stdout.take().expect("sim stdout"));
    let mut line = String::new();
    while out.read_line(&mut line).expect("read sim output") > 0 {
        if line.starts_with("kubeconfig:") {
            break;
        }
        line.clear();
    }
    // Keep draining the sim's stdout so it never blocks.
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = out.read_to_end(&mut sink);
    });

    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 60,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pty");
    let mut cmd = CommandBuilder::new(exe);
    cmd.args(["-A", "--kubeconfig"]);
    cmd.arg(&kubeconfig);
    cmd.env("TERM", "xterm-256color");
    let start = Instant::now();
    let mut console = pair.slave.spawn_command(cmd).expect("start warroom");
    drop(pair.slave);
    let pid = console.process_id().expect("console pid");
    let parser = Arc::new(Mutex::new(vt100::Parser::new(60, 200, 0)));
    {
        let parser = parser.clone();
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser.lock().unwrap().process(&buf[..n]);
            }
        });
    }
    // The header's second line starts with the pod count: "10021 pods · …"
    // (the scale scenario's churn keeps a few surge pods around).
    let shown = |screen: &str| -> usize {
        screen
            .lines()
            .nth(1)
            .and_then(|l| l.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let first_view = loop {
        let screen = parser.lock().unwrap().screen().contents();
        if shown(&screen) >= pods && !screen.contains("syncing pods") {
            break start.elapsed();
        }
        if start.elapsed() > Duration::from_secs(60) {
            eprintln!("screen:\n{screen}");
            panic!("no complete pods view within 60 s");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    // Steady state: let the initial burst settle, then measure CPU.
    std::thread::sleep(Duration::from_secs(5));
    let window = Duration::from_secs(30);
    let cpu0 = process_cpu_seconds(pid);
    std::thread::sleep(window);
    let cpu = (process_cpu_seconds(pid) - cpu0) / window.as_secs_f64() * 100.0;
    let peak_mb = proc_kb(pid, "VmHWM:") / 1024.0;
    let rss_mb = proc_kb(pid, "VmRSS:") / 1024.0;
    let _ = console.kill();
    let _ = sim.kill();
    let _ = sim.wait();

    println!(
        "console: first complete pods view of {pods} pods in {:.0} ms (target ≤ 1500)",
        first_view.as_secs_f64() * 1000.0
    );
    println!("console: peak RSS {peak_mb:.1} MB, now {rss_mb:.1} MB (target peak ≤ 80)");
    println!(
        "console: steady-state CPU {cpu:.2} % of a core over {} s (target ≤ 2)",
        window.as_secs()
    );
    if first_view > Duration::from_millis(1500) {
        failed.push("first view");
    }
    if peak_mb > 80.0 {
        failed.push("peak RSS");
    }
    if cpu > 2.0 {
        failed.push("steady CPU");
    }

    // Part 2: in process, the same pods through the same conversion.
    let sim = Sim::new(SimConfig {
        scenario: ScenarioName::Scale,
        pods,
        speed: 0.0,
        ..SimConfig::default()
    });
    let infos: Vec<Box<PodInfo>> = sim
        .objects("pods", None)
        .into_iter()
        .filter_map(|v| serde_json::from_value::<Pod>(v).ok())
        .map(|p| Box::new(PodInfo::from_pod(&p)))
        .collect();
    let mut state = State::new(sim.now(), None);
    state.width = 200;
    state.height = 60;
    let _ = update_batch(
        &mut state,
        [Msg::Cluster {
            generation: 0,
            change: ClusterChange::Pods(Change::Replaced(infos.clone())),
        }],
    );
    state.refresh_view();
    // 10,000 deltas in 100 messages of 100, as watchers batch them.
    let msgs: Vec<Msg> = infos
        .chunks(100)
        .map(|c| Msg::Cluster {
            generation: 0,
            change: ClusterChange::Pods(Change::Applied(c.to_vec())),
        })
        .collect();
    state.refresh_view();
    let t = Instant::now();
    let _ = update_batch(&mut state, msgs);
    state.refresh_view();
    let apply = t.elapsed();
    println!(
        "state: {} deltas applied in one batch in {:.1} ms (target ≤ 100)",
        infos.len(),
        apply.as_secs_f64() * 1000.0
    );
    if apply > Duration::from_millis(100) {
        failed.push("delta batch");
    }

    // The built-in detectors run at most once a second after a change.
    let cfg = warroom::model::detectors::DetectorConfig::default();
    let detect = median_of(21, || {
        std::hint::black_box(warroom::model::detectors::detect(
            &state.cluster,
            state.now,
            &cfg,
        ));
    });
    println!(
        "detectors: {} pods judged in {:.2} ms (median of 21; target ≤ 20, i.e. ≤ 2 % of a core at one run a second)",
        state.cluster.pods.len(),
        detect.as_secs_f64() * 1000.0
    );
    if detect > Duration::from_millis(20) {
        failed.push("detectors");
    }

    // The metrics poll: a PodMetricsList for every pod, as metrics-server
    // writes it, decoded as it streams in (64 KiB reads).
    let mut body = String::from(
        r#"{"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":["#,
    );
    for (i, p) in infos.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            r#"{{"metadata":{{"name":"{}","namespace":"{}","creationTimestamp":"2026-01-01T00:00:00Z","labels":{{"app":"x"}}}},"timestamp":"2026-01-01T00:00:00Z","window":"15s","containers":[{{"name":"app","usage":{{"cpu":"{}n","memory":"{}Ki"}}}}]}}"#,
            p.name,
            p.namespace,
            1_000_000 + i,
            100_000 + i
        ));
    }
    body.push_str("]}");
    let decode = median_of(11, || {
        let mut split = warroom::model::list_items::ListItems::new();
        let mut usages = Vec::new();
        for chunk in body.as_bytes().chunks(64 * 1024) {
            split.push(chunk, |item| {
                usages.extend(warroom::model::usage::pod_usage_item(item))
            });
        }
        assert_eq!(usages.len(), infos.len());
        std::hint::black_box(usages);
    });
    println!(
        "metrics: {} pods' usage ({:.1} MB of JSON) decoded in {:.1} ms (median of 11; target ≤ 75, i.e. ≤ 0.5 % of a core at one poll in 15 s)",
        infos.len(),
        body.len() as f64 / 1e6,
        decode.as_secs_f64() * 1000.0
    );
    if decode > Duration::from_millis(75) {
        failed.push("metrics decode");
    }

    let theme = Theme::default();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test terminal");
    let mut frames = Vec::with_capacity(1000);
    for i in 0..1000 {
        // Move the cursor so frames differ, as when a user scrolls.
        state.pods.cursor.selected = i % state.pods.rows.len().max(1);
        let t = Instant::now();
        terminal
            .draw(|f| {
                draw(f, &state, &theme);
            })
            .expect("draw");
        frames.push(t.elapsed());
    }
    frames.sort();
    let p50 = percentile(&frames, 0.5);
    let p99 = percentile(&frames, 0.99);
    println!(
        "ui: frame at 200×60 with {} pods: p50 {:.2} ms, p99 {:.2} ms (target p99 ≤ 2)",
        state.pods.rows.len(),
        p50.as_secs_f64() * 1000.0,
        p99.as_secs_f64() * 1000.0
    );
    if p99 > Duration::from_millis(2) {
        failed.push("frame p99");
    }

    if !failed.is_empty() {
        eprintln!("missed targets: {}", failed.join(", "));
        std::process::exit(1);
    }
}
