-- 0002_risk.sql - risk model weights and saved what-if scenarios.

-- Points per lock-in factor (shared domain.md); an admin may change them.
CREATE TABLE risk_weights (
    code   TEXT PRIMARY KEY,
    points INTEGER NOT NULL CHECK (points BETWEEN 0 AND 100)
);
INSERT INTO risk_weights(code, points) VALUES
    ('single_group_stack', 25),
    ('no_swap_layer', 20),
    ('proprietary_interface', 15),
    ('contract_lock', 15),
    ('no_validated_alternative', 10),
    ('horizon', 10),
    ('data_gravity', 5);

CREATE TABLE scenarios (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    owner       TEXT NOT NULL DEFAULT '',
    changes     TEXT NOT NULL,            -- JSON array, validated by the API
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
