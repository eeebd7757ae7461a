//! The core's errors in the worker's language (issue 18, review findings A34 and I27): the
//! shells showed the core's English messages in a Danish app. Across the FFI an error is flat (a
//! variant and its English message), so a shell passes both back here: the variant's name is the
//! Kotlin exception's class name (`GadeplanException.PlanRequired` → `"PlanRequired"`) or the
//! Swift case's (`GadeplanError.PlanRequired(message:)`), and the core, which knows each error,
//! says it in Danish. One exhaustive match for both shells; no shell keeps a list of the core's
//! errors.
//!
//! The Danish sentences are the project's own words (the seeds word no error messages). They say
//! what happened and what to do; like the English messages they never hold recorded personal
//! text. Where the English message carries a detail a Danish sentence cannot say without the
//! fields (the field that is wrong, the centre's own reason), the detail follows as it is, so
//! that support can still match it.

use crate::error::Error;
use crate::vocabulary::Language;

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

    /// The error a shell caught (its variant's name, as `variant_name` gives it, and its
    /// message) back as an `Error`, as far as the core's answers about it need (`error_text`,
    /// `sync_advice`): a refusal's code is read from the message as the core formats it ("the
    /// centre refused: {message} ({code})"); the other fields are left empty. None for a name
    /// this core does not know (a newer shell).
    pub(crate) fn from_ffi(variant: &str, message: &str) -> Option<Error> {
        let text = String::new;
        Some(match variant {
            "WrongKey" => Error::WrongKey { detail: text() },
            "NoStore" => Error::NoStore { detail: text() },
            "AlreadyInitialised" => Error::AlreadyInitialised,
            "StoreTooNew" => Error::StoreTooNew {
                found: 0,
                supported: 0,
            },
            "InvalidInput" => Error::InvalidInput {
                field: text(),
                reason: text(),
            },
            "PlanRequired" => Error::PlanRequired { score: 0 },
            "ReasonRequired" => Error::ReasonRequired {
                decision: text(),
                indicated: text(),
            },
            "ConsentRequired" => Error::ConsentRequired { detail: text() },
            "NotFound" => Error::NotFound {
                what: text(),
                id: text(),
            },
            "NotAllowed" => Error::NotAllowed { reason: text() },
            "NotEnrolled" => Error::NotEnrolled,
            "Revoked" => Error::Revoked,
            "CentreRefused" => Error::CentreRefused {
                code: refusal_code(message).unwrap_or_default().into(),
                message: text(),
            },
            "Unreachable" => Error::Unreachable { detail: text() },
            "ClockWrong" => Error::ClockWrong { detail: text() },
            "StorageFull" => Error::StorageFull { detail: text() },
            "Storage" => Error::Storage {
                detail: text(),
                cause: crate::error::StorageCause::Other,
                source: None,
            },
            _ => return None,
        })
        .filter(|e| e.variant_name() == variant)
    }

    /// What this error says in Danish, and, where the English message carries a detail the
    /// sentence keeps, the English words before that detail (the `#[error]` texts in
    /// `error.rs`), which the sentence replaces.
    fn danish(&self) -> (&'static str, Option<&'static str>) {
        match self {
            Error::WrongKey { .. } => ("Nøglen åbner ikke telefonens data. Intet er ændret.", None),
            Error::NoStore { .. } => ("Der er ingen Gadeplan-data på denne sti.", None),
            Error::AlreadyInitialised => (
                "Telefonens data er allerede oprettet; intet er ændret.",
                None,
            ),
            Error::StoreTooNew { .. } => (
                "Dataene er skrevet af en nyere version af Gadeplan. Opdatér appen.",
                None,
            ),
            Error::InvalidInput { .. } => ("Et felt er ikke udfyldt rigtigt", Some("invalid ")),
            Error::PlanRequired { .. } => (
                "Høj risiko: skriv planen for, hvordan vold undgås, før vurderingen gemmes.",
                None,
            ),
            Error::ReasonRequired { .. } => (
                "Beslutningen afviger fra det, kriterierne peger på: skriv begrundelsen for den faglige vurdering.",
                None,
            ),
            Error::ConsentRequired { .. } => (
                "Der er intet gældende samtykke til at videregive dette.",
                None,
            ),
            Error::NotFound { .. } => ("Findes ikke længere på telefonen.", None),
            Error::NotAllowed { .. } => ("Det kan ikke lade sig gøre nu", Some("not allowed: ")),
            Error::NotEnrolled => (
                "Telefonen er ikke tilmeldt et center: tilmeld den med en kode fra centret.",
                None,
            ),
            Error::Revoked => (
                "Centret har tilbagekaldt telefonen; dens data er slettet fra den.",
                None,
            ),
            Error::CentreRefused { .. } => ("Centret afviste", Some("the centre refused: ")),
            Error::Unreachable { .. } => (
                "Centret kunne ikke nås. Intet er tabt: det sendes, når der er forbindelse.",
                None,
            ),
            Error::ClockWrong { .. } => (
                "Telefonens ur går forkert: ret dato og klokkeslæt i telefonens indstillinger.",
                None,
            ),
            Error::StorageFull { .. } => (
                "Telefonens lager er fuldt: frigør plads. Det, der er gemt, kan stadig læses.",
                None,
            ),
            Error::Storage { .. } => (
                "Lagerfejl: intet blev gemt. Prøv igen; sker det igen, så kontakt centret.",
                None,
            ),
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
    let Some(error) = Error::from_ffi(&variant, &message) else {
        return message;
    };
    let (danish, english) = error.danish();
    let Some(english) = english else {
        return danish.to_string();
    };
    match message.strip_prefix(english).map(str::trim) {
        Some(detail) if !detail.is_empty() => format!("{danish}: {detail}"),
        _ => format!("{danish}."),
    }
}

/// The code at the end of a refusal's message: "… ({code})".
fn refusal_code(message: &str) -> Option<&str> {
    message
        .strip_suffix(')')?
        .rsplit_once(" (")
        .map(|(_, code)| code)
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
            let named = Error::from_ffi(name, &error.to_string());
            assert_eq!(
                named.map(|e| e.variant_name()),
                Some(name),
                "{name} is not found by its name across the FFI"
            );
            let danish = error.text(Language::Danish);
            assert_ne!(danish, error.to_string(), "{name} is not said in Danish");
            assert_eq!(error.text(Language::English), error.to_string());
        }
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
