//! Lines off a log stream, with a bound: one line never holds more than the
//! limit in memory, however long the pod makes it. The bytes past the limit
//! are counted and skipped as they arrive, so a 1 GB line without a newline
//! costs the limit, not a gigabyte.
//!
//! Bytes stay bytes (a pod may write invalid UTF-8 or escapes; the model
//! sanitises), and the `timestamps=true` prefix the kubelet puts in front of
//! every line is split off here.

use futures::{AsyncBufRead, AsyncBufReadExt};
use jiff::Timestamp;

/// Room for the kubelet's timestamp prefix on top of the line limit:
/// `2026-03-02T09:00:00.123456789+00:00 ` is 36 bytes.
pub(super) const PREFIX_ROOM: usize = 40;

/// A buffer that grew past this for one long line is given back afterwards.
const KEEP_CAPACITY: usize = 16 * 1024;

/// Splits a byte stream into lines of at most `limit` kept bytes. Fed
/// chunks as they arrive; keeps only the line in progress.
#[derive(Debug)]
pub(super) struct Splitter {
    limit: usize,
    buf: Vec<u8>,
    cut: usize,
    /// The last byte of the line so far (kept or cut) was `\r`.
    cr: bool,
    /// Anything of a line seen since the last newline.
    started: bool,
}

impl Splitter {
    pub fn new(limit: usize) -> Splitter {
        Splitter {
            limit,
            buf: Vec::new(),
            cut: 0,
            cr: false,
            started: false,
        }
    }

    /// Takes bytes from `chunk` up to and including the first newline.
    /// Returns how many bytes were taken and whether a line ended (then
    /// [`Splitter::take`] hands it out).
    pub fn feed(&mut self, chunk: &[u8]) -> (usize, bool) {
        let (body, used, ended) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (&chunk[..i], i + 1, true),
            None => (chunk, chunk.len(), false),
        };
        if !body.is_empty() {
            self.started = true;
            self.cr = body.last() == Some(&b'\r');
            let room = self.limit.saturating_sub(self.buf.len());
            let keep = body.len().min(room);
            self.buf.extend_from_slice(&body[..keep]);
            self.cut += body.len() - keep;
        }
        (used, ended)
    }

    /// Something of an unfinished line is held (the end of the stream
    /// makes it the last line).
    pub fn pending(&self) -> bool {
        self.started
    }

    /// Hands the line to `make` (its kept bytes and how many were cut) and
    /// starts the next. `newline`: it ended with one (else the stream did).
    pub fn take<T>(&mut self, newline: bool, make: impl FnOnce(&[u8], usize) -> T) -> T {
        // `\r\n`: the `\r` is part of the line ending, kept or cut.
        if newline && self.cr {
            if self.cut > 0 {
                self.cut -= 1;
            } else {
                self.buf.pop();
            }
        }
        let out = make(&self.buf, self.cut);
        self.buf.clear();
        if self.buf.capacity() > KEEP_CAPACITY {
            self.buf = Vec::new();
        }
        self.cut = 0;
        self.cr = false;
        self.started = false;
        out
    }
}

/// The next line of `reader` made by `make` from its kept bytes and cut
/// count; `None` at the end. Cancel-safe: a line in progress stays in the
/// splitter, and bytes are consumed only once fed.
pub(super) async fn next_line<R, T>(
    reader: &mut R,
    splitter: &mut Splitter,
    make: impl FnOnce(&[u8], usize) -> T,
) -> std::io::Result<Option<T>>
where
    R: AsyncBufRead + Unpin,
{
    loop {
        let chunk = reader.fill_buf().await?;
        if chunk.is_empty() {
            return Ok(splitter.pending().then(|| splitter.take(false, make)));
        }
        let (used, ended) = splitter.feed(chunk);
        reader.consume_unpin(used);
        if ended {
            return Ok(Some(splitter.take(true, make)));
        }
    }
}

/// Splits the `timestamps=true` prefix (`2026-03-02T09:00:00.123456789Z `)
/// off a line: its time and where the text starts. A line without a
/// parseable prefix is all text.
pub(super) fn split_timestamp(line: &[u8]) -> (Option<Timestamp>, usize) {
    let head = &line[..line.len().min(PREFIX_ROOM)];
    let Some(space) = memchr::memchr(b' ', head) else {
        // A line that is only a timestamp: an empty line the pod wrote.
        return match parse_time(head) {
            Some(t) if head.len() == line.len() => (Some(t), line.len()),
            _ => (None, 0),
        };
    };
    match parse_time(&head[..space]) {
        Some(t) => (Some(t), space + 1),
        None => (None, 0),
    }
}

fn parse_time(bytes: &[u8]) -> Option<Timestamp> {
    // RFC 3339 always has the date first: skip the parser for plain text.
    if bytes.len() < 20 || !bytes[..4].iter().all(u8::is_ascii_digit) || bytes[4] != b'-' {
        return None;
    }
    std::str::from_utf8(bytes).ok()?.parse().ok()
}

#[cfg(test)]
mod tests;
