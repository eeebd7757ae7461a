//! The hybrid logical clock that stamps every entry's `recorded_at`.
//!
//! Phone clocks are wrong, sometimes by hours. An HLC (Kulkarni et al., 2014) keeps physical
//! time where it can and a counter where it cannot, so that an entry recorded after seeing
//! another always sorts after it, on every replica, whatever the wall clocks said. Ties between
//! devices are broken by the device id, which makes the order total.
//!
//! A timestamp is stored as fixed-width text (`wall_ms` as 15 digits, the counter as 6, then
//! the device id) so that SQLite's plain text ordering *is* the HLC order.

use crate::error::{Error, Result};

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
        Ok(Hlc {
            wall_ms: wall.parse().map_err(|_| bad())?,
            counter: counter.parse().map_err(|_| bad())?,
            device: device.to_string(),
        })
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

    /// A new timestamp for a local event, later than everything issued or seen before.
    pub fn tick(&mut self, physical_ms: i64) -> Hlc {
        if physical_ms > self.wall_ms {
            self.wall_ms = physical_ms;
            self.counter = 0;
        } else {
            self.bump_counter();
        }
        self.current()
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

    fn bump_counter(&mut self) {
        if self.counter >= MAX_COUNTER {
            // Four thousand events in one millisecond cannot happen by hand; move the wall on
            // rather than overflow the counter's 12 bits.
            self.wall_ms += 1;
            self.counter = 0;
        } else {
            self.counter += 1;
        }
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
                let t = clock.tick(w);
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
            a.tick(local);
            let remote = Hlc { wall_ms: remote_wall, counter: remote_counter, device: "zzzz".into() };
            a.observe(&remote);
            let next = a.tick(later_wall);
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
                let id = crate::journal::entry_id_for(&clock.tick(w));
                prop_assert!(crate::journal::entry_id("id", &id).is_ok());
                if let Some(prev) = &last {
                    prop_assert!(id > *prev, "{} !> {}", id, prev);
                }
                last = Some(id);
            }
        }
    }
}
