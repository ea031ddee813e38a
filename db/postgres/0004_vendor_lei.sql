-- 0004_vendor_lei.sql (PostgreSQL 15) - a vendor's ISO 17442 Legal Entity
-- Identifier (20 characters, or empty when unknown; the API checks the
-- check digits). As db/migrations/0004_vendor_lei.sql.
ALTER TABLE vendors ADD COLUMN lei TEXT COLLATE "C" NOT NULL DEFAULT ''
    CHECK (lei = '' OR length(lei) = 20);
