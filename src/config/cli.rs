//! `warroom config path` and `warroom config check`: where warroom reads
//! its settings and keeps its data, and whether it can use them.
//!
//! Each kind of file (the config file, themes, keymaps) has its own
//! pair of functions, `*_places` and `check_*`, and the two commands call
//! them in turn: a new kind of file is one more call in each.

use std::path::{Path, PathBuf};

use super::theme::{self, ThemeChoice, ThemeEnv, choose_theme, user_theme_files, valid_name};
use super::{Config, Paths};

/// Everything the two commands look at, found once (tests build their own
/// instead of reading the process's environment).
#[derive(Debug, Clone)]
pub struct Places {
    /// The config file and whether the user named it (`--config`,
    /// `$WARROOM_CONFIG`); `None` without a home directory.
    pub config: Option<(PathBuf, bool)>,
    /// The platform's directories; `None` without a home directory.
    pub paths: Option<Paths>,
    /// `--theme`.
    pub theme_flag: Option<String>,
    pub theme_env: ThemeEnv,
    /// `--keymap` (or `$WARROOM_KEYMAP`, which the flag reads).
    pub keymap_flag: Option<String>,
}

impl Places {
    /// The places as the console would find them with these flags.
    pub fn from_process(
        config: Option<&Path>,
        theme_flag: Option<&str>,
        keymap_flag: Option<&str>,
    ) -> Places {
        Places {
            config: super::config_location(config),
            paths: Paths::platform(),
            theme_flag: theme_flag.map(str::to_string),
            theme_env: ThemeEnv::from_process(),
            keymap_flag: keymap_flag.map(str::to_string),
        }
    }

    /// Where the user's `themes/` and `keymaps/` are: beside the config
    /// file in use (the console reads them from there too).
    fn config_dir(&self) -> Option<&Path> {
        self.config
            .as_ref()
            .and_then(|(file, _)| file.parent())
            .filter(|p| !p.as_os_str().is_empty())
    }

    /// The user's keymaps directory.
    fn keymaps_dir(&self) -> Option<PathBuf> {
        self.config_dir().map(|d| d.join("keymaps"))
    }

    /// The keymap the console would use and what chose it.
    fn keymap_choice(&self, config: Option<&Config>) -> KeymapChoice {
        let (name, by, at) =
            super::keymap_named(self.keymap_flag.as_deref(), config.map(|c| &c.ui));
        KeymapChoice {
            name: name.to_string(),
            by,
            at: at.cloned(),
        }
    }

    /// The config as the console would read it.
    fn load_config(&self) -> Result<Config, String> {
        super::load_from(self.config.clone())
    }

    /// The theme the console would use, given the config's `[ui] theme`.
    fn theme_choice(&self, config: Option<&Config>) -> ThemeChoice {
        let from_config = config.and_then(|c| c.ui.theme.as_deref());
        let choice = choose_theme(self.theme_flag.as_deref(), from_config, &self.theme_env);
        match config {
            Some(c) => choice.named_in(&c.ui),
            None => choice,
        }
    }
}

/// The keymap the console would use, why, and where the config named it.
struct KeymapChoice {
    name: String,
    by: &'static str,
    at: Option<super::Place>,
}

impl KeymapChoice {
    fn load(&self, dir: Option<&Path>) -> Result<super::keymap::Keymap, super::ConfigError> {
        super::keymap::load(&self.name, dir).map_err(|e| e.named_at(self.at.as_ref()))
    }
}

/// What `config check` found: lines for standard output, and errors
/// (`file:line:col: message`) for standard error; any error exits 1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub lines: Vec<String>,
    pub errors: Vec<String>,
}

impl Report {
    /// A file reached two ways (a user theme that is also the chosen one)
    /// is reported once.
    fn error(&mut self, error: String) {
        if !self.errors.contains(&error) {
            self.errors.push(error);
        }
    }
}

/// `warroom config path`: each place, and whether something is there.
pub fn path_lines(places: &Places) -> Vec<String> {
    let mut lines = Vec::new();
    config_places(places, &mut lines);
    theme_places(places, &mut lines);
    keymap_places(places, &mut lines);
    log_places(places, &mut lines);
    lines
}

/// `warroom config check`: every file read as the console would read it.
pub fn check(places: &Places) -> Report {
    let mut report = Report::default();
    let config = check_config(places, &mut report);
    check_themes(places, config.as_ref(), &mut report);
    check_keymaps(places, config.as_ref(), &mut report);
    report
}

/// The keymaps directory, and the keymap in use with the files it is
/// built from.
fn keymap_places(places: &Places, lines: &mut Vec<String>) {
    lines.push(match places.keymaps_dir() {
        Some(dir) => format!("keymaps:        {}{}", dir.display(), not_there(&dir)),
        None => "keymaps:        none (no home directory)".into(),
    });
    let config = places.load_config().ok();
    let choice = places.keymap_choice(config.as_ref());
    let (name, by) = (&choice.name, choice.by);
    let dir = places.keymaps_dir();
    lines.push(match choice.load(dir.as_deref()) {
        Ok(k) => format!(
            "keymap:         {name} (by {by}): {}",
            k.sources.join(" + ")
        ),
        Err(e) => format!("keymap:         {name} (by {by}): cannot be used: {e}"),
    });
}

/// Every `*.toml` in the user's keymaps directory, then the chosen keymap.
fn check_keymaps(places: &Places, config: Option<&Config>, report: &mut Report) {
    let dir = places.keymaps_dir();
    for path in dir.as_deref().map(super::toml_files).unwrap_or_default() {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match super::keymap::load(&name, dir.as_deref()) {
            Ok(_) => report.lines.push(format!("{}: ok", path.display())),
            Err(e) => report.error(e.to_string()),
        }
    }
    let choice = places.keymap_choice(config);
    match choice.load(dir.as_deref()) {
        Ok(_) => report
            .lines
            .push(format!("keymap {} (by {}): ok", choice.name, choice.by)),
        Err(e) => report.error(e.to_string()),
    }
}

/// Where the diagnostics log goes when it is on.
fn log_places(places: &Places, lines: &mut Vec<String>) {
    lines.push(match &places.paths {
        Some(paths) => {
            let file = paths.log_file();
            let when = "written with --debug or $WARROOM_LOG";
            if file.exists() {
                format!("diagnostics:    {} ({when})", file.display())
            } else {
                format!("diagnostics:    {} (not there yet; {when})", file.display())
            }
        }
        None => "diagnostics:    none (no home directory; $WARROOM_DATA_DIR)".into(),
    });
}

/// " (not there yet)" when `path` does not exist.
fn not_there(path: &Path) -> &'static str {
    if path.exists() {
        ""
    } else {
        " (not there yet)"
    }
}

fn config_places(places: &Places, lines: &mut Vec<String>) {
    lines.push(match &places.config {
        Some((p, _)) => format!("config file:    {}{}", p.display(), not_there(p)),
        None => "config file:    none (no home directory; --config or $WARROOM_CONFIG)".into(),
    });
    lines.push(match &places.paths {
        Some(paths) => format!(
            "data directory: {}{}",
            paths.data_dir.display(),
            not_there(&paths.data_dir)
        ),
        None => "data directory: none (no home directory; $WARROOM_DATA_DIR)".into(),
    });
}

/// The config file read; `None` (and an error) when it cannot be used.
fn check_config(places: &Places, report: &mut Report) -> Option<Config> {
    match places.load_config() {
        Ok(config) => {
            report.lines.push(match &places.config {
                Some((p, _)) if p.exists() => format!("{}: ok", p.display()),
                Some((p, _)) => format!("{}: not there, the defaults apply", p.display()),
                None => "no config file: the defaults apply".into(),
            });
            Some(config)
        }
        Err(e) => {
            report.error(e);
            None
        }
    }
}

/// The themes directory, and the theme in use with where it comes from.
fn theme_places(places: &Places, lines: &mut Vec<String>) {
    match places.config_dir() {
        Some(dir) => {
            let themes = theme::themes_dir(dir);
            lines.push(format!(
                "themes:         {}{}",
                themes.display(),
                not_there(&themes)
            ));
        }
        None => lines.push("themes:         none (no home directory)".into()),
    }
    let config = places.load_config().ok();
    let choice = places.theme_choice(config.as_ref());
    if config.is_none()
        && !matches!(
            choice.source,
            theme::ThemeSource::Flag | theme::ThemeSource::Env
        )
    {
        lines.push(
            "theme:          unknown: the config file cannot be read (warroom config check)".into(),
        );
        return;
    }
    let named = format!("{} (by {})", choice.name, choice.source.describe());
    lines.push(match theme::select(&choice, places.config_dir()) {
        Ok(loaded) => format!("theme:          {named}: {}", loaded.describe()),
        Err(e) => format!("theme:          {named}: cannot be used: {e}"),
    });
}

/// Every `*.toml` in the user's themes directory, then the chosen theme.
fn check_themes(places: &Places, config: Option<&Config>, report: &mut Report) {
    let dir = places.config_dir();
    for path in dir.map(user_theme_files).unwrap_or_default() {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !valid_name(&name) {
            report.error(format!(
                "{}: {name:?} is not a theme's name (letters, digits, '-', '_' and '.'): \
                 rename the file",
                path.display()
            ));
            continue;
        }
        match theme::load_theme_layers(&name, dir) {
            Ok(_) => report.lines.push(format!("{}: ok", path.display())),
            Err(e) => report.error(e.to_string()),
        }
    }
    let choice = places.theme_choice(config);
    match theme::select(&choice, dir) {
        Ok(_) => report.lines.push(format!(
            "theme {} (by {}): ok",
            choice.name,
            choice.source.describe()
        )),
        Err(e) => report.error(e.to_string()),
    }
}

#[cfg(test)]
mod tests;
