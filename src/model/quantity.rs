//! Kubernetes resource quantities (`100m`, `512Mi`, `1e3`) as numbers.

use serde_json::Value;

/// A Kubernetes quantity in base units: `100m` is 0.1, `1Gi` 1073741824,
/// `1G` 1e9, `1e3` 1000. `None` for anything else.
pub fn parse(s: &str) -> Option<f64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '+' | '-')))
        .unwrap_or(s.len());
    let (number, suffix) = s.split_at(split);
    let n: f64 = number.parse().ok()?;
    let binary = |p: i32| 1024f64.powi(p);
    let unit = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => binary(1),
        "Mi" => binary(2),
        "Gi" => binary(3),
        "Ti" => binary(4),
        "Pi" => binary(5),
        "Ei" => binary(6),
        e if e.starts_with(['e', 'E']) => 10f64.powi(e[1..].parse().ok()?),
        _ => return None,
    };
    Some(n * unit)
}

/// A quantity field, written as a string or a bare number.
pub fn quantity(v: &Value) -> Option<f64> {
    v.as_str().and_then(parse).or_else(|| v.as_f64())
}

/// A memory quantity field in MiB.
pub fn mib(v: &Value) -> Option<f64> {
    quantity(v).map(|b| b / (1024.0 * 1024.0))
}

/// A quantity times `10^exp10`, rounded up to a whole number the way
/// Kubernetes' `Quantity.Value()` and `MilliValue()` round (`scaled("100m", 3)`
/// is 100, `scaled("1.5", 0)` is 2). Computed in integers, so `100m` is exactly
/// 100 millicores rather than 100.00000000000001 as `f64` would have it.
///
/// Negative quantities give 0 (no request or limit can be negative; the API
/// server rejects them), huge ones saturate at `u64::MAX`, and anything that
/// is not a Kubernetes quantity gives `None`.
pub fn scaled(s: &str, exp10: i32) -> Option<u64> {
    let d = Decimal::parse(s)?;
    if d.negative && d.mantissa != 0 {
        return Some(0);
    }
    Some(d.to_u64_ceil(exp10))
}

/// CPU as millicores, rounded up: `250m` → 250, `1` → 1000, `123456789n` → 124.
pub fn milli_value(s: &str) -> Option<u64> {
    scaled(s, 3)
}

/// A quantity as a whole number, rounded up: `256Mi` → 268435456,
/// `123456Ki` → 126418944, `110` → 110.
pub fn value(s: &str) -> Option<u64> {
    scaled(s, 0)
}

/// Bytes as a person reads a memory limit: in the largest binary unit it
/// reaches, whole when exact (`256Mi`, `1Gi`), else with one decimal
/// (`300.5Mi`, `1.5Mi`); plain bytes below 1 KiB.
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    let Some((i, unit)) = UNITS
        .iter()
        .enumerate()
        .rev()
        .find(|(i, _)| bytes >= 1u64 << (10 * (*i as u32 + 1)))
    else {
        return bytes.to_string();
    };
    let size = 1u64 << (10 * (i as u32 + 1));
    if bytes.is_multiple_of(size) {
        format!("{}{unit}", bytes / size)
    } else {
        format!("{:.1}{unit}", bytes as f64 / size as f64)
    }
}

/// Millicores as Kubernetes writes CPU: `250m`, or whole cores as `2`.
pub fn format_milli(milli: u64) -> String {
    if milli.is_multiple_of(1000) {
        (milli / 1000).to_string()
    } else {
        format!("{milli}m")
    }
}

/// A quantity as `mantissa × binary × 10^exp`, read without floating point.
struct Decimal {
    negative: bool,
    mantissa: u128,
    /// Power of ten applied to the mantissa.
    exp: i64,
    /// `1024^p` from a binary suffix (`Ki`…`Ei`), else 1.
    binary: u128,
    /// Non-zero digits were dropped beyond the mantissa's precision, so the
    /// true value is a little above `mantissa × …`.
    inexact: bool,
}

impl Decimal {
    /// Mantissas stop growing here, far below `u128::MAX`, so multiplying by
    /// `1024^6` never overflows.
    const MAX_MANTISSA: u128 = 10u128.pow(19);

    fn parse(s: &str) -> Option<Decimal> {
        let s = s.trim();
        let (negative, s) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let end = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(s.len());
        let (number, suffix) = s.split_at(end);
        let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
        if int_part.is_empty() && frac_part.is_empty() || frac_part.contains('.') {
            return None;
        }
        let mut d = Decimal {
            negative,
            mantissa: 0,
            exp: 0,
            binary: 1,
            inexact: false,
        };
        for c in int_part.bytes() {
            let digit = u128::from(c - b'0');
            if d.mantissa < Self::MAX_MANTISSA {
                d.mantissa = d.mantissa * 10 + digit;
            } else {
                d.exp += 1;
                d.inexact |= digit != 0;
            }
        }
        for c in frac_part.bytes() {
            let digit = u128::from(c - b'0');
            if d.mantissa < Self::MAX_MANTISSA {
                d.mantissa = d.mantissa * 10 + digit;
                d.exp -= 1;
            } else {
                d.inexact |= digit != 0;
            }
        }
        let decimal = |e: i64| Some((e, 1u128));
        let (exp, binary) = match suffix {
            "" => decimal(0),
            "n" => decimal(-9),
            "u" => decimal(-6),
            "m" => decimal(-3),
            "k" => decimal(3),
            "M" => decimal(6),
            "G" => decimal(9),
            "T" => decimal(12),
            "P" => decimal(15),
            "E" => decimal(18),
            "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
                let p = "KMGTPE".find(&suffix[..1]).unwrap_or(0) as u32 + 1;
                Some((0, 1u128 << (10 * p)))
            }
            e if e.starts_with(['e', 'E']) => {
                let n: i64 = e[1..].parse().ok()?;
                decimal(n.clamp(-1000, 1000))
            }
            _ => None,
        }?;
        d.exp += exp;
        d.binary = binary;
        Some(d)
    }

    /// `ceil(value × 10^exp10)`, saturating at `u64::MAX`.
    fn to_u64_ceil(&self, exp10: i32) -> u64 {
        let n = self.mantissa * self.binary;
        if n == 0 {
            return u64::from(self.inexact);
        }
        let exp = self.exp + i64::from(exp10);
        let whole = if exp >= 0 {
            u32::try_from(exp)
                .ok()
                .and_then(|e| 10u128.checked_pow(e))
                .and_then(|p| n.checked_mul(p))
                .map(|v| v + u128::from(self.inexact))
                .unwrap_or(u128::MAX)
        } else {
            match u32::try_from(-exp).ok().and_then(|e| 10u128.checked_pow(e)) {
                Some(div) => {
                    let q = n / div;
                    q + u128::from(!n.is_multiple_of(div) || self.inexact)
                }
                // Smaller than one unit, but above zero: rounds up to 1.
                None => 1,
            }
        };
        u64::try_from(whole).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests;
