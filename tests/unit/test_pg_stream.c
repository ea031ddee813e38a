/* test_pg_stream.c - dstmt_stream (store/driver.h): a large read inside a
 * transaction handed over one row at a time (PostgreSQL single-row mode,
 * as the snapshot's loads use it, store/portfolio.c): every row in order
 * with its values and NULLs, the end repeated (PostgreSQL), a reset part-way through
 * leaving the connection usable at once, an error part-way through
 * failing the step (no end invented after it), outside a transaction the
 * statement runs as usual, and on SQLite the call changes nothing.
 *
 * The PostgreSQL part runs only when SWITCHYARD_TEST_PG holds a server URL
 * (ctest sets it to the throwaway cluster); it works in a database of its
 * own, created from that URL and dropped at the end. */
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

#include "common/log.h"
#include "store/driver.h"

#ifdef SY_WITH_POSTGRES
#include <libpq-fe.h>
#endif

#define ROWS 3000

static void exec_ok(dconn *c, const char *sql)
{
    if (dconn_exec(c, sql) != 0)
        fail_msg("%s: %s", sql, dconn_errmsg(c));
}

static dstmt *prep(dconn *c, const char *sql)
{
    dstmt *s = dconn_prepare(c, sql);
    if (!s)
        fail_msg("prepare %s: %s", sql, dconn_errmsg(c));
    return s;
}

/* ROWS rows (id 1..ROWS, v 'v<id>', every 7th v NULL) in table st_rows. */
static void fill(dconn *c)
{
    exec_ok(c, "CREATE TABLE st_rows (id BIGINT PRIMARY KEY, v TEXT)");
    dstmt *ins = prep(c, "INSERT INTO st_rows(id, v) VALUES (?1, ?2)");
    exec_ok(c, "BEGIN");
    for (int i = 1; i <= ROWS; i++) {
        char v[16];
        snprintf(v, sizeof v, "v%d", i);
        assert_int_equal(dstmt_bind_i64(ins, 1, i), 0);
        assert_int_equal(i % 7 ? dstmt_bind_text(ins, 2, v) : dstmt_bind_null(ins, 2), 0);
        assert_int_equal(dstmt_step(ins), DB_DONE);
        dstmt_reset(ins);
    }
    exec_ok(c, "COMMIT");
}

/* Streams every row of `all` and checks each (on PostgreSQL the end also
 * when stepped again; SQLite would run the statement again). */
static void read_all(dconn *c, dstmt *all)
{
    assert_int_equal(dstmt_stream(all), 0);
    int n = 0;
    while (dstmt_step(all) == DB_ROW) {
        n++;
        assert_int_equal(dstmt_col_i64(all, 0), n);
        char v[16];
        snprintf(v, sizeof v, "v%d", n);
        if (n % 7) {
            size_t len = 0;
            assert_string_equal(dstmt_col_text(all, 1, &len), v);
            assert_int_equal(len, strlen(v));
        } else {
            assert_true(dstmt_col_is_null(all, 1));
        }
    }
    assert_int_equal(n, ROWS);
    if (dconn_engine(c) == DB_POSTGRES)
        assert_int_equal(dstmt_step(all), DB_DONE);
    dstmt_reset(all);
}

static int64_t count(dconn *c, dstmt *cnt)
{
    assert_int_equal(dstmt_step(cnt), DB_ROW);
    int64_t n = dstmt_col_i64(cnt, 0);
    dstmt_reset(cnt);
    (void)c;
    return n;
}

/* What both engines must do the same way. */
static void exercise(dconn *c)
{
    fill(c);
    dstmt *all = prep(c, "SELECT id, v FROM st_rows ORDER BY id");
    dstmt *cnt = prep(c, "SELECT COUNT(*) FROM st_rows");
    read_all(c, all); /* outside a transaction: as usual */
    assert_int_equal(dconn_begin_read(c), 0);
    read_all(c, all);
    /* A reset part-way through: the next statement runs at once. */
    assert_int_equal(dstmt_stream(all), 0);
    for (int i = 1; i <= 5; i++) {
        assert_int_equal(dstmt_step(all), DB_ROW);
        assert_int_equal(dstmt_col_i64(all, 0), i);
    }
    dstmt_reset(all);
    assert_int_equal(count(c, cnt), ROWS);
    read_all(c, all); /* and the statement itself again */
    exec_ok(c, "COMMIT");
}

static void test_sqlite(void **state)
{
    (void)state;
    char path[] = "/tmp/sy_stream_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char msg[256];
    dconn *c = dconn_open(path, msg, sizeof msg);
    assert_non_null(c);
    exercise(c);
    dconn_close(c);
    unlink(path);
}

#ifdef SY_WITH_POSTGRES
static char admin_url[512], url[600], dbname[64];

static int admin(const char *sql)
{
    PGconn *pg = PQconnectdb(admin_url);
    int ok = PQstatus(pg) == CONNECTION_OK;
    if (ok) {
        PGresult *r = PQexec(pg, sql);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
    }
    PQfinish(pg);
    return ok ? 0 : -1;
}

/* The admin URL with its database replaced by dbname (query kept). */
static int own_url(void)
{
    const char *scheme = strstr(admin_url, "://");
    if (!scheme)
        return -1;
    const char *auth = scheme + 3;
    size_t auth_len = strcspn(auth, "/?");
    const char *query = strchr(auth + auth_len, '?');
    int n = snprintf(url, sizeof url, "%.*s/%s%s", (int)(auth - admin_url + (ptrdiff_t)auth_len),
                     admin_url, dbname, query ? query : "");
    return n > 0 && (size_t)n < sizeof url ? 0 : -1;
}

static void test_postgres(void **state)
{
    (void)state;
    const char *env = getenv("SWITCHYARD_TEST_PG");
    if (!env || !*env)
        skip();
    snprintf(admin_url, sizeof admin_url, "%s", env);
    snprintf(dbname, sizeof dbname, "sy_stream_%ld_%ld", (long)getpid(), (long)time(NULL));
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0", dbname);
    assert_int_equal(own_url(), 0);
    assert_int_equal(admin(sql), 0);
    char msg[256];
    dconn *c = dconn_open(url, msg, sizeof msg);
    assert_non_null(c);
    exercise(c);
    /* An error part-way through (division by zero at id 2000): rows come
     * first, then the step fails; the transaction is then aborted. */
    dstmt *bad = prep(c, "SELECT id, 10 / (2000 - id) FROM st_rows ORDER BY id");
    assert_int_equal(dconn_begin_read(c), 0);
    assert_int_equal(dstmt_stream(bad), 0);
    int n = 0;
    db_step rc;
    while ((rc = dstmt_step(bad)) == DB_ROW)
        n++;
    assert_int_equal(rc, DB_FAIL);
    assert_true(n < 2000);
    dstmt_reset(bad);
    exec_ok(c, "ROLLBACK");
    dstmt *cnt = prep(c, "SELECT COUNT(*) FROM st_rows");
    assert_int_equal(count(c, cnt), ROWS); /* the connection still serves */
    dconn_close(c);
    snprintf(sql, sizeof sql, "DROP DATABASE %s", dbname);
    assert_int_equal(admin(sql), 0);
}
#endif

int main(void)
{
    log_set_level(LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite),
#ifdef SY_WITH_POSTGRES
        cmocka_unit_test(test_postgres),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
