//! The guide's templates: `{name|generic words}` slots filled with a pod's
//! own words, or their generic ones.

use super::EXIT_CODES;

/// Fills `{name|generic words}` slots: the pod's words when `fill` has
/// them, else the generic ones. A slot written `{name|EXIT_CODES}` uses the
/// shared exit-code primer as its generic words. The first letter of the
/// result is capitalised, since slots may open a sentence.
pub fn render(template: &str, fill: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}').map(|i| open + i) else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let inner = &rest[open + 1..close];
        let (name, generic) = inner.split_once('|').unwrap_or((inner, ""));
        let generic = if generic == "EXIT_CODES" {
            EXIT_CODES
        } else {
            generic
        };
        match fill(name) {
            Some(v) => out.push_str(&v),
            None => out.push_str(generic),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    let mut chars = out.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => out,
    }
}

/// The slot names the templates may use (checked by a test).
#[cfg(test)]
pub(crate) const SLOTS: &[&str] = &[
    "container",
    "init",
    "probe",
    "cause",
    "liveness",
    "limit",
    "restarted",
    "exit",
    "env",
    "image",
    "image_ref",
    "message",
    "namespace",
    "node",
    "requests",
    "scheduler",
    "grace",
    "finalizers",
    "status",
    "history",
    "key.object_events",
    "key.logs",
    "key.previous_logs",
    "key.history",
];
