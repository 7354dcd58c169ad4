//! The ConfigMaps and Secrets a pod (or a workload's pods) reads, in the
//! detail panes, marking what the kubelet says is missing. Names and keys
//! only: the console never holds a value.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::detail::{Doc, heading, kv};
use super::text::span;
use crate::config::theme::Theme;
use crate::model::config_ref::{ConfigRef, MissingConfig, missing_in};
use crate::model::pod_health::PodInfo;

/// A "Config" section for `pods` (one pod, or a workload's), each
/// reference once; nothing when none reads a ConfigMap or Secret.
pub fn section<'a>(lines: &mut Doc<'a>, pods: &[&'a PodInfo], theme: &Theme) {
    let mut refs: Vec<&'a ConfigRef> = Vec::new();
    let mut missing: Vec<MissingConfig> = Vec::new();
    for p in pods {
        for r in &p.config_refs {
            if !refs
                .iter()
                .any(|o| o.kind == r.kind && o.name == r.name && o.key == r.key)
            {
                refs.push(r);
            }
        }
        for m in missing_in(p) {
            if !missing.contains(&m) {
                missing.push(m);
            }
        }
    }
    if refs.is_empty() {
        return;
    }
    lines.push(Line::raw(""));
    lines.push(heading("ConfigMaps and Secrets", theme));
    for r in refs {
        let mut spans = vec![span(&r.name, Style::new())];
        if let Some(k) = &r.key {
            spans.push(Span::styled(" key ", theme.dim));
            spans.push(span(k, Style::new()));
        }
        spans.push(Span::styled(" · ", theme.dim));
        spans.push(span(&r.how, theme.dim));
        if r.optional {
            spans.push(Span::styled(" · optional", theme.dim));
        }
        if missing.iter().any(|m| r.is(m)) {
            let what = if r.key.is_some() && missing.iter().any(|m| m.key.is_some()) {
                "key missing"
            } else {
                "missing"
            };
            spans.push(Span::styled(
                format!("  ✖ {what}: the kubelet cannot start the container until it exists"),
                theme.status_error,
            ));
        }
        lines.push(kv(r.kind.kind(), spans, theme));
    }
}
