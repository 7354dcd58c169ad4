//! The pods table.

use super::{render, screen, snap, style_at};
use crate::config::theme::Theme;
use crate::keys::PodColumn;
use crate::model::ObjectKey;
use crate::model::pod_health::Health;
use crate::state::fixtures::{self, shop, shop_all_namespaces};
use crate::state::{Cursor, PodRow, Sort};

#[test]
fn pods_in_one_namespace() {
    // 140×20: wide enough for every column, too low for the detail pane.
    snap!("pods_one_namespace", screen(&shop(), 140, 20));
}

#[test]
fn pods_in_all_namespaces_have_a_namespace_column() {
    let mut s = shop_all_namespaces();
    s.pods.sort = Sort {
        column: PodColumn::Restarts,
        descending: true,
    };
    s.pods.cursor = Cursor {
        selected: 1,
        offset: 0,
    };
    snap!("pods_all_namespaces", screen(&s, 150, 20));
}

#[test]
fn pods_grouped_by_workload() {
    let mut s = shop();
    s.pods.group_by_workload = true;
    s.pods.problems_only = true;
    s.pods.filter.text = "c".into();
    let pod = |n: &str| PodRow::Pod(ObjectKey::new("shop", n));
    let group = |kind: &str, name: &str, pods, not_ready, failing| PodRow::Group {
        namespace: "shop".into(),
        owner: Some(fixtures::owner(kind, name)),
        pods,
        not_ready,
        failing,
    };
    s.pods.rows = vec![
        group("Deployment", "cart", 1, 0, 1),
        pod("cart-5b6d7c-ll2zx"),
        group("Deployment", "checkout", 2, 1, 0),
        pod("checkout-7d8f9c-9vbnm"),
        pod("checkout-7d8f9c-2xkqp"),
        PodRow::Group {
            namespace: "shop".into(),
            owner: None,
            pods: 0,
            not_ready: 0,
            failing: 0,
        },
    ];
    snap!("pods_grouped", screen(&s, 140, 16));
}

#[test]
fn narrow_terminals_drop_columns_before_cutting_names() {
    snap!("pods_80x24", screen(&shop_all_namespaces(), 80, 20));
}

#[test]
fn not_ready_and_failing_rows_have_their_own_styles() {
    let s = shop();
    let theme = Theme::default();
    let t = render(&s, 140, 20);
    let buf = t.backend().buffer();

    let not_ready = style_at(buf, "checkout-7d8f9c-9vbnm");
    let failing = style_at(buf, "cart-5b6d7c-ll2zx");
    let creating = style_at(buf, "payments-6c9f4d-abcde");
    assert_eq!(
        not_ready.fg, theme.not_ready.fg,
        "Running-but-not-Ready row"
    );
    assert_eq!(failing.fg, theme.status_error.fg, "CrashLoopBackOff row");
    assert_eq!(creating.fg, theme.progressing.fg, "ContainerCreating row");
    assert_ne!(theme.not_ready.fg, theme.status_error.fg);
    assert_eq!(style_at(buf, "◐").fg, theme.not_ready.fg);
    assert_eq!(style_at(buf, "✖").fg, theme.status_error.fg);

    // The OOM in the last termination stands out on its own.
    let oom = style_at(buf, "OOMKilled exit 137");
    assert_eq!((oom.fg, oom.bg), (theme.oom.fg, theme.oom.bg));
    // A full memory gauge (250Mi of 256Mi) is coloured "full".
    assert_eq!(style_at(buf, "250Mi/256Mi").fg, theme.gauge_full.fg);
    // A healthy row is plain.
    assert_eq!(style_at(buf, "checkout-7d8f9c-2xkqp").fg, theme.base.fg);
}

#[test]
fn the_selected_row_keeps_its_health_colour() {
    let mut s = shop();
    s.pods.cursor.selected = 1;
    let theme = Theme::default();
    let t = render(&s, 140, 20);
    let style = style_at(t.backend().buffer(), "checkout-7d8f9c-9vbnm");
    assert_eq!(style.fg, theme.not_ready.fg);
    assert_eq!(style.bg, theme.selection.bg);
}

#[test]
fn only_the_visible_window_is_drawn_and_the_cursor_stays_on_screen() {
    let mut s = shop();
    s.pods.rows.clear();
    s.cluster.pods.clear();
    for i in 0..10_000 {
        let mut p = fixtures::pod("shop", &format!("load-{i:05}"), "load");
        p.health = if i % 7 == 0 {
            Health::NotReady
        } else {
            Health::Ok
        };
        s.pods.rows.push(PodRow::Pod(p.key()));
        s.cluster.pods.insert(p.key(), Box::new(p));
    }
    // The reducer's offset lags behind the selection (it assumed a taller table).
    s.pods.cursor = Cursor {
        selected: 5_000,
        offset: 4_970,
    };
    let text = screen(&s, 120, 20);
    assert!(text.contains("load-05000"), "{text}");
    assert!(!text.contains("load-04970"), "{text}");
    assert!(text.contains("5001 of 10000"), "{text}");
}

#[test]
fn hostile_names_are_escaped() {
    let mut s = shop();
    let mut p = fixtures::pod("shop", "evil\x1b]0;pwned\x07-pod", "evil");
    p.status = "Running\x1b[2J".into();
    s.pods.rows.insert(0, PodRow::Pod(p.key()));
    s.cluster.pods.insert(p.key(), Box::new(p));
    let text = screen(&s, 140, 20);
    assert!(text.contains(r"evil\x1b]0;pwned\x07-pod"), "{text}");
    assert!(text.contains(r"Running\x1b[2J"), "{text}");
    assert!(!text.contains('\x1b'));
}

#[test]
fn an_empty_table_says_why() {
    let mut s = shop();
    s.pods.rows.clear();
    s.pods.filter.text = "nothing-matches".into();
    assert!(screen(&s, 100, 12).contains("no pods match the filter"));
    s.pods.filter.text.clear();
    s.cluster.watches.insert(
        crate::model::cluster::Resource::Pods,
        crate::model::cluster::WatchHealth::Syncing,
    );
    assert!(screen(&s, 100, 12).contains("syncing pods…"));
}
