-- 0008_ai_act.sql (PostgreSQL 15) - the EU AI Act deployer register on
-- each workload. As db/migrations/0008_ai_act.sql.
ALTER TABLE workloads ADD COLUMN annex_iii_area TEXT COLLATE "C";
ALTER TABLE workloads ADD COLUMN ai_system_provider_id BIGINT
    REFERENCES vendors(id) ON DELETE RESTRICT;
ALTER TABLE workloads ADD COLUMN intended_purpose TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE workloads ADD COLUMN log_retention_months BIGINT NOT NULL DEFAULT 0
    CHECK (log_retention_months >= 0);
ALTER TABLE workloads ADD COLUMN fria_status TEXT COLLATE "C";
ALTER TABLE workloads ADD COLUMN affected_persons_informed TEXT COLLATE "C";
ALTER TABLE workloads ADD COLUMN incident_contact TEXT COLLATE "C" NOT NULL DEFAULT '';
-- An assessment already on file was done.
UPDATE workloads SET fria_status = 'done' WHERE impact_assessment IS NOT NULL;
CREATE INDEX workloads_ai_system_provider ON workloads(ai_system_provider_id);
