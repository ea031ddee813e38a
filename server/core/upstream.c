/* upstream.c - upstream access terms that active workloads outlive; see
 * upstream.h. */
#include "core/upstream.h"

#include <string.h>

#include "common/text.h"

/* Weighted dependencies looked at per workload (the descriptor allows 32
 * dependencies; more would be left out, not overrun). */
#define MAX_WEIGHTED 256

/* Access terms only, as in the risk model (core/risk.h): a revenue share
 * between two vendors does not bear on a workload. */
static int access_term(const contract_term *t)
{
    return strcmp(t->kind, "licence") == 0 || strcmp(t->kind, "distribution") == 0 ||
           strcmp(t->kind, "cloud_priority") == 0;
}

/* The terms that count, each with its scope over the offerings (one byte
 * per offering position). */
static int collect_terms(const portfolio *p, size_t cap, arena *a, upstream_outlived **terms,
                         unsigned char **scope, size_t *n)
{
    size_t total = 0;
    for (size_t i = 0; i < p->n_contracts; i++)
        if (strcmp(p->contracts[i].kind, "upstream") == 0 && p->active[i])
            total += p->contracts[i].n_terms;
    *n = 0;
    *terms = total ? arena_alloc(a, total * sizeof **terms) : NULL;
    *scope = total && p->n_offerings ? arena_alloc(a, total * p->n_offerings) : NULL;
    if (total && (!*terms || (p->n_offerings && !*scope)))
        return -1;
    for (size_t i = 0; i < p->n_contracts; i++) {
        const contract *c = &p->contracts[i];
        if (strcmp(c->kind, "upstream") != 0 || !p->active[i])
            continue;
        for (size_t t = 0; t < c->n_terms; t++) {
            const contract_term *term = &c->terms[t];
            int64_t until;
            if (!access_term(term) || !term->until || date_parse(term->until, &until) != 0)
                continue;
            upstream_outlived *u = &(*terms)[*n];
            *u = (upstream_outlived){c, term, until, 0, NULL, 0};
            if (cap && !(u->listed = arena_alloc(a, cap * sizeof *u->listed)))
                return -1;
            for (size_t o = 0; o < p->n_offerings; o++)
                (*scope)[*n * p->n_offerings + o] =
                    (unsigned char)term_in_scope(p, c, term, &p->offerings[o]);
            (*n)++;
        }
    }
    return 0;
}

int upstream_outlived_terms(const portfolio *p, workload_filter include, const void *ctx,
                            size_t cap, arena *a, upstream_outlived **out, size_t *n_out)
{
    upstream_outlived *terms;
    unsigned char *scope;
    size_t n;
    *out = NULL;
    *n_out = 0;
    if (collect_terms(p, cap, a, &terms, &scope, &n) != 0)
        return -1;
    for (size_t k = 0; n && k < p->n_workloads; k++) {
        const workload *x = &p->workloads[k];
        if (!workload_active(x) || (include && !include(x, ctx)))
            continue;
        int64_t planned = 0;
        int open_ended = !x->planned_end;
        if (!open_ended && date_parse(x->planned_end, &planned) != 0)
            continue; /* an unreadable planned end outlives nothing */
        /* The positions of the offerings it depends on with weight, once. */
        size_t at[MAX_WEIGHTED], n_at = 0;
        for (size_t d = 0; d < x->n_dependencies && n_at < MAX_WEIGHTED; d++) {
            const offering *o = pf_offering(p, x->dependencies[d].offering);
            if (o && dependency_carries_weight(x->dependencies[d].role))
                at[n_at++] = (size_t)(o - p->offerings);
        }
        for (size_t t = 0; n_at && t < n; t++) {
            upstream_outlived *u = &terms[t];
            if (!open_ended && planned <= u->until)
                continue;
            const unsigned char *in = scope + t * p->n_offerings;
            int depends = 0;
            for (size_t j = 0; j < n_at && !depends; j++)
                depends = in[at[j]];
            if (!depends)
                continue;
            if (u->n_listed < cap)
                u->listed[u->n_listed++] = k;
            u->count++;
        }
    }
    size_t kept = 0;
    for (size_t t = 0; t < n; t++)
        if (terms[t].count)
            terms[kept++] = terms[t];
    *out = terms;
    *n_out = kept;
    return 0;
}
