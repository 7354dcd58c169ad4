//! Reading Kubernetes protobuf bodies as the JSON the rest of the sim works
//! with. kubectl's `create <kind> NAME` generators and `kubectl auth can-i`
//! send protobuf (`k8s\0` + a `runtime.Unknown` whose TypeMeta names the
//! kind); answers go back as JSON, which clients accept because they list it
//! in `Accept`. (`kubectl run` and `create -f` send JSON.)
//!
//! Decoding is driven by `schema.rs`: a table of the messages the sim
//! understands. Fields the table does not list are skipped, as a real
//! server skips fields newer than itself. Go's generated marshallers write
//! every non-pointer field, zero or not, so a zero value field (an empty
//! string, a 0, an empty embedded message) is read as "not given" and left
//! out; pointer fields (`replicas`) are kept whenever they are present.

mod schema;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use self::schema::{Entry, Field, Kind, Message};
use crate::sim::store::status::ApiError;

/// The content type kubectl uses for protobuf bodies.
pub const CONTENT_TYPE: &str = "application/vnd.kubernetes.protobuf";

const MAGIC: &[u8] = b"k8s\0";

/// Deeper than any real object: a guard against hostile input.
const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// Not well-formed protobuf, or not the shape its schema says.
    Malformed(String),
    /// Well-formed, but of a kind the sim has no schema for.
    UnknownKind { api_version: String, kind: String },
}

/// Decodes a create or update body into the object's JSON, or the API error
/// a client should see: 400 for a malformed body, 415 for a kind the sim
/// cannot read as protobuf.
pub fn object_from_body(content_type: &str, body: &[u8]) -> Result<Value, ApiError> {
    decode(body).map_err(|e| match e {
        Error::Malformed(why) => {
            ApiError::bad_request(format!("the protobuf body could not be decoded: {why}"))
        }
        Error::UnknownKind { api_version, kind } => {
            let known: Vec<&str> = schema::kinds().collect();
            ApiError::unsupported_media_type(
                content_type,
                "application/json",
                &format!(
                    "; the simulated cluster reads protobuf only for {}, not for {kind} ({api_version}): write a manifest and use `kubectl create -f` or `kubectl apply -f`, which send JSON",
                    known.join(", ")
                ),
            )
        }
    })
}

/// Decodes a protobuf SelfSubjectAccessReview (`kubectl auth can-i`) into its
/// JSON shape; `None` for anything else.
pub fn self_subject_access_review(body: &[u8]) -> Option<Value> {
    decode(body)
        .ok()
        .filter(|v| v["kind"] == "SelfSubjectAccessReview")
}

/// Decodes a `k8s\0`-prefixed protobuf object into JSON, `apiVersion` and
/// `kind` included.
pub fn decode(body: &[u8]) -> Result<Value, Error> {
    let malformed = |why: &str| Error::Malformed(why.to_string());
    let unknown = body
        .strip_prefix(MAGIC)
        .ok_or_else(|| malformed("it does not start with the \"k8s\\0\" prefix"))?;
    // runtime.Unknown: typeMeta = 1 (apiVersion = 1, kind = 2), raw = 2.
    let (mut api_version, mut kind, mut raw) = (String::new(), String::new(), &[][..]);
    for field in Fields::new(unknown) {
        let (number, wire) = field.map_err(malformed)?;
        match number {
            1 => {
                for field in Fields::new(wire.bytes().map_err(malformed)?) {
                    let (number, wire) = field.map_err(malformed)?;
                    match number {
                        1 => api_version = text(wire.bytes().map_err(malformed)?),
                        2 => kind = text(wire.bytes().map_err(malformed)?),
                        _ => {}
                    }
                }
            }
            2 => raw = wire.bytes().map_err(malformed)?,
            _ => {}
        }
    }
    if kind.is_empty() {
        return Err(malformed("the envelope names no kind"));
    }
    let Some(message) = schema::lookup(&api_version, &kind) else {
        return Err(Error::UnknownKind { api_version, kind });
    };
    let mut obj = decode_message(raw, message, 0).map_err(|f| {
        let path: Vec<&str> = f.path.iter().rev().copied().collect();
        if path.is_empty() {
            Error::Malformed(format!("{kind}: {}", f.what))
        } else {
            Error::Malformed(format!("{kind} at {}: {}", path.join("."), f.what))
        }
    })?;
    obj.insert("apiVersion".into(), json!(api_version));
    obj.insert("kind".into(), json!(kind));
    Ok(Value::Object(obj))
}

/// What went wrong, and the field names on the way down to it (innermost first).
struct Fault {
    path: Vec<&'static str>,
    what: String,
}

impl Fault {
    fn new(what: impl Into<String>) -> Fault {
        Fault {
            path: Vec::new(),
            what: what.into(),
        }
    }

    fn within(mut self, field: &'static str) -> Fault {
        self.path.push(field);
        self
    }
}

impl From<&str> for Fault {
    fn from(what: &str) -> Fault {
        Fault::new(what)
    }
}

/// One field's payload, by wire type.
enum Wire<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    /// fixed32 or fixed64: nothing in the schema uses them, so never read.
    Fixed,
}

impl<'a> Wire<'a> {
    fn bytes(&self) -> Result<&'a [u8], &'static str> {
        match self {
            Wire::Bytes(b) => Ok(b),
            _ => Err("expected a length-delimited field, found a number"),
        }
    }

    fn varint(&self) -> Result<u64, &'static str> {
        match self {
            Wire::Varint(v) => Ok(*v),
            Wire::Bytes(_) => Err("expected a varint, found a length-delimited field"),
            Wire::Fixed => Err("expected a varint, found a fixed-width number"),
        }
    }
}

/// The fields of one message, in order. Stops after the first error.
struct Fields<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Fields<'a> {
    fn new(buf: &'a [u8]) -> Fields<'a> {
        Fields { buf, pos: 0 }
    }

    fn varint(&mut self) -> Result<u64, &'static str> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let Some(&b) = self.buf.get(self.pos) else {
                return Err("a varint is cut off at the end of the message");
            };
            self.pos += 1;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a varint is longer than ten bytes")
    }

    fn take(&mut self, len: u64) -> Result<&'a [u8], &'static str> {
        let end = usize::try_from(len)
            .ok()
            .and_then(|len| self.pos.checked_add(len))
            .filter(|end| *end <= self.buf.len())
            .ok_or("a field runs past the end of the message")?;
        let bytes = &self.buf[self.pos..end];
        self.pos = end;
        Ok(bytes)
    }

    fn field(&mut self) -> Result<(u64, Wire<'a>), &'static str> {
        let key = self.varint()?;
        let number = key >> 3;
        if number == 0 {
            return Err("a field has number 0");
        }
        let wire = match key & 7 {
            0 => Wire::Varint(self.varint()?),
            1 => {
                self.take(8)?;
                Wire::Fixed
            }
            2 => {
                let len = self.varint()?;
                Wire::Bytes(self.take(len)?)
            }
            5 => {
                self.take(4)?;
                Wire::Fixed
            }
            _ => return Err("a field has a group or unknown wire type"),
        };
        Ok((number, wire))
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = Result<(u64, Wire<'a>), &'static str>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.buf.len() {
            return None;
        }
        let item = self.field();
        if item.is_err() {
            self.pos = self.buf.len();
        }
        Some(item)
    }
}

/// Protobuf strings are UTF-8; Go does not check, and its JSON encoder
/// replaces invalid bytes, so do the same.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn decode_message(
    buf: &[u8],
    message: &Message,
    depth: usize,
) -> Result<Map<String, Value>, Fault> {
    if depth > MAX_DEPTH {
        return Err(Fault::new(format!(
            "messages are nested more than {MAX_DEPTH} deep"
        )));
    }
    let mut out = Map::new();
    for field in Fields::new(buf) {
        let (number, wire) = field?;
        if let Some(f) = message.fields.iter().find(|f| f.number == number) {
            decode_field(f, &wire, depth, &mut out).map_err(|e| e.within(f.name))?;
        }
    }
    Ok(out)
}

fn decode_field(
    field: &Field,
    wire: &Wire,
    depth: usize,
    out: &mut Map<String, Value>,
) -> Result<(), Fault> {
    let name = field.name;
    let value = match field.kind {
        Kind::Str => json!(text(wire.bytes()?)),
        // int32 and int64 alike: a negative int32 is sign-extended on the wire.
        Kind::Int => json!(wire.varint()? as i64),
        Kind::Bool => json!(wire.varint()? != 0),
        Kind::Time => time(wire.bytes()?)?,
        Kind::IntOrString => int_or_string(wire.bytes()?)?,
        Kind::Embedded(m) => {
            let obj = decode_message(wire.bytes()?, m, depth + 1)?;
            // A repeated embedded message merges into the first, as in protobuf.
            if let Some(Value::Object(existing)) = out.get_mut(name) {
                merge(existing, obj);
            } else if field.pointer || !obj.is_empty() {
                out.insert(name.into(), Value::Object(obj));
            }
            return Ok(());
        }
        Kind::Repeated(m) => {
            let obj = decode_message(wire.bytes()?, m, depth + 1)?;
            push(out, name, Value::Object(obj));
            return Ok(());
        }
        Kind::Strings => {
            push(out, name, json!(text(wire.bytes()?)));
            return Ok(());
        }
        Kind::Map(entry) => {
            let (key, value) = map_entry(wire.bytes()?, entry)?;
            let map = out.entry(name).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(map) = map {
                map.insert(key, value);
            }
            return Ok(());
        }
    };
    // The last occurrence of a scalar wins, even a zero one.
    if field.pointer || !is_zero(&value) {
        out.insert(name.into(), value);
    } else {
        out.remove(name);
    }
    Ok(())
}

fn is_zero(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_i64() == Some(0),
        Value::String(s) => s.is_empty(),
        Value::Array(_) | Value::Object(_) => false,
    }
}

fn push(out: &mut Map<String, Value>, name: &str, value: Value) {
    match out.entry(name).or_insert_with(|| json!([])) {
        Value::Array(items) => items.push(value),
        other => *other = json!([value]),
    }
}

/// Protobuf's merge of two occurrences of one message: scalars from the
/// later, embedded objects merged, lists concatenated.
fn merge(into: &mut Map<String, Value>, from: Map<String, Value>) {
    for (k, v) in from {
        match (into.get_mut(&k), v) {
            (Some(Value::Object(a)), Value::Object(b)) => merge(a, b),
            (Some(Value::Array(a)), Value::Array(b)) => a.extend(b),
            (_, v) => {
                into.insert(k, v);
            }
        }
    }
}

/// A map entry: key = 1, value = 2, either possibly absent (then empty).
fn map_entry(buf: &[u8], entry: Entry) -> Result<(String, Value), Fault> {
    let (mut key, mut value) = (String::new(), None);
    for field in Fields::new(buf) {
        let (number, wire) = field?;
        match number {
            1 => key = text(wire.bytes()?),
            2 => {
                let bytes = wire.bytes()?;
                value = Some(match entry {
                    Entry::Text => json!(text(bytes)),
                    Entry::Bytes => json!(STANDARD.encode(bytes)),
                    Entry::Quantity => quantity(bytes)?,
                });
            }
            _ => {}
        }
    }
    let value = value.unwrap_or_else(|| match entry {
        Entry::Quantity => json!("0"),
        Entry::Text | Entry::Bytes => json!(""),
    });
    Ok((key, value))
}

/// `resource.Quantity`: its string (1); Go shows a zero Quantity as "0".
fn quantity(buf: &[u8]) -> Result<Value, Fault> {
    let mut s = String::from("0");
    for field in Fields::new(buf) {
        if let (1, wire) = field? {
            s = text(wire.bytes()?);
        }
    }
    Ok(json!(s))
}

/// `intstr.IntOrString`: type (1) says which of intVal (2) and strVal (3).
fn int_or_string(buf: &[u8]) -> Result<Value, Fault> {
    let (mut is_string, mut int, mut string) = (false, 0i64, String::new());
    for field in Fields::new(buf) {
        match field? {
            (1, wire) => is_string = wire.varint()? == 1,
            // int32: keep the low 32 bits, as Go's decoder does.
            (2, wire) => int = i64::from(wire.varint()? as i32),
            (3, wire) => string = text(wire.bytes()?),
            _ => {}
        }
    }
    Ok(if is_string { json!(string) } else { json!(int) })
}

/// `meta.v1.Time`: seconds (1) and nanos (2). The zero time is written as
/// an empty message and read as absent (null, which is then left out).
fn time(buf: &[u8]) -> Result<Value, Fault> {
    let mut seconds: Option<i64> = None;
    for field in Fields::new(buf) {
        if let (1, wire) = field? {
            seconds = Some(wire.varint()? as i64);
        }
    }
    let Some(seconds) = seconds else {
        return Ok(Value::Null);
    };
    // JSON shows whole seconds, as metav1.Time's marshaller does.
    let t = jiff::Timestamp::from_second(seconds)
        .map_err(|_| Fault::new(format!("the time {seconds}s is out of range")))?;
    Ok(json!(t.to_string()))
}

#[cfg(test)]
mod tests;
