/* driver.c - picks the engine for a --db target and dispatches the
 * driver.h calls through the engine's table. */
#include "store/driver_impl.h"

#include <string.h>

#include "common/text.h"

db_engine dconn_engine_of(const char *target)
{
    if (target && (strncmp(target, "postgres://", 11) == 0 ||
                   strncmp(target, "postgresql://", 13) == 0))
        return DB_POSTGRES;
    return DB_SQLITE;
}

dconn *dconn_open(const char *target, char *msg, size_t size)
{
    if (dconn_engine_of(target) == DB_POSTGRES) {
#ifdef SY_WITH_POSTGRES
        return postgres_open(target, msg, size);
#else
        copy_str(msg, size, "this build has no PostgreSQL support");
        return NULL;
#endif
    }
    return sqlite_open(target, msg, size);
}

void dconn_set_error(dconn *c, db_error error, const char *msg)
{
    c->error = error;
    copy_str(c->errmsg, sizeof c->errmsg, msg ? msg : "");
}

void dconn_close(dconn *c)
{
    if (c)
        c->ops->close(c);
}

db_engine dconn_engine(const dconn *c) { return c->ops->engine; }
int dconn_exec(dconn *c, const char *sql) { return c->ops->exec(c, sql); }
db_error dconn_error(const dconn *c) { return c->error; }
const char *dconn_errmsg(const dconn *c) { return c->errmsg; }
int dconn_in_transaction(const dconn *c) { return c->ops->in_transaction(c); }
dstmt *dconn_prepare(dconn *c, const char *sql) { return c->ops->prepare(c, sql); }
void dstmt_reset(dstmt *s) { s->ops->reset(s); }
int dstmt_param_count(const dstmt *s) { return s->ops->param_count(s); }
int dstmt_bind_i64(dstmt *s, int idx, int64_t v) { return s->ops->bind_i64(s, idx, v); }
int dstmt_bind_text(dstmt *s, int idx, const char *t) { return s->ops->bind_text(s, idx, t); }
int dstmt_bind_null(dstmt *s, int idx) { return s->ops->bind_null(s, idx); }
db_step dstmt_step(dstmt *s) { return s->ops->step(s); }
int dstmt_col_is_null(dstmt *s, int col) { return s->ops->col_is_null(s, col); }
int64_t dstmt_col_i64(dstmt *s, int col) { return s->ops->col_i64(s, col); }
const char *dstmt_col_text(dstmt *s, int col, size_t *len) { return s->ops->col_text(s, col, len); }
int64_t dstmt_changes(dstmt *s) { return s->ops->changes(s); }
int dconn_begin_write(dconn *c) { return c->ops->begin_write(c); }
int dconn_begin_read(dconn *c) { return c->ops->begin_read(c); }
int64_t dconn_change_counter(dconn *c) { return c->ops->change_counter(c); }
int dconn_sees_all_writes(dconn *c) { return c->ops->sees_all_writes(c); }
int dconn_note_change(dconn *c, int64_t *value) { return c->ops->note_change(c, value); }
int dconn_noted_change(dconn *c, int64_t *value)
{
    *value = -1;
    return c->ops->noted_change ? c->ops->noted_change(c, value) : 0;
}
int64_t dconn_write_began(dconn *c)
{
    return c->ops->write_began ? c->ops->write_began(c) : -1;
}
int64_t dconn_shared_counter(dconn *c)
{
    return c->ops->shared_counter ? c->ops->shared_counter(c) : -1;
}
int dconn_schema_version(dconn *c) { return c->ops->schema_version(c); }
int dconn_set_schema_version(dconn *c, int v) { return c->ops->set_schema_version(c, v); }
int dconn_integrity(dconn *c, int quick, char *msg, size_t size)
{
    return c->ops->integrity(c, quick, msg, size);
}
int dconn_backup(dconn *c, const char *path, char *msg, size_t size)
{
    return c->ops->backup(c, path, msg, size);
}
int dconn_revive(dconn *c)
{
    return c->ops->revive ? c->ops->revive(c) : 0;
}
int dconn_try_lock(dconn *c, int64_t key)
{
    return c->ops->try_lock ? c->ops->try_lock(c, key) : 1;
}
int dconn_unlock(dconn *c, int64_t key)
{
    return c->ops->unlock ? c->ops->unlock(c, key) : 0;
}

int dconn_keyed_columns(dconn *c, const char *table, const char *const *cols, size_t n,
                        unsigned char *keyed)
{
    return c->ops->keyed_columns ? c->ops->keyed_columns(c, table, cols, n, keyed) : -1;
}

/* Engines without round trips run a queued command at once. */
int dconn_queue(dconn *c, const char *sql)
{
    return c->ops->queue ? c->ops->queue(c, sql) : c->ops->exec(c, sql);
}
int dstmt_queue(dstmt *s)
{
    if (s->ops->queue_stmt)
        return s->ops->queue_stmt(s);
    db_step r = s->ops->step(s);
    s->ops->reset(s);
    return r == DB_DONE ? 0 : -1;
}
int dconn_queue_failed(dconn *c)
{
    return c->ops->queue_failed ? c->ops->queue_failed(c) : 0;
}
int dconn_flush(dconn *c)
{
    return c->ops->flush ? c->ops->flush(c) : 0;
}
_Atomic uint64_t dconn_trips_all;
uint64_t dconn_round_trips_total(void)
{
    return atomic_load_explicit(&dconn_trips_all, memory_order_relaxed);
}
uint64_t dconn_round_trips(const dconn *c)
{
    return c->ops->round_trips ? c->ops->round_trips(c) : 0;
}
int dstmt_stream(dstmt *s)
{
    return s->ops->stream ? s->ops->stream(s) : 0;
}

int dstmt_prefetch_alone(dstmt **s, int n)
{
    return n > 0 && s[0]->ops->prefetch_alone ? s[0]->ops->prefetch_alone(s, n) : 0;
}
int dstmt_prefetch(dstmt **s, int n)
{
    return n > 0 && s[0]->ops->prefetch ? s[0]->ops->prefetch(s, n) : 0;
}
