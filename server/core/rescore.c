/* rescore.c - which workloads a change of offerings or contracts touches;
 * see rescore.h. Pure: no I/O. */
#include "core/rescore.h"

#include <stdlib.h>

static int add(rescore_set *s, int64_t id)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        int64_t *ids = realloc(s->ids, cap * sizeof *ids);
        if (!ids)
            return -1;
        s->ids = ids;
        s->cap = cap;
    }
    s->ids[s->n++] = id;
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int scoped(const contract_term *t)
{
    return t->scope_provider || t->scope_publisher || t->scope_host || t->scope_track;
}

/* The offerings c covers, and those any of its scoped terms matches in p
 * (whatever the term's kind or dates: more than needed is only slower). */
static int contract_reach(const portfolio *p, const contract *c, rescore_set *s)
{
    for (size_t k = 0; k < c->n_offerings; k++)
        if (add(s, c->offerings[k]) != 0)
            return -1;
    for (size_t t = 0; t < c->n_terms; t++) {
        if (!scoped(&c->terms[t]))
            continue;
        for (size_t i = 0; i < p->n_offerings; i++)
            if (term_in_scope(p, c, &c->terms[t], &p->offerings[i]) &&
                add(s, p->offerings[i].id) != 0)
                return -1;
    }
    return 0;
}

/* Offering x, and the offerings of p whose successor is x (a retiring
 * model's reason names its successor). */
static int offering_reach(const portfolio *p, int64_t x, rescore_set *s)
{
    if (add(s, x) != 0)
        return -1;
    for (size_t i = 0; i < p->n_offerings; i++)
        if (p->offerings[i].successor == x && add(s, p->offerings[i].id) != 0)
            return -1;
    return 0;
}

int rescore_offerings(const portfolio *before, const portfolio *after,
                      const int64_t *offerings, size_t n_offerings,
                      const int64_t *contracts, size_t n_contracts, rescore_set *set)
{
    const portfolio *both[2] = {before, after};
    for (int b = 0; b < 2; b++) {
        const portfolio *p = both[b];
        for (size_t k = 0; k < n_offerings; k++)
            if (offering_reach(p, offerings[k], set) != 0)
                return -1;
        for (size_t k = 0; k < n_contracts; k++) {
            const contract *c = pf_contract(p, contracts[k]);
            if (c && contract_reach(p, c, set) != 0)
                return -1;
        }
    }
    if (set->n)
        qsort(set->ids, set->n, sizeof *set->ids, cmp_id);
    size_t unique = 0;
    for (size_t k = 0; k < set->n; k++)
        if (unique == 0 || set->ids[unique - 1] != set->ids[k])
            set->ids[unique++] = set->ids[k];
    set->n = unique;
    return 0;
}

static int has(const rescore_set *s, int64_t id)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->ids[mid] == id)
            return 1;
        if (s->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

int rescore_touches(const rescore_set *set, const workload *w)
{
    if (!set->n)
        return 0;
    for (size_t d = 0; d < w->n_dependencies; d++)
        if (has(set, w->dependencies[d].offering))
            return 1;
    for (size_t k = 0; k < w->n_alternatives; k++)
        if (has(set, w->alternatives[k].offering) || has(set, w->alternatives[k].dependency))
            return 1;
    return 0;
}

void rescore_set_free(rescore_set *set)
{
    free(set->ids);
    set->ids = NULL;
    set->n = set->cap = 0;
}
