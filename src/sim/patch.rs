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
mod tests {
    use super::*;
    use serde_json::json;

    fn smp(target: &Value, patch: Value) -> Result<Value, PatchError> {
        let body = patch.to_string();
        apply_patch(PatchKind::StrategicMerge, target, body.as_bytes())
    }

    fn ok(target: &Value, patch: Value) -> Value {
        smp(target, patch).unwrap()
    }

    fn jp(target: &Value, body: &str) -> Result<Value, PatchError> {
        apply_patch(PatchKind::Json, target, body.as_bytes())
    }

    fn pod_spec(containers: Value) -> Value {
        json!({"spec": {"template": {"spec": {"containers": containers}}}})
    }

    fn deployment() -> Value {
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "prod", "finalizers": ["a"],
                         "annotations": {"deployment.kubernetes.io/revision": "3"}},
            "spec": {
                "replicas": 3,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {
                        "containers": [
                            {"name": "app", "image": "x:1",
                             "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                             "ports": [{"containerPort": 8080, "name": "http"}]},
                            {"name": "sidecar", "image": "envoy:1", "env": [{"name": "C", "value": "3"}]}
                        ],
                        "tolerations": [{"key": "k", "operator": "Exists"}]
                    }
                }
            }
        })
    }

    fn containers(v: &Value) -> Value {
        v["spec"]["template"]["spec"]["containers"].clone()
    }

    #[test]
    fn content_types() {
        let ct = PatchKind::from_content_type;
        assert_eq!(ct("application/merge-patch+json"), Some(PatchKind::Merge));
        let smp = ct("Application/Strategic-Merge-Patch+JSON; charset=utf-8");
        assert_eq!(smp, Some(PatchKind::StrategicMerge));
        assert_eq!(ct("application/json-patch+json"), Some(PatchKind::Json));
        assert_eq!(ct("application/apply-patch+yaml"), None);
        assert_eq!(ct("application/json"), None);
        assert_eq!(ct(""), None);
    }

    #[test]
    fn set_image_changes_only_that_container() {
        let d = deployment();
        let out = ok(&d, pod_spec(json!([{"name": "app", "image": "x:2"}])));
        let (before, after) = (containers(&d), containers(&out));
        assert_eq!(after.as_array().map(Vec::len), Some(2));
        assert_eq!(after[0]["image"], "x:2");
        assert_eq!(after[0]["env"], before[0]["env"]);
        assert_eq!(after[0]["ports"], before[0]["ports"]);
        assert_eq!(after[1], before[1]);
        assert_eq!(out["spec"]["replicas"], 3);
        assert_eq!(before[0]["image"], "x:1"); // target untouched
    }

    #[test]
    fn env_removal_and_addition() {
        let env = json!([{"name": "A", "$patch": "delete"}, {"name": "D", "value": "4"},
                         {"name": "B", "value": "22"}]);
        let out = containers(&ok(
            &deployment(),
            pod_spec(json!([{"name": "app", "env": env}])),
        ));
        let want = json!([{"name": "B", "value": "22"}, {"name": "D", "value": "4"}]);
        assert_eq!(out[0]["env"], want);
        assert_eq!(out[1]["env"], json!([{"name": "C", "value": "3"}]));
    }

    #[test]
    fn rollout_restart_annotation() {
        let at = "2024-05-01T10:00:00Z";
        let p = json!({"spec": {"template": {"metadata": {"annotations": {
            "kubectl.kubernetes.io/restartedAt": at}}}}});
        let out = ok(&deployment(), p);
        let tm = &out["spec"]["template"]["metadata"];
        assert_eq!(tm["annotations"]["kubectl.kubernetes.io/restartedAt"], at);
        assert_eq!(tm["labels"]["app"], "web");
        assert_eq!(containers(&out), containers(&deployment()));
    }

    #[test]
    fn merge_patch_semantics() {
        let d = deployment();
        let out = apply_patch(PatchKind::Merge, &d, br#"{"spec":{"replicas":5}}"#).unwrap();
        assert_eq!(out["spec"]["replicas"], 5);
        assert_eq!(out["spec"]["template"], d["spec"]["template"]);
        let p = br#"{"metadata":{"annotations":{"deployment.kubernetes.io/revision":null,"n":"v"}},
                    "spec":{"template":{"spec":{"containers":[{"name":"only"}]}}}}"#;
        let out = apply_patch(PatchKind::Merge, &d, p).unwrap();
        assert_eq!(out["metadata"]["annotations"], json!({"n": "v"}));
        assert_eq!(containers(&out), json!([{"name": "only"}]));
        // nulls inside new objects are dropped
        let out = apply_patch(PatchKind::Merge, &json!({}), br#"{"a":{"b":null,"c":1}}"#);
        assert_eq!(out.unwrap(), json!({"a": {"c": 1}}));
        for bad in [&b"[1]"[..], b"5", b"null", b"\"x\""] {
            let e = apply_patch(PatchKind::Merge, &d, bad).unwrap_err();
            assert_eq!(e.0, "patch must be a JSON object");
        }
    }

    #[test]
    fn json_patch_replace_and_escapes() {
        let p = r#"[{"op":"test","path":"/spec/replicas","value":3},
                    {"op":"replace","path":"/spec/replicas","value":7},
                    {"op":"add","path":"/metadata/annotations/example.com~1owner","value":"me"},
                    {"op":"remove","path":"/metadata/annotations/deployment.kubernetes.io~1revision"},
                    {"op":"add","path":"/metadata/finalizers/-","value":"b"},
                    {"op":"add","path":"/metadata/finalizers/0","value":"z"},
                    {"op":"copy","from":"/metadata/name","path":"/metadata/labels"},
                    {"op":"move","from":"/metadata/labels","path":"/metadata/a~0b"},
                    {"op":"add","path":"/spec/paused","value":true}]"#;
        let out = jp(&deployment(), p).unwrap();
        assert_eq!(out["spec"]["replicas"], 7);
        assert_eq!(out["spec"]["paused"], true);
        let annotations = json!({"example.com/owner": "me"});
        assert_eq!(out["metadata"]["annotations"], annotations);
        assert_eq!(out["metadata"]["finalizers"], json!(["z", "a", "b"]));
        assert_eq!(out["metadata"]["a~b"], "web");
        assert!(out["metadata"].get("labels").is_none());
        let root = jp(&deployment(), r#"[{"op":"replace","path":"","value":{}}]"#);
        assert_eq!(root.unwrap(), json!({}));
    }

    #[test]
    fn json_patch_failures_are_atomic() {
        let d = deployment();
        let p = r#"[{"op":"replace","path":"/spec/replicas","value":9},
                    {"op":"test","path":"/spec/replicas","value":3}]"#;
        let e = jp(&d, p).unwrap_err();
        assert!(
            e.0.contains("operation 1") && e.0.contains("/spec/replicas"),
            "{e}"
        );
        assert_eq!(d["spec"]["replicas"], 3);
        let cases = [
            (r#"[{"op":"remove","path":"/spec/nope"}]"#, "/spec/nope"),
            (
                r#"[{"op":"replace","path":"/nope/x","value":1}]"#,
                "/nope/x",
            ),
            (r#"[{"op":"add","path":"/nope/x","value":1}]"#, "parent"),
            (r#"[{"op":"add","path":"spec","value":1}]"#, "pointer"),
            (
                r#"[{"op":"add","path":"/metadata/finalizers/5","value":1}]"#,
                "out of range",
            ),
            (
                r#"[{"op":"remove","path":"/metadata/finalizers/01"}]"#,
                "index",
            ),
            (r#"[{"op":"add","path":"/a~2b","value":1}]"#, "escape"),
            (r#"[{"op":"frob","path":"/a"}]"#, "unknown op"),
            (
                r#"[{"op":"move","from":"/spec","path":"/spec/x"}]"#,
                "children",
            ),
            (r#"[{"op":"add","path":"/x"}]"#, "value"),
        ];
        for (body, needle) in cases {
            let e = jp(&d, body).unwrap_err();
            assert!(e.0.contains(needle), "{e} should mention {needle}");
        }
    }

    #[test]
    fn malformed_bodies_error() {
        let d = deployment();
        let bodies = [
            "",
            "{",
            "\u{1}",
            "nul",
            "{}",
            "[1]",
            "[{}]",
            r#"[{"op":1}]"#,
            "[[]]",
        ];
        for kind in [PatchKind::Merge, PatchKind::StrategicMerge, PatchKind::Json] {
            for b in bodies
                .iter()
                .map(|b| b.as_bytes())
                .chain([&b"\xff\xfe"[..]])
            {
                let r = apply_patch(kind, &d, b);
                // `{}` is a valid no-op merge patch; everything else must error
                if b == b"{}" && kind != PatchKind::Json {
                    assert_eq!(r.unwrap(), d);
                } else {
                    assert!(r.is_err(), "{kind:?} {:?}", String::from_utf8_lossy(b));
                }
            }
        }
        let bad = [
            json!({"$patch": "bogus"}),
            json!({"$patch": "delete"}),
            json!({"metadata": {"$retainKeys": "x"}}),
            pod_spec(json!([{"image": "no-name"}])),
            pod_spec(json!(["str"])),
        ];
        for p in bad {
            assert!(smp(&d, p.clone()).is_err(), "{p}");
        }
    }

    #[test]
    fn set_element_order_and_finalizers() {
        let d = deployment();
        let mut p = pod_spec(json!([{"name": "sidecar", "image": "envoy:2"}]));
        p["spec"]["template"]["spec"]["$setElementOrder/containers"] =
            json!([{"name": "sidecar"}, {"name": "app"}]);
        p["metadata"] = json!({"finalizers": ["b", "a", "c"]});
        let out = ok(&d, p);
        assert_eq!(out["metadata"]["finalizers"], json!(["a", "b", "c"]));
        let cs = containers(&out);
        assert_eq!(
            (&cs[0]["name"], &cs[0]["image"]),
            (&json!("sidecar"), &json!("envoy:2"))
        );
        assert_eq!(cs[1]["name"], "app");
        assert!(!out.to_string().contains('$'));
        let p = json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"],
                                    "finalizers": ["q"]}});
        assert_eq!(ok(&d, p)["metadata"]["finalizers"], json!(["q"]));
    }

    #[test]
    fn strategic_directives() {
        let d = deployment();
        // list-level and map-level replace
        let p = pod_spec(json!([{"$patch": "replace"}, {"name": "n", "image": "i"}]));
        assert_eq!(containers(&ok(&d, p)), json!([{"name": "n", "image": "i"}]));
        let p = json!({"spec": {"selector": {"$patch": "replace", "matchLabels": {"x": "y"}}}});
        assert_eq!(
            ok(&d, p)["spec"]["selector"],
            json!({"matchLabels": {"x": "y"}})
        );
        // retainKeys
        let t = json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {}}}});
        let p = json!({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}});
        assert_eq!(
            ok(&t, p),
            json!({"spec": {"strategy": {"type": "Recreate"}}})
        );
        // non-keyed lists are replaced; null deletes
        let p = json!({"spec": {"replicas": null,
                                "template": {"spec": {"tolerations": [{"key": "z"}]}}}});
        let out = ok(&d, p);
        assert!(out["spec"].get("replicas").is_none());
        assert_eq!(
            out["spec"]["template"]["spec"]["tolerations"],
            json!([{"key": "z"}])
        );
        // container ports keyed by containerPort, service ports by port
        let ports = json!([{"containerPort": 8080, "protocol": "TCP"}, {"containerPort": 9090}]);
        let out = containers(&ok(&d, pod_spec(json!([{"name": "app", "ports": ports}]))));
        let want = json!([{"containerPort": 8080, "name": "http", "protocol": "TCP"},
                          {"containerPort": 9090}]);
        assert_eq!(out[0]["ports"], want);
        let svc = json!({"spec": {"ports": [{"port": 80, "targetPort": 8080}, {"port": 443}]}});
        let p = json!({"spec": {"ports": [{"port": 443, "$patch": "delete"},
                                          {"port": 80, "targetPort": 9}]}});
        assert_eq!(
            ok(&svc, p),
            json!({"spec": {"ports": [{"port": 80, "targetPort": 9}]}})
        );
        // conditions keyed by type; new elements appended with directives stripped
        let st = json!({"status": {"conditions": [{"type": "Ready", "status": "False"},
                                                  {"type": "A", "status": "True"}]}});
        let p = json!({"status": {"conditions": [
            {"type": "B", "status": "True", "x": {"$patch": "merge", "y": 1}},
            {"type": "Ready", "status": "True"}]}});
        let want = json!([{"type": "Ready", "status": "True"}, {"type": "A", "status": "True"},
                          {"type": "B", "status": "True", "x": {"y": 1}}]);
        assert_eq!(ok(&st, p)["status"]["conditions"], want);
        // a keyed list added to an object that lacks it
        let p = json!({"metadata": {"ownerReferences": [{"uid": "u1", "kind": "ReplicaSet"}]}});
        assert_eq!(ok(&json!({}), p.clone()), p);
    }
}
