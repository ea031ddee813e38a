/* offerings.c - the store side of offerings: what vendors sell, with the
 * provider, publisher and host roles kept apart (FinOps FOCUS). The row's
 * statements come from the descriptor (store/entity.c); here are the list
 * filter by vendor (in any of the three roles) and the "still in use"
 * check before a delete. */
#include <stdio.h>

#include "store/entity.h"

static const char SQL_USES[] =
    "SELECT (SELECT COUNT(*) FROM workload_dependencies WHERE offering_id = ?1) + "
    "(SELECT COUNT(*) FROM workload_alternatives WHERE offering_id = ?1 OR dependency_id = ?1) + "
    "(SELECT COUNT(*) FROM exit_drills WHERE offering_id = ?1 OR dependency_id = ?1), "
    "(SELECT COUNT(*) FROM contract_offerings WHERE offering_id = ?1)";

/* Nothing may still depend on an offering that goes. */
static int offering_unused(sy_db *db, int64_t id, store_err *err)
{
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
    return ST_OK;
}

STORE_ROW_READER(read_offering, OFFERING_STORE)

const store_entity OFFERING_STORE = {
    .desc = &OFFERING_DESC,
    .alias = "o",
    .where = "AND (CAST(?9 AS BIGINT) IS NULL "
             "OR o.provider_id = ?9 OR o.publisher_id = ?9 OR o.host_id = ?9)",
    .tiebreak = "o.name ASC, o.id ASC",
    .missing = "No offering with this ID.",
    .taken = "Another offering already has this name.",
    .catalogue = 1,
    .read_row = read_offering,
    .before_delete = offering_unused,
};
