//! The instruments of the outreach model, as versioned definitions with their rules:
//! the Brøset Violence Checklist (Bilag 1A), the pre-screening against the target-group criteria
//! (002 L148–171), the stages of change (Bilag 1B) and the pilot's questionnaires
//! (`questionnaires`, 001 chapter 7).
//!
//! The phones render the items from `definitions()` and the centre scores with the same
//! functions, so a score means the same everywhere. Every stored result keeps the instrument
//! version, so a later version of an instrument never reinterprets an old record. Every Danish
//! text taken from a seed says where (`seed_texts`), and a test compares each with the seed.

pub mod questionnaires;

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::vocabulary::{
    BrosetItem, BurdenArea, Criterion, CriterionAnswer, Decision, Label, RiskBand, Stage,
};

pub const BROSET_VERSION: u32 = 1;
/// Version 2 (issue 14): each criterion and burden area met, not met or not known yet; version 1
/// knew only met or not (an unticked one was stored as not met, and still reads so).
pub const SCREENING_VERSION: u32 = 2;
/// Version 2 (issue 14): the seeds' stage texts, the scales with their anchors and objects, the
/// citizen's recovery goal, and the life-in-control and craving scales.
pub const STAGES_VERSION: u32 = 2;

/// How many high burden areas meet the complex-burden criterion (002 L155–157).
pub const COMPLEX_BURDEN_THRESHOLD: usize = 3;

/// How long a Brøset score describes: it predicts the next 24 hours (Bilag 1A).
pub const RISK_VALID_HOURS: i64 = 24;

/// The outcome of scoring a Brøset checklist.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct BrosetScore {
    pub score: u8,
    pub band: RiskBand,
    /// The action the instrument requires, in English (the code-stable `band` is for logic).
    pub action: String,
    pub plan_required: bool,
}

/// Scores the observed behaviours. Duplicates count once: an item is observed or it is not.
pub fn score_broset(observed: &[BrosetItem]) -> BrosetScore {
    let mut seen: Vec<BrosetItem> = observed.to_vec();
    seen.sort();
    seen.dedup();
    let score = seen.len() as u8;
    let band = band_for(score);
    BrosetScore {
        score,
        band,
        action: band_action(band).en,
        plan_required: band == RiskBand::High,
    }
}

pub fn band_for(score: u8) -> RiskBand {
    match score {
        0 => RiskBand::Low,
        1 | 2 => RiskBand::Moderate,
        _ => RiskBand::High,
    }
}

/// The action each band requires, in both languages (Bilag 1A). The low band has none: the
/// instrument prints only "Samlet score = 0 Lille risiko for vold" (002 L3759), so its action
/// is empty rather than words the seed does not have.
pub fn band_action(band: RiskBand) -> Label {
    let (da, en) = match band {
        RiskBand::Low => ("", ""),
        RiskBand::Moderate => ("Deeskalering igangsættes", "Start de-escalation"),
        RiskBand::High => (
            "Deeskalering SKAL igangsættes, og der skal være planer for, hvordan volden undgås",
            "De-escalation MUST start, and there must be a plan for how violence is avoided",
        ),
    };
    Label {
        code: band.code().to_string(),
        da: da.to_string(),
        en: en.to_string(),
    }
}

/// Checks the rule that a high score carries a plan. A plan of only whitespace is no plan.
pub fn check_broset(observed: &[BrosetItem], plan: Option<&str>) -> Result<BrosetScore> {
    let scored = score_broset(observed);
    let has_plan = plan.is_some_and(|p| !p.trim().is_empty());
    if scored.plan_required && !has_plan {
        return Err(Error::PlanRequired {
            score: scored.score,
        });
    }
    Ok(scored)
}

/// What the pre-screening criteria indicate. Only what is known is concluded: the complex-burden
/// criterion is met with three high areas, not met once fewer than three can be, and open
/// otherwise; the criteria indicate a decision only when none of the six is open.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct ScreeningAssessment {
    /// The complex-burden criterion (at least three high burden areas); `None` while open.
    pub complex_burden: Option<bool>,
    pub high_burden_count: u8,
    /// The criteria and burden areas not known yet.
    pub unknown_count: u8,
    /// All six criteria met; `None` while any of them is not known.
    pub indicated: Option<bool>,
    /// The decision the criteria point to: `in` when indicated, `outside` when not, and
    /// `undecided` while a criterion is not known.
    pub indicated_decision: Decision,
}

/// The answers of a screening, every criterion and area with one (an absent one is not known).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScreeningAnswers {
    pub criteria: BTreeMap<Criterion, CriterionAnswer>,
    pub areas: BTreeMap<BurdenArea, CriterionAnswer>,
}

impl ScreeningAnswers {
    /// From the lists a shell gives: what is met (high), what is not; the rest is not known.
    /// A criterion or area in both lists is refused.
    pub fn from_lists(
        met: &[Criterion],
        not_met: &[Criterion],
        high: &[BurdenArea],
        not_high: &[BurdenArea],
    ) -> Result<Self> {
        Ok(ScreeningAnswers {
            criteria: tri_state("criteria", Criterion::ALL, met, not_met)?,
            areas: tri_state("high_burden", BurdenArea::ALL, high, not_high)?,
        })
    }

    fn criterion(&self, c: Criterion) -> CriterionAnswer {
        self.criteria
            .get(&c)
            .copied()
            .unwrap_or(CriterionAnswer::Unknown)
    }

    fn count_areas(&self, answer: CriterionAnswer) -> usize {
        BurdenArea::ALL
            .iter()
            .filter(|a| {
                self.areas
                    .get(a)
                    .copied()
                    .unwrap_or(CriterionAnswer::Unknown)
                    == answer
            })
            .count()
    }
}

fn tri_state<T: Copy + Ord + std::fmt::Display>(
    field: &str,
    all: &[T],
    yes: &[T],
    no: &[T],
) -> Result<BTreeMap<T, CriterionAnswer>> {
    if let Some(both) = yes.iter().find(|v| no.contains(v)) {
        return Err(Error::invalid(
            field,
            format!("'{both}' is both met and not met"),
        ));
    }
    Ok(all
        .iter()
        .map(|v| {
            let answer = if yes.contains(v) {
                CriterionAnswer::Met
            } else if no.contains(v) {
                CriterionAnswer::NotMet
            } else {
                CriterionAnswer::Unknown
            };
            (*v, answer)
        })
        .collect())
}

pub fn assess_screening(answers: &ScreeningAnswers) -> ScreeningAssessment {
    let high = answers.count_areas(CriterionAnswer::Met);
    let open_areas = answers.count_areas(CriterionAnswer::Unknown);
    let complex_burden = if high >= COMPLEX_BURDEN_THRESHOLD {
        Some(true)
    } else if high + open_areas < COMPLEX_BURDEN_THRESHOLD {
        Some(false)
    } else {
        None
    };
    let open_criteria = Criterion::ALL
        .iter()
        .filter(|c| answers.criterion(**c) == CriterionAnswer::Unknown)
        .count();
    let indicated = match (complex_burden, open_criteria) {
        (Some(burden), 0) => Some(
            burden
                && Criterion::ALL
                    .iter()
                    .all(|c| answers.criterion(*c) == CriterionAnswer::Met),
        ),
        _ => None,
    };
    ScreeningAssessment {
        complex_burden,
        high_burden_count: high as u8,
        unknown_count: (open_criteria + open_areas) as u8,
        indicated,
        indicated_decision: match indicated {
            Some(true) => Decision::In,
            Some(false) => Decision::Outside,
            None => Decision::Undecided,
        },
    }
}

/// Checks the rule that a decision departing from what the criteria indicate carries a reason.
/// With every criterion known, `undecided` departs (the worker says why the criteria are not
/// enough); while one is not known, `in` and `outside` depart (the worker decided before the
/// criteria could).
pub fn check_screening(
    answers: &ScreeningAnswers,
    decision: Decision,
    reason: Option<&str>,
) -> Result<ScreeningAssessment> {
    let assessed = assess_screening(answers);
    let has_reason = reason.is_some_and(|r| !r.trim().is_empty());
    if decision != assessed.indicated_decision && !has_reason {
        return Err(Error::ReasonRequired {
            decision: decision.code().to_string(),
            indicated: match assessed.indicated {
                Some(true) => "in the target group",
                Some(false) => "not in the target group",
                None => "nothing yet: some criteria are not known",
            }
            .to_string(),
        });
    }
    Ok(assessed)
}

/// Checks an optional 0–10 scale answer (the stages' scales).
pub fn check_scale(field: &str, value: Option<u8>) -> Result<()> {
    match value {
        Some(v) if v > 10 => Err(Error::invalid(field, "must be between 0 and 10")),
        _ => Ok(()),
    }
}

/// Where a Danish text of an instrument stands in a seed: the document's number (`001`) and
/// its first and last line. The text must be found there, as printed (`seed_texts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedRef {
    pub doc: &'static str,
    pub from: u32,
    pub to: u32,
}

impl std::fmt::Display for SeedRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} L{}–{}", self.doc, self.from, self.to)
    }
}

const fn seed(doc: &'static str, from: u32, to: u32) -> SeedRef {
    SeedRef { doc, from, to }
}

/// One end of a scale, as the seed labels it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct ScaleAnchor {
    pub value: u8,
    pub da: String,
    pub en: String,
}

/// A scale question of the stages of change (version 2): its question as the seed prints it,
/// its range, and the anchors the seed gives (none where it prints none).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct ScaleDefinition {
    pub code: String,
    pub question_da: String,
    pub question_en: String,
    pub min: u8,
    pub max: u8,
    pub anchors: Vec<ScaleAnchor>,
    /// Where the seed prints it (`002 L1939–1940`).
    pub source: String,
    /// What the project added or the seed leaves open, if anything.
    pub note: Option<String>,
}

/// A scale's anchors as the code holds them (value, Danish, English), for the shells.
fn scale_anchors(anchors: &[(u8, &str, &str)]) -> Vec<ScaleAnchor> {
    anchors
        .iter()
        .map(|(value, da, en)| ScaleAnchor {
            value: *value,
            da: (*da).into(),
            en: (*en).into(),
        })
        .collect()
}

struct ScaleText {
    code: &'static str,
    da: &'static str,
    en: &'static str,
    anchors: &'static [(u8, &'static str, &'static str)],
    source: SeedRef,
    note: Option<&'static str>,
}

/// The four 0–10 scales of version 2, in the order the seed asks them (002 L1937–1943, then
/// the importance of the citizen's own recovery goal, L2097–2098).
const STAGE_SCALES: [ScaleText; 4] = [
    ScaleText {
        code: "life-control",
        da: "På en skala fra 0-10, hvor 0 er, at dit liv falder sammen, og 10 er, at du har styr på det, hvor er du så?",
        en: "On a scale from 0 to 10, where 0 is your life falling apart and 10 is having it under control, where are you?",
        anchors: &[
            (0, "dit liv falder sammen", "your life is falling apart"),
            (10, "du har styr på det", "you have it under control"),
        ],
        source: seed("002", 1939, 1940),
        note: None,
    },
    ScaleText {
        code: "confidence",
        da: "Hvor overbevist er du om, at du kan stabilisere eller reducere dit misbrug?",
        en: "How convinced are you that you can stabilise or reduce your drug use?",
        anchors: &[],
        source: seed("002", 1942, 1942),
        note: Some("The seed asks it among its 0–10 scale questions but prints no anchors for it."),
    },
    ScaleText {
        code: "craving",
        da: "Hvor meget trang har du?",
        en: "How much craving do you have?",
        anchors: &[],
        source: seed("002", 1943, 1943),
        note: Some("The seed asks it among its 0–10 scale questions but prints no anchors for it."),
    },
    ScaleText {
        code: "importance",
        da: "Spørg på en skala fra 0-10, hvor 0 betyder ”lige meget” og 10 ”utroligt vigtigt”, hvor vigtigt er det så for dig, at (mål for recovery)?",
        en: "Ask on a scale from 0 to 10, where 0 means \"doesn't matter\" and 10 \"incredibly important\": how important is it to you that (recovery goal)?",
        anchors: &[
            (0, "lige meget", "doesn't matter"),
            (10, "utroligt vigtigt", "incredibly important"),
        ],
        source: seed("002", 2097, 2098),
        note: Some(
            "(mål for recovery) is the citizen's own recovery goal, recorded beside the answer.",
        ),
    },
];

fn scale_definition(s: &ScaleText) -> ScaleDefinition {
    ScaleDefinition {
        code: s.code.into(),
        question_da: s.da.into(),
        question_en: s.en.into(),
        min: 0,
        max: 10,
        anchors: scale_anchors(s.anchors),
        source: s.source.to_string(),
        note: s.note.map(Into::into),
    }
}

/// One item of an instrument as the shells render it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct InstrumentItem {
    pub code: String,
    pub da: String,
    pub en: String,
    pub definition_da: String,
    pub definition_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct BandDefinition {
    pub band: RiskBand,
    pub min_score: u8,
    pub max_score: u8,
    pub label: Label,
    pub action: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct BrosetDefinition {
    pub version: u32,
    pub name: Label,
    pub purpose: Label,
    pub valid_hours: u32,
    pub items: Vec<InstrumentItem>,
    pub bands: Vec<BandDefinition>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct ScreeningDefinition {
    pub version: u32,
    pub name: Label,
    pub criteria: Vec<Label>,
    pub complex_burden: Label,
    pub complex_burden_threshold: u32,
    pub burden_areas: Vec<Label>,
    pub decisions: Vec<Label>,
    pub referral_kinds: Vec<Label>,
    /// Met, not met, not known yet: the answers each criterion and area takes.
    pub answers: Vec<Label>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct StagesDefinition {
    pub version: u32,
    pub name: Label,
    pub stages: Vec<InstrumentItem>,
    pub scales: Vec<ScaleDefinition>,
    /// The stages' texts as version 1 showed them, for an assessment recorded on it (the names
    /// are the same stages; relapse and high readiness were abridged).
    pub version_1_stages: Vec<InstrumentItem>,
}

/// Every instrument and vocabulary the shells render, in Danish and English.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct Instruments {
    pub broset: BrosetDefinition,
    pub screening: ScreeningDefinition,
    pub stages: StagesDefinition,
    pub questionnaires: Vec<questionnaires::QuestionnaireDefinition>,
    pub place_kinds: Vec<Label>,
    pub contact_kinds: Vec<Label>,
    pub meeting_kinds: Vec<Label>,
    pub outcomes: Vec<Label>,
    pub course: CourseVocabularies,
    pub safety: SafetyVocabularies,
}

/// The vocabularies of the workers' safety and the team's map (issue 15), each in the order of
/// its enum (a shell finds an enum value's label at its ordinal).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct SafetyVocabularies {
    pub checkin_reasons: Vec<Label>,
    pub escalation_levels: Vec<Label>,
    pub alert_kinds: Vec<Label>,
    pub incident_kinds: Vec<Label>,
    pub safety_warnings: Vec<Label>,
    pub visit_rules: Vec<Label>,
    pub area_priorities: Vec<Label>,
    pub weekdays: Vec<Label>,
    pub coverage_states: Vec<Label>,
}

/// The course's vocabularies, each in the order of its enum (a shell finds an enum value's label
/// at its ordinal).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct CourseVocabularies {
    pub found_via: Vec<Label>,
    pub attachment_treatment: Vec<Label>,
    pub attachment_substitution: Vec<Label>,
    pub attachment_services: Vec<Label>,
    pub phases: Vec<Label>,
    pub close_reasons: Vec<Label>,
    pub treatment_statuses: Vec<Label>,
    /// Bridge-building's words (issue 18: the phones record every step, and an iOS draft had
    /// copied these lists into the shell).
    pub visitation_kinds: Vec<Label>,
    pub visitation_results: Vec<Label>,
    pub treatment_intensities: Vec<Label>,
    pub contact_intensities: Vec<Label>,
    pub bridge_services: Vec<Label>,
    pub bridge_statuses: Vec<Label>,
    pub network_roles: Vec<Label>,
    pub consent_forms: Vec<Label>,
    pub goal_kinds: Vec<Label>,
    pub goal_reached: Vec<Label>,
}

fn label(code: &str, da: &str, en: &str) -> Label {
    Label {
        code: code.to_string(),
        da: da.to_string(),
        en: en.to_string(),
    }
}

fn broset_definition(item: BrosetItem) -> (&'static str, &'static str) {
    match item {
        BrosetItem::Confusion => (
            "Opfører sig åbenbart forvirret og desorienteret. Kan hænde, at borgeren ikke er orienteret om tid og sted samt person.",
            "Obviously confused and disoriented; may not be oriented to time, place and person.",
        ),
        BrosetItem::Irritability => (
            "Bliver let irriteret, taler dårligt i andres tilstedeværelse.",
            "Easily irritated; speaks ill of others in their presence.",
        ),
        BrosetItem::Boisterousness => (
            "Viser en åbenbar og vredladen adfærd, f.eks. smækker med døren, råber i stedet for at tale osv.",
            "Overtly loud or angry behaviour, e.g. slamming doors, shouting instead of talking.",
        ),
        BrosetItem::PhysicalThreats => (
            "Viser med tydelig kropsprog, at hensigten er at true en anden person, eksempelvis en aggressiv kropsholdning, griber fat i en anden persons tøj, løfter og truer med knyttet næve osv.",
            "Clear body language meant to threaten a person: aggressive posture, grabbing clothes, raised clenched fist.",
        ),
        BrosetItem::VerbalThreats => (
            "Foretager et verbalt udbrud som er mere end bare at hæve stemmen og har til hensigt at ydmyge eller skræmme en anden person.",
            "A verbal outburst, more than a raised voice, meant to humiliate or frighten another person.",
        ),
        BrosetItem::AttacksOnObjects => (
            "Foretager et direkte angreb på ting eller genstande og ikke en person. Borgeren slår på eller knuser et vindue, slår eller skader en genstand eller slår et møbel i stykker.",
            "A direct attack on an object, not a person: hitting or breaking a window, damaging an object, smashing furniture.",
        ),
    }
}

/// The stages' texts as the seed prints them: the figure of the circle of change (002 L566–594,
/// again in Bilag 1B, L3789–3815), the three texts of high readiness joined.
fn stage_definition(stage: Stage) -> (&'static str, &'static str) {
    match stage {
        Stage::Precontemplation => (
            "Tænker ikke, at der er et problem, eller overvejer ikke at ændre på det.",
            "Does not see a problem, or does not consider changing it.",
        ),
        Stage::Contemplation => (
            "Ambivalens og overvejelse af fordele og ulemper ved ændring samt troen på, at det kan lade sig gøre.",
            "Ambivalence; weighs the pros and cons of change and whether it can be done.",
        ),
        Stage::Action => (
            "Forbereder ændring: Erkender et problem og er motiveret for at gøre noget ved det. Påbegynder ændring: Ved hvad der skal gøres for at ændre en ting, og foretager ændringen. Får evt. positive oplevelser med ændringen. Vedligeholder ændring: Fastholder sig selv i det nye mønster, oplever flere handlemuligheder og er i stand til at fokusere på det gode ved ændringen.",
            "Preparing change: recognises a problem and is motivated to do something about it. Making the change: knows what to do to change something, and does it; may have good experiences of the change. Maintaining the change: holds on to the new pattern, sees more ways to act and can focus on the good of the change.",
        ),
        Stage::Relapse => (
            "Mister motivationen, overvejer at falde tilbage i det gamle mønster igen, gør det evt. og ryger måske tilbage til overvejelsesstadiet igen.",
            "Loses motivation, considers falling back into the old pattern, may do so, and may fall back to contemplation.",
        ),
    }
}

/// The texts version 1 showed (the project's abridgements), kept for its records.
fn stage_definition_v1(stage: Stage) -> (&'static str, &'static str) {
    match stage {
        Stage::Action => (
            "Erkender et problem og er motiveret; ved hvad der skal gøres og foretager ændringen; fastholder sig selv i det nye mønster.",
            "Recognises a problem and is motivated; knows what to do and makes the change; holds on to the new pattern.",
        ),
        Stage::Relapse => (
            "Tilbagefald til tidligere mønster.",
            "Falls back into the earlier pattern.",
        ),
        Stage::Precontemplation | Stage::Contemplation => stage_definition(stage),
    }
}

fn stage_source(stage: Stage) -> SeedRef {
    match stage {
        Stage::Precontemplation => seed("002", 3789, 3791),
        Stage::Contemplation => seed("002", 3793, 3797),
        Stage::Action => seed("002", 3799, 3815),
        Stage::Relapse => seed("002", 590, 594),
    }
}

/// Every Danish text of the instruments that is taken from a seed, with where: what the test
/// `seed_texts_are_the_seeds` compares with the documents line by line.
pub fn seed_texts() -> Vec<(String, SeedRef)> {
    let mut texts: Vec<(String, SeedRef)> = Vec::new();
    for item in BrosetItem::ALL {
        texts.push((item.label().da, seed("002", 3709, 3738)));
        texts.push((
            broset_definition(*item).0.to_string(),
            seed("002", 3709, 3742),
        ));
    }
    texts.push(("Lille risiko for vold".into(), seed("002", 3759, 3759)));
    texts.push((
        Criterion::BurdenedSituation.label().da,
        seed("002", 168, 171),
    ));
    for stage in Stage::ALL {
        texts.push((stage_definition(*stage).0.to_string(), stage_source(*stage)));
        let name = stage.label().da;
        texts.push((name, seed("002", 614, 631)));
    }
    for scale in &STAGE_SCALES {
        texts.push((scale.da.to_string(), scale.source));
        for (_, anchor, _) in scale.anchors {
            texts.push((anchor.to_string(), scale.source));
        }
    }
    // The vocabulary's words that are the seed's as printed.
    texts.push((
        crate::vocabulary::PlaceKind::Education.label().da,
        seed("001", 1847, 1848),
    ));
    texts.push((
        crate::vocabulary::MeetingKind::VisitationConference
            .label()
            .da,
        seed("002", 2189, 2190),
    ));
    texts.push((
        crate::vocabulary::ContactIntensity::AdHoc.label().da,
        seed("004", 967, 968),
    ));
    texts.extend(questionnaires::seed_texts());
    texts
}

fn instrument_item(label: Label, (definition_da, definition_en): (&str, &str)) -> InstrumentItem {
    InstrumentItem {
        code: label.code,
        da: label.da,
        en: label.en,
        definition_da: definition_da.into(),
        definition_en: definition_en.into(),
    }
}

pub fn definitions() -> Instruments {
    let broset_items = BrosetItem::ALL
        .iter()
        .map(|&item| instrument_item(item.label(), broset_definition(item)))
        .collect();
    let bands = [
        (RiskBand::Low, 0, 0),
        (RiskBand::Moderate, 1, 2),
        (RiskBand::High, 3, 6),
    ]
    .into_iter()
    .map(|(band, min_score, max_score)| BandDefinition {
        band,
        min_score,
        max_score,
        label: band.label(),
        action: band_action(band),
    })
    .collect();
    let stages = Stage::ALL
        .iter()
        .map(|&stage| instrument_item(stage.label(), stage_definition(stage)))
        .collect();
    Instruments {
        broset: BrosetDefinition {
            version: BROSET_VERSION,
            name: label(
                "broset",
                "Brøset Violence Checklist (risikovurdering)",
                "Brøset Violence Checklist (risk assessment)",
            ),
            purpose: label(
                "purpose",
                "Forudsiger risiko for voldelig adfærd inden for det kommende døgn. Udfyldes før kontakt til borgeren; 0 = ikke til stede, 1 = observeret.",
                "Predicts the risk of violent behaviour within the next 24 hours. Scored before contacting the citizen; 0 = not present, 1 = observed.",
            ),
            valid_hours: RISK_VALID_HOURS as u32,
            items: broset_items,
            bands,
        },
        screening: ScreeningDefinition {
            version: SCREENING_VERSION,
            name: label(
                "screening",
                "Forscreening: kriterier for målgruppen",
                "Pre-screening: target-group criteria",
            ),
            criteria: Criterion::labels(),
            complex_burden: label(
                "complex-burden",
                "Komplekse problemer og høj belastningsgrad på mindst tre af fem områder",
                "Complex problems with a high burden in at least three of five areas",
            ),
            complex_burden_threshold: COMPLEX_BURDEN_THRESHOLD as u32,
            burden_areas: BurdenArea::labels(),
            decisions: Decision::labels(),
            referral_kinds: crate::vocabulary::ReferralKind::labels(),
            answers: CriterionAnswer::labels(),
        },
        stages: StagesDefinition {
            version: STAGES_VERSION,
            name: label(
                "stages",
                "Forandringscirklen (parathed)",
                "Stages of change (readiness)",
            ),
            stages,
            scales: STAGE_SCALES.iter().map(scale_definition).collect(),
            version_1_stages: Stage::ALL
                .iter()
                .map(|&stage| instrument_item(stage.label(), stage_definition_v1(stage)))
                .collect(),
        },
        questionnaires: questionnaires::definitions(),
        place_kinds: crate::vocabulary::PlaceKind::labels(),
        contact_kinds: crate::vocabulary::ContactKind::labels(),
        meeting_kinds: crate::vocabulary::MeetingKind::labels(),
        outcomes: crate::vocabulary::Outcome::labels(),
        course: CourseVocabularies {
            found_via: crate::vocabulary::FoundVia::labels(),
            attachment_treatment: crate::vocabulary::TreatmentAttachment::labels(),
            attachment_substitution: crate::vocabulary::SubstitutionAttachment::labels(),
            attachment_services: crate::vocabulary::ServicesAttachment::labels(),
            phases: crate::vocabulary::CoursePhase::labels(),
            close_reasons: crate::vocabulary::CloseReason::labels(),
            treatment_statuses: crate::vocabulary::TreatmentStatus::labels(),
            visitation_kinds: crate::vocabulary::VisitationKind::labels(),
            visitation_results: crate::vocabulary::VisitationResult::labels(),
            treatment_intensities: crate::vocabulary::TreatmentIntensity::labels(),
            contact_intensities: crate::vocabulary::ContactIntensity::labels(),
            bridge_services: crate::vocabulary::BridgeService::labels(),
            bridge_statuses: crate::vocabulary::BridgeStatus::labels(),
            network_roles: crate::vocabulary::NetworkRole::labels(),
            consent_forms: crate::vocabulary::ConsentForm::labels(),
            goal_kinds: crate::vocabulary::GoalKind::labels(),
            goal_reached: crate::vocabulary::GoalReached::labels(),
        },
        safety: SafetyVocabularies {
            checkin_reasons: crate::vocabulary::CheckinReason::labels(),
            escalation_levels: crate::vocabulary::EscalationLevel::labels(),
            alert_kinds: crate::vocabulary::AlertKind::labels(),
            incident_kinds: crate::vocabulary::IncidentKind::labels(),
            safety_warnings: crate::vocabulary::SafetyWarning::labels(),
            visit_rules: crate::vocabulary::VisitRule::labels(),
            area_priorities: crate::vocabulary::AreaPriority::labels(),
            weekdays: crate::vocabulary::Weekday::labels(),
            coverage_states: crate::vocabulary::CoverageState::labels(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subset(mask: u32) -> Vec<BrosetItem> {
        BrosetItem::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, &it)| it)
            .collect()
    }

    /// All 64 answer combinations: the score is the number observed, the band follows the
    /// instrument's table, and only high scores demand a plan.
    #[test]
    fn all_64_broset_combinations() {
        for mask in 0u32..64 {
            let items = subset(mask);
            let s = score_broset(&items);
            assert_eq!(s.score as u32, mask.count_ones());
            let expected = match mask.count_ones() {
                0 => RiskBand::Low,
                1 | 2 => RiskBand::Moderate,
                _ => RiskBand::High,
            };
            assert_eq!(s.band, expected, "mask {mask:06b}");
            assert_eq!(s.plan_required, expected == RiskBand::High);
            match expected {
                RiskBand::High => {
                    assert_eq!(
                        check_broset(&items, None),
                        Err(Error::PlanRequired { score: s.score })
                    );
                    assert!(
                        check_broset(&items, Some("   ")).is_err(),
                        "blank plan is no plan"
                    );
                    assert!(check_broset(&items, Some("stay by the exit")).is_ok());
                    assert!(s.action.contains("plan"));
                }
                RiskBand::Moderate => {
                    assert!(check_broset(&items, None).is_ok());
                    assert!(s.action.contains("de-escalation"));
                }
                RiskBand::Low => assert!(check_broset(&items, None).is_ok()),
            }
        }
    }

    #[test]
    fn repeated_items_count_once() {
        let s = score_broset(&[
            BrosetItem::Confusion,
            BrosetItem::Confusion,
            BrosetItem::Irritability,
        ]);
        assert_eq!(s.score, 2);
    }

    /// Answers with every criterion met or not (`met`), and the areas high (`high`) or not:
    /// version 1's two states.
    fn known(met: &[Criterion], high: &[BurdenArea]) -> ScreeningAnswers {
        let not_met: Vec<_> = Criterion::ALL
            .iter()
            .copied()
            .filter(|c| !met.contains(c))
            .collect();
        let low: Vec<_> = BurdenArea::ALL
            .iter()
            .copied()
            .filter(|a| !high.contains(a))
            .collect();
        ScreeningAnswers::from_lists(met, &not_met, high, &low).unwrap()
    }

    const THREE: [BurdenArea; 3] = [
        BurdenArea::Crime,
        BurdenArea::Economy,
        BurdenArea::MentalHealth,
    ];

    #[test]
    fn complex_burden_needs_three_areas() {
        let two = [BurdenArea::Crime, BurdenArea::Economy];
        let all = Criterion::ALL;
        assert_eq!(
            assess_screening(&known(all, &two)).complex_burden,
            Some(false)
        );
        assert_eq!(assess_screening(&known(all, &two)).indicated, Some(false));
        assert_eq!(
            assess_screening(&known(all, &THREE)).complex_burden,
            Some(true)
        );
        assert_eq!(assess_screening(&known(all, &THREE)).indicated, Some(true));
        // Naming an area twice does not make it two areas.
        let dup = [BurdenArea::Crime, BurdenArea::Crime, BurdenArea::Economy];
        assert_eq!(
            assess_screening(&known(all, &dup)).complex_burden,
            Some(false)
        );
    }

    #[test]
    fn every_criterion_is_needed() {
        for missing in Criterion::ALL {
            let some: Vec<_> = Criterion::ALL
                .iter()
                .copied()
                .filter(|c| c != missing)
                .collect();
            assert_eq!(
                assess_screening(&known(&some, &THREE)).indicated,
                Some(false),
                "{missing} not met"
            );
        }
    }

    /// Nothing is concluded from what is not known: a criterion not known leaves the indication
    /// open; the complex burden is concluded as soon as the known areas settle it either way.
    #[test]
    fn what_is_not_known_is_not_concluded() {
        let all = Criterion::ALL;
        let open = ScreeningAnswers::from_lists(&all[..4], &[], &THREE, &[]).unwrap();
        let a = assess_screening(&open);
        assert_eq!(a.complex_burden, Some(true), "three high settle it");
        assert_eq!(a.indicated, None, "one criterion and two areas open");
        assert_eq!(a.unknown_count, 3);
        assert_eq!(a.indicated_decision, Decision::Undecided);
        let two_high = ScreeningAnswers::from_lists(all, &[], &THREE[..2], &[]).unwrap();
        assert_eq!(assess_screening(&two_high).complex_burden, None);
        let two_high_two_low = ScreeningAnswers::from_lists(
            all,
            &[],
            &THREE[..2],
            &[BurdenArea::FamilySocial, BurdenArea::PhysicalHealth],
        )
        .unwrap();
        assert_eq!(
            assess_screening(&two_high_two_low).complex_burden,
            None,
            "one open area could make three"
        );
        let three_low = ScreeningAnswers::from_lists(all, &[], &[], &THREE).unwrap();
        let a = assess_screening(&three_low);
        assert_eq!(a.complex_burden, Some(false), "at most two can be high");
        assert_eq!(a.indicated, Some(false));
        assert_eq!(a.indicated_decision, Decision::Outside);
        let nothing = assess_screening(&ScreeningAnswers::default());
        assert_eq!((nothing.indicated, nothing.unknown_count), (None, 10));
        assert!(
            ScreeningAnswers::from_lists(&all[..1], &all[..1], &[], &[]).is_err(),
            "met and not met"
        );
    }

    #[test]
    fn departures_need_reasons() {
        let all = Criterion::ALL;
        // Indicated: `in` needs no reason; `outside` and `undecided` do.
        assert!(check_screening(&known(all, &THREE), Decision::In, None).is_ok());
        for d in [Decision::Outside, Decision::Undecided] {
            assert!(matches!(
                check_screening(&known(all, &THREE), d, None),
                Err(Error::ReasonRequired { .. })
            ));
            assert!(check_screening(&known(all, &THREE), d, Some("")).is_err());
            assert!(
                check_screening(&known(all, &THREE), d, Some("known to shelter staff")).is_ok()
            );
        }
        // Not indicated: `outside` needs no reason; `in` and `undecided` do.
        assert!(check_screening(&known(&[], &[]), Decision::Outside, None).is_ok());
        for d in [Decision::In, Decision::Undecided] {
            assert!(check_screening(&known(&[], &[]), d, None).is_err());
            assert!(
                check_screening(&known(&[], &[]), d, Some("judged in at case conference")).is_ok()
            );
        }
        // Not known yet: `undecided` needs no reason; deciding before the criteria do does.
        let open = ScreeningAnswers::default();
        assert!(check_screening(&open, Decision::Undecided, None).is_ok());
        for d in [Decision::In, Decision::Outside] {
            assert!(check_screening(&open, d, None).is_err());
            assert!(check_screening(&open, d, Some("the team knows him well")).is_ok());
        }
    }

    #[test]
    fn definitions_cover_every_item_in_both_languages() {
        let defs = definitions();
        assert_eq!(defs.broset.items.len(), 6);
        assert!(
            defs.broset
                .items
                .iter()
                .all(|i| !i.da.is_empty() && !i.en.is_empty() && !i.definition_da.is_empty())
        );
        assert_eq!(
            defs.broset
                .bands
                .iter()
                .map(|b| b.max_score - b.min_score + 1)
                .sum::<u8>(),
            7
        );
        assert_eq!(defs.screening.criteria.len(), 5);
        assert_eq!(defs.screening.burden_areas.len(), 5);
        assert_eq!(defs.stages.stages.len(), 4);
        assert_eq!(defs.place_kinds.len(), 15);
        assert_eq!(defs.stages.scales.len(), 4);
        assert_eq!(defs.questionnaires.len(), 4);
        assert!(
            defs.broset.bands[0].action.da.is_empty(),
            "Bilag 1A gives the low band no action"
        );
    }

    #[test]
    fn scales_are_zero_to_ten() {
        assert!(check_scale("importance", Some(0)).is_ok());
        assert!(check_scale("importance", Some(10)).is_ok());
        assert!(check_scale("importance", Some(11)).is_err());
        assert!(check_scale("importance", None).is_ok());
    }
}
