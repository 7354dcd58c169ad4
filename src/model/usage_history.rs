//! Usage over time: a bounded history of the metrics.k8s.io polls, about
//! 30 minutes per pod and per workload (a workload's value at a poll is the
//! sum over its pods in that poll), and the memory trend read from it.
//!
//! Every poll is one column of a shared timeline ([`UsageHistory::polls`]);
//! each series holds one packed value per poll from its first on. A pod
//! missing from a poll, a failed poll and a long silence between polls are
//! gaps (`None`), never zeros: a sparkline draws them blank and the trend
//! never reads them.
//!
//! Memory: a value is CPU and memory quantised to 16 bits each (a
//! floating-point code: exact below 2048, then within 0.1%), so a pod's 30
//! minutes of 15-second polls (120 values, in a ring that grows to 128) take
//! 512 bytes, plus its key and about 40 bytes of bookkeeping: about 600
//! bytes per pod, 30 MB at 50,000 pods (measured in the tests:
//! `bytes_per_pod_stays_bounded`). The timeline itself is at most
//! [`POLLS_KEPT`] timestamps. Series of pods that are gone are let go at the
//! next poll ([`UsageHistory::retain_pods`]); a workload's when its last
//! value leaves the window.

use std::collections::{HashMap, VecDeque};

use jiff::{SignedDuration, Timestamp};

use super::ObjectKey;
use super::usage::Usage;

/// How far back the history goes.
pub const KEPT: SignedDuration = SignedDuration::from_mins(30);

/// Most polls kept: 30 minutes of 15-second polls, and room for gaps.
pub const POLLS_KEPT: usize = 128;

/// A silence longer than this between two polls is drawn as a gap: more
/// than two 15-second polls went missing.
pub const GAP_AFTER: SignedDuration = SignedDuration::from_secs(40);

/// The trend reads at most this many of the newest values…
const TREND_POINTS: usize = 12;
/// …at least this many…
const TREND_MIN_POINTS: usize = 4;
/// …spanning at least this long…
const TREND_MIN_SPAN: SignedDuration = SignedDuration::from_secs(45);
/// …that a straight line explains this well (R², 1 is a perfect line):
/// below it the ups and downs are noise, not a climb.
const TREND_MIN_FIT: f64 = 0.8;

/// A value that is missing: the pod was not in that poll.
const GAP: u32 = u32::MAX;

/// One poll of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Poll {
    at: Timestamp,
    /// A silence or a failed poll: no series has a value here.
    gap: bool,
}

/// The values of one pod or workload, one per poll from `end - len` to
/// `end` (global poll numbers).
#[derive(Debug, Clone, Default)]
struct Series {
    end: u64,
    values: VecDeque<u32>,
}

impl Series {
    fn start(&self) -> u64 {
        self.end - self.values.len() as u64
    }

    /// Sets the value of poll `index` (the newest poll, or a poll after
    /// it), filling what was skipped with gaps.
    fn set(&mut self, index: u64, value: u32) {
        if self.values.is_empty() {
            self.end = index;
        }
        if index < self.end {
            // The same poll again (a clock that did not move): replaced.
            if let Some(v) = self.values.back_mut()
                && index + 1 == self.end
            {
                *v = value;
            }
            return;
        }
        while self.end < index {
            self.values.push_back(GAP);
            self.end += 1;
        }
        self.values.push_back(value);
        self.end += 1;
    }

    /// Lets go of values before poll `first`.
    fn trim(&mut self, first: u64) {
        while !self.values.is_empty() && self.start() < first {
            self.values.pop_front();
        }
        if self.values.len() * 4 < self.values.capacity() && self.values.capacity() > 16 {
            self.values.shrink_to_fit();
        }
    }

    fn get(&self, index: u64) -> Option<Usage> {
        if index < self.start() || index >= self.end {
            return None;
        }
        unpack(self.values[(index - self.start()) as usize])
    }
}

/// A workload a series sums: its kind (as pods name their owner) and key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WorkloadKey {
    pub kind: String,
    pub key: ObjectKey,
}

/// One pod's usage in a poll, with the workload it counts towards.
#[derive(Debug, Clone, Copy)]
pub struct Sample<'a> {
    pub pod: &'a ObjectKey,
    /// The pod's owner: (kind, name), e.g. `("Deployment", "api")`.
    pub owner: Option<(&'a str, &'a str)>,
    pub usage: Usage,
}

/// The polls and every pod's and workload's values in them.
#[derive(Debug, Clone, Default)]
pub struct UsageHistory {
    polls: VecDeque<Poll>,
    /// The global number of `polls[0]`.
    first: u64,
    pods: HashMap<ObjectKey, Series>,
    workloads: HashMap<WorkloadKey, Series>,
}

impl UsageHistory {
    /// Adds a complete poll taken at `at`. A poll at the same moment as the
    /// last one (a clock that did not move) replaces it; a poll after a
    /// long silence first records the silence as a gap.
    pub fn record<'a>(&mut self, at: Timestamp, samples: impl IntoIterator<Item = Sample<'a>>) {
        let index = match self.polls.back() {
            Some(last) if !last.gap && at <= last.at => self.newest(),
            Some(last) => {
                if at.duration_since(last.at) > GAP_AFTER && !last.gap {
                    self.push(Poll {
                        at: last.at,
                        gap: true,
                    });
                }
                self.push(Poll { at, gap: false })
            }
            None => self.push(Poll { at, gap: false }),
        };
        let mut sums: HashMap<(&str, &str, &str), Usage> = HashMap::new();
        for s in samples {
            // Looked up before the key is copied: a copy only for a new pod.
            match self.pods.get_mut(s.pod) {
                Some(series) => series.set(index, pack(s.usage)),
                None => {
                    let mut series = Series::default();
                    series.set(index, pack(s.usage));
                    self.pods.insert(s.pod.clone(), series);
                }
            }
            if let Some((kind, name)) = s.owner {
                let sum = sums.entry((kind, &s.pod.namespace, name)).or_default();
                sum.cpu_milli = sum.cpu_milli.saturating_add(s.usage.cpu_milli);
                sum.memory_bytes = sum.memory_bytes.saturating_add(s.usage.memory_bytes);
            }
        }
        for ((kind, namespace, name), usage) in sums {
            let key = WorkloadKey {
                kind: kind.to_string(),
                key: ObjectKey::new(namespace, name),
            };
            self.workloads
                .entry(key)
                .or_default()
                .set(index, pack(usage));
        }
        self.forget_before(at);
    }

    /// A poll failed at `at`: a gap in every series.
    pub fn failed(&mut self, at: Timestamp) {
        if self.polls.back().is_some_and(|p| !p.gap) {
            self.push(Poll { at, gap: true });
            self.forget_before(at);
        }
    }

    /// Keeps only the series of pods `keep` says still exist.
    pub fn retain_pods(&mut self, mut keep: impl FnMut(&ObjectKey) -> bool) {
        self.pods.retain(|k, _| keep(k));
    }

    pub fn clear(&mut self) {
        *self = UsageHistory::default();
    }

    /// Pods with a series.
    pub fn pod_count(&self) -> usize {
        self.pods.len()
    }

    /// A pod's history, if it was in a kept poll.
    pub fn pod(&self, key: &ObjectKey) -> Option<SeriesView<'_>> {
        self.pods.get(key).map(|s| self.view(s))
    }

    /// A workload's history: `kind` as its pods name their owner.
    pub fn workload(&self, kind: &str, key: &ObjectKey) -> Option<SeriesView<'_>> {
        let key = WorkloadKey {
            kind: kind.to_string(),
            key: key.clone(),
        };
        self.workloads.get(&key).map(|s| self.view(s))
    }

    /// Bytes held, approximately: the rings' capacities, the keys' text
    /// and the tables' slots.
    pub fn approx_bytes(&self) -> usize {
        let series = |s: &Series| s.values.capacity() * 4 + std::mem::size_of::<Series>();
        let key = |k: &ObjectKey| k.namespace.capacity() + k.name.capacity() + 48;
        self.pods
            .iter()
            .map(|(k, s)| key(k) + series(s))
            .sum::<usize>()
            + self
                .workloads
                .iter()
                .map(|(k, s)| key(&k.key) + k.kind.capacity() + 24 + series(s))
                .sum::<usize>()
            + self.polls.capacity() * std::mem::size_of::<Poll>()
    }

    fn view<'a>(&'a self, series: &'a Series) -> SeriesView<'a> {
        SeriesView {
            history: self,
            series,
        }
    }

    fn newest(&self) -> u64 {
        self.first + self.polls.len() as u64 - 1
    }

    fn push(&mut self, poll: Poll) -> u64 {
        self.polls.push_back(poll);
        if self.polls.len() > POLLS_KEPT {
            self.polls.pop_front();
            self.first += 1;
        }
        self.newest()
    }

    /// Lets go of polls older than [`KEPT`] before `now`, and of series
    /// left without a value.
    fn forget_before(&mut self, now: Timestamp) {
        while self.polls.len() > 1
            && self
                .polls
                .front()
                .is_some_and(|p| now.duration_since(p.at) > KEPT)
        {
            self.polls.pop_front();
            self.first += 1;
        }
        let first = self.first;
        for s in self.pods.values_mut().chain(self.workloads.values_mut()) {
            if s.start() < first {
                s.trim(first);
            }
        }
        self.pods.retain(|_, s| !s.values.is_empty());
        self.workloads.retain(|_, s| !s.values.is_empty());
    }
}

/// One series read against the timeline.
#[derive(Debug, Clone, Copy)]
pub struct SeriesView<'a> {
    history: &'a UsageHistory,
    series: &'a Series,
}

impl SeriesView<'_> {
    /// Every poll from the series' first kept one to the newest, oldest
    /// first: its time and the value, `None` for a gap.
    pub fn points(&self) -> impl DoubleEndedIterator<Item = (Timestamp, Option<Usage>)> + '_ {
        let h = self.history;
        let from = self.series.start().max(h.first);
        h.polls
            .iter()
            .enumerate()
            .skip((from - h.first) as usize)
            .map(move |(i, p)| {
                let value = if p.gap {
                    None
                } else {
                    self.series.get(h.first + i as u64)
                };
                (p.at, value)
            })
    }

    /// The newest value, if the newest poll had this series.
    pub fn latest(&self) -> Option<Usage> {
        self.points().next_back().and_then(|(_, v)| v)
    }

    /// How memory climbs: a least-squares line through the newest run of
    /// values (up to [`TREND_POINTS`], stopping at a gap or a fall of more
    /// than a tenth — a restart or a collection), when it is a real climb:
    /// enough points over enough time, a positive slope, and a line that
    /// explains them. `None` otherwise: say nothing.
    pub fn memory_trend(&self) -> Option<Trend> {
        let mut run: Vec<(Timestamp, f64)> = Vec::with_capacity(TREND_POINTS);
        for (at, value) in self.points().rev() {
            let Some(u) = value else { break };
            let bytes = u.memory_bytes as f64;
            if let Some((_, later)) = run.last()
                && bytes > later * 1.1 + 1_048_576.0
            {
                // Memory fell from here to the next poll: another run.
                break;
            }
            run.push((at, bytes));
            if run.len() == TREND_POINTS {
                break;
            }
        }
        let (newest_at, newest) = *run.first()?;
        let (oldest_at, _) = *run.last()?;
        if run.len() < TREND_MIN_POINTS || newest_at.duration_since(oldest_at) < TREND_MIN_SPAN {
            return None;
        }
        let n = run.len() as f64;
        let xs: Vec<f64> = run
            .iter()
            .map(|(t, _)| t.duration_since(oldest_at).as_secs_f64())
            .collect();
        let mean_x = xs.iter().sum::<f64>() / n;
        let mean_y = run.iter().map(|(_, y)| y).sum::<f64>() / n;
        let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
        for (x, (_, y)) in xs.iter().zip(&run) {
            let (dx, dy) = (x - mean_x, y - mean_y);
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        if sxx <= 0.0 || syy <= 0.0 {
            return None;
        }
        let slope = sxy / sxx;
        let fit = sxy * sxy / (sxx * syy);
        if slope <= 0.0 || fit < TREND_MIN_FIT || !slope.is_finite() {
            return None;
        }
        Some(Trend {
            bytes_per_sec: slope,
            latest_bytes: newest as u64,
            at: newest_at,
        })
    }
}

/// Memory climbing at a steady rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trend {
    pub bytes_per_sec: f64,
    /// The newest value, at `at`.
    pub latest_bytes: u64,
    pub at: Timestamp,
}

impl Trend {
    /// How long from `at` until memory reaches `limit` at this rate; `None`
    /// when it is already there or further than a day away.
    pub fn until(&self, limit: u64) -> Option<SignedDuration> {
        if self.latest_bytes >= limit {
            return None;
        }
        let secs = (limit - self.latest_bytes) as f64 / self.bytes_per_sec;
        (secs.is_finite() && secs <= 86_400.0)
            .then(|| SignedDuration::from_secs(secs.ceil() as i64))
    }

    /// MiB a minute, for people.
    pub fn mib_per_min(&self) -> f64 {
        self.bytes_per_sec * 60.0 / 1_048_576.0
    }
}

/// A duration as an estimate reads: `~45s`, `~4m`, `~2h`.
pub fn rough(d: SignedDuration) -> String {
    let secs = d.as_secs().max(0);
    if secs < 90 {
        format!("~{secs}s")
    } else if secs < 90 * 60 {
        format!("~{}m", (secs + 30) / 60)
    } else {
        format!("~{}h", (secs + 1800) / 3600)
    }
}

/// 16 bits for a quantity: 11 significant bits and a 5-bit exponent, exact
/// below 2048, then within 1/2048; saturates at about 4 × 10^12.
fn code(v: u64) -> u16 {
    let bits = 64 - v.leading_zeros();
    let exp = bits.saturating_sub(11);
    if exp > 31 {
        return u16::MAX - 1;
    }
    // Rounded to the nearest, carrying into the exponent.
    let mut mantissa = if exp == 0 {
        v
    } else {
        (v + (1 << (exp - 1))) >> exp
    };
    let mut exp = exp;
    if mantissa >= 1 << 11 {
        mantissa >>= 1;
        exp += 1;
    }
    if exp > 31 {
        return u16::MAX - 1;
    }
    // All ones is half of the gap marker.
    (((exp as u16) << 11) | mantissa as u16).min(u16::MAX - 1)
}

fn decode(c: u16) -> u64 {
    let exp = u32::from(c >> 11);
    u64::from(c & 0x7ff) << exp
}

fn pack(u: Usage) -> u32 {
    (u32::from(code(u.cpu_milli)) << 16) | u32::from(code(u.memory_bytes))
}

fn unpack(v: u32) -> Option<Usage> {
    (v != GAP).then(|| Usage {
        cpu_milli: decode((v >> 16) as u16),
        memory_bytes: decode(v as u16),
    })
}

#[cfg(test)]
mod tests;
