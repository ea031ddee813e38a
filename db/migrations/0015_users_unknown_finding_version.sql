-- 0015_users_unknown_finding_version.sql - a workload's number of users may be
-- unknown: NULL, which is not 0 (issue 13: an empty Users field saved as 0).
-- SQLite cannot drop NOT NULL in place, so the column is renamed, a nullable
-- one added under the old name, the values copied and the old one dropped
-- (its only constraint is its own CHECK; no index or trigger names it).
-- Existing rows keep their values. The new column sits last in the table;
-- the store names every column, so the order does not matter.
ALTER TABLE workloads RENAME COLUMN users TO users_before_0015;
ALTER TABLE workloads ADD COLUMN users INTEGER CHECK (users IS NULL OR users >= 0);
UPDATE workloads SET users = users_before_0015;
ALTER TABLE workloads DROP COLUMN users_before_0015;

-- A finding's action gets a version, one more with each change, so that
-- PATCH /api/v1/findings/{key} can honour If-Match (412 when it moved).
ALTER TABLE finding_actions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
