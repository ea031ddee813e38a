-- 0008_ai_act.sql - the EU AI Act deployer register on each workload
-- (Regulation (EU) 2024/1689 Art. 26 and 27, Annex III): the Annex III
-- area, the AI system's provider, its intended purpose, log retention,
-- the fundamental-rights impact assessment's status (its day stays in
-- impact_assessment), when affected persons were informed, and who reports
-- serious incidents. The API checks the enumerations.
ALTER TABLE workloads ADD COLUMN annex_iii_area TEXT;
ALTER TABLE workloads ADD COLUMN ai_system_provider_id INTEGER
    REFERENCES vendors(id) ON DELETE RESTRICT;
ALTER TABLE workloads ADD COLUMN intended_purpose TEXT NOT NULL DEFAULT '';
ALTER TABLE workloads ADD COLUMN log_retention_months INTEGER NOT NULL DEFAULT 0
    CHECK (log_retention_months >= 0);
ALTER TABLE workloads ADD COLUMN fria_status TEXT;
ALTER TABLE workloads ADD COLUMN affected_persons_informed TEXT;
ALTER TABLE workloads ADD COLUMN incident_contact TEXT NOT NULL DEFAULT '';
-- An assessment already on file was done.
UPDATE workloads SET fria_status = 'done' WHERE impact_assessment IS NOT NULL;
CREATE INDEX workloads_ai_system_provider ON workloads(ai_system_provider_id);
