//! The command line's words. These names are a contract with scripts: add, never rename.
//!
//! Enumerated values (place kinds, outcomes, Brøset items…) are taken as plain text and parsed by
//! the core, so the CLI accepts exactly the core's codes and reports a bad one with the core's
//! typed error, listing what is allowed.
//!
//! Every recorded text `--X TEXT` has a sibling `--X-file PATH` (`-` for standard input) that keeps
//! it off the command line; see `text.rs` for why. The pairs are declared once, by `text_option!`
//! at the end of this file.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::text::Source;

#[derive(Debug, Parser)]
#[command(
    name = "gadeplan",
    version,
    about = "Gadeplan: the outreach workers' encrypted field journal, from the command line"
)]
pub struct Cli {
    /// The encrypted store file.
    #[arg(long, env = "GADEPLAN_STORE", global = true)]
    pub store: Option<PathBuf>,
    /// A file holding the store's key as 64 hex characters (else GADEPLAN_KEY is read).
    #[arg(long, global = true)]
    pub key_file: Option<PathBuf>,
    /// Trust only the CAs in this PEM bundle for an https:// centre (a municipality's own CA);
    /// without it, the platform's trust store.
    #[arg(long, env = "GADEPLAN_CA_FILE", global = true)]
    pub ca_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the store for this device's worker.
    Init {
        #[command(flatten)]
        worker: Worker,
        #[arg(long, default_value = "cli")]
        device: String,
    },
    /// Who records on this device.
    Identity,
    /// Persons known by alias: add, list, show, update, merge.
    #[command(subcommand)]
    Person(PersonCommand),
    /// Unknown citizens met or assessed but not yet named.
    #[command(subcommand)]
    Unknown(UnknownCommand),
    /// Score the Brøset Violence Checklist before an approach.
    Risk {
        #[command(flatten)]
        subject: SubjectArgs,
        /// The behaviours observed, comma-separated (confusion, irritability, boisterousness,
        /// physical-threats, verbal-threats, attacks-on-objects).
        #[arg(long, value_delimiter = ',')]
        observed: Vec<String>,
        #[command(flatten)]
        plan: Plan,
        #[command(flatten)]
        at: AtArg,
    },
    /// Record a contact.
    Contact {
        #[command(flatten)]
        subject: SubjectArgs,
        #[command(flatten)]
        place: ContactPlace,
        /// A place of the team's register (see `place list`): its visit rule is checked, and
        /// without --place its name is taken.
        #[arg(long)]
        place_id: Option<String>,
        #[arg(long)]
        place_kind: String,
        #[arg(long)]
        kind: String,
        #[arg(long)]
        outcome: String,
        /// For --kind meeting (or about-citizen): visitation-conference,
        /// first-treatment-meeting, partner-meeting.
        #[arg(long)]
        meeting: Option<String>,
        /// A home visit announced beforehand (at a place of the register visited only when
        /// called: the workers were called).
        #[arg(long, conflicts_with = "unannounced")]
        announced: bool,
        /// A home visit not announced (then never alone, 002 L2619–2620).
        #[arg(long)]
        unannounced: bool,
        #[command(flatten)]
        safety_reason: SafetyReason,
        #[command(flatten)]
        with: With,
        #[arg(long)]
        minutes: Option<u32>,
        #[command(flatten)]
        note: Note,
        /// The risk check made before the approach (its subject is used if none is given).
        #[arg(long)]
        risk_check: Option<String>,
        #[command(flatten)]
        at: AtArg,
    },
    /// Record a pre-screening against the target-group criteria.
    Screen {
        #[arg(long)]
        person: String,
        /// The criteria met, comma-separated (section-101, drug-use, limited-treatment-use,
        /// multi-system-need, burdened-situation).
        #[arg(long, value_delimiter = ',')]
        criteria: Vec<String>,
        /// The burden areas judged high, comma-separated (physical-health, mental-health,
        /// economy, crime, family-social); three or more meet the complex-burden criterion.
        #[arg(long, value_delimiter = ',')]
        high_burden: Vec<String>,
        /// The criteria not met and the burden areas not high, comma-separated. A criterion or
        /// area named nowhere is not known yet.
        #[arg(long, value_delimiter = ',')]
        not_met: Vec<String>,
        /// The criteria and areas not known yet, comma-separated (the same as naming them
        /// nowhere; a check that none is also named met or not met).
        #[arg(long, value_delimiter = ',')]
        unknown: Vec<String>,
        #[arg(long)]
        decision: String,
        #[command(flatten)]
        reason: ScreeningReason,
        #[command(flatten)]
        referred_to: ReferredTo,
        /// How: guide, refer (the default) or hand-over.
        #[arg(long)]
        referral: Option<String>,
        #[command(flatten)]
        at: AtArg,
    },
    /// Record the stage of change.
    Stage {
        #[arg(long)]
        person: String,
        #[arg(long)]
        stage: String,
        /// 0–10: "hvor vigtigt er det så for dig, at (mål for recovery)?" (0 "lige meget", 10
        /// "utroligt vigtigt").
        #[arg(long)]
        importance: Option<u8>,
        /// 0–10: "Hvor overbevist er du om, at du kan stabilisere eller reducere dit misbrug?"
        #[arg(long)]
        confidence: Option<u8>,
        /// 0–10: 0 "dit liv falder sammen", 10 "du har styr på det".
        #[arg(long)]
        life_control: Option<u8>,
        /// 0–10: "Hvor meget trang har du?"
        #[arg(long)]
        craving: Option<u8>,
        #[command(flatten)]
        recovery_goal: RecoveryGoal,
        #[command(flatten)]
        at: AtArg,
    },
    /// The pilot's questionnaires: record one on the person's course (`questionnaire --person
    /// ID --instrument NAME --answers 4,5,,3,2,1`, or `--not-possible REASON`), or
    /// `questionnaire show --person ID`: baseline against follow-up, and what is due.
    Questionnaire(QuestionnaireArgs),
    /// Record a safety incident: threats, violence against a person or objects, or other; at a
    /// contact it broke off (`--contact ID`, its citizen's) or about a citizen.
    Incident {
        #[command(flatten)]
        subject: SubjectArgs,
        /// threat, violence-against-person, violence-against-objects, other.
        #[arg(long)]
        kind: String,
        /// The contact it broke off (its citizen is the incident's, if none is given).
        #[arg(long)]
        contact: Option<String>,
        /// The workers involved besides you, comma-separated.
        #[arg(long, value_delimiter = ',')]
        workers: Vec<String>,
        #[arg(long)]
        police_called: bool,
        #[arg(long)]
        centre_called: bool,
        #[command(flatten)]
        place: IncidentPlace,
        #[command(flatten)]
        note: Note,
        #[command(flatten)]
        at: AtArg,
    },
    /// The team's areas (Bilag 2B): add one, list them.
    #[command(subcommand)]
    Area(AreaCommand),
    /// The team's register of places, with their visit rules: add one, list them.
    #[command(subcommand)]
    Place(PlaceCommand),
    /// The route plan: a round is places in order, walked on a weekday at a time.
    #[command(subcommand)]
    Round(RoundCommand),
    /// Each area's coverage in the last four weeks (contacts at its places, rounds through it)
    /// against its priority, highest first.
    Coverage,
    /// Check-ins for a home visit alone or an approach after a high Brøset score: start one
    /// before going in, extend or end it; the centre raises the alarm if it is not ended in
    /// time. Also acknowledge a colleague's, list them, set your codes, and the SMS for your
    /// watcher when there is no data.
    #[command(subcommand)]
    Checkin(CheckinCommand),
    /// What you must know now: a colleague's overdue check-in (as of the last sync), your own
    /// check-in about to fall due, overdue, or not yet at the centre.
    Alerts,
    /// The team's roster as the centre last sent it: the workers a colleague, a responsible
    /// worker or an incident's worker is chosen from (null before the first sync).
    Roster,
    /// Pairs of persons who may be the same citizen (spelling variants of an alias, a birth
    /// year that fits), strongest first; merge them with `person merge`.
    Duplicates,
    /// Citizens with an open course not talked with in the last 14 days, longest first, with
    /// their conversations in 30 days and when they were last seen.
    NotTalkedWith,
    /// A citizen's course: open, move to a phase, close (a closed one is followed by a new one).
    #[command(subcommand)]
    Course(CourseCommand),
    /// The caseload: each worker's open courses and the team's average against the guideline
    /// of 15.
    Caseload,
    /// Bridge-building into treatment: the wish (the 14-day guarantee starts), the visitation,
    /// the start, the handover to the counsellor; and who is waiting, fewest days left first.
    #[command(subcommand)]
    Treatment(TreatmentCommand),
    /// The initial treatment plan (Bilag 1C): set or revise it from a JSON file, evaluate a
    /// specific goal, note the cooperation, show it (JSON, or the handover document in HTML).
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Someone in the citizen's network (on the person's screen, offline).
    #[command(subcommand)]
    Network(NetworkCommand),
    /// The citizen's consent to pass information on: given, withdrawn.
    #[command(subcommand)]
    Consent(ConsentCommand),
    /// Record what was told to whom about the citizen, on a consent in force (refused without).
    Disclose {
        #[arg(long)]
        person: String,
        #[command(flatten)]
        what: What,
        #[command(flatten)]
        to: To,
        /// The consent it rests on.
        #[arg(long)]
        consent: Option<String>,
        #[command(flatten)]
        at: AtArg,
    },
    /// A bridge to another service beside drug treatment, and how far it has come.
    Bridge {
        #[arg(long)]
        person: String,
        #[arg(long)]
        course: Option<String>,
        /// gp, psychiatry, housing-support, support-contact, caseworker, other.
        #[arg(long)]
        service: String,
        /// contacted, stable-contact, dropped.
        #[arg(long)]
        status: String,
        #[command(flatten)]
        contact: BridgeContact,
        #[command(flatten)]
        at: AtArg,
    },
    /// Correct an earlier record; the original stays and the timeline shows both.
    Amend {
        entry_id: String,
        #[command(flatten)]
        patch: Patch,
        #[command(flatten)]
        note: Note,
        #[command(flatten)]
        place: NewPlace,
        #[arg(long)]
        place_kind: Option<String>,
        #[arg(long)]
        outcome: Option<String>,
        #[arg(long)]
        minutes: Option<u32>,
        #[command(flatten)]
        plan: Plan,
        #[arg(long)]
        stage: Option<String>,
        /// The corrected time it happened.
        #[arg(long)]
        at: Option<String>,
        #[command(flatten)]
        reason: AmendReason,
    },
    /// Void a record made by mistake (it stays in the timeline, marked void).
    Void {
        entry_id: String,
        #[command(flatten)]
        reason: VoidReason,
    },
    /// The journal: everything, one person's timeline, or this worker's entries for today.
    Log {
        #[arg(long, conflicts_with = "today")]
        person: Option<String>,
        #[arg(long)]
        today: bool,
        /// Only the newest N entries.
        #[arg(long, conflicts_with_all = ["person", "today"])]
        limit: Option<u32>,
    },
    /// One entry, with its corrections applied.
    Entry { id: String },
    /// The instruments and vocabularies, in Danish and English.
    Instruments,
    /// Enrol this phone at a centre with a one-time code from the centre's operator.
    Enrol {
        /// The centre's address, e.g. https://centre.kommune.dk or http://127.0.0.1:8470
        #[arg(long, required_unless_present = "link", conflicts_with = "link")]
        centre: Option<String>,
        #[command(flatten)]
        code: EnrolCode,
        /// The enrolment link the centre shows as a QR code (gadeplan://enrol?centre=…&code=…),
        /// instead of --centre and --code.
        #[arg(long)]
        link: Option<String>,
    },
    /// Send what was recorded here to the centre and fetch what colleagues recorded.
    Sync {
        /// Another address for the centre than the one enrolled with.
        #[arg(long)]
        centre: Option<String>,
    },
    /// Where this phone stands with the centre: enrolled, pending, refused.
    Status,
    /// Find, online, a citizen of the team whose older history is held at the centre only (the
    /// centre released them from the phones): by a part of the nickname.
    SearchCentre {
        alias: String,
        /// Another address for the centre than the one enrolled with.
        #[arg(long)]
        centre: Option<String>,
    },
    /// Fetch a citizen's history from the centre onto this phone (one found by search-centre),
    /// kept for a week whatever the centre's rule says; a record made meanwhile keeps them.
    FetchHistory {
        citizen: String,
        /// Another address for the centre than the one enrolled with.
        #[arg(long)]
        centre: Option<String>,
    },
    /// Ask the centre for a new device token, without enrolling again; the old one stops
    /// working once the new one has been used.
    RotateToken {
        /// Another address for the centre than the one enrolled with.
        #[arg(long)]
        centre: Option<String>,
    },
    /// The main job: a week of outreach by three phones of two teams against a centre started
    /// in this process, over a connection that drops and repeats; checks that nothing is lost.
    #[cfg(feature = "demo")]
    Demo {
        /// The random seed of the simulated week (the same seed, the same week).
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Then leave the demo's centre running with the team leader's page: a leader of
        /// Vesterbro, an operator and an auditor are made, their sign-ins and the page's address
        /// printed (one JSON line on stdout), two check-ins left overdue for the leader to take.
        /// Ctrl-C stops it and removes its data.
        #[arg(long)]
        serve: bool,
        /// Where the page listens with --serve (port 0: any free port).
        #[arg(long, default_value = "127.0.0.1:8470", requires = "serve")]
        listen: String,
    },
    /// Rebuild every read table from the journal (maintenance).
    Rebuild,
    /// Re-encrypt the store with a new key, all or nothing (the current key as always, from
    /// --key-file or GADEPLAN_KEY). Keep the new key file before running it: once it succeeds,
    /// only the new key opens the store.
    Rekey {
        /// The new key: a file of 64 hex characters, private to its owner.
        #[arg(long)]
        new_key_file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    Add {
        #[command(flatten)]
        alias: Alias,
        #[command(flatten)]
        description: Description,
        #[arg(long)]
        birth_year: Option<i32>,
        /// The unknown citizen this person turns out to be.
        #[arg(long)]
        from_unknown: Option<String>,
        #[command(flatten)]
        at: AtArg,
    },
    List {
        #[arg(long)]
        limit: Option<u32>,
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    Show {
        id: String,
    },
    Update {
        id: String,
        #[command(flatten)]
        alias: NewAlias,
        #[command(flatten)]
        description: NewDescription,
        #[arg(long, conflicts_with = "clear_birth_year")]
        birth_year: Option<i32>,
        #[arg(long)]
        clear_birth_year: bool,
    },
    Merge {
        keep_id: String,
        duplicate_id: String,
    },
}

/// `questionnaire` records one with its arguments, unless a subcommand (`show`) is given.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct QuestionnaireArgs {
    #[command(subcommand)]
    pub command: Option<QuestionnaireCommand>,
    #[command(flatten)]
    pub record: RecordQuestionnaire,
}

/// A questionnaire to record on the person's course (the open one; with none open, the latest,
/// for the follow-up three months after treatment started).
#[derive(Debug, Args)]
pub struct RecordQuestionnaire {
    #[arg(long, required = true)]
    pub person: Option<String>,
    /// motivation, drug-situation, physical-health, mental-health.
    #[arg(long, required = true)]
    pub instrument: Option<String>,
    /// The answers in the items' order, comma-separated; leave one empty (or `-`) for an item
    /// unanswered: `--answers 4,5,,3,2,1`.
    #[arg(long, conflicts_with_all = ["not_possible", "not_possible_file"])]
    pub answers: Option<String>,
    #[command(flatten)]
    pub not_possible: NotPossible,
    /// baseline or follow-up (default: the follow-up once its moment has come, motivation work
    /// ended or three months after treatment started; else the baseline, if none is recorded
    /// and its moment has not passed; otherwise say which).
    #[arg(long)]
    pub occasion: Option<String>,
    /// The course, if the person has more than one open, or to record on a closed one.
    #[arg(long)]
    pub course: Option<String>,
    #[command(flatten)]
    pub at: AtArg,
}

#[derive(Debug, Subcommand)]
pub enum QuestionnaireCommand {
    /// A person's questionnaires, baseline against follow-up, item by item; and what is due.
    Show {
        #[arg(long)]
        person: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AreaCommand {
    /// Note an area where the target group often is.
    Add {
        #[arg(long)]
        name: String,
        /// high, normal, low: how much it matters to cover it.
        #[arg(long, default_value = "normal")]
        priority: String,
        #[command(flatten)]
        times: AreaTimes,
        #[command(flatten)]
        note: Note,
    },
    /// The team's areas.
    List,
}

#[derive(Debug, Subcommand)]
pub enum PlaceCommand {
    /// Note a place of the register.
    Add(Box<NewPlaceArgs>),
    /// The places of the register, with their rules.
    List,
}

#[derive(Debug, Args)]
pub struct NewPlaceArgs {
    #[arg(long)]
    pub name: String,
    /// The place kind, as for a contact (street, park, drop-in, shelter, home, …).
    #[arg(long)]
    pub kind: String,
    /// open, announced-only, only-when-called.
    #[arg(long, default_value = "open")]
    pub rule: String,
    /// The area it lies in (see `area list`).
    #[arg(long)]
    pub area: Option<String>,
    #[command(flatten)]
    pub address: Address,
    /// A point, as LATITUDE,LONGITUDE in degrees (e.g. 55.6712,12.5611).
    #[arg(long)]
    pub point: Option<String>,
    #[command(flatten)]
    pub call: Call,
    #[command(flatten)]
    pub note: Note,
}

#[derive(Debug, Subcommand)]
pub enum RoundCommand {
    /// Plan a round: places in the order walked, on a weekday at a time.
    Add {
        #[arg(long)]
        name: String,
        /// monday … sunday.
        #[arg(long)]
        weekday: String,
        /// HH:MM.
        #[arg(long)]
        time: String,
        /// The places, in order, comma-separated ids (see `place list`).
        #[arg(long, value_delimiter = ',', required = true)]
        places: Vec<String>,
        #[command(flatten)]
        note: Note,
    },
    /// The rounds, by weekday and time.
    List,
}

#[derive(Debug, Subcommand)]
pub enum CheckinCommand {
    /// Start a check-in before going in (one open at a time).
    Start {
        #[command(flatten)]
        place: CheckinPlace,
        /// The colleague who watches, from the roster.
        #[arg(long)]
        watcher: String,
        /// Minutes until it falls due (1–720).
        #[arg(long)]
        minutes: u32,
        /// solo-home-visit, high-risk-approach, other.
        #[arg(long, default_value = "solo-home-visit")]
        reason: String,
        /// The person visited or approached (a high Brøset score in 24 hours makes it
        /// high-risk).
        #[arg(long)]
        person: Option<String>,
        /// High-risk whatever the person's checks say: escalated with no grace period.
        #[arg(long)]
        high_risk: bool,
        #[command(flatten)]
        at: AtArg,
    },
    /// More time: the check-in falls due this many minutes from now.
    Extend {
        /// The check-in (default: your open one).
        #[arg(long)]
        checkin: Option<String>,
        #[arg(long)]
        minutes: u32,
        #[command(flatten)]
        at: AtArg,
    },
    /// End your check-in (with your code, when codes are set); or, as the watcher, end a
    /// colleague's on their behalf after their SMS (`--checkin CODE --on-behalf`).
    End {
        /// The check-in, by id or the code in the SMS (default: your open one).
        #[arg(long)]
        checkin: Option<String>,
        #[command(flatten)]
        code: CheckinCode,
        /// You are the watcher, reporting the end the worker sent you by SMS.
        #[arg(long)]
        on_behalf: bool,
        #[command(flatten)]
        at: AtArg,
    },
    /// Take charge of a colleague's overdue check-in.
    Ack {
        #[arg(long)]
        checkin: String,
    },
    /// Every check-in this phone knows, latest first.
    List,
    /// The SMS for your watcher (`started` or `ended`): to whom, and its text.
    Sms {
        #[arg(long, default_value = "ended")]
        kind: String,
        #[arg(long)]
        checkin: Option<String>,
    },
    /// Set your codes for ending a check-in: the normal one, and the duress code that ends it
    /// the same way on the screen while the centre raises the alarm.
    Codes {
        #[command(flatten)]
        code: NewCheckinCode,
        #[command(flatten)]
        duress: DuressCode,
    },
}

#[derive(Debug, Subcommand)]
pub enum CourseCommand {
    /// Open a course for a person who has none open.
    Open {
        #[arg(long)]
        person: String,
        /// How the citizen was found: own-outreach, known-citizen, support-contact,
        /// civil-society, caseworker, psychiatry-hospital, shelter-drop-in, other.
        #[arg(long)]
        found_via: String,
        #[command(flatten)]
        responsible: Responsible,
        #[command(flatten)]
        with: With,
        /// Attachment to the drug treatment system before: unknown-to-system,
        /// known-no-contact, sporadic.
        #[arg(long)]
        treatment_before: Option<String>,
        /// Attachment to substitution treatment before: never, earlier, current.
        #[arg(long)]
        substitution_before: Option<String>,
        /// Attachment to other social and health services before: none, earlier, current.
        #[arg(long)]
        services_before: Option<String>,
        #[command(flatten)]
        at: AtArg,
    },
    /// Move the person's open course to a phase: contact, motivation, bridging, in-treatment.
    Phase {
        #[arg(long)]
        person: String,
        /// The course (the id of its opening), if the person has more than one open.
        #[arg(long)]
        course: Option<String>,
        #[arg(long)]
        phase: String,
        #[command(flatten)]
        at: AtArg,
    },
    /// Close the person's open course.
    Close {
        #[arg(long)]
        person: String,
        #[arg(long)]
        course: Option<String>,
        /// Why: treatment, other-service, goal-reached, citizen-ended, lost-contact, moved,
        /// died, outside-target-group, other.
        #[arg(long)]
        reason: String,
        /// For a course bridged into treatment: continuing, completed, dropped-out.
        #[arg(long)]
        treatment_status: Option<String>,
        /// When it closed (RFC 3339); default now.
        #[command(flatten)]
        at: AtArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum TreatmentCommand {
    /// The citizen wishes for treatment: the 14-day guarantee counts from this day.
    Request {
        #[arg(long)]
        person: String,
        #[arg(long)]
        course: Option<String>,
        #[command(flatten)]
        at: AtArg,
    },
    /// The visitation: at a treatment conference or directly by the workers' right to visit.
    Visit {
        #[arg(long)]
        person: String,
        #[arg(long)]
        course: Option<String>,
        /// conference or direct.
        #[arg(long)]
        kind: String,
        /// admitted, not-admitted or postponed.
        #[arg(long)]
        result: String,
        #[command(flatten)]
        offer: Offer,
        #[command(flatten)]
        at: AtArg,
    },
    /// Treatment started.
    Start {
        #[arg(long)]
        person: String,
        #[arg(long)]
        course: Option<String>,
        #[command(flatten)]
        offer: RequiredOffer,
        /// residential, day, ambulant-day, ambulant, ad-hoc.
        #[arg(long)]
        intensity: String,
        #[command(flatten)]
        counsellor: Counsellor,
        #[command(flatten)]
        at: AtArg,
    },
    /// The handover to the counsellor once treatment has started.
    Handover {
        #[arg(long)]
        person: String,
        #[arg(long)]
        course: Option<String>,
        #[command(flatten)]
        counsellor: RequiredCounsellor,
        /// The initial treatment plan was handed over.
        #[arg(long)]
        plan_handed_over: bool,
        #[command(flatten)]
        support: Support,
        /// The counsellor tells the workers when the citizen does not show.
        #[arg(long)]
        notify_no_shows: bool,
        #[command(flatten)]
        at: AtArg,
    },
    /// The citizens waiting for treatment to start, fewest days left first.
    Waiting,
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Set the plan of the person's open course (a revision if it has one) from a JSON file:
    /// {"goal", "goal_kind", "achieve", "services", "remarks", "partners": [{"name", "phone"}],
    /// "plans": [{"goal", "citizen_effort", "others_effort", "worker_effort", "remarks"}],
    /// "crisis_plan"}; - reads standard input.
    Set {
        #[arg(long)]
        person: String,
        #[arg(long)]
        course: Option<String>,
        #[arg(long, value_name = "PATH")]
        file: PathBuf,
        #[command(flatten)]
        at: AtArg,
    },
    /// Evaluate a specific goal of the plan ("Er målet nået").
    Evaluate {
        #[arg(long)]
        person: String,
        #[arg(long)]
        course: Option<String>,
        /// The specific goal's number in the plan, from 1.
        #[arg(long)]
        goal: u32,
        /// not-at-all, to-some-degree, yes, yes-more, yes-much-more, no-longer-relevant.
        #[arg(long)]
        reached: String,
        #[command(flatten)]
        closer: Closer,
        #[command(flatten)]
        comment: Comment,
        #[command(flatten)]
        at: AtArg,
    },
    /// Note the cooperation: the citizen's satisfaction and both sides' comments, in words.
    Cooperation {
        #[arg(long)]
        person: String,
        #[arg(long)]
        course: Option<String>,
        #[command(flatten)]
        satisfaction: Satisfaction,
        #[command(flatten)]
        citizen: CitizenComments,
        #[command(flatten)]
        worker: WorkerComments,
        #[command(flatten)]
        at: AtArg,
    },
    /// The plan of the person's open course.
    Show {
        #[arg(long)]
        person: String,
        /// json (the default, on stdout) or html (the handover document, written to --out).
        #[arg(long, default_value = "json")]
        format: String,
        /// Where to write the handover document (made readable by its owner only).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum NetworkCommand {
    /// Add someone to the citizen's network (amend or void it like any record).
    Add {
        #[arg(long)]
        person: String,
        /// housing-support, support-contact, caseworker, gp, psychiatry, relative,
        /// civil-society, other.
        #[arg(long)]
        role: String,
        #[command(flatten)]
        name: MemberName,
        #[command(flatten)]
        organisation: Organisation,
        #[command(flatten)]
        phone: Phone,
        #[command(flatten)]
        at: AtArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConsentCommand {
    /// The citizen consents to information passing to someone.
    Give {
        #[arg(long)]
        person: String,
        #[command(flatten)]
        to: To,
        #[command(flatten)]
        about: About,
        /// verbal or written.
        #[arg(long)]
        form: String,
        #[command(flatten)]
        at: AtArg,
    },
    /// The citizen withdraws a consent.
    Withdraw {
        #[arg(long)]
        person: String,
        #[arg(long)]
        consent: String,
        #[command(flatten)]
        at: AtArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum UnknownCommand {
    List,
}

/// Whom a risk check or contact concerns: exactly one of these, or none for a contact that
/// follows a risk check.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct SubjectArgs {
    #[arg(long)]
    pub person: Option<String>,
    /// A few words describing a citizen not known by name.
    #[arg(long)]
    pub unknown: Option<String>,
    /// The same, read from the file PATH (- reads standard input).
    #[arg(long, value_name = "PATH")]
    pub unknown_file: Option<PathBuf>,
    /// An unknown citizen recorded before.
    #[arg(long)]
    pub unknown_id: Option<String>,
}

#[derive(Debug, Args)]
pub struct AtArg {
    /// When it happened (RFC 3339, e.g. 2026-11-23T14:05:00+01:00); default now.
    #[arg(long)]
    pub at: Option<String>,
}

/// Declares a recorded text given as `--X TEXT` or, kept off the command line, as
/// `--X-file PATH` (`-` for standard input): a struct to flatten into a command, whose clap group
/// makes the two conflict and, when marked `(required)`, one of them required. The doc comment
/// becomes the help of `--X`.
macro_rules! text_option {
    ($(#[$help:meta])* $name:ident $(($required:ident))?: $text:ident, $file:ident) => {
        #[derive(Debug, Args)]
        #[group(multiple = false $(, $required = true)?)]
        pub struct $name {
            $(#[$help])*
            #[arg(long)]
            $text: Option<String>,
            /// The same, read from the file PATH (- reads standard input).
            #[arg(long, value_name = "PATH")]
            $file: Option<PathBuf>,
        }

        impl From<$name> for Source {
            fn from(option: $name) -> Source {
                Source::new(stringify!($text), option.$text, option.$file)
            }
        }
    };
}

text_option! {
    /// The worker this device belongs to.
    Worker(required): worker, worker_file
}
text_option! {
    /// The worker responsible for the course, by name as enrolled (default: this device's).
    Responsible: responsible, responsible_file
}
text_option! {
    /// The treatment offered, in a few words.
    Offer: offer, offer_file
}
text_option! {
    /// The treatment offered, in a few words.
    RequiredOffer(required): offer, offer_file
}
text_option! {
    /// The counsellor (misbrugsbehandleren), by name.
    Counsellor: counsellor, counsellor_file
}
text_option! {
    /// The counsellor handed over to, by name.
    RequiredCounsellor(required): counsellor, counsellor_file
}
text_option! {
    /// The support agreed for the start of treatment.
    Support: support, support_file
}
text_option! {
    /// Whom at the service, in a few words.
    BridgeContact: contact, contact_file
}
text_option! {
    /// "Er borgeren kommet nærmere sit overordnede mål", in words.
    Closer: closer, closer_file
}
text_option! {
    /// The worker's comments on the evaluation.
    Comment: comment, comment_file
}
text_option! {
    /// How satisfied the citizen is with the cooperation, in words.
    Satisfaction: satisfaction, satisfaction_file
}
text_option! {
    /// The citizen's comments.
    CitizenComments: citizen_comments, citizen_comments_file
}
text_option! {
    /// The worker's comments.
    WorkerComments: worker_comments, worker_comments_file
}
text_option! {
    /// The name of the network member.
    MemberName(required): name, name_file
}
text_option! {
    /// Their organisation.
    Organisation: organisation, organisation_file
}
text_option! {
    /// Their phone number.
    Phone: phone, phone_file
}
text_option! {
    /// To whom (a partner, an organisation).
    To(required): to, to_file
}
text_option! {
    /// About what information.
    About(required): about, about_file
}
text_option! {
    /// What was told.
    What(required): what, what_file
}
text_option! {
    /// What the citizen is called by, in the street.
    Alias(required): alias, alias_file
}
text_option! {
    /// What the citizen looks like, to be known again.
    Description: description, description_file
}
text_option! {
    /// The new alias.
    NewAlias: alias, alias_file
}
text_option! {
    /// The new description (an empty one clears it).
    NewDescription: description, description_file
}
text_option! {
    /// How violence is avoided; required when the score is high.
    Plan: plan, plan_file
}
text_option! {
    /// Where it happened, in a few words.
    Place(required): place, place_file
}
text_option! {
    /// The corrected place.
    NewPlace: place, place_file
}
text_option! {
    /// The colleague who was there (leave out for a solo contact).
    With: with, with_file
}
text_option! {
    /// What happened, in the worker's words; may run over several lines.
    Note: note, note_file
}
text_option! {
    /// Why the decision departs from what the criteria indicate.
    ScreeningReason: reason, reason_file
}
text_option! {
    /// The citizen's own recovery goal, in their words: what --importance asks about.
    RecoveryGoal: recovery_goal, recovery_goal_file
}
text_option! {
    /// Where it happened, in a few words.
    IncidentPlace: place, place_file
}
text_option! {
    /// Your judgement for going on despite a safety rule (a home visit alone judged safe).
    SafetyReason: safety_reason, safety_reason_file
}
text_option! {
    /// Why the questionnaire could not be answered (instead of --answers).
    NotPossible: not_possible, not_possible_file
}
text_option! {
    /// The service a citizen outside the target group is helped on to.
    ReferredTo: referred_to, referred_to_file
}
text_option! {
    /// A JSON merge patch over the record's fields, e.g. '{"minutes": null}'.
    Patch: patch, patch_file
}
text_option! {
    /// Why the record is corrected.
    AmendReason: reason, reason_file
}
text_option! {
    /// Why the record was a mistake.
    VoidReason(required): reason, reason_file
}
text_option! {
    /// The one-time code from the centre's operator.
    Code(required): code, code_file
}
text_option! {
    /// Where you are going (an address, a place of the register), in a few words.
    CheckinPlace(required): place, place_file
}
text_option! {
    /// Your code (or the duress code), when codes are set.
    CheckinCode: code, code_file
}
text_option! {
    /// Your normal code, 4–12 digits.
    NewCheckinCode(required): code, code_file
}
text_option! {
    /// Your duress code, 4–12 digits, not the normal one.
    DuressCode(required): duress_code, duress_code_file
}
text_option! {
    /// Where it happened, in a few words (default, with --place-id: the register's name).
    ContactPlace: place, place_file
}
text_option! {
    /// The times of day and week when it matters to be there.
    AreaTimes: times, times_file
}
text_option! {
    /// The place's address.
    Address: address, address_file
}
text_option! {
    /// Who calls the workers to the place (or whom they call first).
    Call: call, call_file
}
text_option! {
    /// The one-time code from the centre's operator (or give --link).
    EnrolCode: code, code_file
}
