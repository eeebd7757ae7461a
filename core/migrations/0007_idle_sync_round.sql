-- A sync round with nothing new costs the same whatever the journal holds (issue 12).
--
-- The phone's digest of its journal (`sync::local_digest`: every entry, less its own not yet
-- acknowledged and those the centre refused, with those set aside or acknowledged ahead) is
-- kept in `meta` under `sync_digest` once computed, so that a sync round with nothing new costs
-- the same whatever the journal holds. Whatever it is computed from forgets it when it changes:
-- the journal, the three sync tables and the push watermark. The journal and those tables change
-- only by these statements, so the kept digest is never stale.
CREATE TRIGGER digest_forget_entries_insert AFTER INSERT ON entries
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;
CREATE TRIGGER digest_forget_entries_update AFTER UPDATE ON entries
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;
CREATE TRIGGER digest_forget_entries_delete AFTER DELETE ON entries
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;
CREATE TRIGGER digest_forget_rejected_insert AFTER INSERT ON sync_rejected
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;
CREATE TRIGGER digest_forget_rejected_update AFTER UPDATE ON sync_rejected
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;
CREATE TRIGGER digest_forget_rejected_delete AFTER DELETE ON sync_rejected
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;
CREATE TRIGGER digest_forget_set_aside_insert AFTER INSERT ON sync_set_aside
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;
CREATE TRIGGER digest_forget_set_aside_update AFTER UPDATE ON sync_set_aside
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;
CREATE TRIGGER digest_forget_set_aside_delete AFTER DELETE ON sync_set_aside
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;
CREATE TRIGGER digest_forget_ahead_insert AFTER INSERT ON sync_acknowledged_ahead
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;
CREATE TRIGGER digest_forget_ahead_update AFTER UPDATE ON sync_acknowledged_ahead
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;
CREATE TRIGGER digest_forget_ahead_delete AFTER DELETE ON sync_acknowledged_ahead
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;
CREATE TRIGGER digest_forget_watermark_insert AFTER INSERT ON meta
WHEN NEW.key = 'sync_pushed_through'
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;
CREATE TRIGGER digest_forget_watermark_update AFTER UPDATE ON meta
WHEN NEW.key = 'sync_pushed_through'
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;
CREATE TRIGGER digest_forget_watermark_delete AFTER DELETE ON meta
WHEN OLD.key = 'sync_pushed_through'
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;
