//! One of the pilot's questionnaires answered (`questionnaire.recorded`; 001 chapter 7): which
//! instrument and version, baseline or follow-up, an answer or none per item, or the whole
//! questionnaire "not possible" with the reason (the pilot lost many follow-ups when contact
//! became unstable, 001 L3086–3096). It belongs to a course of the citizen's (the open one; with
//! none open, the latest: the three-month follow-up often comes after the handover closed it),
//! whose phases and dates say when each questionnaire is due (`due`); a citizen's baseline
//! against follow-up is `summaries`. Its row in `questionnaires`. Voided if wrong, never
//! amended: recorded again.

use chrono::{DateTime, Months, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::courses::require_course_for_follow_up;
use super::subject::{non_empty, require_person};
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::{Error, Result};
use crate::instruments::questionnaires::{
    self, ItemChange, Occasion, QUESTIONNAIRE_VERSION, Questionnaire,
};
use crate::journal::{self, Entry, EntryId, LIMIT_LONG};
use crate::time::Time;
use crate::vocabulary::{CloseReason, CoursePhase, Label};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionnaireRecorded {
    /// The course: the id of the entry that opened it.
    pub course: EntryId,
    pub instrument: Questionnaire,
    pub instrument_version: u32,
    pub occasion: Occasion,
    /// One per item, in the instrument's order; `null` for an item left unanswered. Empty when
    /// the questionnaire was not possible.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Option<u8>>,
    /// Why the questionnaire could not be answered, instead of answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_possible: Option<String>,
}

/// What the timeline shows of a questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct QuestionnaireRecordedContent {
    pub course: String,
    pub instrument: Questionnaire,
    pub instrument_version: u32,
    pub occasion: Occasion,
    pub answers: Vec<Option<u8>>,
    pub not_possible: Option<String>,
    /// The instrument's and the occasion's words, for the timeline's line.
    pub instrument_label: Label,
    pub occasion_label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QuestionnaireInput {
    pub person: String,
    /// The course, if the person has more than one open (else their open course, or with none
    /// open their latest).
    #[uniffi(default)]
    pub course: Option<String>,
    pub instrument: Questionnaire,
    /// Baseline or follow-up; `None`: the follow-up once its moment has come by `occurred_at`
    /// (motivation work ended; three months after treatment started), else the baseline.
    #[uniffi(default)]
    pub occasion: Option<Occasion>,
    /// One per item (`None` unanswered); empty with `not_possible`.
    pub answers: Vec<Option<u8>>,
    #[uniffi(default)]
    pub not_possible: Option<String>,
    #[uniffi(default)]
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "questionnaires",
    summary: None,
};

/// The latest of a course's questionnaires of one instrument and occasion, not voided.
const LATEST: &str = "SELECT entry_id, occurred_at, answers, not_possible FROM questionnaires
     WHERE course = ?1 AND instrument = ?2 AND occasion = ?3 AND voided = 0
     ORDER BY occurred_at DESC, entry_id DESC LIMIT 1";
/// The latest of them answered (not "not possible").
const LATEST_ANSWERED: &str = "SELECT entry_id, occurred_at, answers, not_possible FROM questionnaires
     WHERE course = ?1 AND instrument = ?2 AND occasion = ?3 AND voided = 0 AND answers IS NOT NULL
     ORDER BY occurred_at DESC, entry_id DESC LIMIT 1";
/// The first of them answered: a baseline is the first measure.
const FIRST_ANSWERED: &str = "SELECT entry_id, occurred_at, answers, not_possible FROM questionnaires
     WHERE course = ?1 AND instrument = ?2 AND occasion = ?3 AND voided = 0 AND answers IS NOT NULL
     ORDER BY occurred_at, entry_id LIMIT 1";
/// The first and last time of a course's questionnaires of one instrument and occasion.
const SPAN: &str = "SELECT min(occurred_at), max(occurred_at) FROM questionnaires
     WHERE course = ?1 AND instrument = ?2 AND occasion = ?3 AND voided = 0";
const PHASES: &str = "SELECT phase, occurred_at FROM course_phases WHERE course = ?1 AND voided = 0
     ORDER BY occurred_at, entry_id";
const FIRST_WISH: &str =
    "SELECT min(occurred_at) FROM treatment_requests WHERE course = ?1 AND voided = 0";
const FIRST_START: &str =
    "SELECT min(occurred_at) FROM treatment_starts WHERE course = ?1 AND voided = 0";

/// The queries the person's screen runs, for `core/tests/query_plans.rs`.
pub fn screen_queries() -> Vec<(&'static str, &'static str)> {
    vec![
        ("a course's latest questionnaire", LATEST),
        ("a course's latest questionnaire answered", LATEST_ANSWERED),
        ("a course's first questionnaire answered", FIRST_ANSWERED),
        ("a course's questionnaires' span", SPAN),
        ("a course's phases in order", PHASES),
        ("a course's first wish for treatment", FIRST_WISH),
        ("a course's first treatment start", FIRST_START),
    ]
}

impl Kind for QuestionnaireRecorded {
    type Input = QuestionnaireInput;

    const CORRECTIONS: Corrections = Corrections::Void;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, now: DateTime<Utc>, input: &QuestionnaireInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let course = require_course_for_follow_up(
            tx,
            &person,
            input.course.as_deref(),
            input.occurred_at.as_deref(),
            now,
        )?;
        if input
            .not_possible
            .as_deref()
            .is_some_and(|r| r.trim().is_empty())
        {
            return Err(Error::invalid(
                "not_possible",
                "say why the questionnaire was not possible",
            ));
        }
        let at = journal::stated_time("occurred_at", input.occurred_at.as_deref(), now)?;
        let moments = CourseMoments::read(tx, &course.id)?;
        let occasion = match input.occasion {
            Some(o) => o,
            None => {
                let baseline_recorded =
                    latest(tx, &course.id, input.instrument, Occasion::Baseline)?.is_some();
                moments.occasion_at(input.instrument, &at, baseline_recorded)?
            }
        };
        // A course closed is asked only the follow-up three months after treatment started,
        // unless the worker names it.
        if course.closed
            && !course.named
            && (input.instrument.measures_motivation() || occasion == Occasion::Baseline)
        {
            return Err(Error::not_allowed(
                "the person's course is closed: only the follow-up three months after treatment started is taken on it (name the course to record on it anyway)",
            ));
        }
        check_order(tx, &course.id, input.instrument, occasion, &at)?;
        let not_possible = non_empty(input.not_possible.clone());
        let payload = Payload::QuestionnaireRecorded(QuestionnaireRecorded {
            course: EntryId::stored(course.id),
            instrument: input.instrument,
            instrument_version: QUESTIONNAIRE_VERSION,
            occasion,
            answers: input.answers.clone(),
            not_possible,
        });
        Ok((person, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::entry_id("course", &self.course)?;
        match &self.not_possible {
            Some(reason) => {
                journal::required_text("not_possible", reason, LIMIT_LONG)?;
                journal::instrument_version(
                    "instrument_version",
                    self.instrument_version,
                    QUESTIONNAIRE_VERSION,
                )?;
                if !self.answers.is_empty() {
                    return Err(Error::invalid(
                        "answers",
                        "a questionnaire not possible has no answers",
                    ));
                }
                Ok(())
            }
            None => {
                questionnaires::check_answers(self.instrument, self.instrument_version, &self.answers)
            }
        }
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::QuestionnaireRecorded(QuestionnaireRecordedContent {
            course: self.course.to_string(),
            instrument: self.instrument,
            instrument_version: self.instrument_version,
            occasion: self.occasion,
            answers: self.answers.clone(),
            not_possible: self.not_possible.clone(),
            instrument_label: self.instrument.label(),
            occasion_label: self.occasion.label(),
        })
    }

    super::refers_to_one!(course, CourseOpened);

    /// A kind of payload version 2.
    fn schema_version(&self) -> u32 {
        2
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        let answers = self
            .not_possible
            .is_none()
            .then(|| serde_json::to_string(&self.answers).expect("answers serialise"));
        conn.prepare_cached(
            "INSERT INTO questionnaires (owner, occurred_at, entry_id, voided, author_worker, course,
                instrument, instrument_version, occasion, answers, not_possible)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.course,
            self.instrument.code(),
            self.instrument_version,
            self.occasion.code(),
            answers,
            self.not_possible,
        ])?;
        Ok(())
    }
}

/// A course's latest questionnaire of an instrument and occasion: when, and its answers (`None`
/// if it was not possible, with the reason).
struct Answered {
    at: String,
    answers: Option<Vec<Option<u8>>>,
    not_possible: Option<String>,
}

fn latest(
    conn: &Connection,
    course: &str,
    instrument: Questionnaire,
    occasion: Occasion,
) -> Result<Option<Answered>> {
    latest_by(conn, LATEST, course, instrument, occasion)
}

/// What a summary shows: the first baseline answered and the latest follow-up answered (a
/// baseline is the first measure, a follow-up the latest), or if none was answered, the latest
/// recorded not possible (a later "not possible" does not hide an answered questionnaire).
fn for_summary(
    conn: &Connection,
    course: &str,
    instrument: Questionnaire,
    occasion: Occasion,
) -> Result<Option<Answered>> {
    let answered = match occasion {
        Occasion::Baseline => FIRST_ANSWERED,
        Occasion::FollowUp => LATEST_ANSWERED,
    };
    match latest_by(conn, answered, course, instrument, occasion)? {
        Some(answered) => Ok(Some(answered)),
        None => latest(conn, course, instrument, occasion),
    }
}

fn latest_by(
    conn: &Connection,
    query: &str,
    course: &str,
    instrument: Questionnaire,
    occasion: Occasion,
) -> Result<Option<Answered>> {
    let row: Option<(String, Option<String>, Option<String>)> = conn
        .prepare_cached(query)?
        .query_row(params![course, instrument.code(), occasion.code()], |r| {
            Ok((r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    row.map(|(at, answers, not_possible)| {
        Ok(Answered {
            at,
            answers: answers
                .map(|a| serde_json::from_str(&a))
                .transpose()?,
            not_possible,
        })
    })
    .transpose()
}

/// A baseline must not lie after a follow-up of the same course and instrument, nor a
/// follow-up before a baseline: one of the two would be mislabelled.
fn check_order(
    conn: &Connection,
    course: &str,
    instrument: Questionnaire,
    occasion: Occasion,
    at: &str,
) -> Result<()> {
    let span = |occasion: Occasion| -> Result<(Option<String>, Option<String>)> {
        Ok(conn
            .prepare_cached(SPAN)?
            .query_row(params![course, instrument.code(), occasion.code()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?)
    };
    match occasion {
        Occasion::Baseline => {
            if let (Some(first_follow_up), _) = span(Occasion::FollowUp)?
                && at > first_follow_up.as_str()
            {
                return Err(Error::invalid(
                    "occasion",
                    "a baseline after the course's follow-up of this questionnaire: is it the follow-up?",
                ));
            }
        }
        Occasion::FollowUp => {
            if let (_, Some(last_baseline)) = span(Occasion::Baseline)?
                && at < last_baseline.as_str()
            {
                return Err(Error::invalid(
                    "occasion",
                    "a follow-up before the course's baseline of this questionnaire: is it the baseline?",
                ));
            }
        }
    }
    Ok(())
}

/// A questionnaire due on a citizen's open course, and since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct QuestionnaireDue {
    pub instrument: Questionnaire,
    pub occasion: Occasion,
    /// When it became due: the phase or the date the rule names.
    pub since: Time,
    /// The rule, in words (`Ved opstart af motivationsarbejdet`).
    pub label: Label,
}

/// What a course says about when its questionnaires fall due, read once: its phases in order,
/// the first wish for treatment and the first start, and the team's time zone.
struct CourseMoments {
    phases: Vec<(String, String)>,
    first_wish: Option<String>,
    first_start: Option<String>,
    time_zone: chrono_tz::Tz,
}

/// When a questionnaire falls due and until when it can still be taken as that occasion, with
/// the rule in words.
struct Window {
    since: String,
    until: Option<String>,
    da: &'static str,
    en: &'static str,
}

impl CourseMoments {
    fn read(conn: &Connection, course: &str) -> Result<CourseMoments> {
        let phases = conn
            .prepare_cached(PHASES)?
            .query_map([course], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let first_wish = conn
            .prepare_cached(FIRST_WISH)?
            .query_row([course], |r| r.get(0))?;
        let first_start = conn
            .prepare_cached(FIRST_START)?
            .query_row([course], |r| r.get(0))?;
        Ok(CourseMoments {
            phases,
            first_wish,
            first_start,
            time_zone: super::guarantee::time_zone(conn)?,
        })
    }

    /// When the course was first set to one of `wanted`, at or after `after`.
    fn first(&self, wanted: &[CoursePhase], after: Option<&str>) -> Option<String> {
        self.phases
            .iter()
            .find(|(p, at)| {
                after.is_none_or(|a| at.as_str() >= a) && wanted.iter().any(|w| w.code() == p)
            })
            .map(|(_, at)| at.clone())
    }

    /// `months` after treatment started, from the start of that day in the team's time zone
    /// (the day's date `months` on, as the guarantee counts days).
    fn months_after_start(&self, months: u32) -> Result<Option<String>> {
        let Some(start) = &self.first_start else {
            return Ok(None);
        };
        let day = super::guarantee::local_day(start, self.time_zone)?;
        Ok(day
            .checked_add_months(Months::new(months))
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|t| t.and_local_timezone(self.time_zone).earliest())
            .map(|t| journal::format_timestamp(t.with_timezone(&Utc))))
    }

    /// The pilot's rule (001 L2876–2877, L3100–3101): motivation's baseline from the start of
    /// motivation work (the course set to `motivation`) until it ends (set on from it to
    /// bridging or treatment), its follow-up from then; the three others' baseline before
    /// treatment (from the first wish for treatment, or bridging if earlier, until treatment
    /// starts), their follow-up from three months after it started until six (then it is
    /// missed). `None` while the moment has not come.
    fn window(&self, instrument: Questionnaire, occasion: Occasion) -> Result<Option<Window>> {
        let onward = [CoursePhase::Bridging, CoursePhase::InTreatment];
        let motivation_start = self.first(&[CoursePhase::Motivation], None);
        let motivation_end = motivation_start
            .as_deref()
            .and_then(|start| self.first(&onward, Some(start)));
        let window = |since: Option<String>, until: Option<String>, da, en| {
            since.map(|since| Window {
                since,
                until,
                da,
                en,
            })
        };
        Ok(match (instrument.measures_motivation(), occasion) {
            (true, Occasion::Baseline) => window(
                motivation_start,
                motivation_end,
                "Ved opstart af motivationsarbejdet",
                "At the start of motivation work",
            ),
            (true, Occasion::FollowUp) => window(
                motivation_end,
                None,
                "Ved afslutning af motivationsarbejdet",
                "At the end of motivation work",
            ),
            (false, Occasion::Baseline) => window(
                [self.first_wish.clone(), self.first(&[CoursePhase::Bridging], None)]
                    .into_iter()
                    .flatten()
                    .min(),
                self.first_start.clone(),
                "Før behandlingen starter",
                "Before treatment starts",
            ),
            (false, Occasion::FollowUp) => window(
                self.months_after_start(questionnaires::FOLLOW_UP_MONTHS)?,
                self.months_after_start(questionnaires::FOLLOW_UP_MISSED_MONTHS)?,
                "Tre måneder efter behandlingsstart",
                "Three months after treatment started",
            ),
        })
    }

    /// The occasion a questionnaire taken at `at` without one is: the follow-up once its moment
    /// has come (read from the course, so a missed baseline never turns the follow-up into
    /// one); else the baseline, unless one is recorded already or its moment has passed (the
    /// end of motivation work not yet set, a health questionnaire between the start and three
    /// months after): then the worker must say which.
    fn occasion_at(
        &self,
        instrument: Questionnaire,
        at: &str,
        baseline_recorded: bool,
    ) -> Result<Occasion> {
        if self
            .window(instrument, Occasion::FollowUp)?
            .is_some_and(|w| w.since.as_str() <= at)
        {
            return Ok(Occasion::FollowUp);
        }
        let passed = self
            .window(instrument, Occasion::Baseline)?
            .and_then(|w| w.until)
            .is_some_and(|until| until.as_str() <= at);
        if baseline_recorded || passed {
            return Err(Error::invalid(
                "occasion",
                if baseline_recorded {
                    "the baseline is recorded and the follow-up's moment has not come; say which this is (baseline, follow-up)"
                } else {
                    "the baseline's moment has passed and the follow-up's has not come; say which this is (baseline, follow-up)"
                },
            ));
        }
        Ok(Occasion::Baseline)
    }
}

/// The questionnaires due as of `now`: on the person's open course (the oldest, if two are
/// open), those whose moment has come and none of which, answered or not possible, is recorded;
/// with no course open, the follow-ups three months after treatment started on their latest
/// course (the handover usually closes the outreach course before then).
pub fn due(conn: &Connection, person: &str, now: DateTime<Utc>) -> Result<Vec<QuestionnaireDue>> {
    let open = super::courses::open_courses(conn, person)?.into_iter().next();
    due_given(conn, person, open.map(|c| c.id).as_deref(), now)
}

/// `due`, for a person whose open course (the oldest, if two are open) the caller has read
/// already (the persons list reads it once a line).
pub(crate) fn due_given(
    conn: &Connection,
    person: &str,
    open_course: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<QuestionnaireDue>> {
    let (course, open) = match open_course {
        Some(course) => (course.to_string(), true),
        None => match super::courses::latest_course(conn, person)? {
            Some(course) => (course, false),
            None => return Ok(Vec::new()),
        },
    };
    // Nobody asks a questionnaire of a citizen who died, moved away or was found outside the
    // target group.
    if !open
        && let Some((_, reason, _)) = super::courses::closing(conn, &course)?
        && CloseReason::parse(&reason).is_ok_and(|r| !r.follow_up_after())
    {
        return Ok(Vec::new());
    }
    let moments = CourseMoments::read(conn, &course)?;
    let now = journal::format_timestamp(now);
    let mut due = Vec::new();
    for &instrument in Questionnaire::ALL {
        for &occasion in Occasion::ALL {
            if !open && (instrument.measures_motivation() || occasion == Occasion::Baseline) {
                continue;
            }
            let Some(w) = moments.window(instrument, occasion)? else {
                continue;
            };
            // Not yet; or its moment has passed (a baseline once the work it measures the start
            // of has ended); or recorded, answered or not possible.
            if w.since > now
                || w.until.as_deref().is_some_and(|until| until <= now.as_str())
                || latest(conn, &course, instrument, occasion)?.is_some()
            {
                continue;
            }
            due.push(QuestionnaireDue {
                instrument,
                occasion,
                since: Time::stored(w.since),
                label: Label {
                    code: occasion.code().into(),
                    da: w.da.into(),
                    en: w.en.into(),
                },
            });
        }
    }
    Ok(due)
}

/// A citizen's questionnaire of one instrument on one course: baseline against follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct QuestionnaireSummary {
    pub course: String,
    pub instrument: Questionnaire,
    pub instrument_label: Label,
    pub baseline_at: Option<Time>,
    pub follow_up_at: Option<Time>,
    /// Why the baseline or follow-up was not possible, when it was not.
    pub baseline_not_possible: Option<String>,
    pub follow_up_not_possible: Option<String>,
    pub items: Vec<ItemChange>,
}

/// Every questionnaire recorded for the person, per course (oldest first) and instrument: the
/// first baseline against the latest follow-up, item by item (`for_summary`).
pub fn summaries(conn: &Connection, person: &str) -> Result<Vec<QuestionnaireSummary>> {
    let courses: Vec<String> = conn
        .prepare_cached(
            "SELECT DISTINCT q.course FROM questionnaires q JOIN courses c ON c.entry_id = q.course
             WHERE q.owner = ?1 AND q.voided = 0 ORDER BY c.occurred_at",
        )?
        .query_map([person], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for course in courses {
        for &instrument in Questionnaire::ALL {
            let baseline = for_summary(conn, &course, instrument, Occasion::Baseline)?;
            let follow_up = for_summary(conn, &course, instrument, Occasion::FollowUp)?;
            if baseline.is_none() && follow_up.is_none() {
                continue;
            }
            let answers = |a: &Option<Answered>| a.as_ref().and_then(|a| a.answers.clone());
            let (b, f) = (answers(&baseline), answers(&follow_up));
            out.push(QuestionnaireSummary {
                course: course.clone(),
                instrument,
                instrument_label: instrument.label(),
                items: questionnaires::compare(instrument, b.as_deref(), f.as_deref()),
                baseline_at: baseline.as_ref().map(|a| Time::stored(a.at.clone())),
                follow_up_at: follow_up.as_ref().map(|a| Time::stored(a.at.clone())),
                baseline_not_possible: baseline.and_then(|a| a.not_possible),
                follow_up_not_possible: follow_up.and_then(|a| a.not_possible),
            });
        }
    }
    Ok(out)
}

/// One item's figures over a group of citizens, as the pilot's tables give them (001 Tabel
/// 7-1 to 7-3): the citizens with both a baseline and a follow-up answer to it, and the means.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemFigures {
    pub code: String,
    pub da: String,
    /// Citizens with both answers (the tables' N).
    pub pairs: u32,
    pub mean_baseline: Option<f64>,
    pub mean_follow_up: Option<f64>,
    /// Mean follow-up minus mean baseline, over the pairs.
    pub mean_change: Option<f64>,
}

/// An instrument's figures over a group of citizens.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstrumentFigures {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub instrument: Questionnaire,
    /// Baselines and follow-ups recorded (answered), and recorded as not possible.
    pub baselines: u32,
    pub follow_ups: u32,
    pub not_possible: u32,
    pub items: Vec<ItemFigures>,
}

/// The questionnaires' figures over `persons` (a team's citizens at the centre): each
/// citizen's latest course with the instrument counts once.
pub fn figures<'a>(
    conn: &Connection,
    persons: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<InstrumentFigures>> {
    let mut per: Vec<InstrumentFigures> = Questionnaire::ALL
        .iter()
        .map(|&instrument| InstrumentFigures {
            instrument,
            baselines: 0,
            follow_ups: 0,
            not_possible: 0,
            items: Vec::new(),
        })
        .collect();
    // Per instrument and item: the pairs' baseline and follow-up sums.
    let mut sums: Vec<Vec<(u32, u64, u64)>> = Questionnaire::ALL
        .iter()
        .map(|q| vec![(0, 0, 0); q.items().len()])
        .collect();
    for person in persons {
        let mut latest_per_instrument = std::collections::BTreeMap::new();
        for s in summaries(conn, person)? {
            latest_per_instrument.insert(s.instrument, s);
        }
        for (instrument, s) in latest_per_instrument {
            let i = Questionnaire::ALL
                .iter()
                .position(|q| *q == instrument)
                .expect("every instrument is listed");
            let f = &mut per[i];
            f.baselines += u32::from(s.baseline_at.is_some() && s.baseline_not_possible.is_none());
            f.follow_ups +=
                u32::from(s.follow_up_at.is_some() && s.follow_up_not_possible.is_none());
            f.not_possible += u32::from(s.baseline_not_possible.is_some())
                + u32::from(s.follow_up_not_possible.is_some());
            for (n, item) in s.items.iter().enumerate() {
                if let (Some(b), Some(a)) = (item.baseline, item.follow_up) {
                    let sum = &mut sums[i][n];
                    sum.0 += 1;
                    sum.1 += u64::from(b);
                    sum.2 += u64::from(a);
                }
            }
        }
    }
    for (i, f) in per.iter_mut().enumerate() {
        f.items = f
            .instrument
            .items()
            .iter()
            .zip(&sums[i])
            .map(|(item, &(pairs, b, a))| {
                let mean = |sum: u64| (pairs > 0).then(|| sum as f64 / f64::from(pairs));
                ItemFigures {
                    code: item.code.into(),
                    da: item.da.into(),
                    pairs,
                    mean_baseline: mean(b),
                    mean_follow_up: mean(a),
                    mean_change: mean(a).zip(mean(b)).map(|(a, b)| a - b),
                }
            })
            .collect();
    }
    Ok(per)
}
