//! The `:` command palette: views, namespace and context switches, quit.

use super::{Effect, State, View};

/// Commands with their aliases (k9s spellings) and whether they take an argument.
const COMMANDS: &[(&str, &[&str], bool)] = &[
    ("pods", &["po", "pod"], false),
    (
        "deploy",
        &[
            "deployments",
            "dp",
            "workloads",
            "sts",
            "statefulsets",
            "ds",
            "daemonsets",
        ],
        false,
    ),
    ("events", &["ev", "event"], false),
    ("nodes", &["no", "node"], false),
    ("alerts", &["alert", "al"], false),
    ("ns", &["namespace"], true),
    ("ctx", &["context"], true),
    ("incident", &["inc"], true),
    ("help", &[], false),
    ("quit", &["q", "q!"], false),
];

pub(super) fn takes_argument(input: &str) -> bool {
    let word = input.split_whitespace().next().unwrap_or("");
    COMMANDS
        .iter()
        .any(|(name, aliases, arg)| *arg && (*name == word || aliases.contains(&word)))
}

/// What `tab` would complete `input` to, best first.
pub fn completions(state: &State, input: &str) -> Vec<String> {
    let input = input.trim_start();
    match input.split_once(' ') {
        None => COMMANDS
            .iter()
            .filter(|(name, _, _)| name.starts_with(input))
            .map(|(name, _, _)| name.to_string())
            .collect(),
        Some((cmd, arg)) => {
            let arg = arg.trim();
            let candidates: Vec<String> = match canonical(cmd) {
                Some("ns") => std::iter::once("all".to_string())
                    .chain(state.cluster.namespaces.iter().cloned())
                    .collect(),
                Some("ctx") => state.connection.contexts.clone(),
                Some("incident") => state.incident.resumable.clone(),
                _ => Vec::new(),
            };
            let cmd = canonical(cmd).unwrap_or(cmd);
            let mut prefixed: Vec<String> = candidates
                .iter()
                .filter(|c| c.starts_with(arg))
                .map(|c| format!("{cmd} {c}"))
                .collect();
            // Then substring matches: `:ns check` finds `shop-checkout`.
            prefixed.extend(
                candidates
                    .iter()
                    .filter(|c| !c.starts_with(arg) && c.contains(arg))
                    .map(|c| format!("{cmd} {c}")),
            );
            prefixed.truncate(20);
            prefixed
        }
    }
}

fn canonical(word: &str) -> Option<&'static str> {
    COMMANDS
        .iter()
        .find(|(name, aliases, _)| *name == word || aliases.contains(&word))
        .map(|(name, _, _)| *name)
}

/// Runs a command; an error is shown on the prompt.
pub(super) fn run(state: &mut State, input: &str, effects: &mut Vec<Effect>) -> Result<(), String> {
    let mut words = input.split_whitespace();
    let Some(word) = words.next() else {
        return Ok(());
    };
    let arg = words.next();
    let Some(cmd) = canonical(word) else {
        return Err(format!(
            "unknown command {word:?}; try pods, deploy, events, nodes, alerts, ns NAME, ctx NAME, help, quit"
        ));
    };
    match cmd {
        "pods" => state.view = View::Pods,
        "deploy" => state.view = View::Workloads,
        "events" => state.view = View::Events,
        "nodes" => state.view = View::Nodes,
        "alerts" => state.view = View::Alerts,
        "help" => state.help = true,
        "quit" => effects.push(Effect::Quit),
        "ns" => {
            let Some(ns) = arg else {
                return Err("ns needs a namespace name, or `all`".into());
            };
            let namespace = if ns == "all" || ns == "-A" {
                None
            } else {
                Some(ns.to_string())
            };
            if namespace != state.namespace {
                state.namespace = namespace.clone();
                switch(state, None, effects);
            }
        }
        "ctx" => {
            let Some(ctx) = arg else {
                return Err("ctx needs a context name".into());
            };
            if !state.connection.contexts.is_empty()
                && !state.connection.contexts.iter().any(|c| c == ctx)
            {
                return Err(format!(
                    "no context {ctx:?} in the kubeconfig; there are: {}",
                    state.connection.contexts.join(", ")
                ));
            }
            switch(state, Some(ctx.to_string()), effects);
        }
        "incident" => {
            let Some(id) = arg else {
                return Err("incident needs an id (tab lists the open ones)".into());
            };
            if state.incident.open.is_some() {
                return Err("an incident is open here already; i ends it first".into());
            }
            effects.push(Effect::ResumeIncident { id: id.to_string() });
        }
        _ => unreachable!("every canonical command is handled"),
    }
    state.focus = super::Focus::Table;
    Ok(())
}

/// Drops everything watched so far and asks for new watchers: late
/// messages of the old ones carry the old generation and are ignored.
fn switch(state: &mut State, context: Option<String>, effects: &mut Vec<Effect>) {
    state.generation += 1;
    let namespaces = std::mem::take(&mut state.cluster.namespaces);
    let contexts = state.connection.contexts.clone();
    state.cluster = Default::default();
    if context.is_none() {
        // Same cluster: the namespace list stays useful for completion.
        state.cluster.namespaces = namespaces;
    }
    state.connection.contexts = contexts;
    state.pods.owner = None;
    state.events.object = None;
    state.pending = super::rows::Pending::everything();
    for c in [
        &mut state.pods.cursor,
        &mut state.workloads.cursor,
        &mut state.events.cursor,
        &mut state.nodes.cursor,
    ] {
        *c = Default::default();
    }
    effects.push(Effect::Watch {
        generation: state.generation,
        context,
        namespace: state.namespace.clone(),
    });
}
