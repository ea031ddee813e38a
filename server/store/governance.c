/* governance.c - the store side of exit drills and risk acceptances: the
 * evidence that proves an alternative, and a named owner's acceptance of a
 * workload's lock-in. Both are append-mostly (an acceptance can be
 * revoked, never edited) and both change a workload's risk, so a write
 * marks the risk inputs changed (the scored snapshot reloads). */
#include <string.h>

#include "core/portfolio.h"
#include "store/internal.h"

#define DRILL_COLS \
    "SELECT id, workload_id, dependency_id, offering_id, drilled_on, result, evidence, " \
    "recorded_by, created_at FROM exit_drills "
#define ACCEPT_COLS \
    "SELECT id, workload_id, owner, reason, expires_on, created_by, created_at, " \
    "revoked_at, revoked_by FROM risk_acceptances "

static const char SQL_DRILLS_ALL[] = DRILL_COLS "ORDER BY workload_id, drilled_on, id";
static const char SQL_DRILLS_OF[] =
    DRILL_COLS "WHERE workload_id = ?1 ORDER BY drilled_on DESC, id DESC";
static const char SQL_DRILL_ADD[] =
    "INSERT INTO exit_drills(workload_id, dependency_id, offering_id, drilled_on, result, "
    "evidence, recorded_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";
static const char SQL_ACCEPT_ALL[] = ACCEPT_COLS "ORDER BY workload_id, id";
static const char SQL_ACCEPT_OF[] = ACCEPT_COLS "WHERE workload_id = ?1 ORDER BY id DESC";
static const char SQL_ACCEPT_ONE[] = ACCEPT_COLS "WHERE id = ?1";
static const char SQL_ACCEPT_ADD[] =
    "INSERT INTO risk_acceptances(workload_id, owner, reason, expires_on, created_by, "
    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
static const char SQL_ACCEPT_REVOKE[] =
    "UPDATE risk_acceptances SET revoked_at = ?2, revoked_by = ?3 "
    "WHERE id = ?1 AND revoked_at IS NULL";

static void read_drill(dstmt *st, arena *a, void *item)
{
    exit_drill *d = item;
    d->id = col_i64(st, 0);
    d->workload = col_i64(st, 1);
    d->dependency = col_i64(st, 2);
    d->offering = col_i64(st, 3);
    d->drilled_on = col_text(st, 4, a);
    d->result = col_text(st, 5, a);
    d->evidence = col_text(st, 6, a);
    d->recorded_by = col_text(st, 7, a);
    d->created_at = col_text(st, 8, a);
}

static void read_acceptance(dstmt *st, arena *a, void *item)
{
    risk_acceptance *r = item;
    r->id = col_i64(st, 0);
    r->workload = col_i64(st, 1);
    r->owner = col_text(st, 2, a);
    r->reason = col_text(st, 3, a);
    r->expires_on = col_text(st, 4, a);
    r->created_by = col_text(st, 5, a);
    r->created_at = col_text(st, 6, a);
    r->revoked_at = col_text(st, 7, a);
    r->revoked_by = col_text(st, 8, a);
}

int store_governance_load(sy_db *db, arena *a, portfolio *p, store_err *err)
{
    void *items;
    int code = db_rows(db, SQL_DRILLS_ALL, 0, 16, a, sizeof(exit_drill), read_drill, &items,
                       &p->n_drills, err, "drills");
    p->drills = items;
    if (code != ST_OK)
        return code;
    code = db_rows(db, SQL_ACCEPT_ALL, 0, 16, a, sizeof(risk_acceptance), read_acceptance,
                   &items, &p->n_acceptances, err, "acceptances");
    p->acceptances = items;
    return code;
}

int store_drills_of(sy_db *db, int64_t workload_id, arena *a, exit_drill **items, size_t *n,
                    store_err *err)
{
    void *out;
    int code = db_rows(db, SQL_DRILLS_OF, workload_id, 8, a, sizeof(exit_drill), read_drill,
                       &out, n, err, "drills");
    *items = out;
    return code;
}

int store_drill_add(sy_db *db, exit_drill *d, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_DRILL_ADD);
    if (!st)
        return db_fail(db, err, "drill");
    bind_i64(st, 1, d->workload);
    bind_i64(st, 2, d->dependency);
    bind_i64(st, 3, d->offering);
    bind_text(st, 4, d->drilled_on);
    bind_text(st, 5, d->result);
    bind_text(st, 6, d->evidence);
    bind_text(st, 7, d->recorded_by);
    bind_text(st, 8, d->created_at);
    /* Risk inputs change (see store_generations), of this workload only. */
    db_note_catalogue(db, STORE_CHANGE_GOVERNANCE, d->workload);
    return db_insert_id(db, st, &d->id, err, "drill");
}

int store_acceptances_of(sy_db *db, int64_t workload_id, arena *a, risk_acceptance **items,
                         size_t *n, store_err *err)
{
    void *out;
    int code = db_rows(db, workload_id ? SQL_ACCEPT_OF : SQL_ACCEPT_ALL, workload_id, 8, a,
                       sizeof(risk_acceptance), read_acceptance, &out, n, err, "acceptances");
    *items = out;
    return code;
}

int store_acceptance_get(sy_db *db, int64_t id, arena *a, risk_acceptance *out,
                         store_err *err)
{
    return db_get_row(db, SQL_ACCEPT_ONE, NULL, id, a, read_acceptance, out,
                      "No risk acceptance with this ID.", err);
}

int store_acceptance_add(sy_db *db, risk_acceptance *r, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_ACCEPT_ADD);
    if (!st)
        return db_fail(db, err, "acceptance");
    bind_i64(st, 1, r->workload);
    bind_text(st, 2, r->owner);
    bind_text(st, 3, r->reason);
    bind_text(st, 4, r->expires_on);
    bind_text(st, 5, r->created_by);
    bind_text(st, 6, r->created_at);
    db_note_catalogue(db, STORE_CHANGE_GOVERNANCE, r->workload);
    return db_insert_id(db, st, &r->id, err, "acceptance");
}

int store_acceptance_revoke(sy_db *db, int64_t id, const char *at, const char *by,
                            store_err *err)
{
    dstmt *st = db_stmt(db, SQL_ACCEPT_REVOKE);
    if (!st)
        return db_fail(db, err, "revoke");
    bind_i64(st, 1, id);
    bind_text(st, 2, at);
    bind_text(st, 3, by);
    db->touched_catalogue = 1;
    return db_exec_stmt(db, st, err, "revoke");
}
