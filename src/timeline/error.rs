//! What can go wrong with a journal, each said as one sentence that names
//! the file.

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum JournalError {
    /// The file system said no: `action` is what was being done to `path`.
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// An incident with this id already has a journal.
    Exists {
        path: PathBuf,
    },
    NotFound {
        id: String,
        dir: PathBuf,
    },
    /// Another warroom (or another handle in this one) has it open.
    Locked {
        id: String,
        path: PathBuf,
        /// The process holding the lock, when the system tells (Linux's
        /// `/proc/locks`).
        holder: Option<u32>,
    },
    /// Not a name a journal can have.
    BadId {
        id: String,
    },
    /// The file has no usable incident header.
    NotAJournal {
        path: PathBuf,
        why: String,
    },
    /// The entry would make a line longer than the journal allows.
    TooLong {
        path: PathBuf,
        bytes: usize,
        max: usize,
    },
    /// An earlier write failed and could not be cut off again.
    Broken {
        path: PathBuf,
    },
    /// The entry could not be written as JSON.
    Encode {
        path: PathBuf,
        why: String,
    },
}

impl JournalError {
    pub(crate) fn io(action: &'static str, path: &Path, source: std::io::Error) -> JournalError {
        JournalError::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

impl fmt::Display for JournalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JournalError::Io {
                action,
                path,
                source,
            } => write!(f, "cannot {action} {}: {source}", path.display()),
            JournalError::Exists { path } => {
                write!(
                    f,
                    "an incident journal already exists at {}",
                    path.display()
                )
            }
            JournalError::NotFound { id, dir } => write!(
                f,
                "there is no incident {id} in {} (`warroom timeline list` shows them)",
                dir.display()
            ),
            JournalError::Locked { id, path, holder } => {
                write!(f, "incident {id} is open in another warroom")?;
                match holder {
                    Some(pid) if *pid == std::process::id() => write!(f, " (this process)")?,
                    Some(pid) => write!(f, " (pid {pid})")?,
                    None => {}
                }
                write!(f, ", which holds the lock on {}", path.display())
            }
            JournalError::BadId { id } => write!(
                f,
                "{id:?} is not an incident id: use letters, digits, '.', '_' and '-', not starting with '.'"
            ),
            JournalError::NotAJournal { path, why } => {
                write!(f, "{} is not an incident journal: {why}", path.display())
            }
            JournalError::TooLong { path, bytes, max } => write!(
                f,
                "the entry takes {bytes} bytes, more than the {max} a line of {} may hold: shorten it",
                path.display()
            ),
            JournalError::Broken { path } => write!(
                f,
                "{} takes no more entries: a write failed and could not be undone; open the incident again",
                path.display()
            ),
            JournalError::Encode { path, why } => {
                write!(f, "cannot write an entry to {}: {why}", path.display())
            }
        }
    }
}

impl std::error::Error for JournalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JournalError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The process holding an flock on `file`, read from `/proc/locks` (lines
/// like `1: FLOCK  ADVISORY  WRITE 4242 08:01:1234567 0 EOF`, the device as
/// hex major:minor and the inode in decimal). `None` where there is no such
/// file or no line matches.
#[cfg(target_os = "linux")]
pub(crate) fn lock_holder(file: &File) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    let meta = file.metadata().ok()?;
    let (major, minor) = (libc::major(meta.dev()), libc::minor(meta.dev()));
    let want = format!("{major:02x}:{minor:02x}:{}", meta.ino());
    let locks = std::fs::read_to_string("/proc/locks").ok()?;
    locks
        .lines()
        // Waiters are listed as `1: -> FLOCK …`; only holders count.
        .filter(|line| !line.contains("->"))
        .find_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let at = fields.iter().position(|f| *f == want)?;
            fields.get(at.checked_sub(1)?)?.parse().ok()
        })
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn lock_holder(_file: &File) -> Option<u32> {
    None
}
