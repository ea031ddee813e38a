/* rows.c - the store's shared statement plumbing over driver.h: the
 * per-connection statement cache, mapping driver failures to store_err,
 * and the helpers that run a statement and read its rows (one row, a
 * list page, child rows, an INSERT's new id). */
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/text.h"
#include "store/internal.h"

enum { FIRST_CACHE = 128 };

void err_set(store_err *err, st_code code, const char *pointer, const char *detail)
{
    if (!err)
        return;
    err->code = code;
    copy_str(err->pointer, sizeof err->pointer, pointer ? pointer : "");
    copy_str(err->detail, sizeof err->detail, detail ? detail : "");
}

static int fail_as(db_error cause, const char *log_text, store_err *err, const char *what)
{
    st_code code;
    const char *detail;
    switch (cause) {
    case DBE_BUSY:
        code = ST_BUSY;
        detail = "The database is busy; try again.";
        break;
    case DBE_FULL:
        code = ST_FULL;
        detail = "The database has no space left; the change was not saved.";
        break;
    case DBE_IO:
        code = ST_IO;
        detail = "The database could not be written; the change was not saved.";
        break;
    case DBE_CORRUPT:
        code = ST_CORRUPT;
        detail = "The database is damaged.";
        break;
    case DBE_FOREIGN_KEY:
        code = ST_IN_USE;
        detail = "Other records still refer to this one.";
        break;
    case DBE_INVALID:
        code = ST_INVALID;
        detail = "A value is not valid text (UTF-8).";
        break;
    case DBE_UNIQUE:
    case DBE_CONSTRAINT:
        code = ST_CONFLICT;
        detail = "The change conflicts with existing data.";
        break;
    default:
        code = ST_ERROR;
        detail = "Internal storage error.";
    }
    log_msg(LOG_ERROR, "store: %s: %s", what, log_text);
    err_set(err, code, "", detail);
    return code;
}

int db_fail(sy_db *db, store_err *err, const char *what)
{
    if (!db || !db->conn)
        return fail_as(DBE_OTHER, "no connection", err, what);
    return fail_as(dconn_error(db->conn), dconn_errmsg(db->conn), err, what);
}

int db_fail_nomem(sy_db *db, store_err *err, const char *what)
{
    (void)db;
    return fail_as(DBE_NOMEM, "out of memory", err, what);
}

dstmt *db_stmt(sy_db *db, const char *sql)
{
    for (int i = 0; i < db->cached; i++)
        if (db->cache[i].sql == sql) {
            dstmt *st = db->cache[i].stmt;
            dstmt_reset(st);
            return st;
        }
    if (db->cached == db->cache_cap) {
        int cap = db->cache_cap ? db->cache_cap * 2 : FIRST_CACHE;
        struct stmt_slot *grown = realloc(db->cache, (size_t)cap * sizeof *grown);
        if (!grown) {
            log_msg(LOG_ERROR, "store: statement cache: out of memory");
            return NULL;
        }
        db->cache = grown;
        db->cache_cap = cap;
    }
    dstmt *st = dconn_prepare(db->conn, sql);
    if (!st) {
        log_msg(LOG_ERROR, "store: prepare failed: %s", dconn_errmsg(db->conn));
        return NULL;
    }
    db->cache[db->cached].sql = sql;
    db->cache[db->cached].stmt = st;
    db->cached++;
    return st;
}

const char *col_text(dstmt *st, int col, arena *a)
{
    size_t n;
    const char *t = dstmt_col_text(st, col, &n);
    /* Empty text is common (optional fields): one shared "", not 16 bytes
     * of arena each. */
    return !t ? NULL : n ? arena_strndup(a, t, n) : "";
}

int db_exists(sy_db *db, const char *sql, int64_t id)
{
    dstmt *st = db_stmt(db, sql);
    if (!st)
        return -1;
    bind_i64(st, 1, id);
    db_step rc = dstmt_step(st);
    dstmt_reset(st);
    return rc == DB_FAIL ? -1 : rc == DB_ROW;
}

int db_name_free(sy_db *db, const char *sql, const char *name, int64_t id,
                 const char *taken, store_err *err)
{
    dstmt *st = db_stmt(db, sql);
    if (!st)
        return db_fail(db, err, "name check");
    bind_text(st, 1, name);
    bind_i64(st, 2, id);
    db_step rc = dstmt_step(st);
    dstmt_reset(st);
    if (rc == DB_ROW) {
        err_set(err, ST_CONFLICT, "/name", taken);
        return ST_CONFLICT;
    }
    return rc == DB_DONE ? ST_OK : db_fail(db, err, "name check");
}

int db_get_row(sy_db *db, const char *sql, const char *text, int64_t id, arena *a,
               row_reader read, void *out, const char *missing, store_err *err)
{
    dstmt *st = db_stmt(db, sql);
    if (!st)
        return db_fail(db, err, "get");
    if (text)
        bind_text(st, 1, text);
    else
        bind_i64(st, 1, id);
    db_step rc = dstmt_step(st);
    if (rc == DB_ROW)
        read(st, a, out);
    dstmt_reset(st);
    if (rc == DB_DONE) {
        err_set(err, ST_NOT_FOUND, "", missing);
        return ST_NOT_FOUND;
    }
    return rc == DB_ROW ? ST_OK : db_fail(db, err, "get");
}

int db_find_id(sy_db *db, const char *sql, const char *name, int64_t *id)
{
    dstmt *st = db_stmt(db, sql);
    if (!st)
        return ST_ERROR;
    bind_text(st, 1, name);
    db_step rc = dstmt_step(st);
    if (rc == DB_ROW)
        *id = col_i64(st, 0);
    dstmt_reset(st);
    return rc == DB_ROW ? ST_OK : rc == DB_DONE ? ST_NOT_FOUND : ST_ERROR;
}

int db_check_version(sy_db *db, const char *sql_version, int64_t id, int64_t if_version,
                     int64_t *stored, const char *what, store_err *err)
{
    dstmt *st = db_stmt(db, sql_version);
    if (!st)
        return db_fail(db, err, what);
    bind_i64(st, 1, id);
    db_step rc = dstmt_step(st);
    int64_t version = rc == DB_ROW ? col_i64(st, 0) : 0;
    dstmt_reset(st);
    if (rc == DB_DONE) {
        err_set(err, ST_NOT_FOUND, "", "No such record.");
        return ST_NOT_FOUND;
    }
    if (rc != DB_ROW)
        return db_fail(db, err, what);
    if (if_version > 0 && version != if_version) {
        err_set(err, ST_PRECONDITION, "",
                "The record was changed by someone else since you read it.");
        return ST_PRECONDITION;
    }
    if (stored)
        *stored = version;
    return ST_OK;
}

int db_exec_stmt(sy_db *db, dstmt *st, store_err *err, const char *what)
{
    db_step rc = dstmt_step(st);
    dstmt_reset(st);
    return rc == DB_DONE ? ST_OK : db_fail(db, err, what);
}

int db_insert_id(sy_db *db, dstmt *st, int64_t *id, store_err *err, const char *what)
{
    db_step rc = dstmt_step(st);
    if (rc == DB_ROW)
        *id = col_i64(st, 0);
    dstmt_reset(st);
    if (rc == DB_ROW)
        return ST_OK;
    if (rc == DB_DONE) {
        log_msg(LOG_ERROR, "store: %s: no id returned", what);
        err_set(err, ST_ERROR, "", "Internal storage error.");
        return ST_ERROR;
    }
    return db_fail(db, err, what);
}

char *like_pattern(arena *a, const char *q)
{
    size_t n = strlen(q);
    char *p = arena_alloc(a, n * 2 + 3);
    if (!p)
        return NULL;
    size_t j = 0;
    p[j++] = '%';
    for (size_t i = 0; i < n; i++) {
        if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
            p[j++] = '\\';
        /* ASCII only, as SQLite's lower(); PostgreSQL's would follow the
         * database's locale. */
        p[j++] = q[i] >= 'A' && q[i] <= 'Z' ? (char)(q[i] - 'A' + 'a') : q[i];
    }
    p[j++] = '%';
    p[j] = '\0';
    return p;
}

static void bind_list(dstmt *st, const list_query *q, const char *like)
{
    int params = dstmt_param_count(st);
    /* Unused numbers are simply absent from a statement; binding them would
     * fail, so bind only up to the highest it has. */
#define BIND(i, call) if (params >= (i)) call
    BIND(1, bind_text(st, 1, like));
    BIND(2, bind_text(st, 2, q->sort));
    BIND(3, bind_i64(st, 3, q->limit));
    BIND(4, bind_i64(st, 4, q->offset));
    BIND(5, bind_text(st, 5, q->track));
    BIND(6, bind_text(st, 6, q->status));
    BIND(7, bind_text(st, 7, q->criticality));
    BIND(8, bind_text(st, 8, q->kind));
    BIND(9, bind_id(st, 9, q->vendor));
    BIND(10, bind_id(st, 10, q->offering));
    BIND(11, bind_text(st, 11, q->category));
#undef BIND
}

int db_list(sy_db *db, const char *sql_count, const char *sql_page, const list_query *q,
            arena *a, size_t item_size, row_reader read_row, void **items, size_t *n,
            int64_t *total, store_err *err)
{
    *items = NULL;
    *n = 0;
    *total = 0;
    const char *like = q->q && *q->q ? like_pattern(a, q->q) : NULL;
    if (q->q && *q->q && !like)
        return db_fail_nomem(db, err, "list");
    /* Every stored name is UTF-8 (JSON), so other bytes match nothing; the
     * engines must not be asked (PostgreSQL refuses such text). */
    if (q->q && !utf8_valid(q->q))
        return ST_OK;
    dstmt *st = db_stmt(db, sql_count);
    if (!st)
        return db_fail(db, err, "count");
    bind_list(st, q, like);
    db_step rc = dstmt_step(st);
    if (rc != DB_ROW) {
        dstmt_reset(st);
        return db_fail(db, err, "count");
    }
    *total = col_i64(st, 0);
    dstmt_reset(st);

    if (!(st = db_stmt(db, sql_page)))
        return db_fail(db, err, "list");
    bind_list(st, q, like);
    size_t cap = (size_t)(q->limit > 0 ? q->limit : 1);
    char *out = arena_alloc(a, cap * item_size);
    if (!out) {
        dstmt_reset(st);
        return db_fail_nomem(db, err, "list");
    }
    while (*n < cap && (rc = dstmt_step(st)) == DB_ROW)
        read_row(st, a, out + (*n)++ * item_size);
    dstmt_reset(st);
    if (rc == DB_FAIL)
        return db_fail(db, err, "list");
    *items = out;
    return ST_OK;
}

int db_rows_heap(sy_db *db, const char *sql, int64_t id, size_t first, arena *a,
                 size_t item_size, row_reader read_row, void **items, size_t *n,
                 store_err *err, const char *what)
{
    *items = NULL;
    *n = 0;
    dstmt *st = db_stmt(db, sql);
    if (!st)
        return db_fail(db, err, what);
    if (dstmt_param_count(st) >= 1)
        bind_i64(st, 1, id);
    size_t cap = 0;
    char *out = NULL;
    db_step rc;
    while ((rc = dstmt_step(st)) == DB_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : first;
            char *grown = ncap <= SIZE_MAX / item_size ? realloc(out, ncap * item_size) : NULL;
            if (!grown) {
                dstmt_reset(st);
                free(out);
                *n = 0;
                return db_fail_nomem(db, err, what);
            }
            out = grown;
            cap = ncap;
        }
        memset(out + *n * item_size, 0, item_size);
        read_row(st, a, out + (*n)++ * item_size);
    }
    dstmt_reset(st);
    if (rc != DB_DONE) {
        free(out);
        *n = 0;
        return db_fail(db, err, what);
    }
    *items = out;
    return ST_OK;
}

int db_rows(sy_db *db, const char *sql, int64_t id, size_t first, arena *a, size_t item_size,
            row_reader read_row, void **items, size_t *n, store_err *err, const char *what)
{
    /* Grown on the heap and copied once at its final size: doubling inside
     * the arena would leave every outgrown copy behind (twice the memory
     * for a 10,000-row table in the shared snapshot). */
    void *rows;
    int code = db_rows_heap(db, sql, id, first, a, item_size, read_row, &rows, n, err, what);
    if (code != ST_OK)
        return code;
    *items = NULL;
    if (*n) {
        *items = arena_alloc(a, *n * item_size);
        if (*items)
            memcpy(*items, rows, *n * item_size);
    }
    free(rows);
    if (*n && !*items) {
        *n = 0;
        return db_fail_nomem(db, err, what);
    }
    return ST_OK;
}

int db_children(sy_db *db, const char *sql, int64_t id, arena *a, size_t item_size,
                row_reader read_row, void **items, size_t *n, store_err *err)
{
    return db_rows(db, sql, id, 4, a, item_size, read_row, items, n, err, "children");
}
