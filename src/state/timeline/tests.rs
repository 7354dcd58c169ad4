//! The incident as the reducer runs it: declared with its back-fill, fed
//! by what changes, marks and notes, acknowledged by the journal, ended.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::cluster::Change;
use crate::state::fixtures;
use crate::state::*;
use crate::timeline::{Entry, EntryKind};

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
    // The prompt offers `SEV2 `: make it SEV1.
    let _ = update(&mut state, code(KeyCode::Backspace, KeyModifiers::NONE));
    let _ = update(&mut state, code(KeyCode::Backspace, KeyModifiers::NONE));
    typed(&mut state, "1 checkout down");
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
