//! The sync goals. P3: syncing N entries phone → centre → second phone over loopback HTTP against
//! recording them on the first phone, and the bytes on the wire per entry against the payload.
//! P4: a phone's peak memory syncing 100,000 entries against syncing 10,000, each sync run in a
//! fresh child process (`--sync-child`) so that its peak is its own.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use gadeplan::transport::HttpTransport;
use gadeplan_core::{Store, Transport, TransportError};

use crate::centre_bench::{Backend, phone, start};
use crate::timing::Goal;
use crate::{KEY, sample_contact};

/// Counts the bytes a transport carries each way.
pub struct Counting<T: Transport> {
    inner: T,
    pub sent: AtomicU64,
    pub received: AtomicU64,
}

impl<T: Transport> Counting<T> {
    pub fn new(inner: T) -> Self {
        Counting {
            inner,
            sent: AtomicU64::new(0),
            received: AtomicU64::new(0),
        }
    }
}

impl<T: Transport> Transport for Counting<T> {
    fn send(
        &self,
        endpoint: String,
        token: Option<String>,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, TransportError> {
        self.sent.fetch_add(body.len() as u64, Ordering::Relaxed);
        let answer = self.inner.send(endpoint, token, body)?;
        self.received
            .fetch_add(answer.len() as u64, Ordering::Relaxed);
        Ok(answer)
    }
}

const WORDS: &[&str] = &[
    "sovepose",
    "herberg",
    "hunden",
    "metadon",
    "lægen",
    "kontanthjælp",
    "sagsbehandler",
    "varmestuen",
    "morgen",
    "aftale",
    "træt",
    "syg",
    "sår",
    "ben",
    "kold",
    "regn",
    "bænken",
    "stationen",
    "kiosken",
    "søster",
    "bror",
    "datter",
    "fængsel",
    "bøde",
    "gæld",
    "boligen",
    "udsat",
    "mad",
    "kaffe",
    "cigaretter",
    "snakkede",
    "lovede",
    "ringer",
    "i morgen",
    "fredag",
    "ikke",
    "måske",
    "gerne",
    "vil",
    "har",
    "skal",
    "vi",
    "han",
    "hun",
    "om",
    "med",
    "efter",
];

/// A note of 12–30 words drawn by a seeded generator, so that notes differ as real ones do and
/// compression is not flattered by repetition.
pub fn varied_note(seed: u64) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let n = 12 + next() % 19;
    let words: Vec<&str> = (0..n)
        .map(|_| WORDS[(next() % WORDS.len() as u64) as usize])
        .collect();
    format!(
        "{}. Kl. {}:{:02}.",
        words.join(" "),
        8 + next() % 14,
        next() % 60
    )
}

/// Records `n` entries (a person, then contacts about them); returns the payload bytes recorded.
pub(crate) fn record(store: &Store, n: usize, durable: bool) -> u64 {
    if !durable {
        store
            .with_connection(|c| Ok(c.execute_batch("PRAGMA synchronous = OFF")?))
            .expect("pragma");
    }
    let mut person = String::new();
    for i in 0..n {
        if i % 25 == 0 {
            let r = store
                .add_person(gadeplan_core::NewPerson {
                    alias: format!("Person {i}"),
                    description: Some("grey coat, usually by the kiosk".into()),
                    birth_year: None,
                    from_unknown: None,
                    occurred_at: None,
                })
                .expect("person");
            person = r.person;
        } else {
            let mut contact = sample_contact(&person);
            contact.note = Some(varied_note(i as u64));
            contact.minutes = Some(5 + (i % 50) as u32);
            store.record_contact(contact).expect("contact");
        }
    }
    store
        .with_connection(|c| {
            c.execute_batch("PRAGMA synchronous = FULL")?;
            Ok(
                c.query_row("SELECT sum(length(payload)) FROM entries", [], |r| {
                    r.get::<_, i64>(0)
                })? as u64,
            )
        })
        .expect("payload bytes")
}

pub fn p3(dir: &Path, n: usize) -> Vec<Goal> {
    println!("P3: {n} entries: recorded on phone A, then synced A → centre → B over loopback …");
    let setup = start(dir, Backend::Sqlite, "p3-centre", 1);
    let a = phone(&setup, dir, "p3a", "team-0");
    let b = phone(&setup, dir, "p3b", "team-0");
    let t = Instant::now();
    let payload_bytes = record(&a, n, true);
    let local = t.elapsed();

    let link_a = Arc::new(Counting::new(HttpTransport::new(&setup.url)));
    let link_b = Arc::new(Counting::new(HttpTransport::new(&setup.url)));
    let t = Instant::now();
    let pushed = a.sync(link_a.clone()).expect("push");
    let pushing = t.elapsed();
    let pulled = b.sync(link_b.clone()).expect("pull");
    let synced = t.elapsed();
    println!(
        "  A's sync (the push) {:.2} s, B's sync (the pull) {:.2} s",
        pushing.as_secs_f64(),
        (synced - pushing).as_secs_f64()
    );
    assert_eq!(pushed.pushed as usize, n);
    assert_eq!(pulled.pulled as usize, n);
    assert!(pulled.in_step && a.digest().expect("digest") == b.digest().expect("digest"));

    let bulk = bulk_insert_both_ends(dir, &a);
    let up = link_a.sent.load(Ordering::Relaxed) as f64 / n as f64;
    let down = link_b.received.load(Ordering::Relaxed) as f64 / n as f64;
    let payload = payload_bytes as f64 / n as f64;
    println!(
        "  recorded in {:.2} s, synced in {:.2} s, raw bulk insert of the rows on both ends {:.2} s; per entry: payload {payload:.0} B, push {up:.0} B, pull {down:.0} B",
        local.as_secs_f64(),
        synced.as_secs_f64(),
        bulk.as_secs_f64()
    );
    vec![
        Goal::new(
            "P3a",
            &format!(
                "sync {}k entries A → centre → B vs recording them",
                n / 1000
            ),
            synced.as_secs_f64() * 1e6,
            local.as_secs_f64() * 1e6,
            2.0,
        ),
        Goal::new(
            "P3c",
            &format!(
                "sync {}k entries A → centre → B vs a raw bulk insert of them on both ends",
                n / 1000
            ),
            synced.as_secs_f64() * 1e6,
            bulk.as_secs_f64() * 1e6,
            3.0,
        ),
        Goal::new(
            "P3b",
            "wire bytes per entry (mean of push and pull) vs its payload",
            (up + down) / 2.0,
            payload,
            1.1,
        )
        .with_unit("B"),
    ]
}

/// The floor of moving a journal's rows from one store to another: the same rows (every column
/// of the journal) inserted in one transaction into a bare table of a fresh encrypted store on
/// each end, as a bulk copy with no checks, projections or protocol would.
fn bulk_insert_both_ends(dir: &Path, from: &Store) -> std::time::Duration {
    let rows = from
        .with_connection(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {} FROM entries",
                gadeplan_core::entries::COLUMNS
            ))?;
            let rows = stmt
                .query_map([], gadeplan_core::entries::from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .expect("rows");
    let t = Instant::now();
    for end in ["bulk-centre.db", "bulk-phone.db"] {
        let mut conn =
            gadeplan_core::db::open(&dir.join(end), &KEY, gadeplan_core::db::OpenMode::Create)
                .expect("store");
        conn.execute_batch(
            "CREATE TABLE bulk (id TEXT PRIMARY KEY, kind TEXT NOT NULL, schema_version INTEGER NOT NULL,
                subject TEXT NOT NULL, author_worker TEXT NOT NULL, author_device TEXT NOT NULL,
                occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL, payload TEXT NOT NULL)
             STRICT, WITHOUT ROWID",
        )
        .expect("table");
        let tx = conn.transaction().expect("transaction");
        {
            let mut insert = tx
                .prepare("INSERT INTO bulk VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                .expect("statement");
            for e in &rows {
                insert
                    .execute(rusqlite::params![
                        e.id,
                        e.kind.code(),
                        e.schema_version,
                        e.subject,
                        e.author_worker,
                        e.author_device,
                        e.occurred_at,
                        e.recorded_at,
                        e.payload
                    ])
                    .expect("row");
            }
        }
        tx.commit().expect("commit");
    }
    t.elapsed()
}

/// The child side of P4: open a store, sync it, print the peak resident memory in KiB.
pub fn sync_child(path: &str, url: &str) {
    let store = Store::open(path.into(), KEY.to_vec()).expect("store");
    store.sync(Arc::new(HttpTransport::new(url))).expect("sync");
    println!("{}", peak_rss_kib());
}

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn child_peak(path: &str, url: &str) -> u64 {
    let out = std::process::Command::new(std::env::current_exe().expect("own path"))
        .args(["--sync-child", path, url])
        .output()
        .expect("child");
    assert!(
        out.status.success(),
        "child sync failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("peak")
}

pub fn p4(dir: &Path, small: usize, large: usize) -> Vec<Goal> {
    println!(
        "P4: a phone's peak memory syncing {large} vs {small} entries (each in its own process) …"
    );
    let mut figures = Vec::new();
    for n in [small, large] {
        let setup = start(dir, Backend::Sqlite, &format!("p4-centre-{n}"), 1);
        let a = phone(&setup, dir, &format!("p4a-{n}"), "team-0");
        drop(phone(&setup, dir, &format!("p4b-{n}"), "team-0"));
        let path = |worker: String| {
            dir.join(format!("{worker}.db"))
                .to_string_lossy()
                .into_owned()
        };
        let (a_path, b_path) = (path(format!("p4a-{n}")), path(format!("p4b-{n}")));
        record(&a, n, false);
        drop(a);
        let push = child_peak(&a_path, &setup.url);
        let pull = child_peak(&b_path, &setup.url);
        println!("  {n} entries: peak {push} KiB pushing, {pull} KiB pulling");
        figures.push((push, pull));
    }
    let (s, l) = (figures[0], figures[1]);
    vec![
        Goal::new(
            "P4a",
            &format!(
                "peak RSS pushing {}k vs {}k entries",
                large / 1000,
                small / 1000
            ),
            l.0 as f64,
            s.0 as f64,
            1.5,
        )
        .with_unit("KiB"),
        Goal::new(
            "P4b",
            &format!(
                "peak RSS pulling {}k vs {}k entries",
                large / 1000,
                small / 1000
            ),
            l.1 as f64,
            s.1 as f64,
            1.5,
        )
        .with_unit("KiB"),
    ]
}
