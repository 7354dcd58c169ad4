//! The logs pane's `/` query: a plain substring, smart-case.
//!
//! Smart-case as in vim and ripgrep: all lower case matches any case
//! (`timeout` finds `Timeout` and `TIMEOUT`), one capital makes it exact
//! (`ERROR` skips "error rate nominal"). Case-folding keeps every
//! character's byte length, so a match found in the folded text is at the
//! same byte range in the text drawn: the highlight never drifts, even in
//! lines with non-ASCII text (a character whose lower case has another
//! length, like `İ`, is compared as it is).

use std::ops::Range;

/// What the user searches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogQuery {
    text: String,
    /// `text`, folded unless the search is exact.
    needle: String,
    exact: bool,
}

impl LogQuery {
    /// `None` for an empty query (no search).
    pub fn new(text: &str) -> Option<LogQuery> {
        if text.is_empty() {
            return None;
        }
        let exact = text.chars().any(char::is_uppercase);
        let mut needle = String::new();
        if exact {
            needle.push_str(text);
        } else {
            fold_into(&mut needle, text);
        }
        Some(LogQuery {
            text: text.to_string(),
            needle,
            exact,
        })
    }

    /// What the user typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the query matches only its own case.
    pub fn exact(&self) -> bool {
        self.exact
    }

    /// True when `haystack` holds the query. `scratch` is reused between
    /// calls for the folded copy, so matching allocates nothing.
    pub fn is_match(&self, haystack: &str, scratch: &mut String) -> bool {
        if self.exact {
            return haystack.contains(self.needle.as_str());
        }
        fold_into(scratch, haystack);
        scratch.contains(self.needle.as_str())
    }

    /// Where the query occurs in `haystack`, left to right, not overlapping:
    /// byte ranges to highlight.
    pub fn ranges(&self, haystack: &str) -> Vec<Range<usize>> {
        let hits = |h: &str| -> Vec<Range<usize>> {
            h.match_indices(self.needle.as_str())
                .map(|(i, m)| i..i + m.len())
                .collect()
        };
        if self.exact {
            hits(haystack)
        } else {
            let mut folded = String::new();
            fold_into(&mut folded, haystack);
            hits(&folded)
        }
    }
}

/// `s` in lower case with every character keeping its byte length.
fn fold_into(out: &mut String, s: &str) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
        return;
    }
    for c in s.chars() {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests;
