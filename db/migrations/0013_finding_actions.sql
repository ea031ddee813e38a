-- 0013_finding_actions.sql - the human side of computed findings: owner,
-- due date, status (open, in_progress, done, wont_do) and a note, kept
-- under the finding's stable key (core/finding_action.h). A key whose rule
-- no longer fires keeps its row, so the action returns with the finding.
CREATE TABLE finding_actions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    key         TEXT NOT NULL UNIQUE,
    owner       TEXT,
    due         TEXT,
    status      TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open','in_progress','done','wont_do')),
    note        TEXT,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
