/* reports.c - SQL for the governance report's view of the audit trail;
 * see store/reports.h. */
#include "store/reports.h"

#include <string.h>

#include "common/text.h"
#include "store/internal.h"

#define DATA_EVENT "NOT (entity = 'report' AND action = 'export') AND entity <> 'session' "
#define COLS                                                                   \
    "SELECT seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash " \
    "FROM audit_events "

static const char SQL_HEAD[] =
    "SELECT seq, hash, at FROM audit_events WHERE " DATA_EVENT "ORDER BY seq DESC LIMIT 1";
static const char SQL_CHANGES[] =
    COLS "WHERE " DATA_EVENT "AND at >= ?1 AND seq <= ?2 ORDER BY seq";
static const char SQL_ONE[] = COLS "WHERE seq = ?1";

static void read_event(sqlite3_stmt *st, arena *a, audit_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->seq = col_i64(st, 0);
    ev->at = col_text(st, 1, a);
    ev->actor = col_text(st, 2, a);
    ev->action = col_text(st, 3, a);
    ev->entity = col_text(st, 4, a);
    ev->entity_id = col_i64(st, 5);
    ev->before = col_text(st, 6, a);
    ev->after = col_text(st, 7, a);
    const char *prev = (const char *)sqlite3_column_text(st, 8);
    const char *hash = (const char *)sqlite3_column_text(st, 9);
    copy_str(ev->prev_hash, AUDIT_HASH_HEX, prev ? prev : "");
    copy_str(ev->hash, AUDIT_HASH_HEX, hash ? hash : "");
}

int store_report_head(sy_db *db, arena *a, int64_t *seq, char hash[AUDIT_HASH_HEX],
                      const char **at, store_err *err)
{
    *seq = 0;
    *at = NULL;
    memcpy(hash, AUDIT_GENESIS, AUDIT_HASH_HEX);
    sqlite3_stmt *st = db_stmt(db, SQL_HEAD);
    if (!st)
        return db_fail(db, SQLITE_ERROR, err, "report head");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *h = (const char *)sqlite3_column_text(st, 1);
        *seq = col_i64(st, 0);
        if (h && strlen(h) == 64)
            memcpy(hash, h, AUDIT_HASH_HEX);
        *at = col_text(st, 2, a);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ST_OK : db_fail(db, rc, err, "report head");
}

int store_report_changes(sy_db *db, const char *since, int64_t upto, arena *a,
                         audit_event **items, size_t *n, store_err *err)
{
    *items = NULL;
    *n = 0;
    sqlite3_stmt *st = db_stmt(db, SQL_CHANGES);
    if (!st)
        return db_fail(db, SQLITE_ERROR, err, "report changes");
    bind_text(st, 1, since);
    sqlite3_bind_int64(st, 2, upto);
    size_t cap = 0;
    audit_event *out = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            audit_event *grown = arena_alloc(a, ncap * sizeof *grown);
            if (!grown) {
                sqlite3_reset(st);
                return db_fail(db, SQLITE_NOMEM, err, "report changes");
            }
            if (*n)
                memcpy(grown, out, *n * sizeof *grown);
            out = grown;
            cap = ncap;
        }
        read_event(st, a, &out[(*n)++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, rc, err, "report changes");
    *items = out;
    return ST_OK;
}

int store_audit_get(sy_db *db, int64_t seq, arena *a, audit_event *ev, store_err *err)
{
    sqlite3_stmt *st = db_stmt(db, SQL_ONE);
    if (!st)
        return db_fail(db, SQLITE_ERROR, err, "audit event");
    sqlite3_bind_int64(st, 1, seq);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_event(st, a, ev);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return ST_OK;
    if (rc == SQLITE_DONE) {
        err_set(err, ST_NOT_FOUND, "", "No audit event has this sequence number.");
        return ST_NOT_FOUND;
    }
    return db_fail(db, rc, err, "audit event");
}
