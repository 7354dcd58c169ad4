//! Label selectors and field selectors as the Kubernetes API server parses
//! and evaluates them (`?labelSelector=` / `?fieldSelector=` and
//! `metav1.LabelSelector` objects such as `Deployment.spec.selector`).
//!
//! Everything here parses untrusted query strings: no input can panic.

use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct SelectorError(pub String);

impl std::fmt::Display for SelectorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SelectorError {}

fn fail<T>(msg: impl std::fmt::Display) -> Result<T, SelectorError> {
    Err(SelectorError(format!("unable to parse requirement: {msg}")))
}

// ------------------------------------------------------------ label selectors

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

#[derive(Debug, Clone, PartialEq)]
struct Requirement {
    key: String,
    op: Op,
    /// Sorted and deduplicated; one value for `=`/`!=`, none for (not) exists.
    values: Vec<String>,
}

impl Requirement {
    fn new(key: &str, op: Op, mut values: Vec<String>) -> Result<Self, SelectorError> {
        validate_key(key)?;
        for v in &values {
            validate_value(v)?;
        }
        values.sort();
        values.dedup();
        Ok(Requirement {
            key: key.to_string(),
            op,
            values,
        })
    }

    fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let got = labels.get(&self.key);
        let listed = got.is_some_and(|v| self.values.contains(v));
        match self.op {
            Op::Equals | Op::In => listed,
            Op::NotEquals | Op::NotIn => !listed,
            Op::Exists => got.is_some(),
            Op::DoesNotExist => got.is_none(),
        }
    }
}

fn label_name_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

fn validate_key(key: &str) -> Result<(), SelectorError> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    let prefix_ok = prefix.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 253
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
    });
    if !prefix_ok || !label_name_ok(name) {
        return fail(format!(
            "invalid label key {key:?}: must be an optional DNS subdomain prefix and '/', \
             then 1-63 characters of [A-Za-z0-9._-]"
        ));
    }
    Ok(())
}

fn validate_value(v: &str) -> Result<(), SelectorError> {
    if !v.is_empty() && !label_name_ok(v) {
        return fail(format!(
            "invalid label value {v:?}: must be at most 63 characters of [A-Za-z0-9._-]"
        ));
    }
    Ok(())
}

/// A conjunction of label requirements. The empty selector matches everything.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LabelSelector {
    reqs: Vec<Requirement>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Not,
    Eq,
    NotEq,
    Open,
    Close,
    Comma,
}

impl std::fmt::Display for Tok {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tok::Ident(s) => f.write_str(s),
            Tok::Not => f.write_str("!"),
            Tok::Eq => f.write_str("="),
            Tok::NotEq => f.write_str("!="),
            Tok::Open => f.write_str("("),
            Tok::Close => f.write_str(")"),
            Tok::Comma => f.write_str(","),
        }
    }
}

fn tokenize(s: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let tok = match c {
            c if c.is_whitespace() => continue,
            '(' => Tok::Open,
            ')' => Tok::Close,
            ',' => Tok::Comma,
            '=' => {
                chars.next_if_eq(&'=');
                Tok::Eq
            }
            '!' if chars.next_if_eq(&'=').is_some() => Tok::NotEq,
            '!' => Tok::Not,
            c => {
                let mut id = String::from(c);
                while let Some(n) = chars.next_if(|n| !n.is_whitespace() && !"(),=!".contains(*n)) {
                    id.push(n);
                }
                Tok::Ident(id)
            }
        };
        toks.push(tok);
    }
    toks
}

fn describe(t: Option<&Tok>) -> String {
    t.map_or_else(|| "end of string".to_string(), |t| format!("'{t}'"))
}

impl LabelSelector {
    /// Parses a `labelSelector` query value: comma-separated `k=v`, `k==v`,
    /// `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`. Empty matches everything.
    pub fn parse(s: &str) -> Result<LabelSelector, SelectorError> {
        let toks = tokenize(s);
        let mut it = toks.iter().peekable();
        let mut reqs = Vec::new();
        while it.peek().is_some() {
            reqs.push(parse_requirement(&mut it)?);
            match it.next() {
                None => break,
                Some(Tok::Comma) if it.peek().is_some() => {}
                Some(Tok::Comma) => {
                    return fail("found end of string, expected: identifier after ','");
                }
                other => {
                    return fail(format!(
                        "found {}, expected: ',' or end of string",
                        describe(other)
                    ));
                }
            }
        }
        reqs.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(LabelSelector { reqs })
    }

    /// From a `metav1.LabelSelector` JSON object (`matchLabels` / `matchExpressions`).
    /// `{}` matches everything; a non-object (including null) is an error.
    pub fn from_json(v: &Value) -> Result<LabelSelector, SelectorError> {
        let Value::Object(m) = v else {
            return fail("label selector must be a JSON object");
        };
        let mut reqs = Vec::new();
        match m.get("matchLabels") {
            None | Some(Value::Null) => {}
            Some(Value::Object(ml)) => {
                for (k, v) in ml {
                    let Some(v) = v.as_str() else {
                        return fail(format!("matchLabels[{k:?}] must be a string"));
                    };
                    reqs.push(Requirement::new(k, Op::Equals, vec![v.to_string()])?);
                }
            }
            Some(_) => return fail("matchLabels must be an object"),
        }
        let exprs = match m.get("matchExpressions") {
            None | Some(Value::Null) => &[][..],
            Some(Value::Array(a)) => a.as_slice(),
            Some(_) => return fail("matchExpressions must be a list"),
        };
        for (i, e) in exprs.iter().enumerate() {
            let Some(key) = e.get("key").and_then(Value::as_str) else {
                return fail(format!("matchExpressions[{i}].key must be a string"));
            };
            let values = match e.get("values") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(a)) => {
                    let strs: Option<Vec<String>> =
                        a.iter().map(|v| v.as_str().map(str::to_string)).collect();
                    let Some(strs) = strs else {
                        return fail(format!("matchExpressions[{i}].values must be strings"));
                    };
                    strs
                }
                Some(_) => return fail(format!("matchExpressions[{i}].values must be a list")),
            };
            let op = match e.get("operator").and_then(Value::as_str) {
                Some("In") => Op::In,
                Some("NotIn") => Op::NotIn,
                Some("Exists") => Op::Exists,
                Some("DoesNotExist") => Op::DoesNotExist,
                other => {
                    let shown = other.map_or_else(|| "<missing>".into(), |o| format!("{o:?}"));
                    return fail(format!("{shown} is not a valid label selector operator"));
                }
            };
            let needs_values = matches!(op, Op::In | Op::NotIn);
            if needs_values == values.is_empty() {
                let want = if needs_values { "non-empty" } else { "empty" };
                return fail(format!(
                    "matchExpressions[{i}] ({key}): values set must be {want}"
                ));
            }
            reqs.push(Requirement::new(key, op, values)?);
        }
        reqs.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(LabelSelector { reqs })
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.reqs.iter().all(|r| r.matches(labels))
    }

    pub fn is_empty(&self) -> bool {
        self.reqs.is_empty()
    }
}

type TokIter<'a> = std::iter::Peekable<std::slice::Iter<'a, Tok>>;

fn parse_requirement(it: &mut TokIter) -> Result<Requirement, SelectorError> {
    let negated = it.next_if_eq(&&Tok::Not).is_some();
    let key = match it.next() {
        Some(Tok::Ident(k)) => k,
        other => {
            let want = if negated {
                "identifier after '!'"
            } else {
                "!, identifier, or end of string"
            };
            return fail(format!("found {}, expected: {want}", describe(other)));
        }
    };
    if negated {
        return Requirement::new(key, Op::DoesNotExist, Vec::new());
    }
    let (op, values) = match it.peek() {
        None | Some(Tok::Comma) => (Op::Exists, Vec::new()),
        Some(Tok::Eq | Tok::NotEq) => {
            let op = if it.next() == Some(&Tok::Eq) {
                Op::Equals
            } else {
                Op::NotEquals
            };
            let value = match it.peek() {
                None | Some(Tok::Comma) => String::new(),
                Some(Tok::Ident(v)) => {
                    it.next();
                    v.clone()
                }
                Some(t) => {
                    return fail(format!(
                        "found '{t}', expected: identifier for value of {key:?}"
                    ));
                }
            };
            (op, vec![value])
        }
        Some(Tok::Ident(w)) if w == "in" || w == "notin" => {
            let op = if w == "in" { Op::In } else { Op::NotIn };
            it.next();
            (op, parse_set(it, key)?)
        }
        Some(t) => {
            return fail(format!(
                "found '{t}', expected: in, notin, =, ==, !=, or end of string after {key:?}"
            ));
        }
    };
    Requirement::new(key, op, values)
}

/// `( v1, v2, ... )`; empty entries are empty values, as in Kubernetes.
fn parse_set(it: &mut TokIter, key: &str) -> Result<Vec<String>, SelectorError> {
    if it.next() != Some(&Tok::Open) {
        return fail(format!("expected '(' after set operator of {key:?}"));
    }
    let mut values = Vec::new();
    let mut current = String::new();
    loop {
        match it.next() {
            Some(Tok::Ident(v)) if current.is_empty() => current = v.clone(),
            Some(Tok::Comma) => values.push(std::mem::take(&mut current)),
            Some(Tok::Close) => {
                values.push(current);
                return Ok(values);
            }
            other => {
                return fail(format!(
                    "found {}, expected: ',' or ')' in values of {key:?}",
                    describe(other)
                ));
            }
        }
    }
}

/// Renders like kubectl (`app=web,tier in (a,b)`); the empty selector renders as "".
impl std::fmt::Display for LabelSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, r) in self.reqs.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            let (k, vals) = (&r.key, r.values.join(","));
            match r.op {
                Op::Equals => write!(f, "{k}={vals}")?,
                Op::NotEquals => write!(f, "{k}!={vals}")?,
                Op::In => write!(f, "{k} in ({vals})")?,
                Op::NotIn => write!(f, "{k} notin ({vals})")?,
                Op::Exists => write!(f, "{k}")?,
                Op::DoesNotExist => write!(f, "!{k}")?,
            }
        }
        Ok(())
    }
}

// ------------------------------------------------------------ field selectors

/// A conjunction of `field=value` / `field!=value` terms. Empty matches everything.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldSelector {
    /// (field, negated, value)
    terms: Vec<(String, bool, String)>,
}

/// Splits on commas not escaped by a backslash.
fn split_unescaped_commas(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut escaped) = (0, false);
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ',' => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn unescape_field_value(v: &str) -> Result<String, SelectorError> {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('\\' | ',' | '=')) => out.push(e),
                Some(e) => return fail(format!("invalid escape sequence '\\{e}' in {v:?}")),
                None => return fail(format!("unterminated escape sequence in {v:?}")),
            },
            ',' | '=' => {
                return fail(format!(
                    "invalid field selector value {v:?}: unescaped '{c}'"
                ));
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

impl FieldSelector {
    /// Parses a `fieldSelector` query value: comma-separated `field=value`,
    /// `field==value`, `field!=value`; `\,` `\=` `\\` escape in values.
    pub fn parse(s: &str) -> Result<FieldSelector, SelectorError> {
        let mut terms = Vec::new();
        for term in split_unescaped_commas(s) {
            if term.trim().is_empty() {
                continue;
            }
            let split = term.char_indices().find_map(|(i, _)| {
                let rest = &term[i..];
                ["!=", "==", "="]
                    .into_iter()
                    .find(|op| rest.starts_with(op))
                    .map(|op| (i, op))
            });
            let Some((i, op)) = split else {
                return fail(format!(
                    "invalid field selector term {term:?}: expected field=value"
                ));
            };
            let field = term[..i].trim();
            if field.is_empty() {
                return fail(format!(
                    "invalid field selector term {term:?}: missing field name"
                ));
            }
            let value = unescape_field_value(term[i + op.len()..].trim())?;
            terms.push((field.to_string(), op == "!=", value));
        }
        Ok(FieldSelector { terms })
    }

    /// The fields the selector names, in order (may repeat).
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(|(f, _, _)| f.as_str())
    }

    /// `get(field)` is the object's value for the field (None counts as "").
    pub fn matches(&self, get: impl Fn(&str) -> Option<String>) -> bool {
        self.terms.iter().all(|(field, negated, want)| {
            let got = get(field).unwrap_or_default();
            (got == *want) != *negated
        })
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// The resource's plural name without any API group suffix.
fn base_resource(resource: &str) -> &str {
    resource.split('.').next().unwrap_or(resource)
}

const EVENT_OBJECT_FIELDS: [&str; 7] = [
    "kind",
    "namespace",
    "name",
    "uid",
    "apiVersion",
    "resourceVersion",
    "fieldPath",
];

/// Whether Kubernetes supports `field` in field selectors for `resource`.
pub fn field_supported(resource: &str, field: &str) -> bool {
    if matches!(field, "metadata.name" | "metadata.namespace") {
        return true;
    }
    match base_resource(resource) {
        "pods" => matches!(
            field,
            "spec.nodeName"
                | "spec.restartPolicy"
                | "spec.schedulerName"
                | "spec.serviceAccountName"
                | "spec.hostNetwork"
                | "status.phase"
                | "status.podIP"
                | "status.nominatedNodeName"
        ),
        "events" => {
            let object_field = field
                .strip_prefix("involvedObject.")
                .or_else(|| field.strip_prefix("regarding."));
            object_field.is_some_and(|f| EVENT_OBJECT_FIELDS.contains(&f))
                || matches!(
                    field,
                    "reason" | "reportingComponent" | "reportingController" | "source" | "type"
                )
        }
        "nodes" => field == "spec.unschedulable",
        "secrets" => field == "type",
        "namespaces" => field == "status.phase",
        "services" => matches!(field, "spec.clusterIP" | "spec.type"),
        "replicasets" | "replicationcontrollers" => field == "status.replicas",
        "jobs" => field == "status.successful",
        _ => false,
    }
}

fn scalar_string(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The object's value for a supported field selector field, or None when the
/// field is not supported for `resource`. Missing values are "" (booleans
/// "false" and counters "0", as Kubernetes formats its zero values).
pub fn field_value(resource: &str, obj: &Value, field: &str) -> Option<String> {
    if !field_supported(resource, field) {
        return None;
    }
    let path = |f: &str| f.split('.').try_fold(obj, |v, part| v.get(part));
    let value = match (base_resource(resource), field) {
        (_, "metadata.name" | "metadata.namespace") => path(field),
        ("events", "source") => obj
            .pointer("/source/component")
            .or_else(|| obj.pointer("/deprecatedSource/component")),
        ("events", "reportingComponent" | "reportingController") => obj
            .get("reportingComponent")
            .or_else(|| obj.get("reportingController")),
        ("events", f) if f.contains('.') => {
            let sub = f.split_once('.').map_or("", |(_, s)| s);
            let object = obj.get("involvedObject").or_else(|| obj.get("regarding"));
            object.and_then(|o| o.get(sub))
        }
        (_, f) => path(f),
    };
    let zero = match field {
        "spec.unschedulable" | "spec.hostNetwork" => "false",
        "status.replicas" | "status.successful" => "0",
        _ => "",
    };
    Some(match value {
        None | Some(Value::Null) => zero.to_string(),
        v => scalar_string(v),
    })
}

#[cfg(test)]
mod tests;
