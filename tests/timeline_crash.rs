//! The journal's promise, tested the hard way: whatever moment the process
//! dies, every entry it acknowledged is on disk, in order, once, and the
//! journal opens cleanly afterwards (a torn last line set aside).
//!
//! The real binary's hidden `warroom timeline crash-writer` appends notes
//! (bodies from nothing to 200 KiB, so kills land inside writes) and prints
//! `ack <seq>` after each append returns. This test kills it with SIGKILL
//! hundreds of times at moments drawn from a seeded generator — after k
//! acknowledgements plus a short pause, or a random delay after start
//! (which also lands in process start-up, creation and recovery) — and
//! checks the journal after each kill. Timing only decides where the kills
//! land; any moment must be safe, so the assertions never depend on it.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use warroom::timeline::{Journal, JournalError};

const SEED: u64 = 0x5eed_2026_1122;
const ITERATIONS: usize = 240;
/// Iterations per journal, so files stay small enough to reread each time.
const PER_JOURNAL: usize = 12;
const COUNT: u64 = 24;

/// splitmix64: deterministic, so a failing run replays with the same kills.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

#[derive(Default)]
struct Tally {
    killed: usize,
    finished: usize,
    acks: usize,
    torn_by_test: usize,
    torn_by_writer: usize,
    torn_bytes: usize,
    checks: usize,
}

/// What one writer run printed: `(seq, text)` of each acknowledged entry,
/// and how many torn tails its own open recovered.
fn read_output(pid: u32, text: &str) -> (Vec<(u64, String)>, usize) {
    let mut acks = Vec::new();
    let mut torn = 0;
    for line in text.lines() {
        if let Some(seq) = line.strip_prefix("ack ") {
            let seq = seq.parse().expect("ack lines carry a seq");
            acks.push((seq, format!("crash-writer {pid} entry {}", acks.len())));
        } else if line.starts_with("recovered ") {
            torn += 1;
        } else {
            panic!("unexpected writer output {line:?}");
        }
    }
    (acks, torn)
}

/// Opens the journal as the console would after a crash and checks it
/// against everything ever acknowledged to it.
fn check(dir: &Path, id: &str, acked: &[(u64, String)], tally: &mut Tally) {
    let (journal, rec) = match Journal::open(dir, id) {
        Ok(opened) => opened,
        // Killed before the journal was ever created: nothing to check, and
        // nothing can have been acknowledged.
        Err(JournalError::NotFound { .. }) if acked.is_empty() => return,
        Err(e) => panic!("{id} does not open after a kill: {e}"),
    };
    tally.checks += 1;
    assert!(
        rec.skipped.is_empty(),
        "{id}: lines skipped {:?}",
        rec.skipped
    );
    if let Some(torn) = &rec.torn {
        tally.torn_by_test += 1;
        tally.torn_bytes += torn.bytes;
        let meta = std::fs::metadata(&torn.set_aside).expect("the torn tail is kept");
        assert_eq!(meta.len() as usize, torn.bytes);
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }
    let seqs: Vec<u64> = rec.entries.iter().map(|e| e.seq).collect();
    let want: Vec<u64> = (1..=seqs.len() as u64).collect();
    assert_eq!(seqs, want, "{id}: entries in order, none missing or twice");
    assert_eq!(journal.last_seq(), seqs.len() as u64);
    let mut texts: Vec<&str> = rec.entries.iter().map(|e| e.text.as_str()).collect();
    texts.sort_unstable();
    assert!(
        texts.windows(2).all(|w| w[0] != w[1]),
        "{id}: an entry appears twice"
    );
    for (seq, text) in acked {
        let entry = rec
            .entries
            .get(*seq as usize - 1)
            .unwrap_or_else(|| panic!("{id}: acknowledged entry {seq} is missing"));
        assert_eq!(
            &entry.text, text,
            "{id}: entry {seq} is not the one acknowledged"
        );
    }
}

#[test]
fn every_acknowledged_entry_survives_sigkill() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("incidents");
    let started = Instant::now();
    let mut rng = Rng(SEED);
    let mut tally = Tally::default();
    let mut acked: BTreeMap<String, Vec<(u64, String)>> = BTreeMap::new();
    for iteration in 0..ITERATIONS {
        let id = format!("crash-{:02}", iteration / PER_JOURNAL);
        let mut child = Command::new(env!("CARGO_BIN_EXE_warroom"))
            .args(["timeline", "crash-writer", "--dir"])
            .arg(&dir)
            .args(["--id", &id, "--count", &COUNT.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the warroom binary starts");
        let pid = child.id();
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut seen = String::new();
        if rng.below(2) == 0 {
            // After k acknowledgements, and a pause of up to 2 ms.
            let k = rng.below(COUNT);
            let mut acks = 0;
            while acks < k {
                let mut line = String::new();
                if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                acks += u64::from(line.starts_with("ack "));
                seen.push_str(&line);
            }
            std::thread::sleep(Duration::from_micros(rng.below(2_000)));
        } else {
            // Anywhere from start-up on: up to 12 ms after spawning.
            std::thread::sleep(Duration::from_micros(rng.below(12_000)));
        }
        let _ = child.kill();
        let status = child.wait().expect("the writer is reaped");
        stdout
            .read_to_string(&mut seen)
            .expect("the writer's output reads");
        let mut stderr = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut stderr);
        }
        if status.signal() == Some(9) {
            tally.killed += 1;
        } else {
            assert!(status.success(), "the writer failed: {status}: {stderr}");
            tally.finished += 1;
        }
        let (acks, torn) = read_output(pid, &seen);
        tally.acks += acks.len();
        tally.torn_by_writer += torn;
        let all = acked.entry(id.clone()).or_default();
        all.extend(acks);
        // Two times in three the test opens the journal now; otherwise the
        // next writer does the recovery itself (and may be killed doing it).
        if rng.below(3) != 0 || (iteration + 1) % PER_JOURNAL == 0 {
            check(&dir, &id, all, &mut tally);
        }
    }
    for (id, all) in &acked {
        check(&dir, id, all, &mut tally);
    }
    let elapsed = started.elapsed();
    println!(
        "crash test (seed {SEED:#x}): {ITERATIONS} runs in {:.1}s, {} killed, {} finished, \
         {} entries acknowledged, {} checks, torn tails: {} found by the test + {} by the writer \
         ({} bytes set aside by the test)",
        elapsed.as_secs_f64(),
        tally.killed,
        tally.finished,
        tally.acks,
        tally.checks,
        tally.torn_by_test,
        tally.torn_by_writer,
        tally.torn_bytes
    );
    // A sanity floor, not a timing assertion: most runs are killed before
    // they finish 24 appends, so a run where almost none were means the
    // kills are not landing and the test is not testing anything.
    assert!(
        tally.killed >= ITERATIONS / 4,
        "only {} of {ITERATIONS} writers were killed before finishing",
        tally.killed
    );
}
