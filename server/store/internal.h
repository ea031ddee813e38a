/* internal.h - what the store's own files share: the connection struct,
 * the per-connection statement cache and small column/bind helpers.
 * Nothing outside server/store/ includes this. */
#ifndef SY_STORE_INTERNAL_H
#define SY_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

#define STMT_CACHE 96

struct sy_db {
    sqlite3 *conn;
    int in_write;                    /* holds the writer lock */
    int in_read;
    struct {
        const char *sql;             /* key: address of a static SQL string */
        sqlite3_stmt *stmt;
    } cache[STMT_CACHE];
    int cached;
    int last_data_version;           /* PRAGMA data_version last seen */
    int touched_catalogue;           /* this write changed vendors, offerings,
                                        contracts or weights */
    uint64_t last_commits;           /* this process's commit count seen with it */
    int quiet_write;                 /* this write is bookkeeping only */
    int64_t touched_workload;        /* the one workload this write changed,
                                        0 if none, -1 if several */
};

/* Returns the cached, reset and unbound statement for a static SQL string,
 * preparing it on first use. NULL on error (logged). */
sqlite3_stmt *db_stmt(sy_db *db, const char *sql);

/* Maps an SQLite result code to a store_err; returns the st_code. */
int db_fail(sy_db *db, int rc, store_err *err, const char *what);
void err_set(store_err *err, st_code code, const char *pointer, const char *detail);

/* Column helpers: text is copied into the arena, SQL NULL -> NULL. */
const char *col_text(sqlite3_stmt *st, int col, arena *a);
int64_t col_i64(sqlite3_stmt *st, int col);

/* Binds a string or NULL. */
int bind_text(sqlite3_stmt *st, int idx, const char *s);
/* Binds an ID, with 0 meaning SQL NULL. */
int bind_id(sqlite3_stmt *st, int idx, int64_t id);

/* Runs a "SELECT id ... WHERE name = ?1" statement: ST_OK, ST_NOT_FOUND
 * or ST_ERROR. */
int db_find_id(sy_db *db, const char *sql, const char *name, int64_t *id);

/* 1 if a row with this id exists in the statement's table (SELECT 1 ... ?1). */
int db_exists(sy_db *db, const char *sql, int64_t id);

/* Compares the stored version of a row with if_version (0: no check). */
int db_check_version(sy_db *db, const char *sql_version, int64_t id,
                     int64_t if_version, const char *what, store_err *err);

/* Step a statement that returns no rows; returns ST_OK or an error code. */
int db_exec_stmt(sy_db *db, sqlite3_stmt *st, store_err *err, const char *what);

/* Escapes % and _ for a LIKE pattern and wraps it in %...%. */
char *like_pattern(arena *a, const char *q);

void store_now(char out[21]);

/* Records that this write transaction changed workload id. */
void db_note_workload(sy_db *db, int64_t id);

/* Row readers of each entity's main SELECT, shared with the portfolio
 * loader (portfolio.c), whose SELECTs list the same columns in order. */
void store_read_vendor_row(sqlite3_stmt *st, arena *a, void *item);
void store_read_offering_row(sqlite3_stmt *st, arena *a, void *item);
void store_read_contract_row(sqlite3_stmt *st, arena *a, void *item);
void store_read_workload_row(sqlite3_stmt *st, arena *a, void *item);

/* List statements share one parameter layout so one binder serves them:
 * ?1 name LIKE pattern, ?2 sort key, ?3 limit, ?4 offset, ?5 track,
 * ?6 status, ?7 criticality, ?8 kind, ?9 vendor, ?10 offering, ?11 category.
 * A statement uses the subset it needs (numbered parameters may be sparse).
 * db_list runs the count and the page query, calling read_row per row into
 * an arena array of item_size elements. */
typedef void (*row_reader)(sqlite3_stmt *st, arena *a, void *item);

/* Runs a one-row query with ?1 bound to text (when not NULL) or to id and
 * reads the row with read; ST_NOT_FOUND with `missing` as the detail when
 * there is none. */
int db_get_row(sy_db *db, const char *sql, const char *text, int64_t id, arena *a,
               row_reader read, void *out, const char *missing, store_err *err);
int db_list(sy_db *db, const char *sql_count, const char *sql_page, const list_query *q,
            arena *a, size_t item_size, row_reader read_row, void **items, size_t *n,
            int64_t *total, store_err *err);

/* Runs a statement with one ?1 = id bound, appending each row through
 * read_row to a growing arena array; used for child rows (links, terms). */
int db_children(sy_db *db, const char *sql, int64_t id, arena *a, size_t item_size,
                row_reader read_row, void **items, size_t *n, store_err *err);

#endif
