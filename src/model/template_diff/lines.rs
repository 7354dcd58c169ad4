//! A line diff in unified form: the longest common subsequence of two
//! line lists (after their common head and tail are set aside), cut into
//! hunks with a few lines of context, as `diff -u` prints them.

use std::collections::HashMap;

use super::DiffLine;

/// Above this many cells (lines changed on one side times the other) the
/// LCS table is not built: the changed middle is shown as removed, then
/// added. Pod templates are well under a thousand lines, and their changes
/// a handful; this only bounds memory (16 MB) for absurd input.
const MAX_CELLS: usize = 4_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Same,
    Removed,
    Added,
}

/// The edit script from `a` to `b`: every line of `a` once as Same or
/// Removed, every line of `b` once as Same or Added, in order; in each run
/// of changes the removed lines come before the added ones.
fn script(a: &[String], b: &[String]) -> Vec<Op> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);

    let mut ops = vec![Op::Same; head];
    let middle = if ma.is_empty() || mb.is_empty() {
        None
    } else {
        lcs_script(ma, mb)
    };
    match middle {
        Some(m) => ops.extend(grouped(m)),
        None => {
            ops.extend(std::iter::repeat_n(Op::Removed, ma.len()));
            ops.extend(std::iter::repeat_n(Op::Added, mb.len()));
        }
    }
    ops.extend(std::iter::repeat_n(Op::Same, tail));
    ops
}

/// The LCS edit script by dynamic programming over interned lines, or
/// `None` when the table would be too big.
fn lcs_script(a: &[String], b: &[String]) -> Option<Vec<Op>> {
    let (n, m) = (a.len(), b.len());
    let cells = (n + 1).checked_mul(m + 1)?;
    if cells > MAX_CELLS {
        return None;
    }
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let ia = intern(&mut ids, a);
    let ib = intern(&mut ids, b);

    // lcs[i * (m + 1) + j]: the LCS length of a[i..] and b[j..].
    let w = m + 1;
    let mut lcs = vec![0u32; cells];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * w + j] = if ia[i] == ib[j] {
                lcs[(i + 1) * w + j + 1] + 1
            } else {
                lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
            };
        }
    }
    let mut ops = Vec::with_capacity(n + m);
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if ia[i] == ib[j] {
            ops.push(Op::Same);
            i += 1;
            j += 1;
        } else if lcs[(i + 1) * w + j] >= lcs[i * w + j + 1] {
            ops.push(Op::Removed);
            i += 1;
        } else {
            ops.push(Op::Added);
            j += 1;
        }
    }
    ops.extend(std::iter::repeat_n(Op::Removed, n - i));
    ops.extend(std::iter::repeat_n(Op::Added, m - j));
    Some(ops)
}

/// Each line as a number, equal numbers for equal lines.
fn intern<'a>(ids: &mut HashMap<&'a str, u32>, lines: &'a [String]) -> Vec<u32> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
        out.push(*ids.entry(line.as_str()).or_insert(next));
    }
    out
}

/// Each run of changes with its removed lines first.
fn grouped(ops: Vec<Op>) -> Vec<Op> {
    let mut out = Vec::with_capacity(ops.len());
    let mut added = 0;
    for op in ops {
        match op {
            Op::Removed => out.push(Op::Removed),
            Op::Added => added += 1,
            Op::Same => {
                out.extend(std::iter::repeat_n(Op::Added, added));
                added = 0;
                out.push(Op::Same);
            }
        }
    }
    out.extend(std::iter::repeat_n(Op::Added, added));
    out
}

/// `a` → `b` as unified hunks with `context` lines around each change;
/// changes closer than twice the context share a hunk. The header is
/// `@@ -start,count +start,count @@` with 1-based starts; an empty side
/// names the line before it, as `diff -u` does.
pub(super) fn unified(a: &[String], b: &[String], context: usize) -> Vec<DiffLine> {
    let ops = script(a, b);
    // Lines of a and b before each op.
    let mut before = Vec::with_capacity(ops.len() + 1);
    let (mut ai, mut bi) = (0usize, 0usize);
    for op in &ops {
        before.push((ai, bi));
        match op {
            Op::Same => {
                ai += 1;
                bi += 1;
            }
            Op::Removed => ai += 1,
            Op::Added => bi += 1,
        }
    }
    before.push((ai, bi));

    // Op ranges of the hunks.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for (k, op) in ops.iter().enumerate() {
        if *op == Op::Same {
            continue;
        }
        let start = k.saturating_sub(context);
        let end = (k + 1 + context).min(ops.len());
        match ranges.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => ranges.push((start, end)),
        }
    }

    let mut out = Vec::new();
    for (start, end) in ranges {
        let (a0, b0) = before[start];
        let (a1, b1) = before[end];
        let side = |from: usize, count: usize| {
            if count == 0 {
                format!("{from},0")
            } else {
                format!("{},{count}", from + 1)
            }
        };
        out.push(DiffLine::Hunk(format!(
            "@@ -{} +{} @@",
            side(a0, a1 - a0),
            side(b0, b1 - b0)
        )));
        for (k, op) in ops.iter().enumerate().take(end).skip(start) {
            let (ak, bk) = before[k];
            let line = match op {
                Op::Same | Op::Removed => a.get(ak),
                Op::Added => b.get(bk),
            };
            let line = line.cloned().unwrap_or_default();
            out.push(match op {
                Op::Same => DiffLine::Context(line),
                Op::Removed => DiffLine::Removed(line),
                Op::Added => DiffLine::Added(line),
            });
        }
    }
    out
}
