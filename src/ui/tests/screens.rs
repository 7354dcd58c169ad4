//! Header, footer, notices, prompt, help, and terminals that are too small.

use crossterm::event::{KeyCode, KeyModifiers};

use super::{render, screen, snap, style_at};
use crate::config::theme::Theme;
use crate::keys::Action;
use crate::model::cluster::{Resource, WatchHealth};
use crate::state::fixtures::{ago, shop};
use crate::state::{Notice, Prompt, PromptKind, Severity};

#[test]
fn header_warns_of_stale_data_and_shows_read_only() {
    let mut s = shop();
    s.readonly = Some(crate::config::ReadonlyReason::Flag);
    s.cluster.watches.insert(
        Resource::Pods,
        WatchHealth::Down {
            since: ago(108),
            error: "403 Forbidden: pods is forbidden: User \"oncall\" cannot watch resource \"pods\" in the namespace \"shop\"".into(),
        },
    );
    s.cluster
        .watches
        .insert(Resource::Events, WatchHealth::Syncing);
    s.notices.push_back(Notice {
        severity: Severity::Info,
        text: "switched to namespace shop".into(),
        at: ago(300),
    });
    s.notices.push_back(Notice {
        severity: Severity::Error,
        text: "403 Forbidden: cannot watch pods in namespace shop".into(),
        at: ago(108),
    });
    let text = screen(&s, 150, 14);
    snap!("header_stale_readonly", text.clone());
    assert!(
        text.contains("stale since 14:03:12 (pods: 403 Forbidden"),
        "{text}"
    );
    assert!(text.contains("READ-ONLY"));
    assert!(text.contains("syncing events…"), "{text}");
    assert!(text.contains("14:05:00 UTC"));

    let theme = Theme::default();
    let t = render(&s, 150, 14);
    let buf = t.backend().buffer();
    assert_eq!(style_at(buf, "stale since").bg, theme.stale.bg);
    assert_eq!(style_at(buf, "READ-ONLY").bg, theme.readonly_badge.bg);
    // Only the newest notice is shown, in its severity's style.
    assert_eq!(
        style_at(buf, "403 Forbidden: cannot watch").fg,
        theme.notice_error.fg
    );
    assert!(!text.contains("switched to namespace"));
}

#[test]
fn header_counts_recent_restarts_and_ooms() {
    let text = screen(&shop(), 120, 12);
    // 6 pods; checkout-…-9vbnm not ready; cart failing; cart restarted 2m ago
    // (redis 3h ago does not count); one OOMKilled within the hour. Both
    // count pods, and say so.
    assert!(
        text.contains(
            "6 pods · 1 not ready · 1 failing   last 1h: 1 pod restarted · 1 pod OOMKilled"
        ),
        "{text}"
    );
}

#[test]
fn all_namespaces_and_no_connection_read_plainly() {
    let mut s = shop();
    s.namespace = None;
    s.connection = Default::default();
    let text = screen(&s, 100, 12);
    assert!(text.contains("not connected"), "{text}");
    assert!(text.contains("ns all namespaces"), "{text}");
}

#[test]
fn help_overlay_lists_every_binding_and_the_commands() {
    let mut s = shop();
    s.view = crate::state::View::Events;
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Help { page: 0 });
    // Wide enough for every group at once.
    let text = screen(&s, 200, 50);
    snap!("help_overlay", text.clone());
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Help { page: 1 });
    let text = text + &screen(&s, 200, 50);
    snap!("help_overlay_page_2", screen(&s, 200, 50));
    for b in &s.bindings {
        assert!(text.contains(b.action.describe()), "{:?} missing", b.action);
    }
    for cmd in crate::state::command::COMMANDS {
        let cmd = format!(":{}", cmd.name);
        assert!(text.contains(&cmd), "{cmd} missing");
    }
    // On a small screen it flows into pages, turned with the page keys.
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Help { page: 0 });
    let small = screen(&s, 60, 14);
    assert!(small.contains("page 1/"), "{small}");
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Help { page: 1 });
    let next = screen(&s, 60, 14);
    assert!(next.contains("page 2/"), "{next}");
}

#[test]
fn hints_and_help_follow_the_keymap() {
    let mut s = shop();
    for b in s.bindings.iter_mut() {
        if b.action == Action::ToggleHelp {
            b.key = KeyCode::F(1);
        }
        if b.action == Action::ShowPods {
            b.key = KeyCode::Char('p');
            b.modifiers = KeyModifiers::CONTROL;
        }
    }
    let text = screen(&s, 140, 14);
    assert!(text.contains("f1 help"), "{text}");
    assert!(!text.contains("? help"), "{text}");
    assert!(text.contains("ctrl-p Pods 6"), "{text}");
    // The pods-only hint leaves with the pods view.
    assert!(text.contains("w group by workload"));
    s.view = crate::state::View::Events;
    assert!(!screen(&s, 140, 14).contains("group by workload"));
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Help { page: 0 });
    assert!(screen(&s, 140, 40).contains("f1"));
}

#[test]
fn the_help_overlay_follows_a_user_keymap_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.toml"),
        "[pods_and_workloads]\nlogs = \"o\"\n[history]\nrollback = \"ctrl-u\"\n",
    )
    .unwrap();
    let mut s = shop();
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Help { page: 0 });
    let before = screen(&s, 200, 50);
    assert!(before.contains(" l             logs"), "{before}");
    s.bindings = crate::config::keymap::load("mine", Some(dir.path()))
        .unwrap()
        .bindings;
    let after = screen(&s, 200, 50);
    assert!(after.contains(" o             logs"), "{after}");
    assert!(!after.contains(" l             logs"), "{after}");
    assert!(
        after.contains("ctrl-u        roll back to selected"),
        "{after}"
    );
    // And the footer offers the new key, and the detail pane's advice names it.
    s.overlay.dialog = false.then_some(crate::state::overlay::Dialog::Help { page: 0 });
    let not_ready = s
        .pods
        .rows
        .iter()
        .position(
            |r| matches!(r, crate::state::PodRow::Pod(k) if k.name == "checkout-7d8f9c-9vbnm"),
        )
        .unwrap();
    s.pods.cursor.selected = not_ready;
    let text = screen(&s, 200, 50);
    assert!(text.contains("o logs"), "{text}");
    assert!(
        text.contains("Read the logs of container app (o)"),
        "{text}"
    );
}

#[test]
fn the_help_overlay_says_what_is_not_available_and_why() {
    let mut s = shop();
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Help { page: 0 });
    let writable = screen(&s, 200, 50);
    assert!(!writable.contains("read-only"), "{writable}");
    // Keys of another view or pane: dimmed, where they work said once on
    // the group's heading.
    assert!(
        writable.contains("(in the workloads view (2), or the history pane (h))"),
        "{writable}"
    );
    assert!(writable.contains("(in the logs pane (l))"), "{writable}");
    let theme = Theme::default();
    let t = render(&s, 200, 50);
    assert_eq!(
        style_at(t.backend().buffer(), "roll back to selected").fg,
        theme.dim.fg
    );
    assert_eq!(
        style_at(t.backend().buffer(), "sort by name").fg,
        theme.base.fg
    );
    // A key of this view that cannot be used now: listed with its reason.
    s.view = crate::state::View::Workloads;
    s.refresh_view();
    s.readonly = Some(crate::config::ReadonlyReason::Flag);
    let text = screen(&s, 200, 50);
    assert!(text.contains("(read-only: --readonly)"), "{text}");
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Help { page: 1 });
    let text = screen(&s, 200, 50);
    assert!(text.contains("not available here"), "{text}");
    assert!(text.contains("mark: no incident declared yet"), "{text}");
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Help { page: 0 });
    let t = render(&s, 200, 50);
    assert_eq!(
        style_at(t.backend().buffer(), "pause / resume ").fg,
        theme.dim.fg
    );
    // Over a pane, the keys of the view beneath that do nothing there.
    s.readonly = None;
    s.view = crate::state::View::Pods;
    s.refresh_view();
    s.overlay.pane = Some(crate::state::overlay::Pane::Changes(Default::default()));
    let text = screen(&s, 200, 50);
    assert!(!text.contains("(in the pods view (1))"), "{text}");
    assert!(
        text.contains("(on the main screen: esc closes this pane)"),
        "{text}"
    );
}

#[test]
fn command_prompt_shows_completions() {
    let mut s = shop();
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Prompt(Prompt {
        completions: vec!["shop".into(), "shipping".into()],
        ..Prompt::new(PromptKind::Command, "ns sh")
    }));
    let mut t = render(&s, 100, 12);
    snap!("prompt_completions", t.backend().to_string());
    let theme = Theme::default();
    let buf = t.backend().buffer();
    assert_eq!(
        style_at(buf, "shop  shipping").add_modifier,
        theme.completion_first.add_modifier
    );
    // The cursor sits after the input.
    assert_eq!(t.get_cursor_position().expect("a cursor").x, 6);
}

#[test]
fn the_command_palette_says_what_the_completed_command_does() {
    let mut s = shop();
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Prompt(Prompt {
        completions: crate::state::command::completions(&s, "de"),
        ..Prompt::new(PromptKind::Command, "de")
    }));
    let text = screen(&s, 120, 12);
    assert!(
        text.contains(":de  deploy  (tab)  · :deploy: workloads view"),
        "{text}"
    );
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Prompt(Prompt {
        completions: crate::state::command::completions(&s, "ns "),
        ..Prompt::new(PromptKind::Command, "ns ")
    }));
    let text = screen(&s, 160, 12);
    assert!(text.contains("ns all"), "{text}");
    assert!(
        text.contains(":ns NAME: namespace (all: every one)"),
        "{text}"
    );
}

#[test]
fn filter_prompt_shows_its_error() {
    let mut s = shop();
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Prompt(Prompt {
        error: Some("bad selector: \"app=\" needs a value".into()),
        ..Prompt::new(PromptKind::Filter, "-l app=")
    }));
    let t = render(&s, 100, 12);
    let text = t.backend().to_string();
    assert!(text.contains("/-l app=  ✖ bad selector"), "{text}");
    let theme = Theme::default();
    assert_eq!(
        style_at(t.backend().buffer(), "✖ bad selector").fg,
        theme.notice_error.fg
    );
}

#[test]
fn no_size_panics_in_any_view() {
    let mut s = shop();
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Prompt(Prompt {
        completions: vec!["shop".into(), "shipping".into()],
        error: Some("unknown command".into()),
        ..Prompt::new(PromptKind::Command, "ns sh")
    }));
    s.notices.push_back(Notice {
        severity: Severity::Warning,
        text: "a notice".into(),
        at: ago(1),
    });
    for view in crate::state::View::ALL {
        s.view = view;
        for help in [false, true] {
            s.overlay.dialog = help.then_some(crate::state::overlay::Dialog::Help { page: 0 });
            for w in (0..=200).step_by(7) {
                for h in (0..=60).step_by(3) {
                    render(&s, w, h);
                }
            }
        }
    }
}

#[test]
fn tiny_terminals_get_a_message_and_nothing_panics() {
    let s = shop();
    snap!("tiny_20x5", screen(&s, 20, 5));
    assert!(screen(&s, 49, 10).contains("warroom needs at least 50×10 (now 49×10)"));
    for (w, h) in [(1, 1), (0, 0), (0, 5), (5, 0), (50, 1), (1, 30), (50, 10)] {
        render(&s, w, h);
    }
    let mut s = s;
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Help { page: 0 });
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Prompt(Prompt::new(
        PromptKind::Command,
        "a-very-long-command-that-does-not-fit",
    )));
    for (w, h) in [(50, 10), (51, 11), (80, 10)] {
        render(&s, w, h);
    }
}

#[test]
fn metrics_a_user_may_not_read_are_not_allowed_not_stale() {
    let mut s = shop();
    let generation = s.generation;
    let _ = crate::state::update(
        &mut s,
        crate::state::Msg::Cluster {
            generation,
            change: crate::model::cluster::ClusterChange::MetricsForbidden(
                "403 Forbidden: user \"dev\" cannot list pods.metrics.k8s.io".into(),
            ),
        },
    );
    s.focus = crate::state::Focus::Detail;
    let text = screen(&s, 160, 40);
    assert!(text.contains("metrics: not allowed"), "{text}");
    assert!(!text.contains("stale"), "{text}");
}

#[test]
fn a_stalled_workloads_detail_says_what_it_means_and_what_to_check() {
    let mut s = shop();
    s.view = crate::state::View::Workloads;
    s.refresh_view();
    let cart = s
        .workloads
        .rows
        .iter()
        .position(|(_, k)| k.name == "cart")
        .unwrap();
    s.workloads.cursor.selected = cart;
    s.focus = crate::state::Focus::Detail;
    s.detail_scroll = u16::MAX;
    let text = screen(&s, 160, 40);
    assert!(text.contains("What this means · Rollout stalled"), "{text}");
    assert!(text.contains("Check next"), "{text}");
    assert!(text.contains("1. Look at the new revision"), "{text}");
}
