/* routes.h - the API's route table (routes.c), which main.c hands to the
 * HTTP server: http/ matches and dispatches routes but never names api/. */
#ifndef SY_ROUTES_H
#define SY_ROUTES_H

#include "http/router.h"

/* Every API route; ends with an all-NULL row. */
extern const route API_ROUTES[];

#endif
