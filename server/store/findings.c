/* findings.c - the store side of finding actions: owner, due date, status
 * and note under a computed finding's stable key (core/finding_action.h).
 * They change no risk input, so a write leaves the scored snapshot alone;
 * the commit still moves the data generation, which drops cached answers. */
#include <string.h>

#include "store/internal.h"

#define ACTION_COLS \
    "SELECT id, key, owner, due, status, note, updated_by, updated_at, version " \
    "FROM finding_actions "

static const char SQL_ACTIONS_ALL[] = ACTION_COLS "ORDER BY key";
static const char SQL_ACTION_ONE[] = ACTION_COLS "WHERE key = ?1";
static const char SQL_ACTION_PUT[] =
    "INSERT INTO finding_actions(key, owner, due, status, note, updated_by, updated_at, version) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1) ON CONFLICT (key) DO UPDATE SET "
    "owner = excluded.owner, due = excluded.due, status = excluded.status, "
    "note = excluded.note, updated_by = excluded.updated_by, "
    "updated_at = excluded.updated_at, version = finding_actions.version + 1 RETURNING id";

static void read_action(dstmt *st, arena *a, void *item)
{
    finding_action *f = item;
    f->id = col_i64(st, 0);
    f->key = col_text(st, 1, a);
    f->owner = col_text(st, 2, a);
    f->due = col_text(st, 3, a);
    f->status = col_text(st, 4, a);
    f->note = col_text(st, 5, a);
    f->updated_by = col_text(st, 6, a);
    f->updated_at = col_text(st, 7, a);
    f->version = col_i64(st, 8);
}

int store_finding_actions(sy_db *db, arena *a, finding_action **items, size_t *n,
                          store_err *err)
{
    void *out;
    int code = db_rows(db, SQL_ACTIONS_ALL, 0, 16, a, sizeof(finding_action), read_action,
                       &out, n, err, "finding actions");
    *items = out;
    return code;
}

int store_finding_action_get(sy_db *db, const char *key, arena *a, finding_action *out,
                             store_err *err)
{
    return db_get_row(db, SQL_ACTION_ONE, key, 0, a, read_action, out,
                      "No action is recorded for this finding.", err);
}

int store_finding_action_put(sy_db *db, finding_action *f, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_ACTION_PUT);
    if (!st)
        return db_fail(db, err, "finding action");
    bind_text(st, 1, f->key);
    bind_text(st, 2, f->owner);
    bind_text(st, 3, f->due);
    bind_text(st, 4, f->status);
    bind_text(st, 5, f->note);
    bind_text(st, 6, f->updated_by);
    bind_text(st, 7, f->updated_at);
    return db_insert_id(db, st, &f->id, err, "finding action");
}
