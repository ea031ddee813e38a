-- 0010_history.sql - the portfolio over time (issue 19 items 1, 3, 4):
-- one row of figures per day and scope ('all' or a track), the reviews
-- that mark a leadership review's date, and the per-user secret calendar
-- feeds (only the SHA-256 of a feed's secret is stored, as for API tokens).

-- figures: compact JSON written by core/history.c (history_figures_json);
-- source: 'observed' (taken that day from the live portfolio) or
-- 'rebuilt' (recomputed later from the audit trail).
CREATE TABLE portfolio_history (
    day      TEXT NOT NULL,
    scope    TEXT NOT NULL CHECK (scope IN ('all','copilot','azure','openai','other')),
    source   TEXT NOT NULL CHECK (source IN ('observed','rebuilt')),
    figures  TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    PRIMARY KEY (scope, day)
);

CREATE TABLE reviews (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    held_on    TEXT NOT NULL,
    notes      TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX reviews_held_on ON reviews(held_on, id);

CREATE TABLE calendar_feeds (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    track       TEXT,
    prefix      TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX calendar_feeds_user ON calendar_feeds(user_id);
