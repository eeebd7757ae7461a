//! Warnings beside a recorded entry: what the seeds say *should* happen and has not, shown by
//! the shells without refusing anything (refusals stay for what the seeds say *must*). Each is
//! a label with a code, in Danish and English, the project's own words (the seeds give none).
//!
//! After an entry about a citizen is recorded, their open course is looked at: the 14-day
//! guarantee's last day near with no treatment started, or passed; a course in bridging with no
//! plan; a plan whose crisis plan is empty. After a person is noted or their details changed,
//! the persons who may be the same citizen (`duplicates`) are named. The safety issue adds its
//! warnings here: a contact's safety warnings (`kinds::contact_logged`) come back with it.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::Result;
use crate::journal::{Entry, EntryKind};
use crate::kinds::Payload;
use crate::kinds::guarantee::{self, GuaranteeState};
use crate::kinds::{courses, plan_set};
use crate::projection;
use crate::vocabulary::{CoursePhase, Label};

/// Days left at which the guarantee's last day counts as near *(the project's own choice)*.
pub const GUARANTEE_NEAR_DAYS: i32 = 3;

/// The warnings after `entry` (with its `payload`) was recorded: the safety rules a contact did not follow (kept in
/// the contact itself), and about its citizen (a person, following merges) as the store now
/// stands.
pub fn about(
    conn: &Connection,
    entry: &Entry,
    payload: &Payload,
    now: DateTime<Utc>,
) -> Result<Vec<Label>> {
    let (kind, subject) = (entry.kind, entry.subject.as_str());
    let person = projection::canonical(conn, subject)?;
    let mut warnings = Vec::new();
    if let Payload::ContactLogged(contact) = payload {
        warnings.extend(contact.safety_warnings.iter().map(|w| w.label()));
    }
    if matches!(kind, EntryKind::PersonNoted | EntryKind::PersonUpdated) {
        warnings.extend(possible_duplicates(conn, &person)?);
    }
    // Every warning so far is about the open course (the oldest, if two are open): read it once,
    // and of its plan only the fields (this runs after every record).
    let Some(course) = courses::open_courses(conn, &person)?.into_iter().next() else {
        return Ok(warnings);
    };
    let guarantee = guarantee::of_course(conn, &course.id, now)?;
    let plan = plan_set::current_plan(conn, &course.id)?.map(|(_, _, _, fields)| fields);
    if course.phase == CoursePhase::Bridging && plan.is_none() {
        warnings.push(Label {
            code: "bridging-without-plan".into(),
            da: "Forløbet er i brobygning, men der er ingen indledende behandlingsplan.".into(),
            en: "The course is bridging into treatment, but there is no initial treatment plan."
                .into(),
        });
    }
    if plan.is_some_and(|p| p.crisis_plan.is_none()) {
        warnings.push(Label {
            code: "crisis-plan-empty".into(),
            da: "Behandlingsplanens kriseplan er tom.".into(),
            en: "The treatment plan's crisis plan is empty.".into(),
        });
    }
    if let Some(g) = guarantee
        && g.started_on.is_none()
    {
        match (g.state, g.days_left) {
            (GuaranteeState::Breached, _) => warnings.push(Label {
                code: "guarantee-passed".into(),
                da: format!(
                    "Behandlingsgarantien: den 14. dag ({}) er gået, og behandlingen er ikke startet.",
                    g.last_day
                ),
                en: format!(
                    "Treatment guarantee: the 14th day ({}) has passed and treatment has not started.",
                    g.last_day
                ),
            }),
            (GuaranteeState::Waiting, Some(left)) if g.running_out => {
                warnings.push(Label {
                    code: "guarantee-near".into(),
                    da: format!(
                        "Behandlingsgarantien: sidste dag er {} (om {left} dag(e)), og behandlingen er ikke startet.",
                        g.last_day
                    ),
                    en: format!(
                        "Treatment guarantee: the last day is {} (in {left} day(s)) and treatment has not started.",
                        g.last_day
                    ),
                })
            }
            _ => {}
        }
    }
    Ok(warnings)
}

/// A warning naming the persons who may be the same citizen as `person`.
fn possible_duplicates(conn: &Connection, person: &str) -> Result<Option<Label>> {
    let pairs = crate::duplicates::of_person(conn, person)?;
    if pairs.is_empty() {
        return Ok(None);
    }
    let names: Vec<String> = pairs
        .iter()
        .map(|p| match p.second.birth_year {
            Some(y) => format!("{} ({y}, {})", p.second.alias, p.second.person),
            None => format!("{} ({})", p.second.alias, p.second.person),
        })
        .collect();
    Ok(Some(Label {
        code: "possible-duplicate".into(),
        da: format!(
            "Måske den samme borger som: {}. Læg dem sammen, hvis det er samme person.",
            names.join("; ")
        ),
        en: format!(
            "Possibly the same citizen as: {}. Merge them if it is the same person.",
            names.join("; ")
        ),
    }))
}
