//! The one-line prompt at the bottom: `/` filter or `:` command with completion.

use crate::model::action::WorkloadRef;

/// What the prompt is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Filter,
    Command,
    /// `/` in the logs pane: highlight matches.
    LogSearch,
    /// `&` in the logs pane: keep matching lines (`!` first: the others).
    LogFilter,
    /// `s`: the number of replicas to scale the workload to.
    Scale,
    /// `S` on an alert: how long, and why.
    Silence,
    /// `i`: severity and title of a new incident.
    StartIncident,
    /// `i` during an incident: the closing line.
    EndIncident,
    /// `q` while an incident is open: `y` (or `q` again) quits, anything
    /// else stays.
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: String,
    /// Candidates for what is being typed (commands, namespaces, contexts),
    /// best first; `tab` takes the first, and again the next.
    pub completions: Vec<String>,
    /// Which candidate repeated `tab`s have taken: the list stays as it was
    /// for the text typed, so every one is reachable (`:ns` tab tab…).
    pub cycle: Option<usize>,
    /// An error from the last `enter` (unknown command, bad selector).
    pub error: Option<String>,
    /// The workload a scale prompt is for.
    pub target: Option<WorkloadRef>,
    /// What the prompt asks, when it is more than its kind's usual words
    /// (a scale prompt for a workload an HPA scales).
    pub label: Option<String>,
}

impl Prompt {
    pub fn new(kind: PromptKind, input: &str) -> Prompt {
        Prompt {
            kind,
            input: input.to_string(),
            completions: Vec::new(),
            cycle: None,
            error: None,
            target: None,
            label: None,
        }
    }
}
