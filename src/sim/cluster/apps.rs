//! What the simulated containers do: each image plays an application with a
//! story (how fast it starts, whether it becomes Ready, how its memory moves,
//! what it logs). Behaviour is decided from the pod spec the way a real
//! program decides it from its environment — checkout-service without
//! `DATABASE_URL` never becomes Ready, whichever revision or scenario started it.
//!
//! Logs are not stored: a container's lines are a pure function of its
//! behaviour, its instance (start time, restart number) and time, so the sim
//! serves `tailLines`, `sinceSeconds` and `previous` for 10,000 pods in no memory.
//!
//! A test hook, for clients that must survive hostile logs: a container with
//! the environment variable `WARROOM_SIM_LINE_BYTES=N` (up to 16 MiB) writes
//! one line of exactly N bytes as its first line after starting up.

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use super::rng::fnv32a;
use super::story::Story;

/// How a container's memory moves while it runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Memory {
    pub base_mib: f64,
    /// Growth per minute of uptime (a leak, or load the service cannot shed).
    pub growth_mib_per_min: f64,
    pub max_mib: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    /// Ready once started.
    Normal,
    /// Never passes its readiness probe.
    Never,
    /// Passes for `up` seconds, fails for `down`, and again.
    Flap { up: i64, down: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum App {
    Checkout,
    Notification,
    Api,
    Worker,
    Postgres,
    Redis,
    NodeAgent,
    /// A schema migration run as a Job: fails on a missing column.
    Migrate,
    /// A nightly database dump run by a CronJob.
    Backup,
    Generic,
}

/// Everything the kubelet needs to play one container.
#[derive(Debug, Clone, PartialEq)]
pub struct Behaviour {
    pub app: App,
    pub image: String,
    /// `Some(message)` when the image cannot be pulled.
    pub pull_error: Option<String>,
    pub pull_secs: i64,
    /// Seconds from process start to serving.
    pub start_secs: i64,
    pub readiness: Readiness,
    pub memory: Memory,
    pub cpu_millis: f64,
    /// Memory limit in MiB, if any.
    pub limit_mib: Option<f64>,
    /// The app exits by itself after this many seconds, with this code.
    pub exits_after: Option<(i64, i32)>,
    /// Seconds between routine log lines.
    pub log_period: i64,
    pub json_logs: bool,
    /// The environment variable the app needs and did not get.
    pub missing_env: Option<&'static str>,
    /// The app deadlocks this many seconds after it started or the trouble
    /// began (whichever is later): it stops answering both probes until its
    /// liveness probe gets it restarted.
    pub hangs_after: Option<(Timestamp, i64)>,
    /// Traffic beyond what the app's pods can serve began at this moment:
    /// its requests slow down and some fail.
    pub overloaded_since: Option<Timestamp>,
    /// Test hook: the first line after start-up is this many bytes long
    /// (`WARROOM_SIM_LINE_BYTES`).
    pub long_line: Option<usize>,
}

/// The largest line `WARROOM_SIM_LINE_BYTES` asks for.
const LONG_LINE_MAX: usize = 16 << 20;

/// `registry/team/checkout-service:2.3.0` → (`checkout-service`, `2.3.0`).
pub fn image_name(image: &str) -> (&str, &str) {
    let last = image.rsplit('/').next().unwrap_or(image);
    let last = last.split('@').next().unwrap_or(last);
    match last.split_once(':') {
        Some((n, t)) => (n, t),
        None => (last, "latest"),
    }
}

fn has_env(container: &Value, name: &str) -> bool {
    env(container, name).is_some()
}

fn env<'a>(container: &'a Value, name: &str) -> Option<&'a Value> {
    container["env"]
        .as_array()?
        .iter()
        .find(|e| e["name"] == name)
}

/// Decides how a container behaves.
pub fn behaviour(story: &Story, namespace: &str, container: &Value) -> Behaviour {
    let image = container["image"].as_str().unwrap_or("").to_string();
    let (name, tag) = image_name(&image);
    let (name, tag) = (name.to_string(), tag.to_string());
    let name = name.as_str();
    let app = match name {
        "checkout-service" => App::Checkout,
        "notification-service" => App::Notification,
        "api-server" => App::Api,
        "worker" => App::Worker,
        "postgres" => App::Postgres,
        "redis" => App::Redis,
        "node-agent" | "log-shipper" => App::NodeAgent,
        "db-migrate" => App::Migrate,
        "db-backup" => App::Backup,
        _ => App::Generic,
    };
    let limit_mib = crate::model::quantity::mib(&container["resources"]["limits"]["memory"]);
    let pull_error = (story.missing_images.contains(&image) || tag.contains("does-not-exist")).then(|| {
        format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": {image}: not found"
        )
    });
    let (base, cpu) = match app {
        // Checkout and the API idle well under their HPAs' CPU targets.
        App::Checkout => (220.0, 45.0),
        App::Notification => (180.0, 90.0),
        App::Api => (300.0, 45.0),
        App::Worker => (260.0, 250.0),
        App::Postgres => (420.0, 150.0),
        App::Redis => (64.0, 30.0),
        App::NodeAgent => (48.0, 15.0),
        App::Migrate => (90.0, 60.0),
        App::Backup => (150.0, 300.0),
        App::Generic => (32.0, 5.0),
    };
    let growth = story.memory_growth(namespace, name);
    let missing_env =
        (app == App::Checkout && !has_env(container, "DATABASE_URL")).then_some("DATABASE_URL");
    let readiness = if missing_env.is_some() {
        Readiness::Never
    } else if story.flapping.iter().any(|f| f == name) {
        Readiness::Flap { up: 25, down: 15 }
    } else {
        Readiness::Normal
    };
    let start_secs = match app {
        App::Postgres => 8,
        App::Api | App::Checkout => 5,
        App::Redis | App::NodeAgent | App::Migrate | App::Backup => 1,
        _ => 3,
    };
    Behaviour {
        app,
        image,
        pull_error,
        pull_secs: if story.scale {
            1
        } else {
            2 + i64::from(fnv32a(name.as_bytes()) % 4)
        },
        start_secs,
        readiness,
        memory: Memory {
            base_mib: base,
            growth_mib_per_min: growth,
            max_mib: 64.0 * 1024.0,
        },
        cpu_millis: cpu,
        limit_mib,
        exits_after: env(container, "WARROOM_SIM_EXIT_AFTER")
            .and_then(|e| exit_hook(e["value"].as_str()?))
            .or(match app {
                App::Migrate => Some((6, 1)),
                App::Backup => Some((40, 0)),
                _ => None,
            }),
        log_period: match app {
            App::Migrate => 1,
            App::Backup => 9,
            _ if story.scale => 60,
            _ => 4,
        },
        json_logs: !matches!(app, App::Postgres | App::Redis | App::Migrate | App::Backup),
        missing_env,
        hangs_after: story
            .hanging
            .iter()
            .find(|(a, _)| a == name)
            .map(|(_, since)| (*since, 90)),
        overloaded_since: story.overload(namespace, name).map(|(_, t)| t),
        long_line: env(container, "WARROOM_SIM_LINE_BYTES")
            .and_then(|e| e["value"].as_str()?.parse::<usize>().ok())
            .map(|n| n.min(LONG_LINE_MAX)),
    }
}

/// `WARROOM_SIM_EXIT_AFTER=<seconds>:<exit code>`, a test hook: the
/// container exits by itself (a Job's work done, or failed).
fn exit_hook(v: &str) -> Option<(i64, i32)> {
    let (secs, code) = v.split_once(':')?;
    Some((secs.trim().parse().ok()?, code.trim().parse().ok()?))
}

impl Behaviour {
    /// Is the readiness probe passing after `up` seconds of uptime?
    pub fn ready_at(&self, up: i64) -> bool {
        if up < self.start_secs {
            return false;
        }
        match self.readiness {
            Readiness::Normal => true,
            Readiness::Never => false,
            Readiness::Flap { up: u, down: d } => (up - self.start_secs) % (u + d) < u,
        }
    }
}

/// One run of a container: the lines it logs depend on this.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// Pod uid + container name + restart number: the seed of its lines.
    pub key: String,
    pub started: Timestamp,
    /// When and how it ended.
    pub ended: Option<(Timestamp, String)>,
    /// Memory was `mem0` MiB at `mem_t0` and grows by `growth` MiB a minute
    /// from there (the scenario changes growth mid-run: a traffic spike).
    pub mem_t0: Timestamp,
    pub mem0: f64,
    pub growth: f64,
}

impl Instance {
    /// A fresh run of a container with this behaviour.
    pub fn new(key: String, started: Timestamp, b: &Behaviour) -> Instance {
        Instance {
            key,
            started,
            ended: None,
            mem_t0: started,
            mem0: b.memory.base_mib,
            growth: b.memory.growth_mib_per_min,
        }
    }

    /// Memory in MiB at `t`.
    pub fn memory_at(&self, b: &Behaviour, t: Timestamp) -> f64 {
        let mins = t.duration_since(self.mem_t0).as_secs_f64() / 60.0;
        (self.mem0 + self.growth * mins).clamp(b.memory.base_mib.min(self.mem0), b.memory.max_mib)
    }

    /// When memory reaches the limit, if it does.
    pub fn oom_at(&self, b: &Behaviour) -> Option<Timestamp> {
        let limit = b.limit_mib?;
        if self.mem0 >= limit {
            return Some(self.mem_t0);
        }
        if self.growth <= 0.0 {
            return None;
        }
        let secs = (limit - self.mem0) / self.growth * 60.0;
        // A limit far beyond reach (a client may write `1Ei`) is never hit.
        let d = SignedDuration::try_from_secs_f64(secs.max(0.0)).ok()?;
        self.mem_t0.checked_add(d).ok()
    }

    /// Carries on with a new growth rate from `now`.
    pub fn regrow(&mut self, b: &Behaviour, now: Timestamp, growth: f64) {
        self.mem0 = self.memory_at(b, now);
        self.mem_t0 = now;
        self.growth = growth;
    }
}

const STARTUP: usize = 3;

fn line_time(b: &Behaviour, inst: &Instance, k: u64) -> Timestamp {
    let offset_ms = if (k as usize) < STARTUP {
        200 * (k as i64 + 1)
    } else {
        b.start_secs * 1000 + (k as i64 - STARTUP as i64) * b.log_period * 1000 + 137
    };
    inst.started + SignedDuration::from_millis(offset_ms)
}

/// Index of the first line at or after `t`.
fn first_index_from(b: &Behaviour, inst: &Instance, t: Timestamp) -> u64 {
    let ms = t.duration_since(inst.started).as_millis();
    if ms <= 200 {
        return 0;
    }
    for k in 0..STARTUP as u64 {
        if line_time(b, inst, k) >= t {
            return k;
        }
    }
    let after = ms - i128::from(b.start_secs * 1000 + 137);
    let period = i128::from(b.log_period.max(1) * 1000);
    let k = if after <= 0 {
        0
    } else {
        (after + period - 1) / period
    };
    STARTUP as u64 + k as u64
}

fn level_text(b: &Behaviour, level: &str, msg: &str, extra: &str) -> String {
    if b.json_logs {
        let svc = image_name(&b.image).0;
        format!("{{\"level\":\"{level}\",\"msg\":\"{msg}\",\"service\":\"{svc}\"{extra}}}")
    } else {
        format!("{} {msg}", level.to_uppercase())
    }
}

/// The `k`-th line of an instance.
fn line(b: &Behaviour, inst: &Instance, k: u64) -> String {
    let h = fnv32a(format!("{}#{k}", inst.key).as_bytes());
    let (name, tag) = image_name(&b.image);
    if (k as usize) < STARTUP {
        return match k {
            0 => level_text(b, "info", &format!("starting {name} version {tag}"), ""),
            1 => level_text(b, "info", "loading configuration from environment", ""),
            _ => match b.missing_env {
                Some(var) => level_text(
                    b,
                    "error",
                    &format!("{var} environment variable not set"),
                    ",\"component\":\"db\"",
                ),
                None => level_text(b, "info", "configuration loaded", ""),
            },
        };
    }
    if k == STARTUP as u64
        && let Some(n) = b.long_line
    {
        let head = format!("long line of {n} bytes: ");
        let mut line = String::with_capacity(n);
        line.push_str(&head[..head.len().min(n)]);
        line.extend(std::iter::repeat_n('x', n - line.len()));
        return line;
    }
    let at = line_time(b, inst, k);
    let up = at.duration_since(inst.started).as_secs_f64();
    if let Some(var) = b.missing_env {
        return if k.is_multiple_of(3) {
            level_text(
                b,
                "error",
                &format!("{var} environment variable not set"),
                ",\"component\":\"db\"",
            )
        } else {
            level_text(
                b,
                "warn",
                "readiness check failed: database not configured",
                ",\"path\":\"/ready\",\"status\":503",
            )
        };
    }
    let mem = inst.memory_at(b, at);
    if let Some(limit) = b.limit_mib
        && mem > limit * 0.8
    {
        return level_text(
            b,
            "warn",
            "memory usage high",
            &format!(
                ",\"heap_mib\":{},\"limit_mib\":{}",
                mem.round(),
                limit.round()
            ),
        );
    }
    if let Readiness::Flap { up: u, down: d } = b.readiness {
        let phase = (up as i64 - b.start_secs).rem_euclid(u + d);
        if phase >= u {
            return level_text(
                b,
                "error",
                "upstream timeout",
                ",\"upstream\":\"inventory:8080\",\"timeout_ms\":1000",
            );
        }
    }
    if b.app == App::Api
        && let Some(since) = b.overloaded_since
        && at >= since
    {
        return overloaded_request(b, h);
    }
    match b.app {
        App::Checkout => level_text(
            b,
            "info",
            "order placed",
            &format!(
                ",\"order_id\":\"ord-{h:08x}\",\"latency_ms\":{}",
                20 + h % 180
            ),
        ),
        App::Notification => level_text(
            b,
            "info",
            "processed batch",
            &format!(
                ",\"batch_size\":{},\"queue_depth\":{}",
                50 + h % 200,
                h % 5000
            ),
        ),
        App::Api => level_text(
            b,
            "info",
            "request",
            &format!(
                ",\"method\":\"GET\",\"path\":\"/v1/items/{}\",\"status\":200,\"latency_ms\":{}",
                h % 1000,
                3 + h % 40
            ),
        ),
        App::Worker => level_text(
            b,
            "info",
            "job finished",
            &format!(
                ",\"job\":\"report-{}\",\"duration_ms\":{}",
                h % 10_000,
                100 + h % 900
            ),
        ),
        App::Postgres => format!(
            "LOG:  checkpoint complete: wrote {} buffers ({}.{}%)",
            h % 900,
            h % 9,
            h % 10
        ),
        App::Redis => format!(
            "1:M {} * {} changes in 60 seconds. Saving...",
            h % 100,
            1 + h % 100
        ),
        App::NodeAgent => level_text(
            b,
            "debug",
            "shipped log batch",
            &format!(",\"lines\":{}", h % 500),
        ),
        App::Migrate => migrate_line(k),
        App::Backup => backup_line(k, h),
        App::Generic => format!("heartbeat {k}"),
    }
}

/// What the schema migration says before it dies (SHOP-4590).
fn migrate_line(k: u64) -> String {
    match k - STARTUP as u64 {
        0 => "connected to postgres.production.svc:5432/shop as migrator".into(),
        1 => "applying migration 20261207_0042_add_orders_region_index".into(),
        2 => "ERROR: migration 20261207_0042_add_orders_region_index failed: pq: column \"region\" of relation \"orders\" does not exist (SQLSTATE 42703)".into(),
        3 => "rolling back transaction; schema left at 20261130_0041".into(),
        _ => "FATAL: 1 migration failed, exiting with status 1".into(),
    }
}

/// A nightly dump, table by table.
fn backup_line(k: u64, h: u32) -> String {
    match k - STARTUP as u64 {
        0 => "pg_dump: connecting to postgres.production.svc:5432/shop".into(),
        n @ 1..=2 => format!(
            "pg_dump: dumping table {} ({} rows)",
            ["orders", "customers"][(n - 1) as usize],
            10_000 + h % 90_000
        ),
        3 => format!(
            "uploading shop.dump ({} MiB) to s3://shop-backups/nightly/",
            200 + h % 300
        ),
        _ => "backup complete".into(),
    }
}

/// A request line of an app past its capacity: slow, and one in four fails.
fn overloaded_request(b: &Behaviour, h: u32) -> String {
    let path = format!("/v1/items/{}", h % 1000);
    let latency = 800 + h % 2400;
    match h % 4 {
        0 => level_text(
            b,
            "error",
            "request failed",
            &format!(
                ",\"method\":\"GET\",\"path\":\"{path}\",\"status\":503,\"latency_ms\":{latency},\"error\":\"upstream request timeout: worker pool exhausted (64/64 busy)\""
            ),
        ),
        1 => level_text(
            b,
            "error",
            "request failed",
            &format!(
                ",\"method\":\"GET\",\"path\":\"{path}\",\"status\":500,\"latency_ms\":{latency},\"error\":\"context deadline exceeded\""
            ),
        ),
        _ => level_text(
            b,
            "warn",
            "slow request",
            &format!(
                ",\"method\":\"GET\",\"path\":\"{path}\",\"status\":200,\"latency_ms\":{latency}"
            ),
        ),
    }
}

/// Lines of `inst` with timestamps in `[from, to)`, at most the last `tail`.
pub fn lines(
    b: &Behaviour,
    inst: &Instance,
    from: Timestamp,
    to: Timestamp,
    tail: Option<usize>,
) -> Vec<(Timestamp, String)> {
    let end = match &inst.ended {
        Some((t, _)) => to.min(*t),
        None => to,
    };
    let from = from.max(inst.started);
    if end <= from {
        return Vec::new();
    }
    let first = first_index_from(b, inst, from);
    let last = first_index_from(b, inst, end); // exclusive
    let first = match tail {
        Some(n) => first.max(last.saturating_sub(n as u64)),
        None => first,
    };
    (first..last)
        .map(|k| (line_time(b, inst, k), line(b, inst, k)))
        .collect()
}

#[cfg(test)]
mod tests;
