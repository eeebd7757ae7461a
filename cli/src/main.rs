//! `gadeplan`: a command-line shell over exactly the core's public API, for scripts, tests,
//! operators and the demo. It holds no rules: every check is the core's.
//!
//! Every command prints JSON on stdout. On any error it prints one JSON object
//! (`{"error": CODE, "message": TEXT}`) on stderr and exits non-zero: 2 for a malformed command
//! line, 1 for everything the core refuses. A refused command has changed nothing.
//!
//! Recorded texts given by `--X-file` are read (`text.rs`) before the store is opened.

mod args;
mod map;
mod output;
mod text;

#[cfg(feature = "demo")]
use gadeplan::demo;
use gadeplan::transport;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use gadeplan_core::{
    BridgeInput, BridgeService, BridgeStatus, BrosetItem, BurdenArea, CheckinAcknowledgementInput,
    CheckinEndInput, CheckinExtensionInput, CheckinInput, CheckinMessageKind, CheckinReason,
    CloseReason, ConsentForm, ConsentInput, ConsentWithdrawalInput, ContactInput, ContactKind,
    CooperationInput, CourseCloseInput, CourseInput, CoursePhase, CoursePhaseInput, Criterion,
    Decision, DisclosureInput, Error, EvaluationInput, FoundVia, GoalReached, HandoverInput,
    IncidentInput, IncidentKind, LogFilter, MeetingKind, NetworkInput, NetworkRole, NewEntry,
    NewPerson, Occasion, Outcome, PersonUpdate, PlaceKind, PlanInput, Questionnaire,
    QuestionnaireInput, ReferralKind, RiskCheckInput, ScreeningInput, ServicesAttachment, Stage,
    StageInput, Store, Subject, SubstitutionAttachment, TreatmentAttachment, TreatmentIntensity,
    TreatmentRequestInput, TreatmentStartInput, TreatmentStatus, VisitationInput, VisitationKind,
    VisitationResult, parse_plan_file,
};
use serde_json::{Value, json};

use args::{
    CheckinCommand, Cli, Command, ConsentCommand, CourseCommand, NetworkCommand, PersonCommand,
    PlanCommand, QuestionnaireArgs, QuestionnaireCommand, RecordQuestionnaire, SubjectArgs,
    TreatmentCommand, UnknownCommand,
};
use output::Failure;
use text::Source;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return output::usage_error(e),
    };
    match run(cli) {
        Ok(value) => {
            output::print(&value);
            ExitCode::SUCCESS
        }
        Err(f) => output::failure(&f),
    }
}

fn run(cli: Cli) -> Result<Value, Failure> {
    let Cli {
        store,
        key_file,
        ca_file,
        command,
    } = cli;
    let store_path = || -> Result<String, Error> {
        store
            .as_ref()
            .map(|p| p.to_string_lossy().into_owned())
            .ok_or_else(|| Error::NoStore {
                detail: "give the store file with --store PATH or GADEPLAN_STORE".into(),
            })
    };
    let key = || output::read_key(key_file.as_deref());
    let open = || -> Result<Arc<Store>, Error> { Store::open(store_path()?, key()?) };

    match command {
        Command::Instruments => Ok(json!(gadeplan_core::instrument_definitions())),
        Command::Init { worker, device } => {
            let [worker] = text::read([worker.into()])?;
            let worker = worker.unwrap_or_default(); // clap requires --worker or --worker-file
            let store = Store::create(store_path()?, key()?, worker, device)?;
            Ok(json!(store.identity()?))
        }
        Command::Identity => Ok(json!(open()?.identity()?)),
        Command::Person(cmd) => person(cmd, open),
        Command::Unknown(UnknownCommand::List) => Ok(json!(open()?.unknown_citizens()?)),
        Command::Risk {
            subject:
                SubjectArgs {
                    person,
                    unknown,
                    unknown_file,
                    unknown_id,
                },
            observed,
            plan,
            at,
        } => {
            let unknown = Source::new("unknown", unknown, unknown_file);
            let [unknown, plan] = text::read([unknown, plan.into()])?;
            let observed = parse_list(&observed, BrosetItem::parse)?;
            let subject = subject_of(person, unknown, unknown_id)?.ok_or_else(|| {
                Error::invalid(
                    "subject",
                    "give --person ID, --unknown TEXT (or --unknown-file PATH) or --unknown-id ID",
                )
            })?;
            let r = open()?.record_risk_check(RiskCheckInput {
                subject,
                observed,
                plan,
                occurred_at: at.at,
            })?;
            Ok(json!(r))
        }
        Command::Contact {
            subject:
                SubjectArgs {
                    person,
                    unknown,
                    unknown_file,
                    unknown_id,
                },
            place,
            place_id,
            place_kind,
            kind,
            outcome,
            meeting,
            announced,
            unannounced,
            safety_reason,
            with,
            minutes,
            note,
            risk_check,
            at,
        } => {
            let unknown = Source::new("unknown", unknown, unknown_file);
            let [unknown, place, with, note, safety_reason] = text::read([
                unknown,
                place.into(),
                with.into(),
                note.into(),
                safety_reason.into(),
            ])?;
            if place.is_none() && place_id.is_none() {
                return Err(Failure::Usage {
                    field: "place".into(),
                    message: "say where: --place (or --place-file), or --place-id".into(),
                });
            }
            let input = ContactInput {
                subject: subject_of(person, unknown, unknown_id)?,
                place: place.unwrap_or_default(), // the register's name, with --place-id
                place_kind: PlaceKind::parse(&place_kind)?,
                kind: ContactKind::parse(&kind)?,
                meeting: meeting.as_deref().map(MeetingKind::parse).transpose()?,
                announced: (announced || unannounced).then_some(announced),
                safety_reason,
                outcome: Outcome::parse(&outcome)?,
                colleague: with,
                minutes,
                note,
                risk_check,
                occurred_at: at.at,
                place_id,
            };
            Ok(json!(open()?.record_contact(input)?))
        }
        Command::Screen {
            person,
            criteria,
            high_burden,
            not_met,
            unknown,
            decision,
            reason,
            referred_to,
            referral,
            at,
        } => {
            let [reason, referred_to] = text::read([reason.into(), referred_to.into()])?;
            let criteria = parse_list(&criteria, Criterion::parse)?;
            let high_burden = parse_list(&high_burden, BurdenArea::parse)?;
            let (criteria_not_met, burden_not_high) = criteria_or_areas("not_met", &not_met)?;
            let (unknown_criteria, unknown_areas) = criteria_or_areas("unknown", &unknown)?;
            if let Some(c) = unknown_criteria
                .iter()
                .find(|c| criteria.contains(c) || criteria_not_met.contains(c))
            {
                return Err(Error::invalid("unknown", format!("'{c}' is also answered")).into());
            }
            if let Some(a) = unknown_areas
                .iter()
                .find(|a| high_burden.contains(a) || burden_not_high.contains(a))
            {
                return Err(Error::invalid("unknown", format!("'{a}' is also answered")).into());
            }
            let input = ScreeningInput {
                person,
                criteria,
                high_burden,
                criteria_not_met,
                burden_not_high,
                decision: Decision::parse(&decision)?,
                reason,
                referral_kind: referral.as_deref().map(ReferralKind::parse).transpose()?,
                referred_to,
                occurred_at: at.at,
            };
            Ok(json!(open()?.record_screening(input)?))
        }
        Command::Stage {
            person,
            stage,
            importance,
            confidence,
            life_control,
            craving,
            recovery_goal,
            at,
        } => {
            let [recovery_goal] = text::read([recovery_goal.into()])?;
            let input = StageInput {
                person,
                stage: Stage::parse(&stage)?,
                importance,
                confidence,
                recovery_goal,
                life_control,
                craving,
                occurred_at: at.at,
            };
            Ok(json!(open()?.record_stage(input)?))
        }
        Command::Course(command) => course(command, open),
        Command::Caseload => Ok(json!(open()?.caseload()?)),
        Command::Treatment(command) => treatment(command, open),
        Command::Plan(command) => plan(command, open),
        Command::Questionnaire(args) => questionnaire(args, open),
        Command::Incident {
            subject:
                SubjectArgs {
                    person,
                    unknown,
                    unknown_file,
                    unknown_id,
                },
            kind,
            contact,
            workers,
            police_called,
            centre_called,
            place,
            note,
            at,
        } => {
            let unknown = Source::new("unknown", unknown, unknown_file);
            let [unknown, place, note] = text::read([unknown, place.into(), note.into()])?;
            // With only a contact named, the incident takes the contact's citizen.
            let input = IncidentInput {
                subject: subject_of(person, unknown, unknown_id)?,
                kind: IncidentKind::parse(&kind)?,
                workers,
                police_called,
                centre_called,
                place,
                note,
                contact,
                occurred_at: at.at,
            };
            Ok(json!(open()?.record(NewEntry::IncidentRecorded(input))?))
        }
        Command::Checkin(command) => checkin(command, open),
        Command::Area(command) => map::area(command, open),
        Command::Place(command) => map::place(command, open),
        Command::Round(command) => map::round(command, open),
        Command::Coverage => Ok(json!(open()?.coverage()?)),
        Command::Alerts => Ok(json!(open()?.alerts()?)),
        Command::Roster => Ok(json!({"roster": open()?.roster()?})),
        Command::Duplicates => Ok(json!(open()?.possible_duplicates()?)),
        Command::NotTalkedWith => Ok(json!(open()?.not_talked_with()?)),
        Command::Network(NetworkCommand::Add {
            person,
            role,
            name,
            organisation,
            phone,
            at,
        }) => {
            let [name, organisation, phone] =
                text::read([name.into(), organisation.into(), phone.into()])?;
            let input = NewEntry::NetworkNoted(NetworkInput {
                person,
                role: NetworkRole::parse(&role)?,
                name: name.unwrap_or_default(), // clap requires --name or --name-file
                organisation,
                phone,
                occurred_at: at.at,
            });
            Ok(json!(open()?.record(input)?))
        }
        Command::Consent(ConsentCommand::Give {
            person,
            to,
            about,
            form,
            at,
        }) => {
            let [to, about] = text::read([to.into(), about.into()])?;
            let input = NewEntry::ConsentGiven(ConsentInput {
                person,
                to_whom: to.unwrap_or_default(), // clap requires one of each pair
                about: about.unwrap_or_default(),
                form: ConsentForm::parse(&form)?,
                occurred_at: at.at,
            });
            Ok(json!(open()?.record(input)?))
        }
        Command::Consent(ConsentCommand::Withdraw {
            person,
            consent,
            at,
        }) => {
            let input = NewEntry::ConsentWithdrawn(ConsentWithdrawalInput {
                person,
                consent,
                occurred_at: at.at,
            });
            Ok(json!(open()?.record(input)?))
        }
        Command::Disclose {
            person,
            what,
            to,
            consent,
            at,
        } => {
            let [what, to] = text::read([what.into(), to.into()])?;
            let input = NewEntry::DisclosureMade(DisclosureInput {
                person,
                what: what.unwrap_or_default(), // clap requires one of each pair
                to_whom: to.unwrap_or_default(),
                consent,
                occurred_at: at.at,
            });
            Ok(json!(open()?.record(input)?))
        }
        Command::Bridge {
            person,
            course,
            service,
            status,
            contact,
            at,
        } => {
            let [contact] = text::read([contact.into()])?;
            let input = NewEntry::ServiceBridged(BridgeInput {
                person,
                course,
                service: BridgeService::parse(&service)?,
                status: BridgeStatus::parse(&status)?,
                contact,
                occurred_at: at.at,
            });
            Ok(json!(open()?.record(input)?))
        }
        Command::Amend {
            entry_id,
            patch,
            note,
            place,
            place_kind,
            outcome,
            minutes,
            plan,
            stage,
            at,
            reason,
        } => {
            let [patch, note, place, plan, reason] = text::read([
                patch.into(),
                note.into(),
                place.into(),
                plan.into(),
                reason.into(),
            ])?;
            let mut patch = match patch {
                Some(text) => match serde_json::from_str::<Value>(&text) {
                    Ok(Value::Object(map)) => map,
                    _ => {
                        return Err(Error::invalid(
                            "patch",
                            "must be a JSON object of the fields to change",
                        )
                        .into());
                    }
                },
                None => serde_json::Map::new(),
            };
            // The named options are shorthands for the patch; the core validates the result.
            for (field, value) in [
                ("note", note.map(Value::from)),
                ("place", place.map(Value::from)),
                ("place_kind", place_kind.map(Value::from)),
                ("outcome", outcome.map(Value::from)),
                ("minutes", minutes.map(Value::from)),
                ("plan", plan.map(Value::from)),
                ("stage", stage.map(Value::from)),
            ] {
                if let Some(value) = value {
                    patch.insert(field.to_string(), value);
                }
            }
            let r = open()?.amend(entry_id, Value::Object(patch).to_string(), at, reason)?;
            Ok(json!(r))
        }
        Command::Void { entry_id, reason } => {
            let [reason] = text::read([reason.into()])?;
            let reason = reason.unwrap_or_default(); // clap requires --reason or --reason-file
            Ok(json!(open()?.void_entry(entry_id, reason)?))
        }
        Command::Log {
            person,
            today,
            limit,
        } => {
            let store = open()?;
            let items = if today {
                store.todays_log(local_utc_offset_minutes())?
            } else {
                store.log(LogFilter {
                    person,
                    mine_since: None,
                    limit,
                })?
            };
            Ok(Value::Array(
                items.iter().map(output::timeline_item).collect(),
            ))
        }
        Command::Entry { id } => Ok(output::timeline_item(&open()?.entry(id)?)),
        Command::Enrol { centre, code, link } => {
            let [code] = text::read([code.into()])?;
            let (centre, code) = match (link, centre, code) {
                (Some(link), None, None) => {
                    let link = gadeplan_core::parse_enrol_link(link)?;
                    (link.centre, link.code)
                }
                (None, Some(centre), Some(code)) => (centre, code),
                _ => {
                    return Err(Failure::Usage {
                        field: "code".into(),
                        message: "give --centre with --code (or --code-file), or --link alone"
                            .into(),
                    });
                }
            };
            let centre = transport::centre_address(&centre)?;
            let store = open()?;
            let link = transport::HttpTransport::with_ca_file(&centre, ca_file.as_deref())?;
            let status = store.enrol(Arc::new(link), centre, code)?;
            Ok(json!(status))
        }
        Command::Sync { centre } => {
            let store = open()?;
            let link = centre_link(&store, centre, ca_file.as_deref())?;
            Ok(json!(store.sync(link)?))
        }
        Command::SearchCentre { alias, centre } => {
            let store = open()?;
            let link = centre_link(&store, centre, ca_file.as_deref())?;
            Ok(json!(store.search_centre(link, alias)?))
        }
        Command::FetchHistory { citizen, centre } => {
            let store = open()?;
            let link = centre_link(&store, centre, ca_file.as_deref())?;
            Ok(json!({"citizen": citizen, "fetched": store.fetch_history(link, citizen.clone())?}))
        }
        Command::RotateToken { centre } => {
            let store = open()?;
            let link = centre_link(&store, centre, ca_file.as_deref())?;
            store.rotate_token(link)?;
            Ok(json!({"rotated": true}))
        }
        Command::Status => Ok(json!(open()?.sync_status()?)),
        #[cfg(feature = "demo")]
        Command::Demo {
            seed,
            serve,
            listen,
        } => Ok(demo::run(seed, serve.then_some(listen.as_str()))?),
        Command::Rebuild => {
            open()?.rebuild_projections()?;
            Ok(json!({"rebuilt": true}))
        }
        Command::Rekey { new_key_file } => {
            let new_key = output::read_new_key(&new_key_file)?;
            let current = key()?;
            Store::open(store_path()?, current.clone())?.rekey(current, new_key)?;
            Ok(json!({
                "rekeyed": true,
                "message": "the store now opens with the new key only; the old key file can be destroyed",
            }))
        }
    }
}

/// The transport to the centre given, or else to the one the store was enrolled with.
fn centre_link(
    store: &Store,
    centre: Option<String>,
    ca_file: Option<&std::path::Path>,
) -> Result<Arc<transport::HttpTransport>, Error> {
    let centre = match centre {
        Some(c) => transport::centre_address(&c)?,
        None => store.sync_status()?.centre.ok_or(Error::NotEnrolled)?,
    };
    Ok(Arc::new(transport::HttpTransport::with_ca_file(
        &centre, ca_file,
    )?))
}

fn person(
    cmd: PersonCommand,
    open: impl Fn() -> Result<Arc<Store>, Error>,
) -> Result<Value, Failure> {
    match cmd {
        PersonCommand::Add {
            alias,
            description,
            birth_year,
            from_unknown,
            at,
        } => {
            let [alias, description] = text::read([alias.into(), description.into()])?;
            let r = open()?.add_person(NewPerson {
                alias: alias.unwrap_or_default(), // clap requires --alias or --alias-file
                description,
                birth_year,
                from_unknown,
                occurred_at: at.at,
            })?;
            Ok(json!({"id": r.person, "entry_id": r.entry, "warnings": r.warnings}))
        }
        PersonCommand::List { limit, offset } => Ok(json!(open()?.list_persons(limit, offset)?)),
        PersonCommand::Show { id } => Ok(output::person_detail(&open()?.person(id)?)),
        PersonCommand::Update {
            id,
            alias,
            description,
            birth_year,
            clear_birth_year,
        } => {
            let [alias, description] = text::read([alias.into(), description.into()])?;
            let r = open()?.update_person(PersonUpdate {
                person: id,
                alias,
                description,
                birth_year,
                clear_birth_year,
            })?;
            Ok(json!(r))
        }
        PersonCommand::Merge {
            keep_id,
            duplicate_id,
        } => {
            let r = open()?.merge_persons(keep_id, duplicate_id)?;
            Ok(json!({"id": r.id, "kept": r.subject}))
        }
    }
}

/// Whom `--person`, `--unknown` (or `--unknown-file`, read by now) and `--unknown-id` name.
fn subject_of(
    person: Option<String>,
    unknown: Option<String>,
    unknown_id: Option<String>,
) -> Result<Option<Subject>, Error> {
    Ok(match (person, unknown, unknown_id) {
        (Some(id), None, None) => Some(Subject::Person { id }),
        (None, Some(description), None) => Some(Subject::Unknown { description }),
        (None, None, Some(id)) => Some(Subject::UnknownCitizen { id }),
        (None, None, None) => None,
        _ => {
            return Err(Error::invalid(
                "subject",
                "give only one of --person, --unknown, --unknown-id",
            ));
        }
    })
}

/// Parses a comma-separated list of codes; empty items (a trailing comma) are ignored.
fn parse_list<T>(items: &[String], parse: fn(&str) -> Result<T, Error>) -> Result<Vec<T>, Error> {
    items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(parse)
        .collect()
}

/// Codes that may be criteria or burden areas (`--not-met`, `--unknown`), sorted into each.
fn criteria_or_areas(
    field: &str,
    items: &[String],
) -> Result<(Vec<Criterion>, Vec<BurdenArea>), Error> {
    let (mut criteria, mut areas) = (Vec::new(), Vec::new());
    for code in items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if let Ok(c) = Criterion::parse(code) {
            criteria.push(c);
        } else if let Ok(a) = BurdenArea::parse(code) {
            areas.push(a);
        } else {
            return Err(Error::invalid(
                field,
                format!(
                    "'{code}' is neither a criterion ({}) nor a burden area ({})",
                    Criterion::codes().join(", "),
                    BurdenArea::codes().join(", ")
                ),
            ));
        }
    }
    Ok((criteria, areas))
}

/// `--answers 4,5,,3`: one per item, an empty one or `-` unanswered.
fn parse_answers(text: &str) -> Result<Vec<Option<u8>>, Error> {
    text.split(',')
        .enumerate()
        .map(|(n, a)| match a.trim() {
            "" | "-" => Ok(None),
            a => a.parse::<u8>().map(Some).map_err(|_| {
                Error::invalid(
                    format!("answers[{}]", n + 1),
                    format!("'{a}' is not a whole number; leave an unanswered item empty"),
                )
            }),
        })
        .collect()
}

fn questionnaire(
    args: QuestionnaireArgs,
    open: impl FnOnce() -> Result<Arc<Store>, Error>,
) -> Result<Value, Failure> {
    if let Some(QuestionnaireCommand::Show { person }) = args.command {
        let detail = open()?.person(person)?;
        return Ok(json!({
            "person": detail.person.id,
            "alias": detail.person.alias,
            "due": detail.person.questionnaires_due,
            "questionnaires": detail.questionnaires,
        }));
    }
    let RecordQuestionnaire {
        person,
        instrument,
        answers,
        not_possible,
        occasion,
        course,
        at,
    } = args.record;
    // clap requires both without a subcommand.
    let (Some(person), Some(instrument)) = (person, instrument) else {
        return Err(Error::invalid("person", "give --person and --instrument").into());
    };
    let [not_possible] = text::read([not_possible.into()])?;
    let answers = match (&answers, &not_possible) {
        (Some(a), _) => parse_answers(a)?,
        (None, Some(_)) => vec![],
        (None, None) => {
            return Err(Error::invalid(
                "answers",
                "give --answers, or --not-possible with the reason",
            )
            .into());
        }
    };
    let input = QuestionnaireInput {
        person,
        course,
        instrument: Questionnaire::parse(&instrument)?,
        occasion: occasion.as_deref().map(Occasion::parse).transpose()?,
        answers,
        not_possible,
        occurred_at: at.at,
    };
    Ok(json!(
        open()?.record(NewEntry::QuestionnaireRecorded(input))?
    ))
}

fn local_utc_offset_minutes() -> i32 {
    chrono::Local::now().offset().local_minus_utc() / 60
}

/// The course commands: each records one entry through `Store::record`.
fn checkin(
    command: CheckinCommand,
    open: impl FnOnce() -> Result<Arc<Store>, Error>,
) -> Result<Value, Failure> {
    let input = match command {
        CheckinCommand::Start {
            place,
            watcher,
            minutes,
            reason,
            person,
            high_risk,
            at,
        } => {
            let [place] = text::read([place.into()])?;
            NewEntry::CheckinStarted(CheckinInput {
                place: place.unwrap_or_default(),
                watcher,
                minutes,
                reason: CheckinReason::parse(&reason)?,
                person,
                high_risk,
                occurred_at: at.at,
            })
        }
        CheckinCommand::Extend {
            checkin,
            minutes,
            at,
        } => NewEntry::CheckinExtended(CheckinExtensionInput {
            checkin,
            minutes,
            occurred_at: at.at,
        }),
        CheckinCommand::End {
            checkin,
            code,
            on_behalf,
            at,
        } => {
            let [code] = text::read([code.into()])?;
            NewEntry::CheckinEnded(CheckinEndInput {
                checkin,
                code,
                on_behalf,
                occurred_at: at.at,
            })
        }
        CheckinCommand::Ack { checkin } => {
            NewEntry::CheckinAcknowledged(CheckinAcknowledgementInput {
                checkin,
                occurred_at: None,
            })
        }
        CheckinCommand::List => return Ok(json!(open()?.checkins()?)),
        CheckinCommand::Sms { kind, checkin } => {
            let kind = match kind.as_str() {
                "started" => CheckinMessageKind::Started,
                "ended" => CheckinMessageKind::Ended,
                _ => {
                    return Err(Error::invalid("kind", "started or ended").into());
                }
            };
            return Ok(json!(open()?.checkin_message(checkin, kind)?));
        }
        CheckinCommand::Codes { code, duress } => {
            let [code, duress] = text::read([code.into(), duress.into()])?;
            open()?.set_checkin_codes(code.unwrap_or_default(), duress.unwrap_or_default())?;
            return Ok(json!({"codes_set": true}));
        }
    };
    Ok(json!(open()?.record(input)?))
}

fn course(
    command: CourseCommand,
    open: impl FnOnce() -> Result<Arc<Store>, Error>,
) -> Result<Value, Failure> {
    let (store, input) = match command {
        CourseCommand::Open {
            person,
            found_via,
            responsible,
            with,
            treatment_before,
            substitution_before,
            services_before,
            at,
        } => {
            let [responsible, with] = text::read([responsible.into(), with.into()])?;
            let store = open()?;
            // Alone or as a pair; a colleague named by --with joins the worker responsible,
            // this device's unless --responsible names another.
            let mut names: Vec<String> = responsible.into_iter().collect();
            if let Some(with) = with {
                if names.is_empty() {
                    names.push(store.identity()?.worker);
                }
                names.push(with);
            }
            let input = NewEntry::CourseOpened(CourseInput {
                person,
                responsible: names,
                found_via: FoundVia::parse(&found_via)?,
                attachment_treatment: treatment_before
                    .as_deref()
                    .map(TreatmentAttachment::parse)
                    .transpose()?,
                attachment_substitution: substitution_before
                    .as_deref()
                    .map(SubstitutionAttachment::parse)
                    .transpose()?,
                attachment_services: services_before
                    .as_deref()
                    .map(ServicesAttachment::parse)
                    .transpose()?,
                occurred_at: at.at,
            });
            (store, input)
        }
        CourseCommand::Phase {
            person,
            course,
            phase,
            at,
        } => {
            let input = NewEntry::CoursePhaseSet(CoursePhaseInput {
                person,
                course,
                phase: CoursePhase::parse(&phase)?,
                occurred_at: at.at,
            });
            (open()?, input)
        }
        CourseCommand::Close {
            person,
            course,
            reason,
            treatment_status,
            at,
        } => {
            let input = NewEntry::CourseClosed(CourseCloseInput {
                person,
                course,
                reason: CloseReason::parse(&reason)?,
                treatment_status: treatment_status
                    .as_deref()
                    .map(TreatmentStatus::parse)
                    .transpose()?,
                occurred_at: at.at,
            });
            (open()?, input)
        }
    };
    Ok(json!(store.record(input)?))
}

/// The bridge-building commands: each records one entry through `Store::record`; `waiting`
/// lists who waits for treatment under the guarantee.
fn treatment(
    command: TreatmentCommand,
    open: impl FnOnce() -> Result<Arc<Store>, Error>,
) -> Result<Value, Failure> {
    let input = match command {
        TreatmentCommand::Request { person, course, at } => {
            NewEntry::TreatmentRequested(TreatmentRequestInput {
                person,
                course,
                occurred_at: at.at,
            })
        }
        TreatmentCommand::Visit {
            person,
            course,
            kind,
            result,
            offer,
            at,
        } => {
            let [offer] = text::read([offer.into()])?;
            NewEntry::TreatmentVisited(VisitationInput {
                person,
                course,
                kind: VisitationKind::parse(&kind)?,
                result: VisitationResult::parse(&result)?,
                offer,
                occurred_at: at.at,
            })
        }
        TreatmentCommand::Start {
            person,
            course,
            offer,
            intensity,
            counsellor,
            at,
        } => {
            let [offer, counsellor] = text::read([offer.into(), counsellor.into()])?;
            NewEntry::TreatmentStarted(TreatmentStartInput {
                person,
                course,
                offer: offer.unwrap_or_default(), // clap requires --offer or --offer-file
                intensity: TreatmentIntensity::parse(&intensity)?,
                counsellor,
                occurred_at: at.at,
            })
        }
        TreatmentCommand::Handover {
            person,
            course,
            counsellor,
            plan_handed_over,
            support,
            notify_no_shows,
            at,
        } => {
            let [counsellor, support] = text::read([counsellor.into(), support.into()])?;
            NewEntry::TreatmentHandedOver(HandoverInput {
                person,
                course,
                counsellor: counsellor.unwrap_or_default(), // clap requires one of the two
                plan_handed_over,
                support,
                notify_no_shows,
                occurred_at: at.at,
            })
        }
        TreatmentCommand::Waiting => return Ok(json!(open()?.waiting_for_treatment()?)),
    };
    Ok(json!(open()?.record(input)?))
}

/// The plan commands. A plan file is read (a file, or standard input for `-`) before the store
/// is opened, and parsed by the core, which names the field it gets wrong.
fn plan(
    command: PlanCommand,
    open: impl FnOnce() -> Result<Arc<Store>, Error>,
) -> Result<Value, Failure> {
    let input = match command {
        PlanCommand::Set {
            person,
            course,
            file,
            at,
        } => {
            let [text] = text::read([Source::new("plan", None, Some(file))])?;
            NewEntry::PlanSet(PlanInput {
                person,
                course,
                fields: parse_plan_file(&text.unwrap_or_default())?,
                occurred_at: at.at,
            })
        }
        PlanCommand::Evaluate {
            person,
            course,
            goal,
            reached,
            closer,
            comment,
            at,
        } => {
            let [closer, comment] = text::read([closer.into(), comment.into()])?;
            NewEntry::PlanEvaluated(EvaluationInput {
                person,
                course,
                goal,
                reached: GoalReached::parse(&reached)?,
                closer,
                comment,
                occurred_at: at.at,
            })
        }
        PlanCommand::Cooperation {
            person,
            course,
            satisfaction,
            citizen,
            worker,
            at,
        } => {
            let [satisfaction, citizen, worker] =
                text::read([satisfaction.into(), citizen.into(), worker.into()])?;
            NewEntry::CooperationNoted(CooperationInput {
                person,
                course,
                satisfaction,
                citizen_comments: citizen,
                worker_comments: worker,
                occurred_at: at.at,
            })
        }
        PlanCommand::Show {
            person,
            format,
            out,
        } => {
            return match (format.as_str(), out) {
                ("json", None) => Ok(json!(open()?.person(person)?.plan)),
                ("html", Some(path)) => {
                    let html = open()?.plan_document(person)?;
                    write_private(&path, html.as_bytes())?;
                    Ok(json!({"written": path.to_string_lossy(), "bytes": html.len()}))
                }
                ("html", None) => Err(Error::invalid(
                    "out",
                    "the handover document is written to --out PATH",
                )
                .into()),
                ("json", Some(_)) => Err(Error::invalid("out", "only for --format html").into()),
                _ => Err(Error::invalid("format", "json or html").into()),
            };
        }
    };
    Ok(json!(open()?.record(input)?))
}

/// Writes a file readable by its owner only (a plan is health data): a new file beside the
/// path, made 0600 before anything is written, then renamed over it, so a file already there
/// with wider permissions (or a link) never receives the text.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let failed =
        |e: std::io::Error| Error::invalid("out", format!("cannot be written: {}", e.kind()));
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    let temporary = path.with_file_name(name);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temporary)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()))
        .and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written.map_err(failed)
}
