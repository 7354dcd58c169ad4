//! The tables of the main screen, drawn from the visible rows only.
//!
//! Views build rows for the window `offset .. offset + height` and nothing
//! else, so a table of 10,000 pods costs what its 40 visible rows cost.
//! Column widths come from those visible rows. When the screen is narrow,
//! each column gives things up in the order its view ranks them: long free
//! text (MESSAGE, IMAGES) gives width back first; then, rank by rank, a
//! column is dropped, switched to its short form (`OOMKilled · 2m`), or
//! narrowed (a pod name loses the middle of its hash); room left over goes
//! back to what was given up last. Whatever still does not fit is cut at
//! the edge.

use std::borrow::Cow;
use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use super::text::{elide_middle_line, truncate_line, width};
use crate::config::theme::Theme;
use crate::model::cluster::{Resource, WatchHealth};
use crate::state::{Cursor, State};

/// Space between columns.
const GAP: usize = 1;

/// The rank of what is given up before anything else (free text).
const FIRST: u8 = u8::MAX;
/// The rank of what is given up once nothing is left to drop.
const LAST: u8 = 0;

/// What a column gives up on a narrow screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Give {
    /// Its cells' short forms instead of the full ones.
    Compact,
    /// Width, down to this many cells.
    Shrink(usize),
    /// The whole column.
    Drop,
}

/// One thing given up, at a rank: higher ranks go first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Step {
    rank: u8,
    give: Give,
}

/// Where a cell too wide for its column loses text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cut {
    /// At the end, with `…`.
    #[default]
    End,
    /// In the middle (a pod name's hash), keeping both ends.
    Middle,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub title: Cow<'static, str>,
    pub cut: Cut,
    steps: Vec<Step>,
}

impl Column {
    pub fn new(title: impl Into<Cow<'static, str>>) -> Column {
        Column {
            title: title.into(),
            cut: Cut::End,
            steps: Vec::new(),
        }
    }

    fn step(mut self, rank: u8, give: Give) -> Column {
        self.steps.push(Step { rank, give });
        self
    }

    /// Shrinks down to `min` cells before any column is dropped.
    pub fn shrinks_first(self, min: usize) -> Column {
        self.step(FIRST, Give::Shrink(min))
    }

    /// Shrinks down to `min` cells once no optional column is left.
    pub fn shrinks_last(self, min: usize) -> Column {
        self.step(LAST, Give::Shrink(min))
    }

    /// Shrinks down to `min` cells at `rank`, among the drops.
    pub fn shrinks_at(self, rank: u8, min: usize) -> Column {
        self.step(rank, Give::Shrink(min))
    }

    /// Dropped on narrow screens; higher ranks go first (1 to 254).
    pub fn optional(self, rank: u8) -> Column {
        self.step(rank, Give::Drop)
    }

    /// Switches to its cells' short forms before anything else is given up.
    pub fn compacts_first(self) -> Column {
        self.step(FIRST, Give::Compact)
    }

    /// Switches to its cells' short forms at `rank`.
    pub fn compacts_at(self, rank: u8) -> Column {
        self.step(rank, Give::Compact)
    }

    /// Cells too wide lose their middle rather than their end.
    pub fn cut_in_the_middle(mut self) -> Column {
        self.cut = Cut::Middle;
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

    /// Its width in its first form (short when it switches first), and,
    /// with `shrunk`, once free text has given way too.
    fn wanted(&self, full: usize, short: usize, shrunk: bool) -> usize {
        self.steps
            .iter()
            .filter(|s| s.rank == FIRST)
            .fold(full, |w, s| match s.give {
                Give::Compact => w.min(short),
                Give::Shrink(min) if shrunk => w.min(min),
                Give::Shrink(_) | Give::Drop => w,
            })
    }
}

/// One cell: its line, and the shorter form a compacted column shows.
#[derive(Debug, Clone)]
pub struct Cell<'a> {
    pub line: Line<'a>,
    pub short: Option<Line<'a>>,
}

impl<'a> Cell<'a> {
    pub fn with_short(line: Line<'a>, short: Line<'a>) -> Cell<'a> {
        Cell {
            line,
            short: Some(short),
        }
    }

    fn width(&self, compact: bool) -> usize {
        match (&self.short, compact) {
            (Some(short), true) => short.width(),
            _ => self.line.width(),
        }
    }
}

impl<'a> From<Line<'a>> for Cell<'a> {
    fn from(line: Line<'a>) -> Cell<'a> {
        Cell { line, short: None }
    }
}

#[derive(Debug, Clone)]
pub enum Row<'a> {
    /// One cell per column, and the row's style under them.
    Cells { cells: Vec<Cell<'a>>, style: Style },
    /// A line across the whole table (group headings).
    Heading(Line<'a>),
}

impl<'a> Row<'a> {
    /// A row of plain cells, one line each.
    pub fn cells(cells: Vec<Line<'a>>, style: Style) -> Row<'a> {
        Row::Cells {
            cells: cells.into_iter().map(Cell::from).collect(),
            style,
        }
    }
}

/// How a column is drawn: its width, and whether in its short form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    pub width: usize,
    pub compact: bool,
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
    /// Each column's width over the visible rows and its title.
    fn measure(&self) -> Vec<Measure> {
        let cells = |i: usize| {
            self.rows.iter().filter_map(move |r| match r {
                Row::Cells { cells, .. } => cells.get(i),
                Row::Heading(_) => None,
            })
        };
        self.columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let title = width(&c.title);
                let widest = |compact| cells(i).map(|c| c.width(compact)).max().unwrap_or(0);
                Measure {
                    full: widest(false).max(title),
                    short: widest(true).max(title),
                    empty: !self.rows.is_empty() && widest(false) == 0,
                }
            })
            .collect()
    }

    /// Cells across that this table takes with every column whole: with
    /// its free text whole too, and with free text at its narrowest.
    pub fn wanted_widths(&self) -> [usize; 2] {
        let measures = self.measure();
        let gaps = GAP * self.columns.len().saturating_sub(1);
        let wanted = |shrunk| {
            self.columns
                .iter()
                .zip(&measures)
                .map(|(c, m)| c.wanted(m.full, m.short, shrunk))
                .sum::<usize>()
                + gaps
        };
        [wanted(false), wanted(true)]
    }

    /// Draws the header line and the rows into `area`.
    pub fn render(&self, buf: &mut Buffer, area: Rect, theme: &Theme) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let widths = layout(&self.columns, &self.measure(), area.width as usize);

        let mut x = area.x;
        for (column, w) in self.columns.iter().zip(&widths) {
            if let Some(w) = *w {
                let title = Line::styled(column.title.as_ref(), theme.table_header);
                x = put(buf, x, area.y, area.right(), title, w.width, Cut::End);
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
                    Cut::End,
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
                    for ((cell, w), column) in cells.iter().zip(&widths).zip(&self.columns) {
                        if let Some(w) = *w {
                            let line = match (&cell.short, w.compact) {
                                (Some(short), true) => short.clone(),
                                _ => cell.line.clone(),
                            };
                            x = put(buf, x, y, area.right(), line, w.width, column.cut);
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
                        Cut::End,
                    );
                }
            }
        }
    }
}

/// Writes `line` cut to `w` cells (and to the right edge) at `x`; returns
/// where the next column starts.
fn put(buf: &mut Buffer, x: u16, y: u16, right: u16, line: Line<'_>, w: usize, cut: Cut) -> u16 {
    let room = right.saturating_sub(x) as usize;
    let w = w.min(room);
    if w > 0 {
        let line = match cut {
            Cut::Middle => elide_middle_line(line, w),
            Cut::End => truncate_line(line, w),
        };
        buf.set_line(x, y, &line, w as u16);
    }
    x.saturating_add((w + GAP) as u16).min(right)
}

/// What was given up, to take back when there is room left.
enum Taken {
    Width(usize),
    /// The column's width before it was compacted.
    Full(usize),
    Column,
}

/// A column's widths over the visible rows (its title included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Measure {
    full: usize,
    /// In short form.
    short: usize,
    /// No visible row has anything in it.
    empty: bool,
}

/// How the shown columns are drawn (`None`: dropped) in `avail` cells.
/// An optional column with nothing to show in the visible rows is the
/// first to go.
fn layout(columns: &[Column], measures: &[Measure], avail: usize) -> Vec<Option<Shown>> {
    let n = columns.len();
    let mut shown = vec![true; n];
    let mut compact = vec![false; n];
    let mut widths: Vec<usize> = measures.iter().map(|m| m.full).collect();
    let needed = |shown: &[bool], widths: &[usize]| {
        let (sum, count) = (0..n)
            .filter(|&i| shown[i])
            .fold((0, 0usize), |(s, c), i| (s + widths[i], c + 1));
        sum + GAP * count.saturating_sub(1)
    };
    let mut steps: Vec<(usize, Step)> = columns
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.steps.iter().map(move |s| (i, *s)))
        .collect();
    // Highest rank first (an empty optional column before all); within a
    // rank, short forms, then narrowing (left to right), then drops (right
    // to left).
    steps.sort_by_key(|&(i, s)| {
        let (kind, order) = match s.give {
            Give::Compact => (0, i as isize),
            Give::Shrink(_) => (1, i as isize),
            Give::Drop => (2, -(i as isize)),
        };
        let empty = s.give == Give::Drop && measures[i].empty;
        (std::cmp::Reverse((empty, s.rank)), kind, order)
    });
    let mut taken: Vec<(usize, Taken)> = Vec::new();
    for (i, step) in steps {
        let excess = needed(&shown, &widths).saturating_sub(avail);
        if excess == 0 {
            break;
        }
        if !shown[i] {
            continue;
        }
        match step.give {
            Give::Shrink(min) => {
                let give = widths[i].saturating_sub(min).min(excess);
                if give > 0 {
                    widths[i] -= give;
                    taken.push((i, Taken::Width(give)));
                }
            }
            Give::Compact if !compact[i] => {
                taken.push((i, Taken::Full(widths[i])));
                compact[i] = true;
                widths[i] = widths[i].min(measures[i].short);
            }
            Give::Compact => {}
            Give::Drop => {
                shown[i] = false;
                taken.push((i, Taken::Column));
            }
        }
    }
    // Giving something up may have freed more than needed: take back, the
    // most wanted first, what fits in what is left.
    for (i, t) in taken.into_iter().rev() {
        let slack = avail.saturating_sub(needed(&shown, &widths));
        match t {
            Taken::Width(w) if shown[i] => widths[i] += w.min(slack),
            Taken::Full(w) if shown[i] && w - widths[i] <= slack => {
                widths[i] = w;
                compact[i] = false;
            }
            Taken::Column => {
                shown[i] = true;
                if needed(&shown, &widths) > avail {
                    shown[i] = false;
                }
            }
            _ => {}
        }
    }
    (0..n)
        .map(|i| {
            shown[i].then_some(Shown {
                width: widths[i],
                compact: compact[i],
            })
        })
        .collect()
}

/// One view's table: a frame with its title, the visible window of its
/// rows, and why it is empty when it is. Every view draws through this.
pub struct ViewTable<'a, 'r, T, F> {
    pub title: Line<'a>,
    pub rows: &'r [T],
    pub cursor: Cursor,
    pub columns: Vec<Column>,
    /// Whose watch decides "syncing…" when there are no rows.
    pub resource: Resource,
    /// "pods", "events"… for the empty line.
    pub noun: &'a str,
    /// A filter or toggle is hiding rows.
    pub filtered: bool,
    /// Makes the row on screen for one item.
    pub row: F,
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

impl<'a, 'r, T: Listed, F: Fn(&'r T) -> Row<'a>> ViewTable<'a, 'r, T, F> {
    /// The visible window for `lines` lines under the header, and its rows.
    fn window(&self, lines: u16) -> (Range<usize>, Vec<Row<'a>>) {
        let range = window(self.cursor, self.rows.len(), lines as usize);
        let rows = self.rows[range.clone()].iter().map(&self.row).collect();
        (range, rows)
    }

    /// Cells across, borders included, that the table takes in a frame
    /// `height` lines high with every column whole: free text whole too,
    /// and free text at its narrowest.
    pub fn wanted_widths(&self, height: u16) -> [u16; 2] {
        let (_, rows) = self.window(height.saturating_sub(3));
        let table = Table {
            columns: self.columns.clone(),
            rows,
            selected: None,
            empty: Line::default(),
        };
        table
            .wanted_widths()
            .map(|w| u16::try_from(w + 2).unwrap_or(u16::MAX))
    }

    /// Draws the frame and only the visible rows; returns the index of the
    /// first row on screen (for the mouse).
    pub fn render(
        self,
        buf: &mut Buffer,
        area: Rect,
        state: &State,
        theme: &Theme,
        focused: bool,
    ) -> usize {
        use ratatui::widgets::Widget;
        let frame = block(
            self.title.clone(),
            position(self.rows, self.cursor.selected, self.noun),
            focused,
            theme,
        );
        let inner = frame.inner(area);
        frame.render(area, buf);
        let (range, rows) = self.window(inner.height.saturating_sub(1));
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
        Some(WatchHealth::NotAllowed(error)) => {
            format!(" {what}: not allowed · {}", super::text::sanitize(error))
        }
        _ if filtered => format!(" no {what} match the filter"),
        _ => format!(" no {what}"),
    };
    Line::styled(text, theme.dim)
}

/// The selected row, clamped like [`window`] clamps it, so the detail pane
/// shows the row the table highlights.
pub fn selected<T>(rows: &[T], cursor: Cursor) -> Option<&T> {
    cursor.pick(rows)
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
