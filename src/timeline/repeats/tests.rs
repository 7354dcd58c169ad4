use super::*;

fn at(s: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + s).unwrap()
}

fn pod(name: &str) -> ObjectRef {
    ObjectRef::new("Pod", Some("shop"), name)
}

fn kill(s: i64, name: &str) -> Entry {
    Entry::new(
        at(s),
        EntryKind::PodTransition,
        format!("shop/{name}: container notify OOMKilled (exit 137)"),
    )
    .with_object(pod(name))
}

fn shown(entries: &[Entry]) -> Vec<Vec<usize>> {
    fold(entries.iter().map(|entry| {
        Some(Shown {
            entry,
            struck: None,
        })
    }))
}

#[test]
fn the_same_happening_again_folds_into_its_first_line() {
    let entries = vec![
        kill(0, "notify-1"),
        kill(5, "notify-2"),
        Entry::new(at(10), EntryKind::Note, "memory climbs"),
        kill(20, "notify-1"),
        kill(40, "notify-1"),
        kill(45, "notify-2"),
    ];
    // Each pod's kills on one line, where the first was; the note between.
    assert_eq!(shown(&entries), vec![vec![0, 3, 4], vec![1, 5], vec![2]]);
}

#[test]
fn what_people_wrote_or_did_never_folds() {
    let note = |s| Entry::new(at(s), EntryKind::Note, "same words");
    let mark = |s| Entry::new(at(s), EntryKind::Mark, "mark: 3 pods");
    let action = |s| {
        Entry::new(at(s), EntryKind::Action, "Restart Deployment shop/notify")
            .with_result("restarted")
    };
    // A reported entry with more to it than its line stands alone too.
    let warning_with_body = |s| {
        Entry::new(at(s), EntryKind::Warning, "BackOff").with_body("the container's last words")
    };
    let entries = vec![
        note(0),
        note(1),
        mark(2),
        mark(3),
        action(4),
        action(5),
        warning_with_body(6),
        warning_with_body(7),
    ];
    assert_eq!(shown(&entries).len(), entries.len());
}

#[test]
fn a_different_object_source_severity_or_strike_is_another_line() {
    let fired = |s, severity: &str, actor: &str| {
        Entry::new(at(s), EntryKind::AlertFired, "OOMKilled")
            .with_severity(severity)
            .with_actor(actor)
            .with_object(pod("notify-1"))
    };
    let entries = [
        fired(0, "critical", "detector oom-killed"),
        fired(1, "warning", "detector oom-killed"),
        fired(2, "critical", "Alertmanager prod"),
        fired(3, "critical", "detector oom-killed"),
        fired(4, "critical", "detector oom-killed"),
    ];
    let strike = Entry::strike(at(9), 1, "not ours").with_actor("bob");
    let other_strike = Entry::strike(at(10), 1, "not ours").with_actor("bob");
    let items = entries.iter().enumerate().map(|(i, entry)| {
        Some(Shown {
            entry,
            // 3 and 4 were struck, at different times: not alike.
            struck: match i {
                3 => Some(&strike),
                4 => Some(&other_strike),
                _ => None,
            },
        })
    });
    assert_eq!(
        fold(items),
        vec![vec![0], vec![1], vec![2], vec![3], vec![4]]
    );
    // Struck alike (one `x` on a folded line): still one line.
    let items = entries.iter().enumerate().map(|(i, entry)| {
        Some(Shown {
            entry,
            struck: (i >= 3).then_some(&strike),
        })
    });
    assert_eq!(fold(items), vec![vec![0], vec![1], vec![2], vec![3, 4]]);
    // `None` stands alone whatever it says.
    let items = [Some(entries[0].clone()), None, Some(entries[0].clone())];
    let lines = fold(items.iter().map(|e| {
        e.as_ref().map(|entry| Shown {
            entry,
            struck: None,
        })
    }));
    assert_eq!(lines, vec![vec![0, 2], vec![1]]);
}

#[test]
fn a_folded_line_counts_and_spans_its_entries() {
    let mut entries = vec![
        kill(0, "notify-1").mark_backfilled(),
        kill(100, "notify-1").mark_backfilled(),
        kill(972, "notify-1"),
    ];
    let time = |t: Timestamp| t.strftime("%H:%M:%S").to_string();
    let r = Repeats::of(&entries).unwrap();
    assert_eq!(
        (r.count, r.first, r.last, r.backfilled),
        (3, at(0), at(972), 2)
    );
    assert_eq!(
        r.counted(time),
        format!("×3 ({} – {})", time(at(0)), time(at(972)))
    );
    assert_eq!(
        r.before("the incident was declared").as_deref(),
        Some("2 of them before the incident was declared")
    );
    entries.truncate(1);
    let one = Repeats::of(&entries).unwrap();
    assert_eq!(one.counted(time), "", "one entry is not counted");
    assert_eq!(
        one.before("the incident was declared").as_deref(),
        Some("before the incident was declared")
    );
    assert_eq!(Repeats::of(&[]), None);
}
