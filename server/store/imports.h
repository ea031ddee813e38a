/* imports.h (store) - evidence imports: the record of each import, the
 * provenance of the fields imports set, and monthly actual spend per
 * workload. Writes run inside the caller's write transaction. */
#ifndef SY_STORE_IMPORTS_H
#define SY_STORE_IMPORTS_H

#include "store/store.h"

typedef struct import_rec {
    int64_t id;
    const char *kind, *file_name, *sha256;
    int64_t rows, created, changed, unchanged, rejected;
    const char *summary;       /* JSON text */
    const char *actor, *at;
} import_rec;

typedef struct provenance_rec {
    const char *entity;
    int64_t entity_id;
    const char *field, *source, *observed_at;
    int64_t import_id;
} provenance_rec;

typedef struct spend_rec {
    int64_t workload;
    const char *month;         /* YYYY-MM */
    const char *currency;
    int64_t billed, effective; /* cents */
    int64_t import_id;
    const char *observed_at;
} spend_rec;

int store_import_add(sy_db *db, import_rec *r, store_err *err);   /* sets r->id */
/* The latest imports, newest first (at most 100). */
int store_import_list(sy_db *db, arena *a, import_rec **items, size_t *n, store_err *err);

/* Records (or replaces) where a field of a record came from. */
int store_provenance_set(sy_db *db, const char *entity, int64_t id, const char *field,
                         const char *source, const char *observed_at, int64_t import_id,
                         store_err *err);
/* A record's provenance, by field. */
int store_provenance_of(sy_db *db, const char *entity, int64_t id, arena *a,
                        provenance_rec **items, size_t *n, store_err *err);

/* Every provenance record, by entity, ID and field (the report). */
int store_provenance_all(sy_db *db, arena *a, provenance_rec **items, size_t *n, store_err *err);
/* Every workload's actual spend, by workload and month (the report). */
int store_spend_all(sy_db *db, arena *a, spend_rec **items, size_t *n, store_err *err);

/* One month's actual spend: ST_OK, ST_NOT_FOUND or an error. */
int store_spend_get(sy_db *db, int64_t workload_id, const char *month, const char *currency,
                    int64_t *billed, int64_t *effective, store_err *err);
int store_spend_set(sy_db *db, const spend_rec *s, store_err *err);
/* A workload's actual spend, newest month first. */
int store_spend_of(sy_db *db, int64_t workload_id, arena *a, spend_rec **items, size_t *n,
                   store_err *err);

/* A workload's spend in a month as an AI gateway's logs priced it
 * (gateway_spend, kind litellm-spend), apart from the bill. */
typedef struct gateway_spend_rec {
    int64_t workload;
    const char *month;         /* YYYY-MM */
    const char *currency;
    int64_t micros;            /* millionths of the currency unit */
    int64_t requests;
    int64_t import_id;
    const char *observed_at;
} gateway_spend_rec;

/* One month's gateway spend: ST_OK, ST_NOT_FOUND or an error. */
int store_gateway_spend_get(sy_db *db, int64_t workload_id, const char *month,
                            const char *currency, int64_t *micros, int64_t *requests,
                            store_err *err);
int store_gateway_spend_set(sy_db *db, const gateway_spend_rec *s, store_err *err);
/* Every workload's gateway spend, by workload and month (workload_id 0),
 * or one workload's, newest month first. */
int store_gateway_spend_of(sy_db *db, int64_t workload_id, arena *a, gateway_spend_rec **items,
                           size_t *n, store_err *err);

typedef struct declared_rec {
    int64_t id;
    const char *name;
    int swap_layer_declared;   /* has a swap layer no import observed */
    int alternatives_declared; /* has alternatives no import observed */
} declared_rec;
/* Active workloads (pilot, production) whose swap layer or alternatives
 * are declared only (no import set them), by name. */
int store_declared_only(sy_db *db, arena *a, declared_rec **items, size_t *n, store_err *err);
/* A workload whose swap layer (alternatives 0) or alternatives (1) an
 * import observed. */
typedef struct observed_rec {
    int64_t id;
    int alternatives;
} observed_rec;
/* Every such observation, by workload id. */
int store_observed_declarable(sy_db *db, arena *a, observed_rec **items, size_t *n,
                              store_err *err);

/* The workload a gateway's model group is mapped to: ST_OK, ST_NOT_FOUND. */
int store_mapping_get(sy_db *db, const char *kind, const char *key, int64_t *workload_id,
                      store_err *err);
int store_mapping_set(sy_db *db, const char *kind, const char *key, int64_t workload_id,
                      int64_t import_id, store_err *err);

#endif
