-- 0001_catalogue.sql - vendors, offerings, contracts, workloads.
-- IDs use AUTOINCREMENT so a deleted record's ID is never given to a new one:
-- the audit trail names records by ID.
-- Portable SQL: plain types, CHECK constraints and foreign keys that
-- PostgreSQL accepts as written (INTEGER PRIMARY KEY becomes an identity
-- column there). Enumerations are stored as their API strings.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE vendors (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    parent_id   INTEGER REFERENCES vendors(id) ON DELETE RESTRICT,
    website     TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX vendors_parent ON vendors(parent_id);

-- Closely connected vendors (DORA Art. 29); one row per pair, a < b.
CREATE TABLE vendor_connections (
    vendor_a INTEGER NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
    vendor_b INTEGER NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
    reason   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (vendor_a, vendor_b),
    CHECK (vendor_a < vendor_b)
);
CREATE INDEX vendor_connections_b ON vendor_connections(vendor_b);

CREATE TABLE offerings (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL UNIQUE,
    provider_id  INTEGER NOT NULL REFERENCES vendors(id) ON DELETE RESTRICT,
    publisher_id INTEGER REFERENCES vendors(id) ON DELETE RESTRICT,
    host_id      INTEGER REFERENCES vendors(id) ON DELETE RESTRICT,
    track        TEXT NOT NULL CHECK (track IN ('copilot','azure','openai','other')),
    category     TEXT NOT NULL CHECK (category IN ('model_api','assistant','platform','data_store','identity','tooling')),
    interface    TEXT NOT NULL CHECK (interface IN ('openai_compatible','open_standard','proprietary')),
    open_weight  INTEGER NOT NULL DEFAULT 0 CHECK (open_weight IN (0,1)),
    description  TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX offerings_provider ON offerings(provider_id);
CREATE INDEX offerings_publisher ON offerings(publisher_id);
CREATE INDEX offerings_host ON offerings(host_id);

CREATE TABLE contracts (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL CHECK (kind IN ('customer','upstream')),
    counterparty_id  INTEGER NOT NULL REFERENCES vendors(id) ON DELETE RESTRICT,
    other_party_id   INTEGER REFERENCES vendors(id) ON DELETE RESTRICT,
    start_date       TEXT NOT NULL,
    end_date         TEXT,
    notice_days      INTEGER NOT NULL DEFAULT 0 CHECK (notice_days >= 0),
    auto_renew       INTEGER NOT NULL DEFAULT 0 CHECK (auto_renew IN (0,1)),
    renewal_months   INTEGER NOT NULL DEFAULT 0 CHECK (renewal_months >= 0),
    annual_value     INTEGER NOT NULL DEFAULT 0 CHECK (annual_value >= 0),     -- cents
    currency         TEXT NOT NULL DEFAULT 'USD',
    committed_spend  INTEGER NOT NULL DEFAULT 0 CHECK (committed_spend >= 0), -- cents
    exclusive        INTEGER NOT NULL DEFAULT 0 CHECK (exclusive IN (0,1)),
    exit_clause      TEXT NOT NULL DEFAULT 'none' CHECK (exit_clause IN ('none','partial','full')),
    data_portability INTEGER NOT NULL DEFAULT 0 CHECK (data_portability IN (0,1)),
    substitutability TEXT NOT NULL DEFAULT 'medium' CHECK (substitutability IN ('easy','medium','hard','none')),
    exit_plan        TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX contracts_counterparty ON contracts(counterparty_id);
CREATE INDEX contracts_other_party ON contracts(other_party_id);

CREATE TABLE contract_offerings (
    contract_id INTEGER NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
    offering_id INTEGER NOT NULL REFERENCES offerings(id) ON DELETE RESTRICT,
    position    INTEGER NOT NULL,
    PRIMARY KEY (contract_id, offering_id)
);
CREATE INDEX contract_offerings_offering ON contract_offerings(offering_id);

CREATE TABLE contract_terms (
    contract_id INTEGER NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('cloud_priority','distribution','licence','revenue_share','equity','other')),
    text        TEXT NOT NULL,
    effective   TEXT,
    until       TEXT,
    PRIMARY KEY (contract_id, position)
);

CREATE TABLE workloads (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    name                   TEXT NOT NULL UNIQUE,
    purpose                TEXT NOT NULL DEFAULT '',
    owner                  TEXT NOT NULL DEFAULT '',
    team                   TEXT NOT NULL DEFAULT '',
    track                  TEXT NOT NULL CHECK (track IN ('copilot','azure','openai','other')),
    status                 TEXT NOT NULL CHECK (status IN ('proposed','pilot','production','retired')),
    criticality            TEXT NOT NULL CHECK (criticality IN ('low','medium','high','critical')),
    data_classification    TEXT NOT NULL DEFAULT 'internal' CHECK (data_classification IN ('public','internal','confidential','restricted')),
    users                  INTEGER NOT NULL DEFAULT 0 CHECK (users >= 0),
    monthly_spend          INTEGER NOT NULL DEFAULT 0 CHECK (monthly_spend >= 0), -- cents
    planned_end            TEXT,
    ai_act_tier            TEXT NOT NULL DEFAULT 'minimal' CHECK (ai_act_tier IN ('minimal','limited','high','unacceptable')),
    swap_layer             INTEGER NOT NULL DEFAULT 0 CHECK (swap_layer IN (0,1)),
    second_model_validated INTEGER NOT NULL DEFAULT 0 CHECK (second_model_validated IN (0,1)),
    notes                  TEXT NOT NULL DEFAULT '',
    version                INTEGER NOT NULL DEFAULT 1,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
);
CREATE INDEX workloads_track ON workloads(track);
CREATE INDEX workloads_status ON workloads(status);

CREATE TABLE workload_dependencies (
    workload_id INTEGER NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
    offering_id INTEGER NOT NULL REFERENCES offerings(id) ON DELETE RESTRICT,
    role        TEXT NOT NULL CHECK (role IN ('model','hosting','assistant','data','identity','tooling')),
    position    INTEGER NOT NULL,
    PRIMARY KEY (workload_id, offering_id, role)
);
CREATE INDEX workload_dependencies_offering ON workload_dependencies(offering_id);

-- Proprietary features a workload relies on (e.g. "Microsoft Graph grounding").
CREATE TABLE workload_features (
    workload_id INTEGER NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    feature     TEXT NOT NULL,
    PRIMARY KEY (workload_id, position)
);
