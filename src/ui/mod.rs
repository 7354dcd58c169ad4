//! Pure draw functions, one file per pane. Filled by the live-view issue.
