//! The log file: private (0600 in a 0700 directory), rotated by size, and
//! written one whole record at a time, each with its secrets redacted and
//! its control characters escaped.
//!
//! Rotation: before a record would take `warroom.log` past the limit, the
//! file becomes `warroom.log.1`, `.1` becomes `.2`, and so on; the oldest
//! beyond `keep` is removed. The log never holds more than
//! `(keep + 1) × limit` bytes. Several warrooms may share one data
//! directory (a console and `sim serve`): each checks the file's real size
//! before writing, and one that finds its file already rotated by another
//! reopens the new one instead of rotating again.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use tracing_subscriber::fmt::MakeWriter;

use crate::model::redact::redact;
use crate::model::sanitize::sanitize_lines;

/// The longest record written, in bytes. kube quotes a whole API answer in
/// some of its warnings (a list of 10,000 pods is megabytes); the start of
/// it says enough.
pub const MAX_RECORD: usize = 64 << 10;

/// A size-rotated log file.
pub struct Rotating {
    path: PathBuf,
    limit: u64,
    keep: usize,
    /// `None` after a failed write: the next record opens the path again.
    file: Option<File>,
    /// Records that could not be written since the last one that was.
    lost: u64,
}

impl Rotating {
    /// Opens (or creates) `path` for appending; rotates at `limit` bytes,
    /// keeping `keep` (at least one) older files.
    pub fn open(path: &Path, limit: u64, keep: usize) -> io::Result<Rotating> {
        let file = open_private(path)?;
        Ok(Rotating {
            path: path.to_path_buf(),
            limit,
            keep: keep.max(1),
            file: Some(file),
            lost: 0,
        })
    }

    /// Appends one record; a failure is counted, and said in the log once
    /// a record can be written again.
    pub fn append(&mut self, record: &[u8]) {
        if self.lost > 0 {
            let note = format!(
                "(warroom: {} diagnostics record(s) could not be written)\n",
                self.lost
            );
            if self.write(note.as_bytes()).is_err() {
                self.lost += 1;
                return;
            }
            self.lost = 0;
        }
        if self.write(record).is_err() {
            self.lost += 1;
            self.file = None;
        }
    }

    fn write(&mut self, record: &[u8]) -> io::Result<()> {
        let size = self.current()?.metadata()?.len();
        if size > 0 && size + record.len() as u64 > self.limit {
            self.rotate()?;
        }
        self.current()?.write_all(record)
    }

    /// The open file, opened again if a write failed.
    fn current(&mut self) -> io::Result<&mut File> {
        let file = match self.file.take() {
            Some(file) => file,
            None => open_private(&self.path)?,
        };
        Ok(self.file.insert(file))
    }

    /// Moves the full file aside (unless another process already did) and
    /// opens a new one at the path.
    fn rotate(&mut self) -> io::Result<()> {
        let ours = self.file.take();
        let still_at_path = match (ours, fs::metadata(&self.path)) {
            (Some(file), Ok(at_path)) => same_file(&file.metadata()?, &at_path),
            _ => false,
        };
        if still_at_path {
            let _ = fs::remove_file(numbered(&self.path, self.keep));
            for n in (1..self.keep).rev() {
                match fs::rename(numbered(&self.path, n), numbered(&self.path, n + 1)) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
            }
            fs::rename(&self.path, numbered(&self.path, 1))?;
        }
        self.file = Some(open_private(&self.path)?);
        Ok(())
    }
}

/// `warroom.log.3`.
pub fn numbered(path: &Path, n: usize) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(format!(".{n}"));
    PathBuf::from(name)
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Without inode numbers, the file at the path is taken to be ours.
#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
}

/// Opens `path` for appending, created 0600; an existing file is made 0600
/// too when it is ours to change.
fn open_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        if file.metadata()?.permissions().mode() & 0o777 != 0o600 {
            let _ = file.set_permissions(fs::Permissions::from_mode(0o600));
        }
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

/// Creates `dir` (and its parents) 0700; an existing one is made 0700 too
/// when it is ours to change.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        builder.mode(0o700);
        builder.create(dir)?;
        if fs::metadata(dir)?.permissions().mode() & 0o777 != 0o700 {
            let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
        }
        Ok(())
    }
    #[cfg(not(unix))]
    builder.create(dir)
}

/// A record as it is written: secrets redacted, control characters
/// escaped (the log is read on a terminal, and what the cluster sent is
/// in it), cut at [`MAX_RECORD`], one `\n` at the end.
pub fn clean(record: &str) -> String {
    let redacted = redact(record.trim_end_matches('\n'));
    let mut out = String::with_capacity(redacted.len() + 1);
    for (i, line) in sanitize_lines(&redacted).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&line);
    }
    if out.len() > MAX_RECORD {
        let mut cut = MAX_RECORD;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        let dropped = out.len() - cut;
        out.truncate(cut);
        out.push_str(&format!("… ({dropped} bytes cut)"));
    }
    out.push('\n');
    out
}

/// What the formatter writes to: one [`Record`] per event.
#[derive(Clone)]
pub struct LogFile(Arc<Mutex<Rotating>>);

impl LogFile {
    pub fn new(file: Rotating) -> LogFile {
        LogFile(Arc::new(Mutex::new(file)))
    }
}

impl<'a> MakeWriter<'a> for LogFile {
    type Writer = Record<'a>;

    fn make_writer(&'a self) -> Record<'a> {
        Record {
            file: &self.0,
            bytes: Vec::new(),
        }
    }
}

/// One event's text, gathered, then cleaned and written whole when the
/// formatter is done with it: redaction sees the record entire, and
/// records of different threads never interleave.
pub struct Record<'a> {
    file: &'a Mutex<Rotating>,
    bytes: Vec<u8>,
}

impl Write for Record<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.bytes.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Record<'_> {
    fn drop(&mut self) {
        if self.bytes.is_empty() {
            return;
        }
        let line = clean(&String::from_utf8_lossy(&self.bytes));
        self.file
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .append(line.as_bytes());
    }
}

#[cfg(test)]
mod tests;
