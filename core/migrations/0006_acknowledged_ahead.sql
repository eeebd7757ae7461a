-- Own entries a centre from before the time bounds acknowledged although they were stamped
-- beyond every centre's clock (years ahead). The push watermark never moves past them (what is
-- recorded after them with a right clock lies below them and must still be sent); they are
-- listed here instead, so that they are neither sent again nor counted as pending, and the
-- digest counts them as held by the centre.

CREATE TABLE sync_acknowledged_ahead (
    entry_id TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;
