//! The `/` filter: substring words plus kubectl-style `-l` label selectors.

use crate::model::labels::LabelLookup;

use super::tables::{Filter, LabelTerm};

impl Filter {
    /// Parses what the user typed: `checkout`, `-l app=checkout`,
    /// `-l app=checkout,tier!=db,canary,!legacy crash`. Everything that is not
    /// a `-l` selector is the substring (case-insensitive).
    pub fn parse(text: &str) -> Result<Filter, String> {
        let mut words = Vec::new();
        let mut labels = Vec::new();
        let mut tokens = text.split_whitespace();
        while let Some(tok) = tokens.next() {
            let selector = if tok == "-l" || tok == "--selector" {
                match tokens.next() {
                    Some(s) => s,
                    None => return Err("-l needs a selector, e.g. -l app=checkout".into()),
                }
            } else if let Some(rest) = tok.strip_prefix("-l") {
                rest.strip_prefix('=').unwrap_or(rest)
            } else {
                words.push(tok.to_lowercase());
                continue;
            };
            for term in selector.split(',').filter(|t| !t.is_empty()) {
                labels.push(parse_term(term)?);
            }
        }
        Ok(Filter {
            text: text.trim().to_string(),
            substring: words.join(" "),
            labels,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.substring.is_empty() && self.labels.is_empty()
    }

    /// True when every label term holds and the substring occurs in one of
    /// `fields` (lower-cased by the caller or here).
    pub fn matches<'a>(
        &self,
        fields: impl IntoIterator<Item = &'a str>,
        labels: Option<&dyn LabelLookup>,
    ) -> bool {
        if !self.labels.is_empty() {
            let Some(labels) = labels else { return false };
            if !self.labels.iter().all(|t| t.holds(labels)) {
                return false;
            }
        }
        if self.substring.is_empty() {
            return true;
        }
        fields
            .into_iter()
            .any(|f| contains_ignore_case(f, &self.substring))
    }
}

fn contains_ignore_case(haystack: &str, needle_lower: &str) -> bool {
    if haystack.is_ascii() && needle_lower.is_ascii() {
        let h = haystack.as_bytes();
        let n = needle_lower.as_bytes();
        if n.len() > h.len() {
            return false;
        }
        return h
            .windows(n.len())
            .any(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b));
    }
    haystack.to_lowercase().contains(needle_lower)
}

fn parse_term(term: &str) -> Result<LabelTerm, String> {
    let valid = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
    };
    let bad = || {
        format!("cannot read label selector term {term:?}; try key=value, key!=value, key or !key")
    };
    let (term_kind, key, value) = if let Some((k, v)) = term.split_once("!=") {
        (1, k, v)
    } else if let Some((k, v)) = term.split_once("==") {
        (0, k, v)
    } else if let Some((k, v)) = term.split_once('=') {
        (0, k, v)
    } else if let Some(k) = term.strip_prefix('!') {
        (3, k, "")
    } else {
        (2, term, "")
    };
    if !valid(key) || (!value.is_empty() && !valid(value)) {
        return Err(bad());
    }
    let (k, v) = (key.to_string(), value.to_string());
    Ok(match term_kind {
        0 => LabelTerm::Equals(k, v),
        1 => LabelTerm::NotEquals(k, v),
        2 => LabelTerm::Exists(k),
        _ => LabelTerm::NotExists(k),
    })
}

impl LabelTerm {
    pub fn holds(&self, labels: &dyn LabelLookup) -> bool {
        match self {
            LabelTerm::Equals(k, v) => labels.label(k) == Some(v.as_str()),
            LabelTerm::NotEquals(k, v) => labels.label(k) != Some(v.as_str()),
            LabelTerm::Exists(k) => labels.label(k).is_some(),
            LabelTerm::NotExists(k) => labels.label(k).is_none(),
        }
    }
}
