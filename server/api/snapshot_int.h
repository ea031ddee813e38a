/* snapshot_int.h - what snapshot.c (sharing, full builds) and
 * snapshot_derive.c (derivations) share: the snapshot itself and the
 * delta a derivation works from. Not for other modules: snapshot.h. */
#ifndef SY_API_SNAPSHOT_INT_H
#define SY_API_SNAPSHOT_INT_H

#include "api/snapshot.h"

/* More changes than this since the cached snapshot: build anew. */
#define MAX_DERIVED 512
/* A chain of derivations ends (the next snapshot is a full build) once it
 * holds more than a full build of its portfolio would by a quarter of that,
 * or by this many bytes if more: the excess is mostly the text of
 * workloads written again or deleted since, and catalogues read again,
 * kept for nothing. A full build stalls a stream of writes (about 110 ms
 * at 41,000 workloads), and a count of derivations (64) ended chains that
 * held next to nothing more. */
#define CHAIN_MIN_BYTES ((size_t)8 << 20)

struct snapshot {
    arena arena;                /* owns what this snapshot allocated */
    arena side;                 /* the text of child rows read on a second
                                   connection (store_portfolio_load_split) */
    snapshot *parent;           /* a derived snapshot's, held */
    size_t base_bytes;          /* the arenas of the chain's full build */
    size_t base_workloads;      /* and its count of workloads */
    size_t chain_bytes;         /* the derived snapshots' since then, this
                                   one's included */
    workload *own_workloads;    /* a derived snapshot's arrays (malloc) */
    risk_result *own_risk;
    size_t cap;                 /* room in p.workloads and risk, wherever
                                   they live (own arrays or an arena) */
    portfolio p;
    risk_weights weights;
    risk_result *risk;
    ov_counts counts;           /* see snapshot_view */
    conc_index cix;             /* p's catalogue's group slots (may live in
                                   an ancestor's arena) */
    conc_sums conc;             /* see snapshot_view; v NULL when not kept */
    uint64_t generation, catalogue_generation;
    int64_t today;
    int views;                  /* the cache and requests */
    int holds;                  /* children pointing into the arena */
};

/* What a derivation reads and rescores, from the changes since the parent. */
typedef struct delta {
    int64_t workloads[MAX_DERIVED];     /* read again (sorted, unique) */
    int64_t offerings[MAX_DERIVED];
    int64_t contracts[MAX_DERIVED];
    size_t n_workloads, n_offerings, n_contracts;
    int catalogue;                      /* the catalogue is read again */
    size_t n_changes;                   /* how many changes this covers */
    store_change changes[MAX_DERIVED];  /* as listed (on the heap: worker
                                           threads have small stacks) */
} delta;

/* Sorts the n changes listed in d->changes into what to read and rescore. */
void snapshot_delta_of(delta *d, size_t n);

/* Derives s from its parent after the changes in d; in the parent's
 * arrays when steal (it has no other view), else in copies. pinned: the
 * caller's transaction shows exactly the changes listed. 0, 1 when a full
 * build is needed instead, or -1 with err filled. */
int snapshot_derive(sy_db *db, snapshot *s, delta *d, int steal, int pinned, store_err *err);

/* Fills err with "Out of memory."; returns -1. */
int snapshot_out_of_memory(store_err *err);

#endif
