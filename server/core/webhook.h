/* webhook.h - the pure side of webhooks (issue 19 item 5): event types,
 * endpoint URL validation, the delivery signature, the retry schedule,
 * the body sent, and the transitions between the scored portfolio and
 * the state last seen (which events a change raises). No SQL, no HTTP.
 *
 * Signature: Switchyard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA-256
 * of "<t>.<body>" keyed with the endpoint's secret>, as Stripe-style
 * receivers check it (see README "Webhooks"). */
#ifndef SY_WEBHOOK_H
#define SY_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "core/portfolio.h"
#include "core/risk.h"

enum {
    WH_FLAGGED,
    WH_UNFLAGGED,
    WH_P1,
    WH_DEADLINE,
    WH_ACCEPTANCE_EXPIRED,
    WH_DRILL_FAILED,
    WH_IMPORT_APPLIED,
    WH_AUDIT_VERIFY_FAILED,
    WH_N_EVENTS
};
extern const char *const WH_EVENT_NAMES[WH_N_EVENTS + 1];   /* NULL-terminated */

#define WEBHOOK_URL_MAX 2048
#define WEBHOOK_RETRY_WINDOW 86400      /* seconds: retried for a day, then failed */
#define WEBHOOK_RETRY_CAP 21600         /* no wait longer than 6 h */
#define WEBHOOK_DEADLINE_DAYS 30        /* deadline.upcoming: notice deadline this near */
#define WEBHOOK_KEEP_DAYS 30            /* delivered and failed deliveries kept this long */

/* The code of an event type, or -1. */
int webhook_event_code(const char *name);
/* A stored comma-separated list -> bit mask (1 << code); unknown names are
 * ignored. */
unsigned webhook_events_mask(const char *csv);
/* The mask as the canonical comma-separated list (WH_EVENT_NAMES order). */
void webhook_events_text(unsigned mask, buf *out);

/* NULL when url is an acceptable endpoint: http or https, a host (name,
 * IPv4 or [IPv6]), optional port 1-65535, no user information, no
 * whitespace or control characters, at most WEBHOOK_URL_MAX bytes. Else
 * what is wrong, as a sentence fragment ("must ..."). */
const char *webhook_url_check(const char *url);

/* The v1 signature: hex HMAC-SHA-256 over "<t>.<body>". 0, or -1. */
int webhook_sign(const unsigned char *secret, size_t secret_len, int64_t t, const char *body,
                 size_t body_len, char hex[65]);
/* The whole header value "t=<t>,v1=<hex>". */
int webhook_signature_header(const unsigned char *secret, size_t secret_len, int64_t t,
                             const char *body, size_t body_len, char *out, size_t size);

/* Seconds to wait after the attempts-th failed attempt (1, 2, ...):
 * base * 2^(attempts-1), at most WEBHOOK_RETRY_CAP, then moved by
 * jitter_permille in [-200, 200] (+-20 %), never under 1. */
int64_t webhook_backoff(int64_t attempts, int64_t base, int jitter_permille);
/* After a failed attempt at now of a delivery first queued at first_at:
 * the time of the next attempt, or 0 when the day is over (failed). */
int64_t webhook_next_attempt(int64_t now, int64_t first_at, int64_t attempts, int64_t base,
                             int jitter_permille);

/* The body sent: {"id":...,"type":...,"created":...,"data":<data_json>}. */
void webhook_body(buf *b, const char *event_id, const char *type, const char *created,
                  const char *data_json);

/* ---- transitions ---------------------------------------------------------
 * A fact is what the portfolio says now under a key: "flagged:<workload>"
 * and "p1:<workload>" (0 or 1) and once-only facts ("deadline:<contract>:
 * <date>", "acceptance:<id>:<expires_on>", "drill:<id>", value 1) that
 * raise their event the first time they are seen. Stored state holds the
 * same keys as last seen. */
typedef struct wh_fact {
    const char *key;
    int64_t value;
    int kind;                  /* WH_FLAGGED (flagged/unflagged), WH_P1, or the once event */
    const char *data;          /* the event's data JSON */
} wh_fact;

typedef struct wh_stored {
    const char *key;
    int64_t value;
} wh_stored;

enum { WH_INSERT, WH_UPDATE, WH_DELETE };
typedef struct wh_change {
    int op;                    /* WH_INSERT / WH_UPDATE / WH_DELETE of the state row */
    const char *key;
    int64_t value;
    int event;                 /* WH_* to raise, or -1 */
    const char *data;
} wh_change;

/* Every fact of the scored portfolio (risk: one per p->workloads[i]),
 * sorted by key (strcmp). 0, or -1 if out of memory. */
int webhook_facts(const portfolio *p, const risk_result *risk, int deadline_days, arena *a,
                  wh_fact **out, size_t *n);
/* The facts of the workloads in ids alone (sorted ascending, unique): the
 * flagged and p1 facts of each still in p, and the expired acceptances and
 * failed drills naming one of them; sorted by key. The incremental
 * comparison: after writes of these workloads alone (no catalogue,
 * governance or day change) no other fact can have moved, so diffing
 * these with the stored rows of webhook_state_keys gives the changes the
 * full comparison gives. 0, or -1 if out of memory. */
int webhook_facts_of(const portfolio *p, const risk_result *risk, const int64_t *ids,
                     size_t n_ids, arena *a, wh_fact **out, size_t *n);
/* The state keys such a comparison reads: "flagged:<id>" and "p1:<id>" of
 * each id (a workload deleted keeps its rows until they are dropped) and
 * the once-only keys among facts. Unsorted; strings in a or borrowed from
 * facts. 0, or -1. */
int webhook_state_keys(const int64_t *ids, size_t n_ids, const wh_fact *facts, size_t n_facts,
                       arena *a, const char ***keys, size_t *n);
/* Sorts stored rows by key (strcmp) in place. */
void webhook_sort_stored(wh_stored *s, size_t n);
/* What to write and raise to bring stored (sorted) up to facts (sorted).
 * baseline: the first look, which records every fact and raises nothing.
 * A workload gone drops its rows silently; once-only rows stay. */
int webhook_diff(const wh_fact *facts, size_t n_facts, const wh_stored *stored, size_t n_stored,
                 int baseline, arena *a, wh_change **out, size_t *n);

#endif
