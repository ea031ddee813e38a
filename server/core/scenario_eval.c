/* scenario_eval.c - evaluating a what-if scenario over a copy of the
 * portfolio (see scenario.h for the rules): which offerings are withdrawn,
 * the after copy (swap layers added, drills recorded, movable workloads
 * moved to their replacements, stranded ones dropped) and the before and
 * after figures. Replacements, reasons and time to exit are in
 * scenario_exit.c. Pure: no I/O; the caller's portfolio is never written.
 *
 * Work is on offering positions (index into p->offerings): the withdrawn
 * flags are computed once, so the per-workload pass only does lookups. */
#include "core/scenario_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"

ptrdiff_t scenario_offering_at(const portfolio *p, int64_t id)
{
    const offering *o = pf_offering(p, id);
    return o ? o - p->offerings : -1;
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

/* Lock-in distribution, counted workloads and their spend. level[i] keeps
 * each workload's level: the before pass fills it (changed == NULL); the
 * after pass re-assesses only the workloads whose copy changed, since
 * everything else a risk assessment reads is shared with the original
 * (drills recorded by the scenario mark their workloads changed). Only
 * levels are kept, so workloads are scored without sentences (risk_score). */
static void side_levels(const portfolio *p, const risk_weights *wts, const risk_result *known,
                        const unsigned char *changed, unsigned char *level, scenario_side *side)
{
    if (known && !changed) {
        /* The before side of a scored snapshot: its levels are known. */
        for (size_t i = 0; i < p->n_workloads; i++) {
            if (!workload_active(&p->workloads[i]))
                continue;
            level[i] = (unsigned char)known[i].level;
            side->levels[level[i]]++;
            side->monthly_spend += p->workloads[i].monthly_spend;
        }
        return;
    }
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *w = &p->workloads[i];
        if (!workload_active(w))
            continue;
        if (!changed || changed[i]) {
            risk_result r;
            risk_score(p, w, wts, &r);
            level[i] = (unsigned char)r.level;
        }
        side->levels[level[i]]++;
        side->monthly_spend += w->monthly_spend;
    }
}

/* Allocates the working arrays and the result's workload list. 0 or -1. */
static int eval_alloc(eval_ctx *x)
{
    size_t no = x->p->n_offerings, nw = x->p->n_workloads, nc = x->p->n_contracts;
    arena *a = x->a;
    x->exited = arena_alloc(a, (x->s->n_changes + 1) * sizeof *x->exited);
    x->end_on = arena_alloc(a, (nc + 1) * sizeof *x->end_on);
    x->swap = arena_alloc(a, nw + 1);
    x->changed = arena_alloc(a, nw + 1);
    x->level = arena_alloc(a, nw + 1);
    x->unavail = arena_alloc(a, no + 1);
    x->relied = arena_alloc(a, no + 1);
    x->out->workloads = arena_alloc(a, (nw + 1) * sizeof *x->out->workloads);
    if (!x->exited || !x->end_on || !x->swap || !x->changed || !x->level || !x->unavail ||
        !x->relied || !x->out->workloads)
        return -1;
    for (size_t c = 0; c < nc; c++)
        x->end_on[c] = -1;
    x->out->n_workloads = nw;
    return 0;
}

/* Exited groups (never group 0, which would match "no publisher/host"),
 * the end date of each ended contract (the earliest, if ended twice), and
 * the workloads that gain a swap layer. */
static void read_changes(eval_ctx *x)
{
    const portfolio *p = x->p;
    for (size_t i = 0; i < x->s->n_changes; i++) {
        const scenario_change *c = &x->s->changes[i];
        if (c->type == CHANGE_EXIT_GROUP) {
            int64_t g = pf_group(p, c->id);
            if (g && !group_exited(x->exited, x->n_exited, g))
                x->exited[x->n_exited++] = g;
        } else if (c->type == CHANGE_END_CONTRACT) {
            const contract *k = pf_contract(p, c->id);
            int64_t on;
            if (!k || date_parse(c->on, &on) != 0)
                continue;
            size_t ci = (size_t)(k - p->contracts);
            if (x->end_on[ci] < 0 || on < x->end_on[ci])
                x->end_on[ci] = on;
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

/* Group exit: what the group provides or hosts, and the closed models it
 * publishes wherever they are hosted (its open-weight ones stay usable
 * where others provide and host them). */
static int exit_withdraws(const eval_ctx *x, const offering *o)
{
    const portfolio *p = x->p;
    if (group_exited(x->exited, x->n_exited, pf_group(p, o->provider)))
        return 1;
    if (o->host && group_exited(x->exited, x->n_exited, pf_group(p, o->host)))
        return 1;
    return o->publisher && !o->open_weight &&
           group_exited(x->exited, x->n_exited, pf_group(p, o->publisher));
}

/* Whether contract c (index) is in force on day `on`: a customer contract
 * signed by then, not ended by then (auto-renewal rolls forward), and not
 * ended by the scenario on or before that day. */
static int in_force_on(const eval_ctx *x, size_t c, int64_t on)
{
    const contract *k = &x->p->contracts[c];
    int64_t start;
    if (!x->p->customer[c] || (x->end_on[c] >= 0 && x->end_on[c] <= on))
        return 0;
    if (k->start_date && date_parse(k->start_date, &start) == 0 && start > on)
        return 0;
    return contract_active(k, on);
}

/* Contract end on a date: its offerings are withdrawn from that date
 * unless another customer contract in force on it covers them. */
static void end_contract(eval_ctx *x, size_t ci)
{
    const portfolio *p = x->p;
    const contract *k = &p->contracts[ci];
    int64_t on = x->end_on[ci];
    for (size_t j = 0; j < k->n_offerings; j++) {
        ptrdiff_t at = scenario_offering_at(p, k->offerings[j]);
        if (at < 0 || x->unavail[at])
            continue;
        int covered = 0;
        for (size_t n = 0; n < p->cover_count[at] && !covered; n++) {
            size_t other = p->cover_list[p->cover_start[at] + n];
            covered = other != ci && in_force_on(x, other, on);
        }
        if (!covered)
            x->unavail[at] = 1;
    }
}

/* Marks every withdrawn offering and lists them in the result. 0 or -1. */
static int mark_unavailable(eval_ctx *x)
{
    const portfolio *p = x->p;
    for (size_t i = 0; i < p->n_offerings; i++)
        x->unavail[i] = (unsigned char)exit_withdraws(x, &p->offerings[i]);
    for (size_t i = 0; i < x->s->n_changes; i++) {
        const scenario_change *c = &x->s->changes[i];
        if (c->type == CHANGE_WITHDRAW_OFFERING) {
            ptrdiff_t at = scenario_offering_at(p, c->id);
            if (at >= 0)
                x->unavail[at] = 1;
        }
    }
    for (size_t c = 0; c < p->n_contracts; c++)
        if (x->end_on[c] >= 0)
            end_contract(x, c);
    size_t n = 0;
    for (size_t i = 0; i < p->n_offerings; i++)
        n += x->unavail[i];
    scenario_result *out = x->out;
    out->unavailable = arena_alloc(x->a, (n + 1) * sizeof *out->unavailable);
    if (!out->unavailable)
        return -1;
    for (size_t i = 0; i < p->n_offerings; i++)
        if (x->unavail[i])
            out->unavailable[out->n_unavailable++] = p->offerings[i].id;
    return 0;
}

/* By workload, then date, then id: the order portfolio.h keeps drills in. */
static int by_drill_order(const void *a, const void *b)
{
    const exit_drill *x = a, *y = b;
    if (x->workload != y->workload)
        return (x->workload > y->workload) - (x->workload < y->workload);
    int c = strcmp(x->drilled_on, y->drilled_on);
    if (c)
        return c;
    return (x->id > y->id) - (x->id < y->id);
}

/* The drills of the after copy: the portfolio's, plus a passed drill
 * today for each drill_alternative change (it wins over any other drill of
 * the day: largest ids). Marks the drilled workloads changed. 0 or -1. */
static int add_drills(eval_ctx *x)
{
    const portfolio *p = x->p;
    size_t extra = 0;
    for (size_t i = 0; i < x->s->n_changes; i++)
        extra += x->s->changes[i].type == CHANGE_DRILL_ALTERNATIVE;
    if (!extra)
        return 0;
    exit_drill *d = arena_alloc(x->a, (p->n_drills + extra) * sizeof *d);
    char *today = arena_alloc(x->a, 11);
    if (!d || !today)
        return -1;
    date_format(p->today, today);
    if (p->n_drills)
        memcpy(d, p->drills, p->n_drills * sizeof *d);
    size_t n = p->n_drills;
    for (size_t i = 0; i < x->s->n_changes; i++) {
        const scenario_change *c = &x->s->changes[i];
        const workload *w = c->type == CHANGE_DRILL_ALTERNATIVE ? pf_workload(p, c->id) : NULL;
        if (!w)
            continue;
        d[n] = (exit_drill){.id = INT64_MAX - (int64_t)(x->s->n_changes - i), .workload = w->id,
                            .dependency = c->dependency, .offering = c->alternative,
                            .drilled_on = today, .result = "passed",
                            .evidence = "What-if: an exit drill that passes today."};
        x->changed[w - p->workloads] = 1;
        n++;
    }
    qsort(d, n, sizeof *d, by_drill_order);
    x->q->drills = d;
    x->q->n_drills = n;
    return 0;
}

/* The after copy (the portfolio struct, its workloads and drills;
 * everything else is shared read-only with p). 0 or -1. */
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
    return add_drills(x);
}

/* The distinct withdrawn offerings w depends on. */
static size_t count_lost(const eval_ctx *x, const workload *w)
{
    size_t n_lost = 0;
    for (size_t d = 0; d < w->n_dependencies; d++) {
        ptrdiff_t at = scenario_offering_at(x->p, w->dependencies[d].offering);
        if (at < 0 || !x->unavail[at])
            continue;
        int seen = 0;
        for (size_t j = 0; j < d && !seen; j++)
            seen = w->dependencies[j].offering == w->dependencies[d].offering;
        n_lost += !seen;
    }
    return n_lost;
}

/* Adds an affected workload to the result's totals and marks the
 * withdrawn offerings it relies on (for time to exit). */
static void count_affected(eval_ctx *x, const scenario_workload *r)
{
    scenario_result *out = x->out;
    const workload *w = r->w;
    int critical = w->criticality && strcmp(w->criticality, "critical") == 0;
    out->counts[r->outcome]++;
    out->spend_at_risk += w->monthly_spend;
    if (w->users == SY_INT_NULL)
        out->users_unknown++; /* unknown is not 0: counted apart */
    else
        out->users_at_risk += w->users;
    out->critical_at_risk += critical;
    if (r->outcome == OUTCOME_STRANDED) {
        out->spend_stranded += w->monthly_spend;
        out->critical_stranded += critical;
    }
    if (r->migration_days > out->exit.migration_days)
        out->exit.migration_days = r->migration_days;
    for (size_t k = 0; k < r->n_lost; k++) {
        ptrdiff_t at = scenario_offering_at(x->p, r->lost[k].offering);
        if (at >= 0)
            x->relied[at] = 1;
    }
}

/* Movable: in the after copy, each withdrawn dependency moves to its
 * replacement (so its share of spend moves to the replacement's groups).
 * 0 or -1. */
static int move_dependencies(eval_ctx *x, size_t i, const scenario_workload *r)
{
    const workload *w = &x->p->workloads[i];
    dependency *deps = arena_alloc(x->a, (w->n_dependencies + 1) * sizeof *deps);
    if (!deps)
        return -1;
    for (size_t d = 0; d < w->n_dependencies; d++) {
        deps[d] = w->dependencies[d];
        for (size_t k = 0; k < r->n_lost; k++)
            if (r->lost[k].offering == deps[d].offering && r->lost[k].replacement) {
                deps[d].offering = r->lost[k].replacement;
                break;
            }
    }
    x->qw[i].dependencies = deps;
    x->qw[i].n_dependencies = w->n_dependencies;
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
    x->changed[i] |= x->swap[i] != (w->swap_layer != 0);
    if (!workload_active(w))
        return 0;
    size_t n_lost = count_lost(x, w);
    if (n_lost == 0) {
        x->out->counts[OUTCOME_UNAFFECTED]++;
        return 0;
    }
    if (scenario_classify(x, i, n_lost, r) != 0)
        return -1;
    count_affected(x, r);
    if (r->outcome == OUTCOME_STRANDED) {
        x->qw[i].status = "retired";   /* drops out of every after figure */
        x->changed[i] = 1;
        return 0;
    }
    return move_dependencies(x, i, r);
}

int scenario_evaluate(const portfolio *p, const risk_weights *wts, const scenario *s,
                      arena *a, scenario_result *out)
{
    return scenario_evaluate_scored(p, wts, NULL, s, a, out);
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
    read_changes(&x);
    if (mark_unavailable(&x) != 0 || copy_after(&x) != 0)
        return -1;
    for (size_t i = 0; i < p->n_workloads; i++)
        if (evaluate_workload(&x, i) != 0)
            return -1;
    out->n_workloads = p->n_workloads;
    scenario_time_to_exit(&x);

    /* Before and after; stranded spend is reported apart from the after. */
    if (concentration_compute(p, 1, 0, NULL, NULL, a, &out->before.spend) != 0 ||
        concentration_compute(x.q, 1, 0, NULL, NULL, a, &out->after.spend) != 0)
        return -1;
    side_levels(p, wts, scored, NULL, x.level, &out->before);
    side_levels(x.q, wts, NULL, x.changed, x.level, &out->after);
    out->after.stranded_spend = out->spend_stranded;
    return 0;
}
