//! `cargo bench --bench sim_scale`: the simulated cluster at 10,000 pods.
//!
//! Targets (issue 2): a full LIST of pods served in under 1 s, five concurrent
//! watchers fed, sim RSS under 250 MB, and the virtual clock keeping up at
//! 50 pod updates/s on one core. Prints measured numbers; exits non-zero when
//! a target is missed, so a regression is visible in the bench run.
//!
//! `WARROOM_BENCH_PODS` changes the pod count (default 10000).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, WatchEvent, WatchParams};
use warroom::sim::{ScenarioName, Sim, SimConfig};

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn cpu_seconds() -> f64 {
    // utime + stime of this process, in clock ticks (100 Hz on Linux).
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    // One crypto provider for every rustls user (reqwest is built without its own).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let pods: usize = std::env::var("WARROOM_BENCH_PODS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut failed = Vec::new();

    let t = Instant::now();
    let sim = Sim::new(SimConfig {
        scenario: ScenarioName::Scale,
        pods,
        seed: 1,
        speed: 0.0,
        start: Some("2026-01-01T00:00:00Z".parse().expect("time")),
        ..SimConfig::default()
    });
    let setup = t.elapsed();
    let rss_setup = rss_mb();
    println!(
        "scale scenario: {pods} pods set up in {:.2} s, RSS {rss_setup:.0} MB",
        setup.as_secs_f64()
    );

    runtime.block_on(async {
        let running = sim.start_background().await.expect("serve");
        let url = format!("{}/api/v1/pods", running.url());
        let http = reqwest::Client::new();
        let mut times = Vec::new();
        let mut items = 0;
        let mut bytes = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let body = http.get(&url).send().await.expect("list").bytes().await.expect("body");
            times.push(t.elapsed().as_secs_f64());
            bytes = body.len();
            let v: serde_json::Value = serde_json::from_slice(&body).expect("json");
            items = v["items"].as_array().map_or(0, Vec::len);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "LIST /api/v1/pods: {items} pods, {:.1} MB, median {:.0} ms, best {:.0} ms (target < 1000 ms)",
            bytes as f64 / 1e6,
            times[2] * 1000.0,
            times[0] * 1000.0
        );
        if times[2] >= 1.0 || items != pods {
            failed.push("full LIST under 1 s");
        }

        // Five watchers from the current version, fed while the clock runs.
        let config = kube::Config::new(running.url().parse().expect("url"));
        let client = kube::Client::try_from(config).expect("client");
        let api: Api<Pod> = Api::all(client);
        let rv = sim.resource_version().to_string();
        let counts: Vec<Arc<AtomicUsize>> = (0..5).map(|_| Arc::new(AtomicUsize::new(0))).collect();
        let mut tasks = Vec::new();
        for c in &counts {
            let (api, rv, c) = (api.clone(), rv.clone(), c.clone());
            tasks.push(tokio::spawn(async move {
                let mut stream = api.watch(&WatchParams::default().timeout(290), &rv).await.expect("watch").boxed();
                while let Some(ev) = stream.next().await {
                    if matches!(ev, Ok(WatchEvent::Added(_) | WatchEvent::Modified(_) | WatchEvent::Deleted(_))) {
                        c.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(300)).await;

        // The clock: 60 virtual seconds of churn, on one core.
        let virtual_secs = 60u64;
        let rv_before = sim.resource_version();
        let cpu0 = cpu_seconds();
        let wall = Instant::now();
        let s = sim.clone();
        tokio::task::spawn_blocking(move || s.advance(Duration::from_secs(virtual_secs))).await.expect("advance");
        let wall = wall.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu0;
        // Let the watchers drain.
        let mut last = 0;
        for _ in 0..100 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let now = counts[0].load(Ordering::Relaxed);
            if now == last && now > 0 {
                break;
            }
            last = now;
        }
        let pod_updates = counts[0].load(Ordering::Relaxed);
        let all_changes = sim.resource_version() - rv_before;
        let rate = pod_updates as f64 / virtual_secs as f64;
        println!(
            "clock: {virtual_secs} virtual s in {wall:.2} s wall ({cpu:.2} s CPU incl. watchers): {pod_updates} pod updates ({rate:.0}/s virtual), {all_changes} changes in all; {:.1}x real time",
            virtual_secs as f64 / wall
        );
        if rate < 50.0 || wall > virtual_secs as f64 {
            failed.push("clock keeps up at 50 pod updates/s");
        }
        let fed: Vec<usize> = counts.iter().map(|c| c.load(Ordering::Relaxed)).collect();
        println!("five watchers received {fed:?} pod events");
        if fed.iter().any(|n| *n != pod_updates || *n == 0) {
            failed.push("five watchers fed");
        }
        for t in tasks {
            t.abort();
        }
        running.stop().await;
    });
    let rss = rss_mb();
    println!("RSS at end: {rss:.0} MB (target < 250 MB; includes the bench's own client buffers)");
    if rss >= 250.0 {
        failed.push("RSS under 250 MB");
    }
    if failed.is_empty() {
        println!("all targets met");
    } else {
        println!("MISSED: {}", failed.join(", "));
        std::process::exit(1);
    }
}
