//! Time as the Kubernetes API writes it (`metav1.Time`, `MicroTime`, the
//! kubelet's RFC 3339 with nanoseconds), and clock arithmetic that cannot
//! overflow on numbers a client wrote.

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

fn format_time(format: &str, ts: Timestamp) -> String {
    // Formatting a valid timestamp cannot fail; if it ever did, say so in
    // jiff's own RFC 3339 rather than panic.
    jiff::fmt::strtime::format(format, ts).unwrap_or_else(|_| ts.to_string())
}

/// Kubernetes' `metav1.Time` text: RFC 3339 in UTC, whole seconds.
pub fn k8s_time(ts: Timestamp) -> String {
    format_time("%Y-%m-%dT%H:%M:%SZ", ts)
}

/// Kubernetes' `metav1.MicroTime` text.
pub fn k8s_micro_time(ts: Timestamp) -> String {
    format_time("%Y-%m-%dT%H:%M:%S%.6fZ", ts)
}

/// Go's RFC3339Nano, as the kubelet stamps log lines: fraction without
/// trailing zeros, none when whole.
pub fn rfc3339_nano(ts: Timestamp) -> String {
    format_time("%Y-%m-%dT%H:%M:%S%.fZ", ts)
}

/// `ts` plus `secs` seconds, saturating at the ends of time: the seconds
/// often come from an object a client wrote (grace periods, deadlines,
/// probe periods), and no value may panic the sim.
pub fn after(ts: Timestamp, secs: i64) -> Timestamp {
    ts.checked_add(SignedDuration::from_secs(secs))
        .unwrap_or(if secs < 0 {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        })
}

/// `n` seconds.
pub fn secs(n: i64) -> SignedDuration {
    SignedDuration::from_secs(n)
}

/// Parses a `metav1.Time` written by anyone.
pub fn parse_time(v: &Value) -> Option<Timestamp> {
    v.as_str()?.parse().ok()
}

#[cfg(test)]
mod tests;
