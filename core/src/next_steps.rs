//! What the worker should do next (issue 18): the phone's one list, most urgent first, made by
//! the core's own rules so that both shells show the same and hold no rule of their own. A
//! check-in alert first (a colleague's the centre is escalating, or the worker's own falling due,
//! overdue or not yet at the centre); then the citizens waiting for treatment, the guarantee
//! breached first and then by the days left; the questionnaires due on open courses, the longest
//! due first; and the citizens with an open course not talked with in 14 days, the longest first.

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;

use crate::error::Result;
use crate::kinds::checkins::Alert;
use crate::kinds::guarantee::Guarantee;
use crate::kinds::questionnaire_recorded::{self, QuestionnaireDue};
use crate::queries;
use crate::time::Time;

/// One thing to do, with whom it concerns.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Enum)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum NextStep {
    /// A check-in that needs someone now.
    Checkin { alert: Alert },
    /// A citizen waiting for treatment, and their 14-day guarantee.
    Guarantee {
        person: String,
        alias: String,
        guarantee: Guarantee,
    },
    /// A questionnaire due on a citizen's open course.
    Questionnaire {
        person: String,
        alias: String,
        due: QuestionnaireDue,
    },
    /// A citizen with an open course not talked with in 14 days.
    TalkWith {
        person: String,
        alias: String,
        last_seen_at: Option<Time>,
    },
}

/// The worker's next steps as of `now`.
pub fn next_steps(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<NextStep>> {
    let mut steps: Vec<NextStep> = queries::alerts(conn, now)?
        .into_iter()
        .map(|alert| NextStep::Checkin { alert })
        .collect();
    // In the order the persons list sorts them by the days left (`queries`).
    for p in queries::waiting_for_treatment(conn, now)? {
        if let Some(guarantee) = p.guarantee {
            steps.push(NextStep::Guarantee {
                person: p.id,
                alias: p.alias,
                guarantee,
            });
        }
    }
    let mut due: Vec<NextStep> = Vec::new();
    for p in queries::list_persons(conn, None, 0, now)? {
        if p.course_phase.is_none() {
            continue;
        }
        for d in questionnaire_recorded::due(conn, &p.id, now)? {
            due.push(NextStep::Questionnaire {
                person: p.id.clone(),
                alias: p.alias.clone(),
                due: d,
            });
        }
    }
    due.sort_by(|a, b| match (a, b) {
        (NextStep::Questionnaire { due: x, .. }, NextStep::Questionnaire { due: y, .. }) => {
            x.since.as_str().cmp(y.since.as_str())
        }
        _ => std::cmp::Ordering::Equal,
    });
    steps.extend(due);
    steps.extend(
        crate::kinds::intensity::not_talked_with(conn, now, |_| true)?
            .into_iter()
            .map(|q| NextStep::TalkWith {
                person: q.person,
                alias: q.alias,
                last_seen_at: q.last_seen_at,
            }),
    );
    Ok(steps)
}
