//! Links from a pod or a workload to the Services that send it traffic and
//! the Ingresses in front of them: which Services select the pod and
//! whether it is among their ready endpoints (a pod not ready gets no
//! traffic), and a workload's Services with their ready endpoints.

use ratatui::style::Style;
use ratatui::text::Span;

use super::detail::{Doc, kv};
use super::text::span;
use crate::config::theme::Theme;
use crate::model::action::WorkloadRef;
use crate::model::pod_health::PodInfo;
use crate::model::service::{Membership, Reach};
use crate::model::workload::WorkloadInfo;
use crate::state::State;

/// `services  checkout-service (ready endpoint) · admin (not ready: no traffic)`.
pub fn pod_services<'a>(lines: &mut Doc<'a>, state: &'a State, pod: &'a PodInfo, theme: &Theme) {
    let net = &state.cluster.network;
    if !net.listed() {
        return;
    }
    let found = net.services_of_pod(&pod.namespace, &pod.name, &pod.labels);
    if found.is_empty() {
        return;
    }
    let mut spans: Vec<Span<'a>> = Vec::new();
    for (i, f) in found.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.dim));
        }
        spans.push(span(&f.service.name, Style::new()));
        let (words, style) = match f.membership {
            Membership::Ready => (" (ready endpoint: gets traffic)", theme.status_ok),
            Membership::NotReady => (" (not ready: gets no traffic)", theme.status_warn),
            Membership::NotListed => (" (selected, not an endpoint yet)", theme.dim),
        };
        spans.push(Span::styled(words, style));
    }
    lines.push(kv("services", spans, theme));
}

/// `services  checkout-service 2/2 ready · via ingress shop`, or that no
/// Service selects its pods.
pub fn workload_services<'a>(
    lines: &mut Doc<'a>,
    state: &'a State,
    w: &'a WorkloadInfo,
    theme: &Theme,
) {
    let net = &state.cluster.network;
    if !net.listed() {
        return;
    }
    let target = WorkloadRef::new(w.kind, &w.namespace, &w.name);
    let found = net.services_of_pods(&w.namespace, state.cluster.pods_of(&target));
    if found.is_empty() {
        lines.push(kv(
            "services",
            vec![Span::styled(
                "none selects its pods: nothing sends it traffic through a Service",
                theme.dim,
            )],
            theme,
        ));
        return;
    }
    for (i, f) in found.iter().enumerate() {
        let reach = net.reach(&f.service.key());
        let style = match reach {
            Some(r) if r.unreachable() => theme.status_error,
            Some(Reach::SomeNotReady(_)) => theme.status_warn,
            _ => theme.status_ok,
        };
        let mut spans = vec![
            span(&f.service.name, Style::new()),
            Span::styled(format!(" {} ready", f.endpoints), style),
        ];
        if !f.ingresses.is_empty() {
            spans.push(Span::styled(" · via ingress ", theme.dim));
            spans.push(Span::raw(f.ingresses.join(", ")));
        }
        lines.push(kv(if i == 0 { "services" } else { "" }, spans, theme));
    }
}
