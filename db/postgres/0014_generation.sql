-- 0014_generation.sql (PostgreSQL 15) - every committed change, whoever
-- makes it (a Switchyard instance, psql, a migration script, a reporting
-- tool), moves the change counter (store_changes, migration 0001) by one
-- per transaction and tells every listening instance on commit
-- (NOTIFY switchyard_changes, payload "VALUE MILLISECONDS": the counter and
-- when the change was noted, for the notification lag). Instances then
-- drop their cached answers, scored snapshot and verified credentials
-- without asking the database on every request (server/store/listen.c).
--
-- switchyard_note_change() bumps the counter once per transaction (later
-- calls return the same value), so the counter stays one exact sequence in
-- commit order: the UPDATE holds store_changes' row lock until commit. The
-- server calls it before COMMIT; deferred triggers call it at COMMIT for
-- writers that do not, which takes the row lock only at the very end, so
-- an outside writer cannot deadlock with the server over it.
--
-- Triggers on every table but the counter itself and sign_in_failures
-- (throttle bookkeeping no cached answer or credential depends on). A
-- change to last-use columns alone (sessions.last_seen,
-- api_tokens.last_used_at), moving them forward, is bookkeeping too and
-- moves nothing. A table
-- created by a later migration joins with SELECT switchyard_watch('name').
-- SQLite needs none of this: PRAGMA data_version sees every writer.

CREATE FUNCTION switchyard_note_change() RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    v BIGINT;
BEGIN
    IF current_setting('switchyard.noted', true) = 'on' THEN
        RETURN current_setting('switchyard.noted_value')::BIGINT;
    END IF;
    UPDATE store_changes SET value = value + 1 WHERE id = 1 RETURNING value INTO v;
    PERFORM set_config('switchyard.noted', 'on', true);
    PERFORM set_config('switchyard.noted_value', v::TEXT, true);
    PERFORM pg_notify('switchyard_changes',
        v::TEXT || ' ' || floor(extract(epoch FROM clock_timestamp()) * 1000)::BIGINT::TEXT);
    RETURN v;
END
$$;

-- The trigger: its arguments name columns whose change alone is
-- bookkeeping, as long as they only move forward (a use recorded); setting
-- one back (a session made to look idle) is a change like any other.
CREATE FUNCTION switchyard_changed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_NARGS > 0
       AND (to_jsonb(OLD) - TG_ARGV) = (to_jsonb(NEW) - TG_ARGV)
       AND NOT EXISTS (SELECT 1 FROM unnest(TG_ARGV) AS c
                       WHERE (to_jsonb(NEW) -> c) < (to_jsonb(OLD) -> c)) THEN
        RETURN NULL;
    END IF;
    PERFORM switchyard_note_change();
    RETURN NULL;
END
$$;

CREATE FUNCTION switchyard_watch(tbl TEXT, VARIADIC bookkeeping TEXT[] DEFAULT '{}')
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    args TEXT := '';
BEGIN
    IF cardinality(bookkeeping) > 0 THEN
        SELECT string_agg(quote_literal(b), ', ') INTO args FROM unnest(bookkeeping) AS b;
    END IF;
    EXECUTE format('CREATE CONSTRAINT TRIGGER switchyard_changed AFTER INSERT OR UPDATE OR DELETE '
                   'ON %I DEFERRABLE INITIALLY DEFERRED FOR EACH ROW '
                   'EXECUTE FUNCTION switchyard_changed(%s)', tbl, args);
    EXECUTE format('CREATE TRIGGER switchyard_truncated AFTER TRUNCATE ON %I '
                   'FOR EACH STATEMENT EXECUTE FUNCTION switchyard_changed()', tbl);
END
$$;

DO $$
DECLARE
    t TEXT;
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
               AND c.relname NOT IN ('store_changes', 'schema_version', 'sign_in_failures')
             ORDER BY c.relname
    LOOP
        IF t = 'sessions' THEN
            PERFORM switchyard_watch(t, 'last_seen');
        ELSIF t = 'api_tokens' THEN
            PERFORM switchyard_watch(t, 'last_used_at');
        ELSE
            PERFORM switchyard_watch(t);
        END IF;
    END LOOP;
END
$$;
