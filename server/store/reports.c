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

static void read_event(dstmt *st, arena *a, audit_event *ev)
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
    const char *prev = dstmt_col_text(st, 8, NULL);
    const char *hash = dstmt_col_text(st, 9, NULL);
    copy_str(ev->prev_hash, AUDIT_HASH_HEX, prev ? prev : "");
    copy_str(ev->hash, AUDIT_HASH_HEX, hash ? hash : "");
}

int store_report_head(sy_db *db, arena *a, int64_t *seq, char hash[AUDIT_HASH_HEX],
                      const char **at, store_err *err)
{
    *seq = 0;
    *at = NULL;
    memcpy(hash, AUDIT_GENESIS, AUDIT_HASH_HEX);
    dstmt *st = db_stmt(db, SQL_HEAD);
    if (!st)
        return db_fail(db, err, "report head");
    db_step rc = dstmt_step(st);
    if (rc == DB_ROW) {
        const char *h = dstmt_col_text(st, 1, NULL);
        *seq = col_i64(st, 0);
        if (h && strlen(h) == 64)
            memcpy(hash, h, AUDIT_HASH_HEX);
        *at = col_text(st, 2, a);
    }
    dstmt_reset(st);
    return rc == DB_ROW || rc == DB_DONE ? ST_OK : db_fail(db, err, "report head");
}

int store_report_changes(sy_db *db, const char *since, int64_t upto, arena *a,
                         audit_event **items, size_t *n, store_err *err)
{
    *items = NULL;
    *n = 0;
    dstmt *st = db_stmt(db, SQL_CHANGES);
    if (!st)
        return db_fail(db, err, "report changes");
    bind_text(st, 1, since);
    bind_i64(st, 2, upto);
    size_t cap = 0;
    audit_event *out = NULL;
    db_step rc;
    while ((rc = dstmt_step(st)) == DB_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            audit_event *grown = arena_alloc(a, ncap * sizeof *grown);
            if (!grown) {
                dstmt_reset(st);
                return db_fail_nomem(db, err, "report changes");
            }
            if (*n)
                memcpy(grown, out, *n * sizeof *grown);
            out = grown;
            cap = ncap;
        }
        read_event(st, a, &out[(*n)++]);
    }
    dstmt_reset(st);
    if (rc != DB_DONE)
        return db_fail(db, err, "report changes");
    *items = out;
    return ST_OK;
}

int store_audit_get(sy_db *db, int64_t seq, arena *a, audit_event *ev, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_ONE);
    if (!st)
        return db_fail(db, err, "audit event");
    bind_i64(st, 1, seq);
    db_step rc = dstmt_step(st);
    if (rc == DB_ROW)
        read_event(st, a, ev);
    dstmt_reset(st);
    if (rc == DB_ROW)
        return ST_OK;
    if (rc == DB_DONE) {
        err_set(err, ST_NOT_FOUND, "", "No audit event has this sequence number.");
        return ST_NOT_FOUND;
    }
    return db_fail(db, err, "audit event");
}
