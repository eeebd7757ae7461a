//! The plan on the person's screen, and as the handover document Bilag 1C is (002 L3816–3924):
//! the current revision of the open course's plan with its evaluations and the cooperation, and
//! an HTML page in Danish with the form's own labels, for the counsellor the plan is handed
//! over to ("overleveres … til den misbrugsbehandler", L3827–3829). The core makes it; the CLI
//! writes it out; the shells share or print it.

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;

use super::cooperation_noted::{Cooperation, cooperation_of};
use super::courses::open_courses;
use super::guarantee;
use super::plan_evaluated::{Evaluation, evaluations_of};
use super::plan_set::{PlanFields, current_plan};
use crate::error::{Error, Result};
use crate::meta;
use crate::projection;

/// The `meta` key naming the treatment centre in the plan's third question; the seed's own
/// words (Aarhus's centre, L3849) when none is set.
pub const CENTRE_NAME_KEY: &str = "centre_name";
const SEED_CENTRE_NAME: &str = "Center for Misbrugsbehandlingen";

/// A course's plan as it stands, with what was evaluated and noted on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct PlanView {
    /// The revision's entry (evaluations name it).
    pub entry_id: String,
    pub set_at: String,
    pub set_by: String,
    pub fields: PlanFields,
    pub evaluations: Vec<Evaluation>,
    pub cooperation: Vec<Cooperation>,
}

/// The plan of the person's open course (the oldest open, if two phones each opened one).
pub fn plan_of(conn: &Connection, person: &str) -> Result<Option<PlanView>> {
    let Some(course) = open_courses(conn, person)?.into_iter().next() else {
        return Ok(None);
    };
    let Some((entry_id, set_at, set_by, fields)) = current_plan(conn, &course.id)? else {
        return Ok(None);
    };
    let evaluations = evaluations_of(conn, &entry_id)?;
    let cooperation = cooperation_of(conn, &entry_id)?;
    Ok(Some(PlanView {
        entry_id,
        set_at,
        set_by,
        fields,
        evaluations,
        cooperation,
    }))
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A labelled answer; an unanswered field shows as empty, as on the paper form.
fn field(html: &mut String, label: &str, value: Option<&str>) {
    html.push_str(&format!(
        "<dt>{}</dt><dd>{}</dd>\n",
        escape(label),
        escape(value.unwrap_or("")).replace('\n', "<br>")
    ));
}

/// The plan of the person's open course as Bilag 1C's handover document: an HTML page in
/// Danish with the form's labels. Refused when there is no plan.
pub fn plan_document(conn: &Connection, person: &str, now: DateTime<Utc>) -> Result<String> {
    let person = projection::canonical(conn, person)?;
    let Some(plan) = plan_of(conn, &person)? else {
        return Err(Error::not_allowed(
            "the person has no plan on an open course",
        ));
    };
    let alias: String = conn
        .prepare_cached("SELECT alias FROM persons WHERE id = ?1")?
        .query_row([&person], |r| r.get(0))?;
    let centre = meta::get(conn, CENTRE_NAME_KEY)?.unwrap_or_else(|| SEED_CENTRE_NAME.into());
    // Dates in the team's calendar, as the guarantee counts them.
    let tz = guarantee::time_zone(conn)?;
    let day = |at: &str| -> Result<String> { Ok(guarantee::local_day(at, tz)?.to_string()) };
    let f = &plan.fields;
    let mut html = String::from(
        "<!DOCTYPE html>\n<html lang=\"da\">\n<head><meta charset=\"utf-8\"><title>Indledende behandlingsplan</title>\n\
         <style>body{font-family:sans-serif;max-width:46em;margin:2em auto;line-height:1.4}\
         dt{font-weight:bold;margin-top:.8em}dd{margin:0 0 0 1em;white-space:normal}\
         section{border-top:1px solid #999;margin-top:1.2em}</style></head>\n<body>\n",
    );
    html.push_str("<h1>Indledende behandlingsplan</h1>\n");
    html.push_str(&format!(
        "<p>Borger: {} · Udarbejdet {} af {} · Udskrevet {}</p>\n",
        escape(&alias),
        escape(&day(&plan.set_at)?),
        escape(&plan.set_by),
        now.with_timezone(&tz).format("%Y-%m-%d")
    ));
    html.push_str("<section><h2>Overordnede mål</h2><dl>\n");
    let goal = match f.goal_kind {
        Some(kind) => format!("{} ({})", f.goal, kind.label().da),
        None => f.goal.clone(),
    };
    field(
        &mut html,
        "Borgerens overordnede mål i forhold til indtag af:",
        Some(&goal),
    );
    field(
        &mut html,
        "Hvad ønsker borgeren at opnå ved det overordnede mål:",
        f.achieve.as_deref(),
    );
    field(
        &mut html,
        &format!(
            "Ud fra de ydelser som {centre} kan tilbyde, hvilke vurderer borgeren så umiddelbart at kunne støtte vedkommende bedst muligt:"
        ),
        f.services.as_deref(),
    );
    field(
        &mut html,
        "Andre bemærkninger og opmærksomhedspunkter:",
        f.remarks.as_deref(),
    );
    html.push_str("</dl></section>\n<section><h2>Samarbejdspartnere:</h2>\n");
    for p in &f.partners {
        html.push_str("<dl>\n");
        field(&mut html, "Navn:", Some(&p.name));
        field(&mut html, "Telefon:", p.phone.as_deref());
        html.push_str("</dl>\n");
    }
    html.push_str("</section>\n<section><h2>Specifikke planer</h2>\n<p>Konkrete aktiviteter for at virkeliggøre borgerens målsætning</p>\n");
    for (i, p) in f.plans.iter().enumerate() {
        html.push_str(&format!("<h3>{}.</h3><dl>\n", i + 1));
        field(&mut html, "Specifikt mål:", Some(&p.goal));
        field(&mut html, "Borgerens indsats:", p.citizen_effort.as_deref());
        field(&mut html, "Andres indsats:", p.others_effort.as_deref());
        field(
            &mut html,
            "Medarbejderens indsats:",
            p.worker_effort.as_deref(),
        );
        field(&mut html, "Eventuelle bemærkninger:", p.remarks.as_deref());
        html.push_str("</dl>\n");
    }
    html.push_str("</section>\n<section><h2>Kriseplan</h2><dl>\n");
    field(
        &mut html,
        "I tilfælde af akut krise – hvilke initiativer og hvilken støtte ønsker borgeren:",
        f.crisis_plan.as_deref(),
    );
    html.push_str("</dl></section>\n");
    for e in &plan.evaluations {
        html.push_str(&format!(
            "<section><h2>Evaluering af delplan ({})</h2><dl>\n",
            escape(&day(&e.at)?)
        ));
        let goal = (e.goal as usize)
            .checked_sub(1)
            .and_then(|i| f.plans.get(i))
            .map_or(String::new(), |p| format!("{}. {}", e.goal, p.goal));
        field(&mut html, "Specifikt mål:", Some(&goal));
        field(&mut html, "Er målet nået:", Some(&e.reached.label().da));
        field(
            &mut html,
            "Er borgeren kommet nærmere sit overordnede mål:",
            e.closer.as_deref(),
        );
        field(
            &mut html,
            "Kommentarer fra medarbejder:",
            e.comment.as_deref(),
        );
        html.push_str("</dl></section>\n");
    }
    for c in &plan.cooperation {
        html.push_str(&format!(
            "<section><h2>Samarbejdet ({})</h2><dl>\n",
            escape(&day(&c.at)?)
        ));
        field(
            &mut html,
            "Hvor tilfreds er borgeren med samarbejdet med medarbejderen?",
            c.satisfaction.as_deref(),
        );
        field(
            &mut html,
            "Kommentarer fra borgeren:",
            c.citizen_comments.as_deref(),
        );
        field(
            &mut html,
            "Kommentarer fra medarbejderen:",
            c.worker_comments.as_deref(),
        );
        html.push_str("</dl></section>\n");
    }
    html.push_str("</body>\n</html>\n");
    Ok(html)
}
