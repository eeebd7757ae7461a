//! Someone in the citizen's network (`network.noted`): their role, name, organisation and phone,
//! on the person's screen beside the crisis plan, offline (002 L416–420, L2232–2260). Its row in
//! `network_members`. Amended (a new phone number) and voided like any record.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::subject::{non_empty, require_person};
use super::{
    Built, Correcting, Corrections, EntryContent, Kind, Patch, Payload, RecordRow, RecordTable,
};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, LIMIT_ALIAS, LIMIT_SHORT};
use crate::vocabulary::{Label, NetworkRole};

/// A phone number: digits, spaces, and `+ - ( )`, at most this long.
const PHONE_LIMIT: usize = 30;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkNoted {
    pub role: NetworkRole,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// One member of a citizen's network, as the person's screen shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct NetworkNotedContent {
    pub role: NetworkRole,
    pub name: String,
    pub organisation: Option<String>,
    pub phone: Option<String>,
    /// Its words, for the shells.
    pub role_label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NetworkInput {
    pub person: String,
    pub role: NetworkRole,
    pub name: String,
    pub organisation: Option<String>,
    pub phone: Option<String>,
    pub occurred_at: Option<String>,
}

/// A correction of a network member: role, name, organisation or phone.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct NetworkCorrection {
    #[uniffi(default)]
    pub role: Option<NetworkRole>,
    #[uniffi(default)]
    pub name: Option<String>,
    #[uniffi(default)]
    pub organisation: Option<String>,
    #[uniffi(default)]
    pub clear_organisation: bool,
    #[uniffi(default)]
    pub phone: Option<String>,
    #[uniffi(default)]
    pub clear_phone: bool,
}

impl Correcting for NetworkCorrection {
    fn patch(&self) -> serde_json::Map<String, serde_json::Value> {
        let trim = |t: &Option<String>| t.as_ref().map(|t| t.trim().to_string());
        Patch::default()
            .set("role", &self.role)
            .set("name", &trim(&self.name))
            .optional("organisation", &trim(&self.organisation), self.clear_organisation)
            .optional("phone", &trim(&self.phone), self.clear_phone)
            .done()
    }
}

const TABLE: RecordTable = RecordTable {
    table: "network_members",
    summary: None,
};

fn check_phone(phone: &str) -> Result<()> {
    let ok = phone.len() <= PHONE_LIMIT
        && phone.chars().any(|c| c.is_ascii_digit())
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "phone",
            format!("digits, spaces and + - ( ), at most {PHONE_LIMIT}"),
        ))
    }
}

impl Kind for NetworkNoted {
    type Input = NetworkInput;

    const CORRECTIONS: Corrections = Corrections::AmendAndVoid;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, _now: DateTime<Utc>, input: &NetworkInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let payload = Payload::NetworkNoted(NetworkNoted {
            role: input.role,
            name: journal::name("name", &input.name, LIMIT_ALIAS)?,
            organisation: non_empty(input.organisation.clone()),
            phone: non_empty(input.phone.clone()),
        });
        Ok((person, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::name_rules("name", &self.name, LIMIT_ALIAS)?;
        journal::optional_text("organisation", self.organisation.as_deref(), LIMIT_SHORT)?;
        if let Some(phone) = &self.phone {
            check_phone(phone)?;
        }
        Ok(())
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::NetworkNoted(self.view())
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO network_members (owner, occurred_at, entry_id, voided, author_worker, role,
                name, organisation, phone)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.role.code(),
            self.name,
            self.organisation,
            self.phone,
        ])?;
        Ok(())
    }
}

impl NetworkNoted {
    fn view(&self) -> NetworkNotedContent {
        NetworkNotedContent {
            role: self.role,
            name: self.name.clone(),
            organisation: self.organisation.clone(),
            phone: self.phone.clone(),
            role_label: self.role.label(),
        }
    }
}

/// A member of a citizen's network on the person's screen, with the entry that noted them (to
/// amend or void).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct NetworkMember {
    pub entry_id: String,
    pub member: NetworkNotedContent,
}

/// A person's network as it stands (amendments applied, voided members left out), by role.
pub fn network_of(conn: &Connection, person: &str) -> Result<Vec<NetworkMember>> {
    // The role is read as text and parsed after: a rusqlite row closure cannot fail with ours.
    let rows: Vec<(String, String, NetworkNoted)> = conn
        .prepare_cached(
            "SELECT entry_id, role, name, organisation, phone FROM network_members
             WHERE owner = ?1 AND voided = 0 ORDER BY role, name, entry_id",
        )?
        .query_map([person], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                NetworkNoted {
                    role: NetworkRole::Other,
                    name: r.get(2)?,
                    organisation: r.get(3)?,
                    phone: r.get(4)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(entry_id, role, mut member)| {
            member.role = NetworkRole::parse(&role)?;
            Ok(NetworkMember {
                entry_id,
                member: member.view(),
            })
        })
        .collect()
}
