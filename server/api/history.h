/* history.h - taking the day's portfolio figures (issue 19 item 1), for
 * the dispatcher's first request of a day and `switchyard snapshot`. */
#ifndef SY_API_HISTORY_H
#define SY_API_HISTORY_H

#include "store/store.h"

/* Computes today's figures of every scope from the shared scored snapshot
 * and upserts them as 'observed' (a quiet write: cached answers stay
 * valid). ST_OK, or an error with err filled. */
int history_take(sy_db *db, store_err *err);

/* The dispatcher's hook: history_take, logging a failure. Instances on
 * one PostgreSQL database take the day's figures once: under the history
 * job's lock (store_job_begin), and not again when the day's observed rows
 * are there. 1 when another instance holds the lock (look again at a later
 * request), else 0 (done for the day). */
int history_daily(sy_db *db);

/* Recomputes every missing past day, from the day of the first audit
 * event to yesterday, by undoing the audit trail's entity writes (see
 * HISTORY_REBUILD_NOTE); stores them as 'rebuilt'. *days: how many. */
int history_rebuild(sy_db *db, long *days, store_err *err);

/* The governance report's "since_review": null without a review, else
 * {review, since_instant, workloads, contracts} as GET /portfolio/changes
 * ?since=review answers them. 0, or an HTTP status with the problem. */
struct sy_request;
struct analysis;
int changes_review_model(struct sy_request *rq, const struct analysis *an);

/* What the API and the README say about rebuilt and missing days. */
extern const char HISTORY_REBUILD_NOTE[];

#endif
