use super::*;

fn sizes(dir: &Path) -> Vec<(String, u64)> {
    let mut files: Vec<(String, u64)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().len(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn rotation_keeps_the_newest_files_and_bounds_the_disk_used() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("warroom.log");
    let mut log = Rotating::open(&path, 100, 2).unwrap();
    for i in 0..40 {
        log.append(format!("record {i:02} {}\n", "x".repeat(20)).as_bytes());
    }
    // 31 bytes a record, 3 to a file of at most 100 bytes; two older
    // files kept: the last 7 records.
    assert_eq!(
        sizes(dir.path()),
        [
            ("warroom.log".to_string(), 31),
            ("warroom.log.1".to_string(), 93),
            ("warroom.log.2".to_string(), 93),
        ]
    );
    let newest = fs::read_to_string(&path).unwrap();
    assert!(newest.starts_with("record 39 "), "{newest}");
    let oldest = fs::read_to_string(numbered(&path, 2)).unwrap();
    assert!(oldest.starts_with("record 33 "), "{oldest}");
}

#[test]
fn a_log_left_full_by_an_earlier_run_is_rotated_before_the_next_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("warroom.log");
    fs::write(&path, "x".repeat(120)).unwrap();
    let mut log = Rotating::open(&path, 100, 3).unwrap();
    log.append(b"new run\n");
    assert_eq!(fs::read_to_string(&path).unwrap(), "new run\n");
    assert_eq!(fs::metadata(numbered(&path, 1)).unwrap().len(), 120);
}

#[test]
fn a_file_rotated_by_another_process_is_reopened_not_rotated_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("warroom.log");
    let mut first = Rotating::open(&path, 100, 3).unwrap();
    let mut second = Rotating::open(&path, 100, 3).unwrap();
    first.append(&[b'a'; 90]);
    second.append(&[b'b'; 20]);
    // The second found the file full and rotated it; the first's file
    // is now warroom.log.1, which it must leave alone.
    first.append(&[b'c'; 20]);
    assert_eq!(fs::read(numbered(&path, 1)).unwrap(), [b'a'; 90]);
    assert_eq!(fs::read(&path).unwrap(), [[b'b'; 20], [b'c'; 20]].concat());
    assert!(!numbered(&path, 2).exists());
}

#[cfg(unix)]
#[test]
fn the_directory_and_every_file_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("data/logs");
    create_private_dir(&dir).unwrap();
    let path = dir.join("warroom.log");
    fs::write(&path, "old\n").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let mut log = Rotating::open(&path, 10, 1).unwrap();
    log.append(b"0123456789\n");
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&numbered(&path, 1)), 0o600);
}

#[test]
fn a_record_is_redacted_escaped_and_cut() {
    assert_eq!(
        clean("DEBUG kube: headers {\"authorization\": \"Bearer abc123\"}\n"),
        "DEBUG kube: headers {\"authorization\": \"REDACTED\"}\n"
    );
    assert_eq!(
        clean("pod said \x1b]52;c;aGk=\x07 then\nsecond line\n"),
        "pod said \\x1b]52;c;aGk=\\x07 then\nsecond line\n"
    );
    let long = clean(&"é".repeat(MAX_RECORD));
    assert!(long.len() < MAX_RECORD + 40, "{}", long.len());
    assert!(long.ends_with(&format!("… ({} bytes cut)\n", MAX_RECORD)));
}
