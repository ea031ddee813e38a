/* changes.c - what changed since a day, per workload and contract; see
 * changes.h. */
#include "core/changes.h"

#include <stdlib.h>
#include <string.h>

#include "common/text.h"

#define MAX_CHANGES (RISK_FACTORS + 16)

typedef struct builder {
    arena *a;
    change buf[MAX_CHANGES];
    size_t n;
    change_item *items;
    size_t n_items, cap;
    int failed;
} builder;

static change *push(builder *b, const char *kind)
{
    if (b->n == MAX_CHANGES)
        return NULL;
    change *c = &b->buf[b->n++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    return c;
}

/* Ends an item: kept (copied to the arena) when it has changes. */
static void flush(builder *b, int64_t id, const char *name, const char *track)
{
    if (!b->n || b->failed)
        return;
    if (b->n_items == b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 16;
        change_item *grown = arena_alloc(b->a, ncap * sizeof *grown);
        if (!grown) {
            b->failed = 1;
            return;
        }
        if (b->n_items)
            memcpy(grown, b->items, b->n_items * sizeof *grown);
        b->items = grown;
        b->cap = ncap;
    }
    change *copy = arena_alloc(b->a, b->n * sizeof *copy);
    if (!copy) {
        b->failed = 1;
        return;
    }
    memcpy(copy, b->buf, b->n * sizeof *copy);
    b->items[b->n_items++] = (change_item){id, name, track, copy, b->n};
    b->n = 0;
}

static const char *day_text(arena *a, int64_t day)
{
    char d[11];
    date_format(day, d);
    return arena_strdup(a, d);
}

static int64_t day_of(const char *at)
{
    char d[11];
    int64_t day;
    copy_str(d, sizeof d, at ? at : "");
    return date_parse(d, &day) == 0 ? day : -1;
}

static void risk_moves(builder *b, const risk_result *x, const risk_result *y)
{
    if (x->level != y->level) {
        change *c = push(b, "level");
        if (c) {
            c->from = RISK_LEVELS[x->level];
            c->to = RISK_LEVELS[y->level];
        }
    }
    if (x->score != y->score) {
        int before[RISK_FACTORS] = {0}, after[RISK_FACTORS] = {0};
        for (int i = 0; i < x->n_factors; i++)
            before[x->factors[i].code] = x->factors[i].points;
        for (int i = 0; i < y->n_factors; i++)
            after[y->factors[i].code] = y->factors[i].points;
        for (int f = 0; f < RISK_FACTORS; f++) {
            change *c = before[f] != after[f] ? push(b, "factor") : NULL;
            if (c) {
                c->code = RISK_CODES[f];
                c->points_from = before[f];
                c->points_to = after[f];
            }
        }
    }
    if (x->priority != y->priority) {
        change *c = push(b, "priority");
        if (c) {
            c->from = RISK_PRIORITIES[x->priority];
            c->to = RISK_PRIORITIES[y->priority];
        }
    }
    if (x->flagged != y->flagged)
        push(b, y->flagged ? "flagged" : "unflagged");
}

/* Acceptances and drills of workload w recorded or falling since. */
static int at_or_after(const char *at, const char *cutoff)
{
    return at && strcmp(at, cutoff) >= 0;
}

static void governance_moves(builder *b, const portfolio *after, int64_t since,
                             const char *cutoff, const workload *w)
{
    for (size_t i = 0; i < after->n_acceptances; i++) {
        const risk_acceptance *r = &after->acceptances[i];
        if (r->workload != w->id)
            continue;
        int64_t expires = day_of(r->expires_on);
        change *c = NULL;
        if (at_or_after(r->created_at, cutoff))
            c = push(b, "acceptance_granted");
        else if (at_or_after(r->revoked_at, cutoff) ||
                 (expires >= since && expires < after->today))
            c = push(b, "acceptance_expired");
        if (c) {
            c->day = r->expires_on;
            c->code = r->revoked_at ? "revoked" : "in_force";
            if (!acceptance_in_force(r, after->today) && !r->revoked_at)
                c->code = "expired";
        }
    }
    for (size_t i = 0; i < after->n_drills; i++) {
        const exit_drill *d = &after->drills[i];
        if (d->workload != w->id || day_of(d->drilled_on) < since)
            continue;
        change *c = push(b, "drill");
        if (c) {
            const offering *o = pf_offering(after, d->offering);
            c->code = d->result;
            c->to = o ? o->name : NULL;
            c->day = d->drilled_on;
        }
    }
}

static int by_name(const void *x, const void *y)
{
    const change_item *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

static void workload_changes(builder *b, const portfolio *before, const risk_result *rb,
                             const portfolio *after, const risk_result *ra, const char *cutoff)
{
    for (size_t i = 0; i < after->n_workloads; i++) {
        const workload *w = &after->workloads[i];
        const workload *old = pf_workload(before, w->id);
        const risk_result *x = old ? &rb[old - before->workloads] : NULL;
        int was = old && workload_active(old), is = workload_active(w);
        if (!was && is)
            push(b, "new");
        else if (was && !is && strcmp(w->status, "retired") == 0)
            push(b, "retired");
        if (was && is)
            risk_moves(b, x, &ra[i]);
        governance_moves(b, after, before->today, cutoff, w);
        flush(b, w->id, w->name, w->track);
    }
    /* Deleted since: active that day, gone now. */
    for (size_t i = 0; i < before->n_workloads; i++) {
        const workload *old = &before->workloads[i];
        if (workload_active(old) && !pf_workload(after, old->id)) {
            push(b, "retired");
            flush(b, old->id, old->name, old->track);
        }
    }
}

static void contract_changes(builder *b, const portfolio *before, const portfolio *after)
{
    for (size_t i = 0; i < after->n_contracts; i++) {
        const contract *k = &after->contracts[i];
        const contract *old = pf_contract(before, k->id);
        int was = old && contract_active(old, before->today);
        int is = contract_active(k, after->today);
        if (!was && is)
            push(b, "new");
        else if (was && !is)
            push(b, "ended");
        if (was && is) {
            int64_t e0 = contract_current_end(old, before->today);
            int64_t e1 = contract_current_end(k, after->today);
            change *c = e0 >= 0 && e1 > e0 ? push(b, "renewed") : NULL;
            if (c) {
                c->from = day_text(b->a, e0);
                c->to = day_text(b->a, e1);
            }
        }
        int64_t deadline = contract_notice_deadline(k, after->today);
        int64_t end = contract_current_end(k, after->today);
        int64_t soon = deadline >= after->today ? deadline : end;
        if (is && soon >= after->today && soon - after->today <= CHANGES_ENDING_DAYS) {
            change *c = push(b, "ending");
            if (c) {
                c->code = soon == deadline ? "notice_deadline" : "end";
                c->day = day_text(b->a, soon);
            }
        }
        flush(b, k->id, k->name, NULL);
    }
    for (size_t i = 0; i < before->n_contracts; i++) {
        const contract *old = &before->contracts[i];
        if (contract_active(old, before->today) && !pf_contract(after, old->id)) {
            push(b, "ended");
            flush(b, old->id, old->name, NULL);
        }
    }
}

int changes_compute(const portfolio *before, const risk_result *rb, const portfolio *after,
                    const risk_result *ra, const char *cutoff, arena *a, change_set *out)
{
    memset(out, 0, sizeof *out);
    builder b = {.a = a};
    workload_changes(&b, before, rb, after, ra, cutoff);
    out->workloads = b.items;
    out->n_workloads = b.n_items;
    b.items = NULL;
    b.n_items = b.cap = 0;
    contract_changes(&b, before, after);
    out->contracts = b.items;
    out->n_contracts = b.n_items;
    if (b.failed)
        return -1;
    if (out->n_workloads)
        qsort(out->workloads, out->n_workloads, sizeof *out->workloads, by_name);
    if (out->n_contracts)
        qsort(out->contracts, out->n_contracts, sizeof *out->contracts, by_name);
    return 0;
}
