//! The public surface of the core: the `Store` object and the records it takes and returns.
//! This is exactly what the phone shells get through uniffi and what the CLI uses; a reviewer
//! reads this file to know everything a shell can do.
//!
//! Every record call is one transaction (`BEGIN IMMEDIATE`): the references are checked, the
//! payload validated, the entry written and the projections updated, or nothing is.
//!
//! # What uniffi exports (Kotlin package `dk.gadeplan.core`, Swift module `GadeplanCore`)
//!
//! Functions and objects, all in this file:
//! - `Store` (`create`, `open`; recording: `add_person`, `update_person`, `merge_persons`,
//!   `record_risk_check`, `record_contact`, `record_screening`, `record_stage`, `amend`,
//!   `void_entry`; screens: `list_persons`, `person`, `log`, `todays_log`, `unknown_citizens`,
//!   `entry`; sync: `enrol`, `sync`, `sync_status`, `digest`; `identity`, `rebuild_projections`);
//! - `instrument_definitions`, `score_risk`, `assess_screening`.
//!
//! Records and enums taken or returned, each defined beside the code that gives it meaning:
//! - `session`: `Identity`;
//! - here: `Subject`, `NewPerson`, `PersonUpdate`, `RiskCheckInput`, `ContactInput`,
//!   `ScreeningInput`, `StageInput`, `Recorded`, `RiskCheckRecorded`, `ScreeningRecordedResult`,
//!   `LogFilter`;
//! - `queries`: `PersonSummary`, `PersonDetail`, `TimelineItem`, `AttributeConflict`,
//!   `ConflictValue`, `UnknownCitizen`;
//! - `instruments`: `Instruments` and its definitions, `BrosetScore`, `ScreeningAssessment`;
//! - `vocabulary`: `Label` and every code list (`PlaceKind`, `ContactKind`, `Outcome`, `RiskBand`,
//!   `BrosetItem`, `Criterion`, `BurdenArea`, `Decision`, `ReferralKind`, `Stage`, `EntryKind`);
//! - `sync`: `SyncReport`, `SyncStatus`, `SyncState`, `Digest`, and the foreign trait `Transport`
//!   with its `TransportError`, which Kotlin and Swift implement with their HTTP stacks;
//! - `error`: `Error`, exported flat as `GadeplanError` (Kotlin `GadeplanException`), whose
//!   message is the human-readable text.

use std::path::Path;
use std::sync::{Arc, MutexGuard};

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use serde_json::Value;

use crate::clock;
use crate::db::{self, OpenMode};
use crate::entries;
use crate::error::{Error, Result};
use crate::instruments::{self, BrosetScore, Instruments, ScreeningAssessment};
use crate::journal::{self, Entry, EntryKind, Payload};
use crate::projection;
use crate::queries::{self, PersonDetail, PersonSummary, TimelineItem, UnknownCitizen};
pub use crate::session::Identity;
use crate::session::{Inner, Session};
use crate::sync::{self, SyncReport, SyncStatus, Transport};
use crate::vocabulary::{
    BrosetItem, BurdenArea, ContactKind, Criterion, Decision, Outcome, PlaceKind, ReferralKind,
    RiskBand, Stage,
};

/// Whom a risk check or contact concerns.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Subject {
    /// A person already noted (a merged-away id is followed to the person kept).
    Person { id: String },
    /// A citizen not known by name, described in a few words; may later become a person.
    Unknown { description: String },
    /// An unknown citizen already recorded (by the id a previous entry gave them).
    UnknownCitizen { id: String },
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewPerson {
    pub alias: String,
    pub description: Option<String>,
    pub birth_year: Option<i32>,
    /// The unknown citizen this person turns out to be: their records join the person.
    pub from_unknown: Option<String>,
    pub occurred_at: Option<String>,
}

/// A change to a person's attributes; `None` leaves an attribute as it is. An empty
/// description clears it; `clear_birth_year` removes the birth year.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct PersonUpdate {
    pub person: String,
    pub alias: Option<String>,
    pub description: Option<String>,
    pub birth_year: Option<i32>,
    pub clear_birth_year: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RiskCheckInput {
    pub subject: Subject,
    pub observed: Vec<BrosetItem>,
    pub plan: Option<String>,
    pub occurred_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ContactInput {
    /// Whom the contact concerns; `None` takes the subject of `risk_check`.
    pub subject: Option<Subject>,
    pub place: String,
    pub place_kind: PlaceKind,
    pub kind: ContactKind,
    pub outcome: Outcome,
    /// The colleague who was there; `None` records a solo contact.
    pub colleague: Option<String>,
    pub minutes: Option<u32>,
    pub note: Option<String>,
    /// The risk check made before the approach.
    pub risk_check: Option<String>,
    pub occurred_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ScreeningInput {
    pub person: String,
    /// The criteria met (the complex-burden criterion is computed from `high_burden`).
    pub criteria: Vec<Criterion>,
    pub high_burden: Vec<BurdenArea>,
    pub decision: Decision,
    pub reason: Option<String>,
    /// How a citizen outside the target group is helped on; defaults to `refer`.
    pub referral_kind: Option<ReferralKind>,
    pub referred_to: Option<String>,
    pub occurred_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StageInput {
    pub person: String,
    pub stage: Stage,
    pub importance: Option<u8>,
    pub confidence: Option<u8>,
    pub occurred_at: Option<String>,
}

/// What was recorded: the new entry's id and whom it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct Recorded {
    pub id: String,
    pub subject: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct RiskCheckRecorded {
    pub id: String,
    pub subject: String,
    pub score: u8,
    pub band: RiskBand,
    pub action: String,
    /// Until when this check counts as the person's current risk.
    pub current_until: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct ScreeningRecordedResult {
    pub id: String,
    pub subject: String,
    pub indicated: bool,
    pub complex_burden: bool,
    pub decision: Decision,
    pub indicated_decision: Decision,
}

/// Which entries `log` shows.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct LogFilter {
    /// Only this person's timeline.
    pub person: Option<String>,
    /// Only what this device recorded from this time on.
    pub mine_since: Option<String>,
    /// Only the newest N of the whole journal.
    pub limit: Option<u32>,
}

/// The encrypted store on the phone: every record, query (and later sync) call goes here.
#[derive(uniffi::Object)]
pub struct Store {
    session: Session,
}

#[uniffi::export]
pub fn instrument_definitions() -> Instruments {
    instruments::definitions()
}

#[uniffi::export]
pub fn score_risk(observed: Vec<BrosetItem>) -> BrosetScore {
    instruments::score_broset(&observed)
}

#[uniffi::export]
pub fn assess_screening(
    criteria: Vec<Criterion>,
    high_burden: Vec<BurdenArea>,
) -> ScreeningAssessment {
    instruments::assess_screening(&criteria, &high_burden)
}

#[uniffi::export]
impl Store {
    /// Makes a new store at `path` for this device's worker. Refuses if a store is there.
    #[uniffi::constructor]
    pub fn create(
        path: String,
        key: Vec<u8>,
        worker: String,
        device_name: String,
    ) -> Result<Arc<Self>> {
        let worker = journal::name("worker", &worker, journal::LIMIT_ALIAS)?;
        let device_name = journal::name("device", &device_name, journal::LIMIT_ALIAS)?;
        let created_at = clock::now_for_recording()?;
        let identity = Identity {
            worker,
            device_id: journal::new_id(),
            device_name,
        };
        db::create_atomically(Path::new(&path), &key, |conn| {
            let tx = conn.transaction()?;
            for (k, v) in [
                ("worker", &identity.worker),
                ("device_id", &identity.device_id),
                ("device_name", &identity.device_name),
                ("created_at", &journal::format_timestamp(created_at)),
            ] {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                    params![k, v],
                )?;
            }
            tx.commit()?;
            Ok(())
        })?;
        Self::open(path, key)
    }

    /// Opens an existing store. A wrong key is `WrongKey` and leaves the file untouched; a
    /// missing store is `NoStore`, never a new empty one. On a full disk the store opens for
    /// reading only (`SyncStatus::storage_full` says so, and recording answers `StorageFull`):
    /// before an approach a worker must still see the last risk check.
    #[uniffi::constructor]
    pub fn open(path: String, key: Vec<u8>) -> Result<Arc<Self>> {
        let path = std::path::PathBuf::from(path);
        match db::open(&path, &key, OpenMode::Existing) {
            Ok(conn) => Ok(Arc::new(Store {
                session: Session::from_connection(conn, path, key, false)?,
            })),
            Err(e) if db::disk_full(&path, &e) => {
                let conn = db::open_for_reading(&path, &key)?;
                Ok(Arc::new(Store {
                    session: Session::from_connection(conn, path, key, true)?,
                }))
            }
            Err(e) => Err(e),
        }
    }

    pub fn identity(&self) -> Result<Identity> {
        Ok(self.lock()?.identity.clone())
    }

    pub fn add_person(&self, input: NewPerson) -> Result<Recorded> {
        let mut inner = self.lock()?;
        inner.record(|tx, _| {
            if let Some(unknown) = &input.from_unknown {
                journal::entry_id("from_unknown", unknown)?;
                require_unknown_citizen(tx, unknown)?;
                if projection::canonical(tx, unknown)? != *unknown {
                    return Err(Error::not_allowed(
                        "this unknown citizen is already identified as a person",
                    ));
                }
            }
            let payload = Payload::PersonNoted(journal::PersonNoted {
                alias: journal::name("alias", &input.alias, journal::LIMIT_ALIAS)?,
                description: non_empty(input.description.clone()),
                birth_year: input.birth_year,
                from_unknown: input.from_unknown.clone(),
            });
            Ok((journal::new_id(), input.occurred_at.clone(), payload))
        })
    }

    pub fn update_person(&self, input: PersonUpdate) -> Result<Recorded> {
        let mut inner = self.lock()?;
        inner.record(|tx, _| {
            let person = require_person(tx, &input.person)?;
            let mut attributes = std::collections::BTreeMap::new();
            if let Some(alias) = &input.alias {
                attributes.insert(
                    "alias".to_string(),
                    Value::from(journal::name("alias", alias, journal::LIMIT_ALIAS)?),
                );
            }
            if let Some(description) = &input.description {
                attributes.insert(
                    "description".to_string(),
                    non_empty(Some(description.clone())).map_or(Value::Null, Value::from),
                );
            }
            if input.clear_birth_year && input.birth_year.is_some() {
                return Err(Error::invalid(
                    "birth_year",
                    "give a birth year or clear it, not both",
                ));
            }
            if let Some(year) = input.birth_year {
                attributes.insert("birth_year".to_string(), Value::from(year));
            } else if input.clear_birth_year {
                attributes.insert("birth_year".to_string(), Value::Null);
            }
            // The change replaces every value the worker could see, conflicting ones included:
            // recording a change is how a conflict is settled.
            let mut based_on = std::collections::BTreeMap::new();
            for attribute in attributes.keys() {
                let heads = projection::attribute_heads(tx, &person, attribute)?;
                based_on.insert(
                    attribute.clone(),
                    heads.into_iter().map(|h| h.entry_id).collect(),
                );
            }
            let payload = Payload::PersonUpdated(journal::PersonUpdated {
                attributes,
                based_on,
            });
            Ok((person, None, payload))
        })
    }

    /// Joins `duplicate` (a person, or an unknown citizen) into `keep`: everything recorded about
    /// either then shows under `keep`.
    pub fn merge_persons(&self, keep: String, duplicate: String) -> Result<Recorded> {
        let mut inner = self.lock()?;
        inner.record(|tx, _| {
            let keep = require_person(tx, &keep)?;
            journal::entry_id("duplicate", &duplicate)?;
            let dup = projection::canonical(tx, &duplicate)?;
            if dup == keep {
                return Err(Error::not_allowed("these are already one person"));
            }
            if projection::resolve_person(tx, &dup)?.is_none() {
                require_unknown_citizen(tx, &dup)?;
            }
            let payload = Payload::PersonMerged(journal::PersonMerged { duplicate: dup });
            Ok((keep, None, payload))
        })
    }

    pub fn record_risk_check(&self, input: RiskCheckInput) -> Result<RiskCheckRecorded> {
        let mut inner = self.lock()?;
        let scored = instruments::check_broset(&input.observed, input.plan.as_deref())?;
        let recorded = inner.record_entry(|tx, _| {
            let (subject, unknown) = resolve_subject(tx, &input.subject)?;
            let answers = BrosetItem::ALL
                .iter()
                .map(|item| (*item, input.observed.contains(item)))
                .collect();
            let payload = Payload::RiskChecked(journal::RiskChecked {
                unknown,
                answers,
                plan: non_empty(input.plan.clone()),
                instrument_version: instruments::BROSET_VERSION,
            });
            Ok((subject, input.occurred_at.clone(), payload))
        })?;
        let until = DateTime::parse_from_rfc3339(&recorded.occurred_at)
            .map_err(|_| Error::invalid("occurred_at", "unreadable"))?
            + Duration::hours(instruments::RISK_VALID_HOURS);
        Ok(RiskCheckRecorded {
            id: recorded.id,
            subject: recorded.subject,
            score: scored.score,
            band: scored.band,
            action: scored.action,
            current_until: journal::format_timestamp(until.with_timezone(&Utc)),
        })
    }

    pub fn record_contact(&self, input: ContactInput) -> Result<Recorded> {
        let mut inner = self.lock()?;
        inner.record(|tx, _| {
            let check_subject = match &input.risk_check {
                Some(id) => Some(require_risk_check(tx, id)?),
                None => None,
            };
            // A contact after a risk check concerns the same citizen: with no subject, or with
            // "an unknown citizen" after a check of one, it takes the check's subject.
            let (subject, unknown) = match (&input.subject, &check_subject) {
                (None, Some(cs)) => (cs.clone(), None),
                (Some(Subject::Unknown { .. }), Some(cs))
                    if projection::resolve_person(tx, cs)?.is_none() =>
                {
                    (cs.clone(), None)
                }
                (Some(s), _) => resolve_subject(tx, s)?,
                (None, None) => {
                    return Err(Error::invalid(
                        "subject",
                        "name the person or describe the unknown citizen",
                    ));
                }
            };
            if let Some(check_subject) = &check_subject
                && *check_subject != subject
            {
                return Err(Error::invalid(
                    "risk_check",
                    "the risk check concerns another citizen",
                ));
            }
            let payload = Payload::ContactLogged(journal::ContactLogged {
                unknown,
                place: input.place.trim().to_string(),
                place_kind: input.place_kind,
                kind: input.kind,
                outcome: input.outcome,
                colleague: non_empty(input.colleague.clone())
                    .map(|c| journal::name("colleague", &c, journal::LIMIT_ALIAS))
                    .transpose()?,
                minutes: input.minutes,
                note: non_empty(input.note.clone()),
                risk_check: input.risk_check.clone(),
            });
            Ok((subject, input.occurred_at.clone(), payload))
        })
    }

    pub fn record_screening(&self, input: ScreeningInput) -> Result<ScreeningRecordedResult> {
        let mut inner = self.lock()?;
        let assessed = instruments::check_screening(
            &input.criteria,
            &input.high_burden,
            input.decision,
            input.reason.as_deref(),
        )?;
        let recorded = inner.record(|tx, _| {
            let person = require_person(tx, &input.person)?;
            let referral_kind = match input.decision {
                Decision::Outside => Some(input.referral_kind.unwrap_or(ReferralKind::Refer)),
                _ => input.referral_kind,
            };
            let payload = Payload::ScreeningRecorded(journal::ScreeningRecorded {
                criteria: Criterion::ALL
                    .iter()
                    .map(|c| (*c, input.criteria.contains(c)))
                    .collect(),
                high_burden: BurdenArea::ALL
                    .iter()
                    .map(|a| (*a, input.high_burden.contains(a)))
                    .collect(),
                decision: input.decision,
                reason: non_empty(input.reason.clone()),
                referral_kind,
                referred_to: non_empty(input.referred_to.clone()),
                instrument_version: instruments::SCREENING_VERSION,
            });
            Ok((person, input.occurred_at.clone(), payload))
        })?;
        Ok(ScreeningRecordedResult {
            id: recorded.id,
            subject: recorded.subject,
            indicated: assessed.indicated,
            complex_burden: assessed.complex_burden,
            decision: input.decision,
            indicated_decision: assessed.indicated_decision,
        })
    }

    pub fn record_stage(&self, input: StageInput) -> Result<Recorded> {
        let mut inner = self.lock()?;
        inner.record(|tx, _| {
            let person = require_person(tx, &input.person)?;
            let payload = Payload::StageAssessed(journal::StageAssessed {
                stage: input.stage,
                importance: input.importance,
                confidence: input.confidence,
                instrument_version: instruments::STAGES_VERSION,
            });
            Ok((person, input.occurred_at.clone(), payload))
        })
    }

    /// Corrects an earlier record with a JSON merge patch over its payload (e.g.
    /// `{"note": "…"}`, `{"minutes": null}`) and/or a corrected time. The original stays in the
    /// journal and the timeline shows both.
    pub fn amend(
        &self,
        entry_id: String,
        patch_json: String,
        occurred_at: Option<String>,
        reason: Option<String>,
    ) -> Result<Recorded> {
        let mut inner = self.lock()?;
        inner.record(|tx, now| {
            let target = require_entry(tx, &entry_id)?;
            if !journal::amendable(target.kind) {
                return Err(Error::not_allowed(match target.kind {
                    EntryKind::PersonNoted | EntryKind::PersonUpdated => {
                        "a person's details are changed with a person update"
                    }
                    _ => "this kind of entry cannot be amended",
                }));
            }
            if projection::is_voided(tx, &target.id)? {
                return Err(Error::not_allowed("the entry is voided"));
            }
            let patch = match serde_json::from_str::<Value>(if patch_json.trim().is_empty() {
                "{}"
            } else {
                &patch_json
            }) {
                Ok(Value::Object(map)) => map,
                _ => {
                    return Err(Error::invalid(
                        "patch",
                        "must be a JSON object of the fields to change",
                    ));
                }
            };
            if let Some(field) = journal::IMMUTABLE_FIELDS
                .iter()
                .find(|f| patch.contains_key(**f))
            {
                return Err(Error::invalid(
                    "patch",
                    format!("'{field}' cannot be amended"),
                ));
            }
            let occurred_at = occurred_at
                .as_deref()
                .map(|t| journal::stated_time("occurred_at", Some(t), now))
                .transpose()?;
            // The amended record must still meet its kind's rules (a high score keeps its plan).
            let current = projection::effective(tx, target.clone())?;
            let mut candidate: Value = serde_json::from_str(&current.payload.to_json())?;
            journal::merge_patch(&mut candidate, &Value::Object(patch.clone()));
            let amended = Payload::from_value(target.kind, candidate)?;
            if let Payload::ContactLogged(c) = &amended
                && let Some(check) = &c.risk_check
            {
                require_risk_check(tx, check)?;
            }
            let payload = Payload::EntryAmended(journal::EntryAmended {
                target: target.id.clone(),
                patch,
                occurred_at,
                reason: non_empty(reason.clone()),
            });
            Ok((target.subject, None, payload))
        })
    }

    /// Voids a record made by mistake. The reason is required; the entry stays in the journal
    /// and the timeline, marked void, and stops counting anywhere else.
    pub fn void_entry(&self, entry_id: String, reason: String) -> Result<Recorded> {
        let mut inner = self.lock()?;
        inner.record(|tx, _| {
            let target = require_entry(tx, &entry_id)?;
            if !journal::voidable(target.kind) {
                return Err(Error::not_allowed(
                    "this kind of entry cannot be voided; record a correcting entry instead",
                ));
            }
            if projection::is_voided(tx, &target.id)? {
                return Err(Error::not_allowed("the entry is already voided"));
            }
            let payload = Payload::EntryVoided(journal::EntryVoided {
                target: target.id.clone(),
                reason: reason.trim().to_string(),
            });
            Ok((target.subject, None, payload))
        })
    }

    /// The persons list screen: `limit` persons from `offset`, most recently contacted first.
    pub fn list_persons(&self, limit: Option<u32>, offset: u32) -> Result<Vec<PersonSummary>> {
        self.session
            .read(|conn, _| queries::list_persons(conn, limit, offset, clock::now()))
    }

    /// A person's screen: the summary, conflicts, and the whole timeline.
    pub fn person(&self, id: String) -> Result<PersonDetail> {
        journal::entry_id("person", &id)?;
        self.session
            .read(|conn, _| queries::person_detail(conn, &id, clock::now()))
    }

    pub fn log(&self, filter: LogFilter) -> Result<Vec<TimelineItem>> {
        self.session.read(
            |conn, identity| match (&filter.person, &filter.mine_since) {
                (Some(_), Some(_)) => Err(Error::invalid(
                    "filter",
                    "choose a person or a day, not both",
                )),
                (Some(person), None) => {
                    let person = require_person(conn, person)?;
                    queries::timeline(conn, &person)
                }
                (None, Some(since)) => {
                    let since = journal::parse_timestamp("since", since)?;
                    let since_ms = DateTime::parse_from_rfc3339(&since)
                        .expect("just normalised")
                        .timestamp_millis();
                    queries::device_log_since(conn, &identity.device_id, since_ms)
                }
                (None, None) => queries::journal_log(conn, filter.limit),
            },
        )
    }

    /// The worker's log for today: what this device recorded since local midnight, in the
    /// phone's time zone (`utc_offset_minutes`, e.g. 60 for Danish winter time).
    pub fn todays_log(&self, utc_offset_minutes: i32) -> Result<Vec<TimelineItem>> {
        let since = start_of_local_day(clock::now(), utc_offset_minutes)?;
        self.log(LogFilter {
            mine_since: Some(since),
            ..Default::default()
        })
    }

    pub fn unknown_citizens(&self) -> Result<Vec<UnknownCitizen>> {
        self.session.read(|conn, _| queries::unknown_citizens(conn))
    }

    pub fn entry(&self, id: String) -> Result<TimelineItem> {
        self.session.read(|conn, _| {
            let entry = require_entry(conn, &id)?;
            queries::timeline_item(conn, &sync::SyncView::load(conn)?, entry)
        })
    }

    /// Enrols this phone at a centre with a one-time code from the centre's operator. The device
    /// token the centre returns is kept in this (encrypted) store; `centre` is remembered for the
    /// shell (the transport already knows where to send).
    pub fn enrol(
        &self,
        transport: Arc<dyn Transport>,
        centre: String,
        code: String,
    ) -> Result<SyncStatus> {
        sync::enrol(&self.session, &*transport, &centre, &code)
    }

    /// One sync run: push everything unacknowledged in bounded batches, pull everything new,
    /// compare digests with the centre and repair a divergence (`sync::engine`). The store
    /// stays usable while a request is under way: the lock is held only to read or apply each
    /// step. One run at a time: a second call on the same store waits for the first to end.
    ///
    /// When the centre will not take what this phone sends for now (its clock is ahead of the
    /// centre's, or it is over its quota), the run still pulls what colleagues recorded, then
    /// returns that refusal (`ClockWrong`, or `CentreRefused`); nothing recorded is lost.
    pub fn sync(&self, transport: Arc<dyn Transport>) -> Result<SyncReport> {
        sync::sync(&self.session, &*transport)
    }

    pub fn sync_status(&self) -> Result<SyncStatus> {
        let inner = self.lock()?;
        let mut status = sync::status(&inner.conn, &inner.identity.device_id)?;
        status.storage_full = inner.read_only;
        Ok(status)
    }

    /// The digest of what this phone holds in common with the centre.
    pub fn digest(&self) -> Result<sync::Digest> {
        let inner = self.lock()?;
        sync::local_digest(&inner.conn, &inner.identity.device_id)
    }

    /// Rebuilds every projection from the journal (maintenance; the result is always the same
    /// tables as kept incrementally).
    pub fn rebuild_projections(&self) -> Result<()> {
        let mut inner = self.lock()?;
        inner.writable()?;
        let tx = inner
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        projection::rebuild(&tx)?;
        tx.commit()?;
        Ok(())
    }
}

impl Store {
    fn lock(&self) -> Result<MutexGuard<'_, Inner>> {
        self.session.lock()
    }

    /// For tests and maintenance: a read of the raw connection.
    pub fn with_connection<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&self.lock()?.conn)
    }
}

impl Inner {
    /// `record_entry`, answering with the new entry's id and subject.
    fn record(
        &mut self,
        build: impl FnOnce(&Connection, DateTime<Utc>) -> Result<(String, Option<String>, Payload)>,
    ) -> Result<Recorded> {
        let entry = self.record_entry(build)?;
        Ok(Recorded {
            id: entry.id,
            subject: entry.subject,
        })
    }
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

fn start_of_local_day(now: DateTime<Utc>, utc_offset_minutes: i32) -> Result<String> {
    let offset = chrono::FixedOffset::east_opt(utc_offset_minutes * 60)
        .ok_or_else(|| Error::invalid("utc_offset_minutes", "not a time-zone offset"))?;
    let local = now.with_timezone(&offset);
    let midnight = local
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .and_then(|m| m.and_local_timezone(offset).single())
        .ok_or_else(|| Error::invalid("utc_offset_minutes", "no local midnight"))?;
    Ok(journal::format_timestamp(midnight.with_timezone(&Utc)))
}

fn require_entry(conn: &Connection, id: &str) -> Result<Entry> {
    journal::entry_id("entry", id)?;
    entries::load(conn, id)?.ok_or_else(|| Error::not_found("entry", id))
}

/// The person an id stands for now (following merges); refuses unknown or voided persons.
fn require_person(conn: &Connection, id: &str) -> Result<String> {
    journal::entry_id("person", id)?;
    let found: Option<(String, bool)> = conn
        .prepare_cached(
            "SELECT id, voided FROM persons
             WHERE id = coalesce((SELECT to_id FROM subject_redirects WHERE from_id = ?1), ?1)",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match found {
        None => Err(Error::not_found("person", id)),
        Some((_, true)) => Err(Error::not_allowed("the person was voided")),
        Some((person, false)) => Ok(person),
    }
}

fn require_unknown_citizen(conn: &Connection, id: &str) -> Result<()> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM unknown_citizens WHERE id = ?1)",
        [id],
        |r| r.get(0),
    )?;
    if exists {
        Ok(())
    } else {
        Err(Error::not_found("unknown citizen", id))
    }
}

/// A risk check a contact can refer to; returns the subject it now resolves to.
fn require_risk_check(conn: &Connection, id: &str) -> Result<String> {
    let entry = require_entry(conn, id)?;
    if entry.kind != EntryKind::RiskChecked {
        return Err(Error::invalid(
            "risk_check",
            "the entry is not a risk check",
        ));
    }
    if projection::is_voided(conn, id)? {
        return Err(Error::not_allowed("the risk check is voided"));
    }
    projection::canonical(conn, &entry.subject)
}

/// The stored subject id for a record, and the unknown citizen's description if it is new.
fn resolve_subject(conn: &Connection, subject: &Subject) -> Result<(String, Option<String>)> {
    match subject {
        Subject::Person { id } => Ok((require_person(conn, id)?, None)),
        Subject::Unknown { description } => {
            journal::required_text("unknown", description, journal::LIMIT_SHORT)?;
            Ok((journal::new_id(), Some(description.trim().to_string())))
        }
        Subject::UnknownCitizen { id } => {
            journal::entry_id("unknown citizen", id)?;
            let canonical = projection::canonical(conn, id)?;
            if canonical != *id {
                // Identified since: the record goes to the person.
                return Ok((require_person(conn, &canonical)?, None));
            }
            require_unknown_citizen(conn, id)?;
            Ok((id.clone(), None))
        }
    }
}
