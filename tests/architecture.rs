//! The floors of `docs/ARCHITECTURE.md`, checked: which folder of `src/`
//! may use which. An import that runs up a floor, or a cycle between
//! folders, fails here with the file that made it.
//!
//! Imports are read as text (`crate::<folder>` anywhere in a file,
//! comments left out); test code (`tests.rs`, `tests/`, fixtures) may use
//! the sim as its cluster and is not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every non-test source file under `src/`, by its top-level folder (or
/// file stem for `src/x.rs`).
fn sources() -> BTreeMap<String, Vec<PathBuf>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                if name != "tests" && name != "fixtures" && name != "snapshots" {
                    stack.push(path);
                }
                continue;
            }
            if !name.ends_with(".rs") || name == "tests.rs" || name == "fixtures.rs" {
                continue;
            }
            let rel = path.strip_prefix(&root).expect("under src/");
            let top = rel
                .components()
                .next()
                .and_then(|c| c.as_os_str().to_str())
                .unwrap_or("")
                .trim_end_matches(".rs")
                .to_string();
            out.entry(top).or_default().push(path);
        }
    }
    out
}

/// The crate's folders a file's code names, besides its own.
fn uses(path: &Path, folders: &BTreeSet<String>, own: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).expect("a readable source file");
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a::X, b}`: every first segment.
                let inner = group.split('}').next().unwrap_or("");
                for part in inner.split(',') {
                    let name = part.trim().split("::").next().unwrap_or("");
                    if folders.contains(name) && name != own {
                        found.insert(name.to_string());
                    }
                }
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if folders.contains(&name) && name != own {
                found.insert(name);
            }
        }
    }
    found
}

/// folder → (folder it uses → the files that do).
fn graph() -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let sources = sources();
    let folders: BTreeSet<String> = sources.keys().cloned().collect();
    let mut out: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (folder, files) in &sources {
        let edges = out.entry(folder.clone()).or_default();
        for file in files {
            for used in uses(file, &folders, folder) {
                edges
                    .entry(used)
                    .or_default()
                    .push(file.display().to_string());
            }
        }
    }
    out
}

/// Fails naming every file in `from` that uses one of `forbidden`.
fn forbid(graph: &BTreeMap<String, BTreeMap<String, Vec<String>>>, from: &str, forbidden: &[&str]) {
    let edges = graph
        .get(from)
        .unwrap_or_else(|| panic!("no folder src/{from}"));
    let bad: Vec<String> = forbidden
        .iter()
        .filter_map(|f| {
            edges
                .get(*f)
                .map(|files| format!("{from} -> {f}: {}", files.join(", ")))
        })
        .collect();
    assert!(bad.is_empty(), "arrows pointing up:\n{}", bad.join("\n"));
}

/// Everything but `allowed` (and itself).
fn only(graph: &BTreeMap<String, BTreeMap<String, Vec<String>>>, from: &str, allowed: &[&str]) {
    let others: Vec<&str> = graph
        .keys()
        .map(String::as_str)
        .filter(|f| *f != from && !allowed.contains(f))
        .collect();
    forbid(graph, from, &others);
}

#[test]
fn model_is_the_ground_floor() {
    only(&graph(), "model", &[]);
}

#[test]
fn the_sim_knows_only_the_model() {
    only(&graph(), "sim", &["model"]);
}

/// Inside the sim: api over cluster over store. A layer names those below
/// it (`crate::sim::<layer>`), never one above.
#[test]
fn the_sims_layers_point_down() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sim");
    let layers = ["api", "cluster", "store"];
    for (at, layer) in layers.iter().enumerate() {
        let above = &layers[..at];
        let mut stack = vec![root.join(layer)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src/sim is readable") {
                let path = entry.expect("a directory entry").path();
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if path.is_dir() {
                    if name != "tests" {
                        stack.push(path);
                    }
                    continue;
                }
                if !name.ends_with(".rs") || name == "tests.rs" {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("readable");
                for up in above {
                    assert!(
                        !text.contains(&format!("crate::sim::{up}")),
                        "{} (sim/{layer}) uses sim/{up}, a layer above it",
                        path.display()
                    );
                }
            }
        }
    }
}

#[test]
fn the_reducer_does_no_io_and_draws_nothing() {
    forbid(
        &graph(),
        "state",
        &[
            "ui",
            "cluster",
            "alerts",
            "app",
            "sim",
            "diagnostics",
            "screenshot",
        ],
    );
    // The journal's entry types are data; its I/O (the journal file, the
    // writer thread, exports, the CLI) is not for the reducer.
    let files = sources();
    for file in &files["state"] {
        let text = std::fs::read_to_string(file).expect("readable");
        for io in [
            "crate::timeline::journal",
            "crate::timeline::writer",
            "crate::timeline::cli",
            "crate::timeline::export",
            "JournalWriter",
        ] {
            assert!(
                !text.contains(io),
                "{} uses {io}: the reducer does no I/O",
                file.display()
            );
        }
    }
}

#[test]
fn io_modules_speak_their_own_events() {
    let g = graph();
    for io in ["cluster", "alerts", "timeline"] {
        forbid(&g, io, &["state", "ui", "app", "screenshot"]);
    }
}

#[test]
fn config_is_below_state_and_ui() {
    forbid(
        &graph(),
        "config",
        &["state", "ui", "app", "cluster", "alerts", "timeline"],
    );
}

#[test]
fn keys_and_ui_stay_in_their_places() {
    let g = graph();
    only(&g, "keys", &[]);
    forbid(
        &g,
        "ui",
        &["cluster", "alerts", "app", "sim", "diagnostics"],
    );
}

#[test]
fn no_cycle_between_folders() {
    let g = graph();
    // Depth-first search for a path back to where it started.
    fn reaches(
        g: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
        from: &str,
        to: &str,
        seen: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> bool {
        for next in g.get(from).map(|e| e.keys()).into_iter().flatten() {
            path.push(next.clone());
            if next == to {
                return true;
            }
            if seen.insert(next.clone()) && reaches(g, next, to, seen, path) {
                return true;
            }
            path.pop();
        }
        false
    }
    for start in g.keys() {
        let mut path = vec![start.clone()];
        if reaches(&g, start, start, &mut BTreeSet::new(), &mut path) {
            panic!("an import cycle: {}", path.join(" -> "));
        }
    }
}
