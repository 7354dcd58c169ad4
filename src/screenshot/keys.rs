//! `--keys`: the keys a screenshot presses, written as they are typed.
//!
//! Every character is one key (`/checkout` is six keys, `G` is shift-g);
//! a name in angle brackets is a key without a character: `<enter>`,
//! `<esc>`, `<tab>`, `<backtab>`, `<space>`, `<bs>`, `<del>`, `<up>`,
//! `<down>`, `<left>`, `<right>`, `<pgup>`, `<pgdn>`, `<home>`, `<end>`,
//! `<f1>`…`<f12>`; `<c-x>` is ctrl-x and `<lt>` is `<` itself.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The names `<…>` understands, for the error message.
const NAMES: &str = "enter, esc, tab, backtab, space, bs, del, up, down, left, right, pgup, pgdn, home, end, f1…f12, c-<key>, lt";

/// The keys `text` spells.
pub fn parse(text: &str) -> Result<Vec<KeyEvent>, String> {
    let mut keys = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            let Some(end) = rest.find('>') else {
                return Err(format!(
                    "--keys: {rest:?} opens a key name without closing it (write <lt> for <)"
                ));
            };
            keys.push(named(&rest[1..end])?);
            rest = &rest[end + 1..];
        } else {
            keys.push(typed(c));
            rest = &rest[c.len_utf8()..];
        }
    }
    Ok(keys)
}

/// A typed character, with shift for capitals as terminals send them.
fn typed(c: char) -> KeyEvent {
    let modifiers = if c.is_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    KeyEvent::new(KeyCode::Char(c), modifiers)
}

fn named(name: &str) -> Result<KeyEvent, String> {
    let unknown = || format!("--keys: unknown key <{name}> (known: {NAMES})");
    if let Some(inner) = name.strip_prefix("c-").or_else(|| name.strip_prefix("C-")) {
        let key = special(&inner.to_ascii_lowercase())
            .or_else(|| single(inner))
            .ok_or_else(unknown)?;
        return Ok(KeyEvent::new(
            key.code,
            key.modifiers | KeyModifiers::CONTROL,
        ));
    }
    special(&name.to_ascii_lowercase()).ok_or_else(unknown)
}

/// `x` in `<c-x>`: one character, as typed.
fn single(text: &str) -> Option<KeyEvent> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(typed(c)),
        _ => None,
    }
}

/// A key without a character, by its (lower-case) name.
fn special(lower: &str) -> Option<KeyEvent> {
    let code = match lower {
        "enter" | "cr" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" | "s-tab" => return Some(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
        "space" => KeyCode::Char(' '),
        "bs" | "backspace" => KeyCode::Backspace,
        "del" | "delete" => KeyCode::Delete,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "lt" => KeyCode::Char('<'),
        f => match f.strip_prefix('f').map(str::parse::<u8>) {
            Some(Ok(n @ 1..=12)) => KeyCode::F(n),
            _ => return None,
        },
    };
    Some(KeyEvent::new(code, KeyModifiers::NONE))
}

#[cfg(test)]
mod tests;
