//! The lines of one log view: a bounded ring with a count of what fell off,
//! and the view's search, filters and per-pod colours kept up to date as
//! lines arrive.
//!
//! Log viewers next door keep everything (kubetui: 1.8 GB for 700k lines;
//! k9s #1188: 30 GB after an hour), so this buffer holds at most
//! `capacity` lines (and at most a byte budget of text, against pods that
//! write megabyte lines), drops the oldest first and counts them so the
//! pane can say so.
//!
//! Filtering never copies a line. The buffer keeps the sequence numbers of
//! the lines the view shows (`visible`) and of those that match the search
//! (`hits`), both ascending. A pushed line is judged once and appended; a
//! line falling off the front takes its numbers with it from the fronts of
//! both lists. Only changing the query, a filter or the raw toggle judges
//! every held line again. Sequence numbers count every line ever pushed,
//! so they stay valid while lines fall off: the pane can anchor a paused
//! view on one (see [`LogBuffer::index_of`]).

mod query;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, VecDeque};
use std::ops::Range;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};

pub use query::LogQuery;

use crate::model::log_line::{Level, LogLine};
use crate::model::log_stream::StreamId;

/// Lines a view holds unless configured otherwise.
pub const DEFAULT_CAPACITY: usize = 10_000;

/// Text a view holds at most, whatever its line count: 10,000 lines of
/// 1 MiB (a pod logging base64 blobs) would otherwise be 10 GB.
pub const DEFAULT_BYTE_BUDGET: usize = 64 * 1024 * 1024;

/// What the `/` query does to the view.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum QueryMode {
    /// Every line shown; matches highlighted, `n`/`N` move between them.
    #[default]
    Search,
    /// Only matching lines shown.
    Filter,
    /// Only lines that do not match shown (to hide a noisy health check).
    Exclude,
}

/// How far back the view looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Since {
    Minute,
    FiveMinutes,
    FifteenMinutes,
    Hour,
    #[default]
    All,
}

impl Since {
    /// In the order a key cycles through them.
    pub const CHOICES: [Since; 5] = [
        Since::Minute,
        Since::FiveMinutes,
        Since::FifteenMinutes,
        Since::Hour,
        Since::All,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Since::Minute => "1m",
            Since::FiveMinutes => "5m",
            Since::FifteenMinutes => "15m",
            Since::Hour => "1h",
            Since::All => "all",
        }
    }

    /// How far back, `None` for everything held.
    pub fn duration(self) -> Option<SignedDuration> {
        Some(SignedDuration::from_mins(match self {
            Since::Minute => 1,
            Since::FiveMinutes => 5,
            Since::FifteenMinutes => 15,
            Since::Hour => 60,
            Since::All => return None,
        }))
    }

    /// The next choice, wrapping from `all` to `1m`.
    pub fn next(self) -> Since {
        let i = Since::CHOICES.iter().position(|&s| s == self).unwrap_or(0);
        Since::CHOICES[(i + 1) % Since::CHOICES.len()]
    }
}

/// What a push did to the view, so a pane can keep its scroll position:
/// visible indices of the lines that stayed moved down by `removed`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pushed {
    /// Visible lines appended at the end.
    pub appended: usize,
    /// Visible lines that fell off the front.
    pub removed: usize,
}

/// The view's settings: which held lines it shows and which match.
#[derive(Debug, Clone, Default)]
struct View {
    query: Option<LogQuery>,
    mode: QueryMode,
    min_level: Option<Level>,
    since: Since,
    /// Lines written before this are not shown (`since` applied to a `now`).
    cutoff: Option<Timestamp>,
    /// Search the raw lines rather than the structured form.
    raw: bool,
}

impl View {
    /// Whether the view shows `line`, and whether it matches the query.
    fn judge(&self, line: &LogLine, scratch: &mut String) -> (bool, bool) {
        if let (Some(cutoff), Some(when)) = (self.cutoff, line.when())
            && when < cutoff
        {
            return (false, false);
        }
        let hit = self
            .query
            .as_ref()
            .is_some_and(|q| q.is_match(line.text(self.raw), scratch));
        if line.is_marker() {
            // A restart or a pod joining explains the lines around it
            // whatever the filters; it still highlights when it matches.
            return (true, hit);
        }
        if let Some(min) = self.min_level
            && line.level().is_none_or(|l| l < min)
        {
            return (false, false);
        }
        let shown = match self.mode {
            QueryMode::Search => true,
            QueryMode::Filter => hit || self.query.is_none(),
            QueryMode::Exclude => !hit,
        };
        (shown, shown && hit)
    }
}

/// A stream's running facts.
#[derive(Debug, Clone)]
struct StreamState {
    colour: usize,
    /// The level of its last line, for continuation lines.
    level: Option<Level>,
}

/// The lines of one log view. See the module documentation.
#[derive(Debug, Clone)]
pub struct LogBuffer {
    lines: VecDeque<LogLine>,
    capacity: usize,
    byte_budget: usize,
    text_bytes: usize,
    /// Sequence number of `lines[0]`.
    first_seq: u64,
    dropped: u64,
    view: View,
    /// Sequence numbers of the lines shown, ascending.
    visible: VecDeque<u64>,
    /// Sequence numbers of the shown lines that match the query, ascending.
    hits: VecDeque<u64>,
    streams: HashMap<StreamId, StreamState>,
    /// Colour index per pod (namespace, name), in order of first appearance.
    pods: HashMap<(Arc<str>, Arc<str>), usize>,
    /// Reused by query matching so judging a line allocates nothing.
    scratch: String,
}

impl Default for LogBuffer {
    fn default() -> Self {
        LogBuffer::new(DEFAULT_CAPACITY)
    }
}

impl LogBuffer {
    /// A buffer of at most `capacity` lines (at least one).
    pub fn new(capacity: usize) -> LogBuffer {
        LogBuffer::with_limits(capacity, DEFAULT_BYTE_BUDGET)
    }

    /// At most `capacity` lines and `byte_budget` bytes of text; the newest
    /// line is kept even when it alone is over the budget.
    pub fn with_limits(capacity: usize, byte_budget: usize) -> LogBuffer {
        let capacity = capacity.max(1);
        LogBuffer {
            // Grown as lines come, not up front: most views hold a few
            // hundred lines.
            lines: VecDeque::new(),
            capacity,
            byte_budget,
            text_bytes: 0,
            first_seq: 0,
            dropped: 0,
            view: View::default(),
            visible: VecDeque::new(),
            hits: VecDeque::new(),
            streams: HashMap::new(),
            pods: HashMap::new(),
            scratch: String::new(),
        }
    }

    /// Appends lines in arrival order; the oldest fall off past the
    /// capacity or byte budget and are counted in [`dropped`](Self::dropped).
    pub fn push_batch(&mut self, batch: Vec<LogLine>) -> Pushed {
        let mut pushed = Pushed::default();
        // Lines that would fall off within this very batch are counted, and
        // still give their pods a colour so colours follow first appearance.
        let skip = batch.len().saturating_sub(self.capacity);
        for (i, mut line) in batch.into_iter().enumerate() {
            self.note_line(&mut line);
            if i < skip {
                // Everything held is older than this line, so it goes first.
                while !self.lines.is_empty() {
                    pushed.removed += self.pop_front();
                }
                self.first_seq += 1;
                self.dropped += 1;
                continue;
            }
            let seq = self.first_seq + self.lines.len() as u64;
            let (shown, hit) = self.view.judge(&line, &mut self.scratch);
            if shown {
                push_bounded(&mut self.visible, seq, self.capacity);
                pushed.appended += 1;
                if hit {
                    push_bounded(&mut self.hits, seq, self.capacity);
                }
            }
            self.text_bytes += line.text_bytes();
            push_bounded(&mut self.lines, line, self.capacity);
            while self.lines.len() > self.capacity
                || (self.text_bytes > self.byte_budget && self.lines.len() > 1)
            {
                pushed.removed += self.pop_front();
            }
        }
        pushed
    }

    /// Gives a new pod its colour and lets a continuation line take the
    /// level of the stream's previous line.
    fn note_line(&mut self, line: &mut LogLine) {
        let state = match self.streams.get_mut(line.stream()) {
            Some(state) => state,
            None => {
                let colour = self.pod_colour(line.stream());
                self.streams
                    .entry(line.stream().clone())
                    .or_insert(StreamState {
                        colour,
                        level: None,
                    })
            }
        };
        if !line.is_marker() {
            line.continues_with(state.level);
            state.level = line.level();
        }
    }

    fn pod_colour(&mut self, stream: &StreamId) -> usize {
        let next = self.pods.len();
        *self
            .pods
            .entry((stream.namespace.clone(), stream.pod.clone()))
            .or_insert(next)
    }

    /// Drops the oldest line; 1 when it was shown.
    fn pop_front(&mut self) -> usize {
        let Some(line) = self.lines.pop_front() else {
            return 0;
        };
        self.text_bytes -= line.text_bytes();
        let seq = self.first_seq;
        self.first_seq += 1;
        self.dropped += 1;
        if self.hits.front() == Some(&seq) {
            self.hits.pop_front();
        }
        if self.visible.front() == Some(&seq) {
            self.visible.pop_front();
            1
        } else {
            0
        }
    }

    /// Judges every held line again: after the query or a filter changed.
    fn rescan(&mut self) {
        self.visible.clear();
        self.hits.clear();
        for (i, line) in self.lines.iter().enumerate() {
            let seq = self.first_seq + i as u64;
            let (shown, hit) = self.view.judge(line, &mut self.scratch);
            if shown {
                self.visible.push_back(seq);
                if hit {
                    self.hits.push_back(seq);
                }
            }
        }
    }

    /// Lines shown.
    pub fn len(&self) -> usize {
        self.visible.len()
    }

    pub fn is_empty(&self) -> bool {
        self.visible.is_empty()
    }

    /// The `i`th line shown.
    pub fn get(&self, i: usize) -> Option<&LogLine> {
        self.visible.get(i).map(|&seq| self.line(seq))
    }

    /// Up to `count` lines shown from the `start`th: the visible window.
    pub fn window(&self, start: usize, count: usize) -> impl Iterator<Item = &LogLine> {
        self.visible
            .range(start.min(self.visible.len())..)
            .take(count)
            .map(|&seq| self.line(seq))
    }

    /// Every line held, shown or not, oldest first (to save the buffer).
    pub fn held_lines(&self) -> impl Iterator<Item = &LogLine> {
        self.lines.iter()
    }

    fn line(&self, seq: u64) -> &LogLine {
        &self.lines[(seq - self.first_seq) as usize]
    }

    /// The sequence number of the `i`th line shown: stable while lines
    /// fall off, unlike `i`.
    pub fn seq(&self, i: usize) -> Option<u64> {
        self.visible.get(i).copied()
    }

    /// Where the line numbered `seq` is shown: `Ok(i)`, or `Err(i)` where
    /// it would be (it fell off, or the view hides it).
    pub fn index_of(&self, seq: u64) -> Result<usize, usize> {
        self.visible.binary_search(&seq)
    }

    /// Lines held, shown or not.
    pub fn held(&self) -> usize {
        self.lines.len()
    }

    /// Lines that fell off the front since the buffer was made.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Bytes of line text held (the lines' own size aside).
    pub fn text_bytes(&self) -> usize {
        self.text_bytes
    }

    /// A new capacity (from config); lines past it fall off now.
    pub fn set_capacity(&mut self, capacity: usize) -> Pushed {
        self.capacity = capacity.max(1);
        let mut pushed = Pushed::default();
        while self.lines.len() > self.capacity {
            pushed.removed += self.pop_front();
        }
        self.lines.shrink_to(self.capacity);
        self.visible.shrink_to(self.capacity);
        self.hits.shrink_to(self.capacity);
        pushed
    }

    /// The colour of a stream's pod, as an index into the theme's palette
    /// (take it modulo the palette's length): pods are numbered in the
    /// order they first appeared in this buffer, so a pod keeps its colour
    /// while the view lives and its containers share it. A pod not seen yet
    /// reads 0.
    pub fn colour_of(&self, stream: &StreamId) -> usize {
        match self.streams.get(stream) {
            Some(state) => state.colour,
            None => self
                .pods
                .get(&(stream.namespace.clone(), stream.pod.clone()))
                .copied()
                .unwrap_or(0),
        }
    }

    /// Sets the `/` query; an empty one ends the search.
    pub fn set_query(&mut self, text: &str) {
        let query = LogQuery::new(text);
        if query != self.view.query {
            self.view.query = query;
            self.rescan();
        }
    }

    pub fn query(&self) -> Option<&str> {
        self.view.query.as_ref().map(LogQuery::text)
    }

    pub fn set_mode(&mut self, mode: QueryMode) {
        if mode != self.view.mode {
            self.view.mode = mode;
            self.rescan();
        }
    }

    pub fn mode(&self) -> QueryMode {
        self.view.mode
    }

    /// Shows only lines at `min` or above (and markers); `None` shows every
    /// line. Lines that do not say their level are hidden by any level
    /// filter: the filter promises lines known to be at least that serious.
    pub fn set_min_level(&mut self, min: Option<Level>) {
        if min != self.view.min_level {
            self.view.min_level = min;
            self.rescan();
        }
    }

    pub fn min_level(&self) -> Option<Level> {
        self.view.min_level
    }

    /// Shows only lines written within `since` of `now` (lines with no time
    /// at all are shown). The cut is a moment fixed when it is set, as
    /// `kubectl logs --since` starts from one: lines arriving later are
    /// newer and shown, and the view does not empty itself as time passes.
    pub fn set_since(&mut self, since: Since, now: Timestamp) {
        let cutoff = since.duration().and_then(|d| now.checked_sub(d).ok());
        self.view.since = since;
        if cutoff != self.view.cutoff {
            self.view.cutoff = cutoff;
            self.rescan();
        }
    }

    pub fn since(&self) -> Since {
        self.view.since
    }

    /// Whether the view shows raw lines; searches match the text shown.
    pub fn set_raw(&mut self, raw: bool) {
        if raw != self.view.raw {
            self.view.raw = raw;
            if self.view.query.is_some() {
                self.rescan();
            }
        }
    }

    pub fn raw(&self) -> bool {
        self.view.raw
    }

    /// Lines shown that match the query.
    pub fn hit_count(&self) -> usize {
        self.hits.len()
    }

    /// Matches at or above the `i`th line shown: with [`hit_count`] the pane
    /// writes "match 3/17".
    ///
    /// [`hit_count`]: Self::hit_count
    pub fn hits_through(&self, i: usize) -> usize {
        match self.visible.get(i) {
            Some(&seq) => self.hits.partition_point(|&h| h <= seq),
            None => self.hits.len(),
        }
    }

    /// The next shown line below the `from`th that matches, wrapping to the
    /// first match after the last (`n`).
    pub fn next_match(&self, from: usize) -> Option<usize> {
        let seq = self.visible.get(from).copied().unwrap_or(u64::MAX);
        let after = self.hits.partition_point(|&h| h <= seq);
        let hit = self.hits.get(after).or(self.hits.front())?;
        self.visible.binary_search(hit).ok()
    }

    /// The previous shown line above the `from`th that matches, wrapping to
    /// the last match before the first (`N`).
    pub fn prev_match(&self, from: usize) -> Option<usize> {
        let seq = self.visible.get(from).copied().unwrap_or(u64::MAX);
        let before = self.hits.partition_point(|&h| h < seq);
        let hit = match before {
            0 => self.hits.back()?,
            n => &self.hits[n - 1],
        };
        self.visible.binary_search(hit).ok()
    }

    /// Where the query occurs in the text the view shows for `line`
    /// (`line.text(self.raw())`), to highlight. Empty without a query.
    pub fn match_ranges(&self, line: &LogLine) -> Vec<Range<usize>> {
        match &self.view.query {
            Some(q) => q.ranges(line.text(self.view.raw)),
            None => Vec::new(),
        }
    }
}

/// Pushes onto a ring that never holds more than `bound` items (one over,
/// for a moment, before the oldest is popped). Growing by doubling would
/// leave a 10,000-line ring with room for 16,384, a third of it never used.
fn push_bounded<T>(ring: &mut VecDeque<T>, item: T, bound: usize) {
    if ring.len() == ring.capacity() {
        let want = (ring.len() * 2).max(16).min(bound + 1);
        ring.reserve_exact(want.saturating_sub(ring.len()).max(1));
    }
    ring.push_back(item);
}
