/* test_postgres.c - the PostgreSQL driver (server/store/postgres.c) through
 * driver.h: opening and session settings, ?N -> $N rewriting (literals,
 * quoted identifiers and comments left alone, sparse numbers), NULL binds,
 * RETURNING, constraint errors mapped to db_error, write and read
 * transactions, the writers' advisory lock, the change counter (also on
 * an empty database), the schema version, integrity checks, a COMMIT of a
 * failed transaction, reconnecting after the server ends the session,
 * queued commands and prefetched reads (one pipeline), a lone snapshot
 * read in one round trip (dstmt_prefetch_alone), the PostgreSQL
 * migrations and the append-only audit trail.
 *
 * Runs only when SWITCHYARD_TEST_PG holds a server URL, e.g.
 *   tests/pg/cluster.sh start
 *   SWITCHYARD_TEST_PG=$(tests/pg/cluster.sh url) build/tests/unit/test_postgres
 *   tests/pg/cluster.sh stop
 * and skips otherwise. It works in a database of its own, created from that
 * URL and dropped at the end (the URL's role needs CREATEDB). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/embedded.h"
#include "common/log.h"
#include "store/driver.h"

#ifdef SY_WITH_POSTGRES
#include <libpq-fe.h>
#endif

#ifdef SY_WITH_POSTGRES

typedef struct group {
    char admin_url[512]; /* SWITCHYARD_TEST_PG */
    char url[600];       /* the test's own database */
    char dbname[64];
} group;

static group *G;

/* The URL with its database name replaced by db (query kept). */
static int url_with_db(const char *url, const char *db, char *out, size_t size)
{
    const char *scheme = strstr(url, "://");
    if (!scheme)
        return -1;
    const char *auth = scheme + 3;
    size_t auth_len = strcspn(auth, "/?");
    const char *rest = auth + auth_len;
    const char *query = strchr(rest, '?');
    int n = snprintf(out, size, "%.*s/%s%s", (int)(auth - url + (ptrdiff_t)auth_len), url, db,
                     query ? query : "");
    return n > 0 && (size_t)n < size ? 0 : -1;
}

/* Runs one administrative command on the admin URL with plain libpq (not
 * the driver, which would add its own table there). */
static int admin(const char *sql)
{
    PGconn *pg = PQconnectdb(G->admin_url);
    int ok = PQstatus(pg) == CONNECTION_OK;
    if (ok) {
        PGresult *r = PQexec(pg, sql);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok)
            fprintf(stderr, "admin: %s", PQresultErrorMessage(r));
        PQclear(r);
    } else {
        fprintf(stderr, "admin: %s", PQerrorMessage(pg));
    }
    PQfinish(pg);
    return ok ? 0 : -1;
}

static int group_setup(void **state)
{
    (void)state;
    const char *url = getenv("SWITCHYARD_TEST_PG");
    if (!url || !*url)
        return 0; /* every test skips */
    log_set_level(LOG_ERROR);
    G = calloc(1, sizeof *G);
    if (!G)
        return -1;
    snprintf(G->admin_url, sizeof G->admin_url, "%s", url);
    snprintf(G->dbname, sizeof G->dbname, "sy_test_%ld_%ld", (long)getpid(), (long)time(NULL));
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0", G->dbname);
    if (url_with_db(url, G->dbname, G->url, sizeof G->url) != 0 || admin(sql) != 0) {
        free(G);
        G = NULL;
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    if (!G)
        return 0;
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", G->dbname);
    int rc = admin(sql);
    free(G);
    G = NULL;
    return rc;
}

/* ---- helpers ---------------------------------------------------------------- */

static dconn *open_db(void)
{
    char msg[256] = "";
    dconn *c = dconn_open(G->url, msg, sizeof msg);
    if (!c)
        fail_msg("open: %s", msg);
    return c;
}

#define NEED_PG()                                                              \
    do {                                                                       \
        if (!G)                                                                \
            skip();                                                            \
    } while (0)

static void exec_ok(dconn *c, const char *sql)
{
    if (dconn_exec(c, sql) != 0)
        fail_msg("exec %s: %s", sql, dconn_errmsg(c));
}

static dstmt *prep(dconn *c, const char *sql)
{
    dstmt *s = dconn_prepare(c, sql);
    if (!s)
        fail_msg("prepare %s: %s", sql, dconn_errmsg(c));
    return s;
}

/* Steps a statement that should fail; returns the error. */
static db_error step_fails(dconn *c, dstmt *s)
{
    assert_int_equal(dstmt_step(s), DB_FAIL);
    db_error e = dconn_error(c);
    dstmt_reset(s);
    return e;
}

static int64_t one_i64(dconn *c, const char *sql)
{
    dstmt *s = prep(c, sql);
    assert_int_equal(dstmt_step(s), DB_ROW);
    int64_t v = dstmt_col_i64(s, 0);
    assert_int_equal(dstmt_step(s), DB_DONE);
    dstmt_reset(s);
    return v;
}

/* Applies the db/postgres migrations as the store will: each in a write transaction
 * with the schema version set before COMMIT. Idempotent. */
/* Applies the embedded migrations; returns the newest one's number. */
static int migrate(dconn *c)
{
    int latest = 0;
    for (const embedded_file *f = sy_migrations_pg; f->name; f++) {
        int n = (f->name[0] - '0') * 1000 + (f->name[1] - '0') * 100 + (f->name[2] - '0') * 10 +
                (f->name[3] - '0');
        latest = n > latest ? n : latest;
        assert_int_equal(dconn_begin_write(c), 0);
        int current = dconn_schema_version(c);
        assert_true(current >= 0);
        if (n <= current) {
            exec_ok(c, "ROLLBACK");
            continue;
        }
        if (dconn_exec(c, (const char *)f->data) != 0)
            fail_msg("migration %s: %s", f->name, dconn_errmsg(c));
        assert_int_equal(dconn_set_schema_version(c, n), 0);
        exec_ok(c, "COMMIT");
    }
    return latest;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_open(void **state)
{
    (void)state;
    NEED_PG();
    char msg[256] = "";
    assert_int_equal(dconn_engine_of(G->url), DB_POSTGRES);
    assert_null(dconn_open("postgres://nobody@127.0.0.1:1/none?connect_timeout=2", msg, sizeof msg));
    assert_non_null(strstr(msg, "cannot connect"));

    dconn *c = open_db();
    assert_int_equal(dconn_engine(c), DB_POSTGRES);
    assert_int_equal(dconn_in_transaction(c), 0);
    assert_true(dconn_schema_version(c) >= 0);

    dstmt *s = prep(c, "SELECT current_setting('TimeZone'), current_setting('statement_timeout'), "
                       "current_setting('synchronous_commit'), current_setting('application_name'), "
                       "current_setting('client_encoding')");
    assert_int_equal(dstmt_param_count(s), 0);
    assert_int_equal(dstmt_step(s), DB_ROW);
    assert_string_equal(dstmt_col_text(s, 0, NULL), "UTC");
    assert_string_equal(dstmt_col_text(s, 1, NULL), "15s");
    assert_string_equal(dstmt_col_text(s, 2, NULL), "on");
    assert_string_equal(dstmt_col_text(s, 3, NULL), "switchyard");
    assert_string_equal(dstmt_col_text(s, 4, NULL), "UTF8");
    assert_int_equal(dstmt_step(s), DB_DONE);
    assert_int_equal(dstmt_step(s), DB_DONE);

    /* Before any migration: the change counter reads 0 without failing a
     * statement (which would abort the transaction around it), the quick
     * check accepts the empty database and the full one does not. */
    assert_int_equal(dconn_schema_version(c), 0);
    assert_int_equal(dconn_begin_write(c), 0);
    assert_int_equal(dconn_change_counter(c), 0);
    assert_int_equal(dconn_change_counter(c), 0);
    exec_ok(c, "CREATE TEMPORARY TABLE still_usable(x INTEGER)");
    exec_ok(c, "COMMIT");
    assert_int_equal(dconn_integrity(c, 1, msg, sizeof msg), 0);
    assert_int_equal(dconn_integrity(c, 0, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "schema"));
    dconn_close(c);
    dconn_close(NULL);
}

static void test_rewrite(void **state)
{
    (void)state;
    NEED_PG();
    dconn *c = open_db();
    /* '?1' inside literals (with '' and E'\'' escapes), a quoted identifier
     * and comments stays as written; only the real ?1 and ?2 are parameters. */
    dstmt *s = prep(c, "SELECT '?1' || ?1 || 'it''s ?2' AS \"col?1\", -- ?3 here\n"
                       "E'\\'?4' || ?2 /* ?5 /* nested ?6 */ ?7 */, $$?8$$ || $t$?9$t$");
    assert_int_equal(dstmt_param_count(s), 2);
    assert_int_equal(dstmt_bind_text(s, 1, "a"), 0);
    assert_int_equal(dstmt_bind_text(s, 2, "b"), 0);
    assert_int_equal(dstmt_step(s), DB_ROW);
    size_t len = 0;
    assert_string_equal(dstmt_col_text(s, 0, &len), "?1ait's ?2");
    assert_int_equal(len, 10);
    assert_string_equal(dstmt_col_text(s, 1, NULL), "'?4b");
    assert_string_equal(dstmt_col_text(s, 2, NULL), "?8?9");
    assert_int_equal(dstmt_step(s), DB_DONE);

    /* Numbers out of range, unnumbered and $N parameters are refused. */
    assert_null(dconn_prepare(c, "SELECT ?"));
    assert_null(dconn_prepare(c, "SELECT ?0"));
    assert_null(dconn_prepare(c, "SELECT $1"));
    assert_null(dconn_prepare(c, "SELECT ?70000"));
    assert_int_equal(dconn_error(c), DBE_OTHER);
    /* A syntax error is a failed prepare, not a crash. */
    assert_null(dconn_prepare(c, "SELEKT 1"));

    /* Binding outside the statement's numbers fails. */
    assert_int_equal(dstmt_bind_i64(s, 3, 1), -1);
    assert_int_equal(dstmt_bind_i64(s, 0, 1), -1);
    dconn_close(c);
}

static void test_binds(void **state)
{
    (void)state;
    NEED_PG();
    dconn *c = open_db();
    exec_ok(c, "CREATE TEMP TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
               "name TEXT NOT NULL UNIQUE, n BIGINT, note TEXT, flag INTEGER NOT NULL DEFAULT 0 "
               "CHECK (flag IN (0,1)))");
    dstmt *ins = prep(c, "INSERT INTO t(name, n, note, flag) VALUES (?1, ?2, ?3, ?4) RETURNING id");
    assert_int_equal(dstmt_param_count(ins), 4);

    /* RETURNING id, and int64 extremes round-trip in text format. */
    assert_int_equal(dstmt_bind_text(ins, 1, "alpha"), 0);
    assert_int_equal(dstmt_bind_i64(ins, 2, INT64_MIN), 0);
    assert_int_equal(dstmt_bind_text(ins, 3, "ünïcödé ✓"), 0);
    assert_int_equal(dstmt_bind_i64(ins, 4, 1), 0);
    assert_int_equal(dstmt_step(ins), DB_ROW);
    int64_t id1 = dstmt_col_i64(ins, 0);
    assert_true(id1 > 0);
    assert_int_equal(dstmt_step(ins), DB_DONE);
    assert_int_equal(dstmt_changes(ins), 1);
    /* Binding while a run is in progress is refused; reset clears. */
    assert_int_equal(dstmt_bind_i64(ins, 2, 1), -1);
    dstmt_reset(ins);

    /* NULL through bind_text(NULL) and bind_null; unbound is NULL too. */
    assert_int_equal(dstmt_bind_text(ins, 1, "beta"), 0);
    assert_int_equal(dstmt_bind_null(ins, 2), 0);
    assert_int_equal(dstmt_bind_text(ins, 3, NULL), 0);
    assert_int_equal(dstmt_bind_i64(ins, 4, 0), 0);
    assert_int_equal(dstmt_step(ins), DB_ROW);
    int64_t id2 = dstmt_col_i64(ins, 0);
    assert_int_equal(id2, id1 + 1);
    dstmt_reset(ins);

    dstmt *get = prep(c, "SELECT name, n, note, flag FROM t WHERE id = ?1");
    assert_int_equal(dstmt_bind_i64(get, 1, id1), 0);
    assert_int_equal(dstmt_step(get), DB_ROW);
    assert_int_equal(dstmt_col_i64(get, 1), INT64_MIN);
    assert_string_equal(dstmt_col_text(get, 2, NULL), "ünïcödé ✓");
    assert_int_equal(dstmt_col_i64(get, 3), 1);
    /* A text that is not a number reads as 0 and says why. */
    assert_int_equal(dstmt_col_i64(get, 0), 0);
    assert_int_equal(dconn_error(c), DBE_OTHER);
    /* Outside the row's columns: NULL. */
    assert_true(dstmt_col_is_null(get, 9));
    assert_null(dstmt_col_text(get, -1, NULL));
    assert_int_equal(dstmt_step(get), DB_DONE);
    dstmt_reset(get);
    assert_int_equal(dstmt_bind_i64(get, 1, id2), 0);
    assert_int_equal(dstmt_step(get), DB_ROW);
    assert_true(dstmt_col_is_null(get, 1));
    assert_true(dstmt_col_is_null(get, 2));
    size_t len = 99;
    assert_null(dstmt_col_text(get, 2, &len));
    assert_int_equal(len, 0);
    assert_int_equal(dstmt_col_i64(get, 1), 0);
    assert_false(dstmt_col_is_null(get, 0));
    dstmt_reset(get);

    /* Sparse numbers: ?3 and ?4 appear nowhere; the statement still has
     * four parameters and binding the gaps is harmless. The list statements
     * of the store work this way. */
    dstmt *sparse = prep(c, "SELECT COUNT(*) FROM t WHERE (name = ?1 OR ?1 IS NULL) AND "
                            "(n IS NULL OR n < ?2) AND flag = ?5");
    assert_int_equal(dstmt_param_count(sparse), 5);
    assert_int_equal(dstmt_bind_text(sparse, 1, NULL), 0);
    assert_int_equal(dstmt_bind_i64(sparse, 2, 0), 0);
    assert_int_equal(dstmt_bind_i64(sparse, 3, 123), 0);
    assert_int_equal(dstmt_bind_text(sparse, 4, "ignored"), 0);
    assert_int_equal(dstmt_bind_i64(sparse, 5, 0), 0);
    assert_int_equal(dstmt_step(sparse), DB_ROW);
    assert_int_equal(dstmt_col_i64(sparse, 0), 1); /* beta */
    dstmt_reset(sparse);

    /* UPDATE and DELETE without RETURNING: DB_DONE and the row count. */
    dstmt *upd = prep(c, "UPDATE t SET note = ?2 WHERE id >= ?1");
    assert_int_equal(dstmt_bind_i64(upd, 1, id1), 0);
    assert_int_equal(dstmt_bind_text(upd, 2, "x"), 0);
    assert_int_equal(dstmt_step(upd), DB_DONE);
    assert_int_equal(dstmt_changes(upd), 2);
    dstmt_reset(upd);
    assert_int_equal(dstmt_changes(upd), 0);
    dstmt *del = prep(c, "DELETE FROM t WHERE id = ?1");
    assert_int_equal(dstmt_bind_i64(del, 1, -5), 0);
    assert_int_equal(dstmt_step(del), DB_DONE);
    assert_int_equal(dstmt_changes(del), 0);
    dconn_close(c);
}

static void test_errors(void **state)
{
    (void)state;
    NEED_PG();
    dconn *c = open_db();
    exec_ok(c, "CREATE TEMP TABLE p (id BIGINT PRIMARY KEY, name TEXT UNIQUE, "
               "flag INTEGER NOT NULL CHECK (flag IN (0,1)));"
               "CREATE TEMP TABLE ch (id BIGINT PRIMARY KEY, "
               "p_id BIGINT NOT NULL REFERENCES p(id) ON DELETE RESTRICT)");
    dstmt *ins = prep(c, "INSERT INTO p(id, name, flag) VALUES (?1, ?2, ?3)");
    assert_int_equal(dstmt_bind_i64(ins, 1, 1), 0);
    assert_int_equal(dstmt_bind_text(ins, 2, "one"), 0);
    assert_int_equal(dstmt_bind_i64(ins, 3, 0), 0);
    assert_int_equal(dstmt_step(ins), DB_DONE);
    dstmt_reset(ins);

    /* unique */
    assert_int_equal(dstmt_bind_i64(ins, 1, 2), 0);
    assert_int_equal(dstmt_bind_text(ins, 2, "one"), 0);
    assert_int_equal(dstmt_bind_i64(ins, 3, 0), 0);
    assert_int_equal(step_fails(c, ins), DBE_UNIQUE);
    assert_non_null(strstr(dconn_errmsg(c), "23505"));
    /* A failed statement stays failed until reset. */
    /* check and not null */
    assert_int_equal(dstmt_bind_i64(ins, 1, 3), 0);
    assert_int_equal(dstmt_bind_text(ins, 2, "three"), 0);
    assert_int_equal(dstmt_bind_i64(ins, 3, 7), 0);
    assert_int_equal(step_fails(c, ins), DBE_CONSTRAINT);
    assert_int_equal(dstmt_bind_i64(ins, 1, 3), 0);
    assert_int_equal(step_fails(c, ins), DBE_CONSTRAINT); /* flag NULL */

    /* foreign key, on insert and on delete */
    dstmt *child = prep(c, "INSERT INTO ch(id, p_id) VALUES (?1, ?2)");
    assert_int_equal(dstmt_bind_i64(child, 1, 1), 0);
    assert_int_equal(dstmt_bind_i64(child, 2, 42), 0);
    assert_int_equal(step_fails(c, child), DBE_FOREIGN_KEY);
    assert_int_equal(dstmt_bind_i64(child, 1, 1), 0);
    assert_int_equal(dstmt_bind_i64(child, 2, 1), 0);
    assert_int_equal(dstmt_step(child), DB_DONE);
    exec_ok(c, "SELECT 1");
    assert_int_equal(dconn_exec(c, "DELETE FROM p WHERE id = 1"), -1);
    assert_int_equal(dconn_error(c), DBE_FOREIGN_KEY);

    /* a bad value for an integer parameter, and a failed step twice */
    dstmt *bad = prep(c, "SELECT id FROM p WHERE id = ?1");
    assert_int_equal(dstmt_bind_text(bad, 1, "not a number"), 0);
    assert_int_equal(dstmt_step(bad), DB_FAIL);
    assert_int_equal(dconn_error(c), DBE_OTHER);
    assert_int_equal(dstmt_step(bad), DB_FAIL);
    dstmt_reset(bad);
    assert_int_equal(dstmt_bind_text(bad, 1, "1"), 0);
    assert_int_equal(dstmt_step(bad), DB_ROW);
    dconn_close(c);
}

static void test_transactions(void **state)
{
    (void)state;
    NEED_PG();
    dconn *c = open_db();
    dconn *other = open_db();
    exec_ok(c, "CREATE TABLE IF NOT EXISTS tx (id BIGINT PRIMARY KEY, v TEXT NOT NULL)");
    exec_ok(c, "TRUNCATE tx");

    /* A write transaction holds the writers' advisory lock until COMMIT:
     * another connection cannot take it meanwhile. */
    assert_int_equal(dconn_begin_write(c), 0);
    assert_int_equal(dconn_in_transaction(c), 1);
    assert_int_equal(dconn_begin_write(c), -1); /* no nesting */
    dstmt *try_lock = prep(other, "SELECT pg_try_advisory_xact_lock(6005349254376741188)");
    assert_int_equal(dstmt_step(try_lock), DB_ROW);
    assert_int_equal(dstmt_col_i64(try_lock, 0), 0); /* a boolean reads as 0/1 */
    dstmt_reset(try_lock);
    exec_ok(c, "INSERT INTO tx VALUES (1, 'a')");
    assert_int_equal(one_i64(other, "SELECT COUNT(*) FROM tx"), 0); /* not yet committed */
    exec_ok(c, "COMMIT");
    assert_int_equal(dconn_in_transaction(c), 0);
    assert_int_equal(dstmt_step(try_lock), DB_ROW);
    assert_int_equal(dstmt_col_i64(try_lock, 0), 1);
    dstmt_reset(try_lock);
    assert_int_equal(one_i64(other, "SELECT COUNT(*) FROM tx"), 1);

    /* ROLLBACK undoes. */
    assert_int_equal(dconn_begin_write(c), 0);
    exec_ok(c, "INSERT INTO tx VALUES (2, 'b')");
    exec_ok(c, "ROLLBACK");
    assert_int_equal(one_i64(c, "SELECT COUNT(*) FROM tx"), 1);

    /* A statement failing inside a transaction aborts it: COMMIT reports
     * the failure instead of pretending to have committed. */
    assert_int_equal(dconn_begin_write(c), 0);
    exec_ok(c, "INSERT INTO tx VALUES (3, 'c')");
    assert_int_equal(dconn_exec(c, "INSERT INTO tx VALUES (1, 'dup')"), -1);
    assert_int_equal(dconn_error(c), DBE_UNIQUE);
    assert_int_equal(dconn_in_transaction(c), 1);
    assert_int_equal(dconn_exec(c, "COMMIT"), -1);
    assert_int_equal(dconn_in_transaction(c), 0);
    assert_int_equal(one_i64(c, "SELECT COUNT(*) FROM tx"), 1);

    /* A read transaction sees one snapshot and cannot write. */
    assert_int_equal(dconn_begin_read(c), 0);
    assert_int_equal(one_i64(c, "SELECT COUNT(*) FROM tx"), 1);
    exec_ok(other, "INSERT INTO tx VALUES (4, 'd')");
    assert_int_equal(one_i64(c, "SELECT COUNT(*) FROM tx"), 1);
    assert_int_equal(dconn_exec(c, "INSERT INTO tx VALUES (5, 'e')"), -1);
    exec_ok(c, "ROLLBACK");
    assert_int_equal(one_i64(c, "SELECT COUNT(*) FROM tx"), 2);
    exec_ok(c, "DROP TABLE tx");
    dconn_close(other);
    dconn_close(c);
}

/* Queued commands go out with the next command in one round trip; a
 * queued failure fails that command as DBE_IO (not its own fault) and
 * dconn_queue_failed says so once; a full ROLLBACK drops the queue; a
 * COMMIT carries it; prefetched SELECTs are walked as usual. */
static void test_pipeline(void **state)
{
    (void)state;
    NEED_PG();
    dconn *c = open_db();
    exec_ok(c, "CREATE TABLE IF NOT EXISTS pq (id BIGINT PRIMARY KEY, v TEXT)");
    exec_ok(c, "TRUNCATE pq");
    dstmt *ins = prep(c, "INSERT INTO pq VALUES (?1, ?2)");
    dstmt *get = prep(c, "SELECT v FROM pq WHERE id = ?1");
    dstmt *cnt = prep(c, "SELECT COUNT(*) FROM pq WHERE id <> ?1");
    assert_int_equal(dconn_begin_write(c), 0);
    uint64_t trips = dconn_round_trips(c);
    assert_int_equal(dconn_queue(c, "SAVEPOINT p"), 0);
    for (int i = 1; i <= 3; i++) {
        assert_int_equal(dstmt_bind_i64(ins, 1, i), 0);
        assert_int_equal(dstmt_bind_text(ins, 2, i == 2 ? NULL : "x"), 0);
        assert_int_equal(dstmt_queue(ins), 0); /* copied and reset: bound again at once */
    }
    assert_true(dconn_round_trips(c) == trips); /* nothing sent yet */
    assert_int_equal(dstmt_bind_i64(get, 1, 3), 0);
    assert_int_equal(dstmt_step(get), DB_ROW);
    assert_string_equal(dstmt_col_text(get, 0, NULL), "x");
    dstmt_reset(get);
    assert_true(dconn_round_trips(c) == trips + 1);
    assert_int_equal(dconn_queue_failed(c), 0);
    dstmt *two[] = {get, cnt};
    assert_int_equal(dstmt_bind_i64(get, 1, 1), 0);
    assert_int_equal(dstmt_bind_i64(cnt, 1, 1), 0);
    assert_int_equal(dstmt_prefetch(two, 2), 0);
    assert_true(dconn_round_trips(c) == trips + 2);
    assert_int_equal(dstmt_step(get), DB_ROW);
    assert_string_equal(dstmt_col_text(get, 0, NULL), "x");
    assert_int_equal(dstmt_step(get), DB_DONE);
    assert_int_equal(dstmt_step(cnt), DB_ROW);
    assert_int_equal(dstmt_col_i64(cnt, 0), 2);
    dstmt_reset(get);
    dstmt_reset(cnt);
    assert_int_equal(dstmt_bind_i64(ins, 1, 1), 0); /* a duplicate key */
    assert_int_equal(dstmt_bind_text(ins, 2, "dup"), 0);
    assert_int_equal(dstmt_queue(ins), 0);
    assert_int_equal(dstmt_bind_i64(get, 1, 1), 0);
    assert_int_equal(step_fails(c, get), DBE_IO);
    assert_int_equal(dconn_queue_failed(c), 1);
    assert_int_equal(dconn_queue_failed(c), 0);
    exec_ok(c, "ROLLBACK TO SAVEPOINT p"); /* sent first, so it holds */
    assert_int_equal(one_i64(c, "SELECT COUNT(*) FROM pq"), 0);
    assert_int_equal(dstmt_bind_i64(ins, 1, 9), 0);
    assert_int_equal(dstmt_queue(ins), 0);
    exec_ok(c, "ROLLBACK");
    assert_int_equal(one_i64(c, "SELECT COUNT(*) FROM pq"), 0);
    assert_int_equal(dconn_begin_write(c), 0);
    assert_int_equal(dstmt_bind_i64(ins, 1, 5), 0);
    assert_int_equal(dstmt_queue(ins), 0);
    exec_ok(c, "COMMIT");
    assert_int_equal(one_i64(c, "SELECT COUNT(*) FROM pq"), 1);
    exec_ok(c, "DROP TABLE pq");
    dconn_close(c);
}

/* Reads as one snapshot outside a transaction: BEGIN, the statements and
 * COMMIT in one round trip, none left open after; a failing one fails
 * them all and leaves no transaction behind; inside a transaction: -1. */
static void test_prefetch_alone(void **state)
{
    (void)state;
    NEED_PG();
    dconn *c = open_db();
    exec_ok(c, "CREATE TABLE IF NOT EXISTS pa (id BIGINT PRIMARY KEY, v TEXT)");
    exec_ok(c, "TRUNCATE pa");
    exec_ok(c, "INSERT INTO pa VALUES (1, 'a'), (2, 'b')");
    dstmt *get = prep(c, "SELECT v FROM pa WHERE id = ?1");
    dstmt *div = prep(c, "SELECT 10 / CAST(?1 AS INTEGER)");
    dstmt *two[] = {get, div};
    uint64_t trips = dconn_round_trips(c);
    assert_int_equal(dstmt_bind_i64(get, 1, 2), 0);
    assert_int_equal(dstmt_bind_i64(div, 1, 5), 0);
    assert_int_equal(dstmt_prefetch_alone(two, 2), 1);
    assert_true(dconn_round_trips(c) == trips + 1);
    assert_false(dconn_in_transaction(c));
    assert_int_equal(dstmt_step(get), DB_ROW);
    assert_string_equal(dstmt_col_text(get, 0, NULL), "b");
    assert_int_equal(dstmt_step(get), DB_DONE);
    assert_int_equal(dstmt_step(div), DB_ROW);
    assert_int_equal(dstmt_col_i64(div, 0), 2);
    dstmt_reset(get);
    dstmt_reset(div);
    assert_int_equal(dstmt_bind_i64(get, 1, 1), 0);
    assert_int_equal(dstmt_bind_i64(div, 1, 0), 0); /* division by zero */
    assert_int_equal(dstmt_prefetch_alone(two, 2), -1);
    assert_false(dconn_in_transaction(c));
    assert_int_equal(one_i64(c, "SELECT COUNT(*) FROM pa"), 2);
    assert_int_equal(dconn_begin_read(c), 0);
    assert_int_equal(dstmt_bind_i64(get, 1, 1), 0);
    assert_int_equal(dstmt_prefetch_alone(two, 1), -1);
    dstmt_reset(get);
    exec_ok(c, "COMMIT");
    exec_ok(c, "DROP TABLE pa");
    dconn_close(c);
}

static void test_migrations_and_audit(void **state)
{
    (void)state;
    NEED_PG();
    dconn *c = open_db();
    int latest = migrate(c);
    assert_true(latest >= 3);
    assert_int_equal(dconn_schema_version(c), latest);
    migrate(c); /* nothing left to apply */
    assert_int_equal(dconn_schema_version(c), latest);

    /* The version moves with its transaction. */
    assert_int_equal(dconn_begin_write(c), 0);
    assert_int_equal(dconn_set_schema_version(c, 99), 0);
    assert_int_equal(dconn_schema_version(c), 99);
    exec_ok(c, "ROLLBACK");
    assert_int_equal(dconn_schema_version(c), latest);

    char msg[256];
    assert_int_equal(dconn_integrity(c, 1, msg, sizeof msg), 0);
    assert_string_equal(msg, "ok");
    assert_int_equal(dconn_integrity(c, 0, msg, sizeof msg), 0);
    assert_string_equal(msg, "ok");
    /* Now the counter table exists; a new connection finds it. */
    dconn *later = open_db();
    assert_true(dconn_change_counter(later) >= 0);
    dconn_close(later);
    assert_int_equal(dconn_backup(c, "/tmp/never.db", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "pg_dump"));
    assert_int_equal(access("/tmp/never.db", F_OK), -1);

    /* The seeded risk weights are there. */
    assert_int_equal(one_i64(c, "SELECT SUM(points) FROM risk_weights"), 100);

    /* Audit events: inserts only. */
    assert_int_equal(dconn_begin_write(c), 0);
    dstmt *ins = prep(c, "INSERT INTO audit_events(seq, at, actor, action, entity, entity_id, "
                         "before, after, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                         "?9, ?10)");
    int64_t seq = one_i64(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_events");
    assert_int_equal(dstmt_bind_i64(ins, 1, seq), 0);
    assert_int_equal(dstmt_bind_text(ins, 2, "2026-11-28T10:00:00Z"), 0);
    assert_int_equal(dstmt_bind_text(ins, 3, "test"), 0);
    assert_int_equal(dstmt_bind_text(ins, 4, "create"), 0);
    assert_int_equal(dstmt_bind_text(ins, 5, "vendor"), 0);
    assert_int_equal(dstmt_bind_null(ins, 6), 0);
    assert_int_equal(dstmt_bind_null(ins, 7), 0);
    assert_int_equal(dstmt_bind_text(ins, 8, "{}"), 0);
    assert_int_equal(dstmt_bind_text(ins, 9, "0"), 0);
    assert_int_equal(dstmt_bind_text(ins, 10, "1"), 0);
    assert_int_equal(dstmt_step(ins), DB_DONE);
    exec_ok(c, "COMMIT");

    dstmt *upd = prep(c, "UPDATE audit_events SET actor = ?2 WHERE seq = ?1");
    assert_int_equal(dstmt_bind_i64(upd, 1, seq), 0);
    assert_int_equal(dstmt_bind_text(upd, 2, "mallory"), 0);
    assert_int_equal(step_fails(c, upd), DBE_CONSTRAINT);
    assert_non_null(strstr(dconn_errmsg(c), "append-only"));
    assert_int_equal(dconn_exec(c, "DELETE FROM audit_events"), -1);
    assert_int_equal(dconn_error(c), DBE_CONSTRAINT);
    assert_int_equal(dconn_exec(c, "TRUNCATE audit_events"), -1);
    assert_int_equal(dconn_error(c), DBE_CONSTRAINT);
    assert_int_equal(one_i64(c, "SELECT COUNT(*) FROM audit_events WHERE actor = 'test'"), 1);

    /* A foreign key of the real schema, and its unique names. */
    exec_ok(c, "INSERT INTO vendors(name, created_at, updated_at) VALUES ('V', 'x', 'x')");
    assert_int_equal(dconn_exec(c, "INSERT INTO vendors(name, created_at, updated_at) "
                                   "VALUES ('V', 'x', 'x')"), -1);
    assert_int_equal(dconn_error(c), DBE_UNIQUE);
    assert_int_equal(dconn_exec(c, "INSERT INTO offerings(name, provider_id, track, category, "
                                   "interface, created_at, updated_at) VALUES ('O', 999999, "
                                   "'azure', 'model_api', 'proprietary', 'x', 'x')"), -1);
    assert_int_equal(dconn_error(c), DBE_FOREIGN_KEY);
    /* Text compares byte by byte, as in SQLite: 'Z' < 'a'. */
    exec_ok(c, "INSERT INTO vendors(name, created_at, updated_at) VALUES ('a', 'x', 'x'), "
               "('Z', 'x', 'x')");
    dstmt *names = prep(c, "SELECT name FROM vendors WHERE name IN ('a', 'Z') ORDER BY name");
    assert_int_equal(dstmt_step(names), DB_ROW);
    assert_string_equal(dstmt_col_text(names, 0, NULL), "Z");
    dconn_close(c);
}

static void test_change_counter(void **state)
{
    (void)state;
    NEED_PG();
    dconn *c = open_db();
    dconn *other = open_db();
    migrate(c);
    int64_t before = dconn_change_counter(other);
    assert_true(before >= 0);

    /* A write that notes its change moves the counter for everyone, once
     * it commits. */
    int64_t value = -1;
    assert_int_equal(dconn_begin_write(c), 0);
    assert_int_equal(dconn_note_change(c, &value), 0);
    assert_int_equal(value, before + 1);
    assert_int_equal(dconn_change_counter(other), before);
    exec_ok(c, "COMMIT");
    assert_int_equal(dconn_change_counter(other), before + 1);
    assert_int_equal(dconn_change_counter(c), before + 1);

    /* A rolled-back one does not. */
    assert_int_equal(dconn_begin_write(c), 0);
    assert_int_equal(dconn_note_change(c, &value), 0);
    assert_int_equal(value, before + 2);
    exec_ok(c, "ROLLBACK");
    assert_int_equal(dconn_change_counter(other), before + 1);
    dconn_close(other);
    dconn_close(c);
}

/* The server ends the session (as on a restart): the statement that finds
 * out fails with DBE_IO, the next one reconnects and prepared statements
 * are prepared again. Inside a transaction the loss is reported until the
 * caller rolls back. */
/* Ends c's session from another connection (kill, its statement taking the
 * backend's pid) and waits until it is gone. */
static void kill_session(dconn *c, dstmt *pid, dstmt *kill)
{
    assert_int_equal(dstmt_bind_i64(pid, 1, 7), 0);
    assert_int_equal(dstmt_step(pid), DB_ROW);
    int64_t backend = dstmt_col_i64(pid, 0);
    dstmt_reset(pid);
    assert_int_equal(dstmt_bind_i64(kill, 1, backend), 0);
    assert_int_equal(dstmt_step(kill), DB_ROW);
    assert_int_equal(dstmt_col_i64(kill, 0), 1);
    dstmt_reset(kill);
    (void)c;
}

static void test_reconnect(void **state)
{
    (void)state;
    NEED_PG();
    dconn *c = open_db();
    dconn *killer = open_db();
    dstmt *pid = prep(c, "SELECT pg_backend_pid() + ?1 - ?1");
    dstmt *kill = prep(killer, "SELECT pg_terminate_backend(?1::int, 5000)");

    for (int in_txn = 0; in_txn <= 1; in_txn++) {
        assert_int_equal(dstmt_bind_i64(pid, 1, 7), 0);
        assert_int_equal(dstmt_step(pid), DB_ROW);
        int64_t backend = dstmt_col_i64(pid, 0);
        dstmt_reset(pid);
        if (in_txn)
            assert_int_equal(dconn_begin_write(c), 0);
        assert_int_equal(dstmt_bind_i64(kill, 1, backend), 0);
        assert_int_equal(dstmt_step(kill), DB_ROW);
        assert_int_equal(dstmt_col_i64(kill, 0), 1);
        dstmt_reset(kill);

        /* Outside a transaction the read is sent again on a new session
         * (the check below); inside one it fails. */
        assert_int_equal(dstmt_bind_i64(pid, 1, 7), 0);
        if (in_txn) {
            assert_int_equal(step_fails(c, pid), DBE_IO);
            /* Nothing runs outside the lost transaction by accident. */
            assert_int_equal(dconn_in_transaction(c), 1);
            assert_int_equal(dconn_exec(c, "SELECT 1"), -1);
            assert_int_equal(dconn_error(c), DBE_IO);
            assert_null(dconn_prepare(c, "SELECT 2"));
            assert_int_equal(dconn_begin_write(c), -1);
            exec_ok(c, "ROLLBACK");
            assert_int_equal(dconn_in_transaction(c), 0);
        }
        assert_int_equal(dstmt_bind_i64(pid, 1, 7), 0);
        assert_int_equal(dstmt_step(pid), DB_ROW);
        assert_true(dstmt_col_i64(pid, 0) != backend);
        dstmt_reset(pid);
    }

    /* The new session has the driver's settings too. */
    dstmt *tz = prep(c, "SELECT current_setting('TimeZone') || ' ' || "
                        "current_setting('statement_timeout')");
    assert_int_equal(dstmt_step(tz), DB_ROW);
    assert_string_equal(dstmt_col_text(tz, 0, NULL), "UTC 15s");
    dstmt_reset(tz);

    /* COMMIT after losing the transaction fails. */
    assert_int_equal(dstmt_bind_i64(pid, 1, 7), 0);
    assert_int_equal(dstmt_step(pid), DB_ROW);
    int64_t backend = dstmt_col_i64(pid, 0);
    dstmt_reset(pid);
    assert_int_equal(dconn_begin_write(c), 0);
    assert_int_equal(dstmt_bind_i64(kill, 1, backend), 0);
    assert_int_equal(dstmt_step(kill), DB_ROW);
    assert_int_equal(dstmt_col_i64(kill, 0), 1);
    dstmt_reset(kill);
    assert_int_equal(dconn_exec(c, "SELECT 1"), -1);
    assert_int_equal(dconn_exec(c, "COMMIT"), -1);
    assert_int_equal(dconn_error(c), DBE_IO);
    assert_int_equal(dconn_in_transaction(c), 0);
    exec_ok(c, "SELECT 1");

    /* A write in autocommit is never sent twice: it fails once, then the
     * session is new. */
    kill_session(c, pid, kill);
    assert_int_equal(dconn_exec(c, "SET application_name = 'switchyard'"), -1);
    assert_int_equal(dconn_error(c), DBE_IO);
    exec_ok(c, "SET application_name = 'switchyard'");
    /* The BEGIN of a transaction is sent again. */
    kill_session(c, pid, kill);
    assert_int_equal(dconn_begin_write(c), 0);
    exec_ok(c, "ROLLBACK");
    /* An idle session the server ended is found before use: after revive
     * even the autocommit write succeeds at once. */
    kill_session(c, pid, kill);
    assert_int_equal(dconn_revive(c), 0);
    exec_ok(c, "SET application_name = 'switchyard'");
    assert_int_equal(dconn_revive(c), 0); /* nothing to do: still the same session */
    exec_ok(c, "SET application_name = 'switchyard'");
    dconn_close(killer);
    dconn_close(c);
}

#else /* no PostgreSQL support in this build */

static int group_setup(void **state)
{
    (void)state;
    return 0;
}
static int group_teardown(void **state)
{
    (void)state;
    return 0;
}
#define SKIP_TEST(name)                                                        \
    static void name(void **state)                                             \
    {                                                                          \
        (void)state;                                                           \
        skip();                                                                \
    }
SKIP_TEST(test_open)
SKIP_TEST(test_rewrite)
SKIP_TEST(test_binds)
SKIP_TEST(test_errors)
SKIP_TEST(test_transactions)
SKIP_TEST(test_migrations_and_audit)
SKIP_TEST(test_change_counter)
SKIP_TEST(test_reconnect)

#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open),
        cmocka_unit_test(test_rewrite),
        cmocka_unit_test(test_binds),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_transactions),
        cmocka_unit_test(test_pipeline),
        cmocka_unit_test(test_prefetch_alone),
        cmocka_unit_test(test_migrations_and_audit),
        cmocka_unit_test(test_change_counter),
        cmocka_unit_test(test_reconnect),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
