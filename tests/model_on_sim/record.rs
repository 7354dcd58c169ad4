//! What the console records while a scenario plays: the sim's objects reach
//! the reducer as the watchers would deliver them ([`Replay`]: a list at
//! connect, then each changed object), and the what-changed ring and the
//! incident's journal entries are read as the pane and the post-mortem
//! would show them.

use std::time::Duration;

use jiff::Timestamp;

use warroom::cluster::Replay;
use warroom::model::action::{Mutation, WorkloadRef};
use warroom::model::changes::{Change, ChangeKind};
use warroom::model::cluster::{ClusterChange, Resource};
use warroom::model::workload::{Rollout, WorkloadKind};
use warroom::sim::{ScenarioName, Sim};
use warroom::state::actions::{Confirm, DryRun};
use warroom::state::overlay::Dialog;
use warroom::state::{Effect, Msg, State, update_batch};
use warroom::timeline::{Entry, EntryKind};

fn sim(scenario: ScenarioName) -> Sim {
    super::sim(scenario, 1)
}

/// The console following a sim: its state, the watch deltas still to come,
/// and what it handed the incident journal.
struct Console {
    state: State,
    replay: Replay,
    journal: Vec<Entry>,
}

impl Console {
    /// Connects to `sim` now: every kind listed, every watch up.
    fn attach(sim: &Sim) -> Console {
        let mut console = Console {
            state: State::new(sim.now(), None),
            replay: Replay::new(),
            journal: Vec::new(),
        };
        let listed = console.replay.list(|plural| sim.objects(plural, None));
        let changes = std::iter::once(super::connected())
            .chain(listed)
            .chain(Resource::ALL.into_iter().map(ClusterChange::WatchUp));
        console.cluster(changes);
        console
    }

    fn apply(&mut self, msgs: impl IntoIterator<Item = Msg>) {
        for effect in update_batch(&mut self.state, msgs) {
            match effect {
                Effect::StartIncident { entries, .. } | Effect::AppendJournal(entries) => {
                    self.journal.extend(entries)
                }
                _ => {}
            }
        }
    }

    fn cluster(&mut self, changes: impl IntoIterator<Item = ClusterChange>) {
        let msgs: Vec<Msg> = changes
            .into_iter()
            .map(|change| Msg::Cluster {
                generation: 0,
                change,
            })
            .collect();
        self.apply(msgs);
    }

    /// What changed in the sim since the last look, as watch events.
    fn look(&mut self, sim: &Sim) {
        let changes = self.replay.step(|plural| sim.objects(plural, None));
        self.cluster(changes);
    }

    /// Moves the sim's clock a second at a time for `seconds`, the console
    /// ticking and looking after each; `each` sees every state on the way.
    fn follow(&mut self, sim: &Sim, seconds: u64, mut each: impl FnMut(&State)) {
        for _ in 0..seconds {
            sim.advance(Duration::from_secs(1));
            self.apply([Msg::Ticked(sim.now())]);
            self.look(sim);
            each(&self.state);
        }
    }

    fn changes(&self) -> Vec<&Change> {
        self.state.changes.iter().collect()
    }
}

fn listing(changes: &[&Change]) -> String {
    changes
        .iter()
        .map(|c| format!("{} {:?} {}", c.at.strftime("%H:%M:%S"), c.kind, c.text))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn readiness_flap_is_lost_availability_not_a_rollout_and_each_spell_told_once() {
    let sim = sim(ScenarioName::ReadinessFlap);
    let mut console = Console::attach(&sim);
    let start = sim.now();
    let mut unavailable_seen = false;
    console.follow(&sim, 600, |state| {
        for w in state.cluster.workloads.values() {
            assert!(
                !matches!(w.rollout, Rollout::Progressing { .. }),
                "{} {} reads as a rollout at {}: {:?}",
                w.kind.name(),
                w.name,
                state.now,
                w.rollout
            );
            if w.name == "api-server" && w.unavailable > 0 {
                assert_eq!(w.rollout, Rollout::Complete);
                unavailable_seen = true;
            }
        }
    });
    assert!(
        unavailable_seen,
        "api-server lost availability at some point"
    );
    let changes = console.changes();
    let all = listing(&changes);
    let since_start: Vec<&&Change> = changes.iter().filter(|c| c.at >= start).collect();
    assert!(
        !since_start.iter().any(|c| c.kind == ChangeKind::Rollout),
        "no revision changed, so no rollout:\n{all}"
    );
    let not_ready = since_start
        .iter()
        .filter(|c| c.text.contains("Running but not Ready"))
        .count();
    assert!(not_ready >= 10, "the flaps are told:\n{all}");
    for (i, a) in changes.iter().enumerate() {
        assert!(
            !changes[i + 1..]
                .iter()
                .any(|b| b.at == a.at && b.text == a.text),
            "told twice: {} {}\n{all}",
            a.at,
            a.text
        );
    }
}

#[test]
fn oom_loop_tells_each_kill_before_its_back_off_and_a_late_connect_back_fills_them() {
    let sim = sim(ScenarioName::OomLoop);
    let mut console = Console::attach(&sim);
    console.follow(&sim, 300, |_| {});
    let changes = console.changes();
    let all = listing(&changes);
    let kills: Vec<&&Change> = changes
        .iter()
        .filter(|c| c.text.contains("OOMKilled (exit 137)"))
        .collect();
    assert!(kills.len() >= 4, "two pods killed again and again:\n{all}");
    // Every back-off follows the kill that caused it.
    for (i, c) in changes.iter().enumerate() {
        if let Some(pod) = c.text.strip_suffix(": CrashLoopBackOff") {
            let killed = changes[..i]
                .iter()
                .rev()
                .take_while(|k| !k.text.starts_with(&format!("{pod}: recovered")))
                .any(|k| k.text.starts_with(&format!("{pod}: container")));
            assert!(killed, "{pod} backs off before its kill:\n{all}");
        }
    }
    let start = "2026-03-02T09:00:00Z".parse::<Timestamp>().expect("time");
    assert!(
        !changes
            .iter()
            .any(|c| c.at >= start && c.kind == ChangeKind::Rollout),
        "the kills are no rollout:\n{all}"
    );

    // A console attached only now still knows the last kill of each
    // container, and says from when on its record is whole.
    let late = Console::attach(&sim);
    let connected = sim.now();
    assert_eq!(late.state.changes.complete_since, Some(connected));
    let back: Vec<&Change> = late
        .changes()
        .into_iter()
        .filter(|c| c.text.contains("OOMKilled (exit 137)"))
        .collect();
    assert_eq!(back.len(), 2, "{}", listing(&late.changes()));
    for c in back {
        assert!(c.at < connected);
        assert!(kills.iter().any(|k| k.at == c.at && k.text == c.text));
    }
}

#[test]
fn a_connect_back_fills_the_revisions_of_the_last_two_hours() {
    let sim = sim(ScenarioName::Calm);
    let console = Console::attach(&sim);
    let changes = console.changes();
    let all = listing(&changes);
    // The shop's history: checkout-service 2.1.0 at 07:20 and 2.2.0 at 08:10.
    for (at, text) in [
        (
            "07:20:00",
            "Deployment production/checkout-service: rollout started, revision 1 → 2 (registry.local/shop/checkout-service:2.1.0)",
        ),
        (
            "08:10:00",
            "Deployment production/checkout-service: rollout started, revision 2 → 3 (registry.local/shop/checkout-service:2.2.0)",
        ),
    ] {
        assert!(
            changes
                .iter()
                .any(|c| c.at.strftime("%H:%M:%S").to_string() == at && c.text == text),
            "{at} {text} not in:\n{all}"
        );
    }
    // Listing again (a namespace switched back and forth) adds nothing.
    let mut console = console;
    let n = console.state.changes.len();
    console.state.cluster = Default::default();
    let again = Replay::new().list(|plural| sim.objects(plural, None));
    console.cluster(again);
    assert_eq!(console.state.changes.len(), n);
}

/// Rolls `deployment` back to `revision` the way the console does: the
/// confirmation (its dry run passed), `y`, the change sent to the sim's API
/// server. What the watches saw of it is delivered before the answer, as a
/// fast watch may.
fn roll_back(console: &mut Console, sim: &Sim, deployment: &str, revision: i64) {
    let mutation = Mutation::Rollback {
        target: WorkloadRef::new(WorkloadKind::Deployment, "production", deployment),
        to_revision: revision,
        from_revision: None,
    };
    let id = console.state.actions.next_id();
    console.state.overlay.dialog = Some(Dialog::Confirm(Box::new(Confirm {
        id,
        mutation: mutation.clone(),
        changes: Vec::new(),
        warnings: Vec::new(),
        dry_run: DryRun::Passed("dry run passed".into()),
        access: None,
    })));
    // `y` confirms what the last frame showed whole.
    console.state.layout.confirm = console.state.overlay.confirm().map(|c| Box::new(c.clone()));
    let y = crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('y'),
        crossterm::event::KeyModifiers::NONE,
    );
    let sent = update_batch(&mut console.state, [Msg::KeyPressed(y)]);
    assert!(
        sent.iter().any(|e| matches!(e, Effect::Mutate { .. })),
        "{sent:?}"
    );
    let at = sim.now();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let result = runtime.block_on(async {
        let running = sim.start_background().await.expect("sim serves");
        let config = kube::Config::new(running.url().parse().expect("url"));
        let client = kube::Client::try_from(config).expect("client");
        warroom::cluster::actions::execute(&client, &mutation, false, at).await
    });
    assert!(result.is_ok(), "{result:?}");
    sim.advance(Duration::from_secs(1));
    console.look(sim);
    let record = warroom::model::action::ActionRecord {
        at,
        user: "warroom-sim".into(),
        context: "warroom-sim".into(),
        kubectl: mutation.kubectl(),
        mutation,
        result,
    };
    console.apply([Msg::ActionDone { id, record }]);
}

#[test]
fn a_rollback_is_told_before_its_rollout_and_leaves_no_stale_stall() {
    let sim = sim(ScenarioName::BadDeploy);
    let mut console = Console::attach(&sim);
    console.follow(&sim, 200, |_| {});
    let stalls = |changes: &[&Change]| {
        changes
            .iter()
            .filter(|c| c.text.contains("checkout-service: rollout stalled"))
            .count()
    };
    assert_eq!(
        stalls(&console.changes()),
        1,
        "2.3.0 stalls once:\n{}",
        listing(&console.changes())
    );
    let mut effects = Vec::new();
    warroom::state::timeline::start(&mut console.state, "SEV2 checkout not ready", &mut effects)
        .expect("declared");
    for e in effects {
        if let Effect::StartIncident { entries, .. } = e {
            console.journal.extend(entries);
        }
    }
    let declared = console.journal.len();

    let sent_at = console.state.now;
    roll_back(&mut console, &sim, "checkout-service", 3);
    console.follow(&sim, 120, |_| {});

    let changes = console.changes();
    let all = listing(&changes);
    assert_eq!(stalls(&changes), 1, "no stall told again:\n{all}");
    let after: Vec<&&Change> = changes
        .iter()
        .filter(|c| c.at >= sent_at && c.text.contains("checkout-service"))
        .collect();
    let kinds: Vec<&str> = after
        .iter()
        .filter(|c| matches!(c.kind, ChangeKind::Action | ChangeKind::Rollout))
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(kinds.len(), 3, "{all}");
    assert!(kinds[0].starts_with("Roll back"), "{all}");
    assert!(
        kinds[1].contains("rollout started, revision 4 → 5"),
        "{all}"
    );
    assert!(kinds[2].contains("rollout complete"), "{all}");
    let action = after.iter().find(|c| c.kind == ChangeKind::Action).unwrap();
    assert_eq!(action.at, sent_at, "stamped when sent");

    // The post-mortem gets the same, in that order, and no stall.
    let journal: Vec<&Entry> = console.journal[declared..].iter().collect();
    let told: Vec<(EntryKind, &str)> = journal
        .iter()
        .filter(|e| matches!(e.kind, EntryKind::Action | EntryKind::Rollout))
        .map(|e| (e.kind, e.text.as_str()))
        .collect();
    assert_eq!(told.len(), 3, "{told:?}");
    assert_eq!(told[0].0, EntryKind::Action, "{told:?}");
    assert!(told[1].1.contains("rollout started"), "{told:?}");
    assert!(told[2].1.contains("rollout complete"), "{told:?}");
    let times: Vec<Timestamp> = journal.iter().map(|e| e.at).collect();
    let action_at = journal
        .iter()
        .find(|e| e.kind == EntryKind::Action)
        .map(|e| e.at)
        .unwrap();
    assert!(
        times.iter().all(|t| *t >= action_at),
        "nothing the rollback caused is dated before it: {journal:?}"
    );
}
