//! Applying PATCH request bodies the way the Kubernetes API server does:
//! JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge
//! patch with a built-in table of patch merge keys for the core types.
//!
//! Everything here parses untrusted request bodies: no input can panic.

use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchKind {
    Merge,
    StrategicMerge,
    Json,
}

impl PatchKind {
    /// From a Content-Type header value (parameters like "; charset=utf-8" ignored).
    /// `application/apply-patch+yaml` (server-side apply) is not supported.
    pub fn from_content_type(ct: &str) -> Option<PatchKind> {
        let media = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match media.as_str() {
            "application/merge-patch+json" => Some(PatchKind::Merge),
            "application/strategic-merge-patch+json" => Some(PatchKind::StrategicMerge),
            "application/json-patch+json" => Some(PatchKind::Json),
            _ => None,
        }
    }
}

/// A human-readable reason the patch could not be applied.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchError(pub String);

impl std::fmt::Display for PatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PatchError {}

fn err<T>(msg: impl Into<String>) -> Result<T, PatchError> {
    Err(PatchError(msg.into()))
}

/// Applies `patch` (raw request body) to `target` and returns the new document.
/// `target` is not modified.
pub fn apply_patch(kind: PatchKind, target: &Value, patch: &[u8]) -> Result<Value, PatchError> {
    let patch: Value = serde_json::from_slice(patch)
        .map_err(|e| PatchError(format!("unable to parse patch body as JSON: {e}")))?;
    match kind {
        PatchKind::Merge => {
            if !patch.is_object() {
                return err("patch must be a JSON object");
            }
            let mut out = target.clone();
            merge_patch(&mut out, &patch);
            Ok(out)
        }
        PatchKind::Json => json_patch(target, &patch),
        PatchKind::StrategicMerge => {
            let Value::Object(p) = &patch else {
                return err("patch must be a JSON object");
            };
            match strategic_map(target.as_object(), p, None)? {
                Some(m) => Ok(Value::Object(m)),
                None => err("a strategic merge patch cannot delete the whole object"),
            }
        }
    }
}

// ---------------------------------------------------------------- merge patch

fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(pm) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(tm) = target {
        for (k, v) in pm {
            if v.is_null() {
                tm.remove(k);
            } else {
                merge_patch(tm.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }
}

// ----------------------------------------------------------------- JSON patch

fn parse_pointer(p: &str) -> Result<Vec<String>, String> {
    if p.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = p.strip_prefix('/') else {
        return Err("JSON pointer must be empty or start with '/'".into());
    };
    let mut toks = Vec::new();
    for raw in rest.split('/') {
        let mut tok = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c != '~' {
                tok.push(c);
                continue;
            }
            match chars.next() {
                Some('0') => tok.push('~'),
                Some('1') => tok.push('/'),
                _ => return Err("invalid '~' escape in JSON pointer".into()),
            }
        }
        toks.push(tok);
    }
    Ok(toks)
}

/// Array index per RFC 6901: "0" or digits without a leading zero.
fn array_index(tok: &str, len: usize, allow_end: bool) -> Result<usize, String> {
    if tok == "-" {
        return if allow_end {
            Ok(len)
        } else {
            Err("'-' does not name an existing element".into())
        };
    }
    let valid = !tok.is_empty()
        && tok.bytes().all(|b| b.is_ascii_digit())
        && (tok == "0" || !tok.starts_with('0'));
    let idx: usize = match valid.then(|| tok.parse().ok()).flatten() {
        Some(i) => i,
        None => return Err(format!("invalid array index {tok:?}")),
    };
    let max = if allow_end {
        len
    } else {
        len.saturating_sub(1)
    };
    if idx > max || (!allow_end && len == 0) {
        return Err(format!("array index {idx} out of range (length {len})"));
    }
    Ok(idx)
}

fn pointer_get<'a>(doc: &'a Value, toks: &[String]) -> Result<&'a Value, String> {
    let mut cur = doc;
    for t in toks {
        cur = match cur {
            Value::Object(m) => m.get(t).ok_or_else(|| format!("key {t:?} not found"))?,
            Value::Array(a) => {
                let i = array_index(t, a.len(), false)?;
                a.get(i)
                    .ok_or_else(|| format!("array index {i} out of range"))?
            }
            _ => return Err(format!("cannot descend into a scalar at {t:?}")),
        };
    }
    Ok(cur)
}

fn pointer_get_mut<'a>(doc: &'a mut Value, toks: &[String]) -> Result<&'a mut Value, String> {
    let mut cur = doc;
    for t in toks {
        cur = match cur {
            Value::Object(m) => m.get_mut(t).ok_or_else(|| format!("key {t:?} not found"))?,
            Value::Array(a) => {
                let i = array_index(t, a.len(), false)?;
                a.get_mut(i)
                    .ok_or_else(|| format!("array index {i} out of range"))?
            }
            _ => return Err(format!("cannot descend into a scalar at {t:?}")),
        };
    }
    Ok(cur)
}

fn split_last(toks: &[String]) -> Option<(&[String], &str)> {
    toks.split_last()
        .map(|(last, parent)| (parent, last.as_str()))
}

fn op_add(doc: &mut Value, toks: &[String], value: Value) -> Result<(), String> {
    let Some((parent, last)) = split_last(toks) else {
        *doc = value;
        return Ok(());
    };
    match pointer_get_mut(doc, parent).map_err(|e| format!("parent does not exist: {e}"))? {
        Value::Object(m) => drop(m.insert(last.to_string(), value)),
        Value::Array(a) => a.insert(array_index(last, a.len(), true)?, value),
        _ => return Err("parent is not an object or array".into()),
    }
    Ok(())
}

fn op_remove(doc: &mut Value, toks: &[String]) -> Result<Value, String> {
    let Some((parent, last)) = split_last(toks) else {
        return Err("cannot remove the whole document".into());
    };
    match pointer_get_mut(doc, parent)? {
        Value::Object(m) => m
            .remove(last)
            .ok_or_else(|| format!("key {last:?} not found")),
        Value::Array(a) => {
            let i = array_index(last, a.len(), false)?;
            Ok(a.remove(i))
        }
        _ => Err("parent is not an object or array".into()),
    }
}

fn json_patch(target: &Value, patch: &Value) -> Result<Value, PatchError> {
    let Value::Array(ops) = patch else {
        return err("json patch must be a JSON array of operations");
    };
    let mut doc = target.clone();
    for (i, op) in ops.iter().enumerate() {
        json_op(&mut doc, op).map_err(|m| PatchError(format!("json patch operation {i}{m}")))?;
    }
    Ok(doc)
}

/// Applies one operation; the error text continues "json patch operation N".
fn json_op(doc: &mut Value, op: &Value) -> Result<(), String> {
    let field = |k: &str| {
        let v = op.get(k).and_then(Value::as_str);
        v.ok_or_else(|| format!("missing or invalid {k:?}"))
    };
    let name = field("op").map_err(|e| format!(": {e}"))?;
    let path = field("path").map_err(|e| format!(" ({name}): {e}"))?;
    let value = || op.get("value").cloned().ok_or("missing \"value\"");
    let from = || -> Result<Vec<String>, String> {
        parse_pointer(field("from")?).map_err(|e| format!("from: {e}"))
    };
    let mut run = || -> Result<(), String> {
        let toks = parse_pointer(path)?;
        match name {
            "add" => op_add(doc, &toks, value()?),
            "remove" => op_remove(doc, &toks).map(drop),
            "replace" => {
                let v = value()?;
                *pointer_get_mut(doc, &toks)? = v;
                Ok(())
            }
            "move" => {
                let from = from()?;
                if from == toks {
                    return Ok(());
                }
                if toks.len() > from.len() && toks.starts_with(&from) {
                    return Err("cannot move a value into one of its children".into());
                }
                let v = op_remove(doc, &from).map_err(|e| format!("from: {e}"))?;
                op_add(doc, &toks, v)
            }
            "copy" => {
                let from = from()?;
                let v = pointer_get(doc, &from).map_err(|e| format!("from: {e}"))?;
                op_add(doc, &toks, v.clone())
            }
            "test" => {
                let (want, got) = (value()?, pointer_get(doc, &toks)?);
                match *got == want {
                    true => Ok(()),
                    false => Err(format!("test failed: value is {got}, expected {want}")),
                }
            }
            other => Err(format!("unknown op {other:?}")),
        }
    };
    run().map_err(|e| format!(" ({name} {path:?}): {e}"))
}

// ------------------------------------------------------ strategic merge patch

#[derive(Debug, Clone, Copy, PartialEq)]
enum ListStrategy {
    /// List of objects merged element by element on this key.
    Keyed(&'static str),
    /// Primitive list merged as a set union (existing order, then new values).
    Union,
    /// Replaced wholesale.
    Replace,
}

const CONTAINER_LISTS: [&str; 3] = ["containers", "initContainers", "ephemeralContainers"];

/// The patch strategy of list field `field` inside a map that is itself an
/// element of the list field `elem_of` (None when the map is not a list element).
fn list_strategy(field: &str, elem_of: Option<&str>) -> ListStrategy {
    use ListStrategy::*;
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets"
        | "resourceClaims" => Keyed("name"),
        "hostAliases" => Keyed("ip"),
        "volumeMounts" => Keyed("mountPath"),
        "volumeDevices" => Keyed("devicePath"),
        "ownerReferences" => Keyed("uid"),
        "conditions" => Keyed("type"),
        "topologySpreadConstraints" => Keyed("topologyKey"),
        "ports" if elem_of.is_some_and(|p| CONTAINER_LISTS.contains(&p)) => Keyed("containerPort"),
        "ports" => Keyed("port"),
        "finalizers" => Union,
        _ => Replace,
    }
}

const PATCH: &str = "$patch";
const RETAIN_KEYS: &str = "$retainKeys";
const SET_ORDER: &str = "$setElementOrder/";
const DELETE_FROM: &str = "$deleteFromPrimitiveList/";

fn is_directive(k: &str) -> bool {
    k == PATCH || k == RETAIN_KEYS || k.starts_with(SET_ORDER) || k.starts_with(DELETE_FROM)
}

fn string_list(v: &Value, what: &str) -> Result<Vec<Value>, PatchError> {
    match v {
        Value::Array(a) => Ok(a.clone()),
        _ => err(format!("{what} must be a list")),
    }
}

/// Merges map `patch` into `orig` (None when absent). Returns None when the
/// patch deletes the map (`$patch: delete`).
fn strategic_map(
    orig: Option<&Map<String, Value>>,
    patch: &Map<String, Value>,
    elem_of: Option<&str>,
) -> Result<Option<Map<String, Value>>, PatchError> {
    match patch.get(PATCH) {
        None => {}
        Some(Value::String(s)) if s == "merge" => {}
        Some(Value::String(s)) if s == "delete" => return Ok(None),
        Some(Value::String(s)) if s == "replace" => {
            let mut rest = patch.clone();
            rest.remove(PATCH);
            return strategic_map(None, &rest, elem_of);
        }
        Some(other) => return err(format!("unknown patch directive {PATCH}: {other}")),
    }
    let mut out = orig.cloned().unwrap_or_default();

    // $deleteFromPrimitiveList/<field> applies to the original before merging.
    for (k, v) in patch {
        if let Some(field) = k.strip_prefix(DELETE_FROM) {
            let remove = string_list(v, k)?;
            if let Some(Value::Array(list)) = out.get_mut(field) {
                list.retain(|x| !remove.contains(x));
            }
        }
    }

    for (k, v) in patch {
        if is_directive(k) {
            continue;
        }
        match v {
            Value::Null => drop(out.remove(k)),
            Value::Object(pm) => {
                let merged = strategic_map(out.get(k).and_then(Value::as_object), pm, None)?;
                match merged {
                    Some(m) => out.insert(k.clone(), Value::Object(m)),
                    None => out.remove(k),
                };
            }
            Value::Array(pl) => {
                let existing = match out.get(k) {
                    Some(Value::Array(a)) => a.as_slice(),
                    _ => &[],
                };
                let merged = strategic_list(existing, pl, k, list_strategy(k, elem_of))?;
                out.insert(k.clone(), Value::Array(merged));
            }
            scalar => drop(out.insert(k.clone(), scalar.clone())),
        }
    }

    for (k, v) in patch {
        if let Some(field) = k.strip_prefix(SET_ORDER) {
            let order = string_list(v, k)?;
            if let Some(Value::Array(list)) = out.get_mut(field) {
                reorder(list, &order, list_strategy(field, elem_of));
            }
        }
    }

    if let Some(rk) = patch.get(RETAIN_KEYS) {
        let keep = string_list(rk, RETAIN_KEYS)?;
        let keep: Vec<&str> = keep.iter().filter_map(Value::as_str).collect();
        out.retain(|k, _| keep.contains(&k.as_str()));
    }
    Ok(Some(out))
}

fn is_list_replace(v: &Value, key: Option<&str>) -> bool {
    let Value::Object(m) = v else { return false };
    m.get(PATCH).and_then(Value::as_str) == Some("replace")
        && key.is_none_or(|k| !m.contains_key(k))
}

/// Strips directives from a patch element that has nothing to merge with.
/// Returns None when the element deletes itself.
fn clean_element(v: &Value, field: &str) -> Result<Option<Value>, PatchError> {
    match v {
        Value::Object(m) => Ok(strategic_map(None, m, Some(field))?.map(Value::Object)),
        Value::Array(a) => {
            strategic_list(&[], a, field, ListStrategy::Replace).map(|l| Some(l.into()))
        }
        other => Ok(Some(other.clone())),
    }
}

fn strategic_list(
    orig: &[Value],
    patch: &[Value],
    field: &str,
    strategy: ListStrategy,
) -> Result<Vec<Value>, PatchError> {
    let key = match strategy {
        ListStrategy::Keyed(k) => Some(k),
        _ => None,
    };
    let replace =
        strategy == ListStrategy::Replace || patch.iter().any(|v| is_list_replace(v, key));
    if replace {
        let mut out = Vec::with_capacity(patch.len());
        for v in patch.iter().filter(|v| !is_list_replace(v, key)) {
            out.extend(clean_element(v, field)?);
        }
        return Ok(out);
    }
    let mut out = orig.to_vec();
    let Some(key) = key else {
        // Union of primitive values: existing order first, then new values.
        for v in patch {
            if let Some(v) = clean_element(v, field)?.filter(|v| !out.contains(v)) {
                out.push(v);
            }
        }
        return Ok(out);
    };
    for (i, el) in patch.iter().enumerate() {
        let Value::Object(pm) = el else {
            return err(format!("{field}[{i}]: list element must be an object"));
        };
        let Some(kv) = pm.get(key) else {
            return err(format!(
                "{field}[{i}]: element does not contain the merge key {key:?}"
            ));
        };
        let pos = out.iter().position(|o| o.get(key) == Some(kv));
        match pos {
            Some(p) => match strategic_map(out.get(p).and_then(Value::as_object), pm, Some(field))?
            {
                Some(m) => {
                    if let Some(slot) = out.get_mut(p) {
                        *slot = Value::Object(m);
                    }
                }
                None => out.retain(|o| o.get(key) != Some(kv)),
            },
            None => {
                if let Some(m) = strategic_map(None, pm, Some(field))? {
                    out.push(Value::Object(m));
                }
            }
        }
    }
    Ok(out)
}

/// `$setElementOrder`: elements named in `order` first, in that order, the rest after.
fn reorder(list: &mut Vec<Value>, order: &[Value], strategy: ListStrategy) {
    let matches = |el: &Value, o: &Value| match (strategy, o) {
        (ListStrategy::Keyed(k), Value::Object(om)) => {
            om.get(k).is_some_and(|kv| el.get(k) == Some(kv))
        }
        _ => el == o,
    };
    let mut rest: Vec<Option<Value>> = std::mem::take(list).into_iter().map(Some).collect();
    for o in order {
        let found = rest
            .iter_mut()
            .find(|slot| slot.as_ref().is_some_and(|el| matches(el, o)));
        if let Some(v) = found.and_then(Option::take) {
            list.push(v);
        }
    }
    list.extend(rest.into_iter().flatten());
}

#[cfg(test)]
mod tests;
