//! The harness of the end-to-end tests: a centre serving on a loopback port from a temporary
//! data directory, with operator access beside it, and phones enrolled in its teams.

use std::path::PathBuf;
use std::sync::Arc;

use gadeplan::transport::HttpTransport;
use gadeplan_centre::policy::EnrolLimits;
use gadeplan_centre::server::Settings;
use gadeplan_centre::{Centre, Database, RunningCentre};
use gadeplan_core::{NewPerson, Store};
use tempfile::TempDir;

pub mod binaries;
pub mod certs;
pub mod disk;
pub use gadeplan_testkit::plaintext;
pub mod work;

pub struct Harness {
    pub dir: TempDir,
    pub centre: RunningCentre,
    pub operator: Centre,
    /// Where the centre keeps its data: the embedded store under `dir`, or a fresh database on
    /// the test PostgreSQL server when `GADEPLAN_TEST_BACKEND=postgres` (see `test_database`).
    pub database: Database,
}

/// The backend the suites run the centre on: the embedded store, or with
/// `GADEPLAN_TEST_BACKEND=postgres` a fresh database on the test command's PostgreSQL server
/// (`scripts/test.sh` runs the sync, report, attack, crash and network-fault suites both ways).
pub fn test_database(data: &std::path::Path) -> Database {
    match std::env::var("GADEPLAN_TEST_BACKEND").as_deref() {
        Ok("postgres") => Database::Postgres(
            gadeplan_testkit::postgres::fresh_database()
                .expect("GADEPLAN_TEST_BACKEND=postgres needs GADEPLAN_TEST_POSTGRES"),
        ),
        Ok("sqlite") | Err(_) => Database::embedded(data),
        Ok(other) => panic!("GADEPLAN_TEST_BACKEND is sqlite or postgres, not {other}"),
    }
}

/// Whether the suites run the centre on PostgreSQL: a test that looks inside the embedded
/// store's file has nothing to look at then.
pub fn on_postgres() -> bool {
    std::env::var("GADEPLAN_TEST_BACKEND").as_deref() == Ok("postgres")
}

pub const TEAM_A: &str = "Vesterbro";
pub const TEAM_B: &str = "Nørrebro";

impl Harness {
    /// A centre with its default policy, but enrolment not rate-limited: the tests enrol many
    /// phones, and try many bad codes, from one address in a few seconds.
    pub fn new() -> Harness {
        Harness::with(Settings {
            enrol: EnrolLimits {
                per_source_per_minute: u32::MAX,
                total_per_minute: u32::MAX,
            },
            ..Settings::default()
        })
    }

    pub fn with(settings: Settings) -> Harness {
        let dir = TempDir::new().expect("temporary directory");
        let database = test_database(&dir.path().join("centre"));
        let operator = Centre::connect(&database, settings.policy).expect("centre store");
        operator.add_team(TEAM_A).expect("team");
        operator.add_team(TEAM_B).expect("team");
        let centre = RunningCentre::start_with(database.clone(), "127.0.0.1:0", settings)
            .expect("centre on loopback");
        Harness {
            dir,
            centre,
            operator,
            database,
        }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("centre")
    }

    pub fn url(&self) -> String {
        self.centre.url()
    }

    pub fn transport(&self) -> Arc<HttpTransport> {
        Arc::new(HttpTransport::new(&self.url()))
    }

    /// A new phone store for `worker`, not enrolled.
    pub fn store(&self, worker: &str) -> Arc<Store> {
        let path = self
            .dir
            .path()
            .join(format!("{worker}.db"))
            .to_string_lossy()
            .into_owned();
        Store::create(
            path,
            key_of(worker).to_vec(),
            worker.into(),
            format!("{worker}'s phone"),
        )
        .expect("phone store")
    }

    pub fn store_path(&self, worker: &str) -> String {
        self.dir
            .path()
            .join(format!("{worker}.db"))
            .to_string_lossy()
            .into_owned()
    }

    /// A phone of `worker` in `team`, enrolled at the centre.
    pub fn phone(&self, team: &str, worker: &str) -> Arc<Store> {
        let store = self.store(worker);
        let code = self
            .operator
            .new_enrolment(team, worker, 1)
            .expect("code")
            .code;
        store
            .enrol(self.transport(), self.url(), code)
            .expect("enrolment");
        store
    }

    /// A raw connection to the centre's encrypted store, to look at (or age) what it keeps.
    pub fn centre_db(&self) -> rusqlite::Connection {
        centre_db(&self.data())
    }

    /// Runs one statement on the centre's storage, whichever backend it is (plain SQL that both
    /// read alike, values written in): to age what it keeps. Returns the rows changed.
    pub fn centre_execute(&self, sql: &str) -> u64 {
        match &self.database {
            Database::Embedded { data, .. } => {
                centre_db(data).execute(sql, []).expect("SQL") as u64
            }
            Database::Postgres(address) => postgres::Client::connect(address, postgres::NoTls)
                .expect("PostgreSQL")
                .execute(sql, &[])
                .expect("SQL"),
        }
    }

    /// The first column of every row a query on the centre's storage returns, as text.
    pub fn centre_column(&self, sql: &str) -> Vec<String> {
        match &self.database {
            Database::Embedded { data, .. } => {
                let conn = centre_db(data);
                let mut stmt = conn.prepare(sql).expect("SQL");
                stmt.query_map([], |r| r.get(0))
                    .expect("SQL")
                    .collect::<rusqlite::Result<_>>()
                    .expect("rows")
            }
            Database::Postgres(address) => postgres::Client::connect(address, postgres::NoTls)
                .expect("PostgreSQL")
                .query(sql, &[])
                .expect("SQL")
                .iter()
                .map(|r| r.get(0))
                .collect(),
        }
    }

    /// The table that holds the centre's journal: the core's `entries` in the embedded store,
    /// `centre_entries` on PostgreSQL.
    pub fn journal_table(&self) -> &'static str {
        match &self.database {
            Database::Embedded { .. } => "entries",
            Database::Postgres(_) => "centre_entries",
        }
    }

    /// The centre's entry ids for a team.
    pub fn centre_ids(&self, team: &str) -> Vec<String> {
        self.operator.team_entry_ids(team).expect("centre ids")
    }
}

impl Default for Harness {
    fn default() -> Self {
        Harness::new()
    }
}

/// Each test worker's store key, derived from the name so a test can reopen a store.
pub fn key_of(worker: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    for (i, b) in worker.bytes().cycle().take(32).enumerate() {
        key[i] = b.wrapping_add(i as u8);
    }
    key
}

pub fn person(store: &Store, alias: &str) -> String {
    store
        .add_person(NewPerson {
            alias: alias.into(),
            description: None,
            birth_year: None,
            from_unknown: None,
            occurred_at: None,
        })
        .expect("person")
        .person
}

pub use gadeplan_testkit::worker::{contact, contact_noting};

/// Every entry id in a phone's journal.
pub fn local_ids(store: &Store) -> Vec<String> {
    store
        .with_connection(|c| {
            let mut stmt = c.prepare("SELECT id FROM entries ORDER BY id")?;
            let ids = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(ids)
        })
        .expect("ids")
}

/// Every entry id a phone holds, or holds a marker of: its journal, the entries purged from it
/// (held at the centre for it, `sync::purge`) and those erased (their tombstones the centre
/// listed). What its digest counts, less what it has not sent and what was refused.
pub fn held_ids(store: &Store) -> Vec<String> {
    store
        .with_connection(|c| {
            let mut stmt = c.prepare(
                "SELECT id FROM entries UNION SELECT entry_id FROM sync_purged_entries
                 UNION SELECT entry_id FROM erased_entries WHERE counted = 1 ORDER BY 1",
            )?;
            let ids = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(ids)
        })
        .expect("ids")
}

/// Every entry in a phone's journal, in id order.
pub fn entries_of(store: &Store) -> Vec<gadeplan_core::journal::Entry> {
    store
        .with_connection(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {} FROM entries ORDER BY id",
                gadeplan_core::entries::COLUMNS
            ))?;
            let rows = stmt
                .query_map([], gadeplan_core::entries::from_row)?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
        .expect("entries")
}

/// An entry as `store`'s device could make it whatever its app's rules say: its own device and
/// worker, stamped now (or at `wall_ms`), about `subject`, with `payload`. What an enrolled but
/// hostile (or broken) phone pushes.
pub fn forge(
    store: &Store,
    kind: gadeplan_core::EntryKind,
    subject: &str,
    payload: &str,
    wall_ms: Option<i64>,
) -> gadeplan_core::journal::Entry {
    use gadeplan_core::{clock, journal};
    let identity = store.identity().expect("identity");
    let now = clock::now().timestamp_millis();
    let hlc = clock::Hlc {
        wall_ms: wall_ms.unwrap_or(now),
        // A counter no real entry of this millisecond uses.
        counter: 4_000,
        device: identity.device_id.clone(),
    };
    gadeplan_core::journal::Entry {
        id: journal::entry_id_for(&hlc).expect("a stamp an id can carry"),
        kind,
        schema_version: journal::PAYLOAD_VERSION,
        subject: subject.into(),
        author_worker: identity.worker,
        author_device: identity.device_id.into(),
        occurred_at: journal::format_timestamp(
            chrono::DateTime::from_timestamp_millis(now.min(hlc.wall_ms)).expect("a time"),
        ),
        recorded_at: hlc.encode(),
        payload: payload.into(),
    }
}

/// Pushes entries as protocol 2 does (the token in the header); the status and the answer.
pub fn push(url: &str, token: &str, entries: &[gadeplan_core::journal::Entry]) -> (u16, String) {
    let body = serde_json::json!({"protocol": 2, "entries": entries}).to_string();
    post_raw_as(url, "push", Some(token), body.as_bytes())
}

/// The device token a phone keeps in its store after enrolment.
pub fn device_token(store: &Store) -> String {
    store
        .with_connection(|c| {
            Ok(
                c.query_row("SELECT value FROM meta WHERE key = 'sync_token'", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .expect("enrolled")
}

pub fn dump(store: &Store) -> Vec<String> {
    store
        .with_connection(gadeplan_core::kinds::dump)
        .expect("dump")
}

/// Sends raw bytes to a centre endpoint and returns the HTTP status and body (inflated).
pub fn post_raw(url: &str, endpoint: &str, body: &[u8]) -> (u16, String) {
    post_raw_as(url, endpoint, None, body)
}

/// `post_raw` with a device token in the `Authorization` header (protocol 2).
pub fn post_raw_as(url: &str, endpoint: &str, token: Option<&str>, body: &[u8]) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut request = agent
        .post(&format!("{url}/v1/{endpoint}"))
        .header("Content-Type", "application/json");
    if let Some(token) = token {
        request = request.header("Authorization", format!("Bearer {token}"));
    }
    match request.send(body) {
        Ok(mut r) => {
            // A compressed request is answered compressed; the text is the inflated JSON.
            let bytes = r.body_mut().read_to_vec().unwrap_or_default();
            let text = gadeplan_core::sync::wire::inflate(&bytes, usize::MAX)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            (r.status().as_u16(), text)
        }
        Err(e) => (0, e.to_string()),
    }
}

/// SQLite's own check of a phone's file: `"ok"` when sound.
pub fn integrity(store: &Store) -> String {
    store
        .with_connection(|c| Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?))
        .expect("integrity check")
}

/// The centre's storage checked: `"ok"` when sound. SQLite's own check of the embedded file; on
/// PostgreSQL (which checks its own pages), that every team's sequence runs from 1 without a gap
/// or a number twice.
pub fn centre_integrity(database: &Database) -> String {
    match database {
        Database::Embedded { data, .. } => centre_db(data)
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity check"),
        Database::Postgres(address) => {
            let broken: Vec<String> = postgres::Client::connect(address, postgres::NoTls)
                .expect("PostgreSQL")
                .query(
                    "SELECT team FROM centre_entries GROUP BY team
                     HAVING max(seq) <> count(*) OR min(seq) <> 1 OR count(DISTINCT seq) <> count(*)",
                    &[],
                )
                .expect("SQL")
                .iter()
                .map(|r| r.get(0))
                .collect();
            if broken.is_empty() {
                "ok".into()
            } else {
                format!("sequences broken in {broken:?}")
            }
        }
    }
}

/// A child process (a centre, a phone worker) that is killed and reaped when dropped, so that a
/// failed assertion leaves none running. `take` hands it over for an orderly end.
pub struct Reaped(pub Option<std::process::Child>);

impl Reaped {
    pub fn new(child: std::process::Child) -> Reaped {
        Reaped(Some(child))
    }

    pub fn take(&mut self) -> std::process::Child {
        self.0.take().expect("a live child process")
    }

    pub fn child(&mut self) -> &mut std::process::Child {
        self.0.as_mut().expect("a live child process")
    }
}

impl Drop for Reaped {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A raw connection to the encrypted centre store in the data directory `data`.
pub fn centre_db(data: &std::path::Path) -> rusqlite::Connection {
    let key = std::fs::read_to_string(data.join("centre.key")).expect("centre key");
    let key = gadeplan_core::db::parse_hex_key(&key).expect("centre key is hex");
    gadeplan_core::db::open_raw(&data.join("centre.db"), &key).expect("centre db")
}

/// A binary of the workspace (`gadeplan`, `gadeplan-centre`) built in the same profile as the
/// running test, beside it in the target directory: `cargo test --workspace` builds both, and
/// a test run alone builds the missing one first. (Run alone, a test may find an older build of
/// the other package's binary; `cargo test --workspace`, as the test command runs, never does.)
pub fn workspace_binary(package: &str, name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    let binary = profile_dir.join(name);
    if !binary.exists() {
        let mut build = std::process::Command::new(env!("CARGO"));
        build.args(["build", "-p", package, "--bin", name]);
        if profile_dir.ends_with("release") {
            build.arg("--release");
        }
        let status = build.status().expect("cargo build");
        assert!(status.success(), "cargo build -p {package} failed");
    }
    binary
}
