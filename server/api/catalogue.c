/* catalogue.c - /api/v1/vendors, /offerings and /contracts: the catalogue
 * entities served entirely by the generic handlers (api/entity.c). Each is
 * its descriptor (core/entities.c), its store side (store/<entity>.c) and
 * the list filters it takes; the route table points at these. */
#include "api/api.h"

const entity_ops VENDOR_OPS = {&VENDOR_DESC, &VENDOR_STORE, 0, NULL, NULL};

/* Track and category (offerings) and kind (contracts) are their fields'
 * filters (FD_FILTER); these add the relations. */
const entity_ops OFFERING_OPS = {&OFFERING_DESC, &OFFERING_STORE, LF_VENDOR, NULL, NULL};

const entity_ops CONTRACT_OPS = {&CONTRACT_DESC, &CONTRACT_STORE, LF_VENDOR | LF_OFFERING, NULL,
                                 NULL};
