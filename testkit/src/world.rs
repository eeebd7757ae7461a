//! The demo's world: the nicknames and places of a week of outreach on Vesterbro and Nørrebro,
//! and what a worker does at one moment (a Brøset check before a contact, a contact, a
//! pre-screening, a stage of change, a step of a citizen's course, an unknown citizen checked),
//! drawn from the dice.

use gadeplan_core::{
    BridgeInput, BridgeService, BridgeStatus, EntryKind, HandoverInput, TreatmentIntensity,
    TreatmentRequestInput, TreatmentStartInput, VisitationInput as TreatmentVisitedInput,
    VisitationKind, VisitationResult,
};
use gadeplan_core::{
    BrosetItem, BurdenArea, CloseReason, ContactInput, ContactKind, CourseCloseInput, CourseInput,
    CoursePhase, CoursePhaseInput, Criterion, Decision, Error, FoundVia, MeetingKind, NewEntry,
    NewPerson, Outcome, PlaceKind, RiskCheckInput, ScreeningInput, ServicesAttachment, Stage,
    StageInput, Store, Subject, SubstitutionAttachment, TreatmentAttachment, TreatmentStatus,
};

use crate::Dice;

pub const NICKNAMES: &[&str] = &[
    "Lange Lars",
    "Rød Rikke",
    "Tandløse Tom",
    "Hue-Hanne",
    "Kaptajnen",
    "Stille Steen",
    "Fløjte-Finn",
    "Bette Bo",
    "Gamle Grete",
    "Kasket-Kim",
    "Sorte Søren",
    "Lille Lis",
];
pub const PLACES: &[(&str, PlaceKind)] = &[
    ("Enghave Plads", PlaceKind::Park),
    ("Istedgade by the station", PlaceKind::Street),
    ("Mændenes Hjem", PlaceKind::Shelter),
    ("Café Dug", PlaceKind::NightCafe),
    ("H17", PlaceKind::ConsumptionRoom),
    ("Kirkens Korshær varmestue", PlaceKind::WarmingRoom),
];

/// Something a worker does at one moment, on the persons they can see on their phone; the risk
/// checks it records besides the entry it returns go into `recorded`. The courses of the persons
/// in `scripted` follow a story of their own, so the dice leave them alone.
pub fn random_action(
    store: &Store,
    worker: &str,
    recorded: &mut Vec<String>,
    dice: &mut Dice,
    at: &Option<String>,
    scripted: &[String],
) -> Result<Option<String>, Error> {
    let persons = store.list_persons(None, 0)?;
    let roll = dice.below(100);
    if persons.is_empty() || roll < 12 {
        let alias = format!("{} ({})", dice.pick(NICKNAMES), worker);
        let r = store.add_person(NewPerson {
            alias,
            description: None,
            birth_year: None,
            from_unknown: None,
            occurred_at: at.clone(),
        })?;
        return Ok(Some(r.entry));
    }
    let person = dice.pick(&persons).id.clone();
    let (place, place_kind) = *dice.pick(PLACES);
    Ok(Some(match roll {
        12..=40 => {
            // Brøset before the approach, then the contact it preceded.
            let observed: Vec<BrosetItem> = BrosetItem::ALL
                .iter()
                .copied()
                .filter(|_| dice.chance(25))
                .collect();
            let high = observed.len() >= 3;
            let check = store.record_risk_check(RiskCheckInput {
                subject: Subject::Person { id: person.clone() },
                observed,
                plan: high.then(|| {
                    "Approach together, stay between him and the path, leave if he stands up".into()
                }),
                occurred_at: at.clone(),
            })?;
            recorded.push(check.id.clone());
            let outcome = if high {
                Outcome::NotApproachedRisk
            } else {
                *dice.pick(&[
                    Outcome::ContactMade,
                    Outcome::ContactMade,
                    Outcome::Declined,
                    Outcome::NotFound,
                ])
            };
            let kind = *dice.pick(ContactKind::ALL);
            store
                .record_contact(ContactInput {
                    subject: None,
                    place: place.into(),
                    place_kind,
                    kind,
                    meeting: (kind == ContactKind::Meeting).then(|| *dice.pick(MeetingKind::ALL)),
                    announced: None,
                    safety_reason: None,
                    outcome,
                    colleague: if dice.chance(80) {
                        crate::worker::colleague(store, "colleague")
                    } else {
                        None
                    },
                    minutes: Some(5 + dice.below(40) as u32),
                    note: Some(
                        "Talked about sleeping places and food; will look for him again.".into(),
                    ),
                    risk_check: Some(check.id),
                    occurred_at: at.clone(),
                    place_id: None,
                })?
                .id
        }
        41..=62 => {
            let kind = *dice.pick(ContactKind::ALL);
            store
                .record_contact(ContactInput {
                    subject: Some(Subject::Person { id: person }),
                    place: place.into(),
                    place_kind,
                    kind,
                    meeting: (kind == ContactKind::Meeting).then(|| *dice.pick(MeetingKind::ALL)),
                    announced: None,
                    safety_reason: None,
                    outcome: *dice.pick(&[
                        Outcome::ContactMade,
                        Outcome::Declined,
                        Outcome::NotFound,
                    ]),
                    colleague: if dice.chance(80) {
                        crate::worker::colleague(store, "colleague")
                    } else {
                        None
                    },
                    minutes: Some(5 + dice.below(60) as u32),
                    note: None,
                    risk_check: None,
                    occurred_at: at.clone(),
                    place_id: None,
                })?
                .id
        }
        63..=72 => screening(
            store,
            &person,
            *dice.pick(Decision::ALL),
            dice.chance(50),
            at,
        )?,
        73..=87 if !scripted.contains(&person) => course_step(store, &person, dice, at)?,
        73..=87 => return Ok(None),
        88..=93 => {
            store
                .record_stage(StageInput {
                    person,
                    stage: *dice.pick(Stage::ALL),
                    importance: Some(dice.below(11) as u8),
                    confidence: Some(dice.below(11) as u8),
                    recovery_goal: None,
                    life_control: None,
                    craving: None,
                    occurred_at: at.clone(),
                })?
                .id
        }
        _ => {
            let check = store.record_risk_check(RiskCheckInput {
                subject: Subject::Unknown {
                    description: "man in a green sleeping bag under the bridge".into(),
                },
                observed: vec![BrosetItem::Confusion],
                plan: None,
                occurred_at: at.clone(),
            })?;
            check.id
        }
    }))
}

/// The next step of the person's course, as the model goes: opened (by the worker, who may be
/// joined by a colleague) if none is open; a phase or two of motivation work; the citizen's
/// wish for treatment (now and then three weeks back, so some starts come after the 14 days);
/// the visitation; treatment started; the handover to the counsellor; a bridge to the GP; and
/// the closing, with the treatment's status once bridged, or now and then earlier for another
/// reason.
pub fn course_step(
    store: &Store,
    person: &str,
    dice: &mut Dice,
    at: &Option<String>,
) -> Result<String, Error> {
    let now = at
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map_or_else(chrono::Utc::now, |t| t.with_timezone(&chrono::Utc));
    let detail = store.person(person.into())?;
    let open = detail.courses.into_iter().find(|c| c.closed_at.is_none());
    let kinds: Vec<EntryKind> = detail.timeline.iter().map(|t| t.kind).collect();
    let done = |kind: EntryKind| kinds.contains(&kind);
    let input = match open {
        None => NewEntry::CourseOpened(CourseInput {
            person: person.into(),
            responsible: vec![],
            found_via: *dice.pick(FoundVia::ALL),
            attachment_treatment: Some(*dice.pick(TreatmentAttachment::ALL)),
            attachment_substitution: Some(*dice.pick(SubstitutionAttachment::ALL)),
            attachment_services: Some(*dice.pick(ServicesAttachment::ALL)),
            occurred_at: at.clone(),
        }),
        Some(course) if !course.bridged && dice.chance(8) => {
            NewEntry::CourseClosed(CourseCloseInput {
                person: person.into(),
                course: Some(course.id),
                reason: *dice.pick(&[
                    CloseReason::LostContact,
                    CloseReason::Moved,
                    CloseReason::OtherService,
                ]),
                treatment_status: None,
                occurred_at: at.clone(),
            })
        }
        Some(course) if course.phase == CoursePhase::Contact => {
            NewEntry::CoursePhaseSet(CoursePhaseInput {
                person: person.into(),
                course: Some(course.id),
                phase: CoursePhase::Motivation,
                occurred_at: at.clone(),
            })
        }
        Some(course) if course.guarantee.is_none() => {
            // Now and then three weeks back, though not before the course was opened.
            let opened = chrono::DateTime::parse_from_rfc3339(&course.opened_at)
                .map_or(now, |t| t.with_timezone(&chrono::Utc));
            let wished = if dice.chance(30) {
                (now - chrono::Duration::days(21)).max(opened)
            } else {
                now
            };
            NewEntry::TreatmentRequested(TreatmentRequestInput {
                person: person.into(),
                course: Some(course.id),
                occurred_at: Some(wished.to_rfc3339()),
            })
        }
        Some(course)
            if course
                .guarantee
                .as_ref()
                .is_some_and(|g| g.started_on.is_none()) =>
        {
            if done(EntryKind::TreatmentVisited) {
                NewEntry::TreatmentStarted(TreatmentStartInput {
                    person: person.into(),
                    course: Some(course.id),
                    offer: "Dagbehandling i Rusmiddelcentret".into(),
                    intensity: *dice.pick(TreatmentIntensity::ALL),
                    counsellor: Some("Birgitte".into()),
                    occurred_at: at.clone(),
                })
            } else {
                NewEntry::TreatmentVisited(TreatmentVisitedInput {
                    person: person.into(),
                    course: Some(course.id),
                    kind: *dice.pick(VisitationKind::ALL),
                    result: VisitationResult::Admitted,
                    offer: Some("Dagbehandling".into()),
                    occurred_at: at.clone(),
                })
            }
        }
        Some(course) if !done(EntryKind::TreatmentHandedOver) => {
            NewEntry::TreatmentHandedOver(HandoverInput {
                person: person.into(),
                course: Some(course.id),
                counsellor: "Birgitte".into(),
                plan_handed_over: true,
                support: Some("Følges til de første to samtaler".into()),
                notify_no_shows: true,
                occurred_at: at.clone(),
            })
        }
        Some(course) if !done(EntryKind::ServiceBridged) => NewEntry::ServiceBridged(BridgeInput {
            person: person.into(),
            course: Some(course.id),
            service: BridgeService::Gp,
            status: BridgeStatus::Contacted,
            contact: None,
            occurred_at: at.clone(),
        }),
        Some(course) => NewEntry::CourseClosed(CourseCloseInput {
            person: person.into(),
            course: Some(course.id),
            reason: CloseReason::Treatment,
            treatment_status: Some(*dice.pick(TreatmentStatus::ALL)),
            occurred_at: at.clone(),
        }),
    };
    Ok(store.record(input)?.id)
}

/// A pre-screening with the decision given; `indicated` chooses criteria that point to `in`.
pub fn screening(
    store: &Store,
    person: &str,
    decision: Decision,
    indicated: bool,
    at: &Option<String>,
) -> Result<String, Error> {
    let (criteria, high_burden) = if indicated {
        (
            Criterion::ALL.to_vec(),
            vec![
                BurdenArea::MentalHealth,
                BurdenArea::Economy,
                BurdenArea::Crime,
            ],
        )
    } else {
        (vec![Criterion::DrugUse], vec![BurdenArea::Economy])
    };
    let departs = (decision == Decision::In) != indicated || decision == Decision::Undecided;
    Ok(store
        .record_screening(ScreeningInput {
            person: person.into(),
            criteria_not_met: Criterion::ALL
                .iter()
                .copied()
                .filter(|c| !criteria.contains(c))
                .collect(),
            burden_not_high: BurdenArea::ALL
                .iter()
                .copied()
                .filter(|a| !high_burden.contains(a))
                .collect(),
            criteria,
            high_burden,
            decision,
            reason: departs
                .then(|| "professional assessment after talking with the shelter staff".into()),
            referral_kind: None,
            referred_to: (decision == Decision::Outside).then(|| "Jobcenter and the GP".into()),
            occurred_at: at.clone(),
        })?
        .id)
}
