//! One list cursor for every list on screen: the views' tables and the
//! panes' lists (revisions, changes, timeline entries). The same keys move
//! it the same way everywhere.

use crate::keys::Action;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    /// Index of the selected item.
    pub selected: usize,
    /// Index of the first item on screen (kept by the tables, whose page
    /// keys move by what is visible).
    pub offset: usize,
}

impl Cursor {
    /// The selected item of `rows`, clamped to the last one (a list that
    /// shrank under the cursor still shows, and acts on, its last row).
    pub fn pick<T>(self, rows: &[T]) -> Option<&T> {
        rows.get(self.selected.min(rows.len().saturating_sub(1)))
    }

    /// Moves for a navigation action among `len` items, `page` items per
    /// page; `false` (nothing moved) for any other action.
    pub fn step(&mut self, action: Action, len: usize, page: usize) -> bool {
        let last = len.saturating_sub(1);
        let target = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => (self.selected + 1).min(last),
            Action::PageUp => self.selected.saturating_sub(page),
            Action::PageDown => (self.selected + page).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return false,
        };
        self.select(target, page);
        true
    }

    /// Selects `index`, scrolling so that it is among the `page` items on
    /// screen.
    pub fn select(&mut self, index: usize, page: usize) {
        self.selected = index;
        let page = page.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
    }

    /// Selects by position counted from the oldest of `len` items shown
    /// newest first (a click on a list drawn oldest at the top). `false`
    /// when there is no such item or it was already selected.
    pub fn select_from_oldest(&mut self, from_oldest: usize, len: usize) -> bool {
        if from_oldest >= len || len - 1 - from_oldest == self.selected {
            return false;
        }
        self.selected = len - 1 - from_oldest;
        true
    }

    /// Puts the cursor on `index` if the item is still there, else keeps
    /// the position within the `len` items now shown.
    pub fn settle(&mut self, index: Option<usize>, len: usize) {
        self.selected = match index {
            Some(i) => i,
            None => self.selected.min(len.saturating_sub(1)),
        };
        if self.offset > self.selected {
            self.offset = self.selected;
        }
    }
}

#[cfg(test)]
mod tests;
