//! The incident as the reducer runs it: declared with its back-fill, fed
//! by what changes, marks and notes, acknowledged by the journal, ended.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use jiff::SignedDuration;

use crate::model::changes::{Change as Changed, ChangeKind};
use crate::model::cluster::Change;
use crate::state::fixtures;
use crate::state::*;
use crate::timeline::{Entry, EntryKind, IncidentMeta};

fn key(c: char) -> Msg {
    Msg::KeyPressed(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(c: KeyCode, m: KeyModifiers) -> Msg {
    Msg::KeyPressed(KeyEvent::new(c, m))
}

fn typed(state: &mut State, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(update(state, key(c)));
    }
    effects
}

fn pods(p: crate::model::pod_health::PodInfo) -> Msg {
    Msg::Cluster {
        generation: 0,
        change: ClusterChange::Pods(Change::Applied(vec![Box::new(p)])),
    }
}

fn enter() -> Msg {
    code(KeyCode::Enter, KeyModifiers::NONE)
}

/// The incident a batch of effects starts.
fn started(effects: &[Effect]) -> Option<(IncidentMeta, Vec<Entry>)> {
    effects.iter().find_map(|e| match e {
        Effect::StartIncident { meta, entries } => Some((meta.clone(), entries.clone())),
        _ => None,
    })
}

/// Journal batches among `effects`.
fn appended(effects: &[Effect]) -> Vec<Entry> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::AppendJournal(entries) => Some(entries.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// The shop with a pod that just became not ready, then `i SEV1 …`.
fn declared() -> (State, Vec<Entry>) {
    let mut state = fixtures::shop();
    let _ = update(
        &mut state,
        pods(fixtures::pod("shop", "checkout-7d8f9c-9vbnm", "checkout")),
    );
    let _ = update(&mut state, pods(fixtures::not_ready_pod()));
    let _ = update(&mut state, key('i'));
    assert_eq!(
        state.overlay.prompt().unwrap().kind,
        PromptKind::StartIncident
    );
    typed(&mut state, "SEV1 checkout down");
    let effects = update(&mut state, code(KeyCode::Enter, KeyModifiers::NONE));
    let Some(Effect::StartIncident { meta, entries }) = effects.first() else {
        panic!("{effects:?}");
    };
    assert_eq!(meta.severity, "SEV1");
    assert_eq!(meta.title, "checkout down");
    assert_eq!(meta.created_by, "oncall");
    (state, entries.clone())
}

#[test]
fn a_declared_incident_is_back_filled_from_what_changed() {
    let (state, entries) = declared();
    let last = entries.last().unwrap();
    assert_eq!(last.kind, EntryKind::IncidentStarted);
    assert!(!last.backfilled);
    let before: Vec<_> = entries.iter().filter(|e| e.backfilled).collect();
    assert!(
        before
            .iter()
            .any(|e| e.kind == EntryKind::PodTransition && e.text.contains("not Ready")),
        "{before:?}"
    );
    let open = state.timeline.open.as_ref().unwrap();
    assert_eq!(open.unsaved, entries.len(), "nothing shows as saved yet");
}

#[test]
fn changes_marks_and_notes_go_to_the_journal_and_count_as_saved_when_acknowledged() {
    let (mut state, start) = declared();
    let mut seq = 0;
    let ack = |entries: Vec<Entry>, seq: &mut u64| {
        entries
            .into_iter()
            .map(|mut e| {
                *seq += 1;
                e.seq = *seq;
                e
            })
            .collect::<Vec<_>>()
    };
    let _ = update(&mut state, Msg::JournalSaved(ack(start, &mut seq)));
    assert_eq!(state.timeline.open.as_ref().unwrap().unsaved, 0);

    // The pod recovers: recorded.
    let mut ok = fixtures::not_ready_pod();
    ok.health = crate::model::pod_health::Health::Ok;
    ok.ready = 1;
    let e = appended(&update(&mut state, pods(ok)));
    assert_eq!(e.len(), 1);
    assert!(e[0].text.contains("recovered"));

    // m: one line with the counts.
    let e = appended(&update(&mut state, key('m')));
    assert_eq!(e[0].kind, EntryKind::Mark);
    assert!(e[0].text.contains("not ready"), "{}", e[0].text);
    // It counts pods (cart, killed five times, is one), and says so.
    assert!(
        e[0].text.contains("· 1 pod OOMKilled in the last hour"),
        "{}",
        e[0].text
    );

    // n: a multi-line note; ctrl-s saves it.
    let _ = update(&mut state, key('n'));
    assert!(state.overlay.note().is_some());
    typed(&mut state, "DATABASE_URL missing");
    let _ = update(&mut state, code(KeyCode::Enter, KeyModifiers::NONE));
    typed(&mut state, "rolling back");
    let e = appended(&update(
        &mut state,
        code(KeyCode::Char('s'), KeyModifiers::CONTROL),
    ));
    assert_eq!(e[0].kind, EntryKind::Note);
    assert_eq!(e[0].text, "DATABASE_URL missing");
    assert_eq!(e[0].body.as_deref(), Some("rolling back"));
    let note = ack(e, &mut seq);
    let note_seq = note[0].seq;
    let _ = update(&mut state, Msg::JournalSaved(note));

    // I, then x on the note: a correction that strikes it (nothing rewritten).
    let _ = update(&mut state, key('I'));
    let _ = update(&mut state, key('K')); // notes only
    let e = appended(&update(&mut state, key('x')));
    assert_eq!(e[0].kind, EntryKind::Correction);
    assert_eq!(e[0].corrects, Some(note_seq));
    assert!(e[0].struck);
}

#[test]
fn i_again_ends_it_and_the_journal_is_released_once_saved() {
    let (mut state, start) = declared();
    let n = start.len();
    let _ = update(&mut state, Msg::JournalSaved(start));
    let _ = update(&mut state, key('i'));
    assert_eq!(
        state.overlay.prompt().unwrap().kind,
        PromptKind::EndIncident
    );
    typed(&mut state, "rolled back to 2.2.0");
    let effects = update(&mut state, code(KeyCode::Enter, KeyModifiers::NONE));
    let e = appended(&effects);
    assert_eq!(e[0].kind, EntryKind::IncidentEnded);
    assert!(e[0].text.contains("rolled back to 2.2.0"));
    // No alert fired when it ended: resolved.
    assert_eq!(e[0].firing, Some(Vec::new()));
    assert_eq!(e[0].end_word(), "resolved");
    assert!(effects.contains(&Effect::CloseJournal));
    // Nothing more is recorded into an ending incident.
    assert!(appended(&update(&mut state, key('m'))).is_empty());
    let _ = update(&mut state, Msg::JournalSaved(e));
    assert!(state.timeline.open.is_none());
    let last = state.timeline.last.as_ref().unwrap();
    assert_eq!(last.entries.len(), n + 1);
    // e exports the one that ended.
    let effects = update(&mut state, key('e'));
    assert!(matches!(
        effects.first(),
        Some(Effect::ExportIncident { .. })
    ));
}

#[test]
fn the_back_fill_reaches_as_far_back_as_asked() {
    let mut state = fixtures::shop();
    let _ = update(
        &mut state,
        pods(fixtures::pod("shop", "checkout-7d8f9c-9vbnm", "checkout")),
    );
    let _ = update(&mut state, pods(fixtures::not_ready_pod()));
    // The not-ready transition is dated 4 minutes ago: -3m leaves it out.
    let mut effects = Vec::new();
    crate::state::timeline::start(&mut state, "SEV3 -3m slow checkout", &mut effects).unwrap();
    let Some(Effect::StartIncident { meta, entries }) = effects.first() else {
        panic!("{effects:?}");
    };
    assert_eq!(meta.severity, "SEV3");
    assert_eq!(meta.title, "slow checkout");
    assert!(entries.iter().all(|e| !e.backfilled), "{entries:?}");
    let mut state = fixtures::shop();
    assert!(crate::state::timeline::start(&mut state, "SEV3 -3h x", &mut Vec::new()).is_err());
}

#[test]
fn a_title_is_required_and_the_journal_failing_is_said() {
    let mut state = fixtures::shop();
    let _ = update(&mut state, key('i'));
    let effects = update(&mut state, code(KeyCode::Enter, KeyModifiers::NONE));
    assert!(effects.is_empty());
    assert!(state.overlay.prompt().unwrap().error.is_some());
    let _ = update(&mut state, code(KeyCode::Esc, KeyModifiers::NONE));
    let _ = update(&mut state, Msg::JournalFailed("disk full".into()));
    assert!(crate::state::tests::last_notice(&state).contains("disk full"));
}

#[test]
fn colon_incident_resumes_one_left_open_with_completion() {
    let mut state = fixtures::shop();
    let _ = update(
        &mut state,
        Msg::Resumable(vec!["2026-11-22-1405-checkout".into()]),
    );
    let _ = update(&mut state, key(':'));
    typed(&mut state, "incident 2026");
    assert_eq!(
        state.overlay.prompt().unwrap().completions,
        vec!["incident 2026-11-22-1405-checkout".to_string()]
    );
    let _ = update(&mut state, code(KeyCode::Tab, KeyModifiers::NONE));
    let effects = update(&mut state, code(KeyCode::Enter, KeyModifiers::NONE));
    assert_eq!(
        effects,
        vec![Effect::ResumeIncident {
            id: "2026-11-22-1405-checkout".into()
        }]
    );
}

#[test]
fn the_readme_keys_declare_with_the_typed_severity_once() {
    let mut state = fixtures::shop();
    let _ = update(&mut state, key('i'));
    // Nothing is prefilled: the label says what is taken by default.
    assert_eq!(state.overlay.prompt().unwrap().input, "");
    assert!(timeline::START_PROMPT.contains(timeline::DEFAULT_SEVERITY));
    typed(&mut state, "SEV2 checkout 2.3.0 not ready");
    let (meta, _) = started(&update(&mut state, enter())).expect("declared");
    assert_eq!(meta.severity, "SEV2");
    assert_eq!(meta.title, "checkout 2.3.0 not ready");
}

#[test]
fn the_severity_is_one_of_five_in_any_case_and_defaults_to_sev2() {
    let parse = timeline::parse_declaration;
    let ok = |text: &str| {
        let d = parse(text).unwrap();
        (d.severity, d.began.map(|(typed, _)| typed), d.title)
    };
    assert_eq!(
        ok("sev1 checkout down"),
        ("SEV1".into(), None, "checkout down".into())
    );
    assert_eq!(
        ok("Sev5 slow search"),
        ("SEV5".into(), None, "slow search".into())
    );
    assert_eq!(
        ok("checkout down"),
        ("SEV2".into(), None, "checkout down".into())
    );
    // Severity and offset come first, in either order.
    assert_eq!(
        ok("-45m SEV3 queue backs up"),
        ("SEV3".into(), Some("-45m".into()), "queue backs up".into())
    );
    // Later in the title, both are words of the title.
    assert_eq!(
        ok("latency up -5m after SEV1 fix").2,
        "latency up -5m after SEV1 fix"
    );
    // Words that only begin like a severity belong to the title.
    assert_eq!(ok("severe latency").2, "severe latency");
    for (bad, why) in [
        (
            "SEV9 checkout",
            "SEV9 is not a severity: SEV1 (worst) to SEV5",
        ),
        (
            "sev0 checkout",
            "sev0 is not a severity: SEV1 (worst) to SEV5",
        ),
        (
            "SEV2 SEV2 checkout",
            "two severities, SEV2 and SEV2: keep one",
        ),
        (
            "SEV2 -3x checkout",
            "-3x: how long ago it began, e.g. -30m or -1h",
        ),
        (
            "SEV2 -3h checkout",
            "-3h: what changed reaches back two hours at most",
        ),
        ("SEV2", "and a title: what is wrong, in a few words"),
        ("  ", "a title: what is wrong, in a few words"),
    ] {
        assert_eq!(parse(bad), Err(why.to_string()), "{bad:?}");
    }
}

#[test]
fn an_invalid_severity_is_said_on_the_prompt_and_the_input_is_kept() {
    let mut state = fixtures::shop();
    let _ = update(&mut state, key('i'));
    typed(&mut state, "SEV9 checkout down");
    let effects = update(&mut state, enter());
    assert!(started(&effects).is_none(), "{effects:?}");
    assert!(state.timeline.open.is_none());
    let prompt = state.overlay.prompt().expect("the prompt stays open");
    assert_eq!(prompt.kind, PromptKind::StartIncident);
    assert_eq!(prompt.input, "SEV9 checkout down");
    assert!(
        prompt
            .error
            .as_deref()
            .unwrap()
            .contains("SEV1 (worst) to SEV5"),
        "{prompt:?}"
    );
    // Fixing the severity declares it.
    for _ in "SEV9 checkout down".chars() {
        let _ = update(&mut state, code(KeyCode::Backspace, KeyModifiers::NONE));
    }
    typed(&mut state, "sev1 checkout down");
    let (meta, _) = started(&update(&mut state, enter())).expect("declared");
    assert_eq!(
        (meta.severity.as_str(), meta.title.as_str()),
        ("SEV1", "checkout down")
    );
}

#[test]
fn the_incident_began_as_far_back_as_the_declarer_said() {
    let mut state = fixtures::shop();
    let now = state.now;
    let mut effects = Vec::new();
    timeline::start(&mut state, "SEV2 -30m checkout slow", &mut effects).unwrap();
    let (meta, _) = started(&effects).unwrap();
    assert_eq!(meta.started_at, now);
    assert_eq!(meta.began(), now - SignedDuration::from_mins(30));
    assert_eq!(
        meta.began_from.as_deref(),
        Some("as the declarer said (-30m)")
    );
    let incident = state.timeline.open.as_ref().unwrap();
    // The header's clock counts from when it began, not from the key press.
    assert_eq!(
        timeline::duration(incident, now + SignedDuration::from_secs(57)),
        SignedDuration::from_secs(30 * 60 + 57)
    );
}

#[test]
fn without_an_offset_it_began_with_the_first_problem_back_filled() {
    let mut state = fixtures::shop();
    let now = state.now;
    let ago = |m: i64| now - SignedDuration::from_mins(m);
    let change = |m: i64, text: &str, bad: bool| {
        Changed::new(ago(m), ChangeKind::Pod, text.to_string(), None, bad)
    };
    // A routine change first, then the problem, then more of it; and a
    // problem older than the back-fill's 30 minutes, which does not count.
    for c in [
        change(40, "shop/old: OOMKilled", true),
        change(12, "Deployment shop/notify: scaled 2 → 3", false),
        change(
            9,
            "shop/notify-1: container notify OOMKilled (exit 137)",
            true,
        ),
        change(
            5,
            "shop/notify-1: container notify OOMKilled (exit 137)",
            true,
        ),
    ] {
        timeline::record(&mut state, c);
    }
    let mut effects = Vec::new();
    timeline::start(&mut state, "SEV2 notify OOM loop", &mut effects).unwrap();
    let (meta, entries) = started(&effects).unwrap();
    assert_eq!(meta.began(), ago(9));
    assert_eq!(
        meta.began_from.as_deref(),
        Some("the first problem recorded: shop/notify-1: container notify OOMKilled (exit 137)")
    );
    assert_eq!(entries.iter().filter(|e| e.backfilled).count(), 3);

    // Nothing went wrong before: it began when it was declared.
    let mut state = fixtures::shop();
    timeline::record(
        &mut state,
        change(3, "Deployment shop/notify: scaled 2 → 3", false),
    );
    let mut effects = Vec::new();
    timeline::start(&mut state, "notify slow", &mut effects).unwrap();
    let (meta, _) = started(&effects).unwrap();
    assert_eq!(meta.began(), now);
    assert!(
        meta.began_from.unwrap().starts_with("when it was declared"),
        "says why"
    );
}

#[test]
fn an_end_while_alerts_fire_records_them_and_is_not_a_resolution() {
    let mut state = fixtures::shop_with_alertmanager();
    let pod = "checkout-7d8f9c-9vbnm";
    let alert = fixtures::alert("KubePodNotReady", "warning", pod);
    fixtures::alerts_firing(&mut state, vec![alert]);
    let _ = update(&mut state, key('i'));
    typed(&mut state, "checkout slow");
    let (_, start) = started(&update(&mut state, enter())).unwrap();
    let _ = update(&mut state, Msg::JournalSaved(start));
    let _ = update(&mut state, key('i'));
    let e = appended(&update(&mut state, enter()));
    let end = e
        .iter()
        .find(|e| e.kind == EntryKind::IncidentEnded)
        .unwrap();
    assert_eq!(
        end.firing,
        Some(vec![format!("KubePodNotReady (warning) on shop/{pod}")])
    );
    assert_eq!(end.end_word(), "ended");
    assert_eq!(end.text, "ended", "an empty closing line says what it was");
    assert!(
        crate::state::tests::last_notice(&state).contains("recorded as ended, not resolved"),
        "{}",
        crate::state::tests::last_notice(&state)
    );
}

#[test]
fn the_pane_folds_repeats_into_one_line_and_x_strikes_them_all() {
    let (mut state, start) = declared();
    let now = state.now;
    let at = |s: i64| now + SignedDuration::from_secs(s);
    let oom = |s: i64, seq: u64| Entry {
        seq,
        ..Entry::new(at(s), EntryKind::PodTransition, "shop/notify-1: OOMKilled")
    };
    let mut seq = 0;
    let mut acked: Vec<Entry> = start
        .into_iter()
        .map(|mut e| {
            seq += 1;
            e.seq = seq;
            e
        })
        .collect();
    let before = acked.len();
    acked.extend([
        oom(10, seq + 1),
        Entry {
            seq: seq + 2,
            ..Entry::new(at(20), EntryKind::Note, "scaling out")
        },
        oom(30, seq + 3),
        oom(50, seq + 4),
    ]);
    let _ = update(&mut state, Msg::JournalSaved(acked));
    let incident = state.timeline.open.as_ref().unwrap();
    let pane = timeline::TimelinePane::default();
    let lines = timeline::shown(incident, &pane);
    // Three kills are one line, at the first, before the note.
    assert_eq!(lines.len(), before + 2);
    let kills = lines
        .iter()
        .position(|l| l.entry.text == "shop/notify-1: OOMKilled")
        .unwrap();
    assert_eq!(lines[kills].all.len(), 3);
    assert_eq!(lines[kills + 1].entry.text, "scaling out");

    // x on that line strikes each of the three.
    let _ = update(&mut state, key('I'));
    for _ in 0..kills {
        let _ = update(&mut state, key('j'));
    }
    let struck = appended(&update(&mut state, key('x')));
    assert_eq!(
        struck.iter().map(|c| c.corrects).collect::<Vec<_>>(),
        vec![Some(seq + 1), Some(seq + 3), Some(seq + 4)]
    );
    assert!(struck.iter().all(|c| c.struck));
}
