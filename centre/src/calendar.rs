//! The centre's calendar: the team's time zone (Copenhagen unless set otherwise), in which the
//! page, the indicators' periods and the citizen's access report give their dates.

/// The team's time zone.
fn time_zone() -> chrono_tz::Tz {
    gadeplan_core::kinds::guarantee::DEFAULT_TIME_ZONE
        .parse()
        .unwrap_or(chrono_tz::Europe::Copenhagen)
}

/// A stored time as the team reads it: local date and minute.
pub(crate) fn local(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&time_zone())
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_string())
}

/// Today in the team's calendar (the default quarter, the quick links).
pub(crate) fn today() -> chrono::NaiveDate {
    crate::store::now().with_timezone(&time_zone()).date_naive()
}
