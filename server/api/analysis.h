/* analysis.h - the portfolio snapshot with every workload's risk, as the
 * read-side endpoints (workloads with risk, summary, concentration,
 * strategies, scenarios) need it. Loaded in one read transaction, so the
 * figures of one response always agree with each other. */
#ifndef SY_ANALYSIS_H
#define SY_ANALYSIS_H

#include "core/concentration.h"
#include "core/overview.h"
#include "core/portfolio.h"
#include "core/risk.h"
#include "http/request.h"

typedef struct snapshot snapshot;

/* Read-only views into a snapshot held until the response is sent. */
typedef struct analysis {
    portfolio p;
    risk_weights weights;
    risk_result *risk;          /* one per p.workloads[i] */
    snapshot *snap;
    const ov_counts *counts;    /* the snapshot's counts of the whole
                                   portfolio (ov_count), or NULL */
    const conc_sums *conc;      /* its concentration sums, kept likewise
                                   (concentration_kept), or NULL */
} analysis;

/* The snapshot of the current data. Returns 0, or an HTTP status with the
 * problem written. Inside a transaction of the caller's it is built from
 * that transaction. The snapshot is shared: never modify it. */
int analysis_load(sy_request *rq, analysis *an);

/* A snapshot whose catalogue (vendors, offerings, contracts, weights) is
 * current, without its workloads (p.n_workloads 0, risk, counts and conc
 * NULL; inside the caller's transaction: the private snapshot, whole).
 * Enough to score one workload read fresh from the store, without
 * rebuilding after every workload write (snapshot_obtain_catalogue). */
int analysis_catalogue(sy_request *rq, analysis *an);

/* The shared snapshot leaves the workloads' long texts out
 * (portfolio.texts_left_out); a response that shows them reads them from
 * the store for its rows. analysis_shown: *out, copies of rows[0..n) with
 * their texts (one query per 100), in the request's arena; 0 or an HTTP
 * status with the problem written. analysis_texts: an->p.workloads becomes a copy whose texts are
 * read (every workload in one scan; only one when `only` is a workload's
 * id), for exports; 0 or an HTTP status. Call it before taking pointers
 * into an->p.workloads. Neither touches the shared snapshot. */
int analysis_shown(sy_request *rq, const analysis *an, const workload *const *rows, size_t n,
                   workload **out);
int analysis_texts(sy_request *rq, analysis *an, int64_t only);

/* Scores a workload against the snapshot's catalogue. */
void analysis_score(const analysis *an, const workload *w, arena *a, risk_result *out);

/* Risk of a workload of the snapshot (by pointer into p.workloads). */
const risk_result *analysis_risk(const analysis *an, const workload *w);

/* r (a result of the snapshot, for workload w) with its reason sentences,
 * written into a (through tmp) when the snapshot scored it without them;
 * for output. */
const risk_result *analysis_explained(const analysis *an, const workload *w,
                                      const risk_result *r, arena *a, risk_result *tmp);

/* Writes {"basis", "connected", "layers":{provider:{hhi, band,
 * effective_providers, total, shares:[{group, share, amount}]}, ...}}. */
void concentration_json(jw *w, const concentration *c);
/* The same, naming the workloads the actual basis did not count (p may
 * be NULL: counted only). */
void concentration_json_of(jw *w, const concentration *c, const portfolio *p);

/* Writes a money amount held as a double in currency units, rounded to cents. */
void jw_amount(jw *w, double units);

/* Days from today to a date string, or INT64_MIN when it does not parse. */
int64_t days_until(const analysis *an, const char *date);

/* Shared by the summary and the strategy views (portfolio.c). */
void write_deadlines(sy_request *rq, const analysis *an, int window,
                     int (*filter)(const contract *c, const void *ctx), const void *ctx);
/* Each term lists its first UPSTREAM_EMBEDDED_WORKLOADS workloads (by id);
 * "count" says how many there are, the agreement's page lists them all. */
#define UPSTREAM_EMBEDDED_WORKLOADS 20
void write_upstream_terms(sy_request *rq, const analysis *an,
                          int (*filter)(const workload *w, const void *ctx), const void *ctx);

/* The review interval of catalogue facts: the setting review_days, or
 * REVIEW_DAYS_DEFAULT when unset or unreadable. */
int64_t review_days(sy_request *rq);

/* Writes {"items":[...], "total", "by_severity"}: the compliance findings
 * (core/compliance.h), only those naming a workload of `track` when not
 * NULL. 0, or -1 when out of memory (nothing usable written). */
/* The compliance findings as {items, total, by_severity}; embedded (in the
 * summary and strategy views) keeps the most severe few, each naming its
 * first workloads. */
#define COMPLIANCE_EMBEDDED 50
#define COMPLIANCE_EMBEDDED_WORKLOADS 20
int write_compliance(sy_request *rq, const analysis *an, const char *track, int embedded);

#endif
