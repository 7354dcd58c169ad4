use super::*;

#[test]
fn durations_sizes_and_views_parse_as_documented() {
    assert_eq!(parse_at("300"), Ok(Duration::from_secs(300)));
    assert_eq!(parse_at("5m"), Ok(Duration::from_secs(300)));
    assert_eq!(parse_at("1h30m"), Ok(Duration::from_secs(5400)));
    assert_eq!(parse_at("2m30s"), Ok(Duration::from_secs(150)));
    assert!(parse_at("5 minutes").is_err());
    assert!(parse_at("m").is_err());
    assert!(parse_at("48h").is_err());
    assert_eq!(parse_at("24h"), Ok(Duration::from_secs(86_400)));
    assert_eq!(parse_at("0"), Ok(Duration::ZERO));
    assert!(parse_at("86401").is_err(), "seconds are held to a day too");
    // Each unit once, largest first (the hand-written parser summed
    // `5m5m` and read `30s1m` as 90 s).
    let wrong_order = parse_at("30s1m").unwrap_err();
    assert!(
        wrong_order.starts_with("--at wants a duration"),
        "{wrong_order}"
    );
    assert!(parse_at("5m5m").is_err());
    assert!(parse_at("1.5m").is_err());
    assert!(parse_at("").is_err());
    assert_eq!(parse_size("160x45"), Ok((160, 45)));
    assert!(parse_size("40x10").is_err(), "narrower than the console");
    assert!(parse_size("160").is_err());
    assert_eq!(parse_view("alerts"), Ok(View::Alerts));
    assert_eq!(parse_view("Nodes"), Ok(View::Nodes));
    assert!(parse_view("logs").is_err());
    assert_eq!(format_at(Duration::from_secs(300)), "5m");
    assert_eq!(format_at(Duration::from_secs(90)), "1m30s");
    assert_eq!(format_at(Duration::from_secs(45)), "45s");
}

#[test]
fn the_gallery_names_each_file_once() {
    let mut files: Vec<&str> = GALLERY.iter().map(|g| g.file).collect();
    files.sort_unstable();
    files.dedup();
    assert_eq!(files.len(), GALLERY.len());
    assert!(files.iter().all(|f| f.ends_with(".svg")));
}
