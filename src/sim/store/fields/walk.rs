//! Walks over objects along their schema ([`super::schema`]): the set of
//! fields an applied configuration sets ([`applied_set`]), what changed
//! between two versions ([`compare`]), an applied configuration merged into
//! the live object ([`merge`]), and a path taken out of an object
//! ([`remove`]). These are structured-merge-diff's `ToFieldSet`, `Compare`,
//! `Merge` and `RemoveItems`, for JSON objects.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::schema::{ELEMENT, KeyField, ListType, atomic_object, list_type};
use super::{FieldSet, Path, Pe, key_text, path_string};

/// The element of `list` (of type `lt`, not atomic) that `item` is: its key
/// fields (with their defaults) or its value. None when a key field is
/// missing.
fn element_pe(lt: ListType, item: &Value) -> Option<Pe> {
    match lt {
        ListType::Atomic => None,
        ListType::Set => Some(Pe::Value(item.to_string())),
        ListType::Map(keys) => key_pe(keys, item),
    }
}

fn key_pe(keys: &[KeyField], item: &Value) -> Option<Pe> {
    let defaults: Vec<Value> = keys
        .iter()
        .map(|k| Value::String(k.default.unwrap_or("").to_string()))
        .collect();
    let mut fields = Vec::with_capacity(keys.len());
    for (k, default) in keys.iter().zip(&defaults) {
        match item.get(k.name) {
            Some(v) if !v.is_null() => fields.push((k.name, v)),
            _ if k.default.is_some() => fields.push((k.name, default)),
            _ => return None,
        }
    }
    Some(Pe::Key(key_text(&fields)))
}

/// The elements of a list with their path elements; an element without its
/// keys is known by its index, so that a walk of a stored object never fails.
fn indexed(lt: ListType, items: &[Value]) -> Vec<(Pe, &Value)> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| (element_pe(lt, item).unwrap_or(Pe::Index(i)), item))
        .collect()
}

// ---------------------------------------------------------------- ToFieldSet

/// The fields an applied configuration sets: every scalar, every null or
/// empty object, every atomic list or object, and every element of an
/// associative or set list. Objects with fields are not members themselves.
pub fn applied_set(config: &Value) -> Result<FieldSet, String> {
    let mut out = FieldSet::new();
    let mut path = Vec::new();
    let mut names = Vec::new();
    set_of(config, &mut path, &mut names, &mut out)?;
    Ok(out)
}

fn set_of<'a>(
    v: &'a Value,
    path: &mut Path,
    names: &mut Vec<&'a str>,
    out: &mut FieldSet,
) -> Result<(), String> {
    match v {
        Value::Object(m) if path.is_empty() || !(m.is_empty() || atomic_object(names)) => {
            for (k, child) in m {
                path.push(Pe::Field(k.clone()));
                names.push(k);
                set_of(child, path, names, out)?;
                names.pop();
                path.pop();
            }
        }
        Value::Array(items) => {
            let lt = list_type(names);
            if lt == ListType::Atomic {
                out.insert(path.clone());
                return Ok(());
            }
            let mut seen = BTreeSet::new();
            for (i, item) in items.iter().enumerate() {
                let Some(pe) = element_pe(lt, item) else {
                    return Err(format!(
                        "{}: element {i}: associative list with keys has an element that omits a key field",
                        path_string(path)
                    ));
                };
                if !seen.insert(pe.clone()) {
                    return Err(format!(
                        "{}: duplicate entries for key {}",
                        path_string(path),
                        path_string(std::slice::from_ref(&pe))
                    ));
                }
                path.push(pe);
                names.push(ELEMENT);
                if lt != ListType::Set {
                    set_of(item, path, names, out)?;
                }
                out.insert(path.clone());
                names.pop();
                path.pop();
            }
        }
        _ => out.insert(path.clone()),
    }
    Ok(())
}

// ------------------------------------------------------------------- Compare

/// What changed between two versions of an object, as paths.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Comparison {
    pub added: FieldSet,
    pub removed: FieldSet,
    pub modified: FieldSet,
}

/// Compares two versions of an object: a path present only in `new` is
/// added (with everything below it), present only in `old` removed, and a
/// scalar or atomic value that differs modified.
pub fn compare(old: &Value, new: &Value) -> Comparison {
    let mut c = Comparison::default();
    compare_at(
        Some(old),
        Some(new),
        &mut Vec::new(),
        &mut Vec::new(),
        &mut c,
    );
    c
}

fn compare_at<'a>(
    old: Option<&'a Value>,
    new: Option<&'a Value>,
    path: &mut Path,
    names: &mut Vec<&'a str>,
    c: &mut Comparison,
) {
    let (o, n) = match (old, new) {
        (None, None) => return,
        (None, Some(n)) => return every_path(n, path, names, &mut c.added),
        (Some(o), None) => return every_path(o, path, names, &mut c.removed),
        (Some(o), Some(n)) => (o, n),
    };
    let atomic = atomic_object(names);
    let lt = list_type(names);
    if o.is_object() && n.is_object() && !atomic {
        let (Value::Object(om), Value::Object(nm)) = (o, n) else {
            return;
        };
        let keys: BTreeSet<&'a String> = om.keys().chain(nm.keys()).collect();
        for k in keys {
            path.push(Pe::Field(k.clone()));
            names.push(k);
            compare_at(om.get(k), nm.get(k), path, names, c);
            names.pop();
            path.pop();
        }
    } else if o.is_array() && n.is_array() && lt != ListType::Atomic {
        let (Value::Array(oa), Value::Array(na)) = (o, n) else {
            return;
        };
        let olds: BTreeMap<Pe, &Value> = indexed(lt, oa).into_iter().rev().collect();
        let news: BTreeMap<Pe, &Value> = indexed(lt, na).into_iter().rev().collect();
        let pes: BTreeSet<&Pe> = olds.keys().chain(news.keys()).collect();
        for pe in pes {
            path.push(pe.clone());
            names.push(ELEMENT);
            compare_at(olds.get(pe).copied(), news.get(pe).copied(), path, names, c);
            names.pop();
            path.pop();
        }
    } else if o != n && !path.is_empty() {
        c.modified.insert(path.clone());
    }
}

/// `v` at `path` and every path below it.
fn every_path<'a>(v: &'a Value, path: &mut Path, names: &mut Vec<&'a str>, out: &mut FieldSet) {
    if !path.is_empty() {
        out.insert(path.clone());
    }
    match v {
        Value::Object(m) if !atomic_object(names) => {
            for (k, child) in m {
                path.push(Pe::Field(k.clone()));
                names.push(k);
                every_path(child, path, names, out);
                names.pop();
                path.pop();
            }
        }
        Value::Array(items) => {
            let lt = list_type(names);
            if lt == ListType::Atomic {
                return;
            }
            for (pe, item) in indexed(lt, items) {
                path.push(pe);
                names.push(ELEMENT);
                every_path(item, path, names, out);
                names.pop();
                path.pop();
            }
        }
        _ => {}
    }
}

// --------------------------------------------------------------------- Merge

/// The applied configuration merged into the live object: objects field by
/// field, associative and set lists element by element (in the order
/// structured-merge-diff gives them), everything else replaced. A null in
/// the configuration removes the field.
pub fn merge(live: &Value, config: &Value) -> Value {
    merge_at(Some(live), config, &mut Vec::new())
}

fn merge_at<'a>(live: Option<&'a Value>, config: &'a Value, names: &mut Vec<&'a str>) -> Value {
    match config {
        Value::Object(cm) if !atomic_object(names) => {
            let lm = live.and_then(Value::as_object);
            let mut out = lm.cloned().unwrap_or_default();
            for (k, cv) in cm {
                if cv.is_null() {
                    out.remove(k);
                    continue;
                }
                names.push(k);
                let merged = merge_at(lm.and_then(|m| m.get(k)), cv, names);
                names.pop();
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        Value::Array(ca) if list_type(names) != ListType::Atomic => {
            let la = live
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice);
            Value::Array(merge_list(list_type(names), la, ca, names))
        }
        _ => config.clone(),
    }
}

/// Two lists merged element by element: the configuration's order for the
/// elements it names, live-only elements kept where they were.
fn merge_list<'a>(
    lt: ListType,
    live: &'a [Value],
    config: &'a [Value],
    names: &mut Vec<&'a str>,
) -> Vec<Value> {
    let lhs = indexed(lt, live);
    let rhs = indexed(lt, config);
    let in_lhs: BTreeMap<&Pe, &Value> = lhs.iter().rev().map(|(p, v)| (p, *v)).collect();
    let in_rhs: BTreeMap<&Pe, &Value> = rhs.iter().rev().map(|(p, v)| (p, *v)).collect();
    let mut shared = rhs
        .iter()
        .map(|(p, _)| p)
        .filter(|p| in_lhs.contains_key(p));
    let mut next_shared = shared.next();
    let mut merged_rhs: BTreeSet<&Pe> = BTreeSet::new();
    let mut out = Vec::with_capacity(live.len().max(config.len()));
    let item = |l: Option<&'a Value>, r: &'a Value, names: &mut Vec<&'a str>| {
        names.push(ELEMENT);
        let v = merge_at(l, r, names);
        names.pop();
        v
    };
    let (mut li, mut ri) = (0, 0);
    while li < lhs.len() || ri < rhs.len() {
        if li < lhs.len() && ri < rhs.len() {
            let pe = &lhs[li].0;
            if *pe == rhs[ri].0 {
                merged_rhs.insert(pe);
                out.push(item(in_lhs.get(pe).copied(), in_rhs[pe], names));
                li += 1;
                ri += 1;
                next_shared = shared.next();
                continue;
            }
            if in_rhs.contains_key(pe) && next_shared.is_some_and(|s| s != pe) {
                li += 1;
                continue;
            }
        }
        if li < lhs.len() {
            let pe = &lhs[li].0;
            if !in_rhs.contains_key(pe) {
                out.push(lhs[li].1.clone());
                li += 1;
                continue;
            } else if merged_rhs.contains(pe) {
                li += 1;
            }
        }
        if ri < rhs.len() {
            let pe = &rhs[ri].0;
            merged_rhs.insert(pe);
            out.push(item(in_lhs.get(pe).copied(), in_rhs[pe], names));
            ri += 1;
            if next_shared == Some(pe) {
                next_shared = shared.next();
            }
        }
    }
    out
}

// -------------------------------------------------------------------- Remove

/// Maps that Go leaves out of an object when they are empty (as it leaves
/// out every empty list): removing the last field of one removes the map.
const OMITTED_WHEN_EMPTY: &[&str] = &[
    "labels",
    "annotations",
    "data",
    "binaryData",
    "stringData",
    "limits",
    "requests",
    "nodeSelector",
];

/// Takes the value at `path` out of `obj`. Returns whether it was there.
pub fn remove(obj: &mut Value, path: &[Pe]) -> bool {
    remove_at(obj, path, &mut Vec::new())
}

fn remove_at(v: &mut Value, path: &[Pe], names: &mut Vec<String>) -> bool {
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    match (first, v) {
        (Pe::Field(f), Value::Object(m)) => {
            if rest.is_empty() {
                return m.remove(f).is_some();
            }
            let Some(child) = m.get_mut(f) else {
                return false;
            };
            names.push(f.clone());
            let removed = remove_at(child, rest, names);
            names.pop();
            let emptied = match child {
                Value::Object(m) => m.is_empty() && OMITTED_WHEN_EMPTY.contains(&f.as_str()),
                Value::Array(a) => a.is_empty(),
                _ => false,
            };
            if removed && emptied {
                m.remove(f);
            }
            removed
        }
        (pe, Value::Array(items)) => {
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let lt = list_type(&refs);
            let found = items.iter().enumerate().position(|(i, item)| match pe {
                Pe::Index(n) => *n == i,
                _ => element_pe(lt, item).as_ref() == Some(pe),
            });
            let Some(i) = found else { return false };
            if rest.is_empty() {
                items.remove(i);
                return true;
            }
            names.push(ELEMENT.to_string());
            let removed = items
                .get_mut(i)
                .is_some_and(|item| remove_at(item, rest, names));
            names.pop();
            removed
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests;
