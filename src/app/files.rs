//! What the console writes to disk besides the journal: saved logs and
//! exported post-mortems. Run on blocking tasks by the executor.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::timeline::{Entry, IncidentMeta};

/// Writes a saved buffer to a new file (never over an existing one), 0600.
pub(super) fn save(path: &Path, text: &str) -> Result<usize, String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(text.lines().count())
}

/// Writes the incident's Markdown next to its journal, in `exports/`
/// (0600; a later export of the same incident replaces it).
pub(super) fn export_incident(meta: &IncidentMeta, entries: &[Entry]) -> Result<PathBuf, String> {
    let dir = crate::timeline::cli::incidents_dir()?
        .parent()
        .map(|d| d.join("exports"))
        .ok_or("no data directory")?;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(&dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join(format!("{}.md", meta.id));
    crate::timeline::cli::write_file(
        &path,
        &crate::timeline::export::markdown(meta, entries),
        true,
    )?;
    Ok(path)
}
