//! Themes: the shipped ones (the files in `themes/`, embedded in the binary
//! so an installed warroom has them), the user's own in
//! `<config dir>/themes/NAME.toml`, and which one the console uses.
//!
//! A user file sets only the slots it changes, over the theme it
//! `extends` (`default` unless it says otherwise, or the shipped theme of
//! its own name: a `themes/light.toml` there changes `light`). A name
//! means the user's file when there is one, else the shipped theme, so a
//! theme extending `default` gets the user's changes to `default` too.
//! Broken files are errors naming `file:line:col`, never a silent default.

mod choice;
mod format;
mod styles;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

pub use choice::{ThemeChoice, ThemeEnv, ThemeSource, choose_theme, console_theme, select};
pub use format::{ThemeFile, parse_colour, valid_name};
pub use styles::{LogLevelStyles, Theme};

use super::ConfigError;

/// The shipped themes by name, their files' text embedded at build time.
pub const SHIPPED: [(&str, &str); 5] = [
    ("default", include_str!("../../../themes/default.toml")),
    ("light", include_str!("../../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../../themes/high-contrast.toml"),
    ),
    (
        "colorblind",
        include_str!("../../../themes/colorblind.toml"),
    ),
    ("mono", include_str!("../../../themes/mono.toml")),
];

/// Said of a name that is neither shipped nor a user's file.
const NOT_A_THEME: &str = "is neither a shipped theme nor a file in the themes directory";

/// The names of the shipped themes.
pub fn shipped_names() -> Vec<&'static str> {
    SHIPPED.iter().map(|(name, _)| *name).collect()
}

/// Where a shipped theme's source is, in the repository: what its
/// errors name (the embedded text is that file).
pub fn shipped_path(name: &str) -> PathBuf {
    Path::new("themes").join(format!("{name}.toml"))
}

/// A shipped theme, read strictly (every slot set); `None` if no theme
/// of that name is shipped.
pub fn shipped(name: &str) -> Option<Result<Theme, ConfigError>> {
    shipped_loaded(name).map(|loaded| loaded.map(|l| l.theme))
}

fn shipped_loaded(name: &str) -> Option<Result<LoadedTheme, ConfigError>> {
    let (name, text) = SHIPPED.iter().find(|(n, _)| *n == name)?;
    let theme = ThemeFile::parse(text, &shipped_path(name)).and_then(|file| file.complete());
    Some(theme.map(|theme| LoadedTheme {
        theme,
        layers: vec![Layer::Shipped(name)],
    }))
}

impl Default for Theme {
    /// The shipped `themes/default.toml`. Should it ever fail to read (a
    /// test makes sure it does not), a plain theme rather than a panic.
    fn default() -> Theme {
        match shipped("default") {
            Some(Ok(theme)) => theme,
            _ => Theme::plain(),
        }
    }
}

/// Where one layer of a loaded theme came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layer {
    /// A file in the user's themes directory.
    User(PathBuf),
    /// A theme shipped in the binary.
    Shipped(&'static str),
}

/// A theme and the files it was made of.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedTheme {
    pub theme: Theme,
    /// The file named first, then what it extends, down to a shipped theme.
    pub layers: Vec<Layer>,
}

impl LoadedTheme {
    /// "shipped", or "~/.config/warroom/themes/mine.toml over shipped light".
    pub fn describe(&self) -> String {
        let parts: Vec<String> = self
            .layers
            .iter()
            .map(|layer| match layer {
                Layer::User(path) => path.display().to_string(),
                Layer::Shipped(name) => format!("shipped {name}"),
            })
            .collect();
        parts.join(" over ")
    }
}

/// The user's themes directory in `config_dir`.
pub fn themes_dir(config_dir: &Path) -> PathBuf {
    config_dir.join("themes")
}

/// The `*.toml` files in the user's themes directory, sorted; none when
/// it does not exist.
pub fn user_theme_files(config_dir: &Path) -> Vec<PathBuf> {
    super::toml_files(&themes_dir(config_dir))
}

/// The theme called `name`: the user's `<config_dir>/themes/NAME.toml`
/// laid over what it extends, else the shipped theme of that name.
pub fn load_theme(name: &str, config_dir: Option<&Path>) -> Result<Theme, ConfigError> {
    load_theme_layers(name, config_dir).map(|loaded| loaded.theme)
}

/// [`load_theme`], saying which files it was made of.
pub fn load_theme_layers(
    name: &str,
    config_dir: Option<&Path>,
) -> Result<LoadedTheme, ConfigError> {
    Loader { config_dir }.load(name, &mut Vec::new(), None)
}

/// Resolves names to files and `extends` chains.
struct Loader<'a> {
    config_dir: Option<&'a Path>,
}

impl Loader<'_> {
    fn user_path(&self, name: &str) -> Option<PathBuf> {
        self.config_dir
            .map(|dir| themes_dir(dir).join(format!("{name}.toml")))
    }

    /// Loads `name`; `chain` holds the user themes being loaded that led
    /// here (for loops); `from` is the file whose `extends` named it.
    fn load(
        &self,
        name: &str,
        chain: &mut Vec<String>,
        from: Option<(&ThemeFile, &format::Extends)>,
    ) -> Result<LoadedTheme, ConfigError> {
        if !valid_name(name) {
            return Err(self.unknown(
                name,
                from,
                "is not a theme's name (letters, digits, '-', '_' and '.')",
            ));
        }
        let Some(file) = self.read_user(name)? else {
            return shipped_loaded(name)
                .unwrap_or_else(|| Err(self.unknown(name, from, NOT_A_THEME)));
        };
        let implicit = if shipped_loaded(name).is_some() {
            name
        } else {
            "default"
        };
        let base = file.extends.as_ref().map_or(implicit, |e| e.name.as_str());
        // A user file named like a shipped theme, extending its own name,
        // changes that shipped theme.
        let shipped_self = (base == name).then(|| shipped_loaded(name)).flatten();
        let mut loaded = match shipped_self {
            Some(loaded) => loaded?,
            None => {
                chain.push(name.to_string());
                if chain.iter().any(|n| n == base) {
                    return Err(looped(&file, base, chain));
                }
                let extends = file.extends.as_ref().map(|e| (&file, e));
                let loaded = self.load(base, chain, extends)?;
                chain.pop();
                loaded
            }
        };
        file.apply(&mut loaded.theme);
        loaded.layers.insert(0, Layer::User(file.path.clone()));
        Ok(loaded)
    }

    /// The user's file for `name`, read and parsed, if there is one.
    fn read_user(&self, name: &str) -> Result<Option<ThemeFile>, ConfigError> {
        let Some(path) = self.user_path(name) else {
            return Ok(None);
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => ThemeFile::parse(&text, &path).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(ConfigError {
                unknown_name: false,
                path,
                line: 0,
                column: 0,
                message: format!("cannot read this theme: {e}"),
            }),
        }
    }

    /// No theme `name`: at the `extends` that named it, or (for the theme
    /// asked for) at the file it would be.
    fn unknown(
        &self,
        name: &str,
        from: Option<(&ThemeFile, &format::Extends)>,
        what: &str,
    ) -> ConfigError {
        let available = self.available();
        match from {
            Some((file, e)) => file.error_at(
                e.line,
                e.column,
                format!("extends = {name:?}, which {what}; {available}"),
            ),
            None => ConfigError {
                unknown_name: true,
                path: self
                    .user_path(name)
                    .filter(|_| valid_name(name))
                    .unwrap_or_else(|| PathBuf::from("--theme")),
                line: 0,
                column: 0,
                message: format!("{name:?} {what}; {available}"),
            },
        }
    }

    /// "the shipped themes are …; yours are …".
    fn available(&self) -> String {
        let mut text = format!("the shipped themes are {}", shipped_names().join(", "));
        let yours: Vec<String> = self
            .config_dir
            .map(user_theme_files)
            .unwrap_or_default()
            .iter()
            .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .filter(|n| !shipped_names().contains(&n.as_str()))
            .collect();
        if !yours.is_empty() {
            text.push_str(&format!("; yours are {}", yours.join(", ")));
        }
        text
    }
}

/// `file` extends `base`, which is already being loaded.
fn looped(file: &ThemeFile, base: &str, chain: &[String]) -> ConfigError {
    let mut names = chain.to_vec();
    names.push(base.to_string());
    let path = names.join(" → ");
    match &file.extends {
        Some(e) => file.error_at(
            e.line,
            e.column,
            format!("extends = {base:?} makes a loop: {path}"),
        ),
        None => file.error_at(
            0,
            0,
            format!("extends {base:?} when it says nothing, which makes a loop: {path}"),
        ),
    }
}
