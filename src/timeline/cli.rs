//! `warroom timeline …`: the table `list` prints, the file `export -o`
//! writes, and the writer the crash test kills.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use unicode_width::UnicodeWidthStr;

use super::export::{self, ExportFormat, duration_text};
use super::journal::{self, IncidentSummary, Journal, Unreadable};
use super::{Entry, EntryKind, IncidentMeta, JournalError, zone};
use crate::config::Paths;
use crate::model::sanitize::sanitize;

/// `<data dir>/incidents`, the data dir from [`Paths::platform`] (which
/// `WARROOM_DATA_DIR` overrides).
pub fn incidents_dir() -> Result<PathBuf, String> {
    Paths::platform()
        .map(|p| journal::incidents_dir(&p.data_dir))
        .ok_or_else(|| {
            format!(
                "there is no home directory to keep incidents in; set {}",
                crate::config::DATA_DIR_ENV
            )
        })
}

/// The `list` table: ID, STARTED (when the impact began, in `tz`),
/// DURATION (from then to the end, or `open`), SEV, ENTRIES, TITLE; newest
/// first, unreadable files last with why.
pub fn list_table(listing: &[Result<IncidentSummary, Unreadable>], tz: &TimeZone) -> String {
    let mut rows: Vec<[String; 6]> = vec![[
        "ID".into(),
        "STARTED".into(),
        "DURATION".into(),
        "SEV".into(),
        "ENTRIES".into(),
        "TITLE".into(),
    ]];
    for item in listing {
        rows.push(match item {
            Ok(s) => [
                sanitize(&s.id).into_owned(),
                s.began_at
                    .to_zoned(tz.clone())
                    .strftime("%Y-%m-%d %H:%M %Z")
                    .to_string(),
                match s.ended_at {
                    Some(end) => duration_text(end.duration_since(s.began_at)),
                    None => "open".into(),
                },
                sanitize(&s.severity).into_owned(),
                s.entries.to_string(),
                sanitize(&s.title).into_owned(),
            ],
            Err(u) => [
                sanitize(&u.id).into_owned(),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                format!("unreadable: {}", sanitize(&u.error.to_string())),
            ],
        });
    }
    let mut widths = [0; 5];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let mut out = String::new();
    for row in &rows {
        for (w, cell) in widths.iter().zip(row) {
            out.push_str(cell);
            out.push_str(&" ".repeat(w - cell.width() + 3));
        }
        out.push_str(&row[5]);
        out.push('\n');
    }
    out
}

/// `warroom timeline list`, as printed.
pub fn list(dir: &Path) -> Result<String, String> {
    let listing = journal::list(dir).map_err(|e| e.to_string())?;
    if listing.is_empty() {
        return Ok(format!("No incidents in {}.\n", dir.display()));
    }
    let tz = zone::load(&zone::local_name()).unwrap_or(TimeZone::UTC);
    Ok(list_table(&listing, &tz))
}

/// An export and what the reader should know about the file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub text: String,
    /// One sentence per line left out (`line 7 of … skipped: …`) and for
    /// an unfinished last line.
    pub warnings: Vec<String>,
}

/// Incident `id` in `format`; read without locking, so an incident still
/// being written exports as far as it is on disk.
pub fn export(dir: &Path, id: &str, format: ExportFormat) -> Result<Exported, JournalError> {
    let contents = journal::read(dir, id)?;
    let file = dir.join(format!("{id}.jsonl"));
    let mut warnings: Vec<String> = contents
        .skipped
        .iter()
        .map(|(line, why)| format!("line {line} of {} left out: {why}", file.display()))
        .collect();
    if contents.torn_bytes > 0 {
        warnings.push(format!(
            "the last {} bytes of {} are not a complete entry (still being written, or torn by a crash) and are left out",
            contents.torn_bytes,
            file.display()
        ));
    }
    Ok(Exported {
        text: export::render(format, &contents.meta, &contents.entries),
        warnings,
    })
}

/// Writes an export to `path`, readable by its owner only, refusing to
/// replace an existing file unless `force`.
pub fn write_file(path: &Path, text: &str, force: bool) -> Result<(), String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!(
                "{} already exists; add --force to overwrite it",
                path.display()
            )
        } else {
            format!("cannot write {}: {e}", path.display())
        }
    })?;
    // A file that existed keeps its mode through truncation: narrow it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("cannot make {} private: {e}", path.display()))?;
    }
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The hidden `crash-writer`: opens incident `id` in `dir` (creating it if
/// it does not exist) and appends `count` notes, printing `ack <seq>` once
/// each append has returned (and `recovered <bytes>` when opening set a
/// torn tail aside). Bodies vary from none to 200 KiB, so a kill lands
/// inside a write often enough to tear lines.
pub fn crash_writer(dir: &Path, id: &str, count: u64, out: &mut dyn Write) -> Result<(), String> {
    let say = |out: &mut dyn Write, line: String| {
        writeln!(out, "{line}")
            .and_then(|()| out.flush())
            .map_err(|e| format!("cannot write to standard output: {e}"))
    };
    let mut journal = match Journal::open(dir, id) {
        Ok((j, recovery)) => {
            if let Some(torn) = recovery.torn {
                say(out, format!("recovered {}", torn.bytes))?;
            }
            j
        }
        Err(JournalError::NotFound { .. }) => {
            let meta = IncidentMeta {
                id: id.to_string(),
                title: "crash-writer".into(),
                severity: "SEV4".into(),
                started_at: jiff::Timestamp::now(),
                began_at: None,
                began_from: None,
                context: "crash-test".into(),
                namespace: None,
                created_by: "crash-writer".into(),
                time_zone: "UTC".into(),
            };
            match Journal::create(dir, meta) {
                Ok(j) => j,
                Err(JournalError::Exists { .. }) => {
                    Journal::open(dir, id).map_err(|e| e.to_string())?.0
                }
                Err(e) => return Err(e.to_string()),
            }
        }
        Err(e) => return Err(e.to_string()),
    };
    let pid = std::process::id();
    for i in 0..count {
        let mut entry = Entry::new(
            jiff::Timestamp::now(),
            EntryKind::Note,
            format!("crash-writer {pid} entry {i}"),
        );
        let body = [0, 120, 0, 4_096, 64 * 1024, 0, 200 * 1024][(i % 7) as usize];
        if body > 0 {
            entry = entry.with_body("x".repeat(body));
        }
        let entry = journal.append(entry).map_err(|e| e.to_string())?;
        say(out, format!("ack {}", entry.seq))?;
    }
    Ok(())
}
