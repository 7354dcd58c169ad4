//! Reading one theme file: which slots it sets, to what, and what it
//! extends. Walked by hand over `toml`'s spanned document rather than
//! through serde, so that every semantic error (an unknown slot, a bad
//! colour or modifier) points at the exact key or value, `file:line:col`.
//!
//! ```toml
//! extends = "light"                                   # user files only
//! status_error = { fg = 203, bg = "reset", modifiers = ["bold"] }
//! log_pods = [81, "lightgreen", "#e69f00"]
//! [log_levels]
//! error = { fg = "red" }
//! ```

use std::ops::Range;
use std::path::{Path, PathBuf};

use ratatui::style::{Color, Modifier, Style};
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use crate::config::file::{ConfigError, line_col, toml_error};
use crate::config::theme::Theme;

/// Modifier names as theme files spell them.
const MODIFIERS: [(&str, Modifier); 9] = [
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
    ("crossed_out", Modifier::CROSSED_OUT),
    ("slow_blink", Modifier::SLOW_BLINK),
    ("rapid_blink", Modifier::RAPID_BLINK),
    ("hidden", Modifier::HIDDEN),
];

/// The 16 named colours (ratatui's names, which follow the ANSI ones) and
/// `reset`; `-`, `_` and case are ignored, and `grey` is `gray`.
const COLOURS: [(&str, Color); 17] = [
    ("reset", Color::Reset),
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("darkgray", Color::DarkGray),
    ("lightred", Color::LightRed),
    ("lightgreen", Color::LightGreen),
    ("lightyellow", Color::LightYellow),
    ("lightblue", Color::LightBlue),
    ("lightmagenta", Color::LightMagenta),
    ("lightcyan", Color::LightCyan),
    ("white", Color::White),
];

/// `extends = "NAME"` and where it was written, for errors found later
/// (no such theme, a loop).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extends {
    pub name: String,
    pub line: usize,
    pub column: usize,
}

/// A theme file as read: the slots it sets, each replaced whole when the
/// file is laid over the theme it extends.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub path: PathBuf,
    pub extends: Option<Extends>,
    styles: Vec<(&'static str, Style)>,
    log_pods: Option<Vec<Color>>,
}

impl ThemeFile {
    /// Reads `text`; `path` is where it came from, for messages only.
    pub fn parse(text: &str, path: &Path) -> Result<ThemeFile, ConfigError> {
        let root = DeTable::parse(text).map_err(|e| toml_error(text, path, &e))?;
        let reader = Reader {
            text,
            path,
            keys: Theme::plain().slots().iter().map(|(k, _)| *k).collect(),
        };
        let mut file = ThemeFile {
            path: path.to_path_buf(),
            extends: None,
            styles: Vec::new(),
            log_pods: None,
        };
        for (key, value) in in_file_order(root.get_ref()) {
            match key.get_ref().as_ref() {
                "extends" => file.extends = Some(reader.extends(value)?),
                "log_pods" => file.log_pods = Some(reader.colours(value)?),
                "log_levels" => {
                    let DeValue::Table(levels) = value.get_ref() else {
                        return Err(reader.error(
                            value.span(),
                            format!(
                                "log_levels must be a table of styles ([log_levels] then \
                                 error = {{ fg = \"red\" }}), not {}",
                                a_type(value.get_ref())
                            ),
                        ));
                    };
                    for (level, style) in in_file_order(levels) {
                        let name = format!("log_levels.{}", level.get_ref());
                        let slot = reader.slot(&name, level.span())?;
                        file.styles.push((slot, reader.style(slot, style)?));
                    }
                }
                name => {
                    let slot = reader.slot(name, key.span())?;
                    file.styles.push((slot, reader.style(slot, value)?));
                }
            }
        }
        Ok(file)
    }

    /// Lays the slots this file sets over `theme`.
    pub fn apply(&self, theme: &mut Theme) {
        for (key, style) in theme.slots_mut() {
            if let Some((_, set)) = self.styles.iter().find(|(k, _)| *k == key) {
                *style = *set;
            }
        }
        if let Some(pods) = &self.log_pods {
            theme.log_pods = pods.clone();
        }
    }

    /// The slots this file leaves to the theme it extends, `log_pods`
    /// included.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing: Vec<&'static str> = Theme::plain()
            .slots()
            .into_iter()
            .map(|(key, _)| key)
            .filter(|key| !self.styles.iter().any(|(k, _)| k == key))
            .collect();
        if self.log_pods.is_none() {
            missing.push("log_pods");
        }
        missing
    }

    /// The theme this file describes on its own, when it must set every
    /// slot (the shipped ones).
    pub fn complete(&self) -> Result<Theme, ConfigError> {
        if let Some(e) = &self.extends {
            return Err(self.error_at(
                e.line,
                e.column,
                "a shipped theme sets every slot and extends nothing".into(),
            ));
        }
        let missing = self.missing();
        if !missing.is_empty() {
            return Err(self.error_at(0, 0, format!("missing slots: {}", missing.join(", "))));
        }
        let mut theme = Theme::plain();
        self.apply(&mut theme);
        Ok(theme)
    }

    /// An error in this file at `line:column` (0 for the whole file).
    pub fn error_at(&self, line: usize, column: usize, message: String) -> ConfigError {
        ConfigError {
            unknown_name: false,
            path: self.path.clone(),
            line,
            column,
            message,
        }
    }
}

/// A theme's name is a file name in the themes directory: letters, digits,
/// `-`, `_` and `.`, not starting with a dot (no paths, nothing hidden).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A colour as theme files write it: a name, `reset`, `0`–`255`, `#rrggbb`.
pub fn parse_colour(text: &str) -> Option<Color> {
    if let Some(hex) = text.strip_prefix('#') {
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        return Some(Color::Rgb(channel(0)?, channel(2)?, channel(4)?));
    }
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse::<u8>().ok().map(Color::Indexed);
    }
    let name: String = text
        .chars()
        .filter(|c| !matches!(c, '-' | '_'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let name = name.replace("grey", "gray");
    COLOURS.iter().find_map(|(n, c)| (*n == name).then_some(*c))
}

/// Entries in the order they are written, so the first error reported is
/// the first in the file (the table itself is sorted by key).
fn in_file_order<'a, 'i>(
    table: &'a DeTable<'i>,
) -> Vec<(&'a Spanned<DeString<'i>>, &'a Spanned<DeValue<'i>>)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

/// "a string", "an integer": for messages.
fn a_type(value: &DeValue<'_>) -> String {
    let t = value.type_str();
    let article = if t.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {t}")
}

/// Reads values of one file, turning spans into `file:line:col` errors.
struct Reader<'a> {
    text: &'a str,
    path: &'a Path,
    /// Every slot's key.
    keys: Vec<&'static str>,
}

impl Reader<'_> {
    fn error(&self, span: Range<usize>, message: String) -> ConfigError {
        let (line, column) = line_col(self.text, span.start);
        ConfigError {
            unknown_name: false,
            path: self.path.to_path_buf(),
            line,
            column,
            message,
        }
    }

    /// The slot key `name` stands for, or an error at the key.
    fn slot(&self, name: &str, span: Range<usize>) -> Result<&'static str, ConfigError> {
        if let Some(key) = self.keys.iter().find(|k| **k == name) {
            return Ok(key);
        }
        let hint = match closest(name, &self.keys) {
            Some(k) => format!(" (did you mean \"{k}\"?)"),
            None => "; themes/default.toml lists every slot".into(),
        };
        Err(self.error(span, format!("unknown slot {name:?}{hint}")))
    }

    fn style(&self, slot: &str, value: &Spanned<DeValue<'_>>) -> Result<Style, ConfigError> {
        let DeValue::Table(fields) = value.get_ref() else {
            return Err(self.error(
                value.span(),
                format!(
                    "{slot} must be a table such as {{ fg = \"red\", modifiers = [\"bold\"] }}, \
                     not {}",
                    a_type(value.get_ref())
                ),
            ));
        };
        let mut style = Style::new();
        for (key, value) in in_file_order(fields) {
            match key.get_ref().as_ref() {
                "fg" => style.fg = Some(self.colour(&format!("{slot}.fg"), value)?),
                "bg" => style.bg = Some(self.colour(&format!("{slot}.bg"), value)?),
                "modifiers" => style = style.add_modifier(self.modifiers(slot, value)?),
                other => {
                    return Err(self.error(
                        key.span(),
                        format!("{slot}: unknown key {other:?}; a style has fg, bg and modifiers"),
                    ));
                }
            }
        }
        Ok(style)
    }

    /// `what` names the value in messages (`status_error.fg`).
    fn colour(&self, what: &str, value: &Spanned<DeValue<'_>>) -> Result<Color, ConfigError> {
        let bad = |message: String| Err(self.error(value.span(), format!("{what}: {message}")));
        match value.get_ref() {
            DeValue::Integer(n) => match i64::from_str_radix(n.as_str(), n.radix()) {
                Ok(i) if (0..=255).contains(&i) => Ok(Color::Indexed(i as u8)),
                _ => bad(format!("{n} is not a colour index (0-255)")),
            },
            DeValue::String(s) => match parse_colour(s) {
                Some(c) => Ok(c),
                None if s.starts_with('#') => bad(format!(
                    "{s:?} is not a colour: \"#rrggbb\" takes six hex digits"
                )),
                None if s.chars().all(|c| c.is_ascii_digit()) => {
                    bad(format!("{s:?} is not a colour index (0-255)"))
                }
                None => bad(format!(
                    "{s:?} is not a colour; use a name (red, lightblue, ...), \"reset\", \
                     an index 0-255 or \"#rrggbb\""
                )),
            },
            other => bad(format!(
                "a colour is a name, an index 0-255 or \"#rrggbb\", not {}",
                a_type(other)
            )),
        }
    }

    fn modifiers(&self, slot: &str, value: &Spanned<DeValue<'_>>) -> Result<Modifier, ConfigError> {
        let DeValue::Array(items) = value.get_ref() else {
            return Err(self.error(
                value.span(),
                format!(
                    "{slot}.modifiers must be a list such as [\"bold\"], not {}",
                    a_type(value.get_ref())
                ),
            ));
        };
        let mut all = Modifier::empty();
        for item in items.iter() {
            let found = item
                .get_ref()
                .as_str()
                .and_then(|s| MODIFIERS.iter().find(|(n, _)| *n == s));
            match found {
                Some((_, m)) => all |= *m,
                None => {
                    let shown = match item.get_ref().as_str() {
                        Some(s) => format!("{s:?}"),
                        None => a_type(item.get_ref()),
                    };
                    let names: Vec<&str> = MODIFIERS.iter().map(|(n, _)| *n).collect();
                    return Err(self.error(
                        item.span(),
                        format!(
                            "{slot}.modifiers: {shown} is not a modifier; use {}",
                            names.join(", ")
                        ),
                    ));
                }
            }
        }
        Ok(all)
    }

    /// `log_pods`: a list of colours, possibly empty (pod names plain).
    fn colours(&self, value: &Spanned<DeValue<'_>>) -> Result<Vec<Color>, ConfigError> {
        let DeValue::Array(items) = value.get_ref() else {
            return Err(self.error(
                value.span(),
                format!(
                    "log_pods must be a list of colours such as [81, \"lightgreen\"], not {}",
                    a_type(value.get_ref())
                ),
            ));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| self.colour(&format!("log_pods[{i}]"), item))
            .collect()
    }

    fn extends(&self, value: &Spanned<DeValue<'_>>) -> Result<Extends, ConfigError> {
        let name = match value.get_ref().as_str() {
            Some(name) if valid_name(name) => name,
            Some(name) => {
                return Err(self.error(
                    value.span(),
                    format!(
                        "extends: {name:?} is not a theme's name (letters, digits, '-', '_' \
                         and '.')"
                    ),
                ));
            }
            None => {
                return Err(self.error(
                    value.span(),
                    format!(
                        "extends must be a theme's name such as \"light\", not {}",
                        a_type(value.get_ref())
                    ),
                ));
            }
        };
        let (line, column) = line_col(self.text, value.span().start);
        Ok(Extends {
            name: name.to_string(),
            line,
            column,
        })
    }
}

/// The key nearest to a misspelt `name`, if one is near enough to be what
/// was meant: at most half the letters after the last dot off (`warning`
/// is `warn`, `fatal` is nothing), the part before it (`log_levels.`) the
/// same.
fn closest<'k>(name: &str, keys: &[&'k str]) -> Option<&'k str> {
    let split = |s: &'k str| s.rsplit_once('.').unwrap_or(("", s));
    let (group, leaf) = name.rsplit_once('.').unwrap_or(("", name));
    keys.iter()
        .filter(|k| split(k).0 == group)
        .map(|k| (crate::model::spelling::edit_distance(leaf, split(k).1), *k))
        .filter(|(d, k)| *d <= leaf.len().max(split(k).1.len()) / 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}
