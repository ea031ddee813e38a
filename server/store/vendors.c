/* vendors.c - SQL for vendors and their closely-connected links. */
#include <stdio.h>
#include <string.h>

#include "store/internal.h"

const char *const VENDOR_SORTS[] = {"name", "-name", "id", "-id", "created_at",
                                    "-created_at", "updated_at", "-updated_at", NULL};

/* Every vendor with the top of its parent chain (its group). */
#define VENDOR_COLS                                                            \
    "v.id, v.name, v.parent_id, v.website, v.country, v.description, "         \
    "v.version, v.created_at, v.updated_at, g.top, gv.name "
#define VENDOR_FROM                                                            \
    "WITH RECURSIVE chain(id, top) AS ("                                       \
    " SELECT id, id FROM vendors WHERE parent_id IS NULL"                      \
    " UNION ALL SELECT v.id, c.top FROM vendors v JOIN chain c ON v.parent_id = c.id) " \
    "SELECT " VENDOR_COLS "FROM vendors v LEFT JOIN chain g ON g.id = v.id "   \
    "LEFT JOIN vendors gv ON gv.id = g.top "

static const char SQL_GET[] = VENDOR_FROM "WHERE v.id = ?1";
static const char SQL_LIST_WHERE[] =
    VENDOR_FROM
    "WHERE (CAST(?1 AS TEXT) IS NULL OR lower(v.name) LIKE ?1 ESCAPE '\\') "
    "ORDER BY "
    "CASE WHEN ?2 = 'name' THEN v.name END ASC, CASE WHEN ?2 = '-name' THEN v.name END DESC, "
    "CASE WHEN ?2 = 'created_at' THEN v.created_at END ASC, "
    "CASE WHEN ?2 = '-created_at' THEN v.created_at END DESC, "
    "CASE WHEN ?2 = 'updated_at' THEN v.updated_at END ASC, "
    "CASE WHEN ?2 = '-updated_at' THEN v.updated_at END DESC, "
    "CASE WHEN ?2 = '-id' THEN v.id END DESC, v.id ASC "
    "LIMIT ?3 OFFSET ?4";
static const char SQL_COUNT[] =
    "SELECT COUNT(*) FROM vendors v "
    "WHERE (CAST(?1 AS TEXT) IS NULL OR lower(v.name) LIKE ?1 ESCAPE '\\')";
static const char SQL_LINKS[] =
    "SELECT CASE WHEN vendor_a = ?1 THEN vendor_b ELSE vendor_a END AS other, reason "
    "FROM vendor_connections WHERE vendor_a = ?1 OR vendor_b = ?1 ORDER BY other";
static const char SQL_INSERT[] =
    "INSERT INTO vendors(name, parent_id, website, country, description, version, "
    "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6) RETURNING id";
static const char SQL_UPDATE[] =
    "UPDATE vendors SET name = ?2, parent_id = ?3, website = ?4, country = ?5, "
    "description = ?6, version = version + 1, updated_at = ?7 WHERE id = ?1";
static const char SQL_DELETE[] = "DELETE FROM vendors WHERE id = ?1";
static const char SQL_VERSION[] = "SELECT version FROM vendors WHERE id = ?1";
static const char SQL_EXISTS[] = "SELECT 1 FROM vendors WHERE id = ?1";
static const char SQL_FIND[] = "SELECT id FROM vendors WHERE name = ?1";
static const char SQL_NAME_TAKEN[] = "SELECT 1 FROM vendors WHERE name = ?1 AND id <> ?2";
static const char SQL_LINKS_CLEAR[] =
    "DELETE FROM vendor_connections WHERE vendor_a = ?1 OR vendor_b = ?1";
static const char SQL_BUMP_PARTNERS[] =
    "UPDATE vendors SET version = version + 1, updated_at = ?2 WHERE id IN ("
    "SELECT vendor_b FROM vendor_connections WHERE vendor_a = ?1 UNION "
    "SELECT vendor_a FROM vendor_connections WHERE vendor_b = ?1)";
static const char SQL_LINK_ADD[] =
    "INSERT INTO vendor_connections(vendor_a, vendor_b, reason) VALUES (?1, ?2, ?3)";
/* 1 when ?2 is ?1 or one of ?1's descendants: making ?2 the parent of ?1
 * would close a cycle. */
static const char SQL_IS_DESCENDANT[] =
    "WITH RECURSIVE below(id) AS (SELECT CAST(?1 AS BIGINT) UNION ALL "
    "SELECT v.id FROM vendors v JOIN below b ON v.parent_id = b.id) "
    "SELECT 1 FROM below WHERE id = ?2";
static const char SQL_USES[] =
    "SELECT (SELECT COUNT(*) FROM vendors WHERE parent_id = ?1), "
    "(SELECT COUNT(*) FROM offerings WHERE provider_id = ?1 OR publisher_id = ?1 OR host_id = ?1), "
    "(SELECT COUNT(*) FROM contracts WHERE counterparty_id = ?1 OR other_party_id = ?1)";

void store_read_vendor_row(dstmt *st, arena *a, void *item)
{
    vendor *v = item;
    memset(v, 0, sizeof *v);
    v->id = col_i64(st, 0);
    v->name = col_text(st, 1, a);
    v->parent = col_i64(st, 2);
    v->website = col_text(st, 3, a);
    v->country = col_text(st, 4, a);
    v->description = col_text(st, 5, a);
    v->version = col_i64(st, 6);
    v->created_at = col_text(st, 7, a);
    v->updated_at = col_text(st, 8, a);
    v->group_id = col_i64(st, 9);
    v->group_name = col_text(st, 10, a);
}

static void read_link(dstmt *st, arena *a, void *item)
{
    vendor_link *l = item;
    l->vendor = col_i64(st, 0);
    l->reason = col_text(st, 1, a);
}

static int read_links(sy_db *db, arena *a, vendor *v, store_err *err)
{
    void *links;
    int code = db_children(db, SQL_LINKS, v->id, a, sizeof(vendor_link), read_link,
                           &links, &v->n_connections, err);
    v->connections = links;
    return code;
}

int store_vendor_get(sy_db *db, int64_t id, arena *a, vendor *out, store_err *err)
{
    int code = db_get_row(db, SQL_GET, NULL, id, a, store_read_vendor_row, out, "No vendor with this ID.", err);
    return code == ST_OK ? read_links(db, a, out, err) : code;
}

int store_vendor_list(sy_db *db, const list_query *q, arena *a, vendor **items,
                      size_t *n, int64_t *total, store_err *err)
{
    void *rows;
    int code = db_list(db, SQL_COUNT, SQL_LIST_WHERE, q, a, sizeof(vendor), store_read_vendor_row,
                       &rows, n, total, err);
    *items = rows;
    for (size_t i = 0; code == ST_OK && i < *n; i++)
        code = read_links(db, a, &(*items)[i], err);
    return code;
}

/* Checks references and uniqueness so the client hears which field is at
 * fault, then writes the connection rows. id is the vendor being saved. */
static int check_refs(sy_db *db, int64_t id, const vendor *v, store_err *err)
{
    int code = db_name_free(db, SQL_NAME_TAKEN, v->name, id,
                            "Another vendor already has this name.", err);
    if (code != ST_OK)
        return code;
    if (v->parent) {
        int ok = db_exists(db, SQL_EXISTS, v->parent);
        if (ok <= 0) {
            err_set(err, ST_BAD_REF, "/parent", "No vendor with this ID.");
            return ok < 0 ? ST_ERROR : ST_BAD_REF;
        }
        if (id > 0) {
            dstmt *st = db_stmt(db, SQL_IS_DESCENDANT);
            if (!st)
                return db_fail(db, err, "vendor cycle");
            bind_i64(st, 1, id);
            bind_i64(st, 2, v->parent);
            db_step rc = dstmt_step(st);
            dstmt_reset(st);
            if (rc == DB_ROW) {
                err_set(err, ST_INVALID, "/parent",
                        "A vendor cannot be its own parent or the parent of its parent.");
                return ST_INVALID;
            }
            if (rc == DB_FAIL)
                return db_fail(db, err, "vendor cycle");
        }
    }
    for (size_t i = 0; i < v->n_connections; i++) {
        char ptr[64];
        snprintf(ptr, sizeof ptr, "/connections/%zu/vendor", i);
        if (v->connections[i].vendor == id) {
            err_set(err, ST_INVALID, ptr, "A vendor cannot be connected to itself.");
            return ST_INVALID;
        }
        int ok = db_exists(db, SQL_EXISTS, v->connections[i].vendor);
        if (ok <= 0) {
            err_set(err, ST_BAD_REF, ptr, "No vendor with this ID.");
            return ok < 0 ? ST_ERROR : ST_BAD_REF;
        }
    }
    return ST_OK;
}

/* A link shows on both vendors, so changing one's links changes the other's
 * representation too: its version moves on, and its ETag with it. */
static int bump_partners(sy_db *db, int64_t id, store_err *err)
{
    char now[21];
    store_now(now);
    dstmt *st = db_stmt(db, SQL_BUMP_PARTNERS);
    if (!st)
        return db_fail(db, err, "vendor links");
    bind_i64(st, 1, id);
    bind_text(st, 2, now);
    return db_exec_stmt(db, st, err, "vendor links");
}

static int write_links(sy_db *db, int64_t id, const vendor *v, store_err *err)
{
    int changed = bump_partners(db, id, err);   /* partners losing a link */
    if (changed != ST_OK)
        return changed;
    dstmt *st = db_stmt(db, SQL_LINKS_CLEAR);
    if (!st)
        return db_fail(db, err, "vendor links");
    bind_i64(st, 1, id);
    int code = db_exec_stmt(db, st, err, "vendor links");
    for (size_t i = 0; code == ST_OK && i < v->n_connections; i++) {
        int64_t other = v->connections[i].vendor;
        st = db_stmt(db, SQL_LINK_ADD);
        if (!st)
            return db_fail(db, err, "vendor links");
        bind_i64(st, 1, id < other ? id : other);
        bind_i64(st, 2, id < other ? other : id);
        bind_text(st, 3, v->connections[i].reason ? v->connections[i].reason : "");
        code = db_exec_stmt(db, st, err, "vendor links");
    }
    return code == ST_OK && v->n_connections ? bump_partners(db, id, err) : code;
}

int store_vendor_insert(sy_db *db, vendor *v, store_err *err)
{
    db->touched_catalogue = 1; /* risk inputs change: see store_generations */
    int code = check_refs(db, 0, v, err);
    if (code != ST_OK)
        return code;
    char now[21];
    store_now(now);
    dstmt *st = db_stmt(db, SQL_INSERT);
    if (!st)
        return db_fail(db, err, "vendor insert");
    bind_text(st, 1, v->name);
    bind_id(st, 2, v->parent);
    bind_text(st, 3, v->website);
    bind_text(st, 4, v->country);
    bind_text(st, 5, v->description);
    bind_text(st, 6, now);
    if ((code = db_insert_id(db, st, &v->id, err, "vendor insert")) != ST_OK)
        return code;
    return write_links(db, v->id, v, err);
}

int store_vendor_update(sy_db *db, int64_t id, int64_t if_version, const vendor *v,
                        store_err *err)
{
    db->touched_catalogue = 1; /* risk inputs change: see store_generations */
    int code = db_check_version(db, SQL_VERSION, id, if_version, "vendor update", err);
    if (code != ST_OK)
        return code;
    if ((code = check_refs(db, id, v, err)) != ST_OK)
        return code;
    char now[21];
    store_now(now);
    dstmt *st = db_stmt(db, SQL_UPDATE);
    if (!st)
        return db_fail(db, err, "vendor update");
    bind_i64(st, 1, id);
    bind_text(st, 2, v->name);
    bind_id(st, 3, v->parent);
    bind_text(st, 4, v->website);
    bind_text(st, 5, v->country);
    bind_text(st, 6, v->description);
    bind_text(st, 7, now);
    if ((code = db_exec_stmt(db, st, err, "vendor update")) != ST_OK)
        return code;
    return write_links(db, id, v, err);
}

int store_vendor_delete(sy_db *db, int64_t id, int64_t if_version, store_err *err)
{
    db->touched_catalogue = 1; /* risk inputs change: see store_generations */
    int code = db_check_version(db, SQL_VERSION, id, if_version, "vendor delete", err);
    if (code != ST_OK)
        return code;
    dstmt *st = db_stmt(db, SQL_USES);
    if (!st)
        return db_fail(db, err, "vendor uses");
    bind_i64(st, 1, id);
    db_step rc = dstmt_step(st);
    if (rc != DB_ROW) {
        dstmt_reset(st);
        return db_fail(db, err, "vendor uses");
    }
    int64_t children = col_i64(st, 0), offerings = col_i64(st, 1), contracts = col_i64(st, 2);
    dstmt_reset(st);
    if (children || offerings || contracts) {
        char detail[256];
        snprintf(detail, sizeof detail,
                 "The vendor is still used by %lld child vendor(s), %lld offering(s) "
                 "and %lld contract(s); change or delete those first.",
                 (long long)children, (long long)offerings, (long long)contracts);
        err_set(err, ST_IN_USE, "", detail);
        return ST_IN_USE;
    }
    st = db_stmt(db, SQL_DELETE);
    if (!st)
        return db_fail(db, err, "vendor delete");
    bind_i64(st, 1, id);
    return db_exec_stmt(db, st, err, "vendor delete");
}

int store_vendor_find(sy_db *db, const char *name, int64_t *id)
{
    return db_find_id(db, SQL_FIND, name, id);
}
