//! The cooperation, as Bilag 1C asks of it ("Samarbejdet", 002 L3916–3924): how satisfied the
//! citizen is with the cooperation with the worker, the citizen's comments, the worker's
//! comments, each as free text (`cooperation.noted`). The seed prints no scale for the
//! satisfaction, so none is invented. Names the plan revision; its row in `plan_cooperation`.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::courses::require_open_course;
use super::plan_set::current_plan;
use super::subject::{non_empty, require_person};
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId, LIMIT_LONG};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CooperationNoted {
    pub plan: EntryId,
    /// "Hvor tilfreds er borgeren med samarbejdet med medarbejderen?"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<String>,
    /// "Kommentarer fra borgeren:"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citizen_comments: Option<String>,
    /// "Kommentarer fra medarbejderen:"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_comments: Option<String>,
}

/// What the timeline shows of the cooperation noted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct CooperationNotedContent {
    pub plan: String,
    pub satisfaction: Option<String>,
    pub citizen_comments: Option<String>,
    pub worker_comments: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CooperationInput {
    pub person: String,
    pub course: Option<String>,
    pub satisfaction: Option<String>,
    pub citizen_comments: Option<String>,
    pub worker_comments: Option<String>,
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "plan_cooperation",
    summary: None,
};

impl Kind for CooperationNoted {
    type Input = CooperationInput;

    const CORRECTIONS: Corrections = Corrections::Void;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, _now: DateTime<Utc>, input: &CooperationInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let course = require_open_course(tx, &person, input.course.as_deref())?;
        let Some((plan, _, _, _)) = current_plan(tx, &course.id)? else {
            return Err(Error::not_allowed(
                "the course has no plan yet; set the plan first",
            ));
        };
        let payload = Payload::CooperationNoted(CooperationNoted {
            plan: EntryId::stored(plan),
            satisfaction: non_empty(input.satisfaction.clone()),
            citizen_comments: non_empty(input.citizen_comments.clone()),
            worker_comments: non_empty(input.worker_comments.clone()),
        });
        Ok((person, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::entry_id("plan", &self.plan)?;
        let given = |t: &Option<String>| t.as_deref().is_some_and(|t| !t.trim().is_empty());
        if !given(&self.satisfaction)
            && !given(&self.citizen_comments)
            && !given(&self.worker_comments)
        {
            return Err(Error::invalid(
                "satisfaction",
                "give the satisfaction or a comment",
            ));
        }
        journal::optional_text("satisfaction", self.satisfaction.as_deref(), LIMIT_LONG)?;
        journal::optional_text("citizen_comments", self.citizen_comments.as_deref(), LIMIT_LONG)?;
        journal::optional_text("worker_comments", self.worker_comments.as_deref(), LIMIT_LONG)
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::CooperationNoted(CooperationNotedContent {
            plan: self.plan.to_string(),
            satisfaction: self.satisfaction.clone(),
            citizen_comments: self.citizen_comments.clone(),
            worker_comments: self.worker_comments.clone(),
        })
    }

    super::refers_to_one!(plan, PlanSet);

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO plan_cooperation (owner, occurred_at, entry_id, voided, author_worker, plan,
                satisfaction, citizen_comments, worker_comments)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.plan,
            self.satisfaction,
            self.citizen_comments,
            self.worker_comments,
        ])?;
        Ok(())
    }
}

/// The cooperation as noted once, as the person's screen and the handover document show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct Cooperation {
    pub at: String,
    pub satisfaction: Option<String>,
    pub citizen_comments: Option<String>,
    pub worker_comments: Option<String>,
}

/// The cooperation noted on a plan revision, oldest first.
pub fn cooperation_of(conn: &Connection, plan: &str) -> Result<Vec<Cooperation>> {
    Ok(conn
        .prepare_cached(
            "SELECT occurred_at, satisfaction, citizen_comments, worker_comments
             FROM plan_cooperation WHERE plan = ?1 AND voided = 0 ORDER BY occurred_at, entry_id",
        )?
        .query_map([plan], |r| {
            Ok(Cooperation {
                at: r.get(0)?,
                satisfaction: r.get(1)?,
                citizen_comments: r.get(2)?,
                worker_comments: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}
