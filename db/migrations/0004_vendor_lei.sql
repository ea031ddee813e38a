-- 0004_vendor_lei.sql - a vendor's ISO 17442 Legal Entity Identifier
-- (20 characters, or empty when unknown; the API checks the check digits).
ALTER TABLE vendors ADD COLUMN lei TEXT NOT NULL DEFAULT ''
    CHECK (lei = '' OR length(lei) = 20);
