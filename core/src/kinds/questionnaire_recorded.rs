//! One of the pilot's questionnaires answered (`questionnaire.recorded`; 001 chapter 7): which
//! instrument and version, baseline or follow-up, an answer or none per item, or the whole
//! questionnaire "not possible" with the reason (the pilot lost many follow-ups when contact
//! became unstable, 001 L3086–3096). It belongs to the citizen's open course, whose phases and
//! dates say when each questionnaire is due (`due`); a citizen's baseline against follow-up is
//! `summaries`. Its row in `questionnaires`. Voided if wrong, never amended: recorded again.

use chrono::{DateTime, Months, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::courses::require_open_course_at;
use super::subject::{non_empty, require_person};
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::{Error, Result};
use crate::instruments::questionnaires::{
    self, ItemChange, Occasion, QUESTIONNAIRE_VERSION, Questionnaire,
};
use crate::journal::{self, Entry, EntryId, LIMIT_LONG};
use crate::time::Time;
use crate::vocabulary::{CoursePhase, Label};

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
    /// The course, if the person has more than one open (else their open course).
    #[uniffi(default)]
    pub course: Option<String>,
    pub instrument: Questionnaire,
    /// Baseline or follow-up; `None`: the baseline if the course has none yet, else the
    /// follow-up.
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
        let course = require_open_course_at(
            tx,
            &person,
            input.course.as_deref(),
            input.occurred_at.as_deref(),
            now,
        )?;
        let occasion = match input.occasion {
            Some(o) => o,
            None => default_occasion(tx, &course.id, input.instrument)?,
        };
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
    let row: Option<(String, Option<String>, Option<String>)> = conn
        .prepare_cached(LATEST)?
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

/// The occasion a questionnaire recorded without one is: the baseline if the course has none,
/// else the follow-up; both there, the worker must say which.
fn default_occasion(conn: &Connection, course: &str, instrument: Questionnaire) -> Result<Occasion> {
    if latest(conn, course, instrument, Occasion::Baseline)?.is_none() {
        return Ok(Occasion::Baseline);
    }
    if latest(conn, course, instrument, Occasion::FollowUp)?.is_none() {
        return Ok(Occasion::FollowUp);
    }
    Err(Error::invalid(
        "occasion",
        "the course has a baseline and a follow-up of this questionnaire; say which this is (baseline, follow-up)",
    ))
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

/// When each questionnaire falls due on a course, by the pilot's rule (001 L2876–2877,
/// L3100–3101): motivation when motivation work starts (the course set to `motivation`) and
/// when it ends (set on from it to bridging or treatment); the three others before treatment
/// (from the first wish for treatment, or bridging if earlier) and three months after treatment
/// started. `None` while the moment has not come.
fn due_since(
    conn: &Connection,
    course: &str,
    instrument: Questionnaire,
    occasion: Occasion,
) -> Result<Option<(String, &'static str, &'static str)>> {
    let phases: Vec<(String, String)> = conn
        .prepare_cached(PHASES)?
        .query_map([course], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let first = |wanted: &[CoursePhase], after: Option<&str>| -> Option<String> {
        phases
            .iter()
            .filter(|(p, at)| {
                after.is_none_or(|a| at.as_str() >= a)
                    && wanted.iter().any(|w| w.code() == p)
            })
            .map(|(_, at)| at.clone())
            .next()
    };
    let onward = [CoursePhase::Bridging, CoursePhase::InTreatment];
    let motivation_start = first(&[CoursePhase::Motivation], None);
    Ok(match (instrument.measures_motivation(), occasion) {
        (true, Occasion::Baseline) => motivation_start.map(|at| {
            (at, "Ved opstart af motivationsarbejdet", "At the start of motivation work")
        }),
        (true, Occasion::FollowUp) => motivation_start
            .and_then(|start| first(&onward, Some(&start)))
            .map(|at| (at, "Ved afslutning af motivationsarbejdet", "At the end of motivation work")),
        (false, Occasion::Baseline) => {
            let wish: Option<String> = conn
                .prepare_cached(FIRST_WISH)?
                .query_row([course], |r| r.get(0))?;
            let bridging = first(&[CoursePhase::Bridging], None);
            [wish, bridging]
                .into_iter()
                .flatten()
                .min()
                .map(|at| (at, "Før behandlingen starter", "Before treatment starts"))
        }
        (false, Occasion::FollowUp) => {
            let start: Option<String> = conn
                .prepare_cached(FIRST_START)?
                .query_row([course], |r| r.get(0))?;
            match start {
                Some(at) => {
                    let started = DateTime::parse_from_rfc3339(&at)
                        .map_err(|_| Error::invalid("occurred_at", "not a stored time"))?
                        .with_timezone(&Utc);
                    started
                        .checked_add_months(Months::new(questionnaires::FOLLOW_UP_MONTHS))
                        .map(|due| {
                            (
                                journal::format_timestamp(due),
                                "Tre måneder efter behandlingsstart",
                                "Three months after treatment started",
                            )
                        })
                }
                None => None,
            }
        }
    })
}

/// The questionnaires due on the person's open course (the oldest, if two are open) as of
/// `now`: their moment has come and none of them, answered or not possible, is recorded.
pub fn due(conn: &Connection, person: &str, now: DateTime<Utc>) -> Result<Vec<QuestionnaireDue>> {
    let Some(course) = super::courses::open_courses(conn, person)?.into_iter().next() else {
        return Ok(Vec::new());
    };
    let now = journal::format_timestamp(now);
    let mut due = Vec::new();
    for &instrument in Questionnaire::ALL {
        for &occasion in Occasion::ALL {
            let Some((since, da, en)) = due_since(conn, &course.id, instrument, occasion)? else {
                continue;
            };
            if since > now || latest(conn, &course.id, instrument, occasion)?.is_some() {
                continue;
            }
            due.push(QuestionnaireDue {
                instrument,
                occasion,
                since: Time::stored(since),
                label: Label {
                    code: occasion.code().into(),
                    da: da.into(),
                    en: en.into(),
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
/// latest baseline against the latest follow-up, item by item.
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
            let baseline = latest(conn, &course, instrument, Occasion::Baseline)?;
            let follow_up = latest(conn, &course, instrument, Occasion::FollowUp)?;
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
