//! Secrets taken out of text before it leaves warroom in an export.
//!
//! warroom never records a secret's value on purpose, but entries quote
//! what clusters, alerts and people wrote, and those quote tokens. Each
//! rule below finds the byte ranges of secret values; overlapping ranges
//! are merged and each becomes `REDACTED`. Names stay (`password=`,
//! `Authorization:`, the user of a URL) so the reader still sees what was
//! there.

use std::borrow::Cow;

/// What a secret value becomes.
pub const REDACTED: &str = "REDACTED";

/// Key names whose values are secrets, compared with `_`, `-` and `.`
/// removed and ignoring case, at the end of the key: `password`,
/// `DB_PASSWORD`, `--token`, `access_token`, `client-secret`, `X-Api-Key`.
/// `token-bucket` or `secretName` do not end with one.
const SECRET_KEYS: [&str; 6] = [
    "password",
    "passwd",
    "token",
    "secret",
    "apikey",
    "accesskey",
];

/// `text` with bearer tokens, `Authorization:` header values, passwords in
/// URLs, `password=`/`token=`/`secret=`/`apikey=` values, JWTs and the
/// `--from-literal` values of `kubectl create secret` replaced by
/// `REDACTED`. Borrows when there is nothing to redact.
pub fn redact(text: &str) -> Cow<'_, str> {
    let mut ranges = Vec::new();
    bearer_tokens(text, &mut ranges);
    authorization_headers(text, &mut ranges);
    url_passwords(text, &mut ranges);
    key_values(text, &mut ranges);
    jwts(text, &mut ranges);
    from_literals(text, &mut ranges);
    // Values already redacted stay as they are (and borrowed).
    ranges.retain(|&(s, e)| s < e && &text[s..e] != REDACTED);
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    ranges.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    let mut i = 0;
    while i < ranges.len() {
        let (start, mut end) = ranges[i];
        i += 1;
        while i < ranges.len() && ranges[i].0 <= end {
            end = end.max(ranges[i].1);
            i += 1;
        }
        out.push_str(&text[done..start.max(done)]);
        if end > done {
            out.push_str(REDACTED);
            done = end;
        }
    }
    out.push_str(&text[done..]);
    Cow::Owned(out)
}

/// Characters of a token: base64, base64url, hex and the `token68` of HTTP
/// authentication.
fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~+/=".contains(&b)
}

fn is_word_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Byte offsets where `needle` (ASCII, lowercase) starts in `text`, ignoring
/// case, not inside a word.
fn find_words<'a>(text: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let bytes = text.as_bytes();
    let n = needle.len();
    (0..bytes.len().saturating_sub(n - 1)).filter(move |&i| {
        bytes[i..i + n].eq_ignore_ascii_case(needle.as_bytes())
            && (i == 0 || !is_word_char(bytes[i - 1]))
    })
}

/// The end of a run of bytes for which `keep` holds, from `start`.
fn run_end(bytes: &[u8], start: usize, keep: impl Fn(u8) -> bool) -> usize {
    bytes[start..]
        .iter()
        .position(|&b| !keep(b))
        .map_or(bytes.len(), |p| start + p)
}

/// `Bearer <token>`: the token, when it looks like one (any character other
/// than a lowercase letter), so "a bearer token" in prose stays.
fn bearer_tokens(text: &str, ranges: &mut Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    for at in find_words(text, "bearer") {
        let gap = run_end(bytes, at + 6, |b| b == b' ' || b == b'\t');
        if gap == at + 6 {
            continue;
        }
        let end = run_end(bytes, gap, is_token_char);
        let token = &bytes[gap..end];
        if !token.is_empty() && !token.iter().all(u8::is_ascii_lowercase) {
            ranges.push((gap, end));
        }
    }
}

/// `Authorization: <anything>`: the value, to the end of the line or a
/// closing quote (`-H "Authorization: Basic dXNlcjpwYXNz"`).
fn authorization_headers(text: &str, ranges: &mut Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    for at in find_words(text, "authorization") {
        let mut i = at + "authorization".len();
        if bytes.get(i) != Some(&b':') {
            continue;
        }
        i = run_end(bytes, i + 1, |b| b == b' ' || b == b'\t');
        let end = run_end(bytes, i, |b| !b"\"'\r\n".contains(&b));
        let value_end = i + text[i..end].trim_end().len();
        if value_end > i {
            ranges.push((i, value_end));
        }
    }
}

/// `scheme://user:password@host`: the password.
fn url_passwords(text: &str, ranges: &mut Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = text[from..].find("://") {
        let sep = from + found;
        from = sep + 3;
        let scheme_start = (0..sep)
            .rev()
            .take_while(|&i| bytes[i].is_ascii_alphanumeric() || b"+.-".contains(&bytes[i]))
            .last();
        if scheme_start.is_none() {
            continue;
        }
        let authority_end = run_end(bytes, from, |b| {
            !b.is_ascii_whitespace() && !b"/?#\"'<>`".contains(&b)
        });
        let authority = &text[from..authority_end];
        let Some(at) = authority.rfind('@') else {
            continue;
        };
        if let Some(colon) = authority[..at].find(':') {
            ranges.push((from + colon + 1, from + at));
        }
    }
}

/// `password=…`, `--token=…`, `DB_PASSWORD=…`, `?apikey=…&`: the value,
/// quoted or up to whitespace or a separator.
fn key_values(text: &str, ranges: &mut Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    for (eq, _) in text.match_indices('=') {
        let key_start = (0..eq)
            .rev()
            .take_while(|&i| bytes[i].is_ascii_alphanumeric() || b"_-.".contains(&bytes[i]))
            .last()
            .unwrap_or(eq);
        let key: String = text[key_start..eq]
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if SECRET_KEYS.iter().any(|k| key.ends_with(k)) {
            if let Some(range) = value_at(bytes, eq + 1) {
                ranges.push(range);
            }
        }
    }
}

/// The value starting at `start`: inside quotes when it is quoted, else up
/// to whitespace or a separator (`&`, `;`, `,`, a bracket).
fn value_at(bytes: &[u8], start: usize) -> Option<(usize, usize)> {
    let first = *bytes.get(start)?;
    if first == b'"' || first == b'\'' {
        let end = run_end(bytes, start + 1, |b| b != first);
        return Some((start + 1, end));
    }
    let end = run_end(bytes, start, |b| {
        !b.is_ascii_whitespace() && !b"&;,\"'<>()[]{}#".contains(&b)
    });
    Some((start, end))
}

/// `eyJ…….…….…`: three base64url segments, the first a JSON object
/// (`{"` encodes as `eyJ`).
fn jwts(text: &str, ranges: &mut Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    let b64 = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    let mut from = 0;
    while let Some(found) = text[from..].find("eyJ") {
        let start = from + found;
        from = start + 3;
        if start > 0 && (b64(bytes[start - 1]) || bytes[start - 1] == b'.') {
            continue;
        }
        let head_end = run_end(bytes, start, b64);
        if head_end - start < 10 || bytes.get(head_end) != Some(&b'.') {
            continue;
        }
        let body_end = run_end(bytes, head_end + 1, b64);
        if body_end == head_end + 1 || bytes.get(body_end) != Some(&b'.') {
            continue;
        }
        let end = run_end(bytes, body_end + 1, b64);
        ranges.push((start, end));
        from = end;
    }
}

/// `kubectl create secret … --from-literal=key=value` (or
/// `--from-literal key=value`): every value, whatever its key.
fn from_literals(text: &str, ranges: &mut Vec<(usize, usize)>) {
    if !text
        .split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .any(|w| w == ["create", "secret"])
    {
        return;
    }
    let bytes = text.as_bytes();
    for (at, flag) in text.match_indices("--from-literal") {
        let mut i = at + flag.len();
        match bytes.get(i) {
            Some(b'=') => i += 1,
            Some(b' ') => i = run_end(bytes, i, |b| b == b' '),
            _ => continue,
        }
        // An optional quote around the whole `key=value`.
        let quote = bytes.get(i).copied().filter(|q| *q == b'"' || *q == b'\'');
        let key_start = i + usize::from(quote.is_some());
        let Some(eq) = bytes[key_start..]
            .iter()
            .position(|&b| b == b'=' || b.is_ascii_whitespace())
            .map(|p| key_start + p)
            .filter(|&e| bytes[e] == b'=')
        else {
            continue;
        };
        let range = match quote {
            Some(q) => Some((eq + 1, run_end(bytes, eq + 1, |b| b != q))),
            None => value_at(bytes, eq + 1),
        };
        if let Some(r) = range {
            ranges.push(r);
        }
    }
}

#[cfg(test)]
mod tests;
