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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_parse_in_base_units() {
        let cases = [
            ("100m", 0.1),
            ("1", 1.0),
            ("512Mi", 536870912.0),
            ("1Gi", 1073741824.0),
        ];
        for (s, want) in
            cases
                .into_iter()
                .chain([("1G", 1e9), ("500M", 5e8), ("1e3", 1000.0), ("2k", 2000.0)])
        {
            assert_eq!(parse(s), Some(want), "{s}");
        }
        assert_eq!(parse("1.5Gi"), Some(1.5 * 1073741824.0));
        assert_eq!(parse("lots"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn memory_fields_in_mib() {
        assert_eq!(mib(&serde_json::json!("1Gi")), Some(1024.0));
        assert_eq!(mib(&serde_json::json!(1048576)), Some(1.0));
        assert_eq!(mib(&serde_json::json!(null)), None);
    }
}
