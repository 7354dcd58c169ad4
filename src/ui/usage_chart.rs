//! Usage over time in the detail pane: a sparkline each for memory and CPU
//! from the usage history (`model::usage_history`), with the newest value,
//! the lowest and highest over what is drawn, the limit when there is one,
//! and how long it covers — `▁▂▃▄▅▆▇ 410Mi now · min 180Mi · max 470Mi ·
//! limit 512Mi · 5m`; and, for memory climbing towards its limit, when it
//! gets there at this rate.
//!
//! The bars carry the meaning without colour (`mono`, NO_COLOR): eight
//! heights from `▁` to `█`, scaled to the limit when there is one (a full
//! bar is the limit), else to the highest value; a poll without a value is
//! a blank cell, never a low bar.

use ratatui::style::Style;
use ratatui::text::Span;

use super::detail::{Para, kv};
use super::text::{cpu, mem};
use crate::config::theme::Theme;
use crate::model::usage::Usage;
use crate::model::usage_history::{SeriesView, rough};

/// At most this many cells of sparkline: the history is bucketed to fit.
pub const SPARK_CELLS: usize = 30;

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The memory and CPU lines of a pod's or workload's history (nothing
/// when it has none yet), and the estimate when memory climbs towards
/// `mem_limit`.
pub fn history_lines<'a>(
    series: Option<SeriesView<'_>>,
    mem_limit: Option<u64>,
    cpu_limit: Option<u64>,
    theme: &Theme,
) -> Vec<Para<'a>> {
    let Some(series) = series else {
        return Vec::new();
    };
    let points: Vec<(jiff::Timestamp, Option<Usage>)> = series.points().collect();
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Vec::new();
    };
    let covers = last.0.duration_since(first.0);
    let mem_values: Vec<Option<u64>> = points
        .iter()
        .map(|(_, u)| u.map(|u| u.memory_bytes))
        .collect();
    let cpu_values: Vec<Option<u64>> = points.iter().map(|(_, u)| u.map(|u| u.cpu_milli)).collect();
    let mut out = vec![
        line("mem history", &mem_values, mem_limit, covers, mem, theme),
        line("cpu history", &cpu_values, cpu_limit, covers, cpu, theme),
    ];
    if let Some(limit) = mem_limit.filter(|l| *l > 0)
        && let Some(trend) = series.memory_trend()
        && let Some(until) = trend.until(limit)
    {
        let text = format!(
            "at this rate reaches its {} limit in {} (+{:.0}Mi/min)",
            crate::model::quantity::format_bytes(limit),
            rough(until),
            trend.mib_per_min()
        );
        out.push(kv(
            "estimate",
            vec![Span::styled(text, theme.status_warn)],
            theme,
        ));
    }
    out
}

/// One sparkline and its figures.
fn line<'a>(
    label: &str,
    values: &[Option<u64>],
    limit: Option<u64>,
    covers: jiff::SignedDuration,
    fmt: fn(u64) -> String,
    theme: &Theme,
) -> Para<'a> {
    let present = values.iter().flatten().copied();
    let (min, max) = present.fold((u64::MAX, 0), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let latest = values.last().copied().flatten();
    let limit = limit.filter(|l| *l > 0);
    let scale = limit.unwrap_or(max).max(max).max(1);
    let style = match limit {
        Some(l) if max > 0 => theme.gauge(max as f64 / l as f64),
        _ => Style::new(),
    };
    let mut spans = vec![Span::styled(sparkline(values, scale, SPARK_CELLS), style)];
    let mut facts = Vec::new();
    facts.push(match latest {
        Some(v) => format!("{} now", fmt(v)),
        None => "none in the last poll".to_string(),
    });
    if max > 0 || min != u64::MAX {
        facts.push(format!("min {}", fmt(min)));
        facts.push(format!("max {}", fmt(max)));
    }
    if let Some(l) = limit {
        facts.push(format!("limit {}", fmt(l)));
    }
    facts.push(span_words(covers, values.len()));
    spans.push(Span::raw(" "));
    spans.push(Span::raw(facts.join(" · ")));
    kv(label, spans, theme)
}

/// How much the line covers: `30m`, `45s`, or `1 poll`.
fn span_words(d: jiff::SignedDuration, polls: usize) -> String {
    let secs = d.as_secs();
    if polls <= 1 {
        "1 poll".to_string()
    } else if secs < 120 {
        format!("{secs}s")
    } else {
        format!("{}m", (secs + 30) / 60)
    }
}

/// `values` in at most `cells` bars (each the highest of the polls it
/// holds), scaled so that `scale` is a full bar; a cell with no value is
/// blank.
pub fn sparkline(values: &[Option<u64>], scale: u64, cells: usize) -> String {
    if values.is_empty() || cells == 0 {
        return String::new();
    }
    let per = values.len().div_ceil(cells);
    values
        .chunks(per)
        .map(|chunk| match chunk.iter().flatten().max() {
            None => ' ',
            Some(v) => {
                let level = (*v as f64 / scale.max(1) as f64 * BARS.len() as f64).ceil() as usize;
                BARS[level.clamp(1, BARS.len()) - 1]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
