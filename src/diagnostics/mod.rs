//! The diagnostics log: what warroom and kube-rs were doing, for a bug
//! report. `tracing` events go to a file in the data directory
//! (`<data dir>/logs/warroom.log`), never to the terminal, which belongs
//! to the console.
//!
//! - Off unless asked for: `--debug`, or `$WARROOM_LOG` (`1`, or
//!   directives such as `kube=trace`; see [`Filter`]). Off, no subscriber
//!   is installed and each `tracing` macro costs one cached check.
//! - kube-rs's own events come in (its HTTP requests, watcher errors);
//!   hyper, h2 and rustls stay at warn unless named.
//! - Rotated by size: [`ROTATE_AT`] bytes a file, [`KEEP`] older files
//!   (`warroom.log.1` …), so at most 16 MiB on disk.
//! - No secret is written. kube-rs, hyper and h2 write no request headers
//!   at any level (kube-rs's spans name the method and URL, h2 leaves
//!   header fields out of its frames, hyper's own tracing is compiled out);
//!   but the errors kube-rs logs can quote a failed exec plugin's output.
//!   So every record passes through [`crate::model::redact`] on its way
//!   to the file: bearer tokens, `Authorization` values, passwords, JWTs,
//!   private keys and an exec plugin's output come out as `REDACTED`,
//!   whatever level or target wrote them.
//! - Each record is written whole, synchronously, by the thread that
//!   logged it: a log that is on only when asked for needs no writer
//!   thread, and nothing is lost on exit.
//! - A log that cannot be set up (no home directory, a directory that
//!   cannot be created, a mistake in `$WARROOM_LOG`) is an `Err` the
//!   caller prints before the console starts; the console runs without it.

mod file;
mod filter;

use std::path::{Path, PathBuf};

use tracing_subscriber::layer::SubscriberExt;

use crate::config::Paths;

pub use filter::Filter;

/// The environment variable that turns the log on and says what goes in.
pub const LOG_ENV: &str = "WARROOM_LOG";

/// The size at which `warroom.log` is moved aside.
pub const ROTATE_AT: u64 = 4 << 20;

/// How many moved-aside files are kept (`warroom.log.1` … `.3`).
pub const KEEP: usize = 3;

/// A log that was set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    pub file: PathBuf,
    pub filter: Filter,
}

/// Sets up the log as `--debug` (`debug`) and `$WARROOM_LOG` ask, in the
/// data directory: `Ok(None)` when it is off.
pub fn from_process(debug: bool) -> Result<Option<Installed>, String> {
    let env = std::env::var_os(LOG_ENV);
    let env = match env.as_deref().map(|v| v.to_str()) {
        None => None,
        Some(Some(v)) => Some(v),
        Some(None) => return Err(format!("${LOG_ENV} is not UTF-8")),
    };
    let Some(filter) = Filter::requested(debug, env).map_err(|e| format!("${LOG_ENV}: {e}"))?
    else {
        return Ok(None);
    };
    let paths = Paths::platform().ok_or_else(|| {
        format!(
            "no data directory to write it to (no home directory; set ${})",
            crate::config::DATA_DIR_ENV
        )
    })?;
    install(&paths.log_file(), filter).map(Some)
}

/// Makes `file` (created 0600, in a 0700 directory) the process's
/// `tracing` subscriber with `filter`. Only the first call in a process
/// can succeed.
pub fn install(file: &Path, filter: Filter) -> Result<Installed, String> {
    let subscriber = subscriber(file, &filter)?;
    tracing::subscriber::set_global_default(subscriber)
        .map_err(|e| format!("cannot start the diagnostics log: {e}"))?;
    Ok(Installed {
        file: file.to_path_buf(),
        filter,
    })
}

/// The subscriber that writes `file`.
fn subscriber(
    file: &Path,
    filter: &Filter,
) -> Result<impl tracing::Subscriber + Send + Sync + 'static, String> {
    let dir = file.parent().unwrap_or(Path::new("."));
    file::create_private_dir(dir)
        .map_err(|e| format!("cannot create the directory {}: {e}", dir.display()))?;
    let rotating = file::Rotating::open(file, ROTATE_AT, KEEP)
        .map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    let layer = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(file::LogFile::new(rotating))
        // A record that cannot be written is counted in the file, never
        // reported on standard error: the console owns the terminal.
        .log_internal_errors(false);
    Ok(tracing_subscriber::registry()
        .with(filter.targets())
        .with(layer))
}

#[cfg(test)]
mod tests;
