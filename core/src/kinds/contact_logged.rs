//! A contact in the contact log (`contact.logged`), after the risk check it names; its row in
//! `contacts`, which the persons list's "last contact" (last seen) and the contact intensity
//! (`intensity`) follow.
//!
//! Two questions are asked of every contact: did the workers *see* the citizen (contact made,
//! declined, or broken off for safety, with the citizen there), which moves "last seen"; and was
//! it a *conversation* (made, the citizen there and talked with), which is what intensity counts
//! (004 L953–971 counts treatment in conversations; a declined approach is not one).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::places::require_place;
use super::subject::{Subject, non_empty, require_risk_check, subject_or_linked};
use super::{Built, Correcting, Corrections, Patch, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId, EntryKind, LIMIT_ALIAS, LIMIT_NOTE, LIMIT_SHORT};
use crate::projection::{self, note_unknown};
use crate::vocabulary::{ContactKind, MeetingKind, Outcome, PlaceKind, SafetyWarning, VisitRule};

/// A contact longer than a day is a typing error, not a contact.
pub const MAX_CONTACT_MINUTES: u32 = 24 * 60;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactLogged {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown: Option<String>,
    pub place: String,
    pub place_kind: PlaceKind,
    pub kind: ContactKind,
    /// Which meeting, for a contact of kind `meeting` (or a meeting about the citizen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<MeetingKind>,
    pub outcome: Outcome,
    /// The colleague who was there; absent means the author was alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colleague: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_check: Option<EntryId>,
    /// For a home visit: whether it was announced (issue 15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced: Option<bool>,
    /// The worker's judgement for going on despite a safety rule (a home visit alone judged
    /// safe), in their words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety_reason: Option<String>,
    /// The safety rules it did not follow, as warned when it was recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub safety_warnings: Vec<SafetyWarning>,
    /// The place of the team's register it was at (payload version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_id: Option<EntryId>,
}

/// What the timeline shows of a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct ContactLoggedContent {
    pub unknown: Option<String>,
    pub place: String,
    pub place_kind: PlaceKind,
    pub contact_kind: ContactKind,
    pub meeting: Option<MeetingKind>,
    pub outcome: Outcome,
    pub colleague: Option<String>,
    pub minutes: Option<u32>,
    pub note: Option<String>,
    pub risk_check: Option<String>,
    pub announced: Option<bool>,
    pub safety_reason: Option<String>,
    pub safety_warnings: Vec<SafetyWarning>,
    pub place_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ContactInput {
    /// Whom the contact concerns; `None` takes the subject of `risk_check`.
    pub subject: Option<Subject>,
    pub place: String,
    pub place_kind: PlaceKind,
    pub kind: ContactKind,
    pub outcome: Outcome,
    /// The colleague who was there; `None` records a solo contact.
    pub colleague: Option<String>,
    pub minutes: Option<u32>,
    pub note: Option<String>,
    /// The risk check made before the approach.
    pub risk_check: Option<String>,
    pub occurred_at: Option<String>,
    /// Which meeting, for a contact of kind `meeting`.
    #[uniffi(default)]
    pub meeting: Option<MeetingKind>,
    /// For a home visit: whether it was announced.
    #[uniffi(default)]
    pub announced: Option<bool>,
    /// The worker's judgement for going on despite a safety rule (a home visit alone judged
    /// safe).
    #[uniffi(default)]
    pub safety_reason: Option<String>,
    /// A place of the team's register (its id): its rule is checked, and with no `place` text
    /// its name is taken. `announced` then says the visit was announced, or, at a place visited
    /// only when called, that the workers were called.
    #[uniffi(default)]
    pub place_id: Option<String>,
}

/// A correction of a contact: each field given replaces the contact's; `clear_…` removes one.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct ContactCorrection {
    #[uniffi(default)]
    pub place: Option<String>,
    #[uniffi(default)]
    pub place_kind: Option<PlaceKind>,
    #[uniffi(default)]
    pub kind: Option<ContactKind>,
    #[uniffi(default)]
    pub meeting: Option<MeetingKind>,
    /// Not a meeting after all.
    #[uniffi(default)]
    pub clear_meeting: bool,
    #[uniffi(default)]
    pub outcome: Option<Outcome>,
    #[uniffi(default)]
    pub colleague: Option<String>,
    /// The contact was made alone after all.
    #[uniffi(default)]
    pub clear_colleague: bool,
    #[uniffi(default)]
    pub minutes: Option<u32>,
    #[uniffi(default)]
    pub clear_minutes: bool,
    #[uniffi(default)]
    pub note: Option<String>,
    #[uniffi(default)]
    pub clear_note: bool,
    #[uniffi(default)]
    pub risk_check: Option<String>,
    #[uniffi(default)]
    pub clear_risk_check: bool,
    /// For a home visit: announced or not.
    #[uniffi(default)]
    pub announced: Option<bool>,
    #[uniffi(default)]
    pub clear_announced: bool,
    /// The worker's judgement for going on despite a safety rule.
    #[uniffi(default)]
    pub safety_reason: Option<String>,
    #[uniffi(default)]
    pub clear_safety_reason: bool,
}

impl Correcting for ContactCorrection {
    fn patch(&self) -> serde_json::Map<String, serde_json::Value> {
        let colleague = self.colleague.as_deref().map(|c| {
            journal::name("colleague", c, LIMIT_ALIAS).unwrap_or_else(|_| c.to_string())
        });
        Patch::default()
            .set("place", &self.place.as_deref().map(str::trim))
            .set("place_kind", &self.place_kind)
            .set("kind", &self.kind)
            .optional("meeting", &self.meeting, self.clear_meeting)
            .set("outcome", &self.outcome)
            .optional("colleague", &colleague, self.clear_colleague)
            .optional("minutes", &self.minutes, self.clear_minutes)
            .optional("note", &self.note.as_deref().map(str::trim), self.clear_note)
            .optional("risk_check", &self.risk_check, self.clear_risk_check)
            .optional(
                "announced",
                &self.announced,
                // A place that is no longer a home is not announced or not.
                self.clear_announced
                    || self.place_kind.is_some_and(|k| k != PlaceKind::Home),
            )
            .optional(
                "safety_reason",
                &self.safety_reason.as_deref().map(str::trim),
                self.clear_safety_reason,
            )
            .done()
    }
}

const TABLE: RecordTable = RecordTable {
    table: "contacts",
    // The persons list follows a person's last contact through `listing` instead.
    summary: None,
};

/// A risk check of the citizen in the day before a contact (and not after it).
const RECENT_RISK_CHECK: &str = "SELECT EXISTS (SELECT 1 FROM risk_checks
     WHERE owner = ?1 AND voided = 0 AND occurred_at >= ?2 AND occurred_at <= ?3)";

/// The safety rules a contact does not follow (002 L2589–2620), as warnings: the worker may
/// always go on, and the warnings and any reason given are kept in the entry.
fn safety_warnings(
    tx: &Connection,
    input: &ContactInput,
    subject: &str,
    new_unknown: bool,
    at: &str,
) -> Result<Vec<SafetyWarning>> {
    let mut warnings = Vec::new();
    let alone = input.colleague.as_deref().is_none_or(|c| c.trim().is_empty());
    let with_citizen = input.kind.citizen_present() && input.outcome.saw_citizen();
    let unknown_citizen =
        new_unknown || projection::resolve_person(tx, subject)?.is_none();
    if alone && with_citizen && unknown_citizen && input.place_kind.citizens_environment() {
        warnings.push(SafetyWarning::SoloWithUnknown);
    }
    let has_reason = input
        .safety_reason
        .as_deref()
        .is_some_and(|r| !r.trim().is_empty());
    if input.place_kind == PlaceKind::Home && alone && input.kind.citizen_present() {
        if !has_reason {
            warnings.push(SafetyWarning::SoloHomeVisit);
        }
        // Unannounced home visits are made by two: a visit alone not said to be announced is
        // warned too.
        if input.announced != Some(true) {
            warnings.push(SafetyWarning::UnannouncedHomeVisitAlone);
        }
    }
    // Linked or not, a check of the citizen in the day before the contact (an old check linked
    // is no current one).
    if with_citizen {
        let day_before = DateTime::parse_from_rfc3339(at)
            .map(|t| {
                journal::format_timestamp(
                    t.with_timezone(&Utc) - chrono::Duration::hours(crate::instruments::RISK_VALID_HOURS),
                )
            })
            .map_err(|_| Error::invalid("occurred_at", "not a time"))?;
        let checked: bool = tx
            .prepare_cached(RECENT_RISK_CHECK)?
            .query_row(params![subject, day_before, at], |r| r.get(0))?;
        if !checked {
            warnings.push(SafetyWarning::NoCurrentRiskCheck);
        }
    }
    Ok(warnings)
}

impl ContactLogged {
    /// Whether the workers saw the citizen (see the module's paragraph): "last seen".
    pub fn saw_citizen(&self) -> bool {
        self.kind.citizen_present() && self.outcome.saw_citizen()
    }

    /// Whether it was a conversation with the citizen: what contact intensity counts.
    pub fn conversation(&self) -> bool {
        self.outcome == Outcome::ContactMade && self.kind.talks_with_citizen()
    }
}

impl Kind for ContactLogged {
    type Input = ContactInput;

    const CORRECTIONS: Corrections = Corrections::AmendAndVoid;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, now: DateTime<Utc>, input: &ContactInput) -> Result<Built> {
        let check_subject = match &input.risk_check {
            Some(id) => Some(require_risk_check(tx, id)?),
            None => None,
        };
        // A contact after a risk check concerns the same citizen.
        let (subject, unknown) = subject_or_linked(
            tx,
            input.subject.as_ref(),
            check_subject.as_deref(),
            "risk_check",
            "name the person or describe the unknown citizen",
        )?;
        let registered = match non_empty(input.place_id.clone()) {
            Some(id) => Some(require_place(tx, &id)?),
            None => None,
        };
        if input.announced.is_some() && input.place_kind != PlaceKind::Home && registered.is_none()
        {
            return Err(Error::invalid(
                "announced",
                "only a home visit, or a visit to a place of the register, is announced or not",
            ));
        }
        let occurred_at = journal::stated_time("occurred_at", input.occurred_at.as_deref(), now)?;
        let mut safety_warnings =
            safety_warnings(tx, input, &subject, unknown.is_some(), &occurred_at)?;
        // The register's visit rule (Bilag 2B, 002 L4088–4091): warned, never refused.
        if let Some(place) = &registered
            && input.announced != Some(true)
        {
            match place.rule {
                VisitRule::OnlyWhenCalled => {
                    safety_warnings.push(SafetyWarning::PlaceOnlyWhenCalled)
                }
                VisitRule::AnnouncedOnly => safety_warnings.push(SafetyWarning::PlaceAnnouncedOnly),
                VisitRule::Open => {}
            }
        }
        let place = match (&registered, input.place.trim()) {
            (Some(registered), "") => registered.name.clone(),
            (_, text) => text.to_string(),
        };
        let payload = Payload::ContactLogged(ContactLogged {
            unknown,
            place,
            place_kind: input.place_kind,
            kind: input.kind,
            meeting: input.meeting,
            outcome: input.outcome,
            colleague: non_empty(input.colleague.clone())
                .map(|c| {
                    let name = journal::name("colleague", &c, LIMIT_ALIAS)?;
                    if crate::meta::get(tx, crate::meta::WORKER)?.as_deref() == Some(name.as_str()) {
                        return Err(Error::invalid(
                            "colleague",
                            "the colleague is another worker than the one recording",
                        ));
                    }
                    crate::roster::require_on(tx, "colleague", &name)?;
                    Ok::<_, Error>(name)
                })
                .transpose()?,
            minutes: input.minutes,
            note: non_empty(input.note.clone()),
            risk_check: input.risk_check.clone().map(EntryId::stored),
            announced: input.announced,
            safety_reason: non_empty(input.safety_reason.clone()),
            safety_warnings,
            place_id: registered.map(|p| EntryId::stored(p.id)),
        });
        Ok((subject, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::optional_text("unknown", self.unknown.as_deref(), LIMIT_SHORT)?;
        journal::required_text("place", &self.place, LIMIT_SHORT)?;
        if let Some(colleague) = &self.colleague {
            journal::name_rules("colleague", colleague, LIMIT_ALIAS)?;
        }
        journal::optional_text("note", self.note.as_deref(), LIMIT_NOTE)?;
        match (self.kind, self.meeting) {
            (ContactKind::Meeting, None) => {
                return Err(Error::invalid(
                    "meeting",
                    format!(
                        "a meeting says which: {}",
                        MeetingKind::codes().join(", ")
                    ),
                ));
            }
            (ContactKind::Meeting | ContactKind::AboutCitizen, _) | (_, None) => {}
            (_, Some(_)) => {
                return Err(Error::invalid(
                    "meeting",
                    "only a meeting, or a contact about the citizen, names a meeting",
                ));
            }
        }
        if let Some(m) = self.minutes
            && m > MAX_CONTACT_MINUTES
        {
            return Err(Error::invalid(
                "minutes",
                format!("must be at most {MAX_CONTACT_MINUTES}"),
            ));
        }
        journal::optional_text("safety_reason", self.safety_reason.as_deref(), LIMIT_NOTE)?;
        if self.announced.is_some() && self.place_kind != PlaceKind::Home && self.place_id.is_none()
        {
            return Err(Error::invalid(
                "announced",
                "only a home visit, or a visit to a place of the register, is announced or not",
            ));
        }
        journal::optional_id("place_id", self.place_id.as_deref())?;
        journal::optional_id("risk_check", self.risk_check.as_deref())
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        if let Some(description) = &self.unknown {
            note_unknown(conn, entry, description)?;
        }
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::ContactLogged(ContactLoggedContent {
            unknown: self.unknown.clone(),
            place: self.place.clone(),
            place_kind: self.place_kind,
            contact_kind: self.kind,
            meeting: self.meeting,
            outcome: self.outcome,
            colleague: self.colleague.clone(),
            minutes: self.minutes,
            note: self.note.clone(),
            risk_check: self.risk_check.as_ref().map(ToString::to_string),
            announced: self.announced,
            safety_reason: self.safety_reason.clone(),
            safety_warnings: self.safety_warnings.clone(),
            place_id: self.place_id.as_ref().map(ToString::to_string),
        })
    }

    fn references(&self) -> Vec<(&'static str, &EntryId)> {
        self.risk_check
            .iter()
            .map(|id| ("risk_check", id))
            .chain(self.place_id.iter().map(|id| ("place_id", id)))
            .collect()
    }

    fn follow_references(&mut self, follow: &mut dyn FnMut(&mut EntryId)) {
        self.risk_check.iter_mut().for_each(&mut *follow);
        self.place_id.iter_mut().for_each(follow);
    }

    /// A risk check of the same citizen; a place of the team's register.
    fn may_refer_to(&self, field: &str, r: &Referral<'_>) -> Result<bool> {
        if field == "place_id" {
            return Ok(r.referenced.kind == EntryKind::PlaceNoted);
        }
        r.of_the_citizen(EntryKind::RiskChecked)
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO contacts (owner, occurred_at, entry_id, voided, author_worker, place_kind, kind, outcome,
                met, with_colleague, minutes, risk_check_id, conversation, place_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.place_kind.code(),
            self.kind.code(),
            self.outcome.code(),
            self.saw_citizen(),
            self.colleague.is_some(),
            self.minutes,
            self.risk_check,
            self.conversation(),
            self.place_id,
        ])?;
        Ok(())
    }

    fn meets_citizen(&self) -> bool {
        self.saw_citizen()
    }

    fn schema_version(&self) -> u32 {
        let meeting = if self.meeting.is_some()
            || self.announced.is_some()
            || self.safety_reason.is_some()
            || !self.safety_warnings.is_empty()
        {
            2
        } else {
            1
        };
        // A place of the register (and its rules' warnings) came with version 3.
        let register = if self.place_id.is_some() { 3 } else { 1 };
        [
            self.place_kind.since_version(),
            self.kind.since_version(),
            self.outcome.since_version(),
            meeting,
            register,
        ]
        .into_iter()
        .max()
        .unwrap_or(1)
    }

    /// A colleague a correction names is a worker on the roster other than the contact's author
    /// (an old free-text one left alone stays as written).
    fn check_patch(
        &self,
        tx: &Connection,
        patch: &serde_json::Map<String, serde_json::Value>,
        author: &str,
    ) -> Result<()> {
        if let Some(serde_json::Value::String(name)) = patch.get("colleague") {
            if author == name.trim() {
                return Err(Error::invalid(
                    "colleague",
                    "the colleague is another worker than the one who recorded the contact",
                ));
            }
            crate::roster::require_on(tx, "colleague", name.trim())?;
        }
        Ok(())
    }

    /// An amended contact's risk check must exist, be a risk check and not be voided.
    fn check_amended(&self, tx: &Connection) -> Result<()> {
        if let Some(check) = &self.risk_check {
            require_risk_check(tx, check)?;
        }
        if let Some(place) = &self.place_id {
            require_place(tx, place)?;
        }
        Ok(())
    }
}
