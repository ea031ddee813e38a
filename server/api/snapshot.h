/* snapshot.h - the scored portfolio snapshot, shared by every thread.
 *
 * Building one loads every row and scores every workload (tens of
 * milliseconds at 10,000 workloads), so the latest is kept, reference-
 * counted, and reused while the data generation and the day stay the same.
 * A workload write does not force a rebuild: the next snapshot is derived
 * from the last by re-reading and re-scoring only the workloads written
 * since (risk depends on the workload and the catalogue alone). A write to
 * one offering or contract, or a workload's drill or acceptance, reads the
 * catalogue again and rescores only the workloads it bears on
 * (core/rescore.h). Vendors, weights, another process's writes, a new day
 * or a long list of changes mean a full build. The summary's counts and
 * the concentration sums (exact integers, core/concentration.h) are kept
 * the same way: the rescored workloads' old parts taken away, new added. */
#ifndef SY_SNAPSHOT_H
#define SY_SNAPSHOT_H

#include "core/concentration.h"
#include "core/overview.h"
#include "core/portfolio.h"
#include "core/risk.h"
#include "store/store.h"

typedef struct snapshot snapshot;

/* What a snapshot offers; valid while the caller holds its reference. */
typedef struct snapshot_view {
    portfolio p;
    risk_weights weights;
    risk_result *risk;          /* one per p.workloads[i] */
    ov_counts counts;           /* ov_count() of the whole portfolio, kept
                                   by adding and taking away the workloads
                                   a derivation rescored */
    const conc_sums *conc;      /* concentration sums of the whole
                                   portfolio, kept the same way; NULL in a
                                   private snapshot (then count) */
} snapshot_view;

/* A referenced snapshot whose workloads (need_full) or at least whose
 * catalogue (!need_full) are current. NULL with err filled on failure. */
snapshot *snapshot_obtain(sy_db *db, int need_full, store_err *err);

/* The snapshot of data generation gen (catalogue generation cat), for a
 * caller whose open transaction shows exactly that generation (a pinned
 * read, store_begin_read_pinned, or a write transaction): derived from the
 * cached one without checking for commits made meanwhile, and cached.
 * NULL with err filled on failure; err->code ST_BUSY when the cached
 * snapshot is already newer than gen (begin a new transaction, ask again). */
snapshot *snapshot_obtain_at(sy_db *db, uint64_t gen, uint64_t cat, store_err *err);

/* A private snapshot built inside the caller's open transaction, so that
 * it sees exactly what that transaction sees. */
snapshot *snapshot_build_private(sy_db *db, store_err *err);
/* The same loaded as the shared snapshots are, without the workloads' long
 * texts (portfolio.texts_left_out), not cached: for bench/scale_bench. */
#define SNAPSHOT_BUILD_LEAN 1
snapshot *snapshot_build_lean(sy_db *db, store_err *err);

/* The current catalogue alone (one workload scored on its own: a write's
 * answer, a preview): out gets the snapshot's view without its workloads
 * (p.workloads, risk, conc NULL; n_workloads 0), and the caller holds the
 * snapshot's arena only, not its workload arrays, so that the next
 * derivation may still take those over and change them in place rather
 * than copy every workload (32 writers answering at once held views
 * nearly all the time). NULL with err filled on failure. Release with
 * snapshot_release_catalogue. */
snapshot *snapshot_obtain_catalogue(sy_db *db, snapshot_view *out, store_err *err);
void snapshot_release_catalogue(snapshot *s);

/* Drops a reference; NULL-safe. */
void snapshot_release(snapshot *s);

void snapshot_get_view(const snapshot *s, snapshot_view *out);

/* The snapshot's counts (see snapshot_view), valid while it is held. */
const ov_counts *snapshot_counts(const snapshot *s);

/* Builds since start: [0] full, [1] derived; their count, seconds in all,
 * and the latest one's seconds (for /metrics). */
typedef struct snapshot_build_stats {
    uint64_t count[2];
    double seconds[2], last[2];
    /* The latest shared snapshot: the bytes its chain holds (its full
     * build's arenas and every derivation's since) and what a full build
     * of its portfolio would hold (estimated by the count of workloads). */
    double held_bytes, full_bytes;
} snapshot_build_stats;
void snapshot_stats(snapshot_build_stats *out);

/* Full builds score on two threads from this many workloads (default
 * 2,048); tests set 1. With store_split_threshold, how a full build is
 * split; snapshot_split_counts says how many builds were split since
 * start: their child rows read on a second connection (loads), their
 * scoring shared by two threads (scores). */
void snapshot_split_scoring(size_t min_workloads);
/* A chain of derived snapshots ends (a full build) once it holds more
 * than a full build of its portfolio would, by a quarter of that or by
 * min_bytes (8 MB unless set), whichever is more; tests set a few
 * kilobytes to end chains often. */
void snapshot_chain_budget(size_t min_bytes);
void snapshot_split_counts(unsigned long *loads, unsigned long *scores);

/* The phases of the latest full build on the calling thread, wall and
 * process CPU time in ms: reading the rows from the store (load) and
 * scoring every workload with the counts (score); for bench/scale_bench. */
#define SNAPSHOT_PHASES 1
typedef struct snapshot_phases {
    double load_ms, load_cpu_ms, score_ms, score_cpu_ms;
} snapshot_phases;
void snapshot_last_phases(snapshot_phases *out);

#endif
