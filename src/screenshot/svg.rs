//! A ratatui buffer as an SVG picture of a terminal: a grid of monospace
//! cells, each with its colours and emphasis.
//!
//! - Backgrounds are rectangles, one per run of cells with the same
//!   colour on a row; the terminal's own background is the canvas.
//! - Text is one `<text>` per run of cells with the same ink on a row,
//!   placed at its first cell and stretched (`textLength`) to exactly its
//!   cells, so the grid holds whatever the viewer's monospace font.
//! - Inks and backgrounds are CSS classes, so a style costs its
//!   declaration once, not on every run.
//! - A wide character (CJK, some symbols) takes two cells, as in a
//!   terminal: the cell after it is not drawn.
//! - Reversed swaps the colours, hidden paints the text in the background
//!   colour, dim halves the opacity; bold, italic, underline and crossed
//!   out are the font's and CSS's own.

use std::collections::BTreeMap;
use std::fmt::Write;

use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use unicode_width::UnicodeWidthStr;

use super::palette::{Rgb, rgb};

/// How cells become pixels, and what `Color::Reset` is.
#[derive(Debug, Clone, PartialEq)]
pub struct Canvas {
    pub font_size: f64,
    pub cell_width: f64,
    pub cell_height: f64,
    /// Around the grid, in the background colour.
    pub padding: f64,
    /// The terminal's own colours (`Color::Reset`).
    pub fg: Rgb,
    pub bg: Rgb,
}

impl Default for Canvas {
    /// A dark terminal, as the default theme expects (xterm 252 on 233),
    /// 14 px text in cells of 0.6 em by 1.2 em.
    fn default() -> Canvas {
        Canvas {
            font_size: 14.0,
            cell_width: 8.4,
            cell_height: 17.0,
            padding: 12.0,
            fg: Rgb(0xd0, 0xd0, 0xd0),
            bg: Rgb(0x12, 0x12, 0x12),
        }
    }
}

impl Canvas {
    /// The default canvas in the colours of the theme's base style where
    /// it names them: a theme with its own background paints the whole
    /// screen, and that background is then the canvas, not a rectangle
    /// per run.
    pub fn for_theme(theme: &crate::config::theme::Theme) -> Canvas {
        let default = Canvas::default();
        let pick = |c: Option<ratatui::style::Color>, fallback: Rgb| match c {
            None | Some(ratatui::style::Color::Reset) => fallback,
            Some(c) => rgb(c, fallback),
        };
        Canvas {
            fg: pick(theme.base.fg, default.fg),
            bg: pick(theme.base.bg, default.bg),
            ..default
        }
    }
}

const FONTS: &str = "'DejaVu Sans Mono','Cascadia Mono',Menlo,Consolas,'Liberation Mono',monospace";

/// How a cell's text looks, after reversed and hidden are resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Ink {
    fg: Rgb,
    bold: bool,
    italic: bool,
    underline: bool,
    strike: bool,
    dim: bool,
}

impl Ink {
    /// Decorations draw even under spaces, so those spaces must be kept.
    fn decorated(&self) -> bool {
        self.underline || self.strike
    }

    fn css(&self) -> String {
        let mut css = format!("fill:{}", self.fg);
        if self.bold {
            css.push_str(";font-weight:bold");
        }
        if self.italic {
            css.push_str(";font-style:italic");
        }
        match (self.underline, self.strike) {
            (true, true) => css.push_str(";text-decoration:underline line-through"),
            (true, false) => css.push_str(";text-decoration:underline"),
            (false, true) => css.push_str(";text-decoration:line-through"),
            (false, false) => {}
        }
        if self.dim {
            css.push_str(";opacity:.5");
        }
        css
    }
}

/// One drawn cell (two for a wide character).
struct Slot<'a> {
    x: u16,
    width: u16,
    text: &'a str,
    ink: Ink,
    bg: Rgb,
}

/// The cells of row `y` as they show: skipped cells and the cells under
/// wide characters left out.
fn slots<'a>(buffer: &'a Buffer, y: u16, canvas: &Canvas) -> Vec<Slot<'a>> {
    let area = buffer.area;
    let mut out = Vec::with_capacity(usize::from(area.width));
    let mut x = area.left();
    while x < area.right() {
        let cell = &buffer[(x, y)];
        let text = match cell.symbol() {
            "" => " ",
            s => s,
        };
        let width = (text.width() as u16).clamp(1, 2).min(area.right() - x);
        if !cell.skip {
            let m = cell.modifier;
            let (mut fg, mut bg) = (rgb(cell.fg, canvas.fg), rgb(cell.bg, canvas.bg));
            if m.contains(Modifier::REVERSED) {
                std::mem::swap(&mut fg, &mut bg);
            }
            if m.contains(Modifier::HIDDEN) {
                fg = bg;
            }
            out.push(Slot {
                x: x - area.left(),
                width,
                text,
                ink: Ink {
                    fg,
                    bold: m.contains(Modifier::BOLD),
                    italic: m.contains(Modifier::ITALIC),
                    underline: m.contains(Modifier::UNDERLINED),
                    strike: m.contains(Modifier::CROSSED_OUT),
                    dim: m.contains(Modifier::DIM),
                },
                bg,
            });
        }
        x += width;
    }
    out
}

/// Numbers as SVG wants them: at most one decimal, no trailing `.0`.
fn num(v: f64) -> String {
    let s = format!("{v:.1}");
    match s.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => s,
    }
}

/// Text as XML character data; characters XML cannot hold (C0 controls)
/// become U+FFFD, though the console never draws them.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// Classes in order of first use: `prefix` and a number.
struct Classes<K> {
    prefix: char,
    ids: BTreeMap<K, usize>,
}

impl<K: Ord + Copy> Classes<K> {
    fn new(prefix: char) -> Classes<K> {
        Classes {
            prefix,
            ids: BTreeMap::new(),
        }
    }

    fn of(&mut self, key: K) -> String {
        let next = self.ids.len();
        format!("{}{}", self.prefix, self.ids.entry(key).or_insert(next))
    }

    /// `(class, key)` in class order.
    fn declared(&self) -> Vec<(String, K)> {
        let mut v: Vec<(usize, K)> = self.ids.iter().map(|(k, i)| (*i, *k)).collect();
        v.sort_by_key(|(i, _)| *i);
        v.into_iter()
            .map(|(i, k)| (format!("{}{i}", self.prefix), k))
            .collect()
    }
}

/// The whole buffer as an SVG document titled `title`.
pub fn to_svg(buffer: &Buffer, title: &str, canvas: &Canvas) -> String {
    let area = buffer.area;
    let (cw, ch, pad) = (canvas.cell_width, canvas.cell_height, canvas.padding);
    let mut inks: Classes<Ink> = Classes::new('t');
    let mut fills: Classes<Rgb> = Classes::new('b');
    let mut backgrounds = String::new();
    let mut texts = String::new();
    for y in area.top()..area.bottom() {
        let row = slots(buffer, y, canvas);
        let top = pad + f64::from(y - area.top()) * ch;
        // Backgrounds: runs of one colour other than the canvas's.
        let mut i = 0;
        while i < row.len() {
            let bg = row[i].bg;
            let mut j = i;
            while j < row.len() && row[j].bg == bg {
                j += 1;
            }
            if bg != canvas.bg {
                let cells: u16 = row[i..j].iter().map(|s| s.width).sum();
                let _ = writeln!(
                    backgrounds,
                    r#"<rect class="{}" x="{}" y="{}" width="{}" height="{}"/>"#,
                    fills.of(bg),
                    num(pad + f64::from(row[i].x) * cw),
                    num(top),
                    num(f64::from(cells) * cw),
                    num(ch)
                );
            }
            i = j;
        }
        // Text: runs of one ink, without the spaces at their ends unless
        // they are underlined or struck through.
        let baseline = top + (ch * 0.78).round();
        let mut i = 0;
        while i < row.len() {
            let ink = row[i].ink;
            let mut j = i;
            while j < row.len() && row[j].ink == ink {
                j += 1;
            }
            let mut run = &row[i..j];
            if !ink.decorated() {
                while let [first, rest @ ..] = run
                    && first.text == " "
                {
                    run = rest;
                }
                while let [rest @ .., last] = run
                    && last.text == " "
                {
                    run = rest;
                }
            }
            if let Some(first) = run.first() {
                let cells: u16 = run.iter().map(|s| s.width).sum();
                let _ = write!(
                    texts,
                    r#"<text class="{}" x="{}" y="{}" textLength="{}">"#,
                    inks.of(ink),
                    num(pad + f64::from(first.x) * cw),
                    num(baseline),
                    num(f64::from(cells) * cw)
                );
                for slot in run {
                    escape_into(&mut texts, slot.text);
                }
                texts.push_str("</text>\n");
            }
            i = j;
        }
    }
    let width = 2.0 * pad + f64::from(area.width) * cw;
    let height = 2.0 * pad + f64::from(area.height) * ch;
    let mut out = String::with_capacity(backgrounds.len() + texts.len() + 4096);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" xml:space="preserve">"#,
        w = num(width),
        h = num(height)
    );
    out.push_str("<title>");
    escape_into(&mut out, title);
    out.push_str("</title>\n<style>\n");
    let _ = writeln!(
        out,
        "text{{font-family:{FONTS};font-size:{}px;white-space:pre}}",
        num(canvas.font_size)
    );
    for (class, ink) in inks.declared() {
        let _ = writeln!(out, ".{class}{{{}}}", ink.css());
    }
    for (class, fill) in fills.declared() {
        let _ = writeln!(out, ".{class}{{fill:{fill}}}");
    }
    out.push_str("</style>\n");
    let _ = writeln!(
        out,
        r#"<rect width="100%" height="100%" rx="6" fill="{}"/>"#,
        canvas.bg
    );
    out.push_str(&backgrounds);
    out.push_str(&texts);
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests;
