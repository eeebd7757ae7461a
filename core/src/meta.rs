//! The store's `meta` table: every key it holds, named in one place, and reading and writing
//! them. `meta` holds the device's identity (written once, at `init`), the sync state (marks,
//! token, team, the centre's clock), and the rebuild request a migration leaves; nothing else
//! in the store is keyed by name, and a revoked phone's wipe keeps only the identity.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;

// The device's identity, written at `init` and never changed.
pub const WORKER: &str = "worker";
pub const DEVICE_ID: &str = "device_id";
pub const DEVICE_NAME: &str = "device_name";
/// When the store was made (RFC 3339): no entry of this device is older.
pub const CREATED_AT: &str = "created_at";

// Sync state: cleared by a wipe (every key beginning `sync_`, and `LATEST_JOIN`).
pub const TOKEN: &str = "sync_token";
pub const TEAM: &str = "sync_team";
pub const CENTRE: &str = "sync_centre";
/// The last team sequence number pulled.
pub const CURSOR: &str = "sync_cursor";
/// The highest own entry id the centre acknowledged (the push watermark).
pub const PUSHED: &str = "sync_pushed_through";
/// Until when (ms, this device's clock) pulls use protocol 2: the centre refused protocol 3's
/// pull (an older centre); tried again after a day.
pub const PULL_V2_UNTIL: &str = "sync_pull_v2_until_ms";
/// The phone's digest as last computed (`count:sha256`), forgotten by triggers whenever what it
/// is computed from changes (migration 0007).
pub const DIGEST: &str = "sync_digest";
/// The latest centre time seen, in ms, as this device's clock read it then.
pub const CENTRE_SEEN: &str = "sync_centre_seen_ms";
/// How far this device's clock was from the centre's at the last answer, in ms.
pub const CLOCK_OFFSET: &str = "sync_clock_offset_ms";
/// Set while the centre asks this phone to rotate its device token (its operator asked it to);
/// cleared when a new token is kept.
pub const ROTATE_TOKEN: &str = "sync_rotate_token";
/// The clock stamp of the latest join (merge, identification) taken in: one arriving earlier
/// than it means a rebuild.
pub const LATEST_JOIN: &str = "latest_join";

/// The team's roster as the centre last sent it, a JSON array of names (`roster`).
pub const ROSTER: &str = "team_roster";

/// The colleagues' check-ins the centre is escalating, as it last sent them, a JSON array
/// (`kinds::checkins`).
pub const CHECKIN_ALERTS: &str = "checkin_alerts";

/// The worker's normal and duress codes for ending a check-in, salted hashes (`kinds::checkins`).
pub const CHECKIN_CODES: &str = "checkin_codes";

/// Set by a migration that needs the projections made again; cleared by the rebuild's own
/// transaction, so a crash between the two cannot leave empty projections over a full journal.
pub const NEEDS_REBUILD: &str = "needs_rebuild";

/// Set by an erasure applied here (`kinds::entry_erased`): the store's log still holds the
/// pages the erased entries were on, until a whole checkpoint empties it (`engine`, after a sync).
pub const SCRUB_PENDING: &str = "scrub_pending";

/// Until when (milliseconds) the centre is taken to be one from before the released list
/// (`wire::KEEP_PROTOCOL`): the digest is asked with the older version meanwhile.
pub const KEEP_UNSUPPORTED_UNTIL: &str = "sync_keep_unsupported_until_ms";

/// Set once the store's file was rewritten whole (`db::scrub_if_pending`, at the first scrub):
/// from then on secure delete keeps its free pages empty.
pub const VACUUMED: &str = "vacuumed_for_secure_delete";

/// How many of this phone's own entries, not yet at the centre, an erasure removed (they were
/// about a citizen the centre erased): the worker is told (`sync::notices`).
pub const ERASED_UNSENT: &str = "erased_unsent";

/// Set when the centre revoked this phone and it erased what it held: `lost` or `retired`
/// (`start::start_state` says so at every start until the store is erased and made anew: the
/// centre never enrols a revoked device again).
pub const REVOKED: &str = "revoked";

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
    )?
    .execute(params![key, value])?;
    Ok(())
}
