-- 0015_users_unknown_finding_version.sql (PostgreSQL 15) - a workload's number of
-- users may be unknown: NULL, which is not 0. As
-- db/migrations/0015_users_unknown_finding_version.sql; PostgreSQL drops the NOT
-- NULL and the default in place (the CHECK users >= 0 passes NULL).
-- Existing rows keep their values.
ALTER TABLE workloads ALTER COLUMN users DROP NOT NULL;
ALTER TABLE workloads ALTER COLUMN users DROP DEFAULT;

-- A finding's action gets a version, one more with each change, so that
-- PATCH /api/v1/findings/{key} can honour If-Match (412 when it moved).
ALTER TABLE finding_actions ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
