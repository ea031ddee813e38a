-- 0007_oidc.sql (PostgreSQL 15) - single sign-on: the provider's subject of
-- a user provisioned by OpenID Connect. As db/migrations/0007_oidc.sql.
ALTER TABLE users ADD COLUMN sso_subject TEXT;
CREATE UNIQUE INDEX users_sso_subject ON users(sso_subject);
