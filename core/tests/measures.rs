//! Issue 14's measures at the store: the questionnaires and when they are due, screening with
//! criteria not known yet, the stages' version 2, the contact vocabulary and intensity, possible
//! duplicates; and every Danish text taken from a seed compared with the seed.

mod common;

use chrono::{Duration, Utc};
use common::*;
use gadeplan_core::kinds::Payload;
use gadeplan_core::*;
use tempfile::TempDir;

/// A payload as a receiver reads it: its shape, then its kind's rules.
fn received(kind: EntryKind, json: &str) -> Result<Payload> {
    let payload = Payload::read(kind, json)?;
    payload.validate()?;
    Ok(payload)
}

fn ago(days: i64) -> Option<String> {
    Some((Utc::now() - Duration::days(days)).to_rfc3339())
}

fn open_course(store: &Store, person: &str, days_ago: i64) {
    store
        .record(NewEntry::CourseOpened(CourseInput {
            person: person.into(),
            responsible: vec![],
            found_via: FoundVia::OwnOutreach,
            attachment_treatment: None,
            attachment_substitution: None,
            attachment_services: None,
            occurred_at: ago(days_ago),
        }))
        .unwrap();
}

fn phase(store: &Store, person: &str, phase: CoursePhase, days_ago: i64) {
    store
        .record(NewEntry::CoursePhaseSet(CoursePhaseInput {
            person: person.into(),
            course: None,
            phase,
            occurred_at: ago(days_ago),
        }))
        .unwrap();
}

fn questionnaire(
    store: &Store,
    person: &str,
    instrument: Questionnaire,
    answers: Vec<Option<u8>>,
) -> Result<Recorded> {
    store.record(NewEntry::QuestionnaireRecorded(QuestionnaireInput {
        person: person.into(),
        course: None,
        instrument,
        occasion: None,
        answers,
        not_possible: None,
        occurred_at: None,
    }))
}

fn due(store: &Store, person: &str) -> Vec<(Questionnaire, Occasion)> {
    store
        .person(person.into())
        .unwrap()
        .person
        .questionnaires_due
        .into_iter()
        .map(|d| (d.instrument, d.occasion))
        .collect()
}

/// Motivation is due when motivation work starts and when it ends; the three others before
/// treatment and three months after it started; each leaves the list once recorded, answered or
/// not possible; and the person's screen compares baseline with follow-up.
#[test]
fn questionnaires_fall_due_with_the_course_and_compare() {
    use Occasion::*;
    use Questionnaire::*;
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "q.db");
    let karl = person(&store, "Karl");
    assert!(
        matches!(
            questionnaire(&store, &karl, Motivation, vec![Some(3); 6]),
            Err(Error::NotAllowed { .. })
        ),
        "no course, no questionnaire"
    );
    open_course(&store, &karl, 150);
    assert!(
        due(&store, &karl).is_empty(),
        "nothing due in the contact phase"
    );
    phase(&store, &karl, CoursePhase::Motivation, 140);
    assert_eq!(due(&store, &karl), [(Motivation, Baseline)]);
    let base = vec![Some(3), Some(4), Some(4), Some(2), None, Some(4)];
    questionnaire(&store, &karl, Motivation, base).unwrap();
    assert!(due(&store, &karl).is_empty());

    phase(&store, &karl, CoursePhase::Bridging, 120);
    assert_eq!(
        due(&store, &karl),
        [
            (Motivation, FollowUp),
            (DrugSituation, Baseline),
            (PhysicalHealth, Baseline),
            (MentalHealth, Baseline)
        ]
    );
    let follow = vec![Some(4), Some(4), None, Some(3), Some(4), Some(2)];
    questionnaire(&store, &karl, Motivation, follow).unwrap();
    questionnaire(
        &store,
        &karl,
        DrugSituation,
        vec![Some(20), Some(3), Some(2)],
    )
    .unwrap();
    questionnaire(&store, &karl, PhysicalHealth, vec![Some(12), Some(2), None]).unwrap();
    store
        .record(NewEntry::QuestionnaireRecorded(QuestionnaireInput {
            person: karl.clone(),
            course: None,
            instrument: MentalHealth,
            occasion: None,
            answers: vec![],
            not_possible: Some("Karl would not talk about it that day".into()),
            occurred_at: None,
        }))
        .unwrap();
    assert!(due(&store, &karl).is_empty());

    // Treatment started 100 days ago: the three follow-ups are due since 3 months after it.
    store
        .record(NewEntry::TreatmentRequested(TreatmentRequestInput {
            person: karl.clone(),
            course: None,
            occurred_at: ago(110),
        }))
        .unwrap();
    store
        .record(NewEntry::TreatmentStarted(TreatmentStartInput {
            person: karl.clone(),
            course: None,
            offer: "Ambulant behandling".into(),
            intensity: TreatmentIntensity::Ambulant,
            counsellor: None,
            occurred_at: ago(100),
        }))
        .unwrap();
    let detail = store.person(karl.clone()).unwrap();
    let due_now = &detail.person.questionnaires_due;
    assert_eq!(due_now.len(), 3, "{due_now:?}");
    assert!(
        due_now
            .iter()
            .all(|d| d.occasion == FollowUp && d.instrument != Motivation)
    );
    // Due from the start of the day three months after the start's day, in the team's time
    // zone (as the guarantee counts days).
    let tz: chrono_tz::Tz = "Europe/Copenhagen".parse().unwrap();
    let since = chrono::DateTime::parse_from_rfc3339(due_now[0].since.as_str())
        .unwrap()
        .with_timezone(&tz);
    let started = (Utc::now() - Duration::days(100))
        .with_timezone(&tz)
        .date_naive();
    let expected = started.checked_add_months(chrono::Months::new(3)).unwrap();
    assert_eq!(since.date_naive(), expected);
    assert_eq!(since.time(), chrono::NaiveTime::MIN);

    let m = detail
        .questionnaires
        .iter()
        .find(|s| s.instrument == Motivation)
        .unwrap();
    assert_eq!(m.items[0].change, Some(1));
    assert_eq!(m.items[0].progress, Some(true));
    assert_eq!(m.items[2].change, None, "unanswered at follow-up");
    assert_eq!(m.items[5].change, Some(-2));
    assert_eq!(m.items[5].progress, Some(true), "the reversed item falls");
    let mental = detail
        .questionnaires
        .iter()
        .find(|s| s.instrument == MentalHealth)
        .unwrap();
    assert!(mental.baseline_not_possible.is_some());
    assert!(mental.items.iter().all(|i| i.baseline.is_none()));

    // The handover closes the outreach course before the three months are up: the follow-ups
    // stay due, and are recorded on the course that was closed.
    store
        .record(NewEntry::CourseClosed(CourseCloseInput {
            person: karl.clone(),
            course: None,
            reason: CloseReason::Treatment,
            treatment_status: Some(TreatmentStatus::Continuing),
            occurred_at: None,
        }))
        .unwrap();
    assert_eq!(due(&store, &karl).len(), 3, "{:?}", due(&store, &karl));
    let follow_up = questionnaire(
        &store,
        &karl,
        DrugSituation,
        vec![Some(9), Some(2), Some(3)],
    )
    .unwrap();
    let EntryContent::QuestionnaireRecorded(c) = store.entry(follow_up.id).unwrap().content else {
        panic!()
    };
    assert_eq!(c.occasion, FollowUp);
    assert_eq!(due(&store, &karl).len(), 2);
    let drugs = store.person(karl.clone()).unwrap().questionnaires;
    let drugs = drugs
        .iter()
        .find(|s| s.instrument == DrugSituation)
        .unwrap();
    assert_eq!(drugs.items[0].change, Some(-11), "20 days → 9 days");
    // A closed course is asked only the three-month follow-ups, unless the worker names it;
    // named, a motivation questionnaire is the one whose moment has come: the follow-up.
    assert!(matches!(
        questionnaire(&store, &karl, Motivation, vec![Some(4); 6]),
        Err(Error::NotAllowed { .. })
    ));
    let course = store.person(karl.clone()).unwrap().courses[0].id.clone();
    let named = store
        .record(NewEntry::QuestionnaireRecorded(QuestionnaireInput {
            person: karl.clone(),
            course: Some(course),
            instrument: Motivation,
            occasion: None,
            answers: vec![Some(4); 6],
            not_possible: None,
            occurred_at: None,
        }))
        .unwrap();
    let EntryContent::QuestionnaireRecorded(c) = store.entry(named.id).unwrap().content else {
        panic!()
    };
    assert_eq!(c.occasion, FollowUp);
    // A follow-up not taken by six months after the start is missed: no longer listed.
    let later = Utc::now() + Duration::days(100);
    let listed = store
        .with_connection(|c| gadeplan_core::kinds::questionnaire_recorded::due(c, &karl, later))
        .unwrap();
    assert!(listed.is_empty(), "{listed:?}");
}

/// Answers out of range, the wrong number, answers with "not possible", an empty reason: a
/// typed error naming the field, and nothing stored.
#[test]
fn bad_questionnaires_are_refused_and_store_nothing() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "bad.db");
    let p = person(&store, "Lis");
    open_course(&store, &p, 5);
    let before = dump_projections(&store);
    let entries = entry_count(&store);
    let cases: Vec<(QuestionnaireInput, &str)> = vec![
        (
            Questionnaire::Motivation,
            vec![Some(6), None, None, None, None, None],
            None,
            "answers[1]",
        ),
        (
            Questionnaire::Motivation,
            vec![Some(0), None, None, None, None, None],
            None,
            "answers[1]",
        ),
        (Questionnaire::Motivation, vec![None; 5], None, "answers"),
        (
            Questionnaire::DrugSituation,
            vec![Some(31), None, None],
            None,
            "answers[1]",
        ),
        (
            Questionnaire::DrugSituation,
            vec![None, Some(5), None],
            None,
            "answers[2]",
        ),
        (
            Questionnaire::PhysicalHealth,
            vec![None; 4],
            None,
            "answers",
        ),
        (
            Questionnaire::MentalHealth,
            vec![Some(1), None, None],
            Some("moved"),
            "answers",
        ),
        (
            Questionnaire::MentalHealth,
            vec![],
            Some("   "),
            "not_possible",
        ),
    ]
    .into_iter()
    .map(|(instrument, answers, not_possible, field)| {
        (
            QuestionnaireInput {
                person: p.clone(),
                course: None,
                instrument,
                occasion: None,
                answers,
                not_possible: not_possible.map(Into::into),
                occurred_at: None,
            },
            field,
        )
    })
    .collect();
    for (input, field) in cases {
        match store.record(NewEntry::QuestionnaireRecorded(input.clone())) {
            Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field, "{input:?}"),
            other => panic!("{input:?}: {other:?}"),
        }
    }
    assert!(
        Questionnaire::parse("wellbeing")
            .unwrap_err()
            .to_string()
            .contains("motivation")
    );
    // A payload from elsewhere of an unknown instrument or version is refused on reading.
    let unknown = r#"{"course":"0190a000-0000-7000-8000-000000000000","instrument":"wellbeing","instrument_version":1,"occasion":"baseline","answers":[]}"#;
    assert!(received(EntryKind::QuestionnaireRecorded, unknown).is_err());
    let newer = r#"{"course":"0190a000-0000-7000-8000-000000000000","instrument":"drug-situation","instrument_version":2,"occasion":"baseline","answers":[1,1,1]}"#;
    assert!(received(EntryKind::QuestionnaireRecorded, newer).is_err());
    assert_eq!(dump_projections(&store), before);
    assert_eq!(entry_count(&store), entries);
}

#[allow(clippy::too_many_arguments)]
fn screening(
    store: &Store,
    person: &str,
    met: &[Criterion],
    not_met: &[Criterion],
    high: &[BurdenArea],
    low: &[BurdenArea],
    decision: Decision,
    reason: Option<&str>,
) -> Result<ScreeningRecordedResult> {
    store.record_screening(ScreeningInput {
        person: person.into(),
        criteria: met.to_vec(),
        criteria_not_met: not_met.to_vec(),
        high_burden: high.to_vec(),
        burden_not_high: low.to_vec(),
        decision,
        reason: reason.map(Into::into),
        referral_kind: None,
        referred_to: (decision == Decision::Outside).then(|| "Jobcenter".into()),
        occurred_at: None,
    })
}

/// A criterion not assessed is "not known yet", not "not met": nothing is indicated until the
/// six are known, `undecided` needs no reason meanwhile, and a version-1 entry keeps its meaning.
#[test]
fn screening_with_criteria_not_known_yet() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "s.db");
    let p = person(&store, "Sofie");
    let areas = [BurdenArea::Crime, BurdenArea::Economy];
    let r = screening(
        &store,
        &p,
        &Criterion::ALL[..3],
        &[],
        &areas,
        &[],
        Decision::Undecided,
        None,
    )
    .unwrap();
    assert_eq!(
        (r.indicated, r.complex_burden, r.unknown_count),
        (None, None, 5)
    );
    assert!(matches!(
        screening(
            &store,
            &p,
            &Criterion::ALL[..3],
            &[],
            &areas,
            &[],
            Decision::Outside,
            None
        ),
        Err(Error::ReasonRequired { .. })
    ));
    assert!(
        matches!(
            screening(
                &store,
                &p,
                &Criterion::ALL[..1],
                &Criterion::ALL[..1],
                &[],
                &[],
                Decision::Undecided,
                None
            ),
            Err(Error::InvalidInput { .. })
        ),
        "met and not met at once"
    );
    let timeline = store.person(p.clone()).unwrap().timeline;
    let EntryContent::ScreeningRecorded(content) = &timeline.last().unwrap().content else {
        panic!("not a screening")
    };
    assert_eq!(content.instrument_version, 2);
    assert_eq!(content.criteria.len(), 3);
    assert!(content.criteria_not_met.is_empty());
    assert_eq!(content.assessment.indicated, None);

    // Version 1 wrote true and false: an unticked criterion was recorded as not met, and reads so.
    let v1 = r#"{"criteria":{"section-101":true,"drug-use":true,"limited-treatment-use":true,"multi-system-need":true,"burdened-situation":false},"high_burden":{"physical-health":true,"mental-health":true,"economy":true,"crime":false,"family-social":false},"decision":"in","reason":"isolated at home","instrument_version":1}"#;
    let Payload::ScreeningRecorded(old) = Payload::read(EntryKind::ScreeningRecorded, v1).unwrap()
    else {
        panic!()
    };
    let EntryContent::ScreeningRecorded(c) = Payload::ScreeningRecorded(old.clone()).content()
    else {
        panic!()
    };
    assert_eq!(c.criteria_not_met, [Criterion::BurdenedSituation]);
    assert_eq!(
        c.assessment.indicated,
        Some(false),
        "as its worker recorded it"
    );
    assert_eq!(c.assessment.complex_burden, Some(true));
    // Version 1 has no "unknown".
    let v1_unknown = v1.replace(
        "\"burdened-situation\":false",
        "\"burdened-situation\":\"unknown\"",
    );
    assert!(received(EntryKind::ScreeningRecorded, &v1_unknown).is_err());
    let v2_unknown = v1_unknown.replace("\"instrument_version\":1", "\"instrument_version\":2");
    assert!(received(EntryKind::ScreeningRecorded, &v2_unknown).is_ok());
}

/// Version 2 of the stages: the four scales held to 0–10, the recovery goal kept; a version-1
/// payload with version 2's answers is refused.
#[test]
fn stages_version_two() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "st.db");
    let p = person(&store, "Mads");
    let stage = |life: Option<u8>, craving: Option<u8>| {
        store.record_stage(StageInput {
            person: p.clone(),
            stage: Stage::Relapse,
            importance: Some(8),
            confidence: Some(4),
            recovery_goal: Some("at få min datter at se igen".into()),
            life_control: life,
            craving,
            occurred_at: None,
        })
    };
    for (life, craving, field) in [
        (Some(11), None, "life_control"),
        (None, Some(11), "craving"),
    ] {
        match stage(life, craving) {
            Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{other:?}"),
        }
    }
    stage(Some(3), Some(9)).unwrap();
    let timeline = store.person(p.clone()).unwrap().timeline;
    let EntryContent::StageAssessed(s) = &timeline.last().unwrap().content else {
        panic!()
    };
    assert_eq!(
        (s.life_control, s.craving, s.instrument_version),
        (Some(3), Some(9), 2)
    );
    assert_eq!(
        s.recovery_goal.as_deref(),
        Some("at få min datter at se igen")
    );
    let v1 = r#"{"stage":"action","importance":7,"instrument_version":1}"#;
    assert!(received(EntryKind::StageAssessed, v1).is_ok());
    let v1_craving = r#"{"stage":"action","craving":7,"instrument_version":1}"#;
    assert!(received(EntryKind::StageAssessed, v1_craving).is_err());
}

/// A meeting says which; a contact about the citizen (them absent) is not "seen"; a declined
/// approach is seen but is no conversation; intensity and the follow-up list count
/// conversations, over citizens with an open course only.
#[test]
fn contact_vocabulary_and_intensity() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "c.db");
    let finn = person(&store, "Finn");
    let refuses = person(&store, "Refuses weekly");
    let no_course = person(&store, "No course");
    for p in [&finn, &refuses] {
        open_course(&store, p, 40);
    }
    let subject = |id: &str| Subject::Person { id: id.into() };
    let meeting = ContactInput {
        kind: ContactKind::Meeting,
        place_kind: PlaceKind::TreatmentCentre,
        ..contact(subject(&finn))
    };
    assert!(
        matches!(store.record_contact(meeting.clone()), Err(Error::InvalidInput { field, .. }) if field == "meeting")
    );
    assert!(
        matches!(
            store.record_contact(ContactInput { meeting: Some(MeetingKind::PartnerMeeting), ..contact(subject(&finn)) }),
            Err(Error::InvalidInput { field, .. }) if field == "meeting"
        ),
        "a conversation is not a meeting"
    );
    store
        .record_contact(ContactInput {
            meeting: Some(MeetingKind::VisitationConference),
            occurred_at: ago(20),
            ..meeting
        })
        .unwrap();
    for days in [3, 10, 17, 24] {
        store
            .record_contact(ContactInput {
                outcome: Outcome::Declined,
                occurred_at: ago(days),
                ..contact(subject(&refuses))
            })
            .unwrap();
    }
    // A call to the GP about Finn yesterday: not seen, not a conversation.
    store
        .record_contact(ContactInput {
            kind: ContactKind::AboutCitizen,
            place_kind: PlaceKind::Gp,
            outcome: Outcome::ContactMade,
            occurred_at: ago(1),
            ..contact(subject(&finn))
        })
        .unwrap();
    store
        .record_contact(ContactInput {
            outcome: Outcome::NoShow,
            occurred_at: ago(2),
            ..contact(subject(&finn))
        })
        .unwrap();
    store
        .record_contact(ContactInput {
            occurred_at: ago(3),
            ..contact(subject(&no_course))
        })
        .unwrap();

    let summary = |id: &str| store.person(id.into()).unwrap().person;
    let f = summary(&finn);
    assert_eq!(f.intensity.conversations_14_days, 0);
    assert_eq!(
        f.intensity.conversations_30_days, 1,
        "the visitation conference"
    );
    assert_eq!(f.intensity.class, ContactIntensity::AdHoc);
    assert_eq!(
        &f.last_contact_at.unwrap().as_str()[..10],
        &ago(20).unwrap()[..10],
        "the GP call and the no-show are not seen"
    );
    let r = summary(&refuses);
    assert_eq!(r.intensity.conversations_30_days, 0);
    assert_eq!(
        &r.last_contact_at.unwrap().as_str()[..10],
        &ago(3).unwrap()[..10],
        "declined is seen"
    );

    let quiet: Vec<String> = store
        .not_talked_with()
        .unwrap()
        .into_iter()
        .map(|q| q.alias)
        .collect();
    assert_eq!(
        quiet,
        ["Refuses weekly", "Finn"],
        "never talked with first; no course, not listed"
    );
    let seen = store.not_talked_with().unwrap()[0].last_seen_at.clone();
    assert!(seen.is_some());

    // Two conversations this month, one in the last 14 days: ambulant.
    for days in [5, 20] {
        store
            .record_contact(ContactInput {
                occurred_at: ago(days),
                ..contact(subject(&finn))
            })
            .unwrap();
    }
    assert_eq!(summary(&finn).intensity.class, ContactIntensity::Ambulant);
    let quiet: Vec<String> = store
        .not_talked_with()
        .unwrap()
        .into_iter()
        .map(|q| q.alias)
        .collect();
    assert_eq!(quiet, ["Refuses weekly"]);
}

/// Noting a person whose alias is close to one already known names the candidates; the pairs
/// are listed until merged.
#[test]
fn possible_duplicates_are_named_and_listed() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "d.db");
    let add = |alias: &str, year: Option<i32>| {
        store
            .add_person(NewPerson {
                alias: alias.into(),
                description: None,
                birth_year: year,
                from_unknown: None,
                occurred_at: None,
            })
            .unwrap()
    };
    let first = add("Fløjte-Finn", Some(1971));
    assert!(first.warnings.is_empty());
    let second = add("Fløjte Finn", None);
    let warning = second
        .warnings
        .iter()
        .find(|w| w.code == "possible-duplicate")
        .expect("a warning");
    assert!(
        warning.da.contains("Fløjte-Finn") && warning.da.contains(&first.person),
        "{}",
        warning.da
    );
    let other = add("Fløjtefinn", Some(1995));
    assert!(
        other.warnings.iter().any(|w| w.da.contains("Fløjte Finn")),
        "no year on the second: compatible"
    );
    assert!(
        !other
            .warnings
            .iter()
            .any(|w| w.da.contains("Fløjte-Finn (")),
        "1971 and 1995 are two people"
    );
    add("Ole", None);
    assert!(add("Ola", None).warnings.is_empty());
    let pairs = store.possible_duplicates().unwrap();
    assert_eq!(pairs.len(), 2, "{pairs:#?}");
    store
        .merge_persons(first.person.clone(), second.person.clone())
        .unwrap();
    let pairs = store.possible_duplicates().unwrap();
    assert!(pairs.is_empty(), "merged: {pairs:#?}");
}

/// Every Danish text the instruments take from a seed is found in the seed, at the lines cited,
/// as printed (lines joined, words hyphenated across a line break joined, spacing collapsed).
#[test]
fn seed_texts_are_the_seeds() {
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/seeds");
    let mut checked = 0;
    for (text, at) in instruments::seed_texts() {
        let file = std::fs::read_to_string(seeds.join(format!("{}.txt", at.doc))).unwrap();
        let lines: Vec<&str> = file.lines().collect();
        let range = &lines[at.from as usize - 1..at.to as usize];
        let wanted = normalise(&[text.as_str()], true);
        // A hyphen at a line's end is a word broken in two ("pro-" / "blemer") or a compound's
        // own ("ad hoc-" / "samtaler"): the text must read as printed one way or the other.
        let found = [true, false].iter().any(|&joined| {
            let printed = normalise(range, joined);
            printed.contains(&wanted) || first_letter_only(&printed, &wanted)
        });
        assert!(
            found,
            "{at}: {wanted:?} is not in\n{}",
            normalise(range, true)
        );
        checked += 1;
    }
    assert!(checked > 60, "{checked} texts");
}

/// Whether `wanted` is in `printed` with only its first letter's case differing (a seed's item
/// in a sentence, a label starting a line).
fn first_letter_only(printed: &str, wanted: &str) -> bool {
    let mut chars = wanted.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest: String = chars.collect();
    [
        first.to_lowercase().to_string(),
        first.to_uppercase().to_string(),
    ]
    .iter()
    .any(|f| printed.contains(&format!("{f}{rest}")))
}

fn normalise(lines: &[&str], join_broken_words: bool) -> String {
    let mut out = String::new();
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        // A word broken at the line's end ("pro-" / "blemer") is one word.
        if out.ends_with('-')
            && out[..out.len() - 1]
                .chars()
                .last()
                .is_some_and(char::is_alphabetic)
            && line.chars().next().is_some_and(char::is_lowercase)
        {
            if join_broken_words {
                out.pop();
            }
        } else if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(line);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The occasion comes from the course's moments, not from what is stored: a baseline missed
/// does not turn the questionnaire at the end of motivation work into one; a baseline whose
/// moment has passed is no longer due; the order in time is held; a summary shows an answered
/// questionnaire over a later "not possible".
#[test]
fn occasions_follow_the_course_not_the_store() {
    use Occasion::*;
    use Questionnaire::*;
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "o.db");
    let ellen = person(&store, "Ellen");
    open_course(&store, &ellen, 60);
    phase(&store, &ellen, CoursePhase::Motivation, 50);
    phase(&store, &ellen, CoursePhase::Bridging, 10);
    // The motivation baseline was missed: it is no longer due; the follow-up is.
    let due_now = due(&store, &ellen);
    assert!(due_now.contains(&(Motivation, FollowUp)), "{due_now:?}");
    assert!(!due_now.contains(&(Motivation, Baseline)), "{due_now:?}");
    let taken = questionnaire(&store, &ellen, Motivation, vec![Some(3); 6]).unwrap();
    let EntryContent::QuestionnaireRecorded(c) = store.entry(taken.id).unwrap().content else {
        panic!()
    };
    assert_eq!(c.occasion, FollowUp, "taken at the end of motivation work");
    // A late baseline, said so, dated when motivation work began; but not after the follow-up.
    let late = |days: i64| {
        store.record(NewEntry::QuestionnaireRecorded(QuestionnaireInput {
            person: ellen.clone(),
            course: None,
            instrument: Motivation,
            occasion: Some(Baseline),
            answers: vec![Some(2); 6],
            not_possible: None,
            occurred_at: ago(days),
        }))
    };
    match late(0) {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "occasion"),
        other => panic!("{other:?}"),
    }
    late(45).unwrap();
    // The drug situation's baseline: answered, then "not possible" a day later; the summary
    // shows the answers.
    store
        .record(NewEntry::QuestionnaireRecorded(QuestionnaireInput {
            person: ellen.clone(),
            course: None,
            instrument: DrugSituation,
            occasion: None,
            answers: vec![Some(20), Some(3), Some(4)],
            not_possible: None,
            occurred_at: ago(2),
        }))
        .unwrap();
    store
        .record(NewEntry::QuestionnaireRecorded(QuestionnaireInput {
            person: ellen.clone(),
            course: None,
            instrument: DrugSituation,
            occasion: Some(Baseline),
            answers: vec![],
            not_possible: Some("for beruset i dag".into()),
            occurred_at: ago(1),
        }))
        .unwrap();
    // With a baseline recorded and the follow-up's moment not come, the worker says which.
    match questionnaire(
        &store,
        &ellen,
        DrugSituation,
        vec![Some(1), Some(1), Some(1)],
    ) {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "occasion"),
        other => panic!("{other:?}"),
    }
    let summaries = store.person(ellen.clone()).unwrap().questionnaires;
    let drugs = summaries
        .iter()
        .find(|s| s.instrument == DrugSituation)
        .unwrap();
    assert_eq!(drugs.items[0].baseline, Some(20));
    assert!(drugs.baseline_not_possible.is_none());
    let motivation = summaries
        .iter()
        .find(|s| s.instrument == Motivation)
        .unwrap();
    assert_eq!(
        (motivation.items[0].baseline, motivation.items[0].follow_up),
        (Some(2), Some(3))
    );
    // Treatment started: the health baselines' moment has passed; they are not due any more.
    store
        .record(NewEntry::TreatmentRequested(TreatmentRequestInput {
            person: ellen.clone(),
            course: None,
            occurred_at: ago(1),
        }))
        .unwrap();
    assert!(due(&store, &ellen).contains(&(PhysicalHealth, Baseline)));
    store
        .record(NewEntry::TreatmentStarted(TreatmentStartInput {
            person: ellen.clone(),
            course: None,
            offer: "Dagbehandling".into(),
            intensity: TreatmentIntensity::Day,
            counsellor: None,
            occurred_at: None,
        }))
        .unwrap();
    assert!(due(&store, &ellen).is_empty(), "{:?}", due(&store, &ellen));
}

/// A correction of a screening changes the answers it names and keeps the others; one named
/// twice is refused; a version-1 screening is corrected with met and not met, never "unknown".
#[test]
fn screening_corrections_change_only_what_they_name() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "sc.db");
    let p = person(&store, "Kim");
    let all = Criterion::ALL;
    let three = [
        BurdenArea::Crime,
        BurdenArea::Economy,
        BurdenArea::MentalHealth,
    ];
    let r = screening(
        &store,
        &p,
        &all[..4],
        &[],
        &three,
        &[],
        Decision::Undecided,
        None,
    )
    .unwrap();
    let correct = |c: ScreeningCorrection| {
        store.correct(CorrectionInput {
            entry: r.id.clone(),
            correction: Correction::ScreeningRecorded(c),
            occurred_at: None,
            reason: Some("asked again".into()),
        })
    };
    // Only the fifth criterion named: the four met stay met; now all six are known.
    correct(ScreeningCorrection {
        criteria: Some(vec![Criterion::BurdenedSituation]),
        decision: Some(Decision::In),
        ..Default::default()
    })
    .unwrap();
    let content = |id: &str| match store.entry(id.into()).unwrap().content {
        EntryContent::ScreeningRecorded(c) => c,
        other => panic!("{other:?}"),
    };
    let c = content(&r.id);
    assert_eq!(c.criteria.len(), 5, "{c:?}");
    assert_eq!(c.assessment.indicated, Some(true));
    match correct(ScreeningCorrection {
        criteria: Some(vec![Criterion::DrugUse]),
        criteria_not_met: Some(vec![Criterion::DrugUse]),
        ..Default::default()
    }) {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "criteria"),
        other => panic!("{other:?}"),
    }
    assert_eq!(content(&r.id).criteria.len(), 5, "unchanged");
}

/// Each entry is stamped with the oldest payload version that reads it, so a replica not yet
/// updated takes in a risk check or a plain contact from an updated phone and holds only what
/// uses version 2.
#[test]
fn entries_are_stamped_with_the_oldest_version_that_reads_them() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "v.db");
    let p = person(&store, "Kim");
    let version = |id: &str| {
        store
            .with_connection(|c| {
                Ok(c.query_row(
                    "SELECT schema_version FROM entries WHERE id = ?1",
                    [id],
                    |r| r.get::<_, u32>(0),
                )?)
            })
            .unwrap()
    };
    let check = store
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: p.clone() },
            observed: vec![BrosetItem::Irritability],
            plan: None,
            occurred_at: None,
        })
        .unwrap();
    assert_eq!(version(&check.id), 1);
    let plain = store
        .record_contact(contact(Subject::Person { id: p.clone() }))
        .unwrap();
    assert_eq!(version(&plain.id), 1);
    let no_show = store
        .record_contact(ContactInput {
            outcome: Outcome::NoShow,
            ..contact(Subject::Person { id: p.clone() })
        })
        .unwrap();
    assert_eq!(version(&no_show.id), 2);
    let stage = store
        .record_stage(StageInput {
            person: p.clone(),
            stage: Stage::Action,
            importance: None,
            confidence: None,
            recovery_goal: None,
            life_control: None,
            craving: None,
            occurred_at: None,
        })
        .unwrap();
    assert_eq!(version(&stage.id), 2, "stages version 2");
    let note = store
        .amend(
            plain.id.clone(),
            r#"{"note":"talked about a bed"}"#.into(),
            None,
            None,
        )
        .unwrap();
    assert_eq!(version(&note.id), 1);
    let outcome = store
        .amend(
            plain.id.clone(),
            r#"{"outcome":"left-for-safety"}"#.into(),
            None,
            None,
        )
        .unwrap();
    assert_eq!(version(&outcome.id), 2);
    // An entry that says version 1 but uses version 2's content is refused where it arrives:
    // a replica not yet updated would refuse it for good.
    let hlc = gadeplan_core::clock::Hlc {
        wall_ms: Utc::now().timestamp_millis() - 1_000,
        counter: 0,
        device: "01a20000-0000-7000-8000-0000000000bb".into(),
    };
    let mut understated = gadeplan_core::journal::Entry {
        id: gadeplan_core::journal::entry_id_for(&hlc).unwrap(),
        kind: EntryKind::ContactLogged,
        schema_version: 1,
        subject: p.clone().into(),
        author_worker: "Jonas".into(),
        author_device: hlc.device.clone().into(),
        occurred_at: gadeplan_core::journal::format_timestamp(Utc::now() - Duration::seconds(2)),
        recorded_at: hlc.encode(),
        payload:
            r#"{"place":"Lægen","place_kind":"gp","kind":"about-citizen","outcome":"contact-made"}"#
                .into(),
    };
    let now_ms = Utc::now().timestamp_millis();
    match gadeplan_core::ingest::check(&understated, now_ms) {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "schema_version"),
        other => panic!("{other:?}"),
    }
    understated.schema_version = 2;
    assert!(gadeplan_core::ingest::check(&understated, now_ms).is_ok());
}

/// A version-1 screening in a store (an unticked criterion stored as not met) keeps its
/// meaning through the upgrade's rebuild: its indication and the person's decision.
#[test]
fn a_stored_version_1_screening_keeps_its_meaning_through_a_rebuild() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "r.db");
    let p = person(&store, "Kim");
    let v1 = r#"{"criteria":{"section-101":true,"drug-use":true,"limited-treatment-use":true,"multi-system-need":true,"burdened-situation":true},"high_burden":{"physical-health":true,"mental-health":true,"economy":false,"crime":true,"family-social":false},"decision":"in","instrument_version":1}"#;
    let hlc = gadeplan_core::clock::Hlc {
        wall_ms: Utc::now().timestamp_millis() - 60_000,
        counter: 0,
        device: "01a20000-0000-7000-8000-0000000000aa".into(),
    };
    let entry = gadeplan_core::journal::Entry {
        id: gadeplan_core::journal::entry_id_for(&hlc).unwrap(),
        kind: EntryKind::ScreeningRecorded,
        schema_version: 1,
        subject: p.clone().into(),
        author_worker: "Jonas".into(),
        author_device: hlc.device.clone().into(),
        occurred_at: gadeplan_core::journal::format_timestamp(Utc::now() - Duration::minutes(1)),
        recorded_at: hlc.encode(),
        payload: v1.into(),
    };
    store
        .with_connection(|c| {
            gadeplan_core::entries::insert(c, &entry)?;
            let payload = Payload::read(entry.kind, &entry.payload)?;
            gadeplan_core::kinds::apply(c, &entry, &payload)
        })
        .unwrap();
    let indicated = |store: &Store| {
        store
            .with_connection(|c| {
                Ok(c.query_row(
                    "SELECT indicated, complex_burden FROM screenings",
                    [],
                    |r| Ok((r.get::<_, Option<bool>>(0)?, r.get::<_, Option<bool>>(1)?)),
                )?)
            })
            .unwrap()
    };
    assert_eq!(indicated(&store), (Some(true), Some(true)));
    store.rebuild_projections().unwrap();
    assert_eq!(indicated(&store), (Some(true), Some(true)));
    assert_eq!(
        store.person(p).unwrap().person.screening,
        Some(Decision::In)
    );
}
