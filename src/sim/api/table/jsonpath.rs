//! The JSONPath of `additionalPrinterColumns`, as the API server evaluates
//! it (client-go's `jsonpath` with missing keys allowed): fields (`.a.b`,
//! `['a.b']`), array indices and slices (`[0]`, `[-1]`, `[1:3]`),
//! wildcards (`[*]`, `.*`), recursive descent (`..name`) and filters
//! (`[?(@.type=="Ready")]`, `[?(@.count>1)]`, `[?(@.name)]`).

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Field(String),
    Recursive(String),
    Wildcard,
    Index(i64),
    Slice(Option<i64>, Option<i64>),
    Filter(Filter),
}

#[derive(Debug, Clone, PartialEq)]
struct Filter {
    path: Vec<Step>,
    /// The comparison and its right-hand side; `None` tests existence.
    cmp: Option<(String, Value)>,
}

/// A parsed path.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    steps: Vec<Step>,
}

impl JsonPath {
    /// Parses a path; `{…}` around it is allowed, as in kubectl templates.
    pub fn parse(text: &str) -> Result<JsonPath, String> {
        let t = text.trim();
        let t = t
            .strip_prefix('{')
            .and_then(|x| x.strip_suffix('}'))
            .unwrap_or(t);
        let chars: Vec<char> = t.chars().collect();
        let mut pos = 0;
        let steps = parse_steps(&chars, &mut pos, false)?;
        if pos != chars.len() {
            return Err(format!("unrecognized character in {text:?} at {pos}"));
        }
        Ok(JsonPath { steps })
    }

    /// Every value the path finds in `root`, in document order.
    pub fn find<'a>(&self, root: &'a Value) -> Vec<&'a Value> {
        eval(&self.steps, root)
    }
}

fn parse_name(chars: &[char], pos: &mut usize) -> String {
    let start = *pos;
    while *pos < chars.len()
        && !matches!(chars[*pos], '.' | '[' | ' ' | '=' | '!' | '<' | '>' | ')')
    {
        *pos += 1;
    }
    chars[start..*pos].iter().collect()
}

/// Steps until the end, or (inside a filter) until an operator or `)`.
fn parse_steps(chars: &[char], pos: &mut usize, in_filter: bool) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    // A leading `$` is the root, as is nothing at all.
    if chars.get(*pos) == Some(&'$') {
        *pos += 1;
    }
    while *pos < chars.len() {
        match chars[*pos] {
            '.' if chars.get(*pos + 1) == Some(&'.') => {
                *pos += 2;
                let name = parse_name(chars, pos);
                if name.is_empty() {
                    return Err("recursive descent needs a field name".into());
                }
                steps.push(Step::Recursive(name));
            }
            '.' => {
                *pos += 1;
                if chars.get(*pos) == Some(&'*') {
                    *pos += 1;
                    steps.push(Step::Wildcard);
                    continue;
                }
                let name = parse_name(chars, pos);
                if !name.is_empty() {
                    steps.push(Step::Field(name));
                }
            }
            '[' => {
                *pos += 1;
                steps.push(parse_bracket(chars, pos)?);
            }
            _ if in_filter => break,
            c => return Err(format!("unexpected {c:?}")),
        }
    }
    Ok(steps)
}

fn parse_bracket(chars: &[char], pos: &mut usize) -> Result<Step, String> {
    let close = |pos: &mut usize| -> Result<(), String> {
        if chars.get(*pos) == Some(&']') {
            *pos += 1;
            Ok(())
        } else {
            Err("missing ]".into())
        }
    };
    match chars.get(*pos) {
        Some('*') => {
            *pos += 1;
            close(pos)?;
            Ok(Step::Wildcard)
        }
        Some(q @ ('\'' | '"')) => {
            let q = *q;
            *pos += 1;
            let start = *pos;
            while *pos < chars.len() && chars[*pos] != q {
                *pos += 1;
            }
            let name: String = chars[start..(*pos).min(chars.len())].iter().collect();
            *pos += 1;
            close(pos)?;
            Ok(Step::Field(name))
        }
        Some('?') => {
            *pos += 1;
            if chars.get(*pos) != Some(&'(') {
                return Err("a filter is written [?(…)]".into());
            }
            *pos += 1;
            skip_spaces(chars, pos);
            if chars.get(*pos) != Some(&'@') {
                return Err("a filter starts with @".into());
            }
            *pos += 1;
            let path = parse_steps(chars, pos, true)?;
            skip_spaces(chars, pos);
            let cmp = if chars.get(*pos) == Some(&')') {
                None
            } else {
                let op = parse_op(chars, pos)?;
                skip_spaces(chars, pos);
                let literal = parse_literal(chars, pos)?;
                skip_spaces(chars, pos);
                Some((op, literal))
            };
            if chars.get(*pos) != Some(&')') {
                return Err("missing )".into());
            }
            *pos += 1;
            close(pos)?;
            Ok(Step::Filter(Filter { path, cmp }))
        }
        _ => {
            let start = *pos;
            while *pos < chars.len() && chars[*pos] != ']' {
                *pos += 1;
            }
            let inner: String = chars[start..*pos].iter().collect();
            close(pos)?;
            let inner = inner.trim();
            let num = |s: &str| -> Result<Option<i64>, String> {
                let s = s.trim();
                if s.is_empty() {
                    return Ok(None);
                }
                s.parse().map(Some).map_err(|_| format!("bad index {s:?}"))
            };
            match inner.split_once(':') {
                Some((a, b)) => {
                    let b = b.split(':').next().unwrap_or("");
                    Ok(Step::Slice(num(a)?, num(b)?))
                }
                None => Ok(Step::Index(num(inner)?.ok_or("empty index")?)),
            }
        }
    }
}

fn skip_spaces(chars: &[char], pos: &mut usize) {
    while chars.get(*pos) == Some(&' ') {
        *pos += 1;
    }
}

fn parse_op(chars: &[char], pos: &mut usize) -> Result<String, String> {
    let two: String = chars[*pos..(*pos + 2).min(chars.len())].iter().collect();
    for op in ["==", "!=", "<=", ">="] {
        if two == op {
            *pos += 2;
            return Ok(op.to_string());
        }
    }
    match chars.get(*pos) {
        Some(c @ ('<' | '>')) => {
            *pos += 1;
            Ok(c.to_string())
        }
        Some('=') => {
            *pos += 1;
            Ok("==".into())
        }
        _ => Err("expected a comparison".into()),
    }
}

fn parse_literal(chars: &[char], pos: &mut usize) -> Result<Value, String> {
    match chars.get(*pos) {
        Some(q @ ('\'' | '"')) => {
            let q = *q;
            *pos += 1;
            let start = *pos;
            while *pos < chars.len() && chars[*pos] != q {
                *pos += 1;
            }
            if *pos >= chars.len() {
                return Err("unterminated string".into());
            }
            let s: String = chars[start..*pos].iter().collect();
            *pos += 1;
            Ok(Value::String(s))
        }
        _ => {
            let start = *pos;
            while *pos < chars.len() && !matches!(chars[*pos], ')' | ' ') {
                *pos += 1;
            }
            let s: String = chars[start..*pos].iter().collect();
            match s.as_str() {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                "nil" | "null" => Ok(Value::Null),
                _ => serde_json::from_str::<serde_json::Number>(&s)
                    .map(Value::Number)
                    .map_err(|_| format!("unrecognized literal {s:?}")),
            }
        }
    }
}

fn eval<'a>(steps: &[Step], root: &'a Value) -> Vec<&'a Value> {
    let mut current = vec![root];
    for step in steps {
        let mut next = Vec::new();
        for v in current {
            apply(step, v, &mut next);
        }
        current = next;
    }
    current
}

fn index_of(len: usize, i: i64) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let i = if i < 0 { len + i } else { i };
    (0..len)
        .contains(&i)
        .then(|| usize::try_from(i).ok())
        .flatten()
}

fn apply<'a>(step: &Step, v: &'a Value, out: &mut Vec<&'a Value>) {
    match step {
        Step::Field(name) => {
            if let Some(x) = v.get(name.as_str()) {
                out.push(x);
            }
        }
        Step::Recursive(name) => descend(name, v, out),
        Step::Wildcard => match v {
            Value::Array(a) => out.extend(a.iter()),
            Value::Object(o) => out.extend(o.values()),
            _ => {}
        },
        Step::Index(i) => {
            if let Some(a) = v.as_array()
                && let Some(k) = index_of(a.len(), *i)
            {
                out.push(&a[k]);
            }
        }
        Step::Slice(from, to) => {
            if let Some(a) = v.as_array() {
                let len = i64::try_from(a.len()).unwrap_or(i64::MAX);
                let clamp = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) };
                let start = clamp(from.unwrap_or(0));
                let end = clamp(to.unwrap_or(len));
                for k in start..end {
                    if let Ok(k) = usize::try_from(k) {
                        out.push(&a[k]);
                    }
                }
            }
        }
        Step::Filter(f) => {
            let items: Vec<&Value> = match v {
                Value::Array(a) => a.iter().collect(),
                Value::Object(o) => o.values().collect(),
                _ => Vec::new(),
            };
            out.extend(items.into_iter().filter(|item| keeps(f, item)));
        }
    }
}

fn descend<'a>(name: &str, v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(o) => {
            if let Some(x) = o.get(name) {
                out.push(x);
            }
            for x in o.values() {
                descend(name, x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| descend(name, x, out)),
        _ => {}
    }
}

fn keeps(f: &Filter, item: &Value) -> bool {
    let found = eval(&f.path, item);
    let Some((op, want)) = &f.cmp else {
        return !found.is_empty();
    };
    let Some(got) = found.first() else {
        return false;
    };
    match (op.as_str(), got, want) {
        ("==", g, w) => equal(g, w),
        ("!=", g, w) => !equal(g, w),
        (op, Value::Number(g), Value::Number(w)) => {
            let (g, w) = (g.as_f64().unwrap_or(0.0), w.as_f64().unwrap_or(0.0));
            match op {
                "<" => g < w,
                ">" => g > w,
                "<=" => g <= w,
                ">=" => g >= w,
                _ => false,
            }
        }
        _ => false,
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}
