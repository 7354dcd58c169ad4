//! The reducer.

use super::{Effect, Msg, State};

/// Applies a Msg to the State; returns what the runtime should do.
pub fn update(_state: &mut State, _msg: Msg) -> Vec<Effect> {
    todo!("reducer")
}
