use super::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

pub(crate) fn meta() -> IncidentMeta {
    IncidentMeta {
        id: "2026-11-22-1405-checkout-not-ready".into(),
        title: "Checkout pods not ready".into(),
        severity: "SEV2".into(),
        started_at: ts("2026-11-22T13:05:00Z"),
        began_at: None,
        began_from: None,
        context: "prod-eu".into(),
        namespace: Some("production".into()),
        created_by: "alice".into(),
        time_zone: "Europe/Berlin".into(),
    }
}

fn journal_bytes(entries: &[Entry]) -> Vec<u8> {
    let mut text = header_line(&meta()).unwrap();
    for e in entries {
        text.push_str(&entry_line(e).unwrap());
    }
    text.into_bytes()
}

fn numbered(n: u64) -> Entry {
    Entry {
        seq: n,
        ..Entry::new(
            ts("2026-11-22T13:06:00Z"),
            EntryKind::Note,
            format!("note {n}"),
        )
    }
}

#[test]
fn lines_round_trip_with_every_field() {
    let full = Entry {
        seq: 7,
        ..Entry::new(ts("2026-11-22T13:10:30Z"), EntryKind::Action, "Roll back")
            .with_body("line one\nline two")
            .with_object(ObjectRef::new("Deployment", Some("production"), "checkout"))
            .with_severity("critical")
            .with_actor("alice")
            .with_command("kubectl rollout undo deployment/checkout -n production")
            .with_result("rolled back")
            .mark_backfilled()
    };
    let strike = Entry {
        seq: 8,
        ..Entry::strike(ts("2026-11-22T13:11:00Z"), 7, "wrong deployment")
    };
    let bytes = journal_bytes(&[full.clone(), strike.clone()]);
    let text = String::from_utf8(bytes.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "one line each: {text}");
    assert!(lines[0].starts_with(r#"{"type":"incident","format":1,"id":"2026-11-22-1405"#));
    assert!(
        lines[1]
            .starts_with(r#"{"type":"entry","seq":7,"at":"2026-11-22T13:10:30Z","kind":"action""#)
    );
    assert_eq!(
        lines[2],
        r#"{"type":"entry","seq":8,"at":"2026-11-22T13:11:00Z","kind":"correction","text":"wrong deployment","corrects":7,"struck":true}"#
    );
    let parsed = parse(&bytes).unwrap();
    assert_eq!(parsed.meta, meta());
    assert_eq!(parsed.entries, [full, strike]);
    assert_eq!(parsed.last_seq, 8);
    assert_eq!(parsed.good_len, bytes.len());
    assert!(parsed.skipped.is_empty());
}

#[test]
fn unknown_fields_and_missing_optionals_are_fine() {
    let text = concat!(
        r#"{"type":"incident","format":3,"id":"x","title":"t","severity":"SEV3","started_at":"2026-01-01T00:00:00Z","context":"c","created_by":"me","time_zone":"UTC","pager":"P123"}"#,
        "\n",
        r#"{"type":"entry","seq":1,"at":"2026-01-01T00:01:00Z","kind":"mark","mood":"tense"}"#,
        "\n",
    );
    let parsed = parse(text.as_bytes()).unwrap();
    assert_eq!(parsed.meta.namespace, None);
    assert_eq!(parsed.entries.len(), 1);
    assert_eq!(parsed.entries[0].text, "");
    assert!(parsed.skipped.is_empty());
}

#[test]
fn a_bad_line_in_the_middle_is_skipped_with_its_number() {
    let mut bytes = journal_bytes(&[numbered(1)]);
    bytes.extend_from_slice(b"{\"type\":\"entry\",\"seq\":2,\"at\":\"garbage\n");
    bytes.extend_from_slice(b"not json at all\n");
    bytes.extend_from_slice(b"{\"type\":\"checkpoint\",\"seq\":9}\n");
    bytes.extend_from_slice(b"{\"type\":\"entry\",\"seq\":3,\"kind\":\"note\"}\n");
    bytes.extend_from_slice(&journal_bytes(&[numbered(4)])[header_line(&meta()).unwrap().len()..]);
    bytes.extend_from_slice(&journal_bytes(&[numbered(4)])[header_line(&meta()).unwrap().len()..]);
    let parsed = parse(&bytes).unwrap();
    let seqs: Vec<u64> = parsed.entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [1, 4]);
    let lines: Vec<usize> = parsed.skipped.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [3, 4, 5, 6, 8], "{:?}", parsed.skipped);
    assert!(parsed.skipped[0].1.contains("not valid JSON"));
    assert!(parsed.skipped[2].1.contains("\"checkpoint\""));
    assert!(parsed.skipped[3].1.contains("not a readable entry"));
    assert!(parsed.skipped[4].1.contains("out of order"));
    // The seq a skipped line claimed is not handed out again.
    assert_eq!(parsed.last_seq, 4);
    assert_eq!(parsed.good_len, bytes.len());
}

#[test]
fn a_torn_tail_is_found_not_parsed() {
    let whole = journal_bytes(&[numbered(1), numbered(2)]);
    // No newline at the end: even complete JSON was never acknowledged.
    let no_newline = &whole[..whole.len() - 1];
    let parsed = parse(no_newline).unwrap();
    assert_eq!(parsed.entries.len(), 1);
    assert_eq!(parsed.last_seq, 1);
    let first_two_lines = whole.len() - entry_line(&numbered(2)).unwrap().len();
    assert_eq!(parsed.good_len, first_two_lines);
    // Half a line.
    let half = &whole[..first_two_lines + 20];
    assert_eq!(parse(half).unwrap().good_len, first_two_lines);
    // Garbage lines at the very end (a file system that zero-filled what it
    // had not written) are the tail too, not skipped lines.
    let mut zeroed = whole.clone();
    zeroed.extend_from_slice(b"\0\0\0\0\n\0\0\n\0\0");
    let parsed = parse(&zeroed).unwrap();
    assert_eq!(parsed.good_len, whole.len());
    assert!(parsed.skipped.is_empty());
    assert_eq!(parsed.entries.len(), 2);
}

#[test]
fn the_header_is_required() {
    assert!(parse(b"").unwrap_err().0.contains("empty"));
    assert!(
        parse(b"{\"type\":\"incid")
            .unwrap_err()
            .0
            .contains("unfinished")
    );
    assert!(
        parse(b"{}\n")
            .unwrap_err()
            .0
            .contains("not an incident header")
    );
    assert!(
        parse(b"{\"type\":\"incident\"}\n")
            .unwrap_err()
            .0
            .contains("incomplete")
    );
    assert!(parse(b"\xff\xfe\n").unwrap_err().0.contains("not JSON"));
}

/// A small deterministic generator, so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn no_bytes_make_the_reader_panic() {
    let mut rng = Rng(20261122);
    let valid = journal_bytes(&[
        numbered(1),
        numbered(2).with_body("multi\nline").mark_backfilled(),
        Entry {
            seq: 3,
            ..Entry::correct(ts("2026-11-22T13:20:00Z"), 1, "better")
        },
    ]);
    let alphabet = b"{}[]\":,\n\\0123456789eEtruefalsnl-.type entry incident seq \xff\xc3";
    for round in 0..600 {
        let bytes: Vec<u8> = match round % 3 {
            // Random bytes.
            0 => (0..rng.below(300)).map(|_| rng.next() as u8).collect(),
            // JSON-ish noise.
            1 => (0..rng.below(400))
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect(),
            // A valid journal, mutated: bytes flipped, cut, lines spliced.
            _ => {
                let mut b = valid.clone();
                for _ in 0..1 + rng.below(6) {
                    let i = rng.below(b.len());
                    match rng.below(4) {
                        0 => b[i] = rng.next() as u8,
                        1 => b.truncate(i),
                        2 => b.insert(i, b'\n'),
                        _ => {
                            let j = rng.below(b.len());
                            let piece = b[i.min(j)..i.max(j)].to_vec();
                            b.extend_from_slice(&piece);
                        }
                    }
                    if b.is_empty() {
                        break;
                    }
                }
                b
            }
        };
        if let Ok(parsed) = parse(&bytes) {
            assert!(parsed.good_len <= bytes.len());
            // Whatever was read exports without trouble too.
            let _ = crate::timeline::export::markdown(&parsed.meta, &parsed.entries);
            let _ = crate::timeline::export::json(&parsed.meta, &parsed.entries);
            let seqs: Vec<u64> = parsed.entries.iter().map(|e| e.seq).collect();
            assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
            assert!(seqs.iter().all(|s| *s <= parsed.last_seq));
        }
    }
}

#[test]
fn ended_at_ignores_a_struck_end() {
    let end = Entry {
        seq: 2,
        ..Entry::new(
            ts("2026-11-22T14:00:00Z"),
            EntryKind::IncidentEnded,
            "fixed",
        )
    };
    let strike = Entry {
        seq: 3,
        ..Entry::strike(ts("2026-11-22T14:01:00Z"), 2, "too early")
    };
    assert_eq!(ended_at(&[numbered(1), end.clone()]), Some(end.at));
    assert_eq!(ended_at(&[numbered(1), end, strike]), None);
    assert_eq!(ended_at(&[numbered(1)]), None);
}

#[test]
fn actions_and_alerts_become_entries() {
    use crate::model::action::{ActionError, ActionRecord, Mutation, WorkloadRef};
    use crate::model::alert::{AlertSeverity, AlertTarget, TargetKind};
    use crate::model::workload::WorkloadKind;
    let at = ts("2026-11-22T13:30:00Z");
    let record = ActionRecord {
        at,
        user: "alice".into(),
        context: "prod-eu".into(),
        mutation: Mutation::Scale {
            target: WorkloadRef::new(WorkloadKind::Deployment, "production", "checkout"),
            from: 3,
            replicas: 6,
        },
        kubectl: "kubectl scale deployment/checkout --replicas=6 -n production".into(),
        result: Err(ActionError::Forbidden("no".into())),
    };
    let e = Entry::from_action(&record);
    assert_eq!(e.kind, EntryKind::Action);
    assert_eq!(
        e.text,
        "Scale Deployment production/checkout from 3 to 6 replicas"
    );
    assert_eq!(e.actor.as_deref(), Some("alice"));
    assert_eq!(e.result.as_deref(), Some("failed: forbidden (403): no"));
    assert_eq!(
        e.object,
        Some(ObjectRef::new("Deployment", Some("production"), "checkout"))
    );
    let t = AlertTransition {
        at,
        fired: false,
        name: "KubePodNotReady".into(),
        severity: AlertSeverity::Warning,
        summary: Some("Pod has been not ready for 15m".into()),
        source: "Alertmanager prod".into(),
        targets: vec![AlertTarget {
            kind: TargetKind::Pod,
            namespace: Some("production".into()),
            name: "checkout-7d8f".into(),
            container: None,
        }],
    };
    let e = Entry::from_alert(&t);
    assert_eq!(e.kind, EntryKind::AlertResolved);
    assert_eq!(e.text, "KubePodNotReady: Pod has been not ready for 15m");
    assert_eq!(e.severity.as_deref(), Some("warning"));
    assert_eq!(
        e.object.unwrap().to_string(),
        "Pod production/checkout-7d8f"
    );
}
