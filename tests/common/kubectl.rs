//! Running the real `kubectl` against a sim: the binary `warroom sim serve`
//! as a child process (its clock runs by itself) or an in-process sim whose
//! clock the test moves, each with its own kubeconfig and discovery cache.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};
use warroom::sim::ScenarioName;

use super::{Cluster, cluster, config};

pub const KUBECTL_TIMEOUT: Duration = Duration::from_secs(60);

pub fn kubectl_on_path() -> bool {
    let found = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            let candidate = dir.join("kubectl");
            std::fs::metadata(&candidate).is_ok_and(|m| m.is_file())
        })
    });
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "kubectl not found on PATH, and CI=true: the kubectl compatibility tests must run on CI"
            );
        }
        println!("skipping: kubectl not found on PATH");
    }
    found
}

pub struct Output {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn ok(self, what: &str) -> String {
        assert_eq!(
            self.code,
            Some(0),
            "kubectl {what} failed:\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self.stdout
    }
}

/// kubectl pointed at one kubeconfig, with its own discovery cache.
pub struct Kubectl {
    kubeconfig: PathBuf,
    cache: PathBuf,
    /// The kubectl binary (`kubectl` on PATH unless another version was asked for).
    binary: PathBuf,
}

/// The kubectl of minor version `minor` (`27` for 1.27), as installed
/// beside the one on PATH (`kubectl.1.27`, the Google Cloud SDK's layout);
/// `None`, with a printed reason, when there is none — a failure on CI.
pub fn kubectl_version(minor: u32) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("kubectl"))
            .find(|p| p.is_file())
    })?;
    let real = std::fs::canonicalize(&on_path).unwrap_or(on_path);
    let versioned = real.with_file_name(format!("kubectl.1.{minor}"));
    if versioned.is_file() {
        return Some(versioned);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "kubectl 1.{minor} not found beside {}, and CI=true",
            real.display()
        );
    }
    println!("skipping kubectl 1.{minor}: no {}", versioned.display());
    None
}

impl Kubectl {
    pub fn new(kubeconfig: &Path, dir: &Path) -> Kubectl {
        Kubectl {
            kubeconfig: kubeconfig.to_path_buf(),
            cache: dir.join("kube-cache"),
            binary: PathBuf::from("kubectl"),
        }
    }

    /// The same kubeconfig through another kubectl binary (own cache).
    pub fn with_binary(&self, binary: &Path) -> Kubectl {
        let name = binary.file_name().map(|n| n.to_string_lossy().into_owned());
        Kubectl {
            kubeconfig: self.kubeconfig.clone(),
            cache: self
                .cache
                .with_file_name(format!("kube-cache-{}", name.unwrap_or_default())),
            binary: binary.to_path_buf(),
        }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.binary);
        cmd.env("KUBECONFIG", &self.kubeconfig)
            .arg("--request-timeout=20s")
            .arg(format!("--cache-dir={}", self.cache.display()))
            .args(args)
            .stdin(Stdio::null())
            .kill_on_drop(true);
        cmd
    }

    pub async fn run(&self, args: &[&str]) -> Output {
        let mut cmd = self.command(args);
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let out = tokio::time::timeout(KUBECTL_TIMEOUT, cmd.output())
            .await
            .unwrap_or_else(|_| panic!("kubectl {args:?} did not finish in {KUBECTL_TIMEOUT:?}"))
            .expect("kubectl runs");
        Output {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs and insists on success; returns stdout.
    pub async fn ok(&self, args: &[&str]) -> String {
        self.run(args).await.ok(&args.join(" "))
    }

    /// Re-runs `args` (real time) until `done(stdout)` holds, for at most `limit`.
    pub async fn poll(
        &self,
        args: &[&str],
        limit: Duration,
        done: impl Fn(&str) -> bool,
    ) -> String {
        let start = Instant::now();
        loop {
            let out = self.ok(args).await;
            if done(&out) {
                return out;
            }
            assert!(
                start.elapsed() < limit,
                "kubectl {} never showed what was expected within {limit:?}; last:\n{out}",
                args.join(" ")
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
}

/// `warroom sim serve` as a child process, killed when dropped.
pub struct ServedSim {
    child: Child,
    _stdout: Lines<BufReader<ChildStdout>>,
    pub kubectl: Kubectl,
    _dir: tempfile::TempDir,
}

impl ServedSim {
    pub async fn start(extra: &[&str]) -> ServedSim {
        ServedSim::start_with_env(extra, &[]).await
    }

    /// [`ServedSim::start`] with these variables in the sim's environment.
    pub async fn start_with_env(extra: &[&str], env: &[(&str, &OsStr)]) -> ServedSim {
        let dir = tempfile::tempdir().expect("tempdir");
        let kubeconfig = dir.path().join("kubeconfig");
        let mut child = Command::new(env!("CARGO_BIN_EXE_warroom"))
            .args([
                "sim",
                "serve",
                "--speed",
                "20",
                "--seed",
                "7",
                "--kubeconfig-out",
            ])
            .arg(&kubeconfig)
            .args(extra)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("warroom sim serve starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout piped")).lines();
        let announced = tokio::time::timeout(Duration::from_secs(120), async {
            while let Some(line) = stdout.next_line().await.expect("stdout readable") {
                if let Some(path) = line.strip_prefix("kubeconfig: ") {
                    return Some(PathBuf::from(path.trim()));
                }
            }
            None
        })
        .await
        .expect("warroom sim serve announced its kubeconfig within 2 minutes");
        let Some(announced) = announced else {
            let status = child.wait().await;
            panic!("warroom sim serve exited before printing `kubeconfig: <path>`: {status:?}");
        };
        assert_eq!(
            announced, kubeconfig,
            "the kubeconfig is where --kubeconfig-out said"
        );
        let text = std::fs::read_to_string(&kubeconfig).expect("kubeconfig written");
        assert!(text.contains("current-context: warroom-sim"), "{text}");
        let kubectl = Kubectl::new(&kubeconfig, dir.path());
        ServedSim {
            child,
            _stdout: stdout,
            kubectl,
            _dir: dir,
        }
    }
}

impl ServedSim {
    /// The kubeconfig it wrote.
    pub fn kubeconfig(&self) -> &Path {
        &self.kubectl.kubeconfig
    }
}

impl Drop for ServedSim {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// An in-process sim whose clock the test moves, with a kubeconfig for kubectl.
pub struct LocalSim {
    pub cluster: Cluster,
    pub kubectl: Kubectl,
    _dir: tempfile::TempDir,
}

impl LocalSim {
    /// A directory for the test's files (manifests), removed with the sim.
    pub fn kubectl_dir(&self) -> &Path {
        self._dir.path()
    }

    pub async fn start(scenario: ScenarioName) -> LocalSim {
        let cluster = cluster(config(scenario)).await;
        let dir = tempfile::tempdir().expect("tempdir");
        let kubeconfig = dir.path().join("kubeconfig");
        let text = warroom::sim::kubeconfig::render(&cluster.url(), None, "production");
        warroom::sim::kubeconfig::write(&kubeconfig, &text).expect("kubeconfig written");
        let kubectl = Kubectl::new(&kubeconfig, dir.path());
        LocalSim {
            cluster,
            kubectl,
            _dir: dir,
        }
    }
}

/// Values of every `Key:   value` line of `kubectl describe` output, at any indentation.
pub fn described(out: &str, key: &str) -> Vec<String> {
    out.lines()
        .filter_map(|l| l.trim_start().strip_prefix(key))
        .map(|v| v.trim().to_string())
        .collect()
}

/// Reads lines of a running `kubectl … -w` into `seen` until `done` or `limit` (real time).
pub async fn read_until(
    lines: &mut Lines<BufReader<ChildStdout>>,
    seen: &mut Vec<String>,
    limit: Duration,
    done: impl Fn(&[String]) -> bool,
) {
    let end = Instant::now() + limit;
    while !done(seen) {
        let left = end.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, lines.next_line()).await {
            Ok(Ok(Some(line))) => seen.push(line),
            _ => break,
        }
    }
}

/// Rows of a kubectl table (header excluded), split on runs of spaces.
pub fn rows(table: &str) -> Vec<Vec<&str>> {
    table
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect()
}

pub fn header(table: &str) -> Vec<&str> {
    table
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect()
}
