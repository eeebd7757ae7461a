//! What the worker must be told about this phone's sync, most urgent first: a full disk, a clock
//! that is off, records the centre refused, colleagues' records this version cannot show, and
//! citizens whose older history is held at the centre only. The
//! words are the app's own (the seeds give none), in Danish and English, so that both shells say
//! the same and hold no rule about when to say it.

use super::SyncStatus;
use crate::clock;
use crate::vocabulary::Label;

/// The notices a shell shows on its main screen for `status` (none when all is well).
#[uniffi::export]
pub fn sync_notices(status: SyncStatus) -> Vec<Label> {
    let mut notices = Vec::new();
    let mut say = |code: &str, da: String, en: String| {
        notices.push(Label {
            code: code.into(),
            da,
            en,
        })
    };
    if status.storage_full {
        say(
            "storage-full",
            "Telefonens lager er fuldt: der kan ikke registreres, før der er gjort plads. Det registrerede kan stadig læses.".into(),
            "The phone's storage is full: nothing can be recorded until space is freed. What is recorded can still be read.".into(),
        );
    }
    if let Some(offset) = status.clock_off_by_ms {
        say(
            "clock-wrong",
            format!(
                "Telefonens ur er {} {} centrets. Indstil dato og klokkeslæt, og synkronisér igen; intet registreret går tabt.",
                duration_da(offset),
                if offset >= 0 { "foran" } else { "bagud for" }
            ),
            format!(
                "The phone's clock is {} of the centre's. Set the date and time, then sync again; nothing recorded is lost.",
                clock::describe_offset(offset)
            ),
        );
    }
    if status.unsent_too_long {
        let hours = super::UNSENT_TOO_LONG_HOURS;
        say(
            "unsent-long",
            format!(
                "{} registrering(er) fra denne telefon er ikke nået frem til centret, den ældste for over {hours} timer siden; synkronisér, når der er forbindelse.",
                status.pending
            ),
            format!(
                "{} record(s) from this phone have not reached the centre, the oldest for over {hours} hours; sync when there is a connection.",
                status.pending
            ),
        );
    }
    if status.rejected > 0 {
        say(
            "rejected",
            format!(
                "{} registrering(er) blev afvist af centret og findes kun på denne telefon; se loggen.",
                status.rejected
            ),
            format!(
                "{} record(s) were refused by the centre and are on this phone only; see the log.",
                status.rejected
            ),
        );
    }
    if status.set_aside > 0 {
        say(
            "set-aside",
            format!(
                "{} registrering(er) fra kolleger kan ikke vises i denne version af appen; opdatér appen.",
                status.set_aside
            ),
            format!(
                "{} record(s) from colleagues cannot be shown by this version of the app; update it.",
                status.set_aside
            ),
        );
    }
    if status.erased_unsent > 0 {
        say(
            "erased-unsent",
            format!(
                "{} registrering(er) fra denne telefon, der ikke var sendt, handlede om en borger, som centret har slettet; de er fjernet fra telefonen.",
                status.erased_unsent
            ),
            format!(
                "{} record(s) made on this phone and not yet sent were about a citizen the centre erased; they were removed from the phone.",
                status.erased_unsent
            ),
        );
    }
    if status.at_centre > 0 {
        say(
            "at-centre",
            format!(
                "Den ældre historik om {} borger(e) ligger på centret, ikke på telefonen; søg med forbindelse, når du møder en af dem igen.",
                status.at_centre
            ),
            format!(
                "The older history of {} citizen(s) is held at the centre, not on the phone; search online when you meet one of them again.",
                status.at_centre
            ),
        );
    }
    notices
}

/// A duration in Danish words: "2 timer", "1 dag", "74 år".
fn duration_da(ms: i64) -> String {
    let minutes = ms.unsigned_abs() / 60_000;
    let (hours, days) = (minutes / 60, minutes / (60 * 24));
    let word = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if days >= 730 {
        word(days / 365, "år", "år")
    } else if days >= 2 {
        word(days, "dag", "dage")
    } else if hours >= 1 {
        word(hours, "time", "timer")
    } else if minutes >= 1 {
        word(minutes, "minut", "minutter")
    } else {
        "under et minut".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status() -> SyncStatus {
        SyncStatus {
            enrolled: true,
            centre: None,
            team: None,
            pending: 0,
            rejected: 0,
            set_aside: 0,
            cursor: 0,
            clock_off_by_ms: None,
            storage_full: false,
            at_centre: 0,
            erased_unsent: 0,
            oldest_unsent_at: None,
            unsent_too_long: false,
        }
    }

    #[test]
    fn entries_unsent_too_long_are_told_with_their_count() {
        let notices = sync_notices(SyncStatus {
            pending: 3,
            unsent_too_long: true,
            ..status()
        });
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].code, "unsent-long");
        assert!(
            notices[0].da.starts_with("3 registrering(er)"),
            "{}",
            notices[0].da
        );
        assert!(notices[0].en.contains("over 4 hours"), "{}", notices[0].en);
        // Pending but not yet too long: nothing to say.
        assert!(
            sync_notices(SyncStatus {
                pending: 3,
                ..status()
            })
            .is_empty()
        );
    }

    #[test]
    fn all_well_says_nothing() {
        assert!(sync_notices(status()).is_empty());
    }

    #[test]
    fn each_condition_has_its_notice_most_urgent_first() {
        let notices = sync_notices(SyncStatus {
            storage_full: true,
            clock_off_by_ms: Some(2 * 3_600_000 + 60_000),
            rejected: 1,
            set_aside: 3,
            ..status()
        });
        let codes: Vec<&str> = notices.iter().map(|n| n.code.as_str()).collect();
        assert_eq!(
            codes,
            ["storage-full", "clock-wrong", "rejected", "set-aside"]
        );
        assert!(notices[1].da.contains("2 timer foran"), "{}", notices[1].da);
        assert!(
            notices[1].en.contains("2 hours 1 minute ahead"),
            "{}",
            notices[1].en
        );
        assert!(notices[3].da.starts_with("3 "));
        let behind = sync_notices(SyncStatus {
            clock_off_by_ms: Some(-80 * 365 * 24 * 3_600_000),
            ..status()
        });
        assert!(behind[0].da.contains("80 år bagud for"), "{}", behind[0].da);
    }
}
