//! The note editor's text as plain data: lines and a cursor, edited by
//! keys. No widget lives in the State; `ui::timeline` draws it.
//!
//! It does what a note needs: typing, new lines, deleting either way,
//! moving by character, word, line and to either end, and `ctrl-u` / `ctrl-k`
//! / `ctrl-w` as in a shell. A note is bounded (`MAX_BYTES`): past it,
//! typing does nothing but deleting still works.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The most a note holds: prose, not a log dump.
pub const MAX_BYTES: usize = 64 * 1024;

/// The note editor (`n`, or `e` on a note in the timeline to correct it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteEditor {
    pub text: TextBuffer,
    /// The note this corrects (a new entry amending it; nothing is rewritten).
    pub corrects: Option<u64>,
}

/// Lines of text and a cursor: `row` is a line, `col` a character index in
/// it (not a byte, not a cell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextBuffer {
    lines: Vec<String>,
    row: usize,
    col: usize,
}

impl Default for TextBuffer {
    fn default() -> TextBuffer {
        TextBuffer {
            lines: vec![String::new()],
            row: 0,
            col: 0,
        }
    }
}

impl TextBuffer {
    /// `text` with the cursor at its end.
    pub fn new(text: &str) -> TextBuffer {
        let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        if lines.is_empty() {
            lines.push(String::new());
        }
        let row = lines.len() - 1;
        let col = lines[row].chars().count();
        TextBuffer { lines, row, col }
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The cursor as (line, character in the line).
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.col)
    }

    /// The text, lines joined with newlines.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(|l| l.trim().is_empty())
    }

    fn bytes(&self) -> usize {
        self.lines.iter().map(|l| l.len() + 1).sum()
    }

    fn line(&self) -> &str {
        &self.lines[self.row]
    }

    fn len(&self) -> usize {
        self.line().chars().count()
    }

    /// Byte offset of character `col` in the current line.
    fn at(&self, col: usize) -> usize {
        self.line()
            .char_indices()
            .nth(col)
            .map_or(self.line().len(), |(i, _)| i)
    }

    /// Applies a key; `false` when the key means nothing here.
    pub fn input(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Char('a') if ctrl => self.col = 0,
            KeyCode::Char('e') if ctrl => self.col = self.len(),
            KeyCode::Char('u') if ctrl => {
                let at = self.at(self.col);
                self.lines[self.row].drain(..at);
                self.col = 0;
            }
            KeyCode::Char('k') if ctrl => {
                let at = self.at(self.col);
                self.lines[self.row].truncate(at);
            }
            KeyCode::Char('w') if ctrl => self.delete_word_back(),
            KeyCode::Char(c) if !ctrl && !alt => self.insert(c),
            KeyCode::Tab => {
                for _ in 0..4 {
                    self.insert(' ');
                }
            }
            KeyCode::Enter => self.newline(),
            KeyCode::Backspace if alt || ctrl => self.delete_word_back(),
            KeyCode::Backspace => self.backspace(),
            KeyCode::Delete => self.delete(),
            KeyCode::Left if ctrl || alt => self.word_left(),
            KeyCode::Right if ctrl || alt => self.word_right(),
            KeyCode::Left => self.left(),
            KeyCode::Right => self.right(),
            KeyCode::Up => self.vertical(-1),
            KeyCode::Down => self.vertical(1),
            KeyCode::Home => self.col = 0,
            KeyCode::End => self.col = self.len(),
            _ => return false,
        }
        true
    }

    fn insert(&mut self, c: char) {
        if c.is_control() || self.bytes() + c.len_utf8() > MAX_BYTES {
            return;
        }
        let at = self.at(self.col);
        self.lines[self.row].insert(at, c);
        self.col += 1;
    }

    fn newline(&mut self) {
        if self.bytes() + 1 > MAX_BYTES {
            return;
        }
        let at = self.at(self.col);
        let rest = self.lines[self.row].split_off(at);
        self.row += 1;
        self.lines.insert(self.row, rest);
        self.col = 0;
    }

    fn backspace(&mut self) {
        if self.col > 0 {
            self.col -= 1;
            let at = self.at(self.col);
            self.lines[self.row].remove(at);
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.col = self.len();
            self.lines[self.row].push_str(&line);
        }
    }

    fn delete(&mut self) {
        if self.col < self.len() {
            let at = self.at(self.col);
            self.lines[self.row].remove(at);
        } else if self.row + 1 < self.lines.len() {
            let next = self.lines.remove(self.row + 1);
            self.lines[self.row].push_str(&next);
        }
    }

    fn left(&mut self) {
        if self.col > 0 {
            self.col -= 1;
        } else if self.row > 0 {
            self.row -= 1;
            self.col = self.len();
        }
    }

    fn right(&mut self) {
        if self.col < self.len() {
            self.col += 1;
        } else if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.col = 0;
        }
    }

    fn vertical(&mut self, by: isize) {
        let Some(row) = self.row.checked_add_signed(by) else {
            return;
        };
        if row < self.lines.len() {
            self.row = row;
            self.col = self.col.min(self.len());
        }
    }

    /// The start of the word before the cursor (at a line's start: the
    /// end of the line before).
    fn word_start(&self) -> usize {
        let chars: Vec<char> = self.line().chars().take(self.col).collect();
        let mut i = chars.len();
        while i > 0 && chars[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !chars[i - 1].is_whitespace() {
            i -= 1;
        }
        i
    }

    fn word_left(&mut self) {
        if self.col == 0 {
            self.left();
        } else {
            self.col = self.word_start();
        }
    }

    fn word_right(&mut self) {
        let chars: Vec<char> = self.line().chars().collect();
        if self.col >= chars.len() {
            return self.right();
        }
        let mut i = self.col;
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        self.col = i;
    }

    fn delete_word_back(&mut self) {
        if self.col == 0 {
            return self.backspace();
        }
        let start = self.word_start();
        let (from, to) = (self.at(start), self.at(self.col));
        self.lines[self.row].drain(from..to);
        self.col = start;
    }
}

#[cfg(test)]
mod tests;
