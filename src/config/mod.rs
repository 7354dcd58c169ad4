//! Where warroom reads its settings from, and `config.toml` itself.
//!
//! One file, in the platform's config directory (`directories`), or the file
//! named by `--config` / `WARROOM_CONFIG`. Every key is optional; a missing
//! file is the defaults. A broken file is an error naming `file:line:col`,
//! never a silent default: a typo in `readonly = true` must not leave a
//! production context writable.
//!
//! Themes (`theme`) live in the same directory, under `themes/`.

mod alerts;
pub mod cli;
mod file;
pub mod keymap;
mod patterns;
pub mod theme;

use std::path::{Path, PathBuf};

pub use alerts::{
    AlertmanagerConfig, AlertmanagerEntry, AlertsConfig, Auth, alertmanagers_for, name_from_url,
};
pub use file::{
    Config, ConfigError, ContextConfig, LogsConfig, Place, ReadonlyReason, SafetyConfig, UiConfig,
    line_col, toml_error,
};
pub use patterns::matches_production;

/// Environment variable naming the config file (beats the default place).
pub const CONFIG_ENV: &str = "WARROOM_CONFIG";

/// Environment variable naming the data directory (incident journals),
/// instead of the platform's place.
pub const DATA_DIR_ENV: &str = "WARROOM_DATA_DIR";

/// The directories warroom reads from and writes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// `config.toml`, user themes and keymaps.
    pub config_dir: PathBuf,
    /// Incident journals and the diagnostics log.
    pub data_dir: PathBuf,
}

impl Paths {
    /// The platform's places (`~/.config/warroom`, `~/.local/share/warroom`
    /// on Linux), the data directory replaced by `$WARROOM_DATA_DIR` when it
    /// is set; `None` when there is no home directory.
    pub fn platform() -> Option<Paths> {
        let dirs = directories::ProjectDirs::from("", "", "warroom")?;
        let data_dir = std::env::var_os(DATA_DIR_ENV)
            .filter(|d| !d.is_empty())
            .map_or_else(|| dirs.data_dir().to_path_buf(), PathBuf::from);
        Some(Paths {
            config_dir: dirs.config_dir().to_path_buf(),
            data_dir,
        })
    }

    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    /// The diagnostics log (`--debug`, `$WARROOM_LOG`); older parts are
    /// moved aside beside it as `warroom.log.1`, `.2`, ….
    pub fn log_file(&self) -> PathBuf {
        self.data_dir.join("logs").join("warroom.log")
    }
}

/// The config file to read: `explicit` (the `--config` flag), then
/// `$WARROOM_CONFIG`, then the platform's place. `required` says whether a
/// missing file is an error (it is when the user named it).
pub fn config_location(explicit: Option<&Path>) -> Option<(PathBuf, bool)> {
    if let Some(p) = explicit {
        return Some((p.to_path_buf(), true));
    }
    if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Some((PathBuf::from(p), true));
    }
    Paths::platform().map(|p| (p.config_file(), false))
}

/// The `*.toml` files in `dir`, sorted; none when it does not exist.
pub fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    files.sort();
    files
}

/// Where user themes and keymaps live: `themes/` and `keymaps/` beside
/// the config file in use (so `--config /etc/warroom/config.toml` reads
/// `/etc/warroom/keymaps/`).
pub fn user_dir(explicit: Option<&Path>) -> Option<PathBuf> {
    let (file, _) = config_location(explicit)?;
    Some(
        file.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
    )
}

/// The keymap to use: `--keymap` (or `$WARROOM_KEYMAP`, which the flag
/// reads), then `[ui] keymap`, then `default`; read from
/// `<user_dir>/keymaps/` or the shipped ones. An error names file:line:col.
pub fn choose_keymap(
    flag: Option<&str>,
    config: &Config,
    user_dir: Option<&Path>,
) -> Result<keymap::Keymap, String> {
    let (name, _, at) = keymap_named(flag, Some(&config.ui));
    let dir = user_dir.map(|d| d.join("keymaps"));
    keymap::load(name, dir.as_deref()).map_err(|e| e.named_at(at).to_string())
}

/// The keymap's name, what chose it, and where the config file named it:
/// `--keymap` (or `$WARROOM_KEYMAP`), then `[ui] keymap`, then `default`.
pub(crate) fn keymap_named<'a>(
    flag: Option<&'a str>,
    ui: Option<&'a UiConfig>,
) -> (&'a str, &'static str, Option<&'a Place>) {
    match (
        flag.filter(|f| !f.is_empty()),
        ui.and_then(|u| u.keymap.as_deref()),
    ) {
        (Some(f), _) => (f, "--keymap or $WARROOM_KEYMAP", None),
        (None, Some(n)) => (
            n,
            "[ui] keymap in config.toml",
            ui.and_then(|u| u.keymap_at.as_ref()),
        ),
        (None, None) => (keymap::DEFAULT_NAME, "the default", None),
    }
}

/// Reads the config from where [`config_location`] says. A missing optional
/// file gives the defaults.
pub fn load(explicit: Option<&Path>) -> Result<Config, String> {
    load_from(config_location(explicit))
}

/// Reads the config from `location` (a path and whether it must exist),
/// as [`config_location`] gives it.
pub fn load_from(location: Option<(PathBuf, bool)>) -> Result<Config, String> {
    let Some((path, required)) = location else {
        return Ok(Config::default());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => Config::parse(&text, &path).map_err(|e| e.to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => Ok(Config::default()),
        Err(e) => Err(format!("cannot read config {}: {e}", path.display())),
    }
}
