//! Secrets taken out of text before it leaves warroom: in an export, and in
//! the diagnostics log.
//!
//! warroom never records a secret's value on purpose, but entries quote
//! what clusters, alerts and people wrote, and those quote tokens. Each
//! rule below finds the byte ranges of secret values; overlapping ranges
//! are merged and each becomes `REDACTED`. Names stay (`password=`,
//! `Authorization:`, the user of a URL) so the reader still sees what was
//! there.
//!
//! The diagnostics log (`crate::diagnostics`) passes every line through
//! here too, so the rules also know the shapes Rust's `{:?}` gives secrets
//! in library errors: `"authorization": "…"`, `token: Some("…")`, a
//! failed exec plugin's `Output { stdout: "…", stderr: "…" }`, and PEM
//! private keys (`client-key-data`).

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
    key_colon_values(text, &mut ranges);
    process_output(text, &mut ranges);
    private_keys(text, &mut ranges);
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
/// `Basic <credentials>`: the credentials, when they are base64 of
/// `user:password`, so "Basic Authentication" stays.
fn bearer_tokens(text: &str, ranges: &mut Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    for scheme in ["bearer", "basic"] {
        for at in find_words(text, scheme) {
            let gap = run_end(bytes, at + scheme.len(), |b| b == b' ' || b == b'\t');
            if gap == at + scheme.len() {
                continue;
            }
            let end = run_end(bytes, gap, is_token_char);
            let token = &bytes[gap..end];
            let secret = match scheme {
                "bearer" => !token.is_empty() && !token.iter().all(u8::is_ascii_lowercase),
                _ => is_user_and_password(token),
            };
            if secret {
                ranges.push((gap, end));
            }
        }
    }
}

/// Whether `token` is standard base64 of printable text holding a colon.
fn is_user_and_password(token: &[u8]) -> bool {
    let digits = token
        .strip_suffix(b"==")
        .or_else(|| token.strip_suffix(b"="));
    let digits = digits.unwrap_or(token);
    if token.len() < 8 || !token.len().is_multiple_of(4) {
        return false;
    }
    let value = |b: u8| match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut colon = false;
    for &b in digits {
        let Some(v) = value(b) else { return false };
        bits = (bits << 6) | u32::from(v);
        count += 6;
        if count >= 8 {
            count -= 8;
            let byte = (bits >> count) as u8;
            if !(byte.is_ascii_graphic() || byte == b' ' || byte >= 0x80) {
                return false;
            }
            colon |= byte == b':';
        }
    }
    colon
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

/// A key's letters and digits, lowercase: `DB_PASSWORD` is `dbpassword`.
fn key_letters(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether a key before a colon (`"authorization"`, `client-key-data`,
/// `token`) names a secret.
fn is_secret_key(key: &str) -> bool {
    let key = key_letters(key);
    key == "authorization"
        || SECRET_KEYS.iter().any(|k| key.ends_with(k))
        || ["keydata", "privatekey"].iter().any(|k| key.ends_with(k))
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
        let key = key_letters(&text[key_start..eq]);
        if SECRET_KEYS.iter().any(|k| key.ends_with(k))
            && let Some(range) = value_at(bytes, eq + 1)
        {
            ranges.push(range);
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

/// The end of a quoted string whose opening quote is at `open - 1`: the
/// next `"` not escaped by a backslash, or the end of the text.
fn quoted_end(bytes: &[u8], open: usize) -> usize {
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The value after a colon at `colon`: a string in quotes (`"…"`, or
/// `\"…\"` inside a quoted JSON document), optionally in `Some(…)`, or a
/// bare token that is not a plain lowercase word (`token: rotated` is prose,
/// `token: abc123` is not).
fn value_after_colon(bytes: &[u8], colon: usize) -> Option<(usize, usize)> {
    let mut i = run_end(bytes, colon + 1, |b| b == b' ' || b == b'\t');
    if bytes[i..].starts_with(b"Some(") {
        i += "Some(".len();
    }
    if bytes[i..].starts_with(b"\\\"") {
        let start = i + 2;
        let end = bytes[start..]
            .windows(2)
            .position(|w| w == b"\\\"")
            .map_or(bytes.len(), |p| start + p);
        return Some((start, end));
    }
    if bytes.get(i) == Some(&b'"') {
        return Some((i + 1, quoted_end(bytes, i + 1)));
    }
    let end = run_end(bytes, i, is_token_char);
    let value = &bytes[i..end];
    (!value.is_empty() && !value.iter().all(u8::is_ascii_lowercase)).then_some((i, end))
}

/// `key: value` with a secret's key, as YAML, JSON and Rust's `{:?}` write
/// it: `token: abc123`, `"authorization": "Basic dXNlcjpwYXNz"`,
/// `password: Some("x")`, `\"token\":\"…\"` in a quoted document.
fn key_colon_values(text: &str, ranges: &mut Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    for (colon, _) in text.match_indices(':') {
        // The key may sit in quotes, themselves escaped: `\"token\":`.
        let mut key_end = colon;
        if key_end > 0 && bytes[key_end - 1] == b'"' {
            key_end -= 1;
            if key_end > 0 && bytes[key_end - 1] == b'\\' {
                key_end -= 1;
            }
        }
        let key_start = (0..key_end)
            .rev()
            .take_while(|&i| bytes[i].is_ascii_alphanumeric() || b"_-.".contains(&bytes[i]))
            .last()
            .unwrap_or(key_end);
        if key_start < key_end
            && is_secret_key(&text[key_start..key_end])
            && let Some(range) = value_after_colon(bytes, colon)
        {
            ranges.push(range);
        }
    }
}

/// What a program printed, in the `{:?}` of a `std::process::Output`
/// (`stdout: "…"`, or `stdout: [123, 34, …]` when it is not UTF-8): an
/// exec credential plugin prints the token there, and a failed one is
/// quoted in full in kube's error.
fn process_output(text: &str, ranges: &mut Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    for word in ["stdout", "stderr"] {
        for at in find_words(text, word) {
            let colon = at + word.len();
            if bytes.get(colon) != Some(&b':') {
                continue;
            }
            let i = run_end(bytes, colon + 1, |b| b == b' ');
            match bytes.get(i) {
                Some(b'"') => ranges.push((i + 1, quoted_end(bytes, i + 1))),
                Some(b'[') => ranges.push((i + 1, run_end(bytes, i + 1, |b| b != b']'))),
                _ => {}
            }
        }
    }
}

/// A PEM private key (`-----BEGIN RSA PRIVATE KEY-----` to its `-----END`,
/// or to the end of the text when the end was cut off), and base64 of any
/// PEM block (`LS0tLS1CRUdJTi…`, how kubeconfig's `client-key-data` holds
/// one).
fn private_keys(text: &str, ranges: &mut Vec<(usize, usize)>) {
    const DASHES: &str = "-----";
    for (at, _) in text.match_indices("-----BEGIN ") {
        let label_start = at + "-----BEGIN ".len();
        let Some(label_len) = text[label_start..].find(DASHES) else {
            continue;
        };
        let body_start = label_start + label_len + DASHES.len();
        if !text[label_start..label_start + label_len].ends_with("PRIVATE KEY") {
            continue;
        }
        let body_end = text[body_start..]
            .find("-----END ")
            .map_or(text.len(), |p| body_start + p);
        ranges.push((body_start, body_end));
    }
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices("LS0tLS1CRUdJTi") {
        ranges.push((at, run_end(bytes, at, is_token_char)));
    }
}

#[cfg(test)]
mod tests;
