-- 0011_webhooks.sql - webhooks (issue 19 item 5): the registered endpoints,
-- the events raised, the durable delivery queue the background worker
-- sends from, and the state it compares the scored portfolio against to
-- notice transitions (flagged, P1) and once-only events (deadlines,
-- expiries, failed drills). Times the worker schedules by are unix seconds.
CREATE TABLE webhooks (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL,
    events        TEXT NOT NULL,                 -- comma-separated event types
    description   TEXT NOT NULL DEFAULT '',
    enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1)),
    secret_sealed TEXT NOT NULL,                 -- the signing secret, encrypted (key dir)
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE webhook_events (
    id         INTEGER PRIMARY KEY,
    event_id   TEXT NOT NULL UNIQUE,             -- "evt_..." as sent
    type       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    body       TEXT NOT NULL                     -- the exact JSON sent
);

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    webhook_id      INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event           INTEGER NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending','delivered','failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    first_at        INTEGER NOT NULL,            -- queued (or replayed): retries end a day later
    next_at         INTEGER NOT NULL,            -- due from
    claimed_until   INTEGER NOT NULL DEFAULT 0,  -- a worker sends it until then
    last_error      TEXT,
    response_code   INTEGER,
    last_attempt_at TEXT,
    delivered_at    TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_at);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, id);

CREATE TABLE webhook_state (
    key   TEXT PRIMARY KEY,                      -- "flagged:12", "deadline:3:2027-01-31", ...
    value INTEGER NOT NULL
);
