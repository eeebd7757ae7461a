//! Gadeplan's phone core: everything the outreach workers' phones run, shared by Android, iOS,
//! the command-line shell and the centre.
//!
//! Every fact from the field is an immutable journal entry (`journal`), validated by kind and
//! projected into read tables (`projection`) in the same transaction, in an SQLCipher-encrypted
//! store (`db`, `schema`). The instruments and their rules live in `instruments`; the one public
//! surface the shells use is `api::Store`. `sync` exchanges entries with the centre through a
//! host-provided `Transport`, and `ingest` takes in entries recorded elsewhere, on both sides.

uniffi::setup_scaffolding!();

pub mod api;
pub mod clock;
pub mod db;
pub mod duplicates;
pub mod engine;
pub mod enrol_link;
pub mod entries;
pub mod error;
pub mod error_text;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod ids;
pub mod ingest;
pub mod instruments;
pub mod journal;
pub mod kinds;
pub mod meta;
pub mod next_steps;
pub mod projection;
pub mod queries;
mod registry;
pub mod roster;
pub mod schema;
mod session;
pub mod start;
pub mod sync;
pub mod time;
pub mod vocabulary;
pub mod warnings;

pub use api::*;
pub use duplicates::{DuplicateCandidate, PossibleDuplicate};
pub use enrol_link::{EnrolLink, parse_enrol_link};
pub use error::{Error, Result, StorageCause};
pub use instruments::Instruments;
pub use instruments::questionnaires::{ItemChange, Occasion, ProgressDirection, Questionnaire};
pub use journal::EntryKind;
pub use kinds::checkins::{Alert, CheckinMessage, CheckinMessageKind, CheckinView};
pub use kinds::consent_given::ConsentView;
pub use kinds::contents::*;
pub use kinds::cooperation_noted::Cooperation;
pub use kinds::courses::{CASELOAD_GUIDELINE, Caseload, CourseView, WorkerCaseload};
pub use kinds::guarantee::{GUARANTEE_DAYS, Guarantee, GuaranteeState};
pub use kinds::intensity::{Intensity, NotTalkedWith};
pub use kinds::network_noted::NetworkMember;
pub use kinds::place_noted::Degrees;
pub use kinds::places::{AreaCoverage, AreaView, PlaceView, RoundStop, RoundView};
pub use kinds::plan_document::PlanView;
pub use kinds::plan_evaluated::Evaluation;
pub use kinds::plan_set::{PlanFields, PlanPartner, SpecificPlan, parse_plan_file};
pub use kinds::questionnaire_recorded::{QuestionnaireDue, QuestionnaireSummary};
pub use queries::{PersonDetail, PersonSummary, TimelineItem, UnknownCitizen};
pub use start::{StartState, erase_store, start_state};
pub use sync::{Digest, SyncAdvice, SyncReport, SyncState, SyncStatus, Transport, TransportError};
pub use time::Time;
pub use vocabulary::*;
