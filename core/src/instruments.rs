//! The instruments of the outreach model, as versioned definitions with their rules:
//! the Brøset Violence Checklist (Bilag 1A), the pre-screening against the target-group criteria
//! (002 L148–171) and the stages of change (Bilag 1B).
//!
//! The phones render the items from `definitions()` and the centre scores with the same
//! functions, so a score means the same everywhere. Every stored result keeps the instrument
//! version, so a later version of an instrument never reinterprets an old record.

use crate::error::{Error, Result};
use crate::vocabulary::{BrosetItem, BurdenArea, Criterion, Decision, Label, RiskBand, Stage};

pub const BROSET_VERSION: u32 = 1;
pub const SCREENING_VERSION: u32 = 1;
pub const STAGES_VERSION: u32 = 1;

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

/// The action each band requires, in both languages (Bilag 1A).
pub fn band_action(band: RiskBand) -> Label {
    let (da, en) = match band {
        RiskBand::Low => ("Ingen særlig handling", "No action required"),
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

/// What the pre-screening criteria indicate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct ScreeningAssessment {
    /// The complex-burden criterion: at least three high burden areas.
    pub complex_burden: bool,
    pub high_burden_count: u8,
    /// All six criteria met: the citizen is indicated for the target group.
    pub indicated: bool,
    /// The decision the criteria point to (`in` when indicated, otherwise `outside`).
    pub indicated_decision: Decision,
}

pub fn assess_screening(criteria: &[Criterion], high_burden: &[BurdenArea]) -> ScreeningAssessment {
    let mut areas = high_burden.to_vec();
    areas.sort();
    areas.dedup();
    let complex_burden = areas.len() >= COMPLEX_BURDEN_THRESHOLD;
    let indicated = complex_burden && Criterion::ALL.iter().all(|c| criteria.contains(c));
    ScreeningAssessment {
        complex_burden,
        high_burden_count: areas.len() as u8,
        indicated,
        indicated_decision: if indicated {
            Decision::In
        } else {
            Decision::Outside
        },
    }
}

/// Checks the rule that a decision departing from the criteria carries a reason. `undecided` is
/// always a departure: the worker says why the criteria are not enough to decide on.
pub fn check_screening(
    criteria: &[Criterion],
    high_burden: &[BurdenArea],
    decision: Decision,
    reason: Option<&str>,
) -> Result<ScreeningAssessment> {
    let assessed = assess_screening(criteria, high_burden);
    let has_reason = reason.is_some_and(|r| !r.trim().is_empty());
    if decision != assessed.indicated_decision && !has_reason {
        return Err(Error::ReasonRequired {
            decision: decision.code().to_string(),
            indicated: if assessed.indicated {
                "in the target group"
            } else {
                "not in the target group"
            }
            .to_string(),
        });
    }
    Ok(assessed)
}

/// Checks an optional 0–10 scale answer (importance, confidence).
pub fn check_scale(field: &str, value: Option<u8>) -> Result<()> {
    match value {
        Some(v) if v > 10 => Err(Error::invalid(field, "must be between 0 and 10")),
        _ => Ok(()),
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
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct StagesDefinition {
    pub version: u32,
    pub name: Label,
    pub stages: Vec<InstrumentItem>,
    pub scales: Vec<Label>,
}

/// Every instrument and vocabulary the shells render, in Danish and English.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct Instruments {
    pub broset: BrosetDefinition,
    pub screening: ScreeningDefinition,
    pub stages: StagesDefinition,
    pub place_kinds: Vec<Label>,
    pub contact_kinds: Vec<Label>,
    pub outcomes: Vec<Label>,
    pub course: CourseVocabularies,
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
            "Erkender et problem og er motiveret; ved hvad der skal gøres og foretager ændringen; fastholder sig selv i det nye mønster.",
            "Recognises a problem and is motivated; knows what to do and makes the change; holds on to the new pattern.",
        ),
        Stage::Relapse => (
            "Tilbagefald til tidligere mønster.",
            "Falls back into the earlier pattern.",
        ),
    }
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
        },
        stages: StagesDefinition {
            version: STAGES_VERSION,
            name: label(
                "stages",
                "Forandringscirklen (parathed)",
                "Stages of change (readiness)",
            ),
            stages,
            scales: vec![
                label(
                    "importance",
                    "Hvor vigtigt er det for dig at ændre? (0–10)",
                    "How important is change to you? (0–10)",
                ),
                label(
                    "confidence",
                    "Hvor sikker er du på, at du kan? (0–10)",
                    "How confident are you that you can? (0–10)",
                ),
            ],
        },
        place_kinds: crate::vocabulary::PlaceKind::labels(),
        contact_kinds: crate::vocabulary::ContactKind::labels(),
        outcomes: crate::vocabulary::Outcome::labels(),
        course: CourseVocabularies {
            found_via: crate::vocabulary::FoundVia::labels(),
            attachment_treatment: crate::vocabulary::TreatmentAttachment::labels(),
            attachment_substitution: crate::vocabulary::SubstitutionAttachment::labels(),
            attachment_services: crate::vocabulary::ServicesAttachment::labels(),
            phases: crate::vocabulary::CoursePhase::labels(),
            close_reasons: crate::vocabulary::CloseReason::labels(),
            treatment_statuses: crate::vocabulary::TreatmentStatus::labels(),
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

    const ALL_FIVE: [Criterion; 5] = [
        Criterion::Section101,
        Criterion::DrugUse,
        Criterion::LimitedTreatmentUse,
        Criterion::MultiSystemNeed,
        Criterion::BurdenedSituation,
    ];

    #[test]
    fn complex_burden_needs_three_areas() {
        let two = [BurdenArea::Crime, BurdenArea::Economy];
        let three = [
            BurdenArea::Crime,
            BurdenArea::Economy,
            BurdenArea::MentalHealth,
        ];
        assert!(!assess_screening(&ALL_FIVE, &two).complex_burden);
        assert!(!assess_screening(&ALL_FIVE, &two).indicated);
        assert!(assess_screening(&ALL_FIVE, &three).complex_burden);
        assert!(assess_screening(&ALL_FIVE, &three).indicated);
        // Naming an area twice does not make it two areas.
        let dup = [BurdenArea::Crime, BurdenArea::Crime, BurdenArea::Economy];
        assert!(!assess_screening(&ALL_FIVE, &dup).complex_burden);
    }

    #[test]
    fn every_criterion_is_needed() {
        let three = [
            BurdenArea::Crime,
            BurdenArea::Economy,
            BurdenArea::MentalHealth,
        ];
        for missing in ALL_FIVE {
            let some: Vec<_> = ALL_FIVE.iter().copied().filter(|c| *c != missing).collect();
            assert!(
                !assess_screening(&some, &three).indicated,
                "{missing} missing"
            );
        }
    }

    #[test]
    fn departures_need_reasons() {
        let three = [
            BurdenArea::Crime,
            BurdenArea::Economy,
            BurdenArea::MentalHealth,
        ];
        // Indicated: `in` needs no reason; `outside` and `undecided` do.
        assert!(check_screening(&ALL_FIVE, &three, Decision::In, None).is_ok());
        for d in [Decision::Outside, Decision::Undecided] {
            assert!(matches!(
                check_screening(&ALL_FIVE, &three, d, None),
                Err(Error::ReasonRequired { .. })
            ));
            assert!(check_screening(&ALL_FIVE, &three, d, Some("")).is_err());
            assert!(check_screening(&ALL_FIVE, &three, d, Some("known to shelter staff")).is_ok());
        }
        // Not indicated: `outside` needs no reason; `in` and `undecided` do.
        assert!(check_screening(&[], &[], Decision::Outside, None).is_ok());
        for d in [Decision::In, Decision::Undecided] {
            assert!(check_screening(&[], &[], d, None).is_err());
            assert!(check_screening(&[], &[], d, Some("judged in at case conference")).is_ok());
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
        assert_eq!(defs.place_kinds.len(), 11);
    }

    #[test]
    fn scales_are_zero_to_ten() {
        assert!(check_scale("importance", Some(0)).is_ok());
        assert!(check_scale("importance", Some(10)).is_ok());
        assert!(check_scale("importance", Some(11)).is_err());
        assert!(check_scale("importance", None).is_ok());
    }
}
