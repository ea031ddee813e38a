/* driver_impl.h - what an engine implements to sit behind driver.h.
 *
 * Each engine defines its own connection and statement structs whose first
 * member is the common head below, and one dconn_ops table. driver.c
 * dispatches through the table; nothing else includes this header. */
#ifndef SY_STORE_DRIVER_IMPL_H
#define SY_STORE_DRIVER_IMPL_H

#include <stdatomic.h>

#include "store/driver.h"

typedef struct dconn_ops dconn_ops;

struct dconn {
    const dconn_ops *ops;
    db_error error;        /* cause of the last failure */
    char errmsg[256];      /* for the log only */
};

struct dstmt {
    const dconn_ops *ops;
    dconn *conn;
};

struct dconn_ops {
    db_engine engine;
    void (*close)(dconn *c);
    int (*exec)(dconn *c, const char *sql);
    int (*in_transaction)(const dconn *c);
    dstmt *(*prepare)(dconn *c, const char *sql);
    void (*reset)(dstmt *s);
    int (*param_count)(const dstmt *s);
    int (*bind_i64)(dstmt *s, int idx, int64_t v);
    int (*bind_text)(dstmt *s, int idx, const char *text);
    int (*bind_null)(dstmt *s, int idx);
    db_step (*step)(dstmt *s);
    int (*col_is_null)(dstmt *s, int col);
    int64_t (*col_i64)(dstmt *s, int col);
    const char *(*col_text)(dstmt *s, int col, size_t *len);
    int64_t (*changes)(dstmt *s);
    int (*begin_write)(dconn *c);
    int (*begin_read)(dconn *c);
    int64_t (*change_counter)(dconn *c);
    int (*note_change)(dconn *c, int64_t *value);
    int (*noted_change)(dconn *c, int64_t *value); /* NULL: none noted */
    int64_t (*write_began)(dconn *c);         /* NULL: -1 */
    int64_t (*shared_counter)(dconn *c);      /* NULL: -1 */
    int (*sees_all_writes)(dconn *c);
    int (*schema_version)(dconn *c);
    int (*set_schema_version)(dconn *c, int version);
    int (*integrity)(dconn *c, int quick, char *msg, size_t size);
    int (*backup)(dconn *c, const char *path, char *msg, size_t size);
    int (*revive)(dconn *c);                  /* NULL: nothing to do */
    int (*try_lock)(dconn *c, int64_t key);   /* NULL: always 1 */
    int (*unlock)(dconn *c, int64_t key);     /* NULL: nothing to do */
    int (*keyed_columns)(dconn *c, const char *table, const char *const *cols, size_t n,
                         unsigned char *keyed); /* NULL: unknown */
    /* NULL: nothing is queued, commands run at once (driver.c) */
    int (*queue)(dconn *c, const char *sql);
    int (*queue_stmt)(dstmt *s);
    int (*queue_failed)(dconn *c);
    int (*flush)(dconn *c);
    uint64_t (*round_trips)(const dconn *c); /* NULL: none (SQLite) */
    int (*prefetch)(dstmt **s, int n);       /* NULL: nothing to do */
    int (*stream)(dstmt *s);                 /* NULL: nothing to do */
    int (*prefetch_alone)(dstmt **s, int n); /* NULL: not offered (SQLite) */
};

/* Records a failure on the connection (message truncated to fit). */
void dconn_set_error(dconn *c, db_error error, const char *msg);

/* Engine entry points used by dconn_open. */
dconn *sqlite_open(const char *path, char *msg, size_t size);
dconn *postgres_open(const char *url, char *msg, size_t size);

/* Round trips to a database server on every connection of this process
 * (dconn_round_trips_total); the engines add theirs. */
extern _Atomic uint64_t dconn_trips_all;

#endif
