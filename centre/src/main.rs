//! `gadeplan-centre`: run the centre's sync server, and the operator's commands on the same data
//! directory (teams, enrolment codes, devices, revocation, the report). Every command prints JSON
//! on stdout (the report can be a table); an error is one JSON object on stderr and a non-zero exit.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use gadeplan_centre::{Centre, Refusal};
use serde_json::{Value, json};

#[derive(Debug, Parser)]
#[command(
    name = "gadeplan-centre",
    version,
    about = "The Gadeplan centre: sync server and operator commands"
)]
struct Cli {
    /// The centre's data directory (created on first use).
    #[arg(long, env = "GADEPLAN_CENTRE_DATA")]
    data: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the sync protocol over HTTP.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8470")]
        listen: String,
    },
    /// Teams.
    #[command(subcommand)]
    Team(TeamCommand),
    /// Make a one-time enrolment code for a worker's phone.
    Enrol {
        #[arg(long)]
        team: String,
        #[arg(long)]
        worker: String,
        /// How long the code works.
        #[arg(long, default_value_t = 24)]
        valid_hours: u32,
    },
    /// The enrolled devices.
    Devices,
    /// Revoke a device: it is refused from now on and told to erase what it holds.
    Revoke { device_id: String },
    /// A token for a team leader to read the team's report over HTTP (GET /v1/report).
    LeaderToken {
        #[arg(long)]
        team: String,
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

#[derive(Debug, Subcommand)]
enum TeamCommand {
    Add { name: String },
    List,
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

/// Prints to stdout; a reader that went away (`| head`) is not worth a panic.
fn print(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

fn run(cli: Cli) -> Result<Option<Value>, Refusal> {
    if let Command::Serve { listen } = &cli.command {
        return gadeplan_centre::server::serve_until_interrupted(&cli.data, listen, |addr| {
            eprintln!("{}", json!({"serving": format!("http://{addr}")}));
        })
        .map(|_| None);
    }
    let centre = Centre::open(&cli.data)?;
    Ok(Some(match cli.command {
        Command::Serve { .. } => unreachable!("handled above"),
        Command::Team(TeamCommand::Add { name }) => {
            centre.add_team(&name)?;
            json!({"team": name.trim()})
        }
        Command::Team(TeamCommand::List) => json!(centre.teams()?),
        Command::Enrol {
            team,
            worker,
            valid_hours,
        } => json!(centre.new_enrolment(&team, &worker, valid_hours)?),
        Command::Devices => json!(centre.devices()?),
        Command::Revoke { device_id } => {
            centre.revoke(&device_id)?;
            json!({"revoked": device_id})
        }
        Command::LeaderToken { team } => {
            json!({"team": team, "token": centre.leader_token(&team)?})
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
