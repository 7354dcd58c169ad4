use super::*;
use crate::timeline::entry::EntryKind;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn meta(id: &str) -> IncidentMeta {
    IncidentMeta {
        id: id.into(),
        title: format!("Incident {id}"),
        severity: "SEV2".into(),
        started_at: ts("2026-11-22T13:05:00Z"),
        began_at: None,
        began_from: None,
        context: "prod-eu".into(),
        namespace: Some("production".into()),
        created_by: "alice".into(),
        time_zone: "UTC".into(),
    }
}

fn note(text: &str) -> Entry {
    Entry::new(ts("2026-11-22T13:06:00Z"), EntryKind::Note, text)
}

/// A fresh `incidents` directory (not yet created) in a temp dir.
fn dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = incidents_dir(tmp.path());
    (tmp, dir)
}

fn texts(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.text.as_str()).collect()
}

#[test]
fn appends_survive_reopening_and_numbering_continues() {
    let (_tmp, dir) = dir();
    let mut j = Journal::create(&dir, meta("a")).unwrap();
    assert_eq!(j.append(note("one")).unwrap().seq, 1);
    assert_eq!(j.append(note("two")).unwrap().seq, 2);
    drop(j);
    let (mut j, rec) = Journal::open(&dir, "a").unwrap();
    assert_eq!(rec.meta, meta("a"));
    assert_eq!(texts(&rec.entries), ["one", "two"]);
    assert_eq!(rec.torn, None);
    assert!(rec.skipped.is_empty());
    assert_eq!(j.last_seq(), 2);
    let three = j.append(note("three")).unwrap();
    assert_eq!(three.seq, 3);
    drop(j);
    let contents = read(&dir, "a").unwrap();
    assert_eq!(
        contents.entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(contents.entries[2], three);
}

#[test]
fn a_second_create_is_refused() {
    let (_tmp, dir) = dir();
    let _j = Journal::create(&dir, meta("a")).unwrap();
    let e = Journal::create(&dir, meta("a")).unwrap_err();
    assert!(matches!(e, JournalError::Exists { .. }), "{e}");
    assert!(e.to_string().contains("a.jsonl"), "{e}");
    // The temporary name used while creating is gone either way.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|d| d.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.jsonl"]);
}

#[test]
fn a_torn_last_line_is_set_aside_and_cut_off() {
    for (name, tail) in [
        (
            "no newline",
            &br#"{"type":"entry","seq":3,"at":"2026-11-22T13:06:00Z","kind":"note","text":"x"}"#[..],
        ),
        (
            "half a line",
            &br#"{"type":"entry","seq":3,"at":"2026-11-2"#[..],
        ),
        ("not JSON at the end", &b"\0\0\0\0\n"[..]),
    ] {
        let (_tmp, dir) = dir();
        let mut j = Journal::create(&dir, meta("t")).unwrap();
        j.append(note("one")).unwrap();
        j.append(note("two")).unwrap();
        drop(j);
        let path = dir.join("t.jsonl");
        let good = std::fs::read(&path).unwrap();
        let mut torn = good.clone();
        torn.extend_from_slice(tail);
        std::fs::write(&path, &torn).unwrap();

        let (mut j, rec) = Journal::open(&dir, "t").unwrap();
        let set = rec
            .torn
            .clone()
            .unwrap_or_else(|| panic!("{name}: no torn tail"));
        assert_eq!(set.bytes, tail.len(), "{name}");
        assert_eq!(std::fs::read(&set.set_aside).unwrap(), tail, "{name}");
        let file_name = set
            .set_aside
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(
            file_name.starts_with("t.jsonl.torn-"),
            "{name}: {file_name}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), good, "{name}: cut back");
        assert_eq!(texts(&rec.entries), ["one", "two"], "{name}");
        assert_eq!(j.append(note("three")).unwrap().seq, 3, "{name}");
        drop(j);
        let (_j, rec) = Journal::open(&dir, "t").unwrap();
        assert_eq!(rec.torn, None, "{name}");
        assert_eq!(texts(&rec.entries), ["one", "two", "three"], "{name}");
        assert!(list(&dir).unwrap().iter().all(|r| r.is_ok()), "{name}");
    }
}

#[test]
fn two_recoveries_in_one_second_keep_both_tails() {
    let (_tmp, dir) = dir();
    drop(Journal::create(&dir, meta("t")).unwrap());
    let path = dir.join("t.jsonl");
    let mut seen = Vec::new();
    for tail in ["{\"half", "{\"other half"] {
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(tail.as_bytes());
        std::fs::write(&path, bytes).unwrap();
        let (_j, rec) = Journal::open(&dir, "t").unwrap();
        seen.push(rec.torn.unwrap().set_aside);
    }
    assert_ne!(seen[0], seen[1]);
    assert_eq!(std::fs::read_to_string(&seen[0]).unwrap(), "{\"half");
    assert_eq!(std::fs::read_to_string(&seen[1]).unwrap(), "{\"other half");
}

#[test]
fn garbage_in_the_middle_is_reported_and_kept() {
    let (_tmp, dir) = dir();
    let mut j = Journal::create(&dir, meta("g")).unwrap();
    j.append(note("one")).unwrap();
    drop(j);
    // A line that is not JSON, then a good one: the bad line is in the
    // middle, so it is reported and left where it is.
    let path = dir.join("g.jsonl");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"}}} not json\n");
    let two = Entry {
        seq: 2,
        ..note("two")
    };
    bytes.extend_from_slice(entry::entry_line(&two).unwrap().as_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let (mut j, rec) = Journal::open(&dir, "g").unwrap();
    assert_eq!(rec.skipped, [(3, "not valid JSON".to_string())]);
    assert_eq!(texts(&rec.entries), ["one", "two"]);
    assert_eq!(rec.torn, None);
    assert_eq!(j.append(note("three")).unwrap().seq, 3);
    drop(j);
    let (_j, rec) = Journal::open(&dir, "g").unwrap();
    assert_eq!(rec.skipped.len(), 1);
    assert_eq!(texts(&rec.entries), ["one", "two", "three"]);
}

#[test]
fn a_second_writer_is_locked_out_until_the_first_is_gone() {
    let (_tmp, dir) = dir();
    let mut first = Journal::create(&dir, meta("l")).unwrap();
    let e = Journal::open(&dir, "l").unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, JournalError::Locked { .. }), "{text}");
    assert!(
        text.starts_with("incident l is open in another warroom"),
        "{text}"
    );
    assert!(text.contains("l.jsonl"), "{text}");
    #[cfg(target_os = "linux")]
    if std::path::Path::new("/proc/locks").exists() {
        assert!(text.contains("(this process)"), "{text}");
    }
    first.append(note("still mine")).unwrap();
    drop(first);
    let (_second, rec) = Journal::open(&dir, "l").unwrap();
    assert_eq!(texts(&rec.entries), ["still mine"]);
    // Reading never needs the lock.
    assert_eq!(read(&dir, "l").unwrap().entries.len(), 1);
}

#[cfg(unix)]
#[test]
fn files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let (_tmp, dir) = dir();
    let mut j = Journal::create(&dir, meta("p")).unwrap();
    j.append(note("x")).unwrap();
    drop(j);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("p.jsonl")), 0o600);
    let path = dir.join("p.jsonl");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"{\"torn");
    std::fs::write(&path, bytes).unwrap();
    let (_j, rec) = Journal::open(&dir, "p").unwrap();
    assert_eq!(mode(&rec.torn.unwrap().set_aside), 0o600);
}

#[test]
fn a_line_too_long_is_refused_whole() {
    let (_tmp, dir) = dir();
    let mut j = Journal::create(&dir, meta("big")).unwrap();
    let e = j
        .append(note("essay").with_body("x".repeat(MAX_LINE)))
        .unwrap_err();
    assert!(matches!(e, JournalError::TooLong { .. }), "{e}");
    assert!(e.to_string().contains("big.jsonl"), "{e}");
    // Nothing was written and numbering did not move.
    assert_eq!(j.append(note("short")).unwrap().seq, 1);
    assert_eq!(
        j.append(note("fits").with_body("y".repeat(MAX_LINE - 200)))
            .unwrap()
            .seq,
        2
    );
    drop(j);
    let rec = Journal::open(&dir, "big").unwrap().1;
    assert_eq!(texts(&rec.entries), ["short", "fits"]);
}

#[test]
fn missing_bad_and_headerless_journals_say_so() {
    let (_tmp, dir) = dir();
    let e = Journal::open(&dir, "nope").unwrap_err();
    assert!(matches!(e, JournalError::NotFound { .. }), "{e}");
    assert!(
        e.to_string().starts_with("there is no incident nope in "),
        "{e}"
    );
    for id in ["", "../etc/passwd", ".hidden", "a b", "a/b"] {
        let e = Journal::open(&dir, id).unwrap_err();
        assert!(matches!(e, JournalError::BadId { .. }), "{id:?}: {e}");
        let mut m = meta("x");
        m.id = id.into();
        assert!(matches!(
            Journal::create(&dir, m),
            Err(JournalError::BadId { .. })
        ));
    }
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("empty.jsonl"), "").unwrap();
    let e = Journal::open(&dir, "empty").unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{} is not an incident journal: the file is empty",
            dir.join("empty.jsonl").display()
        )
    );
}

#[test]
fn list_is_newest_first_with_unreadable_files_named() {
    let (_tmp, dir) = dir();
    assert!(list(&dir).unwrap().is_empty(), "no directory, no incidents");
    let mut older = meta("older");
    older.started_at = ts("2026-11-20T08:00:00Z");
    let mut j = Journal::create(&dir, older).unwrap();
    j.append(note("a")).unwrap();
    j.append(Entry::new(
        ts("2026-11-20T09:30:00Z"),
        EntryKind::IncidentEnded,
        "over",
    ))
    .unwrap();
    drop(j);
    let newer = Journal::create(&dir, meta("newer")).unwrap();
    std::fs::write(dir.join("broken.jsonl"), "oops\n").unwrap();
    std::fs::write(dir.join("notes.txt"), "not a journal name").unwrap();
    let listing = list(&dir).unwrap();
    assert_eq!(listing.len(), 3);
    let ok: Vec<&IncidentSummary> = listing.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(ok[0].id, "newer");
    assert!(ok[0].open);
    assert_eq!(ok[0].entries, 0);
    assert_eq!(ok[1].id, "older");
    assert!(!ok[1].open);
    assert_eq!(ok[1].ended_at, Some(ts("2026-11-20T09:30:00Z")));
    assert_eq!(ok[1].entries, 2);
    let Err(bad) = &listing[2] else {
        panic!("the broken file is listed last, as unreadable");
    };
    assert_eq!(bad.id, "broken");
    assert!(
        bad.error.to_string().contains("broken.jsonl"),
        "{}",
        bad.error
    );
    // Listing while a writer holds the lock works.
    drop(newer);
}

#[test]
fn ids_are_made_from_the_start_and_the_title() {
    let at = ts("2026-11-22T13:05:00Z");
    assert_eq!(
        incident_id(at, "UTC", "Checkout: pods NOT ready!"),
        "2026-11-22-1305-checkout-pods-not-ready"
    );
    assert_eq!(
        incident_id(at, "No/Where", "   "),
        "2026-11-22-1305-incident"
    );
    let long = incident_id(at, "UTC", &"very long title ".repeat(10));
    assert!(long.len() <= "2026-11-22-1305-".len() + 48, "{long}");
    assert!(!long.ends_with('-'));
    if zone::load("Europe/Berlin").is_some() {
        assert_eq!(incident_id(at, "Europe/Berlin", "x"), "2026-11-22-1405-x");
    }
    let (_tmp, dir) = dir();
    assert_eq!(unique_id(&dir, "a"), "a");
    drop(Journal::create(&dir, meta("a")).unwrap());
    drop(Journal::create(&dir, meta("a-2")).unwrap());
    assert_eq!(unique_id(&dir, "a"), "a-3");
}
