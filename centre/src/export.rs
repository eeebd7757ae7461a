//! The pilot's questionnaires of a team as CSV, for the team leader's quarterly figures and the
//! evaluation's own analysis: one row per questionnaire recorded (not voided), its answers one
//! column per item (`item_1` … `item_6`; an unanswered item is empty), or the reason it was not
//! possible.
//!
//! The rows name the citizen and the course by their ids only, never by alias: the figures need
//! no name, and a file leaves the centre's access control behind it. A text cell that a
//! spreadsheet would read as a formula (`=`, `+`, `-`, `@` first) is quoted with a leading `'`.

use gadeplan_core::Questionnaire;
use rusqlite::params;

use crate::store::{Centre, Result};

/// The most items any questionnaire has (motivation's six).
fn item_columns() -> usize {
    Questionnaire::ALL
        .iter()
        .map(|q| q.items().len())
        .max()
        .unwrap_or(0)
}

impl Centre {
    /// The team's questionnaires as CSV, oldest first.
    pub fn questionnaire_csv(&self, team: &str) -> Result<String> {
        self.with_projection(team, |conn, team, _| {
            let items = item_columns();
            let mut out = String::from(
                "person,course,instrument,instrument_version,occasion,occurred_at,author",
            );
            for n in 1..=items {
                out.push_str(&format!(",item_{n}"));
            }
            out.push_str(",not_possible\r\n");
            let mut stmt = conn.prepare(
                "SELECT q.owner, q.course, q.instrument, q.instrument_version, q.occasion,
                        q.occurred_at, q.author_worker, q.answers, q.not_possible
                 FROM questionnaires q JOIN centre_subjects s ON s.subject = q.owner
                 WHERE s.team = ?1 AND q.voided = 0
                 ORDER BY q.occurred_at, q.entry_id",
            )?;
            let rows = stmt.query_map(params![team], |r| {
                Ok((
                    [
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?.to_string(),
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                    ],
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ))
            })?;
            for row in rows {
                let (fields, answers, not_possible) = row?;
                let cells: Vec<String> = fields.iter().map(|f| cell(f)).collect();
                out.push_str(&cells.join(","));
                let answers: Vec<Option<u8>> = answers
                    .as_deref()
                    .map(serde_json::from_str)
                    .transpose()
                    .map_err(|e| {
                        crate::store::Refusal::new(
                            500,
                            "storage",
                            format!("a questionnaire's answers do not read: {e}"),
                        )
                    })?
                    .unwrap_or_default();
                for n in 0..items {
                    out.push(',');
                    if let Some(Some(a)) = answers.get(n) {
                        out.push_str(&a.to_string());
                    }
                }
                out.push(',');
                out.push_str(&cell(not_possible.as_deref().unwrap_or_default()));
                out.push_str("\r\n");
            }
            Ok(out)
        })
    }
}

/// One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break; a leading
/// formula character disarmed with `'`. Every CSV the centre writes (the questionnaires, the
/// indicators, the audit log) makes its cells here.
pub(crate) fn cell(text: &str) -> String {
    let text = match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_formulas_disarmed() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a, b"), "\"a, b\"");
        assert_eq!(cell("say \"no\""), "\"say \"\"no\"\"\"");
        assert_eq!(cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
    }
}
