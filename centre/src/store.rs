//! The centre's data: one encrypted SQLite file under the data directory, holding the core's own
//! journal and projections (the same code as on the phones, so a score means the same on both
//! sides) plus the centre's tables: teams, devices, enrolment codes, leader tokens, the sequence in
//! which entries were accepted, and which team each citizen belongs to.
//!
//! Every protocol operation is one transaction and either answers or refuses with a `Refusal`
//! (an HTTP status and a JSON body); a refused request changes nothing.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use gadeplan_core::journal::{self, Entry, Payload};
use gadeplan_core::sync::wire::{self, PROTOCOL};
use gadeplan_core::{db, ingest::Ingested, sync};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

use crate::secrets;

/// A refused request: what the HTTP answer says. Messages name rules, never recorded text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} ({code})")]
pub struct Refusal {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub wipe: bool,
}

impl Refusal {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        Refusal {
            status,
            code: code.into(),
            message: message.into(),
            wipe: false,
        }
    }

    pub fn body(&self) -> wire::ErrorBody {
        wire::ErrorBody {
            protocol: PROTOCOL,
            error: self.code.clone(),
            message: self.message.clone(),
            wipe: self.wipe,
        }
    }
}

impl From<gadeplan_core::Error> for Refusal {
    fn from(e: gadeplan_core::Error) -> Self {
        let status = match e {
            gadeplan_core::Error::Storage { .. } => 500,
            _ => 400,
        };
        Refusal::new(status, e.code(), e.to_string())
    }
}

impl From<rusqlite::Error> for Refusal {
    fn from(e: rusqlite::Error) -> Self {
        gadeplan_core::Error::from(e).into()
    }
}

pub type Result<T, E = Refusal> = std::result::Result<T, E>;

const CENTRE_SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS centre_teams (
        name TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE IF NOT EXISTS centre_devices (
        id TEXT PRIMARY KEY,
        team TEXT NOT NULL REFERENCES centre_teams(name),
        worker TEXT NOT NULL,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        enrolled_at TEXT NOT NULL,
        revoked_at TEXT
    ) STRICT;
    CREATE TABLE IF NOT EXISTS centre_codes (
        code_hash TEXT PRIMARY KEY,
        team TEXT NOT NULL REFERENCES centre_teams(name),
        worker TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
    ) STRICT;
    CREATE TABLE IF NOT EXISTS centre_leader_tokens (
        token_hash TEXT PRIMARY KEY,
        team TEXT NOT NULL REFERENCES centre_teams(name),
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE IF NOT EXISTS centre_sequence (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        entry_id TEXT NOT NULL UNIQUE,
        team TEXT NOT NULL
    ) STRICT;
    CREATE INDEX IF NOT EXISTS centre_sequence_by_team ON centre_sequence(team, seq);
    CREATE TABLE IF NOT EXISTS centre_subjects (
        subject TEXT PRIMARY KEY,
        team TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
";

/// A device as the operator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceInfo {
    pub id: String,
    pub team: String,
    pub worker: String,
    pub name: String,
    pub enrolled_at: String,
    pub revoked_at: Option<String>,
}

/// A one-time code, handed to the operator to read out to the worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Enrolment {
    pub code: String,
    pub team: String,
    pub worker: String,
    pub expires_at: String,
}

/// The device a token belongs to.
#[derive(Debug, Clone)]
pub struct Device {
    pub id: String,
    pub team: String,
    pub worker: String,
}

pub struct Centre {
    pub(crate) conn: Connection,
}

/// The data directory's files.
pub fn store_path(data: &Path) -> PathBuf {
    data.join("centre.db")
}

pub fn key_path(data: &Path) -> PathBuf {
    data.join("centre.key")
}

fn now_text() -> String {
    journal::format_timestamp(Utc::now())
}

impl Centre {
    /// Opens the centre's store in `data`, creating the directory, a random key and the store on
    /// first use. The key file is readable by its owner only; keep the directory on an encrypted
    /// disk all the same.
    pub fn open(data: &Path) -> Result<Centre> {
        std::fs::create_dir_all(data).map_err(|e| {
            Refusal::new(
                500,
                "data-dir",
                format!("cannot create the data directory: {e}"),
            )
        })?;
        let key_file = key_path(data);
        if !key_file.exists() {
            write_private(&key_file, &secrets::new_token())?;
        }
        let key_text = std::fs::read_to_string(&key_file).map_err(|e| {
            Refusal::new(
                500,
                "key",
                format!("cannot read the centre's key file: {e}"),
            )
        })?;
        let key = db::parse_hex_key(&key_text)?;
        let path = store_path(data);
        let mode = if path.exists() {
            db::OpenMode::Existing
        } else {
            db::OpenMode::Create
        };
        let conn = db::open(&path, &key, mode)?;
        conn.execute_batch(CENTRE_SCHEMA)?;
        Ok(Centre { conn })
    }

    // ----- operator commands -----------------------------------------------------------------

    pub fn add_team(&self, name: &str) -> Result<()> {
        journal::required_text("team", name, journal::LIMIT_ALIAS)?;
        let n = self.conn.execute(
            "INSERT OR IGNORE INTO centre_teams (name, created_at) VALUES (?1, ?2)",
            params![name.trim(), now_text()],
        )?;
        if n == 0 {
            return Err(Refusal::new(
                409,
                "team-exists",
                "a team with that name exists",
            ));
        }
        Ok(())
    }

    pub(crate) fn require_team(&self, team: &str) -> Result<()> {
        let exists: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM centre_teams WHERE name = ?1)",
            [team],
            |r| r.get(0),
        )?;
        if exists {
            Ok(())
        } else {
            Err(Refusal::new(404, "no-team", "no such team; add it first"))
        }
    }

    pub fn new_enrolment(&self, team: &str, worker: &str, valid_hours: u32) -> Result<Enrolment> {
        self.require_team(team)?;
        journal::required_text("worker", worker, journal::LIMIT_ALIAS)?;
        if valid_hours == 0 || valid_hours > 24 * 14 {
            return Err(Refusal::new(
                400,
                "invalid-input",
                "a code is valid for 1 hour to 14 days",
            ));
        }
        let code = secrets::new_code();
        let expires_at =
            journal::format_timestamp(Utc::now() + Duration::hours(valid_hours as i64));
        self.conn.execute(
            "INSERT INTO centre_codes (code_hash, team, worker, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![secrets::hash(&secrets::normalise_code(&code)), team, worker.trim(), expires_at],
        )?;
        Ok(Enrolment {
            code,
            team: team.into(),
            worker: worker.trim().into(),
            expires_at,
        })
    }

    pub fn devices(&self) -> Result<Vec<DeviceInfo>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, team, worker, name, enrolled_at, revoked_at FROM centre_devices ORDER BY team, worker, enrolled_at")?;
        let rows = stmt.query_map([], |r| {
            Ok(DeviceInfo {
                id: r.get(0)?,
                team: r.get(1)?,
                worker: r.get(2)?,
                name: r.get(3)?,
                enrolled_at: r.get(4)?,
                revoked_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn revoke(&self, device: &str) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE centre_devices SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1",
            params![device, now_text()],
        )?;
        if n == 0 {
            return Err(Refusal::new(404, "no-device", "no such device"));
        }
        Ok(())
    }

    pub fn leader_token(&self, team: &str) -> Result<String> {
        self.require_team(team)?;
        let token = secrets::new_token();
        self.conn.execute(
            "INSERT INTO centre_leader_tokens (token_hash, team, created_at) VALUES (?1, ?2, ?3)",
            params![secrets::hash(&token), team, now_text()],
        )?;
        Ok(token)
    }

    /// The team a team leader's token gives the report of.
    pub fn leader_team(&self, token: &str) -> Result<String> {
        self.conn
            .query_row(
                "SELECT team FROM centre_leader_tokens WHERE token_hash = ?1",
                [secrets::hash(token)],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| Refusal::new(401, "unknown-token", "the token is not known here"))
    }

    pub fn teams(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM centre_teams ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ----- the protocol ----------------------------------------------------------------------

    pub fn enrol(&mut self, request: wire::EnrolRequest) -> Result<wire::EnrolResponse> {
        check_protocol(request.protocol)?;
        journal::entry_id("device_id", &request.device_id)?;
        journal::required_text("device_name", &request.device_name, journal::LIMIT_ALIAS)?;
        journal::required_text("worker", &request.worker, journal::LIMIT_ALIAS)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let code_hash = secrets::hash(&secrets::normalise_code(&request.code));
        let code: Option<(String, String, String, Option<String>)> = tx
            .query_row(
                "SELECT team, worker, expires_at, used_at FROM centre_codes WHERE code_hash = ?1",
                [&code_hash],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((team, worker, expires_at, used_at)) = code else {
            return Err(Refusal::new(
                403,
                "invalid-code",
                "the enrolment code is not known",
            ));
        };
        if used_at.is_some() {
            return Err(Refusal::new(
                403,
                "code-used",
                "the enrolment code has been used; ask for a new one",
            ));
        }
        if expires_at < now_text() {
            return Err(Refusal::new(
                403,
                "code-expired",
                "the enrolment code has expired; ask for a new one",
            ));
        }
        if worker != request.worker.trim() {
            return Err(Refusal::new(
                403,
                "worker-mismatch",
                "the code was made for another worker than this phone's",
            ));
        }
        let known: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM centre_devices WHERE id = ?1)",
            [&request.device_id],
            |r| r.get(0),
        )?;
        if known {
            return Err(Refusal::new(
                409,
                "already-enrolled",
                "this device is enrolled already",
            ));
        }
        let token = secrets::new_token();
        tx.execute(
            "UPDATE centre_codes SET used_at = ?2 WHERE code_hash = ?1",
            params![code_hash, now_text()],
        )?;
        tx.execute(
            "INSERT INTO centre_devices (id, team, worker, name, token_hash, enrolled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![request.device_id, team, worker, request.device_name.trim(), secrets::hash(&token), now_text()],
        )?;
        tx.commit()?;
        Ok(wire::EnrolResponse {
            protocol: PROTOCOL,
            token,
            team,
        })
    }

    /// The device a token belongs to; a revoked device is told to wipe.
    pub fn device(&self, token: &str) -> Result<Device> {
        let found: Option<(String, String, String, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT id, team, worker, revoked_at FROM centre_devices WHERE token_hash = ?1",
            )?
            .query_row([secrets::hash(token)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        match found {
            None => Err(Refusal::new(
                401,
                "unknown-token",
                "the device token is not known here",
            )),
            Some((_, _, _, Some(_))) => Err(Refusal {
                status: 403,
                code: "revoked".into(),
                message: "this device has been revoked; erase what it holds".into(),
                wipe: true,
            }),
            Some((id, team, worker, None)) => Ok(Device { id, team, worker }),
        }
    }

    pub fn push(&mut self, request: wire::PushRequest) -> Result<wire::PushResponse> {
        check_protocol(request.protocol)?;
        let device = self.device(&request.token)?;
        if request.entries.len() > wire::PUSH_MAX_ENTRIES {
            return Err(Refusal::new(
                413,
                "batch-too-large",
                format!("at most {} entries a request", wire::PUSH_MAX_ENTRIES),
            ));
        }
        // Authorship is checked for the whole request first: a phone only ever sends its own
        // entries, so anything else is refused outright and nothing is stored.
        for entry in &request.entries {
            if entry.author_device != device.id || entry.author_worker != device.worker {
                return Err(Refusal::new(
                    403,
                    "not-the-author",
                    "an entry claims another device or worker as its author",
                ));
            }
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut results = Vec::with_capacity(request.entries.len());
        let mut in_scope = Vec::new();
        let mut claimed = Vec::new();
        for entry in &request.entries {
            match claim_subjects(&tx, &device.team, entry) {
                Ok(new) => {
                    in_scope.push(entry.clone());
                    claimed.extend(new);
                }
                Err(reason) => {
                    results.push((entry.id.clone(), wire::PushStatus::Rejected, Some(reason)))
                }
            }
        }
        let outcomes = sync::ingest_batch(&tx, &in_scope)?;
        // A claim stands only for a citizen some stored entry concerns: a rejected entry claims
        // nobody (else a broken entry could reserve an id for its team).
        let stored: std::collections::HashSet<String> = in_scope
            .iter()
            .zip(&outcomes)
            .filter(|(_, outcome)| outcome.is_ok())
            .flat_map(|(entry, _)| subjects_of(entry))
            .collect();
        for subject in claimed.iter().filter(|s| !stored.contains(*s)) {
            tx.execute("DELETE FROM centre_subjects WHERE subject = ?1", [subject])?;
        }
        for (entry, outcome) in in_scope.iter().zip(outcomes) {
            match outcome {
                Ok(Ingested::New) => {
                    tx.prepare_cached(
                        "INSERT INTO centre_sequence (entry_id, team) VALUES (?1, ?2)",
                    )?
                    .execute(params![entry.id, device.team])?;
                    results.push((entry.id.clone(), wire::PushStatus::Accepted, None));
                }
                Ok(Ingested::Repeat) => {
                    results.push((entry.id.clone(), wire::PushStatus::Duplicate, None))
                }
                Err(e) => results.push((
                    entry.id.clone(),
                    wire::PushStatus::Rejected,
                    Some(format!("{} ({})", e, e.code())),
                )),
            }
        }
        tx.commit()?;
        // Answer in the order the entries were sent.
        let ordered = request
            .entries
            .iter()
            .filter_map(|e| results.iter().find(|(id, _, _)| *id == e.id))
            .map(|(id, status, error)| wire::PushResult {
                id: id.clone(),
                status: *status,
                error: error.clone(),
            })
            .collect();
        Ok(wire::PushResponse {
            protocol: PROTOCOL,
            results: ordered,
        })
    }

    pub fn pull(&self, request: wire::PullRequest) -> Result<wire::PullResponse> {
        check_protocol(request.protocol)?;
        let device = self.device(&request.token)?;
        let limit = request.limit.clamp(1, wire::PULL_MAX_ENTRIES);
        let after = i64::try_from(request.after)
            .map_err(|_| Refusal::new(400, "invalid-input", "after is out of range"))?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT s.seq, {} FROM centre_sequence s JOIN entries e ON e.id = s.entry_id
             WHERE s.team = ?1 AND s.seq > ?2 ORDER BY s.seq LIMIT ?3",
            gadeplan_core::entries::COLUMNS
                .split(", ")
                .map(|c| format!("e.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
        let rows = stmt.query_map(params![device.team, after, limit + 1], |r| {
            let seq: i64 = r.get(0)?;
            Ok((seq, r.get::<_, String>(1)?))
        })?;
        let ids: Vec<(i64, String)> = rows.collect::<rusqlite::Result<_>>()?;
        let more = ids.len() > limit as usize;
        let mut entries = Vec::new();
        for (seq, id) in ids.into_iter().take(limit as usize) {
            let entry = gadeplan_core::entries::load(&self.conn, &id)?.ok_or_else(|| {
                Refusal::new(500, "storage", "an entry in the sequence is missing")
            })?;
            entries.push(wire::Sequenced {
                seq: seq as u64,
                entry,
            });
        }
        Ok(wire::PullResponse {
            protocol: PROTOCOL,
            entries,
            more,
        })
    }

    pub fn digest(&self, request: wire::DigestRequest) -> Result<wire::DigestResponse> {
        check_protocol(request.protocol)?;
        let device = self.device(&request.token)?;
        Ok(wire::DigestResponse {
            protocol: PROTOCOL,
            digest: self.team_digest(&device.team)?,
        })
    }

    /// Every row of every table, one line each, in a fixed order: what the tests compare to show
    /// that a refused request or command changed nothing at all.
    pub fn dump(&self) -> Result<Vec<String>> {
        let tables: Vec<String> = self
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let tables: Vec<&str> = tables.iter().map(String::as_str).collect();
        Ok(db::dump_tables(&self.conn, &tables)?)
    }

    /// Every entry id the centre holds for a team, in order.
    pub fn team_entry_ids(&self, team: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(TEAM_ENTRY_IDS)?;
        let ids = stmt
            .query_map([team], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// The digest of everything the centre holds for a team: what each of its phones should hold.
    pub fn team_digest(&self, team: &str) -> Result<wire::Digest> {
        Ok(sync::digest_query(&self.conn, TEAM_ENTRY_IDS, [team])?)
    }
}

/// A team's entry ids in order: what its phones should hold, listed or digested.
const TEAM_ENTRY_IDS: &str =
    "SELECT entry_id FROM centre_sequence WHERE team = ?1 ORDER BY entry_id";

fn check_protocol(version: u32) -> Result<()> {
    if version != PROTOCOL {
        return Err(Refusal::new(
            400,
            "unsupported-protocol",
            format!("this centre speaks protocol {PROTOCOL}"),
        ));
    }
    Ok(())
}

/// The citizens an entry concerns: its subject, and the other one a merge or an identification
/// joins to it.
fn subjects_of(entry: &Entry) -> Vec<String> {
    let mut subjects = vec![entry.subject.clone()];
    if let Ok(payload) = Payload::parse(entry.kind, &entry.payload) {
        match payload {
            Payload::PersonMerged(p) => subjects.push(p.duplicate),
            Payload::PersonNoted(p) => subjects.extend(p.from_unknown),
            _ => {}
        }
    }
    subjects
}

/// Every citizen belongs to the team that first recorded them. An entry may only concern (or
/// join) citizens of the sending device's team; a new subject becomes the team's. Returns the
/// subjects claimed just now, which `push` takes back if no entry about them is stored.
fn claim_subjects(
    conn: &Connection,
    team: &str,
    entry: &Entry,
) -> std::result::Result<Vec<String>, String> {
    // Every subject is checked before any is claimed: a refused entry claims nobody.
    let mut unclaimed = Vec::new();
    for subject in subjects_of(entry) {
        let owner: Option<String> = conn
            .prepare_cached("SELECT team FROM centre_subjects WHERE subject = ?1")
            .and_then(|mut s| s.query_row([&subject], |r| r.get(0)).optional())
            .map_err(|e| e.to_string())?;
        match owner {
            Some(owner) if owner != team => {
                return Err("the entry concerns a citizen of another team (outside-team)".into());
            }
            Some(_) => {}
            // Every subject of a stored entry is claimed, so one not claimed is new here.
            None if !unclaimed.contains(&subject) => unclaimed.push(subject),
            None => {}
        }
    }
    let mut claimed = Vec::new();
    for subject in unclaimed {
        conn.execute(
            "INSERT INTO centre_subjects (subject, team) VALUES (?1, ?2)",
            params![subject, team],
        )
        .map_err(|e| e.to_string())?;
        claimed.push(subject);
    }
    Ok(claimed)
}

fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| Refusal::new(500, "key", format!("cannot create the key file: {e}")))?;
    file.write_all(text.as_bytes())
        .map_err(|e| Refusal::new(500, "key", format!("cannot write the key file: {e}")))?;
    Ok(())
}

/// When something happened, for reports: now, as the centre's clock says.
pub fn now() -> DateTime<Utc> {
    Utc::now()
}
