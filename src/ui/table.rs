//! The tables of the main screen, drawn from the visible rows only.
//!
//! Views build rows for the window `offset .. offset + height` and nothing
//! else, so a table of 10,000 pods costs what its 40 visible rows cost.
//! Column widths come from those visible rows. When the screen is narrow,
//! long free text (MESSAGE, IMAGES) gives width back first, then optional
//! columns are dropped by rank, then what identifies a row (NAME, STATUS) is
//! cut with `…`; whatever still does not fit is cut at the edge.

use std::borrow::Cow;
use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use super::text::{truncate_line, width};
use crate::config::theme::Theme;
use crate::model::cluster::{Resource, WatchHealth};
use crate::state::{Cursor, State};

/// Space between columns.
const GAP: usize = 1;

/// When a column gives up width on a narrow screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shrink {
    /// Never; it may only be dropped (if optional) or cut at the edge.
    Never,
    /// Before any column is dropped (free text: messages, images).
    First,
    /// Only when no optional column is left to drop (names, statuses).
    Last,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub title: Cow<'static, str>,
    pub shrink: Shrink,
    /// Narrowest a shrinking column gets.
    pub min: usize,
    /// 0: always shown. Otherwise dropped on narrow screens, highest first.
    pub drop: u8,
}

impl Column {
    pub fn new(title: impl Into<Cow<'static, str>>) -> Column {
        Column {
            title: title.into(),
            shrink: Shrink::Never,
            min: 0,
            drop: 0,
        }
    }

    /// Shrinks down to `min` cells before any column is dropped.
    pub fn shrinks_first(mut self, min: usize) -> Column {
        self.shrink = Shrink::First;
        self.min = min;
        self
    }

    /// Shrinks down to `min` cells once no optional column is left.
    pub fn shrinks_last(mut self, min: usize) -> Column {
        self.shrink = Shrink::Last;
        self.min = min;
        self
    }

    /// Dropped on narrow screens; higher ranks go first.
    pub fn optional(mut self, rank: u8) -> Column {
        self.drop = rank;
        self
    }

    /// A sort indicator after the title when this column is the sort column.
    pub fn sorted(mut self, sorted: Option<bool>) -> Column {
        if let Some(descending) = sorted {
            let arrow = if descending { "▼" } else { "▲" };
            self.title = format!("{}{arrow}", self.title).into();
        }
        self
    }
}

#[derive(Debug, Clone)]
pub enum Row<'a> {
    /// One line per column, and the row's style under them.
    Cells { cells: Vec<Line<'a>>, style: Style },
    /// A line across the whole table (group headings).
    Heading(Line<'a>),
}

#[derive(Debug, Clone)]
pub struct Table<'a> {
    pub columns: Vec<Column>,
    /// The visible rows only.
    pub rows: Vec<Row<'a>>,
    /// Index into `rows` of the selected row.
    pub selected: Option<usize>,
    /// Shown under the header when there are no rows.
    pub empty: Line<'a>,
}

impl Table<'_> {
    /// Draws the header line and the rows into `area`.
    pub fn render(&self, buf: &mut Buffer, area: Rect, theme: &Theme) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let natural: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                self.rows
                    .iter()
                    .filter_map(|r| match r {
                        Row::Cells { cells, .. } => cells.get(i).map(Line::width),
                        Row::Heading(_) => None,
                    })
                    .max()
                    .unwrap_or(0)
                    .max(width(&c.title))
            })
            .collect();
        let widths = layout(&self.columns, &natural, area.width as usize);

        let mut x = area.x;
        for (column, w) in self.columns.iter().zip(&widths) {
            if let Some(w) = *w {
                let title = Line::styled(column.title.as_ref(), theme.table_header);
                x = put(buf, x, area.y, area.right(), title, w);
            }
        }

        if self.rows.is_empty() {
            if area.height > 1 {
                put(
                    buf,
                    area.x,
                    area.y + 1,
                    area.right(),
                    self.empty.clone(),
                    area.width as usize,
                );
            }
            return;
        }
        for (i, row) in self.rows.iter().enumerate() {
            let Some(y) = area
                .y
                .checked_add(1 + i as u16)
                .filter(|y| *y < area.bottom())
            else {
                break;
            };
            let line_area = Rect::new(area.x, y, area.width, 1);
            let mut style = match row {
                Row::Cells { style, .. } => *style,
                Row::Heading(_) => theme.group_heading,
            };
            if self.selected == Some(i) {
                style = style.patch(theme.selection);
            }
            buf.set_style(line_area, style);
            match row {
                Row::Cells { cells, .. } => {
                    let mut x = area.x;
                    for (cell, w) in cells.iter().zip(&widths) {
                        if let Some(w) = *w {
                            x = put(buf, x, y, area.right(), cell.clone(), w);
                        }
                    }
                }
                Row::Heading(line) => {
                    put(
                        buf,
                        area.x,
                        y,
                        area.right(),
                        line.clone(),
                        area.width as usize,
                    );
                }
            }
        }
    }
}

/// Writes `line` cut to `w` cells (and to the right edge) at `x`; returns
/// where the next column starts.
fn put(buf: &mut Buffer, x: u16, y: u16, right: u16, line: Line<'_>, w: usize) -> u16 {
    let room = right.saturating_sub(x) as usize;
    let w = w.min(room);
    if w > 0 {
        buf.set_line(x, y, &truncate_line(line, w), w as u16);
    }
    x.saturating_add((w + GAP) as u16).min(right)
}

/// Widths of the shown columns (`None`: dropped) for `avail` cells.
fn layout(columns: &[Column], natural: &[usize], avail: usize) -> Vec<Option<usize>> {
    let needed = |shown: &[bool], w: &dyn Fn(usize) -> usize| {
        let (sum, count) = (0..columns.len())
            .filter(|&i| shown[i])
            .fold((0, 0usize), |(s, c), i| (s + w(i), c + 1));
        sum + GAP * count.saturating_sub(1)
    };
    let floor = |i: usize| natural[i].min(columns[i].min);
    let first_floor = |i: usize| match columns[i].shrink {
        Shrink::First => floor(i),
        _ => natural[i],
    };
    let mut shown = vec![true; columns.len()];
    while needed(&shown, &first_floor) > avail {
        let Some(i) = (0..columns.len())
            .filter(|&i| shown[i] && columns[i].drop > 0)
            .max_by_key(|&i| (columns[i].drop, i))
        else {
            break;
        };
        shown[i] = false;
    }
    // Dropping by rank may have freed more than needed: bring back the
    // most wanted dropped columns that fit in what is left.
    let mut dropped: Vec<usize> = (0..columns.len()).filter(|&i| !shown[i]).collect();
    dropped.sort_by_key(|&i| columns[i].drop);
    for i in dropped {
        shown[i] = true;
        if needed(&shown, &first_floor) > avail {
            shown[i] = false;
        }
    }
    let mut widths = natural.to_vec();
    let mut excess = needed(&shown, &|i| natural[i]).saturating_sub(avail);
    for pass in [Shrink::First, Shrink::Last] {
        for i in (0..columns.len()).filter(|&i| shown[i] && columns[i].shrink == pass) {
            let give = (widths[i] - floor(i)).min(excess);
            widths[i] -= give;
            excess -= give;
        }
    }
    shown
        .into_iter()
        .zip(widths)
        .map(|(s, w)| s.then_some(w))
        .collect()
}

/// One view's table: a frame with its title, the visible window of its
/// rows, and why it is empty when it is. Every view draws through this.
pub struct ViewTable<'a, 'r, T> {
    pub title: Line<'a>,
    pub rows: &'r [T],
    pub cursor: Cursor,
    pub columns: Vec<Column>,
    /// Whose watch decides "syncing…" when there are no rows.
    pub resource: Resource,
    /// "pods", "events"… for the empty line.
    pub noun: &'static str,
    /// A filter or toggle is hiding rows.
    pub filtered: bool,
}

/// A row of a view's table: an item the view lists, or a heading over
/// some (the alerts' severities, the pods' workloads), which `k of n` on
/// the frame does not count.
pub trait Listed {
    /// Whether the table can hold headings at all (else nothing is scanned).
    const HEADINGS: bool = false;
    fn is_heading(&self) -> bool {
        false
    }
}

impl Listed for String {}
impl Listed for crate::model::ObjectKey {}
impl Listed
    for (
        crate::model::workload::WorkloadKind,
        crate::model::ObjectKey,
    )
{
}

impl Listed for crate::state::PodRow {
    const HEADINGS: bool = true;
    fn is_heading(&self) -> bool {
        matches!(self, crate::state::PodRow::Group { .. })
    }
}

impl Listed for crate::state::alerts::AlertRow {
    const HEADINGS: bool = true;
    fn is_heading(&self) -> bool {
        matches!(self, crate::state::alerts::AlertRow::Heading(..))
    }
}

/// `12 of 340` for the bottom of the frame: the selected item among the
/// items, headings not counted; on a heading, how many items there are.
fn position<T: Listed>(rows: &[T], selected: usize, noun: &str) -> Option<String> {
    let selected = selected.min(rows.len().checked_sub(1)?);
    if !T::HEADINGS {
        return Some(format!(" {} of {} ", selected + 1, rows.len()));
    }
    let items = rows.iter().filter(|r| !r.is_heading()).count();
    if rows[selected].is_heading() {
        return Some(format!(" {items} {noun} "));
    }
    let before = rows[..selected].iter().filter(|r| !r.is_heading()).count();
    Some(format!(" {} of {items} ", before + 1))
}

impl<'a, 'r, T: Listed> ViewTable<'a, 'r, T> {
    /// Draws the frame and only the visible rows, each made by `row`;
    /// returns the index of the first row on screen (for the mouse).
    #[allow(clippy::too_many_arguments)]
    pub fn render(
        self,
        buf: &mut Buffer,
        area: Rect,
        state: &State,
        theme: &Theme,
        focused: bool,
        row: impl FnMut(&'r T) -> Row<'a>,
    ) -> usize {
        use ratatui::widgets::Widget;
        let block = block(
            self.title,
            position(self.rows, self.cursor.selected, self.noun),
            focused,
            theme,
        );
        let inner = block.inner(area);
        block.render(area, buf);
        let range = window(
            self.cursor,
            self.rows.len(),
            inner.height.saturating_sub(1) as usize,
        );
        let rows = self.rows[range.clone()].iter().map(row).collect();
        Table {
            columns: self.columns,
            rows,
            selected: selected_in(self.cursor, &range),
            empty: empty_line(state, self.resource, self.noun, self.filtered, theme),
        }
        .render(buf, inner, theme);
        range.start
    }
}

/// The end of a view's title: the filter text and the toggles that are on.
pub fn title_filters<'a>(
    spans: &mut Vec<Span<'a>>,
    filter: &'a str,
    toggles: &[(bool, &'static str)],
    theme: &Theme,
) {
    if !filter.is_empty() {
        spans.push(sep(theme));
        spans.push(Span::styled("/", theme.hint_key));
        spans.push(super::text::span(filter, theme.hint_key));
    }
    for (on, label) in toggles {
        if *on {
            spans.push(sep(theme));
            spans.push(Span::styled(*label, theme.status_warn));
        }
    }
    spans.push(Span::raw(" "));
}

/// The frame around a table: its title, `12 of 340` on the bottom border,
/// and the focused border colour when it takes the keys.
pub fn block<'a>(
    title: Line<'a>,
    position: Option<String>,
    focused: bool,
    theme: &Theme,
) -> Block<'a> {
    let border = if focused {
        theme.border_focused
    } else {
        theme.border
    };
    let mut block = Block::bordered().border_style(border).title(title);
    if let Some(position) = position {
        block = block.title_bottom(Line::styled(position, theme.dim).right_aligned());
    }
    block
}

/// The frame of a pane over the main area (history, what changed, the
/// incident): `title` cut to fit, the focused border; returns the inside.
pub fn pane_frame(buf: &mut Buffer, area: Rect, mut title: Vec<Span<'_>>, theme: &Theme) -> Rect {
    use ratatui::widgets::Widget;
    title.push(Span::raw(" "));
    let block = Block::bordered()
        .border_style(theme.border_focused)
        .title(truncate_line(
            Line::from(title),
            area.width.saturating_sub(2) as usize,
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// ` · ` between parts of a title.
pub fn sep<'a>(theme: &Theme) -> Span<'a> {
    Span::styled(" · ", theme.dim)
}

/// Why the table is empty, for the line under the header.
pub fn empty_line<'a>(
    state: &State,
    resource: Resource,
    what: &str,
    filtered: bool,
    theme: &Theme,
) -> Line<'a> {
    let text = match state.cluster.watches.get(&resource) {
        Some(WatchHealth::Syncing) => format!(" syncing {what}…"),
        _ if filtered => format!(" no {what} match the filter"),
        _ => format!(" no {what}"),
    };
    Line::styled(text, theme.dim)
}

/// The selected row, clamped like [`window`] clamps it, so the detail pane
/// shows the row the table highlights.
pub fn selected<T>(rows: &[T], cursor: Cursor) -> Option<&T> {
    rows.get(cursor.selected.min(rows.len().saturating_sub(1)))
}

/// Index of the selected row within the visible `range`.
pub fn selected_in(cursor: Cursor, range: &Range<usize>) -> Option<usize> {
    (!range.is_empty()).then(|| cursor.selected.clamp(range.start, range.end - 1) - range.start)
}

/// The rows to draw for a table of `len` rows and `height` visible lines.
///
/// Starts from the reducer's offset but always keeps the selected row in
/// view and does not leave the window half empty after the list shrank, so
/// a mismatch between the reducer's idea of the height and the real one
/// never hides the cursor.
pub fn window(cursor: Cursor, len: usize, height: usize) -> Range<usize> {
    if len == 0 || height == 0 {
        return 0..0;
    }
    let selected = cursor.selected.min(len - 1);
    let mut offset = cursor.offset.min(len.saturating_sub(height));
    if selected < offset {
        offset = selected;
    } else if selected >= offset + height {
        offset = selected + 1 - height;
    }
    offset..(offset + height).min(len)
}

#[cfg(test)]
mod tests;
