/* history_state.c - the portfolio at the end of a past day from the
 * current one and the audit trail; see history_state.h. */
#include "api/history_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "core/audit.h"
#include "core/entity.h"

const char HISTORY_REPLAY_NOTE[] =
    "The portfolio at the start of the day (as a day's observed row is taken at its first "
    "request) is put back together from today's and the audit trail: every audited write "
    "of a vendor, offering, contract or workload made that day or later is undone (the "
    "record's JSON before the write is put back; a record created then is left out); exit "
    "drills and risk acceptances count when they had been recorded before. Risk weights "
    "are today's; changes made outside the audited API (by SQL) are not seen.";

enum { K_VENDOR, K_OFFERING, K_CONTRACT, K_WORKLOAD, KINDS };
static const entity_desc *const DESCS[KINDS] = {&VENDOR_DESC, &OFFERING_DESC, &CONTRACT_DESC,
                                                &WORKLOAD_DESC};

static int fail(store_err *err, const char *detail)
{
    err->code = ST_ERROR;
    err->pointer[0] = '\0';
    copy_str(err->detail, sizeof err->detail, detail);
    return ST_ERROR;
}

static int kind_of(const char *entity)
{
    for (int k = 0; k < KINDS; k++)
        if (strcmp(DESCS[k]->name, entity) == 0)
            return k;
    return -1;
}

static int64_t day_of(const char *at)
{
    int64_t day;
    char d[11];
    copy_str(d, sizeof d, at ? at : "");
    return date_parse(d, &day) == 0 ? day : -1;
}

static int visit(const audit_event *ev, void *ctx)
{
    trail *t = ctx;
    int64_t day = day_of(ev->at);
    if (t->first_day < 0)
        t->first_day = day;
    if (strcmp(ev->entity, "review") == 0 && strcmp(ev->action, "create") == 0) {
        if (t->n_reviews == t->cap_reviews) {
            size_t ncap = t->cap_reviews ? t->cap_reviews * 2 : 8;
            int64_t *ids = realloc(t->review_ids, ncap * sizeof *ids);
            if (!ids)
                return 1;
            t->review_ids = ids;
            int64_t *seqs = realloc(t->review_seqs, ncap * sizeof *seqs);
            if (!seqs)
                return 1;
            t->review_seqs = seqs;
            t->cap_reviews = ncap;
        }
        t->review_ids[t->n_reviews] = ev->entity_id;
        t->review_seqs[t->n_reviews++] = ev->seq;
        return 0;
    }
    int kind = kind_of(ev->entity);
    if (kind < 0 || ev->entity_id <= 0 || day < 0)
        return 0;
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 256;
        trail_write *grown = realloc(t->writes, ncap * sizeof *grown);
        if (!grown)
            return 1;
        t->writes = grown;
        t->cap = ncap;
    }
    trail_write *w = &t->writes[t->n++];
    w->day = day;
    w->kind = kind;
    w->id = ev->entity_id;
    w->created = strcmp(ev->action, "create") == 0;
    w->seq = ev->seq;
    w->at = arena_strdup(&t->arena, ev->at);
    w->before = ev->before ? arena_strdup(&t->arena, ev->before) : NULL;
    return (ev->before && !w->before) || !w->at;
}

int trail_load(sy_db *db, trail *t, store_err *err)
{
    memset(t, 0, sizeof *t);
    arena_init(&t->arena);
    t->first_day = -1;
    int code = store_audit_each(db, visit, t, err);
    if (code != ST_OK)
        return code;
    return ST_OK;
}

int64_t trail_review_seq(const trail *t, int64_t id)
{
    for (size_t i = 0; i < t->n_reviews; i++)
        if (t->review_ids[i] == id)
            return t->review_seqs[i];
    return 0;
}

void trail_free(trail *t)
{
    free(t->review_ids);
    free(t->review_seqs);
    free(t->writes);
    arena_free(&t->arena);
    memset(t, 0, sizeof *t);
}

void past_free(past *p)
{
    for (size_t i = 0; i < p->n_docs; i++)
        json_decref(p->docs[i]);
    free(p->docs);
    arena_free(&p->arena);
    memset(p, 0, sizeof *p);
}

static int keep_doc(past *p, json_t *doc)
{
    if (p->n_docs == p->cap_docs) {
        size_t ncap = p->cap_docs ? p->cap_docs * 2 : 16;
        json_t **grown = realloc(p->docs, ncap * sizeof *grown);
        if (!grown)
            return -1;
        p->docs = grown;
        p->cap_docs = ncap;
    }
    p->docs[p->n_docs++] = doc;
    return 0;
}

static int by_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* One kind's records at the start of `day`: a copy of the current ones
 * with the records written that day or later put back (or left out). */
/* Whether write w comes at or after the cut (by sequence when after_seq). */
static int undone(const trail_write *w, const char *cutoff, int64_t after_seq)
{
    return after_seq ? w->seq > after_seq : strcmp(w->at, cutoff) >= 0;
}

static int rebuild_kind(const trail *t, past *p, int kind, const char *cutoff, int64_t after_seq,
                        const void *items,
                        size_t n, void **out, size_t *n_out, store_err *err)
{
    const entity_desc *d = DESCS[kind];
    size_t later = 0;
    for (size_t i = 0; i < t->n; i++)
        later += t->writes[i].kind == kind && undone(&t->writes[i], cutoff, after_seq);
    char *arr = arena_alloc(&p->arena, (n + later + 1) * d->size);
    if (!arr)
        return fail(err, "Out of memory.");
    memcpy(arr, items, n * d->size);
    size_t count = n;
    /* The first write after the day, per record: put back its `before`. */
    int64_t *done = arena_alloc(&p->arena, (later + 1) * sizeof *done);
    size_t n_done = 0;
    for (size_t i = 0; done && i < t->n; i++) {
        const trail_write *w = &t->writes[i];
        if (w->kind != kind || !undone(w, cutoff, after_seq))
            continue;
        int repeat = 0;
        for (size_t k = 0; k < n_done && !repeat; k++)
            repeat = done[k] == w->id;
        if (repeat)
            continue;
        done[n_done++] = w->id;
        size_t at = count;
        for (size_t k = 0; k < count; k++)
            if (*(const int64_t *)(arr + k * d->size) == w->id)
                at = k;
        if (w->created || !w->before) {
            if (at < count) { /* did not exist yet: leave it out */
                memmove(arr + at * d->size, arr + (at + 1) * d->size, (count - at - 1) * d->size);
                count--;
            }
            continue;
        }
        json_t *doc = json_loads(w->before, 0, NULL);
        sy_errors e;
        errors_init(&e);
        void *slot = arr + (at < count ? at : count) * d->size;
        if (!doc || keep_doc(p, doc) != 0) {
            json_decref(doc);
            return fail(err, "An audit event's record could not be read.");
        }
        if (entity_from_json(d, doc, &p->arena, slot, &e) != 0)
            continue; /* an older form the descriptor no longer takes: keep today's */
        *(int64_t *)slot = w->id;
        if (at == count)
            count++;
    }
    if (!done)
        return fail(err, "Out of memory.");
    qsort(arr, count, d->size, by_id);
    *out = arr;
    *n_out = count;
    return ST_OK;
}

/* Groups: the top of each vendor's parent chain among the day's vendors. */
static void regroup(portfolio *p)
{
    for (size_t i = 0; i < p->n_vendors; i++) {
        const vendor *v = &p->vendors[i];
        for (int hops = 0; v->parent && hops < 32; hops++) {
            const vendor *up = NULL;
            for (size_t k = 0; k < p->n_vendors && !up; k++)
                if (p->vendors[k].id == v->parent)
                    up = &p->vendors[k];
            if (!up)
                break;
            v = up;
        }
        p->vendors[i].group_id = v->id;
        p->vendors[i].group_name = v->name;
    }
}

/* Drills and acceptances recorded before the day. */
static int after_cutoff(const char *at, const char *cutoff)
{
    return at && strcmp(at, cutoff) >= 0;
}

static int governance_at(const portfolio *now, const char *cutoff, past *out, store_err *err)
{
    portfolio *p = &out->p;
    p->drills = arena_alloc(&out->arena, (now->n_drills + 1) * sizeof *p->drills);
    p->acceptances = arena_alloc(&out->arena, (now->n_acceptances + 1) * sizeof *p->acceptances);
    if (!p->drills || !p->acceptances)
        return fail(err, "Out of memory.");
    p->n_drills = p->n_acceptances = 0;
    for (size_t i = 0; i < now->n_drills; i++)
        if (!after_cutoff(now->drills[i].created_at, cutoff))
            p->drills[p->n_drills++] = now->drills[i];
    for (size_t i = 0; i < now->n_acceptances; i++) {
        risk_acceptance r = now->acceptances[i];
        if (after_cutoff(r.created_at, cutoff))
            continue;
        if (after_cutoff(r.revoked_at, cutoff))
            r.revoked_at = r.revoked_by = NULL;
        p->acceptances[p->n_acceptances++] = r;
    }
    return ST_OK;
}

void day_start(int64_t day, char out[21])
{
    char d[11];
    date_format(day, d);
    snprintf(out, 21, "%sT00:00:00Z", d);
}

int past_build(const trail *t, const portfolio *now, const risk_weights *weights,
               const char *cutoff, past *out, store_err *err)
{
    return past_build_seq(t, now, weights, cutoff, 0, out, err);
}

int past_build_seq(const trail *t, const portfolio *now, const risk_weights *weights,
                   const char *cutoff, int64_t after_seq, past *out, store_err *err)
{
    memset(out, 0, sizeof *out);
    int64_t day = day_of(cutoff);
    if (day < 0)
        return fail(err, "The day to compare with does not parse.");
    arena_init(&out->arena);
    portfolio *p = &out->p;
    void *items;
    int code = rebuild_kind(t, out, K_VENDOR, cutoff, after_seq, now->vendors, now->n_vendors,
                            &items,
                            &p->n_vendors, err);
    p->vendors = items;
    if (code == ST_OK)
        code = rebuild_kind(t, out, K_OFFERING, cutoff, after_seq, now->offerings, now->n_offerings,
                            &items,
                            &p->n_offerings, err);
    if (code == ST_OK)
        p->offerings = items;
    if (code == ST_OK)
        code = rebuild_kind(t, out, K_CONTRACT, cutoff, after_seq, now->contracts, now->n_contracts,
                            &items,
                            &p->n_contracts, err);
    if (code == ST_OK)
        p->contracts = items;
    if (code == ST_OK)
        code = rebuild_kind(t, out, K_WORKLOAD, cutoff, after_seq, now->workloads, now->n_workloads,
                            &items,
                            &p->n_workloads, err);
    if (code == ST_OK)
        p->workloads = items;
    if (code == ST_OK)
        code = governance_at(now, cutoff, out, err);
    if (code != ST_OK)
        return code;
    regroup(p);
    p->today = day;
    if (portfolio_index(p, &out->arena) != 0 || risk_prepare(p, &out->arena) != 0 ||
        !(out->risk = arena_alloc(&out->arena, (p->n_workloads + 1) * sizeof *out->risk)))
        return fail(err, "Out of memory.");
    for (size_t i = 0; i < p->n_workloads; i++)
        risk_score(p, &p->workloads[i], weights, &out->risk[i]); /* points only: no sentences */
    return ST_OK;
}
