//! Semantic colour slots. Passed in, never global.

/// The console's colours by meaning (issue 8 loads them from `themes/*.toml`).
#[derive(Debug, Clone)]
pub struct Theme {}

impl Default for Theme {
    fn default() -> Theme {
        Theme {}
    }
}
