-- 0007_oidc.sql - single sign-on: a user provisioned by OpenID Connect
-- carries the provider's subject ("sub"), by which later sign-ins find it
-- (never by name, which a provider may let its users change). NULL for
-- local users. Such users get an unusable password hash.
ALTER TABLE users ADD COLUMN sso_subject TEXT;
CREATE UNIQUE INDEX users_sso_subject ON users(sso_subject);
