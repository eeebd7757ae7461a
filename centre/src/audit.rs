//! The audit log (issue 16): who read what about which team or citizen, every export and every
//! operator action, appended in the centre's store in one order, each record carrying the hash
//! of the one before it, so that a record changed or taken out afterwards breaks the chain
//! (`gadeplan-centre audit verify`). Records hold codes, ids and names of workers and operators,
//! never recorded free text. Appending takes the log's own lock (one appender at a time across
//! processes); a read is recorded after it is answered, an operator's action after it is done.

use sha2::{Digest, Sha256};

use crate::storage::{AuditRow, Tx};
use crate::store::{Centre, Result, now_text};

/// The hash before the first record.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, as the caller knows it.
#[derive(Debug, Clone, Default)]
pub struct AuditEvent {
    /// Who: `operator:<user>`, `leader-token:<id>`, `device:<id>`, a worker's name.
    pub actor: String,
    /// What, as a code: `report-read`, `checkins-read`, `checkin-acknowledged`, `export`,
    /// `team-added`, `enrolment-made`, `worker-added`, `worker-retired`, `device-revoked`,
    /// `device-token-rotation-requested`, `device-token-rotated`, `leader-token-made`,
    /// `leader-token-revoked`, `audit-read`.
    pub action: String,
    pub team: Option<String>,
    /// The citizen, device, check-in or token concerned, by id.
    pub subject: Option<String>,
    /// A code or a count (never free text).
    pub detail: Option<String>,
    /// The address a request came from.
    pub source: Option<String>,
}

/// The hash of a record: the previous hash and every field, each on a line of its own.
fn hash_of(row: &AuditRow) -> String {
    let mut hasher = Sha256::new();
    for field in [
        row.prev_hash.as_str(),
        &row.seq.to_string(),
        &row.at,
        &row.actor,
        &row.action,
        row.team.as_deref().unwrap_or("\u{0}"),
        row.subject.as_deref().unwrap_or("\u{0}"),
        row.detail.as_deref().unwrap_or("\u{0}"),
        row.source.as_deref().unwrap_or("\u{0}"),
    ] {
        hasher.update(field.as_bytes());
        hasher.update(b"\n");
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Appends a record after the last one, in the caller's transaction.
pub(crate) fn append(tx: &mut dyn Tx, event: &AuditEvent) -> Result<u64> {
    tx.lock_audit()?;
    let (seq, prev_hash) = match tx.audit_last()? {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let mut row = AuditRow {
        seq,
        at: now_text(),
        actor: event.actor.clone(),
        action: event.action.clone(),
        team: event.team.clone(),
        subject: event.subject.clone(),
        detail: event.detail.clone(),
        source: event.source.clone(),
        prev_hash,
        hash: String::new(),
    };
    row.hash = hash_of(&row);
    tx.audit_insert(&row)?;
    Ok(seq)
}

/// What a check of the chain found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditCheck {
    pub records: u64,
    pub intact: bool,
    /// The first record whose hash, or link to the one before, does not hold.
    pub first_broken: Option<u64>,
}

impl Centre {
    /// Records an event in the audit log.
    pub fn audit_event(&self, event: AuditEvent) -> Result<u64> {
        self.write(|tx| append(tx, &event))
    }

    /// The log's records after `after`, at most `limit`.
    pub fn audit(&self, after: u64, limit: u32) -> Result<Vec<AuditRow>> {
        self.write(|tx| tx.audit_rows(after, limit.clamp(1, 100_000)))
    }

    /// Walks the whole chain: every record's hash recomputed, every link to the one before and
    /// every number in sequence.
    pub fn verify_audit(&self) -> Result<AuditCheck> {
        let (mut after, mut prev, mut records) = (0u64, GENESIS.to_string(), 0u64);
        loop {
            let page = self.write(|tx| tx.audit_rows(after, 1_000))?;
            if page.is_empty() {
                return Ok(AuditCheck {
                    records,
                    intact: true,
                    first_broken: None,
                });
            }
            for row in page {
                if row.seq != after + 1 || row.prev_hash != prev || hash_of(&row) != row.hash {
                    return Ok(AuditCheck {
                        records,
                        intact: false,
                        first_broken: Some(after + 1),
                    });
                }
                (after, prev, records) = (row.seq, row.hash, records + 1);
            }
        }
    }
}
