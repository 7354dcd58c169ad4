//! Text from the cluster made safe to put on a terminal.
//!
//! Everything a cluster or a pod sends — names, event messages, log lines —
//! is written by someone else, and a terminal obeys what it prints: ESC
//! sequences move the cursor or clear the screen (`\x1b[2J`), OSC sequences
//! set the window title or write the clipboard (`\x1b]52;c;…\x07`), C1
//! controls (U+009B is a one-character CSI) do the same without an ESC, and
//! bidi overrides or zero-width characters make text read differently from
//! what it is. This module is the one place where such text is made
//! harmless: every character that could act on the terminal or hide itself
//! is written out as a visible escape (`\x1b`, `\u{202e}`), and the rest
//! passes through untouched.
//!
//! Nothing is stripped: an escaped `\x1b[31m` in a log line tells the reader
//! the program meant red, and an escaped OSC 52 shows an attempt to write
//! the clipboard. The backslash itself is not escaped, so a literal `\x1b`
//! written by the program reads the same as an escaped ESC: the view is for
//! people, and doubling every backslash of a Windows path or a regex would
//! cost more than the ambiguity.

use std::borrow::Cow;
use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

/// Columns between tab stops when tabs are expanded, as terminals set them.
pub const TAB_STOP: usize = 8;

/// What a tab becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tabs {
    /// `\t`: in a one-line cluster string (a name, a reason, an event
    /// message) a tab is a surprise worth showing.
    Escape,
    /// Spaces to the next tab stop, counted in display cells from where the
    /// text starts: log lines use tabs to line up columns (zap's console
    /// encoder, `printf` tables), and a raw tab would let the terminal move
    /// the cursor past the cells the renderer thinks it drew.
    Expand,
}

/// `s` with every control character (C0, DEL, C1) and invisible direction
/// or zero-width character written as a visible escape: ESC becomes `\x1b`,
/// a newline `\n`, a right-to-left override `\u{202e}`. Borrows when there
/// is nothing to do, which is almost always.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if is_clean(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    push_sanitized(&mut out, s.as_bytes(), Tabs::Escape);
    Cow::Owned(out)
}

/// A multi-line message, one sanitized line per `\n` (a trailing `\r` of
/// CRLF text dropped), for panes that show messages in full.
pub fn sanitize_lines(s: &str) -> impl Iterator<Item = Cow<'_, str>> {
    s.split('\n')
        .map(|l| sanitize(l.strip_suffix('\r').unwrap_or(l)))
}

/// Appends `bytes` to `out`, made safe to print: what [`sanitize`] escapes
/// is escaped the same way, bytes that are not UTF-8 are written as `\xNN`
/// (one escape per byte, so the reader sees what was sent rather than a row
/// of U+FFFD), and tabs are handled as `tabs` says. Expanding a tab is the
/// only rewrite; everything else is either kept or shown escaped.
///
/// The output is at most [`TAB_STOP`] times as long as the input: a tab
/// becomes up to 8 spaces, a control byte 4 (`\x07`), a 3-byte invisible
/// character 8 (`\u{202e}`), a 4-byte tag character 10 (`\u{e0041}`).
pub fn push_sanitized(out: &mut String, bytes: &[u8], tabs: Tabs) {
    // Tab stops count cells from where this text starts; `counted_to` is
    // the end of the output already counted into `column`.
    let mut column = 0;
    let mut counted_to = out.len();
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        let b = valid.as_bytes();
        let mut kept_from = 0;
        let mut i = 0;
        while i < b.len() {
            // Printable ASCII, nearly every byte of a log line, needs only
            // this one comparison.
            if (0x20..0x7f).contains(&b[i]) {
                i += 1;
                continue;
            }
            let c = valid[i..].chars().next().unwrap_or_default();
            let len = c.len_utf8();
            if needs_escape(c) {
                out.push_str(&valid[kept_from..i]);
                if c == '\t' && tabs == Tabs::Expand {
                    column += out[counted_to..].width();
                    let spaces = TAB_STOP - column % TAB_STOP;
                    out.extend(std::iter::repeat_n(' ', spaces));
                    column += spaces;
                    counted_to = out.len();
                } else {
                    push_escape(out, c);
                }
                kept_from = i + len;
            }
            i += len;
        }
        out.push_str(&valid[kept_from..]);
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
}

/// True when `s` has nothing [`sanitize`] would change.
pub fn is_clean(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b)) || !s.chars().any(needs_escape)
}

/// Characters that must never reach the terminal as themselves.
pub fn needs_escape(c: char) -> bool {
    // `is_control` is exactly C0 (with ESC, CR, LF, TAB), DEL and C1
    // (U+0080–U+009F, where U+009B is CSI and U+009D is OSC).
    c.is_control()
        || matches!(
            c,
            // Arabic letter mark, Mongolian vowel separator.
            '\u{061c}' | '\u{180e}'
            // Zero-width space, non-joiner, joiner; left-to-right and
            // right-to-left marks.
            | '\u{200b}'..='\u{200f}'
            // Line and paragraph separators (some terminals break the
            // line), then the bidi embeddings and overrides.
            | '\u{2028}'..='\u{202e}'
            // Word joiner and the invisible operators; bidi isolates.
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            // Byte order mark / zero-width no-break space.
            | '\u{feff}'
            // Interlinear annotation marks.
            | '\u{fff9}'..='\u{fffb}'
            // Tag characters: invisible, and able to spell out hidden text.
            | '\u{e0000}'..='\u{e007f}'
        )
}

fn push_escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x100 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:04x}}}", c as u32);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
