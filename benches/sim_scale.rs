//! `cargo bench --bench sim_scale`: the simulated cluster at 10,000 pods.
//!
//! Targets (issue 2): a full LIST of pods served in under 1 s, five concurrent
//! watchers fed, sim RSS under 250 MB, and the virtual clock keeping up at
//! 50 pod updates/s on one core. Prints the measured numbers and exits
//! non-zero when a target is missed.
//!
//! Two parts:
//! 1. In process: set-up time, and how much CPU one virtual minute of the
//!    scale scenario (with its churn) costs on the single thread that runs
//!    the clock.
//! 2. The real binary, `warroom sim serve --scenario scale --speed 1`, as a
//!    user runs it: LIST time, five kube-rs watchers over 20 real seconds, and
//!    the server process's RSS.
//!
//! `WARROOM_BENCH_PODS` changes the pod count (default 10000).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, WatchEvent, WatchParams};
use warroom::sim::{ScenarioName, Sim, SimConfig};

fn proc_field(pid: u32, file: &str, key: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/{file}")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
}

fn rss_mb(pid: u32) -> f64 {
    proc_field(pid, "status", "VmRSS:").map_or(f64::NAN, |kb| kb / 1024.0)
}

/// CPU seconds (user + system) the calling thread has used.
fn thread_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let pods: usize = std::env::var("WARROOM_BENCH_PODS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let mut failed = Vec::new();

    // Part 1: the clock, in process, on one thread.
    let t = Instant::now();
    let sim = Sim::new(SimConfig {
        scenario: ScenarioName::Scale,
        pods,
        seed: 1,
        speed: 0.0,
        start: Some("2026-01-01T00:00:00Z".parse().expect("time")),
        ..SimConfig::default()
    });
    println!(
        "scale scenario: {pods} pods set up in {:.2} s (in-process RSS {:.0} MB)",
        t.elapsed().as_secs_f64(),
        rss_mb(std::process::id())
    );
    let before = sim.resource_version();
    let pods_before = sim.pod_changes();
    let cpu0 = thread_cpu_seconds();
    let wall = Instant::now();
    let virtual_secs = 60;
    sim.advance(Duration::from_secs(virtual_secs));
    let (wall, cpu) = (wall.elapsed().as_secs_f64(), thread_cpu_seconds() - cpu0);
    let pod_updates = sim.pod_changes() - pods_before;
    let rate = pod_updates as f64 / virtual_secs as f64;
    println!(
        "clock: {virtual_secs} virtual s cost {cpu:.2} s CPU on one thread ({wall:.2} s wall): {pod_updates} pod updates ({rate:.0}/s), {} changes in all; {:.1}x faster than real time",
        sim.resource_version() - before,
        virtual_secs as f64 / cpu.max(0.001)
    );
    if rate < 50.0 || cpu >= virtual_secs as f64 {
        failed.push("clock keeps up at 50 pod updates/s on one core");
    }
    drop(sim);

    // Part 2: the real server process.
    let dir = tempfile::tempdir().expect("tempdir");
    let kubeconfig = dir.path().join("kubeconfig");
    let mut child = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args([
            "sim",
            "serve",
            "--scenario",
            "scale",
            "--speed",
            "1",
            "--seed",
            "1",
        ])
        .arg("--pods")
        .arg(pods.to_string())
        .arg("--kubeconfig-out")
        .arg(&kubeconfig)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start warroom sim serve");
    let pid = child.id();
    let mut url = String::new();
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    for line in lines.by_ref() {
        let line = line.unwrap_or_default();
        if let Some(at) = line.split(" at ").nth(1) {
            url = at.trim().to_string();
        }
        if line.starts_with("kubeconfig:") {
            break;
        }
    }
    assert!(
        url.starts_with("http://"),
        "no address from warroom sim serve"
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let http = reqwest::Client::new();
        let mut times = Vec::new();
        let (mut items, mut bytes) = (0, 0);
        #[derive(serde::Deserialize)]
        struct List {
            items: Vec<serde::de::IgnoredAny>,
        }
        for _ in 0..5 {
            let t = Instant::now();
            let body = http.get(format!("{url}/api/v1/pods")).send().await.expect("list").bytes().await.expect("body");
            times.push(t.elapsed().as_secs_f64());
            bytes = body.len();
            items = serde_json::from_slice::<List>(&body).map_or(0, |l| l.items.len());
        }
        times.sort_by(f64::total_cmp);
        println!(
            "LIST /api/v1/pods: {items} pods, {:.1} MB, median {:.0} ms, best {:.0} ms (target < 1000 ms)",
            bytes as f64 / 1e6,
            times[2] * 1000.0,
            times[0] * 1000.0
        );
        if times[2] >= 1.0 || items < pods {
            failed.push("full LIST under 1 s");
        }

        let client = kube::Client::try_from(kube::Config::new(url.parse().expect("url"))).expect("client");
        let api: Api<Pod> = Api::all(client);
        let list = api.list_metadata(&kube::api::ListParams::default().limit(1)).await.expect("list");
        let rv = list.metadata.resource_version.unwrap_or_default();
        let counts: Vec<Arc<AtomicUsize>> = (0..5).map(|_| Arc::new(AtomicUsize::new(0))).collect();
        let ended: Arc<AtomicUsize> = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for c in &counts {
            let (api, rv, c, ended) = (api.clone(), rv.clone(), c.clone(), ended.clone());
            tasks.push(tokio::spawn(async move {
                let mut stream = api.watch(&WatchParams::default().timeout(290), &rv).await.expect("watch").boxed();
                while let Some(ev) = stream.next().await {
                    if let Ok(WatchEvent::Added(_) | WatchEvent::Modified(_) | WatchEvent::Deleted(_)) = ev {
                        c.fetch_add(1, Ordering::Relaxed);
                    }
                }
                ended.fetch_add(1, Ordering::Relaxed);
            }));
        }
        let secs = 20;
        tokio::time::sleep(Duration::from_secs(secs)).await;
        let fed: Vec<usize> = counts.iter().map(|c| c.load(Ordering::Relaxed)).collect();
        let min = fed.iter().copied().min().unwrap_or(0);
        println!(
            "five watchers over {secs} s at --speed 1: {fed:?} pod events ({:.0}/s each), {} ended early",
            min as f64 / secs as f64,
            ended.load(Ordering::Relaxed)
        );
        if min == 0 || ended.load(Ordering::Relaxed) > 0 || fed.iter().any(|n| n.abs_diff(min) > fed.len()) {
            failed.push("five watchers fed");
        }
        for t in tasks {
            t.abort();
        }
    });
    let rss = rss_mb(pid);
    println!("sim process RSS: {rss:.0} MB (target < 250 MB)");
    if rss >= 250.0 {
        failed.push("sim RSS under 250 MB");
    }
    let _ = child.kill();
    let _ = child.wait();
    if failed.is_empty() {
        println!("all targets met");
    } else {
        println!("MISSED: {}", failed.join(", "));
        std::process::exit(1);
    }
}
