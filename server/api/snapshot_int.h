/* snapshot_int.h - what snapshot.c (sharing, full builds) and
 * snapshot_derive.c (derivations) share: the snapshot itself and the
 * delta a derivation works from. Not for other modules: snapshot.h. */
#ifndef SY_API_SNAPSHOT_INT_H
#define SY_API_SNAPSHOT_INT_H

#include "api/snapshot.h"

/* More changes than this since the cached snapshot, or a chain longer
 * than MAX_DEPTH: build anew. */
#define MAX_DERIVED 512
#define MAX_DEPTH 64

struct snapshot {
    arena arena;                /* owns what this snapshot allocated */
    arena side;                 /* the text of child rows read on a second
                                   connection (store_portfolio_load_split) */
    snapshot *parent;           /* a derived snapshot's, held */
    int depth;                  /* derivations since the last full build */
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
