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
        began_at: None,
        began_from: None,
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
    assert!(md.contains("- **Began:** 2026-03-01 23:50:00 UTC (Mars/Olympus\\_Mons is not a time zone this machine knows), when it was declared\n"), "{md}");
    assert!(md.contains("- **Ended:** not yet: the incident is still open (no end recorded)\n- **Duration:** still open\n"), "{md}");
    assert!(
        md.contains("- 23:55:00  **Note**: before midnight\n"),
        "{md}"
    );
    // Another day than the start carries its date.
    assert!(
        md.contains("- 2026-03-02 00:10:00  **Note**: after midnight\n"),
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
        "- 23:51:00  **Warning**: x\\\\n## Injected\\\\x1b\\[2J \\<script>\\*bold\\* \\[link\\](http://e)"
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
        md.contains("- 23:52:00  **Correction** of entry 42, which is not in the journal: about something lost\n"),
        "{md}"
    );
    // A correction of a correction is shown as it is, not applied.
    assert!(
        md.contains("- 23:53:00  **Correction** of entry 2\n"),
        "{md}"
    );
    assert!(md.contains("- 23:51:00  **Note**: kept\n"), "{md}");
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
        md.contains("~~done~~ _(struck at 2026-03-02 00:21:00: not yet)_"),
        "{md}"
    );
    assert!(
        md.contains("**Note**: right _(corrected at 2026-03-02 00:24:00; first written: “oops”)_"),
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
    assert_eq!(d(4 * 60 + 43), "4m 43s");
    assert_eq!(d(3 * 3600 + 7 * 60), "3h 7m");
    assert_eq!(d(86_400 + 3600), "1d 1h 0m");
    assert_eq!("md".parse::<ExportFormat>(), Ok(ExportFormat::Markdown));
    assert!("pdf".parse::<ExportFormat>().is_err());
}

/// An incident declared at 08:52:12 whose impact began at 08:47:12.
fn began_early() -> IncidentMeta {
    IncidentMeta {
        started_at: ts("2026-03-01T08:52:12Z"),
        began_at: Some(ts("2026-03-01T08:47:12Z")),
        began_from: Some("the first problem recorded: shop/notify-1 OOMKilled".into()),
        ..meta("UTC")
    }
}

fn kill(at: &str) -> Entry {
    Entry::new(
        ts(at),
        EntryKind::PodTransition,
        "shop/notify-1: container notify OOMKilled (exit 137)",
    )
    .with_object(ObjectRef::new("Pod", Some("shop"), "notify-1"))
}

#[test]
fn the_summary_says_when_it_began_was_declared_and_resolved_with_seconds() {
    let entries = numbered(vec![
        kill("2026-03-01T08:47:12Z").mark_backfilled(),
        Entry::new(ts("2026-03-01T08:52:12Z"), EntryKind::IncidentStarted, "T"),
        Entry::ended(ts("2026-03-01T08:53:09Z"), "quiet again", Vec::new()).with_actor("me"),
    ]);
    let md = markdown(&began_early(), &entries);
    // Five minutes of impact before anyone declared it, then 57 seconds:
    // the duration counts from when it began.
    assert!(
        md.contains(
            "- **Began:** 2026-03-01 08:47:12 UTC, 5m before it was declared — the first problem recorded: shop/notify-1 OOMKilled\n\
             - **Declared:** 08:52:12 by me\n\
             - **Resolved:** 08:53:09 by me, with no alert firing\n\
             - **Duration:** 5m 57s, from began to resolved\n"
        ),
        "{md}"
    );
    assert!(
        md.contains("- 08:53:09  **Incident resolved** by me: quiet again\n"),
        "{md}"
    );
    // Without `began_at` (an older journal) it began when it was declared.
    let old = markdown(&meta("UTC"), &entries);
    assert!(
        old.contains("- **Began:** 2026-03-01 23:50:00 UTC, when it was declared\n"),
        "{old}"
    );
}

#[test]
fn an_end_while_alerts_still_fire_is_ended_not_resolved() {
    let firing = vec![
        "OOMKilled (critical) on shop/notify-1".to_string(),
        "CrashLoopBackOff (critical) on shop/notify-1".to_string(),
    ];
    let entries = numbered(vec![
        Entry::ended(ts("2026-03-01T09:02:40Z"), "scaled out", firing).with_actor("me"),
    ]);
    let md = markdown(&began_early(), &entries);
    assert!(
        md.contains("- **Ended:** 09:02:40 by me, while 2 alerts still fired: OOMKilled (critical) on shop/notify-1; CrashLoopBackOff (critical) on shop/notify-1\n"),
        "{md}"
    );
    assert!(
        md.contains("- **Duration:** 15m 28s, from began to ended\n"),
        "{md}"
    );
    assert!(
        md.contains("- 09:02:40  **Incident ended** by me: scaled out _(2 alerts still fired)_\n"),
        "{md}"
    );
    assert!(!md.contains("resolved"), "{md}");
    // An end that did not record the alerts claims nothing either way.
    let unknown = numbered(vec![Entry::new(
        ts("2026-03-01T09:02:40Z"),
        EntryKind::IncidentEnded,
        "done",
    )]);
    let md = markdown(&began_early(), &unknown);
    assert!(
        md.contains("- **Ended:** 09:02:40 (whether alerts still fired was not recorded)\n"),
        "{md}"
    );
    assert!(md.contains("**Incident ended**: done"), "{md}");
}

#[test]
fn repeats_fold_into_counted_lines_in_markdown_and_stay_whole_in_json() {
    let mut entries = vec![
        kill("2026-03-01T08:47:12Z").mark_backfilled(),
        kill("2026-03-01T08:49:30Z").mark_backfilled(),
        Entry::new(ts("2026-03-01T08:52:12Z"), EntryKind::IncidentStarted, "T"),
        Entry::new(ts("2026-03-01T08:53:00Z"), EntryKind::Note, "scaling out"),
    ];
    for at in [
        "2026-03-01T08:55:01Z",
        "2026-03-01T08:58:20Z",
        "2026-03-01T09:00:00Z",
        "2026-03-01T09:02:40Z",
    ] {
        entries.push(kill(at));
    }
    let entries = numbered(entries);
    let md = markdown(&began_early(), &entries);
    let timeline: Vec<&str> = md
        .lines()
        .skip_while(|l| *l != "## Timeline")
        .filter(|l| l.starts_with("- "))
        .collect();
    assert_eq!(
        timeline,
        [
            "- 08:47:12  **Pod**: shop/notify-1: container notify OOMKilled (exit 137) ×6 (08:47:12 – 09:02:40) _(2 of them before the incident was declared)_",
            "- 08:52:12  **Incident declared**: T",
            "- 08:53:00  **Note**: scaling out",
        ]
    );
    let value: serde_json::Value = serde_json::from_str(&json(&began_early(), &entries)).unwrap();
    assert_eq!(value["entries"].as_array().unwrap().len(), 8);
    assert_eq!(value["incident"]["began_at"], "2026-03-01T08:47:12Z");
}

#[test]
fn the_draft_has_the_sections_of_a_blameless_post_mortem() {
    let md = markdown(&meta("UTC"), &[]);
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## Summary",
            "## Timeline",
            "## Actions taken",
            "## Root cause",
            "## What went well",
            "## What went wrong",
            "## Lessons for the team",
            "## Action items",
        ]
    );
    // What is left to people is marked, every time the same way.
    for section in ["Root cause", "Lessons for the team", "What went well"] {
        let body = md
            .split(&format!("## {section}\n\n"))
            .nth(1)
            .and_then(|rest| rest.lines().next())
            .unwrap();
        assert!(body.starts_with("_To be written:_ "), "{section}: {body}");
    }
    assert!(md.contains("- **Impact:** _To be written:_ "), "{md}");
    assert!(
        md.ends_with(
            "## Action items\n\n| Action | Owner | Due |\n|---|---|---|\n\
             | _To be written:_ one change per row, that makes this less likely or less harmful | _name_ | _date_ |\n"
        ),
        "{md}"
    );
}
