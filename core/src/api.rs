//! The public surface of the core: the `Store` object and the records it takes and returns.
//! This is exactly what the phone shells get through uniffi and what the CLI uses; a reviewer
//! reads this file to know everything a shell can do.
//!
//! Every record call is one transaction (`BEGIN IMMEDIATE`): the kind's command (`kinds::*`)
//! checks the references and builds the payload, and `session`'s write path validates, stamps,
//! writes and projects it, or nothing is. Sync is `engine`; the screens' reads are
//! `queries`, through the session's reader connection.
//!
//! # What uniffi exports (Kotlin package `dk.gadeplan.core`, Swift module `GadeplanCore`)
//!
//! Functions and objects, all in this file:
//! - `Store` (`create`, `open`; recording: `add_person`, `update_person`, `merge_persons`,
//!   `record_risk_check`, `record_contact`, `record_screening`, `record_stage`, `amend`,
//!   `void_entry`; screens: `list_persons`, `person`, `log`, `todays_log`, `unknown_citizens`,
//!   `entry`; sync: `enrol`, `sync`, `sync_status`, `digest`, `rotate_token`; `identity`,
//!   `rebuild_projections`, `rekey`);
//! - `instrument_definitions`, `score_risk`, `assess_screening`.
//!
//! Records and enums taken or returned, each defined beside the code that gives it meaning:
//! - `session`: `Identity`;
//! - `kinds`: each command's input beside its kind (`NewPerson`, `PersonUpdate`,
//!   `RiskCheckInput`, `ContactInput`, `ScreeningInput`, `StageInput`) and `Subject`;
//! - here: `Recorded`, `RiskCheckRecorded`, `ScreeningRecordedResult`, `LogFilter`;
//! - `queries`: `PersonSummary`, `PersonDetail`, `TimelineItem`, `AttributeConflict`,
//!   `ConflictValue`, `UnknownCitizen`;
//! - `instruments`: `Instruments` and its definitions, `BrosetScore`, `ScreeningAssessment`;
//! - `vocabulary`: `Label` and every code list (`PlaceKind`, `ContactKind`, `Outcome`, `RiskBand`,
//!   `BrosetItem`, `Criterion`, `BurdenArea`, `Decision`, `ReferralKind`, `Stage`, `EntryKind`);
//! - `sync`: `SyncReport`, `SyncStatus`, `SyncState`, `Digest`, and the foreign trait `Transport`
//!   with its `TransportError`, which Kotlin and Swift implement with their HTTP stacks;
//! - `error`: `Error`, exported flat as `GadeplanError` (Kotlin `GadeplanException`), whose
//!   message is the human-readable text.
//! - `time`: `Time`, every time a screen shows, which crosses as a `SystemTime` (Kotlin
//!   `java.time.Instant`, Swift `Date`) for the shells to show in the phone's time zone.

use std::path::Path;
use std::sync::{Arc, MutexGuard};

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;
use serde::Serialize;

use crate::clock;
use crate::db::{self, OpenMode};
use crate::error::{Error, Result};
use crate::instruments::{self, BrosetScore, Instruments, ScreeningAssessment};
use crate::journal;
use crate::kinds::Payload;
pub use crate::kinds::entry_amended::CorrectionInput;
pub use crate::kinds::inputs::*;
pub use crate::kinds::subject::Subject;
use crate::kinds::{self, Kind, subject::require_entry, subject::require_person};
use crate::queries::{self, PersonDetail, PersonSummary, TimelineItem, UnknownCitizen};
pub use crate::session::Identity;
use crate::session::{Inner, Session};
use crate::sync::{self, SyncReport, SyncStatus, Transport};
use crate::time::Time;
use crate::vocabulary::{BrosetItem, BurdenArea, Criterion, Decision, RiskBand};

/// What was recorded: the new entry's id and whom it concerns (the person or unknown citizen the
/// entry is about; for a merge the person kept, for a correction or void its record's subject).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct Recorded {
    pub id: String,
    pub subject: String,
    /// What should happen and has not, about this citizen: shown, never refusing (`warnings`).
    pub warnings: Vec<crate::vocabulary::Label>,
}

/// A person noted: the new person's id, and the entry that noted them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct PersonRecorded {
    pub person: String,
    pub entry: String,
    /// A `possible-duplicate` warning names the persons who may be the same citizen.
    pub warnings: Vec<crate::vocabulary::Label>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct RiskCheckRecorded {
    pub id: String,
    pub subject: String,
    pub score: u8,
    pub band: RiskBand,
    pub action: String,
    /// Until when this check counts as the person's current risk.
    pub current_until: Time,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct ScreeningRecordedResult {
    pub id: String,
    pub subject: String,
    /// `None` while a criterion is not known.
    pub indicated: Option<bool>,
    pub complex_burden: Option<bool>,
    /// The criteria and burden areas not known yet.
    pub unknown_count: u8,
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

/// What the criteria indicate as the worker fills them in: met, not met, the rest not known.
#[uniffi::export]
pub fn assess_screening(
    criteria: Vec<Criterion>,
    criteria_not_met: Vec<Criterion>,
    high_burden: Vec<BurdenArea>,
    burden_not_high: Vec<BurdenArea>,
) -> Result<ScreeningAssessment> {
    let answers = instruments::ScreeningAnswers::from_lists(
        &criteria,
        &criteria_not_met,
        &high_burden,
        &burden_not_high,
    )?;
    Ok(instruments::assess_screening(&answers))
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
        Session::create(Path::new(&path), &key, &worker, &device_name)?;
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

    /// Re-encrypts the store with `new_key` (32 bytes, not the current one), all or nothing: a
    /// crash in the middle leaves the store opening with `current_key` or with `new_key`. The
    /// current key must be the one the store was opened with, else `WrongKey` and nothing is
    /// changed. Afterwards only `new_key` opens it. A sync under way finishes first. A shell keeps
    /// the new key as pending before it calls this (`docs/keys.md`).
    pub fn rekey(&self, current_key: Vec<u8>, new_key: Vec<u8>) -> Result<()> {
        self.session.rekey(&current_key, &new_key)
    }

    pub fn identity(&self) -> Result<Identity> {
        Ok(self.lock()?.identity.clone())
    }

    /// Records a new entry of any kind, by the kind's own command: what the methods below do for
    /// each kind, here for every kind the registry lists (a kind added later included).
    pub fn record(&self, input: NewEntry) -> Result<Recorded> {
        let mut inner = self.lock()?;
        inner.record(|tx, now| input.build(tx, now))
    }

    pub fn add_person(&self, input: NewPerson) -> Result<PersonRecorded> {
        let mut inner = self.lock()?;
        let noted =
            inner.record(|tx, now| kinds::person_noted::PersonNoted::build(tx, now, &input))?;
        Ok(PersonRecorded {
            person: noted.subject,
            entry: noted.id,
            warnings: noted.warnings,
        })
    }

    pub fn update_person(&self, input: PersonUpdate) -> Result<Recorded> {
        let mut inner = self.lock()?;
        inner.record(|tx, now| kinds::person_updated::PersonUpdated::build(tx, now, &input))
    }

    /// Joins `duplicate` (a person, or an unknown citizen) into `keep`: everything recorded about
    /// either then shows under `keep`.
    pub fn merge_persons(&self, keep: String, duplicate: String) -> Result<Recorded> {
        let mut inner = self.lock()?;
        let input = MergeInput { keep, duplicate };
        inner.record(|tx, now| kinds::person_merged::PersonMerged::build(tx, now, &input))
    }

    pub fn record_risk_check(&self, input: RiskCheckInput) -> Result<RiskCheckRecorded> {
        let mut inner = self.lock()?;
        let scored = instruments::check_broset(&input.observed, input.plan.as_deref())?;
        let (recorded, _) = inner
            .record_entry(|tx, now| kinds::risk_checked::RiskChecked::build(tx, now, &input))?;
        let until = DateTime::parse_from_rfc3339(&recorded.occurred_at)
            .map_err(|_| Error::invalid("occurred_at", "unreadable"))?
            + Duration::hours(instruments::RISK_VALID_HOURS);
        Ok(RiskCheckRecorded {
            id: recorded.id.into(),
            subject: recorded.subject.into(),
            score: scored.score,
            band: scored.band,
            action: scored.action,
            current_until: Time::stored(journal::format_timestamp(until.with_timezone(&Utc))),
        })
    }

    pub fn record_contact(&self, input: ContactInput) -> Result<Recorded> {
        let mut inner = self.lock()?;
        inner.record(|tx, now| kinds::contact_logged::ContactLogged::build(tx, now, &input))
    }

    pub fn record_screening(&self, input: ScreeningInput) -> Result<ScreeningRecordedResult> {
        let mut inner = self.lock()?;
        let answers = instruments::ScreeningAnswers::from_lists(
            &input.criteria,
            &input.criteria_not_met,
            &input.high_burden,
            &input.burden_not_high,
        )?;
        let assessed =
            instruments::check_screening(&answers, input.decision, input.reason.as_deref())?;
        let recorded = inner.record(|tx, now| {
            kinds::screening_recorded::ScreeningRecorded::build(tx, now, &input)
        })?;
        Ok(ScreeningRecordedResult {
            id: recorded.id,
            subject: recorded.subject,
            indicated: assessed.indicated,
            complex_burden: assessed.complex_burden,
            unknown_count: assessed.unknown_count,
            decision: input.decision,
            indicated_decision: assessed.indicated_decision,
        })
    }

    pub fn record_stage(&self, input: StageInput) -> Result<Recorded> {
        let mut inner = self.lock()?;
        inner.record(|tx, now| kinds::stage_assessed::StageAssessed::build(tx, now, &input))
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
        let input = kinds::entry_amended::AmendmentInput {
            entry: entry_id,
            patch_json,
            occurred_at,
            reason,
        };
        inner.record(|tx, now| kinds::entry_amended::EntryAmended::build(tx, now, &input))
    }

    /// Corrects an earlier record with a typed correction of its kind (the fields to replace or
    /// clear) and/or a corrected time: what the shells offer, so no shell writes JSON. As with
    /// `amend`, the original stays in the journal and the timeline shows both.
    pub fn correct(&self, input: CorrectionInput) -> Result<Recorded> {
        let mut inner = self.lock()?;
        inner.record(|tx, now| kinds::entry_amended::build_correction(tx, now, &input))
    }

    /// Voids a record made by mistake. The reason is required; the entry stays in the journal
    /// and the timeline, marked void, and stops counting anywhere else.
    pub fn void_entry(&self, entry_id: String, reason: String) -> Result<Recorded> {
        let mut inner = self.lock()?;
        let input = kinds::entry_voided::VoidInput {
            entry: entry_id,
            reason,
        };
        inner.record(|tx, now| kinds::entry_voided::EntryVoided::build(tx, now, &input))
    }

    /// The persons list screen: `limit` persons from `offset`, most recently contacted first.
    pub fn list_persons(&self, limit: Option<u32>, offset: u32) -> Result<Vec<PersonSummary>> {
        self.session
            .read(|conn, _| queries::list_persons(conn, limit, offset, clock::now()))
    }

    /// The team's roster as the centre last sent it (the workers a colleague, a responsible
    /// worker or an incident's worker is chosen from); `None` before any centre sent one.
    pub fn roster(&self) -> Result<Option<Vec<String>>> {
        self.session.read(|conn, _| crate::roster::known(conn))
    }

    /// Every pair of persons who may be the same citizen, strongest first (`duplicates`).
    pub fn possible_duplicates(&self) -> Result<Vec<crate::duplicates::PossibleDuplicate>> {
        self.session
            .read(|conn, _| crate::duplicates::all_pairs(conn))
    }

    /// The citizens with an open course not talked with in the last 14 days, longest first.
    pub fn not_talked_with(&self) -> Result<Vec<kinds::intensity::NotTalkedWith>> {
        self.session
            .read(|conn, _| kinds::intensity::not_talked_with(conn, clock::now(), |_| true))
    }

    /// The team's areas (Bilag 2B), by name.
    pub fn areas(&self) -> Result<Vec<kinds::places::AreaView>> {
        self.session.read(|conn, _| kinds::places::areas(conn))
    }

    /// The places of the team's register, by name, with their visit rules.
    pub fn places(&self) -> Result<Vec<kinds::places::PlaceView>> {
        self.session.read(|conn, _| kinds::places::places(conn))
    }

    /// The route plan's rounds, by weekday and time.
    pub fn rounds(&self) -> Result<Vec<kinds::places::RoundView>> {
        self.session.read(|conn, _| kinds::places::rounds(conn))
    }

    /// Each area's coverage in the last four weeks against its priority, highest first.
    pub fn coverage(&self) -> Result<Vec<kinds::places::AreaCoverage>> {
        self.session
            .read(|conn, _| kinds::places::coverage(conn, clock::now(), &|_| true))
    }

    /// Every check-in this phone knows (the worker's own and the colleagues'), latest first.
    pub fn checkins(&self) -> Result<Vec<kinds::checkins::CheckinView>> {
        self.session.read(|conn, _| kinds::checkins::all(conn))
    }

    /// What the worker must know now: a colleague's overdue check-in as the centre last sent it,
    /// their own check-in about to fall due, overdue or not yet at the centre.
    pub fn alerts(&self) -> Result<Vec<kinds::checkins::Alert>> {
        self.session
            .read(|conn, _| queries::alerts(conn, clock::now()))
    }

    /// The SMS for the watcher about the worker's own check-in (named, or their open one; for
    /// `Ended`, the latest), for when the phone has no data.
    pub fn checkin_message(
        &self,
        checkin: Option<String>,
        kind: kinds::checkins::CheckinMessageKind,
    ) -> Result<kinds::checkins::CheckinMessage> {
        self.session.read(|conn, _| {
            kinds::checkins::message_for(conn, checkin.as_deref(), kind, clock::now())
        })
    }

    /// Sets the worker's codes for ending a check-in: the normal code, and the duress code that
    /// ends it the same way on the screen while the centre raises the alarm.
    pub fn set_checkin_codes(&self, code: String, duress_code: String) -> Result<()> {
        let mut inner = self.session.lock()?;
        inner.writable()?;
        kinds::checkins::set_codes(&inner.conn, &code, &duress_code)
    }

    /// The caseload as this phone knows it: the citizens with an open course each worker carries,
    /// and the team's average against the guideline of 15 (002 L3202–3203).
    pub fn caseload(&self) -> Result<kinds::courses::Caseload> {
        self.session.read(|conn, _| kinds::courses::caseload(conn))
    }

    /// What the worker should do next, most urgent first (`next_steps`): check-in alerts, the
    /// guarantees running out, the questionnaires due, the citizens not talked with lately.
    pub fn next_steps(&self) -> Result<Vec<crate::next_steps::NextStep>> {
        self.session
            .read(|conn, _| crate::next_steps::next_steps(conn, clock::now()))
    }

    /// The persons waiting for treatment to start under the 14-day guarantee, fewest days left
    /// first (those past their last day first of all): the persons list ordered by the days left.
    pub fn waiting_for_treatment(&self) -> Result<Vec<PersonSummary>> {
        self.session
            .read(|conn, _| queries::waiting_for_treatment(conn, clock::now()))
    }

    /// The initial treatment plan of the person's open course as Bilag 1C's handover document:
    /// an HTML page in Danish with the form's labels, to share or print.
    pub fn plan_document(&self, person: String) -> Result<String> {
        journal::entry_id("person", &person)?;
        self.session
            .read(|conn, _| kinds::plan_document::plan_document(conn, &person, clock::now()))
    }

    /// A person's screen: the summary, conflicts, courses, and the whole timeline.
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
        self.session
            .read(|conn, _| queries::unknown_citizens(conn, clock::now()))
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
        crate::engine::enrol(&self.session, &*transport, &centre, &code)
    }

    /// One sync run: push everything unacknowledged in bounded batches, pull everything new,
    /// compare digests with the centre and repair a divergence (`engine`). The store
    /// stays usable while a request is under way: the lock is held only to read or apply each
    /// step. One run at a time: a second call on the same store waits for the first to end.
    ///
    /// When the centre will not take what this phone sends for now (its clock is ahead of the
    /// centre's, or it is over its quota), the run still pulls what colleagues recorded, then
    /// returns that refusal (`ClockWrong`, or `CentreRefused`); nothing recorded is lost.
    pub fn sync(&self, transport: Arc<dyn Transport>) -> Result<SyncReport> {
        crate::engine::sync(&self.session, &*transport)
    }

    /// Asks the centre for a new device token and keeps it in place of the current one, without
    /// enrolling again: the next request goes with it, and from then on the old one is refused.
    /// An answer lost on the way changes nothing here (the old token still works; ask again). A
    /// sync under way finishes first. A revoked phone gets no token (and is erased, as by a sync).
    pub fn rotate_token(&self, transport: Arc<dyn Transport>) -> Result<()> {
        crate::engine::rotate_token(&self.session, &*transport)
    }

    /// The citizens of the team whose history is held at the centre only (released from the
    /// phones by the centre's rule) whose nickname holds `alias`: what the worker finds online
    /// when a citizen met again is not on the phone (`SyncStatus::at_centre` says how many).
    pub fn search_centre(
        &self,
        transport: Arc<dyn Transport>,
        alias: String,
    ) -> Result<Vec<sync::wire::CitizenAtCentre>> {
        crate::engine::search(&self.session, &*transport, &alias)
    }

    /// Fetches a citizen's history from the centre (one found by `search_centre`, or any of the
    /// team's) and keeps it on the phone for a week, whatever the centre's rule says; a contact
    /// recorded meanwhile keeps them for good. Returns how many entries were new here.
    pub fn fetch_history(&self, transport: Arc<dyn Transport>, citizen: String) -> Result<u32> {
        crate::engine::fetch_history(&self.session, &*transport, &citizen)
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
        self.lock()?.rebuild_projections()
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
        let (entry, payload) = self.record_entry(build)?;
        // The entry is committed: a failure reading the warnings must not report it as not
        // recorded (a retry would record it twice), so it leaves the warnings out instead.
        let warnings =
            crate::warnings::about(&self.conn, &entry, &payload, clock::now()).unwrap_or_default();
        Ok(Recorded {
            id: entry.id.into(),
            subject: entry.subject.into(),
            warnings,
        })
    }
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
