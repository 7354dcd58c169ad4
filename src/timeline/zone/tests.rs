use super::*;

#[test]
fn names_are_looked_up_only_as_zoneinfo_files() {
    assert_eq!(load("UTC"), Some(TimeZone::UTC));
    assert_eq!(load("etc/utc"), Some(TimeZone::UTC));
    assert!(load("../../etc/passwd").is_none());
    assert!(load("/etc/passwd").is_none());
    assert!(load("").is_none());
    assert!(load("No/Such_Zone").is_none());
    assert_eq!(
        name_from_zoneinfo_path(Path::new("../usr/share/zoneinfo/Europe/Berlin")).as_deref(),
        Some("Europe/Berlin")
    );
    assert_eq!(
        name_from_zoneinfo_path(Path::new("/usr/share/zoneinfo/posix/Asia/Tokyo")).as_deref(),
        Some("Asia/Tokyo")
    );
}

#[test]
fn a_real_zone_has_its_offsets() {
    // Skipped where the machine has no zoneinfo (minimal containers).
    let Some(tz) = load("Europe/Berlin") else {
        return;
    };
    let winter: jiff::Timestamp = "2026-01-10T12:00:00Z".parse().unwrap();
    let summer: jiff::Timestamp = "2026-07-10T12:00:00Z".parse().unwrap();
    assert_eq!(tz.to_datetime(winter).to_string(), "2026-01-10T13:00:00");
    assert_eq!(tz.to_datetime(summer).to_string(), "2026-07-10T14:00:00");
}
