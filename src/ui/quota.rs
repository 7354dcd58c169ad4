//! A namespace's ResourceQuotas in the detail panes: how much room is left
//! (used/hard), and, for a workload whose ReplicaSet the quota refuses, why
//! its missing replicas never appear and what to check.

use ratatui::style::Style;
use ratatui::text::Span;

use super::detail::{Doc, kv};
use super::text::span;
use crate::config::theme::Theme;
use crate::model::cluster::{Resource, WatchHealth};
use crate::model::quota::{QuotaInfo, refused_by_quota};
use crate::model::workload::WorkloadInfo;
use crate::state::State;

/// One `quota` line per ResourceQuota of `namespace`: `production-quota
/// pods 15/15 · cpu 1500m/2 · memory 3Gi/6Gi`, in the warning colour with
/// what is used up when something is; "not allowed" when this user may
/// not read quotas.
pub fn namespace_quotas<'a>(lines: &mut Doc<'a>, state: &'a State, namespace: &str, theme: &Theme) {
    if let Some(WatchHealth::NotAllowed(_)) = state.cluster.watches.get(&Resource::Quotas) {
        lines.push(kv(
            "quota",
            vec![Span::styled(
                "not allowed to read resourcequotas",
                theme.dim,
            )],
            theme,
        ));
        return;
    }
    for q in state.cluster.quotas_in(namespace) {
        lines.push(kv("quota", quota_spans(q, theme), theme));
    }
}

fn quota_spans<'a>(q: &'a QuotaInfo, theme: &Theme) -> Vec<Span<'a>> {
    let full = q.exhausted();
    let style = if full.is_empty() {
        Style::new()
    } else {
        theme.status_warn
    };
    let mut spans = vec![
        span(&q.name, Style::new()),
        Span::raw(" "),
        Span::styled(q.headroom(), style),
    ];
    if !full.is_empty() {
        let names: Vec<&str> = full.iter().map(|r| r.short()).collect();
        spans.push(Span::styled(
            format!("  (no room left: {})", names.join(", ")),
            theme.status_warn,
        ));
    }
    spans
}

/// When a quota refuses the workload's new pods: which quota, since when,
/// what it means and what to check next.
pub fn refused<'a>(lines: &mut Doc<'a>, w: &WorkloadInfo, theme: &Theme) {
    let Some((quota, _)) = refused_by_quota(w) else {
        return;
    };
    lines.push(kv(
        "",
        vec![Span::styled(
            format!(
                "quota {q} is used up: the ReplicaSet cannot create the missing pods (FailedCreate), and will not until pods are removed or the quota is raised. Check: kubectl describe quota {q} -n {ns}",
                q = super::text::sanitize(quota),
                ns = super::text::sanitize(&w.namespace),
            ),
            theme.status_error,
        )],
        theme,
    ));
}
