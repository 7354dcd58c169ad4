//! Applying PATCH request bodies the way the Kubernetes API server does:
//! JSON merge patch (RFC 7386) and JSON patch (RFC 6902) with the
//! `json-patch` crate, and strategic merge patch, written here, with a
//! built-in table of patch merge keys for the core types.
//!
//! Everything here parses untrusted request bodies: no input can panic.

use json_patch::jsonptr::index::OutOfBoundsError;
use json_patch::jsonptr::resolve::ResolveError;
use json_patch::jsonptr::{ParseError, Pointer, PointerBuf};
use json_patch::{
    AddOperation, CopyOperation, MoveOperation, PatchErrorKind, PatchOperation, RemoveOperation,
    ReplaceOperation, TestOperation,
};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchKind {
    Merge,
    StrategicMerge,
    Json,
}

impl PatchKind {
    /// From a Content-Type header value (parameters like "; charset=utf-8" ignored).
    /// `application/apply-patch+yaml` (server-side apply) is not a patch of
    /// this kind: `api::apply` answers it.
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
            json_patch::merge(&mut out, &patch);
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

// ----------------------------------------------------------------- JSON patch

/// Applies an RFC 6902 patch with the `json-patch` crate, one operation at a
/// time on a copy of the target, so that a failed patch changes nothing and
/// the error names the operation and says what was wrong with it.
fn json_patch(target: &Value, patch: &Value) -> Result<Value, PatchError> {
    let Value::Array(ops) = patch else {
        return err("json patch must be a JSON array of operations");
    };
    let mut doc = target.clone();
    for (i, op) in ops.iter().enumerate() {
        let failed = |why: String| PatchError(format!("json patch operation {i}{why}"));
        let (op, at) = json_op(op).map_err(failed)?;
        // Without the crate's undo log (the copy is thrown away on failure).
        if let Err(e) = json_patch::patch_unsafe(&mut doc, std::slice::from_ref(&op)) {
            return Err(failed(format!("{at}: {}", why_failed(&doc, &op, &e.kind))));
        }
    }
    Ok(doc)
}

/// One operation of a JSON patch, and how errors name it (` (op "path")`).
/// The error text continues "json patch operation N".
fn json_op(op: &Value) -> Result<(PatchOperation, String), String> {
    let name = text_field(op, "op").map_err(|e| format!(": {e}"))?;
    let path = text_field(op, "path").map_err(|e| format!(" ({name}): {e}"))?;
    let at = format!(" ({name} {path:?})");
    match operation(op, name, path) {
        Ok(op) => Ok((op, at)),
        Err(e) => Err(format!("{at}: {e}")),
    }
}

fn text_field<'a>(op: &'a Value, key: &str) -> Result<&'a str, String> {
    let v = op.get(key).and_then(Value::as_str);
    v.ok_or_else(|| format!("missing or invalid {key:?}"))
}

/// The operation `name` at `path`, with the `value` or `from` it needs.
fn operation(op: &Value, name: &str, path: &str) -> Result<PatchOperation, String> {
    let path = pointer(path)?;
    let value = || op.get("value").cloned().ok_or("missing \"value\"");
    let from = || -> Result<PointerBuf, String> {
        pointer(text_field(op, "from")?).map_err(|e| format!("from: {e}"))
    };
    Ok(match name {
        "add" => PatchOperation::Add(AddOperation {
            path,
            value: value()?,
        }),
        "remove" => PatchOperation::Remove(RemoveOperation { path }),
        "replace" => PatchOperation::Replace(ReplaceOperation {
            path,
            value: value()?,
        }),
        "move" => PatchOperation::Move(MoveOperation {
            from: from()?,
            path,
        }),
        "copy" => PatchOperation::Copy(CopyOperation {
            from: from()?,
            path,
        }),
        "test" => PatchOperation::Test(TestOperation {
            path,
            value: value()?,
        }),
        other => return Err(format!("unknown op {other:?}")),
    })
}

/// An RFC 6901 pointer, or what is wrong with it.
fn pointer(text: &str) -> Result<PointerBuf, &'static str> {
    match Pointer::parse(text) {
        Ok(p) => Ok(p.to_buf()),
        Err(ParseError::NoLeadingSlash) => Err("JSON pointer must be empty or start with '/'"),
        Err(ParseError::InvalidEncoding { .. }) => Err("invalid '~' escape in JSON pointer"),
    }
}

/// Why `op` failed on `doc` (the document as the operation found it): the
/// crate says which pointer was wrong, this says how.
fn why_failed(doc: &Value, op: &PatchOperation, kind: &PatchErrorKind) -> String {
    use PatchOperation::{Add, Copy, Move, Remove, Test};
    match (kind, op) {
        (PatchErrorKind::TestFailed, Test(t)) => {
            let got = doc.pointer(t.path.as_str()).unwrap_or(&Value::Null);
            format!("test failed: value is {got}, expected {}", t.value)
        }
        (PatchErrorKind::CannotMoveInsideItself, _) => {
            "cannot move a value into one of its children".into()
        }
        (PatchErrorKind::InvalidFromPointer, Move(MoveOperation { from, .. }))
        | (PatchErrorKind::InvalidFromPointer, Copy(CopyOperation { from, .. })) => {
            format!("from: {}", unresolved(doc, from))
        }
        (PatchErrorKind::InvalidPointer, Add(_) | Move(_) | Copy(_)) => {
            cannot_add_at(doc, op.path())
        }
        (PatchErrorKind::InvalidPointer, Remove(r)) if r.path.is_root() => {
            "cannot remove the whole document".into()
        }
        (PatchErrorKind::InvalidPointer, _) => unresolved(doc, op.path()),
        (kind, _) => kind.to_string(),
    }
}

/// Why `ptr` names nothing in `doc`.
fn unresolved(doc: &Value, ptr: &Pointer) -> String {
    let Err(e) = ptr.resolve(doc) else {
        return "path is invalid".into();
    };
    let token = ptr.get(e.position()).map(|t| t.decoded().into_owned());
    let token = token.unwrap_or_default();
    match e {
        ResolveError::FailedToParseIndex { .. } => format!("invalid array index {token:?}"),
        ResolveError::OutOfBounds { source, .. } => out_of_range(&source),
        ResolveError::NotFound { .. } => format!("key {token:?} not found"),
        ResolveError::Unreachable { .. } => format!("cannot descend into a scalar at {token:?}"),
    }
}

/// Why nothing can be added at `ptr` in `doc`.
fn cannot_add_at(doc: &Value, ptr: &Pointer) -> String {
    let Some((parent, last)) = ptr.split_back() else {
        return "path is invalid".into();
    };
    match parent.resolve(doc) {
        Err(_) => format!("parent does not exist: {}", unresolved(doc, parent)),
        Ok(Value::Array(a)) => match last.to_index() {
            Err(_) => format!("invalid array index {:?}", last.decoded()),
            Ok(i) => match i.for_len_incl(a.len()) {
                Err(e) => out_of_range(&e),
                Ok(_) => "path is invalid".into(),
            },
        },
        Ok(Value::Object(_)) => "path is invalid".into(),
        Ok(_) => "parent is not an object or array".into(),
    }
}

fn out_of_range(e: &OutOfBoundsError) -> String {
    format!("array index {} out of range (length {})", e.index, e.length)
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
