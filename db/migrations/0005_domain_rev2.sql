-- 0005_domain_rev2.sql - the domain model's revision 2 (shared domain.md):
-- catalogue provenance (source, as_of), vendor kind (self), offering regions
-- and model lifecycle, contract dates (commitment, exclusivity, exit plan
-- tested) and governing law, scoped upstream terms, workload residency and
-- AI Act fields, named alternatives with exit drills, risk acceptances and
-- the leadership role. A validated second model becomes a named, undrilled
-- alternative: each further model dependency of such a workload is recorded
-- as an alternative to its first one.

ALTER TABLE vendors ADD COLUMN kind TEXT NOT NULL DEFAULT 'company'
    CHECK (kind IN ('company','self'));
ALTER TABLE vendors ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE vendors ADD COLUMN as_of TEXT;

ALTER TABLE offerings ADD COLUMN model_version TEXT NOT NULL DEFAULT '';
ALTER TABLE offerings ADD COLUMN released TEXT;
ALTER TABLE offerings ADD COLUMN deprecated TEXT;
ALTER TABLE offerings ADD COLUMN retires TEXT;
ALTER TABLE offerings ADD COLUMN successor_id INTEGER REFERENCES offerings(id) ON DELETE SET NULL;
ALTER TABLE offerings ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE offerings ADD COLUMN as_of TEXT;

CREATE TABLE offering_regions (
    offering_id INTEGER NOT NULL REFERENCES offerings(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    region      TEXT NOT NULL,
    PRIMARY KEY (offering_id, position)
);

ALTER TABLE contracts ADD COLUMN committed_until TEXT;
ALTER TABLE contracts ADD COLUMN exclusive_until TEXT;
ALTER TABLE contracts ADD COLUMN exit_plan_tested TEXT;
ALTER TABLE contracts ADD COLUMN governing_law TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN as_of TEXT;

ALTER TABLE contract_terms ADD COLUMN scope_provider_id INTEGER REFERENCES vendors(id) ON DELETE RESTRICT;
ALTER TABLE contract_terms ADD COLUMN scope_publisher_id INTEGER REFERENCES vendors(id) ON DELETE RESTRICT;
ALTER TABLE contract_terms ADD COLUMN scope_host_id INTEGER REFERENCES vendors(id) ON DELETE RESTRICT;
ALTER TABLE contract_terms ADD COLUMN scope_track TEXT
    CHECK (scope_track IS NULL OR scope_track IN ('copilot','azure','openai','other'));

ALTER TABLE workloads ADD COLUMN oversight_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE workloads ADD COLUMN impact_assessment TEXT;

CREATE TABLE workload_regions (
    workload_id INTEGER NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    region      TEXT NOT NULL,
    PRIMARY KEY (workload_id, position)
);

CREATE TABLE workload_alternatives (
    workload_id   INTEGER NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    dependency_id INTEGER NOT NULL REFERENCES offerings(id) ON DELETE RESTRICT,
    offering_id   INTEGER NOT NULL REFERENCES offerings(id) ON DELETE RESTRICT,
    PRIMARY KEY (workload_id, position)
);
CREATE INDEX workload_alternatives_offering ON workload_alternatives(offering_id);

INSERT INTO workload_alternatives(workload_id, position, dependency_id, offering_id)
SELECT f.workload_id, ROW_NUMBER() OVER (PARTITION BY f.workload_id ORDER BY o.position) - 1,
       f.offering_id, o.offering_id
FROM workloads w
JOIN workload_dependencies f ON f.workload_id = w.id AND f.role = 'model'
    AND f.position = (SELECT MIN(position) FROM workload_dependencies
                      WHERE workload_id = w.id AND role = 'model')
JOIN workload_dependencies o ON o.workload_id = w.id AND o.role = 'model'
    AND o.offering_id <> f.offering_id
WHERE w.second_model_validated = 1;

ALTER TABLE workloads DROP COLUMN second_model_validated;

-- Exit drills: the workload ran on an alternative, with a result.
CREATE TABLE exit_drills (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    workload_id   INTEGER NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
    dependency_id INTEGER NOT NULL REFERENCES offerings(id) ON DELETE RESTRICT,
    offering_id   INTEGER NOT NULL REFERENCES offerings(id) ON DELETE RESTRICT,
    drilled_on    TEXT NOT NULL,
    result        TEXT NOT NULL CHECK (result IN ('passed','failed')),
    evidence      TEXT NOT NULL DEFAULT '',
    recorded_by   TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX exit_drills_workload ON exit_drills(workload_id, drilled_on);

-- Risk acceptances: an owner accepts a workload's lock-in until expires_on.
CREATE TABLE risk_acceptances (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    workload_id INTEGER NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
    owner       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    expires_on  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT,
    revoked_by  TEXT
);
CREATE INDEX risk_acceptances_workload ON risk_acceptances(workload_id);

UPDATE risk_weights SET code = 'no_proven_alternative' WHERE code = 'no_validated_alternative';

-- The seeded OpenAI-Microsoft agreement's terms get the scopes the catalogue
-- now states (seeds/catalogue.json): Microsoft's licence bears on what
-- Microsoft's group sells of OpenAI's models, never on OpenAI's own API.
-- Other upstream terms keep no scope, which means their contract's own
-- offerings, as before; `switchyard seed` refreshes the whole catalogue.
UPDATE contract_terms
SET scope_provider_id = CASE WHEN kind = 'licence'
                             THEN (SELECT id FROM vendors WHERE name = 'Microsoft') END,
    scope_publisher_id = (SELECT id FROM vendors WHERE name = 'OpenAI'),
    scope_host_id = CASE WHEN kind = 'cloud_priority'
                         THEN (SELECT id FROM vendors WHERE name = 'Microsoft') END
WHERE contract_id IN (SELECT id FROM contracts
                      WHERE name = 'OpenAI–Microsoft partnership agreement (amended April 2026)'
                        AND kind = 'upstream')
  AND kind IN ('licence', 'cloud_priority', 'distribution', 'revenue_share')
  AND EXISTS (SELECT 1 FROM vendors WHERE name = 'Microsoft')
  AND EXISTS (SELECT 1 FROM vendors WHERE name = 'OpenAI');

-- The leadership role: SQLite cannot change a CHECK in place, so the users
-- table and the two that refer to it are rebuilt with the same rows and
-- IDs (renaming users_new to users rewrites their references).
CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('viewer','architect','auditor','leadership','admin')),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
INSERT INTO users_new(id, name, role, password_hash, disabled, version, created_at, updated_at)
SELECT id, name, role, password_hash, disabled, version, created_at, updated_at FROM users;
CREATE TABLE sessions_new (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users_new(id) ON DELETE CASCADE,
    created     INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    expires     INTEGER NOT NULL
);
INSERT INTO sessions_new SELECT token_hash, user_id, created, last_seen, expires FROM sessions;
CREATE TABLE api_tokens_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users_new(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    role         TEXT NOT NULL CHECK (role IN ('viewer','architect','auditor','leadership','admin')),
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT,
    UNIQUE (user_id, name)
);
INSERT INTO api_tokens_new(id, user_id, name, prefix, token_hash, role, created_at,
                           last_used_at, expires_at, revoked_at)
SELECT id, user_id, name, prefix, token_hash, role, created_at, last_used_at, expires_at,
       revoked_at FROM api_tokens;
-- Keep the ID counters: a deleted user's or token's ID is never reused.
DELETE FROM sqlite_sequence WHERE name IN ('users_new', 'api_tokens_new');
INSERT INTO sqlite_sequence(name, seq)
SELECT 'users_new', seq FROM sqlite_sequence WHERE name = 'users';
INSERT INTO sqlite_sequence(name, seq)
SELECT 'api_tokens_new', seq FROM sqlite_sequence WHERE name = 'api_tokens';
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
ALTER TABLE sessions_new RENAME TO sessions;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
CREATE INDEX sessions_user ON sessions(user_id);
