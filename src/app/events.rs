//! The wiring: each I/O module speaks its own events, and only here do they
//! become the reducer's [`Msg`]s.

use crate::alerts::FeedEvent;
use crate::cluster::Update;
use crate::state::Msg;
use crate::timeline::JournalEvent;
use crate::ui::Drawn;

impl From<Update> for Msg {
    fn from(update: Update) -> Msg {
        match update {
            Update::Watch { generation, change } => Msg::Cluster { generation, change },
            Update::Logs { session, event } => Msg::Logs { session, event },
        }
    }
}

impl From<FeedEvent> for Msg {
    fn from(event: FeedEvent) -> Msg {
        Msg::AlertsPolled {
            feed: event.feed,
            at: event.at,
            report: event.report,
        }
    }
}

impl From<JournalEvent> for Msg {
    fn from(event: JournalEvent) -> Msg {
        match event {
            JournalEvent::Saved(entries) => Msg::JournalSaved(entries),
            JournalEvent::Failed(error) => Msg::JournalFailed(error),
            JournalEvent::Created(meta) => Msg::IncidentCreated(meta),
            JournalEvent::Resumed {
                meta,
                entries,
                report,
            } => Msg::IncidentResumed {
                meta,
                entries,
                report,
            },
        }
    }
}

/// What a draw laid out, for the reducer's page keys and clicks.
impl From<Drawn> for Msg {
    fn from(drawn: Drawn) -> Msg {
        Msg::Drawn {
            table_rows: drawn.table_rows,
            layout: drawn.layout,
            detail_scroll_max: drawn.detail_scroll_max,
        }
    }
}
