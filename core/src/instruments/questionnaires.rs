//! The pilot's questionnaires (001 chapter 7), as versioned instruments: motivation at the start
//! and end of motivation work (Tabel 7-1), and the drug situation and physical and mental health
//! before treatment and three months after it started (Tabel 7-2, 7-3). Items, scales and keying
//! are the report's as printed, each with its lines; where the report prints no anchor or no
//! wording, the definition says so instead of inventing one.
//!
//! The rules of a recorded questionnaire (`check_answers`) and the summaries of a citizen's
//! baseline against follow-up (`compare`) live here, so the phones and the centre read a change
//! the same way.

use crate::error::{Error, Result};
use crate::vocabulary::{Label, vocabulary};

use super::{ScaleAnchor, SeedRef, seed};

/// Every questionnaire is at version 1; a later wording is a new version, and a record keeps
/// the version it was answered on.
pub const QUESTIONNAIRE_VERSION: u32 = 1;

/// How long after treatment started the follow-up of the health questionnaires is due
/// ("tre måneder efter igangsættelse af stofmisbrugsbehandling", 001 L3100–3101).
pub const FOLLOW_UP_MONTHS: u32 = 3;

/// How long after treatment started a follow-up not taken counts as missed, and is no longer
/// listed as due *(the project's choice: three months past its moment)*.
pub const FOLLOW_UP_MISSED_MONTHS: u32 = 6;

vocabulary! {
    /// The four questionnaires, named by the report's tables (001 L2885, L3117, L3216–3218).
    Questionnaire, "instrument" {
        Motivation = "motivation", "Borgernes motivation", "Motivation";
        DrugSituation = "drug-situation", "Borgerens generelle misbrugssituation", "Drug situation";
        PhysicalHealth = "physical-health", "Fysiske problemer", "Physical problems";
        MentalHealth = "mental-health", "Psykiske problemer", "Mental problems";
    }
}

vocabulary! {
    /// When a questionnaire was answered: the report's "Førmåling" and "Eftermåling"
    /// (001 L2885–2892).
    Occasion, "occasion" {
        Baseline = "baseline", "Førmåling", "Baseline";
        FollowUp = "follow-up", "Eftermåling", "Follow-up";
    }
}

vocabulary! {
    /// Which way of an item's change is progress: the report's reading of its own tables
    /// (001 L2963–2965 for the reversed motivation item; fewer problem days and less worry,
    /// L3276–3281). For the importance of treatment the report says neither.
    ProgressDirection, "direction" {
        Higher = "higher", "Højere er fremgang", "Higher is progress";
        Lower = "lower", "Lavere er fremgang", "Lower is progress";
        NotStated = "not-stated", "Kilden siger ikke, hvilken vej er fremgang", "The source does not say which way is progress";
    }
}

impl Questionnaire {
    /// The phase of work it measures: motivation work, or the treatment it bridges into.
    pub fn measures_motivation(self) -> bool {
        match self {
            Questionnaire::Motivation => true,
            Questionnaire::DrugSituation
            | Questionnaire::PhysicalHealth
            | Questionnaire::MentalHealth => false,
        }
    }

    pub fn items(self) -> &'static [ItemText] {
        match self {
            Questionnaire::Motivation => &MOTIVATION,
            Questionnaire::DrugSituation => &DRUG_SITUATION,
            Questionnaire::PhysicalHealth => &PHYSICAL,
            Questionnaire::MentalHealth => &MENTAL,
        }
    }

    fn text(self) -> QuestionnaireText {
        match self {
            Questionnaire::Motivation => QuestionnaireText {
                question: Some((
                    "Hvor enig er du i følgende udsagn?",
                    "How much do you agree with the following statements?",
                )),
                source: seed("001", 2885, 2947),
                when_da: "Ved opstart og afslutning af motivationsarbejdet",
                when_en: "At the start and at the end of motivation work",
                when_source: seed("001", 2876, 2877),
            },
            Questionnaire::DrugSituation => QuestionnaireText {
                question: None,
                source: seed("001", 3117, 3143),
                when_da: "Før og tre måneder efter igangsættelse af stofmisbrugsbehandling",
                when_en: "Before, and three months after, drug treatment started",
                when_source: seed("001", 3100, 3101),
            },
            Questionnaire::PhysicalHealth | Questionnaire::MentalHealth => QuestionnaireText {
                question: None,
                source: seed("001", 3216, 3271),
                when_da: "Før og tre måneder efter igangsættelse af stofmisbrugsbehandling",
                when_en: "Before, and three months after, drug treatment started",
                when_source: seed("001", 3100, 3101),
            },
        }
    }
}

struct QuestionnaireText {
    question: Option<(&'static str, &'static str)>,
    source: SeedRef,
    when_da: &'static str,
    when_en: &'static str,
    when_source: SeedRef,
}

/// One item as the code holds it.
pub struct ItemText {
    pub code: &'static str,
    pub da: &'static str,
    pub en: &'static str,
    pub min: u8,
    pub max: u8,
    pub anchors: &'static [(u8, &'static str, &'static str)],
    pub better: ProgressDirection,
    /// Reverse-keyed: agreeing is the problem (motivation's sixth statement).
    pub reverse: bool,
    pub source: SeedRef,
    /// Where the anchors are printed, if anywhere.
    pub anchors_source: Option<SeedRef>,
    pub note: Option<&'static str>,
}

const AGREE: &[(u8, &str, &str)] = &[
    (1, "Nej, meget uenig", "No, strongly disagree"),
    (5, "Ja, meget enig", "Yes, strongly agree"),
];
const AGREE_SOURCE: Option<SeedRef> = Some(seed("001", 2946, 2946));
const WORRY: &[(u8, &str, &str)] = &[
    (0, "Ikke bekymret", "Not worried"),
    (4, "Meget bekymret", "Very worried"),
];
const NO_ANCHORS_IMPORTANCE: Option<&str> = Some(
    "The report gives this item a 0–4 scale (the table's note b) but prints no anchors for it; none are shown.",
);

const fn agree(
    code: &'static str,
    da: &'static str,
    en: &'static str,
    reverse: bool,
    from: u32,
    to: u32,
) -> ItemText {
    ItemText {
        code,
        da,
        en,
        min: 1,
        max: 5,
        anchors: AGREE,
        better: if reverse {
            ProgressDirection::Lower
        } else {
            ProgressDirection::Higher
        },
        reverse,
        source: seed("001", from, to),
        anchors_source: AGREE_SOURCE,
        note: None,
    }
}

const MOTIVATION: [ItemText; 6] = [
    agree(
        "hope",
        "Denne kontakt giver mig håb for fremtiden og håb om, at jeg kan nedsætte mit stofforbrug eller blive stoffri.",
        "This contact gives me hope for the future and hope that I can reduce my drug use or become drug-free.",
        false,
        2898,
        2902,
    ),
    agree(
        "worse-without-change",
        "Hvis jeg ikke ændrer min livsstil og gør noget ved mit stofforbrug, føler jeg, at mit liv og mine problemer vil blive værre.",
        "If I do not change my lifestyle and do something about my drug use, I feel my life and my problems will get worse.",
        false,
        2906,
        2911,
    ),
    agree(
        "hurt-others",
        "Af og til tænker jeg på, om mit stofforbrug og måden, jeg har levet på, har såret mange mennesker.",
        "Now and then I wonder whether my drug use and the way I have lived have hurt many people.",
        false,
        2915,
        2919,
    ),
    agree(
        "working-hard",
        "Jeg arbejder hårdt for at gøre noget ved mit stofforbrug.",
        "I am working hard to do something about my drug use.",
        false,
        2923,
        2925,
    ),
    agree(
        "needs-support",
        "Mit stofmisbrug er et (seriøst) problem for mig, og jeg vil gerne stoppe det, men jeg har brug for støtte og hjælp.",
        "My drug use is a (serious) problem for me, and I want to stop it, but I need support and help.",
        false,
        2929,
        2933,
    ),
    agree(
        "no-treatment-needed",
        "Jeg har ikke behov for behandling; jeg kan selv stoppe mit stofmisbrug, hvis/når jeg vil.",
        "I do not need treatment; I can stop my drug use myself if/when I want to.",
        true,
        2937,
        2940,
    ),
];

const fn days(da: &'static str, from: u32, to: u32) -> ItemText {
    ItemText {
        code: "problem-days",
        da,
        en: "On how many days have you had problems in the last 30 days?",
        min: 0,
        max: 30,
        anchors: &[],
        better: ProgressDirection::Lower,
        reverse: false,
        source: seed("001", from, to),
        anchors_source: None,
        note: Some("A number of days, 0–30."),
    }
}

const fn worry(from: u32, to: u32, anchors_from: u32, anchors_to: u32) -> ItemText {
    ItemText {
        code: "worry",
        da: "Hvor bekymret eller besværet har du været af disse problemer de sidste 30 dage?",
        en: "How worried or bothered have you been by these problems in the last 30 days?",
        min: 0,
        max: 4,
        anchors: WORRY,
        better: ProgressDirection::Lower,
        reverse: false,
        source: seed("001", from, to),
        anchors_source: Some(seed("001", anchors_from, anchors_to)),
        note: None,
    }
}

const DRUG_SITUATION: [ItemText; 3] = [
    ItemText {
        en: "On how many days have you had problems with drugs in the last 30 days?",
        ..days(
            "Hvor mange dage har du oplevet problemer med stoffer inden for de sidste 30 dage?",
            3124,
            3126,
        )
    },
    worry(3130, 3132, 3142, 3143),
    ItemText {
        code: "treatment-importance",
        da: "Hvor vigtigt er det at blive behandlet for disse stofproblemer?",
        en: "How important is it to be treated for these drug problems?",
        min: 0,
        max: 4,
        anchors: &[],
        better: ProgressDirection::NotStated,
        reverse: false,
        source: seed("001", 3136, 3137),
        anchors_source: None,
        note: NO_ANCHORS_IMPORTANCE,
    },
];

const PHYSICAL: [ItemText; 3] = [
    days(
        "Hvor mange dage har du oplevet problemer de sidste 30 dage?",
        3241,
        3246,
    ),
    worry(3250, 3255, 3271, 3271),
    ItemText {
        code: "treatment-importance",
        da: "Hvor vigtigt er det for dig nu at få behandling for disse fysiske problemer?",
        en: "How important is it for you now to get treatment for these physical problems?",
        min: 0,
        max: 4,
        anchors: &[],
        better: ProgressDirection::NotStated,
        reverse: false,
        source: seed("001", 3259, 3264),
        anchors_source: None,
        note: NO_ANCHORS_IMPORTANCE,
    },
];

const MENTAL: [ItemText; 3] = [
    days(
        "Hvor mange dage har du oplevet problemer de sidste 30 dage?",
        3241,
        3246,
    ),
    worry(3250, 3255, 3271, 3271),
    ItemText {
        code: "treatment-importance",
        da: "Hvor vigtigt er det for dig nu at få behandling for disse psykiske problemer?",
        en: "How important is it for you now to get treatment for these mental problems?",
        min: 0,
        max: 4,
        anchors: &[],
        better: ProgressDirection::NotStated,
        reverse: false,
        source: seed("001", 3259, 3264),
        anchors_source: None,
        note: Some(
            "The report's table asks the three questions for physical and for psychic problems in two columns and prints this one once, with \"fysiske\"; \"psykiske\" in its place is the project's. The report prints no anchors for it (0–4).",
        ),
    },
];

/// One item as the shells render it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct QuestionnaireItem {
    pub code: String,
    pub da: String,
    pub en: String,
    pub min: u8,
    pub max: u8,
    pub anchors: Vec<ScaleAnchor>,
    pub better: ProgressDirection,
    pub reverse: bool,
    /// Where the report prints it (`001 L2898–2902`).
    pub source: String,
    pub note: Option<String>,
}

/// A questionnaire as the shells render it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct QuestionnaireDefinition {
    pub instrument: Questionnaire,
    pub version: u32,
    pub name: Label,
    /// The question put before the items, where the report prints one.
    pub question: Option<Label>,
    /// When it is asked, and where the report says so.
    pub when: Label,
    pub when_source: String,
    pub occasions: Vec<Label>,
    pub items: Vec<QuestionnaireItem>,
    pub source: String,
}

pub fn definitions() -> Vec<QuestionnaireDefinition> {
    Questionnaire::ALL
        .iter()
        .map(|&q| {
            let text = q.text();
            QuestionnaireDefinition {
                instrument: q,
                version: QUESTIONNAIRE_VERSION,
                name: q.label(),
                question: text.question.map(|(da, en)| Label {
                    code: "question".into(),
                    da: da.into(),
                    en: en.into(),
                }),
                when: Label {
                    code: "when".into(),
                    da: text.when_da.into(),
                    en: text.when_en.into(),
                },
                when_source: text.when_source.to_string(),
                occasions: Occasion::labels(),
                items: q
                    .items()
                    .iter()
                    .map(|i| QuestionnaireItem {
                        code: i.code.into(),
                        da: i.da.into(),
                        en: i.en.into(),
                        min: i.min,
                        max: i.max,
                        anchors: super::scale_anchors(i.anchors),
                        better: i.better,
                        reverse: i.reverse,
                        source: i.source.to_string(),
                        note: i.note.map(Into::into),
                    })
                    .collect(),
                source: text.source.to_string(),
            }
        })
        .collect()
}

/// The questionnaires' seed texts, for `super::seed_texts`. The mental-health importance item
/// is the project's adaptation and is compared in its physical wording.
pub(super) fn seed_texts() -> Vec<(String, SeedRef)> {
    let mut texts = Vec::new();
    for q in Questionnaire::ALL {
        let text = q.text();
        if let Some((da, _)) = text.question {
            texts.push((da.to_string(), text.source));
        }
        texts.push((q.label().da, text.source));
        for item in q.items() {
            let da = if *q == Questionnaire::MentalHealth {
                item.da.replace("psykiske", "fysiske")
            } else {
                item.da.to_string()
            };
            texts.push((da, item.source));
            if let Some(at) = item.anchors_source {
                for (_, anchor, _) in item.anchors {
                    texts.push((anchor.to_string(), at));
                }
            }
        }
    }
    for occasion in Occasion::ALL {
        texts.push((occasion.label().da, seed("001", 2885, 2892)));
    }
    texts
}

/// Checks a questionnaire's answers: one per item (`None` unanswered), each in its item's range.
pub fn check_answers(
    instrument: Questionnaire,
    version: u32,
    answers: &[Option<u8>],
) -> Result<()> {
    if version == 0 || version > QUESTIONNAIRE_VERSION {
        return Err(Error::invalid(
            "instrument_version",
            format!(
                "unknown instrument version {version} (this build knows up to {QUESTIONNAIRE_VERSION})"
            ),
        ));
    }
    let items = instrument.items();
    if !answers.is_empty() && answers.iter().all(Option::is_none) {
        return Err(Error::invalid(
            "answers",
            "no item is answered; record the questionnaire as not possible, with the reason",
        ));
    }
    if answers.len() != items.len() {
        return Err(Error::invalid(
            "answers",
            format!(
                "{} has {} items; {} answer(s) given (leave an unanswered item empty)",
                instrument.code(),
                items.len(),
                answers.len()
            ),
        ));
    }
    for (n, (item, answer)) in items.iter().zip(answers).enumerate() {
        if let Some(v) = answer
            && !(item.min..=item.max).contains(v)
        {
            return Err(Error::invalid(
                format!("answers[{}]", n + 1),
                format!(
                    "item {} ({}) is answered {}..{}; got {v}",
                    n + 1,
                    item.code,
                    item.min,
                    item.max
                ),
            ));
        }
    }
    Ok(())
}

/// One item of a citizen's baseline against their follow-up.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct ItemChange {
    pub code: String,
    pub da: String,
    pub baseline: Option<u8>,
    pub follow_up: Option<u8>,
    /// Follow-up minus baseline, when both were answered.
    pub change: Option<i16>,
    /// Whether the change is progress by the item's keying; `None` when there is no change to
    /// judge or the source does not say which way is progress.
    pub progress: Option<bool>,
}

/// Compares a baseline's answers with a follow-up's, item by item.
pub fn compare(
    instrument: Questionnaire,
    baseline: Option<&[Option<u8>]>,
    follow_up: Option<&[Option<u8>]>,
) -> Vec<ItemChange> {
    let at = |answers: Option<&[Option<u8>]>, n: usize| {
        answers.and_then(|a| a.get(n).copied().flatten())
    };
    instrument
        .items()
        .iter()
        .enumerate()
        .map(|(n, item)| {
            let (b, f) = (at(baseline, n), at(follow_up, n));
            let change = b.zip(f).map(|(b, f)| i16::from(f) - i16::from(b));
            let progress = change.filter(|c| *c != 0).and_then(|c| match item.better {
                ProgressDirection::Higher => Some(c > 0),
                ProgressDirection::Lower => Some(c < 0),
                ProgressDirection::NotStated => None,
            });
            ItemChange {
                code: item.code.into(),
                da: item.da.into(),
                baseline: b,
                follow_up: f,
                change,
                progress,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_held_to_their_items() {
        let q = Questionnaire::Motivation;
        assert!(check_answers(q, 1, &[Some(1), Some(5), None, Some(3), Some(2), Some(1)]).is_ok());
        let err = check_answers(q, 1, &[Some(0), None, None, None, None, None]).unwrap_err();
        assert!(err.to_string().contains("answers[1]"), "{err}");
        assert!(check_answers(q, 1, &[Some(6), None, None, None, None, None]).is_err());
        assert!(check_answers(q, 1, &[Some(1); 5]).is_err(), "five of six");
        assert!(check_answers(q, 1, &[None; 6]).is_err(), "nothing answered");
        assert!(
            check_answers(q, 2, &[Some(1); 6]).is_err(),
            "unknown version"
        );
        assert!(check_answers(q, 0, &[Some(1); 6]).is_err(), "version 0");
        let d = Questionnaire::DrugSituation;
        assert!(check_answers(d, 1, &[Some(30), Some(4), Some(0)]).is_ok());
        assert!(check_answers(d, 1, &[Some(31), None, None]).is_err());
        assert!(check_answers(d, 1, &[None, Some(5), None]).is_err());
    }

    #[test]
    fn the_reversed_item_falls_into_progress() {
        let b = [Some(3), Some(4), Some(4), Some(3), Some(4), Some(4)];
        let f = [Some(4), Some(4), None, Some(2), Some(4), Some(2)];
        let changes = compare(Questionnaire::Motivation, Some(&b), Some(&f));
        assert_eq!(changes[0].progress, Some(true));
        assert_eq!(changes[1].progress, None, "no change");
        assert_eq!(changes[2].change, None, "unanswered at follow-up");
        assert_eq!(changes[3].progress, Some(false));
        assert_eq!(changes[5].change, Some(-2));
        assert_eq!(
            changes[5].progress,
            Some(true),
            "agreeing less that no treatment is needed"
        );
        let h = compare(
            Questionnaire::DrugSituation,
            Some(&[Some(20), Some(3), Some(2)]),
            Some(&[Some(11), Some(3), Some(3)]),
        );
        assert_eq!(h[0].progress, Some(true), "fewer problem days");
        assert_eq!(h[2].progress, None, "the source does not say");
        assert!(
            compare(Questionnaire::MentalHealth, None, None)
                .iter()
                .all(|c| c.baseline.is_none())
        );
    }
}
