//! Alertmanagers for tests: the real `prometheus-alertmanager` on a free
//! loopback port with its own config and storage (no HA cluster), and a
//! fake that answers every request with one canned reply and records what
//! it was sent (headers, for auth), for the answers a real one never gives.
//!
//! Include with `#[path = "common/alertmanager.rs"] mod alertmanager;`
//! (or a `pub mod alertmanager;` line in `common/mod.rs`): it depends on
//! nothing else in `common`.

// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// How long a real Alertmanager gets to answer `/-/ready`.
pub const READY_WITHIN: Duration = Duration::from_secs(30);

/// The Alertmanager binary: Debian's `/usr/bin/prometheus-alertmanager`,
/// else `prometheus-alertmanager` or `alertmanager` on PATH. Absent, the
/// test is skipped with a printed reason, except under `CI=true`, where
/// it fails: CI must run the real thing.
pub fn alertmanager_binary() -> Option<PathBuf> {
    let debian = PathBuf::from("/usr/bin/prometheus-alertmanager");
    let found = if is_file(&debian) {
        Some(debian)
    } else {
        std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path).find_map(|dir| {
                ["prometheus-alertmanager", "alertmanager"]
                    .iter()
                    .map(|name| dir.join(name))
                    .find(|p| is_file(p))
            })
        })
    };
    if found.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "prometheus-alertmanager not found (/usr/bin or PATH), and CI=true: \
                 the real-Alertmanager tests must run on CI"
            );
        }
        println!("skipping: prometheus-alertmanager not found in /usr/bin or on PATH");
    }
    found
}

fn is_file(p: &Path) -> bool {
    std::fs::metadata(p).is_ok_and(|m| m.is_file())
}

pub use super::pty::free_port;

/// A running `prometheus-alertmanager`, killed when dropped.
pub struct RealAlertmanager {
    child: Child,
    url: String,
    dir: tempfile::TempDir,
}

const CONFIG: &str = "route: {receiver: 'null', group_wait: 1s}\nreceivers: [{name: 'null'}]\n";

impl RealAlertmanager {
    /// Starts one and waits (bounded) until `/-/ready` answers 200. A port
    /// taken between choosing and binding is retried on another.
    pub async fn start(bin: &Path) -> RealAlertmanager {
        // reqwest is built without a default TLS provider, also for http.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut last_log = String::new();
        for _attempt in 0..3 {
            let dir = tempfile::tempdir().expect("tempdir");
            let config = dir.path().join("alertmanager.yml");
            std::fs::write(&config, CONFIG).expect("config written");
            let log = std::fs::File::create(dir.path().join("log")).expect("log file");
            let port = free_port();
            let child = Command::new(bin)
                .arg(format!("--config.file={}", config.display()))
                .arg(format!(
                    "--storage.path={}",
                    dir.path().join("data").display()
                ))
                .arg(format!("--web.listen-address=127.0.0.1:{port}"))
                .arg("--cluster.listen-address=")
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log file"))
                .stderr(log)
                .spawn()
                .expect("prometheus-alertmanager starts");
            let mut am = RealAlertmanager {
                child,
                url: format!("http://127.0.0.1:{port}"),
                dir,
            };
            match am.wait_ready().await {
                Ok(()) => return am,
                Err(log) if log.contains("address already in use") => last_log = log,
                Err(log) => panic!("Alertmanager at {} never became ready:\n{log}", am.url),
            }
        }
        panic!("Alertmanager found no free port in 3 attempts:\n{last_log}");
    }

    async fn wait_ready(&mut self) -> Result<(), String> {
        let http = reqwest::Client::new();
        let ready = format!("{}/-/ready", self.url);
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("exited with {status}\n{}", self.log()));
            }
            if let Ok(r) = http
                .get(&ready)
                .timeout(Duration::from_secs(2))
                .send()
                .await
                && r.status().is_success()
            {
                return Ok(());
            }
            if start.elapsed() > READY_WITHIN {
                return Err(format!("not ready after {READY_WITHIN:?}\n{}", self.log()));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// What it logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }

    /// Posts alerts as Prometheus does (`POST /api/v2/alerts`, a list of
    /// `{labels, annotations, startsAt?, endsAt?, generatorURL?}`).
    pub async fn post_alerts(&self, alerts: &serde_json::Value) {
        let r = reqwest::Client::new()
            .post(format!("{}/api/v2/alerts", self.url))
            .json(alerts)
            .send()
            .await
            .expect("POST /api/v2/alerts is answered");
        let status = r.status();
        let body = r.text().await.unwrap_or_default();
        assert!(status.is_success(), "POST /api/v2/alerts: {status} {body}");
    }
}

impl Drop for RealAlertmanager {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Calls `check` every 100 ms until it gives `Some`, for at most `limit`
/// (Alertmanager applies some changes asynchronously). Panics naming
/// `what` and the last value seen.
pub async fn eventually<T, V, F, Fut>(limit: Duration, what: &str, mut check: F) -> T
where
    V: std::fmt::Debug,
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, V>>,
{
    let start = Instant::now();
    loop {
        let last = match check().await {
            Ok(v) => return v,
            Err(last) => last,
        };
        assert!(
            start.elapsed() < limit,
            "{what}: not within {limit:?}; last seen: {last:#?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What the fake answers.
#[derive(Debug, Clone)]
pub enum Reply {
    /// This status and JSON body.
    Json(u16, String),
    /// Headers announcing a body of this many bytes, then a few bytes.
    Huge(u64),
    /// Reads the request and never answers.
    Silent,
}

/// A one-reply HTTP/1.1 server on loopback that records each request's
/// head (request line and headers, as sent).
pub struct FakeAlertmanager {
    pub url: String,
    requests: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeAlertmanager {
    pub async fn start(reply: Reply) -> FakeAlertmanager {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let seen = seen.clone();
                let reply = reply.clone();
                tokio::spawn(async move {
                    let Some(head) = read_head(&mut socket).await else {
                        return;
                    };
                    seen.lock().expect("requests lock").push(head);
                    let answer = match reply {
                        Reply::Json(status, body) => format!(
                            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                             content-length: {}\r\nconnection: close\r\n\r\n{body}",
                            body.len()
                        ),
                        Reply::Huge(len) => format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                             content-length: {len}\r\n\r\n[[[["
                        ),
                        Reply::Silent => {
                            tokio::time::sleep(Duration::from_secs(60)).await;
                            return;
                        }
                    };
                    let _ = socket.write_all(answer.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        FakeAlertmanager {
            url,
            requests,
            task,
        }
    }

    /// Heads of the requests received so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("requests lock").clone()
    }
}

impl Drop for FakeAlertmanager {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn read_head(socket: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() > 64 << 10 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(String::from_utf8_lossy(&buf).into_owned())
}
