//! `gadeplan-centre`: run the centre's sync server, and the operator's commands on the same data
//! directory (teams, enrolment codes, devices, revocation, the report). Every command prints JSON
//! on stdout (the report can be a table); an error is one JSON object on stderr and a non-zero exit.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::time::Duration;

use gadeplan_centre::audit::AuditEvent;
use gadeplan_centre::listener::ListenerSettings;
use gadeplan_centre::policy::{EnrolLimits, Policy, Quota, Watch};
use gadeplan_centre::server::Settings;
use gadeplan_centre::storage::{Database, KeySource};
use gadeplan_centre::store::Revocation;
use gadeplan_centre::tls::Tls;
use gadeplan_centre::{Centre, Refusal};
use serde_json::{Value, json};

#[derive(Debug, Parser)]
#[command(
    name = "gadeplan-centre",
    version,
    about = "The Gadeplan centre: sync server and operator commands"
)]
struct Cli {
    /// The centre's data directory, for the embedded store (created on first use).
    #[arg(
        long,
        env = "GADEPLAN_CENTRE_DATA",
        required_unless_present = "database"
    )]
    data: Option<PathBuf>,
    /// A PostgreSQL server instead of a data directory: postgres://user@host:port/database
    /// (the password from PGPASSWORD or ~/.pgpass, as libpq reads them, or in the address).
    /// Any number of centre processes may serve from one database.
    #[arg(long, env = "GADEPLAN_CENTRE_DATABASE", conflicts_with = "data")]
    database: Option<String>,
    /// The embedded store's key file (64 hex characters, readable by its owner only), kept
    /// outside the data directory: another disk, a secrets mount. Made on first use. Default:
    /// centre.key in the data directory. The key itself may instead be given in the environment
    /// as GADEPLAN_CENTRE_KEY (never on the command line).
    #[arg(long, env = "GADEPLAN_CENTRE_KEY_FILE", conflicts_with = "database")]
    key_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the sync protocol over HTTP. Logs one JSON line per event on stderr (security
    /// events under the target "security"); RUST_LOG sets the level (default info).
    Serve {
        #[arg(long, default_value = "127.0.0.1:8470")]
        listen: String,
        /// Serve HTTPS with this certificate chain (PEM, the server's certificate first); read
        /// again, with the key, on SIGHUP. Without it the centre speaks plain HTTP (behind a
        /// proxy that holds the certificate, or on loopback).
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM).
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        #[command(flatten)]
        limits: ServeLimits,
    },
    /// Teams.
    #[command(subcommand)]
    Team(TeamCommand),
    /// A team's roster: the workers a phone may name as a colleague or a responsible worker.
    /// Enrolment puts a worker on it; the operator adds and retires them here.
    #[command(subcommand)]
    Worker(WorkerCommand),
    /// The people who sign in to the centre's page: team leaders (their team only), operators
    /// (devices, enrolment) and auditors (the audit log).
    #[command(subcommand)]
    User(UserCommand),
    /// Make a one-time enrolment code for a worker's phone.
    Enrol {
        #[arg(long)]
        team: String,
        #[arg(long)]
        worker: String,
        /// How long the code works.
        #[arg(long, default_value_t = 24)]
        valid_hours: u32,
        /// The centre's address as phones reach it: the answer then carries the enrolment link
        /// (gadeplan://enrol?centre=…&code=…) the phone scans or `gadeplan enrol --link` takes.
        #[arg(long)]
        centre_url: Option<String>,
        /// Also draw the link as a QR code on stderr, for the worker's phone to scan.
        #[arg(long, requires = "centre_url")]
        qr: bool,
    },
    /// The enrolled devices.
    Devices,
    /// One device: ask it to rotate its token.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Entries held for an updated centre (of a kind or version this centre cannot read yet,
    /// pushed by phones updated first), and those it refused when it took them in: which,
    /// whose and why, never what they say.
    Held,
    /// Revoke a device. A lost phone is refused at once and told to erase what it holds (what it
    /// had not sent is lost with it); a retired phone first sends what it has not sent, then is
    /// told to erase itself. Asks for confirmation unless --yes is given.
    Revoke {
        device_id: String,
        /// The phone is lost or stolen: erase at once.
        #[arg(long, conflicts_with = "retired", required_unless_present = "retired")]
        lost: bool,
        /// The phone is handed in: take in what it has not sent, then erase.
        #[arg(long)]
        retired: bool,
        /// Do not ask for confirmation (for scripts).
        #[arg(long)]
        yes: bool,
    },
    /// A token for a team leader to read the team's report over HTTP (GET /v1/report).
    LeaderToken {
        #[arg(long)]
        team: String,
        /// How long the token is valid (default 90 days).
        #[arg(long)]
        valid_days: Option<u32>,
    },
    /// The leader tokens: id, team, expiry, last use, revocation (never the tokens themselves).
    LeaderTokens,
    /// Revoke a leader token by its id (see leader-tokens).
    RevokeLeaderToken { id: String },
    /// Erase one entry (with the corrections of it), or everything recorded about a citizen,
    /// from the centre and, at their next sync, from every phone of the team, with the legal
    /// reason (kept in the erasure's own entry; the audit log records who and when). What is
    /// erased leaves the files; a tombstone keeps its id and kind. A citizen with an open course
    /// is refused: close the course first. See docs/privacy.md.
    Erase {
        /// The entry to erase.
        #[arg(long, conflicts_with = "citizen", required_unless_present = "citizen")]
        entry: Option<String>,
        /// The citizen (any of their ids) everything about whom is erased.
        #[arg(long)]
        citizen: Option<String>,
        /// The legal reason, e.g. "GDPR art. 17, anmodning af 2026-12-01, j.nr. 123".
        #[arg(long)]
        reason: String,
    },
    /// Everything recorded about one citizen, as a document in Danish to hand them (their right
    /// of access): each entry with its time, title, author and fields, corrections and voids
    /// marked, what was erased listed. Recorded in the audit log. On stdout, or in --out.
    AccessReport {
        /// The citizen, by any of their ids.
        #[arg(long)]
        citizen: String,
        /// Write the document here (made readable by its owner only) instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The retention rule: list the citizens everything about whom it would erase now (a dry
    /// run that changes nothing), or with --apply erase them, each as `erase --citizen` would,
    /// with the rule as the reason. A citizen with an open course is never reached.
    Retention {
        /// Years after the citizen's last course closed, nothing having happened since.
        #[arg(long)]
        years: u32,
        /// Erase what is listed (without it, nothing is changed).
        #[arg(long)]
        apply: bool,
    },
    /// Re-encrypt the embedded store with a new random key, all or nothing (a stop in the middle
    /// leaves it under the old key or the new). The centre must be stopped: while a centre serves
    /// from the data directory its store is open, and the rekey is refused (centre-running) with
    /// nothing changed. The current key is given as to every command; the new key replaces the
    /// key file, or, for a key given as GADEPLAN_CENTRE_KEY, is written to --new-key-file. Not
    /// for PostgreSQL, whose data the operator's disk encryption and roles protect.
    Rekey {
        /// Where to write the new key (required when the key came from the environment).
        #[arg(long)]
        new_key_file: Option<PathBuf>,
    },
    /// The team's questionnaires as CSV on stdout, one row per questionnaire (citizens by id,
    /// never by alias), for the quarter's figures and the evaluation.
    ExportQuestionnaires {
        #[arg(long)]
        team: String,
    },
    /// Check-ins the centre watches (not ended, and duress alarms until an hour after one took
    /// charge; --all for every one of the last days), with
    /// their escalation steps; `checkins ack` takes charge of an overdue one for the team leader.
    Checkins {
        #[command(subcommand)]
        command: Option<CheckinCommand>,
        /// One team (default: every team).
        #[arg(long)]
        team: Option<String>,
        /// Ended check-ins too.
        #[arg(long)]
        all: bool,
        /// With --all: check-ins started in the last this many days.
        #[arg(long, default_value_t = 2)]
        days: u32,
    },
    /// The audit log: every leader's read, export and operator action, each record holding
    /// the hash of the one before (`--verify` walks the chain and says where it breaks).
    Audit {
        /// Records after this number.
        #[arg(long, default_value_t = 0)]
        after: u64,
        #[arg(long, default_value_t = 1_000)]
        limit: u32,
        /// Check the chain instead of listing it.
        #[arg(long)]
        verify: bool,
    },
    /// The pilot's indicators of a team for a period, as the leader's page shows them (JSON, or
    /// with --csv the page's CSV: codes and counts). Default: this quarter.
    Indicators {
        #[arg(long)]
        team: String,
        /// The first day (YYYY-MM-DD), with --to.
        #[arg(long, requires = "to")]
        from: Option<String>,
        /// The last day (YYYY-MM-DD), with --from.
        #[arg(long, requires = "from")]
        to: Option<String>,
        #[arg(long)]
        csv: bool,
    },
    /// The team's numbers.
    Report {
        /// One team (default: every team).
        #[arg(long)]
        team: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

/// The limits `serve` enforces; the defaults are `Policy::default()` and `EnrolLimits::default()`.
#[derive(Debug, Args)]
struct ServeLimits {
    /// New entries one device may push per hour.
    #[arg(long, default_value_t = Quota::default().entries_per_hour)]
    quota_entries_hour: u64,
    /// New entries one device may push per 24 hours.
    #[arg(long, default_value_t = Quota::default().entries_per_day)]
    quota_entries_day: u64,
    /// MiB of entry payloads one device may push per hour.
    #[arg(long, default_value_t = Quota::default().bytes_per_hour >> 20)]
    quota_mib_hour: u64,
    /// MiB of entry payloads one device may push per 24 hours.
    #[arg(long, default_value_t = Quota::default().bytes_per_day >> 20)]
    quota_mib_day: u64,
    /// Days after which an unused device token expires (the phone then enrols again).
    #[arg(long, default_value_t = Policy::default().device_token_idle_days)]
    device_token_idle_days: u32,
    /// Wrong tries (another worker's name) after which an enrolment code is used up.
    #[arg(long, default_value_t = Policy::default().code_attempts)]
    code_attempts: u32,
    /// Enrolment attempts per minute from one source address.
    #[arg(long, default_value_t = EnrolLimits::default().per_source_per_minute)]
    enrol_per_source_per_minute: u32,
    /// Enrolment attempts per minute from all sources together.
    #[arg(long, default_value_t = EnrolLimits::default().total_per_minute)]
    enrol_per_minute: u32,
    /// Connections served at once (default: 1024, or fewer if the open-files limit is lower).
    #[arg(long)]
    max_connections: Option<usize>,
    /// Connections served at once from one source address (behind a proxy, raise it).
    #[arg(long, default_value_t = ListenerSettings::default().max_connections_per_source)]
    max_connections_per_source: usize,
    /// Seconds a client may take to send a request's head, or stay idle between requests.
    #[arg(long, default_value_t = ListenerSettings::default().header_timeout.as_secs())]
    header_timeout_seconds: u64,
    /// Seconds a request's body may take to arrive.
    #[arg(long, default_value_t = gadeplan_centre::policy::BODY_TIMEOUT.as_secs())]
    body_timeout_seconds: u64,
    /// Seconds a client may leave an answer unread before it is dropped.
    #[arg(long, default_value_t = ListenerSettings::default().write_timeout.as_secs())]
    write_timeout_seconds: u64,
    /// Minutes after a check-in's due time before it is overdue and reaches the watcher (0:
    /// at once; a check-in after a high Brøset score has none).
    #[arg(long, default_value_t = Watch::default().grace_minutes)]
    checkin_grace_minutes: u32,
    /// Minutes an overdue check-in waits for an acknowledgement before it reaches the next on
    /// the ladder (the watcher, the team, the team leader).
    #[arg(long, default_value_t = Watch::default().step_minutes)]
    checkin_step_minutes: u32,
    /// A shell command run at each escalation step, with GADEPLAN_CHECKIN, GADEPLAN_TEAM,
    /// GADEPLAN_WORKER, GADEPLAN_WATCHER, GADEPLAN_LEVEL and GADEPLAN_DURESS set (for an SMS
    /// gateway or a pager).
    #[arg(long)]
    checkin_notify: Option<String>,
    /// The oldest sync protocol served (1 or 2). With 2, a request without its token in the
    /// Authorization header is refused before its body is read: once every phone is updated.
    #[arg(long, default_value_t = gadeplan_core::sync::wire::MIN_PROTOCOL,
          value_parser = clap::value_parser!(u32).range(1..=2))]
    min_protocol: u32,
    /// The municipality's retention rule: erase everything about a citizen this many years
    /// after their last course closed, nothing having happened since; applied at start and once
    /// a day. Off unless given. `retention --years N` shows what it would erase.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=gadeplan_centre::retention::MAX_YEARS as i64))]
    retention_years: Option<u32>,
    /// Days after a citizen's course closed that the phones still keep them (a citizen with an
    /// open course, or met within --keep-unmet-months, is kept whatever this says).
    #[arg(long, default_value_t = gadeplan_core::kinds::keep::KeepRule::default().closed_days)]
    keep_closed_days: u32,
    /// Months after anything last happened about a citizen that the phones still keep them.
    #[arg(long, default_value_t = gadeplan_core::kinds::keep::KeepRule::default().unmet_months)]
    keep_unmet_months: u32,
}

impl ServeLimits {
    fn settings(&self) -> Settings {
        Settings {
            policy: Policy {
                quota: Quota {
                    entries_per_hour: self.quota_entries_hour,
                    entries_per_day: self.quota_entries_day,
                    bytes_per_hour: self.quota_mib_hour.saturating_mul(1 << 20),
                    bytes_per_day: self.quota_mib_day.saturating_mul(1 << 20),
                },
                device_token_idle_days: self.device_token_idle_days,
                code_attempts: self.code_attempts.max(1),
                watch: Watch {
                    grace_minutes: self.checkin_grace_minutes,
                    step_minutes: self.checkin_step_minutes,
                },
                retention_years: self.retention_years,
                keep: gadeplan_core::kinds::keep::KeepRule {
                    closed_days: self.keep_closed_days,
                    unmet_months: self.keep_unmet_months,
                },
                ..Policy::default()
            },
            checkin_notify: self.checkin_notify.clone(),
            enrol: EnrolLimits {
                per_source_per_minute: self.enrol_per_source_per_minute,
                total_per_minute: self.enrol_per_minute,
            },
            body_timeout: Duration::from_secs(self.body_timeout_seconds.max(1)),
            min_protocol: self.min_protocol,
            tls: None,
            listener: {
                let default = ListenerSettings::default();
                ListenerSettings {
                    max_connections: self
                        .max_connections
                        .unwrap_or(default.max_connections)
                        .max(1),
                    max_connections_per_source: self.max_connections_per_source.max(1),
                    header_timeout: Duration::from_secs(self.header_timeout_seconds.max(1)),
                    write_timeout: Duration::from_secs(self.write_timeout_seconds.max(1)),
                    ..default
                }
            },
        }
    }
}

#[derive(Debug, Subcommand)]
enum CheckinCommand {
    /// Take charge of an overdue check-in (the first acknowledgement stops the escalation).
    Ack {
        id: String,
        /// Who takes charge (recorded).
        #[arg(long)]
        by: String,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Make an account. Its password is made here and printed once (give it to the person; they
    /// cannot change it on the page yet), or read from stdin with --password-stdin.
    Add {
        name: String,
        #[arg(long, value_parser = ["leader", "operator", "auditor"])]
        role: String,
        /// A leader's team.
        #[arg(long)]
        team: Option<String>,
        /// Read the password (12 characters or more) from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
    },
    /// The accounts: name, role, team, locked until, disabled (never the passwords).
    List,
    /// A new password for an account (made and printed, or from stdin); unlocks it and ends its
    /// sessions.
    Password {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable an account: its sessions end at once and it can no longer sign in.
    Disable { name: String },
}

#[derive(Debug, Subcommand)]
enum DeviceCommand {
    /// Ask the phone to rotate its device token at its next sync, without enrolling again: its
    /// pull answers say so until it has used a new token (the old one is refused from then on).
    Rotate { device_id: String },
}

#[derive(Debug, Subcommand)]
enum TeamCommand {
    Add { name: String },
    List,
}

#[derive(Debug, Subcommand)]
enum WorkerCommand {
    /// Put a worker on a team's roster (or back on it).
    Add {
        #[arg(long)]
        team: String,
        #[arg(long)]
        name: String,
    },
    /// Take a worker off a team's roster (revoke their devices with `revoke`).
    Retire {
        #[arg(long)]
        team: String,
        #[arg(long)]
        name: String,
    },
    /// A team's roster, current and retired.
    List {
        #[arg(long)]
        team: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Table,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            if e.use_stderr()
                && !matches!(
                    e.kind(),
                    clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
                )
            {
                eprintln!(
                    "{}",
                    json!({"error": "usage", "message": format!("the command line is not valid ({:?}); see --help", e.kind())})
                );
                return ExitCode::from(2);
            }
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(Some(value)) => {
            print(&serde_json::to_string_pretty(&value).expect("JSON"));
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(r) => {
            eprintln!("{}", json!({"error": r.code, "message": r.message}));
            ExitCode::from(1)
        }
    }
}

/// Says what revoking `device` will do and asks the operator, on a terminal, to type the
/// device's first eight characters. Without a terminal, `--yes` is required: a script must say
/// so explicitly.
fn confirm_revocation(
    device: &gadeplan_centre::store::DeviceInfo,
    how: Revocation,
) -> Result<(), Refusal> {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return Err(Refusal::new(
            400,
            "confirmation-required",
            "revoking a device needs confirmation: run it on a terminal, or add --yes",
        ));
    }
    let what = match how {
        Revocation::Lost => {
            "It is refused at once and told to erase everything it holds; \
             entries it has not sent yet are lost with it."
        }
        Revocation::Retired => {
            "It may still send what it has not sent; then it is told to erase everything it holds."
        }
    };
    let prefix: String = device.id.chars().take(8).collect();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "Revoke the phone \"{}\" of {} (team {}), enrolled {}, last synced {}?\n{what}\nType {prefix} to confirm:",
        device.name,
        device.worker,
        device.team,
        device.enrolled_at,
        device.last_used_at.as_deref().unwrap_or("never"),
    );
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    if answer.trim() != prefix {
        return Err(Refusal::new(
            400,
            "not-confirmed",
            "the revocation was not confirmed; nothing was changed",
        ));
    }
    Ok(())
}

/// The password for an account: the first line of stdin, or one made here (then `true`: it is
/// printed once). A made one is two enrolment codes joined: 20 symbols of 23, about 90 bits,
/// none of them easy to mistake for another.
fn password_for(from_stdin: bool) -> Result<(String, bool), Refusal> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| Refusal::new(400, "invalid-input", format!("cannot read stdin: {e}")))?;
        return Ok((line.trim_end_matches(['\r', '\n']).to_string(), false));
    }
    let made = (0..2)
        .map(|_| gadeplan_centre::secrets::new_code())
        .collect::<Vec<_>>()
        .join("-");
    Ok((made, true))
}

/// Prints to stdout; a reader that went away (`| head`) is not worth a panic.
fn print(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

fn run(cli: Cli) -> Result<Option<Value>, Refusal> {
    let database = match (&cli.database, &cli.data) {
        (Some(address), _) => Database::named(address),
        (None, Some(data)) => Database::Embedded {
            data: data.clone(),
            key: match (&cli.key_file, std::env::var("GADEPLAN_CENTRE_KEY")) {
                (Some(file), _) => KeySource::File(file.clone()),
                (None, Ok(hex)) => KeySource::Hex(hex),
                (None, Err(_)) => KeySource::InDataDirectory,
            },
        },
        (None, None) => unreachable!("clap requires one"),
    };
    if let Command::Serve {
        listen,
        limits,
        tls_cert,
        tls_key,
    } = &cli.command
    {
        // Only the server logs: an operator command's stderr is its one JSON error, if any.
        gadeplan_centre::server::start_log();
        let mut settings = limits.settings();
        if let (Some(cert), Some(key)) = (tls_cert, tls_key) {
            settings.tls = Some(std::sync::Arc::new(Tls::load(cert, key)?));
        }
        let scheme = if settings.tls.is_some() {
            "https"
        } else {
            "http"
        };
        return gadeplan_centre::server::serve_until_interrupted(
            &database,
            listen,
            &settings,
            |addr| {
                eprintln!("{}", json!({"serving": format!("{scheme}://{addr}")}));
            },
        )
        .map(|_| None);
    }
    if let Command::Rekey { new_key_file } = &cli.command {
        let Database::Embedded { data, key } = &database else {
            return Err(Refusal::new(
                400,
                "not-embedded",
                "rekey is for the embedded store's key; a PostgreSQL database has no key of the centre's: its data is protected by the operator's disk encryption and the database's roles",
            ));
        };
        let file = gadeplan_centre::storage::sqlite::rekey(data, key, new_key_file.as_deref())?;
        return Ok(Some(json!({"rekeyed": true, "key_file": file})));
    }
    let centre = Centre::connect(&database, Default::default())?;
    // Every operator command is recorded in the audit log once it has succeeded.
    let event = audit_event_for(&cli.command);
    let answer = operate(&centre, cli.command)?;
    if let Some(event) = event {
        centre.audit_event(event)?;
    }
    Ok(answer)
}

/// Who runs the operator's commands: the system user, as the audit log names them.
fn operator_name() -> String {
    format!(
        "operator:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    )
}

/// The audit record an operator command makes (codes and ids, never recorded text).
fn audit_event_for(command: &Command) -> Option<AuditEvent> {
    let event = |action: &str, team: Option<&str>, subject: Option<&str>| {
        Some(AuditEvent {
            actor: operator_name(),
            action: action.into(),
            team: team.map(Into::into),
            subject: subject.map(Into::into),
            detail: None,
            source: None,
        })
    };
    match command {
        Command::Serve { .. } | Command::Rekey { .. } => None,
        Command::Team(TeamCommand::Add { name }) => event("team-added", Some(name), None),
        Command::Team(TeamCommand::List) => None,
        Command::User(UserCommand::Add { name, team, .. }) => {
            event("user-added", team.as_deref(), Some(name))
        }
        Command::User(UserCommand::List) => event("users-read", None, None),
        Command::User(UserCommand::Password { name, .. }) => {
            event("user-password-set", None, Some(name))
        }
        Command::User(UserCommand::Disable { name }) => event("user-disabled", None, Some(name)),
        Command::Worker(WorkerCommand::Add { team, name }) => {
            event("worker-added", Some(team), Some(name))
        }
        Command::Worker(WorkerCommand::Retire { team, name }) => {
            event("worker-retired", Some(team), Some(name))
        }
        Command::Worker(WorkerCommand::List { team }) => event("roster-read", Some(team), None),
        Command::Enrol { team, worker, .. } => event("enrolment-made", Some(team), Some(worker)),
        Command::Devices => event("devices-read", None, None),
        Command::Device(DeviceCommand::Rotate { device_id }) => {
            event("device-token-rotation-requested", None, Some(device_id))
        }
        Command::Held => event("held-read", None, None),
        Command::Revoke { device_id, .. } => event("device-revoked", None, Some(device_id)),
        Command::LeaderToken { team, .. } => event("leader-token-made", Some(team), None),
        Command::LeaderTokens => event("leader-tokens-read", None, None),
        Command::RevokeLeaderToken { id } => event("leader-token-revoked", None, Some(id)),
        Command::ExportQuestionnaires { team } => {
            event("questionnaires-exported", Some(team), None)
        }
        // Taking charge is recorded with the check-in, by whom (`acknowledge_checkin`).
        Command::Checkins {
            command: Some(_), ..
        } => None,
        Command::Checkins { team, .. } => event("checkins-read", team.as_deref(), None),
        Command::Report { team, .. } => event("report-read", team.as_deref(), None),
        Command::Indicators { team, .. } => event("indicators-exported", Some(team), None),
        Command::Audit { .. } => event("audit-read", None, None),
        // Recorded with the erasure, in its transaction (`erasure`), and with the report.
        Command::Erase { .. }
        | Command::AccessReport { .. }
        | Command::Retention { apply: true, .. } => None,
        Command::Retention { apply: false, .. } => event("retention-listed", None, None),
    }
}

/// Writes a document about a citizen to a new file readable by its owner only; an existing
/// file is never overwritten.
fn write_document(path: &std::path::Path, text: &str) -> Result<(), Refusal> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .and_then(|mut file| {
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
        })
        .map_err(|e| {
            Refusal::new(
                400,
                "invalid-input",
                format!("out: cannot write {}: {e}", path.display()),
            )
        })
}

fn operate(centre: &Centre, command: Command) -> Result<Option<Value>, Refusal> {
    Ok(Some(match command {
        Command::Serve { .. } | Command::Rekey { .. } => unreachable!("handled above"),
        Command::Team(TeamCommand::Add { name }) => json!({"team": centre.add_team(&name)?}),
        Command::Team(TeamCommand::List) => json!(centre.teams()?),
        Command::User(UserCommand::Add {
            name,
            role,
            team,
            password_stdin,
        }) => {
            let (password, made) = password_for(password_stdin)?;
            let role = gadeplan_centre::accounts::Role::parse(&role)?;
            let mut answer = json!(centre.add_user(&name, role, team.as_deref(), &password)?);
            if made {
                answer["password"] = json!(password);
            }
            answer
        }
        Command::User(UserCommand::List) => json!(centre.users()?),
        Command::User(UserCommand::Password {
            name,
            password_stdin,
        }) => {
            let (password, made) = password_for(password_stdin)?;
            centre.set_password(&name, &password)?;
            let mut answer = json!({"user": name, "password_set": true});
            if made {
                answer["password"] = json!(password);
            }
            answer
        }
        Command::User(UserCommand::Disable { name }) => {
            centre.disable_user(&name)?;
            json!({"user": name, "disabled": true})
        }
        Command::Checkins {
            command: Some(CheckinCommand::Ack { id, by }),
            team,
            ..
        } => json!(centre.acknowledge_checkin(team.as_deref(), &id, &by)?),
        Command::Checkins {
            command: None,
            team,
            all,
            days,
        } => json!(centre.checkins(team.as_deref(), days, all)?),
        Command::Audit { verify: true, .. } => json!(centre.verify_audit()?),
        Command::Audit { after, limit, .. } => json!(centre.audit(after, limit)?),
        Command::Worker(WorkerCommand::Add { team, name }) => {
            json!({"added": centre.add_worker(&team, &name)?})
        }
        Command::Worker(WorkerCommand::Retire { team, name }) => {
            centre.retire_worker(&team, &name)?;
            json!({"retired": true})
        }
        Command::Worker(WorkerCommand::List { team }) => json!(
            centre
                .roster(&team)?
                .into_iter()
                .map(|r| json!({"worker": r.worker, "added_at": r.added_at, "retired_at": r.retired_at}))
                .collect::<Vec<_>>()
        ),
        Command::Enrol {
            team,
            worker,
            valid_hours,
            centre_url,
            qr,
        } => {
            let enrolment = centre.new_enrolment(&team, &worker, valid_hours)?;
            let mut answer = json!(enrolment);
            if let Some(url) = centre_url {
                let link = gadeplan_core::enrol_link::make(url.trim_end_matches('/'), &enrolment.code);
                // The link is read back as a phone reads it: a bad address is said here, not
                // at the worker's phone.
                gadeplan_core::parse_enrol_link(link.clone())
                    .map_err(|e| Refusal::new(400, "invalid-input", e.to_string()))?;
                if qr {
                    eprintln!("{}", gadeplan_centre::enrolment_qr::text(&link)?);
                }
                answer["link"] = json!(link);
            }
            answer
        }
        Command::Erase {
            entry,
            citizen,
            reason,
        } => {
            let target = match (entry, citizen) {
                (Some(entry), _) => gadeplan_centre::erasure::Target::Entry(entry),
                (None, Some(citizen)) => gadeplan_centre::erasure::Target::Citizen(citizen),
                (None, None) => unreachable!("clap requires one"),
            };
            json!(centre.erase(&target, &reason, &operator_name())?)
        }
        Command::AccessReport { citizen, out } => {
            let document = centre.access_report(&citizen, &operator_name())?;
            match out {
                Some(path) => {
                    write_document(&path, &document)?;
                    json!({"citizen": citizen, "written": path})
                }
                None => {
                    print!("{document}");
                    return Ok(None);
                }
            }
        }
        Command::Retention { years, apply: false } => json!({
            "dry_run": true,
            "reason": gadeplan_centre::retention::reason(years),
            "would_erase": centre.retention_due(years)?,
        }),
        Command::Retention { years, apply: true } => json!({
            "reason": gadeplan_centre::retention::reason(years),
            "erased": centre.apply_retention(years, &operator_name())?,
        }),
        Command::Devices => json!(centre.devices()?),
        Command::Device(DeviceCommand::Rotate { device_id }) => {
            centre.request_rotation(&device_id)?;
            json!({"device": device_id, "rotation_requested": true})
        }
        Command::Held => json!(centre.held()?),
        Command::Revoke {
            device_id,
            lost,
            retired: _,
            yes,
        } => {
            let how = if lost {
                Revocation::Lost
            } else {
                Revocation::Retired
            };
            let device = centre.device_info(&device_id)?;
            if !yes {
                confirm_revocation(&device, how)?;
            }
            centre.revoke(&device_id, how)?;
            json!({"revoked": device_id, "how": how.code()})
        }
        Command::LeaderToken { team, valid_days } => json!(centre.leader_token(&team, valid_days)?),
        Command::LeaderTokens => json!(centre.leader_tokens()?),
        Command::RevokeLeaderToken { id } => {
            centre.revoke_leader_token(&id)?;
            json!({"revoked": id})
        }
        Command::ExportQuestionnaires { team } => {
            let csv = centre.questionnaire_csv(&team)?;
            let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), csv.as_bytes());
            return Ok(None);
        }
        Command::Indicators {
            team,
            from,
            to,
            csv,
        } => {
            let now = gadeplan_centre::store::now();
            let period = match (from, to) {
                (Some(from), Some(to)) => gadeplan_centre::indicators::Period::parse(&from, &to)?,
                _ => gadeplan_centre::indicators::Period::quarter_of(
                    now.with_timezone(
                        &gadeplan_core::kinds::guarantee::DEFAULT_TIME_ZONE
                            .parse::<chrono_tz::Tz>()
                            .unwrap_or(chrono_tz::Europe::Copenhagen),
                    )
                    .date_naive(),
                ),
            };
            let figures = centre.indicators(&team, period, now)?;
            if csv {
                let _ = std::io::Write::write_all(
                    &mut std::io::stdout().lock(),
                    figures.to_csv().as_bytes(),
                );
                return Ok(None);
            }
            json!(figures)
        }
        Command::Report { team, format } => {
            let teams = match team {
                Some(t) => vec![t],
                None => centre.teams()?,
            };
            let now = gadeplan_centre::store::now();
            let reports = teams
                .iter()
                .map(|t| centre.report(t, now))
                .collect::<Result<Vec<_>, _>>()?;
            match format {
                Format::Json => json!(reports),
                Format::Table => {
                    for r in &reports {
                        print(&r.to_table());
                    }
                    return Ok(None);
                }
            }
        }
    }))
}
