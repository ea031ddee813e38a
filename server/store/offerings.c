/* offerings.c - SQL for offerings: what vendors sell, with the provider,
 * publisher and host roles kept apart (FinOps FOCUS). */
#include <stdio.h>
#include <string.h>

#include "store/internal.h"

const char *const OFFERING_SORTS[] = {"name", "-name", "id", "-id", "track", "-track",
                                      "created_at", "-created_at", "updated_at",
                                      "-updated_at", NULL};

#define OFFERING_COLS                                                          \
    "SELECT id, name, provider_id, publisher_id, host_id, track, category, "   \
    "interface, open_weight, description, url, version, created_at, updated_at " \
    "FROM offerings "
#define OFFERING_WHERE                                                         \
    "WHERE (CAST(?1 AS TEXT) IS NULL "                                         \
    "OR lower(name) LIKE ?1 ESCAPE '\\') "                                     \
    "AND (CAST(?5 AS TEXT) IS NULL OR track = ?5) "                            \
    "AND (CAST(?11 AS TEXT) IS NULL OR category = ?11) "                       \
    "AND (CAST(?9 AS BIGINT) IS NULL "                                         \
    "OR provider_id = ?9 OR publisher_id = ?9 OR host_id = ?9) "

static const char SQL_GET[] = OFFERING_COLS "WHERE id = ?1";
static const char SQL_COUNT[] = "SELECT COUNT(*) FROM offerings " OFFERING_WHERE;
static const char SQL_PAGE[] =
    OFFERING_COLS OFFERING_WHERE
    "ORDER BY "
    "CASE WHEN ?2 = 'name' THEN name END ASC, CASE WHEN ?2 = '-name' THEN name END DESC, "
    "CASE WHEN ?2 = 'track' THEN track END ASC, CASE WHEN ?2 = '-track' THEN track END DESC, "
    "CASE WHEN ?2 = 'created_at' THEN created_at END ASC, "
    "CASE WHEN ?2 = '-created_at' THEN created_at END DESC, "
    "CASE WHEN ?2 = 'updated_at' THEN updated_at END ASC, "
    "CASE WHEN ?2 = '-updated_at' THEN updated_at END DESC, "
    "CASE WHEN ?2 = 'id' THEN id END ASC, "
    "CASE WHEN ?2 = '-id' THEN id END DESC, name ASC, id ASC "
    "LIMIT ?3 OFFSET ?4";
static const char SQL_INSERT[] =
    "INSERT INTO offerings(name, provider_id, publisher_id, host_id, track, category, "
    "interface, open_weight, description, url, version, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?11) RETURNING id";
static const char SQL_UPDATE[] =
    "UPDATE offerings SET name = ?1, provider_id = ?2, publisher_id = ?3, host_id = ?4, "
    "track = ?5, category = ?6, interface = ?7, open_weight = ?8, description = ?9, "
    "url = ?10, updated_at = ?11, version = version + 1 WHERE id = ?12";
static const char SQL_DELETE[] = "DELETE FROM offerings WHERE id = ?1";
static const char SQL_VERSION[] = "SELECT version FROM offerings WHERE id = ?1";
static const char SQL_FIND[] = "SELECT id FROM offerings WHERE name = ?1";
static const char SQL_NAME_TAKEN[] = "SELECT 1 FROM offerings WHERE name = ?1 AND id <> ?2";
static const char SQL_VENDOR_EXISTS[] = "SELECT 1 FROM vendors WHERE id = ?1";
static const char SQL_USES[] =
    "SELECT (SELECT COUNT(*) FROM workload_dependencies WHERE offering_id = ?1), "
    "(SELECT COUNT(*) FROM contract_offerings WHERE offering_id = ?1)";

void store_read_offering_row(dstmt *st, arena *a, void *item)
{
    offering *o = item;
    memset(o, 0, sizeof *o);
    o->id = col_i64(st, 0);
    o->name = col_text(st, 1, a);
    o->provider = col_i64(st, 2);
    o->publisher = col_i64(st, 3);
    o->host = col_i64(st, 4);
    o->track = col_text(st, 5, a);
    o->category = col_text(st, 6, a);
    o->interface = col_text(st, 7, a);
    o->open_weight = (int)col_i64(st, 8);
    o->description = col_text(st, 9, a);
    o->url = col_text(st, 10, a);
    o->version = col_i64(st, 11);
    o->created_at = col_text(st, 12, a);
    o->updated_at = col_text(st, 13, a);
}

int store_offering_get(sy_db *db, int64_t id, arena *a, offering *out, store_err *err)
{
    return db_get_row(db, SQL_GET, NULL, id, a, store_read_offering_row, out, "No offering with this ID.", err);
}

int store_offering_list(sy_db *db, const list_query *q, arena *a, offering **items,
                        size_t *n, int64_t *total, store_err *err)
{
    void *rows;
    int code = db_list(db, SQL_COUNT, SQL_PAGE, q, a, sizeof(offering), store_read_offering_row,
                       &rows, n, total, err);
    *items = rows;
    return code;
}

static int check_refs(sy_db *db, int64_t id, const offering *o, store_err *err)
{
    int code = db_name_free(db, SQL_NAME_TAKEN, o->name, id,
                            "Another offering already has this name.", err);
    if (code != ST_OK)
        return code;
    const struct { int64_t id; const char *ptr; } refs[] = {
        {o->provider, "/provider"}, {o->publisher, "/publisher"}, {o->host, "/host"}};
    for (size_t i = 0; i < 3; i++) {
        if (!refs[i].id)
            continue;
        int ok = db_exists(db, SQL_VENDOR_EXISTS, refs[i].id);
        if (ok <= 0) {
            err_set(err, ok < 0 ? ST_ERROR : ST_BAD_REF, refs[i].ptr, "No vendor with this ID.");
            return ok < 0 ? ST_ERROR : ST_BAD_REF;
        }
    }
    return ST_OK;
}

static void bind_offering(dstmt *st, const offering *o, const char *now)
{
    bind_text(st, 1, o->name);
    bind_i64(st, 2, o->provider);
    bind_id(st, 3, o->publisher);
    bind_id(st, 4, o->host);
    bind_text(st, 5, o->track);
    bind_text(st, 6, o->category);
    bind_text(st, 7, o->interface);
    bind_i64(st, 8, o->open_weight ? 1 : 0);
    bind_text(st, 9, o->description);
    bind_text(st, 10, o->url);
    bind_text(st, 11, now);
}

int store_offering_insert(sy_db *db, offering *o, store_err *err)
{
    db->touched_catalogue = 1; /* risk inputs change: see store_generations */
    int code = check_refs(db, 0, o, err);
    if (code != ST_OK)
        return code;
    char now[21];
    store_now(now);
    dstmt *st = db_stmt(db, SQL_INSERT);
    if (!st)
        return db_fail(db, err, "offering insert");
    bind_offering(st, o, now);
    return db_insert_id(db, st, &o->id, err, "offering insert");
}

int store_offering_update(sy_db *db, int64_t id, int64_t if_version, const offering *o,
                          store_err *err)
{
    db->touched_catalogue = 1; /* risk inputs change: see store_generations */
    int code = db_check_version(db, SQL_VERSION, id, if_version, "offering update", err);
    if (code != ST_OK || (code = check_refs(db, id, o, err)) != ST_OK)
        return code;
    char now[21];
    store_now(now);
    dstmt *st = db_stmt(db, SQL_UPDATE);
    if (!st)
        return db_fail(db, err, "offering update");
    bind_offering(st, o, now);
    bind_i64(st, 12, id);
    return db_exec_stmt(db, st, err, "offering update");
}

int store_offering_delete(sy_db *db, int64_t id, int64_t if_version, store_err *err)
{
    db->touched_catalogue = 1; /* risk inputs change: see store_generations */
    int code = db_check_version(db, SQL_VERSION, id, if_version, "offering delete", err);
    if (code != ST_OK)
        return code;
    dstmt *st = db_stmt(db, SQL_USES);
    if (!st)
        return db_fail(db, err, "offering uses");
    bind_i64(st, 1, id);
    db_step rc = dstmt_step(st);
    if (rc != DB_ROW) {
        dstmt_reset(st);
        return db_fail(db, err, "offering uses");
    }
    int64_t workloads = col_i64(st, 0), contracts = col_i64(st, 1);
    dstmt_reset(st);
    if (workloads || contracts) {
        char detail[256];
        snprintf(detail, sizeof detail,
                 "The offering is still used by %lld workload(s) and %lld contract(s); "
                 "change those first.", (long long)workloads, (long long)contracts);
        err_set(err, ST_IN_USE, "", detail);
        return ST_IN_USE;
    }
    st = db_stmt(db, SQL_DELETE);
    if (!st)
        return db_fail(db, err, "offering delete");
    bind_i64(st, 1, id);
    return db_exec_stmt(db, st, err, "offering delete");
}

int store_offering_find(sy_db *db, const char *name, int64_t *id)
{
    return db_find_id(db, SQL_FIND, name, id);
}
