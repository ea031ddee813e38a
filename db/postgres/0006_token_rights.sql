-- 0006_token_rights.sql (PostgreSQL 15) - what an API token may do beyond
-- its role, and the token that created it. As
-- db/migrations/0006_token_rights.sql.
ALTER TABLE api_tokens ADD COLUMN may_create_tokens INTEGER NOT NULL DEFAULT 0
    CHECK (may_create_tokens IN (0,1));
ALTER TABLE api_tokens ADD COLUMN parent_id BIGINT;
CREATE INDEX api_tokens_parent ON api_tokens(parent_id);
CREATE INDEX sign_in_failures_pair ON sign_in_failures(name, address, at);
