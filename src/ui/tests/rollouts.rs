//! The rollout pane and the confirmation dialog, drawn from hand-built
//! state: revisions, the live status, the diff in its colours, and a
//! change that cannot be confirmed yet.

use serde_json::json;

use super::{render, screen, snap, style_at};
use crate::config::ReadonlyReason;
use crate::config::theme::Theme;
use crate::model::action::{Access, Mutation, WorkloadRef};
use crate::model::history::{History, Revision};
use crate::model::template_diff::{DiffLine, TemplateDiff};
use crate::model::workload::WorkloadKind;
use crate::state::actions::{Confirm, DryRun};
use crate::state::fixtures::shop;
use crate::state::history::HistoryPane;
use crate::state::{State, View};

fn cart() -> WorkloadRef {
    WorkloadRef::new(WorkloadKind::Deployment, "shop", "cart")
}

fn revision(number: i64, tag: &str, current: bool) -> Revision {
    Revision {
        number,
        name: format!("cart-{number}"),
        change_cause: Some(format!("deploy {tag}")),
        images: vec![format!("cart=registry.example.com/shop/cart:{tag}")],
        created: Some(crate::state::fixtures::ago(3600 * number)),
        ready: Some(if current { 0 } else { 2 }),
        desired: Some(if current { 1 } else { 0 }),
        current,
        template: json!({}),
    }
}

pub(super) fn with_history() -> State {
    let mut s = shop();
    s.view = View::Workloads;
    s.overlay.pane = Some(crate::state::overlay::Pane::History(Box::new(
        HistoryPane {
            target: cart(),
            request: 1,
            loading: false,
            history: Some(History {
                target: cart(),
                revisions: vec![
                    revision(7, "2.1.0", true),
                    revision(6, "2.0.9", false),
                    revision(5, "2.0.8", false),
                ],
            }),
            error: None,
            seen: None,
            cursor: crate::state::Cursor {
                selected: 1,
                offset: 0,
            },
            diff: TemplateDiff {
                summary: vec![
                    "image cart: 2.0.9 → 2.1.0".into(),
                    "env DATABASE_URL removed from cart".into(),
                ],
                lines: vec![
                    DiffLine::Hunk("@@ -3,4 +3,3 @@".into()),
                    DiffLine::Context("    - name: cart".into()),
                    DiffLine::Removed("      image: registry.example.com/shop/cart:2.0.9".into()),
                    DiffLine::Added("      image: registry.example.com/shop/cart:2.1.0".into()),
                    DiffLine::Removed("        - name: DATABASE_URL".into()),
                ],
            },
            diff_scroll: 0,
            following: None,
        },
    )));
    s
}

#[test]
fn history_pane_lists_revisions_and_colours_the_diff() {
    let s = with_history();
    let text = screen(&s, 140, 34);
    snap!("rollout_history", text.clone());
    assert!(text.contains("revision 6 → current 7"), "{text}");
    assert!(
        text.contains("env DATABASE_URL removed from cart"),
        "{text}"
    );
    assert!(text.contains("u rollback"), "{text}");
    let theme = Theme::default();
    let t = render(&s, 140, 34);
    let buf = t.backend().buffer();
    assert_eq!(style_at(buf, "+      image").fg, theme.diff_added.fg);
    assert_eq!(style_at(buf, "-      image").fg, theme.diff_removed.fg);
}

#[test]
fn a_read_only_session_shows_every_action_disabled_with_why() {
    let mut s = with_history();
    s.readonly = Some(ReadonlyReason::Production);
    let text = screen(&s, 180, 34);
    assert!(
        text.contains("u rollback (read-only: production context (--write to change it))"),
        "{text}"
    );
    let theme = Theme::default();
    let t = render(&s, 180, 34);
    assert_eq!(
        style_at(t.backend().buffer(), "u rollback (read-only").fg,
        theme.dim.fg
    );
}

#[test]
fn the_confirmation_states_the_change_its_kubectl_and_why_it_waits() {
    let mut s = with_history();
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Confirm(Box::new(Confirm {
        id: 3,
        mutation: Mutation::Rollback {
            target: cart(),
            to_revision: 6,
            from_revision: Some(7),
        },
        changes: vec!["image cart: 2.1.0 → 2.0.9".into()],
        warnings: Vec::new(),
        dry_run: DryRun::Pending,
        access: Some(Access::Allowed),
    })));
    let text = screen(&s, 140, 34);
    snap!("rollout_confirm_pending", text.clone());
    assert!(
        text.contains("kubectl rollout undo deployment/cart --to-revision=6 -n shop"),
        "{text}"
    );
    assert!(
        text.contains("cannot confirm: waiting for the server's dry run"),
        "{text}"
    );
}

#[test]
fn the_confirmation_shows_its_warnings_before_the_keys() {
    let mut s = with_history();
    s.overlay.dialog = Some(crate::state::overlay::Dialog::Confirm(Box::new(Confirm {
        id: 4,
        mutation: Mutation::Restart { target: cart() },
        changes: Vec::new(),
        warnings: vec!["the rollout of cart is stalled".into()],
        dry_run: DryRun::Passed("accepted".into()),
        access: Some(Access::Allowed),
    })));
    let text = screen(&s, 140, 34);
    let warning = text
        .find("⚠ the rollout of cart is stalled")
        .expect("the warning");
    let keys = text.find("make this change").expect("the keys");
    assert!(warning < keys, "{text}");
}
