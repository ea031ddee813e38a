/* webhook_events.c - which webhook events a change of the scored portfolio
 * raises: the facts it states now (flagged, P1, deadlines near, expired
 * acceptances, failed drills) compared with the state last recorded. A
 * comparison of state, not of one write, so nothing is missed when the
 * server stops between a write and its events: the next look raises them.
 * After workload writes alone the comparison may cover just the workloads
 * written (webhook_facts_of, webhook_state_keys): nothing else can move. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jw.h"
#include "common/text.h"
#include "core/webhook.h"

typedef struct facts {
    wh_fact *items;
    size_t n, cap;
    arena *a;
} facts;

static int add_fact(facts *f, const char *key, int64_t value, int kind, buf *data)
{
    if (buf_failed(data))
        return -1;
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        wh_fact *grown = arena_alloc(f->a, cap * sizeof *grown);
        if (!grown)
            return -1;
        if (f->n)
            memcpy(grown, f->items, f->n * sizeof *grown);
        f->items = grown;
        f->cap = cap;
    }
    wh_fact *x = &f->items[f->n++];
    x->key = arena_strdup(f->a, key);
    x->value = value;
    x->kind = kind;
    x->data = arena_strdup(f->a, data->data ? data->data : "{}");
    return x->key && x->data ? 0 : -1;
}

static void workload_obj(jw *w, const workload *wl, const risk_result *r)
{
    jw_obj(w);
    jw_kint(w, "id", wl->id);
    jw_kstr(w, "name", wl->name);
    jw_kstr(w, "track", wl->track);
    jw_kstr(w, "status", wl->status);
    jw_kstr(w, "criticality", wl->criticality);
    if (r) {
        jw_kint(w, "risk_score", r->score);
        jw_kstr(w, "risk_level", RISK_LEVELS[r->level]);
        jw_kstr(w, "priority", RISK_PRIORITIES[r->priority]);
        jw_kbool(w, "flagged", r->flagged);
        jw_kbool(w, "accepted", r->accepted);
    }
    jw_obj_end(w);
}

static const risk_result *risk_of(const portfolio *p, const risk_result *risk, int64_t id)
{
    const workload *w = pf_workload(p, id);
    return w ? &risk[w - p->workloads] : NULL;
}

/* "workload": the workload of id with its risk, or null when it is gone. */
static void workload_member(jw *w, const portfolio *p, const risk_result *risk, int64_t id)
{
    const workload *wl = pf_workload(p, id);
    jw_key(w, "workload");
    if (wl)
        workload_obj(w, wl, risk_of(p, risk, wl->id));
    else
        jw_null(w);
}

/* The flagged and p1 facts of one workload (r: its risk). */
static int one_workload_facts(facts *f, const workload *wl, const risk_result *r, buf *b)
{
    char key[48];
    buf_reset(b);
    jw w;
    jw_init(&w, b);
    jw_obj(&w);
    jw_key(&w, "workload");
    workload_obj(&w, wl, r);
    jw_obj_end(&w);
    snprintf(key, sizeof key, "flagged:%lld", (long long)wl->id);
    if (add_fact(f, key, r->flagged ? 1 : 0, WH_FLAGGED, b) != 0)
        return -1;
    snprintf(key, sizeof key, "p1:%lld", (long long)wl->id);
    return add_fact(f, key, r->active && r->priority == 0, WH_P1, b);
}

static int workload_facts(facts *f, const portfolio *p, const risk_result *risk, buf *b)
{
    for (size_t i = 0; i < p->n_workloads; i++)
        if (one_workload_facts(f, &p->workloads[i], &risk[i], b) != 0)
            return -1;
    return 0;
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* Whether id is one of the workloads a comparison covers (ids sorted;
 * NULL: every workload). */
static int covered(const int64_t *ids, size_t n_ids, int64_t id)
{
    return !ids || (n_ids && bsearch(&id, ids, n_ids, sizeof *ids, cmp_i64));
}

static int deadline_facts(facts *f, const portfolio *p, int days, buf *b)
{
    char key[64], date[11];
    for (size_t i = 0; i < p->n_contracts; i++) {
        const contract *c = &p->contracts[i];
        int64_t d = p->deadline ? p->deadline[i] : contract_notice_deadline(c, p->today);
        if (d < p->today || d > p->today + days)
            continue;
        date_format(d, date);
        snprintf(key, sizeof key, "deadline:%lld:%s", (long long)c->id, date);
        buf_reset(b);
        jw w;
        jw_init(&w, b);
        jw_obj(&w);
        jw_key(&w, "contract");
        jw_obj(&w);
        jw_kint(&w, "id", c->id);
        jw_kstr(&w, "name", c->name);
        jw_kstr(&w, "kind", c->kind);
        jw_kstr(&w, "end_date", c->end_date);
        jw_kint(&w, "notice_days", c->notice_days);
        jw_obj_end(&w);
        jw_kstr(&w, "notice_deadline", date);
        jw_kint(&w, "days_left", d - p->today);
        jw_obj_end(&w);
        if (add_fact(f, key, 1, WH_DEADLINE, b) != 0)
            return -1;
    }
    return 0;
}

/* Expired acceptances and failed drills, of the workloads in ids (sorted;
 * NULL: all). */
static int governance_facts(facts *f, const portfolio *p, const risk_result *risk,
                            const int64_t *ids, size_t n_ids, buf *b)
{
    char key[64];
    for (size_t i = 0; i < p->n_acceptances; i++) {
        const risk_acceptance *r = &p->acceptances[i];
        int64_t until;
        if (!covered(ids, n_ids, r->workload) || r->revoked_at || !r->expires_on || date_parse(r->expires_on, &until) != 0 ||
            until >= p->today)
            continue; /* in force until the end of expires_on */
        snprintf(key, sizeof key, "acceptance:%lld:%s", (long long)r->id, r->expires_on);
        buf_reset(b);
        jw w;
        jw_init(&w, b);
        jw_obj(&w);
        jw_key(&w, "acceptance");
        jw_obj(&w);
        jw_kint(&w, "id", r->id);
        jw_kstr(&w, "owner", r->owner);
        jw_kstr(&w, "reason", r->reason);
        jw_kstr(&w, "expires_on", r->expires_on);
        jw_obj_end(&w);
        workload_member(&w, p, risk, r->workload);
        jw_obj_end(&w);
        if (add_fact(f, key, 1, WH_ACCEPTANCE_EXPIRED, b) != 0)
            return -1;
    }
    for (size_t i = 0; i < p->n_drills; i++) {
        const exit_drill *d = &p->drills[i];
        if (!covered(ids, n_ids, d->workload) || !d->result || strcmp(d->result, "failed") != 0)
            continue;
        snprintf(key, sizeof key, "drill:%lld", (long long)d->id);
        buf_reset(b);
        jw w;
        jw_init(&w, b);
        jw_obj(&w);
        jw_key(&w, "drill");
        jw_obj(&w);
        jw_kint(&w, "id", d->id);
        jw_kint(&w, "dependency", d->dependency);
        jw_kint(&w, "offering", d->offering);
        jw_kstr(&w, "drilled_on", d->drilled_on);
        jw_kstr(&w, "result", d->result);
        jw_kstr(&w, "evidence", d->evidence);
        jw_obj_end(&w);
        workload_member(&w, p, risk, d->workload);
        jw_obj_end(&w);
        if (add_fact(f, key, 1, WH_DRILL_FAILED, b) != 0)
            return -1;
    }
    return 0;
}

static int once_only(const char *key)
{
    return strncmp(key, "flagged:", 8) != 0 && strncmp(key, "p1:", 3) != 0;
}

static int cmp_fact(const void *x, const void *y)
{
    return strcmp(((const wh_fact *)x)->key, ((const wh_fact *)y)->key);
}

static int cmp_stored(const void *x, const void *y)
{
    return strcmp(((const wh_stored *)x)->key, ((const wh_stored *)y)->key);
}

int webhook_facts(const portfolio *p, const risk_result *risk, int deadline_days, arena *a,
                  wh_fact **out, size_t *n)
{
    facts f = {NULL, 0, 0, a};
    buf b;
    buf_init(&b);
    int rc = workload_facts(&f, p, risk, &b);
    if (rc == 0)
        rc = deadline_facts(&f, p, deadline_days, &b);
    if (rc == 0)
        rc = governance_facts(&f, p, risk, NULL, 0, &b);
    buf_free(&b);
    if (rc != 0)
        return -1;
    if (f.n)
        qsort(f.items, f.n, sizeof *f.items, cmp_fact);
    *out = f.items;
    *n = f.n;
    return 0;
}

int webhook_facts_of(const portfolio *p, const risk_result *risk, const int64_t *ids,
                     size_t n_ids, arena *a, wh_fact **out, size_t *n)
{
    facts f = {NULL, 0, 0, a};
    buf b;
    buf_init(&b);
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < n_ids; k++) {
        const workload *wl = pf_workload(p, ids[k]);
        if (wl) /* a workload gone has no facts: its rows are dropped */
            rc = one_workload_facts(&f, wl, &risk[wl - p->workloads], &b);
    }
    if (rc == 0)
        rc = governance_facts(&f, p, risk, ids, n_ids, &b);
    buf_free(&b);
    if (rc != 0)
        return -1;
    if (f.n)
        qsort(f.items, f.n, sizeof *f.items, cmp_fact);
    *out = f.items;
    *n = f.n;
    return 0;
}

int webhook_state_keys(const int64_t *ids, size_t n_ids, const wh_fact *facts_in,
                       size_t n_facts, arena *a, const char ***out, size_t *n)
{
    size_t cap = 2 * n_ids + n_facts, m = 0;
    const char **keys = arena_alloc(a, (cap ? cap : 1) * sizeof *keys);
    if (!keys)
        return -1;
    char key[48];
    for (size_t k = 0; k < n_ids; k++) {
        snprintf(key, sizeof key, "flagged:%lld", (long long)ids[k]);
        if (!(keys[m++] = arena_strdup(a, key)))
            return -1;
        snprintf(key, sizeof key, "p1:%lld", (long long)ids[k]);
        if (!(keys[m++] = arena_strdup(a, key)))
            return -1;
    }
    for (size_t i = 0; i < n_facts; i++)
        if (once_only(facts_in[i].key))
            keys[m++] = facts_in[i].key; /* the workload keys are listed above */
    *out = keys;
    *n = m;
    return 0;
}

void webhook_sort_stored(wh_stored *s, size_t n)
{
    if (n)
        qsort(s, n, sizeof *s, cmp_stored);
}

/* The event a fact raises moving from before (-1: not seen) to now. */
static int event_of(const wh_fact *f, int64_t before)
{
    if (f->kind == WH_FLAGGED) {
        if (f->value && before != 1)
            return WH_FLAGGED;
        return !f->value && before == 1 ? WH_UNFLAGGED : -1;
    }
    if (f->kind == WH_P1)
        return f->value && before != 1 ? WH_P1 : -1;
    return before < 0 ? f->kind : -1; /* once-only */
}

int webhook_diff(const wh_fact *facts_in, size_t n_facts, const wh_stored *stored,
                 size_t n_stored, int baseline, arena *a, wh_change **out, size_t *n)
{
    size_t cap = n_facts + n_stored;
    wh_change *c = arena_alloc(a, (cap ? cap : 1) * sizeof *c);
    if (!c)
        return -1;
    size_t i = 0, k = 0, m = 0;
    while (i < n_facts || k < n_stored) {
        int order = i == n_facts ? 1 : k == n_stored ? -1 : strcmp(facts_in[i].key, stored[k].key);
        if (order > 0) { /* recorded, no longer a fact */
            if (!once_only(stored[k].key))
                c[m++] = (wh_change){WH_DELETE, stored[k].key, 0, -1, NULL};
            k++;
            continue;
        }
        const wh_fact *f = &facts_in[i++];
        int64_t before = order == 0 ? stored[k++].value : -1;
        if (before == f->value)
            continue;
        int ev = baseline ? -1 : event_of(f, before);
        c[m++] = (wh_change){before < 0 ? WH_INSERT : WH_UPDATE, f->key, f->value, ev, f->data};
    }
    *out = c;
    *n = m;
    return 0;
}
