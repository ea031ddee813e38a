/* seed.h - loads the embedded catalogue and demo portfolio (seeds/ JSON files).
 *
 * Seed records name each other by name; the loader resolves names to IDs
 * and then saves each record through the same validation and store calls
 * as the API (entity_upsert), all in one transaction. Loading twice changes
 * nothing the second time. Demo dates may be written "today+N"/"today-N"
 * (days) so the demo never ages. */
#ifndef SY_SEED_H
#define SY_SEED_H

#include <stddef.h>

#include "store/store.h"

typedef struct seed_report {
    int inserted_or_updated;   /* records written */
    int unchanged;             /* records already as the seed says */
} seed_report;

/* Loads the catalogue, and with demo also the demo portfolio.
 * On failure returns -1 and a message naming the record in msg. */
int seed_load(sy_db *db, int demo, seed_report *report, char *msg, size_t msg_size);

/* 1 when the database holds no vendors (a fresh install). */
int seed_catalogue_empty(sy_db *db);
/* 1 when the database holds no workloads and no customer contracts. */
int seed_portfolio_empty(sy_db *db);

#endif
