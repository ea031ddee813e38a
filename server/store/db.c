/* db.c - SQLite connections, migrations, transactions, statement cache.
 *
 * Each connection: foreign keys on, WAL journal, a busy timeout as a last
 * resort (writers are already serialised by writer_lock), synchronous=FULL
 * so that an acknowledged write survives power loss. */
#include "store/internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "common/embedded.h"
#include "common/log.h"
#include "common/text.h"

static pthread_mutex_t writer_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic uint64_t generation = 1;

/* What each recent generation changed, for store_workloads_changed_since:
 * a workload id, 0 for nothing a portfolio snapshot shows (a user, a
 * scenario), CHANGE_UNKNOWN for anything else (the catalogue, several
 * workloads, another process's write). Guarded by changes_lock, which also
 * orders every move of the generation with its record. */
#define CHANGE_RING 1024
#define CHANGE_UNKNOWN (-1)
static pthread_mutex_t changes_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    uint64_t generation;
    int64_t workload;
} changes[CHANGE_RING];

static void next_generation(int64_t what)
{
    pthread_mutex_lock(&changes_lock);
    uint64_t g = ++generation;
    changes[g % CHANGE_RING].generation = g;
    changes[g % CHANGE_RING].workload = what;
    pthread_mutex_unlock(&changes_lock);
}

long store_workloads_changed_since(sy_db *db, uint64_t since, int64_t *ids, size_t cap)
{
    store_generation(db); /* notices other processes' writes */
    long n = 0;
    pthread_mutex_lock(&changes_lock);
    uint64_t now = generation;
    if (since > now || now - since >= CHANGE_RING)
        n = -1;
    for (uint64_t g = since + 1; n >= 0 && g <= now; g++) {
        int64_t what = changes[g % CHANGE_RING].workload;
        if (changes[g % CHANGE_RING].generation != g || what < 0 || (what > 0 && (size_t)n == cap))
            n = -1;
        else if (what > 0)
            ids[n++] = what;
    }
    pthread_mutex_unlock(&changes_lock);
    return n;
}

void db_note_workload(sy_db *db, int64_t id)
{
    db->touched_workload = db->touched_workload == 0 || db->touched_workload == id ? id : -1;
}
static _Atomic uint64_t catalogue_generation = 1;
/* Every commit of this process, including bookkeeping ones (a session's
 * last-seen time) that change nothing a cached answer shows. */
static _Atomic uint64_t commits = 0;
static const char SQL_DATA_VERSION[] = "PRAGMA data_version";

uint64_t store_catalogue_generation(sy_db *db)
{
    store_generation(db); /* notices other processes' writes */
    return catalogue_generation;
}

void store_mark_quiet(sy_db *db)
{
    db->quiet_write = 1;
}

int store_in_write(const sy_db *db)
{
    return db->in_write;
}

int store_in_transaction(const sy_db *db)
{
    return !sqlite3_get_autocommit(db->conn);
}

uint64_t store_generation(sy_db *db)
{
    uint64_t c = commits;
    sqlite3_stmt *st = db_stmt(db, SQL_DATA_VERSION);
    int dv = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    if (st)
        sqlite3_reset(st);
    if (dv != db->last_data_version) {
        /* Someone committed since this connection last looked. If nobody in
         * this process did, it was another process: start a new generation
         * (our own commits move the generation themselves, or, being
         * bookkeeping, need not). */
        if (c == db->last_commits) {
            next_generation(CHANGE_UNKNOWN);
            catalogue_generation++;
        }
        db->last_data_version = dv;
    }
    db->last_commits = c;
    return generation;
}

void err_set(store_err *err, st_code code, const char *pointer, const char *detail)
{
    if (!err)
        return;
    err->code = code;
    copy_str(err->pointer, sizeof err->pointer, pointer ? pointer : "");
    copy_str(err->detail, sizeof err->detail, detail ? detail : "");
}

int db_fail(sy_db *db, int rc, store_err *err, const char *what)
{
    int primary = rc & 0xff;
    st_code code;
    const char *detail;
    switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = ST_BUSY;
        detail = "The database is busy; try again.";
        break;
    case SQLITE_FULL:
        code = ST_FULL;
        detail = "The database has no space left; the change was not saved.";
        break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
        code = ST_IO;
        detail = "The database could not be written; the change was not saved.";
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        code = ST_CORRUPT;
        detail = "The database is damaged.";
        break;
    case SQLITE_CONSTRAINT:
        code = rc == SQLITE_CONSTRAINT_FOREIGNKEY ? ST_IN_USE : ST_CONFLICT;
        detail = rc == SQLITE_CONSTRAINT_FOREIGNKEY
                     ? "Other records still refer to this one."
                     : "The change conflicts with existing data.";
        break;
    default:
        code = ST_ERROR;
        detail = "Internal storage error.";
    }
    log_msg(LOG_ERROR, "store: %s: %s (%d)", what,
            db && db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc), rc);
    err_set(err, code, "", detail);
    return code;
}

sqlite3_stmt *db_stmt(sy_db *db, const char *sql)
{
    for (int i = 0; i < db->cached; i++)
        if (db->cache[i].sql == sql) {
            sqlite3_stmt *st = db->cache[i].stmt;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return st;
        }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        log_msg(LOG_ERROR, "store: prepare failed: %s", sqlite3_errmsg(db->conn));
        return NULL;
    }
    if (db->cached < STMT_CACHE) {
        db->cache[db->cached].sql = sql;
        db->cache[db->cached].stmt = st;
        db->cached++;
    } else {
        log_msg(LOG_ERROR, "store: statement cache full");
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

const char *col_text(sqlite3_stmt *st, int col, arena *a)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return NULL;
    const unsigned char *t = sqlite3_column_text(st, col);
    int n = sqlite3_column_bytes(st, col);
    return t ? arena_strndup(a, (const char *)t, (size_t)n) : NULL;
}

int64_t col_i64(sqlite3_stmt *st, int col)
{
    return (int64_t)sqlite3_column_int64(st, col);
}

int bind_text(sqlite3_stmt *st, int idx, const char *s)
{
    return s ? sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT)
             : sqlite3_bind_null(st, idx);
}

int bind_id(sqlite3_stmt *st, int idx, int64_t id)
{
    return id > 0 ? sqlite3_bind_int64(st, idx, id) : sqlite3_bind_null(st, idx);
}

int db_exists(sy_db *db, const char *sql, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    int found = rc == SQLITE_ROW;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -1;
    return found;
}

int db_get_row(sy_db *db, const char *sql, const char *text, int64_t id, arena *a,
               row_reader read, void *out, const char *missing, store_err *err)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return db_fail(db, SQLITE_ERROR, err, "get");
    if (text)
        bind_text(st, 1, text);
    else
        sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read(st, a, out);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        err_set(err, ST_NOT_FOUND, "", missing);
        return ST_NOT_FOUND;
    }
    return rc == SQLITE_ROW ? ST_OK : db_fail(db, rc, err, "get");
}

int db_find_id(sy_db *db, const char *sql, const char *name, int64_t *id)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return ST_ERROR;
    bind_text(st, 1, name);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = col_i64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NOT_FOUND : ST_ERROR;
}

int db_check_version(sy_db *db, const char *sql_version, int64_t id,
                     int64_t if_version, const char *what, store_err *err)
{
    sqlite3_stmt *st = db_stmt(db, sql_version);
    if (!st)
        return db_fail(db, SQLITE_ERROR, err, what);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        err_set(err, ST_NOT_FOUND, "", "No such record.");
        return ST_NOT_FOUND;
    }
    if (rc != SQLITE_ROW)
        return db_fail(db, rc, err, what);
    int64_t version = col_i64(st, 0);
    sqlite3_reset(st);
    if (if_version > 0 && version != if_version) {
        err_set(err, ST_PRECONDITION, "",
                "The record was changed by someone else since you read it.");
        return ST_PRECONDITION;
    }
    return ST_OK;
}

int db_exec_stmt(sy_db *db, sqlite3_stmt *st, store_err *err, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, rc, err, what);
    return ST_OK;
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
        p[j++] = q[i];
    }
    p[j++] = '%';
    p[j] = '\0';
    return p;
}

static void bind_list(sqlite3_stmt *st, const list_query *q, const char *like)
{
    int params = sqlite3_bind_parameter_count(st);
    /* Unused numbers are simply absent from a statement; binding them would
     * return SQLITE_RANGE, so bind only up to the highest it has. */
#define BIND(i, call) if (params >= (i)) call
    BIND(1, bind_text(st, 1, like));
    BIND(2, bind_text(st, 2, q->sort));
    BIND(3, sqlite3_bind_int64(st, 3, q->limit));
    BIND(4, sqlite3_bind_int64(st, 4, q->offset));
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
    sqlite3_stmt *st = db_stmt(db, sql_count);
    if (!st)
        return db_fail(db, SQLITE_ERROR, err, "count");
    bind_list(st, q, like);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return db_fail(db, rc, err, "count");
    }
    *total = col_i64(st, 0);
    sqlite3_reset(st);

    st = db_stmt(db, sql_page);
    if (!st)
        return db_fail(db, SQLITE_ERROR, err, "list");
    bind_list(st, q, like);
    size_t cap = (size_t)(q->limit > 0 ? q->limit : 1);
    char *out = arena_alloc(a, cap * item_size);
    if (!out) {
        sqlite3_reset(st);
        return db_fail(db, SQLITE_NOMEM, err, "list");
    }
    while (*n < cap && (rc = sqlite3_step(st)) == SQLITE_ROW)
        read_row(st, a, out + (*n)++ * item_size);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(db, rc, err, "list");
    *items = out;
    return ST_OK;
}

int db_children(sy_db *db, const char *sql, int64_t id, arena *a, size_t item_size,
                row_reader read_row, void **items, size_t *n, store_err *err)
{
    *items = NULL;
    *n = 0;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return db_fail(db, SQLITE_ERROR, err, "children");
    sqlite3_bind_int64(st, 1, id);
    size_t cap = 0;
    char *out = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 4;
            char *grown = arena_alloc(a, ncap * item_size);
            if (!grown) {
                sqlite3_reset(st);
                return db_fail(db, SQLITE_NOMEM, err, "children");
            }
            if (*n)
                memcpy(grown, out, *n * item_size);
            out = grown;
            cap = ncap;
        }
        read_row(st, a, out + (*n)++ * item_size);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, rc, err, "children");
    *items = out;
    return ST_OK;
}

void store_now(char out[21])
{
    clock_now_rfc3339(out);
}

static int exec(sy_db *db, const char *sql, store_err *err)
{
    int rc = sqlite3_exec(db->conn, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? ST_OK : db_fail(db, rc, err, sql);
}

int store_open(const char *path, sy_db **out, store_err *err)
{
    *out = NULL;
    sy_db *db = sqlite3_malloc(sizeof *db);
    if (!db) {
        err_set(err, ST_ERROR, "", "Out of memory.");
        return ST_ERROR;
    }
    memset(db, 0, sizeof *db);
    int rc = sqlite3_open_v2(path, &db->conn,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                 SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                             NULL);
    if (rc != SQLITE_OK) {
        int code = db_fail(db, rc, err, "open");
        store_close(db);
        return code;
    }
    sqlite3_extended_result_codes(db->conn, 1);
    sqlite3_busy_timeout(db->conn, 5000);
    /* A small page cache per connection: there may be hundreds (one per
     * worker thread), and the OS page cache is shared anyway. */
    int code = exec(db, "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; "
                        "PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY; "
                        "PRAGMA cache_size=-256;", err);
    if (code != ST_OK) {
        store_close(db);
        return code;
    }
    /* Start from what this connection sees now, so its first look at the
     * generation does not mistake the past for another process's write. */
    db->last_commits = commits;
    sqlite3_stmt *st = db_stmt(db, SQL_DATA_VERSION);
    if (st && sqlite3_step(st) == SQLITE_ROW)
        db->last_data_version = sqlite3_column_int(st, 0);
    if (st)
        sqlite3_reset(st);
    *out = db;
    return ST_OK;
}

void store_close(sy_db *db)
{
    if (!db)
        return;
    if (db->in_write)
        store_rollback(db);
    for (int i = 0; i < db->cached; i++)
        sqlite3_finalize(db->cache[i].stmt);
    sqlite3_close(db->conn);
    sqlite3_free(db);
}


int store_begin_write(sy_db *db, store_err *err)
{
    pthread_mutex_lock(&writer_lock);
    int code = exec(db, "BEGIN IMMEDIATE", err);
    if (code != ST_OK) {
        pthread_mutex_unlock(&writer_lock);
        return code;
    }
    db->in_write = 1;
    return ST_OK;
}

int store_commit(sy_db *db, store_err *err)
{
    int code = exec(db, "COMMIT", err);
    if (code != ST_OK)
        store_rollback(db);
    else if (db->in_write) {
        commits++;
        if (!db->quiet_write)
            next_generation(db->touched_catalogue ? CHANGE_UNKNOWN : db->touched_workload);
        if (db->touched_catalogue)
            catalogue_generation++;
        db->touched_catalogue = 0;
        db->touched_workload = 0;
        db->quiet_write = 0;
        db->in_write = 0;
        pthread_mutex_unlock(&writer_lock);
    }
    return code;
}

void store_rollback(sy_db *db)
{
    db->touched_catalogue = 0;
    db->touched_workload = 0;
    db->quiet_write = 0;
    if (!sqlite3_get_autocommit(db->conn))
        sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
    db->in_read = 0;
    if (db->in_write) {
        db->in_write = 0;
        pthread_mutex_unlock(&writer_lock);
    }
}

/* in_read counts nested begin/end pairs, so that an inner pair (e.g.
 * analysis_load inside a report's snapshot) neither ends the outer
 * snapshot early nor leaves it open. */
int store_begin_read(sy_db *db, store_err *err)
{
    if (db->in_read > 0) {
        db->in_read++;
        return ST_OK;
    }
    if (!sqlite3_get_autocommit(db->conn))
        return ST_OK; /* inside a write transaction: it is the snapshot */
    int code = exec(db, "BEGIN", err);
    if (code == ST_OK)
        db->in_read = 1;
    return code;
}

void store_end_read(sy_db *db)
{
    if (db->in_read == 0)
        return;
    if (--db->in_read == 0 && !sqlite3_get_autocommit(db->conn))
        sqlite3_exec(db->conn, "COMMIT", NULL, NULL, NULL);
}

/* ---- migrations ---------------------------------------------------------- */

static int migration_number(const char *name)
{
    int64_t n;
    char digits[5];
    if (strlen(name) < 5 || name[4] != '_')
        return -1;
    memcpy(digits, name, 4);
    digits[4] = '\0';
    return parse_i64(digits, 1, 9999, &n) == 0 ? (int)n : -1;
}

int store_latest_schema(void)
{
    int latest = 0;
    for (const embedded_file *f = sy_migrations; f->name; f++) {
        int n = migration_number(f->name);
        if (n > latest)
            latest = n;
    }
    return latest;
}

int store_schema_version(sy_db *db)
{
    sqlite3_stmt *st = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(db->conn, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return version;
}

int store_migrate(sy_db *db, int *applied, store_err *err)
{
    *applied = 0;
    for (const embedded_file *f = sy_migrations; f->name; f++) {
        int n = migration_number(f->name);
        if (n < 0) {
            log_msg(LOG_ERROR, "store: migration %s is misnamed", f->name);
            err_set(err, ST_ERROR, "", "A migration is misnamed.");
            return ST_ERROR;
        }
        /* Re-read inside the write lock: another process may have migrated. */
        int code = store_begin_write(db, err);
        if (code != ST_OK)
            return code;
        int current = store_schema_version(db);
        if (current < 0) {
            store_rollback(db);
            return db_fail(db, SQLITE_ERROR, err, "user_version");
        }
        if (n <= current) {
            store_rollback(db);
            continue;
        }
        char pragma[48];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", n);
        if ((code = exec(db, (const char *)f->data, err)) != ST_OK ||
            (code = exec(db, pragma, err)) != ST_OK ||
            (code = store_commit(db, err)) != ST_OK) {
            store_rollback(db);
            log_msg(LOG_ERROR, "store: migration %s failed", f->name);
            return code;
        }
        log_msg(LOG_INFO, "applied migration %s", f->name);
        (*applied)++;
    }
    int current = store_schema_version(db);
    if (current > store_latest_schema()) {
        err_set(err, ST_ERROR, "",
                "The database was written by a newer Switchyard; upgrade the binary.");
        return ST_ERROR;
    }
    return ST_OK;
}

/* ---- settings ------------------------------------------------------------ */

static const char SQL_SETTING_GET[] = "SELECT value FROM settings WHERE key = ?1";
static const char SQL_SETTING_SET[] =
    "INSERT INTO settings(key, value) VALUES (?1, ?2) "
    "ON CONFLICT(key) DO UPDATE SET value = excluded.value";

int store_setting_get(sy_db *db, const char *key, arena *a, const char **value)
{
    *value = NULL;
    sqlite3_stmt *st = db_stmt(db, SQL_SETTING_GET);
    if (!st)
        return ST_ERROR;
    bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *value = col_text(st, 0, a);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return ST_OK;
    return rc == SQLITE_DONE ? ST_NOT_FOUND : ST_ERROR;
}

int store_setting_set(sy_db *db, const char *key, const char *value, store_err *err)
{
    sqlite3_stmt *st = db_stmt(db, SQL_SETTING_SET);
    if (!st)
        return db_fail(db, SQLITE_ERROR, err, "setting");
    bind_text(st, 1, key);
    bind_text(st, 2, value);
    return db_exec_stmt(db, st, err, "setting");
}

static const char SQL_COUNTS[] =
    "SELECT (SELECT COUNT(*) FROM vendors), (SELECT COUNT(*) FROM offerings), "
    "(SELECT COUNT(*) FROM contracts), (SELECT COUNT(*) FROM workloads)";

int store_counts_get(sy_db *db, store_counts *out, store_err *err)
{
    sqlite3_stmt *st = db_stmt(db, SQL_COUNTS);
    if (!st)
        return db_fail(db, SQLITE_ERROR, err, "counts");
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return db_fail(db, rc, err, "counts");
    }
    out->vendors = col_i64(st, 0);
    out->offerings = col_i64(st, 1);
    out->contracts = col_i64(st, 2);
    out->workloads = col_i64(st, 3);
    sqlite3_reset(st);
    return ST_OK;
}
