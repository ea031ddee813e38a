/* risk.c - the lock-in risk engine; see risk.h for the rules chosen. */
#include "core/risk.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/text.h"

/* Scoring without an arena (a == NULL, risk_score()) writes no sentence:
 * each factor then records its points with a NULL reason, and
 * risk_explained() writes the sentences when a workload is shown. */
static void add(risk_result *r, int code, int points, const char *reason, const arena *a)
{
    if (points <= 0)
        return;
    risk_factor *f = &r->factors[r->n_factors++];
    f->code = code;
    f->points = points;
    f->reason = !a ? NULL : reason ? reason : "";
}

static const char *vendor_name(const portfolio *p, int64_t id)
{
    const vendor *v = pf_vendor(p, id);
    return v ? v->name : "an unknown vendor";
}

static int by_name_then_id(const void *a, const void *b)
{
    const offering *x = *(const offering *const *)a, *y = *(const offering *const *)b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* The distinct offerings of the workload's dependencies that pass keep(),
 * by name then id; returns how many (at most cap). */
static size_t offerings_sorted(const portfolio *p, const workload *w,
                               int (*keep)(const portfolio *, const dependency *, const void *),
                               const void *ctx, const offering **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < w->n_dependencies && n < cap; i++) {
        const offering *o = pf_offering(p, w->dependencies[i].offering);
        if (!o || !keep(p, &w->dependencies[i], ctx))
            continue;
        int seen = 0;
        for (size_t k = 0; k < n && !seen; k++)
            seen = out[k] == o;
        if (!seen)
            out[n++] = o;
    }
    qsort(out, n, sizeof *out, by_name_then_id);
    return n;
}

/* What the factors know about the workload's dependencies. */
typedef struct dep_ctx {
    const workload *w;
    uint64_t portable;         /* bit i: dependency i is portable */
    int64_t group;             /* for weighted_of_group */
} dep_ctx;

static int is_portable(const dep_ctx *c, const dependency *d)
{
    size_t i = (size_t)(d - c->w->dependencies);
    return i < 64 && ((c->portable >> i) & 1);
}

static int weighted_of_group(const portfolio *p, const dependency *d, const void *ctx)
{
    const dep_ctx *c = ctx;
    const offering *o = pf_offering(p, d->offering);
    return dependency_carries_weight(d->role) && o && !is_portable(c, d) &&
           pf_group(p, o->provider) == c->group;
}

#define MAX_NAMED 64
/* A reason names at most this many contracts, deadlines or terms, then
 * says how many more: a workload covered by a hundred contracts reads as
 * one sentence, not a page (the workload's contracts list them all). */
#define NAMED_IN_REASON 5

/* "Azure OpenAI for model, hosting; Azure AI Search for data" - the
 * weighted dependencies of a group, by offering name then id. */
static void describe_group(const portfolio *p, const dep_ctx *c, int64_t group, buf *out)
{
    const workload *w = c->w;
    const offering *list[MAX_NAMED];
    dep_ctx g = *c;
    g.group = group;
    size_t n = offerings_sorted(p, w, weighted_of_group, &g, list, MAX_NAMED);
    for (size_t k = 0; k < n; k++) {
        buf_printf(out, "%s%s for ", k ? "; " : "", list[k]->name);
        int r = 0;
        for (size_t j = 0; j < w->n_dependencies; j++)
            if (w->dependencies[j].offering == list[k]->id &&
                dependency_carries_weight(w->dependencies[j].role) &&
                !is_portable(c, &w->dependencies[j]))
                buf_printf(out, "%s%s", r++ ? ", " : "", w->dependencies[j].role);
    }
}

static void single_group(const portfolio *p, const dep_ctx *c, const risk_weights *wts,
                         arena *a, risk_result *r)
{
    const workload *w = c->w;
    int64_t groups[3] = {0, 0, 0};
    int n = 0;
    for (size_t i = 0; i < w->n_dependencies && n < 3; i++) {
        const offering *o = pf_offering(p, w->dependencies[i].offering);
        /* identity and tooling carry no weight (domain.md factor table);
         * a portable dependency's exit is proven. */
        if (!o || !dependency_carries_weight(w->dependencies[i].role) ||
            is_portable(c, &w->dependencies[i]))
            continue;
        int64_t g = pf_group(p, o->provider);
        int known = 0;
        for (int k = 0; k < n; k++)
            known |= groups[k] == g;
        if (!known)
            groups[n++] = g;
    }
    if (n == 0 || n >= 3)
        return;
    if (!a) {
        add(r, RISK_SINGLE_GROUP, wts->points[RISK_SINGLE_GROUP] / n, NULL, a);
        return;
    }
    buf text;
    buf_init(&text);
    if (n == 1) {
        buf_printf(&text, "Every model, hosting, assistant and data dependency is sold by the %s "
                          "group: ", vendor_name(p, groups[0]));
        describe_group(p, c, groups[0], &text);
        buf_puts(&text, ".");
        add(r, RISK_SINGLE_GROUP, wts->points[RISK_SINGLE_GROUP], arena_strdup(a, text.data), a);
    } else {
        /* The two groups by name, so the sentence reads the same every time. */
        if (strcmp(vendor_name(p, groups[1]), vendor_name(p, groups[0])) < 0) {
            int64_t t = groups[0];
            groups[0] = groups[1];
            groups[1] = t;
        }
        buf_printf(&text, "Its model, hosting, assistant and data dependencies are sold by only "
                          "two vendor groups, %s (", vendor_name(p, groups[0]));
        describe_group(p, c, groups[0], &text);
        buf_printf(&text, ") and %s (", vendor_name(p, groups[1]));
        describe_group(p, c, groups[1], &text);
        buf_puts(&text, ").");
        add(r, RISK_SINGLE_GROUP, wts->points[RISK_SINGLE_GROUP] / 2, arena_strdup(a, text.data), a);
    }
    buf_free(&text);
}

static int counts_for_interface(const char *role)
{
    return strcmp(role, "model") == 0 || strcmp(role, "assistant") == 0 ||
           strcmp(role, "data") == 0;
}

static int proprietary_dependency(const portfolio *p, const dependency *d, const void *ctx)
{
    const offering *o = pf_offering(p, d->offering);
    return counts_for_interface(d->role) && o && strcmp(o->interface, "proprietary") == 0 &&
           !is_portable(ctx, d);
}

static void proprietary(const portfolio *p, const dep_ctx *c, const risk_weights *wts,
                        arena *a, risk_result *r)
{
    const workload *w = c->w;
    if (!a) {
        int any = w->n_features > 0;
        for (size_t i = 0; i < w->n_dependencies && !any; i++)
            any = proprietary_dependency(p, &w->dependencies[i], c);
        if (any)
            add(r, RISK_PROPRIETARY, wts->points[RISK_PROPRIETARY], NULL, a);
        return;
    }
    buf text;
    buf_init(&text);
    const offering *list[MAX_NAMED];
    size_t n = offerings_sorted(p, w, proprietary_dependency, c, list, MAX_NAMED);
    for (size_t k = 0; k < n; k++)
        buf_printf(&text, "%s%s (%s) has a proprietary interface", k ? "; " : "",
                   list[k]->name, vendor_name(p, list[k]->provider));
    if (w->n_features) {
        buf_puts(&text, text.len ? "; it relies on proprietary features: "
                                 : "It relies on proprietary features: ");
        for (size_t i = 0; i < w->n_features; i++)
            buf_printf(&text, "%s%s", i ? ", " : "", w->features[i]);
    }
    if (text.len) {
        buf_puts(&text, ".");
        add(r, RISK_PROPRIETARY, wts->points[RISK_PROPRIETARY], arena_strdup(a, text.data), a);
    }
    buf_free(&text);
}

#define MAX_COVERING 256

/* Whether a clause with an optional last day still binds on today. */
static int still_binds(const char *until, int64_t today)
{
    int64_t day;
    return !until || date_parse(until, &day) != 0 || day >= today;
}

static int lock_reasons(const contract *c, int64_t today, const char *why[5])
{
    int n = 0;
    /* Exclusivity and a commitment lock until their own end dates. */
    if (c->exclusive && still_binds(c->exclusive_until, today))
        why[n++] = "is exclusive";
    if (c->committed_spend > 0 && still_binds(c->committed_until, today))
        why[n++] = "commits spend";
    if (strcmp(c->exit_clause, "none") == 0)
        why[n++] = "has no exit clause";
    if (!c->data_portability)
        why[n++] = "lacks data portability";
    if (strcmp(c->substitutability, "hard") == 0)
        why[n++] = "rates substitutability hard";
    else if (strcmp(c->substitutability, "none") == 0)
        why[n++] = "rates substitutability none";
    return n;
}

/* One clause per contract: "\"MACC\" with Microsoft, which is exclusive and
 * commits spend"; NULL if the contract locks nothing. */
static const char *lock_text(const portfolio *p, const contract *c, arena *a)
{
    const char *why[5];
    int n = lock_reasons(c, p->today, why);
    if (!n)
        return NULL;
    buf text;
    buf_init(&text);
    buf_printf(&text, "\"%s\" with %s, which ", c->name, vendor_name(p, c->counterparty));
    for (int k = 0; k < n; k++)
        buf_printf(&text, "%s%s", k == 0 ? "" : k == n - 1 ? " and " : ", ", why[k]);
    const char *out = text.data ? arena_strdup(a, text.data) : NULL;
    buf_free(&text);
    return out;
}

/* One clause per deadline: "of \"MACC\" is 2026-06-01, in 31 days (without
 * notice it renews automatically)". */
static const char *deadline_text(const portfolio *p, const contract *c, int64_t deadline,
                                 arena *a)
{
    char day[11];
    date_format(deadline, day);
    return arena_printf(a, "of \"%s\" is %s, in %lld days%s", c->name, day,
               (long long)(deadline - p->today),
               c->auto_renew ? " (without notice it renews automatically)" : "");
}

typedef struct named_contract {
    const contract *c;
    uint32_t index;
} named_contract;

static int by_contract_name(const void *a, const void *b)
{
    const contract *x = ((const named_contract *)a)->c, *y = ((const named_contract *)b)->c;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

int risk_prepare(portfolio *p, arena *a)
{
    size_t nc = p->n_contracts;
    p->lock_text = arena_alloc(a, (nc + 1) * sizeof(char *));
    p->deadline_text = arena_alloc(a, (nc + 1) * sizeof(char *));
    p->name_rank = arena_alloc(a, (nc + 1) * sizeof(uint32_t));
    if (!p->lock_text || !p->deadline_text || !p->name_rank || nc > UINT32_MAX)
        return -1;
    named_contract *order = malloc((nc + 1) * sizeof *order);
    if (!order)
        return -1;
    for (size_t c = 0; c < nc; c++)
        order[c] = (named_contract){&p->contracts[c], (uint32_t)c};
    qsort(order, nc, sizeof *order, by_contract_name);
    for (size_t k = 0; k < nc; k++)
        p->name_rank[order[k].index] = (uint32_t)k;
    free(order);
    for (size_t c = 0; c < nc; c++) {
        if (!p->customer[c] || !p->active[c])
            continue;
        const contract *ct = &p->contracts[c];
        p->lock_text[c] = lock_text(p, ct, a);
        if (p->deadline[c] >= 0)
            p->deadline_text[c] = deadline_text(p, ct, p->deadline[c], a);
    }
    return 0;
}

/* A contract cause of a factor, with the key it is named in order by. */
typedef struct cause {
    size_t index;              /* into p->contracts */
    int64_t when;              /* deadline, or 0 where no date orders them */
    size_t term;               /* term index, for upstream terms */
    const char *name;
    int64_t id;
    int64_t rank;              /* p->name_rank, or -1 without risk_prepare() */
} cause;

static cause cause_of(const portfolio *p, size_t c, int64_t when, size_t term)
{
    return (cause){c, when, term, p->contracts[c].name, p->contracts[c].id,
                   p->name_rank ? (int64_t)p->name_rank[c] : -1};
}

/* By date, then contract name, then id, then term: a stable order. */
static int by_cause(const void *a, const void *b)
{
    const cause *x = a, *y = b;
    if (x->when != y->when)
        return (x->when > y->when) - (x->when < y->when);
    if (x->rank >= 0 && y->rank >= 0 && x->rank != y->rank)
        return (x->rank > y->rank) - (x->rank < y->rank);
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    if (x->id != y->id)
        return (x->id > y->id) - (x->id < y->id);
    return (x->term > y->term) - (x->term < y->term);
}

/* Causes live only while one factor's sentence is written: up to
 * CAUSES_ON_STACK on the caller's stack, beyond that on the heap (freed by
 * causes_free), never in the arena, which would keep them for the whole
 * snapshot. */
#define CAUSES_ON_STACK 128

static cause *causes_new(cause *stack, size_t n)
{
    return n <= CAUSES_ON_STACK ? stack : malloc((n + 1) * sizeof(cause));
}

static void causes_free(cause *list, const cause *stack)
{
    if (list != stack)
        free(list);
}

/* Whether the contract at index c is a customer contract in force that locks. */
static int locks(const portfolio *p, size_t c)
{
    const char *why[5];
    return p->customer[c] && p->active[c] &&
           (p->lock_text ? p->lock_text[c] != NULL : lock_reasons(&p->contracts[c], p->today, why) > 0);
}

static void contract_lock(const portfolio *p, const size_t *covering, size_t n_covering,
                          const risk_weights *wts, arena *a, risk_result *r)
{
    /* Every locking contract is named, by name then id. */
    if (!a) {
        for (size_t i = 0; i < n_covering; i++)
            if (locks(p, covering[i])) {
                add(r, RISK_CONTRACT_LOCK, wts->points[RISK_CONTRACT_LOCK], NULL, a);
                break;
            }
        return;
    }
    cause stack[CAUSES_ON_STACK];
    cause *list = causes_new(stack, n_covering);
    if (!list)
        return;
    size_t n = 0;
    for (size_t i = 0; i < n_covering; i++)
        if (locks(p, covering[i]))
            list[n++] = cause_of(p, covering[i], 0, 0);
    if (!n) {
        causes_free(list, stack);
        return;
    }
    qsort(list, n, sizeof *list, by_cause);
    buf text;
    buf_init(&text);
    buf_puts(&text, n == 1 ? "Covered by the contract " : "Covered by the contracts ");
    size_t named = n > NAMED_IN_REASON ? NAMED_IN_REASON : n;
    for (size_t k = 0; k < named; k++) {
        const contract *c = &p->contracts[list[k].index];
        const char *clause = p->lock_text ? p->lock_text[list[k].index] : lock_text(p, c, a);
        buf_printf(&text, "%s%s", k == 0 ? "" : k == n - 1 ? "; and " : "; ", clause ? clause : "");
    }
    if (n > named)
        buf_printf(&text, "; and %zu other locking contract%s", n - named, n - named == 1 ? "" : "s");
    buf_puts(&text, ".");
    add(r, RISK_CONTRACT_LOCK, wts->points[RISK_CONTRACT_LOCK],
        text.data ? arena_strdup(a, text.data) : NULL, a);
    buf_free(&text);
    causes_free(list, stack);
}

static int model_or_assistant(const portfolio *p, const dependency *d, const void *ctx)
{
    (void)p;
    return (strcmp(d->role, "model") == 0 || strcmp(d->role, "assistant") == 0) &&
           !is_portable(ctx, d);
}

/* How far the best alternative of offering o got: the clause that says
 * why it does not prove an exit (none written when out is NULL). Returns 1
 * when o has a named alternative. */
static int alternative_clause(const portfolio *p, const workload *w, const offering *o,
                              buf *out)
{
    const offering *named = NULL;
    const exit_drill *last = NULL;
    int64_t group = pf_group(p, o->provider);
    for (size_t k = 0; k < w->n_alternatives; k++) {
        const offering *r = w->alternatives[k].dependency == o->id
                                ? pf_offering(p, w->alternatives[k].offering) : NULL;
        if (!r)
            continue;
        const exit_drill *d = pf_last_drill(p, w->id, o->id, r->id);
        /* Prefer one from another group, then one that was drilled. */
        int better = !named ||
                     (pf_group(p, r->provider) != group &&
                      pf_group(p, named->provider) == group) ||
                     (d && !last && (pf_group(p, r->provider) != group ||
                                     pf_group(p, named->provider) == group));
        if (better) {
            named = r;
            last = d;
        }
    }
    if (!out)
        return named != NULL;
    if (!named) {
        buf_printf(out, "%s has no named alternative", o->name);
        return 0;
    }
    if (pf_group(p, named->provider) == group)
        buf_printf(out, "%s's alternative %s is of the same vendor group", o->name, named->name);
    else if (!last)
        buf_printf(out, "%s's alternative %s has never been drilled", o->name, named->name);
    else if (strcmp(last->result, "passed") != 0)
        buf_printf(out, "%s's alternative %s failed its last exit drill, on %s", o->name,
                   named->name, last->drilled_on);
    else
        buf_printf(out, "%s's alternative %s last passed an exit drill on %s, more than %d "
                        "days ago", o->name, named->name, last->drilled_on, DRILL_VALID_DAYS);
    return 1;
}

static void no_alternative(const portfolio *p, const dep_ctx *c, const risk_weights *wts,
                           arena *a, risk_result *r)
{
    const offering *list[MAX_NAMED];
    size_t n = offerings_sorted(p, c->w, model_or_assistant, c, list, MAX_NAMED);
    if (!n)
        return;
    int all_named = 1, points = wts->points[RISK_NO_ALTERNATIVE];
    if (!a) {
        for (size_t k = 0; k < n; k++)
            all_named &= alternative_clause(p, c->w, list[k], NULL);
        add(r, RISK_NO_ALTERNATIVE, all_named ? points / 2 : points, NULL, a);
        return;
    }
    buf text;
    buf_init(&text);
    buf_puts(&text, "No exit is proven for its model and assistant dependencies: ");
    for (size_t k = 0; k < n; k++) {
        if (k)
            buf_puts(&text, "; ");
        all_named &= alternative_clause(p, c->w, list[k], &text);
    }
    buf_puts(&text, ".");
    add(r, RISK_NO_ALTERNATIVE, all_named ? points / 2 : points,
        text.data ? arena_strdup(a, text.data) : NULL, a);
    buf_free(&text);
}

static int access_term(const char *kind)
{
    return strcmp(kind, "licence") == 0 || strcmp(kind, "distribution") == 0 ||
           strcmp(kind, "cloud_priority") == 0;
}

/* Whether contract index c is a customer contract in force whose notice
 * deadline falls in the window. */
static int near_deadline(const portfolio *p, size_t c)
{
    int64_t deadline = p->deadline[c];
    return p->customer[c] && p->active[c] && deadline >= 0 && deadline >= p->today &&
           deadline - p->today <= RISK_HORIZON_DAYS;
}

/* Customer contracts whose notice deadline falls in the window. */
static size_t near_deadlines(const portfolio *p, const size_t *covering, size_t n_covering,
                             cause *out)
{
    size_t n = 0;
    for (size_t i = 0; i < n_covering; i++)
        if (near_deadline(p, covering[i]))
            out[n++] = cause_of(p, covering[i], p->deadline[covering[i]], 0);
    qsort(out, n, sizeof *out, by_cause);
    return n;
}

/* Whether the term bears on one of the workload's model, hosting,
 * assistant or data offerings. */
static int term_bears_on(const portfolio *p, const contract *c, const contract_term *t,
                         const workload *w)
{
    for (size_t d = 0; d < w->n_dependencies; d++) {
        const offering *o = pf_offering(p, w->dependencies[d].offering);
        if (o && dependency_carries_weight(w->dependencies[d].role) &&
            term_in_scope(p, c, t, o))
            return 1;
    }
    return 0;
}

static int scoped(const contract_term *t)
{
    return t->scope_provider || t->scope_publisher || t->scope_host || t->scope_track;
}

static int listed(const size_t *list, size_t n, size_t x)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == x)
            return 1;
    return 0;
}

/* Upstream access terms in scope that end before the workload's planned
 * end (or at all, for a workload with no planned end). An unscoped term
 * bears on its contract's own offerings, so its contract must be among the
 * covering ones; a scoped one is matched by group. */
static size_t ending_terms(const portfolio *p, const workload *w, const size_t *covering,
                           size_t n_covering, int64_t planned, int beyond_all, cause *out,
                           size_t cap)
{
    size_t n = 0;
    for (size_t u = 0; u < p->n_upstream; u++) {
        size_t ci = p->upstream[u];
        const contract *c = &p->contracts[ci];
        int covers = -1; /* looked up once, when an unscoped term needs it */
        for (size_t t = 0; t < c->n_terms && n < cap; t++) {
            const contract_term *term = &c->terms[t];
            int64_t until;
            if (!access_term(term->kind) || !term->until || date_parse(term->until, &until) != 0)
                continue;
            if (!beyond_all && until >= planned)
                continue;
            if (!scoped(term)) {
                if (covers < 0)
                    covers = listed(covering, n_covering, ci);
                if (!covers)
                    continue;
            } else if (!term_bears_on(p, c, term, w)) {
                continue;
            }
            out[n++] = cause_of(p, ci, until, t);
        }
    }
    qsort(out, n, sizeof *out, by_cause);
    return n;
}

/* A model dependency that retires before the planned end or within
 * RISK_RETIRE_DAYS (any retirement date, with no planned end). */
typedef struct retire_ctx {
    int64_t planned;
    int beyond_all;
} retire_ctx;

static int retiring_model(const portfolio *p, const dependency *d, const void *ctx)
{
    const retire_ctx *r = ctx;
    const offering *o = pf_offering(p, d->offering);
    int64_t retires;
    if (!o || strcmp(d->role, "model") != 0 || !o->retires ||
        date_parse(o->retires, &retires) != 0)
        return 0;
    return r->beyond_all || retires < r->planned || retires - p->today <= RISK_RETIRE_DAYS;
}

static void horizon_text(const portfolio *p, const workload *w, const cause *dl, size_t n_dl,
                         const cause *tm, size_t n_tm, int beyond_all, const risk_weights *wts,
                         arena *a, risk_result *r);

static void horizon(const portfolio *p, const workload *w, const size_t *covering,
                    size_t n_covering, const risk_weights *wts, arena *a, risk_result *r)
{
    int64_t planned = -1;
    int beyond_all = 0;
    /* No planned end: it runs beyond every date (domain.md "horizon"). */
    if (!w->planned_end || date_parse(w->planned_end, &planned) != 0)
        beyond_all = 1;
    if (!a) {
        /* Whether any deadline, term or retiring model applies. */
        cause one[1];
        const offering *ret[MAX_NAMED];
        retire_ctx rc = {planned, beyond_all};
        int any = 0;
        for (size_t i = 0; i < n_covering && !any; i++)
            any = near_deadline(p, covering[i]);
        if (any || ending_terms(p, w, covering, n_covering, planned, beyond_all, one, 1) ||
            offerings_sorted(p, w, retiring_model, &rc, ret, MAX_NAMED))
            add(r, RISK_HORIZON, wts->points[RISK_HORIZON], NULL, a);
        return;
    }
    size_t term_cap = p->upstream_terms;
    cause dl_stack[CAUSES_ON_STACK], tm_stack[CAUSES_ON_STACK];
    cause *dl = causes_new(dl_stack, n_covering), *tm = causes_new(tm_stack, term_cap);
    if (dl && tm)
        horizon_text(p, w, dl, near_deadlines(p, covering, n_covering, dl), tm,
                     ending_terms(p, w, covering, n_covering, planned, beyond_all, tm, term_cap),
                     beyond_all, wts, a, r);
    causes_free(dl, dl_stack);
    causes_free(tm, tm_stack);
}

/* The horizon factor's sentence: every deadline (soonest first), every
 * term (by end date) and every retiring model (by name). */
static void horizon_text(const portfolio *p, const workload *w, const cause *dl, size_t n_dl,
                         const cause *tm, size_t n_tm, int beyond_all, const risk_weights *wts,
                         arena *a, risk_result *r)
{
    int64_t planned = -1;
    if (!beyond_all)
        date_parse(w->planned_end, &planned);
    const offering *ret[MAX_NAMED];
    retire_ctx rc = {planned, beyond_all};
    size_t n_ret = offerings_sorted(p, w, retiring_model, &rc, ret, MAX_NAMED);
    if (!n_dl && !n_tm && !n_ret)
        return;
    buf text;
    buf_init(&text);
    size_t more_dl = n_dl > NAMED_IN_REASON ? n_dl - NAMED_IN_REASON : 0;
    size_t more_tm = n_tm > NAMED_IN_REASON ? n_tm - NAMED_IN_REASON : 0;
    n_dl -= more_dl;
    n_tm -= more_tm;
    for (size_t k = 0; k < n_dl; k++) {
        const char *clause = p->deadline_text && p->deadline_text[dl[k].index]
                                 ? p->deadline_text[dl[k].index]
                                 : deadline_text(p, &p->contracts[dl[k].index], dl[k].when, a);
        buf_printf(&text, "%s%s", k == 0 ? "The notice deadline " : "; the notice deadline ",
                   clause);
    }
    if (more_dl)
        buf_printf(&text, "; and %zu later notice deadline%s", more_dl, more_dl == 1 ? "" : "s");
    const char *why = beyond_all ? "while the workload has no planned end"
                                 : "before the workload's planned end";
    for (size_t k = 0; k < n_tm; k++) {
        const contract *c = &p->contracts[tm[k].index];
        const contract_term *term = &c->terms[tm[k].term];
        buf_printf(&text, "%s\"%s\" of \"%s\", which ends on %s",
                   k > 0 ? "; the upstream term " : n_dl ? "; it relies on the upstream term "
                                                         : "It relies on the upstream term ",
                   term->text, c->name, term->until);
    }
    if (more_tm)
        buf_printf(&text, "; and %zu more upstream term%s", more_tm, more_tm == 1 ? "" : "s");
    if (n_tm)
        buf_printf(&text, ", %s%s%s", why, beyond_all ? "" : " ", beyond_all ? "" : w->planned_end);
    for (size_t k = 0; k < n_ret; k++) {
        int64_t day = 0;
        date_parse(ret[k]->retires, &day);
        const offering *next = ret[k]->successor ? pf_offering(p, ret[k]->successor) : NULL;
        buf_printf(&text, "%sthe model %s retires on %s%s%s%s",
                   k == 0 && (n_dl || n_tm) ? "; " : k == 0 ? "" : "; ",
                   ret[k]->name, ret[k]->retires,
                   day < p->today ? " (already past)" : "",
                   next ? ", succeeded by " : ", with no successor named",
                   next ? next->name : "");
    }
    if (text.data && text.data[0] >= 'a' && text.data[0] <= 'z')
        text.data[0] = (char)(text.data[0] - 'a' + 'A');
    buf_puts(&text, ".");
    add(r, RISK_HORIZON, wts->points[RISK_HORIZON], text.data ? arena_strdup(a, text.data) : NULL, a);
    buf_free(&text);
}

static void data_gravity(const portfolio *p, const dep_ctx *c, const risk_weights *wts,
                         arena *a, risk_result *r)
{
    const workload *w = c->w;
    /* The groups that provide or host its model, hosting and assistant
     * dependencies. */
    int64_t hosts[16];
    int n = 0;
    for (size_t i = 0; i < w->n_dependencies && n < 15; i++) {
        const char *role = w->dependencies[i].role;
        const offering *o = pf_offering(p, w->dependencies[i].offering);
        if (!o || !(strcmp(role, "model") == 0 || strcmp(role, "hosting") == 0 ||
                    strcmp(role, "assistant") == 0))
            continue;
        hosts[n++] = pf_group(p, o->provider);
        if (o->host)
            hosts[n++] = pf_group(p, o->host);
    }
    for (size_t i = 0; i < w->n_dependencies; i++) {
        if (strcmp(w->dependencies[i].role, "data") != 0 ||
            is_portable(c, &w->dependencies[i]))
            continue;
        const offering *o = pf_offering(p, w->dependencies[i].offering);
        if (!o || strcmp(o->interface, "proprietary") != 0)
            continue;
        int64_t g = pf_group(p, o->provider);
        for (int k = 0; k < n; k++)
            if (hosts[k] == g) {
                add(r, RISK_DATA_GRAVITY, wts->points[RISK_DATA_GRAVITY],
                    a ? arena_printf(a, "Its data sits in %s, a proprietary store of the %s "
                                        "group, which also provides or hosts its model or "
                                        "assistant.", o->name, vendor_name(p, g))
                      : NULL, a);
                return;
            }
    }
}

void risk_assess(const portfolio *p, const workload *w, const risk_weights *wts,
                 arena *a, risk_result *out)
{
    memset(out, 0, sizeof *out);
    dep_ctx c = {w, 0, 0};
    for (size_t i = 0; i < w->n_dependencies && i < 64; i++)
        if (pf_portable(p, w, i, NULL))
            c.portable |= (uint64_t)1 << i;
    single_group(p, &c, wts, a, out);
    if (!w->swap_layer)
        add(out, RISK_NO_SWAP, wts->points[RISK_NO_SWAP],
            "No agent layer or gateway can swap its model or cloud without a rebuild.", a);
    proprietary(p, &c, wts, a, out);
    /* Room for every covering contract: usually a few, on the stack, else
     * on the heap (not the arena: it would stay for the whole snapshot). */
    size_t stack[MAX_COVERING], *covering = stack, need = 0;
    for (size_t d = 0; d < w->n_dependencies && p->cover_count; d++) {
        const offering *o = pf_offering(p, w->dependencies[d].offering);
        if (o)
            need += p->cover_count[o - p->offerings];
    }
    if (need > MAX_COVERING && !(covering = malloc(need * sizeof *covering))) {
        covering = stack;
        need = MAX_COVERING;
    }
    size_t n_covering = pf_workload_contracts(p, w, covering, need > MAX_COVERING ? need : MAX_COVERING);
    contract_lock(p, covering, n_covering, wts, a, out);
    no_alternative(p, &c, wts, a, out);
    horizon(p, w, covering, n_covering, wts, a, out);
    data_gravity(p, &c, wts, a, out);
    if (covering != stack)
        free(covering);
    int score = 0;
    for (int i = 0; i < out->n_factors; i++)
        score += out->factors[i].points;
    out->score = score > 100 ? 100 : score;
    out->level = risk_level_of(out->score);
    out->priority = risk_priority(out->level, w->criticality);
    out->active = workload_active(w);
    out->accepted = risk_accepted(p, w);
    /* Only the active set is ever flagged (domain.md "The active set"). */
    out->flagged = risk_flagged(out->active, out->priority, out->accepted);
}

const risk_factor *risk_top_factor(const risk_result *r)
{
    const risk_factor *top = NULL;
    for (int i = 0; i < r->n_factors; i++)
        if (!top || r->factors[i].points > top->points)
            top = &r->factors[i];
    return top;
}

void risk_score(const portfolio *p, const workload *w, const risk_weights *wts,
                risk_result *out)
{
    risk_assess(p, w, wts, NULL, out);
}

const risk_result *risk_explained(const portfolio *p, const workload *w,
                                  const risk_weights *wts, const risk_result *r, arena *a,
                                  risk_result *tmp)
{
    if (!r || r->n_factors == 0 || r->factors[0].reason)
        return r;
    risk_assess(p, w, wts, a, tmp);
    return tmp;
}
