/* workloads.c - the store side of workloads: AI use cases, the unit of
 * governance. The row's statements, and those of its dependencies and
 * proprietary features (child tables), come from the descriptor
 * (store/entity.c); here are the list filters by vendor (through the
 * offerings depended on) and by offering. A write notes the workload, so
 * the scored snapshot can be brought up to date by reading just it. */
#include "store/entity.h"

STORE_ROW_READER(read_workload, WORKLOAD_STORE)

const store_entity WORKLOAD_STORE = {
    .desc = &WORKLOAD_DESC,
    .alias = "w",
    .where = "AND (CAST(?9 AS BIGINT) IS NULL "
             "OR EXISTS (SELECT 1 FROM workload_dependencies d "
             "JOIN offerings o ON o.id = d.offering_id WHERE d.workload_id = w.id AND "
             "(o.provider_id = ?9 OR o.publisher_id = ?9 OR o.host_id = ?9))) "
             "AND (CAST(?10 AS BIGINT) IS NULL "
             "OR EXISTS (SELECT 1 FROM workload_dependencies d "
             "WHERE d.workload_id = w.id AND d.offering_id = ?10))",
    .tiebreak = "w.name ASC, w.id ASC",
    .missing = "No workload with this ID.",
    .taken = "Another workload already has this name.",
    .workloads = 1,
    .read_row = read_workload,
};
