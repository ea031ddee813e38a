-- 0003_identity.sql - users, browser sessions, API tokens, sign-in failures
-- and the append-only, hash-chained audit trail.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('viewer','architect','auditor','admin')),
    password_hash TEXT NOT NULL,              -- libsodium crypto_pwhash_str (Argon2id)
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- Only the SHA-256 of a session secret is stored. Times are Unix seconds.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created     INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    expires     INTEGER NOT NULL              -- absolute expiry
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,               -- first characters, to recognise it
    token_hash   TEXT NOT NULL UNIQUE,        -- SHA-256 of the secret, hex
    role         TEXT NOT NULL CHECK (role IN ('viewer','architect','auditor','admin')),
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT,
    UNIQUE (user_id, name)
);

CREATE TABLE sign_in_failures (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,
    address TEXT NOT NULL,
    at      INTEGER NOT NULL                   -- Unix seconds
);
CREATE INDEX sign_in_failures_name ON sign_in_failures(name, at);
CREATE INDEX sign_in_failures_address ON sign_in_failures(address, at);

-- hash = SHA-256(prev_hash || canonical JSON of the event); see core/audit.h.
CREATE TABLE audit_events (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id INTEGER,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_events(entity, entity_id);
CREATE INDEX audit_at ON audit_events(at);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
