//! Faults on demand, so tests (and curious users) can see how clients cope:
//! `drop-watch=5s,error-rate=0.1,latency=200ms,expire-rv=30s,forbid=nodes+events`,
//! `namespace-only=production`.

use std::time::Duration;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    /// Every watch connection is closed this long after it opened.
    pub drop_watch: Option<Duration>,
    /// This fraction of requests (0..=1) fails with 500 before doing anything.
    pub error_rate: f64,
    /// Every response waits this long first.
    pub latency: Option<Duration>,
    /// Watch history is forgotten this often (real time): resuming from an
    /// older resourceVersion answers 410 Gone.
    pub expire_rv: Option<Duration>,
    /// Resources the user may not touch: every request for them answers
    /// 403 Forbidden with the API server's RBAC message, as for a user whose
    /// role lacks them. Written `forbid=nodes+events`; a plural alone is the
    /// core group (`nodes`), other groups are named (`deployments.apps`,
    /// `nodes.metrics.k8s.io`). A subresource alone is `pods/log`: the pods
    /// themselves stay allowed.
    pub forbid: Vec<String>,
    /// The user's role is bound in this namespace alone (a RoleBinding, no
    /// ClusterRoleBinding), as for many teams on shared clusters: anything
    /// in another namespace, across all namespaces, or cluster-scoped
    /// (nodes, namespaces) answers 403. Access reviews say the same.
    pub namespace_only: Option<String>,
}

impl Faults {
    /// Whether requests for `plural` in `group` are refused.
    pub(crate) fn forbids(&self, group: &str, plural: &str) -> bool {
        self.forbid.iter().any(|f| match f.split_once('.') {
            Some((p, g)) => p == plural && g == group,
            None => f == plural && group.is_empty(),
        })
    }

    /// Whether a request in `namespace` (`None`: all namespaces or
    /// cluster-scoped) falls outside a namespace-only user's namespace.
    pub(crate) fn outside_namespace(&self, namespace: Option<&str>) -> bool {
        self.namespace_only
            .as_deref()
            .is_some_and(|only| namespace != Some(only))
    }

    /// Whether requests for `plural` (or its `subresource`) in `group` are
    /// refused: forbidding `pods` forbids `pods/log` too, not the reverse.
    pub(crate) fn forbids_sub(&self, group: &str, plural: &str, subresource: Option<&str>) -> bool {
        self.forbids(group, plural)
            || subresource.is_some_and(|sub| self.forbids(group, &format!("{plural}/{sub}")))
    }
}

/// "5s", "200ms", "1m", "1.5s", "1m30s": jiff's friendly format, a unit
/// required (a bare number says nothing of seconds or milliseconds).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(format!("duration {s:?} needs a unit (ms, s, m, h)"));
    }
    jiff::fmt::friendly::SpanParser::new()
        .parse_unsigned_duration(s)
        .map_err(|e| format!("duration {s:?}: {e} (write it like 200ms, 5s, 1m)"))
}

impl std::str::FromStr for Faults {
    type Err = String;

    fn from_str(spec: &str) -> Result<Faults, String> {
        let mut f = Faults::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("fault {part:?} must be key=value"))?;
            match key.trim() {
                "drop-watch" => f.drop_watch = Some(parse_duration(value)?),
                "latency" => f.latency = Some(parse_duration(value)?),
                "expire-rv" => f.expire_rv = Some(parse_duration(value)?),
                "forbid" => {
                    for r in value.split('+').map(str::trim) {
                        if r.is_empty()
                            || !r.chars().all(|c| {
                                c.is_ascii_lowercase()
                                    || c.is_ascii_digit()
                                    || matches!(c, '.' | '-' | '/')
                            })
                        {
                            return Err(format!(
                                "forbid {value:?}: name resources by plural, joined with + (nodes+events, deployments.apps)"
                            ));
                        }
                        f.forbid.push(r.to_string());
                    }
                }
                "namespace-only" => {
                    let ns = value.trim();
                    let valid = !ns.is_empty()
                        && ns.len() <= 63
                        && ns
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                    if !valid {
                        return Err(format!(
                            "namespace-only {value:?}: name one namespace (lowercase letters, digits, -)"
                        ));
                    }
                    f.namespace_only = Some(ns.to_string());
                }
                "error-rate" => {
                    let r: f64 = value
                        .trim()
                        .parse()
                        .map_err(|_| format!("error-rate {value:?} is not a number"))?;
                    if !(0.0..=1.0).contains(&r) {
                        return Err(format!("error-rate {r} must be between 0 and 1"));
                    }
                    f.error_rate = r;
                }
                other => {
                    return Err(format!(
                        "unknown fault {other:?} (known: drop-watch, error-rate, latency, expire-rv, forbid, namespace-only)"
                    ));
                }
            }
        }
        Ok(f)
    }
}

#[cfg(test)]
mod tests;
