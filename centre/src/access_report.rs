//! The citizen's access (issue 17): everything recorded about one citizen, as a document in
//! Danish a person can read (`gadeplan-centre access-report --citizen ID`), made at the centre,
//! which holds every team's journal, and recorded in the audit log.
//!
//! It reads the citizen's timeline as the screens do (`queries::person_detail`, following
//! merges), oldest first: each entry with its time in the team's calendar, its title, who
//! recorded it, and what it says with the seeds' words for every code (the instruments' items
//! and scales, `vocabulary::to_danish_json`) and a Danish name for every field (`FIELD_LABELS`,
//! the project's own words). A corrected entry is given as corrected, marked, with what it
//! first said; a voided one is marked with the reason; the corrections are entries of their own
//! in the list; what was erased is listed at the end by kind, when and why (its words are gone).
//! A citizen everything about whom was erased gets a document saying that, and when and why.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use gadeplan_core::EntryKind;
use gadeplan_core::kinds::Payload;
use gadeplan_core::kinds::entry_erased::{self, EntryErased};
use gadeplan_core::vocabulary::to_danish_json;
use serde_json::Value;

use crate::audit::{self, AuditEvent};
use crate::calendar::local;
use crate::store::{Centre, Refusal, Result};

/// Every field an entry's content may show, with its Danish name *(the project's own words;
/// the seeds name the instruments' items, which come from the vocabularies)*. A field missing
/// here is shown by its own name and fails `every_field_of_the_demo_has_a_danish_name`.
pub const FIELD_LABELS: &[(&str, &str)] = &[
    ("about", "Om"),
    ("address", "Adresse"),
    ("alias", "Kaldenavn"),
    ("announced", "Varslet"),
    ("answers", "Svar"),
    ("area", "Område"),
    ("assessment", "Vurdering"),
    ("attachment_services", "Tilknytning til andre tilbud"),
    (
        "attachment_substitution",
        "Tilknytning til substitutionsbehandling",
    ),
    ("attachment_treatment", "Tilknytning til behandling"),
    ("band", "Risikoniveau"),
    ("birth_year", "Fødselsår"),
    ("burden_not_high", "Belastning ikke høj"),
    ("call", "Ring først"),
    ("centre_called", "Centret kontaktet"),
    ("changes", "Ændringer"),
    ("checkin", "Tjek-ind"),
    ("citizen_comments", "Borgerens kommentarer"),
    ("closer", "Nærmere beskrivelse"),
    ("colleague", "Kollega"),
    ("comment", "Kommentar"),
    ("confidence", "Tiltro"),
    ("consent", "Samtykke"),
    ("contact", "Kontakt"),
    ("contact_kind", "Kontaktform"),
    ("counsellor", "Misbrugsbehandler"),
    ("course", "Forløb"),
    ("craving", "Trang"),
    ("criteria", "Kriterier opfyldt"),
    ("criteria_not_met", "Kriterier ikke opfyldt"),
    ("decision", "Beslutning"),
    ("description", "Beskrivelse"),
    ("duplicate", "Dublet"),
    ("entries", "Registreringer"),
    ("fields", "Felter"),
    ("form", "Form"),
    ("found_via", "Fundet via"),
    ("from_unknown", "Først registreret som ukendt borger"),
    ("goal", "Delmål"),
    ("high_burden", "Høj belastning"),
    ("high_risk", "Høj risiko"),
    ("importance", "Vigtighed"),
    ("instrument", "Spørgeskema"),
    ("instrument_version", "Version"),
    ("intensity", "Intensitet"),
    ("kind", "Art"),
    ("life_control", "Styr på livet"),
    ("meeting", "Møde"),
    ("minutes", "Minutter"),
    ("name", "Navn"),
    ("not_possible", "Ikke muligt"),
    ("note", "Note"),
    ("notify_no_shows", "Besked ved udeblivelse"),
    ("observed", "Observeret"),
    ("occasion", "Tidspunkt"),
    ("occurred_at", "Tidspunkt"),
    ("offer", "Tilbud"),
    ("on_behalf", "På vegne af"),
    ("organisation", "Organisation"),
    ("outcome", "Udfald"),
    ("person", "Borger"),
    ("phase", "Fase"),
    ("phone", "Telefon"),
    ("place", "Sted"),
    ("place_id", "Sted i registeret"),
    ("place_kind", "Stedets art"),
    ("places", "Steder"),
    ("plan", "Plan"),
    ("plan_handed_over", "Plan overdraget"),
    ("point", "Koordinater"),
    ("police_called", "Politi tilkaldt"),
    ("priority", "Prioritet"),
    ("reached", "Nået"),
    ("reason", "Begrundelse"),
    ("recovery_goal", "Borgerens mål"),
    ("referral_kind", "Henvisning"),
    ("referred_to", "Henvist til"),
    ("responsible", "Ansvarlige"),
    ("result", "Resultat"),
    ("risk_check", "Risikovurdering"),
    ("role", "Rolle"),
    ("rule", "Besøgsregel"),
    ("safety_reason", "Sikkerhedsgrund"),
    ("safety_warnings", "Sikkerhedsadvarsler"),
    ("satisfaction", "Tilfredshed"),
    ("scope", "Omfang"),
    ("score", "Point"),
    ("service", "Tilbud"),
    ("stage", "Parathed"),
    ("status", "Status"),
    ("support", "Støtte"),
    ("target", "Registrering"),
    ("time", "Klokkeslæt"),
    ("times", "Tider"),
    ("to_whom", "Til hvem"),
    ("treatment_status", "Behandlingsstatus"),
    ("unknown", "Ukendt borger"),
    ("watcher", "Kollega der holder øje"),
    ("weekday", "Ugedag"),
    ("what", "Hvad"),
    ("worker_comments", "Medarbejderens kommentarer"),
    ("workers", "Medarbejdere"),
];

/// The Danish name of a field, or the field's own name when it has none.
fn field_label(field: &str) -> &str {
    FIELD_LABELS
        .iter()
        .find(|(name, _)| *name == field)
        .map_or(field, |(_, label)| label)
}

/// A value as a person reads it: a label's Danish, "ja"/"nej", lists joined, nested fields
/// named; `None` for nothing said.
fn shown(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Bool(yes) => Some(if *yes { "ja" } else { "nej" }.into()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(text) if text.is_empty() => None,
        Value::String(text) => Some(text.clone()),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().filter_map(shown).collect();
            (!items.is_empty()).then(|| items.join(", "))
        }
        // A label: its Danish.
        Value::Object(map) if map.contains_key("da") => map.get("da").and_then(shown),
        Value::Object(map) => {
            let parts: Vec<String> = fields(map)
                .into_iter()
                .map(|(label, text)| format!("{label}: {text}"))
                .collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
    }
}

/// An object's fields as (Danish name, value) pairs, leaving out what says nothing and a code
/// whose label is given beside it (`x` when `x_label` is there, which is shown as `x`).
fn fields(map: &serde_json::Map<String, Value>) -> Vec<(String, String)> {
    map.iter()
        .filter(|(name, _)| !map.contains_key(&format!("{name}_label")))
        .filter_map(|(name, value)| {
            let name = name.strip_suffix("_label").unwrap_or(name);
            shown(value).map(|text| (field_label(name).to_string(), text))
        })
        .collect()
}

/// What an entry's payload says, field by field, in Danish.
fn said(kind: EntryKind, payload: &str) -> Vec<(String, String)> {
    let Ok(payload) = Payload::read(kind, payload) else {
        return vec![("Indhold".into(), "kan ikke læses af denne version".into())];
    };
    match to_danish_json(&payload.content()) {
        Value::Object(mut map) => {
            // The content's tag names the kind, which the heading gives already.
            if map.get("kind").and_then(Value::as_str) == Some(&kind.code().replace('.', "-")) {
                map.remove("kind");
            }
            fields(&map)
        }
        other => shown(&other)
            .map(|text| vec![("Indhold".into(), text)])
            .unwrap_or_default(),
    }
}

fn title(kind: EntryKind) -> String {
    kind.label().da
}

/// The names the document gives its own lines besides the fields'.
const OWN_NAMES: &[&str] = &[
    "Kaldenavn",
    "Beskrivelse",
    "Fødselsår",
    "Først registreret",
    "Indhold",
];

/// The field names a document shows that have no Danish name (`FIELD_LABELS` lacks them): for
/// the test that holds the list whole.
pub fn unnamed_fields(document: &str) -> Vec<String> {
    let named: std::collections::BTreeSet<&str> = FIELD_LABELS
        .iter()
        .map(|(_, label)| *label)
        .chain(OWN_NAMES.iter().copied())
        .collect();
    document
        .lines()
        .take_while(|line| !line.starts_with("## Slettet"))
        .filter_map(|line| line.trim_start().strip_prefix("- ")?.split_once(": "))
        .map(|(name, _)| name)
        .filter(|name| !named.contains(name))
        .map(str::to_string)
        .collect()
}

/// The document for `citizen`, read from the core's projections of their team.
fn document(
    conn: &rusqlite::Connection,
    citizen: &str,
    team: &str,
    now: DateTime<Utc>,
    made_by: &str,
) -> Result<String> {
    let mut out = String::new();
    let _ = writeln!(out, "# Indsigt: hvad der er registreret om borgeren");
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Udskrevet {} af {made_by} fra Gadeplan-centret for teamet {team}.",
        local(&gadeplan_core::journal::format_timestamp(now))
    );
    let _ = writeln!(out, "Borgerens nummer i Gadeplan: {citizen}");
    if let Some(erasure) = entry_erased::subject_erased_by(conn, citizen)? {
        let entry = gadeplan_core::entries::load(conn, &erasure)?
            .ok_or_else(|| Refusal::new(500, "storage", "an erasure is missing"))?;
        let payload: EntryErased = serde_json::from_str(&entry.payload)
            .map_err(|e| Refusal::new(500, "storage", e.to_string()))?;
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "Alt registreret om borgeren blev slettet {}: {} registreringer. Begrundelse: {}",
            local(&entry.occurred_at),
            payload.erased.len(),
            payload.reason
        );
        return Ok(out);
    }
    let detail =
        gadeplan_core::queries::person_detail(conn, citizen, now).map_err(|e| match e {
            gadeplan_core::Error::NotFound { .. } => Refusal::new(
                404,
                "not-found",
                format!("no citizen {citizen} at this centre"),
            ),
            other => other.into(),
        })?;
    if !detail.merged_from.is_empty() {
        let _ = writeln!(
            out,
            "Også registreret under: {}",
            detail.merged_from.join(", ")
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "## Borgeren");
    let _ = writeln!(out);
    let _ = writeln!(out, "- Kaldenavn: {}", detail.person.alias);
    if let Some(description) = &detail.person.description {
        let _ = writeln!(out, "- Beskrivelse: {description}");
    }
    if let Some(year) = detail.person.birth_year {
        let _ = writeln!(out, "- Fødselsår: {year}");
    }
    let _ = writeln!(
        out,
        "- Først registreret: {}",
        local(detail.person.noted_at.as_str())
    );
    let mut timeline = detail.timeline;
    timeline.sort_by(|a, b| {
        (a.occurred_at.as_str(), a.id.as_str()).cmp(&(b.occurred_at.as_str(), b.id.as_str()))
    });
    let _ = writeln!(out);
    let _ = writeln!(out, "## Registreringer ({}), ældste først", timeline.len());
    for item in &timeline {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "### {} · {} · registreret af {}",
            local(item.occurred_at.as_str()),
            title(item.kind),
            item.author_worker
        );
        let _ = writeln!(out);
        if let Some(reason) = &item.void_reason {
            let _ = writeln!(out, "**Annulleret** (registreret ved en fejl): {reason}");
            let _ = writeln!(out);
        }
        if !item.amended_by.is_empty() {
            let _ = writeln!(
                out,
                "**Rettet** {} gang(e); her som rettet. Oprindeligt stod der:",
                item.amended_by.len()
            );
            if let Some(original) = &item.original_payload {
                for (name, text) in said(item.kind, original) {
                    let _ = writeln!(out, "  - {name}: {text}");
                }
            }
            let _ = writeln!(out);
        }
        for (name, text) in said(item.kind, &item.payload) {
            let _ = writeln!(out, "- {name}: {text}");
        }
    }
    erased_section(conn, &detail.person.id, &detail.merged_from, &mut out)?;
    Ok(out)
}

/// What was erased about the citizen, entry by entry: its kind, when, and the erasure's time and
/// reason (its words are gone).
fn erased_section(
    conn: &rusqlite::Connection,
    person: &str,
    merged_from: &[String],
    out: &mut String,
) -> Result<()> {
    let mut rows: Vec<(String, String, String, String)> = Vec::new();
    for subject in std::iter::once(person).chain(merged_from.iter().map(String::as_str)) {
        let mut stmt = conn.prepare_cached(
            "SELECT t.entry_id, t.kind, e.occurred_at, e.payload FROM erased_entries t
               JOIN entries e ON e.id = t.erased_by
             WHERE e.subject = ?1 AND t.counted = 1 ORDER BY t.entry_id",
        )?;
        let found = stmt
            .query_map([subject], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.extend(found);
    }
    if rows.is_empty() {
        return Ok(());
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "## Slettet ({})", rows.len());
    let _ = writeln!(out);
    for (id, kind, erased_at, payload) in rows {
        let kind = EntryKind::parse(&kind).map_or(kind, title);
        let recorded = gadeplan_core::journal::id_wall_ms(&id)
            .and_then(DateTime::from_timestamp_millis)
            .map(|t| local(&gadeplan_core::journal::format_timestamp(t)))
            .unwrap_or_default();
        let reason = serde_json::from_str::<EntryErased>(&payload)
            .map(|p| p.reason)
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "- {kind}, registreret {recorded}, slettet {}. Begrundelse: {reason}",
            local(&erased_at)
        );
    }
    Ok(())
}

impl Centre {
    /// Everything recorded about `citizen` (any of their ids), as the document the citizen is
    /// handed, recorded in the audit log as `access-report` by `actor`.
    pub fn access_report(&self, citizen: &str, actor: &str) -> Result<String> {
        let team = self.write(|tx| tx.subject_team(citizen))?.ok_or_else(|| {
            Refusal::new(
                404,
                "not-found",
                format!("no citizen {citizen} at this centre"),
            )
        })?;
        let now = crate::store::now();
        let made_by = actor.strip_prefix("operator:").unwrap_or(actor).to_string();
        let document = self.with_projection(&team, |conn, team, _| {
            document(conn, citizen, team, now, &made_by)
        })?;
        self.write(|tx| {
            audit::append(
                tx,
                &AuditEvent {
                    actor: actor.to_string(),
                    action: "access-report".into(),
                    team: Some(team.clone()),
                    subject: Some(citizen.to_string()),
                    detail: None,
                    source: None,
                },
            )
        })?;
        Ok(document)
    }
}
