//! The alert feed in the State: what the Alertmanagers said at their last
//! answer, what the built-in detectors see in the watched state, the two
//! merged into one feed, and every fired/resolved transition (for the
//! incident timeline).
//!
//! An Alertmanager that does not answer keeps its last alerts on screen,
//! marked as from an unreachable source — never "no alerts", and never a
//! burst of false "resolved" transitions.

use std::collections::{BTreeSet, VecDeque};

use jiff::Timestamp;

use crate::model::action::{ActionKind, Mutation};
use crate::model::alert::{
    Alert, AlertReport, AlertSeverity, AlertSource, AlertState, AlertTransition, Matcher,
    TargetKind, matchers_for,
};

use super::update::notice;
use super::{Effect, Prompt, PromptKind, Severity, State, View};

/// Transitions kept (fired and resolved, newest last).
pub const TRANSITIONS_KEPT: usize = 5_000;

/// A row of the alerts view: a severity heading or an alert (index into
/// the feed; rows are rebuilt whenever the feed is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertRow {
    Heading(AlertSeverity, usize),
    Alert(usize),
}

#[derive(Debug, Clone, Default)]
pub struct AlertsData {
    /// Number of the current poller; answers of older ones are dropped.
    pub feed_id: u64,
    /// The Alertmanagers asked, by name.
    pub configured: Vec<String>,
    /// Per Alertmanager that failed its last round: the sentence why.
    pub failed: Vec<(String, String)>,
    pub polled_at: Option<Timestamp>,
    /// Merged alerts of the last round; alerts only unreachable
    /// Alertmanagers reported are kept from the round before.
    pub from_alertmanagers: Vec<Alert>,
    pub detected: Vec<Alert>,
    /// Everything, sorted by severity, then name, then start.
    pub feed: Vec<Alert>,
    pub transitions: VecDeque<AlertTransition>,
    /// Transitions not yet put into the what-changed ring.
    pub unrecorded: Vec<crate::model::changes::Change>,
    /// Keys of the alerts in the feed, to tell fired from resolved.
    pub firing: BTreeSet<String>,
    /// Cluster data changed since the detectors last ran.
    pub detect_pending: bool,
    pub last_detect: Option<i64>,
    /// Ring the bell on a new critical alert.
    pub bell: bool,
    pub silence_minutes: u32,
    pub detectors: crate::model::detectors::DetectorConfig,
}

/// What an alert is called across sources, for fired/resolved.
fn key(a: &Alert) -> String {
    match &a.source {
        AlertSource::Alertmanager => format!("am/{}", a.fingerprint),
        AlertSource::Detector(_) => format!("det/{}", a.fingerprint),
    }
}

fn source_text(a: &Alert) -> String {
    match &a.source {
        AlertSource::Alertmanager => format!("Alertmanager {}", a.reported_by.join(", ")),
        AlertSource::Detector(d) => format!("detector {d}"),
    }
}

impl AlertsData {
    /// Counts of firing (not silenced) alerts by severity, most severe first.
    pub fn firing_counts(&self) -> Vec<(AlertSeverity, usize)> {
        let mut counts: Vec<(AlertSeverity, usize)> = Vec::new();
        for a in self.feed.iter().filter(|a| a.state == AlertState::Active) {
            match counts.iter_mut().find(|(s, _)| *s == a.severity) {
                Some((_, n)) => *n += 1,
                None => counts.push((a.severity, 1)),
            }
        }
        counts.sort_by_key(|(s, _)| *s);
        counts
    }

    /// The feed's alerts about an object (or the pod's workload or node).
    pub fn about<'a>(
        &'a self,
        kind: TargetKind,
        namespace: Option<&'a str>,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Alert> + 'a {
        self.feed.iter().filter(move |a| {
            a.targets().iter().any(|t| {
                t.kind == kind
                    && t.name == name
                    && (t.namespace.as_deref() == namespace || namespace.is_none())
            })
        })
    }
}

/// Whatever the feed holds now, merged and sorted; records transitions.
fn rebuild(state: &mut State, at: Timestamp, announce: bool, effects: &mut Vec<Effect>) {
    let data = &mut state.alerts;
    let mut feed = data.from_alertmanagers.clone();
    feed.extend(data.detected.iter().cloned());
    feed.sort_by(crate::model::alert::compare);
    let keys: BTreeSet<String> = feed.iter().map(key).collect();
    let mut new_critical = Vec::new();
    for a in &feed {
        let k = key(a);
        if !data.firing.contains(&k) {
            // Alerts already firing when warroom attached keep their own start.
            let when = if announce {
                at
            } else {
                a.starts_at.unwrap_or(at)
            };
            push_transition(data, when, true, a);
            if announce && a.severity == AlertSeverity::Critical && a.state == AlertState::Active {
                new_critical.push(format!("{} {}", a.name, subject(a)));
            }
        }
    }
    let gone: Vec<Alert> = data
        .feed
        .iter()
        .filter(|a| !keys.contains(&key(a)))
        .cloned()
        .collect();
    for a in &gone {
        push_transition(data, at, false, a);
    }
    data.firing = keys;
    data.feed = feed;
    let bell = data.bell;
    for c in std::mem::take(&mut state.alerts.unrecorded) {
        super::timeline::record(state, c);
    }
    for text in new_critical {
        notice(
            state,
            Severity::Error,
            format!("new critical alert: {text}"),
        );
        if bell {
            effects.push(Effect::Bell);
        }
    }
    if state.view == View::Alerts {
        state.pending.alerts = true;
    }
    state.dirty = true;
}

fn push_transition(data: &mut AlertsData, at: Timestamp, fired: bool, a: &Alert) {
    let mut change = crate::model::changes::Change::new(
        at,
        crate::model::changes::ChangeKind::Alert,
        format!(
            "{} {} {} {}",
            if fired { "fired:" } else { "resolved:" },
            a.severity.label(),
            a.name,
            subject(a)
        )
        .trim_end()
        .to_string(),
        a.targets().first().map(|t| crate::model::event::ObjectRef {
            kind: t.kind.name().into(),
            namespace: t.namespace.clone().unwrap_or_default(),
            name: t.name.clone(),
        }),
        fired,
    );
    change.actor = Some(source_text(a));
    data.unrecorded.push(change);
    if data.transitions.len() >= TRANSITIONS_KEPT {
        data.transitions.pop_front();
    }
    data.transitions.push_back(AlertTransition {
        at,
        fired,
        name: a.name.clone(),
        severity: a.severity,
        summary: a.summary.clone(),
        source: source_text(a),
        targets: a.targets(),
    });
}

/// `on production/checkout-7d8f`, from the most specific target.
pub fn subject(a: &Alert) -> String {
    match a.targets().first() {
        Some(t) => match &t.namespace {
            Some(ns) => format!("on {}/{}", ns, t.name),
            None => format!("on {}", t.name),
        },
        None => String::new(),
    }
}

/// The feed rebuilt after its sources changed (another context), without
/// announcing anything.
pub fn rebuild_now(state: &mut State, at: Timestamp, effects: &mut Vec<Effect>) {
    rebuild(state, at, false, effects);
}

/// An Alertmanager round answered.
pub fn polled(
    state: &mut State,
    feed: u64,
    at: Timestamp,
    report: AlertReport,
    effects: &mut Vec<Effect>,
) {
    if feed != state.alerts.feed_id {
        return;
    }
    let first = state.alerts.polled_at.is_none();
    let data = &mut state.alerts;
    // Keep what only unreachable Alertmanagers had said.
    let kept: Vec<Alert> = data
        .from_alertmanagers
        .iter()
        .filter(|a| {
            !a.reported_by.is_empty() && a.reported_by.iter().all(|r| report.failed.contains(r))
        })
        .filter(|a| !report.alerts.iter().any(|b| b.fingerprint == a.fingerprint))
        .cloned()
        .collect();
    let mut alerts = report.alerts;
    alerts.extend(kept);
    data.from_alertmanagers = alerts;
    data.failed = report.failed.into_iter().zip(report.failures).collect();
    data.polled_at = Some(at);
    rebuild(state, at, !first, effects);
}

/// On the clock: run the detectors when the cluster changed, at most once
/// a second, and once every two seconds from 10,000 pods (a run reads
/// every pod and its metrics: on a big, churning cluster it is most of
/// what the console does while idle).
pub fn tick(state: &mut State, effects: &mut Vec<Effect>) {
    let second = state.now.as_second();
    let every = 1 + i64::try_from(state.cluster.pods.len() / 10_000).unwrap_or(i64::MAX);
    let since = state.alerts.last_detect.map(|last| second - last);
    let recent = since.is_some_and(|s| (0..every).contains(&s));
    // Thresholds cross with time alone (Running but not Ready for 60 s, a
    // kill leaving the OOM window): judge again every few seconds even
    // when nothing in the cluster changed.
    let due = since.is_none_or(|s| s >= 5 * every);
    if !(state.alerts.detect_pending || due) || recent {
        return;
    }
    // Nothing to judge before the pods are listed.
    if state
        .cluster
        .watches
        .get(&crate::model::cluster::Resource::Pods)
        != Some(&crate::model::cluster::WatchHealth::Live)
    {
        return;
    }
    let first = state.alerts.last_detect.is_none();
    state.alerts.detect_pending = false;
    state.alerts.last_detect = Some(second);
    let detected =
        crate::model::detectors::detect(&state.cluster, state.now, &state.alerts.detectors);
    if detected == state.alerts.detected {
        return;
    }
    state.alerts.detected = detected;
    let now = state.now;
    rebuild(state, now, !first, effects);
}

/// The alerts view's rows: severity headings, then the alerts under them;
/// the view's filter matches name, summary, labels; `!` hides silenced
/// and inhibited ones.
pub fn rows(state: &State) -> Vec<AlertRow> {
    let v = &state.alerts_view;
    let text = v.filter.text.to_lowercase();
    let mut rows = Vec::new();
    let mut current: Option<(AlertSeverity, usize)> = None;
    for (i, a) in state.alerts.feed.iter().enumerate() {
        if v.problems_only && a.state != AlertState::Active {
            continue;
        }
        if !text.is_empty() && !matches_text(a, &text) {
            continue;
        }
        if current.map(|(s, _)| s) != Some(a.severity) {
            current = Some((a.severity, rows.len()));
            rows.push(AlertRow::Heading(a.severity, 0));
        }
        if let Some((_, at)) = current
            && let Some(AlertRow::Heading(_, n)) = rows.get_mut(at)
        {
            *n += 1;
        }
        rows.push(AlertRow::Alert(i));
    }
    rows
}

fn matches_text(a: &Alert, text: &str) -> bool {
    a.name.to_lowercase().contains(text)
        || a.summary
            .as_deref()
            .is_some_and(|s| s.to_lowercase().contains(text))
        || a.labels
            .iter()
            .any(|(k, v)| k.to_lowercase().contains(text) || v.to_lowercase().contains(text))
}

/// The alert under the cursor.
pub fn selected(state: &State) -> Option<&Alert> {
    let v = &state.alerts_view;
    match v.cursor.pick(&v.rows)? {
        AlertRow::Alert(i) => state.alerts.feed.get(*i),
        AlertRow::Heading(..) => None,
    }
}

/// `enter` on an alert: the object it is about, in its view.
pub fn jump(state: &mut State) {
    let Some(target) = selected(state).and_then(|a| a.targets().into_iter().next()) else {
        notice(
            state,
            Severity::Info,
            "this alert names no object of this cluster (its labels name no pod, workload, HPA, job, cron job, ingress, service or node)".into(),
        );
        return;
    };
    let ns = target.namespace.clone().unwrap_or_default();
    if !super::view::reveal(state, target.kind.name(), &ns, &target.name) {
        notice(
            state,
            Severity::Warning,
            format!(
                "{} {} is not in the watched namespace(s) of this cluster",
                target.kind.name().to_lowercase(),
                if ns.is_empty() {
                    target.name.clone()
                } else {
                    format!("{ns}/{}", target.name)
                }
            ),
        );
    }
}

/// `S` on an alert from Alertmanager: asks how long and why.
pub fn start_silence(state: &mut State) {
    let Some(alert) = selected(state) else {
        return;
    };
    if alert.source != AlertSource::Alertmanager {
        notice(
            state,
            Severity::Info,
            "a detector's alert is not in Alertmanager: it clears when the cluster recovers".into(),
        );
        return;
    }
    if let Some(reason) = state.readonly {
        notice(
            state,
            Severity::Warning,
            format!("silence: read-only: {}", reason.describe()),
        );
        return;
    }
    let default = crate::model::action::minutes_text(state.alerts.silence_minutes);
    state.overlay.dialog = Some(super::overlay::Dialog::Prompt(Prompt::new(
        PromptKind::Silence,
        &format!("{default} "),
    )));
}

/// `30m`, `2h`, `1d` → minutes: jiff's "friendly" durations (so also
/// `1h30m`, `90min`, `1.5h`, `1w`; a day is 24 hours), a whole number of
/// minutes from one minute to 30 days. A bare number has no unit and is
/// refused.
pub fn parse_duration(text: &str) -> Option<u32> {
    let span = jiff::fmt::friendly::SpanParser::new()
        .parse_span(text.trim())
        .ok()?;
    let duration = span
        .to_duration(jiff::SpanRelativeTo::days_are_24_hours())
        .ok()?;
    let secs = u64::try_from(duration.as_secs()).ok()?;
    if duration.subsec_nanos() != 0 || !secs.is_multiple_of(60) {
        return None;
    }
    let minutes = u32::try_from(secs / 60).ok()?;
    (1..=30 * 24 * 60).contains(&minutes).then_some(minutes)
}

/// The silence prompt's `enter`: `2h why it is silenced` → the confirmation.
pub fn silence_entered(
    state: &mut State,
    text: &str,
    effects: &mut Vec<Effect>,
) -> Result<(), String> {
    let (duration, comment) = text.trim().split_once(' ').unwrap_or((text.trim(), ""));
    let minutes = parse_duration(duration)
        .ok_or_else(|| format!("{duration:?}: write a duration like 30m, 2h or 1d, then why"))?;
    let comment = comment.trim();
    if comment.is_empty() {
        return Err("say why, after the duration: Alertmanager requires a comment".into());
    }
    let Some(alert) = selected(state).cloned() else {
        return Err("select an alert".into());
    };
    let Some(alertmanager) = alert.reported_by.first().cloned() else {
        return Err("no Alertmanager reported this alert".into());
    };
    let matchers: Vec<Matcher> = matchers_for(&alert);
    let matched = state
        .alerts
        .feed
        .iter()
        .filter(|a| a.source == AlertSource::Alertmanager && silences(&matchers, a))
        .count();
    let mutation = Mutation::Silence {
        alertmanager,
        alert: format!("{} {}", alert.name, subject(&alert))
            .trim()
            .to_string(),
        matchers: matchers.clone(),
        minutes,
        comment: comment.to_string(),
        created_by: state.author(),
    };
    let changes = vec![
        format!(
            "matchers: {}",
            crate::model::action::matchers_text(&matchers)
        ),
        format!("{matched} alert(s) in the feed match now"),
    ];
    super::actions::propose(state, ActionKind::Silence, mutation, changes, effects);
    Ok(())
}

/// Whether equality matchers select `a` (the ones `matchers_for` makes).
fn silences(matchers: &[Matcher], a: &Alert) -> bool {
    matchers.iter().all(|m| {
        let v = a.labels.get(&m.name).map(String::as_str).unwrap_or("");
        (v == m.value) == m.is_equal
    })
}

/// `X` on a silenced alert: expire the silence that holds it.
pub fn expire_silence(state: &mut State, effects: &mut Vec<Effect>) {
    let Some(alert) = selected(state).cloned() else {
        return;
    };
    let (Some(id), Some(alertmanager)) = (alert.silenced_by.first(), alert.reported_by.first())
    else {
        notice(state, Severity::Info, "this alert is not silenced".into());
        return;
    };
    let mutation = Mutation::ExpireSilence {
        alertmanager: alertmanager.clone(),
        alert: format!("{} {}", alert.name, subject(&alert))
            .trim()
            .to_string(),
        id: id.clone(),
    };
    super::actions::propose(
        state,
        ActionKind::ExpireSilence,
        mutation,
        Vec::new(),
        effects,
    );
}

/// Counts for the header: `2 critical · 1 warning`, and the sources that
/// are not answering.
pub fn header_counts(state: &State) -> (Vec<(AlertSeverity, usize)>, Vec<&str>) {
    let unreachable = state
        .alerts
        .failed
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    (state.alerts.firing_counts(), unreachable)
}

/// The alerts about one pod or its node, for its detail pane (asked per
/// pod when drawn, rather than kept as an index updated on every change).
pub fn for_pod<'a>(state: &'a State, pod: &'a crate::model::pod_health::PodInfo) -> Vec<&'a Alert> {
    let mut out: Vec<&Alert> = state
        .alerts
        .about(TargetKind::Pod, Some(&pod.namespace), &pod.name)
        .collect();
    if let Some(node) = &pod.node {
        out.extend(state.alerts.about(TargetKind::Node, None, node));
    }
    out
}

#[cfg(test)]
mod tests;
