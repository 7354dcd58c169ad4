//! Time zones by IANA name, read from the system's zoneinfo files.
//!
//! warroom builds jiff without its time zone database features (one less
//! thing to bundle), so names are looked up here, in `$TZDIR` and the usual
//! zoneinfo directories, and parsed with [`TimeZone::tzif`]. The journal
//! stores times as UTC timestamps; a zone only matters for what people read.

use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;

/// Where Unix systems keep compiled zone files.
const ZONEINFO_DIRS: [&str; 4] = [
    "/usr/share/zoneinfo",
    "/usr/lib/zoneinfo",
    "/usr/share/lib/zoneinfo",
    "/etc/zoneinfo",
];

/// The zone named `name` (`Europe/Berlin`, `UTC`), or `None` when the name
/// is not a zone this machine knows.
pub fn load(name: &str) -> Option<TimeZone> {
    if is_utc(name) {
        return Some(TimeZone::UTC);
    }
    if !plausible(name) {
        return None;
    }
    zoneinfo_dirs().into_iter().find_map(|dir| {
        let data = std::fs::read(dir.join(name)).ok()?;
        TimeZone::tzif(name, &data).ok()
    })
}

/// The IANA name of this machine's zone: `$TZ` when it names one, else
/// where `/etc/localtime` points, else `/etc/timezone`, else `UTC`.
pub fn local_name() -> String {
    if let Some(tz) = std::env::var_os("TZ") {
        let tz = tz.to_string_lossy();
        let tz = tz.strip_prefix(':').unwrap_or(&tz);
        if load(tz).is_some() {
            return tz.to_string();
        }
    }
    if let Ok(target) = std::fs::read_link("/etc/localtime")
        && let Some(name) = name_from_zoneinfo_path(&target)
        && load(&name).is_some()
    {
        return name;
    }
    if let Ok(text) = std::fs::read_to_string("/etc/timezone") {
        let name = text.trim();
        if load(name).is_some() {
            return name.to_string();
        }
    }
    "UTC".to_string()
}

fn is_utc(name: &str) -> bool {
    ["UTC", "Etc/UTC", "Z", "Zulu", "Etc/Zulu", "GMT", "Etc/GMT"]
        .iter()
        .any(|u| u.eq_ignore_ascii_case(name))
}

/// A name that can only mean a file under a zoneinfo directory: relative,
/// no `..`, the characters IANA names use.
fn plausible(name: &str) -> bool {
    !name.is_empty()
        && name.len() < 128
        && !name.starts_with('/')
        && name.split('/').all(|part| !part.is_empty() && part != "..")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_-+.".contains(c))
}

fn zoneinfo_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("TZDIR").filter(|d| !d.is_empty()) {
        dirs.push(PathBuf::from(dir));
    }
    dirs.extend(ZONEINFO_DIRS.iter().map(PathBuf::from));
    dirs
}

/// `Europe/Berlin` from `/usr/share/zoneinfo/Europe/Berlin` (or
/// `../usr/share/zoneinfo/…`, as `/etc/localtime` links often are).
fn name_from_zoneinfo_path(path: &Path) -> Option<String> {
    let text = path.to_str()?;
    let (_, name) = text.rsplit_once("zoneinfo/")?;
    // Some systems keep `posix/` and `right/` variants side by side.
    let name = name
        .strip_prefix("posix/")
        .or_else(|| name.strip_prefix("right/"))
        .unwrap_or(name);
    Some(name.to_string())
}

#[cfg(test)]
mod tests;
