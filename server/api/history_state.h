/* history_state.h - the portfolio as it stood at the end of a past day,
 * put back together from the current one and the audit trail (issue 19:
 * the rebuilt history days and the "changes since a review").
 *
 * Every audited write of a vendor, offering, contract or workload carries
 * the record's JSON before and after. A record written on the day or
 * later is put back as the `before` of its first such write (or left out
 * when that write created it); exit drills and risk acceptances count when
 * they were recorded before the day (an acceptance revoked on it or later
 * counts as in force). The start of a day matches an observed history row,
 * taken at the day's first request. What
 * is not replayed: risk weights (today's apply) and records written outside
 * the audited API (SQL by hand). */
#ifndef SY_HISTORY_STATE_H
#define SY_HISTORY_STATE_H

#include <jansson.h>

#include "core/portfolio.h"
#include "core/risk.h"
#include "store/store.h"

/* What the replay restores and what not, in plain words (API answers). */
extern const char HISTORY_REPLAY_NOTE[];

/* The entity writes of the audit trail, loaded once. */
typedef struct trail_write {
    int64_t day;               /* the day of `at` */
    const char *at;            /* RFC 3339 UTC */
    int64_t seq;               /* the audit event's sequence number */
    int kind;                  /* index into the entity kinds (vendor .. workload) */
    int64_t id;
    int created;               /* the write created the record */
    const char *before;        /* JSON text, or NULL */
} trail_write;

typedef struct trail {
    arena arena;
    trail_write *writes;       /* in sequence order */
    size_t n, cap;
    int64_t first_day;         /* of the first audit event of any kind; -1 if none */
    int64_t *review_ids, *review_seqs; /* each review's creation event */
    size_t n_reviews, cap_reviews;
} trail;

/* The sequence number of the audit event that created review id; 0 if none. */
int64_t trail_review_seq(const trail *t, int64_t id);

int trail_load(sy_db *db, trail *t, store_err *err);
void trail_free(trail *t);

/* A scored portfolio of a past day: its arrays and JSON live until
 * past_free. */
typedef struct past {
    arena arena;
    portfolio p;
    risk_result *risk;         /* one per p.workloads[i] */
    json_t **docs;             /* the parsed `before` documents the strings point into */
    size_t n_docs, cap_docs;
} past;

/* Fills *out with `now` as it stood at the instant `cutoff` (RFC 3339
 * UTC, e.g. "2026-12-05T00:00:00Z" for the start of a day): the writes at
 * or after it undone; today is the cutoff's day. Scored with weights.
 * ST_OK, or an error with err filled. */
int past_build(const trail *t, const portfolio *now, const risk_weights *weights,
               const char *cutoff, past *out, store_err *err);
/* The same, with the writes of vendors, offerings, contracts and workloads
 * cut by audit sequence instead (after_seq > 0: those after it undone),
 * exact even within one second; drills and acceptances by cutoff. */
int past_build_seq(const trail *t, const portfolio *now, const risk_weights *weights,
                   const char *cutoff, int64_t after_seq, past *out, store_err *err);
/* "YYYY-MM-DDT00:00:00Z" of a day. */
void day_start(int64_t day, char out[21]);
void past_free(past *p);

#endif
