/* scenarios.c - SQL for saved what-if scenarios. */
#include <string.h>

#include "store/internal.h"

const char *const SCENARIO_SORTS[] = {"name", "-name", "id", "-id", "created_at", "-created_at",
                                      "updated_at", "-updated_at", NULL};

#define SCENARIO_COLS                                                          \
    "SELECT id, name, description, owner, changes, version, created_at, updated_at " \
    "FROM scenarios "
#define SCENARIO_WHERE                                                         \
    "WHERE (CAST(?1 AS TEXT) IS NULL OR lower(name) LIKE ?1 ESCAPE '\\') "

static const char SQL_GET[] = SCENARIO_COLS "WHERE id = ?1";
static const char SQL_COUNT[] = "SELECT COUNT(*) FROM scenarios " SCENARIO_WHERE;
static const char SQL_PAGE[] =
    SCENARIO_COLS SCENARIO_WHERE
    "ORDER BY "
    "CASE WHEN ?2 = 'name' THEN name END ASC, CASE WHEN ?2 = '-name' THEN name END DESC, "
    "CASE WHEN ?2 = 'created_at' THEN created_at END ASC, "
    "CASE WHEN ?2 = '-created_at' THEN created_at END DESC, "
    "CASE WHEN ?2 = 'updated_at' THEN updated_at END ASC, "
    "CASE WHEN ?2 = '-updated_at' THEN updated_at END DESC, "
    "CASE WHEN ?2 = 'id' THEN id END ASC, CASE WHEN ?2 = '-id' THEN id END DESC, name ASC, id ASC "
    "LIMIT ?3 OFFSET ?4";
static const char SQL_INSERT[] =
    "INSERT INTO scenarios(name, description, owner, changes, version, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5) RETURNING id";
static const char SQL_UPDATE[] =
    "UPDATE scenarios SET name = ?1, description = ?2, owner = ?3, changes = ?4, "
    "updated_at = ?5, version = version + 1 WHERE id = ?6";
static const char SQL_DELETE[] = "DELETE FROM scenarios WHERE id = ?1";
static const char SQL_VERSION[] = "SELECT version FROM scenarios WHERE id = ?1";
static const char SQL_FIND[] = "SELECT id FROM scenarios WHERE name = ?1";
static const char SQL_NAME_TAKEN[] = "SELECT 1 FROM scenarios WHERE name = ?1 AND id <> ?2";

static void read_scenario(dstmt *st, arena *a, void *item)
{
    saved_scenario *s = item;
    memset(s, 0, sizeof *s);
    s->id = col_i64(st, 0);
    s->name = col_text(st, 1, a);
    s->description = col_text(st, 2, a);
    s->owner = col_text(st, 3, a);
    s->changes = col_text(st, 4, a);
    s->version = col_i64(st, 5);
    s->created_at = col_text(st, 6, a);
    s->updated_at = col_text(st, 7, a);
}

int store_scenario_get(sy_db *db, int64_t id, arena *a, saved_scenario *out, store_err *err)
{
    return db_get_row(db, SQL_GET, NULL, id, a, read_scenario, out, "No scenario with this ID.", err);
}

int store_scenario_list(sy_db *db, const list_query *q, arena *a, saved_scenario **items,
                        size_t *n, int64_t *total, store_err *err)
{
    void *rows;
    int code = db_list(db, SQL_COUNT, SQL_PAGE, q, a, sizeof(saved_scenario), read_scenario,
                       &rows, n, total, err);
    *items = rows;
    return code;
}

static int name_free(sy_db *db, int64_t id, const char *name, store_err *err)
{
    return db_name_free(db, SQL_NAME_TAKEN, name, id, "Another scenario already has this name.",
                        err);
}

static void bind_scenario(dstmt *st, const saved_scenario *s, const char *now)
{
    bind_text(st, 1, s->name);
    bind_text(st, 2, s->description);
    bind_text(st, 3, s->owner);
    bind_text(st, 4, s->changes);
    bind_text(st, 5, now);
}

int store_scenario_insert(sy_db *db, saved_scenario *s, store_err *err)
{
    int code = name_free(db, 0, s->name, err);
    if (code != ST_OK)
        return code;
    char now[21];
    store_now(now);
    dstmt *st = db_stmt(db, SQL_INSERT);
    if (!st)
        return db_fail(db, err, "scenario insert");
    bind_scenario(st, s, now);
    return db_insert_id(db, st, &s->id, err, "scenario insert");
}

int store_scenario_update(sy_db *db, int64_t id, int64_t if_version, const saved_scenario *s,
                          store_err *err)
{
    int code = db_check_version(db, SQL_VERSION, id, if_version, "scenario update", err);
    if (code != ST_OK || (code = name_free(db, id, s->name, err)) != ST_OK)
        return code;
    char now[21];
    store_now(now);
    dstmt *st = db_stmt(db, SQL_UPDATE);
    if (!st)
        return db_fail(db, err, "scenario update");
    bind_scenario(st, s, now);
    bind_i64(st, 6, id);
    return db_exec_stmt(db, st, err, "scenario update");
}

int store_scenario_delete(sy_db *db, int64_t id, int64_t if_version, store_err *err)
{
    int code = db_check_version(db, SQL_VERSION, id, if_version, "scenario delete", err);
    if (code != ST_OK)
        return code;
    dstmt *st = db_stmt(db, SQL_DELETE);
    if (!st)
        return db_fail(db, err, "scenario delete");
    bind_i64(st, 1, id);
    return db_exec_stmt(db, st, err, "scenario delete");
}

int store_scenario_find(sy_db *db, const char *name, int64_t *id)
{
    return db_find_id(db, SQL_FIND, name, id);
}
