//! The `:` command palette: views, namespace and context switches, quit,
//! and any other word as a resource the server serves (`:svc`, `:hpa`,
//! `:certificates`), as `kubectl get` names it.

use super::{Effect, State, View};

/// A `:` command: its name, k9s spellings, argument and what it does.
pub struct Command {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// The argument's placeholder (`NAME`), when it takes one.
    pub arg: Option<&'static str>,
    pub help: &'static str,
}

const fn cmd(
    name: &'static str,
    aliases: &'static [&'static str],
    arg: Option<&'static str>,
    help: &'static str,
) -> Command {
    Command {
        name,
        aliases,
        arg,
        help,
    }
}

/// Every command; the prompt, its completion and the help overlay read it.
pub const COMMANDS: &[Command] = &[
    cmd("pods", &["po", "pod"], None, "pods view"),
    cmd(
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
        None,
        "workloads view",
    ),
    cmd("events", &["ev", "event"], None, "events view"),
    cmd("nodes", &["no", "node"], None, "nodes view"),
    cmd("alerts", &["alert", "al"], None, "alerts view"),
    cmd(
        "ns",
        &["namespace"],
        Some("NAME"),
        "namespace (all: every one)",
    ),
    cmd("ctx", &["context"], Some("NAME"), "switch context"),
    cmd("incident", &["inc"], Some("ID"), "resume an open incident"),
    cmd("help", &[], None, "this help"),
    cmd(
        "quit",
        &["q", "q!"],
        None,
        "quit (asks while an incident is open; q! does not)",
    ),
];

pub(super) fn takes_argument(input: &str) -> bool {
    let word = input.split_whitespace().next().unwrap_or("");
    COMMANDS
        .iter()
        .any(|c| c.arg.is_some() && (c.name == word || c.aliases.contains(&word)))
}

/// What `tab` would complete `input` to, best first.
pub fn completions(state: &State, input: &str) -> Vec<String> {
    let input = input.trim_start();
    match input.split_once(' ') {
        // The commands, then the resources the server serves.
        None => COMMANDS
            .iter()
            .map(|c| c.name.to_string())
            .chain(super::browse::completions(state))
            .filter(|c| c.starts_with(input))
            .collect(),
        Some((cmd, arg)) => {
            let arg = arg.trim();
            let candidates: Vec<String> = match canonical(cmd) {
                Some("ns") => std::iter::once("all".to_string())
                    .chain(state.cluster.namespaces.iter().cloned())
                    .collect(),
                Some("ctx") => state.connection.contexts.clone(),
                Some("incident") => state.timeline.resumable.clone(),
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
        .find(|c| c.name == word || c.aliases.contains(&word))
        .map(|c| c.name)
}

/// Runs a command; an error is shown on the prompt.
pub(super) fn run(state: &mut State, input: &str, effects: &mut Vec<Effect>) -> Result<(), String> {
    let mut words = input.split_whitespace();
    let Some(word) = words.next() else {
        return Ok(());
    };
    let arg = words.next();
    let Some(cmd) = canonical(word) else {
        // Not a command: a resource, as `kubectl get` names it.
        if let Some(extra) = arg {
            return Err(format!("{word} takes no argument; remove {extra:?}"));
        }
        return super::browse::open_word(state, word, effects);
    };
    // Words a command does not take are an error, not silently dropped.
    let takes = COMMANDS.iter().find(|c| c.name == cmd).and_then(|c| c.arg);
    let extra: Vec<&str> = match takes {
        Some(_) => words.collect(),
        None => arg.into_iter().chain(words).collect(),
    };
    if !extra.is_empty() {
        return Err(match takes {
            Some(what) => format!("{cmd} takes one {what}; remove {:?}", extra.join(" ")),
            None => format!("{cmd} takes no argument; remove {:?}", extra.join(" ")),
        });
    }
    match cmd {
        "pods" => state.view = View::Pods,
        "deploy" => state.view = View::Workloads,
        "events" => state.view = View::Events,
        "nodes" => state.view = View::Nodes,
        "alerts" => state.view = View::Alerts,
        "help" => state.overlay.dialog = Some(super::overlay::Dialog::Help { page: 0 }),
        "quit" if word == "q!" => effects.push(Effect::Quit),
        "quit" => {
            super::view::quit(state, effects);
            // The question replaces the command prompt.
            return Ok(());
        }
        "ns" => {
            let Some(ns) = arg else {
                return Err("ns needs a namespace name, or `all`".into());
            };
            let namespace = if ns == "all" || ns == "-A" {
                None
            } else {
                check_namespace(state, ns)?;
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
            if state.timeline.open.is_some() {
                return Err("an incident is open here already; i ends it first".into());
            }
            effects.push(Effect::ResumeIncident { id: id.to_string() });
        }
        _ => unreachable!("every canonical command is handled"),
    }
    state.focus = super::Focus::Table;
    Ok(())
}

/// A namespace the cluster has, when the console can list them: a typo
/// (`:ns prodution`) would show an empty console that looks like an
/// outage. When namespaces cannot be listed (RBAC), any name is taken.
fn check_namespace(state: &State, ns: &str) -> Result<(), String> {
    use crate::model::cluster::{Resource, WatchHealth};
    let listed = matches!(
        state.cluster.watches.get(&Resource::Namespaces),
        Some(WatchHealth::Live)
    );
    let known = &state.cluster.namespaces;
    if !listed || known.is_empty() || known.contains(ns) {
        return Ok(());
    }
    let near: Vec<&str> = known
        .iter()
        .filter(|k| crate::model::spelling::near(ns, k))
        .map(String::as_str)
        .take(3)
        .collect();
    Err(if near.is_empty() {
        format!("no namespace {ns:?} in this cluster (tab lists them)")
    } else {
        format!("no namespace {ns:?}; did you mean {}?", near.join(", "))
    })
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
    // The followed resource is followed again by the new watchers.
    state.browse.all.clear();
    state.browse.rows.clear();
    if state.browsing.is_some() {
        state.cluster.watches.insert(
            crate::model::cluster::Resource::Browsed,
            crate::model::cluster::WatchHealth::Syncing,
        );
    }
    state.pending = super::rows::Pending::everything();
    for c in [
        &mut state.pods.cursor,
        &mut state.workloads.cursor,
        &mut state.events.cursor,
        &mut state.nodes.cursor,
        &mut state.browse.cursor,
    ] {
        *c = Default::default();
    }
    effects.push(Effect::Watch {
        generation: state.generation,
        context,
        namespace: state.namespace.clone(),
    });
}
