//! The console's journal writer: one thread owns the open [`Journal`],
//! writes what the reducer hands it in order, and answers with
//! [`JournalEvent::Saved`] once each batch is on disk (fsync'd). A blocking
//! fsync never stalls the event loop.

use std::path::{Path, PathBuf};
use std::sync::mpsc as std_mpsc;

use tokio::sync::mpsc;

use super::{Entry, IncidentMeta, Journal};

/// What the writer reports back.
#[derive(Debug, Clone)]
pub enum JournalEvent {
    /// These entries are written and fsync'd (seq assigned).
    Saved(Vec<Entry>),
    /// The journal could not write (or open, or create).
    Failed(String),
    /// The journal of a new incident exists (its id may have been made
    /// unique on disk).
    Created(IncidentMeta),
    /// An incident's journal read back (`report`: what recovery found).
    Resumed {
        meta: IncidentMeta,
        entries: Vec<Entry>,
        report: Vec<String>,
    },
}

enum Command {
    Start {
        // Boxed: the header is far larger than the other commands.
        meta: Box<IncidentMeta>,
        entries: Vec<Entry>,
    },
    Resume {
        id: String,
    },
    Append(Vec<Entry>),
    Close,
}

/// A handle on the writer thread; dropping it ends the thread after what
/// it was given is written.
pub struct JournalWriter {
    tx: std_mpsc::Sender<Command>,
}

impl JournalWriter {
    /// Starts the writer for incidents in `dir`, answering on `reply`.
    pub fn spawn(dir: PathBuf, reply: mpsc::Sender<JournalEvent>) -> JournalWriter {
        let (tx, rx) = std_mpsc::channel::<Command>();
        std::thread::Builder::new()
            .name("warroom-journal".into())
            .spawn(move || run(&dir, rx, reply))
            .map(|_| ())
            .unwrap_or_else(|e| eprintln!("warroom: cannot start the journal writer: {e}"));
        JournalWriter { tx }
    }

    pub fn start(&self, meta: IncidentMeta, entries: Vec<Entry>) {
        let _ = self.tx.send(Command::Start {
            meta: Box::new(meta),
            entries,
        });
    }

    /// Opens an existing incident's journal (`--incident ID`).
    pub fn resume(&self, id: String) {
        let _ = self.tx.send(Command::Resume { id });
    }

    pub fn append(&self, entries: Vec<Entry>) {
        let _ = self.tx.send(Command::Append(entries));
    }

    pub fn close(&self) {
        let _ = self.tx.send(Command::Close);
    }
}

fn run(dir: &Path, rx: std_mpsc::Receiver<Command>, reply: mpsc::Sender<JournalEvent>) {
    let send = |event: JournalEvent| {
        let _ = reply.blocking_send(event);
    };
    let mut journal: Option<Journal> = None;
    for command in rx {
        match command {
            Command::Start { mut meta, entries } => {
                meta.id = super::unique_id(dir, &meta.id);
                match Journal::create(dir, *meta) {
                    Ok(j) => {
                        send(JournalEvent::Created(j.meta().clone()));
                        journal = Some(j);
                        write(&mut journal, entries, &send);
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "cannot create the incident journal");
                        send(JournalEvent::Failed(e.to_string()));
                    }
                }
            }
            Command::Resume { id } => match Journal::open(dir, &id) {
                Ok((j, recovery)) => {
                    let mut report = Vec::new();
                    if let Some(t) = &recovery.torn {
                        report.push(format!(
                            "incident {id}: an unfinished last line ({} bytes) was set aside in {}",
                            t.bytes,
                            t.set_aside.display()
                        ));
                    }
                    for (line, why) in &recovery.skipped {
                        report.push(format!("incident {id}: line {line} skipped: {why}"));
                    }
                    for line in &report {
                        tracing::warn!("{line}");
                    }
                    journal = Some(j);
                    send(JournalEvent::Resumed {
                        meta: recovery.meta,
                        entries: recovery.entries,
                        report,
                    });
                }
                Err(e) => {
                    tracing::error!(%id, error = %e, "cannot open the incident journal");
                    send(JournalEvent::Failed(e.to_string()));
                }
            },
            Command::Append(entries) => write(&mut journal, entries, &send),
            Command::Close => journal = None,
        }
    }
}

/// Writes `entries` in order; what was acknowledged is reported even when
/// a later one fails.
fn write(journal: &mut Option<Journal>, entries: Vec<Entry>, send: &impl Fn(JournalEvent)) {
    let Some(j) = journal.as_mut() else {
        send(JournalEvent::Failed("no incident journal is open".into()));
        return;
    };
    let mut saved = Vec::with_capacity(entries.len());
    for e in entries {
        match j.append(e) {
            Ok(e) => saved.push(e),
            Err(err) => {
                tracing::error!(error = %err, saved = saved.len(), "journal write failed");
                if !saved.is_empty() {
                    send(JournalEvent::Saved(std::mem::take(&mut saved)));
                }
                send(JournalEvent::Failed(err.to_string()));
                return;
            }
        }
    }
    send(JournalEvent::Saved(saved));
}
