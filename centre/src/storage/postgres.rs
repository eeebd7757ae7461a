//! The PostgreSQL backend (`gadeplan-centre --database postgres://…`): the centre's tables and
//! the journal as rows in a database the municipality runs, with its own backups, replication
//! and monitoring, shared by any number of stateless centre processes.
//!
//! The `postgres` crate (the synchronous face of `tokio-postgres`): the centre's storage work
//! runs on tokio's blocking pool already, one plain transaction per request, so an async client
//! would buy nothing but a second style. Connections come from an `r2d2` pool, each with its
//! own prepared statements; one found broken is dropped and a new one made on the next request.
//!
//! Transactions are `READ COMMITTED`, with explicit locks where the protocol's guarantees need
//! them: a team's appends take a transaction-scoped advisory lock on the team (`lock_team`), so
//! its sequence numbers are given out one after another across every process, never reused and
//! never with a gap a phone could skip past (a number becomes visible only with its commit, and
//! the next is only given out after it); an enrolment code is read `FOR UPDATE`; an id is stored
//! once by its unique key. A lost connection fails the request (503, the phone tries again) and
//! rolls back everything it did. Text columns compare bytewise (`COLLATE "C"`), as SQLite does,
//! so ids sort alike on both backends and the digests agree.
//!
//! Migrations are SQL scripts in `centre/migrations/postgres/`, applied in order, each in one
//! transaction with its version, under a session advisory lock: two processes starting at once
//! migrate one after the other.

use std::collections::HashMap;
use std::time::Duration;

use gadeplan_core::journal::{Entry, EntryKind};
use gadeplan_core::sync::{DigestBuilder, wire};
use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Statement};

use super::{
    AuditRow, CheckinRow, CheckinStepRow, CodeRow, GlassRow, HeldRow, NewDevice, NewLeaderToken,
    RosterRow, SessionRow, Storage, Tx, Usage, UserRow,
};
use crate::store::{DeviceInfo, HeldInfo, LeaderTokenInfo, Refusal, Result};

/// Whether a database address names a PostgreSQL server.
pub fn is_address(database: &str) -> bool {
    database.starts_with("postgres://") || database.starts_with("postgresql://")
}

struct Migration {
    version: i32,
    sql: &'static str,
}

/// The columns of a user's row, in `user_row`'s order (a literal, for `concat!`).
macro_rules! user_columns {
    () => {
        "id, name, role, team, password_hash, failures, locked_until, created_at, disabled_at"
    };
}

/// The columns of a check-in's row, in `checkin_row`'s order (a literal, for `concat!`).
macro_rules! checkin_columns {
    () => {
        "SELECT id, team, worker, watcher, place, started_at, due_at, due_set_at, high_risk,
            ended_at, ended_by, on_behalf, duress, level, overdue_since, next_at_ms,
            acknowledged_by, acknowledged_at FROM centre_checkins"
    };
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sql: include_str!("../../migrations/postgres/0001_centre.sql"),
    },
    Migration {
        version: 2,
        sql: include_str!("../../migrations/postgres/0002_roster.sql"),
    },
    Migration {
        version: 3,
        sql: include_str!("../../migrations/postgres/0003_checkins.sql"),
    },
    Migration {
        version: 4,
        sql: include_str!("../../migrations/postgres/0004_audit.sql"),
    },
    Migration {
        version: 5,
        sql: include_str!("../../migrations/postgres/0005_accounts.sql"),
    },
    Migration {
        version: 6,
        sql: include_str!("../../migrations/postgres/0006_erasure.sql"),
    },
    Migration {
        version: 7,
        sql: include_str!("../../migrations/postgres/0007_next_token.sql"),
    },
];

/// The key of the session lock under which migrations run (any number, the same in every
/// process: "GADE" in ASCII).
const MIGRATION_LOCK: i64 = 0x4741_4445;

/// A connection with its prepared statements, which live as long as it does.
pub struct PgConnection {
    /// Always there but while it is dropped.
    client: Option<Client>,
    statements: HashMap<&'static str, Statement>,
}

impl Drop for PgConnection {
    fn drop(&mut self) {
        // Closing a connection blocks on its own runtime, which tokio forbids on a thread that
        // drives async tasks (the pool is dropped with the server's state, on the runtime): such
        // a connection is closed on a thread of its own.
        if let Some(client) = self.client.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            std::thread::spawn(move || drop(client));
        }
    }
}

impl PgConnection {
    fn client(&mut self) -> &mut Client {
        self.client
            .as_mut()
            .expect("a connection has its client until it is dropped")
    }

    fn statement(&mut self, sql: &'static str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client().prepare(sql)?;
        self.statements.insert(sql, s.clone());
        Ok(s)
    }

    fn query(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
        let s = self.statement(sql)?;
        Ok(self.client().query(&s, params)?)
    }

    fn query_opt(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>> {
        let s = self.statement(sql)?;
        Ok(self.client().query_opt(&s, params)?)
    }

    fn query_one(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<Row> {
        let s = self.statement(sql)?;
        Ok(self.client().query_one(&s, params)?)
    }

    fn execute(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        let s = self.statement(sql)?;
        Ok(self.client().execute(&s, params)?)
    }
}

/// Makes pooled connections to one server.
struct Manager {
    config: postgres::Config,
}

impl r2d2::ManageConnection for Manager {
    type Connection = PgConnection;
    type Error = postgres::Error;

    fn connect(&self) -> std::result::Result<PgConnection, postgres::Error> {
        Ok(PgConnection {
            client: Some(self.config.connect(NoTls)?),
            statements: HashMap::new(),
        })
    }

    fn is_valid(&self, conn: &mut PgConnection) -> std::result::Result<(), postgres::Error> {
        conn.client().simple_query("").map(|_| ())
    }

    fn has_broken(&self, conn: &mut PgConnection) -> bool {
        conn.client.as_ref().is_none_or(Client::is_closed)
    }
}

pub struct PostgresStorage {
    pool: r2d2::Pool<Manager>,
}

impl PostgresStorage {
    /// Connects to the server at `address` and brings its tables to this centre's version.
    pub fn connect(address: &str) -> Result<PostgresStorage> {
        let mut config: postgres::Config = address.parse().map_err(|_| {
            Refusal::new(
                400,
                "invalid-input",
                "the database address is not a PostgreSQL address (postgres://user@host:port/database)",
            )
        })?;
        // A server or a network that goes silent (no reset, a partition) must fail a request,
        // not hold it (and the team's lock, and the read model) for hours: bounds on connecting,
        // on unanswered sends, on any statement and on waiting for a lock. The address's own
        // values, where it gives them, win.
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        config
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(30))
            .tcp_user_timeout(Duration::from_secs(30));
        let bounds = "-c statement_timeout=30000 -c lock_timeout=30000";
        let options = match config.get_options() {
            Some(given) => format!("{bounds} {given}"),
            None => bounds.to_string(),
        };
        config.options(&options);
        let pool = r2d2::Pool::builder()
            .max_size(16)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(3))
            // A connection the server dropped is found at checkout, not by a request.
            .test_on_check_out(true)
            .build(Manager { config })
            .map_err(|e| unavailable(&e.to_string()))?;
        let storage = PostgresStorage { pool };
        storage.migrate(latest_version())?;
        Ok(storage)
    }

    /// Applies the migrations up to `target`, each in one transaction with its version, under a
    /// session lock that a second process starting at once waits for.
    fn migrate(&self, target: i32) -> Result<()> {
        let mut conn = self.pool.get().map_err(|e| unavailable(&e.to_string()))?;
        let client = conn.client();
        client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])?;
        let outcome = (|| -> Result<()> {
            client.batch_execute(
                "CREATE TABLE IF NOT EXISTS centre_schema_version (version integer NOT NULL)",
            )?;
            let current: i32 = client
                .query_one(
                    "SELECT coalesce(max(version), 0) FROM centre_schema_version",
                    &[],
                )?
                .get(0);
            if current > latest_version() {
                return Err(Refusal::new(
                    500,
                    "store-too-new",
                    format!(
                        "the centre's database has schema version {current}, newer than this centre's {}; update it",
                        latest_version()
                    ),
                ));
            }
            for m in MIGRATIONS
                .iter()
                .filter(|m| m.version > current && m.version <= target)
            {
                let mut tx = client.transaction()?;
                tx.batch_execute(m.sql)?;
                tx.execute(
                    "INSERT INTO centre_schema_version (version) VALUES ($1)",
                    &[&m.version],
                )?;
                tx.commit()?;
            }
            Ok(())
        })();
        let unlocked = client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]);
        outcome?;
        unlocked?;
        Ok(())
    }
}

pub fn latest_version() -> i32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

fn unavailable(detail: &str) -> Refusal {
    tracing::error!(target: "storage", event = "database-unavailable", detail);
    Refusal::new(
        503,
        "database-unavailable",
        "the centre's database cannot be reached; try again later (nothing recorded is lost)",
    )
    .retry_after(5)
}

impl From<postgres::Error> for Refusal {
    fn from(e: postgres::Error) -> Self {
        let code = e.code().cloned();
        if e.is_closed() || code.is_none() && e.as_db_error().is_none() {
            return unavailable(&e.to_string());
        }
        match code {
            // Two requests met (one id pushed through two processes to two teams at once, one
            // device enrolled twice at once): the one that lost tries again and finds out.
            Some(c)
                if c == SqlState::T_R_SERIALIZATION_FAILURE
                    || c == SqlState::T_R_DEADLOCK_DETECTED
                    || c == SqlState::UNIQUE_VIOLATION
                    || c == SqlState::QUERY_CANCELED
                    || c == SqlState::LOCK_NOT_AVAILABLE =>
            {
                Refusal::new(
                    503,
                    "busy",
                    "the centre was busy with the same data; try again",
                )
                .retry_after(1)
            }
            Some(c) if c == SqlState::DISK_FULL => gadeplan_core::Error::StorageFull {
                detail: "the centre's database is out of space".into(),
            }
            .into(),
            Some(c)
                if c == SqlState::ADMIN_SHUTDOWN
                    || c == SqlState::CRASH_SHUTDOWN
                    || c == SqlState::CANNOT_CONNECT_NOW
                    || c == SqlState::TOO_MANY_CONNECTIONS =>
            {
                unavailable(&e.to_string())
            }
            _ => {
                tracing::error!(target: "storage", event = "database-error", detail = %e);
                Refusal::new(500, "storage", "the centre's database failed")
            }
        }
    }
}

impl Storage for PostgresStorage {
    fn begin(&self) -> Result<Box<dyn Tx + '_>> {
        let mut conn = self.pool.get().map_err(|e| unavailable(&e.to_string()))?;
        conn.client().batch_execute("BEGIN")?;
        Ok(Box::new(PgTx { conn, open: true }))
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn keeps_projections(&self) -> bool {
        false
    }

    fn scrub(&self) -> Result<bool> {
        let mut conn = self.pool.get().map_err(|e| unavailable(&e.to_string()))?;
        let client = conn.client();
        // VACUUM FULL writes each table anew and unlinks the old files, dead row versions (the
        // erased payloads) with them (the owner may run it; never inside a transaction, so one
        // statement at a time).
        for table in ["centre_entries", "centre_held"] {
            client.batch_execute(&format!("VACUUM FULL {table}"))?;
        }
        // The checkpoints and the switches move the write-ahead log past the segments that
        // recorded the text, which PostgreSQL then removes (with `wal_recycle = off`, as
        // `docs/privacy.md` asks of the operator; else it renames them for reuse). They need
        // the `pg_checkpoint` role and the right to run `pg_switch_wal`; without them the
        // erasure stands, the log keeps the text until it is recycled, and the answer says so.
        for step in [
            "CHECKPOINT",
            "SELECT pg_switch_wal()",
            "CHECKPOINT",
            "SELECT pg_switch_wal()",
            "CHECKPOINT",
        ] {
            if let Err(e) = client.batch_execute(step) {
                tracing::warn!(
                    target: "storage",
                    event = "scrub-incomplete",
                    step,
                    message = %e
                );
                return Ok(false);
            }
        }
        Ok(true)
    }
}

struct PgTx {
    conn: r2d2::PooledConnection<Manager>,
    open: bool,
}

impl Drop for PgTx {
    fn drop(&mut self) {
        let client = self.conn.client();
        if self.open && !client.is_closed() {
            // A connection that cannot roll back is broken; the pool drops it.
            let _ = client.batch_execute("ROLLBACK");
        }
    }
}

fn u(v: i64) -> u64 {
    v.max(0) as u64
}

fn device_info(r: &Row) -> DeviceInfo {
    DeviceInfo {
        id: r.get(0),
        team: r.get(1),
        worker: r.get(2),
        name: r.get(3),
        enrolled_at: r.get(4),
        last_used_at: r.get(5),
        revoked_at: r.get(6),
        revocation: r.get(7),
        rotation_requested_at: r.get(8),
    }
}

fn user_row(r: &Row) -> UserRow {
    UserRow {
        id: r.get(0),
        name: r.get(1),
        role: r.get(2),
        team: r.get(3),
        password_hash: r.get(4),
        failures: r.get::<_, i64>(5) as u32,
        locked_until: r.get(6),
        created_at: r.get(7),
        disabled_at: r.get(8),
    }
}

fn leader_token_info(r: &Row) -> LeaderTokenInfo {
    LeaderTokenInfo {
        id: r.get(0),
        team: r.get(1),
        created_at: r.get(2),
        expires_at: r.get(3),
        last_used_at: r.get(4),
        revoked_at: r.get(5),
    }
}

fn entry_of(r: &Row, from: usize) -> Result<Entry> {
    let kind: String = r.get(from + 1);
    let schema_version: i32 = r.get(from + 2);
    Ok(Entry {
        id: r.get::<_, String>(from).into(),
        kind: EntryKind::parse(&kind)?,
        schema_version: schema_version as u32,
        subject: r.get::<_, String>(from + 3).into(),
        author_worker: r.get(from + 4),
        author_device: r.get::<_, String>(from + 5).into(),
        occurred_at: r.get(from + 6),
        recorded_at: r.get(from + 7),
        payload: r.get(from + 8),
    })
}

impl Tx for PgTx {
    fn insert_team(&mut self, name: &str, at: &str) -> Result<bool> {
        let n = self.conn.execute(
            "INSERT INTO centre_teams (name, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&name, &at],
        )?;
        Ok(n == 1)
    }

    fn team_exists(&mut self, name: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM centre_teams WHERE name = $1)",
                &[&name],
            )?
            .get(0))
    }

    fn teams(&mut self) -> Result<Vec<String>> {
        Ok(self
            .conn
            .query("SELECT name FROM centre_teams ORDER BY name", &[])?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn insert_code(&mut self, code: &CodeRow) -> Result<()> {
        self.conn.execute(
            "INSERT INTO centre_codes (code_hash, team, worker, expires_at, used_at, failures)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &code.code_hash,
                &code.team,
                &code.worker,
                &code.expires_at,
                &code.used_at,
                &(code.failures as i32),
            ],
        )?;
        Ok(())
    }

    fn code(&mut self, code_hash: &str) -> Result<Option<CodeRow>> {
        Ok(self
            .conn
            .query_opt(
                "SELECT team, worker, expires_at, used_at, failures FROM centre_codes
                 WHERE code_hash = $1 FOR UPDATE",
                &[&code_hash],
            )?
            .map(|r| CodeRow {
                code_hash: code_hash.to_string(),
                team: r.get(0),
                worker: r.get(1),
                expires_at: r.get(2),
                used_at: r.get(3),
                failures: r.get::<_, i32>(4) as u32,
            }))
    }

    fn count_code_failure(&mut self, code_hash: &str, attempts: u32, at: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_codes SET failures = failures + 1,
                used_at = CASE WHEN failures + 1 >= $2 THEN coalesce(used_at, $3) ELSE used_at END
             WHERE code_hash = $1",
            &[&code_hash, &(attempts as i32), &at],
        )?;
        Ok(())
    }

    fn use_code(&mut self, code_hash: &str, at: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_codes SET used_at = $2 WHERE code_hash = $1",
            &[&code_hash, &at],
        )?;
        Ok(())
    }

    fn insert_device(&mut self, d: &NewDevice) -> Result<()> {
        self.conn.execute(
            "INSERT INTO centre_devices (id, team, worker, name, token_hash, enrolled_at, last_used_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
            &[&d.id, &d.team, &d.worker, &d.name, &d.token_hash, &d.enrolled_at],
        )?;
        Ok(())
    }

    fn device_by_id(&mut self, id: &str) -> Result<Option<DeviceInfo>> {
        Ok(self
            .conn
            .query_opt(
                "SELECT id, team, worker, name, enrolled_at, last_used_at, revoked_at, revocation,
                    rotation_requested_at
                 FROM centre_devices WHERE id = $1",
                &[&id],
            )?
            .as_ref()
            .map(device_info))
    }

    fn device_by_token(&mut self, token_hash: &str) -> Result<Option<DeviceInfo>> {
        Ok(self
            .conn
            .query_opt(
                "SELECT id, team, worker, name, enrolled_at, last_used_at, revoked_at, revocation,
                    rotation_requested_at
                 FROM centre_devices WHERE token_hash = $1",
                &[&token_hash],
            )?
            .as_ref()
            .map(device_info))
    }

    fn renew_device_token(&mut self, id: &str, token_hash: &str, at: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_devices SET token_hash = $2, next_token_hash = NULL,
                 rotation_requested_at = NULL, last_used_at = $3
             WHERE id = $1",
            &[&id, &token_hash, &at],
        )?;
        Ok(())
    }

    fn set_next_device_token(&mut self, id: &str, token_hash: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_devices SET next_token_hash = $2 WHERE id = $1",
            &[&id, &token_hash],
        )?;
        Ok(())
    }

    fn device_by_next_token(&mut self, token_hash: &str) -> Result<Option<DeviceInfo>> {
        Ok(self
            .conn
            .query_opt(
                "SELECT id, team, worker, name, enrolled_at, last_used_at, revoked_at, revocation,
                    rotation_requested_at
                 FROM centre_devices WHERE next_token_hash = $1",
                &[&token_hash],
            )?
            .as_ref()
            .map(device_info))
    }

    fn promote_next_device_token(&mut self, id: &str) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE centre_devices SET token_hash = next_token_hash, next_token_hash = NULL,
                 rotation_requested_at = NULL
             WHERE id = $1 AND next_token_hash IS NOT NULL",
            &[&id],
        )?;
        Ok(n == 1)
    }

    fn request_token_rotation(&mut self, id: &str, at: &str) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE centre_devices SET rotation_requested_at = coalesce(rotation_requested_at, $2)
             WHERE id = $1",
            &[&id, &at],
        )?;
        Ok(n == 1)
    }

    fn touch_device(&mut self, id: &str, at: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_devices SET last_used_at = $2 WHERE id = $1",
            &[&id, &at],
        )?;
        Ok(())
    }

    fn revoke_device(&mut self, id: &str, at: &str, how: &str) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE centre_devices SET revoked_at = coalesce(revoked_at, $2),
                revocation = CASE WHEN revocation = 'lost' THEN 'lost' ELSE $3 END
             WHERE id = $1",
            &[&id, &at, &how],
        )?;
        Ok(n == 1)
    }

    fn devices(&mut self) -> Result<Vec<DeviceInfo>> {
        Ok(self
            .conn
            .query(
                "SELECT id, team, worker, name, enrolled_at, last_used_at, revoked_at, revocation,
                    rotation_requested_at
                 FROM centre_devices ORDER BY team, worker, enrolled_at",
                &[],
            )?
            .iter()
            .map(device_info)
            .collect())
    }

    fn roster_add(&mut self, team: &str, worker: &str, at: &str) -> Result<bool> {
        let changed = self.conn.execute(
            "INSERT INTO centre_roster (team, worker, added_at, retired_at) VALUES ($1, $2, $3, NULL)
             ON CONFLICT (team, worker) DO UPDATE SET retired_at = NULL
             WHERE centre_roster.retired_at IS NOT NULL",
            &[&team, &worker, &at],
        )?;
        Ok(changed > 0)
    }

    fn roster_retire(&mut self, team: &str, worker: &str, at: &str) -> Result<bool> {
        let changed = self.conn.execute(
            "UPDATE centre_roster SET retired_at = $3
             WHERE team = $1 AND worker = $2 AND retired_at IS NULL",
            &[&team, &worker, &at],
        )?;
        Ok(changed > 0)
    }

    fn roster(&mut self, team: &str) -> Result<Vec<RosterRow>> {
        Ok(self
            .conn
            .query(
                "SELECT worker, added_at, retired_at FROM centre_roster WHERE team = $1 ORDER BY worker",
                &[&team],
            )?
            .iter()
            .map(|r| RosterRow {
                worker: r.get(0),
                added_at: r.get(1),
                retired_at: r.get(2),
            })
            .collect())
    }

    fn checkin(&mut self, id: &str) -> Result<Option<CheckinRow>> {
        Ok(self
            .conn
            .query(concat!(checkin_columns!(), " WHERE id = $1"), &[&id])?
            .first()
            .map(checkin_row))
    }

    fn put_checkin(&mut self, c: &CheckinRow) -> Result<()> {
        let level = c.level as i32;
        self.conn.execute(
            "INSERT INTO centre_checkins (id, team, worker, watcher, place, started_at, due_at,
                due_set_at, high_risk, ended_at, ended_by, on_behalf, duress, level, overdue_since,
                next_at_ms, acknowledged_by, acknowledged_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
             ON CONFLICT (id) DO UPDATE SET due_at = $7, due_set_at = $8, high_risk = $9,
                ended_at = $10, ended_by = $11, on_behalf = $12, duress = $13, level = $14,
                overdue_since = $15, next_at_ms = $16, acknowledged_by = $17, acknowledged_at = $18",
            &[
                &c.id,
                &c.team,
                &c.worker,
                &c.watcher,
                &c.place,
                &c.started_at,
                &c.due_at,
                &c.due_set_at,
                &c.high_risk,
                &c.ended_at,
                &c.ended_by,
                &c.on_behalf,
                &c.duress,
                &level,
                &c.overdue_since,
                &c.next_at_ms,
                &c.acknowledged_by,
                &c.acknowledged_at,
            ],
        )?;
        Ok(())
    }

    fn checkins_due(&mut self, now_ms: i64, limit: u32) -> Result<Vec<(String, String)>> {
        let limit = i64::from(limit);
        Ok(self
            .conn
            .query(
                "SELECT id, team FROM centre_checkins WHERE next_at_ms <= $1
                 ORDER BY next_at_ms, id LIMIT $2",
                &[&now_ms, &limit],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect())
    }

    fn add_checkin_step(&mut self, s: &CheckinStepRow) -> Result<bool> {
        let step = s.step as i32;
        let changed = self.conn.execute(
            "INSERT INTO centre_checkin_steps (checkin, step, level, taken_at, process)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (checkin, step) DO NOTHING",
            &[&s.checkin, &step, &s.level, &s.taken_at, &s.process],
        )?;
        Ok(changed > 0)
    }

    fn checkin_steps(&mut self, checkin: &str) -> Result<Vec<CheckinStepRow>> {
        Ok(self
            .conn
            .query(
                "SELECT checkin, step, level, taken_at, process FROM centre_checkin_steps
                 WHERE checkin = $1 ORDER BY step",
                &[&checkin],
            )?
            .iter()
            .map(|r| CheckinStepRow {
                checkin: r.get(0),
                step: r.get::<_, i32>(1) as u32,
                level: r.get(2),
                taken_at: r.get(3),
                process: r.get(4),
            })
            .collect())
    }

    fn checkins_since(&mut self, team: Option<&str>, since: &str) -> Result<Vec<CheckinRow>> {
        // One statement per case, so that the team's is read by its index.
        let rows = match team {
            Some(team) => self.conn.query(
                concat!(
                    checkin_columns!(),
                    " WHERE team = $1 AND started_at >= $2 ORDER BY started_at DESC, id DESC"
                ),
                &[&team, &since],
            )?,
            None => self.conn.query(
                concat!(
                    checkin_columns!(),
                    " WHERE started_at >= $1 ORDER BY started_at DESC, id DESC"
                ),
                &[&since],
            )?,
        };
        Ok(rows.iter().map(checkin_row).collect())
    }

    fn live_checkins(
        &mut self,
        team: Option<&str>,
        acknowledged_since: &str,
    ) -> Result<Vec<CheckinRow>> {
        let rows = match team {
            Some(team) => self.conn.query(
                concat!(
                    checkin_columns!(),
                    " WHERE team = $2 AND (ended_at IS NULL OR (duress
                        AND (acknowledged_at IS NULL OR acknowledged_at >= $1)))
                     ORDER BY started_at DESC, id DESC"
                ),
                &[&acknowledged_since, &team],
            )?,
            None => self.conn.query(
                concat!(
                    checkin_columns!(),
                    " WHERE (ended_at IS NULL OR (duress
                        AND (acknowledged_at IS NULL OR acknowledged_at >= $1)))
                     ORDER BY started_at DESC, id DESC"
                ),
                &[&acknowledged_since],
            )?,
        };
        Ok(rows.iter().map(checkin_row).collect())
    }

    fn lock_audit(&mut self) -> Result<()> {
        // A key of its own beside the teams' (1, …): one appender at a time, across processes.
        self.conn
            .execute("SELECT pg_advisory_xact_lock(2, 0)", &[])?;
        Ok(())
    }

    fn audit_last(&mut self) -> Result<Option<(u64, String)>> {
        Ok(self
            .conn
            .query(
                "SELECT seq, hash FROM centre_audit ORDER BY seq DESC LIMIT 1",
                &[],
            )?
            .first()
            .map(|r| (r.get::<_, i64>(0) as u64, r.get(1))))
    }

    fn audit_insert(&mut self, a: &AuditRow) -> Result<()> {
        let seq = a.seq as i64;
        self.conn.execute(
            "INSERT INTO centre_audit (seq, at, actor, action, team, subject, detail, source,
                prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            &[
                &seq,
                &a.at,
                &a.actor,
                &a.action,
                &a.team,
                &a.subject,
                &a.detail,
                &a.source,
                &a.prev_hash,
                &a.hash,
            ],
        )?;
        Ok(())
    }

    fn audit_rows(&mut self, after: u64, limit: u32) -> Result<Vec<AuditRow>> {
        let (after, limit) = (after as i64, i64::from(limit));
        Ok(self
            .conn
            .query(
                "SELECT seq, at, actor, action, team, subject, detail, source, prev_hash, hash
                 FROM centre_audit WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&after, &limit],
            )?
            .iter()
            .map(|r| AuditRow {
                seq: r.get::<_, i64>(0) as u64,
                at: r.get(1),
                actor: r.get(2),
                action: r.get(3),
                team: r.get(4),
                subject: r.get(5),
                detail: r.get(6),
                source: r.get(7),
                prev_hash: r.get(8),
                hash: r.get(9),
            })
            .collect())
    }

    fn team_workers(&mut self, team: &str) -> Result<Vec<String>> {
        Ok(self
            .conn
            .query(
                "SELECT DISTINCT worker FROM centre_devices WHERE team = $1 ORDER BY 1",
                &[&team],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn insert_user(&mut self, u: &UserRow) -> Result<bool> {
        let n = self.conn.execute(
            "INSERT INTO centre_users
                 (id, name, role, team, password_hash, failures, locked_until, created_at, disabled_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
            &[
                &u.id,
                &u.name,
                &u.role,
                &u.team,
                &u.password_hash,
                &i64::from(u.failures),
                &u.locked_until,
                &u.created_at,
                &u.disabled_at,
            ],
        )?;
        Ok(n == 1)
    }

    fn user_by_name(&mut self, name: &str) -> Result<Option<UserRow>> {
        Ok(self
            .conn
            .query_opt(
                concat!(
                    "SELECT ",
                    user_columns!(),
                    " FROM centre_users WHERE name = $1"
                ),
                &[&name],
            )?
            .as_ref()
            .map(user_row))
    }

    fn user_by_id(&mut self, id: &str) -> Result<Option<UserRow>> {
        Ok(self
            .conn
            .query_opt(
                concat!(
                    "SELECT ",
                    user_columns!(),
                    " FROM centre_users WHERE id = $1"
                ),
                &[&id],
            )?
            .as_ref()
            .map(user_row))
    }

    fn users(&mut self) -> Result<Vec<UserRow>> {
        Ok(self
            .conn
            .query(
                concat!(
                    "SELECT ",
                    user_columns!(),
                    " FROM centre_users ORDER BY name"
                ),
                &[],
            )?
            .iter()
            .map(user_row)
            .collect())
    }

    fn set_user_failures(
        &mut self,
        id: &str,
        failures: u32,
        locked_until: Option<&str>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_users SET failures = $2, locked_until = $3 WHERE id = $1",
            &[&id, &i64::from(failures), &locked_until],
        )?;
        Ok(())
    }

    fn set_user_password(&mut self, id: &str, password_hash: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_users SET password_hash = $2, failures = 0, locked_until = NULL
             WHERE id = $1",
            &[&id, &password_hash],
        )?;
        Ok(())
    }

    fn disable_user(&mut self, id: &str, at: &str) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE centre_users SET disabled_at = coalesce(disabled_at, $2) WHERE id = $1",
            &[&id, &at],
        )?;
        Ok(n == 1)
    }

    fn insert_session(&mut self, s: &SessionRow) -> Result<()> {
        self.conn.execute(
            "INSERT INTO centre_sessions
                 (token_hash, user_id, csrf, created_at, expires_at, last_seen_at, ended_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &s.token_hash,
                &s.user_id,
                &s.csrf,
                &s.created_at,
                &s.expires_at,
                &s.last_seen_at,
                &s.ended_at,
            ],
        )?;
        Ok(())
    }

    fn session(&mut self, token_hash: &str) -> Result<Option<SessionRow>> {
        Ok(self
            .conn
            .query_opt(
                "SELECT token_hash, user_id, csrf, created_at, expires_at, last_seen_at, ended_at
                 FROM centre_sessions WHERE token_hash = $1",
                &[&token_hash],
            )?
            .map(|r| SessionRow {
                token_hash: r.get(0),
                user_id: r.get(1),
                csrf: r.get(2),
                created_at: r.get(3),
                expires_at: r.get(4),
                last_seen_at: r.get(5),
                ended_at: r.get(6),
            }))
    }

    fn touch_session(&mut self, token_hash: &str, at: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_sessions SET last_seen_at = $2 WHERE token_hash = $1",
            &[&token_hash, &at],
        )?;
        Ok(())
    }

    fn end_session(&mut self, token_hash: &str, at: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_sessions SET ended_at = coalesce(ended_at, $2) WHERE token_hash = $1",
            &[&token_hash, &at],
        )?;
        Ok(())
    }

    fn end_user_sessions(&mut self, user_id: &str, at: &str) -> Result<u32> {
        let n = self.conn.execute(
            "UPDATE centre_sessions SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL",
            &[&user_id, &at],
        )?;
        Ok(n as u32)
    }

    fn insert_glass(&mut self, g: &GlassRow) -> Result<()> {
        self.conn.execute(
            "INSERT INTO centre_glass (user_id, subject, reason, granted_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (user_id, subject, granted_at)
             DO UPDATE SET reason = EXCLUDED.reason, expires_at = EXCLUDED.expires_at",
            &[
                &g.user_id,
                &g.subject,
                &g.reason,
                &g.granted_at,
                &g.expires_at,
            ],
        )?;
        Ok(())
    }

    fn glass(&mut self, user_id: &str, subject: &str, now: &str) -> Result<Option<GlassRow>> {
        Ok(self
            .conn
            .query_opt(
                "SELECT user_id, subject, reason, granted_at, expires_at FROM centre_glass
                 WHERE user_id = $1 AND subject = $2 AND granted_at <= $3 AND expires_at > $3
                 ORDER BY expires_at DESC LIMIT 1",
                &[&user_id, &subject, &now],
            )?
            .map(|r| GlassRow {
                user_id: r.get(0),
                subject: r.get(1),
                reason: r.get(2),
                granted_at: r.get(3),
                expires_at: r.get(4),
            }))
    }

    fn insert_leader_token(&mut self, t: &NewLeaderToken) -> Result<()> {
        self.conn.execute(
            "INSERT INTO centre_leader_tokens (token_hash, team, created_at, id, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[&t.token_hash, &t.team, &t.created_at, &t.id, &t.expires_at],
        )?;
        Ok(())
    }

    fn leader_token(&mut self, token_hash: &str) -> Result<Option<LeaderTokenInfo>> {
        Ok(self
            .conn
            .query_opt(
                "SELECT id, team, created_at, expires_at, last_used_at, revoked_at
                 FROM centre_leader_tokens WHERE token_hash = $1",
                &[&token_hash],
            )?
            .as_ref()
            .map(leader_token_info))
    }

    fn touch_leader_token(&mut self, id: &str, at: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_leader_tokens SET last_used_at = $2 WHERE id = $1",
            &[&id, &at],
        )?;
        Ok(())
    }

    fn revoke_leader_token(&mut self, id: &str, at: &str) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE centre_leader_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1",
            &[&id, &at],
        )?;
        Ok(n == 1)
    }

    fn leader_tokens(&mut self) -> Result<Vec<LeaderTokenInfo>> {
        Ok(self
            .conn
            .query(
                "SELECT id, team, created_at, expires_at, last_used_at, revoked_at
                 FROM centre_leader_tokens ORDER BY team, created_at",
                &[],
            )?
            .iter()
            .map(leader_token_info)
            .collect())
    }

    fn usage(&mut self, device: &str, hour: i64) -> Result<Usage> {
        let r = self.conn.query_one(
            "SELECT coalesce(sum(CASE WHEN hour = $2 THEN entries END), 0)::bigint,
                    coalesce(sum(CASE WHEN hour = $2 THEN bytes END), 0)::bigint,
                    coalesce(sum(entries), 0)::bigint, coalesce(sum(bytes), 0)::bigint
             FROM centre_push_usage WHERE device = $1 AND hour > $2 - 24",
            &[&device, &hour],
        )?;
        Ok(Usage {
            hour_entries: u(r.get(0)),
            hour_bytes: u(r.get(1)),
            day_entries: u(r.get(2)),
            day_bytes: u(r.get(3)),
        })
    }

    fn charge(&mut self, device: &str, hour: i64, entries: u64, bytes: u64) -> Result<()> {
        self.conn.execute(
            "INSERT INTO centre_push_usage (device, hour, entries, bytes) VALUES ($1, $2, $3, $4)
             ON CONFLICT (device, hour) DO UPDATE
             SET entries = centre_push_usage.entries + $3, bytes = centre_push_usage.bytes + $4",
            &[&device, &hour, &(entries as i64), &(bytes as i64)],
        )?;
        Ok(())
    }

    fn lock_team(&mut self, team: &str) -> Result<()> {
        // Released when the transaction ends, committed or not. Two teams whose names hash
        // alike only wait for each other.
        self.conn
            .execute("SELECT pg_advisory_xact_lock(1, hashtext($1))", &[&team])?;
        Ok(())
    }

    fn entry_team(&mut self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_opt("SELECT team FROM centre_entries WHERE id = $1", &[&id])?
            .map(|r| r.get(0)))
    }

    fn known(&mut self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM centre_entries WHERE id = $1)
                    OR EXISTS (SELECT 1 FROM centre_held WHERE entry_id = $1)",
                &[&id],
            )?
            .get(0))
    }

    fn append(&mut self, team: &str, device: &str, e: &Entry) -> Result<u64> {
        let seq: i64 = self
            .conn
            .query_one(
                "INSERT INTO centre_entries (team, seq, id, device, kind, schema_version, subject,
                    author_worker, author_device, occurred_at, recorded_at, payload)
                 VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM centre_entries WHERE team = $1),
                    $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                 RETURNING seq",
                &[
                    &team,
                    &e.id.as_str(),
                    &device,
                    &e.kind.code(),
                    &(e.schema_version as i32),
                    &e.subject.as_str(),
                    &e.author_worker,
                    &e.author_device.as_str(),
                    &e.occurred_at,
                    &e.recorded_at,
                    &e.payload,
                ],
            )?
            .get(0);
        Ok(u(seq))
    }

    fn latest_seq(&mut self, team: &str) -> Result<u64> {
        let seq: i64 = self
            .conn
            .query_one(
                "SELECT coalesce(max(seq), 0)::bigint FROM centre_entries WHERE team = $1",
                &[&team],
            )?
            .get(0);
        Ok(u(seq))
    }

    fn entries_after(&mut self, team: &str, after: u64, limit: u32) -> Result<Vec<(u64, Entry)>> {
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let rows = self.conn.query(
            "SELECT seq, id, kind, schema_version, subject, author_worker, author_device,
                    occurred_at, recorded_at, payload
             FROM centre_entries WHERE team = $1 AND seq > $2 AND NOT erased
             ORDER BY seq LIMIT $3",
            &[&team, &after, &(limit as i64)],
        )?;
        rows.iter()
            .map(|r| Ok((u(r.get(0)), entry_of(r, 1)?)))
            .collect()
    }

    fn subject_entries(
        &mut self,
        team: &str,
        subjects: &[String],
        after: u64,
        limit: u32,
    ) -> Result<Vec<(u64, Entry)>> {
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let rows = self.conn.query(
            "SELECT seq, id, kind, schema_version, subject, author_worker, author_device,
                    occurred_at, recorded_at, payload
             FROM centre_entries WHERE team = $1 AND subject = ANY($2) AND seq > $3 AND NOT erased
             ORDER BY seq LIMIT $4",
            &[&team, &subjects, &after, &(limit as i64)],
        )?;
        rows.iter()
            .map(|r| Ok((u(r.get(0)), entry_of(r, 1)?)))
            .collect()
    }

    fn erase_entries(&mut self, team: &str, ids: &[String]) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_entries SET payload = '', erased = true WHERE team = $1 AND id = ANY($2)",
            &[&team, &ids],
        )?;
        Ok(())
    }

    fn team_entry_ids(&mut self, team: &str) -> Result<Vec<String>> {
        Ok(self
            .conn
            .query(
                "SELECT id FROM centre_entries WHERE team = $1 ORDER BY id",
                &[&team],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn digest(&mut self, team: &str, device: Option<&str>) -> Result<wire::Digest> {
        let rows = match device {
            Some(device) => self.conn.query(
                "SELECT id FROM centre_entries WHERE team = $1
                 UNION SELECT entry_id FROM centre_held WHERE device = $2 AND status = 'held'
                 ORDER BY 1",
                &[&team, &device],
            )?,
            None => self.conn.query(
                "SELECT id FROM centre_entries WHERE team = $1 ORDER BY id",
                &[&team],
            )?,
        };
        let mut digest = DigestBuilder::default();
        for r in &rows {
            digest.add(r.get(0));
        }
        Ok(digest.finish())
    }

    fn subject_team(&mut self, subject: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_opt(
                "SELECT team FROM centre_subjects WHERE subject = $1",
                &[&subject],
            )?
            .map(|r| r.get(0)))
    }

    fn claim_subject(&mut self, subject: &str, team: &str) -> Result<String> {
        // A claim by another transaction not yet committed is waited for, then seen.
        self.conn.execute(
            "INSERT INTO centre_subjects (subject, team) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&subject, &team],
        )?;
        Ok(self.subject_team(subject)?.unwrap_or_default())
    }

    fn release_subject(&mut self, subject: &str) -> Result<()> {
        self.conn.execute(
            "DELETE FROM centre_subjects WHERE subject = $1",
            &[&subject],
        )?;
        Ok(())
    }

    fn held_entry(&mut self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_opt("SELECT entry FROM centre_held WHERE entry_id = $1", &[&id])?
            .map(|r| r.get(0)))
    }

    fn hold(&mut self, row: &HeldRow) -> Result<()> {
        self.conn.execute(
            "INSERT INTO centre_held (entry_id, device, team, kind, schema_version, entry, held_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &row.entry_id,
                &row.device,
                &row.team,
                &row.kind,
                &(row.schema_version as i32),
                &row.entry,
                &row.held_at,
            ],
        )?;
        Ok(())
    }

    fn device_holds(&mut self, device: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM centre_held WHERE device = $1 AND status = 'held')",
                &[&device],
            )?
            .get(0))
    }

    fn held_for(&mut self, id: &str, device: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM centre_held
                    WHERE entry_id = $1 AND device = $2 AND status = 'held')",
                &[&id, &device],
            )?
            .get(0))
    }

    fn held(&mut self) -> Result<Vec<HeldInfo>> {
        Ok(self
            .conn
            .query(
                "SELECT entry_id, device, team, kind, schema_version, held_at, status, reason
                 FROM centre_held ORDER BY status, entry_id",
                &[],
            )?
            .iter()
            .map(|r| HeldInfo {
                entry_id: r.get(0),
                device: r.get(1),
                team: r.get(2),
                kind: r.get(3),
                schema_version: r.get::<_, i32>(4) as u32,
                held_at: r.get(5),
                status: r.get(6),
                reason: r.get(7),
            })
            .collect())
    }

    fn held_waiting(&mut self) -> Result<Vec<(String, String, u32)>> {
        Ok(self
            .conn
            .query(
                "SELECT entry_id, kind, schema_version FROM centre_held WHERE status = 'held'
                 ORDER BY entry_id",
                &[],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get::<_, i32>(2) as u32))
            .collect())
    }

    fn held_with_device(&mut self, id: &str) -> Result<Option<(String, String, String, String)>> {
        Ok(self
            .conn
            .query_opt(
                "SELECT h.entry, d.id, d.team, d.worker FROM centre_held h
                 JOIN centre_devices d ON d.id = h.device WHERE h.entry_id = $1",
                &[&id],
            )?
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3))))
    }

    fn reject_held(&mut self, id: &str, reason: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_held SET status = 'rejected', reason = $2 WHERE entry_id = $1",
            &[&id, &reason],
        )?;
        Ok(())
    }

    fn release_held(&mut self, id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM centre_held WHERE entry_id = $1", &[&id])?;
        Ok(())
    }

    fn projection(&mut self) -> Option<&rusqlite::Connection> {
        None
    }

    fn dump(&mut self) -> Result<Vec<String>> {
        let tables: Vec<String> = self
            .conn
            .query(
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                 ORDER BY table_name::text COLLATE \"C\"",
                &[],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut lines = Vec::new();
        for table in tables {
            // Names come from the catalogue, quoted as identifiers.
            let sql = format!(
                "SELECT row_to_json(t)::text FROM \"{}\" t ORDER BY row_to_json(t)::text COLLATE \"C\"",
                table.replace('"', "\"\"")
            );
            for r in self.conn.client().query(&sql, &[])? {
                lines.push(format!("{table}|{}", r.get::<_, String>(0)));
            }
        }
        Ok(lines)
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        self.open = false;
        self.conn.client().batch_execute("COMMIT")?;
        Ok(())
    }
}

fn checkin_row(r: &Row) -> CheckinRow {
    CheckinRow {
        id: r.get(0),
        team: r.get(1),
        worker: r.get(2),
        watcher: r.get(3),
        place: r.get(4),
        started_at: r.get(5),
        due_at: r.get(6),
        due_set_at: r.get(7),
        high_risk: r.get(8),
        ended_at: r.get(9),
        ended_by: r.get(10),
        on_behalf: r.get(11),
        duress: r.get(12),
        level: r.get::<_, i32>(13) as u32,
        overdue_since: r.get(14),
        next_at_ms: r.get(15),
        acknowledged_by: r.get(16),
        acknowledged_at: r.get(17),
    }
}
