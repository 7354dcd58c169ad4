//! JSON and logfmt records read into `LEVEL message key=value…`.
//!
//! Libraries disagree on names (`level`/`severity`/`lvl`, `msg`/`message`,
//! `ts`/`time`/`timestamp`, `error`/`err`) and on encodings (zap writes `ts`
//! as float seconds, pino `time` as integer milliseconds and `level` as a
//! number, slog `INFO+2`), so each role accepts them all. Fields keep the
//! order the program wrote them in: the order is part of how a team reads
//! its own logs, and a sorted map would lose it.
//!
//! A line is read only when it is a whole record: a JSON object with
//! nothing after it, or logfmt where every word is `key=value` and one key
//! names a role. Anything else (broken JSON, a line cut at the length limit,
//! klog's `I0102 …] "msg" key=value`, prose with an `a=b` in it) stays a
//! plain line, shown exactly as written.

use std::borrow::Cow;
use std::fmt;

use jiff::Timestamp;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::Level;
use crate::model::sanitize::{Tabs, push_sanitized};

/// What the caller needs beyond the text written into `out`.
pub(super) struct Record {
    pub level: Option<Level>,
    pub time: Option<Timestamp>,
    /// Where the message ends in the text written.
    pub message_end: usize,
}

/// A field's value as the record wrote it.
#[derive(Debug)]
enum Value<'a> {
    /// A string, unescaped.
    Str(Cow<'a, str>),
    /// Any other JSON value, as JSON text (a number, `true`, an object…).
    Json(&'a str),
}

type Fields<'a> = Vec<(Cow<'a, str>, Value<'a>)>;

/// Reads `line` as a JSON or logfmt record: its structured form (made
/// safe), in a string with room left for the raw line to follow, and what
/// else was read. `None` when the line is not a record.
pub(super) fn parse(line: &str) -> Option<(String, Record)> {
    let trimmed = line.trim_ascii();
    let fields = if trimmed.starts_with('{') {
        json(trimmed)?
    } else {
        logfmt(trimmed)?
    };
    if fields.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(line.len() * 2 + 16);
    let record = render(fields, &mut out);
    Some((out, record))
}

/// The part a field plays in the structured form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Level,
    Message,
    Time,
    Error,
}

/// Which role a key names, without case: the brief's names plus those of
/// Serilog's compact JSON (`@l`, `@m`, `@t`, `@x`), Elastic's ECS
/// (`log.level`, `@timestamp`, `error.message`) and python-json-logger
/// (`levelname`, `exc_info`).
fn role(key: &str) -> Option<Role> {
    const ROLES: &[(&str, Role)] = &[
        ("level", Role::Level),
        ("lvl", Role::Level),
        ("severity", Role::Level),
        ("loglevel", Role::Level),
        ("log.level", Role::Level),
        ("levelname", Role::Level),
        ("@l", Role::Level),
        ("msg", Role::Message),
        ("message", Role::Message),
        ("@m", Role::Message),
        ("ts", Role::Time),
        ("time", Role::Time),
        ("timestamp", Role::Time),
        ("@timestamp", Role::Time),
        ("@t", Role::Time),
        ("error", Role::Error),
        ("err", Role::Error),
        ("error.message", Role::Error),
        ("exception", Role::Error),
        ("exc_info", Role::Error),
        ("@x", Role::Error),
    ];
    ROLES
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|&(_, r)| r)
}

/// Lays the record out as `LEVEL message error=… key=value…`: the level
/// label padded to five cells so messages line up, the error right after
/// the message because that is what the reader came for, then the other
/// fields in the order written. A role's first readable field takes the
/// role; a level or time that cannot be read stays a field, so nothing the
/// program wrote is hidden (the time that was read is not shown here: the
/// pane shows timestamps in a column of their own).
fn render(fields: Fields<'_>, out: &mut String) -> Record {
    let mut level = None;
    let mut time = None;
    let mut message = None;
    let mut error = None;
    let mut rest = Vec::with_capacity(fields.len());
    for (i, (key, value)) in fields.iter().enumerate() {
        match role(key) {
            Some(Role::Level) if level.is_none() => {
                level = match value {
                    Value::Str(s) => Level::parse(s),
                    Value::Json(n) => n.parse().ok().and_then(Level::from_number),
                };
                if level.is_some() {
                    continue;
                }
            }
            Some(Role::Time) if time.is_none() => {
                time = match value {
                    Value::Str(s) => parse_time(s),
                    Value::Json(n) => parse_epoch(n),
                };
                if time.is_some() {
                    continue;
                }
            }
            Some(Role::Message) if message.is_none() => {
                message = Some(value);
                continue;
            }
            Some(Role::Error) if error.is_none() => {
                error = Some(i);
                continue;
            }
            _ => {}
        }
        rest.push(i);
    }

    if let Some(l) = level {
        out.push_str(l.label());
        out.push_str(&"     "[l.label().len()..]);
        out.push(' ');
    }
    let message_start = out.len();
    match message {
        Some(Value::Str(s)) => push_sanitized(out, s.as_bytes(), Tabs::Expand),
        Some(Value::Json(j)) => push_json(out, j),
        None => {}
    }
    let message_end = out.len();
    let mut separate = message_end > message_start;
    for i in error.into_iter().chain(rest) {
        if separate {
            out.push(' ');
        }
        separate = true;
        let (key, value) = &fields[i];
        push_sanitized(out, key.as_bytes(), Tabs::Escape);
        out.push('=');
        match value {
            Value::Str(s) => push_field_str(out, s),
            Value::Json(j) => push_json(out, j),
        }
    }
    if message_end == message_start && out.len() == message_start {
        // A level and nothing else: no trailing padding.
        out.truncate(out.trim_end().len());
    }
    Record {
        level,
        time,
        message_end: message_end.min(out.len()),
    }
}

/// A string field's value, quoted when it would not read as one value
/// (empty, or holding a space, a quote or an `=`), as logfmt quotes.
fn push_field_str(out: &mut String, s: &str) {
    if !s.is_empty() && !s.contains([' ', '"', '=']) {
        push_sanitized(out, s.as_bytes(), Tabs::Escape);
        return;
    }
    out.push('"');
    let mut parts = s.split('"');
    if let Some(first) = parts.next() {
        push_sanitized(out, first.as_bytes(), Tabs::Escape);
    }
    for part in parts {
        out.push_str("\\\"");
        push_sanitized(out, part.as_bytes(), Tabs::Escape);
    }
    out.push('"');
}

/// A JSON value written compactly: whitespace outside strings dropped, so
/// a nested object reads `{"a":1,"b":[2,3]}` whatever the program's
/// indentation. JSON allows raw C1 and bidi characters in strings, so the
/// result is made safe like everything else.
fn push_json(out: &mut String, json: &str) {
    if !json.starts_with(['{', '[']) {
        push_sanitized(out, json.as_bytes(), Tabs::Escape);
        return;
    }
    let mut compact = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if c.is_ascii_whitespace() {
            continue;
        }
        compact.push(c);
    }
    push_sanitized(out, compact.as_bytes(), Tabs::Escape);
}

/// A time as text: RFC 3339 (`2024-01-02T15:04:05.123Z`, any offset), or
/// epoch seconds/milliseconds written as a string.
fn parse_time(s: &str) -> Option<Timestamp> {
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return parse_epoch(s);
    }
    s.trim().parse().ok()
}

/// Epoch time as a number in any of the units libraries use, told apart by
/// size: seconds until the year 5138, then milliseconds, microseconds,
/// nanoseconds (zap writes float seconds, pino integer milliseconds,
/// zerolog can write any of them).
fn parse_epoch(n: &str) -> Option<Timestamp> {
    const SCALES: [(i128, i128); 4] = [
        (100_000_000_000, 1_000_000_000),
        (100_000_000_000_000, 1_000_000),
        (100_000_000_000_000_000, 1_000),
        (i128::MAX, 1),
    ];
    let nanos = if let Ok(int) = n.parse::<i64>() {
        let int = i128::from(int);
        let (_, scale) = SCALES.iter().find(|(below, _)| int < *below)?;
        int * scale
    } else {
        let f: f64 = n.parse().ok()?;
        if !f.is_finite() {
            return None;
        }
        let (_, scale) = SCALES.iter().find(|(below, _)| f < *below as f64)?;
        (f * *scale as f64) as i128
    };
    if nanos <= 0 {
        return None;
    }
    Timestamp::from_nanosecond(nanos).ok()
}

/// A JSON object's fields in the order written, values left as JSON text.
fn json(line: &str) -> Option<Fields<'_>> {
    let Object(entries) = serde_json::from_str(line).ok()?;
    entries
        .into_iter()
        .map(|(key, value)| {
            let text = value.get();
            let value = if text.starts_with('"') {
                Value::Str(serde_json::from_str::<Text>(text).ok()?.0)
            } else {
                Value::Json(text)
            };
            Some((key, value))
        })
        .collect()
}

/// A string that borrows from the line when it has no escapes (serde's own
/// `Cow<str>` always copies).
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(TextVisitor)
    }
}

/// A JSON object as its entries in order, values unparsed.
struct Object<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Object<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = Object<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object<'de>, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
                    entries.push((key, map.next_value::<&'de RawValue>()?));
                }
                Ok(Object(entries))
            }
        }
        d.deserialize_map(ObjectVisitor)
    }
}

/// logfmt (`level=info msg="listening" addr=:8080`): every word a
/// `key=value`, values bare or double-quoted with Go's escapes, and one key
/// naming a role, so that prose which happens to hold an `a=b` is not taken
/// for a record.
fn logfmt(line: &str) -> Option<Fields<'_>> {
    let b = line.as_bytes();
    let mut fields = Vec::new();
    let mut i = 0;
    loop {
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        if i == b.len() {
            break;
        }
        let key_start = i;
        while i < b.len() && !matches!(b[i], b'=' | b' ' | b'"') {
            i += 1;
        }
        if i == key_start || b.get(i) != Some(&b'=') {
            return None;
        }
        let key = &line[key_start..i];
        i += 1;
        let value = if b.get(i) == Some(&b'"') {
            i += 1;
            let start = i;
            let mut escapes = false;
            loop {
                match b.get(i)? {
                    b'\\' => {
                        escapes = true;
                        i += 2;
                    }
                    b'"' => break,
                    _ => i += 1,
                }
            }
            let quoted = &line[start..i];
            i += 1;
            if i < b.len() && b[i] != b' ' {
                return None;
            }
            if escapes {
                Cow::Owned(unquote(quoted))
            } else {
                Cow::Borrowed(quoted)
            }
        } else {
            let start = i;
            while i < b.len() && b[i] != b' ' {
                i += 1;
            }
            Cow::Borrowed(&line[start..i])
        };
        fields.push((Cow::Borrowed(key), Value::Str(value)));
    }
    if !fields.iter().any(|(k, _)| role(k).is_some()) {
        return None;
    }
    Some(fields)
}

/// A Go-quoted string's escapes (`\"`, `\\`, `\n`, `\t`, `\r`, `\uXXXX`)
/// undone; others are kept as written.
fn unquote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('u') => {
                let hex: String = chars.clone().take(4).collect();
                let digits = hex.len() == 4 && hex.bytes().all(|b| b.is_ascii_hexdigit());
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(u) if digits => {
                        out.push(u);
                        chars.nth(3);
                    }
                    _ => out.push_str("\\u"),
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}
