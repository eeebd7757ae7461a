//! The initial treatment plan, Bilag 1C (issue 13): set on the open course and revised by a new
//! plan, specific goals evaluated on the seed's six answers, the cooperation noted as free text,
//! the handover document in Danish with the form's labels; a plan file with unknown fields or
//! wrong types refused naming the field; warnings for a course bridging without a plan and a
//! plan without a crisis plan.

mod common;

use common::*;
use gadeplan_core::*;
use tempfile::TempDir;

fn open_course(store: &Store, person: &str) {
    store
        .record(NewEntry::CourseOpened(CourseInput {
            person: person.into(),
            responsible: vec![],
            found_via: FoundVia::OwnOutreach,
            attachment_treatment: None,
            attachment_substitution: None,
            attachment_services: None,
            occurred_at: None,
        }))
        .unwrap();
}

const PLAN: &str = r#"{
  "goal": "Heroin og piller",
  "goal_kind": "reduction",
  "achieve": "At kunne passe en lejlighed <og> sin hund",
  "services": "Substitution og samtaler",
  "partners": [{"name": "Anna fra bostøtten", "phone": "+45 12 34 56 78"}],
  "plans": [
    {"goal": "Møde op til første samtale", "citizen_effort": "Stå op i tide", "worker_effort": "Hente ham"},
    {"goal": "Få en lægetid", "others_effort": "Bostøtten ringer"}
  ]
}"#;

#[test]
fn a_plan_is_set_evaluated_revised_and_handed_over_as_a_document() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "p.db");
    let kim = person(&store, "Kim");
    open_course(&store, &kim);
    let moved = store
        .record(NewEntry::CoursePhaseSet(CoursePhaseInput {
            person: kim.clone(),
            course: None,
            phase: CoursePhase::Bridging,
            occurred_at: None,
        }))
        .unwrap();
    assert!(
        moved
            .warnings
            .iter()
            .any(|w| w.code == "bridging-without-plan"),
        "{:?}",
        moved.warnings
    );

    let fields = parse_plan_file(PLAN).unwrap();
    let set = store
        .record(NewEntry::PlanSet(PlanInput {
            person: kim.clone(),
            course: None,
            fields,
            occurred_at: None,
        }))
        .unwrap();
    let codes: Vec<String> = set.warnings.iter().map(|w| w.code.clone()).collect();
    assert_eq!(codes, vec!["crisis-plan-empty"]);

    let evaluate = |goal: u32, reached: GoalReached| {
        store.record(NewEntry::PlanEvaluated(EvaluationInput {
            person: kim.clone(),
            course: None,
            goal,
            reached,
            closer: Some("Ja, lidt".into()),
            comment: None,
            occurred_at: None,
        }))
    };
    evaluate(1, GoalReached::YesMore).unwrap();
    let entries = entry_count(&store);
    let err = evaluate(3, GoalReached::Yes).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "goal"),
        "{err:?}"
    );
    let err = evaluate(0, GoalReached::Yes).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "goal"),
        "{err:?}"
    );
    assert_eq!(entry_count(&store), entries);
    store
        .record(NewEntry::CooperationNoted(CooperationInput {
            person: kim.clone(),
            course: None,
            satisfaction: Some("Godt tilfreds".into()),
            citizen_comments: Some("I kommer, når I siger det".into()),
            worker_comments: None,
            occurred_at: None,
        }))
        .unwrap();

    let plan = store.person(kim.clone()).unwrap().plan.unwrap();
    assert_eq!(plan.fields.plans.len(), 2);
    assert_eq!(plan.evaluations.len(), 1);
    assert_eq!(plan.evaluations[0].reached, GoalReached::YesMore);
    assert_eq!(plan.cooperation.len(), 1);

    let html = store.plan_document(kim.clone()).unwrap();
    for label in [
        "Indledende behandlingsplan",
        "Borgerens overordnede mål i forhold til indtag af:",
        "Hvad ønsker borgeren at opnå ved det overordnede mål:",
        "Ud fra de ydelser som Center for Misbrugsbehandlingen kan tilbyde",
        "Andre bemærkninger og opmærksomhedspunkter:",
        "Samarbejdspartnere:",
        "Telefon:",
        "Specifikke planer",
        "Borgerens indsats:",
        "Andres indsats:",
        "Medarbejderens indsats:",
        "Eventuelle bemærkninger:",
        "Kriseplan",
        "I tilfælde af akut krise – hvilke initiativer og hvilken støtte ønsker borgeren:",
        "Evaluering af delplan",
        "Er målet nået:",
        "Ja, mere end det",
        "Er borgeren kommet nærmere sit overordnede mål:",
        "Kommentarer fra medarbejder:",
        "Samarbejdet",
        "Hvor tilfreds er borgeren med samarbejdet med medarbejderen?",
        "Kommentarer fra borgeren:",
        "Kommentarer fra medarbejderen:",
        "Heroin og piller (Reduktion af stofforbrug)",
    ] {
        assert!(html.contains(label), "the document lacks {label:?}");
    }
    // Recorded text is escaped, never markup.
    assert!(html.contains("lejlighed &lt;og&gt; sin hund"));

    // A revision is a new plan; the evaluations belong to the revision they were made on.
    let mut revised = parse_plan_file(PLAN).unwrap();
    revised.crisis_plan = Some("Ring til Anna; ellers vagten".into());
    let r = store
        .record(NewEntry::PlanSet(PlanInput {
            person: kim.clone(),
            course: None,
            fields: revised,
            occurred_at: None,
        }))
        .unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let plan = store.person(kim.clone()).unwrap().plan.unwrap();
    assert_eq!(plan.entry_id, r.id);
    assert!(plan.evaluations.is_empty());
    assert_eq!(
        plan.fields.crisis_plan.as_deref(),
        Some("Ring til Anna; ellers vagten")
    );
}

#[test]
fn a_plan_file_with_unknown_fields_or_wrong_types_names_the_field() {
    for (text, field) in [
        (r#"{"goal": "x", "wishes": "y"}"#, "wishes"),
        (r#"{"goal": 3}"#, "goal"),
        (
            r#"{"goal": "x", "plans": [{"goal": "a"}, {"goal": "b", "effort": "c"}]}"#,
            "plans[1].effort",
        ),
        (
            r#"{"goal": "x", "plans": [{"goal": "a"}, {"goal": ["b"]}]}"#,
            "plans[1].goal",
        ),
        (r#"{"goal": "x", "goal_kind": "sobriety"}"#, "goal_kind"),
        (r#"{"achieve": "x"}"#, "plan"),
        ("not json", "plan"),
    ] {
        let err = parse_plan_file(text).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput { field: f, .. } if f == field),
            "{text}: {err:?}"
        );
    }
    // An empty goal passes the file but not the plan's rules.
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "f.db");
    let kim = person(&store, "Kim");
    open_course(&store, &kim);
    let err = store
        .record(NewEntry::PlanSet(PlanInput {
            person: kim,
            course: None,
            fields: parse_plan_file(r#"{"goal": "  "}"#).unwrap(),
            occurred_at: None,
        }))
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "goal"),
        "{err:?}"
    );
}
