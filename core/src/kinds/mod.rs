//! The kinds of journal entry: one module per kind, and the registry that joins them.
//!
//! Each kind's module owns everything about it: its payload type and the rules it must meet
//! (`Kind::validate`), its command (the shell's input made into a payload, with the references
//! checked), which corrections it takes, the entries it refers to and which kinds those may be,
//! its projection (`Kind::project`; a record kind also its row in its own table and the
//! person's summary it moves) and its typed content for the timeline.
//!
//! `registry` holds the one list of kinds. From its lines come the `EntryKind` vocabulary (in
//! `journal`), and here the `Payload` and `EntryContent` enums and every per-kind dispatch, each
//! an exhaustive match the compiler checks; the record tables, the projection tables a rebuild
//! clears and a wipe empties, the timeline's query and the person's summary refresh are made from
//! what the kinds declare. `docs/adding-a-kind.md` gives the steps to add one.

pub mod checkins;
pub mod content;
pub mod courses;
pub mod guarantee;
pub mod intensity;
pub mod keep;
pub mod persons;
pub mod places;
pub mod plan_document;
pub mod records;
pub mod replay;
pub mod subject;

pub use content::{AttributeChange, AttributeValue};
pub use replay::{Effective, apply, dump, effective, projection_tables, rebuild};

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::journal::{Entry, EntryId, EntryKind, SubjectId};

/// What a command makes: the entry's subject, the time it says it happened (none: now), and its
/// payload.
pub(crate) type Built = (String, Option<String>, Payload);

/// Which corrections an entry of a kind takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corrections {
    /// Neither amended nor voided (a merge, a void, an attribute change: each is corrected by
    /// another entry of its own kind).
    None,
    /// Voided as a mistake, never amended.
    Void,
    /// Amended (a merge patch over its payload) and voided: the records about a citizen.
    AmendAndVoid,
}

/// A record kind's own projection table: one row per entry, keyed by the subject it counts for
/// now (`owner`), then time. Every record table has the columns `owner, occurred_at, entry_id,
/// voided, author_worker`; the kind's `insert_record` writes its own columns beside them.
#[derive(Debug)]
pub struct RecordTable {
    pub table: &'static str,
    /// The columns of `persons` that show the latest (not voided) record of this kind.
    pub summary: Option<Summary>,
}

/// Which `persons` columns show a person's latest record of a kind, and where they come from.
#[derive(Debug)]
pub struct Summary {
    /// The column holding the latest record's entry id.
    pub entry: &'static str,
    /// The column holding its summary value (a band, a stage, a decision) …
    pub value: &'static str,
    /// … which is this column of the record table.
    pub from: &'static str,
    /// The column holding when it happened.
    pub at: &'static str,
}

/// The projection row of one record entry: who it counts for, and its effective time and void.
pub struct RecordRow<'a> {
    pub entry: &'a Entry,
    pub occurred_at: &'a str,
    pub owner: &'a str,
    pub voided: bool,
}

/// What the receiving replica needs to judge a reference.
pub struct Referral<'a> {
    pub conn: &'a Connection,
    /// The entry that refers.
    pub entry: &'a Entry,
    /// The entry it refers to.
    pub referenced: &'a Entry,
    /// Whether every entry arrives after what it refers to (the centre), so merges are here too.
    pub references_present: bool,
}

impl Referral<'_> {
    pub fn same_subject(&self) -> bool {
        self.referenced.subject == self.entry.subject
    }

    /// Whether the entry referred to is of `kind` and about the same citizen. Merges may still
    /// be on their way to a phone; where every entry arrives in its author's order (the
    /// centre), the two must be one citizen already.
    pub fn of_the_citizen(&self, kind: EntryKind) -> Result<bool> {
        Ok(self.referenced.kind == kind
            && (!self.references_present
                || crate::projection::canonical(self.conn, &self.referenced.subject)?
                    == crate::projection::canonical(self.conn, &self.entry.subject)?))
    }
}

/// One kind of journal entry. The payload type implements it; the registry line names it.
pub trait Kind: Sized + Clone + PartialEq + std::fmt::Debug + Serialize + DeserializeOwned {
    /// What a shell gives to record an entry of this kind.
    type Input;

    const CORRECTIONS: Corrections;
    /// The kind's record table, if it records something about a citizen with a row of its own.
    const RECORD: Option<&'static RecordTable> = None;
    /// Whether an entry of this kind can join two subjects (see `joins`).
    const MAY_JOIN: bool = false;
    /// Whether applying an entry of this kind changes the journal beyond itself (an erasure
    /// removes entries), so that the projections are made again from the journal after it.
    const REBUILDS: bool = false;

    /// The kind's command: the shell's input made into the entry's subject, stated time and
    /// payload, with what it refers to checked against the store (inside the recording
    /// transaction; `now` is the time it is recorded at).
    fn build(tx: &Connection, now: DateTime<Utc>, input: &Self::Input) -> Result<Built>;

    /// The rules of the kind beyond its shape, wherever an entry of it arrives.
    fn validate(&self) -> Result<()>;

    /// Takes a new entry of this kind (validated, in the journal already) into the projections.
    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()>;

    /// Projects an entry of this kind again after a correction of it arrived.
    fn reproject(conn: &Connection, entry: &Entry) -> Result<()> {
        match Self::RECORD {
            Some(_) => records::project_record(conn, &entry.id),
            None => Ok(()),
        }
    }

    /// What the timeline shows of it.
    fn content(&self) -> EntryContent;

    /// The entries it refers to by id, with the field that names each.
    fn references(&self) -> Vec<(&'static str, &EntryId)> {
        Vec::new()
    }

    /// Visits every entry id it refers to, to rename it (a re-stamped entry).
    fn follow_references(&mut self, _follow: &mut dyn FnMut(&mut EntryId)) {}

    /// Whether a reference may point at `referral.referenced`; see `ingest::check_references`.
    /// No kind refers anywhere unless it says where.
    fn may_refer_to(&self, _field: &str, _referral: &Referral<'_>) -> Result<bool> {
        Ok(false)
    }

    /// Times the payload states besides the entry's own (an amendment's corrected time): each
    /// must lie where the entry's own may.
    fn stated_times(&self) -> Vec<&str> {
        Vec::new()
    }

    /// Rewrites the times `stated_times` lists (a re-stamped entry).
    fn restate_times(&mut self, _time: &dyn Fn(&str) -> Result<String>) -> Result<()> {
        Ok(())
    }

    /// The other subject this entry joins into its own (a merge, an identification).
    fn joins(&self) -> Option<&SubjectId> {
        None
    }

    /// Writes a record kind's row into its table.
    fn insert_record(&self, _conn: &Connection, _row: &RecordRow<'_>) -> Result<()> {
        Ok(())
    }

    /// The value a record kind's `Summary` shows (its `from` column's value for this record).
    fn summary_value(&self) -> Option<&'static str> {
        None
    }

    /// Whether a record moves the person's last contact (a contact in which the workers saw them). The
    /// persons list reads the last contact from the `contacts` table (`projection::last_contact`),
    /// so only the contact says yes; a kind that should count as meeting the citizen changes
    /// `last_contact` too.
    fn meets_citizen(&self) -> bool {
        false
    }

    /// What an amended payload must still meet beyond its kind's rules, against the store.
    fn check_amended(&self, _tx: &Connection) -> Result<()> {
        Ok(())
    }

    /// What must hold before `entry` (of this kind) is voided, against the store.
    fn check_void(&self, _tx: &Connection, _entry: &Entry) -> Result<()> {
        Ok(())
    }

    /// Whether the kind's entries matter to the centre's check-in timer: the centre then reads
    /// `watched` from their payloads, and reads no other kind's again as it stores them.
    const WATCHED: bool = false;

    /// What the entry means to a check-in's timer (the centre's watch): a check-in's start,
    /// extension, end or acknowledgement; nothing for every other kind.
    fn watched(&self) -> Option<checkins::Watched> {
        None
    }

    /// The payload as the screens may show it, if not all of it: a field only the centre may
    /// read (a duress end's) left out.
    fn shown_json(&self) -> Option<String> {
        None
    }

    /// What a correction's patch must meet on the recording phone beyond the amended payload's
    /// rules, given the record's author: a worker it names is on the team's roster (as when
    /// recording), while names it leaves alone stay as written.
    fn check_patch(
        &self,
        _tx: &Connection,
        _patch: &serde_json::Map<String, serde_json::Value>,
        _author: &str,
    ) -> Result<()> {
        Ok(())
    }

    /// The oldest payload version (`journal::PAYLOAD_VERSION`) that reads this payload: an entry
    /// is stamped with it, so a replica not yet updated takes in what it can read and holds only
    /// what it cannot (a payload using a later version's codes or fields says so here).
    fn schema_version(&self) -> u32 {
        1
    }
}

/// Every item of an instrument with its answer: marked if `marked` lists it (a Brøset item
/// observed, a criterion met). The journal keeps every answer, not only the marked ones.
pub(crate) fn answers<T: Copy + Ord>(
    all: &[T],
    marked: &[T],
) -> std::collections::BTreeMap<T, bool> {
    all.iter()
        .map(|item| (*item, marked.contains(item)))
        .collect()
}

/// The items answered yes, in the instrument's order.
pub(crate) fn marked<T: Copy + Ord>(answers: &std::collections::BTreeMap<T, bool>) -> Vec<T> {
    answers
        .iter()
        .filter(|(_, on)| **on)
        .map(|(item, _)| *item)
        .collect()
}

/// A kind's typed correction: each field set replaces the record's, each `clear_…` removes an
/// optional one; the core makes the merge patch, so no shell writes JSON.
pub trait Correcting {
    fn patch(&self) -> serde_json::Map<String, Value>;

    /// What the correction itself must meet before its patch is made (a criterion named both
    /// met and not met); the amended record is then held to its kind's rules as well.
    fn check(&self) -> Result<()> {
        Ok(())
    }
}

/// Builds a merge patch field by field.
#[derive(Default)]
pub(crate) struct Patch(serde_json::Map<String, Value>);

impl Patch {
    /// Sets `field` if `value` is given.
    pub fn set<T: Serialize>(mut self, field: &str, value: &Option<T>) -> Self {
        if let Some(v) = value {
            self.0.insert(
                field.into(),
                serde_json::to_value(v).expect("correction values serialise"),
            );
        }
        self
    }

    /// Sets an optional field, or removes it when `clear` (and no value) is given; a text is
    /// trimmed, and an empty one removes the field, as when the record is made.
    pub fn optional<T: Serialize>(self, field: &str, value: &Option<T>, clear: bool) -> Self {
        let mut this = self.set(field, value);
        if let Some(Value::String(text)) = this.0.get_mut(field) {
            *text = text.trim().to_string();
        }
        if clear && value.is_none() {
            this.0.insert(field.into(), Value::Null);
        }
        if this
            .0
            .get(field)
            .and_then(Value::as_str)
            .is_some_and(|t| t.trim().is_empty())
        {
            this.0.insert(field.into(), Value::Null);
        }
        this
    }

    pub fn done(self) -> serde_json::Map<String, Value> {
        self.0
    }
}

/// Decodes a payload's JSON into its kind's type, keeping recorded text out of the error.
fn decode<T: DeserializeOwned>(value: Value) -> Result<T> {
    // serde's message names the field and the expected type; it quotes the offending value only
    // for strings, so strip quoted parts to keep recorded text out of errors.
    serde_json::from_value(value)
        .map_err(|e| Error::invalid("payload", crate::journal::redact_quoted(&e.to_string())))
}

/// The three `Kind` items of a kind that names, in the field `$field`, one other entry of its
/// citizen of the kind `$kind` (a course's opening, a consent, a plan):
/// `refers_to_one!(course, CourseOpened);` inside the kind's `impl Kind`.
macro_rules! refers_to_one {
    // The field alone: the kind says itself which entries it may name (`may_refer_to`).
    ($field:ident) => {
        fn references(&self) -> Vec<(&'static str, &EntryId)> {
            vec![(stringify!($field), &self.$field)]
        }

        fn follow_references(&mut self, follow: &mut dyn FnMut(&mut EntryId)) {
            follow(&mut self.$field);
        }
    };
    ($field:ident, $kind:ident) => {
        fn references(&self) -> Vec<(&'static str, &EntryId)> {
            vec![(stringify!($field), &self.$field)]
        }

        fn follow_references(&mut self, follow: &mut dyn FnMut(&mut EntryId)) {
            follow(&mut self.$field);
        }

        fn may_refer_to(&self, _field: &str, r: &Referral<'_>) -> Result<bool> {
            r.of_the_citizen(crate::journal::EntryKind::$kind)
        }
    };
}
pub(crate) use refers_to_one;

/// What the registry's lines make in this module (see `registry`).
macro_rules! kind_dispatch {
    ( $( $variant:ident = $code:literal, $da:literal, $en:literal
         => $module:ident :: { $payload:ident, $content:ident, $input:ident $(, $correction:ident)? }; )+ ) => {
        $( pub mod $module; )+

        /// Every kind's timeline content record, for the crate's root to export.
        pub mod contents {
            pub use super::EntryContent;
            $( pub use super::$module::$content; )+
        }
        $( pub use $module::$content; )+

        /// Every kind's input record, and the typed corrections, for the API to export.
        pub mod inputs {
            pub use super::{Correction, NewEntry};
            $( pub use super::$module::$input; )+
            $( $( pub use super::$module::$correction; )? )+
        }

        /// A payload of some kind, typed.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Payload {
            $( $variant($module::$payload), )+
        }

        /// What an entry says, typed, for the screens: one variant per kind with its kind's
        /// content record, so that no shell parses the payload's JSON or knows its field names.
        /// Serialised (for the CLI) as the content's fields with a `kind` beside them.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Enum)]
        #[serde(tag = "kind", rename_all = "kebab-case")]
        pub enum EntryContent {
            $( $variant($module::$content), )+
        }

        /// A correction of a record, typed by its kind: what a shell gives to amend one
        /// (`Store::correct`), instead of a JSON merge patch over fields the core owns.
        #[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
        pub enum Correction {
            $( $( $variant($module::$correction), )? )+
        }

        impl Correction {
            /// The kinds a typed correction exists for.
            pub const KINDS: &'static [EntryKind] = &[ $( $( { let _ = stringify!($correction); EntryKind::$variant }, )? )+ ];

            /// The kind of record it corrects.
            pub fn kind(&self) -> EntryKind {
                match self { $( $( Correction::$variant(_) => { let _ = stringify!($correction); EntryKind::$variant } )? )+ }
            }

            /// What the correction must meet itself (`Correcting::check`).
            pub fn check(&self) -> Result<()> {
                match self { $( $( Correction::$variant(c) => { let _ = stringify!($correction); c.check() } )? )+ }
            }

            /// The merge patch (RFC 7386) it makes over the record's payload.
            pub fn patch(&self) -> serde_json::Map<String, Value> {
                match self { $( $( Correction::$variant(c) => { let _ = stringify!($correction); c.patch() } )? )+ }
            }
        }

        /// A new entry of any kind, as a shell gives it: `Store::record` takes it, so a kind
        /// added to the registry can be recorded without a method of its own.
        #[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
        pub enum NewEntry {
            $( $variant($module::$input), )+
        }

        impl NewEntry {
            /// The entry's subject, stated time and payload, by its kind's command.
            pub(crate) fn build(&self, tx: &Connection, now: DateTime<Utc>) -> Result<Built> {
                match self {
                    $( NewEntry::$variant(input) => <$module::$payload as Kind>::build(tx, now, input), )+
                }
            }
        }

        impl EntryKind {
            pub fn corrections(self) -> Corrections {
                match self { $( EntryKind::$variant => <$module::$payload as Kind>::CORRECTIONS, )+ }
            }

            /// The kind's record table, if it has one.
            pub fn record(self) -> Option<&'static RecordTable> {
                match self { $( EntryKind::$variant => <$module::$payload as Kind>::RECORD, )+ }
            }

            /// Whether the kind's entries matter to the centre's check-in timer (`Kind::WATCHED`).
            pub fn watched(self) -> bool {
                match self { $( EntryKind::$variant => <$module::$payload as Kind>::WATCHED, )+ }
            }

            /// Whether an entry of the kind may join two subjects.
            pub fn may_join(self) -> bool {
                match self { $( EntryKind::$variant => <$module::$payload as Kind>::MAY_JOIN, )+ }
            }

            /// Whether applying an entry of the kind rebuilds the projections (`Kind::REBUILDS`).
            pub fn rebuilds(self) -> bool {
                match self { $( EntryKind::$variant => <$module::$payload as Kind>::REBUILDS, )+ }
            }

            /// Projects an entry of this kind again after a correction of it arrived.
            pub fn reproject(self, conn: &Connection, entry: &Entry) -> Result<()> {
                match self {
                    $( EntryKind::$variant => <$module::$payload as Kind>::reproject(conn, entry), )+
                }
            }
        }

        impl Payload {
            pub fn kind(&self) -> EntryKind {
                match self { $( Payload::$variant(_) => EntryKind::$variant, )+ }
            }

            pub fn to_json(&self) -> String {
                let text = match self { $( Payload::$variant(p) => serde_json::to_string(p), )+ };
                text.expect("payload types serialise infallibly")
            }

            /// Decodes a payload of the given kind, checking its shape only (see `read`).
            pub fn read_value(kind: EntryKind, value: Value) -> Result<Payload> {
                Ok(match kind { $( EntryKind::$variant => Payload::$variant(decode(value)?), )+ })
            }

            /// The rules of each kind beyond its shape.
            pub fn validate(&self) -> Result<()> {
                match self { $( Payload::$variant(p) => p.validate(), )+ }
            }

            /// Takes a new entry into the projections.
            pub fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
                match self { $( Payload::$variant(p) => p.project(conn, entry), )+ }
            }

            pub fn content(&self) -> EntryContent {
                match self { $( Payload::$variant(p) => p.content(), )+ }
            }

            /// The oldest payload version that reads it (`Kind::schema_version`).
            pub fn schema_version(&self) -> u32 {
                match self { $( Payload::$variant(p) => p.schema_version(), )+ }
            }

            pub fn references(&self) -> Vec<(&'static str, &EntryId)> {
                match self { $( Payload::$variant(p) => p.references(), )+ }
            }

            pub fn follow_references(&mut self, follow: &mut dyn FnMut(&mut EntryId)) {
                match self { $( Payload::$variant(p) => p.follow_references(follow), )+ }
            }

            pub fn may_refer_to(&self, field: &str, referral: &Referral<'_>) -> Result<bool> {
                match self { $( Payload::$variant(p) => p.may_refer_to(field, referral), )+ }
            }

            pub fn stated_times(&self) -> Vec<&str> {
                match self { $( Payload::$variant(p) => p.stated_times(), )+ }
            }

            pub fn restate_times(&mut self, time: &dyn Fn(&str) -> Result<String>) -> Result<()> {
                match self { $( Payload::$variant(p) => p.restate_times(time), )+ }
            }

            pub fn joins(&self) -> Option<&SubjectId> {
                match self { $( Payload::$variant(p) => p.joins(), )+ }
            }

            /// The payload as the screens show it (`Kind::shown_json`).
            pub fn shown_json(&self) -> String {
                let shown = match self { $( Payload::$variant(p) => p.shown_json(), )+ };
                shown.unwrap_or_else(|| self.to_json())
            }

            /// What a correction's patch must meet on the recording phone (`Kind::check_patch`).
            pub fn check_patch(
                &self,
                tx: &Connection,
                patch: &serde_json::Map<String, serde_json::Value>,
                author: &str,
            ) -> Result<()> {
                match self { $( Payload::$variant(p) => p.check_patch(tx, patch, author), )+ }
            }

            /// What the entry means to a check-in's timer (`Kind::watched`).
            pub fn watched(&self) -> Option<checkins::Watched> {
                match self { $( Payload::$variant(p) => p.watched(), )+ }
            }

            pub fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
                match self { $( Payload::$variant(p) => p.insert_record(conn, row), )+ }
            }

            pub fn check_void(&self, tx: &Connection, entry: &Entry) -> Result<()> {
                match self { $( Payload::$variant(p) => p.check_void(tx, entry), )+ }
            }

            pub fn check_amended(&self, tx: &Connection) -> Result<()> {
                match self { $( Payload::$variant(p) => p.check_amended(tx), )+ }
            }
        }
    };
}

crate::registry::with_kinds!(kind_dispatch);

impl EntryKind {
    /// Whether a typed correction (`Correction`) exists for the kind: what `Store::correct`
    /// takes, and what a shell offers as "Ret" (`TimelineItem::can_correct`).
    pub fn correctable(self) -> bool {
        Correction::KINDS.contains(&self)
    }

    pub fn amendable(self) -> bool {
        self.corrections() == Corrections::AmendAndVoid
    }

    pub fn voidable(self) -> bool {
        self.corrections() != Corrections::None
    }
}

/// Every record kind's table, in registry order.
pub fn record_tables() -> impl Iterator<Item = &'static RecordTable> {
    EntryKind::ALL.iter().filter_map(|k| k.record())
}

/// The kinds without a record table, which the journal indexes by subject instead (`entries_about`).
pub fn indexed_kinds() -> impl Iterator<Item = EntryKind> {
    EntryKind::ALL
        .iter()
        .copied()
        .filter(|k| k.record().is_none())
}

impl Payload {
    /// Parses and validates a payload of the given kind: for what arrives (typed on this phone,
    /// pushed by a phone, pulled from the centre).
    pub fn parse(kind: EntryKind, json: &str) -> Result<Payload> {
        let payload = Payload::read(kind, json)?;
        payload.validate()?;
        Ok(payload)
    }

    /// Decodes a payload already in the journal, checking its shape only. What is stored was
    /// validated when it arrived, under the rules of that day; judging it again by today's rules
    /// (a rebuild after an upgrade) would make a store that held an alias an older version
    /// allowed impossible to open. Rules tighten for new input, never for the record.
    pub fn read(kind: EntryKind, json: &str) -> Result<Payload> {
        let value: Value = serde_json::from_str(json).map_err(|e| {
            Error::invalid(
                "payload",
                format!("not JSON ({:?} at column {})", e.classify(), e.column()),
            )
        })?;
        Payload::read_value(kind, value)
    }

    /// `parse`, from a JSON value.
    pub fn from_value(kind: EntryKind, value: Value) -> Result<Payload> {
        let payload = Payload::read_value(kind, value)?;
        payload.validate()?;
        Ok(payload)
    }
}
