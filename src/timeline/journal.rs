//! The journal on disk: one append-only JSON-lines file per incident in
//! `<data_dir>/incidents/`, written so that an acknowledged entry survives
//! the process being killed at any moment.
//!
//! - An append is one `write_all` of the whole line and a `sync_data`
//!   before it returns: a returned entry is on disk. A write that fails
//!   half-way is cut off again, so the next line never follows a fragment.
//! - A journal is created complete: the header is written and synced under
//!   a temporary name, then hard-linked to its real name (which fails if
//!   the name is taken, as `O_EXCL` would). No reader ever sees a journal
//!   without its header.
//! - Opening recovers: a torn last line (killed mid-write) is copied to
//!   `<id>.jsonl.torn-<unix time>` and cut off; complete entries are kept,
//!   and numbering continues after the last one.
//! - An exclusive advisory lock (`flock`) on the file keeps two warrooms
//!   from writing one incident; it goes with the file handle, so a killed
//!   process leaves no stale lock behind.

use std::fs::{DirBuilder, File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;

use super::entry::{self, Entry, IncidentMeta, Parsed};
use super::error::JournalError;
use super::zone;

/// The longest line an entry may take, `\n` included: longer note bodies are
/// refused whole, never written as a truncated line.
pub const MAX_LINE: usize = 1 << 20;

/// `<data_dir>/incidents`: where [`Journal`] keeps its files.
pub fn incidents_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("incidents")
}

/// An incident's journal, open for appending and locked for this process.
/// The lock is released when it is dropped.
#[derive(Debug)]
pub struct Journal {
    file: File,
    path: PathBuf,
    meta: IncidentMeta,
    last_seq: u64,
    /// The length of the file as far as this journal has written it.
    len: u64,
    /// A failed write could not be cut off again: appending more would put
    /// a line after a fragment.
    broken: bool,
}

/// What opening an existing journal found.
#[derive(Debug, Clone, PartialEq)]
pub struct Recovery {
    pub meta: IncidentMeta,
    pub entries: Vec<Entry>,
    /// The unfinished end of the file, set aside and cut off.
    pub torn: Option<TornTail>,
    /// Lines in the middle that were not entries: `(line number, why)`.
    pub skipped: Vec<(usize, String)>,
}

/// A torn last line, moved out of the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornTail {
    pub bytes: usize,
    /// `<id>.jsonl.torn-<unix time>`: the bytes, for whoever wants to look.
    pub set_aside: PathBuf,
}

/// A journal read without opening it for writing (for export and listing,
/// also while another warroom writes it): nothing is set aside or cut.
#[derive(Debug, Clone, PartialEq)]
pub struct Contents {
    pub meta: IncidentMeta,
    pub entries: Vec<Entry>,
    pub skipped: Vec<(usize, String)>,
    /// Bytes at the end that do not (yet) make a complete entry.
    pub torn_bytes: usize,
}

/// One line of `warroom timeline list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentSummary {
    pub id: String,
    pub title: String,
    pub severity: String,
    /// When it was declared.
    pub started_at: Timestamp,
    /// When the impact began ([`IncidentMeta::began`]).
    pub began_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub time_zone: String,
    pub entries: usize,
    /// Not ended yet.
    pub open: bool,
}

/// A journal file [`list`] could not read.
#[derive(Debug)]
pub struct Unreadable {
    /// The file name without `.jsonl`.
    pub id: String,
    pub error: JournalError,
}

impl Journal {
    /// Creates the journal of a new incident in `dir` (made 0700 if it does
    /// not exist), its header on disk before this returns.
    pub fn create(dir: &Path, meta: IncidentMeta) -> Result<Journal, JournalError> {
        check_id(&meta.id)?;
        make_dir(dir)?;
        let path = journal_path(dir, &meta.id);
        if path.exists() {
            return Err(JournalError::Exists { path });
        }
        let header = entry::header_line(&meta).map_err(|e| JournalError::Encode {
            path: path.clone(),
            why: e.to_string(),
        })?;
        // Written complete under a name no one reads, then linked into place.
        static CREATING: AtomicU64 = AtomicU64::new(0);
        let temp = dir.join(format!(
            ".{}.jsonl.new-{}-{}",
            meta.id,
            std::process::id(),
            CREATING.fetch_add(1, Ordering::Relaxed)
        ));
        let file = new_private_file(&temp)?;
        let written = lock(&file, &temp, &meta.id)
            .and_then(|()| {
                (&file)
                    .write_all(header.as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(|e| JournalError::io("write", &temp, e))
            })
            .and_then(|()| match std::fs::hard_link(&temp, &path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    Err(JournalError::Exists { path: path.clone() })
                }
                Err(e) => Err(JournalError::io("create", &path, e)),
            });
        let _ = std::fs::remove_file(&temp);
        written?;
        sync_dir(dir)?;
        Ok(Journal {
            file,
            path,
            meta,
            last_seq: 0,
            len: header.len() as u64,
            broken: false,
        })
    }

    /// Opens incident `id` in `dir` to append to it, recovering from a
    /// crash: a torn last line is set aside and cut off, and numbering
    /// continues after the last entry.
    pub fn open(dir: &Path, id: &str) -> Result<(Journal, Recovery), JournalError> {
        check_id(id)?;
        let path = journal_path(dir, id);
        let file = match OpenOptions::new().read(true).append(true).open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(JournalError::NotFound {
                    id: id.to_string(),
                    dir: dir.to_path_buf(),
                });
            }
            Err(e) => return Err(JournalError::io("open", &path, e)),
        };
        lock(&file, &path, id)?;
        let mut bytes = Vec::new();
        (&file)
            .read_to_end(&mut bytes)
            .map_err(|e| JournalError::io("read", &path, e))?;
        let parsed = parse(&bytes, &path)?;
        let torn = match bytes.get(parsed.good_len..) {
            Some(tail) if !tail.is_empty() => {
                let set_aside = set_aside(dir, id, tail)?;
                file.set_len(parsed.good_len as u64)
                    .and_then(|()| file.sync_all())
                    .map_err(|e| JournalError::io("cut the torn end off", &path, e))?;
                Some(TornTail {
                    bytes: tail.len(),
                    set_aside,
                })
            }
            _ => None,
        };
        let journal = Journal {
            file,
            path,
            meta: parsed.meta.clone(),
            last_seq: parsed.last_seq,
            len: parsed.good_len as u64,
            broken: false,
        };
        let recovery = Recovery {
            meta: parsed.meta,
            entries: parsed.entries,
            torn,
            skipped: parsed.skipped,
        };
        Ok((journal, recovery))
    }

    /// Appends `entry` as the next `seq` and returns it numbered, once it
    /// is on disk (written and `sync_data`'d). On an error nothing was
    /// recorded and the entry may be appended again.
    pub fn append(&mut self, mut entry: Entry) -> Result<Entry, JournalError> {
        if self.broken {
            return Err(JournalError::Broken {
                path: self.path.clone(),
            });
        }
        let Some(seq) = self.last_seq.checked_add(1) else {
            return Err(JournalError::Encode {
                path: self.path.clone(),
                why: "its entry numbers are used up".to_string(),
            });
        };
        entry.seq = seq;
        let line = entry::entry_line(&entry).map_err(|e| JournalError::Encode {
            path: self.path.clone(),
            why: e.to_string(),
        })?;
        if line.len() > MAX_LINE {
            return Err(JournalError::TooLong {
                path: self.path.clone(),
                bytes: line.len(),
                max: MAX_LINE,
            });
        }
        let written = (&self.file)
            .write_all(line.as_bytes())
            .and_then(|()| self.file.sync_data());
        if let Err(e) = written {
            // Cut off whatever part of the line got out, so the next append
            // does not follow a fragment.
            let undone = self
                .file
                .set_len(self.len)
                .and_then(|()| self.file.sync_data());
            self.broken = undone.is_err();
            return Err(JournalError::io("write to", &self.path, e));
        }
        self.len += line.len() as u64;
        self.last_seq = entry.seq;
        Ok(entry)
    }

    pub fn meta(&self) -> &IncidentMeta {
        &self.meta
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The `seq` of the last entry on disk (0 before the first).
    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }
}

/// Reads incident `id` without locking or changing it.
pub fn read(dir: &Path, id: &str) -> Result<Contents, JournalError> {
    check_id(id)?;
    let path = journal_path(dir, id);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(JournalError::NotFound {
                id: id.to_string(),
                dir: dir.to_path_buf(),
            });
        }
        Err(e) => return Err(JournalError::io("read", &path, e)),
    };
    let parsed = parse(&bytes, &path)?;
    Ok(Contents {
        torn_bytes: bytes.len().saturating_sub(parsed.good_len),
        meta: parsed.meta,
        entries: parsed.entries,
        skipped: parsed.skipped,
    })
}

/// Every incident in `dir`, newest first, then the files that could not be
/// read (each with why). A missing `dir` has no incidents; an unreadable
/// one is the error.
pub fn list(dir: &Path) -> Result<Vec<Result<IncidentSummary, Unreadable>>, JournalError> {
    let read_dir = match std::fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(JournalError::io("read the directory", dir, e)),
    };
    let mut found = Vec::new();
    let mut unreadable = Vec::new();
    for item in read_dir {
        let item = match item {
            Ok(i) => i,
            Err(e) => return Err(JournalError::io("read the directory", dir, e)),
        };
        let name = item.file_name();
        let Some(id) = name.to_str().and_then(|n| n.strip_suffix(".jsonl")) else {
            continue;
        };
        if id.starts_with('.') {
            continue;
        }
        match read(dir, id) {
            Ok(c) => {
                let ended_at = entry::ended_at(&c.entries);
                found.push(IncidentSummary {
                    id: id.to_string(),
                    began_at: c.meta.began(),
                    title: c.meta.title,
                    severity: c.meta.severity,
                    started_at: c.meta.started_at,
                    ended_at,
                    time_zone: c.meta.time_zone,
                    entries: c.entries.len(),
                    open: ended_at.is_none(),
                });
            }
            Err(error) => unreadable.push(Unreadable {
                id: id.to_string(),
                error,
            }),
        }
    }
    found.sort_by(|a, b| b.began_at.cmp(&a.began_at).then(a.id.cmp(&b.id)));
    unreadable.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(found
        .into_iter()
        .map(Ok)
        .chain(unreadable.into_iter().map(Err))
        .collect())
}

/// `2026-11-22-1405-checkout-not-ready`: the start in the incident's zone
/// and the title made safe for a file name. [`Journal::create`] refuses a
/// name that is taken; [`unique_id`] finds a free one.
pub fn incident_id(started_at: Timestamp, time_zone: &str, title: &str) -> String {
    let tz = zone::load(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let when = started_at
        .to_zoned(tz)
        .strftime("%Y-%m-%d-%H%M")
        .to_string();
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 48 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        format!("{when}-incident")
    } else {
        format!("{when}-{slug}")
    }
}

/// `id`, or `id-2`, `id-3`… the first with no journal in `dir` yet.
pub fn unique_id(dir: &Path, id: &str) -> String {
    (1..)
        .map(|n| {
            if n == 1 {
                id.to_string()
            } else {
                format!("{id}-{n}")
            }
        })
        .find(|candidate| !journal_path(dir, candidate).exists())
        .unwrap_or_else(|| id.to_string())
}

fn journal_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.jsonl"))
}

/// An id is a file name: letters, digits, `.`, `_`, `-`; not hidden.
fn check_id(id: &str) -> Result<(), JournalError> {
    let fine = !id.is_empty()
        && id.len() <= 200
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if fine {
        Ok(())
    } else {
        Err(JournalError::BadId { id: id.to_string() })
    }
}

fn parse(bytes: &[u8], path: &Path) -> Result<Parsed, JournalError> {
    entry::parse(bytes).map_err(|p| JournalError::NotAJournal {
        path: path.to_path_buf(),
        why: p.0,
    })
}

fn make_dir(dir: &Path) -> Result<(), JournalError> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| JournalError::io("create the directory", dir, e))
}

/// A file that must not exist yet, readable by its owner only.
fn new_private_file(path: &Path) -> Result<File, JournalError> {
    let mut options = OpenOptions::new();
    options.read(true).append(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            JournalError::Exists {
                path: path.to_path_buf(),
            }
        } else {
            JournalError::io("create", path, e)
        }
    })
}

/// Copies a torn tail to `<id>.jsonl.torn-<unix time>` (`-2`, `-3`… when
/// recoveries fall in the same second), synced before the journal is cut.
fn set_aside(dir: &Path, id: &str, tail: &[u8]) -> Result<PathBuf, JournalError> {
    let stamp = Timestamp::now().as_second();
    let mut n = 1;
    let (path, file) = loop {
        let name = if n == 1 {
            format!("{id}.jsonl.torn-{stamp}")
        } else {
            format!("{id}.jsonl.torn-{stamp}-{n}")
        };
        let path = dir.join(name);
        match new_private_file(&path) {
            Ok(f) => break (path, f),
            Err(JournalError::Exists { .. }) if n < 10_000 => n += 1,
            Err(e) => return Err(e),
        }
    };
    (&file)
        .write_all(tail)
        .and_then(|()| file.sync_all())
        .map_err(|e| JournalError::io("write", &path, e))?;
    sync_dir(dir)?;
    Ok(path)
}

/// Makes a new name in `dir` durable (the file's own sync does not).
fn sync_dir(dir: &Path) -> Result<(), JournalError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| JournalError::io("sync the directory", dir, e))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Takes the exclusive lock, or says who holds it.
fn lock(file: &File, path: &Path, id: &str) -> Result<(), JournalError> {
    match try_lock(file) {
        Ok(()) => Ok(()),
        Err(TryLockError::WouldBlock) => Err(JournalError::Locked {
            id: id.to_string(),
            path: path.to_path_buf(),
            holder: super::error::lock_holder(file),
        }),
        Err(TryLockError::Error(e)) => Err(JournalError::io("lock", path, e)),
    }
}

/// `File::try_lock` is `flock(fd, LOCK_EX | LOCK_NB)` on Linux, macOS and
/// the BSDs: an exclusive lock on the open file, released when the file is
/// closed (so also when the process dies). Where std has no advisory lock
/// (a few other Unixes), there is none, as off Unix.
#[cfg(unix)]
fn try_lock(file: &File) -> Result<(), TryLockError> {
    match file.try_lock() {
        Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => Ok(()),
        other => other,
    }
}

/// No advisory lock off Unix (Windows' lock is mandatory and would keep
/// readers out): two warrooms on one incident are not stopped.
#[cfg(not(unix))]
fn try_lock(_file: &File) -> Result<(), TryLockError> {
    Ok(())
}

#[cfg(test)]
mod tests;
