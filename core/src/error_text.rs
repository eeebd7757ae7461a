//! The core's errors in the worker's language (issue 18, review findings A34 and I27): the
//! shells showed the core's English messages in a Danish app. Across the FFI an error is flat (a
//! variant and its English message), so a shell passes both back here: the variant's name is the
//! Kotlin exception's class name (`GadeplanException.PlanRequired` → `"PlanRequired"`) or the
//! Swift case's (`GadeplanError.PlanRequired(message:)`), and the core, which knows each error,
//! says it in Danish. One table for both shells; no shell keeps a list of the core's errors.
//!
//! The Danish sentences are the project's own words (the seeds word no error messages). They say
//! what happened and what to do; like the English messages they never hold recorded personal
//! text. Where the English message carries a detail a Danish sentence cannot say without the
//! fields (the field that is wrong, the centre's own reason), the detail follows as it is, so
//! that support can still match it.

use crate::error::Error;
use crate::vocabulary::Language;

/// What each error variant says in Danish, by its name across the FFI. The test below checks that
/// every variant has its line, by the exhaustive `variant_name`.
const DANISH: &[(&str, &str)] = &[
    (
        "WrongKey",
        "Nøglen åbner ikke telefonens data. Intet er ændret.",
    ),
    ("NoStore", "Der er ingen Gadeplan-data på denne sti."),
    (
        "AlreadyInitialised",
        "Telefonens data er allerede oprettet; intet er ændret.",
    ),
    (
        "StoreTooNew",
        "Dataene er skrevet af en nyere version af Gadeplan. Opdatér appen.",
    ),
    ("InvalidInput", "Et felt er ikke udfyldt rigtigt"),
    (
        "PlanRequired",
        "Høj risiko: skriv planen for, hvordan vold undgås, før vurderingen gemmes.",
    ),
    (
        "ReasonRequired",
        "Beslutningen afviger fra det, kriterierne peger på: skriv begrundelsen for den faglige vurdering.",
    ),
    (
        "ConsentRequired",
        "Der er intet gældende samtykke til at videregive dette.",
    ),
    ("NotFound", "Findes ikke længere på telefonen."),
    ("NotAllowed", "Det kan ikke lade sig gøre nu"),
    (
        "NotEnrolled",
        "Telefonen er ikke tilmeldt et center: tilmeld den med en kode fra centret.",
    ),
    (
        "Revoked",
        "Centret har tilbagekaldt telefonen; dens data er slettet fra den.",
    ),
    ("CentreRefused", "Centret afviste"),
    (
        "Unreachable",
        "Centret kunne ikke nås. Intet er tabt: det sendes, når der er forbindelse.",
    ),
    (
        "ClockWrong",
        "Telefonens ur går forkert: ret dato og klokkeslæt i telefonens indstillinger.",
    ),
    (
        "StorageFull",
        "Telefonens lager er fuldt: frigør plads. Det, der er gemt, kan stadig læses.",
    ),
    (
        "Storage",
        "Lagerfejl: intet blev gemt. Prøv igen; sker det igen, så kontakt centret.",
    ),
];

/// The variants whose English message carries a detail the Danish sentence keeps, and the English
/// words before it (the `#[error]` texts in `error.rs`), which the Danish sentence replaces.
const WITH_DETAIL: &[(&str, &str)] = &[
    ("InvalidInput", "invalid "),
    ("NotAllowed", "not allowed: "),
    ("CentreRefused", "the centre refused: "),
];

impl Error {
    /// The variant's name as the shells see it across the FFI (uniffi keeps Rust's names).
    pub fn variant_name(&self) -> &'static str {
        match self {
            Error::WrongKey { .. } => "WrongKey",
            Error::NoStore { .. } => "NoStore",
            Error::AlreadyInitialised => "AlreadyInitialised",
            Error::StoreTooNew { .. } => "StoreTooNew",
            Error::InvalidInput { .. } => "InvalidInput",
            Error::PlanRequired { .. } => "PlanRequired",
            Error::ReasonRequired { .. } => "ReasonRequired",
            Error::ConsentRequired { .. } => "ConsentRequired",
            Error::NotFound { .. } => "NotFound",
            Error::NotAllowed { .. } => "NotAllowed",
            Error::NotEnrolled => "NotEnrolled",
            Error::Revoked => "Revoked",
            Error::CentreRefused { .. } => "CentreRefused",
            Error::Unreachable { .. } => "Unreachable",
            Error::ClockWrong { .. } => "ClockWrong",
            Error::StorageFull { .. } => "StorageFull",
            Error::Storage { .. } => "Storage",
        }
    }

    /// This error in `language`.
    pub fn text(&self, language: Language) -> String {
        error_text(self.variant_name().into(), self.to_string(), language)
    }
}

/// The error a shell caught (its variant's name and its message) in `language`: the message as
/// it is in English; in Danish, the variant's sentence, with the detail the message carries
/// where the sentence needs it. A name the core does not know (a newer shell than core) gives the
/// message back unchanged.
#[uniffi::export]
pub fn error_text(variant: String, message: String, language: Language) -> String {
    if language == Language::English {
        return message;
    }
    let Some((_, danish)) = DANISH.iter().find(|(name, _)| *name == variant) else {
        return message;
    };
    let Some((_, english)) = WITH_DETAIL.iter().find(|(name, _)| *name == variant) else {
        return (*danish).to_string();
    };
    // "invalid alias: must not be empty" → "…: alias: must not be empty"; the centre's refusal
    // keeps its own reason and code.
    match message.strip_prefix(english).map(str::trim) {
        Some(detail) if !detail.is_empty() => format!("{danish}: {detail}"),
        _ => format!("{danish}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::StorageCause;

    fn every_variant() -> Vec<Error> {
        vec![
            Error::WrongKey {
                detail: "file is not a database".into(),
            },
            Error::NoStore { detail: "x".into() },
            Error::AlreadyInitialised,
            Error::StoreTooNew {
                found: 30,
                supported: 18,
            },
            Error::invalid("alias", "must not be empty"),
            Error::PlanRequired { score: 3 },
            Error::ReasonRequired {
                decision: "outside".into(),
                indicated: "in".into(),
            },
            Error::ConsentRequired { detail: "x".into() },
            Error::not_found("person", "p-1"),
            Error::not_allowed("the entry is already void"),
            Error::NotEnrolled,
            Error::Revoked,
            Error::CentreRefused {
                code: "unknown-token".into(),
                message: "the device token is not known".into(),
            },
            Error::Unreachable {
                detail: "offline: ConnectException".into(),
            },
            Error::ClockWrong {
                detail: "ahead".into(),
            },
            Error::storage_full(),
            Error::Storage {
                detail: "disk I/O error".into(),
                cause: StorageCause::Io,
                source: None,
            },
        ]
    }

    #[test]
    fn every_error_has_a_danish_sentence_and_english_is_the_message() {
        for error in every_variant() {
            let name = error.variant_name();
            assert!(
                DANISH.iter().any(|(n, _)| *n == name),
                "{name} has no Danish sentence"
            );
            let danish = error.text(Language::Danish);
            assert_ne!(danish, error.to_string(), "{name} is not said in Danish");
            assert_eq!(error.text(Language::English), error.to_string());
        }
        assert_eq!(
            DANISH.len(),
            every_variant().len(),
            "a sentence for a gone variant"
        );
    }

    #[test]
    fn the_detail_follows_where_the_sentence_needs_it() {
        assert_eq!(
            Error::invalid("alias", "must not be empty").text(Language::Danish),
            "Et felt er ikke udfyldt rigtigt: alias: must not be empty"
        );
        assert_eq!(
            Error::CentreRefused {
                code: "unknown-token".into(),
                message: "the device token is not known".into(),
            }
            .text(Language::Danish),
            "Centret afviste: the device token is not known (unknown-token)"
        );
        assert_eq!(
            Error::not_found("person", "p-1").text(Language::Danish),
            "Findes ikke længere på telefonen."
        );
        assert_eq!(
            Error::not_allowed("the entry is already void").text(Language::Danish),
            "Det kan ikke lade sig gøre nu: the entry is already void"
        );
        assert_eq!(
            Error::PlanRequired { score: 3 }.text(Language::Danish),
            "Høj risiko: skriv planen for, hvordan vold undgås, før vurderingen gemmes."
        );
    }

    #[test]
    fn an_unknown_variant_gives_the_message_back() {
        assert_eq!(
            error_text("Newer".into(), "something new".into(), Language::Danish),
            "something new"
        );
    }
}
