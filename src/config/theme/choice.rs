//! Which theme the console uses: `--theme NAME`, then `$WARROOM_THEME`,
//! then `[ui] theme` in config.toml, then `mono` when `$NO_COLOR` is set,
//! then `default`.
//!
//! no-color.org asks that `NO_COLOR` (set and not empty) turn colour off
//! by default, and that an explicit choice by the user (a flag, their
//! environment, their config file) still win over it. crossterm honours
//! `NO_COLOR` on its own by writing no colour codes at all, so when an
//! explicit theme wins, the console tells crossterm to write them again.

use std::path::Path;

use super::{LoadedTheme, load_theme_layers};
use crate::config::theme::Theme;
use crate::config::{Config, ConfigError, Place, UiConfig};

/// Environment variable naming the theme (beats the config file).
pub const THEME_ENV: &str = "WARROOM_THEME";

/// The environment the choice depends on, read once (tests make their own).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeEnv {
    /// `$WARROOM_THEME`.
    pub theme: Option<String>,
    /// `$NO_COLOR`.
    pub no_color: Option<String>,
}

impl ThemeEnv {
    pub fn from_process() -> ThemeEnv {
        let var = |name: &str| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
        ThemeEnv {
            theme: var(THEME_ENV),
            no_color: var("NO_COLOR"),
        }
    }

    /// `NO_COLOR` counts when it is set to anything but the empty string.
    pub fn no_color(&self) -> bool {
        self.no_color.as_deref().is_some_and(|v| !v.is_empty())
    }
}

/// What picked the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeSource {
    Flag,
    Env,
    Config,
    NoColor,
    Default,
}

impl ThemeSource {
    pub fn describe(self) -> &'static str {
        match self {
            ThemeSource::Flag => "--theme",
            ThemeSource::Env => "$WARROOM_THEME",
            ThemeSource::Config => "[ui] theme in config.toml",
            ThemeSource::NoColor => "$NO_COLOR",
            ThemeSource::Default => "the default",
        }
    }

    /// Chosen by the user for this console, rather than a default.
    pub fn explicit(self) -> bool {
        matches!(
            self,
            ThemeSource::Flag | ThemeSource::Env | ThemeSource::Config
        )
    }
}

/// A theme's name and what chose it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeChoice {
    pub name: String,
    pub source: ThemeSource,
    /// `NO_COLOR` was set.
    pub no_color: bool,
    /// Where the config file named it, when it did.
    pub at: Option<Place>,
}

impl ThemeChoice {
    /// The user chose a theme over `NO_COLOR`: crossterm must be told to
    /// write colours after all (it drops them whenever `NO_COLOR` is set).
    pub fn forces_colour(&self) -> bool {
        self.no_color && self.source.explicit()
    }

    /// Remembers where the config file named the theme, when the choice
    /// came from there (so an unknown name is reported at that line).
    pub fn named_in(mut self, ui: &UiConfig) -> ThemeChoice {
        if self.source == ThemeSource::Config {
            self.at = ui.theme_at.clone();
        }
        self
    }
}

/// The theme to use: `flag` (`--theme`), then `$WARROOM_THEME`, then
/// `config` (`[ui] theme`), then `mono` under `NO_COLOR`, then `default`.
/// An empty `$WARROOM_THEME` counts as unset.
pub fn choose_theme(flag: Option<&str>, config: Option<&str>, env: &ThemeEnv) -> ThemeChoice {
    let no_color = env.no_color();
    let env_theme = env.theme.as_deref().filter(|t| !t.is_empty());
    let (name, source) = if let Some(name) = flag {
        (name, ThemeSource::Flag)
    } else if let Some(name) = env_theme {
        (name, ThemeSource::Env)
    } else if let Some(name) = config {
        (name, ThemeSource::Config)
    } else if no_color {
        ("mono", ThemeSource::NoColor)
    } else {
        ("default", ThemeSource::Default)
    };
    ThemeChoice {
        name: name.to_string(),
        source,
        no_color,
        at: None,
    }
}

/// Loads the chosen theme from `config_dir` (or the shipped ones). When
/// `NO_COLOR` chose it, every colour is taken out, even ones a user's own
/// `mono.toml` added: `NO_COLOR` means no colour.
pub fn select(choice: &ThemeChoice, config_dir: Option<&Path>) -> Result<LoadedTheme, ConfigError> {
    let mut loaded =
        load_theme_layers(&choice.name, config_dir).map_err(|e| e.named_at(choice.at.as_ref()))?;
    if choice.source == ThemeSource::NoColor {
        loaded.theme = loaded.theme.without_colour();
    }
    Ok(loaded)
}

/// The console's theme at start-up, from the process's flag, environment,
/// config and `user_dir` (the directory of the config file, whose
/// `themes/` holds the user's themes); tells crossterm to write colours
/// when an explicit choice overrides `NO_COLOR`.
pub fn console_theme(
    flag: Option<&str>,
    config: &Config,
    user_dir: Option<&Path>,
) -> Result<Theme, String> {
    let choice = choose_theme(flag, config.ui.theme.as_deref(), &ThemeEnv::from_process())
        .named_in(&config.ui);
    let loaded = select(&choice, user_dir).map_err(|e| e.to_string())?;
    if choice.forces_colour() {
        crossterm::style::force_color_output(true);
    }
    Ok(loaded.theme)
}
