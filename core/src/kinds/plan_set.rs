//! The initial treatment plan, Bilag 1C (`plan.set`; 002 L3816–3893): the citizen's overall
//! goal regarding intake, what they want to achieve by it, which of the centre's services they
//! think would help, other remarks, the partners (name, phone), the specific plans (each goal
//! with the citizen's, others' and the worker's effort and remarks), and the crisis plan. Made
//! "umiddelbart inden indskrivningen" and "evalueres og revideres løbende" (L3832–3833): a
//! revision is a new entry, and the latest that stands is the plan. Its row in `plans` keeps the
//! payload, for the person's screen and the handover document (`plan_document.rs`).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::courses::require_open_course_at;
use super::subject::{non_empty, require_person};
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId, LIMIT_ALIAS, LIMIT_LONG};
use crate::vocabulary::GoalKind;

/// At most this many partners and specific plans in one plan.
pub const MAX_ITEMS: usize = 20;

/// A partner in the plan ("Samarbejdspartnere: Navn: / Telefon:", L3860–3865).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct PlanPartner {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// A specific plan ("Specifikke planer", L3870–3886).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct SpecificPlan {
    /// "Specifikt mål:"
    pub goal: String,
    /// "Borgerens indsats:"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citizen_effort: Option<String>,
    /// "Andres indsats:"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub others_effort: Option<String>,
    /// "Medarbejderens indsats:"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_effort: Option<String>,
    /// "Eventuelle bemærkninger:"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

/// The plan's fields, as stored, as a plan file gives them, and as the screen shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct PlanFields {
    /// "Borgerens overordnede mål i forhold til indtag af:" (L3840–3841), in the citizen's words.
    pub goal: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_kind: Option<GoalKind>,
    /// "Hvad ønsker borgeren at opnå ved det overordnede mål:" (L3845)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achieve: Option<String>,
    /// Which of the centre's services the citizen thinks would help (L3849–3850).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<String>,
    /// "Andre bemærkninger og opmærksomhedspunkter:" (L3854)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<PlanPartner>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<SpecificPlan>,
    /// "I tilfælde af akut krise – hvilke initiativer og hvilken støtte ønsker borgeren:"
    /// (L3892–3893)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crisis_plan: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSet {
    pub course: EntryId,
    pub plan: PlanFields,
}

/// What the timeline shows of a plan set: the whole plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct PlanSetContent {
    pub course: String,
    pub fields: PlanFields,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlanInput {
    pub person: String,
    pub course: Option<String>,
    pub fields: PlanFields,
    pub occurred_at: Option<String>,
}

/// A plan file (`gadeplan plan set --file`): the plan's fields as JSON. Unknown fields and wrong
/// types are refused with the path of the field (`plans[1].goal`).
pub fn parse_plan_file(text: &str) -> Result<PlanFields> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize::<_, PlanFields>(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let field = if path == "." { "plan".to_string() } else { path };
        Error::invalid(
            field,
            crate::journal::redact_quoted(&inner.to_string()),
        )
    })
}

const TABLE: RecordTable = RecordTable {
    table: "plans",
    summary: None,
};

fn tidy(fields: &PlanFields) -> PlanFields {
    PlanFields {
        goal: fields.goal.trim().to_string(),
        goal_kind: fields.goal_kind,
        achieve: non_empty(fields.achieve.clone()),
        services: non_empty(fields.services.clone()),
        remarks: non_empty(fields.remarks.clone()),
        partners: fields
            .partners
            .iter()
            .map(|p| PlanPartner {
                name: p.name.trim().to_string(),
                phone: non_empty(p.phone.clone()),
            })
            .collect(),
        plans: fields
            .plans
            .iter()
            .map(|p| SpecificPlan {
                goal: p.goal.trim().to_string(),
                citizen_effort: non_empty(p.citizen_effort.clone()),
                others_effort: non_empty(p.others_effort.clone()),
                worker_effort: non_empty(p.worker_effort.clone()),
                remarks: non_empty(p.remarks.clone()),
            })
            .collect(),
        crisis_plan: non_empty(fields.crisis_plan.clone()),
    }
}

impl Kind for PlanSet {
    type Input = PlanInput;

    // A plan is revised by a new plan, never amended; a plan set on the wrong citizen is voided.
    const CORRECTIONS: Corrections = Corrections::Void;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, now: DateTime<Utc>, input: &PlanInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let course = require_open_course_at(
            tx,
            &person,
            input.course.as_deref(),
            input.occurred_at.as_deref(),
            now,
        )?;
        let payload = Payload::PlanSet(PlanSet {
            course: EntryId::stored(course.id),
            plan: tidy(&input.fields),
        });
        Ok((person, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::entry_id("course", &self.course)?;
        let f = &self.plan;
        journal::required_text("goal", &f.goal, LIMIT_LONG)?;
        journal::optional_text("achieve", f.achieve.as_deref(), LIMIT_LONG)?;
        journal::optional_text("services", f.services.as_deref(), LIMIT_LONG)?;
        journal::optional_text("remarks", f.remarks.as_deref(), LIMIT_LONG)?;
        journal::optional_text("crisis_plan", f.crisis_plan.as_deref(), LIMIT_LONG)?;
        if f.partners.len() > MAX_ITEMS || f.plans.len() > MAX_ITEMS {
            return Err(Error::invalid(
                if f.partners.len() > MAX_ITEMS { "partners" } else { "plans" },
                format!("at most {MAX_ITEMS}"),
            ));
        }
        for (i, p) in f.partners.iter().enumerate() {
            journal::name_rules(&format!("partners[{i}].name"), &p.name, LIMIT_ALIAS)?;
            journal::optional_text(&format!("partners[{i}].phone"), p.phone.as_deref(), LIMIT_ALIAS)?;
        }
        for (i, p) in f.plans.iter().enumerate() {
            journal::required_text(&format!("plans[{i}].goal"), &p.goal, LIMIT_LONG)?;
            for (name, text) in [
                ("citizen_effort", &p.citizen_effort),
                ("others_effort", &p.others_effort),
                ("worker_effort", &p.worker_effort),
                ("remarks", &p.remarks),
            ] {
                journal::optional_text(&format!("plans[{i}].{name}"), text.as_deref(), LIMIT_LONG)?;
            }
        }
        Ok(())
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::PlanSet(PlanSetContent {
            course: self.course.to_string(),
            fields: self.plan.clone(),
        })
    }

    super::refers_to_one!(course, CourseOpened);

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        let fields = serde_json::to_string(&self.plan)
            .map_err(|e| Error::storage(format!("a plan: {e}")))?;
        conn.prepare_cached(
            "INSERT INTO plans (owner, occurred_at, entry_id, voided, author_worker, course, fields)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.course,
            fields,
        ])?;
        Ok(())
    }
}

const LATEST_PLAN: &str = "SELECT entry_id, occurred_at, author_worker, fields FROM plans
     WHERE course = ?1 AND voided = 0 ORDER BY occurred_at DESC, entry_id DESC LIMIT 1";

/// A course's plan as it stands (the latest revision not voided): its entry, when and by whom it
/// was set, and its fields.
pub fn current_plan(
    conn: &Connection,
    course: &str,
) -> Result<Option<(String, String, String, PlanFields)>> {
    let row: Option<(String, String, String, String)> = conn
        .prepare_cached(LATEST_PLAN)?
        .query_row([course], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    row.map(|(id, at, author, fields)| {
        let fields: PlanFields = serde_json::from_str(&fields)
            .map_err(|_| Error::storage("a stored plan is unreadable"))?;
        Ok((id, at, author, fields))
    })
    .transpose()
}

/// The plan look-up, for the query-plan test.
pub fn screen_queries() -> Vec<(&'static str, &'static str)> {
    vec![("a course's plan", LATEST_PLAN)]
}
