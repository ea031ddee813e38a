-- 0016_gateway_spend.sql - what an AI gateway's spend logs show (issue 16,
-- kind `litellm-spend`): each workload's spend per month as the gateway
-- priced its requests, kept apart from the bill (actual_spend, FinOps
-- FOCUS) so neither overwrites the other; the `actual` concentration basis
-- takes the bill where there is one and the gateway's figure otherwise.
CREATE TABLE gateway_spend (
    workload_id  BIGINT NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
    month        TEXT COLLATE "C" NOT NULL,
    currency     TEXT COLLATE "C" NOT NULL,
    spend_micros BIGINT NOT NULL,
    requests     BIGINT NOT NULL,
    import_id    BIGINT NOT NULL REFERENCES imports(id),
    observed_at  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (workload_id, month, currency)
);
-- Writes by anyone (the server, psql) bump the generation and notify (0014).
SELECT switchyard_watch('gateway_spend');
