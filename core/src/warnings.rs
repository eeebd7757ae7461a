//! Warnings beside a recorded entry: what the seeds say *should* happen and has not, shown by
//! the shells without refusing anything (refusals stay for what the seeds say *must*). Each is
//! a label with a code, in Danish and English, the project's own words (the seeds give none).
//!
//! After an entry about a citizen is recorded, their open course is looked at: the 14-day
//! guarantee's last day near with no treatment started, or passed. The safety and measures
//! issues add theirs here.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::Result;
use crate::kinds::courses;
use crate::kinds::guarantee::GuaranteeState;
use crate::projection;
use crate::vocabulary::Label;

/// Days left at which the guarantee's last day counts as near *(the project's own choice)*.
pub const GUARANTEE_NEAR_DAYS: i32 = 3;

/// The warnings about `subject` (a person, following merges) as the store now stands.
pub fn about(conn: &Connection, subject: &str, now: DateTime<Utc>) -> Result<Vec<Label>> {
    let person = projection::canonical(conn, subject)?;
    let mut warnings = Vec::new();
    let (_, guarantee) = courses::open_course_summary(conn, &person, now)?;
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
            (GuaranteeState::Waiting, Some(left)) if left <= GUARANTEE_NEAR_DAYS => {
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
