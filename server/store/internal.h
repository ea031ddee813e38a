/* internal.h - what the store's own files share: the connection struct,
 * the per-connection statement cache and small column/bind helpers, all
 * over the engine-neutral driver (driver.h).
 * Nothing outside server/store/ includes this. */
#ifndef SY_STORE_INTERNAL_H
#define SY_STORE_INTERNAL_H

#include "store/driver.h"
#include "store/store.h"

struct sy_db {
    dconn *conn;
    int in_write;                    /* holds the writer lock */
    int in_read;
    struct stmt_slot {
        const char *sql;             /* key: address of a static SQL string */
        dstmt *stmt;
    } *cache;                        /* grows as statements are first used */
    int cached, cache_cap;
    int64_t last_change;             /* dconn_change_counter last seen */
    int touched_catalogue;           /* this write changed vendors, offerings,
                                        contracts or weights */
    int quiet_write;                 /* this write is bookkeeping only */
    int audited;                     /* this write appended audit events */
    int touched_identity;            /* users, tokens or sessions (db_note_identity) */
    int64_t touched_workload;        /* the one workload this write changed,
                                        0 if none, -1 if several */
    int trust_names;                 /* store_trust_names() */
    int touched_kind;                /* the one catalogue record it changed: a
                                        STORE_CHANGE_* kind, 0 none, -1 other */
    int64_t touched_id;
    int64_t audit_seq;               /* the audit event this write appended
                                        last (0: none), and its hash */
    char audit_hash[65];
    int group;                       /* a request's handle under group commit
                                        (group.c): 1 holds the turn, 2 on a
                                        pooled connection */
    sy_db *post;                     /* that pooled connection */
    int post_writer;                 /* lent from the writers' quota */
};

/* ---- group commit (group.c) and what it needs of db.c -------------------- */

/* One committed write's record for the change ring (a STORE_CHANGE_* kind
 * or 0 or -1, and an id). */
typedef struct db_change {
    int kind;
    int64_t id;
    int identity;   /* the write also changed users, tokens or sessions */
} db_change;

/* The process's writer token (one write transaction at a time): taken by
 * store_begin_write or by a batch's BEGIN, given back by the thread that
 * ends the transaction, which for a batch may be another thread. */
void db_writer_take(void);
void db_writer_give(void);
/* What a write changed, as one change record (at its commit). */
/* A write changes what a credential grants (a user, token or session):
 * cached credentials are checked again after its commit. */
void db_note_identity(sy_db *db);
void db_member_change(const sy_db *db, int *kind, int64_t *id);
/* Commits a batch (holding the writer token, which it gives back) and does
 * once what follows a commit: the change counter, one generation per
 * change record (one "unknown" on overflow), the catalogue generation, the
 * audit head (audit_seq, audit_hash), the audit hook. *settle: the counter
 * value the members wait for others to see (-1: none). */
int db_batch_commit(sy_db *batch, const db_change *records, int n, int overflow, int loud,
                    int catalogue, int audited, int64_t audit_seq, const char *audit_hash,
                    int64_t *settle, store_err *err);
/* This thread's store_settle waits for value (-1: nothing). */
void db_settle_after(int64_t value);
/* store_begin_write, store_commit and store_rollback of a group member. */
int group_begin_write(sy_db *db, store_err *err);
int group_commit(sy_db *db, store_err *err);
void group_rollback(sy_db *db);
/* Forgets what the write in progress noted (audited, touched records,
 * quiet); the caller ends in_write and the audit head as it must. */
void db_forget_write(sy_db *db);

/* The write that appended audit events committed: its last event is the
 * chain's head (audit.c). Called by store_commit under the writer lock. */
void audit_committed(sy_db *db);

/* The change counter as the listener (listen.c) has it: 1 and *value when
 * it can vouch for it, 0 when the caller must read the database. */
int listen_value(int64_t *value);
/* Waits up to timeout_ms until the listener has seen value (returns at
 * once when it is down). */
void listen_wait_for(int64_t value, int timeout_ms);

/* Returns the cached, reset and unbound statement for a static SQL string,
 * preparing it on first use. NULL on error (logged; the cause is on the
 * connection for db_fail). */
dstmt *db_stmt(sy_db *db, const char *sql);

/* Maps the connection's last failure (dconn_error) to a store_err with a
 * detail safe for clients, logs the engine's message; returns the st_code. */
int db_fail(sy_db *db, store_err *err, const char *what);
/* The same for an allocation that failed in the store itself. */
int db_fail_nomem(sy_db *db, store_err *err, const char *what);
void err_set(store_err *err, st_code code, const char *pointer, const char *detail);

/* Column helpers: text is copied into the arena, SQL NULL -> NULL (text)
 * or 0 (integers). */
const char *col_text(dstmt *st, int col, arena *a);
static inline int64_t col_i64(dstmt *st, int col) { return dstmt_col_i64(st, col); }

/* Binders. A failed bind makes the statement's next step fail (driver.h),
 * so their results are checked there, once. */
static inline void bind_i64(dstmt *st, int idx, int64_t v)
{
    (void)dstmt_bind_i64(st, idx, v);
}
/* Binds a string or NULL. */
static inline void bind_text(dstmt *st, int idx, const char *s)
{
    (void)dstmt_bind_text(st, idx, s);
}
/* Binds an ID, with 0 meaning SQL NULL. */
static inline void bind_id(dstmt *st, int idx, int64_t id)
{
    (void)(id > 0 ? dstmt_bind_i64(st, idx, id) : dstmt_bind_null(st, idx));
}

/* Runs a "SELECT id ... WHERE name = ?1" statement: ST_OK, ST_NOT_FOUND
 * or ST_ERROR. */
int db_find_id(sy_db *db, const char *sql, const char *name, int64_t *id);

/* 1 if a row with this id exists in the statement's table (SELECT 1 ... ?1). */
int db_exists(sy_db *db, const char *sql, int64_t id);

/* Runs a "SELECT 1 ... WHERE name = ?1 AND id <> ?2" probe: ST_OK when no
 * other row has the name, ST_CONFLICT on /name with detail `taken` when one
 * does, or a storage error. */
int db_name_free(sy_db *db, const char *sql, const char *name, int64_t id,
                 const char *taken, store_err *err);

/* Compares the stored version of a row with if_version (0: no check);
 * the stored version goes to *stored (may be NULL). */
int db_check_version(sy_db *db, const char *sql_version, int64_t id, int64_t if_version,
                     int64_t *stored, const char *what, store_err *err);

/* Step a statement that returns no rows; returns ST_OK or an error code. */
int db_exec_stmt(sy_db *db, dstmt *st, store_err *err, const char *what);

/* Step an "INSERT ... RETURNING id" statement and read the new id. */
int db_insert_id(sy_db *db, dstmt *st, int64_t *id, store_err *err, const char *what);

/* Escapes % and _ for a LIKE pattern, lowers ASCII letters (the name it
 * is matched against is lower(name), which both engines lower ASCII-only
 * for the schema's byte-wise text) and wraps it in %...%. */
char *like_pattern(arena *a, const char *q);

void store_now(char out[21]);

/* Records that this write transaction changed workload id. */
void db_note_workload(sy_db *db, int64_t id);
/* Notes a catalogue write (risk inputs: store_generations) of one record,
 * kind STORE_CHANGE_OFFERING, _CONTRACT or _GOVERNANCE (id: the workload);
 * kind 0 for anything else (vendors, weights), which snapshots rebuild. */
void db_note_catalogue(sy_db *db, int kind, int64_t id);

/* List statements share one parameter layout so one binder serves them:
 * ?1 name LIKE pattern, ?2 sort key, ?3 limit, ?4 offset, ?5 track,
 * ?6 status, ?7 criticality, ?8 kind, ?9 vendor, ?10 offering, ?11 category.
 * A statement uses the subset it needs (numbered parameters may be sparse).
 * db_list runs the count and the page query, calling read_row per row into
 * an arena array of item_size elements. */
typedef void (*row_reader)(dstmt *st, arena *a, void *item);

/* Runs a one-row query with ?1 bound to text (when not NULL) or to id and
 * reads the row with read; ST_NOT_FOUND with `missing` as the detail when
 * there is none. */
int db_get_row(sy_db *db, const char *sql, const char *text, int64_t id, arena *a,
               row_reader read, void *out, const char *missing, store_err *err);
int db_list(sy_db *db, const char *sql_count, const char *sql_page, const list_query *q,
            arena *a, size_t item_size, row_reader read_row, void **items, size_t *n,
            int64_t *total, store_err *err);

/* Runs a statement with ?1 = id bound (when it has a ?1), appending each
 * row through read_row to an array that starts with room for `first` and
 * doubles, then lands in the arena at its final size; `what` names the query in the log. db_children is the
 * common case of a record's child rows (links, terms). */
int db_rows(sy_db *db, const char *sql, int64_t id, size_t first, arena *a, size_t item_size,
            row_reader read_row, void **items, size_t *n, store_err *err, const char *what);
/* The same into a malloc'd array the caller frees (row text still goes to
 * the arena): for rows needed only while loading. */
int db_rows_heap(sy_db *db, const char *sql, int64_t id, size_t first, arena *a,
                 size_t item_size, row_reader read_row, void **items, size_t *n,
                 store_err *err, const char *what);
int db_children(sy_db *db, const char *sql, int64_t id, arena *a, size_t item_size,
                row_reader read_row, void **items, size_t *n, store_err *err);

#endif
