/* scenarios.c - the store side of saved what-if scenarios: every statement
 * comes from the descriptor (store/entity.c). */
#include "store/entity.h"

STORE_ROW_READER(read_scenario, SCENARIO_STORE)

const store_entity SCENARIO_STORE = {
    .desc = &SCENARIO_DESC,
    .alias = "s",
    .tiebreak = "s.name ASC, s.id ASC",
    .missing = "No scenario with this ID.",
    .taken = "Another scenario already has this name.",
    .read_row = read_scenario,
};
