/* scenario.c - what-if scenarios over a copy of the portfolio; see
 * scenario.h. Pure: no I/O; the caller's portfolio is never written.
 *
 * Evaluation works on offering positions (index into p->offerings): the
 * unavailable flags, provider groups and the alternative of every lost
 * offering are computed once, so the per-workload pass only does lookups. */
#include "core/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"

const char *const CHANGE_TYPES[] = {"exit_group", "withdraw_offering", "end_contract",
                                    "add_swap_layer", NULL};
const char *const OUTCOMES[] = {"unaffected", "movable", "stranded", NULL};

#define SCENARIO_MAX_CHANGES 50
#define SCENARIO_MAX_WORKLOADS 1000

/* The members each change type takes besides "type". */
static const char *const MEMBERS[][3] = {
    {"vendor", NULL, NULL},
    {"offering", NULL, NULL},
    {"contract", "on", NULL},
    {"workloads", NULL, NULL},
};

/* ---- parsing --------------------------------------------------------------- */

static int is_member(int type, const char *key)
{
    if (strcmp(key, "type") == 0)
        return 1;
    for (int i = 0; MEMBERS[type][i]; i++)
        if (strcmp(MEMBERS[type][i], key) == 0)
            return 1;
    return 0;
}

/* A required positive id member. */
static int parse_id(const json_t *item, const char *base, const char *name, const char *what,
                    int64_t *out, sy_errors *e)
{
    char ptr[128];
    pointer_join(ptr, sizeof ptr, base, name);
    const json_t *v = json_object_get(item, name);
    if (!v) {
        errors_add(e, ptr, "is required");
        return -1;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 1) {
        errors_add(e, ptr, "must be the numeric ID of an existing %s", what);
        return -1;
    }
    *out = (int64_t)json_integer_value(v);
    return 0;
}

typedef struct id_at {
    int64_t id;
    size_t at;
} id_at;

static int by_id_then_position(const void *x, const void *y)
{
    const id_at *a = x, *b = y;
    if (a->id != b->id)
        return a->id < b->id ? -1 : 1;
    return a->at < b->at ? -1 : a->at > b->at;
}

static int parse_workloads(const json_t *item, const char *base, arena *a, scenario_change *c,
                           sy_errors *e)
{
    char ptr[128];
    pointer_join(ptr, sizeof ptr, base, "workloads");
    const json_t *v = json_object_get(item, "workloads");
    if (!v) {
        errors_add(e, ptr, "is required");
        return -1;
    }
    if (!json_is_array(v)) {
        errors_add(e, ptr, "must be an array of workload IDs");
        return -1;
    }
    size_t n = json_array_size(v);
    if (n == 0) {
        errors_add(e, ptr, "must name at least one workload");
        return -1;
    }
    if (n > SCENARIO_MAX_WORKLOADS) {
        errors_add(e, ptr, "must have at most %d entries", SCENARIO_MAX_WORKLOADS);
        return -1;
    }
    c->workloads = arena_alloc(a, n * sizeof *c->workloads);
    id_at *sorted = arena_alloc(a, n * sizeof *sorted);
    unsigned char *dup = arena_alloc(a, n);
    if (!c->workloads || !sorted || !dup) {
        errors_add(e, ptr, "is too large");
        return -1;
    }
    int bad = 0;
    size_t n_ok = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *id = json_array_get(v, i);
        if (!json_is_integer(id) || json_integer_value(id) < 1) {
            char at[128], idx[24];
            snprintf(idx, sizeof idx, "%zu", i);
            pointer_join(at, sizeof at, ptr, idx);
            errors_add(e, at, "must be the numeric ID of an existing workload");
            bad = 1;
            continue;
        }
        c->workloads[i] = (int64_t)json_integer_value(id);
        sorted[n_ok].id = c->workloads[i];
        sorted[n_ok].at = i;
        n_ok++;
    }
    /* Duplicates: sort (id, position), flag every later occurrence. */
    qsort(sorted, n_ok, sizeof *sorted, by_id_then_position);
    for (size_t k = 1; k < n_ok; k++)
        if (sorted[k].id == sorted[k - 1].id)
            dup[sorted[k].at] = 1;
    for (size_t i = 0; i < n; i++) {
        if (!dup[i])
            continue;
        char at[128], idx[24];
        snprintf(idx, sizeof idx, "%zu", i);
        pointer_join(at, sizeof at, ptr, idx);
        errors_add(e, at, "names the same workload twice");
        bad = 1;
    }
    c->n_workloads = n;
    return bad ? -1 : 0;
}

static int parse_change(const json_t *item, const char *base, arena *a, scenario_change *c,
                        sy_errors *e)
{
    char ptr[128];
    if (!json_is_object(item)) {
        errors_add(e, base, "must be a JSON object");
        return -1;
    }
    pointer_join(ptr, sizeof ptr, base, "type");
    const json_t *type = json_object_get(item, "type");
    if (!type) {
        errors_add(e, ptr, "is required");
        return -1;
    }
    int t = json_is_string(type) ? enum_index(CHANGE_TYPES, json_string_value(type)) : -1;
    if (t < 0) {
        char what[160];
        enum_list(CHANGE_TYPES, what, sizeof what);
        errors_add(e, ptr, "must be one of %s", what);
        return -1;
    }
    c->type = t;
    int bad = 0;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)item, key, value) {
        (void)value;
        if (!is_member(t, key)) {
            pointer_join(ptr, sizeof ptr, base, key);
            errors_add(e, ptr, "is not a known field");
            bad = 1;
        }
    }
    switch (t) {
    case CHANGE_EXIT_GROUP:
        bad |= parse_id(item, base, "vendor", "vendor", &c->id, e) != 0;
        break;
    case CHANGE_WITHDRAW_OFFERING:
        bad |= parse_id(item, base, "offering", "offering", &c->id, e) != 0;
        break;
    case CHANGE_END_CONTRACT: {
        bad |= parse_id(item, base, "contract", "contract", &c->id, e) != 0;
        pointer_join(ptr, sizeof ptr, base, "on");
        const json_t *on = json_object_get(item, "on");
        int64_t days;
        if (!on) {
            errors_add(e, ptr, "is required");
            bad = 1;
        } else if (!json_is_string(on) || date_parse(json_string_value(on), &days) != 0) {
            errors_add(e, ptr, "must be a real date written YYYY-MM-DD");
            bad = 1;
        } else {
            c->on = arena_strdup(a, json_string_value(on));
            if (!c->on) {
                errors_add(e, ptr, "is too large");
                bad = 1;
            }
        }
        break;
    }
    case CHANGE_ADD_SWAP_LAYER:
        bad |= parse_workloads(item, base, a, c, e) != 0;
        break;
    }
    return bad ? -1 : 0;
}

int scenario_from_json(const json_t *changes, arena *a, scenario *out, sy_errors *e)
{
    int bad = 0; /* not e->count: the error list stops growing when full */
    out->changes = NULL;
    out->n_changes = 0;
    if (!changes) {
        errors_add(e, "/changes", "is required");
        return -1;
    }
    if (!json_is_array(changes)) {
        errors_add(e, "/changes", "must be an array of changes");
        return -1;
    }
    size_t n = json_array_size(changes);
    if (n == 0) {
        errors_add(e, "/changes", "must have at least one change");
        return -1;
    }
    if (n > SCENARIO_MAX_CHANGES) {
        errors_add(e, "/changes", "must have at most %d changes", SCENARIO_MAX_CHANGES);
        return -1;
    }
    out->changes = arena_alloc(a, n * sizeof *out->changes);
    if (!out->changes) {
        errors_add(e, "/changes", "is too large");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char base[128], idx[24];
        snprintf(idx, sizeof idx, "%zu", i);
        pointer_join(base, sizeof base, "/changes", idx);
        bad |= parse_change(json_array_get(changes, i), base, a, &out->changes[i], e) != 0;
    }
    out->n_changes = n;
    return bad ? -1 : 0;
}

/* ---- references ---------------------------------------------------------- */

int scenario_check_refs(const scenario *s, const portfolio *p, sy_errors *e)
{
    int start = e->count;
    for (size_t i = 0; i < s->n_changes; i++) {
        const scenario_change *c = &s->changes[i];
        char base[128], ptr[128], idx[24];
        snprintf(idx, sizeof idx, "%zu", i);
        pointer_join(base, sizeof base, "/changes", idx);
        switch (c->type) {
        case CHANGE_EXIT_GROUP:
            if (!pf_vendor(p, c->id)) {
                pointer_join(ptr, sizeof ptr, base, "vendor");
                errors_add(e, ptr, "No vendor with this ID.");
            }
            break;
        case CHANGE_WITHDRAW_OFFERING:
            if (!pf_offering(p, c->id)) {
                pointer_join(ptr, sizeof ptr, base, "offering");
                errors_add(e, ptr, "No offering with this ID.");
            }
            break;
        case CHANGE_END_CONTRACT:
            if (!pf_contract(p, c->id)) {
                pointer_join(ptr, sizeof ptr, base, "contract");
                errors_add(e, ptr, "No contract with this ID.");
            }
            break;
        case CHANGE_ADD_SWAP_LAYER:
            for (size_t k = 0; k < c->n_workloads; k++) {
                if (pf_workload(p, c->workloads[k]))
                    continue;
                char list[128], at[24];
                pointer_join(list, sizeof list, base, "workloads");
                snprintf(at, sizeof at, "%zu", k);
                pointer_join(ptr, sizeof ptr, list, at);
                errors_add(e, ptr, "No workload with this ID.");
            }
            break;
        default:
            pointer_join(ptr, sizeof ptr, base, "type");
            errors_add(e, ptr, "is not a known change");
            break;
        }
    }
    return e->count > start ? -1 : 0;
}

/* ---- evaluation ---------------------------------------------------------- */

static int same_str(const char *x, const char *y)
{
    return x && y && strcmp(x, y) == 0;
}

/* Outside the active set (domain.md "The active set": pilot and
 * production): proposed and retired workloads count in no figure. */
static int is_retired(const workload *w)
{
    return !workload_active(w);
}

static int group_exited(const int64_t *exited, size_t n, int64_t g)
{
    if (!g)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (exited[i] == g)
            return 1;
    return 0;
}

/* Position of an offering in p->offerings, or -1. */
static ptrdiff_t offering_at(const portfolio *p, int64_t id)
{
    const offering *o = pf_offering(p, id);
    return o ? o - p->offerings : -1;
}

/* Lock-in distribution, counted workloads and their spend. level[i] keeps
 * each workload's level: the before pass fills it (changed == NULL); the
 * after pass re-assesses only the workloads whose copy changed, since
 * everything else a risk assessment reads (offerings, contracts, vendors,
 * today) is shared with the original. Risk reasons go to a scratch arena
 * emptied as it goes: only the levels are kept. */
static void side_levels(const portfolio *p, const risk_weights *wts, const risk_result *known,
                        const unsigned char *changed, unsigned char *level, scenario_side *side)
{
    if (known && !changed) {
        /* The before side of a scored snapshot: its levels are known. */
        for (size_t i = 0; i < p->n_workloads; i++) {
            if (is_retired(&p->workloads[i]))
                continue;
            level[i] = (unsigned char)known[i].level;
            side->levels[level[i]]++;
            side->monthly_spend += p->workloads[i].monthly_spend;
        }
        return;
    }
    arena scratch;
    arena_init(&scratch);
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *w = &p->workloads[i];
        if (is_retired(w))
            continue;
        if (!changed || changed[i]) {
            risk_result r;
            risk_assess(p, w, wts, &scratch, &r);
            level[i] = (unsigned char)r.level;
            if ((i & 127) == 127)
                arena_free(&scratch);
        }
        side->levels[level[i]]++;
        side->monthly_spend += w->monthly_spend;
    }
    arena_free(&scratch);
}

int scenario_evaluate(const portfolio *p, const risk_weights *wts, const scenario *s,
                      arena *a, scenario_result *out)
{
    return scenario_evaluate_scored(p, wts, NULL, s, a, out);
}

/* What the evaluation stages share: the inputs, the per-offering and
 * per-workload working arrays (all in the caller's arena), and the result
 * being filled. */
typedef struct eval_ctx {
    const portfolio *p;
    const scenario *s;
    arena *a;
    scenario_result *out;
    int64_t *exited;            /* exited groups, n_exited of them */
    size_t n_exited;
    unsigned char *swap;        /* per workload: has a swap layer after */
    unsigned char *changed;     /* per workload: its after copy differs */
    unsigned char *level;       /* per workload: lock-in level */
    unsigned char *unavail;     /* per offering: lost in the scenario */
    int64_t *pgroup;            /* per offering: its provider's group */
    int64_t *alt;               /* per offering: the alternative's id, or 0 */
    ptrdiff_t *pos;             /* per dependency of one workload: its offering */
    portfolio *q;               /* the after copy */
    workload *qw;               /* its workloads */
} eval_ctx;

/* Allocates the working arrays and the result's workload list. 0 or -1. */
static int eval_alloc(eval_ctx *x)
{
    size_t no = x->p->n_offerings, nw = x->p->n_workloads, nc = x->s->n_changes;
    arena *a = x->a;
    x->exited = arena_alloc(a, (nc + 1) * sizeof *x->exited);
    x->swap = arena_alloc(a, nw + 1);
    x->changed = arena_alloc(a, nw + 1);
    x->level = arena_alloc(a, nw + 1);
    x->unavail = arena_alloc(a, no + 1);
    x->pgroup = arena_alloc(a, (no + 1) * sizeof *x->pgroup);
    x->alt = arena_alloc(a, (no + 1) * sizeof *x->alt);
    x->out->workloads = arena_alloc(a, (nw + 1) * sizeof *x->out->workloads);
    if (!x->exited || !x->swap || !x->changed || !x->level || !x->unavail || !x->pgroup ||
        !x->alt || !x->out->workloads)
        return -1;
    x->out->n_workloads = nw;
    return 0;
}

/* Exited groups (never group 0, which would match "no publisher/host"). */
static void mark_exited_groups(eval_ctx *x)
{
    for (size_t i = 0; i < x->s->n_changes; i++) {
        const scenario_change *c = &x->s->changes[i];
        if (c->type == CHANGE_EXIT_GROUP) {
            int64_t g = pf_group(x->p, c->id);
            if (g && !group_exited(x->exited, x->n_exited, g))
                x->exited[x->n_exited++] = g;
        }
    }
}

/* Unavailable offerings (an exited provider, publisher or host; withdrawn;
 * under an ended contract) and the workloads that gain a swap layer. */
static void mark_unavailable(eval_ctx *x)
{
    const portfolio *p = x->p;
    for (size_t i = 0; i < p->n_offerings; i++) {
        const offering *o = &p->offerings[i];
        x->pgroup[i] = pf_group(p, o->provider);
        if (group_exited(x->exited, x->n_exited, x->pgroup[i]) ||
            (o->publisher && group_exited(x->exited, x->n_exited, pf_group(p, o->publisher))) ||
            (o->host && group_exited(x->exited, x->n_exited, pf_group(p, o->host))))
            x->unavail[i] = 1;
    }
    for (size_t i = 0; i < x->s->n_changes; i++) {
        const scenario_change *c = &x->s->changes[i];
        if (c->type == CHANGE_WITHDRAW_OFFERING) {
            ptrdiff_t at = offering_at(p, c->id);
            if (at >= 0)
                x->unavail[at] = 1;
        } else if (c->type == CHANGE_END_CONTRACT) {
            const contract *k = pf_contract(p, c->id);
            for (size_t j = 0; k && j < k->n_offerings; j++) {
                ptrdiff_t at = offering_at(p, k->offerings[j]);
                if (at >= 0)
                    x->unavail[at] = 1;
            }
        } else if (c->type == CHANGE_ADD_SWAP_LAYER) {
            for (size_t j = 0; j < c->n_workloads; j++) {
                const workload *w = pf_workload(p, c->workloads[j]);
                if (w)
                    x->swap[w - p->workloads] = 1;
            }
        }
    }
    for (size_t i = 0; i < p->n_workloads; i++)
        x->swap[i] |= p->workloads[i].swap_layer != 0;
}

/* The alternative of each lost offering: the first (smallest id)
 * available offering of the same category from another, non-exited
 * provider group. Also lists the lost offerings in the result. 0 or -1. */
static int pick_alternatives(eval_ctx *x)
{
    const portfolio *p = x->p;
    size_t no = p->n_offerings, n_unavail = 0;
    for (size_t i = 0; i < no; i++) {
        if (!x->unavail[i])
            continue;
        n_unavail++;
        const offering *lost = &p->offerings[i];
        for (size_t j = 0; j < no; j++) {
            const offering *o = &p->offerings[j];
            if (!x->unavail[j] && same_str(o->category, lost->category) &&
                x->pgroup[j] != x->pgroup[i] && !group_exited(x->exited, x->n_exited, x->pgroup[j])) {
                x->alt[i] = o->id;
                break;
            }
        }
    }
    scenario_result *out = x->out;
    out->unavailable = arena_alloc(x->a, (n_unavail + 1) * sizeof *out->unavailable);
    if (!out->unavailable)
        return -1;
    for (size_t i = 0; i < no; i++)
        if (x->unavail[i])
            out->unavailable[out->n_unavailable++] = p->offerings[i].id;
    return 0;
}

/* Notice: the longest among customer contracts covering a lost offering. */
static void longest_notice(eval_ctx *x)
{
    const portfolio *p = x->p;
    for (size_t i = 0; i < p->n_contracts; i++) {
        const contract *k = &p->contracts[i];
        if (!same_str(k->kind, "customer") || k->notice_days <= x->out->notice_days)
            continue;
        for (size_t j = 0; j < k->n_offerings; j++) {
            ptrdiff_t at = offering_at(p, k->offerings[j]);
            if (at >= 0 && x->unavail[at]) {
                x->out->notice_days = (int)k->notice_days;
                break;
            }
        }
    }
}

/* The after copy (the portfolio struct and its workloads; everything else
 * is shared read-only with p) and pos[], room for the dependency positions
 * of the workload with the most. 0 or -1. */
static int copy_after(eval_ctx *x)
{
    const portfolio *p = x->p;
    size_t nw = p->n_workloads;
    x->q = arena_alloc(x->a, sizeof *x->q);
    x->qw = arena_alloc(x->a, (nw + 1) * sizeof *x->qw);
    if (!x->q || !x->qw)
        return -1;
    *x->q = *p;
    if (nw)
        memcpy(x->qw, p->workloads, nw * sizeof *x->qw);
    x->q->workloads = x->qw;
    size_t max_deps = 1;
    for (size_t i = 0; i < nw; i++)
        if (p->workloads[i].n_dependencies > max_deps)
            max_deps = p->workloads[i].n_dependencies;
    x->pos = arena_alloc(x->a, max_deps * sizeof *x->pos);
    return x->pos ? 0 : -1;
}

/* Fills pos[] for w's dependencies and counts its distinct lost offerings. */
static size_t count_lost(eval_ctx *x, const workload *w)
{
    size_t n_lost = 0;
    for (size_t d = 0; d < w->n_dependencies; d++) {
        ptrdiff_t at = x->pos[d] = offering_at(x->p, w->dependencies[d].offering);
        if (at < 0 || !x->unavail[at])
            continue;
        int seen = 0;
        for (size_t j = 0; j < d && !seen; j++)
            seen = x->pos[j] == at;
        n_lost += !seen;
    }
    return n_lost;
}

/* Lists r's distinct lost offerings (in dependency order) with their
 * alternatives and sets its outcome and migration estimate. 0 or -1. */
static int classify(eval_ctx *x, size_t i, size_t n_lost, scenario_workload *r)
{
    const workload *w = r->w;
    const portfolio *p = x->p;
    r->lost = arena_alloc(x->a, n_lost * sizeof *r->lost);
    r->alternatives = arena_alloc(x->a, n_lost * sizeof *r->alternatives);
    if (!r->lost || !r->alternatives)
        return -1;
    int all_alt = 1, all_compatible = 1;
    for (size_t d = 0; d < w->n_dependencies; d++) {
        ptrdiff_t at = x->pos[d];
        if (at < 0 || !x->unavail[at])
            continue;
        int seen = 0;
        for (size_t k = 0; k < r->n_lost && !seen; k++)
            seen = r->lost[k] == p->offerings[at].id;
        if (seen)
            continue;
        r->lost[r->n_lost] = p->offerings[at].id;
        r->alternatives[r->n_lost] = x->alt[at];
        r->n_lost++;
        all_alt &= x->alt[at] != 0;
        all_compatible &= same_str(p->offerings[at].interface, "openai_compatible");
    }
    r->outcome = x->swap[i] || all_alt ? OUTCOME_MOVABLE : OUTCOME_STRANDED;
    r->migration_days = x->swap[i] ? MIGRATE_SWAP_LAYER
                        : all_compatible ? MIGRATE_OPENAI_COMPATIBLE
                                         : MIGRATE_PROPRIETARY;
    return 0;
}

/* Adds an affected workload to the result's totals. */
static void count_affected(scenario_result *out, const scenario_workload *r)
{
    const workload *w = r->w;
    out->counts[r->outcome]++;
    out->spend_at_risk += w->monthly_spend;
    if (r->outcome == OUTCOME_STRANDED)
        out->spend_stranded += w->monthly_spend;
    if (same_str(w->criticality, "critical"))
        out->critical_at_risk++;
    if (r->migration_days > out->migration_days)
        out->migration_days = r->migration_days;
}

/* Movable: in the after copy, lost dependencies move to their alternative;
 * a lost one with none (swap layer only) is dropped. 0 or -1. */
static int move_dependencies(eval_ctx *x, size_t i)
{
    const workload *w = &x->p->workloads[i];
    dependency *deps = arena_alloc(x->a, (w->n_dependencies + 1) * sizeof *deps);
    if (!deps)
        return -1;
    size_t n = 0;
    for (size_t d = 0; d < w->n_dependencies; d++) {
        dependency dep = w->dependencies[d];
        ptrdiff_t at = x->pos[d];
        if (at >= 0 && x->unavail[at]) {
            if (!x->alt[at])
                continue;
            dep.offering = x->alt[at];
        }
        deps[n++] = dep;
    }
    x->qw[i].dependencies = deps;
    x->qw[i].n_dependencies = n;
    x->changed[i] = 1;
    return 0;
}

/* The outcome of workload i, and its after copy. 0 or -1. */
static int evaluate_workload(eval_ctx *x, size_t i)
{
    const workload *w = &x->p->workloads[i];
    scenario_workload *r = &x->out->workloads[i];
    r->w = w;
    r->outcome = OUTCOME_UNAFFECTED;
    x->qw[i].swap_layer = x->swap[i];
    x->changed[i] = x->swap[i] != (w->swap_layer != 0);
    if (is_retired(w))
        return 0;
    size_t n_lost = count_lost(x, w);
    if (n_lost == 0) {
        x->out->counts[OUTCOME_UNAFFECTED]++;
        return 0;
    }
    if (classify(x, i, n_lost, r) != 0)
        return -1;
    count_affected(x->out, r);
    if (r->outcome == OUTCOME_STRANDED) {
        x->qw[i].status = "retired";   /* drops out of every after figure */
        return 0;
    }
    return move_dependencies(x, i);
}

int scenario_evaluate_scored(const portfolio *p, const risk_weights *wts,
                             const risk_result *scored, const scenario *s, arena *a,
                             scenario_result *out)
{
    memset(out, 0, sizeof *out);
    eval_ctx x;
    memset(&x, 0, sizeof x);
    x.p = p;
    x.s = s;
    x.a = a;
    x.out = out;
    if (eval_alloc(&x) != 0)
        return -1;
    mark_exited_groups(&x);
    mark_unavailable(&x);
    if (pick_alternatives(&x) != 0)
        return -1;
    longest_notice(&x);
    if (copy_after(&x) != 0)
        return -1;
    for (size_t i = 0; i < p->n_workloads; i++)
        if (evaluate_workload(&x, i) != 0)
            return -1;
    out->n_workloads = p->n_workloads;
    out->exit_days = out->notice_days + out->migration_days;

    /* Before and after. */
    if (concentration_compute(p, 1, 0, NULL, NULL, a, &out->before.spend) != 0 ||
        concentration_compute(x.q, 1, 0, NULL, NULL, a, &out->after.spend) != 0)
        return -1;
    side_levels(p, wts, scored, NULL, x.level, &out->before);
    side_levels(x.q, wts, NULL, x.changed, x.level, &out->after);
    return 0;
}
