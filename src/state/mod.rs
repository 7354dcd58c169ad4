//! State, Msg, Action and Effect, and the pure `update` reducer (see
//! ../shared/DESIGN.md). Filled by the live-view issue.
