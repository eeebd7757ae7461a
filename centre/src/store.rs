//! The centre's data: one encrypted SQLite file under the data directory, holding the core's own
//! journal and projections (the same code as on the phones, so a score means the same on both
//! sides) plus the centre's tables: teams, devices, enrolment codes, leader tokens, the sequence in
//! which entries were accepted, and which team each citizen belongs to.
//!
//! Every protocol operation is one transaction and either answers or refuses with a `Refusal`
//! (an HTTP status and a JSON body); a refused request changes nothing.
//!
//! The centre holds what arrives to the same bounds as every phone (`gadeplan_core::ingest`):
//! nothing stamped further ahead of its clock than the skew allowed (refused for now, not for
//! good, with the centre's time, so the phone can tell its worker), nothing that refers to
//! another team's entries, and no more from one device than its quota.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use gadeplan_core::clock::{self, Hlc};
use gadeplan_core::ingest::{self, Intake};
use gadeplan_core::journal::{self, Entry};
use gadeplan_core::kinds::Payload;
use gadeplan_core::sync::wire::{self, MIN_PROTOCOL, PROTOCOL};
use gadeplan_core::{db, ingest::Ingested, sync};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

use crate::policy::Policy;
use crate::{schema, secrets};

/// A refused request: what the HTTP answer says. Messages name rules, never recorded text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} ({code})")]
pub struct Refusal {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub wipe: bool,
    /// With `wipe`: `lost` or `retired` (see `Revocation`).
    pub revocation: Option<String>,
    /// When to try again (a rate limit, a quota), in seconds.
    pub retry_after_s: Option<u64>,
    /// The device the refusal concerns when the request did not get as far as naming one (an
    /// expired or revoked token): for the centre's log only, never sent.
    pub device: Option<String>,
}

impl Refusal {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        Refusal {
            status,
            code: code.into(),
            message: message.into(),
            wipe: false,
            revocation: None,
            retry_after_s: None,
            device: None,
        }
    }

    /// The same refusal, noting for the log which device it concerns.
    pub fn about_device(mut self, device: &str) -> Self {
        self.device = Some(device.to_string());
        self
    }

    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after_s = Some(seconds);
        self
    }

    /// The body of the refusal, in the shape of the protocol version the request spoke: what
    /// version 2 added is left out for version 1's phones, which refuse fields they do not know.
    pub fn body(&self, protocol: u32) -> wire::ErrorBody {
        let v2 = protocol >= 2;
        wire::ErrorBody {
            protocol: protocol.clamp(MIN_PROTOCOL, PROTOCOL),
            error: self.code.clone(),
            message: self.message.clone(),
            wipe: self.wipe,
            revocation: self.revocation.clone().filter(|_| v2),
            centre_time: v2.then(now_text),
            retry_after_s: self.retry_after_s.filter(|_| v2),
        }
    }
}

impl From<gadeplan_core::Error> for Refusal {
    fn from(e: gadeplan_core::Error) -> Self {
        // A failing store (a full disk among others) is the centre's fault, never the entry's:
        // a 5xx, which the phone retries, not a rejection it would keep for good.
        let status = match e {
            gadeplan_core::Error::Storage { .. } => 500,
            gadeplan_core::Error::StorageFull { .. } => 507,
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

/// How a device was revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revocation {
    /// Lost or stolen: refused from now on and told to erase what it holds at once; what it had
    /// not sent is lost with it.
    Lost,
    /// Handed in: what it has not sent yet is still taken in; then it is told to erase itself.
    Retired,
}

impl Revocation {
    pub fn code(self) -> &'static str {
        match self {
            Revocation::Lost => "lost",
            Revocation::Retired => "retired",
        }
    }

    fn parse(text: &str) -> Revocation {
        if text == "retired" {
            Revocation::Retired
        } else {
            Revocation::Lost
        }
    }
}

/// A device as the operator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceInfo {
    pub id: String,
    pub team: String,
    pub worker: String,
    pub name: String,
    pub enrolled_at: String,
    /// The last day its token was used (a sync, a pull).
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
    /// `lost` or `retired`, when revoked.
    pub revocation: Option<String>,
}

/// An entry held for an updated centre, as the operator sees it: what it is and whose, never
/// what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldInfo {
    pub entry_id: String,
    pub device: String,
    pub team: String,
    pub kind: String,
    pub schema_version: u32,
    pub held_at: String,
    /// `held` (waiting for an updated centre) or `rejected` (refused when taken in).
    pub status: String,
    /// Why it was refused, for a rejected one.
    pub reason: Option<String>,
}

/// A one-time code, handed to the operator to read out to the worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Enrolment {
    pub code: String,
    pub team: String,
    pub worker: String,
    pub expires_at: String,
}

/// A team leader's token, as made (the only time the token itself is shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeaderToken {
    /// What the operator lists and revokes the token by.
    pub id: String,
    pub token: String,
    pub team: String,
    pub expires_at: String,
}

/// A leader token as the operator lists it: never the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeaderTokenInfo {
    pub id: String,
    pub team: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// The device a token belongs to.
#[derive(Debug, Clone)]
pub struct Device {
    pub id: String,
    pub team: String,
    pub worker: String,
    /// Set for a device revoked as `retired`, which may still push what it has not sent.
    pub retiring: bool,
}

pub struct Centre {
    pub(crate) conn: Connection,
    policy: Policy,
}

/// The data directory's files.
pub fn store_path(data: &Path) -> PathBuf {
    data.join("centre.db")
}

pub fn key_path(data: &Path) -> PathBuf {
    data.join("centre.key")
}

fn now_text() -> String {
    journal::format_timestamp(now())
}

impl Centre {
    /// Opens the centre's store in `data` under the default policy.
    pub fn open(data: &Path) -> Result<Centre> {
        Centre::open_with(data, Policy::default())
    }

    /// Opens the centre's store in `data`, creating the directory (readable by its owner only),
    /// a random key and the store on first use. A key file that others may read is refused, as
    /// ssh refuses a private key: keep the directory on an encrypted disk all the same.
    pub fn open_with(data: &Path, policy: Policy) -> Result<Centre> {
        Centre::open_through(data, policy, schema::latest_version())
    }

    /// Opens (or makes) the store with the centre's tables at schema version `version`: for
    /// tests of upgrades from a store an earlier centre made. Not for serving.
    #[doc(hidden)]
    pub fn open_at_schema_version(data: &Path, version: u32) -> Result<Centre> {
        Centre::open_through(data, Policy::default(), version)
    }

    fn open_through(data: &Path, policy: Policy, version: u32) -> Result<Centre> {
        create_private_dir(data)?;
        let key_file = key_path(data);
        if !key_file.exists() {
            write_private(&key_file, &secrets::new_token())?;
        }
        check_private(&key_file)?;
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
        let mut conn = db::open(&path, &key, mode)?;
        schema::migrate_through(&mut conn, version)?;
        // A core migration may ask for the projections to be made again (as on a phone).
        let needs_rebuild: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM meta WHERE key = ?1)",
            [gadeplan_core::schema::NEEDS_REBUILD],
            |r| r.get(0),
        )?;
        if needs_rebuild {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            gadeplan_core::kinds::rebuild(&tx)?;
            tx.commit()?;
        }
        let mut centre = Centre { conn, policy };
        if version >= 3 {
            centre.take_in_held()?;
        }
        Ok(centre)
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    // ----- operator commands -----------------------------------------------------------------

    pub fn add_team(&self, name: &str) -> Result<String> {
        let name = journal::name("team", name, journal::LIMIT_ALIAS)?;
        let n = self.conn.execute(
            "INSERT OR IGNORE INTO centre_teams (name, created_at) VALUES (?1, ?2)",
            params![name, now_text()],
        )?;
        if n == 0 {
            return Err(Refusal::new(
                409,
                "team-exists",
                "a team with that name exists",
            ));
        }
        Ok(name)
    }

    /// The team named so, as stored: a name is looked up as it is stored (trimmed, NFC), so one
    /// typed on another keyboard still finds its team.
    pub(crate) fn require_team(&self, team: &str) -> Result<String> {
        let no_team = || Refusal::new(404, "no-team", "no such team; add it first");
        let Ok(team) = journal::name("team", team, journal::LIMIT_ALIAS) else {
            return Err(no_team());
        };
        let exists: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM centre_teams WHERE name = ?1)",
            [&team],
            |r| r.get(0),
        )?;
        if exists { Ok(team) } else { Err(no_team()) }
    }

    pub fn new_enrolment(&self, team: &str, worker: &str, valid_hours: u32) -> Result<Enrolment> {
        let team = self.require_team(team)?;
        let worker = journal::name("worker", worker, journal::LIMIT_ALIAS)?;
        if valid_hours == 0 || valid_hours > 24 * 14 {
            return Err(Refusal::new(
                400,
                "invalid-input",
                "a code is valid for 1 hour to 14 days",
            ));
        }
        let code = secrets::new_code();
        let expires_at = journal::format_timestamp(now() + Duration::hours(valid_hours as i64));
        self.conn.execute(
            "INSERT INTO centre_codes (code_hash, team, worker, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![secrets::hash(&secrets::normalise_code(&code)), team, worker, expires_at],
        )?;
        Ok(Enrolment {
            code,
            team,
            worker,
            expires_at,
        })
    }

    pub fn devices(&self) -> Result<Vec<DeviceInfo>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, team, worker, name, enrolled_at, last_used_at, revoked_at, revocation
             FROM centre_devices ORDER BY team, worker, enrolled_at",
        )?;
        let rows = stmt.query_map([], device_info)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The entries held for an updated centre, and those it refused when it took them in.
    pub fn held(&self) -> Result<Vec<HeldInfo>> {
        let mut stmt = self.conn.prepare(
            "SELECT entry_id, device, team, kind, schema_version, held_at, status, reason
             FROM centre_held ORDER BY status, entry_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(HeldInfo {
                entry_id: r.get(0)?,
                device: r.get(1)?,
                team: r.get(2)?,
                kind: r.get(3)?,
                schema_version: r.get(4)?,
                held_at: r.get(5)?,
                status: r.get(6)?,
                reason: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One device, for the operator to confirm which phone a revocation concerns.
    pub fn device_info(&self, device: &str) -> Result<DeviceInfo> {
        self.conn
            .query_row(
                "SELECT id, team, worker, name, enrolled_at, last_used_at, revoked_at, revocation
                 FROM centre_devices WHERE id = ?1",
                [device],
                device_info,
            )
            .optional()?
            .ok_or_else(|| Refusal::new(404, "no-device", "no such device"))
    }

    /// Revokes a device. A lost device's revocation stands as made; a retired device may later be
    /// declared lost (it then stops sending too), never the other way round.
    pub fn revoke(&self, device: &str, how: Revocation) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE centre_devices SET revoked_at = coalesce(revoked_at, ?2),
                revocation = CASE WHEN revocation = 'lost' THEN 'lost' ELSE ?3 END
             WHERE id = ?1",
            params![device, now_text(), how.code()],
        )?;
        if n == 0 {
            return Err(Refusal::new(404, "no-device", "no such device"));
        }
        Ok(())
    }

    /// A new token for a team leader to read the team's report over HTTP, valid for
    /// `valid_days` (the policy's default if none).
    pub fn leader_token(&self, team: &str, valid_days: Option<u32>) -> Result<LeaderToken> {
        let team = self.require_team(team)?;
        let days = valid_days.unwrap_or(self.policy.leader_token_days);
        if days == 0 || days > 366 {
            return Err(Refusal::new(
                400,
                "invalid-input",
                "a leader token is valid for 1 to 366 days",
            ));
        }
        let token = secrets::new_token();
        let id = secrets::new_token()[..12].to_string();
        let expires_at = journal::format_timestamp(now() + Duration::days(days as i64));
        self.conn.execute(
            "INSERT INTO centre_leader_tokens (token_hash, team, created_at, id, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![secrets::hash(&token), team, now_text(), id, expires_at],
        )?;
        Ok(LeaderToken {
            id,
            token,
            team,
            expires_at,
        })
    }

    pub fn leader_tokens(&self) -> Result<Vec<LeaderTokenInfo>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, team, created_at, expires_at, last_used_at, revoked_at
             FROM centre_leader_tokens ORDER BY team, created_at",
        )?;
        let rows = stmt.query_map([], leader_token_info)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn revoke_leader_token(&self, id: &str) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE centre_leader_tokens SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1",
            params![id, now_text()],
        )?;
        if n == 0 {
            return Err(Refusal::new(
                404,
                "no-token",
                "no leader token with that id",
            ));
        }
        Ok(())
    }

    /// The team a team leader's token gives the report of; an expired or revoked token is
    /// refused as unknown, which is all its holder needs to know.
    pub fn leader_team(&self, token: &str) -> Result<String> {
        let found = self
            .conn
            .query_row(
                "SELECT id, team, created_at, expires_at, last_used_at, revoked_at
                 FROM centre_leader_tokens WHERE token_hash = ?1",
                [secrets::hash(token)],
                leader_token_info,
            )
            .optional()?;
        let unknown = || Refusal::new(401, "unknown-token", "the token is not known here");
        let Some(found) = found else {
            return Err(unknown());
        };
        let now = now_text();
        if found.revoked_at.is_some() || found.expires_at < now {
            return Err(unknown());
        }
        if stale_day(found.last_used_at.as_deref(), &now) {
            self.conn.execute(
                "UPDATE centre_leader_tokens SET last_used_at = ?2 WHERE id = ?1",
                params![found.id, now],
            )?;
        }
        Ok(found.team)
    }

    pub fn teams(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM centre_teams ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ----- the protocol ----------------------------------------------------------------------

    /// Enrols a phone with a one-time code. A wrong code and a valid code made for another worker
    /// get the same answer (a guesser must not learn that a code exists), and the latter counts
    /// against the code, which a few such tries use up. A phone whose token expired unused
    /// enrols again, with a new code for the same team and worker, and keeps its device.
    pub fn enrol(&mut self, request: wire::EnrolRequest) -> Result<wire::EnrolResponse> {
        check_protocol(request.protocol)?;
        journal::entry_id("device_id", &request.device_id)?;
        let device_name = journal::name("device_name", &request.device_name, journal::LIMIT_ALIAS)?;
        let worker_named = journal::name("worker", &request.worker, journal::LIMIT_ALIAS)?;
        let policy = self.policy;
        let code_attempts = policy.code_attempts;
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
        let invalid = || Refusal::new(403, "invalid-code", "the enrolment code is not known");
        let Some((team, worker, expires_at, used_at)) = code else {
            return Err(invalid());
        };
        if worker != worker_named {
            // Counted and committed even though the request is refused: the count is the point.
            tx.execute(
                "UPDATE centre_codes SET failures = failures + 1,
                    used_at = CASE WHEN failures + 1 >= ?2 THEN coalesce(used_at, ?3) ELSE used_at END
                 WHERE code_hash = ?1",
                params![code_hash, code_attempts, now_text()],
            )?;
            tx.commit()?;
            return Err(invalid());
        }
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
        let known = tx
            .query_row(
                "SELECT id, team, worker, name, enrolled_at, last_used_at, revoked_at, revocation
                 FROM centre_devices WHERE id = ?1",
                [&request.device_id],
                device_info,
            )
            .optional()?;
        let token = secrets::new_token();
        match known {
            None => {
                tx.execute(
                    "INSERT INTO centre_devices (id, team, worker, name, token_hash, enrolled_at, last_used_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                    params![request.device_id, team, worker, device_name, secrets::hash(&token), now_text()],
                )?;
            }
            Some(known) if known.revoked_at.is_some() => {
                return Err(Refusal::new(
                    409,
                    "already-enrolled",
                    "this device was revoked; its app must be set up anew before it can be enrolled",
                ));
            }
            Some(known)
                if token_expired(
                    &policy,
                    known.last_used_at.as_deref().unwrap_or(&known.enrolled_at),
                ) =>
            {
                if known.team != team || known.worker != worker {
                    return Err(Refusal::new(
                        409,
                        "already-enrolled",
                        "this device is enrolled for another team or worker",
                    ));
                }
                tx.execute(
                    "UPDATE centre_devices SET token_hash = ?2, last_used_at = ?3 WHERE id = ?1",
                    params![request.device_id, secrets::hash(&token), now_text()],
                )?;
            }
            Some(_) => {
                return Err(Refusal::new(
                    409,
                    "already-enrolled",
                    "this device is enrolled already",
                ));
            }
        }
        tx.execute(
            "UPDATE centre_codes SET used_at = ?2 WHERE code_hash = ?1",
            params![code_hash, now_text()],
        )?;
        tx.commit()?;
        Ok(wire::EnrolResponse {
            protocol: request.protocol,
            token,
            team,
            centre_time: (request.protocol >= 2).then(now_text),
        })
    }

    fn token_expired(&self, last_used: &str) -> bool {
        token_expired(&self.policy, last_used)
    }

    /// The device a token belongs to. A device revoked as lost is told to wipe; one retired is
    /// returned as `retiring` (it may still push; see `pull` and `digest`); a token unused for
    /// longer than the policy allows has expired.
    pub fn device(&self, token: &str) -> Result<Device> {
        let found = self
            .conn
            .prepare_cached(
                "SELECT id, team, worker, name, enrolled_at, last_used_at, revoked_at, revocation
                 FROM centre_devices WHERE token_hash = ?1",
            )?
            .query_row([secrets::hash(token)], device_info)
            .optional()?;
        let Some(found) = found else {
            return Err(Refusal::new(
                401,
                "unknown-token",
                "the device token is not known here",
            ));
        };
        let revocation = found
            .revoked_at
            .as_ref()
            .map(|_| Revocation::parse(found.revocation.as_deref().unwrap_or("")));
        if revocation == Some(Revocation::Lost) {
            return Err(revoked(Revocation::Lost).about_device(&found.id));
        }
        let last_used = found.last_used_at.as_deref().unwrap_or(&found.enrolled_at);
        if revocation.is_none() && self.token_expired(last_used) {
            return Err(Refusal::new(
                401,
                "token-expired",
                format!(
                    "this phone has not synced for over {} days; enrol it again with a new code (nothing recorded is lost)",
                    self.policy.device_token_idle_days
                ),
            )
            .about_device(&found.id));
        }
        let now = now_text();
        if stale_day(found.last_used_at.as_deref(), &now) {
            self.conn
                .prepare_cached("UPDATE centre_devices SET last_used_at = ?2 WHERE id = ?1")?
                .execute(params![found.id, now])?;
        }
        Ok(Device {
            id: found.id,
            team: found.team,
            worker: found.worker,
            retiring: revocation == Some(Revocation::Retired),
        })
    }

    /// Takes in a device's entries, in the order sent. The centre answers for the longest
    /// prefix it takes: an entry stamped further ahead of the centre's clock than the skew
    /// allowed, or one that would take the device past its quota, ends it, and is refused for
    /// now (not for good) when it comes first. Within the prefix an entry is stored, found
    /// already stored, or rejected for good.
    pub fn push(
        &mut self,
        device: &Device,
        protocol: u32,
        entries: Vec<Entry>,
    ) -> Result<wire::PushResponse> {
        let quota = self.policy.quota;
        self.push_as(device, protocol, entries, quota, true)
    }

    /// `push` within `quota`, its new entries counted in the device's usage if `charge`.
    fn push_as(
        &mut self,
        device: &Device,
        protocol: u32,
        entries: Vec<Entry>,
        quota: crate::policy::Quota,
        charge: bool,
    ) -> Result<wire::PushResponse> {
        check_protocol(protocol)?;
        if entries.len() > wire::PUSH_MAX_ENTRIES {
            return Err(Refusal::new(
                413,
                "batch-too-large",
                format!("at most {} entries a request", wire::PUSH_MAX_ENTRIES),
            ));
        }
        // Authorship is checked for the whole request first: a phone only ever sends its own
        // entries, so anything else is refused outright and nothing is stored.
        for entry in &entries {
            if entry.author_device != device.id || entry.author_worker != device.worker {
                return Err(Refusal::new(
                    403,
                    "not-the-author",
                    "an entry claims another device or worker as its author",
                ));
            }
        }
        let now = now();
        let now_ms = now.timestamp_millis();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let sizes: Vec<Sized> = entries
            .iter()
            .map(|e| Sized {
                id: &e.id,
                recorded_at: &e.recorded_at,
                bytes: e.payload.len(),
            })
            .collect();
        let (taken, stop) = takeable_prefix(&tx, device, &sizes, now_ms, quota)?;
        if taken == 0
            && let Some(stop) = stop
        {
            return Err(stop.refusal(device));
        }
        let entries = &entries[..taken];
        let mut results = Vec::with_capacity(entries.len());
        let mut in_scope = Vec::new();
        let mut claimed = Vec::new();
        for entry in entries {
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
        let outcomes = sync::ingest_batch(&tx, &in_scope, Intake::centre(now_ms))?;
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
        let (mut new_entries, mut new_bytes) = (0u64, 0u64);
        for (entry, outcome) in in_scope.iter().zip(outcomes) {
            match outcome {
                Ok(Ingested::New) => {
                    tx.prepare_cached(
                        "INSERT INTO centre_sequence (team, seq, entry_id, device)
                         VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM centre_sequence WHERE team = ?1), ?2, ?3)",
                    )?
                    .execute(params![device.team, entry.id, device.id])?;
                    new_entries += 1;
                    new_bytes += entry.payload.len() as u64;
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
        if new_entries > 0 && charge {
            tx.prepare_cached(
                "INSERT INTO centre_push_usage (device, hour, entries, bytes) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(device, hour) DO UPDATE SET entries = entries + ?3, bytes = bytes + ?4",
            )?
            .execute(params![device.id, hour_of(now_ms), new_entries as i64, new_bytes as i64])?;
        }
        tx.commit()?;
        // Answer in the order the entries were sent.
        let ordered = entries
            .iter()
            .filter_map(|e| results.iter().find(|(id, _, _)| *id == *e.id))
            .map(|(id, status, error)| wire::PushResult {
                id: id.to_string(),
                status: *status,
                error: error.clone(),
            })
            .collect();
        Ok(wire::PushResponse {
            protocol,
            results: ordered,
            centre_time: (protocol >= 2).then(|| journal::format_timestamp(now)),
        })
    }

    /// A push as it arrived, each entry still its JSON text. Entries this centre reads go
    /// through `push`. Entries of a newer kind or format (from a phone updated before the
    /// centre), and entries that refer to one held here (a correction of it), are held for the
    /// updated centre and answered `held`, so the phone goes on syncing everything else. Both
    /// kinds are held to the same prefix rule (the time bound, the device's quota of entries and
    /// bytes); a malformed entry refuses the whole request, as before, and the answer is in the
    /// order the entries were sent.
    pub fn push_arrived(
        &mut self,
        device: &Device,
        protocol: u32,
        arrived: Vec<Box<serde_json::value::RawValue>>,
    ) -> Result<wire::PushResponse> {
        check_protocol(protocol)?;
        if arrived.len() > wire::PUSH_MAX_ENTRIES {
            return Err(Refusal::new(
                413,
                "batch-too-large",
                format!("at most {} entries a request", wire::PUSH_MAX_ENTRIES),
            ));
        }
        let mut read = Vec::with_capacity(arrived.len());
        for text in &arrived {
            read.push(wire::read_pushed(text.get()).map_err(|_| {
                Refusal::new(
                    400,
                    "malformed",
                    "an entry of the request is not a valid entry",
                )
            })?);
        }
        drop(arrived);
        for pushed in &read {
            let (author_device, author_worker) = pushed.author();
            if author_device != device.id || author_worker != device.worker {
                return Err(Refusal::new(
                    403,
                    "not-the-author",
                    "an entry claims another device or worker as its author",
                ));
            }
        }
        // The prefix the centre takes now, over readable and held entries alike.
        let sizes: Vec<Sized> = read
            .iter()
            .map(|p| Sized {
                id: p.id(),
                recorded_at: p.recorded_at(),
                bytes: p.size(),
            })
            .collect();
        let (taken, stop) = takeable_prefix(
            &self.conn,
            device,
            &sizes,
            now().timestamp_millis(),
            self.policy.quota,
        )?;
        drop(sizes);
        if taken == 0
            && let Some(stop) = stop
        {
            return Err(stop.refusal(device));
        }
        read.truncate(taken);
        let (mut entries, mut to_hold) = (Vec::new(), Vec::new());
        let mut held_now: std::collections::HashSet<String> = std::collections::HashSet::new();
        // Whether anything is held for this device at all: almost never, and then no entry's
        // references need looking up.
        let device_holds: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM centre_held WHERE device = ?1 AND status = 'held')",
            )?
            .query_row([&device.id], |r| r.get(0))?;
        for pushed in read.iter() {
            let hold = match pushed {
                wire::Pushed::Newer(_) => true,
                wire::Pushed::Entry(e) => {
                    (device_holds || !held_now.is_empty())
                        && self.refers_to_held(device, e, &held_now)?
                }
            };
            if hold {
                held_now.insert(pushed.id().to_string());
                to_hold.push(pushed);
            } else if let wire::Pushed::Entry(e) = pushed {
                entries.push(e.clone());
            }
        }
        let held = self.hold(device, &to_hold)?;
        let answer = if entries.is_empty() {
            wire::PushResponse {
                protocol,
                results: Vec::new(),
                centre_time: (protocol >= 2).then(now_text),
            }
        } else {
            self.push(device, protocol, entries)?
        };
        let results = read
            .iter()
            .filter_map(|pushed| {
                held.iter()
                    .find(|r| r.id == pushed.id())
                    .or_else(|| answer.results.iter().find(|r| r.id == pushed.id()))
                    .cloned()
            })
            .collect();
        Ok(wire::PushResponse { results, ..answer })
    }

    /// Whether a readable entry refers to an entry held here for its device (or held just now in
    /// the same request): it must wait for it, or it would be refused for good and its record
    /// reach the team without it.
    fn refers_to_held(
        &self,
        device: &Device,
        entry: &Entry,
        held_now: &std::collections::HashSet<String>,
    ) -> Result<bool> {
        let Ok(payload) = Payload::read(entry.kind, &entry.payload) else {
            return Ok(false);
        };
        for (_, id) in ingest::references(&payload) {
            if held_now.contains(id) {
                return Ok(true);
            }
            let held: bool = self
                .conn
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM centre_held
                        WHERE entry_id = ?1 AND device = ?2 AND status = 'held')",
                )?
                .query_row(params![id, device.id], |r| r.get(0))?;
            if held {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Keeps entries whole for the updated centre, in one transaction, counted in the device's
    /// usage like any entry it sends. The same entry again is answered `held` again; an id held
    /// with other content is refused, as an id is never reused.
    fn hold(&mut self, device: &Device, held: &[&wire::Pushed]) -> Result<Vec<wire::PushResult>> {
        let mut results = Vec::with_capacity(held.len());
        if held.is_empty() {
            return Ok(results);
        }
        let now = now_text();
        let now_ms = gadeplan_core::clock::now().timestamp_millis();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (mut count, mut bytes) = (0i64, 0i64);
        for pushed in held {
            let (kind, schema_version, json) = match pushed {
                wire::Pushed::Newer(n) => (n.kind.clone(), n.schema_version, n.json.clone()),
                wire::Pushed::Entry(e) => (
                    e.kind.code().to_string(),
                    e.schema_version,
                    serde_json::to_string(e).expect("an entry serialises"),
                ),
            };
            let existing: Option<String> = tx
                .prepare_cached("SELECT entry FROM centre_held WHERE entry_id = ?1")?
                .query_row([pushed.id()], |r| r.get(0))
                .optional()?;
            let stored_elsewhere: bool = tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM entries WHERE id = ?1)")?
                .query_row([pushed.id()], |r| r.get(0))?;
            let taken = |reason: &str| wire::PushResult {
                id: pushed.id().to_string(),
                status: wire::PushStatus::Rejected,
                error: Some(format!("{reason} (not-allowed)")),
            };
            match existing {
                _ if stored_elsewhere => {
                    results.push(taken("not allowed: the id is taken; ids are never reused"))
                }
                Some(same) if same == json => results.push(wire::PushResult {
                    id: pushed.id().to_string(),
                    status: wire::PushStatus::Held,
                    error: None,
                }),
                Some(_) => {
                    results.push(taken("not allowed: the id is taken; ids are never reused"))
                }
                None => {
                    tx.prepare_cached(
                        "INSERT INTO centre_held (entry_id, device, team, kind, schema_version, entry, held_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    )?
                    .execute(params![
                        pushed.id(),
                        device.id,
                        device.team,
                        kind,
                        schema_version,
                        json,
                        now
                    ])?;
                    count += 1;
                    bytes += pushed.size() as i64;
                    results.push(wire::PushResult {
                        id: pushed.id().to_string(),
                        status: wire::PushStatus::Held,
                        error: None,
                    });
                }
            }
        }
        if count > 0 {
            tx.prepare_cached(
                "INSERT INTO centre_push_usage (device, hour, entries, bytes) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(device, hour) DO UPDATE SET entries = entries + ?3, bytes = bytes + ?4",
            )?
            .execute(params![device.id, hour_of(now_ms), count, bytes])?;
        }
        tx.commit()?;
        Ok(results)
    }

    /// Takes in the entries held for this centre's update that it may now read, oldest first
    /// (a correction after what it corrects): each as its device pushed it, with every check a
    /// push makes, at no cost to the device's quota (it was counted when held). The device may
    /// have been revoked since: what it pushed while enrolled is taken in all the same. One taken
    /// in (or found stored) leaves the held list; one refused stays there as `rejected`, with
    /// why, for the operator (its phone was told it was held); one this centre still cannot read,
    /// one that waits for another still held, or one refused for now (the time bound), stays
    /// held. Run when the store is opened, one entry in memory at a time.
    pub fn take_in_held(&mut self) -> Result<u32> {
        let candidates: Vec<(String, String, u32)> = self
            .conn
            .prepare("SELECT entry_id, kind, schema_version FROM centre_held WHERE status = 'held' ORDER BY entry_id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let unlimited = crate::policy::Quota {
            entries_per_hour: u64::MAX,
            entries_per_day: u64::MAX,
            bytes_per_hour: u64::MAX,
            bytes_per_day: u64::MAX,
        };
        let mut taken = 0;
        for (id, kind, schema_version) in candidates {
            if journal::EntryKind::parse(&kind).is_err()
                || schema_version > journal::PAYLOAD_VERSION
            {
                continue;
            }
            let row: Option<(String, String, String, String)> = self
                .conn
                .prepare_cached(
                    "SELECT h.entry, d.id, d.team, d.worker FROM centre_held h
                     JOIN centre_devices d ON d.id = h.device WHERE h.entry_id = ?1",
                )?
                .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .optional()?;
            let Some((json, device_id, team, worker)) = row else {
                continue;
            };
            let Ok(wire::Pushed::Entry(entry)) = wire::read_pushed(&json) else {
                continue;
            };
            let device = Device {
                id: device_id,
                team,
                worker,
                retiring: false,
            };
            if self.refers_to_held(&device, &entry, &Default::default())? {
                continue;
            }
            let Ok(answer) = self.push_as(&device, wire::PROTOCOL, vec![entry], unlimited, false)
            else {
                continue;
            };
            match answer.results.first().map(|r| (r.status, r.error.clone())) {
                Some((wire::PushStatus::Accepted | wire::PushStatus::Duplicate, _)) => {
                    self.conn
                        .execute("DELETE FROM centre_held WHERE entry_id = ?1", [&id])?;
                    taken += 1;
                }
                Some((wire::PushStatus::Rejected, reason)) => {
                    self.conn.execute(
                        "UPDATE centre_held SET status = 'rejected', reason = ?2 WHERE entry_id = ?1",
                        params![id, reason],
                    )?;
                }
                Some((wire::PushStatus::Held, _)) | None => {}
            }
        }
        Ok(taken)
    }

    pub fn pull(&self, device: &Device, request: wire::PullRequest) -> Result<wire::PullResponse> {
        check_protocol(request.protocol)?;
        if device.retiring {
            return Err(revoked(Revocation::Retired));
        }
        let limit = request.limit.clamp(1, wire::PULL_MAX_ENTRIES);
        let after = i64::try_from(request.after)
            .map_err(|_| Refusal::new(400, "invalid-input", "after is out of range"))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, entry_id FROM centre_sequence WHERE team = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![device.team, after, limit + 1], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        let ids: Vec<(i64, String)> = rows.collect::<rusqlite::Result<_>>()?;
        let mut more = ids.len() > limit as usize;
        let mut entries = Vec::new();
        let mut bytes = 0;
        for (seq, id) in ids.into_iter().take(limit as usize) {
            let entry = gadeplan_core::entries::load(&self.conn, &id)?.ok_or_else(|| {
                Refusal::new(500, "storage", "an entry in the sequence is missing")
            })?;
            // A bound on the answer's size as well as its count: one answer stays a few
            // megabytes whatever the entries hold; the phone asks again for the rest.
            let size = entry.payload.len() + 400;
            if !entries.is_empty() && bytes + size > wire::PULL_MAX_BYTES {
                more = true;
                break;
            }
            bytes += size;
            entries.push(wire::Sequenced {
                seq: seq as u64,
                entry,
            });
        }
        Ok(wire::PullResponse {
            protocol: request.protocol,
            entries,
            more,
            centre_time: (request.protocol >= 2).then(now_text),
        })
    }

    pub fn digest(
        &self,
        device: &Device,
        request: wire::DigestRequest,
    ) -> Result<wire::DigestResponse> {
        check_protocol(request.protocol)?;
        if device.retiring {
            return Err(revoked(Revocation::Retired));
        }
        Ok(wire::DigestResponse {
            protocol: request.protocol,
            // What this phone should hold: its team's entries, and its own held here.
            digest: sync::digest_query(
                &self.conn,
                DEVICE_ENTRY_IDS,
                params![device.team, device.id],
            )?,
            centre_time: (request.protocol >= 2).then(now_text),
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

/// What one phone of a team should hold: the team's entries, and the phone's own entries held
/// here for an updated centre (it made them; its team's other phones do not have them yet).
const DEVICE_ENTRY_IDS: &str = "SELECT entry_id FROM centre_sequence WHERE team = ?1
     UNION SELECT entry_id FROM centre_held WHERE device = ?2 AND status = 'held'
     ORDER BY 1";

/// Whether a device token last used at `last_used` has expired under `policy`.
fn token_expired(policy: &Policy, last_used: &str) -> bool {
    let idle = Duration::days(policy.device_token_idle_days as i64);
    last_used < journal::format_timestamp(now() - idle).as_str()
}

fn leader_token_info(r: &rusqlite::Row<'_>) -> rusqlite::Result<LeaderTokenInfo> {
    Ok(LeaderTokenInfo {
        id: r.get(0)?,
        team: r.get(1)?,
        created_at: r.get(2)?,
        expires_at: r.get(3)?,
        last_used_at: r.get(4)?,
        revoked_at: r.get(5)?,
    })
}

fn device_info(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceInfo> {
    Ok(DeviceInfo {
        id: r.get(0)?,
        team: r.get(1)?,
        worker: r.get(2)?,
        name: r.get(3)?,
        enrolled_at: r.get(4)?,
        last_used_at: r.get(5)?,
        revoked_at: r.get(6)?,
        revocation: r.get(7)?,
    })
}

fn revoked(how: Revocation) -> Refusal {
    Refusal {
        status: 403,
        code: "revoked".into(),
        message: match how {
            Revocation::Lost => "this device has been revoked; erase what it holds",
            Revocation::Retired => {
                "this device has been retired; it erases what it holds once everything is sent"
            }
        }
        .into(),
        wipe: true,
        revocation: Some(how.code().into()),
        retry_after_s: None,
        device: None,
    }
}

/// Whether a last-used time should be written again: once a day is enough to tell an idle token.
fn stale_day(last: Option<&str>, now: &str) -> bool {
    last.is_none_or(|last| last.get(..10) != now.get(..10))
}

/// Hours since 1970, the unit of push quotas.
fn hour_of(ms: i64) -> i64 {
    ms.div_euclid(3_600_000)
}

/// Why a push stopped before the end of its batch.
enum Stop {
    /// An entry stamped this far ahead of the centre's clock.
    ClockAhead { by_ms: i64 },
    /// The device has pushed all its quota allows for now; try again in this many seconds.
    Quota { retry_after_s: u64 },
}

impl Stop {
    fn refusal(&self, device: &Device) -> Refusal {
        match *self {
            Stop::ClockAhead { by_ms } => {
                tracing::warn!(target: "security", event = "clock-ahead", device = %device.id, by_ms);
                Refusal::new(
                    409,
                    "clock-ahead",
                    format!(
                        "the entry was recorded by a clock {} of the centre's; set the phone's date and time, then sync again (nothing recorded is lost)",
                        clock::describe_offset(by_ms)
                    ),
                )
            }
            Stop::Quota { retry_after_s } => {
                tracing::warn!(target: "security", event = "quota-exceeded", device = %device.id);
                Refusal::new(
                    429,
                    "quota-exceeded",
                    "this phone has sent more than the centre takes from one device in a while; it sends the rest later (nothing recorded is lost)",
                )
                .retry_after(retry_after_s)
            }
        }
    }
}

/// How many of the entries, from the first, the centre takes now, and why it stops if it stops
/// early. Entries already stored are free; new ones count against the quota.
/// What the prefix rule needs of an entry: its id, its stamp, and what it costs.
struct Sized<'a> {
    id: &'a str,
    recorded_at: &'a str,
    bytes: usize,
}

fn takeable_prefix(
    conn: &Connection,
    device: &Device,
    entries: &[Sized<'_>],
    now_ms: i64,
    quota: crate::policy::Quota,
) -> Result<(usize, Option<Stop>)> {
    let hour = hour_of(now_ms);
    let (hour_entries, hour_bytes, day_entries, day_bytes): (i64, i64, i64, i64) = conn
        .prepare_cached(
            "SELECT coalesce(sum(CASE WHEN hour = ?2 THEN entries END), 0),
                    coalesce(sum(CASE WHEN hour = ?2 THEN bytes END), 0),
                    coalesce(sum(entries), 0), coalesce(sum(bytes), 0)
             FROM centre_push_usage WHERE device = ?1 AND hour > ?2 - 24",
        )?
        .query_row(params![device.id, hour], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    let (mut hour_entries, mut hour_bytes) = (hour_entries as u64, hour_bytes as u64);
    let (mut day_entries, mut day_bytes) = (day_entries as u64, day_bytes as u64);
    for (i, entry) in entries.iter().enumerate() {
        // One held here already is answered as a duplicate whatever its stamp (an earlier
        // centre took in entries stamped far ahead), and costs no quota.
        let stored: bool = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM entries WHERE id = ?1)
                    OR EXISTS (SELECT 1 FROM centre_held WHERE entry_id = ?1)",
            )?
            .query_row([entry.id], |r| r.get(0))?;
        if stored {
            continue;
        }
        if let Ok(hlc) = Hlc::decode(entry.recorded_at)
            && let Some(by_ms) = ingest::ahead_by(&hlc, now_ms)
        {
            return Ok((i, Some(Stop::ClockAhead { by_ms })));
        }
        let bytes = entry.bytes as u64;
        let over_hour =
            hour_entries + 1 > quota.entries_per_hour || hour_bytes + bytes > quota.bytes_per_hour;
        let over_day =
            day_entries + 1 > quota.entries_per_day || day_bytes + bytes > quota.bytes_per_day;
        if over_hour || over_day {
            let retry_after_s = if over_day {
                3_600
            } else {
                3_600 - (now_ms / 1000) as u64 % 3_600
            };
            return Ok((i, Some(Stop::Quota { retry_after_s })));
        }
        (hour_entries, hour_bytes) = (hour_entries + 1, hour_bytes + bytes);
        (day_entries, day_bytes) = (day_entries + 1, day_bytes + bytes);
    }
    Ok((entries.len(), None))
}

fn check_protocol(version: u32) -> Result<()> {
    if !(MIN_PROTOCOL..=PROTOCOL).contains(&version) {
        return Err(Refusal::new(
            400,
            "unsupported-protocol",
            format!("this centre speaks protocols {MIN_PROTOCOL} to {PROTOCOL}"),
        ));
    }
    Ok(())
}

/// The citizens an entry concerns: its subject, and the other one a merge or an identification
/// joins to it.
fn subjects_of(entry: &Entry) -> Vec<String> {
    let mut subjects = vec![entry.subject.to_string()];
    if let Ok(payload) = Payload::parse(entry.kind, &entry.payload) {
        subjects.extend(payload.joins().map(ToString::to_string));
    }
    subjects
}

const OUTSIDE_TEAM: &str = "the entry concerns a citizen of another team (outside-team)";

/// Every citizen belongs to the team that first recorded them. An entry may only concern (or
/// join) citizens of the sending device's team, and may only refer to entries of that team (a
/// correction's target, a change's earlier values, a contact's risk check); a new subject becomes
/// the team's. Returns the subjects claimed just now, which `push` takes back if no entry about
/// them is stored.
fn claim_subjects(
    conn: &Connection,
    team: &str,
    entry: &Entry,
) -> std::result::Result<Vec<String>, String> {
    if let Ok(payload) = Payload::parse(entry.kind, &entry.payload) {
        for (_, id) in ingest::references(&payload) {
            let owner: Option<String> = conn
                .prepare_cached("SELECT team FROM centre_sequence WHERE entry_id = ?1")
                .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
                .map_err(|e| e.to_string())?;
            // One not stored at all is refused by `ingest` (it must be here already).
            if owner.is_some_and(|owner| owner != team) {
                return Err(OUTSIDE_TEAM.into());
            }
        }
    }
    // Every subject is checked before any is claimed: a refused entry claims nobody.
    let mut unclaimed = Vec::new();
    for subject in subjects_of(entry) {
        let owner: Option<String> = conn
            .prepare_cached("SELECT team FROM centre_subjects WHERE subject = ?1")
            .and_then(|mut s| s.query_row([&subject], |r| r.get(0)).optional())
            .map_err(|e| e.to_string())?;
        match owner {
            Some(owner) if owner != team => return Err(OUTSIDE_TEAM.into()),
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

/// Makes the data directory, readable by its owner only; an existing one is narrowed to that.
fn create_private_dir(data: &Path) -> Result<()> {
    let fail = |e: std::io::Error| {
        Refusal::new(
            500,
            "data-dir",
            format!("cannot create the data directory: {e}"),
        )
    };
    std::fs::create_dir_all(data).map_err(fail)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data).map_err(fail)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(data, std::fs::Permissions::from_mode(mode & 0o700))
                .map_err(fail)?;
        }
    }
    Ok(())
}

/// Refuses a key file that others may read.
fn check_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| Refusal::new(500, "key", format!("cannot read the key file: {e}")))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(Refusal::new(
                500,
                "key",
                format!(
                    "the key file {} may be read by others (mode {:o}); make it private with chmod 600",
                    path.display(),
                    mode & 0o777
                ),
            ));
        }
    }
    Ok(())
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

/// Now, as the centre's clock says. Never panics, whatever the clock says.
pub fn now() -> DateTime<Utc> {
    clock::now()
}
