/* audit.h (api) - writing audit events from the API, the seed loader and
 * the command line, and verifying the chain. */
#ifndef SY_API_AUDIT_H
#define SY_API_AUDIT_H

#include "common/jw.h"
#include "core/audit.h"
#include "store/store.h"

/* Appends one event inside the caller's write transaction. */
int audit_record(sy_db *db, const char *actor, const char *action, const char *entity,
                 int64_t entity_id, const char *before, const char *after, store_err *err);

typedef struct audit_verdict {
    int ok;
    int64_t events;
    int64_t first_broken;      /* sequence number, 0 when ok */
    const char *problem;       /* what is wrong at first_broken (static) */
    int64_t head_seq;
    char head[AUDIT_HASH_HEX];
    int64_t checkpoints;       /* signed checkpoints checked */
    int64_t checkpoint_seq;    /* the latest one's sequence number, or 0 */
} audit_verdict;

/* The append-only file of signed checkpoints in the key directory. */
#define AUDIT_CHECKPOINT_FILE "audit-checkpoints.log"

/* Recomputes the whole chain; with key_dir, also checks every signed
 * checkpoint in key_dir/audit-checkpoints.log: its signature (the
 * audit-checkpoint key, or a retired one by its key ID), that the chain
 * reaches its sequence number, and that the chain's hash there is the one
 * signed. Returns ST_OK (see v->ok) or a store error. */
int audit_verify(sy_db *db, const char *key_dir, audit_verdict *v, store_err *err);

/* Writes one event as GET /audit lists it (the report's audit.csv too). */
void audit_event_json(jw *w, const audit_event *ev);

#endif
