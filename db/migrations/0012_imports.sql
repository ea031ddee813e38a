-- 0012_imports.sql - evidence imports (issue 16): each import of a file
-- (kind, file name, SHA-256, counts, who, when), the provenance of every
-- field an import set (entity, id, field -> source 'import:<id>:<kind>',
-- observed_at), and the monthly actual spend per workload that cost data
-- (FinOps FOCUS) shows, beside the declared monthly spend.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,
    file_name   TEXT NOT NULL DEFAULT '',
    sha256      TEXT NOT NULL,
    rows        INTEGER NOT NULL DEFAULT 0,
    created     INTEGER NOT NULL DEFAULT 0,
    changed     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0,
    summary     TEXT NOT NULL DEFAULT '{}',
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE TABLE provenance (
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    field       TEXT NOT NULL,
    source      TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    import_id   INTEGER REFERENCES imports(id),
    PRIMARY KEY (entity, entity_id, field)
);
CREATE TABLE actual_spend (
    workload_id     INTEGER NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
    month           TEXT NOT NULL,
    currency        TEXT NOT NULL,
    billed_cents    INTEGER NOT NULL,
    effective_cents INTEGER NOT NULL,
    import_id       INTEGER NOT NULL REFERENCES imports(id),
    observed_at     TEXT NOT NULL,
    PRIMARY KEY (workload_id, month, currency)
);
-- A gateway's model group (or tag) confirmed to belong to a workload, so
-- later imports of the same gateway configuration map it without asking.
CREATE TABLE gateway_mappings (
    kind        TEXT NOT NULL,
    key         TEXT NOT NULL,
    workload_id INTEGER NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
    import_id   INTEGER REFERENCES imports(id),
    PRIMARY KEY (kind, key)
);
