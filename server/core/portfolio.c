/* portfolio.c - lookups and derived indexes over a portfolio snapshot;
 * see portfolio.h. Pure: no I/O. */
#include "core/portfolio.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"

#define FIND_BY_ID(T, arr, n, id)                                              \
    do {                                                                       \
        size_t lo = 0, hi = (n);                                               \
        while (lo < hi) {                                                      \
            size_t mid = lo + (hi - lo) / 2;                                   \
            if ((arr)[mid].id == (id))                                         \
                return &(arr)[mid];                                            \
            if ((arr)[mid].id < (id))                                          \
                lo = mid + 1;                                                  \
            else                                                               \
                hi = mid;                                                      \
        }                                                                      \
        return NULL;                                                           \
    } while (0)

const vendor *pf_vendor(const portfolio *p, int64_t id)
{
    if (p->vendor_at && id > 0 && (uint64_t)id < p->n_vendor_at)
        return p->vendor_at[id] ? &p->vendors[p->vendor_at[id] - 1] : NULL;
    FIND_BY_ID(vendor, p->vendors, p->n_vendors, id);
}

const offering *pf_offering(const portfolio *p, int64_t id)
{
    if (p->offering_at && id > 0 && (uint64_t)id < p->n_offering_at)
        return p->offering_at[id] ? &p->offerings[p->offering_at[id] - 1] : NULL;
    FIND_BY_ID(offering, p->offerings, p->n_offerings, id);
}

/* A dense id -> position table when the ids are dense enough (they are
 * autoincrement keys); lookups fall back to binary search otherwise. */
#define DENSE_MAP(T, arr, n, map, n_map)                                        \
    do {                                                                        \
        (map) = NULL;                                                           \
        (n_map) = 0;                                                            \
        int64_t max_id = (n) ? (arr)[(n) - 1].id : 0;                           \
        if ((n) && max_id > 0 && (uint64_t)max_id <= 4 * (uint64_t)(n) + 1024) { \
            (map) = arena_alloc(a, ((size_t)max_id + 1) * sizeof(int32_t));     \
            if (!(map))                                                         \
                return -1;                                                      \
            for (size_t i_ = 0; i_ < (n); i_++)                                 \
                if ((arr)[i_].id > 0)                                           \
                    (map)[(arr)[i_].id] = (int32_t)i_ + 1;                      \
            (n_map) = (size_t)max_id + 1;                                       \
        }                                                                       \
    } while (0)

static int index_ids(portfolio *p, arena *a)
{
    DENSE_MAP(vendor, p->vendors, p->n_vendors, p->vendor_at, p->n_vendor_at);
    DENSE_MAP(offering, p->offerings, p->n_offerings, p->offering_at, p->n_offering_at);
    return 0;
}
const contract *pf_contract(const portfolio *p, int64_t id) { FIND_BY_ID(contract, p->contracts, p->n_contracts, id); }
const workload *pf_workload(const portfolio *p, int64_t id) { FIND_BY_ID(workload, p->workloads, p->n_workloads, id); }

int64_t pf_group(const portfolio *p, int64_t vendor_id)
{
    const vendor *v = pf_vendor(p, vendor_id);
    if (!v)
        return 0;
    return v->group_id ? v->group_id : v->id;
}

static size_t vendor_index(const portfolio *p, int64_t id)
{
    const vendor *v = pf_vendor(p, id);
    return v ? (size_t)(v - p->vendors) : (size_t)-1;
}

/* Union-find over vendor indexes, on group ids. */
static int64_t find_root(int64_t *parent_of, const portfolio *p, int64_t g)
{
    size_t i = vendor_index(p, g);
    if (i == (size_t)-1)
        return g;
    while (parent_of[i] != g) {
        g = parent_of[i];
        i = vendor_index(p, g);
        if (i == (size_t)-1)
            break;
    }
    return g;
}

/* Which contracts cover each offering, and each contract's deadline. */
static int index_contracts(portfolio *p, arena *a)
{
    size_t no = p->n_offerings, nc = p->n_contracts, total = 0;
    p->cover_start = arena_alloc(a, (no + 1) * sizeof(size_t));
    p->cover_count = arena_alloc(a, (no + 1) * sizeof(size_t));
    p->deadline = arena_alloc(a, (nc + 1) * sizeof(int64_t));
    p->active = arena_alloc(a, nc + 1);
    p->customer = arena_alloc(a, nc + 1);
    if (!p->cover_start || !p->cover_count || !p->deadline || !p->active || !p->customer)
        return -1;
    p->upstream = arena_alloc(a, (nc + 1) * sizeof(size_t));
    if (!p->upstream)
        return -1;
    p->n_upstream = 0;
    p->upstream_terms = 0;
    for (size_t c = 0; c < nc; c++) {
        const contract *ct = &p->contracts[c];
        p->deadline[c] = contract_notice_deadline(ct, p->today);
        p->active[c] = (unsigned char)contract_active(ct, p->today);
        p->customer[c] = ct->kind && strcmp(ct->kind, "customer") == 0;
        if (!p->customer[c] && p->active[c]) {
            p->upstream[p->n_upstream++] = c;
            p->upstream_terms += ct->n_terms;
        }
        for (size_t k = 0; k < ct->n_offerings; k++) {
            const offering *o = pf_offering(p, ct->offerings[k]);
            if (o) {
                p->cover_count[o - p->offerings]++;
                total++;
            }
        }
    }
    p->cover_list = arena_alloc(a, (total + 1) * sizeof(size_t));
    if (!p->cover_list)
        return -1;
    size_t at = 0;
    for (size_t i = 0; i < no; i++) {
        p->cover_start[i] = at;
        at += p->cover_count[i];
        p->cover_count[i] = 0;
    }
    /* Contracts are visited in index order, so each list is ascending. */
    for (size_t c = 0; c < nc; c++) {
        const contract *ct = &p->contracts[c];
        for (size_t k = 0; k < ct->n_offerings; k++) {
            const offering *o = pf_offering(p, ct->offerings[k]);
            if (!o)
                continue;
            size_t i = (size_t)(o - p->offerings);
            size_t *slot = &p->cover_list[p->cover_start[i] + p->cover_count[i]];
            if (p->cover_count[i] == 0 || slot[-1] != c) {
                *slot = c;
                p->cover_count[i]++;
            }
        }
    }
    return 0;
}

size_t pf_workload_contracts(const portfolio *p, const workload *w, size_t *out, size_t cap)
{
    /* A bitmap on the stack removes repeats in one pass; past its size
     * (more than 8,192 contracts) repeats are found by search instead. */
    uint64_t seen[128];
    int use_bits = p->n_contracts <= sizeof seen * 8;
    if (use_bits)
        memset(seen, 0, (p->n_contracts + 63) / 64 * sizeof seen[0]);
    size_t n = 0;
    for (size_t d = 0; d < w->n_dependencies; d++) {
        const offering *o = pf_offering(p, w->dependencies[d].offering);
        /* An identity or tooling contract does not bind the AI workload. */
        if (!o || !p->cover_count || !dependency_carries_weight(w->dependencies[d].role))
            continue;
        size_t i = (size_t)(o - p->offerings);
        for (size_t k = 0; k < p->cover_count[i]; k++) {
            size_t c = p->cover_list[p->cover_start[i] + k];
            int repeat = 0;
            if (use_bits) {
                repeat = (seen[c / 64] >> (c % 64)) & 1;
                seen[c / 64] |= (uint64_t)1 << (c % 64);
            } else {
                for (size_t j = 0; j < n && !repeat; j++)
                    repeat = out[j] == c;
            }
            if (!repeat && n < cap)
                out[n++] = c;
        }
    }
    return n;
}

int portfolio_index(portfolio *p, arena *a)
{
    p->merged_group = NULL;
    p->lock_text = NULL;        /* per contract index: risk_prepare() again */
    p->deadline_text = NULL;
    p->name_rank = NULL;
    if (index_ids(p, a) != 0 || index_contracts(p, a) != 0)
        return -1;
    if (p->n_vendors == 0)
        return 0;
    int64_t *root = arena_alloc(a, p->n_vendors * sizeof *root);
    if (!root)
        return -1;
    /* root[i] holds, for the vendor that is a group top, its union parent. */
    for (size_t i = 0; i < p->n_vendors; i++)
        root[i] = pf_group(p, p->vendors[i].id);
    for (size_t i = 0; i < p->n_vendors; i++) {
        const vendor *v = &p->vendors[i];
        for (size_t k = 0; k < v->n_connections; k++) {
            int64_t ga = find_root(root, p, pf_group(p, v->id));
            int64_t gb = find_root(root, p, pf_group(p, v->connections[k].vendor));
            if (!ga || !gb || ga == gb)
                continue;
            int64_t keep = ga < gb ? ga : gb, drop = ga < gb ? gb : ga;
            size_t di = vendor_index(p, drop);
            if (di != (size_t)-1)
                root[di] = keep;
        }
    }
    int64_t *merged = arena_alloc(a, p->n_vendors * sizeof *merged);
    if (!merged)
        return -1;
    for (size_t i = 0; i < p->n_vendors; i++)
        merged[i] = find_root(root, p, pf_group(p, p->vendors[i].id));
    p->merged_group = merged;
    return 0;
}

int64_t pf_merged_group(const portfolio *p, int64_t vendor_id)
{
    size_t i = vendor_index(p, vendor_id);
    if (i == (size_t)-1)
        return 0;
    return p->merged_group ? p->merged_group[i] : pf_group(p, vendor_id);
}

const char *pf_group_name(const portfolio *p, int64_t group_id, int merged, arena *a)
{
    const vendor *top = pf_vendor(p, group_id);
    if (!top)
        return "(unknown)";
    if (!merged || !p->merged_group)
        return top->name;
    /* List every group top that merges into this one. */
    size_t len = 0;
    for (size_t i = 0; i < p->n_vendors; i++) {
        const vendor *v = &p->vendors[i];
        if (pf_group(p, v->id) == v->id && p->merged_group[i] == group_id)
            len += strlen(v->name) + 3;
    }
    char *name = arena_alloc(a, len + 1);
    if (!name)
        return top->name;
    size_t used = 0;
    for (size_t i = 0; i < p->n_vendors; i++) {
        const vendor *v = &p->vendors[i];
        if (pf_group(p, v->id) == v->id && p->merged_group[i] == group_id) {
            int n = snprintf(name + used, len + 1 - used, "%s%s", used ? " + " : "", v->name);
            if (n > 0)
                used += (size_t)n;
        }
    }
    return used ? name : top->name;
}

const char *const ACTIVE_STATUSES[] = {"pilot", "production", NULL};

int status_active(const char *status)
{
    /* Called per workload in every pass over the portfolio (the summary
     * makes a dozen): one comparison, chosen by the first letters, for
     * ACTIVE_STATUSES' two values. */
    if (!status || status[0] != 'p')
        return 0;
    return status[1] == 'i' ? strcmp(status, ACTIVE_STATUSES[0]) == 0
                            : strcmp(status, ACTIVE_STATUSES[1]) == 0;
}

int workload_active(const workload *w)
{
    return status_active(w->status);
}

int dependency_carries_weight(const char *role)
{
    /* Called per dependency per workload (300,000 times at 100,000
     * workloads, in scoring and in concentration): one comparison, chosen
     * by the first letter, instead of up to four. */
    if (!role)
        return 0;
    switch (role[0]) {
    case 'm':
        return strcmp(role, "model") == 0;
    case 'h':
        return strcmp(role, "hosting") == 0;
    case 'a':
        return strcmp(role, "assistant") == 0;
    case 'd':
        return strcmp(role, "data") == 0;
    default:
        return 0;
    }
}

int criticality_weight(const char *c)
{
    return enum_index(CRITICALITIES, c) + 1;
}

int64_t date_add_months(int64_t days, int64_t months)
{
    char text[11];
    date_format(days, text);
    int64_t y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
    int64_t m = (text[5] - '0') * 10 + (text[6] - '0');
    int64_t d = (text[8] - '0') * 10 + (text[9] - '0');
    int64_t total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    if (d > max)
        d = max;
    return days_from_civil(y, (unsigned)m, (unsigned)d);
}

int64_t contract_current_end(const contract *c, int64_t today)
{
    int64_t end;
    if (!c->end_date || date_parse(c->end_date, &end) != 0)
        return -1;
    if (c->auto_renew && c->renewal_months > 0) {
        /* Bounded: 120-month terms over centuries still end quickly. */
        for (int i = 0; end < today && i < 2400; i++)
            end = date_add_months(end, c->renewal_months);
    }
    return end;
}

int64_t contract_notice_deadline(const contract *c, int64_t today)
{
    int64_t end = contract_current_end(c, today);
    return end < 0 ? -1 : end - c->notice_days;
}

int contract_active(const contract *c, int64_t today)
{
    int64_t end = contract_current_end(c, today);
    return end < 0 || end >= today;
}

int contract_covers(const contract *c, int64_t offering_id)
{
    for (size_t i = 0; i < c->n_offerings; i++)
        if (c->offerings[i] == offering_id)
            return 1;
    return 0;
}

/* ---- drills, alternatives and acceptances ------------------------------- */

const exit_drill *pf_last_drill(const portfolio *p, int64_t wid, int64_t dep_id,
                                int64_t alt_id)
{
    const exit_drill *best = NULL;
    int64_t best_day = 0;
    size_t lo = 0, hi = p->n_drills;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->drills[mid].workload < wid)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < p->n_drills && p->drills[i].workload == wid; i++) {
        const exit_drill *d = &p->drills[i];
        int64_t day;
        if (d->dependency != dep_id || d->offering != alt_id ||
            date_parse(d->drilled_on, &day) != 0 || day > p->today)
            continue;
        if (!best || day > best_day || (day == best_day && d->id > best->id)) {
            best = d;
            best_day = day;
        }
    }
    return best;
}

int drill_proves(const portfolio *p, const exit_drill *d)
{
    int64_t day;
    return d && strcmp(d->result, "passed") == 0 && date_parse(d->drilled_on, &day) == 0 &&
           day <= p->today && p->today - day <= DRILL_VALID_DAYS;
}

int pf_portable(const portfolio *p, const workload *w, size_t i, const alternative **by)
{
    const offering *o = pf_offering(p, w->dependencies[i].offering);
    if (!o)
        return 0;
    int64_t group = pf_group(p, o->provider);
    for (size_t k = 0; k < w->n_alternatives; k++) {
        const alternative *alt = &w->alternatives[k];
        const offering *r = alt->dependency == o->id ? pf_offering(p, alt->offering) : NULL;
        if (!r || pf_group(p, r->provider) == group)
            continue;
        if (drill_proves(p, pf_last_drill(p, w->id, o->id, r->id))) {
            if (by)
                *by = alt;
            return 1;
        }
    }
    return 0;
}

int acceptance_in_force(const risk_acceptance *r, int64_t today)
{
    int64_t until;
    return !r->revoked_at && date_parse(r->expires_on, &until) == 0 && until >= today;
}

const risk_acceptance *pf_acceptance(const portfolio *p, int64_t wid)
{
    const risk_acceptance *best = NULL;
    int64_t best_day = -1;
    size_t lo = 0, hi = p->n_acceptances;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->acceptances[mid].workload < wid)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < p->n_acceptances && p->acceptances[i].workload == wid; i++) {
        const risk_acceptance *r = &p->acceptances[i];
        int64_t until;
        if (!acceptance_in_force(r, p->today) || date_parse(r->expires_on, &until) != 0)
            continue;
        if (until > best_day) {
            best = r;
            best_day = until;
        }
    }
    return best;
}

static int group_matches(const portfolio *p, int64_t scope, int64_t vendor_id)
{
    return !scope || (vendor_id && pf_group(p, vendor_id) == pf_group(p, scope));
}

int term_in_scope(const portfolio *p, const contract *c, const contract_term *t,
                  const offering *o)
{
    if (!t->scope_provider && !t->scope_publisher && !t->scope_host && !t->scope_track)
        return contract_covers(c, o->id);
    return group_matches(p, t->scope_provider, o->provider) &&
           group_matches(p, t->scope_publisher, o->publisher) &&
           group_matches(p, t->scope_host, o->host) &&
           (!t->scope_track || strcmp(t->scope_track, o->track) == 0);
}

int fact_stale(const char *as_of, int64_t today, int64_t review_days)
{
    int64_t day;
    return !as_of || date_parse(as_of, &day) != 0 || today - day > review_days;
}

static void age_one(catalogue_age *c, const char *source, const char *as_of, int64_t today,
                    int64_t review_days)
{
    c->records++;
    c->unsourced += !source || !source[0];
    if (!as_of)
        c->undated++;
    else if (fact_stale(as_of, today, review_days))
        c->stale++;
}

void catalogue_age_count(const portfolio *p, int64_t review_days, catalogue_age *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < p->n_vendors; i++)
        if (!p->vendors[i].kind || strcmp(p->vendors[i].kind, "self") != 0)
            age_one(out, p->vendors[i].source, p->vendors[i].as_of, p->today, review_days);
    for (size_t i = 0; i < p->n_offerings; i++) {
        const vendor *v = pf_vendor(p, p->offerings[i].provider);
        if (!v || !v->kind || strcmp(v->kind, "self") != 0)
            age_one(out, p->offerings[i].source, p->offerings[i].as_of, p->today, review_days);
    }
    for (size_t i = 0; i < p->n_contracts; i++)
        if (p->contracts[i].kind && strcmp(p->contracts[i].kind, "upstream") == 0)
            age_one(out, p->contracts[i].source, p->contracts[i].as_of, p->today, review_days);
}
