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
#[test]
fn millicores_and_bytes_round_up_exactly() {
    assert_eq!(milli_value("250m"), Some(250));
    assert_eq!(milli_value("100m"), Some(100), "no floating-point drift");
    assert_eq!(milli_value("1"), Some(1000));
    assert_eq!(milli_value("0.5"), Some(500));
    assert_eq!(milli_value("123456789n"), Some(124));
    assert_eq!(milli_value("1500u"), Some(2));
    assert_eq!(value("256Mi"), Some(268_435_456));
    assert_eq!(value("123456Ki"), Some(126_418_944));
    assert_eq!(value("1.5Gi"), Some(1_610_612_736));
    assert_eq!(value("1e3"), Some(1000));
    assert_eq!(
        value("1E"),
        Some(1_000_000_000_000_000_000),
        "E alone is exa"
    );
    assert_eq!(value("110"), Some(110));
    assert_eq!(value(".5"), Some(1));
}

#[test]
fn odd_quantities_never_panic() {
    assert_eq!(value("-1Gi"), Some(0));
    assert_eq!(value("99999999999999999999999999999999Ei"), Some(u64::MAX));
    assert_eq!(value("1e999999999999"), Some(u64::MAX));
    assert_eq!(value("1e-999999999999"), Some(1));
    assert_eq!(value("0.000000000000000000000000000001"), Some(1));
    assert_eq!(value("0"), Some(0));
    for bad in [
        "", "-", ".", "1..2", "1.2.3", "Mi", "12Qi", "1e", "1 Gi", "1ee3",
    ] {
        assert_eq!(value(bad), None, "{bad:?}");
    }
}

#[test]
fn sizes_print_as_people_write_limits() {
    assert_eq!(format_bytes(268_435_456), "256Mi");
    assert_eq!(format_bytes(1_073_741_824), "1Gi");
    assert_eq!(format_bytes(1536 * 1024), "1.5Mi");
    assert_eq!(format_bytes(1024), "1Ki");
    assert_eq!(format_bytes(315_097_088), "300.5Mi");
    assert_eq!(format_bytes(512), "512");
    assert_eq!(format_bytes(u64::MAX), "16.0Ei");
    assert_eq!(format_milli(250), "250m");
    assert_eq!(format_milli(2000), "2");
}
