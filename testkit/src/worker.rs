//! The stress suites' random worker: one moment in the field (note a citizen, check, contact,
//! pre-screen, assess a stage, a step of a course, of bridge-building, of the plan, the network
//! or consent, edit, correct or void an own record, merge), on whatever the phone shows; one kind of entry of the registry's per moment. The
//! network-fault suite and the crash suite's phone process both draw from it.

use gadeplan_core::{
    BridgeInput, BridgeService, BridgeStatus, BrosetItem, CloseReason, ConsentForm, ConsentInput,
    ConsentWithdrawalInput, ContactInput, ContactKind, CooperationInput, CourseCloseInput,
    CourseInput, CoursePhase, CoursePhaseInput, Decision, DisclosureInput, EntryKind, Error,
    EvaluationInput, FoundVia, GoalKind, GoalReached, HandoverInput, IncidentInput, IncidentKind,
    NetworkInput, NetworkRole, NewEntry, Outcome, PersonUpdate, PlaceKind, PlanFields, PlanInput,
    Questionnaire, QuestionnaireInput, RiskCheckInput, ServicesAttachment, SpecificPlan, Stage,
    StageInput, Store, Subject, TreatmentAttachment, TreatmentIntensity, TreatmentRequestInput,
    TreatmentStartInput, TreatmentStatus, VisitationInput, VisitationKind, VisitationResult,
};

use crate::Dice;

/// A colleague to name: another worker of the team's roster once a centre has sent one (none if
/// the worker is alone on it), else `fallback` or another name than the worker's own (a store
/// never synced takes names as written).
pub fn colleague(store: &Store, fallback: &str) -> Option<String> {
    let me = store.identity().ok().map(|i| i.worker);
    match store.roster().ok().flatten() {
        Some(roster) => roster.into_iter().find(|w| Some(w) != me.as_ref()),
        // Never the worker themselves: a worker is not their own colleague.
        None => [fallback, "Mette", "Jonas"]
            .into_iter()
            .find(|w| me.as_deref() != Some(*w))
            .map(str::to_string),
    }
}

/// The team's map grows: an area, a place in one, a round through some places.
fn map_moment(store: &Store, kind: EntryKind, dice: &mut Dice) -> Vec<String> {
    use gadeplan_core::{AreaInput, AreaPriority, PlaceInput, RoundInput, VisitRule, Weekday};
    let n = dice.below(1000);
    let input = match kind {
        EntryKind::AreaNoted => NewEntry::AreaNoted(AreaInput {
            name: format!("Område {n}"),
            priority: *dice.pick(AreaPriority::ALL),
            times: Some("formiddag, først på måneden".into()),
            note: None,
            occurred_at: None,
        }),
        EntryKind::PlaceNoted => {
            let areas = store.areas().unwrap();
            NewEntry::PlaceNoted(PlaceInput {
                name: format!("Sted {n}"),
                kind: *dice.pick(PlaceKind::ALL),
                rule: *dice.pick(VisitRule::ALL),
                area: (!areas.is_empty()).then(|| dice.pick(&areas).id.clone()),
                address: None,
                latitude: None,
                longitude: None,
                call: None,
                note: None,
                occurred_at: None,
            })
        }
        _ => {
            let places = store.places().unwrap();
            if places.is_empty() {
                return vec![];
            }
            let stops = (0..=dice.below(3))
                .map(|_| dice.pick(&places).id.clone())
                .collect();
            NewEntry::RoundPlanned(RoundInput {
                name: format!("Rute {n}"),
                weekday: *dice.pick(Weekday::ALL),
                time: "10:00".into(),
                places: stops,
                note: None,
                occurred_at: None,
            })
        }
    };
    match store.record(input) {
        Ok(r) => vec![r.id],
        Err(Error::InvalidInput { .. } | Error::NotAllowed { .. } | Error::NotFound { .. }) => {
            vec![]
        }
        Err(e) => panic!("{e:?}"),
    }
}

/// A check-in's moment: start one (ending the worker's open one first), extend or end the
/// worker's own, or acknowledge a colleague's.
fn checkin_moment(store: &Store, kind: EntryKind, person: &str, dice: &mut Dice) -> Vec<String> {
    use gadeplan_core::{
        CheckinAcknowledgementInput, CheckinEndInput, CheckinExtensionInput, CheckinInput,
        CheckinReason,
    };
    let me = store.identity().unwrap().worker;
    let known = store.checkins().unwrap();
    let own_open = known.iter().find(|c| c.worker == me && c.is_open());
    let end = |id: &str| {
        NewEntry::CheckinEnded(CheckinEndInput {
            checkin: Some(id.to_string()),
            code: None,
            on_behalf: false,
            occurred_at: None,
        })
    };
    let input = match (kind, own_open) {
        (EntryKind::CheckinStarted, Some(open)) => end(&open.id),
        (EntryKind::CheckinStarted, None) => {
            let Some(watcher) = colleague(store, "Mette") else {
                return vec![];
            };
            NewEntry::CheckinStarted(CheckinInput {
                place: "Istedgade 12, 3. th.".into(),
                watcher,
                minutes: 30 + dice.below(60) as u32,
                reason: *dice.pick(CheckinReason::ALL),
                person: (!person.is_empty()).then(|| person.to_string()),
                high_risk: false,
                occurred_at: None,
            })
        }
        (EntryKind::CheckinExtended, Some(open)) => {
            NewEntry::CheckinExtended(CheckinExtensionInput {
                checkin: Some(open.id.clone()),
                minutes: 15,
                occurred_at: None,
            })
        }
        (EntryKind::CheckinEnded, Some(open)) => end(&open.id),
        _ => match known.iter().find(|c| c.worker != me && c.is_open()) {
            Some(theirs) => NewEntry::CheckinAcknowledged(CheckinAcknowledgementInput {
                checkin: theirs.id.clone(),
                occurred_at: None,
            }),
            None => return vec![],
        },
    };
    match store.record(input) {
        Ok(r) => vec![r.id],
        // A voided person, a check-in already acknowledged: refused, as the app would.
        Err(Error::InvalidInput { .. } | Error::NotAllowed { .. }) => vec![],
        Err(e) => panic!("{e:?}"),
    }
}

/// A conversation with a person noting `note`, alone, at Enghave Plads: the data-protection
/// suites search the files for its words.
pub fn contact_noting(store: &Store, person: &str, note: &str) -> String {
    store
        .record_contact(ContactInput {
            colleague: None,
            note: Some(note.into()),
            ..contact_input(person)
        })
        .expect("contact")
        .id
}

/// The contact the suites record with a person, as an input.
fn contact_input(person: &str) -> ContactInput {
    ContactInput {
        subject: Some(Subject::Person { id: person.into() }),
        place: "Enghave Plads".into(),
        place_kind: PlaceKind::Park,
        kind: ContactKind::Conversation,
        meeting: None,
        announced: None,
        safety_reason: None,
        outcome: Outcome::ContactMade,
        colleague: None,
        minutes: Some(10),
        note: Some("talked about a shelter bed".into()),
        risk_check: None,
        occurred_at: None,
        place_id: None,
    }
}

/// A contact with a person, as the suites record one.
pub fn contact(store: &Store, person: &str) -> String {
    store
        .record_contact(ContactInput {
            colleague: colleague(store, "Jonas"),
            ..contact_input(person)
        })
        .expect("contact")
        .id
}

/// Which kind of entry a worker's roll of the dice (0–99) makes: the suites' mix of moments.
/// Every kind of the registry is reachable (`the_worker_makes_every_kind`), and `act` matches
/// over the kinds exhaustively, so a kind added to the registry does not compile here until the
/// worker can make it.
fn kind_for(roll: u64) -> EntryKind {
    match roll {
        0..=12 => EntryKind::PersonNoted,
        13..=29 => EntryKind::ContactLogged,
        30 => EntryKind::AreaNoted,
        31 => EntryKind::PlaceNoted,
        32 => EntryKind::RoundPlanned,
        33..=36 => EntryKind::ScreeningRecorded,
        37..=48 => EntryKind::RiskChecked,
        49..=55 => EntryKind::StageAssessed,
        56..=60 => EntryKind::CourseOpened,
        61..=63 => EntryKind::CoursePhaseSet,
        64..=65 => EntryKind::CourseClosed,
        66..=68 => EntryKind::TreatmentRequested,
        69..=70 => EntryKind::TreatmentVisited,
        71..=73 => EntryKind::TreatmentStarted,
        74..=75 => EntryKind::TreatmentHandedOver,
        76..=77 => EntryKind::ServiceBridged,
        78..=79 => EntryKind::NetworkNoted,
        80..=81 => EntryKind::ConsentGiven,
        82 => EntryKind::ConsentWithdrawn,
        83 => EntryKind::DisclosureMade,
        84 => EntryKind::PlanSet,
        85 => EntryKind::QuestionnaireRecorded,
        86 => EntryKind::PlanEvaluated,
        87 => EntryKind::CooperationNoted,
        88 => EntryKind::PersonUpdated,
        89..=91 => EntryKind::EntryAmended,
        92 => EntryKind::CheckinAcknowledged,
        93..=94 => EntryKind::EntryVoided,
        95 => EntryKind::CheckinEnded,
        96 => EntryKind::IncidentRecorded,
        97 => EntryKind::CheckinStarted,
        98 => EntryKind::CheckinExtended,
        _ => EntryKind::PersonMerged,
    }
}

/// One worker's moment: note, check, contact, screen, assess, open, move or close a course,
/// correct, void, edit or merge.
/// Returns the new entry ids.
pub fn act(
    store: &Store,
    own_records: &[String],
    dice: &mut Dice,
    round: usize,
    may_merge: bool,
) -> Vec<String> {
    let persons = store.list_persons(None, 0).unwrap();
    let mut kind = kind_for(dice.below(100));
    if persons.len() < 2 {
        kind = EntryKind::PersonNoted;
    }
    if kind == EntryKind::PersonMerged && !may_merge {
        kind = EntryKind::ContactLogged;
    }
    let person = match persons.get(dice.below(persons.len().max(1) as u64) as usize) {
        Some(p) => p.id.clone(),
        None => String::new(),
    };
    match kind {
        EntryKind::PersonNoted => {
            let noted = store
                .add_person(gadeplan_core::NewPerson {
                    alias: format!("P{round}-{}", dice.below(1000)),
                    description: None,
                    birth_year: None,
                    from_unknown: None,
                    occurred_at: None,
                })
                .unwrap();
            vec![noted.entry]
        }
        EntryKind::ContactLogged => vec![contact(store, &person)],
        EntryKind::ScreeningRecorded => {
            let decision = *dice.pick(Decision::ALL);
            let indicated = dice.chance(50);
            vec![crate::world::screening(store, &person, decision, indicated, &None).unwrap()]
        }
        EntryKind::RiskChecked => {
            let observed: Vec<BrosetItem> = BrosetItem::ALL
                .iter()
                .copied()
                .filter(|_| dice.below(4) == 0)
                .collect();
            let plan = (observed.len() >= 3).then(|| "two of us".to_string());
            vec![
                store
                    .record_risk_check(RiskCheckInput {
                        subject: Subject::Person { id: person },
                        observed,
                        plan,
                        occurred_at: None,
                    })
                    .unwrap()
                    .id,
            ]
        }
        EntryKind::StageAssessed => vec![
            store
                .record_stage(StageInput {
                    person,
                    stage: Stage::ALL[dice.below(4) as usize],
                    importance: None,
                    confidence: None,
                    recovery_goal: None,
                    life_control: None,
                    craving: None,
                    occurred_at: None,
                })
                .unwrap()
                .id,
        ],
        EntryKind::CourseOpened
        | EntryKind::CoursePhaseSet
        | EntryKind::CourseClosed
        | EntryKind::TreatmentRequested
        | EntryKind::TreatmentVisited
        | EntryKind::TreatmentStarted
        | EntryKind::TreatmentHandedOver
        | EntryKind::ServiceBridged => {
            let input = match kind {
                EntryKind::TreatmentRequested => {
                    NewEntry::TreatmentRequested(TreatmentRequestInput {
                        person,
                        course: None,
                        occurred_at: None,
                    })
                }
                EntryKind::TreatmentVisited => NewEntry::TreatmentVisited(VisitationInput {
                    person,
                    course: None,
                    kind: *dice.pick(VisitationKind::ALL),
                    result: *dice.pick(VisitationResult::ALL),
                    offer: Some("day treatment".into()),
                    occurred_at: None,
                }),
                EntryKind::TreatmentStarted => NewEntry::TreatmentStarted(TreatmentStartInput {
                    person,
                    course: None,
                    offer: "day treatment".into(),
                    intensity: *dice.pick(TreatmentIntensity::ALL),
                    counsellor: Some("Birgitte".into()),
                    occurred_at: None,
                }),
                EntryKind::TreatmentHandedOver => NewEntry::TreatmentHandedOver(HandoverInput {
                    person,
                    course: None,
                    counsellor: "Birgitte".into(),
                    plan_handed_over: dice.chance(50),
                    support: Some("to the first meetings".into()),
                    notify_no_shows: dice.chance(50),
                    occurred_at: None,
                }),
                EntryKind::ServiceBridged => NewEntry::ServiceBridged(BridgeInput {
                    person,
                    course: None,
                    service: *dice.pick(BridgeService::ALL),
                    status: *dice.pick(BridgeStatus::ALL),
                    contact: None,
                    occurred_at: None,
                }),
                EntryKind::CourseOpened => NewEntry::CourseOpened(CourseInput {
                    person,
                    responsible: if dice.chance(50) {
                        vec![]
                    } else {
                        vec!["Mette".into(), "Jonas".into()]
                    },
                    found_via: *dice.pick(FoundVia::ALL),
                    attachment_treatment: Some(*dice.pick(TreatmentAttachment::ALL)),
                    attachment_substitution: None,
                    attachment_services: Some(*dice.pick(ServicesAttachment::ALL)),
                    occurred_at: None,
                }),
                EntryKind::CoursePhaseSet => NewEntry::CoursePhaseSet(CoursePhaseInput {
                    person,
                    course: None,
                    phase: *dice.pick(CoursePhase::ALL),
                    occurred_at: None,
                }),
                _ => NewEntry::CourseClosed(CourseCloseInput {
                    person,
                    course: None,
                    reason: *dice.pick(CloseReason::ALL),
                    treatment_status: dice.chance(50).then(|| *dice.pick(TreatmentStatus::ALL)),
                    occurred_at: None,
                }),
            };
            match store.record(input) {
                Ok(r) => vec![r.id],
                // A second open course, none to move or close, a phase it is in, a treatment
                // status for a course never bridged, a step of bridge-building before the one
                // it needs, a voided person: refused, as the app would.
                Err(Error::InvalidInput { .. } | Error::NotAllowed { .. }) => vec![],
                Err(e) => panic!("{e:?}"),
            }
        }
        EntryKind::PlanSet
        | EntryKind::PlanEvaluated
        | EntryKind::CooperationNoted
        | EntryKind::QuestionnaireRecorded => {
            let input = match kind {
                EntryKind::PlanSet => NewEntry::PlanSet(PlanInput {
                    person,
                    course: None,
                    fields: PlanFields {
                        goal: "Heroin".into(),
                        goal_kind: Some(*dice.pick(GoalKind::ALL)),
                        achieve: Some("a flat".into()),
                        services: None,
                        remarks: None,
                        partners: vec![],
                        plans: vec![SpecificPlan {
                            goal: "first meeting".into(),
                            citizen_effort: None,
                            others_effort: None,
                            worker_effort: Some("fetch him".into()),
                            remarks: None,
                        }],
                        crisis_plan: Some("call the night team".into()),
                    },
                    occurred_at: None,
                }),
                EntryKind::PlanEvaluated => NewEntry::PlanEvaluated(EvaluationInput {
                    person,
                    course: None,
                    goal: 1,
                    reached: *dice.pick(GoalReached::ALL),
                    closer: None,
                    comment: None,
                    occurred_at: None,
                }),
                EntryKind::QuestionnaireRecorded => {
                    let instrument = *dice.pick(Questionnaire::ALL);
                    let not_possible = dice.chance(20);
                    NewEntry::QuestionnaireRecorded(QuestionnaireInput {
                        person,
                        course: None,
                        instrument,
                        occasion: None,
                        answers: if not_possible {
                            vec![]
                        } else {
                            instrument.items().iter().map(|i| Some(i.max)).collect()
                        },
                        not_possible: not_possible.then(|| "contact lost".into()),
                        occurred_at: None,
                    })
                }
                _ => NewEntry::CooperationNoted(CooperationInput {
                    person,
                    course: None,
                    satisfaction: Some("glad".into()),
                    citizen_comments: None,
                    worker_comments: None,
                    occurred_at: None,
                }),
            };
            match store.record(input) {
                Ok(r) => vec![r.id],
                // No open course or no plan yet, a voided person: refused, as the app would.
                Err(Error::InvalidInput { .. } | Error::NotAllowed { .. }) => vec![],
                Err(e) => panic!("{e:?}"),
            }
        }
        EntryKind::IncidentRecorded => {
            let input = NewEntry::IncidentRecorded(IncidentInput {
                subject: Some(Subject::Person { id: person }),
                kind: *dice.pick(IncidentKind::ALL),
                workers: vec!["Jonas".into()],
                police_called: dice.chance(20),
                centre_called: dice.chance(50),
                place: Some("Enghave Plads".into()),
                note: None,
                contact: None,
                occurred_at: None,
            });
            match store.record(input) {
                Ok(r) => vec![r.id],
                // A voided person: refused, as the app would.
                Err(Error::InvalidInput { .. } | Error::NotAllowed { .. }) => vec![],
                Err(e) => panic!("{e:?}"),
            }
        }
        EntryKind::AreaNoted | EntryKind::PlaceNoted | EntryKind::RoundPlanned => {
            map_moment(store, kind, dice)
        }
        EntryKind::CheckinStarted
        | EntryKind::CheckinExtended
        | EntryKind::CheckinEnded
        | EntryKind::CheckinAcknowledged => checkin_moment(store, kind, &person, dice),
        EntryKind::NetworkNoted
        | EntryKind::ConsentGiven
        | EntryKind::ConsentWithdrawn
        | EntryKind::DisclosureMade => {
            // The consent a withdrawal or disclosure names: one of the person's in force.
            let consent = store.person(person.clone()).ok().and_then(|d| {
                d.consents
                    .into_iter()
                    .find(|c| c.in_force)
                    .map(|c| c.entry_id)
            });
            let input = match kind {
                EntryKind::NetworkNoted => NewEntry::NetworkNoted(NetworkInput {
                    person,
                    role: *dice.pick(NetworkRole::ALL),
                    name: "Anna".into(),
                    organisation: Some("Valby Bostøtte".into()),
                    phone: Some("+45 12 34 56 78".into()),
                    occurred_at: None,
                }),
                EntryKind::ConsentGiven => NewEntry::ConsentGiven(ConsentInput {
                    person,
                    to_whom: "Bostøtten".into(),
                    about: "that he is in treatment".into(),
                    form: *dice.pick(ConsentForm::ALL),
                    occurred_at: None,
                }),
                EntryKind::ConsentWithdrawn => match consent {
                    Some(consent) => NewEntry::ConsentWithdrawn(ConsentWithdrawalInput {
                        person,
                        consent,
                        occurred_at: None,
                    }),
                    None => return vec![],
                },
                _ => NewEntry::DisclosureMade(DisclosureInput {
                    person,
                    what: "started in treatment".into(),
                    to_whom: "Bostøtten".into(),
                    consent,
                    occurred_at: None,
                }),
            };
            match store.record(input) {
                Ok(r) => vec![r.id],
                // No consent in force, a voided person: refused, as the app would.
                Err(
                    Error::InvalidInput { .. }
                    | Error::NotAllowed { .. }
                    | Error::ConsentRequired { .. },
                ) => vec![],
                Err(e) => panic!("{e:?}"),
            }
        }
        EntryKind::PersonUpdated => {
            // Concurrent edits of the same attribute on different phones become conflicts.
            let update = PersonUpdate {
                person,
                description: Some(format!("seen in round {round}")),
                ..Default::default()
            };
            vec![store.update_person(update).unwrap().id]
        }
        EntryKind::EntryAmended | EntryKind::EntryVoided => {
            // Correct or void one of this phone's own records.
            let Some(target) = own_records
                .get(dice.below(own_records.len().max(1) as u64) as usize)
                .cloned()
            else {
                return vec![];
            };
            let outcome = if kind == EntryKind::EntryAmended {
                store.amend(
                    target,
                    r#"{"note": "corrected"}"#.into(),
                    None,
                    Some("typo".into()),
                )
            } else {
                store.void_entry(target, "recorded by mistake".into())
            };
            match outcome {
                Ok(r) => vec![r.id],
                // Not every record takes a note, a record voided elsewhere cannot be again, and
                // one whose citizen left the phone (released by the centre) is not here.
                Err(
                    Error::InvalidInput { .. }
                    | Error::NotAllowed { .. }
                    | Error::PlanRequired { .. }
                    | Error::NotFound { .. },
                ) => vec![],
                Err(e) => panic!("{e:?}"),
            }
        }
        // Only the centre erases (`gadeplan-centre erase`); `kind_for` never picks it, and the
        // erasure suites (`tests/tests/erasure.rs`) make their own at the centre.
        EntryKind::EntryErased => vec![],
        EntryKind::PersonMerged => {
            let other = persons[dice.below(persons.len() as u64) as usize]
                .id
                .clone();
            match store.merge_persons(person, other) {
                Ok(r) => vec![r.id],
                Err(Error::NotAllowed { .. }) => vec![],
                Err(e) => panic!("{e:?}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worker's mix reaches every kind of the registry a phone makes: the stress suites see
    /// each.
    #[test]
    fn the_worker_makes_every_kind() {
        let reached: std::collections::BTreeSet<&str> =
            (0..100).map(|roll| kind_for(roll).code()).collect();
        // An erasure is made only at the centre (`gadeplan-centre erase`).
        for kind in EntryKind::ALL
            .iter()
            .filter(|k| **k != EntryKind::EntryErased)
        {
            assert!(
                reached.contains(kind.code()),
                "the worker never makes {}",
                kind.code()
            );
        }
    }
}
