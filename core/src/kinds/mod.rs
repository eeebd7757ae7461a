//! One module per kind of journal entry. Today each holds its kind's command (the input a shell
//! gives, made into the entry's subject, stated time and payload, with the references checked;
//! `session`'s write path then validates, stamps, stores and projects it) and its typed content
//! for the timeline (`content`). The payload types and their rules are still in `journal`, the
//! projections in `projection`; issue 11's registry gathers each kind's parts here.

pub mod contact_logged;
pub mod content;
pub mod entry_amended;
pub mod entry_voided;
pub mod person_merged;
pub mod person_noted;
pub mod person_updated;
pub mod risk_checked;
pub mod screening_recorded;
pub mod stage_assessed;
pub mod subject;

pub use content::{AttributeChange, AttributeValue, EntryContent};

use crate::journal::Payload;

/// What a command makes: the entry's subject, the time it says it happened (none: now), and its
/// payload.
pub(crate) type Built = (String, Option<String>, Payload);
