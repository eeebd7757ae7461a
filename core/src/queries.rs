//! The read side: one query per screen (the persons list, a person with their timeline, the
//! worker's log for a day), reading the projections and folding corrections into what they show.
//!
//! Every query here is bounded by an index on the thing the screen is about (a person, a day,
//! a page of the list), so its cost does not grow with the size of the journal.

use std::sync::LazyLock;

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use crate::entries;
use crate::error::{Error, Result};
use crate::instruments::RISK_VALID_HOURS;
use crate::journal::{self, EntryKind};
use crate::kinds::persons::PersonAttribute;
use crate::kinds::{self, AttributeValue, EntryContent};
use crate::projection;
use crate::sync::{SyncState, SyncView};
use crate::time::Time;
use crate::vocabulary::{Decision, Label, RiskBand, Stage};

/// One row of the persons list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct PersonSummary {
    pub id: String,
    pub alias: String,
    pub description: Option<String>,
    pub birth_year: Option<i32>,
    pub noted_at: Time,
    /// Last seen: the latest contact in which the workers saw the citizen (made, declined, or
    /// broken off for safety). Conversations are counted in `intensity`.
    pub last_contact_at: Option<Time>,
    /// The band of the latest risk check if it is still current (within 24 hours), else none:
    /// a stale score must never be shown as current.
    pub risk: Option<RiskBand>,
    pub risk_checked_at: Option<Time>,
    /// The entry id of the risk check `risk` comes from while it is current; none when no check
    /// is current. A shell links a contact to it and opens it from the person's page.
    pub current_risk_check: Option<String>,
    pub stage: Option<Stage>,
    pub stage_at: Option<Time>,
    pub screening: Option<Decision>,
    pub screening_at: Option<Time>,
    /// Two changes to the same attribute were made without seeing each other; see `conflicts`.
    pub has_conflicts: bool,
    /// The phase of the person's open course, if one is open.
    pub course_phase: Option<crate::vocabulary::CoursePhase>,
    /// The 14-day guarantee of the open course, once the citizen has wished for treatment.
    pub guarantee: Option<crate::kinds::guarantee::Guarantee>,
    /// The conversations with the citizen in the last 14 and 30 days and their class.
    pub intensity: crate::kinds::intensity::Intensity,
    /// The questionnaires due on the open course, and since when.
    pub questionnaires_due: Vec<crate::kinds::questionnaire_recorded::QuestionnaireDue>,
    /// How many of this phone's own entries about the person have not reached the centre yet
    /// (the list's "not sent" mark; review finding M7). Always 0 at the centre.
    pub not_sent: u32,
}

/// The persons columns of a summary; each query appends the last-contact time as column 12.
macro_rules! summary_columns {
    () => {
        "p.id, p.alias, p.description, p.birth_year, p.noted_at, p.risk_band, p.risk_at, \
         p.stage, p.stage_at, p.screening_decision, p.screening_at, p.attribute_conflicts"
    };
}

const LIST_PERSONS: &str = concat!(
    "SELECT ",
    summary_columns!(),
    ", l.last_contact FROM listing l JOIN persons p ON p.id = l.person_id
     ORDER BY l.last_contact DESC, l.noted_at DESC, l.person_id DESC LIMIT ?1 OFFSET ?2"
);

const PERSON: &str = concat!(
    "SELECT ",
    summary_columns!(),
    ", (SELECT coalesce((SELECT occurred_at FROM contacts WHERE owner = p.id AND met = 1 AND voided = 0
            ORDER BY occurred_at DESC LIMIT 1), '')),
        p.voided
     FROM persons p WHERE p.id = ?1"
);

/// The condition of the journal's index of entries by subject (`entries_about`): the kinds
/// without a record table of their own. The text must match the index's own condition for SQLite
/// to use it (`core/tests/query_plans.rs` holds it to that).
pub fn indexed_kinds_condition() -> String {
    let codes: Vec<String> = kinds::indexed_kinds()
        .map(|k| format!("'{}'", k.code()))
        .collect();
    format!("kind IN ({})", codes.join(", "))
}

/// A person's timeline: the records found through each record kind's table (which follow
/// merges), the other kinds through the journal's index of them. Made from the registry.
static TIMELINE: LazyLock<String> = LazyLock::new(|| {
    let mut parts: Vec<String> = kinds::record_tables()
        .map(|t| format!("SELECT entry_id FROM {} WHERE owner = ?1", t.table))
        .collect();
    let indexed = indexed_kinds_condition();
    parts.push(format!(
        "SELECT id FROM entries WHERE {indexed} AND subject = ?1"
    ));
    parts.push(format!(
        "SELECT e.id FROM subject_redirects r JOIN entries e ON e.subject = r.from_id
            WHERE r.to_id = ?1 AND e.{indexed}"
    ));
    format!(
        "SELECT {} FROM entries WHERE id IN (\n        {})",
        crate::entry_columns!(),
        parts.join("\n        UNION ALL ")
    )
});

const DEVICE_LOG: &str = concat!(
    "SELECT ",
    crate::entry_columns!(),
    " FROM entries WHERE id >= ?1 AND author_device = ?2 AND recorded_at >= ?3 ORDER BY recorded_at"
);

const JOURNAL_LOG: &str = concat!(
    "SELECT * FROM (SELECT ",
    crate::entry_columns!(),
    " FROM entries ORDER BY id DESC LIMIT ?1) ORDER BY recorded_at, id"
);

/// A person's latest risk check that lies not in the future (see `settle_risk`).
const LATEST_RISK_CHECK: &str = "SELECT band, occurred_at, entry_id FROM risk_checks
     WHERE owner = ?1 AND voided = 0 AND occurred_at <= ?2
     ORDER BY occurred_at DESC, entry_id DESC LIMIT 1";

/// The queries behind the screens, by name, for the test that no screen scans a whole table.
pub fn screen_queries() -> Vec<(&'static str, &'static str)> {
    let mut queries = vec![
        ("persons list", LIST_PERSONS),
        ("latest risk check", LATEST_RISK_CHECK),
        ("person", PERSON),
        ("timeline", TIMELINE.as_str()),
        ("today's log", DEVICE_LOG),
        ("journal log", JOURNAL_LOG),
    ];
    // Each line of the persons list also reads its open course's phase and guarantee.
    queries.extend(crate::kinds::courses::screen_queries());
    queries.extend(crate::kinds::intensity::screen_queries());
    queries.extend(crate::kinds::questionnaire_recorded::screen_queries());
    queries
}

fn summary_from_row(row: &Row<'_>, now: DateTime<Utc>) -> rusqlite::Result<PersonSummary> {
    let risk_band: Option<String> = row.get(5)?;
    let risk_at: Option<String> = row.get(6)?;
    let fresh = risk_at
        .as_deref()
        .is_some_and(|at| is_current_risk(at, now));
    let stage: Option<String> = row.get(7)?;
    let screening: Option<String> = row.get(9)?;
    let conflicts: i64 = row.get(11)?;
    let last_contact: String = row.get(12)?;
    Ok(PersonSummary {
        id: row.get(0)?,
        alias: row.get(1)?,
        description: row.get(2)?,
        birth_year: row.get(3)?,
        noted_at: row.get(4)?,
        last_contact_at: (!last_contact.is_empty()).then_some(Time::stored(last_contact)),
        risk: if fresh {
            risk_band.and_then(|b| RiskBand::parse(&b).ok())
        } else {
            None
        },
        risk_checked_at: risk_at.map(Time::stored),
        current_risk_check: None,
        stage: stage.and_then(|s| Stage::parse(&s).ok()),
        stage_at: row.get(8)?,
        screening: screening.and_then(|s| Decision::parse(&s).ok()),
        screening_at: row.get(10)?,
        has_conflicts: conflicts > 0,
        course_phase: None,
        guarantee: None,
        intensity: crate::kinds::intensity::Intensity {
            conversations_14_days: 0,
            conversations_30_days: 0,
            class: crate::vocabulary::ContactIntensity::AdHoc,
            last_conversation_at: None,
        },
        questionnaires_due: Vec::new(),
        not_sent: 0,
    })
}

/// A risk check describes the next 24 hours from when it was made: it is current if it was
/// made in the last 24 hours and not in the future. "Not in the future" allows the skew every
/// replica allows a clock (`clock::MAX_SKEW_MS`), so a colleague's high score made a minute
/// "ahead" on their phone still shows.
pub fn is_current_risk(checked_at: &str, now: DateTime<Utc>) -> bool {
    DateTime::parse_from_rfc3339(checked_at)
        .map(|t| {
            let age = now - t.with_timezone(&Utc);
            age < Duration::hours(RISK_VALID_HOURS)
                && age >= -Duration::milliseconds(crate::clock::MAX_SKEW_MS)
        })
        .unwrap_or(false)
}

/// What the worker must know now (`kinds::checkins::alerts`); whether their own check-in has
/// reached the centre is its entry's sync state.
pub fn alerts(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<crate::kinds::checkins::Alert>> {
    let view = SyncView::load(conn)?;
    crate::kinds::checkins::alerts(conn, now, &|id| {
        matches!(
            crate::entries::load(conn, id)
                .ok()
                .flatten()
                .map(|entry| view.state(conn, &entry)),
            Some(Ok(SyncState::Pending))
        )
    })
}

/// The latest time a record may say it happened and still count as the present.
fn not_in_the_future(now: DateTime<Utc>) -> String {
    journal::format_timestamp(now + Duration::milliseconds(crate::clock::MAX_SKEW_MS))
}

/// The open course's phase, guarantee and questionnaires due, and the contact intensity, read
/// by the person's key.
fn settle_course(conn: &Connection, summary: &mut PersonSummary, now: DateTime<Utc>) -> Result<()> {
    // The open course (the oldest, if two phones opened one each offline), read once.
    let open = crate::kinds::courses::open_courses(conn, &summary.id)?
        .into_iter()
        .next();
    summary.course_phase = open.as_ref().map(|c| c.phase);
    summary.guarantee = match &open {
        Some(course) => crate::kinds::guarantee::of_course(conn, &course.id, now)?,
        None => None,
    };
    summary.intensity = crate::kinds::intensity::of(conn, &summary.id, now)?;
    summary.questionnaires_due = crate::kinds::questionnaire_recorded::due_given(
        conn,
        &summary.id,
        open.as_ref().map(|c| c.id.as_str()),
        now,
    )?;
    Ok(())
}

/// A subject's risk as the screens show it: the band of the latest check not voided and not in
/// the future if it is still current, when that check was made, and its entry id if current, so
/// that a shell links a contact to the check it relies on (issue 18; the shells guessed it).
/// One look-up for persons and unknown citizens alike (an unknown citizen's checks are kept
/// under the unknown citizen's id).
struct CurrentRisk {
    band: Option<RiskBand>,
    checked_at: Option<Time>,
    check: Option<String>,
}

fn current_risk(conn: &Connection, owner: &str, now: DateTime<Utc>) -> Result<CurrentRisk> {
    let latest: Option<(String, String, String)> = conn
        .prepare_cached(LATEST_RISK_CHECK)?
        .query_row(params![owner, not_in_the_future(now)], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let current = latest
        .as_ref()
        .filter(|(_, at, _)| is_current_risk(at, now));
    Ok(CurrentRisk {
        band: current.and_then(|(band, _, _)| RiskBand::parse(band).ok()),
        check: current.map(|(_, _, id)| id.clone()),
        checked_at: latest.map(|(_, at, _)| Time::stored(at)),
    })
}

/// The person's current risk check (`PersonSummary::current_risk_check`) and the band it gives.
/// A risk check stamped in the future (on a replica whose clock was wrong before the bounds
/// existed) is not the person's current risk, and does not hide the checks before it: the summary
/// then shows the latest check that is not in the future. The summary columns keep the latest by
/// the time stated; the look-up is needed only when that one is current or lies ahead, and then
/// the band, its time and the check's id all come from it.
fn settle_risk(conn: &Connection, summary: &mut PersonSummary, now: DateTime<Utc>) -> Result<()> {
    let bound = not_in_the_future(now);
    let Some(at) = summary.risk_checked_at.as_ref() else {
        return Ok(());
    };
    if summary.risk.is_none() && at.as_str() <= bound.as_str() {
        return Ok(());
    }
    let risk = current_risk(conn, &summary.id, now)?;
    summary.risk = risk.band;
    summary.risk_checked_at = risk.checked_at;
    summary.current_risk_check = risk.check;
    Ok(())
}

/// The persons list, most recently contacted first (never contacted last, newest noted first).
/// `limit` pages it for a phone screen; `None` returns everyone.
pub fn list_persons(
    conn: &Connection,
    limit: Option<u32>,
    offset: u32,
    now: DateTime<Utc>,
) -> Result<Vec<PersonSummary>> {
    let mut stmt = conn.prepare_cached(LIST_PERSONS)?;
    let limit = limit.map_or(-1, i64::from);
    let rows = stmt.query_map(params![limit, offset], |r| summary_from_row(r, now))?;
    let mut persons: Vec<PersonSummary> = rows.collect::<rusqlite::Result<_>>()?;
    for person in &mut persons {
        settle_risk(conn, person, now)?;
        settle_course(conn, person, now)?;
    }
    settle_not_sent(conn, &mut persons)?;
    Ok(persons)
}

/// Each person's count of own entries not yet sent: the pending entries' subjects, read once
/// and resolved to the person they are about now (a merged duplicate's entries count for the
/// person kept).
fn settle_not_sent(conn: &Connection, persons: &mut [PersonSummary]) -> Result<()> {
    let mut counts = std::collections::HashMap::<String, u32>::new();
    for subject in SyncView::load(conn)?.pending_subjects(conn)? {
        *counts
            .entry(crate::projection::canonical(conn, &subject)?)
            .or_default() += 1;
    }
    for person in persons {
        person.not_sent = counts.get(&person.id).copied().unwrap_or(0);
    }
    Ok(())
}

/// One of the values in a conflict over a person's attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct ConflictValue {
    pub entry_id: String,
    /// The value as JSON (text, a number or null).
    pub value: String,
    /// The value, typed: what a shell shows.
    pub typed: AttributeValue,
    /// The change's clock stamp (see `clock::Hlc`), for ordering.
    pub recorded_at: String,
    pub author_worker: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct AttributeConflict {
    pub attribute: String,
    /// The attribute's name in Danish and English (`PersonAttribute::label`; code: `attribute`).
    pub label: Label,
    /// Latest first; the first is what the list shows until a worker settles it.
    pub values: Vec<ConflictValue>,
}

/// One entry as a timeline shows it: with its amendments applied and its void marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct TimelineItem {
    pub id: String,
    pub kind: EntryKind,
    pub title: Label,
    pub subject: String,
    pub occurred_at: Time,
    /// The entry's clock stamp (see `clock::Hlc`): the order it was recorded in, not a time to show.
    pub recorded_at: String,
    pub author_worker: String,
    pub author_device: String,
    /// What the entry says, typed (with every amendment applied): what the shells show.
    pub content: EntryContent,
    /// The payload as JSON, with every amendment applied.
    pub payload: String,
    /// The payload as first recorded, when amendments changed it.
    pub original_payload: Option<String>,
    pub amended_by: Vec<String>,
    pub voided_by: Option<String>,
    pub void_reason: Option<String>,
    pub sync_state: SyncState,
    /// Whether `Store::correct` would take a typed correction of it: its kind has one
    /// (`EntryKind::correctable`) and it is not voided. A correction itself is voided, not
    /// corrected. So that no shell keeps a list of correctable kinds.
    pub can_correct: bool,
    /// Whether `Store::void_entry` would void it: its kind can be voided
    /// (`EntryKind::voidable`; a void cannot), it is not voided yet, and its kind's own check
    /// passes now (`Kind::check_void`: a closed course cannot be reopened beside another).
    pub can_void: bool,
}

pub fn timeline_item(
    conn: &Connection,
    view: &SyncView,
    entry: journal::Entry,
) -> Result<TimelineItem> {
    let sync_state = view.state(conn, &entry)?;
    let eff = kinds::effective(conn, entry)?;
    // A duress end shows as any end, to its author and everyone (`Kind::shown_json`).
    let payload = eff.payload.shown_json();
    let content = eff.payload.content();
    let voided = eff.voided.is_some();
    let can_correct = !voided && eff.entry.kind.correctable();
    // As `EntryVoided::build` checks it: the record as first recorded, against the store now.
    let can_void = !voided
        && eff.entry.kind.voidable()
        && match kinds::Payload::read(eff.entry.kind, &eff.entry.payload)?
            .check_void(conn, &eff.entry)
        {
            Ok(()) => true,
            Err(Error::NotAllowed { .. }) => false,
            Err(e) => return Err(e),
        };
    let e = eff.entry;
    let changed = !eff.amended_by.is_empty();
    let (voided_by, void_reason) = eff
        .voided
        .map_or((None, None), |(id, reason)| (Some(id), Some(reason)));
    Ok(TimelineItem {
        title: e.kind.label(),
        kind: e.kind,
        id: e.id.into(),
        subject: e.subject.into(),
        occurred_at: Time::stored(eff.occurred_at),
        recorded_at: e.recorded_at,
        author_worker: e.author_worker,
        author_device: e.author_device.into(),
        original_payload: changed.then_some(e.payload),
        content,
        payload,
        amended_by: eff.amended_by,
        voided_by,
        void_reason,
        sync_state,
        can_correct,
        can_void,
    })
}

/// A person as their screen shows them: the summary, what was merged into them, open
/// conflicts, and every entry about them oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct PersonDetail {
    #[serde(flatten)]
    pub person: PersonSummary,
    pub voided: bool,
    /// The ids joined into this person (duplicates merged, unknown citizens identified).
    pub merged_from: Vec<String>,
    pub conflicts: Vec<AttributeConflict>,
    /// The person's courses, oldest first (at most one open, unless two phones opened one
    /// each while offline).
    pub courses: Vec<crate::kinds::courses::CourseView>,
    /// The citizen's network, by role: on the screen offline, beside the crisis plan.
    pub network: Vec<crate::kinds::network_noted::NetworkMember>,
    /// The citizen's consents, in force or withdrawn.
    pub consents: Vec<crate::kinds::consent_given::ConsentView>,
    /// The initial treatment plan of the open course (its crisis plan offline, on the screen).
    pub plan: Option<crate::kinds::plan_document::PlanView>,
    /// The questionnaires recorded, baseline against follow-up, per course and instrument.
    pub questionnaires: Vec<crate::kinds::questionnaire_recorded::QuestionnaireSummary>,
    pub timeline: Vec<TimelineItem>,
}

/// One person's line of the persons list, and whether they were voided.
fn person_summary(
    conn: &Connection,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(PersonSummary, bool)> {
    let row = conn
        .prepare_cached(PERSON)?
        .query_row([id], |r| {
            Ok((summary_from_row(r, now)?, r.get::<_, bool>(13)?))
        })
        .optional()?;
    let Some((mut person, voided)) = row else {
        return Err(Error::not_found("person", id));
    };
    settle_risk(conn, &mut person, now)?;
    settle_course(conn, &mut person, now)?;
    settle_not_sent(conn, std::slice::from_mut(&mut person))?;
    Ok((person, voided))
}

/// The persons waiting for treatment under the guarantee, fewest days left first.
pub fn waiting_for_treatment(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<PersonSummary>> {
    crate::kinds::courses::waiting_for_treatment(conn, now)?
        .into_iter()
        .map(|(person, _)| Ok(person_summary(conn, &person, now)?.0))
        .collect()
}

pub fn person_detail(conn: &Connection, id: &str, now: DateTime<Utc>) -> Result<PersonDetail> {
    let id = projection::canonical(conn, id)?;
    let (person, voided) = person_summary(conn, &id, now)?;
    let merged_from = projection::merged_into(conn, &id)?;
    let mut conflicts = Vec::new();
    if person.has_conflicts {
        for kind in PersonAttribute::ALL {
            let attribute = kind.name();
            let heads = projection::attribute_heads(conn, &id, attribute)?;
            if heads.len() > 1 {
                let mut values = Vec::new();
                for h in heads {
                    let author = entries::load(conn, &h.entry_id)?
                        .map(|e| e.author_worker)
                        .unwrap_or_default();
                    let typed = serde_json::from_str::<serde_json::Value>(&h.value)
                        .map(|v| AttributeValue::from_json(&v))
                        .unwrap_or(AttributeValue::Text {
                            text: h.value.clone(),
                        });
                    values.push(ConflictValue {
                        entry_id: h.entry_id,
                        value: h.value,
                        typed,
                        recorded_at: h.recorded_at,
                        author_worker: author,
                    });
                }
                conflicts.push(AttributeConflict {
                    attribute: attribute.to_string(),
                    label: kind.label(),
                    values,
                });
            }
        }
    }
    let timeline = timeline(conn, &id)?;
    let courses = crate::kinds::courses::person_courses(conn, &id, now)?;
    let network = crate::kinds::network_noted::network_of(conn, &id)?;
    let consents = crate::kinds::consent_given::consents_of(conn, &id)?;
    let plan = crate::kinds::plan_document::plan_of(conn, &id)?;
    let questionnaires = crate::kinds::questionnaire_recorded::summaries(conn, &id)?;
    Ok(PersonDetail {
        person,
        voided,
        merged_from,
        conflicts,
        courses,
        network,
        consents,
        plan,
        questionnaires,
        timeline,
    })
}

/// Every entry about a subject and whatever was merged into it, oldest first (by when it
/// happened, as corrected). Records are found through their projection tables, which follow
/// merges; the other kinds through the journal's index of them.
pub fn timeline(conn: &Connection, subject: &str) -> Result<Vec<TimelineItem>> {
    let view = SyncView::load(conn)?;
    let list: Vec<journal::Entry> = conn
        .prepare_cached(&TIMELINE)?
        .query_map([subject], entries::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let mut items = list
        .into_iter()
        .map(|e| timeline_item(conn, &view, e))
        .collect::<Result<Vec<_>>>()?;
    items.sort_by(|a, b| (&a.occurred_at, &a.recorded_at).cmp(&(&b.occurred_at, &b.recorded_at)));
    Ok(items)
}

/// The entries one device recorded from `since_ms` on (by its clock), oldest first. Entry ids
/// begin with their recording time, so this is a range of the journal's primary key.
pub fn device_log_since(
    conn: &Connection,
    device: &str,
    since_ms: i64,
) -> Result<Vec<TimelineItem>> {
    let view = SyncView::load(conn)?;
    let since_hlc = format!("{since_ms:015}");
    let list: Vec<journal::Entry> = conn
        .prepare_cached(DEVICE_LOG)?
        .query_map(
            params![journal::entry_id_lower_bound(since_ms), device, since_hlc],
            entries::from_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    list.into_iter()
        .map(|e| timeline_item(conn, &view, e))
        .collect()
}

/// The whole journal in recording (HLC) order; `limit` keeps only the newest.
pub fn journal_log(conn: &Connection, limit: Option<u32>) -> Result<Vec<TimelineItem>> {
    let view = SyncView::load(conn)?;
    let limit = limit.map_or(-1, i64::from);
    let list: Vec<journal::Entry> = conn
        .prepare_cached(JOURNAL_LOG)?
        .query_map([limit], entries::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    list.into_iter()
        .map(|e| timeline_item(conn, &view, e))
        .collect()
}

/// An unknown citizen: met or assessed, described in a few words, not yet a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct UnknownCitizen {
    pub id: String,
    pub description: String,
    pub first_seen_at: Time,
    /// The person this citizen turned out to be, once identified.
    pub identified_as: Option<String>,
    /// The risk as for a person (`PersonSummary::risk`): the band of the latest check of this
    /// unknown citizen if still current, when it was made, and the current check's entry id.
    pub risk: Option<RiskBand>,
    pub risk_checked_at: Option<Time>,
    pub current_risk_check: Option<String>,
}

pub fn unknown_citizens(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<UnknownCitizen>> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, u.description, u.first_seen_at, r.to_id FROM unknown_citizens u
         LEFT JOIN subject_redirects r ON r.from_id = u.id ORDER BY u.first_seen_at DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(UnknownCitizen {
            id: r.get(0)?,
            description: r.get(1)?,
            first_seen_at: r.get(2)?,
            identified_as: r.get(3)?,
            risk: None,
            risk_checked_at: None,
            current_risk_check: None,
        })
    })?;
    let mut citizens: Vec<UnknownCitizen> = rows.collect::<rusqlite::Result<_>>()?;
    for citizen in &mut citizens {
        let risk = current_risk(conn, &citizen.id, now)?;
        citizen.risk = risk.band;
        citizen.risk_checked_at = risk.checked_at;
        citizen.current_risk_check = risk.check;
    }
    Ok(citizens)
}
