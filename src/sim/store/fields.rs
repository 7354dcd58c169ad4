//! Field paths and sets of them, as server-side apply tracks who owns which
//! field of an object (sigs.k8s.io/structured-merge-diff, `fieldpath`):
//! a path is a list of elements — a field name, the key of an element of an
//! associative list, the value of an element of a set list, or an index —
//! and a set is written to `metadata.managedFields` in the `FieldsV1`
//! format (`f:name`, `k:{"name":"app"}`, `v:"x"`, `i:0`, and `.` for a
//! path that is in the set and has children in it too).
//!
//! [`schema`] says how each list of the sim's kinds is merged; [`walk`]
//! turns objects into sets, compares and merges them, and removes paths.

pub mod schema;
pub mod walk;

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

/// One step of a field path. The order (fields, keys, values, indexes) is
/// structured-merge-diff's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pe {
    Field(String),
    /// An element of an associative list, by its key fields: a JSON object
    /// with the names in order, as `k:` writes it.
    Key(String),
    /// An element of a set list, by its value (JSON text).
    Value(String),
    Index(usize),
}

pub type Path = Vec<Pe>;

/// A path from field names.
#[cfg(test)]
pub fn field_path(names: &[&str]) -> Path {
    names.iter().map(|n| Pe::Field((*n).to_string())).collect()
}

/// The JSON text of a key element: names in order, values as JSON.
pub fn key_text(fields: &[(&str, &Value)]) -> String {
    let mut sorted: Vec<&(&str, &Value)> = fields.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let parts: Vec<String> = sorted
        .iter()
        .map(|(k, v)| format!("{}:{}", json!(k), v))
        .collect();
    format!("{{{}}}", parts.join(","))
}

impl Pe {
    /// As a path is printed in conflicts: `.name`, `[name="app"]`, `[="x"]`, `[0]`.
    fn display(&self) -> String {
        match self {
            Pe::Field(f) => format!(".{f}"),
            Pe::Key(k) => {
                let fields: Map<String, Value> = serde_json::from_str(k).unwrap_or_default();
                let mut names: Vec<&String> = fields.keys().collect();
                names.sort();
                let parts: Vec<String> = names
                    .iter()
                    .map(|n| format!("{n}={}", go_text(&fields[n.as_str()])))
                    .collect();
                format!("[{}]", parts.join(","))
            }
            Pe::Value(v) => {
                let v: Value = serde_json::from_str(v).unwrap_or(Value::Null);
                format!("[={}]", go_text(&v))
            }
            Pe::Index(i) => format!("[{i}]"),
        }
    }

    /// The `FieldsV1` key of this element.
    fn fields_v1_key(&self) -> String {
        match self {
            Pe::Field(f) => format!("f:{f}"),
            Pe::Key(k) => format!("k:{k}"),
            Pe::Value(v) => format!("v:{v}"),
            Pe::Index(i) => format!("i:{i}"),
        }
    }

    fn from_fields_v1_key(key: &str) -> Result<Pe, String> {
        let bad = || format!("invalid FieldsV1 key {key:?}");
        let (kind, rest) = key.split_at_checked(2).ok_or_else(bad)?;
        match kind {
            "f:" => Ok(Pe::Field(rest.to_string())),
            "k:" => {
                let fields: Map<String, Value> = serde_json::from_str(rest).map_err(|_| bad())?;
                let pairs: Vec<(&str, &Value)> =
                    fields.iter().map(|(k, v)| (k.as_str(), v)).collect();
                Ok(Pe::Key(key_text(&pairs)))
            }
            "v:" => {
                let v: Value = serde_json::from_str(rest).map_err(|_| bad())?;
                Ok(Pe::Value(v.to_string()))
            }
            "i:" => rest.parse().map(Pe::Index).map_err(|_| bad()),
            _ => Err(bad()),
        }
    }
}

/// A value as Go's `value.ToString` prints it in a path: strings quoted.
fn go_text(v: &Value) -> String {
    match v {
        Value::String(s) => json!(s).to_string(),
        other => other.to_string(),
    }
}

/// A path as the API server prints it: `.spec.containers[name="app"].image`.
pub fn path_string(path: &[Pe]) -> String {
    path.iter().map(Pe::display).collect()
}

/// The order structured-merge-diff walks a set in: at each level the paths
/// that end there first, then the deeper ones, each in element order.
pub fn walk_order(a: &[Pe], b: &[Pe]) -> Ordering {
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        let a_ends = a.len() == i + 1;
        let b_ends = b.len() == i + 1;
        if a_ends != b_ends {
            return if a_ends {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        match x.cmp(y) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    a.len().cmp(&b.len())
}

/// A set of field paths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSet(BTreeSet<Path>);

impl FieldSet {
    pub fn new() -> FieldSet {
        FieldSet::default()
    }

    pub fn insert(&mut self, path: Path) {
        self.0.insert(path);
    }

    #[cfg(test)]
    pub fn contains(&self, path: &[Pe]) -> bool {
        self.0.contains(path)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> std::collections::btree_set::Iter<'_, Path> {
        self.0.iter()
    }

    pub fn union(&self, other: &FieldSet) -> FieldSet {
        FieldSet(self.0.union(&other.0).cloned().collect())
    }

    pub fn difference(&self, other: &FieldSet) -> FieldSet {
        FieldSet(self.0.difference(&other.0).cloned().collect())
    }

    pub fn intersection(&self, other: &FieldSet) -> FieldSet {
        FieldSet(self.0.intersection(&other.0).cloned().collect())
    }

    /// Keeps the paths `keep` says yes to.
    pub fn retain(&mut self, keep: impl Fn(&Path) -> bool) {
        self.0.retain(|p| keep(p));
    }

    /// The set written in `FieldsV1`.
    pub fn to_fields_v1(&self) -> Value {
        #[derive(Default)]
        struct Node {
            member: bool,
            children: BTreeMap<Pe, Node>,
        }
        fn render(node: &Node) -> Value {
            let mut m = Map::new();
            if node.member && !node.children.is_empty() {
                m.insert(".".into(), json!({}));
            }
            for (pe, child) in &node.children {
                m.insert(pe.fields_v1_key(), render(child));
            }
            Value::Object(m)
        }
        let mut root = Node::default();
        for path in &self.0 {
            let mut node = &mut root;
            for pe in path {
                node = node.children.entry(pe.clone()).or_default();
            }
            node.member = true;
        }
        render(&root)
    }

    /// Reads a `FieldsV1` document.
    pub fn from_fields_v1(v: &Value) -> Result<FieldSet, String> {
        fn read(v: &Value, prefix: &mut Path, out: &mut FieldSet) -> Result<(), String> {
            let Value::Object(m) = v else {
                return Err("FieldsV1 must be an object of objects".into());
            };
            for (k, child) in m {
                if k == "." {
                    if !prefix.is_empty() {
                        out.insert(prefix.clone());
                    }
                    continue;
                }
                prefix.push(Pe::from_fields_v1_key(k)?);
                if child.as_object().is_some_and(Map::is_empty) {
                    out.insert(prefix.clone());
                } else {
                    read(child, prefix, out)?;
                }
                prefix.pop();
            }
            Ok(())
        }
        let mut out = FieldSet::new();
        read(v, &mut Vec::new(), &mut out)?;
        Ok(out)
    }
}

impl FromIterator<Path> for FieldSet {
    fn from_iter<T: IntoIterator<Item = Path>>(iter: T) -> FieldSet {
        FieldSet(iter.into_iter().collect())
    }
}

#[cfg(test)]
mod tests;
