use super::*;
use futures::TryStreamExt;

/// One line without its newline (`\n` or `\r\n`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    bytes: Vec<u8>,
    /// Bytes of the line beyond the limit, counted but not kept.
    cut: usize,
}

fn line(text: &[u8], cut: usize) -> Line {
    Line {
        bytes: text.to_vec(),
        cut,
    }
}

/// Every line, feeding `chunks` one at a time as a stream would.
fn split(limit: usize, chunks: &[&[u8]]) -> Vec<Line> {
    let mut s = Splitter::new(limit);
    let mut out = Vec::new();
    for chunk in chunks {
        let mut rest = *chunk;
        while !rest.is_empty() {
            let (used, ended) = s.feed(rest);
            assert!(used > 0 && used <= rest.len());
            rest = &rest[used..];
            if ended {
                out.push(s.take(true, line));
            }
        }
    }
    if s.pending() {
        out.push(s.take(false, line));
    }
    out
}

#[test]
fn lines_split_across_chunk_boundaries() {
    assert_eq!(
        split(100, &[b"one\ntw", b"o\nthr", b"ee", b"\n"]),
        vec![line(b"one", 0), line(b"two", 0), line(b"three", 0)]
    );
    assert_eq!(
        split(100, &[b"a\n\nb\n"]),
        vec![line(b"a", 0), line(b"", 0), line(b"b", 0)],
        "an empty line is a line"
    );
}

#[test]
fn crlf_endings_lose_the_cr_even_across_chunks() {
    assert_eq!(
        split(100, &[b"one\r\ntwo\r", b"\nthree"]),
        vec![line(b"one", 0), line(b"two", 0), line(b"three", 0)]
    );
    assert_eq!(
        split(100, &[b"a\rb\n"]),
        vec![line(b"a\rb", 0)],
        "a lone CR inside a line is the pod's"
    );
    assert_eq!(
        split(100, &[b"x\r"]),
        vec![line(b"x\r", 0)],
        "a CR at the end of the stream without LF is kept"
    );
}

#[test]
fn the_last_line_needs_no_newline() {
    assert_eq!(
        split(100, &[b"one\ntwo"]),
        vec![line(b"one", 0), line(b"two", 0)]
    );
    assert_eq!(split(100, &[b"one\n"]), vec![line(b"one", 0)]);
    assert_eq!(split(100, &[]), vec![]);
}

#[test]
fn long_lines_are_cut_at_the_limit_and_the_rest_counted() {
    assert_eq!(
        split(4, &[b"abcdefgh\nij\n"]),
        vec![line(b"abcd", 4), line(b"ij", 0)]
    );
    // Over many chunks: nothing past the limit is ever buffered.
    let mut s = Splitter::new(8);
    let chunk = [b'x'; 1000];
    for _ in 0..1000 {
        assert_eq!(s.feed(&chunk), (1000, false));
        assert!(s.buf.len() <= 8 && s.buf.capacity() < 1000);
    }
    assert_eq!(s.feed(b"\r\nnext\n"), (2, true));
    assert_eq!(
        s.take(true, line),
        line(b"xxxxxxxx", 1_000_000 - 8),
        "the CR of CRLF is not counted as cut"
    );
    assert_eq!(s.feed(b"next\n"), (5, true));
    assert_eq!(s.take(true, line), line(b"next", 0));
    // A line of exactly the limit is not cut.
    assert_eq!(split(3, &[b"abc\r\n"]), vec![line(b"abc", 0)]);
    assert_eq!(split(3, &[b"abcd"]), vec![line(b"abc", 1)]);
}

#[test]
fn invalid_utf8_passes_through_as_bytes() {
    let bad: &[u8] = b"\xff\xfe caf\xc3 \x1b[2J\n";
    assert_eq!(split(100, &[bad]), vec![line(&bad[..bad.len() - 1], 0)]);
    // Cut in the middle of a multi-byte character: still just bytes.
    assert_eq!(split(2, &["é€\n".as_bytes()]), vec![line(&[0xc3, 0xa9], 3)]);
}

#[tokio::test]
async fn the_async_reader_hands_out_lines_over_chunks() {
    let chunks: Vec<std::io::Result<Vec<u8>>> = vec![
        Ok(b"2026-03-02T09:00:00.1Z he".to_vec()),
        Ok(b"llo\r\n2026-03-02T09:00:01Z ".to_vec()),
        Ok(vec![b'y'; 50]),
        Ok(b"\ntail".to_vec()),
    ];
    let mut reader = futures::stream::iter(chunks).into_async_read();
    let mut s = Splitter::new(40);
    let mut got = Vec::new();
    while let Some(l) = next_line(&mut reader, &mut s, line).await.expect("reads") {
        got.push(l);
    }
    let mut long = b"2026-03-02T09:00:01Z ".to_vec();
    long.extend([b'y'; 19]);
    assert_eq!(
        got,
        vec![
            line(b"2026-03-02T09:00:00.1Z hello", 0),
            line(&long, 31),
            line(b"tail", 0),
        ]
    );
}

#[test]
fn timestamp_prefixes_are_split_off() {
    let l = b"2026-03-02T09:00:00.123456789Z {\"level\":\"info\"}";
    let (at, start) = split_timestamp(l);
    assert_eq!(
        at,
        Some("2026-03-02T09:00:00.123456789Z".parse().expect("valid"))
    );
    assert_eq!(&l[start..], b"{\"level\":\"info\"}");
    let (at, start) = split_timestamp(b"2026-03-02T10:00:00+01:00 x");
    assert_eq!(at, Some("2026-03-02T09:00:00Z".parse().expect("valid")));
    assert_eq!(start, 26);
    // The pod wrote an empty line.
    let (at, start) = split_timestamp(b"2026-03-02T09:00:00Z");
    assert!(at.is_some());
    assert_eq!(start, 20);
    let (at, start) = split_timestamp(b"2026-03-02T09:00:00Z ");
    assert!(at.is_some());
    assert_eq!(start, 21);
}

#[test]
fn lines_without_a_valid_prefix_keep_every_byte() {
    for l in [
        &b"plain text line"[..],
        b"",
        b"2026-13-02T09:00:00Z month 13",
        b"2026-03-02 09:00:00 a date, no RFC 3339",
        b"\xff\xfe\xfd\xfc-\xff\xfe\xfd\xfc\xff\xfe\xfd\xfc\xff\xfe\xfd\xfc\xff x",
        b"12345678901234567890123456789012345678901234567890 long number",
    ] {
        assert_eq!(
            split_timestamp(l),
            (None, 0),
            "{:?}",
            String::from_utf8_lossy(l)
        );
    }
}
