//! The timeline pane: repeats folded into one counted line, and an end
//! that still had alerts firing called ended, with them.

use jiff::SignedDuration;

use crate::state::fixtures::shop;
use crate::timeline::{Entry, EntryKind, ObjectRef};
use crate::ui::tests::{press, screen, snap};

#[test]
fn repeats_are_one_counted_line_and_an_end_names_what_still_fired() {
    let mut s = shop();
    press(&mut s, "icheckout down\n");
    let now = s.now;
    let at = |secs: i64| now + SignedDuration::from_secs(secs);
    let pod = ObjectRef::new("Pod", Some("shop"), "notify-1");
    let kill = |secs: i64| {
        Entry::new(
            at(secs),
            EntryKind::PodTransition,
            "shop/notify-1: container notify OOMKilled (exit 137)",
        )
        .with_object(pod.clone())
    };
    let incident = s.timeline.open.as_mut().expect("declared");
    incident.entries = vec![
        kill(-300).mark_backfilled(),
        kill(-120).mark_backfilled(),
        Entry::new(now, EntryKind::IncidentStarted, "checkout down"),
        Entry::new(at(30), EntryKind::Note, "memory climbs with traffic"),
        kill(75),
        kill(628),
        Entry::ended(
            at(700),
            "scaled out",
            vec!["OOMKilled (critical) on shop/notify-1".into()],
        ),
    ]
    .into_iter()
    .zip(1..)
    .map(|(e, seq)| Entry { seq, ..e })
    .collect();
    incident.unsaved = 0;
    press(&mut s, "I");
    let text = screen(&s, 140, 14);
    snap!("timeline_pane_repeats_and_end", text.clone());
    let kills: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("OOMKilled (exit"))
        .collect();
    assert_eq!(kills.len(), 1, "{text}");
    assert!(
        kills[0].contains("×4 (14:00:00 – 14:15:28)  (2 of them before it was declared)"),
        "{text}"
    );
    assert!(text.contains("ended    scaled out"), "{text}");
    assert!(
        text.contains("still firing: OOMKilled (critical) on shop/notify-1"),
        "{text}"
    );
    assert!(!text.contains("resolved"), "{text}");
}
