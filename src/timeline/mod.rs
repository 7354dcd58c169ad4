//! The incident journal: append-only, fsync'd JSONL, recovery and export.
//! Filled by the timeline issue.
