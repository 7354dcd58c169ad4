//! The server's own columns for a list: the `meta.k8s.io/v1` Table that
//! `kubectl get` asks for (`Accept: application/json;as=Table;…`). The API
//! server prints built-in kinds with its printers and custom resources
//! with their CRD's `additionalPrinterColumns`, so a resource never seen
//! before still shows what its authors thought matters. Cells are text
//! from the cluster: made safe for the terminal here, at the edge.

use serde_json::Value;

use super::ObjectKey;
use super::sanitize::sanitize;

/// One column definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    /// OpenAPI type: string, integer, number, boolean, date.
    pub kind: String,
    pub description: String,
    /// 0: shown by `kubectl get`; more: only with `-o wide`.
    pub priority: i64,
}

/// One object's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub key: ObjectKey,
    pub cells: Vec<String>,
}

/// A Table as received: its columns, rows and list metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub resource_version: Option<String>,
    /// The continue token of a paged list.
    pub next: Option<String>,
}

/// What the watch of one resource in Table form reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableChange {
    /// A complete list (the first, or after the watch expired): replaces
    /// every row.
    Listed {
        columns: Vec<Column>,
        rows: Vec<Row>,
    },
    /// Added or modified rows.
    Applied(Vec<Row>),
    Deleted(Vec<ObjectKey>),
    /// The list or watch failed and is retried; `forbidden`: a 403, which
    /// is this user's lot, not an outage. In words.
    Failed {
        error: String,
        forbidden: bool,
    },
}

/// Reads a Table. Rows need their object's metadata (the default
/// `includeObject=Metadata`) to be told apart; rows without a name take
/// their first cell as the name.
pub fn parse(value: &Value) -> Result<Table, String> {
    if value["kind"] != "Table" {
        let kind = value["kind"].as_str().unwrap_or("something else");
        return Err(format!("the server answered with {kind}, not a Table"));
    }
    let columns: Vec<Column> = value["columnDefinitions"]
        .as_array()
        .map(|cols| cols.iter().map(column).collect())
        .unwrap_or_default();
    let rows = value["rows"]
        .as_array()
        .map(|rows| rows.iter().map(|r| row(r, columns.len())).collect())
        .unwrap_or_default();
    let text = |p: &str| {
        value
            .pointer(p)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    Ok(Table {
        columns,
        rows,
        resource_version: text("/metadata/resourceVersion"),
        next: text("/metadata/continue"),
    })
}

fn column(c: &Value) -> Column {
    let text = |k: &str| sanitize(c[k].as_str().unwrap_or("")).into_owned();
    Column {
        name: text("name"),
        kind: text("type"),
        description: text("description"),
        priority: c["priority"].as_i64().unwrap_or(0),
    }
}

fn row(r: &Value, width: usize) -> Row {
    let mut cells: Vec<String> = r["cells"]
        .as_array()
        .map(|cells| cells.iter().map(cell).collect())
        .unwrap_or_default();
    cells.resize(width.max(cells.len()), String::new());
    let meta = &r["object"]["metadata"];
    let name = meta["name"]
        .as_str()
        .map(|s| sanitize(s).into_owned())
        .or_else(|| cells.first().cloned())
        .unwrap_or_default();
    let namespace = sanitize(meta["namespace"].as_str().unwrap_or("")).into_owned();
    Row {
        key: ObjectKey { namespace, name },
        cells,
    }
}

/// A cell as kubectl prints it: empty for null (a printer column whose
/// path found nothing), numbers and booleans as written, lists joined by
/// commas.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => sanitize(s).into_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(","),
        Value::Object(_) => sanitize(&v.to_string()).into_owned(),
    }
}

impl Table {
    /// Where the Name column is (the server's first, normally).
    pub fn name_column(&self) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case("name"))
    }
}

#[cfg(test)]
mod tests;
