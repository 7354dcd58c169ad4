//! Just enough of Kubernetes' protobuf encoding to read what kubectl sends
//! as protobuf: the `k8s\0` envelope (`runtime.Unknown`) around a
//! SelfSubjectAccessReview (`kubectl auth can-i`). Answers go back as JSON,
//! which clients accept because they list it in `Accept`.

use serde_json::{Value, json};

/// The content type kubectl uses for protobuf bodies.
pub const CONTENT_TYPE: &str = "application/vnd.kubernetes.protobuf";

const MAGIC: &[u8] = b"k8s\0";

/// One field of a protobuf message: number and either a varint or bytes.
enum Field<'a> {
    Varint,
    Bytes(&'a [u8]),
}

fn varint(buf: &[u8], pos: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *buf.get(*pos)?;
        *pos += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// The fields of a message, in order; `None` for a malformed message.
fn fields(buf: &[u8]) -> Option<Vec<(u64, Field<'_>)>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < buf.len() {
        let key = varint(buf, &mut pos)?;
        let (number, wire) = (key >> 3, key & 7);
        let field = match wire {
            0 => {
                varint(buf, &mut pos)?;
                Field::Varint
            }
            1 => {
                pos = pos.checked_add(8).filter(|p| *p <= buf.len())?;
                continue;
            }
            2 => {
                let len = usize::try_from(varint(buf, &mut pos)?).ok()?;
                let end = pos.checked_add(len).filter(|e| *e <= buf.len())?;
                let bytes = &buf[pos..end];
                pos = end;
                Field::Bytes(bytes)
            }
            5 => {
                pos = pos.checked_add(4).filter(|p| *p <= buf.len())?;
                continue;
            }
            _ => return None,
        };
        out.push((number, field));
    }
    Some(out)
}

fn message(buf: &[u8], number: u64) -> Option<&[u8]> {
    fields(buf)?.into_iter().find_map(|(n, f)| match f {
        Field::Bytes(b) if n == number => Some(b),
        _ => None,
    })
}

/// String fields of a message by number, as a JSON object with the given names.
fn strings(buf: &[u8], names: &[(u64, &str)]) -> Option<Value> {
    let mut obj = serde_json::Map::new();
    for (n, f) in fields(buf)? {
        if let (Field::Bytes(b), Some((_, name))) = (f, names.iter().find(|(k, _)| *k == n)) {
            obj.insert((*name).to_string(), json!(String::from_utf8_lossy(b)));
        }
    }
    Some(Value::Object(obj))
}

/// Decodes a protobuf SelfSubjectAccessReview into its JSON shape.
pub fn self_subject_access_review(body: &[u8]) -> Option<Value> {
    let unknown = body.strip_prefix(MAGIC)?;
    let raw = message(unknown, 2)?;
    let spec_buf = message(raw, 2).unwrap_or(&[]);
    let mut spec = serde_json::Map::new();
    if let Some(ra) = message(spec_buf, 1) {
        let names = [
            (1, "namespace"),
            (2, "verb"),
            (3, "group"),
            (4, "version"),
            (5, "resource"),
            (6, "subresource"),
            (7, "name"),
        ];
        spec.insert("resourceAttributes".into(), strings(ra, &names)?);
    }
    if let Some(nra) = message(spec_buf, 2) {
        spec.insert(
            "nonResourceAttributes".into(),
            strings(nra, &[(1, "path"), (2, "verb")])?,
        );
    }
    Some(
        json!({"kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1", "spec": spec}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(n: u8, bytes: &[u8]) -> Vec<u8> {
        let mut v = vec![(n << 3) | 2, bytes.len() as u8];
        v.extend_from_slice(bytes);
        v
    }

    #[test]
    fn reads_what_kubectl_auth_can_i_sends() {
        let attrs = [
            field(1, b"production"),
            field(2, b"patch"),
            field(3, b"apps"),
            field(5, b"deployments"),
        ]
        .concat();
        let spec = field(1, &attrs);
        let ssar = [field(1, b""), field(2, &spec)].concat();
        let type_meta = [
            field(1, b"authorization.k8s.io/v1"),
            field(2, b"SelfSubjectAccessReview"),
        ]
        .concat();
        let body = [MAGIC.to_vec(), field(1, &type_meta), field(2, &ssar)].concat();
        let v = self_subject_access_review(&body).expect("decodes");
        let ra = &v["spec"]["resourceAttributes"];
        assert_eq!(
            (
                ra["verb"].as_str(),
                ra["resource"].as_str(),
                ra["group"].as_str(),
                ra["namespace"].as_str()
            ),
            (
                Some("patch"),
                Some("deployments"),
                Some("apps"),
                Some("production")
            )
        );
    }

    #[test]
    fn garbage_is_refused_not_panicked_on() {
        assert!(self_subject_access_review(b"").is_none());
        assert!(self_subject_access_review(b"k8s\0\x12\xff\xff").is_none());
        assert!(self_subject_access_review(b"{\"kind\":\"x\"}").is_none());
        assert!(fields(&[0x0a, 0x80]).is_none());
    }
}
