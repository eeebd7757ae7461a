//! Time: the device's wall clock, the bounds every replica holds entries to, and the hybrid
//! logical clock that stamps every entry's `recorded_at`.
//!
//! Phone clocks are wrong, sometimes by hours, sometimes by decades (a date set by hand, a
//! battery that ran flat and reset the clock to 1970). An HLC (Kulkarni et al., 2014) keeps
//! physical time where it can and a counter where it cannot, so that an entry recorded after
//! seeing another always sorts after it, on every replica, whatever the wall clocks said. Ties
//! between devices are broken by the device id, which makes the order total.
//!
//! An HLC alone trusts every clock it meets: one entry stamped in 2100 would drag every clock of
//! the team to 2100, and one stamped at the 48-bit limit of a UUIDv7 would make every later id
//! wrap to zero. So every replica holds entries to the same bounds (`MAX_SKEW_MS` ahead of the
//! receiver's clock at most, not before `FLOOR_MS`, never past `MAX_WALL_MS`), a clock resumes
//! only from stamps within those bounds, and reading the wall clock never panics.
//!
//! A timestamp is stored as fixed-width text (`wall_ms` as 15 digits, the counter as 6, then
//! the device id) so that SQLite's plain text ordering *is* the HLC order.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};

/// How far ahead of the receiving replica's clock an entry's stamp may be. Phones set their
/// clocks from the network and agree within seconds; ten minutes forgives a clock set by hand
/// while keeping what a wrong clock can do small: a risk check stamped ahead counts as current
/// for at most this much longer, and drags no colleague's clock further than this.
pub const MAX_SKEW_MS: i64 = 10 * 60 * 1000;

/// Nothing is recorded, or stated to have happened, before 2000-01-01T00:00:00Z: a clock that
/// says otherwise is wrong (typically reset to 1970 by a flat battery).
pub const FLOOR_MS: i64 = 946_684_800_000;

/// The largest wall time an entry id can carry: a UUIDv7 has 48 bits of milliseconds (the year
/// 10889). Arithmetic past it would wrap ids to `00000000-…`.
pub const MAX_WALL_MS: i64 = (1 << 48) - 1;

/// The wall clock, never panicking: a clock before 1970 reads as 1970 (chrono's `Utc::now`
/// panics there), which every bound below then refuses. For reading screens, where a wrong
/// clock must not hide the records (a risk check then simply shows as not current).
pub fn now() -> DateTime<Utc> {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(since) => DateTime::<Utc>::from_timestamp(since.as_secs() as i64, since.subsec_nanos())
            .unwrap_or(DateTime::<Utc>::MAX_UTC),
        Err(_) => DateTime::<Utc>::UNIX_EPOCH,
    }
}

/// The wall clock for recording: a typed error if it is plainly wrong (before `FLOOR_MS`, or
/// past what an id can carry), since everything recorded would carry the wrong time.
pub fn now_for_recording() -> Result<DateTime<Utc>> {
    let now = now();
    check_own_clock(now.timestamp_millis())?;
    Ok(now)
}

/// Refuses a device clock outside the bounds, in words a worker can act on.
pub fn check_own_clock(now_ms: i64) -> Result<()> {
    if now_ms < FLOOR_MS {
        return Err(Error::ClockWrong {
            detail: format!(
                "the phone's clock says {}, which cannot be right; set the date and time (nothing was recorded)",
                describe_instant(now_ms)
            ),
        });
    }
    if now_ms > MAX_WALL_MS - MAX_SKEW_MS {
        return Err(Error::ClockWrong {
            detail: "the phone's clock is thousands of years ahead; set the date and time (nothing was recorded)".into(),
        });
    }
    Ok(())
}

/// A duration for people: "3 minutes", "2 hours 5 minutes", "74 years".
pub fn describe_duration(ms: i64) -> String {
    let minutes = ms.unsigned_abs() / 60_000;
    let (hours, days) = (minutes / 60, minutes / (60 * 24));
    let plural = |n: u64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    if days >= 730 {
        plural(days / 365, "year")
    } else if days >= 2 {
        plural(days, "day")
    } else if hours >= 1 {
        let rest = minutes % 60;
        if rest == 0 {
            plural(hours, "hour")
        } else {
            format!("{} {}", plural(hours, "hour"), plural(rest, "minute"))
        }
    } else if minutes >= 1 {
        plural(minutes, "minute")
    } else {
        "less than a minute".into()
    }
}

/// How far a device's clock is from a reference clock, in words: "2 hours ahead".
pub fn describe_offset(offset_ms: i64) -> String {
    format!(
        "{} {}",
        describe_duration(offset_ms),
        if offset_ms >= 0 { "ahead" } else { "behind" }
    )
}

fn describe_instant(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms).map_or_else(
        || "an impossible time".into(),
        |t| t.format("%Y-%m-%d").to_string(),
    )
}

/// One HLC timestamp.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc {
    pub wall_ms: i64,
    pub counter: u32,
    pub device: String,
}

/// The counter fits the 12 bits that UUIDv7 leaves for one (`journal::entry_id_for`), so an
/// entry id sorts exactly as its HLC does among one device's entries.
pub const MAX_COUNTER: u32 = 4_095;

impl Hlc {
    pub fn encode(&self) -> String {
        format!("{:015}-{:06}-{}", self.wall_ms, self.counter, self.device)
    }

    pub fn decode(text: &str) -> Result<Self> {
        let bad = || Error::invalid("recorded_at", "not a hybrid logical clock timestamp");
        let (wall, rest) = text.split_once('-').ok_or_else(bad)?;
        let (counter, device) = rest.split_once('-').ok_or_else(bad)?;
        if wall.len() != 15 || counter.len() != 6 || device.is_empty() {
            return Err(bad());
        }
        let hlc = Hlc {
            wall_ms: wall.parse().map_err(|_| bad())?,
            counter: counter.parse().map_err(|_| bad())?,
            device: device.to_string(),
        };
        if hlc.wall_ms > MAX_WALL_MS || hlc.counter > MAX_COUNTER {
            return Err(bad());
        }
        Ok(hlc)
    }
}

/// The clock of one device: the latest timestamp it has issued or seen.
#[derive(Debug, Clone)]
pub struct Clock {
    device: String,
    wall_ms: i64,
    counter: u32,
}

impl Clock {
    pub fn new(device: impl Into<String>) -> Self {
        Clock {
            device: device.into(),
            wall_ms: 0,
            counter: 0,
        }
    }

    /// The clock as a store leaves it: after `latest`, the newest stamp the store holds within
    /// the bounds (see `entries::latest_recorded_at`). Resumed afresh inside every write
    /// transaction, so two processes writing to one store never issue the same stamp.
    pub fn resume(device: impl Into<String>, latest: Option<&Hlc>) -> Self {
        let mut clock = Clock::new(device);
        if let Some(latest) = latest {
            clock.observe(latest);
        }
        clock
    }

    /// A new timestamp for a local event, later than everything issued or seen before. Refuses
    /// rather than step past the largest wall time an id can carry.
    pub fn tick(&mut self, physical_ms: i64) -> Result<Hlc> {
        if physical_ms > self.wall_ms {
            self.wall_ms = physical_ms.min(MAX_WALL_MS);
            self.counter = 0;
        } else {
            self.bump_counter()?;
        }
        Ok(self.current())
    }

    /// Takes in a timestamp from another replica so that what is recorded next sorts after it.
    pub fn observe(&mut self, remote: &Hlc) {
        if remote.wall_ms > self.wall_ms {
            self.wall_ms = remote.wall_ms;
            self.counter = remote.counter.min(MAX_COUNTER);
        } else if remote.wall_ms == self.wall_ms && remote.counter > self.counter {
            self.counter = remote.counter.min(MAX_COUNTER);
        }
    }

    fn bump_counter(&mut self) -> Result<()> {
        if self.counter >= MAX_COUNTER {
            // Four thousand events in one millisecond cannot happen by hand; move the wall on
            // rather than overflow the counter's 12 bits, but never past what an id can carry.
            if self.wall_ms >= MAX_WALL_MS {
                return Err(Error::ClockWrong {
                    detail: "the clock has reached the largest time an entry id can carry".into(),
                });
            }
            self.wall_ms += 1;
            self.counter = 0;
        } else {
            self.counter += 1;
        }
        Ok(())
    }

    fn current(&self) -> Hlc {
        Hlc {
            wall_ms: self.wall_ms,
            counter: self.counter,
            device: self.device.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn encoding_round_trips() {
        let t = Hlc {
            wall_ms: 1_732_352_000_123,
            counter: 7,
            device: "d1".into(),
        };
        assert_eq!(Hlc::decode(&t.encode()).unwrap(), t);
        assert!(Hlc::decode("nonsense").is_err());
    }

    proptest! {
        /// Whatever the wall clock does (jumps back, stands still), every tick is later than the
        /// one before, in both the struct order and the stored text order.
        #[test]
        fn ticks_strictly_increase(walls in proptest::collection::vec(0i64..2_000_000_000_000, 1..200)) {
            let mut clock = Clock::new("dev");
            let mut last: Option<Hlc> = None;
            for w in walls {
                let t = clock.tick(w).unwrap();
                if let Some(prev) = &last {
                    prop_assert!(t > *prev);
                    prop_assert!(t.encode() > prev.encode());
                }
                last = Some(t);
            }
        }

        /// After observing a remote timestamp, the next local tick sorts after it even when the
        /// local wall clock is far behind: cause before effect across devices.
        #[test]
        fn observed_events_happen_before_later_ticks(
            local in 0i64..2_000_000_000_000,
            remote_wall in 0i64..2_000_000_000_000,
            remote_counter in 0u32..1000,
            later_wall in 0i64..2_000_000_000_000,
        ) {
            let mut a = Clock::new("aaaa");
            a.tick(local).unwrap();
            let remote = Hlc { wall_ms: remote_wall, counter: remote_counter, device: "zzzz".into() };
            a.observe(&remote);
            let next = a.tick(later_wall).unwrap();
            prop_assert!((next.wall_ms, next.counter) > (remote.wall_ms, remote.counter));
            prop_assert!(next.encode()[..22] > remote.encode()[..22]);
        }

        /// Entry ids made from successive ticks sort as the ticks do, so the journal's primary
        /// key is its recording order.
        #[test]
        fn entry_ids_sort_as_their_clock(walls in proptest::collection::vec(0i64..4_000_000_000_000, 1..300)) {
            let mut clock = Clock::new("dev");
            let mut last: Option<String> = None;
            for w in walls {
                let id = crate::journal::entry_id_for(&clock.tick(w).unwrap()).unwrap().into_string();
                prop_assert!(crate::journal::entry_id("id", &id).is_ok());
                if let Some(prev) = &last {
                    prop_assert!(id > *prev, "{} !> {}", id, prev);
                }
                last = Some(id);
            }
        }
    }
}
