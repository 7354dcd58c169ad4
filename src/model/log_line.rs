//! One log line as the logs pane holds it: made safe once, on arrival, and
//! read structurally when it is a JSON or logfmt record.
//!
//! A pane holds 10,000 lines per view and a chatty workload sends thousands
//! a second, so a line is small and built in one pass: its text lives in a
//! single allocation (for a structured line the `LEVEL message key=value`
//! form followed by the sanitised raw line; for a plain line only the raw
//! line, usually the very allocation the stream handed over), and the
//! structure is a couple of offsets into it. Searching, highlighting and
//! drawing then slice that text and never copy it.

mod structured;
#[cfg(test)]
mod tests;

use std::fmt;
use std::ops::Range;

use jiff::Timestamp;

use super::sanitize::{Tabs, is_clean, push_sanitized};
use crate::model::log_stream::{RawLine, StreamId};

/// How serious a line says it is, lowest first so `>=` reads as "at least".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}

/// Level names as logging libraries write them (zap, logrus, slog, pino,
/// bunyan, Serilog, log4j, java.util.logging, syslog, GCP `severity`),
/// compared without case. Everything more serious than an error (fatal,
/// panic, critical, alert, emergency) is an error here: the pane filters
/// and colours by these five.
const LEVEL_NAMES: &[(&str, Level)] = &[
    ("error", Level::Error),
    ("err", Level::Error),
    ("fatal", Level::Error),
    ("panic", Level::Error),
    ("dpanic", Level::Error),
    ("critical", Level::Error),
    ("crit", Level::Error),
    ("alert", Level::Error),
    ("emerg", Level::Error),
    ("emergency", Level::Error),
    ("severe", Level::Error),
    ("warn", Level::Warn),
    ("warning", Level::Warn),
    ("info", Level::Info),
    ("information", Level::Info),
    ("informational", Level::Info),
    ("notice", Level::Info),
    ("debug", Level::Debug),
    ("fine", Level::Debug),
    ("trace", Level::Trace),
    ("verbose", Level::Trace),
    ("finer", Level::Trace),
    ("finest", Level::Trace),
];

impl Level {
    /// The label the structured view starts with.
    pub fn label(self) -> &'static str {
        match self {
            Level::Error => "ERROR",
            Level::Warn => "WARN",
            Level::Info => "INFO",
            Level::Debug => "DEBUG",
            Level::Trace => "TRACE",
        }
    }

    /// A level as text: a name in any case (`warning`, `ERROR`), a slog
    /// level with an offset (`INFO+2`, `DEBUG-4`), or a bunyan/pino number
    /// written as a string (`"30"`).
    pub fn parse(text: &str) -> Option<Level> {
        let text = text.trim();
        // slog writes levels between the named ones as `NAME+n` / `NAME-n`.
        let name = match text.find(['+', '-']) {
            Some(i) if i > 0 && i + 1 < text.len() => {
                if text[i + 1..].bytes().all(|b| b.is_ascii_digit()) {
                    &text[..i]
                } else {
                    text
                }
            }
            _ => text,
        };
        if !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) {
            return name.parse().ok().and_then(Level::from_number);
        }
        LEVEL_NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, level)| level)
    }

    /// bunyan's and pino's numbers: 10 trace, 20 debug, 30 info, 40 warn,
    /// 50 error, 60 fatal (values between count as the one below). Other
    /// numbers are not guessed at: zerolog's -1..5 and syslog's 0..7 mean
    /// different things for the same digits, so they stay a plain field.
    pub fn from_number(n: i64) -> Option<Level> {
        Some(match n {
            50..=69 => Level::Error,
            40..=49 => Level::Warn,
            30..=39 => Level::Info,
            20..=29 => Level::Debug,
            10..=19 => Level::Trace,
            _ => return None,
        })
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Text shown as it came (made safe).
    Plain,
    /// A JSON or logfmt record, shown as `LEVEL message key=value…` unless
    /// the raw view is on.
    Structured,
    /// Written by the console, not the pod: a container restarted, a pod
    /// joined or left the stream.
    Marker,
}

/// One line of a log view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    stream: StreamId,
    /// The kubelet's timestamp.
    at: Moment,
    /// The time the record itself carries (`ts`, `time`, `timestamp`).
    time: Moment,
    /// `text[..split]` is the structured form, `text[split..]` the raw line.
    text: Box<str>,
    cut: usize,
    /// Where the structured form ends and the raw line starts; 0 when the
    /// line has no structured form.
    split: u32,
    /// Where the message ends in the structured form (the fields follow).
    message_end: u32,
    level: Option<Level>,
    kind: LineKind,
    previous: bool,
}

/// An optional timestamp in 8 bytes instead of `Option<Timestamp>`'s 24:
/// nanoseconds since the epoch, `i64::MIN` for none. Covers 1678–2262; a
/// log line claiming a time outside that has no time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Moment(i64);

impl Moment {
    const NONE: Moment = Moment(i64::MIN);

    fn new(t: Option<Timestamp>) -> Moment {
        t.and_then(|t| i64::try_from(t.as_nanosecond()).ok())
            .filter(|&n| n != i64::MIN)
            .map_or(Moment::NONE, Moment)
    }

    fn get(self) -> Option<Timestamp> {
        if self == Moment::NONE {
            return None;
        }
        Timestamp::from_nanosecond(i128::from(self.0)).ok()
    }
}

/// What to draw for a line: the text, and which parts of it to style.
/// Ranges are byte ranges into `text`, the same text searches match in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown<'a> {
    pub text: &'a str,
    /// The level the label at `label` names (structured view only; a plain
    /// line's level is [`LogLine::level`], to tint the line if wanted).
    pub level: Option<Level>,
    /// The level label (`ERROR`), empty when there is none.
    pub label: Range<usize>,
    /// The message; what follows it are `key=value` fields. The whole text
    /// for plain lines and markers.
    pub message: Range<usize>,
    /// Bytes the stream cut off: draw [`cut_marker`] after the text.
    pub cut: usize,
}

/// Writes the line as the pane shows it, cut marker included: for saving
/// the buffer to a file or copying a line.
impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)?;
        if self.cut > 0 {
            f.write_str(&cut_marker(self.cut))?;
        }
        Ok(())
    }
}

/// What ends a line the stream cut at its length limit: ` …[cut 1048576 bytes]`.
/// Kept out of the line's text so a search never matches it.
pub fn cut_marker(cut: usize) -> String {
    format!(" …[cut {cut} bytes]")
}

impl LogLine {
    /// A line off the wire, made safe and read structurally. Bytes that are
    /// not UTF-8 are shown as `\xNN` escapes (see [`push_sanitized`]); such a
    /// line is never read as JSON or logfmt.
    pub fn from_raw(raw: RawLine) -> LogLine {
        let RawLine {
            stream,
            at,
            bytes,
            cut,
            previous,
        } = raw;
        let mut line = LogLine {
            stream,
            at: Moment::new(at),
            time: Moment::NONE,
            text: Box::default(),
            cut,
            split: 0,
            message_end: 0,
            level: None,
            kind: LineKind::Plain,
            previous,
        };
        let Ok(valid) = std::str::from_utf8(&bytes) else {
            line.text = sanitized(&bytes);
            line.level = plain_level(&line.text);
            return line;
        };
        if let Some((mut out, record)) = structured::parse(valid) {
            let split = out.len();
            push_sanitized(&mut out, &bytes, Tabs::Expand);
            if let (Ok(split), Ok(message_end)) =
                (u32::try_from(split), u32::try_from(record.message_end))
            {
                line.text = out.into_boxed_str();
                line.split = split;
                line.message_end = message_end;
                line.level = record.level;
                line.time = Moment::new(record.time);
                line.kind = LineKind::Structured;
                return line;
            }
        }
        line.text = if is_clean(valid) {
            // Nothing to escape: keep the stream's allocation as it is.
            match String::from_utf8(bytes.into_vec()) {
                Ok(s) => s.into_boxed_str(),
                Err(e) => sanitized(e.as_bytes()),
            }
        } else {
            sanitized(&bytes)
        };
        line.level = plain_level(&line.text);
        line
    }

    /// A line the console writes into the stream: `text` is what happened
    /// ("checkout-7d8f… restarted: OOMKilled (exit 137)"); the pane draws
    /// the rule around it. Kept in order with the pod's lines and shown
    /// whatever the level or text filter (the reason lines stop or start
    /// matters in any view); only the `since` cut hides it.
    pub fn marker(text: &str, stream: StreamId, at: Option<Timestamp>) -> LogLine {
        LogLine {
            stream,
            at: Moment::new(at),
            time: Moment::NONE,
            text: sanitized(text.as_bytes()),
            cut: 0,
            split: 0,
            message_end: 0,
            level: None,
            kind: LineKind::Marker,
            previous: false,
        }
    }

    pub fn stream(&self) -> &StreamId {
        &self.stream
    }

    /// The kubelet's timestamp for the line.
    pub fn at(&self) -> Option<Timestamp> {
        self.at.get()
    }

    /// The time the record carries in its own fields.
    pub fn time(&self) -> Option<Timestamp> {
        self.time.get()
    }

    /// When the line was written: the kubelet's time, else the record's.
    pub fn when(&self) -> Option<Timestamp> {
        self.at.get().or_else(|| self.time.get())
    }

    /// From the previous (terminated) container instance.
    pub fn previous(&self) -> bool {
        self.previous
    }

    /// Bytes the stream cut off the end of this line.
    pub fn cut(&self) -> usize {
        self.cut
    }

    /// The record's level; for plain lines a level read from a klog header
    /// (`E0102 15:04:05…`) or a level word near the start (`… ERROR [main]`,
    /// nginx's `[error]`), or inherited by a continuation line (see the
    /// buffer).
    pub fn level(&self) -> Option<Level> {
        self.level
    }

    pub fn kind(&self) -> LineKind {
        self.kind
    }

    pub fn is_marker(&self) -> bool {
        self.kind == LineKind::Marker
    }

    /// The line as the pod wrote it, made safe (tabs expanded, escapes
    /// visible), without the cut marker.
    pub fn raw(&self) -> &str {
        &self.text[self.split as usize..]
    }

    /// The text shown: the structured form (`LEVEL message key=value…`)
    /// unless `raw`, or when the line has none.
    pub fn text(&self, raw: bool) -> &str {
        if raw || self.split == 0 {
            self.raw()
        } else {
            &self.text[..self.split as usize]
        }
    }

    /// The text shown and its parts, for drawing.
    pub fn shown(&self, raw: bool) -> Shown<'_> {
        let text = self.text(raw);
        let (level, label, message) = if raw || self.split == 0 {
            (None, 0..0, 0..text.len())
        } else {
            let (level, label, start) = match self.level {
                // The label is padded to five cells and a space follows.
                Some(l) => (Some(l), 0..l.label().len(), 6.min(text.len())),
                None => (None, 0..0, 0),
            };
            (level, label, start..self.message_end as usize)
        };
        Shown {
            text,
            level,
            label,
            message,
            cut: self.cut,
        }
    }

    /// Bytes this line keeps on the heap for its text.
    pub fn text_bytes(&self) -> usize {
        self.text.len()
    }

    /// A continuation line (an indented stack frame) takes the level of the
    /// line it continues, so a level filter keeps a stack trace together.
    pub(crate) fn continues_with(&mut self, level: Option<Level>) {
        if self.kind == LineKind::Plain && self.level.is_none() && is_continuation(&self.text) {
            self.level = level;
        }
    }
}

fn sanitized(bytes: &[u8]) -> Box<str> {
    let mut out = String::with_capacity(bytes.len() + 16);
    push_sanitized(&mut out, bytes, Tabs::Expand);
    out.into_boxed_str()
}

/// Lines that carry on the line before them: stack frames (`    at …`,
/// `\tat …` — tabs are already spaces), Java's `Caused by:`, Python's
/// `Traceback`, and an exception's own line (`java.lang.IllegalStateException:
/// …`, `ValueError: …`, `Error: …`) that the frames follow.
fn is_continuation(text: &str) -> bool {
    if text.starts_with(' ') || text.starts_with("Caused by") || text.starts_with("Traceback") {
        return true;
    }
    match text.split_once(':') {
        Some((head, _)) => {
            !head.contains(' ') && (head.ends_with("Exception") || head.ends_with("Error"))
        }
        None => false,
    }
}

/// How far into a plain line a level word is looked for: past a timestamp
/// and a thread name, not into the message.
const LEVEL_WORD_WITHIN: usize = 48;

/// A plain line's level, when it says so where formats put it: a klog
/// header (`I0102 15:04:05.123456 1 main.go:42] …`), an upper-case level
/// word near the start (log4j's `2024-01-02 10:00:00,123 ERROR [main] …`,
/// Python's `WARNING:root:…`), or a bracketed one (nginx's `[error]`).
/// Lower-case words elsewhere are prose, not levels.
fn plain_level(text: &str) -> Option<Level> {
    let b = text.as_bytes();
    if b.len() > 6 && b[1..5].iter().all(u8::is_ascii_digit) && b[5] == b' ' {
        match b[0] {
            b'I' => return Some(Level::Info),
            b'W' => return Some(Level::Warn),
            b'E' | b'F' => return Some(Level::Error),
            _ => {}
        }
    }
    let head = &b[..b.len().min(LEVEL_WORD_WITHIN)];
    let mut start = 0;
    while start < head.len() {
        if !head[start].is_ascii_alphabetic() {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < head.len() && head[end].is_ascii_alphanumeric() {
            end += 1;
        }
        // A word cut by the window might be longer than it looks.
        let whole = end < head.len() || end == b.len();
        let word = &head[start..end];
        let upper = word.iter().all(u8::is_ascii_uppercase);
        let bracketed = start > 0 && head[start - 1] == b'[' && head.get(end) == Some(&b']');
        if whole && (3..=8).contains(&word.len()) && (upper || bracketed) {
            // ASCII letters only, so this is valid UTF-8.
            if let Some(level) = std::str::from_utf8(word).ok().and_then(Level::parse) {
                return Some(level);
            }
        }
        start = end;
    }
    None
}
