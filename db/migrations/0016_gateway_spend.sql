-- 0016_gateway_spend.sql - what an AI gateway's spend logs show (issue 16,
-- kind `litellm-spend`): each workload's spend per month as the gateway
-- priced its requests, kept apart from the bill (actual_spend, FinOps
-- FOCUS) so neither overwrites the other; the `actual` concentration basis
-- takes the bill where there is one and the gateway's figure otherwise.
CREATE TABLE gateway_spend (
    workload_id  INTEGER NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
    month        TEXT NOT NULL,
    currency     TEXT NOT NULL,
    spend_micros INTEGER NOT NULL,
    requests     INTEGER NOT NULL,
    import_id    INTEGER NOT NULL REFERENCES imports(id),
    observed_at  TEXT NOT NULL,
    PRIMARY KEY (workload_id, month, currency)
);
