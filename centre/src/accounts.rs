//! The people who sign in to the centre's page (issue 16): accounts the operator makes
//! (`gadeplan-centre user add`), passwords kept only as Argon2id hashes, lock-out after repeated
//! failures, sessions (a random cookie, kept as its SHA-256 hash, with the token every form of the
//! session carries against cross-site requests), and a leader's time-limited access to one
//! citizen's free text after giving a reason ("break the glass", as DHIS2 calls it).
//!
//! Every sign-in, failure, lock-out, sign-out and grant is written to the audit log in the same
//! transaction as its effect. Signing in through the municipality's identity provider would be
//! another way to reach `start_session`; nothing else here depends on passwords.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::Duration;
use gadeplan_core::journal::{self, format_timestamp};

use crate::audit::{self, AuditEvent};
use crate::secrets;
use crate::storage::{GlassRow, SessionRow, Tx, UserRow};
use crate::store::{Centre, Refusal, Result, now, now_text};

/// Failed sign-ins in a row that lock an account (the project's own choice).
pub const LOCK_AFTER_FAILURES: u32 = 5;
/// How long a locked account stays locked.
pub const LOCK_MINUTES: i64 = 15;
/// A session ends this long after sign-in whatever happens ...
pub const SESSION_HOURS: i64 = 8;
/// ... and after this long without a request (a laptop left open in the office).
pub const SESSION_IDLE_MINUTES: i64 = 30;
/// How long a leader may read a citizen's free text after giving a reason.
pub const GLASS_MINUTES: i64 = 30;
/// Sign-in attempts a minute from one address (each is an Argon2id check, 19 MiB for tens of
/// milliseconds: a flood of them must not take the centre's memory).
pub const SIGN_IN_PER_SOURCE_PER_MINUTE: u32 = 20;
/// Password checks at once, whatever the sources.
pub const PASSWORD_CHECKS_AT_ONCE: usize = 4;
/// The shortest password the operator may set (the project's own rule, after NIST SP 800-63B).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// What a person may do on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Sees their own team: the overview, the indicators, a citizen's course, check-ins.
    Leader,
    /// Manages devices, enrolment and (on the command line) users; sees no citizen.
    Operator,
    /// Reads the audit log.
    Auditor,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Leader => "leader",
            Role::Operator => "operator",
            Role::Auditor => "auditor",
        }
    }

    pub fn parse(text: &str) -> Result<Role> {
        match text {
            "leader" => Ok(Role::Leader),
            "operator" => Ok(Role::Operator),
            "auditor" => Ok(Role::Auditor),
            _ => Err(Refusal::new(
                400,
                "invalid-input",
                "a role is leader, operator or auditor",
            )),
        }
    }
}

/// A signed-in person as the page sees them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct User {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// A leader's team.
    pub team: Option<String>,
}

/// A user as the operator lists them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UserInfo {
    pub name: String,
    pub role: Role,
    pub team: Option<String>,
    pub created_at: String,
    pub locked_until: Option<String>,
    pub disabled_at: Option<String>,
}

/// A session just started: the cookie's value (given to the browser once) and its form token.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf: String,
    pub user: User,
}

/// A session found from its cookie.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    token_hash: String,
}

impl Session {
    /// What the session is known by in memory (its cookie's hash, never the cookie).
    pub fn key(&self) -> &str {
        &self.token_hash
    }
}

/// Why a leader opens a citizen's free text: codes, so that the audit log holds no free text.
/// The wording is the project's own; the seeds name no such list.
pub const GLASS_REASONS: &[&str] = &[
    "course-follow-up",
    "safety-incident",
    "complaint-or-inquiry",
    "handover",
    "supervision",
];

fn user_of(row: &UserRow) -> Result<User> {
    Ok(User {
        id: row.id.clone(),
        name: row.name.clone(),
        role: Role::parse(&row.role)?,
        team: row.team.clone(),
    })
}

fn info_of(row: &UserRow) -> Result<UserInfo> {
    Ok(UserInfo {
        name: row.name.clone(),
        role: Role::parse(&row.role)?,
        team: row.team.clone(),
        created_at: row.created_at.clone(),
        locked_until: row.locked_until.clone(),
        disabled_at: row.disabled_at.clone(),
    })
}

fn hash_password(password: &str) -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    let salt = SaltString::encode_b64(&bytes)
        .map_err(|e| Refusal::new(500, "internal", format!("cannot make a salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Refusal::new(500, "internal", format!("cannot hash the password: {e}")))
}

fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash of no one's password, checked when the name is unknown, so that an unknown name takes
/// as long to refuse as a wrong password (the time does not tell which names exist).
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&secrets::new_token()).unwrap_or_default())
}

fn check_password_rule(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Refusal::new(
            400,
            "invalid-input",
            format!("a password has at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if password.chars().count() > 256 {
        return Err(Refusal::new(
            400,
            "invalid-input",
            "a password has at most 256 characters",
        ));
    }
    Ok(())
}

/// The one refusal a failed sign-in gets, whatever failed: it does not tell which names exist.
fn bad_sign_in() -> Refusal {
    Refusal::new(
        401,
        "sign-in-refused",
        "the name or the password is wrong, or the account is locked",
    )
}

fn session_expired() -> Refusal {
    Refusal::new(401, "no-session", "sign in first")
}

impl Centre {
    /// Makes an account. A leader belongs to one team (which must exist); the others to none.
    pub fn add_user(
        &self,
        name: &str,
        role: Role,
        team: Option<&str>,
        password: &str,
    ) -> Result<UserInfo> {
        let name = journal::name("user", name, journal::LIMIT_ALIAS)?;
        check_password_rule(password)?;
        let password_hash = hash_password(password)?;
        self.write(|tx| {
            let team = match (role, team) {
                (Role::Leader, Some(team)) => Some(self.require_team(tx, team)?),
                (Role::Leader, None) => {
                    return Err(Refusal::new(
                        400,
                        "invalid-input",
                        "a leader belongs to a team (--team)",
                    ));
                }
                (_, Some(_)) => {
                    return Err(Refusal::new(
                        400,
                        "invalid-input",
                        "only a leader belongs to a team",
                    ));
                }
                (_, None) => None,
            };
            let row = UserRow {
                id: secrets::new_token()[..16].to_string(),
                name: name.clone(),
                role: role.code().into(),
                team: team.clone(),
                password_hash: password_hash.clone(),
                failures: 0,
                locked_until: None,
                created_at: now_text(),
                disabled_at: None,
            };
            if !tx.insert_user(&row)? {
                return Err(Refusal::new(
                    409,
                    "user-exists",
                    "a user of that name exists",
                ));
            }
            info_of(&row)
        })
    }

    pub fn users(&self) -> Result<Vec<UserInfo>> {
        self.write(|tx| tx.users()?.iter().map(info_of).collect())
    }

    /// Disables an account and ends its sessions at once.
    pub fn disable_user(&self, name: &str) -> Result<()> {
        self.write(|tx| {
            let user = known_user(tx, name)?;
            let at = now_text();
            tx.disable_user(&user.id, &at)?;
            tx.end_user_sessions(&user.id, &at)?;
            Ok(())
        })
    }

    /// Sets a new password (and unlocks the account); the account's sessions end.
    pub fn set_password(&self, name: &str, password: &str) -> Result<()> {
        check_password_rule(password)?;
        let password_hash = hash_password(password)?;
        self.write(|tx| {
            let user = known_user(tx, name)?;
            tx.set_user_password(&user.id, &password_hash)?;
            tx.end_user_sessions(&user.id, &now_text())?;
            Ok(())
        })
    }

    /// Checks a name and password and starts a session. Five failures in a row lock the account
    /// for 15 minutes (the right password is refused meanwhile). Each outcome is in the audit
    /// log, from `source`.
    pub fn sign_in(&self, name: &str, password: &str, source: &str) -> Result<NewSession> {
        let name = journal::name("user", name, journal::LIMIT_ALIAS).unwrap_or_default();
        let found = self.write(|tx| tx.user_by_name(&name))?;
        // The hash is checked outside any transaction: it takes tens of milliseconds on purpose.
        let matches = match &found {
            Some(row) => password_matches(password, &row.password_hash),
            None => {
                password_matches(password, decoy_hash());
                false
            }
        };
        self.write(|tx| {
            let Some(row) = found
                .as_ref()
                .and_then(|f| tx.user_by_id(&f.id).transpose())
            else {
                audit::append(
                    tx,
                    &AuditEvent {
                        actor: "unknown".into(),
                        action: "sign-in-failed".into(),
                        detail: Some("unknown-name".into()),
                        source: Some(source.into()),
                        ..Default::default()
                    },
                )?;
                return Ok(Err(bad_sign_in()));
            };
            let row = row?;
            let at = now_text();
            let actor = format!("user:{}", row.name);
            let refuse = |tx: &mut dyn Tx, detail: &str| -> Result<()> {
                audit::append(
                    tx,
                    &AuditEvent {
                        actor: actor.clone(),
                        action: "sign-in-failed".into(),
                        team: row.team.clone(),
                        detail: Some(detail.into()),
                        source: Some(source.into()),
                        ..Default::default()
                    },
                )
                .map(|_| ())
            };
            if row.disabled_at.is_some() {
                refuse(tx, "disabled")?;
                return Ok(Err(bad_sign_in()));
            }
            if row
                .locked_until
                .as_deref()
                .is_some_and(|until| until > at.as_str())
            {
                refuse(tx, "locked")?;
                return Ok(Err(bad_sign_in()));
            }
            if !matches {
                let failures = row.failures + 1;
                if failures >= LOCK_AFTER_FAILURES {
                    let until = format_timestamp(now() + Duration::minutes(LOCK_MINUTES));
                    tx.set_user_failures(&row.id, 0, Some(&until))?;
                    refuse(tx, "wrong-password-locked")?;
                } else {
                    tx.set_user_failures(&row.id, failures, row.locked_until.as_deref())?;
                    refuse(tx, "wrong-password")?;
                }
                return Ok(Err(bad_sign_in()));
            }
            tx.set_user_failures(&row.id, 0, None)?;
            let (token, csrf) = (secrets::new_token(), secrets::new_token());
            tx.insert_session(&SessionRow {
                token_hash: secrets::hash(&token),
                user_id: row.id.clone(),
                csrf: csrf.clone(),
                created_at: at.clone(),
                expires_at: format_timestamp(now() + Duration::hours(SESSION_HOURS)),
                last_seen_at: at.clone(),
                ended_at: None,
            })?;
            audit::append(
                tx,
                &AuditEvent {
                    actor,
                    action: "sign-in".into(),
                    team: row.team.clone(),
                    source: Some(source.into()),
                    ..Default::default()
                },
            )?;
            Ok(Ok(NewSession {
                token,
                csrf,
                user: user_of(&row)?,
            }))
        })?
    }

    /// The session a cookie names, if it is open: not ended, not past its eight hours, used in
    /// the last 30 minutes, its account not disabled. `used` says the person did something (a
    /// page, a form), which keeps it from going idle; the page's own refreshes of the check-ins
    /// do not, or a laptop left open would never sign out.
    pub fn session(&self, token: &str, used: bool) -> Result<Session> {
        self.write(|tx| {
            let token_hash = secrets::hash(token);
            let Some(found) = tx.session(&token_hash)? else {
                return Err(session_expired());
            };
            let at = now_text();
            let idle_since = format_timestamp(now() - Duration::minutes(SESSION_IDLE_MINUTES));
            if found.ended_at.is_some() || found.expires_at <= at || found.last_seen_at < idle_since
            {
                return Err(session_expired());
            }
            let Some(row) = tx.user_by_id(&found.user_id)? else {
                return Err(session_expired());
            };
            if row.disabled_at.is_some() {
                return Err(session_expired());
            }
            if used {
                tx.touch_session(&token_hash, &at)?;
            }
            Ok(Session {
                user: user_of(&row)?,
                csrf: found.csrf,
                token_hash,
            })
        })
    }

    /// Ends the session a cookie names, if any (a new sign-in in the same browser ends the one it
    /// held, so that a cookie someone planted there is worth nothing afterwards).
    pub fn end_session_of(&self, token: &str) -> Result<()> {
        self.write(|tx| tx.end_session(&secrets::hash(token), &now_text()))
    }

    /// Makes the hash an unknown name is checked against now, so that the first unknown name
    /// after a start takes no longer than the next.
    pub fn warm_up_sign_in() {
        let _ = decoy_hash();
    }

    /// Ends a session (signing out), recorded in the audit log.
    pub fn sign_out(&self, session: &Session, source: &str) -> Result<()> {
        self.write(|tx| {
            tx.end_session(&session.token_hash, &now_text())?;
            audit::append(
                tx,
                &AuditEvent {
                    actor: format!("user:{}", session.user.name),
                    action: "sign-out".into(),
                    team: session.user.team.clone(),
                    source: Some(source.into()),
                    ..Default::default()
                },
            )?;
            Ok(())
        })
    }

    /// Lets a leader read a citizen's free text for `GLASS_MINUTES`, for a reason from
    /// `GLASS_REASONS`; recorded in the audit log with the reason.
    pub fn break_glass(
        &self,
        user: &User,
        subject: &str,
        reason: &str,
        source: &str,
    ) -> Result<GlassRow> {
        if !GLASS_REASONS.contains(&reason) {
            return Err(Refusal::new(
                400,
                "invalid-input",
                "choose one of the reasons given",
            ));
        }
        self.write(|tx| {
            let grant = GlassRow {
                user_id: user.id.clone(),
                subject: subject.into(),
                reason: reason.into(),
                granted_at: now_text(),
                expires_at: format_timestamp(now() + Duration::minutes(GLASS_MINUTES)),
            };
            tx.insert_glass(&grant)?;
            audit::append(
                tx,
                &AuditEvent {
                    actor: format!("user:{}", user.name),
                    action: "glass-broken".into(),
                    team: user.team.clone(),
                    subject: Some(subject.into()),
                    detail: Some(reason.into()),
                    source: Some(source.into()),
                },
            )?;
            Ok(grant)
        })
    }

    /// The leader's open grant for a citizen's free text, if any.
    pub fn glass(&self, user: &User, subject: &str) -> Result<Option<GlassRow>> {
        self.write(|tx| tx.glass(&user.id, subject, &now_text()))
    }
}

fn known_user(tx: &mut dyn Tx, name: &str) -> Result<UserRow> {
    let name = journal::name("user", name, journal::LIMIT_ALIAS)?;
    tx.user_by_name(&name)?
        .ok_or_else(|| Refusal::new(404, "no-user", "no user of that name"))
}
