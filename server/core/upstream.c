/* upstream.c - upstream access terms that active workloads outlive; see
 * upstream.h. */
#include "core/upstream.h"

#include <stdint.h>
#include <string.h>

#include "common/text.h"

/* Access terms only, as in the risk model (core/risk.h): a revenue share
 * between two vendors does not bear on a workload. */
static int access_term(const contract_term *t)
{
    return strcmp(t->kind, "licence") == 0 || strcmp(t->kind, "distribution") == 0 ||
           strcmp(t->kind, "cloud_priority") == 0;
}

/* The terms that count, and their scope over the offerings as a bit set
 * per offering position: words 64-bit words each, bit t set when term t
 * covers the offering. A workload's terms are then the union of its
 * weighted offerings' sets, a few word ORs, instead of every term times
 * every offering it depends on (82 terms x 44,000 workloads was a third of
 * an uncached summary). */
static int collect_terms(const portfolio *p, size_t cap, arena *a, upstream_outlived **terms,
                         uint64_t **scope, size_t *words, size_t *n)
{
    size_t total = 0;
    for (size_t i = 0; i < p->n_contracts; i++)
        if (strcmp(p->contracts[i].kind, "upstream") == 0 && p->active[i])
            total += p->contracts[i].n_terms;
    *n = 0;
    *words = (total + 63) / 64;
    *terms = total ? arena_alloc(a, total * sizeof **terms) : NULL;
    *scope = total && p->n_offerings ? arena_alloc(a, *words * p->n_offerings * sizeof **scope)
                                     : NULL;
    if (total && (!*terms || (p->n_offerings && !*scope)))
        return -1;
    if (*scope)
        memset(*scope, 0, *words * p->n_offerings * sizeof **scope);
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
                if (term_in_scope(p, c, term, &p->offerings[o]))
                    (*scope)[o * *words + *n / 64] |= (uint64_t)1 << (*n % 64);
            (*n)++;
        }
    }
    return 0;
}

/* Counts workload k (and lists it, up to cap) under every term of mask it
 * outlives. */
static void outlives(upstream_outlived *terms, const uint64_t *mask, size_t words, size_t cap,
                     size_t k, int open_ended, int64_t planned)
{
    for (size_t wi = 0; wi < words; wi++)
        for (uint64_t m = mask[wi]; m; m &= m - 1) {
            upstream_outlived *u = &terms[wi * 64 + (size_t)__builtin_ctzll(m)];
            if (!open_ended && planned <= u->until)
                continue;
            if (u->n_listed < cap)
                u->listed[u->n_listed++] = k;
            u->count++;
        }
}

int upstream_outlived_terms(const portfolio *p, workload_filter include, const void *ctx,
                            size_t cap, arena *a, upstream_outlived **out, size_t *n_out)
{
    upstream_outlived *terms;
    uint64_t *scope, *mask;
    size_t n, words;
    *out = NULL;
    *n_out = 0;
    if (collect_terms(p, cap, a, &terms, &scope, &words, &n) != 0)
        return -1;
    if (n && !(mask = arena_alloc(a, words * sizeof *mask)))
        return -1;
    for (size_t k = 0; n && k < p->n_workloads; k++) {
        const workload *x = &p->workloads[k];
        if (!workload_active(x) || (include && !include(x, ctx)))
            continue;
        int64_t planned = 0;
        int open_ended = !x->planned_end;
        if (!open_ended && date_parse(x->planned_end, &planned) != 0)
            continue; /* an unreadable planned end outlives nothing */
        /* The terms over any offering it depends on with weight. */
        memset(mask, 0, words * sizeof *mask);
        int any = 0;
        for (size_t d = 0; d < x->n_dependencies; d++) {
            const offering *o = pf_offering(p, x->dependencies[d].offering);
            if (!o || !dependency_carries_weight(x->dependencies[d].role))
                continue;
            const uint64_t *in = scope + (size_t)(o - p->offerings) * words;
            for (size_t wi = 0; wi < words; wi++)
                mask[wi] |= in[wi];
            any = 1;
        }
        if (any)
            outlives(terms, mask, words, cap, k, open_ended, planned);
    }
    size_t kept = 0;
    for (size_t t = 0; t < n; t++)
        if (terms[t].count)
            terms[kept++] = terms[t];
    *out = terms;
    *n_out = kept;
    return 0;
}
