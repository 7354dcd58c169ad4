//! `warroom timeline list` and `warroom timeline export` through the real
//! binary, with `WARROOM_DATA_DIR` pointing at a temp dir of journals
//! written by the library, as the console writes them.

use std::path::Path;
use std::process::{Command, Output};

use jiff::Timestamp;
use warroom::timeline::{Entry, EntryKind, IncidentMeta, Journal, incidents_dir};

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn warroom(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(args)
        .env("WARROOM_DATA_DIR", data_dir)
        // The list shows start times in the local zone: make it UTC.
        .env("TZ", "UTC")
        .output()
        .expect("the warroom binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn meta(id: &str, title: &str, started: &str) -> IncidentMeta {
    IncidentMeta {
        id: id.into(),
        title: title.into(),
        severity: "SEV2".into(),
        started_at: ts(started),
        began_at: None,
        began_from: None,
        context: "prod-eu".into(),
        namespace: Some("production".into()),
        created_by: "alice".into(),
        time_zone: "UTC".into(),
    }
}

/// Two incidents (one began at 07:50, was declared at 08:00 and ended
/// 1h 35m after it began; one still open) and a broken file.
fn data_dir() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = incidents_dir(tmp.path());
    let mut old = Journal::create(
        &dir,
        IncidentMeta {
            began_at: Some(ts("2026-11-20T07:50:00Z")),
            began_from: Some("as the declarer said (-10m)".into()),
            ..meta(
                "2026-11-20-0800-db-failover",
                "Database failover",
                "2026-11-20T08:00:00Z",
            )
        },
    )
    .unwrap();
    old.append(Entry::new(
        ts("2026-11-20T08:00:00Z"),
        EntryKind::IncidentStarted,
        "declared",
    ))
    .unwrap();
    old.append(
        Entry::new(ts("2026-11-20T08:10:00Z"), EntryKind::Note, "primary gone")
            .with_body("replica lag 40s\nsee https://ops:hunter2@grafana.example/d/db"),
    )
    .unwrap();
    old.append(Entry::new(
        ts("2026-11-20T09:25:00Z"),
        EntryKind::IncidentEnded,
        "recovered",
    ))
    .unwrap();
    drop(old);
    let mut new = Journal::create(
        &dir,
        meta(
            "2026-11-22-1405-checkout",
            "Checkout \x1b[31mnot ready",
            "2026-11-22T14:05:00Z",
        ),
    )
    .unwrap();
    new.append(Entry::new(
        ts("2026-11-22T14:05:00Z"),
        EntryKind::IncidentStarted,
        "declared",
    ))
    .unwrap();
    drop(new);
    std::fs::write(dir.join("garbled.jsonl"), "not a journal\n").unwrap();
    tmp
}

#[test]
fn list_shows_incidents_newest_first() {
    let tmp = data_dir();
    let out = warroom(tmp.path(), &["timeline", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    let cells = |line: &str| {
        line.split("   ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        cells(lines[0]),
        ["ID", "STARTED", "DURATION", "SEV", "ENTRIES", "TITLE"]
    );
    // The title's escape sequence is shown, not obeyed.
    assert_eq!(
        cells(lines[1]),
        [
            "2026-11-22-1405-checkout",
            "2026-11-22 14:05 UTC",
            "open",
            "SEV2",
            "1",
            "Checkout \\x1b[31mnot ready"
        ]
    );
    assert_eq!(
        cells(lines[2]),
        [
            "2026-11-20-0800-db-failover",
            "2026-11-20 07:50 UTC",
            "1h 35m",
            "SEV2",
            "3",
            "Database failover"
        ]
    );
    assert!(lines[3].starts_with("garbled "), "{text}");
    assert!(lines[3].contains("unreadable: "), "{text}");
    assert!(
        lines[3].contains("garbled.jsonl is not an incident journal"),
        "{text}"
    );
    // Columns line up.
    let title_col = lines[0].find("TITLE").unwrap();
    assert_eq!(lines[1].find("Checkout"), Some(title_col));
}

#[test]
fn list_with_no_incidents_says_where_it_looked() {
    let tmp = tempfile::tempdir().unwrap();
    let out = warroom(tmp.path(), &["timeline", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("No incidents in "),
        "{}",
        stdout(&out)
    );
}

#[test]
fn export_prints_markdown_or_json_with_secrets_redacted() {
    let tmp = data_dir();
    let md = warroom(
        tmp.path(),
        &["timeline", "export", "2026-11-20-0800-db-failover"],
    );
    assert!(md.status.success(), "{}", stderr(&md));
    let text = stdout(&md);
    assert!(text.starts_with("# Database failover\n"), "{text}");
    assert!(
        text.contains(
            "- **Began:** 2026-11-20 07:50:00 UTC, 10m before it was declared — as the declarer said (-10m)\n\
             - **Declared:** 08:00:00 by alice\n\
             - **Ended:** 09:25:00 (whether alerts still fired was not recorded)\n\
             - **Duration:** 1h 35m, from began to ended\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("- 08:10:00  **Note**: primary gone\n  > replica lag 40s\n"),
        "{text}"
    );
    assert!(
        text.contains("https://ops:REDACTED@grafana.example/d/db"),
        "{text}"
    );
    assert!(!text.contains("hunter2"));

    let json = warroom(
        tmp.path(),
        &[
            "timeline",
            "export",
            "2026-11-20-0800-db-failover",
            "--format",
            "json",
        ],
    );
    assert!(json.status.success(), "{}", stderr(&json));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("export is JSON");
    assert_eq!(value["incident"]["title"], "Database failover");
    assert_eq!(value["ended_at"], "2026-11-20T09:25:00Z");
    assert_eq!(value["entries"].as_array().map(Vec::len), Some(3));
    assert!(!stdout(&json).contains("hunter2"));
}

#[cfg(unix)]
#[test]
fn export_to_a_file_is_private_and_never_overwrites_unasked() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = data_dir();
    let target = tmp.path().join("postmortem.md");
    let target_arg = target.to_str().unwrap();
    let id = "2026-11-20-0800-db-failover";
    let out = warroom(tmp.path(), &["timeline", "export", id, "-o", target_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&target), 0o600);
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("# Database failover")
    );

    std::fs::write(&target, "my edits").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    let refused = warroom(tmp.path(), &["timeline", "export", id, "-o", target_arg]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        stderr(&refused),
        format!("warroom: {target_arg} already exists; add --force to overwrite it\n")
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "my edits");

    let forced = warroom(
        tmp.path(),
        &[
            "timeline", "export", id, "--format", "json", "-o", target_arg, "--force",
        ],
    );
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(std::fs::read_to_string(&target).unwrap().starts_with('{'));
    assert_eq!(mode(&target), 0o600);
}

#[test]
fn errors_are_one_sentence_and_exit_1() {
    let tmp = data_dir();
    let missing = warroom(tmp.path(), &["timeline", "export", "no-such-incident"]);
    assert_eq!(missing.status.code(), Some(1));
    let err = stderr(&missing);
    assert!(
        err.starts_with("warroom: there is no incident no-such-incident in "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let bad = warroom(tmp.path(), &["timeline", "export", "../../etc/passwd"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("is not an incident id"),
        "{}",
        stderr(&bad)
    );
    let garbled = warroom(tmp.path(), &["timeline", "export", "garbled"]);
    assert_eq!(garbled.status.code(), Some(1));
    assert!(
        stderr(&garbled).contains("is not an incident journal"),
        "{}",
        stderr(&garbled)
    );
}

#[test]
fn the_crash_writer_is_not_in_the_help() {
    let tmp = tempfile::tempdir().unwrap();
    let help = warroom(tmp.path(), &["timeline", "--help"]);
    assert!(help.status.success());
    let text = stdout(&help);
    assert!(text.contains("list") && text.contains("export"), "{text}");
    assert!(!text.contains("crash-writer"), "{text}");
}

#[test]
fn export_says_which_lines_it_left_out() {
    let tmp = data_dir();
    let file = incidents_dir(tmp.path()).join("2026-11-20-0800-db-failover.jsonl");
    let mut bytes = std::fs::read(&file).unwrap();
    let good = bytes.len();
    // A bad line in the middle, a good one, and an unfinished one.
    bytes.extend_from_slice(b"###\n");
    bytes.extend_from_slice(
        br#"{"type":"entry","seq":4,"at":"2026-11-20T09:30:00Z","kind":"note","text":"late"}"#,
    );
    bytes.push(b'\n');
    let tail = r#"{"type":"entry","seq":5,"at":"2026"#;
    bytes.extend_from_slice(tail.as_bytes());
    std::fs::write(&file, &bytes).unwrap();
    let out = warroom(
        tmp.path(),
        &["timeline", "export", "2026-11-20-0800-db-failover"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("**Note**: late"), "{}", stdout(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines[0].starts_with("warroom: line 5 of "), "{err}");
    assert!(
        lines[0].ends_with("db-failover.jsonl left out: not valid JSON"),
        "{err}"
    );
    assert!(
        lines[1].contains(&format!("the last {} bytes of ", tail.len())),
        "{err}"
    );
    // Exporting changes nothing in the journal.
    assert_eq!(std::fs::read(&file).unwrap().len(), bytes.len());
    assert!(bytes.len() > good);
}
