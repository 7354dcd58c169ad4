//! Workloads, events and nodes views with their detail panes, and the pod
//! detail pane.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{render, screen, snap, style_at};
use crate::config::theme::Theme;
use crate::model::explain::StatusKind;
use crate::model::pod_health::Explanation;
use crate::state::fixtures::{crashing_pod, shop};
use crate::state::{Focus, View};
use crate::ui::detail::{pod_lines, pod_title, render_lines};

#[test]
fn workloads_show_rollouts_and_the_stalled_deployment_in_detail() {
    let mut s = shop();
    s.view = View::Workloads;
    s.namespace = None;
    // 170 columns: the detail pane sits right of the table.
    let text = screen(&s, 170, 30);
    snap!("workloads", text.clone());
    assert!(text.contains("███░░░ 3/5"), "{text}");
    assert!(text.contains("stalled: ProgressDeadlineExceeded"), "{text}");

    let theme = Theme::default();
    let t = render(&s, 170, 30);
    let buf = t.backend().buffer();
    assert_eq!(style_at(buf, "stalled: Progress").fg, theme.status_error.fg);
    assert_eq!(style_at(buf, "paused").fg, theme.status_warn.fg);
}

#[test]
fn workloads_narrow_with_the_detail_below() {
    let mut s = shop();
    s.view = View::Workloads;
    s.workloads.cursor.selected = 1;
    s.focus = Focus::Detail;
    snap!("workloads_detail_below", screen(&s, 100, 32));
}

#[test]
fn events_newest_first_with_the_message_in_full() {
    let mut s = shop();
    s.view = View::Events;
    s.events.cursor.selected = 4;
    let text = screen(&s, 170, 24);
    snap!("events", text.clone());
    // The escape sequence in the OOM message is shown, not obeyed.
    assert!(text.contains(r"\x1b[31mtotal-vm"), "{text}");
    let theme = Theme::default();
    let t = render(&s, 170, 24);
    let buf = t.backend().buffer();
    assert_eq!(style_at(buf, "BackOff").fg, theme.event_warning.fg);
    assert_eq!(style_at(buf, "ScalingReplicaSet").fg, theme.event_normal.fg);
}

#[test]
fn nodes_show_memory_pressure_and_requests() {
    let mut s = shop();
    s.view = View::Nodes;
    s.nodes.cursor.selected = 1;
    let text = screen(&s, 170, 26);
    snap!("nodes", text.clone());
    assert!(text.contains("MemoryPressure"), "{text}");
    assert!(text.contains("Unknown,SchedulingDisabled"), "{text}");
    let theme = Theme::default();
    let t = render(&s, 170, 26);
    assert_eq!(
        style_at(t.backend().buffer(), "⚠ worker-2").fg,
        theme.status_warn.fg
    );
}

/// A console on one namespace: a node's events come from `default` (kept
/// apart), its requests from every namespace's pods; a namespace-only user
/// is told what is not allowed, where the numbers would be.
#[test]
fn nodes_in_a_namespaced_session_are_node_wide_or_say_why_not() {
    use crate::model::cluster::{Resource, WatchHealth};
    let mut s = shop();
    s.view = View::Nodes;
    s.nodes.cursor.selected = 1;
    let mut pressure = crate::model::fixtures::shop::shop_events()[0].clone();
    pressure.namespace = "default".into();
    pressure.name = "worker-2.17f3".into();
    pressure.reason = "EvictionThresholdMet".into();
    pressure.message = "Attempting to reclaim memory".into();
    pressure.object = crate::model::event::ObjectRef {
        kind: "Node".into(),
        namespace: String::new(),
        name: "worker-2".into(),
    };
    s.cluster
        .node_events
        .insert(pressure.key(), Box::new(pressure));
    let text = screen(&s, 170, 30);
    assert!(text.contains("EvictionThresholdMet"), "{text}");

    // Not allowed to list other namespaces' pods, nor events in default.
    let why = "403 Forbidden: user \"dev\" cannot list pods at the cluster scope";
    s.nodes.totals = None;
    s.cluster.node_events.clear();
    s.cluster
        .watches
        .insert(Resource::NodeRequests, WatchHealth::NotAllowed(why.into()));
    s.cluster.watches.insert(
        Resource::NodeEvents,
        WatchHealth::NotAllowed("403 Forbidden: events in default".into()),
    );
    let text = screen(&s, 170, 30);
    snap!("nodes_namespace_only", text.clone());
    assert!(text.contains("requests: not allowed"), "{text}");
    assert!(text.contains("node events: not allowed"), "{text}");
    assert!(!text.contains("stale"), "nothing is stale: {text}");
    // No share of one namespace's pods drawn as the node's.
    assert!(!text.contains("requested:"), "{text}");

    // Not polled yet: said so, not drawn as zero.
    s.cluster.watches.remove(&Resource::NodeRequests);
    let text = screen(&s, 170, 30);
    assert!(text.contains("listing every namespace"), "{text}");
    assert!(!text.contains(" 0%"), "{text}");
}

/// The pod detail pane with a hand-written explanation, so this snapshot
/// does not change with the explanation texts.
#[test]
fn pod_detail_pane() {
    let s = shop();
    let pod = crashing_pod();
    let explanation = Explanation {
        kind: StatusKind::CrashLoopOom,
        meaning: "The container starts, uses more memory than its 256Mi limit, and the kernel kills it (OOMKilled, exit 137). Kubernetes restarts it with a growing back-off.".into(),
        next: vec![
            "Compare the memory limit with what the container needs (MEM/LIMIT, `kubectl top pod`).".into(),
            "Look at the previous instance's last log lines (`kubectl logs --previous`).".into(),
            "Raise the limit or fix the leak, then roll out again.".into(),
        ],
    };
    let theme = Theme::default();
    let mut t = Terminal::new(TestBackend::new(100, 52)).expect("a test terminal");
    t.draw(|f| {
        let lines = pod_lines(&s, &pod.key(), &pod, &explanation, &theme);
        let area = f.area();
        render_lines(
            f.buffer_mut(),
            area,
            pod_title(&pod, &theme),
            lines,
            0,
            true,
            &theme,
        );
    })
    .expect("drawing never fails");
    snap!("pod_detail", t.backend().to_string());
}

#[test]
fn pods_with_the_detail_pane_on_a_wide_screen() {
    let mut s = shop();
    s.focus = Focus::Detail;
    s.pods.cursor.selected = 1;
    let text = screen(&s, 200, 44);
    snap!("pods_with_detail", text.clone());
    // The real explanation, from the model.
    assert!(text.contains("What this means"), "{text}");
}

#[test]
fn the_pod_detail_goes_below_the_table_on_a_tall_narrow_screen() {
    let mut s = shop();
    s.pods.cursor.selected = 3;
    snap!("pods_detail_below", screen(&s, 120, 40));
}

#[test]
fn the_alerts_view_counts_alerts_not_their_headings() {
    use crate::model::alert::AlertReport;
    use crate::state::fixtures::{alert, shop_with_alertmanager};
    use crate::state::{Msg, update};
    let mut s = shop_with_alertmanager();
    let pod = s.cluster.pods.values().next().unwrap().name.clone();
    let at = s.now;
    let report = AlertReport {
        alerts: vec![
            alert("KubePodNotReady", "warning", &pod),
            alert("KubeContainerOOMKilled", "critical", &pod),
        ],
        failures: Vec::new(),
        failed: Vec::new(),
    };
    let _ = update(
        &mut s,
        Msg::AlertsPolled {
            feed: 1,
            at,
            report,
        },
    );
    super::press(&mut s, "5");
    // Rows: critical heading, its alert, warning heading, its alert.
    let bottom = |s: &crate::state::State| {
        let text = screen(s, 120, 20);
        text.lines()
            .find(|l| l.contains("└"))
            .unwrap_or_default()
            .to_string()
    };
    assert!(bottom(&s).contains(" 1 of 2 "), "{}", bottom(&s));
    super::press(&mut s, "j");
    assert!(bottom(&s).contains(" 2 alerts "), "{}", bottom(&s));
    super::press(&mut s, "j");
    assert!(bottom(&s).contains(" 2 of 2 "), "{}", bottom(&s));
}

#[test]
fn a_workload_that_lost_availability_is_not_drawn_as_a_rollout() {
    use crate::model::workload::Rollout;
    let mut s = shop();
    s.view = View::Workloads;
    for w in s.cluster.workloads.values_mut() {
        if w.name == "frontend" {
            w.ready = 0;
            w.available = 0;
            w.unavailable = 3;
            assert_eq!(w.rollout, Rollout::Complete);
        }
    }
    s.pending = crate::state::rows::Pending::everything();
    s.refresh_view();
    let theme = Theme::default();
    let t = render(&s, 170, 30);
    let text = t.backend().to_string();
    let row = text
        .lines()
        .find(|l| l.contains("frontend"))
        .unwrap()
        .to_string();
    assert!(row.contains("✖"), "none available is failing: {row}");
    assert!(!row.contains('◌') && !row.contains('█'), "{row}");
    assert!(row.contains("complete"), "{row}");
    let buf = t.backend().buffer();
    assert_eq!(
        style_at(buf, "✖ Deployment  frontend").fg,
        theme.status_error.fg
    );
}

#[test]
fn the_what_changed_title_says_how_far_back_the_record_is_whole() {
    use crate::model::changes::{Change, ChangeKind};
    let mut s = shop();
    let now = s.now;
    s.changes.push(
        Change::new(
            now,
            ChangeKind::Scale,
            "cart scaled 2 → 3".into(),
            None,
            false,
        ),
        now,
    );
    super::press(&mut s, "c");
    let title = |s: &crate::state::State| {
        screen(s, 160, 20)
            .lines()
            .find(|l| l.contains("What changed"))
            .unwrap_or_default()
            .to_string()
    };
    assert!(title(&s).contains("1 so far"), "{}", title(&s));
    s.changes.complete_since = Some(crate::state::fixtures::ago(20 * 60));
    let t = title(&s);
    assert!(t.contains("1 · all since 13:45"), "{t}");
    assert!(t.contains("before that only warnings"), "{t}");
    assert!(!t.contains("last 2h"), "{t}");
    s.changes.complete_since = Some(crate::state::fixtures::ago(3 * 3600));
    assert!(title(&s).contains("1 in the last 2h"), "{}", title(&s));
}
