/* reports.h (store) - the audit-trail reads of the governance report.
 *
 * Report exports and sign-in/sign-out events change no governed data, so
 * the report leaves them out: its "audit head" is the latest event that is
 * neither (entity "report" with action "export", or entity "session"), and
 * its change list skips them too. Two exports of unchanged data therefore
 * reflect the same head, although the first export appended an event. */
#ifndef SY_STORE_REPORTS_H
#define SY_STORE_REPORTS_H

#include "core/audit.h"
#include "store/store.h"

/* The latest data event: seq 0 and the genesis hash when there is none;
 * *at (arena) is NULL then. */
int store_report_head(sy_db *db, arena *a, int64_t *seq, char hash[AUDIT_HASH_HEX],
                      const char **at, store_err *err);

/* Data events with at >= since (RFC 3339) and seq <= upto, oldest first. */
int store_report_changes(sy_db *db, const char *since, int64_t upto, arena *a,
                         audit_event **items, size_t *n, store_err *err);

/* One event by sequence number (ST_NOT_FOUND if there is none). */
int store_audit_get(sy_db *db, int64_t seq, arena *a, audit_event *ev, store_err *err);

#endif
