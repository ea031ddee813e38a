/* workloads.c - SQL for workloads: AI use cases, the unit of governance,
 * with their dependencies on offerings and the proprietary features they
 * rely on. */
#include <stdio.h>
#include <string.h>

#include "store/internal.h"

const char *const WORKLOAD_SORTS[] = {"name", "-name", "id", "-id", "monthly_spend",
                                      "-monthly_spend", "criticality", "-criticality",
                                      "status", "-status", "created_at", "-created_at",
                                      "updated_at", "-updated_at", "risk", "-risk",
                                      "priority", "-priority", NULL};

#define WORKLOAD_COLS                                                          \
    "SELECT id, name, purpose, owner, team, track, status, criticality, "      \
    "data_classification, users, monthly_spend, planned_end, ai_act_tier, swap_layer, " \
    "second_model_validated, notes, version, created_at, updated_at FROM workloads w "
#define WORKLOAD_WHERE                                                         \
    "WHERE (CAST(?1 AS TEXT) IS NULL "                                         \
    "OR lower(name) LIKE ?1 ESCAPE '\\') "                                     \
    "AND (CAST(?5 AS TEXT) IS NULL OR track = ?5) "                            \
    "AND (CAST(?6 AS TEXT) IS NULL OR status = ?6) "                           \
    "AND (CAST(?7 AS TEXT) IS NULL OR criticality = ?7) "                      \
    "AND (CAST(?9 AS BIGINT) IS NULL "                                         \
    "OR EXISTS (SELECT 1 FROM workload_dependencies d "                        \
    "JOIN offerings o ON o.id = d.offering_id WHERE d.workload_id = w.id AND " \
    "(o.provider_id = ?9 OR o.publisher_id = ?9 OR o.host_id = ?9))) "         \
    "AND (CAST(?10 AS BIGINT) IS NULL "                                        \
    "OR EXISTS (SELECT 1 FROM workload_dependencies d "                        \
    "WHERE d.workload_id = w.id AND d.offering_id = ?10)) "
#define CRIT_RANK                                                              \
    "(CASE criticality WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 ELSE 4 END)"
#define STATUS_RANK                                                            \
    "(CASE status WHEN 'proposed' THEN 1 WHEN 'pilot' THEN 2 WHEN 'production' THEN 3 ELSE 4 END)"

static const char SQL_GET[] = WORKLOAD_COLS "WHERE id = ?1";
static const char SQL_COUNT[] = "SELECT COUNT(*) FROM workloads w " WORKLOAD_WHERE;
static const char SQL_PAGE[] =
    WORKLOAD_COLS WORKLOAD_WHERE
    "ORDER BY "
    "CASE WHEN ?2 = 'name' THEN name END ASC, CASE WHEN ?2 = '-name' THEN name END DESC, "
    "CASE WHEN ?2 = 'monthly_spend' THEN monthly_spend END ASC, "
    "CASE WHEN ?2 = '-monthly_spend' THEN monthly_spend END DESC, "
    "CASE WHEN ?2 = 'criticality' THEN " CRIT_RANK " END ASC, "
    "CASE WHEN ?2 = '-criticality' THEN " CRIT_RANK " END DESC, "
    "CASE WHEN ?2 = 'status' THEN " STATUS_RANK " END ASC, "
    "CASE WHEN ?2 = '-status' THEN " STATUS_RANK " END DESC, "
    "CASE WHEN ?2 = 'created_at' THEN created_at END ASC, "
    "CASE WHEN ?2 = '-created_at' THEN created_at END DESC, "
    "CASE WHEN ?2 = 'updated_at' THEN updated_at END ASC, "
    "CASE WHEN ?2 = '-updated_at' THEN updated_at END DESC, "
    "CASE WHEN ?2 = 'id' THEN id END ASC, "
    "CASE WHEN ?2 = '-id' THEN id END DESC, name ASC, id ASC "
    "LIMIT ?3 OFFSET ?4";
static const char SQL_DEPS[] =
    "SELECT offering_id, role FROM workload_dependencies WHERE workload_id = ?1 "
    "ORDER BY position";
static const char SQL_FEATURES[] =
    "SELECT feature FROM workload_features WHERE workload_id = ?1 ORDER BY position";
static const char SQL_INSERT[] =
    "INSERT INTO workloads(name, purpose, owner, team, track, status, criticality, "
    "data_classification, users, monthly_spend, planned_end, ai_act_tier, swap_layer, "
    "second_model_validated, notes, version, created_at, updated_at) VALUES (?1, ?2, ?3, "
    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1, ?16, ?16) RETURNING id";
static const char SQL_UPDATE[] =
    "UPDATE workloads SET name = ?1, purpose = ?2, owner = ?3, team = ?4, track = ?5, "
    "status = ?6, criticality = ?7, data_classification = ?8, users = ?9, "
    "monthly_spend = ?10, planned_end = ?11, ai_act_tier = ?12, swap_layer = ?13, "
    "second_model_validated = ?14, notes = ?15, updated_at = ?16, version = version + 1 "
    "WHERE id = ?17";
static const char SQL_DELETE[] = "DELETE FROM workloads WHERE id = ?1";
static const char SQL_VERSION[] = "SELECT version FROM workloads WHERE id = ?1";
static const char SQL_FIND[] = "SELECT id FROM workloads WHERE name = ?1";
static const char SQL_NAME_TAKEN[] = "SELECT 1 FROM workloads WHERE name = ?1 AND id <> ?2";
static const char SQL_OFFERING_EXISTS[] = "SELECT 1 FROM offerings WHERE id = ?1";
static const char SQL_CLEAR_DEPS[] = "DELETE FROM workload_dependencies WHERE workload_id = ?1";
static const char SQL_ADD_DEP[] =
    "INSERT INTO workload_dependencies(workload_id, offering_id, role, position) "
    "VALUES (?1, ?2, ?3, ?4)";
static const char SQL_CLEAR_FEATURES[] = "DELETE FROM workload_features WHERE workload_id = ?1";
static const char SQL_ADD_FEATURE[] =
    "INSERT INTO workload_features(workload_id, position, feature) VALUES (?1, ?2, ?3)";

void store_read_workload_row(dstmt *st, arena *a, void *item)
{
    workload *w = item;
    memset(w, 0, sizeof *w);
    w->id = col_i64(st, 0);
    w->name = col_text(st, 1, a);
    w->purpose = col_text(st, 2, a);
    w->owner = col_text(st, 3, a);
    w->team = col_text(st, 4, a);
    w->track = col_text(st, 5, a);
    w->status = col_text(st, 6, a);
    w->criticality = col_text(st, 7, a);
    w->data_classification = col_text(st, 8, a);
    w->users = col_i64(st, 9);
    w->monthly_spend = col_i64(st, 10);
    w->planned_end = col_text(st, 11, a);
    w->ai_act_tier = col_text(st, 12, a);
    w->swap_layer = (int)col_i64(st, 13);
    w->second_model_validated = (int)col_i64(st, 14);
    w->notes = col_text(st, 15, a);
    w->version = col_i64(st, 16);
    w->created_at = col_text(st, 17, a);
    w->updated_at = col_text(st, 18, a);
}

static void read_dep(dstmt *st, arena *a, void *item)
{
    dependency *d = item;
    d->offering = col_i64(st, 0);
    d->role = col_text(st, 1, a);
}

static void read_feature(dstmt *st, arena *a, void *item)
{
    *(const char **)item = col_text(st, 0, a);
}

static int read_children(sy_db *db, arena *a, workload *w, store_err *err)
{
    void *deps, *features;
    int code = db_children(db, SQL_DEPS, w->id, a, sizeof(dependency), read_dep, &deps,
                           &w->n_dependencies, err);
    w->dependencies = deps;
    if (code == ST_OK)
        code = db_children(db, SQL_FEATURES, w->id, a, sizeof(char *), read_feature,
                           &features, &w->n_features, err);
    w->features = code == ST_OK ? features : NULL;
    return code;
}

int store_workload_get(sy_db *db, int64_t id, arena *a, workload *out, store_err *err)
{
    int code = db_get_row(db, SQL_GET, NULL, id, a, store_read_workload_row, out, "No workload with this ID.", err);
    return code == ST_OK ? read_children(db, a, out, err) : code;
}

int store_workload_list(sy_db *db, const list_query *q, arena *a, workload **items,
                        size_t *n, int64_t *total, store_err *err)
{
    void *rows;
    int code = db_list(db, SQL_COUNT, SQL_PAGE, q, a, sizeof(workload), store_read_workload_row,
                       &rows, n, total, err);
    *items = rows;
    for (size_t i = 0; code == ST_OK && i < *n; i++)
        code = read_children(db, a, &(*items)[i], err);
    return code;
}

static int check_refs(sy_db *db, int64_t id, const workload *w, store_err *err)
{
    int code = db_name_free(db, SQL_NAME_TAKEN, w->name, id,
                            "Another workload already has this name.", err);
    if (code != ST_OK)
        return code;
    for (size_t i = 0; i < w->n_dependencies; i++) {
        int ok = db_exists(db, SQL_OFFERING_EXISTS, w->dependencies[i].offering);
        if (ok <= 0) {
            char ptr[64];
            snprintf(ptr, sizeof ptr, "/dependencies/%zu/offering", i);
            err_set(err, ok < 0 ? ST_ERROR : ST_BAD_REF, ptr, "No offering with this ID.");
            return ok < 0 ? ST_ERROR : ST_BAD_REF;
        }
    }
    return ST_OK;
}

static void bind_workload(dstmt *st, const workload *w, const char *now)
{
    bind_text(st, 1, w->name);
    bind_text(st, 2, w->purpose);
    bind_text(st, 3, w->owner);
    bind_text(st, 4, w->team);
    bind_text(st, 5, w->track);
    bind_text(st, 6, w->status);
    bind_text(st, 7, w->criticality);
    bind_text(st, 8, w->data_classification);
    bind_i64(st, 9, w->users);
    bind_i64(st, 10, w->monthly_spend);
    bind_text(st, 11, w->planned_end);
    bind_text(st, 12, w->ai_act_tier);
    bind_i64(st, 13, w->swap_layer ? 1 : 0);
    bind_i64(st, 14, w->second_model_validated ? 1 : 0);
    bind_text(st, 15, w->notes);
    bind_text(st, 16, now);
}

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* 1 when the stored dependencies and features of workload id are exactly
 * w's (in order), so an update may leave those rows alone: rewriting them
 * would dirty their pages and indexes for nothing. 0 otherwise or on error
 * (then they are rewritten, which is always correct). */
static int children_unchanged(sy_db *db, int64_t id, const workload *w)
{
    arena a;
    arena_init(&a);
    workload stored;
    memset(&stored, 0, sizeof stored);
    stored.id = id;
    store_err err;
    int same = read_children(db, &a, &stored, &err) == ST_OK &&
               stored.n_dependencies == w->n_dependencies && stored.n_features == w->n_features;
    for (size_t i = 0; same && i < w->n_dependencies; i++)
        same = stored.dependencies[i].offering == w->dependencies[i].offering &&
               same_text(stored.dependencies[i].role, w->dependencies[i].role);
    for (size_t i = 0; same && i < w->n_features; i++)
        same = same_text(stored.features[i], w->features[i]);
    arena_free(&a);
    return same;
}

static int write_children(sy_db *db, int64_t id, const workload *w, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_CLEAR_DEPS);
    if (!st)
        return db_fail(db, err, "workload dependencies");
    bind_i64(st, 1, id);
    int code = db_exec_stmt(db, st, err, "workload dependencies");
    for (size_t i = 0; code == ST_OK && i < w->n_dependencies; i++) {
        if (!(st = db_stmt(db, SQL_ADD_DEP)))
            return db_fail(db, err, "workload dependencies");
        bind_i64(st, 1, id);
        bind_i64(st, 2, w->dependencies[i].offering);
        bind_text(st, 3, w->dependencies[i].role);
        bind_i64(st, 4, (int64_t)i);
        code = db_exec_stmt(db, st, err, "workload dependencies");
    }
    if (code != ST_OK || !(st = db_stmt(db, SQL_CLEAR_FEATURES)))
        return code != ST_OK ? code : db_fail(db, err, "workload features");
    bind_i64(st, 1, id);
    code = db_exec_stmt(db, st, err, "workload features");
    for (size_t i = 0; code == ST_OK && i < w->n_features; i++) {
        if (!(st = db_stmt(db, SQL_ADD_FEATURE)))
            return db_fail(db, err, "workload features");
        bind_i64(st, 1, id);
        bind_i64(st, 2, (int64_t)i);
        bind_text(st, 3, w->features[i]);
        code = db_exec_stmt(db, st, err, "workload features");
    }
    return code;
}

int store_workload_insert(sy_db *db, workload *w, store_err *err)
{
    int code = check_refs(db, 0, w, err);
    if (code != ST_OK)
        return code;
    char now[21];
    store_now(now);
    dstmt *st = db_stmt(db, SQL_INSERT);
    if (!st)
        return db_fail(db, err, "workload insert");
    bind_workload(st, w, now);
    if ((code = db_insert_id(db, st, &w->id, err, "workload insert")) != ST_OK)
        return code;
    db_note_workload(db, w->id);
    return write_children(db, w->id, w, err);
}

int store_workload_update(sy_db *db, int64_t id, int64_t if_version, const workload *w,
                          store_err *err)
{
    db_note_workload(db, id);
    int code = db_check_version(db, SQL_VERSION, id, if_version, "workload update", err);
    if (code != ST_OK || (code = check_refs(db, id, w, err)) != ST_OK)
        return code;
    char now[21];
    store_now(now);
    dstmt *st = db_stmt(db, SQL_UPDATE);
    if (!st)
        return db_fail(db, err, "workload update");
    bind_workload(st, w, now);
    bind_i64(st, 17, id);
    if ((code = db_exec_stmt(db, st, err, "workload update")) != ST_OK)
        return code;
    return children_unchanged(db, id, w) ? ST_OK : write_children(db, id, w, err);
}

int store_workload_delete(sy_db *db, int64_t id, int64_t if_version, store_err *err)
{
    db_note_workload(db, id);
    int code = db_check_version(db, SQL_VERSION, id, if_version, "workload delete", err);
    if (code != ST_OK)
        return code;
    dstmt *st = db_stmt(db, SQL_DELETE);
    if (!st)
        return db_fail(db, err, "workload delete");
    bind_i64(st, 1, id);
    return db_exec_stmt(db, st, err, "workload delete");
}

int store_workload_find(sy_db *db, const char *name, int64_t *id)
{
    return db_find_id(db, SQL_FIND, name, id);
}
