//! The difference between two pod templates: a unified, line-based diff of
//! a canonical rendering, and a summary in words ("env DATABASE_URL removed
//! from checkout", "image checkout: 2.2.0 → 2.3.0") for the history pane
//! and the rollback confirmation.
//!
//! Both read the templates the same way: keys in sorted order and lists of
//! named things (containers, env vars, ports, volumes) by name, so a
//! template written in another order is no change. Init containers are the
//! exception: they run in order, so their order counts. Env var values are
//! never shown, in the diff or the summary (see `render::redact_env`).

mod lines;
mod render;
mod summary;

use serde_json::Value;

/// Lines of unchanged context around each change, as `diff -u` keeps.
pub const CONTEXT_LINES: usize = 3;

/// One line of a unified diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    /// `@@ -a,b +c,d @@`
    Hunk(String),
    Context(String),
    Added(String),
    Removed(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TemplateDiff {
    /// What changed, in words, most important first.
    pub summary: Vec<String>,
    pub lines: Vec<DiffLine>,
}

impl TemplateDiff {
    /// No difference at all.
    pub fn is_empty(&self) -> bool {
        self.summary.is_empty() && self.lines.is_empty()
    }
}

/// How `to` differs from `from` (both `spec.template` values: `from` the
/// revision chosen, `to` the one running). Any JSON is accepted; what is not
/// shaped like a pod template is compared as plain data.
pub fn diff(from: &Value, to: &Value) -> TemplateDiff {
    let before = render::render(&render::redact_env(from, Some(to), render::Side::Before));
    let after = render::render(&render::redact_env(to, Some(from), render::Side::After));
    let lines = lines::unified(&before, &after, CONTEXT_LINES);
    if lines.is_empty() {
        return TemplateDiff::default();
    }
    let mut summary = summary::summarize(from, to);
    if summary.is_empty() {
        summary.push("pod template changed".to_string());
    }
    TemplateDiff { summary, lines }
}

/// One template as the diff renders it (keys sorted, named lists by name,
/// env values hidden as `(hidden, N chars)`), for showing a revision whole.
pub fn render_template(template: &Value) -> Vec<String> {
    render::render(&render::redact_env(template, None, render::Side::Before))
}

#[cfg(test)]
mod tests;
