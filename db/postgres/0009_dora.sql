-- 0009_dora.sql (PostgreSQL 15) - the DORA register of information (issue 17): a contract's
-- arrangement reference number, ICT service type (ITS 2024/2956 Annex III,
-- S01..S19), why it is hard to substitute, reintegration and the impact of
-- discontinuing it; the business function a workload supports, whether that
-- function is critical or important, and its RTO and RPO in hours (-1: not
-- set). The financial entity itself lives in settings (entity_lei, ...).
ALTER TABLE contracts ADD COLUMN reference TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN ict_service_type TEXT COLLATE "C"
    CHECK (ict_service_type IS NULL OR (length(ict_service_type) = 3 AND ict_service_type LIKE 'S%'));
ALTER TABLE contracts ADD COLUMN substitution_reason TEXT COLLATE "C"
    CHECK (substitution_reason IS NULL OR substitution_reason IN ('no_alternatives','migration_difficult','both'));
ALTER TABLE contracts ADD COLUMN reintegration TEXT COLLATE "C"
    CHECK (reintegration IS NULL OR reintegration IN ('easy','difficult','highly_complex'));
ALTER TABLE contracts ADD COLUMN discontinuing_impact TEXT COLLATE "C"
    CHECK (discontinuing_impact IS NULL OR discontinuing_impact IN ('low','medium','high'));

ALTER TABLE workloads ADD COLUMN function_id TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE workloads ADD COLUMN function_name TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE workloads ADD COLUMN function_critical TEXT COLLATE "C"
    CHECK (function_critical IS NULL OR function_critical IN ('yes','no','not_assessed'));
ALTER TABLE workloads ADD COLUMN rto_hours BIGINT NOT NULL DEFAULT -1;
ALTER TABLE workloads ADD COLUMN rpo_hours BIGINT NOT NULL DEFAULT -1;
