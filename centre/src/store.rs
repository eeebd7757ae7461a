//! The protocol's rules and the operator's commands, over the storage seam (`crate::storage`):
//! teams, devices, enrolment codes, leader tokens, the sequence in which entries were accepted,
//! which team each citizen belongs to, and the entries themselves, in whichever backend the centre
//! runs on. The rules are here once; a backend only stores and finds.
//!
//! Every protocol operation is one transaction and either answers or refuses with a `Refusal`
//! (an HTTP status and a JSON body); a refused request changes nothing.
//!
//! The centre holds what arrives to the same bounds as every phone (`gadeplan_core::ingest`):
//! nothing stamped further ahead of its clock than the skew allowed (refused for now, not for
//! good, with the centre's time, so the phone can tell its worker), nothing that refers to
//! another team's entries, and no more from one device than its quota.

use std::path::Path;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use gadeplan_core::clock::{self, Hlc};
use gadeplan_core::ingest::{self, Intake};
use gadeplan_core::journal::{self, Entry};
use gadeplan_core::kinds::Payload;
use gadeplan_core::sync::wire::{self, LATEST_PROTOCOL, MIN_PROTOCOL};
use gadeplan_core::{ingest::Ingested, sync};
use serde::Serialize;

use crate::policy::Policy;
use crate::replica::Replica;
use crate::storage::postgres::PostgresStorage;
use crate::storage::sqlite::SqliteStorage;
use crate::storage::{
    CodeRow, Database, HeldRow, KeySource, NewDevice, NewLeaderToken, RosterRow, Storage, Tx,
};
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
            protocol: protocol.clamp(MIN_PROTOCOL, LATEST_PROTOCOL),
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
    /// When the operator asked it to rotate its token at its next sync, until it has.
    pub rotation_requested_at: Option<String>,
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
    /// The operator asked it to rotate its token (`request_rotation`), and it has not yet used
    /// a new one: its pull answer says so.
    pub rotate: bool,
}

/// The centre: the protocol's rules and the operator's commands over a [`Storage`] backend, with
/// the core's projections where the reports read them (in the backend's own transaction for
/// SQLite, in this process's read model for PostgreSQL). `Sync`: requests run side by side, each
/// its own transaction.
pub struct Centre {
    pub(crate) storage: Box<dyn Storage>,
    /// Each team's digest with the last sequence number it covers: a team's entries change
    /// only by appends, so while its last number is the same, so is its digest, and a phone's
    /// idle sync round costs the same whatever the team's history.
    digests: Mutex<std::collections::HashMap<String, (u64, wire::Digest)>>,
    /// Each team's released citizens as last computed (`keep`).
    pub(crate) released: Mutex<std::collections::HashMap<String, crate::keep::Released>>,
    /// The core's projections beside this process, when the backend does not keep them.
    pub(crate) replica: Option<Mutex<Replica>>,
    pub(crate) policy: Policy,
    /// The operator's command run at each escalation step (`watch::announce`).
    pub(crate) checkin_notify: Option<String>,
}

pub use crate::storage::sqlite::{key_path, store_path};

pub(crate) fn now_text() -> String {
    journal::format_timestamp(now())
}

impl Centre {
    /// Opens the centre's store in `data` under the default policy.
    pub fn open(data: &Path) -> Result<Centre> {
        Centre::open_with(data, Policy::default())
    }

    /// Opens the embedded store in `data`, its key beside it (see `SqliteStorage::open`).
    pub fn open_with(data: &Path, policy: Policy) -> Result<Centre> {
        Centre::connect(&Database::embedded(data), policy)
    }

    /// Opens (or makes) the store with the centre's tables at schema version `version`: for
    /// tests of upgrades from a store an earlier centre made. Not for serving.
    #[doc(hidden)]
    pub fn open_at_schema_version(data: &Path, version: u32) -> Result<Centre> {
        let storage = SqliteStorage::open_with_key(data, &KeySource::default(), version)?;
        let centre = Centre::over(Box::new(storage), Policy::default())?;
        if version >= 3 {
            centre.take_in_held()?;
        }
        Ok(centre)
    }

    /// Opens the centre's data where `database` says, and takes in what was held for it.
    pub fn connect(database: &Database, policy: Policy) -> Result<Centre> {
        let storage: Box<dyn Storage> = match database {
            Database::Embedded { data, key } => Box::new(SqliteStorage::open_with_key(
                data,
                key,
                schema::latest_version(),
            )?),
            Database::Postgres(address) => Box::new(PostgresStorage::connect(address)?),
        };
        let centre = Centre::over(storage, policy)?;
        centre.take_in_held()?;
        Ok(centre)
    }

    /// The centre over any storage; a backend without the core's projections gets a read
    /// model beside this process.
    pub fn over(storage: Box<dyn Storage>, policy: Policy) -> Result<Centre> {
        let replica = if storage.keeps_projections() {
            None
        } else {
            Some(Mutex::new(Replica::new()?))
        };
        Ok(Centre {
            storage,
            digests: Mutex::default(),
            released: Mutex::default(),
            replica,
            policy,
            checkin_notify: None,
        })
    }

    /// The command run at each check-in escalation step, if any.
    pub fn checkin_notify(&self) -> Option<&str> {
        self.checkin_notify.as_deref()
    }

    /// Runs `command` at each check-in escalation step this process takes (`watch::announce`).
    pub fn with_checkin_notify(mut self, command: Option<String>) -> Centre {
        self.checkin_notify = command;
        self
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        self.storage.backend()
    }

    /// Runs `work` in one transaction, committed if it succeeds.
    pub(crate) fn write<T>(&self, work: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        let mut tx = self.storage.begin()?;
        let value = work(&mut *tx)?;
        tx.commit()?;
        Ok(value)
    }

    // ----- operator commands -----------------------------------------------------------------

    pub fn add_team(&self, name: &str) -> Result<String> {
        let name = journal::name("team", name, journal::LIMIT_ALIAS)?;
        self.write(|tx| {
            if !tx.insert_team(&name, &now_text())? {
                return Err(Refusal::new(
                    409,
                    "team-exists",
                    "a team with that name exists",
                ));
            }
            Ok(name)
        })
    }

    /// The team named so, as stored: a name is looked up as it is stored (trimmed, NFC), so one
    /// typed on another keyboard still finds its team.
    pub(crate) fn require_team(&self, tx: &mut dyn Tx, team: &str) -> Result<String> {
        let no_team = || Refusal::new(404, "no-team", "no such team; add it first");
        let Ok(team) = journal::name("team", team, journal::LIMIT_ALIAS) else {
            return Err(no_team());
        };
        if tx.team_exists(&team)? {
            Ok(team)
        } else {
            Err(no_team())
        }
    }

    pub fn new_enrolment(&self, team: &str, worker: &str, valid_hours: u32) -> Result<Enrolment> {
        self.write(|tx| {
            let team = self.require_team(tx, team)?;
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
            tx.insert_code(&CodeRow {
                code_hash: secrets::hash(&secrets::normalise_code(&code)),
                team: team.clone(),
                worker: worker.clone(),
                expires_at: expires_at.clone(),
                used_at: None,
                failures: 0,
            })?;
            Ok(Enrolment {
                code,
                team,
                worker,
                expires_at,
            })
        })
    }

    pub fn devices(&self) -> Result<Vec<DeviceInfo>> {
        self.write(|tx| tx.devices())
    }

    /// The entries held for an updated centre, and those it refused when it took them in.
    pub fn held(&self) -> Result<Vec<HeldInfo>> {
        self.write(|tx| tx.held())
    }

    /// One device, for the operator to confirm which phone a revocation concerns.
    pub fn device_info(&self, device: &str) -> Result<DeviceInfo> {
        self.write(|tx| tx.device_by_id(device))?
            .ok_or_else(|| Refusal::new(404, "no-device", "no such device"))
    }

    /// Revokes a device. A lost device's revocation stands as made; a retired device may later be
    /// declared lost (it then stops sending too), never the other way round.
    pub fn revoke(&self, device: &str, how: Revocation) -> Result<()> {
        self.write(|tx| {
            if !tx.revoke_device(device, &now_text(), how.code())? {
                return Err(Refusal::new(404, "no-device", "no such device"));
            }
            Ok(())
        })
    }

    /// A new token for a team leader to read the team's report over HTTP, valid for
    /// `valid_days` (the policy's default if none).
    pub fn leader_token(&self, team: &str, valid_days: Option<u32>) -> Result<LeaderToken> {
        self.write(|tx| {
            let team = self.require_team(tx, team)?;
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
            tx.insert_leader_token(&NewLeaderToken {
                id: id.clone(),
                token_hash: secrets::hash(&token),
                team: team.clone(),
                created_at: now_text(),
                expires_at: expires_at.clone(),
            })?;
            Ok(LeaderToken {
                id,
                token,
                team,
                expires_at,
            })
        })
    }

    pub fn leader_tokens(&self) -> Result<Vec<LeaderTokenInfo>> {
        self.write(|tx| tx.leader_tokens())
    }

    pub fn revoke_leader_token(&self, id: &str) -> Result<()> {
        self.write(|tx| {
            if !tx.revoke_leader_token(id, &now_text())? {
                return Err(Refusal::new(
                    404,
                    "no-token",
                    "no leader token with that id",
                ));
            }
            Ok(())
        })
    }

    /// The team a team leader's token gives the report of; an expired or revoked token is
    /// refused as unknown, which is all its holder needs to know.
    pub fn leader_team(&self, token: &str) -> Result<String> {
        self.leader(token).map(|(team, _)| team)
    }

    /// A leader token's team and the token's id (what the audit log names the reader by).
    pub fn leader(&self, token: &str) -> Result<(String, String)> {
        self.write(|tx| {
            let unknown = || Refusal::new(401, "unknown-token", "the token is not known here");
            let Some(found) = tx.leader_token(&secrets::hash(token))? else {
                return Err(unknown());
            };
            let now = now_text();
            if found.revoked_at.is_some() || found.expires_at < now {
                return Err(unknown());
            }
            if stale_day(found.last_used_at.as_deref(), &now) {
                tx.touch_leader_token(&found.id, &now)?;
            }
            Ok((found.team, found.id))
        })
    }

    pub fn teams(&self) -> Result<Vec<String>> {
        self.write(|tx| tx.teams())
    }

    /// Puts a worker on a team's roster (the operator; enrolment does it too). The name is
    /// held to the names' rules. False if they were on it already.
    pub fn add_worker(&self, team: &str, worker: &str) -> Result<bool> {
        let worker = journal::name("worker", worker, journal::LIMIT_ALIAS)?;
        self.write(|tx| {
            let team = self.require_team(tx, team)?;
            tx.roster_add(&team, &worker, &now_text())
        })
    }

    /// Takes a worker off a team's roster: their phones can no longer name them as a colleague
    /// or a responsible worker once they sync. Their devices are revoked separately. Refused if
    /// they are not on it.
    pub fn retire_worker(&self, team: &str, worker: &str) -> Result<()> {
        let worker = journal::name("worker", worker, journal::LIMIT_ALIAS)?;
        self.write(|tx| {
            let team = self.require_team(tx, team)?;
            if !tx.roster_retire(&team, &worker, &now_text())? {
                return Err(Refusal::new(
                    404,
                    "not-found",
                    "the worker is not on the team's roster",
                ));
            }
            Ok(())
        })
    }

    /// A team's roster, current and retired.
    pub fn roster(&self, team: &str) -> Result<Vec<RosterRow>> {
        self.write(|tx| {
            let team = self.require_team(tx, team)?;
            tx.roster(&team)
        })
    }

    // ----- the protocol ----------------------------------------------------------------------

    /// Enrols a phone with a one-time code. A wrong code and a valid code made for another worker
    /// get the same answer (a guesser must not learn that a code exists), and the latter counts
    /// against the code, which a few such tries use up. A phone whose token expired unused
    /// enrols again, with a new code for the same team and worker, and keeps its device.
    pub fn enrol(&self, request: wire::EnrolRequest) -> Result<wire::EnrolResponse> {
        check_protocol(request.protocol)?;
        journal::entry_id("device_id", &request.device_id)?;
        // The centre's own device stamps erasures; no phone may be it.
        if request.device_id == gadeplan_core::kinds::entry_erased::CENTRE_DEVICE {
            return Err(Refusal::new(
                400,
                "invalid-input",
                "device_id: reserved for the centre",
            ));
        }
        let device_name = journal::name("device_name", &request.device_name, journal::LIMIT_ALIAS)?;
        let worker_named = journal::name("worker", &request.worker, journal::LIMIT_ALIAS)?;
        let policy = self.policy;
        let mut tx = self.storage.begin()?;
        let code_hash = secrets::hash(&secrets::normalise_code(&request.code));
        let invalid = || Refusal::new(403, "invalid-code", "the enrolment code is not known");
        let Some(code) = tx.code(&code_hash)? else {
            return Err(invalid());
        };
        if code.worker != worker_named {
            // Counted and committed even though the request is refused: the count is the point.
            tx.count_code_failure(&code_hash, policy.code_attempts, &now_text())?;
            tx.commit()?;
            return Err(invalid());
        }
        if code.used_at.is_some() {
            return Err(Refusal::new(
                403,
                "code-used",
                "the enrolment code has been used; ask for a new one",
            ));
        }
        if code.expires_at < now_text() {
            return Err(Refusal::new(
                403,
                "code-expired",
                "the enrolment code has expired; ask for a new one",
            ));
        }
        let (team, worker) = (code.team, code.worker);
        let token = secrets::new_token();
        match tx.device_by_id(&request.device_id)? {
            None => tx.insert_device(&NewDevice {
                id: request.device_id.clone(),
                team: team.clone(),
                worker: worker.clone(),
                name: device_name,
                token_hash: secrets::hash(&token),
                enrolled_at: now_text(),
            })?,
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
                tx.renew_device_token(&request.device_id, &secrets::hash(&token), &now_text())?;
            }
            Some(_) => {
                return Err(Refusal::new(
                    409,
                    "already-enrolled",
                    "this device is enrolled already",
                ));
            }
        }
        tx.use_code(&code_hash, &now_text())?;
        // An enrolled worker is on their team's roster (back on it, if they were retired).
        tx.roster_add(&team, &worker, &now_text())?;
        tx.commit()?;
        Ok(wire::EnrolResponse {
            protocol: request.protocol,
            token,
            team,
            centre_time: (request.protocol >= 2).then(now_text),
        })
    }

    /// The device a token belongs to. A device revoked as lost is told to wipe; one retired is
    /// returned as `retiring` (it may still push; see `pull` and `digest`); a token unused for
    /// longer than the policy allows has expired. A device's next token (`rotate_token`) is its
    /// token from its first use on, and the one before is forgotten.
    pub fn device(&self, token: &str) -> Result<Device> {
        let mut tx = self.storage.begin()?;
        let hash = secrets::hash(token);
        let (found, next) = match tx.device_by_token(&hash)? {
            Some(found) => (found, false),
            None => match tx.device_by_next_token(&hash)? {
                Some(found) => (found, true),
                None => {
                    return Err(Refusal::new(
                        401,
                        "unknown-token",
                        "the device token is not known here",
                    ));
                }
            },
        };
        let revocation = found
            .revoked_at
            .as_ref()
            .map(|_| Revocation::parse(found.revocation.as_deref().unwrap_or("")));
        if revocation == Some(Revocation::Lost) {
            return Err(revoked(Revocation::Lost).about_device(&found.id));
        }
        let last_used = found.last_used_at.as_deref().unwrap_or(&found.enrolled_at);
        if revocation.is_none() && token_expired(&self.policy, last_used) {
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
        if next {
            // The phone has kept its new token: the old one is of no more use to anyone.
            tx.promote_next_device_token(&found.id)?;
            tracing::info!(target: "security", event = "device-token-replaced", device = %found.id);
        }
        let stale = stale_day(found.last_used_at.as_deref(), &now);
        if stale {
            tx.touch_device(&found.id, &now)?;
        }
        if next || stale {
            tx.commit()?;
        }
        Ok(Device {
            id: found.id,
            team: found.team,
            worker: found.worker,
            retiring: revocation == Some(Revocation::Retired),
            // A request with the next token has just done what the operator asked.
            rotate: found.rotation_requested_at.is_some() && !next,
        })
    }

    /// Asks a device to rotate its token at its next sync: its pull answers say so until it has
    /// used a new one. A revoked device gets no token, so none is asked of it.
    pub fn request_rotation(&self, device: &str) -> Result<()> {
        self.write(|tx| {
            let found = tx
                .device_by_id(device)?
                .ok_or_else(|| Refusal::new(404, "no-device", "no such device"))?;
            if found.revoked_at.is_some() {
                return Err(Refusal::new(
                    409,
                    "revoked",
                    "the device is revoked; it gets no new token",
                ));
            }
            tx.request_token_rotation(device, &now_text())?;
            Ok(())
        })
    }

    /// A new token for a device, without enrolling again (`POST /v1/token`). It is kept as the
    /// device's next token beside the current one, which goes on working until the next is first
    /// used (`device`): an answer lost on the way locks no phone out, which simply asks again
    /// and gets another next token in place of the unused one. A revoked device gets none (a
    /// retired one is told to erase itself, as by a pull). Recorded in the audit log.
    pub fn rotate_token(
        &self,
        device: &Device,
        protocol: u32,
        source: Option<String>,
    ) -> Result<wire::TokenResponse> {
        check_protocol(protocol)?;
        if device.retiring {
            return Err(revoked(Revocation::Retired).about_device(&device.id));
        }
        let token = secrets::new_token();
        self.write(|tx| {
            tx.set_next_device_token(&device.id, &secrets::hash(&token))?;
            crate::audit::append(
                tx,
                &crate::audit::AuditEvent {
                    actor: format!("device:{}", device.id),
                    action: "device-token-rotated".into(),
                    team: Some(device.team.clone()),
                    subject: Some(device.id.clone()),
                    detail: None,
                    source,
                },
            )?;
            Ok(())
        })?;
        tracing::info!(target: "security", event = "device-token-rotated", device = %device.id);
        Ok(wire::TokenResponse {
            protocol,
            token,
            centre_time: Some(now_text()),
        })
    }

    /// Takes in a device's entries, in the order sent. The centre answers for the longest
    /// prefix it takes: an entry stamped further ahead of the centre's clock than the skew
    /// allowed, or one that would take the device past its quota, ends it, and is refused for
    /// now (not for good) when it comes first. Within the prefix an entry is stored, found
    /// already stored, or rejected for good.
    pub fn push(
        &self,
        device: &Device,
        protocol: u32,
        entries: Vec<Entry>,
    ) -> Result<wire::PushResponse> {
        let quota = self.policy.quota;
        self.push_as(device, protocol, entries, quota, true)
    }

    /// `push` within `quota`, its new entries counted in the device's usage if `charge`.
    fn push_as(
        &self,
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
        let mut tx = self.storage.begin()?;
        tx.lock_team(&device.team)?;
        let sizes: Vec<Sized> = entries
            .iter()
            .map(|e| Sized {
                id: &e.id,
                recorded_at: &e.recorded_at,
                bytes: e.payload.len(),
            })
            .collect();
        let (taken, stop) = takeable_prefix(&mut *tx, device, &sizes, now_ms, quota)?;
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
            match claim_subjects(&mut *tx, &device.team, entry)? {
                Ok(new) => {
                    in_scope.push(entry.clone());
                    claimed.extend(new);
                }
                Err(reason) => {
                    results.push((entry.id.clone(), wire::PushStatus::Rejected, Some(reason)))
                }
            }
        }
        let mut replica = match &self.replica {
            Some(replica) => Some(replica.lock().map_err(|_| {
                Refusal::new(500, "storage", "the centre's read model is unavailable")
            })?),
            None => None,
        };
        let outcomes = match (tx.projection(), replica.as_deref_mut()) {
            (Some(conn), _) => sync::ingest_batch(conn, &in_scope, Intake::centre(now_ms))?,
            (None, Some(replica)) => {
                replica.catch_up(&mut *tx, &device.team)?;
                replica.ingest(&device.team, &in_scope, now_ms)?
            }
            (None, None) => unreachable!("a backend without projections has a read model"),
        };
        // A claim stands only for a citizen some stored entry concerns: a rejected entry claims
        // nobody (else a broken entry could reserve an id for its team).
        let stored: std::collections::HashSet<String> = in_scope
            .iter()
            .zip(&outcomes)
            .filter(|(_, outcome)| outcome.is_ok())
            .flat_map(|(entry, _)| subjects_of(entry))
            .collect();
        for subject in claimed.iter().filter(|s| !stored.contains(*s)) {
            tx.release_subject(subject)?;
        }
        let (mut new_entries, mut new_bytes) = (0u64, 0u64);
        let mut last_seq = None;
        let mut escalated = Vec::new();
        for (entry, outcome) in in_scope.iter().zip(outcomes) {
            match outcome {
                Ok(Ingested::New) => {
                    last_seq = Some(tx.append(&device.team, &device.id, entry)?);
                    escalated.extend(crate::watch::note(
                        &mut *tx,
                        &device.team,
                        entry,
                        &self.policy.watch,
                    )?);
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
            tx.charge(&device.id, hour_of(now_ms), new_entries, new_bytes)?;
        }
        // The journal first: the read model is never ahead of it (if it is left behind, by a
        // crash between the two, it catches up from the journal).
        tx.commit()?;
        if let Some(replica) = replica.as_deref_mut() {
            replica.settle(&device.team, last_seq);
        }
        drop(replica);
        if new_entries > 0 {
            // A citizen met again is kept again: the team's list is computed anew (`keep`).
            self.forget_released(&device.team);
        }
        crate::watch::announce(&escalated, self.checkin_notify.as_deref());
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
        &self,
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
        let mut tx = self.storage.begin()?;
        let (taken, stop) = takeable_prefix(
            &mut *tx,
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
        let device_holds = tx.device_holds(&device.id)?;
        for pushed in read.iter() {
            let hold = match pushed {
                wire::Pushed::Newer(_) => true,
                wire::Pushed::Entry(e) => {
                    (device_holds || !held_now.is_empty())
                        && refers_to_held(&mut *tx, device, e, &held_now)?
                }
            };
            if hold {
                held_now.insert(pushed.id().to_string());
                to_hold.push(pushed);
            } else if let wire::Pushed::Entry(e) = pushed {
                entries.push(e.clone());
            }
        }
        drop(tx);
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

    /// Keeps entries whole for the updated centre, in one transaction, counted in the device's
    /// usage like any entry it sends. The same entry again is answered `held` again; an id held
    /// with other content is refused, as an id is never reused.
    fn hold(&self, device: &Device, held: &[&wire::Pushed]) -> Result<Vec<wire::PushResult>> {
        let mut results = Vec::with_capacity(held.len());
        if held.is_empty() {
            return Ok(results);
        }
        let now = now_text();
        let now_ms = gadeplan_core::clock::now().timestamp_millis();
        let mut tx = self.storage.begin()?;
        tx.lock_team(&device.team)?;
        let (mut count, mut bytes) = (0u64, 0u64);
        for pushed in held {
            let (kind, schema_version, json) = match pushed {
                wire::Pushed::Newer(n) => (n.kind.clone(), n.schema_version, n.json.clone()),
                wire::Pushed::Entry(e) => (
                    e.kind.code().to_string(),
                    e.schema_version,
                    serde_json::to_string(e).expect("an entry serialises"),
                ),
            };
            let existing = tx.held_entry(pushed.id())?;
            let stored_elsewhere = tx.entry_team(pushed.id())?.is_some();
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
                    tx.hold(&HeldRow {
                        entry_id: pushed.id().to_string(),
                        device: device.id.clone(),
                        team: device.team.clone(),
                        kind,
                        schema_version,
                        entry: json,
                        held_at: now.clone(),
                    })?;
                    count += 1;
                    bytes += pushed.size() as u64;
                    results.push(wire::PushResult {
                        id: pushed.id().to_string(),
                        status: wire::PushStatus::Held,
                        error: None,
                    });
                }
            }
        }
        if count > 0 {
            tx.charge(&device.id, hour_of(now_ms), count, bytes)?;
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
    pub fn take_in_held(&self) -> Result<u32> {
        let candidates = self.write(|tx| tx.held_waiting())?;
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
            let Some((json, device_id, team, worker)) =
                self.write(|tx| tx.held_with_device(&id))?
            else {
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
                rotate: false,
            };
            let waits =
                self.write(|tx| refers_to_held(tx, &device, &entry, &Default::default()))?;
            if waits {
                continue;
            }
            let Ok(answer) = self.push_as(&device, wire::PROTOCOL, vec![entry], unlimited, false)
            else {
                continue;
            };
            match answer.results.first().map(|r| (r.status, r.error.clone())) {
                Some((wire::PushStatus::Accepted | wire::PushStatus::Duplicate, _)) => {
                    self.write(|tx| tx.release_held(&id))?;
                    taken += 1;
                }
                Some((wire::PushStatus::Rejected, reason)) => {
                    self.write(|tx| tx.reject_held(&id, reason.as_deref().unwrap_or("")))?;
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
        if i64::try_from(request.after).is_err() {
            return Err(Refusal::new(400, "invalid-input", "after is out of range"));
        }
        // From protocol 3 the page is a range of sequence numbers, less the phone's own
        // entries (it has them): a push is not followed by its own entries coming back.
        let ranged = request.protocol >= 3;
        // The range's last number. A team's numbers have no gaps since the hardening (centre
        // schema 2); a store made before it may have some, and a page is then fewer entries.
        let end = request.after.saturating_add(u64::from(limit));
        let found = self.write(|tx| tx.entries_after(&device.team, request.after, limit + 1))?;
        let mut more = found.len() > limit as usize;
        let mut entries = Vec::new();
        let (mut bytes, mut through, mut cut) = (0, request.after, false);
        for (seq, entry) in found.into_iter().take(limit as usize) {
            if ranged && seq > end {
                more = true;
                break;
            }
            if ranged && *entry.author_device == *device.id {
                through = seq;
                continue;
            }
            // A bound on the answer's size as well as its count: one answer stays a few
            // megabytes whatever the entries hold; the phone asks again for the rest.
            let size = entry.payload.len() + 400;
            if !entries.is_empty() && bytes + size > wire::PULL_MAX_BYTES {
                (more, cut) = (true, true);
                break;
            }
            bytes += size;
            through = seq;
            entries.push(wire::Sequenced { seq, entry });
        }
        if ranged && more && !cut {
            // The whole range is answered, gaps and all.
            through = end;
        }
        // The team's roster, current, with every answer: a few names, and a phone learns of a
        // worker added or retired at its next sync.
        // The team's current roster, and its check-ins escalating that have reached this
        // worker (none is an answer too: the phone then forgets an alert that is over), read in
        // one transaction.
        let (roster, checkins) = self.write(|tx| {
            let roster: Vec<String> = tx
                .roster(&device.team)?
                .into_iter()
                .filter(|r| r.retired_at.is_none())
                .map(|r| r.worker)
                .collect();
            let checkins = if request.protocol >= 2 {
                Some(crate::watch::alerts_for(
                    tx,
                    &device.team,
                    &device.worker,
                    &roster,
                    now().timestamp_millis(),
                )?)
            } else {
                None
            };
            Ok((roster, checkins))
        })?;
        Ok(wire::PullResponse {
            protocol: request.protocol,
            entries,
            more,
            through: ranged.then_some(through),
            centre_time: (request.protocol >= 2).then(now_text),
            // Protocol 1's answer keeps its exact shape (its phones refuse a field they do not
            // know); an empty roster is no roster (the phone then takes names as written).
            roster: Some(roster).filter(|r| request.protocol >= 2 && !r.is_empty()),
            checkins,
            rotate_token: (request.protocol >= 2 && device.rotate).then_some(true),
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
            digest: self.write(|tx| {
                if tx.device_holds(&device.id)? {
                    tx.digest(&device.team, Some(&device.id))
                } else {
                    self.kept_digest(tx, &device.team)
                }
            })?,
            centre_time: (request.protocol >= 2).then(now_text),
            released: if request.protocol >= wire::KEEP_PROTOCOL {
                Some(self.released(&device.team)?.0)
            } else {
                None
            },
        })
    }

    /// Every row of every table, one line each, in a fixed order: what the tests compare to show
    /// that a refused request or command changed nothing at all.
    pub fn dump(&self) -> Result<Vec<String>> {
        self.write(|tx| tx.dump())
    }

    /// Every entry id the centre holds for a team, in order.
    pub fn team_entry_ids(&self, team: &str) -> Result<Vec<String>> {
        self.write(|tx| tx.team_entry_ids(team))
    }

    /// The digest of everything the centre holds for a team: what each of its phones should hold.
    pub fn team_digest(&self, team: &str) -> Result<wire::Digest> {
        self.write(|tx| self.kept_digest(tx, team))
    }

    /// A team's digest, computed once per last sequence number.
    fn kept_digest(&self, tx: &mut dyn Tx, team: &str) -> Result<wire::Digest> {
        let latest = tx.latest_seq(team)?;
        let kept = self
            .digests
            .lock()
            .ok()
            .and_then(|kept| kept.get(team).filter(|(seq, _)| *seq == latest).cloned());
        if let Some((_, digest)) = kept {
            return Ok(digest);
        }
        let digest = tx.digest(team, None)?;
        // On PostgreSQL each statement sees what was committed when it began: another process
        // may have appended between the two. Kept only if the number is still the same after.
        if tx.latest_seq(team)? == latest
            && let Ok(mut kept) = self.digests.lock()
        {
            kept.insert(team.to_string(), (latest, digest.clone()));
        }
        Ok(digest)
    }

    /// Runs `read` over the core's projections of a team, caught up with its journal, and the
    /// team's workers: what the report reads.
    pub(crate) fn with_projection<T>(
        &self,
        team: &str,
        read: impl FnOnce(&rusqlite::Connection, &str, Vec<String>) -> Result<T>,
    ) -> Result<T> {
        let mut tx = self.storage.begin()?;
        let team = self.require_team(&mut *tx, team)?;
        let workers = tx.team_workers(&team)?;
        if let Some(conn) = tx.projection() {
            return read(conn, &team, workers);
        }
        let replica = self
            .replica
            .as_ref()
            .expect("a read model without projections");
        let mut replica = replica
            .lock()
            .map_err(|_| Refusal::new(500, "storage", "the centre's read model is unavailable"))?;
        replica.catch_up(&mut *tx, &team)?;
        drop(tx);
        read(replica.connection(), &team, workers)
    }
}

/// Whether a readable entry refers to an entry held here for its device (or held just now in
/// the same request): it must wait for it, or it would be refused for good and its record
/// reach the team without it.
fn refers_to_held(
    tx: &mut dyn Tx,
    device: &Device,
    entry: &Entry,
    held_now: &std::collections::HashSet<String>,
) -> Result<bool> {
    let Ok(payload) = Payload::read(entry.kind, &entry.payload) else {
        return Ok(false);
    };
    for (_, id) in ingest::references(&payload) {
        if held_now.contains(id) || tx.held_for(id, &device.id)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether a device token last used at `last_used` has expired under `policy`.
fn token_expired(policy: &Policy, last_used: &str) -> bool {
    let idle = Duration::days(policy.device_token_idle_days as i64);
    last_used < journal::format_timestamp(now() - idle).as_str()
}

pub(crate) fn revoked(how: Revocation) -> Refusal {
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

/// What the prefix rule needs of an entry: its id, its stamp, and what it costs.
struct Sized<'a> {
    id: &'a str,
    recorded_at: &'a str,
    bytes: usize,
}

/// How many of the entries, from the first, the centre takes now, and why it stops if it stops
/// early. Entries already stored are free; new ones count against the quota.
fn takeable_prefix(
    tx: &mut dyn Tx,
    device: &Device,
    entries: &[Sized<'_>],
    now_ms: i64,
    quota: crate::policy::Quota,
) -> Result<(usize, Option<Stop>)> {
    let hour = hour_of(now_ms);
    let used = tx.usage(&device.id, hour)?;
    let (mut hour_entries, mut hour_bytes) = (used.hour_entries, used.hour_bytes);
    let (mut day_entries, mut day_bytes) = (used.day_entries, used.day_bytes);
    for (i, entry) in entries.iter().enumerate() {
        // One held here already is answered as a duplicate whatever its stamp (an earlier
        // centre took in entries stamped far ahead), and costs no quota.
        if tx.known(entry.id)? {
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
    if !(MIN_PROTOCOL..=LATEST_PROTOCOL).contains(&version) {
        return Err(Refusal::new(
            400,
            "unsupported-protocol",
            format!("this centre speaks protocols {MIN_PROTOCOL} to {LATEST_PROTOCOL}"),
        ));
    }
    Ok(())
}

/// Every entry id a JSON value holds, at any depth (a patch's).
fn ids_in(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::String(text) if journal::entry_id("id", text).is_ok() => {
            vec![text.clone()]
        }
        serde_json::Value::Array(items) => items.iter().flat_map(ids_in).collect(),
        serde_json::Value::Object(fields) => fields.values().flat_map(ids_in).collect(),
        _ => Vec::new(),
    }
}

/// The citizens an entry concerns: its subject, and the other one a merge or an identification
/// joins to it.
pub(crate) fn subjects_of(entry: &Entry) -> Vec<String> {
    let mut subjects = vec![entry.subject.to_string()];
    if let Ok(payload) = Payload::parse(entry.kind, &entry.payload) {
        subjects.extend(payload.joins().map(ToString::to_string));
    }
    subjects
}

const OUTSIDE_TEAM: &str = "the entry concerns a citizen of another team (outside-team)";
const ID_TAKEN: &str = "not allowed: the id is taken; ids are never reused (not-allowed)";

/// Every citizen belongs to the team that first recorded them. An entry may only concern (or
/// join) citizens of the sending device's team, and may only refer to entries of that team (a
/// correction's target, a change's earlier values, a contact's risk check); a new subject becomes
/// the team's. Its id may not be another team's entry's. Returns the subjects claimed just now,
/// which `push` takes back if no entry about them is stored, or why the entry is refused.
fn claim_subjects(
    tx: &mut dyn Tx,
    team: &str,
    entry: &Entry,
) -> Result<std::result::Result<Vec<String>, String>> {
    if tx.entry_team(&entry.id)?.is_some_and(|owner| owner != team) {
        return Ok(Err(ID_TAKEN.into()));
    }
    if let Ok(payload) = Payload::parse(entry.kind, &entry.payload) {
        for (_, id) in ingest::references(&payload) {
            // One not stored at all is refused by `ingest` (it must be here already).
            if tx.entry_team(id)?.is_some_and(|owner| owner != team) {
                return Ok(Err(OUTSIDE_TEAM.into()));
            }
        }
        // A correction may point its record at another entry (a contact's place of the
        // register, its risk check, a round's places): every id its patch names is held to the
        // team as a reference is.
        if let Payload::EntryAmended(amendment) = &payload {
            for id in ids_in(&serde_json::Value::Object(amendment.patch.clone())) {
                if tx.entry_team(&id)?.is_some_and(|owner| owner != team) {
                    return Ok(Err(OUTSIDE_TEAM.into()));
                }
            }
        }
    }
    // Every subject is checked before any is claimed: a refused entry claims nobody.
    let mut unclaimed = Vec::new();
    for subject in subjects_of(entry) {
        match tx.subject_team(&subject)? {
            Some(owner) if owner != team => return Ok(Err(OUTSIDE_TEAM.into())),
            Some(_) => {}
            // Every subject of a stored entry is claimed, so one not claimed is new here.
            None if !unclaimed.contains(&subject) => unclaimed.push(subject),
            None => {}
        }
    }
    let mut claimed: Vec<String> = Vec::new();
    for subject in unclaimed {
        // Another team's push may have claimed them since (PostgreSQL, another process).
        if tx.claim_subject(&subject, team)? != team {
            for back in claimed {
                tx.release_subject(&back)?;
            }
            return Ok(Err(OUTSIDE_TEAM.into()));
        }
        claimed.push(subject);
    }
    Ok(Ok(claimed))
}

/// Now, as the centre's clock says. Never panics, whatever the clock says.
pub fn now() -> DateTime<Utc> {
    clock::now()
}
