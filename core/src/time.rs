//! A point in time as the screens get it: inside the core the journal's normalised text (RFC 3339
//! in UTC with milliseconds, which sorts as time does), across the FFI a `SystemTime`, which
//! Kotlin receives as `java.time.Instant` and Swift as `Date`, so the shells show it in the
//! phone's time zone instead of slicing UTC text. The CLI's JSON keeps the text.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::journal;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Time(String);

uniffi::custom_type!(Time, SystemTime, {
    lower: |time| time.system_time(),
    try_lift: |system_time| Ok(Time::from_system_time(system_time)),
});

impl Time {
    /// A time as the journal and the projections keep it (already normalised).
    pub fn stored(text: String) -> Time {
        Time(text)
    }

    pub fn from_system_time(time: SystemTime) -> Time {
        Time(journal::format_timestamp(DateTime::<Utc>::from(time)))
    }

    pub fn system_time(&self) -> SystemTime {
        let ms = journal::timestamp_ms(&self.0).unwrap_or(0);
        if ms >= 0 {
            UNIX_EPOCH + Duration::from_millis(ms as u64)
        } else {
            UNIX_EPOCH - Duration::from_millis(ms.unsigned_abs())
        }
    }

    /// The journal's text: RFC 3339, UTC, milliseconds.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Read straight from a projection's text column.
impl rusqlite::types::FromSql for Time {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        String::column_result(value).map(Time)
    }
}

impl From<String> for Time {
    fn from(text: String) -> Time {
        Time(text)
    }
}

impl std::fmt::Display for Time {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crosses_as_the_instant_it_names() {
        let t = Time::stored("2026-11-23T13:05:00.250Z".into());
        let back = Time::from_system_time(t.system_time());
        assert_eq!(back, t);
        assert_eq!(
            t.system_time()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_millis(),
            1_795_439_100_250
        );
    }
}
