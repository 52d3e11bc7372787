-- The outbox is pruned of entries older than LB_OUTBOX_KEEP_DAYS (default
-- 7): every instance's search index has long taken them in. The one row
-- here remembers the newest entry ever pruned, so an instance whose index
-- stopped before it (down for longer than that) knows it missed writes and
-- rebuilds its index from the registry instead of skipping them.
CREATE TABLE outbox_pruned (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    through_id BIGINT NOT NULL,
    at TIMESTAMP NOT NULL
);
