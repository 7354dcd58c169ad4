//! Keymaps: which key does what, read from `keymaps/*.toml`.
//!
//! The shipped keymaps are the files in the repository's `keymaps/`,
//! compiled into the binary, so an installed warroom has them without the
//! repository. A user keymap is `keymaps/NAME.toml` in the config
//! directory; it names a base with `extends` (a file named like a shipped
//! keymap extends that one) and changes single bindings:
//!
//! ```toml
//! extends = "default"
//!
//! [table]
//! help = ["?", "f1"]     # every key listed replaces the base's keys
//! show_alerts = []       # unbound
//!
//! [history]
//! rollback = "ctrl-u"
//! ```
//!
//! Sections are modes (`table`, `pods`, `logs`, `history`, `dialog`,
//! `editor`, …), keys are action names. An unknown section, action or key
//! name, an action in a mode it does not belong to, and two actions on one
//! key in one mode are errors naming `file:line:col`. `ctrl-c` always quits
//! and cannot be bound.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyModifiers};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::file::{ConfigError, line_col, toml_error};
use crate::keys::{Action, Binding, Mode, SLOTS, key_label, parse_key, slot_of};

/// The keymaps in `keymaps/`, compiled in: name and text.
pub const SHIPPED: &[(&str, &str)] = &[
    ("default", include_str!("../../keymaps/default.toml")),
    ("vim", include_str!("../../keymaps/vim.toml")),
];

/// The keymap used when nothing names one.
pub const DEFAULT_NAME: &str = "default";

/// A keymap ready for the console.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    pub name: String,
    /// In [`SLOTS`] order, keys in the order the file lists them.
    pub bindings: Vec<Binding>,
    /// The files it was built from, base first (`keymaps/default.toml
    /// (built in)` for a shipped one).
    pub sources: Vec<String>,
}

type Key = (KeyCode, KeyModifiers);

/// One file's bindings, with where each was written.
struct Layer {
    path: PathBuf,
    text: String,
    extends: Option<String>,
    /// (mode, action) → keys, the value's span, each key's span.
    entries: Vec<Entry>,
}

struct Entry {
    mode: Mode,
    action: Action,
    keys: Vec<(Key, Range<usize>)>,
}

fn error_at(path: &Path, text: &str, span: Range<usize>, message: String) -> ConfigError {
    let (line, column) = line_col(text, span.start);
    ConfigError {
        unknown_name: false,
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}

/// "an integer", "a table".
fn a(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

fn shipped_path(name: &str) -> PathBuf {
    PathBuf::from(format!("keymaps/{name}.toml (built in)"))
}

fn close_names<'a>(word: &str, names: impl Iterator<Item = &'a str>) -> String {
    let near: Vec<&str> = names
        .filter(|n| n.contains(word) || word.contains(*n) || n.split('_').any(|p| word == p))
        .take(4)
        .collect();
    if near.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", near.join(", "))
    }
}

/// Reads one keymap file (nothing merged yet).
fn parse_layer(path: &Path, text: String) -> Result<Layer, ConfigError> {
    let doc = DeTable::parse(&text).map_err(|e| toml_error(&text, path, &e))?;
    let err = |span: Range<usize>, message: String| error_at(path, &text, span, message);
    let mut extends = None;
    let mut entries = Vec::new();
    for (section, value) in doc.get_ref().iter() {
        let name = section.get_ref().as_ref();
        if name == "extends" {
            match value.get_ref() {
                DeValue::String(s) => extends = Some(s.to_string()),
                other => {
                    return Err(err(
                        value.span(),
                        format!(
                            "extends must be a keymap's name, not {}",
                            a(other.type_str())
                        ),
                    ));
                }
            }
            continue;
        }
        let Some(mode) = Mode::from_name(name) else {
            let modes: Vec<&str> = Mode::ALL.iter().map(|m| m.name()).collect();
            return Err(err(
                section.span(),
                format!(
                    "unknown section [{name}]; sections are {}",
                    modes.join(", ")
                ),
            ));
        };
        let DeValue::Table(table) = value.get_ref() else {
            return Err(err(
                value.span(),
                format!("[{name}] must be a table of action = keys"),
            ));
        };
        for (action_key, keys) in table.iter() {
            let action_name = action_key.get_ref().as_ref();
            let Some(action) = Action::from_name(action_name) else {
                let names = crate::keys::ACTION_NAMES.iter().map(|(_, n)| *n);
                return Err(err(
                    action_key.span(),
                    format!(
                        "unknown action `{action_name}` in [{name}]{}",
                        close_names(action_name, names)
                    ),
                ));
            };
            if slot_of(mode, action).is_none() {
                let homes: Vec<String> = SLOTS
                    .iter()
                    .filter(|s| s.action == action)
                    .map(|s| format!("[{}]", s.mode.name()))
                    .collect();
                return Err(err(
                    action_key.span(),
                    format!(
                        "`{action_name}` cannot be bound in [{name}]; it belongs in {}",
                        homes.join(" or ")
                    ),
                ));
            }
            let keys = key_list(keys, mode, action_name, &err)?;
            entries.push(Entry { mode, action, keys });
        }
    }
    Ok(Layer {
        path: path.to_path_buf(),
        text,
        extends,
        entries,
    })
}

/// `"q"` or `["k", "up"]` or `[]`, each checked.
fn key_list(
    value: &Spanned<DeValue<'_>>,
    mode: Mode,
    action: &str,
    err: &impl Fn(Range<usize>, String) -> ConfigError,
) -> Result<Vec<(Key, Range<usize>)>, ConfigError> {
    let items: Vec<&Spanned<DeValue<'_>>> = match value.get_ref() {
        DeValue::String(_) => vec![value],
        DeValue::Array(array) => array.iter().collect(),
        other => {
            return Err(err(
                value.span(),
                format!(
                    "`{action}` takes a key or a list of keys, not {}",
                    a(other.type_str())
                ),
            ));
        }
    };
    let mut keys = Vec::new();
    for item in items {
        let DeValue::String(text) = item.get_ref() else {
            return Err(err(
                item.span(),
                format!("`{action}`: a key is a string like \"q\" or \"ctrl-s\""),
            ));
        };
        let key = parse_key(text).map_err(|e| err(item.span(), format!("`{action}`: {e}")))?;
        if key.0 == KeyCode::Char('c') && key.1.contains(KeyModifiers::CONTROL) {
            return Err(err(
                item.span(),
                format!("`{action}`: ctrl-c always quits and cannot be bound"),
            ));
        }
        if mode == Mode::Editor && is_text(key) {
            return Err(err(
                item.span(),
                format!(
                    "`{action}`: in [editor] `{}` would be typed as text; use ctrl-, alt- or a key like esc",
                    key_label(key.0, key.1)
                ),
            ));
        }
        keys.push((key, item.span()));
    }
    Ok(keys)
}

/// A key the note editor would take as text.
fn is_text((code, modifiers): Key) -> bool {
    let plain = (modifiers - KeyModifiers::SHIFT).is_empty();
    plain
        && matches!(
            code,
            KeyCode::Char(_) | KeyCode::Enter | KeyCode::Backspace | KeyCode::Tab
        )
}

/// The layers of `name`, base first: a user file in `user_dir` wins over a
/// shipped keymap of that name and extends it.
fn layers(name: &str, user_dir: Option<&Path>) -> Result<Vec<Layer>, ConfigError> {
    let mut chain: Vec<Layer> = Vec::new();
    let mut seen: Vec<(String, bool)> = Vec::new();
    let mut next = Some((name.to_string(), true));
    while let Some((name, user_allowed)) = next.take() {
        let user_file = user_dir
            .filter(|_| user_allowed)
            .map(|d| d.join(format!("{name}.toml")))
            .filter(|p| p.is_file());
        let shipped = SHIPPED.iter().find(|(n, _)| *n == name);
        let layer = match (&user_file, shipped) {
            (Some(path), _) => {
                let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
                    unknown_name: false,
                    path: path.clone(),
                    line: 0,
                    column: 0,
                    message: format!("cannot read keymap: {e}"),
                })?;
                parse_layer(path, text)?
            }
            (None, Some((n, text))) => parse_layer(&shipped_path(n), text.to_string())?,
            (None, None) => return Err(unknown_keymap(&name, user_dir, chain.last())),
        };
        let user = user_file.is_some();
        if seen.contains(&(name.clone(), user)) {
            return Err(ConfigError {
                unknown_name: false,
                path: layer.path.clone(),
                line: 0,
                column: 0,
                message: format!("keymaps extend each other in a circle through `{name}`"),
            });
        }
        seen.push((name.clone(), user));
        next = match (&layer.extends, user, shipped.is_some()) {
            // A user file named like a shipped keymap extends it by default.
            (None, true, true) => Some((name.clone(), false)),
            (None, true, false) => Some((DEFAULT_NAME.to_string(), true)),
            (Some(base), true, _) if *base == name => Some((name.clone(), false)),
            (Some(base), _, _) => Some((base.clone(), true)),
            (None, false, _) => None,
        };
        chain.push(layer);
    }
    chain.reverse();
    Ok(chain)
}

fn unknown_keymap(name: &str, user_dir: Option<&Path>, from: Option<&Layer>) -> ConfigError {
    let shipped: Vec<&str> = SHIPPED.iter().map(|(n, _)| *n).collect();
    let mut message = format!(
        "no keymap `{name}`: the shipped ones are {}",
        shipped.join(", ")
    );
    if let Some(dir) = user_dir {
        message.push_str(&format!(", and yours go in {}", dir.display()));
    }
    match from {
        // Point at the `extends` line that named it.
        Some(layer) => {
            let at = layer
                .text
                .find("extends")
                .map(|i| line_col(&layer.text, i))
                .unwrap_or((0, 0));
            ConfigError {
                unknown_name: false,
                path: layer.path.clone(),
                line: at.0,
                column: at.1,
                message,
            }
        }
        None => ConfigError {
            unknown_name: true,
            path: user_dir.map_or_else(|| PathBuf::from("keymaps"), Path::to_path_buf),
            line: 0,
            column: 0,
            message,
        },
    }
}

/// Loads keymap `name`: shipped, or `<config_dir>/keymaps/NAME.toml` over
/// its base. `user_dir` is that `keymaps` directory (`None`: shipped only).
pub fn load(name: &str, user_dir: Option<&Path>) -> Result<Keymap, ConfigError> {
    let layers = layers(name, user_dir)?;
    let mut bound = Bound::new();
    let slot_index = |mode: Mode, action: Action| {
        SLOTS
            .iter()
            .position(|s| s.mode == mode && s.action == action)
            .unwrap_or(usize::MAX)
    };
    for (i, layer) in layers.iter().enumerate() {
        for entry in &layer.entries {
            let keys = entry
                .keys
                .iter()
                .map(|(k, span)| (*k, i, span.clone()))
                .collect();
            bound.insert((entry.mode, slot_index(entry.mode, entry.action)), keys);
        }
    }
    check_conflicts(&layers, &bound)?;
    let mut bindings = Vec::new();
    for (index, slot) in SLOTS.iter().enumerate() {
        for ((code, modifiers), _, _) in bound.get(&(slot.mode, index)).into_iter().flatten() {
            bindings.push(Binding {
                key: *code,
                modifiers: *modifiers,
                action: slot.action,
                mode: slot.mode,
                hint: slot.hint,
            });
        }
    }
    Ok(Keymap {
        name: name.to_string(),
        bindings,
        sources: layers
            .iter()
            .map(|l| l.path.display().to_string())
            .collect(),
    })
}

/// (mode, slot index) → each key with the layer and span it was written at.
type Bound = BTreeMap<(Mode, usize), Vec<(Key, usize, Range<usize>)>>;

/// (mode, key label) → each slot bound to it, with its layer and span.
type Uses = BTreeMap<(Mode, String), Vec<(usize, usize, Range<usize>)>>;

/// Two actions on one key in one mode: the error points at the binding
/// written last (the user's, over the base's).
fn check_conflicts(layers: &[Layer], bound: &Bound) -> Result<(), ConfigError> {
    let mut by_key = Uses::new();
    for ((mode, slot), keys) in bound {
        for (key, layer, span) in keys {
            let label = key_label(key.0, key.1);
            let list = by_key.entry((*mode, label)).or_default();
            // One action may list a key twice; that is no conflict.
            if !list.iter().any(|(s, _, _)| s == slot) {
                list.push((*slot, *layer, span.clone()));
            }
        }
    }
    for ((mode, label), mut uses) in by_key {
        if uses.len() < 2 {
            continue;
        }
        uses.sort_by_key(|(_, layer, span)| (*layer, span.start));
        let Some((slot, layer, span)) = uses.last().cloned() else {
            continue;
        };
        let others: Vec<&str> = uses[..uses.len() - 1]
            .iter()
            .filter_map(|(s, _, _)| SLOTS.get(*s).map(|s| s.action.name()))
            .collect();
        let this = SLOTS.get(slot).map_or("?", |s| s.action.name());
        let Some(file) = layers.get(layer) else {
            continue;
        };
        return Err(error_at(
            &file.path,
            &file.text,
            span,
            format!(
                "`{label}` in [{}] is bound to both {this} and {}; unbind one (e.g. {} = [])",
                mode.name(),
                others.join(" and "),
                others.first().copied().unwrap_or(this)
            ),
        ));
    }
    Ok(())
}

/// The shipped default keymap's bindings (empty if the embedded file were
/// broken, which a test rules out; ctrl-c still quits).
pub fn default_bindings() -> Vec<Binding> {
    load(DEFAULT_NAME, None)
        .map(|k| k.bindings)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
