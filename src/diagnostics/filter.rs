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
mod tests {
    use super::*;

    #[test]
    fn off_unless_the_flag_or_the_variable_asks() {
        assert_eq!(Filter::requested(false, None), Ok(None));
        for off in ["", "  ", "0", "off", "OFF", "false", "no"] {
            assert_eq!(Filter::requested(false, Some(off)), Ok(None), "{off:?}");
            // --debug wins over a variable that says off.
            assert_eq!(
                Filter::requested(true, Some(off)),
                Ok(Some(Filter::default()))
            );
        }
        for on in ["1", "on", "True", "yes", "debug"] {
            assert_eq!(
                Filter::requested(false, Some(on)),
                Ok(Some(Filter::default())),
                "{on:?}"
            );
        }
        assert_eq!(Filter::requested(true, None), Ok(Some(Filter::default())));
    }

    #[test]
    fn the_default_keeps_warroom_and_kube_at_debug_and_the_transport_at_warn() {
        let f = Filter::default();
        assert!(f.enables("warroom::cluster::watch", Level::DEBUG));
        assert!(f.enables("warroom", Level::INFO));
        assert!(f.enables("kube_client::client::builder", Level::DEBUG));
        assert!(f.enables("kube_runtime::watcher", Level::DEBUG));
        assert!(!f.enables("kube_client::client", Level::TRACE));
        for noisy in [
            "hyper_util::client::legacy::pool",
            "h2::codec",
            "rustls::conn",
        ] {
            assert!(!f.enables(noisy, Level::INFO), "{noisy}");
            assert!(f.enables(noisy, Level::WARN), "{noisy}");
        }
        assert_eq!(f.to_string(), "warroom=debug,kube=debug; others warn");
    }

    #[test]
    fn directives_add_to_the_default_and_a_bare_level_is_ours() {
        let f = Filter::parse("trace").unwrap();
        assert!(f.enables("kube_client::client", Level::TRACE));
        assert!(f.enables("warroom::alerts::poller", Level::TRACE));
        assert!(!f.enables("h2::proto", Level::DEBUG));

        let f = Filter::parse(" kube=off , h2=trace,warroom::cluster=trace").unwrap();
        assert!(!f.enables("kube_runtime::watcher", Level::ERROR));
        assert!(f.enables("h2::codec::framed_write", Level::TRACE));
        assert!(f.enables("warroom::cluster::connect", Level::TRACE));
        assert!(!f.enables("warroom::alerts", Level::TRACE));
        assert!(f.enables("warroom::alerts", Level::DEBUG));
        assert!(!f.enables("hyper_util", Level::INFO));

        // The last word for a target counts.
        let f = Filter::parse("kube=trace,info,kube=error").unwrap();
        assert!(!f.enables("kube_client", Level::WARN));
        assert!(f.enables("warroom", Level::INFO));
        assert!(!f.enables("warroom", Level::DEBUG));
        assert_eq!(f.to_string(), "warroom=info,kube=error; others warn");
    }

    #[test]
    fn a_mistake_in_the_variable_is_an_error_that_quotes_it() {
        assert_eq!(
            Filter::requested(false, Some("kube=loud")),
            Err(
                "\"kube=loud\": \"loud\" is not a level (trace, debug, info, warn, error or off)"
                    .into()
            )
        );
        assert!(
            Filter::parse("verbose")
                .unwrap_err()
                .contains("\"verbose\" is not a level")
        );
        assert!(
            Filter::parse("=debug")
                .unwrap_err()
                .contains("\"\" is not a target")
        );
        assert!(
            Filter::parse("my crate=debug")
                .unwrap_err()
                .contains("\"my crate\" is not a target")
        );
    }
}
