//! The incident journal: what happened during an incident, written down as
//! it happens so the post-mortem does not depend on memory.
//!
//! - [`entry`]: the data ([`IncidentMeta`], [`Entry`]) and its JSON-lines form.
//! - [`journal`]: the file on disk — durable appends, crash recovery, the
//!   lock that keeps two warrooms from writing one incident, listing.
//! - [`export`]: Markdown (a post-mortem draft) and JSON, secrets redacted.
//! - [`repeats`]: entries that say the same thing again, folded into one
//!   counted line (the export and the timeline pane; data, no I/O).
//! - [`cli`]: what `warroom timeline …` prints and writes.
//!
//! The console records through [`Journal::append`], which returns once the
//! entry is on disk; that return is the acknowledgement to show the user.
//! It waits for `fsync` (milliseconds on a busy disk), so it belongs in a
//! blocking task or a writer thread ([`writer`]) that answers with a
//! [`JournalEvent`], never in
//! `update` or `draw`. [`Entry::from_action`] and [`Entry::from_alert`] turn
//! the console's action records and alert transitions into entries.

pub mod cli;
pub mod entry;
mod error;
pub mod export;
pub mod journal;
pub mod repeats;

pub mod writer;
pub mod zone;

pub use entry::{Entry, EntryKind, IncidentMeta, ObjectRef};
pub use error::JournalError;
pub use export::ExportFormat;
pub use journal::{
    Contents, IncidentSummary, Journal, MAX_LINE, Recovery, TornTail, Unreadable, incident_id,
    incidents_dir, list, read, unique_id,
};
pub use writer::{JournalEvent, JournalWriter};
