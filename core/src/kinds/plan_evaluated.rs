//! An evaluation of a specific goal of the plan (`plan.evaluated`; Bilag 1C "Evaluering af
//! delplan", 002 L3898–3911): which goal, "Er målet nået" on the seed's six answers, "Er
//! borgeren kommet nærmere sit overordnede mål" and the worker's comments as free text (the seed
//! prints no options for the former). Dated, repeatable; its row in `plan_evaluations`. Names
//! the plan revision and the goal's number in it; a goal the plan does not have is refused.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::courses::require_open_course;
use super::plan_set::current_plan;
use super::subject::{non_empty, require_person};
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId, LIMIT_LONG};
use crate::vocabulary::{GoalReached, Label};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanEvaluated {
    /// The plan revision evaluated.
    pub plan: EntryId,
    /// The specific goal's number in it, from 1.
    pub goal: u32,
    pub reached: GoalReached,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// What the timeline shows of an evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct PlanEvaluatedContent {
    pub plan: String,
    pub goal: u32,
    pub reached: GoalReached,
    pub closer: Option<String>,
    pub comment: Option<String>,
    pub reached_label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EvaluationInput {
    pub person: String,
    pub course: Option<String>,
    /// The specific goal's number in the current plan, from 1.
    pub goal: u32,
    pub reached: GoalReached,
    pub closer: Option<String>,
    pub comment: Option<String>,
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "plan_evaluations",
    summary: None,
};

impl Kind for PlanEvaluated {
    type Input = EvaluationInput;

    const CORRECTIONS: Corrections = Corrections::Void;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, _now: DateTime<Utc>, input: &EvaluationInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let course = require_open_course(tx, &person, input.course.as_deref())?;
        let Some((plan, _, _, fields)) = current_plan(tx, &course.id)? else {
            return Err(Error::not_allowed(
                "the course has no plan yet; set the plan before evaluating it",
            ));
        };
        if input.goal == 0 || input.goal as usize > fields.plans.len() {
            return Err(Error::invalid(
                "goal",
                format!(
                    "the plan has {} specific goal(s), numbered from 1",
                    fields.plans.len()
                ),
            ));
        }
        let payload = Payload::PlanEvaluated(PlanEvaluated {
            plan: EntryId::stored(plan),
            goal: input.goal,
            reached: input.reached,
            closer: non_empty(input.closer.clone()),
            comment: non_empty(input.comment.clone()),
        });
        Ok((person, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::entry_id("plan", &self.plan)?;
        if self.goal == 0 {
            return Err(Error::invalid("goal", "numbered from 1"));
        }
        journal::optional_text("closer", self.closer.as_deref(), LIMIT_LONG)?;
        journal::optional_text("comment", self.comment.as_deref(), LIMIT_LONG)
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::PlanEvaluated(PlanEvaluatedContent {
            plan: self.plan.to_string(),
            goal: self.goal,
            reached: self.reached,
            closer: self.closer.clone(),
            comment: self.comment.clone(),
            reached_label: self.reached.label(),
        })
    }

    super::refers_to_one!(plan, PlanSet);

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO plan_evaluations (owner, occurred_at, entry_id, voided, author_worker, plan,
                goal, reached, closer, comment)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.plan,
            self.goal,
            self.reached.code(),
            self.closer,
            self.comment,
        ])?;
        Ok(())
    }
}


/// One evaluation as the person's screen and the handover document show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct Evaluation {
    pub entry_id: String,
    pub at: String,
    pub goal: u32,
    pub reached: GoalReached,
    pub closer: Option<String>,
    pub comment: Option<String>,
}

const EVALUATIONS: &str = "SELECT entry_id, occurred_at, goal, reached, closer, comment
     FROM plan_evaluations WHERE plan = ?1 AND voided = 0 ORDER BY occurred_at, entry_id";

/// A plan revision's evaluations, oldest first.
pub fn evaluations_of(conn: &Connection, plan: &str) -> Result<Vec<Evaluation>> {
    // The answer is read as text and parsed after: a rusqlite row closure cannot fail with ours.
    let rows: Vec<(String, Evaluation)> = conn
        .prepare_cached(EVALUATIONS)?
        .query_map([plan], |r| {
            Ok((
                r.get(3)?,
                Evaluation {
                    entry_id: r.get(0)?,
                    at: r.get(1)?,
                    goal: r.get(2)?,
                    reached: GoalReached::NoLongerRelevant,
                    closer: r.get(4)?,
                    comment: r.get(5)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(reached, mut evaluation)| {
            evaluation.reached = GoalReached::parse(&reached)?;
            Ok(evaluation)
        })
        .collect()
}

/// The evaluations look-up, for the query-plan test.
pub fn screen_queries() -> Vec<(&'static str, &'static str)> {
    vec![("a plan's evaluations", EVALUATIONS)]
}
