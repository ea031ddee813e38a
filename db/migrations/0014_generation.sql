-- 0014_generation.sql - nothing to do on SQLite. On PostgreSQL this
-- migration adds the triggers that move the change counter and notify the
-- instances whoever writes (db/postgres/0014_generation.sql); SQLite's
-- PRAGMA data_version already moves with every other connection's commit,
-- a sqlite3 shell's included. Kept so both engines number their schema
-- versions alike.
SELECT 1;
