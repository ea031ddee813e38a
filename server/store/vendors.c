/* vendors.c - the store side of vendors: the group join (the top of each
 * vendor's parent chain), the closely-connected links (one row per pair,
 * shown on both vendors) and the checks the descriptor cannot express (no
 * parent cycles, no link to itself, nothing still using a deleted vendor).
 * The row's own statements come from the descriptor (store/entity.c). */
#include <stdio.h>
#include <string.h>

#include "store/entity.h"

/* Every vendor with the top of its parent chain (its group). */
#define VENDOR_WITH                                                            \
    "WITH RECURSIVE chain(id, top) AS ("                                       \
    " SELECT id, id FROM vendors WHERE parent_id IS NULL"                      \
    " UNION ALL SELECT v.id, c.top FROM vendors v JOIN chain c ON v.parent_id = c.id) "

static const char SQL_LINKS[] =
    "SELECT CASE WHEN vendor_a = ?1 THEN vendor_b ELSE vendor_a END AS other, reason "
    "FROM vendor_connections WHERE vendor_a = ?1 OR vendor_b = ?1 ORDER BY other";
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
    "(SELECT COUNT(*) FROM contracts WHERE counterparty_id = ?1 OR other_party_id = ?1) + "
    "(SELECT COUNT(*) FROM contract_terms WHERE scope_provider_id = ?1 OR "
    "scope_publisher_id = ?1 OR scope_host_id = ?1), "
    "(SELECT COUNT(*) FROM workloads WHERE ai_system_provider_id = ?1)";

static void read_group(dstmt *st, int col, arena *a, void *item)
{
    vendor *v = item;
    v->group_id = col_i64(st, col);
    v->group_name = col_text(st, col + 1, a);
}

static void read_link(dstmt *st, arena *a, void *item)
{
    vendor_link *l = item;
    l->vendor = col_i64(st, 0);
    l->reason = col_text(st, 1, a);
}

static int read_links(sy_db *db, arena *a, void *item, store_err *err)
{
    vendor *v = item;
    void *links;
    int code = db_children(db, SQL_LINKS, v->id, a, sizeof(vendor_link), read_link,
                           &links, &v->n_connections, err);
    v->connections = links;
    return code;
}

/* What the descriptor cannot say: no parent cycle, no link to itself.
 * (The name, the parent and the linked vendors were checked generically.) */
static int check_vendor(sy_db *db, int64_t id, const void *item, const void *before,
                        store_err *err)
{
    (void)before;
    const vendor *v = item;
    if (v->parent && id > 0) {
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
    for (size_t i = 0; i < v->n_connections; i++)
        if (v->connections[i].vendor == id) {
            char ptr[64];
            snprintf(ptr, sizeof ptr, "/connections/%zu/vendor", i);
            err_set(err, ST_INVALID, ptr, "A vendor cannot be connected to itself.");
            return ST_INVALID;
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

static int write_links(sy_db *db, int64_t id, const void *item, store_err *err)
{
    const vendor *v = item;
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

/* Nothing may still use a vendor that goes. */
static int vendor_unused(sy_db *db, int64_t id, store_err *err)
{
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
    int64_t workloads = col_i64(st, 3); /* as AI system provider */
    dstmt_reset(st);
    if (children || offerings || contracts || workloads) {
        char detail[300];
        snprintf(detail, sizeof detail,
                 "The vendor is still used by %lld child vendor(s), %lld offering(s), "
                 "%lld contract(s) and %lld workload(s); change or delete those first.",
                 (long long)children, (long long)offerings, (long long)contracts,
                 (long long)workloads);
        err_set(err, ST_IN_USE, "", detail);
        return ST_IN_USE;
    }
    return ST_OK;
}

STORE_ROW_READER(read_vendor, VENDOR_STORE)

const store_entity VENDOR_STORE = {
    .desc = &VENDOR_DESC,
    .alias = "v",
    .with = VENDOR_WITH,
    .joins = "LEFT JOIN chain g ON g.id = v.id LEFT JOIN vendors gv ON gv.id = g.top ",
    .extra_cols = ", g.top, gv.name",
    .read_extra = read_group,
    .tiebreak = "v.id ASC",
    .missing = "No vendor with this ID.",
    .taken = "Another vendor already has this name.",
    .catalogue = 1,
    .read_row = read_vendor,
    .check = check_vendor,
    .read_more = read_links,
    .write_more = write_links,
    .before_delete = vendor_unused,
};
