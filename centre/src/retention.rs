//! Retention (issue 17): the municipality's rule that everything about a citizen is erased a
//! number of years after their last course closed, nothing having happened since. Off by
//! default. `gadeplan-centre retention --years N` lists what the rule would erase (a dry run,
//! changing nothing); `--apply` erases it, each citizen as `erase --citizen` would, with the rule
//! as the reason; `serve --retention-years N` applies it once a day. Which citizens: the core's
//! `courses::closed_before` (never one with an open course, nor one met again after the closing).

use chrono::{DateTime, Months, Utc};
use serde::Serialize;

use crate::erasure::{Erased, Target};
use crate::store::{Centre, Refusal, Result};

/// The longest rule accepted: a hundred years is longer than any record is kept.
pub const MAX_YEARS: u32 = 100;

/// A citizen the rule reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expiring {
    pub team: String,
    pub citizen: String,
    /// When their last course closed.
    pub closed_at: String,
    /// When the latest record about them happened.
    pub last_recorded: String,
}

/// The reason an erasure by the rule records (the project's own words).
pub fn reason(years: u32) -> String {
    format!("Slettefrist: {years} år efter forløbets afslutning (kommunens regel)")
}

/// The rule's cutoff: `years` calendar years before `now`.
fn cutoff(years: u32, now: DateTime<Utc>) -> Result<String> {
    if years == 0 || years > MAX_YEARS {
        return Err(Refusal::new(
            400,
            "invalid-input",
            format!("years: from 1 to {MAX_YEARS}"),
        ));
    }
    let at = now
        .checked_sub_months(Months::new(12 * years))
        .ok_or_else(|| Refusal::new(400, "invalid-input", "years: too many"))?;
    Ok(gadeplan_core::journal::format_timestamp(at))
}

impl Centre {
    /// What a rule of `years` would erase now, in every team (the dry run).
    pub fn retention_due(&self, years: u32) -> Result<Vec<Expiring>> {
        let cutoff = cutoff(years, crate::store::now())?;
        let mut due = Vec::new();
        for team in self.teams()? {
            due.extend(self.with_projection(&team, |conn, team, _| {
                Ok(gadeplan_core::kinds::courses::closed_before(conn, &cutoff)?
                    .into_iter()
                    .filter(|c| crate::report::in_team(conn, team, &c.person))
                    .map(|c| Expiring {
                        team: team.to_string(),
                        citizen: c.person,
                        closed_at: c.closed_at,
                        last_recorded: c.last_recorded,
                    })
                    .collect::<Vec<_>>())
            })?);
        }
        Ok(due)
    }

    /// Erases what a rule of `years` reaches now, each citizen on its own (one refused, by a
    /// course opened meanwhile or another process erasing it first, does not stop the others).
    pub fn apply_retention(&self, years: u32, actor: &str) -> Result<Vec<Erased>> {
        let mut erased = Vec::new();
        for expiring in self.retention_due(years)? {
            match self.erase(
                &Target::Citizen(expiring.citizen.clone()),
                &reason(years),
                actor,
            ) {
                Ok(done) => erased.push(done),
                Err(refusal) if refusal.code == "not-allowed" => {
                    tracing::info!(
                        target: "retention",
                        event = "retention-skipped",
                        citizen = %expiring.citizen,
                        message = %refusal.message
                    );
                }
                Err(refusal) => return Err(refusal),
            }
        }
        Ok(erased)
    }
}
