//! Puts the git revision into `warroom --version`:
//! `0.1.0 (git 1a2b3c4-dirty, 2026-03-02)` (the commit's date). Outside a
//! git checkout (a crates.io tarball, git not installed) it is just the
//! version: this script never fails the build.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_else(|_| "0.0.0".into());
    let described = match revision() {
        Some(rev) => format!("{version} ({rev})"),
        None => version,
    };
    println!("cargo:rustc-env=WARROOM_VERSION={described}");
    println!("cargo:rerun-if-changed=build.rs");
}

/// `git <rev>[-dirty], <date>`, or `None` without a usable checkout.
fn revision() -> Option<String> {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    // A packaged crate may sit inside someone else's repository: its
    // revision would be theirs.
    if manifest.join(".cargo_vcs_info.json").exists() {
        return None;
    }
    let top = PathBuf::from(git(&manifest, &["rev-parse", "--show-toplevel"])?);
    if !same_dir(&top, &manifest) {
        return None;
    }
    watch_git(&manifest);
    let rev = git(&manifest, &["rev-parse", "--short", "HEAD"])?;
    let date = git(&manifest, &["log", "-1", "--format=%cs", "HEAD"])?;
    // Uncommitted changes to tracked files; untracked ones do not count.
    let dirty = git(
        &manifest,
        &["status", "--porcelain", "--untracked-files=no"],
    )
    .is_some_and(|s| !s.is_empty());
    let mark = if dirty { "-dirty" } else { "" };
    Some(format!("git {rev}{mark}, {date}"))
}

/// Reruns this script when HEAD moves (a commit, a checkout) and when
/// tracked files may have changed (the `-dirty` mark): the worktree's HEAD,
/// the branch it points to (loose or packed), the index, and the sources.
fn watch_git(manifest: &Path) {
    let mut paths = Vec::new();
    if let Some(dir) = git(manifest, &["rev-parse", "--absolute-git-dir"]) {
        let dir = PathBuf::from(dir);
        paths.push(dir.join("HEAD"));
        paths.push(dir.join("index"));
    }
    if let Some(common) = git(manifest, &["rev-parse", "--git-common-dir"]) {
        let common = manifest.join(common);
        paths.push(common.join("packed-refs"));
        if let Some(head_ref) = git(manifest, &["symbolic-ref", "-q", "HEAD"]) {
            paths.push(common.join(head_ref));
        }
    }
    for path in paths.into_iter().filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    for tracked in ["Cargo.toml", "src", "themes", "keymaps"] {
        if manifest.join(tracked).exists() {
            println!("cargo:rerun-if-changed={tracked}");
        }
    }
}

/// One line of `git` output in `dir`, or `None` if git is missing or fails.
///
/// Read-only: `--no-optional-locks` keeps `git status` from refreshing
/// `.git/index`, which this script watches — a refreshed index would make
/// the next cargo command run the script and compile the crate again (after
/// a fresh clone, every clone).
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("--no-optional-locks")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    Some(text.trim().to_string())
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
