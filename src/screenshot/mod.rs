//! `warroom screenshot`: a picture of the real console on a demo scenario.
//!
//! The sim is built in this process as for `warroom demo`, its clock moved
//! to the chosen moment of the story and then stopped; it serves on
//! loopback, and the console attaches through a kubeconfig and kube-rs as
//! to any cluster. The headless console ([`crate::app::headless`]) runs the
//! watchers, the reducer and the effects until everything is settled,
//! presses the keys, and draws with `ui::draw` into a buffer, which
//! [`svg::to_svg`] writes as a picture in the theme's colours.
//!
//! Nothing is read from disk: the scenario, the sim and the theme are in
//! the binary, so an installed `warroom` makes the same pictures as the
//! repository's. The config file's settings are left out too (defaults
//! throughout, no Alertmanager), so the pictures are the same on every
//! machine; only the theme comes from the command line.
//!
//! [`GALLERY`] is the set kept in the repository's `screenshots/`, made
//! again by `warroom screenshot --all screenshots`.

pub mod keys;
pub mod palette;
pub mod svg;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use kube::config::Kubeconfig;

use crate::app::AppOptions;
use crate::app::headless::{self, Script};
use crate::cluster::{self, ConnectOptions, LoadedKubeconfig};
use crate::config::Config;
use crate::config::theme::Theme;
use crate::sim::{self, ScenarioName, Sim, SimConfig};
use crate::state::View;

/// Virtual time at which a screenshot's cluster starts: fixed, so the
/// clock and every "started at" in a picture are the same on every run.
pub const START: &str = "2026-03-02T09:00:00Z";

/// How long one picture may take before it fails, saying what it was
/// waiting for (a 10,000-pod scale scenario lists in a few seconds).
const TIMEOUT: Duration = Duration::from_secs(120);

/// One picture: which incident, how far into it, what is on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shot {
    pub scenario: ScenarioName,
    pub view: View,
    /// Keys pressed once the view is complete ([`keys`] has the syntax).
    pub keys: String,
    /// How far into the story (virtual time).
    pub at: Duration,
    pub width: u16,
    pub height: u16,
    pub seed: u64,
    /// The session is read-only (`--readonly`): the header says so.
    pub readonly: bool,
    /// `-n`: another namespace than the scenario's (`production`).
    pub namespace: Option<String>,
    /// `-A`: every namespace.
    pub all_namespaces: bool,
}

/// A picture of the gallery kept in `screenshots/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GalleryShot {
    /// The file name in `screenshots/`.
    pub file: &'static str,
    pub scenario: ScenarioName,
    pub view: View,
    pub keys: &'static str,
    pub at_seconds: u64,
}

impl GalleryShot {
    pub fn shot(&self) -> Shot {
        Shot {
            scenario: self.scenario,
            view: self.view,
            keys: self.keys.to_string(),
            at: Duration::from_secs(self.at_seconds),
            width: 160,
            height: 45,
            seed: 1,
            readonly: false,
            namespace: None,
            all_namespaces: false,
        }
    }
}

/// The pictures in `screenshots/`: each incident where it is worst.
pub const GALLERY: &[GalleryShot] = &[
    // notification-service OOMKilled, then CrashLoopBackOff; its detail.
    GalleryShot {
        file: "oom-loop-pods.svg",
        scenario: ScenarioName::OomLoop,
        view: View::Pods,
        keys: "",
        at_seconds: 300,
    },
    // The detectors' alerts for the same moment.
    GalleryShot {
        file: "oom-loop-alerts.svg",
        scenario: ScenarioName::OomLoop,
        view: View::Alerts,
        keys: "",
        at_seconds: 300,
    },
    // The killed container's last words: its previous log opens at its end.
    GalleryShot {
        file: "oom-loop-previous-logs.svg",
        scenario: ScenarioName::OomLoop,
        view: View::Pods,
        keys: "p",
        at_seconds: 300,
    },
    // checkout-service 2.3.0: running, never Ready, the rollout stuck.
    GalleryShot {
        file: "bad-deploy-workloads.svg",
        scenario: ScenarioName::BadDeploy,
        view: View::Workloads,
        keys: "",
        at_seconds: 200,
    },
    // Its history: 2.2.0 → 2.3.0 and DATABASE_URL removed.
    GalleryShot {
        file: "bad-deploy-history.svg",
        scenario: ScenarioName::BadDeploy,
        view: View::Workloads,
        keys: "h",
        at_seconds: 200,
    },
    // What a pod that is not Ready logs.
    GalleryShot {
        file: "bad-deploy-logs.svg",
        scenario: ScenarioName::BadDeploy,
        view: View::Pods,
        keys: "l",
        at_seconds: 200,
    },
    // The events: readiness probes failing.
    GalleryShot {
        file: "bad-deploy-events.svg",
        scenario: ScenarioName::BadDeploy,
        view: View::Events,
        keys: "",
        at_seconds: 200,
    },
    // node-3 under MemoryPressure, tainted, evicting.
    GalleryShot {
        file: "node-pressure-nodes.svg",
        scenario: ScenarioName::NodePressure,
        view: View::Nodes,
        keys: "",
        at_seconds: 240,
    },
    // worker 2.5.0's missing image, pods grouped by workload.
    GalleryShot {
        file: "image-pull-pods.svg",
        scenario: ScenarioName::ImagePull,
        view: View::Pods,
        keys: "w",
        at_seconds: 120,
    },
];

/// Renders `shot` in `theme` as an SVG document.
pub async fn render(shot: &Shot, theme: &Theme) -> Result<String, String> {
    let keys = keys::parse(&shot.keys)?;
    let start: Timestamp = START
        .parse()
        .map_err(|e| format!("the screenshot start time {START} is not a time: {e}"))?;
    let config = SimConfig {
        scenario: shot.scenario,
        seed: shot.seed,
        speed: 0.0,
        start: Some(start),
        ..SimConfig::default()
    };
    let at = shot.at;
    // Building and playing the story are CPU work on the sim's std mutex.
    let sim = tokio::task::spawn_blocking(move || {
        let sim = Sim::new(config);
        sim.advance(at);
        sim
    })
    .await
    .map_err(|e| format!("building the simulated cluster failed: {e}"))?;
    let running = sim
        .start_background()
        .await
        .map_err(|e| format!("the simulated cluster cannot listen on loopback: {e}"))?;
    let result = attach_and_draw(&sim, &running.url(), shot, keys, theme).await;
    running.stop().await;
    let buffer = result?;
    let title = format!(
        "warroom: {} at {}, {}",
        shot.scenario,
        format_at(shot.at),
        shot.view.title().to_lowercase()
    );
    Ok(svg::to_svg(&buffer, &title, &svg::Canvas::for_theme(theme)))
}

/// Attaches the headless console to the sim at `url` through a kubeconfig,
/// as `warroom demo` does, and returns its screen.
async fn attach_and_draw(
    sim: &Sim,
    url: &str,
    shot: &Shot,
    keys: Vec<crossterm::event::KeyEvent>,
    theme: &Theme,
) -> Result<ratatui::buffer::Buffer, String> {
    let namespace = if shot.scenario == ScenarioName::Scale {
        "team-01"
    } else {
        "production"
    };
    let text = sim::kubeconfig::render(url, None, namespace);
    let kubeconfig = Kubeconfig::from_yaml(&text)
        .map_err(|e| format!("the sim's kubeconfig does not parse: {e}"))?;
    let loaded = LoadedKubeconfig {
        kubeconfig,
        paths: Vec::new(),
    };
    let connect = ConnectOptions {
        namespace: shot.namespace.clone(),
        all_namespaces: shot.all_namespaces,
        ..ConnectOptions::default()
    };
    let session = cluster::connect_with(loaded, &connect)
        .await
        .map_err(|e| e.to_string())?;
    let clock_sim = sim.clone();
    let options = AppOptions {
        connect,
        readonly: shot.readonly,
        write: false,
        config: Config::default(),
        alertmanagers: Vec::new(),
        incident: None,
        clock: Arc::new(move || clock_sim.now()),
        theme: theme.clone(),
        // The gallery's keys are the default keymap's, whatever the user's.
        bindings: crate::config::keymap::default_bindings(),
        mouse: false,
    };
    let script = Script {
        view: shot.view,
        keys,
        width: shot.width,
        height: shot.height,
        timeout: TIMEOUT,
    };
    headless::render(session, options, &script).await
}

/// Renders `shot` and writes it to `path` (replacing it); returns its size.
pub async fn write(shot: &Shot, theme: &Theme, path: &Path) -> Result<usize, String> {
    let svg = render(shot, theme).await?;
    std::fs::write(path, &svg).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(svg.len())
}

/// Renders every picture of the [`GALLERY`] into `dir` (made if missing),
/// calling `done` with each file and its size as it is written.
pub async fn write_gallery(
    dir: &Path,
    theme: &Theme,
    mut done: impl FnMut(&Path, usize),
) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut written = Vec::new();
    for entry in GALLERY {
        let path = dir.join(entry.file);
        let size = write(&entry.shot(), theme, &path)
            .await
            .map_err(|e| format!("{}: {e}", entry.file))?;
        done(&path, size);
        written.push(path);
    }
    Ok(written)
}

/// `--view`: a view by its name.
pub fn parse_view(text: &str) -> Result<View, String> {
    View::ALL
        .into_iter()
        .find(|v| v.title().eq_ignore_ascii_case(text))
        .ok_or_else(|| {
            let names: Vec<String> = View::ALL.iter().map(|v| v.title().to_lowercase()).collect();
            format!("unknown view {text:?} (known: {})", names.join(", "))
        })
}

/// `--size`: `COLUMNSxROWS`, at least what the console needs to show more
/// than "too small".
pub fn parse_size(text: &str) -> Result<(u16, u16), String> {
    let bad = || format!("--size wants COLUMNSxROWS like 160x45, not {text:?}");
    let (w, h) = text.split_once(['x', 'X']).ok_or_else(bad)?;
    let (w, h): (u16, u16) = (
        w.trim().parse().map_err(|_| bad())?,
        h.trim().parse().map_err(|_| bad())?,
    );
    let (min_w, min_h) = (crate::ui::MIN_WIDTH, crate::ui::MIN_HEIGHT);
    if w < min_w || h < min_h || w > 1000 || h > 500 {
        return Err(format!(
            "--size {w}x{h}: the console needs {min_w}x{min_h} to 1000x500"
        ));
    }
    Ok((w, h))
}

/// `--at`: how far into the story, as `90` (seconds), `90s`, `5m`,
/// `1h30m`: whole hours, minutes and seconds in jiff's compact "friendly"
/// form, at most a day.
pub fn parse_at(text: &str) -> Result<Duration, String> {
    let bad = || format!("--at wants a duration like 300, 90s, 5m or 1h30m, not {text:?}");
    let text = text.trim();
    let at = if let Ok(secs) = text.parse::<u64>() {
        Duration::from_secs(secs)
    } else if text
        .bytes()
        .all(|b| b.is_ascii_digit() || b"hms".contains(&b))
    {
        jiff::fmt::friendly::SpanParser::new()
            .parse_unsigned_duration(text)
            .map_err(|e| format!("{}: {e}", bad()))?
    } else {
        // Only the documented units: jiff would also read `5 minutes`.
        return Err(bad());
    };
    if at > Duration::from_secs(24 * 3600) {
        return Err(format!("--at {text}: at most a day into the story"));
    }
    Ok(at)
}

/// `300 s` as `5m`, `90 s` as `1m30s`.
fn format_at(at: Duration) -> String {
    let s = at.as_secs();
    match (s / 60, s % 60) {
        (0, s) => format!("{s}s"),
        (m, 0) => format!("{m}m"),
        (m, s) => format!("{m}m{s}s"),
    }
}

#[cfg(test)]
mod tests;
