//! `warroom screenshot` through the real binary: the whole gallery is made
//! again into a temp dir on every run, so the generator cannot rot, and
//! each picture is read back as XML and as a screen of text: the incident
//! it is meant to show is on it, in colour.
//!
//! `WARROOM_UPDATE_SCREENSHOTS=1 cargo test --test screenshots` writes the
//! gallery into the repository's `screenshots/` instead: that is how the
//! committed pictures are made (the same as `warroom screenshot --all
//! screenshots`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use unicode_width::UnicodeWidthChar;
use warroom::screenshot::GALLERY;

/// The grid of the default canvas (`svg::Canvas::default`).
const PAD: f64 = 12.0;
const CELL_W: f64 = 8.4;
const CELL_H: f64 = 17.0;
const BASELINE: f64 = 13.0;

/// The binary with nothing of the user's (no config, theme or colour
/// preference from the environment), run from the temp home: the pictures
/// need no file of the repository, as an installed binary has none.
fn warroom(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(args)
        .current_dir(home)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("WARROOM_DATA_DIR", home.join("data"))
        .env_remove("WARROOM_CONFIG")
        .env_remove("WARROOM_THEME")
        .env_remove("NO_COLOR")
        .env_remove("KUBECONFIG")
        .env("TZ", "UTC")
        .output()
        .expect("the warroom binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A picture read back: its rows as text, and the colours it uses.
struct Picture {
    svg: String,
    rows: Vec<String>,
    /// Class name → its CSS (`fill:#ff5f5f;font-weight:bold`).
    classes: BTreeMap<String, String>,
    /// Every distinct fill colour of text and backgrounds.
    fills: BTreeSet<String>,
}

impl Picture {
    fn read(path: &Path) -> Picture {
        let svg = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("{} is readable: {e}", path.display()));
        let doc = roxmltree::Document::parse(&svg)
            .unwrap_or_else(|e| panic!("{} is well-formed XML: {e}", path.display()));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg", "{}", path.display());
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2000/svg")
        );
        let width: f64 = root.attribute("width").unwrap().parse().unwrap();
        let height: f64 = root.attribute("height").unwrap().parse().unwrap();
        let cols = ((width - 2.0 * PAD) / CELL_W).round() as usize;
        let lines = ((height - 2.0 * PAD) / CELL_H).round() as usize;
        let style = root
            .descendants()
            .find(|n| n.has_tag_name("style"))
            .and_then(|n| n.text())
            .expect("a <style>");
        let classes: BTreeMap<String, String> = style
            .lines()
            .filter_map(|l| l.strip_prefix('.'))
            .filter_map(|l| l.split_once('{'))
            .map(|(class, css)| (class.to_string(), css.trim_end_matches('}').to_string()))
            .collect();
        let fills = classes
            .values()
            .filter_map(|css| css.split(';').find_map(|p| p.strip_prefix("fill:")))
            .map(String::from)
            .collect();
        let mut grid = vec![vec![' '; cols]; lines];
        for t in root.descendants().filter(|n| n.has_tag_name("text")) {
            let x: f64 = t.attribute("x").unwrap().parse().unwrap();
            let y: f64 = t.attribute("y").unwrap().parse().unwrap();
            let class = t.attribute("class").unwrap();
            assert!(classes.contains_key(class), "class {class} is declared");
            let content = t.text().unwrap_or_default();
            let cells: usize = content.chars().map(|c| c.width().unwrap_or(1)).sum();
            let stretched: f64 = t.attribute("textLength").unwrap().parse().unwrap();
            assert!(
                (stretched - cells as f64 * CELL_W).abs() < 0.05,
                "{content:?} is stretched to its {cells} cells"
            );
            let row = ((y - PAD - BASELINE) / CELL_H).round() as usize;
            let mut col = ((x - PAD) / CELL_W).round() as usize;
            for c in content.chars() {
                grid[row][col] = c;
                col += c.width().unwrap_or(1);
            }
        }
        let rows = grid
            .into_iter()
            .map(|r| r.into_iter().collect::<String>().trim_end().to_string())
            .collect();
        Picture {
            svg,
            rows,
            classes,
            fills,
        }
    }

    fn screen(&self) -> String {
        self.rows.join("\n")
    }

    fn assert_shows(&self, name: &str, expected: &[&str]) {
        let screen = self.screen();
        for e in expected {
            assert!(screen.contains(e), "{name} shows {e:?}:\n{screen}");
        }
    }

    /// The CSS of the text element holding `needle`.
    fn css_of(&self, needle: &str) -> &str {
        let doc = self
            .svg
            .lines()
            .find(|l| l.starts_with("<text") && l.contains(needle))
            .unwrap_or_else(|| panic!("a text element holds {needle:?}"));
        let class = doc
            .split("class=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap();
        &self.classes[class]
    }
}

/// What each picture of the gallery must show.
fn expectations() -> BTreeMap<&'static str, Vec<&'static str>> {
    BTreeMap::from([
        (
            "oom-loop-pods.svg",
            vec![
                "2 pods OOMKilled",
                "notification-service-",
                "CrashLoopBackOff",
                "OOMKilled exit 137",
                "09:05:00",
            ],
        ),
        (
            "oom-loop-alerts.svg",
            vec![
                "5 Alerts 4",
                "critical · 4",
                "OOMKilled",
                "CrashLoopBackOff",
            ],
        ),
        (
            "oom-loop-previous-logs.svg",
            vec!["previous container", "memory usage high", "limit_mib=512"],
        ),
        (
            "bad-deploy-workloads.svg",
            vec!["checkout-service", "stalled: ProgressDeadlineExceeded"],
        ),
        (
            "bad-deploy-history.svg",
            vec![
                "Rollout · Deployment production/checkout-service",
                "DATABASE_URL removed",
                "2.2.0 → 2.3.0",
            ],
        ),
        (
            "bad-deploy-logs.svg",
            vec![
                "Logs · pod checkout-service-",
                "DATABASE_URL environment variable not set",
                "readiness check failed",
            ],
        ),
        (
            "bad-deploy-events.svg",
            vec!["3 Events", "Unhealthy", "Readiness probe failed"],
        ),
        (
            "node-pressure-nodes.svg",
            // Node events come from `default` although the console shows
            // production; requests count every namespace's pods.
            vec![
                "4 Nodes 3",
                "node-3",
                "MemoryPressure",
                "NodeHasInsufficientMemory",
                "requested:",
            ],
        ),
        (
            "image-pull-pods.svg",
            vec!["ImagePullBackOff", "Deployment worker", "worker:2.5.0"],
        ),
    ])
}

fn repository_screenshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots")
}

#[test]
fn the_gallery_is_made_again_and_shows_each_incident_in_colour() {
    let home = tempfile::tempdir().unwrap();
    let update = std::env::var_os("WARROOM_UPDATE_SCREENSHOTS").is_some_and(|v| v == "1");
    let out = tempfile::tempdir().unwrap();
    let dir = if update {
        repository_screenshots()
    } else {
        out.path().to_path_buf()
    };
    let run = warroom(home.path(), &["screenshot", "--all", dir.to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let printed = text(&run.stdout);

    let expected = expectations();
    let gallery: BTreeSet<&str> = GALLERY.iter().map(|g| g.file).collect();
    assert_eq!(
        gallery,
        expected.keys().copied().collect(),
        "every picture has its expectations"
    );
    for (file, shows) in &expected {
        let path = dir.join(file);
        assert!(printed.contains(&path.display().to_string()), "{printed}");
        let picture = Picture::read(&path);
        picture.assert_shows(file, shows);
        assert!(
            picture.fills.len() >= 6,
            "{file} is in colour: {:?}",
            picture.fills
        );
        // Small enough to keep in the repository: runs are merged.
        assert!(
            picture.svg.len() < 60_000,
            "{file}: {} bytes",
            picture.svg.len()
        );
    }

    // The OOMKill stands out: its own colour, bold, on a background of its own.
    let oom = Picture::read(&dir.join("oom-loop-pods.svg"));
    let plain = oom.css_of("api-server-").to_string();
    let killed = oom.css_of("OOMKilled exit 137");
    assert_ne!(killed, plain);
    assert!(killed.contains("font-weight:bold"), "{killed}");
    assert!(
        oom.svg.contains("<rect class=\"b"),
        "cells with a background"
    );

    // What is committed is what the gallery makes.
    let committed: BTreeSet<String> = std::fs::read_dir(repository_screenshots())
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".svg"))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        committed,
        gallery.iter().map(|s| s.to_string()).collect(),
        "screenshots/ holds the gallery (WARROOM_UPDATE_SCREENSHOTS=1 remakes it)"
    );
    // And each committed picture is what the console draws today: a change
    // to the screen shows up here, and the README's pictures never go stale.
    for file in &gallery {
        let made = std::fs::read_to_string(dir.join(file)).unwrap();
        let kept = std::fs::read_to_string(repository_screenshots().join(file)).unwrap();
        assert!(
            made == kept,
            "screenshots/{file} is not what the console draws now; look at the change, then \
             WARROOM_UPDATE_SCREENSHOTS=1 cargo test --test screenshots"
        );
    }

    // One picture by its own arguments is the gallery's, byte for byte:
    // the same arguments make the same picture.
    let single = out.path().join("single.svg");
    let run = warroom(
        home.path(),
        &[
            "screenshot",
            "--scenario",
            "oom-loop",
            "--view",
            "pods",
            "--at",
            "5m",
            "--size",
            "160x45",
            "-o",
            single.to_str().unwrap(),
        ],
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert_eq!(
        std::fs::read_to_string(&single).unwrap(),
        oom.svg,
        "the same arguments, the same picture"
    );
}

#[test]
fn keys_and_sizes_it_cannot_use_are_refused_in_a_sentence() {
    let home = tempfile::tempdir().unwrap();
    let target = home.path().join("x.svg");
    let out = warroom(
        home.path(),
        &[
            "screenshot",
            "--keys",
            "<nope>",
            "-o",
            target.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("unknown key <nope>"), "{err}");
    assert!(!target.exists(), "nothing written");

    let out = warroom(
        home.path(),
        &["screenshot", "--size", "20x5", "-o", "x.svg"],
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("the console needs"));

    let out = warroom(home.path(), &["screenshot"]);
    assert!(!out.status.success(), "-o or --all is required");
}
