//! The demo's data protection (issue 17). Mette notes an old acquaintance as the team knew him
//! fourteen months ago (his course closed thirteen months ago, nothing since): the centre's
//! default rule releases him, and both Vesterbro phones purge him at their next sync. One of her
//! notes of the week is then erased at the centre with a legal reason, and both phones apply it
//! at their next sync. The checks search every file of both phones and of the centre, decrypted
//! page by page with their keys (`gadeplan_testkit::plaintext`): the purged citizen's name and
//! the erased note are found nowhere, while the centre still holds everything about him.

use std::path::Path;

use chrono::{Duration, Utc};
use gadeplan_centre::Centre;
use gadeplan_centre::erasure::Target;
use gadeplan_core::{
    CloseReason, ContactInput, ContactKind, CourseCloseInput, CourseInput, Error, FoundVia,
    NewEntry, NewPerson, Outcome, PlaceKind, Subject,
};
use gadeplan_testkit::plaintext::{contains, store_and_log};

use super::{Phone, centre_error, sync_until_done};

/// The old acquaintance's nickname, and the words of the note that is erased.
const OLD_ACQUAINTANCE: &str = "Gamle Gunnar";
const ERASED_WORDS: &str = "Fortalte om sin søster i Aarhus og hendes adresse";

/// What the demo's data protection left to check.
pub(super) struct Privacy {
    gunnar: String,
    erased_note: String,
    /// The erasure's own entry, which the centre made (not a phone).
    pub(super) erasure: String,
    erased_entries: usize,
}

fn months_ago(months: i64) -> Option<String> {
    Some((Utc::now() - Duration::days(months * 30 + 15)).to_rfc3339())
}

/// Mette notes Gamle Gunnar as he was known fourteen months ago, his course closed thirteen
/// months ago, and a note of today about another citizen (the one that is erased); recorded
/// before the last syncs of the week.
pub(super) fn record(phones: &mut [Phone]) -> Result<(String, String), Error> {
    let mette = &mut phones[0];
    let record = |mette: &mut Phone, input: NewEntry| -> Result<String, Error> {
        let r = mette.store.record(input)?;
        mette.recorded.push(r.id.clone());
        Ok(r.id)
    };
    let gunnar = mette.store.add_person(NewPerson {
        alias: OLD_ACQUAINTANCE.into(),
        description: Some("grå hestehale, cykel med anhænger".into()),
        birth_year: Some(1961),
        from_unknown: None,
        occurred_at: months_ago(14),
    })?;
    mette.recorded.push(gunnar.entry.clone());
    let gunnar = gunnar.person;
    let contact = |subject: &str, note: &str, at: Option<String>| ContactInput {
        subject: Some(Subject::Person { id: subject.into() }),
        place: "Enghave Plads".into(),
        place_kind: PlaceKind::Park,
        kind: ContactKind::Conversation,
        meeting: None,
        announced: None,
        safety_reason: None,
        outcome: Outcome::ContactMade,
        colleague: Some("Jonas".into()),
        minutes: Some(20),
        note: Some(note.into()),
        risk_check: None,
        occurred_at: at,
        place_id: None,
    };
    let r =
        mette
            .store
            .record_contact(contact(&gunnar, "ville gerne i behandling", months_ago(14)))?;
    mette.recorded.push(r.id);
    record(
        mette,
        NewEntry::CourseOpened(CourseInput {
            person: gunnar.clone(),
            responsible: vec!["Mette".into(), "Jonas".into()],
            found_via: FoundVia::OwnOutreach,
            attachment_treatment: None,
            attachment_substitution: None,
            attachment_services: None,
            occurred_at: months_ago(14),
        }),
    )?;
    record(
        mette,
        NewEntry::CourseClosed(CourseCloseInput {
            person: gunnar.clone(),
            course: None,
            reason: CloseReason::LostContact,
            treatment_status: None,
            occurred_at: months_ago(13),
        }),
    )?;
    // A note of today about someone met this week: the one the citizen asks to have erased.
    let someone = mette
        .store
        .list_persons(None, 0)?
        .into_iter()
        .find(|p| p.id != gunnar)
        .ok_or_else(|| Error::storage("no citizen met this week"))?;
    let note = mette
        .store
        .record_contact(contact(&someone.id, ERASED_WORDS, None))?
        .id;
    mette.recorded.push(note.clone());
    Ok((gunnar, note))
}

/// After the week's last syncs: the operator erases the note, and every phone syncs again.
pub(super) fn erase(
    phones: &[Phone],
    operator: &Centre,
    gunnar: String,
    note: String,
) -> Result<Privacy, Error> {
    let erased = operator
        .erase(
            &Target::Entry(note.clone()),
            &format!(
                "GDPR art. 17: borgerens anmodning af {}",
                Utc::now().format("%Y-%m-%d")
            ),
            "operator:demo",
        )
        .map_err(centre_error)?;
    eprintln!(
        "the centre erased one note ({} entries) with its reason; the phones apply it at their next sync",
        erased.entries
    );
    for phone in phones {
        phone.link.set_offline(false);
        sync_until_done(phone)?;
    }
    Ok(Privacy {
        gunnar,
        erased_note: note,
        erasure: erased.erasure.clone(),
        erased_entries: erased.entries,
    })
}

/// The checks: Gunnar purged from both phones and still whole at the centre; the note erased
/// everywhere; neither found in any file.
pub(super) fn check(
    privacy: &Privacy,
    phones: &[Phone],
    operator: &Centre,
    centre_data: &Path,
    add: &mut dyn FnMut(&str, bool, String),
) -> Result<(), Error> {
    let vesterbro: Vec<&Phone> = phones.iter().filter(|p| p.team == phones[0].team).collect();
    let centre_file = centre_plaintext(centre_data)?;
    let mut purged_everywhere = true;
    let mut at_centre = Vec::new();
    for phone in &vesterbro {
        let files = store_and_log(&phone.path, &phone.key);
        let status = phone.store.sync_status()?;
        purged_everywhere &= phone.store.person(privacy.gunnar.clone()).is_err()
            && status.at_centre >= 1
            && !contains(&files, OLD_ACQUAINTANCE)
            && contains(&files, phone.worker);
        at_centre.push(format!("{}: {}", phone.worker, status.at_centre));
    }
    let kept_at_centre = operator
        .access_report(&privacy.gunnar, "operator:demo")
        .map_err(centre_error)?;
    add(
        "Vesterbro: a course closed 13 months ago left both phones (searched page by page), and stays whole at the centre",
        purged_everywhere
            && kept_at_centre.contains(OLD_ACQUAINTANCE)
            && contains(&centre_file, OLD_ACQUAINTANCE),
        format!(
            "citizens held at the centre only: {}; his access report at the centre lists {} entries",
            at_centre.join(", "),
            kept_at_centre
                .lines()
                .filter(|l| l.starts_with("### "))
                .count()
        ),
    );
    let mut erased_everywhere = !contains(&centre_file, ERASED_WORDS);
    for phone in &vesterbro {
        let files = store_and_log(&phone.path, &phone.key);
        erased_everywhere &= phone.store.entry(privacy.erased_note.clone()).is_err()
            && !contains(&files, ERASED_WORDS);
    }
    add(
        "Vesterbro: one note erased at the centre and on both phones, its words in no file",
        erased_everywhere,
        format!("{} entries erased", privacy.erased_entries),
    );
    Ok(())
}

/// The centre's embedded store and its log, decrypted with its key file.
fn centre_plaintext(data: &Path) -> Result<Vec<u8>, Error> {
    let key = std::fs::read_to_string(gadeplan_centre::store::key_path(data))
        .map_err(|e| Error::storage(format!("the centre's key: {e}")))?;
    let key: [u8; 32] = gadeplan_core::db::parse_hex_key(&key)?
        .try_into()
        .map_err(|_| Error::storage("the centre's key is not 32 bytes"))?;
    Ok(store_and_log(
        &gadeplan_centre::store::store_path(data),
        &key,
    ))
}
