//! `gadeplan demo`: a week of outreach, simulated end to end, that checks its own result.
//!
//! A centre starts in this process on a loopback port with a temporary data directory. Three
//! phones enrol: Mette and Jonas of team Vesterbro, Aisha of team Nørrebro. For seven simulated
//! days they note citizens by nickname, score Brøset checks in every band, record contacts,
//! pre-screen with every decision and follow stages of change. The same man is noted twice and
//! merged; two workers change the same description without seeing each other, and the conflict is
//! settled. Phones are offline for stretches, and their connection drops requests, drops answers
//! after the centre acted, repeats requests and cuts answers short. Then they sync until quiet,
//! the centre's report is printed, and the run checks that the centre and every phone agree, with
//! nothing lost, doubled or leaked across teams. At the end the phones purge an old acquaintance
//! whose course closed thirteen months ago, and the centre erases one note everywhere
//! (`privacy`); both are checked by searching every file. Any failed check makes the command fail.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use chrono::{Duration, Utc};
use gadeplan_centre::{Centre, RunningCentre};
use gadeplan_core::{
    AlertKind, AreaInput, AreaPriority, BridgeInput, BridgeService, BridgeStatus, BrosetItem,
    CheckinAcknowledgementInput, CheckinEndInput, CheckinInput, CheckinMessageKind, CheckinReason,
    CloseReason, ContactInput, ContactKind, CourseCloseInput, CourseInput, CoursePhase,
    CoursePhaseInput, Decision, DuplicateCandidate, Error, FoundVia, GoalKind, GuaranteeState,
    HandoverInput, IncidentInput, IncidentKind, NewEntry, NewPerson, Outcome, PersonUpdate,
    PlaceInput, PlaceKind, PlanFields, PlanInput, PlanPartner, Questionnaire, QuestionnaireInput,
    RiskCheckInput, RoundInput, ServicesAttachment, SpecificPlan, Store, Subject,
    SubstitutionAttachment, TreatmentAttachment, TreatmentIntensity, TreatmentRequestInput,
    TreatmentStartInput, TreatmentStatus, VisitRule, VisitationInput, VisitationKind,
    VisitationResult, Weekday,
};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Value, json};

use gadeplan_testkit::Dice;
use gadeplan_testkit::world::{random_action, screening};

mod privacy;

use crate::faults::{FaultRates, FaultyTransport};
use crate::transport::HttpTransport;

const DAYS: i64 = 7;
const STEPS_PER_DAY: i64 = 8;
const VESTERBRO: &str = "Vesterbro";
const NORREBRO: &str = "Nørrebro";

struct Phone {
    worker: &'static str,
    team: &'static str,
    store: Arc<Store>,
    /// Its store file and key: the data-protection checks search its files (`privacy`).
    path: std::path::PathBuf,
    key: [u8; 32],
    link: Arc<FaultyTransport<HttpTransport>>,
    /// Every entry id this phone reported as recorded: each must end up everywhere it belongs.
    recorded: Vec<String>,
}

fn centre_error(r: gadeplan_centre::Refusal) -> Error {
    Error::storage(format!("centre: {r}"))
}

/// The demo; with `serve` (an address to listen on), its centre is then left running with the
/// team leader's page until Ctrl-C (`serve_page`).
pub fn run(seed: u64, serve: Option<&str>) -> Result<Value, Error> {
    let started = std::time::Instant::now();
    let work = std::env::temp_dir().join(format!("gadeplan-demo-{}-{seed}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| Error::storage(e.to_string()))?;
    let mut outcome = run_in(&work, seed, serve.is_some());
    if let (Ok(summary), Some(listen)) = (&mut outcome, serve) {
        summary["seconds"] = json!((started.elapsed().as_secs_f64() * 10.0).round() / 10.0);
        match serve_page(&work, listen) {
            Ok(served) => summary["served"] = served,
            Err(e) => outcome = Err(e),
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    let mut summary = outcome?;
    summary["seconds"] = json!((started.elapsed().as_secs_f64() * 10.0).round() / 10.0);
    Ok(summary)
}

/// The demo's page left running: accounts for a leader of Vesterbro (`leder`), an operator
/// (`drift`) and an auditor (`revisor`), each with a password made here, printed once as one
/// JSON line on stdout with the page's address and the data directory (for the operator's
/// commands beside it), then served until Ctrl-C or SIGTERM.
fn serve_page(work: &Path, listen: &str) -> Result<Value, Error> {
    use gadeplan_centre::accounts::Role;
    let data = work.join("centre");
    let operator = Centre::open(&data).map_err(centre_error)?;
    let mut accounts = Vec::new();
    for (name, role, team) in [
        ("leder", Role::Leader, Some(VESTERBRO)),
        ("drift", Role::Operator, None),
        ("revisor", Role::Auditor, None),
    ] {
        let password = format!(
            "{}-{}",
            gadeplan_centre::secrets::new_code(),
            gadeplan_centre::secrets::new_code()
        );
        operator
            .add_user(name, role, team, &password)
            .map_err(centre_error)?;
        accounts.push(json!({"name": name, "role": role, "team": team, "password": password}));
    }
    drop(operator);
    gadeplan_centre::server::start_log();
    let accounts = json!(accounts);
    let shown = accounts.clone();
    let data_shown = data.clone();
    gadeplan_centre::server::serve_until_interrupted(
        &gadeplan_centre::Database::embedded(&data),
        listen,
        &gadeplan_centre::server::Settings::default(),
        move |addr| {
            use std::io::Write;
            let line = json!({"page": format!("http://{addr}/"), "data": data_shown, "accounts": shown});
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
            eprintln!(
                "\nThe team leader's page: http://{addr}/ — sign in as `leder` (Vesterbro's leader), \
                 `drift` (operator) or `revisor` (auditor) with the passwords above. Ctrl-C stops it."
            );
        },
    )
    .map_err(centre_error)?;
    Ok(json!({"accounts": accounts}))
}

fn run_in(work: &Path, seed: u64, serve: bool) -> Result<Value, Error> {
    let data = work.join("centre");
    let operator = Centre::open(&data).map_err(centre_error)?;
    for team in [VESTERBRO, NORREBRO] {
        operator.add_team(team).map_err(centre_error)?;
    }
    let centre = RunningCentre::start(&data, "127.0.0.1:0").map_err(centre_error)?;
    eprintln!(
        "centre listening on {} (data in a temporary directory)",
        centre.url()
    );

    let mut phones = Vec::new();
    for (i, (worker, team)) in [
        ("Mette", VESTERBRO),
        ("Jonas", VESTERBRO),
        ("Aisha", NORREBRO),
    ]
    .into_iter()
    .enumerate()
    {
        // Demo keys, made from the seed so that a run can be repeated; a phone's key is random.
        let mut key = [0u8; 32];
        key.iter_mut().enumerate().for_each(|(j, b)| {
            *b = (seed as u8)
                .wrapping_mul(31)
                .wrapping_add((i * 32 + j) as u8)
        });
        let path = work.join(format!("{worker}.db"));
        let store = Store::create(
            path.to_string_lossy().into_owned(),
            key.to_vec(),
            worker.into(),
            format!("{worker}'s phone"),
        )?;
        let code = operator
            .new_enrolment(team, worker, 1)
            .map_err(centre_error)?
            .code;
        store.enrol(
            Arc::new(HttpTransport::new(&centre.url())),
            centre.url(),
            code,
        )?;
        let link = Arc::new(FaultyTransport::new(
            HttpTransport::new(&centre.url()),
            FaultRates::PARK,
            seed + i as u64,
        ));
        phones.push(Phone {
            worker,
            team,
            store,
            path,
            key,
            link,
            recorded: Vec::new(),
        });
    }
    eprintln!("three phones enrolled: Mette and Jonas (Vesterbro), Aisha (Nørrebro)");

    let mut dice = Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let week_start = Utc::now() - Duration::days(DAYS);
    let mut story = Story::default();

    let bar = progress(DAYS * STEPS_PER_DAY, "a week of outreach");
    for day in 0..DAYS {
        for step in 0..STEPS_PER_DAY {
            let at = week_start + Duration::days(day) + Duration::hours(8 + step * 2);
            let at_text = Some(at.to_rfc3339());
            for phone in &phones {
                // Out of signal for stretches: a third of the time, and Aisha all of day 3.
                let offline = dice.chance(33) || (phone.worker == "Aisha" && day == 3);
                phone.link.set_offline(offline);
            }
            story.scripted(&mut phones, day, step, &at_text)?;
            let scripted: Vec<String> = story.courses.iter().map(|c| c.1.clone()).collect();
            for phone in phones.iter_mut() {
                for _ in 0..=dice.below(2) {
                    let id = random_action(
                        &phone.store,
                        phone.worker,
                        &mut phone.recorded,
                        &mut dice,
                        &at_text,
                        &scripted,
                    )?;
                    phone.recorded.extend(id);
                }
                try_sync(phone)?;
            }
            bar.inc(1);
        }
    }
    bar.finish_and_clear();

    // Back at the centre: each worker merges the citizens they noted twice.
    for phone in phones.iter_mut() {
        phone.link.set_offline(false);
        sync_until_done(phone)?;
        story.merged_at_the_end += merge_own_duplicates(phone)?;
    }

    // The afternoon, now: two home visits alone with check-ins the centre watches.
    story.checkins(&mut phones, &operator)?;
    // An old acquaintance the phones no longer need, and a note a citizen wants erased.
    let (gunnar, note) = privacy::record(&mut phones)?;

    // Back at the centre's wifi, still over the faulty link: sync until nothing moves.
    let bar = progress(0, "syncing until quiet");
    let mut rounds = 0;
    loop {
        rounds += 1;
        let mut moved = false;
        for phone in &phones {
            phone.link.set_offline(false);
            let report = sync_until_done(phone)?;
            moved |= report.pushed + report.pulled > 0 || !report.in_step;
        }
        bar.inc(1);
        if !moved || rounds >= 20 {
            break;
        }
    }
    bar.finish_and_clear();

    let privacy = privacy::erase(&phones, &operator, gunnar, note)?;
    story.centre_made.push((VESTERBRO, privacy.erasure.clone()));
    let mut checks = check(&operator, &phones, &story)?;
    privacy::check(
        &privacy,
        &phones,
        &operator,
        &data,
        &mut |name, ok, detail| checks.push((name.to_string(), ok, detail)),
    )?;
    if serve {
        leave_overdue_checkins(&phones)?;
    }
    let reports: Vec<_> = [VESTERBRO, NORREBRO]
        .iter()
        .map(|t| operator.report(t, Utc::now()))
        .collect::<Result<_, _>>()
        .map_err(centre_error)?;
    eprintln!();
    for r in &reports {
        eprintln!("{}", r.to_table());
    }
    for (name, ok, detail) in &checks {
        eprintln!(
            "  [{}] {name}{}",
            if *ok { "ok" } else { "FAILED" },
            if detail.is_empty() {
                String::new()
            } else {
                format!(": {detail}")
            }
        );
    }
    let failed: Vec<&String> = checks
        .iter()
        .filter(|(_, ok, _)| !ok)
        .map(|(n, _, _)| n)
        .collect();
    let faults: Value = phones
        .iter()
        .map(|p| (p.worker.to_string(), p.link.counts.summary()))
        .collect::<serde_json::Map<_, _>>()
        .into();
    if !failed.is_empty() {
        return Err(Error::storage(format!(
            "the demo's checks failed: {failed:?}"
        )));
    }
    Ok(json!({
        "ok": true,
        "seed": seed,
        "entries_recorded": phones.iter().map(|p| p.recorded.len()).sum::<usize>(),
        "sync_rounds_until_quiet": rounds,
        "checks": checks.iter().map(|(n, ok, d)| json!({"check": n, "ok": ok, "detail": d})).collect::<Vec<_>>(),
        "faults_injected": faults,
        "report": reports,
    }))
}

/// For the page left running: Mette and Jonas each on a home visit alone that went 20 minutes
/// past its time, each watched by the other, for the leader to see and take charge of.
fn leave_overdue_checkins(phones: &[Phone]) -> Result<(), Error> {
    for (phone, watcher, place) in [
        (&phones[0], "Jonas", "Istedgade 30, 1. th."),
        (&phones[1], "Mette", "Enghavevej 12, st."),
    ] {
        phone.store.record(NewEntry::CheckinStarted(CheckinInput {
            place: place.into(),
            watcher: watcher.into(),
            minutes: 30,
            reason: CheckinReason::SoloHomeVisit,
            person: None,
            high_risk: false,
            occurred_at: Some((Utc::now() - Duration::minutes(50)).to_rfc3339()),
        }))?;
        phone.link.set_offline(false);
        sync_until_done(phone)?;
    }
    Ok(())
}

fn progress(len: i64, what: &'static str) -> ProgressBar {
    let bar = if len > 0 {
        ProgressBar::new(len as u64)
    } else {
        ProgressBar::new_spinner()
    };
    bar.set_style(
        ProgressStyle::with_template("{msg:24} [{bar:30}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what);
    bar
}

/// One sync attempt; a failed connection is the normal case in the field and is just retried later.
fn try_sync(phone: &Phone) -> Result<Option<gadeplan_core::SyncReport>, Error> {
    match phone.store.sync(phone.link.clone()) {
        Ok(report) => Ok(Some(report)),
        Err(Error::Unreachable { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

fn sync_until_done(phone: &Phone) -> Result<gadeplan_core::SyncReport, Error> {
    for _ in 0..100 {
        if let Some(report) = try_sync(phone)? {
            return Ok(report);
        }
    }
    Err(Error::Unreachable {
        detail: format!("{}'s phone never got through", phone.worker),
    })
}

/// The scripted parts of the week: every band and decision, a duplicate merged, a conflict settled.
#[derive(Default)]
struct Story {
    /// Entries the centre made itself (an erasure), by team.
    centre_made: Vec<(&'static str, String)>,
    /// Citizens Mette takes along the whole path of a course (a plan, bridging, the wish, the
    /// visitation, the start, the handover, a bridge to the GP, the closing), with the guarantee
    /// each should show in the end: Karl and Mads started within the 14 days, Ellen after them
    /// (her wish was three weeks before the week began), Sofie still waiting.
    courses: Vec<(&'static str, String, GuaranteeState)>,
    duplicate: Option<(String, String)>,
    /// Whether Mette found the duplicate among the phone's possible duplicates, and the
    /// warning Jonas's phone gave when he noted him (the first was there already).
    duplicate_found: bool,
    duplicate_warned: bool,
    /// The same citizen noted twice by one worker during the week, merged at its end.
    merged_at_the_end: usize,
    /// Safety incidents recorded.
    incidents: u64,
    /// Mette's check-in for a home visit alone that she ended in time.
    checkin_in_time: Option<String>,
    /// Her check-in that went overdue (her phone had died): Jonas watched and took charge.
    checkin_overdue: Option<String>,
    /// Whether Jonas's phone showed him the overdue check-in.
    watcher_alerted: bool,
    /// The SMS Mette's phone composed for Jonas when she came out.
    sms: Option<String>,
    /// Café Dugnad, a place of the register visited only when called.
    called_place: Option<String>,
    /// Whether Jonas's visit there, not called, was warned.
    place_warned: bool,
    contested: Option<String>,
    conflict_seen_on: BTreeSet<&'static str>,
}

impl Story {
    /// Mette notes the team's map (Bilag 2B): two areas, three places with their visit rules,
    /// the Tuesday round.
    fn map(&mut self, phones: &mut [Phone], at: &Option<String>) -> Result<(), Error> {
        let mette = &mut phones[0];
        let mut record = |input: NewEntry| -> Result<String, Error> {
            let r = mette.store.record(input)?;
            mette.recorded.push(r.id.clone());
            Ok(r.id)
        };
        let area = |name: &str, priority, times: &str| {
            NewEntry::AreaNoted(AreaInput {
                name: name.into(),
                priority,
                times: Some(times.into()),
                note: None,
                occurred_at: at.clone(),
            })
        };
        let halmtorvet = record(area(
            "Halmtorvet",
            AreaPriority::High,
            "formiddag; først på måneden",
        ))?;
        let havnen = record(area("Havnen", AreaPriority::Normal, "aften, om sommeren"))?;
        let place = |name: &str, kind, area: &str, rule, call: Option<&str>| {
            NewEntry::PlaceNoted(PlaceInput {
                name: name.into(),
                kind,
                rule,
                area: Some(area.into()),
                address: None,
                latitude: None,
                longitude: None,
                call: call.map(Into::into),
                note: None,
                occurred_at: at.clone(),
            })
        };
        let dugnad = record(place(
            "Café Dugnad",
            PlaceKind::DropIn,
            &halmtorvet,
            VisitRule::OnlyWhenCalled,
            Some("personalet ringer til teamet"),
        ))?;
        let boformen = record(place(
            "Boformen",
            PlaceKind::Shelter,
            &halmtorvet,
            VisitRule::AnnouncedOnly,
            Some("vagten i receptionen"),
        ))?;
        record(place(
            "Bænken ved kajen",
            PlaceKind::Street,
            &havnen,
            VisitRule::Open,
            None,
        ))?;
        record(NewEntry::RoundPlanned(RoundInput {
            name: "Tirsdagsruten".into(),
            weekday: Weekday::Tuesday,
            time: "10:00".into(),
            places: vec![boformen, dugnad.clone()],
            note: None,
            occurred_at: at.clone(),
        }))?;
        self.called_place = Some(dugnad);
        Ok(())
    }

    /// Two home visits alone, in real time, since the centre's timer runs in real time: one
    /// ended in time (with the SMS for the watcher the phone composes), one that went overdue
    /// and reached Jonas, who took charge; then Mette, out again, ends it.
    fn checkins(&mut self, phones: &mut [Phone], operator: &Centre) -> Result<(), Error> {
        let (mette, jonas) = match phones {
            [mette, jonas, ..] => (mette, jonas),
            _ => return Ok(()),
        };
        let start = |store: &Store, minutes: u32, at: Option<String>| {
            store.record(NewEntry::CheckinStarted(CheckinInput {
                place: "Sundholmsvej 9, 2. tv.".into(),
                watcher: "Jonas".into(),
                minutes,
                reason: CheckinReason::SoloHomeVisit,
                person: None,
                high_risk: false,
                occurred_at: at,
            }))
        };
        let end = |store: &Store| {
            store.record(NewEntry::CheckinEnded(CheckinEndInput {
                checkin: None,
                code: None,
                on_behalf: false,
                occurred_at: None,
            }))
        };
        let in_time = start(&mette.store, 45, None)?;
        mette.recorded.push(in_time.id.clone());
        sync_until_done(mette)?;
        let out = end(&mette.store)?;
        mette.recorded.push(out.id);
        self.sms = Some(
            mette
                .store
                .checkin_message(Some(in_time.id.clone()), CheckinMessageKind::Ended)?
                .text,
        );
        sync_until_done(mette)?;
        self.checkin_in_time = Some(in_time.id);

        // Started 40 minutes ago for 30: due 10 minutes ago, past the grace of 5.
        let started = (Utc::now() - Duration::minutes(40)).to_rfc3339();
        let late = start(&mette.store, 30, Some(started))?;
        mette.recorded.push(late.id.clone());
        sync_until_done(mette)?;
        // The centre's timer takes the first step within its second.
        for _ in 0..50 {
            let escalated = operator
                .checkins(Some(VESTERBRO), 1, true)
                .map_err(centre_error)?
                .iter()
                .any(|c| c.id == late.id && !c.steps.is_empty());
            if escalated {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        sync_until_done(jonas)?;
        self.watcher_alerted = jonas
            .store
            .alerts()?
            .iter()
            .any(|a| a.checkin == late.id && a.kind == AlertKind::ColleagueOverdue);
        let ack =
            jonas
                .store
                .record(NewEntry::CheckinAcknowledged(CheckinAcknowledgementInput {
                    checkin: late.id.clone(),
                    occurred_at: None,
                }))?;
        jonas.recorded.push(ack.id);
        sync_until_done(jonas)?;
        let out = end(&mette.store)?;
        mette.recorded.push(out.id);
        sync_until_done(mette)?;
        self.checkin_overdue = Some(late.id);
        Ok(())
    }

    fn scripted(
        &mut self,
        phones: &mut [Phone],
        day: i64,
        step: i64,
        at: &Option<String>,
    ) -> Result<(), Error> {
        let mette = |phones: &mut [Phone], input: NewEntry| -> Result<String, Error> {
            let r = phones[0].store.record(input)?;
            phones[0].recorded.push(r.id.clone());
            Ok(r.id)
        };
        let course = |person: &str, at: &Option<String>| {
            NewEntry::CourseOpened(CourseInput {
                person: person.into(),
                responsible: vec!["Mette".into(), "Jonas".into()],
                found_via: FoundVia::ShelterDropIn,
                attachment_treatment: Some(TreatmentAttachment::KnownNoContact),
                attachment_substitution: Some(SubstitutionAttachment::Earlier),
                attachment_services: Some(ServicesAttachment::Current),
                occurred_at: at.clone(),
            })
        };
        let step_of = |person: &str, at: &Option<String>, n: usize| -> NewEntry {
            let person = person.to_string();
            match n {
                0 => NewEntry::CoursePhaseSet(CoursePhaseInput {
                    person,
                    course: None,
                    phase: CoursePhase::Bridging,
                    occurred_at: at.clone(),
                }),
                1 => NewEntry::TreatmentVisited(VisitationInput {
                    person,
                    course: None,
                    kind: VisitationKind::Direct,
                    result: VisitationResult::Admitted,
                    offer: Some("Dagbehandling".into()),
                    occurred_at: at.clone(),
                }),
                2 => NewEntry::TreatmentStarted(TreatmentStartInput {
                    person,
                    course: None,
                    offer: "Dagbehandling i Rusmiddelcentret".into(),
                    intensity: TreatmentIntensity::Day,
                    counsellor: Some("Birgitte".into()),
                    occurred_at: at.clone(),
                }),
                3 => NewEntry::TreatmentHandedOver(HandoverInput {
                    person,
                    course: None,
                    counsellor: "Birgitte".into(),
                    plan_handed_over: true,
                    support: Some("Følges til de to første samtaler".into()),
                    notify_no_shows: true,
                    occurred_at: at.clone(),
                }),
                _ => NewEntry::ServiceBridged(BridgeInput {
                    person,
                    course: None,
                    service: BridgeService::Gp,
                    status: BridgeStatus::StableContact,
                    contact: None,
                    occurred_at: at.clone(),
                }),
            }
        };
        match (day, step) {
            (0, 1) => {
                // Three citizens with open courses; Karl and Sofie wish for treatment now, Ellen
                // said so three weeks before the week began.
                let week_start = at
                    .as_deref()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .expect("the demo's times are RFC 3339");
                for (alias, expected, wished) in [
                    ("Kaffe-Karl", GuaranteeState::Met, week_start),
                    (
                        "Ellen fra kirken",
                        GuaranteeState::Breached,
                        week_start - Duration::days(21),
                    ),
                    ("Mads med cyklen", GuaranteeState::Met, week_start),
                    ("Sofie", GuaranteeState::Waiting, week_start),
                ] {
                    let r = phones[0].store.add_person(NewPerson {
                        alias: alias.into(),
                        description: None,
                        birth_year: None,
                        from_unknown: None,
                        occurred_at: at.clone(),
                    })?;
                    phones[0].recorded.push(r.entry);
                    // Each course opened by the day of the citizen's wish (Ellen's three weeks
                    // back, before the week began).
                    let opened = Some(wished.to_rfc3339());
                    mette(phones, course(&r.person, &opened))?;
                    mette(
                        phones,
                        NewEntry::PlanSet(PlanInput {
                            person: r.person.clone(),
                            course: None,
                            fields: PlanFields {
                                goal: "Heroin og piller".into(),
                                goal_kind: Some(GoalKind::Reduction),
                                achieve: Some("At have et sted at bo og passe sin hund".into()),
                                services: Some("Substitution og samtaler".into()),
                                remarks: None,
                                partners: vec![PlanPartner {
                                    name: "Anna fra bostøtten".into(),
                                    phone: Some("+45 12 34 56 78".into()),
                                }],
                                plans: vec![SpecificPlan {
                                    goal: "Møde op til første samtale".into(),
                                    citizen_effort: Some("Stå op i tide".into()),
                                    others_effort: None,
                                    worker_effort: Some("Hente ham og gå med".into()),
                                    remarks: None,
                                }],
                                crisis_plan: Some("Ring til Anna; om natten til vagten".into()),
                            },
                            occurred_at: at.clone(),
                        }),
                    )?;
                    mette(
                        phones,
                        NewEntry::TreatmentRequested(TreatmentRequestInput {
                            person: r.person.clone(),
                            course: None,
                            occurred_at: Some(wished.to_rfc3339()),
                        }),
                    )?;
                    // Motivation work starts, and its baseline questionnaire is taken.
                    mette(
                        phones,
                        NewEntry::CoursePhaseSet(CoursePhaseInput {
                            person: r.person.clone(),
                            course: None,
                            phase: CoursePhase::Motivation,
                            occurred_at: at.clone(),
                        }),
                    )?;
                    mette(
                        phones,
                        questionnaire(
                            &r.person,
                            Questionnaire::Motivation,
                            MOTIVATION[self.courses.len()].0,
                            at,
                        ),
                    )?;
                    self.courses.push((alias, r.person, expected));
                }
            }
            // Karl, Ellen and Mads: bridging, the visitation, the start, the handover, a bridge to
            // the GP, one step a day; then their courses close, each with another of the
            // treatment's three statuses.
            (1..=5, 3) => {
                for (n, (_, person, _)) in self.courses.clone().iter().take(3).enumerate() {
                    mette(phones, step_of(person, at, (day - 1) as usize))?;
                    if day == 1 {
                        // Motivation work ends as bridging begins: its follow-up, and the
                        // baselines before treatment (Ellen would not talk about her mental
                        // health that day).
                        mette(
                            phones,
                            questionnaire(person, Questionnaire::Motivation, MOTIVATION[n].1, at),
                        )?;
                        mette(
                            phones,
                            questionnaire(
                                person,
                                Questionnaire::DrugSituation,
                                &[Some(22), Some(3), Some(4)],
                                at,
                            ),
                        )?;
                        mette(
                            phones,
                            questionnaire(
                                person,
                                Questionnaire::PhysicalHealth,
                                &[Some(10), Some(2), None],
                                at,
                            ),
                        )?;
                        mette(
                            phones,
                            if n == 1 {
                                NewEntry::QuestionnaireRecorded(QuestionnaireInput {
                                    person: person.clone(),
                                    course: None,
                                    instrument: Questionnaire::MentalHealth,
                                    occasion: None,
                                    answers: vec![],
                                    not_possible: Some("Ville ikke tale om det i dag".into()),
                                    occurred_at: at.clone(),
                                })
                            } else {
                                questionnaire(
                                    person,
                                    Questionnaire::MentalHealth,
                                    &[Some(25), Some(3), Some(3)],
                                    at,
                                )
                            },
                        )?;
                    }
                }
            }
            (6, 3) => {
                for ((_, person, _), status) in self.courses.clone().iter().take(3).zip([
                    TreatmentStatus::Continuing,
                    TreatmentStatus::DroppedOut,
                    TreatmentStatus::Completed,
                ]) {
                    mette(
                        phones,
                        NewEntry::CourseClosed(CourseCloseInput {
                            person: person.clone(),
                            course: None,
                            reason: CloseReason::Treatment,
                            treatment_status: Some(status),
                            occurred_at: at.clone(),
                        }),
                    )?;
                }
            }
            (0, 0) => {
                for phone in phones.iter_mut() {
                    let store = phone.store.clone();
                    let person = store.add_person(NewPerson {
                        alias: format!("First of {}", phone.worker),
                        description: Some("met at the start of the week".into()),
                        birth_year: Some(1978),
                        from_unknown: None,
                        occurred_at: at.clone(),
                    })?;
                    phone.recorded.push(person.entry);
                    let id = person.person;
                    for (observed, plan) in [
                        (vec![], None),
                        (vec![BrosetItem::Irritability], None),
                        (
                            vec![
                                BrosetItem::Confusion,
                                BrosetItem::VerbalThreats,
                                BrosetItem::PhysicalThreats,
                            ],
                            Some("Two of us, from a distance"),
                        ),
                    ] {
                        let r = store.record_risk_check(RiskCheckInput {
                            subject: Subject::Person { id: id.clone() },
                            observed,
                            plan: plan.map(Into::into),
                            occurred_at: at.clone(),
                        })?;
                        phone.recorded.push(r.id);
                    }
                    for (decision, indicated) in [
                        (Decision::In, true),
                        (Decision::Outside, false),
                        (Decision::Undecided, false),
                    ] {
                        phone
                            .recorded
                            .push(screening(&store, &id, decision, indicated, at)?);
                    }
                }
                self.map(phones, at)?;
            }
            (2, 1) => {
                // Jonas, walking Halmtorvet, looks in at Café Dugnad without being called.
                let jonas = &mut phones[1];
                jonas.link.set_offline(false);
                sync_until_done(jonas)?;
                let place = self.called_place.clone().expect("noted on day 0");
                let kim = jonas.store.add_person(NewPerson {
                    alias: "Kim fra caféen".into(),
                    description: None,
                    birth_year: None,
                    from_unknown: None,
                    occurred_at: at.clone(),
                })?;
                jonas.recorded.push(kim.entry);
                let r = jonas.store.record_contact(ContactInput {
                    subject: Some(Subject::Person { id: kim.person }),
                    place: String::new(),
                    place_kind: PlaceKind::DropIn,
                    kind: ContactKind::Conversation,
                    meeting: None,
                    announced: None,
                    safety_reason: None,
                    outcome: Outcome::ContactMade,
                    colleague: Some("Mette".into()),
                    minutes: Some(10),
                    note: None,
                    risk_check: None,
                    occurred_at: at.clone(),
                    place_id: Some(place),
                })?;
                jonas.recorded.push(r.id);
                self.place_warned = r
                    .warnings
                    .iter()
                    .any(|w| w.code == "place-only-when-called");
            }
            (1, 2) => {
                // Mette and Jonas each note the same man, spelt their own way, unaware of the
                // other; if Jonas's phone already has Mette's note, it warns him.
                let mut ids = Vec::new();
                for (phone, alias) in phones
                    .iter_mut()
                    .filter(|p| p.team == VESTERBRO)
                    .zip(["Manden med hunden", "Manden-med-Hunden"])
                {
                    let r = phone.store.add_person(NewPerson {
                        alias: alias.into(),
                        description: Some("big grey dog, sits by the kiosk".into()),
                        birth_year: None,
                        from_unknown: None,
                        occurred_at: at.clone(),
                    })?;
                    phone.recorded.push(r.entry);
                    self.duplicate_warned |=
                        r.warnings.iter().any(|w| w.code == "possible-duplicate");
                    ids.push(r.person);
                }
                self.duplicate = Some((ids[0].clone(), ids[1].clone()));
            }
            (2, 4) => {
                // Both notes have reached Mette's phone by now (or will on the next sync); she merges.
                let (keep, duplicate) = self.duplicate.clone().expect("noted on day 1");
                for phone in phones.iter().filter(|p| p.team == VESTERBRO).rev() {
                    phone.link.set_offline(false);
                    sync_until_done(phone)?;
                }
                let mette = &mut phones[0];
                // She finds him among the phone's possible duplicates.
                self.duplicate_found = mette.store.possible_duplicates()?.iter().any(|p| {
                    [&p.first.person, &p.second.person] == [&keep, &duplicate]
                        || [&p.first.person, &p.second.person] == [&duplicate, &keep]
                });
                let r = mette.store.merge_persons(keep.clone(), duplicate)?;
                mette.recorded.push(r.id);
                self.contested = Some(keep);
            }
            (3, 5) => {
                // Mette and Jonas withdraw from a group turning restless; Mette records the
                // incident at the contact it broke off.
                let person = self.courses[3].1.clone();
                let left = phones[0].store.record_contact(ContactInput {
                    subject: Some(Subject::Person { id: person }),
                    place: "Enghave Plads".into(),
                    place_kind: PlaceKind::Park,
                    kind: ContactKind::Conversation,
                    meeting: None,
                    announced: None,
                    safety_reason: None,
                    outcome: Outcome::LeftForSafety,
                    colleague: Some("Jonas".into()),
                    minutes: Some(5),
                    note: Some("Uro i gruppen; vi trak os".into()),
                    risk_check: None,
                    occurred_at: at.clone(),
                    place_id: None,
                })?;
                phones[0].recorded.push(left.id.clone());
                let r = phones[0]
                    .store
                    .record(NewEntry::IncidentRecorded(IncidentInput {
                        subject: None,
                        kind: IncidentKind::Threat,
                        workers: vec!["Jonas".into()],
                        police_called: false,
                        centre_called: true,
                        place: Some("Enghave Plads".into()),
                        note: Some("En i gruppen truede med en flaske".into()),
                        contact: Some(left.id),
                        occurred_at: at.clone(),
                    }))?;
                phones[0].recorded.push(r.id);
                self.incidents += 1;
            }
            (4, 0) => {
                // Both Vesterbro phones are out of signal and change the same description.
                let person = self.contested.clone().expect("merged on day 2");
                for phone in phones.iter_mut().filter(|p| p.team == VESTERBRO) {
                    phone.link.set_offline(false);
                    sync_until_done(phone)?;
                }
                for (phone, text) in phones
                    .iter_mut()
                    .filter(|p| p.team == VESTERBRO)
                    .zip(["now with a black dog", "dog gone, has a bicycle"])
                {
                    phone.link.set_offline(true);
                    let r = phone.store.update_person(PersonUpdate {
                        person: person.clone(),
                        description: Some(text.into()),
                        ..Default::default()
                    })?;
                    phone.recorded.push(r.id);
                }
            }
            (5, 0) => {
                // After both have synced, both phones show the conflict; Jonas settles it.
                let person = self.contested.clone().expect("contested on day 4");
                for _ in 0..2 {
                    for phone in phones.iter().filter(|p| p.team == VESTERBRO) {
                        phone.link.set_offline(false);
                        sync_until_done(phone)?;
                    }
                }
                for phone in phones.iter().filter(|p| p.team == VESTERBRO) {
                    if !phone.store.person(person.clone())?.conflicts.is_empty() {
                        self.conflict_seen_on.insert(phone.worker);
                    }
                }
                let jonas = &mut phones[1];
                let r = jonas.store.update_person(PersonUpdate {
                    person,
                    description: Some("had a black dog, now a bicycle; checked with Mette".into()),
                    ..Default::default()
                })?;
                jonas.recorded.push(r.id);
            }
            _ => {}
        }
        Ok(())
    }
}

/// The story's motivation questionnaires, at the start and at the end of motivation work, for
/// Kaffe-Karl, Ellen, Mads and Sofie (Sofie's end does not come in the week).
type Answers = &'static [Option<u8>];
const MOTIVATION: [(Answers, Answers); 4] = [
    (
        &[Some(3), Some(4), Some(4), Some(2), Some(4), Some(4)],
        &[Some(4), Some(5), Some(4), Some(3), Some(4), Some(2)],
    ),
    (
        &[Some(2), Some(3), None, Some(2), Some(3), Some(5)],
        &[Some(3), Some(3), Some(3), Some(3), Some(4), Some(4)],
    ),
    (
        &[Some(4), Some(4), Some(3), Some(3), Some(4), Some(2)],
        &[Some(4), Some(5), Some(3), Some(4), Some(5), Some(1)],
    ),
    (&[Some(3), Some(3), Some(3), Some(2), Some(3), Some(3)], &[]),
];

fn questionnaire(
    person: &str,
    instrument: Questionnaire,
    answers: &[Option<u8>],
    at: &Option<String>,
) -> NewEntry {
    NewEntry::QuestionnaireRecorded(QuestionnaireInput {
        person: person.into(),
        course: None,
        instrument,
        occasion: None,
        answers: answers.to_vec(),
        not_possible: None,
        occurred_at: at.clone(),
    })
}

/// At the week's end each worker merges the citizens they noted twice themselves (the same
/// nickname, folded), found among the phone's possible duplicates; the duplicates left are
/// the team's to judge.
fn merge_own_duplicates(phone: &mut Phone) -> Result<usize, Error> {
    let mut merged = 0;
    for pair in phone.store.possible_duplicates()? {
        let theirs = |c: &DuplicateCandidate| c.alias.ends_with(&format!("({})", phone.worker));
        if pair.alias_distance == 0 && theirs(&pair.first) && theirs(&pair.second) {
            // A pair whose person was merged a moment ago is gone by now: skip it.
            match phone
                .store
                .merge_persons(pair.first.person.clone(), pair.second.person.clone())
            {
                Ok(r) => {
                    phone.recorded.push(r.id);
                    merged += 1;
                }
                Err(
                    Error::NotAllowed { .. } | Error::InvalidInput { .. } | Error::NotFound { .. },
                ) => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(merged)
}

type Check = (String, bool, String);

fn check(operator: &Centre, phones: &[Phone], story: &Story) -> Result<Vec<Check>, Error> {
    let mut checks: Vec<Check> = Vec::new();
    let mut add =
        |name: &str, ok: bool, detail: String| checks.push((name.to_string(), ok, detail));
    for team in [VESTERBRO, NORREBRO] {
        let centre_ids: BTreeSet<String> = operator
            .team_entry_ids(team)
            .map_err(centre_error)?
            .into_iter()
            .collect();
        let centre_digest = operator.team_digest(team).map_err(centre_error)?;
        let recorded: BTreeSet<String> = phones
            .iter()
            .filter(|p| p.team == team)
            .flat_map(|p| p.recorded.iter().cloned())
            .chain(
                story
                    .centre_made
                    .iter()
                    .filter(|(t, _)| *t == team)
                    .map(|(_, id)| id.clone()),
            )
            .collect();
        let missing = recorded.difference(&centre_ids).count();
        let extra = centre_ids.difference(&recorded).count();
        add(
            &format!("{team}: every entry recorded is at the centre exactly once"),
            missing == 0 && extra == 0 && centre_ids.len() == recorded.len(),
            format!(
                "{} recorded, {} at the centre, {missing} missing, {extra} unexpected",
                recorded.len(),
                centre_ids.len()
            ),
        );
        for phone in phones.iter().filter(|p| p.team == team) {
            let digest = phone.store.digest()?;
            add(
                &format!(
                    "{team}: {}'s phone agrees with the centre (digest)",
                    phone.worker
                ),
                digest == centre_digest,
                format!("{} entries", digest.count),
            );
            let status = phone.store.sync_status()?;
            add(
                &format!("{team}: {}'s phone has nothing pending", phone.worker),
                status.pending == 0 && status.rejected == 0,
                String::new(),
            );
        }
        for phone in phones.iter().filter(|p| p.team != team) {
            let leaked = recorded
                .iter()
                .filter(|id| phone.store.entry((*id).clone()).is_ok())
                .count();
            add(
                &format!(
                    "{team}: nothing of it on {}'s phone (other team)",
                    phone.worker
                ),
                leaked == 0,
                format!("{leaked} entries"),
            );
        }
    }
    let vesterbro: Vec<&Phone> = phones.iter().filter(|p| p.team == VESTERBRO).collect();
    let lists: Vec<String> = vesterbro
        .iter()
        .map(|p| {
            p.store
                .list_persons(None, 0)
                .map(|l| serde_json::to_string(&l).unwrap_or_default())
        })
        .collect::<Result<_, _>>()?;
    add(
        "Vesterbro: both phones show the same persons list",
        lists.windows(2).all(|w| w[0] == w[1]),
        String::new(),
    );
    // The citizens' courses, read on each phone: the same courses, phases and closings, and
    // the same caseload, on both.
    let courses: Vec<(String, String)> = vesterbro
        .iter()
        .map(|p| -> Result<(String, String), Error> {
            let mut all = Vec::new();
            for person in p.store.list_persons(None, 0)? {
                all.extend(p.store.person(person.id)?.courses);
            }
            Ok((
                serde_json::to_string(&all).unwrap_or_default(),
                serde_json::to_string(&p.store.caseload()?).unwrap_or_default(),
            ))
        })
        .collect::<Result<_, _>>()?;
    let (opened, bridged, closed) = {
        let mut counts = (0, 0, 0);
        for person in vesterbro[0].store.list_persons(None, 0)? {
            for course in vesterbro[0].store.person(person.id)?.courses {
                counts.0 += 1;
                counts.1 += usize::from(course.bridged);
                counts.2 += usize::from(course.closed_at.is_some());
            }
        }
        counts
    };
    add(
        "Vesterbro: both phones show the same courses and caseload",
        opened > 0 && courses.windows(2).all(|w| w[0] == w[1]),
        format!("{opened} courses opened, {bridged} bridged into treatment, {closed} closed"),
    );
    let statuses: BTreeSet<String> = story
        .courses
        .iter()
        .filter_map(|(_, person, _)| {
            vesterbro[1]
                .store
                .person(person.clone())
                .ok()
                .and_then(|d| d.courses.first().and_then(|c| c.treatment_status))
                .map(|s| s.code().to_string())
        })
        .collect();
    add(
        "Vesterbro: the story's courses closed with each treatment status, as Jonas's phone shows",
        statuses.len() == 3,
        format!("{statuses:?}"),
    );
    for (alias, person, expected) in &story.courses {
        let seen: Vec<Option<GuaranteeState>> = vesterbro
            .iter()
            .map(|p| -> Result<_, Error> {
                let detail = p.store.person(person.clone())?;
                Ok(detail
                    .courses
                    .first()
                    .and_then(|c| c.guarantee.as_ref())
                    .map(|g| g.state))
            })
            .collect::<Result<_, _>>()?;
        add(
            &format!("Vesterbro: {alias}'s 14-day guarantee is {expected:?} on both phones"),
            seen.iter().all(|s| *s == Some(*expected)),
            format!("{seen:?}"),
        );
    }
    if let Some((keep, duplicate)) = &story.duplicate {
        let held = vesterbro.iter().all(|p| {
            p.store
                .person(duplicate.clone())
                .map(|d| d.person.id == *keep)
                .unwrap_or(false)
        });
        add(
            "Vesterbro: the merge made on one phone holds on both",
            held,
            String::new(),
        );
    }
    add(
        "Vesterbro: the man noted twice, spelt two ways, was among the possible duplicates",
        story.duplicate_found,
        format!(
            "warned when noted the second time: {}",
            if story.duplicate_warned {
                "yes"
            } else {
                "no (the first note had not reached that phone)"
            }
        ),
    );
    let own_left: usize = phones
        .iter()
        .map(|p| -> Result<usize, Error> {
            Ok(p.store
                .possible_duplicates()?
                .iter()
                .filter(|d| {
                    d.alias_distance == 0 && d.first.alias.ends_with(&format!("({})", p.worker))
                })
                .count())
        })
        .sum::<Result<usize, Error>>()?;
    add(
        "every citizen a worker noted twice under one nickname was merged",
        own_left == 0,
        format!("{} merged at the week's end", story.merged_at_the_end),
    );
    let karl = &story.courses[0].1;
    let detail = vesterbro[1].store.person(karl.clone())?;
    let motivation = detail
        .questionnaires
        .iter()
        .find(|q| q.instrument == Questionnaire::Motivation);
    let change: Vec<String> = motivation
        .map(|m| {
            m.items
                .iter()
                .map(|i| match (i.baseline, i.follow_up) {
                    (Some(b), Some(f)) => format!("{} {b}→{f}", i.code),
                    _ => format!("{} –", i.code),
                })
                .collect()
        })
        .unwrap_or_default();
    add(
        "Vesterbro: Kaffe-Karl's motivation, start against end, on Jonas's phone",
        motivation.is_some_and(|m| {
            m.items[0].progress == Some(true) && m.items[5].progress == Some(true)
        }),
        change.join(", "),
    );
    let sofie = &story.courses[3].1;
    let due: Vec<String> = vesterbro[0]
        .store
        .person(sofie.clone())?
        .person
        .questionnaires_due
        .iter()
        .map(|d| format!("{} {}", d.instrument, d.occasion))
        .collect();
    add(
        "Vesterbro: Sofie, waiting for treatment, has the three baselines before treatment due",
        due.len() == 3 && due.iter().all(|d| d.ends_with("baseline")),
        due.join(", "),
    );
    let counted = operator
        .report(VESTERBRO, Utc::now())
        .map_err(centre_error)?
        .incidents
        .total;
    add(
        "Vesterbro: the incident at the contact broken off for safety is counted at the centre",
        story.incidents > 0 && counted == story.incidents,
        format!("{counted} incident(s)"),
    );
    let halmtorvet = operator
        .report(VESTERBRO, Utc::now())
        .map_err(centre_error)?
        .coverage
        .into_iter()
        .find(|a| a.name == "Halmtorvet");
    add(
        "Vesterbro: Jonas's visit to Café Dugnad, visited only when called, was warned; Halmtorvet is covered",
        story.place_warned && halmtorvet.as_ref().is_some_and(|a| a.state == "covered"),
        halmtorvet
            .map(|a| {
                format!(
                    "Halmtorvet: {} contact(s), {} round(s) in 4 weeks",
                    a.contacts_28_days, a.rounds_28_days
                )
            })
            .unwrap_or_default(),
    );
    let watched = operator
        .checkins(Some(VESTERBRO), 1, true)
        .map_err(centre_error)?;
    let of = |id: &Option<String>| watched.iter().find(|c| Some(&c.id) == id.as_ref());
    let in_time = of(&story.checkin_in_time);
    add(
        "Vesterbro: Mette's home visit alone ended in time, never escalated",
        in_time.is_some_and(|c| c.state == "ended" && c.steps.is_empty()),
        story.sms.clone().unwrap_or_default(),
    );
    let overdue = of(&story.checkin_overdue);
    add(
        "Vesterbro: her overdue check-in reached Jonas, who took charge, and she ended it",
        story.watcher_alerted
            && overdue.is_some_and(|c| {
                c.acknowledged_by.as_deref() == Some("Jonas")
                    && c.ended_at.is_some()
                    && c.steps.iter().map(|s| s.level.as_str()).eq(["watcher"])
            }),
        overdue
            .map(|c| {
                format!(
                    "steps {:?}, taken charge of by {}",
                    c.steps.iter().map(|s| &s.level).collect::<Vec<_>>(),
                    c.acknowledged_by.as_deref().unwrap_or("nobody")
                )
            })
            .unwrap_or_default(),
    );
    add(
        "Vesterbro: the concurrent edit showed as a conflict on both phones",
        story.conflict_seen_on.len() == 2,
        format!("seen on {:?}", story.conflict_seen_on),
    );
    if let Some(person) = &story.contested {
        let settled = vesterbro.iter().all(|p| {
            p.store
                .person(person.clone())
                .map(|d| d.conflicts.is_empty())
                .unwrap_or(false)
        });
        add(
            "Vesterbro: the settled conflict is gone everywhere",
            settled,
            String::new(),
        );
    }
    let faults: u64 = phones.iter().map(|p| p.link.counts.injected()).sum();
    add(
        "the connection really misbehaved",
        faults > 0,
        format!("{faults} faults injected"),
    );
    Ok(checks)
}
