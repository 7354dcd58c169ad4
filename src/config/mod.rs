//! Where warroom reads its settings from, and `config.toml` itself.
//!
//! One file, in the platform's config directory (`directories`), or the file
//! named by `--config` / `WARROOM_CONFIG`. Every key is optional; a missing
//! file is the defaults. A broken file is an error naming `file:line:col`,
//! never a silent default: a typo in `readonly = true` must not leave a
//! production context writable.

mod alerts;
mod file;
mod patterns;

use std::path::{Path, PathBuf};

pub use alerts::{AlertmanagerEntry, AlertsConfig, alertmanagers_for, name_from_url};
pub use file::{
    Config, ConfigError, ContextConfig, LogsConfig, ReadonlyReason, SafetyConfig, UiConfig,
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
    /// Incident journals.
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

/// Reads the config from where [`config_location`] says. A missing optional
/// file gives the defaults.
pub fn load(explicit: Option<&Path>) -> Result<Config, String> {
    let Some((path, required)) = config_location(explicit) else {
        return Ok(Config::default());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => Config::parse(&text, &path).map_err(|e| e.to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => Ok(Config::default()),
        Err(e) => Err(format!("cannot read config {}: {e}", path.display())),
    }
}
