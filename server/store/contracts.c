/* contracts.c - the store side of contracts: the organisation's own
 * (customer) and the agreements between vendors that shape its options
 * (upstream). The row's statements, and those of its offerings and terms
 * (child tables), come from the descriptor (store/entity.c); here are the
 * list filters by vendor (either party) and by covered offering. */
#include "store/entity.h"

STORE_ROW_READER(read_contract, CONTRACT_STORE)

const store_entity CONTRACT_STORE = {
    .desc = &CONTRACT_DESC,
    .alias = "c",
    .where = "AND (CAST(?9 AS BIGINT) IS NULL "
             "OR c.counterparty_id = ?9 OR c.other_party_id = ?9) "
             "AND (CAST(?10 AS BIGINT) IS NULL "
             "OR EXISTS (SELECT 1 FROM contract_offerings co "
             "WHERE co.contract_id = c.id AND co.offering_id = ?10))",
    .tiebreak = "c.name ASC, c.id ASC",
    .missing = "No contract with this ID.",
    .taken = "Another contract already has this name.",
    .catalogue = 1,
    .read_row = read_contract,
};
