/* portfolio.h - the whole catalogue and portfolio in memory, as one
 * consistent snapshot: what the risk engine, concentration, strategy views
 * and scenarios compute over. Loaded with a handful of queries (store), so
 * no computation ever queries per workload.
 *
 * Arrays are sorted by id; lookups are binary searches. Groups: a vendor's
 * group is the top of its parent chain; with connected merging, groups
 * linked as closely connected (DORA Art. 29) count as one. */
#ifndef SY_PORTFOLIO_H
#define SY_PORTFOLIO_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "core/model.h"

typedef struct portfolio {
    int64_t today;              /* days since 1970-01-01 */
    vendor *vendors;
    size_t n_vendors;
    offering *offerings;
    size_t n_offerings;
    contract *contracts;
    size_t n_contracts;
    workload *workloads;
    size_t n_workloads;
    exit_drill *drills;         /* by workload id, then drilled_on, then id */
    size_t n_drills;
    risk_acceptance *acceptances; /* by workload id, then id */
    size_t n_acceptances;
    int texts_left_out;         /* workloads' purpose, intended_purpose and notes not
                                   loaded (NULL): store_workload_texts for those shown */
    /* derived by portfolio_index() */
    int64_t *merged_group;      /* per vendor index: group after merging connections */
    size_t *cover_start;        /* per offering index: first entry in cover_list */
    size_t *cover_count;        /* per offering index: contracts covering it */
    size_t *cover_list;         /* contract indexes, ascending within an offering */
    int64_t *deadline;          /* per contract index: notice deadline, -1 open-ended */
    unsigned char *active;      /* per contract index: contract_active() on today */
    unsigned char *customer;    /* per contract index: kind is customer */
    size_t *upstream;           /* indexes of the upstream contracts binding today */
    size_t n_upstream;
    size_t upstream_terms;      /* their terms, all together */
    const char **lock_text;     /* per contract index, by risk_prepare(): the
                                   contract_lock reason, NULL if it locks nothing */
    const char **deadline_text; /* per contract index: the horizon reason */
    uint32_t *name_rank;        /* per contract index: place by name, then id
                                   (risk_prepare()), so reasons sort without strcmp */
    int32_t *offering_at;       /* offering id -> index + 1 (0: none), ids < n_offering_at */
    size_t n_offering_at;
    int32_t *vendor_at;         /* vendor id -> index + 1 (0: none), ids < n_vendor_at */
    size_t n_vendor_at;
} portfolio;

/* Builds the derived indexes; call once after filling the arrays and
 * setting today. Returns 0, or -1 if out of memory. */
int portfolio_index(portfolio *p, arena *a);

const vendor *pf_vendor(const portfolio *p, int64_t id);
const offering *pf_offering(const portfolio *p, int64_t id);
const contract *pf_contract(const portfolio *p, int64_t id);
const workload *pf_workload(const portfolio *p, int64_t id);
/* Group (top of the parent chain) of a vendor, or 0 if unknown. */
int64_t pf_group(const portfolio *p, int64_t vendor_id);
/* Group with closely connected groups merged (the smallest group id of the
 * connected set stands for it). */
int64_t pf_merged_group(const portfolio *p, int64_t vendor_id);
/* Display name of a group; merged groups read "Microsoft + OpenAI". */
const char *pf_group_name(const portfolio *p, int64_t group_id, int merged, arena *a);

/* Contract indexes (into p->contracts) of the contracts covering any of the
 * workload's model, hosting, assistant or data dependencies (identity and
 * tooling contracts do not bind it), without repeats and in no particular order;
 * returns how many were written to out (at most cap). Needs
 * portfolio_index(). */
size_t pf_workload_contracts(const portfolio *p, const workload *w, size_t *out, size_t cap);

/* The active set (domain.md "The active set"): workloads in pilot or
 * production. Every portfolio figure (flagged, priority and level lists and
 * counts, concentration, strategy views, findings, summaries, reports)
 * counts these and only these; proposed ones are the pipeline, retired
 * ones history. */
extern const char *const ACTIVE_STATUSES[];   /* pilot production, NULL-terminated */
int workload_active(const workload *w);
int status_active(const char *status);

/* 1 for the roles that carry weight (domain.md "Concentration" and the
 * single_group_stack factor): model, hosting, assistant and data;
 * identity and tooling carry none. */
int dependency_carries_weight(const char *role);

/* Criticality weights for the workload basis: low 1, medium 2, high 3,
 * critical 4 (0 for an unknown value). */
int criticality_weight(const char *criticality);

/* Whether a contract binds on `today`: signed and not yet ended (an
 * auto-renewing contract rolls forward; one that starts later already
 * binds). */
int contract_active(const contract *c, int64_t today);
/* The end of the contract's current term: end_date, rolled forward by
 * renewal_months while auto-renewing past today. -1 when open-ended. */
int64_t contract_current_end(const contract *c, int64_t today);
/* current end minus notice period, or -1 when open-ended. */
int64_t contract_notice_deadline(const contract *c, int64_t today);
/* 1 if the contract covers the offering. */
int contract_covers(const contract *c, int64_t offering_id);

/* Exit drills older than this many days no longer prove an alternative. */
#define DRILL_VALID_DAYS 180

/* The latest drill (by date, then id) of the workload on `offering` as the
 * replacement of `dependency`, on or before today; NULL if none. */
const exit_drill *pf_last_drill(const portfolio *p, int64_t wid, int64_t dep_id,
                                int64_t alt_id);
/* 1 when the drill passed within DRILL_VALID_DAYS before today. */
int drill_proves(const portfolio *p, const exit_drill *d);
/* Whether dependency i of w is portable (domain.md "Lock-in risk"): an
 * alternative from another vendor group passed an exit drill in the last
 * 180 days (its latest drill passed). Writes that alternative to *by when
 * by is not NULL. */
int pf_portable(const portfolio *p, const workload *w, size_t i, const alternative **by);
/* 1 when the acceptance counts on day `today`: not revoked, and today is
 * not after expires_on (its last day). */
int acceptance_in_force(const risk_acceptance *r, int64_t today);
/* The risk acceptance in force for the workload today (not revoked, not
 * expired: expires_on is its last day), the one expiring last; or NULL. */
const risk_acceptance *pf_acceptance(const portfolio *p, int64_t wid);
/* Whether a term bears on an offering (domain.md "Contract"): its scope's
 * groups (provider, publisher, host) and track all match; a term with no
 * scope bears on the offerings its contract covers. */
int term_in_scope(const portfolio *p, const contract *c, const contract_term *t,
                  const offering *o);

/* Catalogue facts reviewed longer ago than this read as stale, unless the
 * setting review_days says otherwise. */
#define REVIEW_DAYS_DEFAULT 180

/* 1 when a fact checked on as_of (NULL: never) is stale on today. */
int fact_stale(const char *as_of, int64_t today, int64_t review_days);

typedef struct catalogue_age {
    int64_t records;           /* vendors, offerings and upstream contracts */
    int64_t stale;             /* dated, but older than the review interval */
    int64_t undated;           /* no as_of at all */
    int64_t unsourced;         /* no source */
} catalogue_age;
/* Counts the catalogue's records by freshness (the organisation's own
 * vendor record and customer contracts are not catalogue facts). */
void catalogue_age_count(const portfolio *p, int64_t review_days, catalogue_age *out);

/* Adds months to a date (days since epoch), clamping the day of month. */
int64_t date_add_months(int64_t days, int64_t months);

#endif
