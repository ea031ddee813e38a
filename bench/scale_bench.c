/* scale_bench.c - the scored snapshot at scale (issue 20): a synthetic
 * portfolio of N workloads (default 100,000) written through the store on
 * SQLite or PostgreSQL, then
 *   - cold: the first snapshot (load + score every workload) and the
 *     portfolio maths over it (counts, flagged list, concentration on both
 *     bases), and the process's peak RSS; then the build's phases apart
 *     (snapshot_last_phases): (a) reading the rows from the store, (b)
 *     scoring every workload, (c) the maths, and b + c, "portfolio maths
 *     from cold" (nothing cached, every workload scored from nothing);
 *   - writes: one workload patched and committed (write), then the next
 *     snapshot derived from the last (rescore), median and p95; the same
 *     for one contract and one offering edit (their workloads rescored);
 *   - the summary's maths (flagged list, concentration on both bases)
 *     over the derived snapshot after each one-workload write, wall and
 *     CPU time: the concentration from the snapshot's kept sums;
 *   - paging: GET /workloads' page 1 and page 1,000 (100 a page) by cursor
 *     and by offset, as the handler computes them (api/workload_page.h).
 * The portfolio is realistic rather than uniform: workloads pick their
 * offerings by popularity (a few dozen carry most of them, as Azure OpenAI
 * does), contracts cover 1-3 offerings each, 5% of them upstream
 * agreements with scoped, dated access terms,
 * workloads name alternatives and some carry exit drills. Fixed-seed PRNG.
 *
 * Prints a markdown table. --smoke (CI, label bench-smoke) also checks
 * that the derived snapshot equals a full build and that walking every
 * page by cursor returns each workload once; exit 1 if not. Not a timed
 * test: no figure fails it.
 *
 *   scale_bench [--db PATH|postgresql://...] [--workloads N] [--writes N] [--smoke]
 *               [--reuse] [--cold] [--no-split]
 * Without --db, a temporary SQLite file (removed afterwards). --reuse
 * measures a database an earlier run filled (--db) instead of filling it;
 * --cold stops after the cold build, the maths and the peak RSS (for
 * profiling the cold path). --no-split builds every full snapshot on one
 * connection and thread (store_split_threshold, snapshot_split_scoring),
 * to compare with the split builds in the same binary. The allocator is
 * set up as the server's (few malloc arenas, a fixed mmap threshold), so
 * that peak RSS is the server's. */
#include <limits.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/snapshot.h"
#include "api/workload_page.h"
#include "common/log.h"
#include "common/text.h"
#include "core/concentration.h"
#include "core/overview.h"
#include "seed/seed.h"
#include "store/store.h"

static uint64_t rng_state = 0x5eed2026ULL;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static size_t below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }

/* Popularity: index k of n with weight about 0.97^k, so that the first
 * few dozen offerings carry most workloads (as Azure OpenAI and the big
 * clouds do) and the rest a long tail. */
static size_t popular(size_t n)
{
    double u = (double)(rnd() >> 11) / 9007199254740992.0;
    double x = 1.0;
    for (size_t k = 0; k < n; k++) {
        x *= 0.97;
        if (u > x)
            return k;
    }
    return below(n);
}

static int failures;

#define DIE(...)                                                                       \
    do {                                                                               \
        fprintf(stderr, __VA_ARGS__);                                                  \
        fprintf(stderr, "\n");                                                         \
        exit(2);                                                                       \
    } while (0)

typedef struct ids {
    int64_t *v;
    size_t n;
} ids;

static void ids_add(ids *l, int64_t id)
{
    int64_t *v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v)
        DIE("out of memory");
    l->v = v;
    l->v[l->n++] = id;
}

static const char *day(arena *a, int64_t offset)
{
    char out[11];
    date_format(clock_today() + offset, out);
    return arena_strdup(a, out);
}

static const char *named(arena *a, const char *what, size_t i)
{
    char name[64];
    snprintf(name, sizeof name, "Bench %s %zu", what, i);
    return arena_strdup(a, name);
}

#include "scale_fill.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double quantile(double *v, size_t n, double q)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n ? v[(size_t)(q * (double)(n - 1) + 0.5)] : 0;
}

static long peak_rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

static void row(const char *what, double ms, const char *target)
{
    printf("| %-44s | %10.2f | %-10s |\n", what, ms, target);
}

static snapshot *obtain(sy_db *db)
{
    store_err err;
    snapshot *s = snapshot_obtain(db, 1, &err);
    if (!s)
        DIE("snapshot: %s", err.detail);
    return s;
}

/* The summary's concentration on both bases: from the sums the snapshot
 * keeps where it keeps them (none in a private build: counted), or, built
 * against a tree without kept sums (no CONC_SCALE, main before them),
 * counted over every workload. */
static void conc_both(const snapshot_view *v, arena *a)
{
    concentration spend, weighted;
#ifdef CONC_SCALE
    if (concentration_kept(&v->p, v->conc, 1, 0, NULL, a, &spend) != 0 ||
        concentration_kept(&v->p, v->conc, 0, 0, NULL, a, &weighted) != 0)
#else
    if (concentration_compute(&v->p, 1, 0, NULL, NULL, a, &spend) != 0 ||
        concentration_compute(&v->p, 0, 0, NULL, NULL, a, &weighted) != 0)
#endif
        DIE("out of memory");
}

/* The portfolio maths a summary does over the snapshot's results (the
 * counts it takes from the snapshot, which keeps them). */
static void maths(const snapshot_view *v, arena *a)
{
    ov_item *flagged;
    size_t n, total;
    if (ov_flagged(&v->p, v->risk, NULL, 20, a, &flagged, &n, &total) != 0)
        DIE("out of memory");
    conc_both(v, a);
}

#include "scale_measure.h"

int main(int argc, char **argv)
{
    const char *target = NULL;
    size_t n_workloads = 100000, n_writes = 200;
    int smoke = 0, reuse = 0, cold_only = 0;
    /* The server's allocator settings (server/main.c), so that peak RSS is
     * the server's: large blocks go back to the system when freed. */
    mallopt(M_ARENA_MAX, 2);
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            target = argv[++i];
        else if (strcmp(argv[i], "--workloads") == 0 && i + 1 < argc)
            n_workloads = (size_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--writes") == 0 && i + 1 < argc)
            n_writes = (size_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--smoke") == 0)
            smoke = 1;
        else if (strcmp(argv[i], "--reuse") == 0)
            reuse = 1;
        else if (strcmp(argv[i], "--cold") == 0)
            cold_only = 1;
        else if (strcmp(argv[i], "--no-split") == 0) {
            /* Full builds on one connection and thread (for comparing). */
            store_split_threshold(LLONG_MAX);
            snapshot_split_scoring(SIZE_MAX);
        } else
            DIE("usage: scale_bench [--db PATH|URL] [--workloads N] [--writes N] [--smoke] "
                "[--reuse] [--cold] [--no-split]");
    }
    log_set_level(LOG_ERROR);
    setvbuf(stdout, NULL, _IOLBF, 0); /* each row as it is measured */
    char path[96] = "";
    if (!target) {
        const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
        snprintf(path, sizeof path, "%s/sy_scale_XXXXXX", dir);
        int fd = mkstemp(path);
        if (fd < 0)
            DIE("mkstemp failed");
        close(fd);
        target = path;
    }
    sy_db *db;
    store_err err;
    int applied;
    if (store_open(target, &db, &err) != ST_OK || store_migrate(db, &applied, &err) != ST_OK)
        DIE("open %s: %s", target, err.detail);
    double started = clock_mono_ms();
    if (reuse && target != path) {
        seeded(db);
    } else {
        fill(db, n_workloads);
        fprintf(stderr, "filled %zu workloads in %.1f s\n", n_workloads,
                (clock_mono_ms() - started) / 1000.0);
    }
    measure(db, n_writes, smoke, cold_only);
    store_close(db);
    if (path[0]) {
        static const char *const suffixes[] = {"", "-wal", "-shm"};
        for (int i = 0; i < 3; i++) {
            char p[128];
            snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
            unlink(p);
        }
    }
    if (failures)
        fprintf(stderr, "%d check(s) failed\n", failures);
    return failures ? 1 : 0;
}
