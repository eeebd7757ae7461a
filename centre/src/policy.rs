//! The centre's rules that an operator may set: how much one device may push, how long tokens
//! live, how many wrong tries lock an enrolment code, how often enrolment may be tried. The
//! defaults are meant for a municipality's teams as they are; `gadeplan-centre serve --help`
//! names the options that change them.

use std::time::Duration;

/// What one device may push, counting only entries new to the centre (a repeat is free). A
/// worker records some tens of entries a day; a phone back from a month offline sends perhaps
/// two thousand at once. The bounds are far above both and keep one rogue or broken device from
/// filling the centre and every phone of its team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub entries_per_hour: u64,
    pub entries_per_day: u64,
    /// Bytes of entry payloads.
    pub bytes_per_hour: u64,
    pub bytes_per_day: u64,
}

impl Default for Quota {
    fn default() -> Self {
        Quota {
            entries_per_hour: 5_000,
            entries_per_day: 20_000,
            bytes_per_hour: 20 * 1024 * 1024,
            bytes_per_day: 50 * 1024 * 1024,
        }
    }
}

impl Quota {
    /// No bound: for benchmarks and tests that push more than a real device would.
    pub fn unlimited() -> Self {
        Quota {
            entries_per_hour: u64::MAX,
            entries_per_day: u64::MAX,
            bytes_per_hour: u64::MAX,
            bytes_per_day: u64::MAX,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub quota: Quota,
    /// A device token not used for this many days expires; the phone is enrolled again with a
    /// new code and keeps everything it holds.
    pub device_token_idle_days: u32,
    /// How long a new leader token is valid unless the operator says otherwise.
    pub leader_token_days: u32,
    /// Wrong tries (a valid code with another worker's name) after which a code is used up.
    pub code_attempts: u32,
    /// How the centre watches check-ins.
    pub watch: Watch,
    /// The municipality's retention rule (`retention`): erase everything about a citizen this
    /// many years after their last course closed, nothing having happened since. Off (`None`)
    /// by default; `serve --retention-years N` turns it on.
    pub retention_years: Option<u32>,
    /// What the team's phones keep (`keep`, the core's `kinds::keep`): `serve
    /// --keep-closed-days N --keep-unmet-months M`.
    pub keep: gadeplan_core::kinds::keep::KeepRule,
}

/// How the centre watches check-ins (issue 15; `watch.rs`): a check-in not ended by its due
/// time plus the grace period is overdue and reaches the watcher; each further wait without an
/// acknowledgement reaches the next (the team, then the team leader). A high-risk check-in has
/// no grace period. Both are the operator's (`serve --checkin-grace-minutes`,
/// `--checkin-step-minutes`); 0 is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watch {
    pub grace_minutes: u32,
    pub step_minutes: u32,
}

impl Default for Watch {
    fn default() -> Self {
        Watch {
            grace_minutes: 5,
            step_minutes: 5,
        }
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            quota: Quota::default(),
            device_token_idle_days: 90,
            leader_token_days: 90,
            code_attempts: 3,
            watch: Watch::default(),
            retention_years: None,
            keep: Default::default(),
        }
    }
}

/// How often enrolment may be tried: guessing a code is a matter of tries per second, and a
/// real worker enrols once. Held in each centre process's memory (see `server`). At the defaults
/// a guesser gets 43,200 tries a day from one address and 172,800 from all: against 100 codes
/// alive at once in a space of 23^10, odds of about one in 2.4 million a day. A training session
/// that enrols a whole team over the office's one address still fits in the minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnrolLimits {
    /// Tries from one source address per minute.
    pub per_source_per_minute: u32,
    /// Tries from all sources together per minute.
    pub total_per_minute: u32,
}

impl Default for EnrolLimits {
    fn default() -> Self {
        EnrolLimits {
            per_source_per_minute: 30,
            total_per_minute: 120,
        }
    }
}

/// How long a client may take to send a request's body, by default, before the centre gives up
/// on it: a phone's compressed batch is tens of kilobytes, a few seconds even over GPRS.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(60);
