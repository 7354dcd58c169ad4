//! Which events the diagnostics log keeps: a level per target prefix, read
//! from `$WARROOM_LOG` in the `target=level,…` form of `RUST_LOG`.
//!
//! The default (`--debug`, `WARROOM_LOG=1`) is `warroom` and `kube` at
//! debug and everything else at warn: kube-rs's requests and watcher
//! errors are what a bug report needs, while hyper, h2 and rustls at debug
//! write a line per frame. What `$WARROOM_LOG` names is added to that
//! default; a bare level (`trace`) is the level of `warroom` and `kube`.
//! Other crates come in only by name (`h2=trace`).

use std::fmt;

use tracing::Level;
use tracing_subscriber::filter::{LevelFilter, Targets};

/// The crates a bare level is about: ours, and kube-rs (`kube_client`,
/// `kube_runtime`: targets are matched by prefix).
const OURS: [&str; 2] = ["warroom", "kube"];

/// What `$WARROOM_LOG` may say instead of directives.
const ON: [&str; 4] = ["1", "on", "true", "yes"];
const OFF: [&str; 4] = ["0", "off", "false", "no"];

/// A level for every target not named, and one per named target prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    others: LevelFilter,
    /// Target prefixes and their levels, each target once.
    targets: Vec<(String, LevelFilter)>,
}

impl Default for Filter {
    /// What `--debug` turns on.
    fn default() -> Filter {
        let mut filter = Filter {
            others: LevelFilter::WARN,
            targets: Vec::new(),
        };
        filter.set_ours(LevelFilter::DEBUG);
        filter
    }
}

impl Filter {
    /// What `--debug` and `$WARROOM_LOG` ask for: `None` when the log is
    /// off. `--debug` turns it on even when the variable says off; the
    /// variable's directives apply either way.
    pub fn requested(debug: bool, env: Option<&str>) -> Result<Option<Filter>, String> {
        let value = env.map(str::trim).unwrap_or("");
        let lower = value.to_ascii_lowercase();
        if value.is_empty() || OFF.contains(&lower.as_str()) {
            return Ok(debug.then(Filter::default));
        }
        if ON.contains(&lower.as_str()) {
            return Ok(Some(Filter::default()));
        }
        Filter::parse(value).map(Some)
    }

    /// `warroom=trace,h2=debug`, `trace`, `kube=off`: directives added to
    /// the default, separated by commas.
    pub fn parse(text: &str) -> Result<Filter, String> {
        let mut filter = Filter::default();
        for directive in text.split(',').map(str::trim).filter(|d| !d.is_empty()) {
            match directive.split_once('=') {
                Some((target, level)) => {
                    let target = target.trim();
                    if !valid_target(target) {
                        return Err(format!(
                            "{directive:?}: {target:?} is not a target (a crate or module path \
                             such as kube_client or warroom::cluster)"
                        ));
                    }
                    filter.set(target, parse_level(level.trim(), directive)?);
                }
                None => filter.set_ours(parse_level(directive, directive)?),
            }
        }
        Ok(filter)
    }

    fn set(&mut self, target: &str, level: LevelFilter) {
        self.targets.retain(|(t, _)| t != target);
        self.targets.push((target.to_string(), level));
    }

    fn set_ours(&mut self, level: LevelFilter) {
        for target in OURS {
            self.set(target, level);
        }
    }

    /// The filter for the subscriber.
    pub fn targets(&self) -> Targets {
        Targets::new()
            .with_default(self.others)
            .with_targets(self.targets.iter().cloned())
    }

    /// Whether an event of `target` at `level` is written.
    pub fn enables(&self, target: &str, level: Level) -> bool {
        self.targets().would_enable(target, &level)
    }
}

/// `warroom=debug,kube=debug; others warn`: written at the top of each
/// run's part of the log.
impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let targets: Vec<String> = self
            .targets
            .iter()
            .map(|(target, level)| format!("{target}={}", lower(*level)))
            .collect();
        write!(f, "{}; others {}", targets.join(","), lower(self.others))
    }
}

fn lower(level: LevelFilter) -> String {
    level.to_string().to_ascii_lowercase()
}

/// A crate or module path: `kube_client`, `warroom::cluster::watch`.
fn valid_target(target: &str) -> bool {
    !target.is_empty()
        && target
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':' || c == '-')
}

fn parse_level(text: &str, directive: &str) -> Result<LevelFilter, String> {
    match text.to_ascii_lowercase().as_str() {
        "trace" => Ok(LevelFilter::TRACE),
        "debug" => Ok(LevelFilter::DEBUG),
        "info" => Ok(LevelFilter::INFO),
        "warn" | "warning" => Ok(LevelFilter::WARN),
        "error" => Ok(LevelFilter::ERROR),
        "off" => Ok(LevelFilter::OFF),
        _ => Err(format!(
            "{directive:?}: {text:?} is not a level (trace, debug, info, warn, error or off)"
        )),
    }
}

#[cfg(test)]
mod tests;
