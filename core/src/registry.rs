//! The registry of journal entry kinds: the one list of them, one line per kind.
//!
//! Each line gives the kind's variant name, its code on the wire and in the journal, its Danish
//! and English titles (the timeline's), and its module in `kinds/` with the payload type and the
//! timeline content type that module defines. The list is a macro that hands itself to another
//! macro, so that `journal` can make the `EntryKind` vocabulary from it without depending on the
//! kinds' modules, and `kinds` can make the `Payload` and `EntryContent` enums and every per-kind
//! dispatch from the same lines. This module uses nothing: it is only the list.
//!
//! To add a kind: a new file in `kinds/`, a line here, and a migration (see
//! `docs/adding-a-kind.md`).

/// Calls `$then! { … }` with every kind's line.
macro_rules! with_kinds {
    ($then:ident) => {
        $then! {
            PersonNoted = "person.noted", "Borger noteret", "Person noted"
                => person_noted::{PersonNoted, PersonNotedContent};
            PersonUpdated = "person.updated", "Oplysninger ændret", "Details changed"
                => person_updated::{PersonUpdated, PersonUpdatedContent};
            PersonMerged = "person.merged", "Dubletter lagt sammen", "Duplicates merged"
                => person_merged::{PersonMerged, PersonMergedContent};
            RiskChecked = "risk.checked", "Risikovurdering (Brøset)", "Risk check (Brøset)"
                => risk_checked::{RiskChecked, RiskCheckedContent};
            ContactLogged = "contact.logged", "Kontakt", "Contact"
                => contact_logged::{ContactLogged, ContactLoggedContent};
            ScreeningRecorded = "screening.recorded", "Forscreening", "Pre-screening"
                => screening_recorded::{ScreeningRecorded, ScreeningRecordedContent};
            StageAssessed = "stage.assessed", "Parathed (forandringscirklen)", "Stage of change"
                => stage_assessed::{StageAssessed, StageAssessedContent};
            EntryAmended = "entry.amended", "Rettelse", "Correction"
                => entry_amended::{EntryAmended, EntryAmendedContent};
            EntryVoided = "entry.voided", "Annulleret", "Voided"
                => entry_voided::{EntryVoided, EntryVoidedContent};
        }
    };
}
pub(crate) use with_kinds;
