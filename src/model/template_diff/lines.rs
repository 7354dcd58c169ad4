//! A line diff in unified form: `similar`'s Myers diff of two line lists,
//! cut into hunks with a few lines of context, as `diff -u` prints them.

use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, DiffTag};

use super::DiffLine;

/// How long the diff may search for the shortest edit script. Myers' diff
/// takes time in proportion to the lines times the changes, so two large
/// and completely different inputs would spin; past this budget the rest
/// of the changed middle is shown as removed, then added (still a correct
/// diff, only not the shortest). A pod template of thousands of lines with
/// hundreds of changes is diffed in milliseconds: only absurd input meets
/// the budget, and only then does the output depend on the machine.
const BUDGET: Duration = Duration::from_millis(250);

/// `a` → `b` as unified hunks with `context` lines around each change;
/// changes closer than twice the context share a hunk. In each run of
/// changes the removed lines come before the added ones. The header is
/// `@@ -start,count +start,count @@` with 1-based starts; an empty side
/// names the line before it, as `diff -u` does.
pub(super) fn unified(a: &[String], b: &[String], context: usize) -> Vec<DiffLine> {
    let deadline = Instant::now().checked_add(BUDGET);
    let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, a, b, deadline);
    let mut out = Vec::new();
    for hunk in similar::group_diff_ops(ops, context) {
        let (Some(first), Some(last)) = (hunk.first(), hunk.last()) else {
            continue;
        };
        let old = first.old_range().start..last.old_range().end;
        let new = first.new_range().start..last.new_range().end;
        out.push(DiffLine::Hunk(format!(
            "@@ -{} +{} @@",
            side(old.start, old.len()),
            side(new.start, new.len())
        )));
        for op in &hunk {
            push_lines(op, a, b, &mut out);
        }
    }
    out
}

/// One side of a hunk header: `start,count` with a 1-based start, or the
/// line before it when the side is empty.
fn side(start: usize, count: usize) -> String {
    if count == 0 {
        format!("{start},0")
    } else {
        format!("{},{count}", start + 1)
    }
}

/// The lines of one op: a replacement as its removed lines, then its added.
fn push_lines(op: &DiffOp, a: &[String], b: &[String], out: &mut Vec<DiffLine>) {
    let (tag, old, new) = op.as_tag_tuple();
    let old = a.get(old).unwrap_or_default().iter().cloned();
    let new = b.get(new).unwrap_or_default().iter().cloned();
    match tag {
        DiffTag::Equal => out.extend(old.map(DiffLine::Context)),
        DiffTag::Delete => out.extend(old.map(DiffLine::Removed)),
        DiffTag::Insert => out.extend(new.map(DiffLine::Added)),
        DiffTag::Replace => {
            out.extend(old.map(DiffLine::Removed));
            out.extend(new.map(DiffLine::Added));
        }
    }
}
