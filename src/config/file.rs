//! `config.toml`: what it may contain, its defaults, and errors that name
//! `file:line:col`.
//!
//! ```toml
//! [logs]
//! buffer_lines = 10000      # lines kept per log view
//! max_streams = 50          # containers tailed at once
//!
//! [safety]
//! readonly = false          # every context read-only
//! production_patterns = ["prod", "production"]
//!
//! [contexts."gke_acme-prod_europe-west1"]
//! readonly = true
//!
//! [ui]
//! theme = "default"         # default, light, high-contrast, colorblind, mono, or your own
//! keymap = "default"        # default (k9s habits), vim, or your own
//! mouse = true              # click rows and tabs, scroll with the wheel
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub logs: LogsConfig,
    pub safety: SafetyConfig,
    /// Settings for one kubeconfig context, by its name.
    pub contexts: BTreeMap<String, ContextConfig>,
    pub alerts: super::alerts::AlertsConfig,
    /// `[[alertmanager]]` entries.
    pub alertmanager: Vec<super::alerts::AlertmanagerEntry>,
    /// Thresholds of the built-in detectors.
    pub detectors: crate::model::detectors::DetectorConfig,
    /// Theme, keymap and mouse.
    pub ui: UiConfig,
}

/// `[ui]`: how the console looks and which keys it takes.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UiConfig {
    /// A shipped theme's name or a file `themes/NAME.toml` in the config
    /// directory. `--theme` and `WARROOM_THEME` beat it; it beats
    /// `NO_COLOR`. `None` leaves the choice to `NO_COLOR` (`mono`), then
    /// `default` (see `config::theme::choose_theme`).
    pub theme: Option<String>,
    /// A shipped keymap's name or a file `keymaps/NAME.toml` in the config
    /// directory; `None` is `default`.
    pub keymap: Option<String>,
    /// Clicks select rows and tabs, the wheel scrolls. Off leaves the
    /// terminal's own selection alone.
    pub mouse: bool,
    /// Where `theme` was written, so an unknown name is reported there.
    #[serde(skip)]
    pub theme_at: Option<Place>,
    /// Where `keymap` was written.
    #[serde(skip)]
    pub keymap_at: Option<Place>,
}

impl Default for UiConfig {
    fn default() -> UiConfig {
        UiConfig {
            theme: None,
            keymap: None,
            mouse: true,
            theme_at: None,
            keymap_at: None,
        }
    }
}

/// A place in a file: where a setting's value was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

/// The spans of `[ui]`'s names, read beside the config itself.
#[derive(Deserialize, Default)]
struct UiSpans {
    #[serde(default)]
    ui: UiNameSpans,
}

#[derive(Deserialize, Default)]
struct UiNameSpans {
    #[serde(default)]
    theme: Option<toml::Spanned<String>>,
    #[serde(default)]
    keymap: Option<toml::Spanned<String>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogsConfig {
    /// Lines kept per log view; older ones are dropped and counted.
    #[serde(deserialize_with = "buffer_lines")]
    pub buffer_lines: usize,
    /// Containers tailed at once (stern's default is 50).
    #[serde(deserialize_with = "max_streams")]
    pub max_streams: usize,
}

impl Default for LogsConfig {
    fn default() -> LogsConfig {
        LogsConfig {
            buffer_lines: 10_000,
            max_streams: 50,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SafetyConfig {
    /// Every context read-only unless `--write`.
    pub readonly: bool,
    /// Contexts matching these are read-only unless `--write` (see
    /// [`matches_production`](super::matches_production)).
    pub production_patterns: Vec<String>,
}

impl Default for SafetyConfig {
    fn default() -> SafetyConfig {
        SafetyConfig {
            readonly: false,
            production_patterns: vec!["prod".into(), "production".into()],
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContextConfig {
    /// `true`: read-only whatever its name; `false`: writable even if its
    /// name matches a production pattern.
    pub readonly: Option<bool>,
}

fn bounded<'de, D: Deserializer<'de>>(d: D, min: usize, max: usize) -> Result<usize, D::Error> {
    let n = i64::deserialize(d)?;
    if n < min as i64 || n > max as i64 {
        return Err(serde::de::Error::custom(format!(
            "must be between {min} and {max}, got {n}"
        )));
    }
    Ok(n as usize)
}

fn buffer_lines<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    bounded(d, 100, 1_000_000)
}

fn max_streams<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    bounded(d, 1, 500)
}

/// A config file that cannot be used, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based; 0 when the parser gave no position.
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The error is that a theme or keymap of this name does not exist (not
    /// that a file of it is broken): it belongs where the name was given.
    pub unknown_name: bool,
}

impl ConfigError {
    /// An unknown theme or keymap, moved to where the config file gave
    /// that name; any other error stays with the file it is about.
    pub fn named_at(self, place: Option<&Place>) -> ConfigError {
        match place {
            Some(p) if self.unknown_name => ConfigError {
                unknown_name: false,
                path: p.path.clone(),
                line: p.line,
                column: p.column,
                message: self.message,
            },
            _ => self,
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path.display(), self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.path.display(),
                self.line,
                self.column,
                self.message
            )
        }
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[start..].chars().count() + 1;
    (line, column)
}

/// A TOML error as `file:line:col: message`. Shared by every file warroom
/// reads (config, themes, keymaps).
pub fn toml_error(text: &str, path: &Path, error: &toml::de::Error) -> ConfigError {
    let (line, column) = error
        .span()
        .map(|span| line_col(text, span.start))
        .unwrap_or((0, 0));
    ConfigError {
        unknown_name: false,
        path: path.to_path_buf(),
        line,
        column,
        message: error.message().trim().to_string(),
    }
}

impl Config {
    /// Parses `text` read from `path` (the path is only for messages).
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| toml_error(text, path, &e))?;
        let spans: UiSpans = toml::from_str(text).unwrap_or_default();
        let place = |s: &toml::Spanned<String>| {
            let (line, column) = line_col(text, s.span().start);
            Place {
                path: path.to_path_buf(),
                line,
                column,
            }
        };
        config.ui.theme_at = spans.ui.theme.as_ref().map(place);
        config.ui.keymap_at = spans.ui.keymap.as_ref().map(place);
        Ok(config)
    }

    /// Whether `context` starts read-only: its own setting first, then the
    /// global one, then the production patterns. `write` (the `--write`
    /// flag) lifts the last two, never an explicit per-context `true`.
    pub fn readonly_for(&self, context: &str, write: bool) -> Option<ReadonlyReason> {
        match self.contexts.get(context).and_then(|c| c.readonly) {
            Some(true) => return Some(ReadonlyReason::ContextConfig),
            Some(false) => return None,
            None => {}
        }
        if write {
            return None;
        }
        if self.safety.readonly {
            return Some(ReadonlyReason::GlobalConfig);
        }
        if super::matches_production(context, &self.safety.production_patterns) {
            return Some(ReadonlyReason::Production);
        }
        None
    }
}

/// Why a session is read-only, said in the header and the help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadonlyReason {
    /// `--readonly`.
    Flag,
    /// `[contexts."…"] readonly = true`.
    ContextConfig,
    /// `[safety] readonly = true`.
    GlobalConfig,
    /// The context's name matches a production pattern.
    Production,
}

impl ReadonlyReason {
    /// A word or two for the header, beside the READ-ONLY badge.
    pub fn short(self) -> &'static str {
        match self {
            ReadonlyReason::Flag => "--readonly",
            ReadonlyReason::ContextConfig | ReadonlyReason::GlobalConfig => "by config",
            ReadonlyReason::Production => "production context",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            ReadonlyReason::Flag => "--readonly",
            ReadonlyReason::ContextConfig => "config: this context is read-only",
            ReadonlyReason::GlobalConfig => "config: safety.readonly",
            ReadonlyReason::Production => "production context (--write to change it)",
        }
    }
}

#[cfg(test)]
mod tests;
