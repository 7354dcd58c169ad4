use super::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn meta(tz: &str) -> IncidentMeta {
    IncidentMeta {
        id: "i".into(),
        title: "T".into(),
        severity: "SEV3".into(),
        started_at: ts("2026-03-01T23:50:00Z"),
        context: "ctx".into(),
        namespace: None,
        created_by: "me".into(),
        time_zone: tz.into(),
    }
}

fn numbered(entries: Vec<Entry>) -> Vec<Entry> {
    entries
        .into_iter()
        .zip(1..)
        .map(|(e, seq)| Entry { seq, ..e })
        .collect()
}

#[test]
fn an_open_incident_in_an_unknown_zone_reads_in_utc() {
    let entries = numbered(vec![
        Entry::new(
            ts("2026-03-01T23:55:00Z"),
            EntryKind::Note,
            "before midnight",
        ),
        Entry::new(
            ts("2026-03-02T00:10:00Z"),
            EntryKind::Note,
            "after midnight",
        ),
    ]);
    let md = markdown(&meta("Mars/Olympus_Mons"), &entries);
    assert!(md.contains("- **Time:** 23:50 UTC (Mars/Olympus\\_Mons is not a time zone this machine knows), still open (no end recorded)"), "{md}");
    assert!(md.contains("- 23:55  **Note**: before midnight\n"), "{md}");
    // Another day than the start carries its date.
    assert!(
        md.contains("- 2026-03-02 00:10  **Note**: after midnight\n"),
        "{md}"
    );
    assert!(md.contains("_No changes were made from warroom._"), "{md}");
    assert!(md.contains("- **Where:** context `ctx`\n"), "{md}");
}

#[test]
fn cluster_text_cannot_format_the_document_or_drive_a_terminal() {
    let entries = numbered(vec![
        Entry::new(
            ts("2026-03-01T23:51:00Z"),
            EntryKind::Warning,
            "x\n## Injected\x1b[2J <script>*bold* [link](http://e)",
        )
        .with_body("line\x07one\r\n> quote"),
        Entry::new(ts("2026-03-01T23:52:00Z"), EntryKind::Action, "run")
            .with_command("echo `date` ``x``"),
    ]);
    let md = markdown(&meta("UTC"), &entries);
    let line = md.lines().find(|l| l.starts_with("- 23:51")).unwrap();
    assert_eq!(
        line,
        "- 23:51  **Warning**: x\\\\n## Injected\\\\x1b\\[2J \\<script>\\*bold\\* \\[link\\](http://e)"
    );
    assert!(md.contains("  > line\\\\x07one\n  > > quote\n"), "{md}");
    assert!(
        md.contains("  - command: ``` echo `date` ``x`` ```\n"),
        "{md}"
    );
    assert!(!md.contains('\x1b') && !md.contains('\x07'));
}

#[test]
fn corrections_of_missing_entries_stand_alone() {
    let mut entries = numbered(vec![
        Entry::new(ts("2026-03-01T23:51:00Z"), EntryKind::Note, "kept"),
        Entry::correct(ts("2026-03-01T23:52:00Z"), 42, "about something lost"),
    ]);
    entries.push(Entry {
        seq: 3,
        ..Entry::strike(ts("2026-03-01T23:53:00Z"), 2, "")
    });
    let md = markdown(&meta("UTC"), &entries);
    assert!(
        md.contains("- 23:52  **Correction** of entry 42, which is not in the journal: about something lost\n"),
        "{md}"
    );
    // A correction of a correction is shown as it is, not applied.
    assert!(md.contains("- 23:53  **Correction** of entry 2\n"), "{md}");
    assert!(md.contains("- 23:51  **Note**: kept\n"), "{md}");
}

#[test]
fn a_struck_end_reopens_and_a_replacement_lifts_a_strike() {
    let entries = numbered(vec![
        Entry::new(ts("2026-03-02T00:20:00Z"), EntryKind::IncidentEnded, "done"),
        Entry::strike(ts("2026-03-02T00:21:00Z"), 1, "not yet"),
        Entry::new(ts("2026-03-02T00:22:00Z"), EntryKind::Note, "oops"),
        Entry::strike(ts("2026-03-02T00:23:00Z"), 3, "wrong"),
        Entry::correct(ts("2026-03-02T00:24:00Z"), 3, "right"),
    ]);
    let md = markdown(&meta("UTC"), &entries);
    assert!(md.contains("still open"), "{md}");
    assert!(
        md.contains("~~done~~ _(struck at 2026-03-02 00:21: not yet)_"),
        "{md}"
    );
    assert!(
        md.contains("**Note**: right _(corrected at 2026-03-02 00:24; first written: “oops”)_"),
        "{md}"
    );
    let json = json(&meta("UTC"), &entries);
    assert!(json.contains("\"ended_at\": null"), "{json}");
}

#[test]
fn durations_read_as_people_say_them() {
    let d = |s: i64| duration_text(SignedDuration::from_secs(s));
    assert_eq!(d(-5), "0s");
    assert_eq!(d(42), "42s");
    assert_eq!(d(25 * 60), "25m");
    assert_eq!(d(3 * 3600 + 7 * 60), "3h 7m");
    assert_eq!(d(86_400 + 3600), "1d 1h 0m");
    assert_eq!("md".parse::<ExportFormat>(), Ok(ExportFormat::Markdown));
    assert!("pdf".parse::<ExportFormat>().is_err());
}
