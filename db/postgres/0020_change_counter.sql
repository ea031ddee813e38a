-- 0020_change_counter.sql - nothing to do on PostgreSQL, whose change
-- counter and triggers came with 0001 and 0014. On SQLite this migration
-- adds the same counter (db/migrations/0020_change_counter.sql). Kept so
-- both engines number their schema versions alike.
SELECT 1;
