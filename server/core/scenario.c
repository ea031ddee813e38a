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

int scenario_evaluate_scored(const portfolio *p, const risk_weights *wts,
                             const risk_result *scored, const scenario *s, arena *a,
                             scenario_result *out)
{
    memset(out, 0, sizeof *out);
    size_t no = p->n_offerings, nw = p->n_workloads;
    size_t nc = s->n_changes;

    /* Exited groups (never group 0, which would match "no publisher/host"). */
    int64_t *exited = arena_alloc(a, (nc + 1) * sizeof *exited);
    unsigned char *swap = arena_alloc(a, nw + 1);
    unsigned char *changed = arena_alloc(a, nw + 1);
    unsigned char *level = arena_alloc(a, nw + 1);
    unsigned char *unavail = arena_alloc(a, no + 1);
    int64_t *pgroup = arena_alloc(a, (no + 1) * sizeof *pgroup);
    int64_t *alt = arena_alloc(a, (no + 1) * sizeof *alt);
    out->workloads = arena_alloc(a, (nw + 1) * sizeof *out->workloads);
    if (!exited || !swap || !changed || !level || !unavail || !pgroup || !alt || !out->workloads)
        return -1;
    out->n_workloads = nw;
    size_t n_exited = 0;
    for (size_t i = 0; i < nc; i++) {
        const scenario_change *c = &s->changes[i];
        if (c->type == CHANGE_EXIT_GROUP) {
            int64_t g = pf_group(p, c->id);
            if (g && !group_exited(exited, n_exited, g))
                exited[n_exited++] = g;
        }
    }

    /* Unavailable offerings. */
    for (size_t i = 0; i < no; i++) {
        const offering *o = &p->offerings[i];
        pgroup[i] = pf_group(p, o->provider);
        if (group_exited(exited, n_exited, pgroup[i]) ||
            (o->publisher && group_exited(exited, n_exited, pf_group(p, o->publisher))) ||
            (o->host && group_exited(exited, n_exited, pf_group(p, o->host))))
            unavail[i] = 1;
    }
    for (size_t i = 0; i < nc; i++) {
        const scenario_change *c = &s->changes[i];
        if (c->type == CHANGE_WITHDRAW_OFFERING) {
            ptrdiff_t at = offering_at(p, c->id);
            if (at >= 0)
                unavail[at] = 1;
        } else if (c->type == CHANGE_END_CONTRACT) {
            const contract *k = pf_contract(p, c->id);
            for (size_t j = 0; k && j < k->n_offerings; j++) {
                ptrdiff_t at = offering_at(p, k->offerings[j]);
                if (at >= 0)
                    unavail[at] = 1;
            }
        } else if (c->type == CHANGE_ADD_SWAP_LAYER) {
            for (size_t j = 0; j < c->n_workloads; j++) {
                const workload *w = pf_workload(p, c->workloads[j]);
                if (w)
                    swap[w - p->workloads] = 1;
            }
        }
    }
    for (size_t i = 0; i < nw; i++)
        swap[i] |= p->workloads[i].swap_layer != 0;

    /* The alternative of each lost offering: the first (smallest id)
     * available offering of the same category from another, non-exited
     * provider group. */
    size_t n_unavail = 0;
    for (size_t i = 0; i < no; i++) {
        if (!unavail[i])
            continue;
        n_unavail++;
        const offering *lost = &p->offerings[i];
        for (size_t j = 0; j < no; j++) {
            const offering *o = &p->offerings[j];
            if (!unavail[j] && same_str(o->category, lost->category) && pgroup[j] != pgroup[i] &&
                !group_exited(exited, n_exited, pgroup[j])) {
                alt[i] = o->id;
                break;
            }
        }
    }
    out->unavailable = arena_alloc(a, (n_unavail + 1) * sizeof *out->unavailable);
    if (!out->unavailable)
        return -1;
    for (size_t i = 0; i < no; i++)
        if (unavail[i])
            out->unavailable[out->n_unavailable++] = p->offerings[i].id;

    /* Notice: the longest among customer contracts covering a lost offering. */
    for (size_t i = 0; i < p->n_contracts; i++) {
        const contract *k = &p->contracts[i];
        if (!same_str(k->kind, "customer") || k->notice_days <= out->notice_days)
            continue;
        for (size_t j = 0; j < k->n_offerings; j++) {
            ptrdiff_t at = offering_at(p, k->offerings[j]);
            if (at >= 0 && unavail[at]) {
                out->notice_days = (int)k->notice_days;
                break;
            }
        }
    }

    /* The after copy: the portfolio struct and its workloads; everything
     * else is shared read-only with p. */
    portfolio *q = arena_alloc(a, sizeof *q);
    workload *qw = arena_alloc(a, (nw + 1) * sizeof *qw);
    if (!q || !qw)
        return -1;
    *q = *p;
    if (nw)
        memcpy(qw, p->workloads, nw * sizeof *qw);
    q->workloads = qw;

    /* Outcomes. pos[d]: position of each dependency's offering, looked up
     * once per workload. */
    size_t max_deps = 1;
    for (size_t i = 0; i < nw; i++)
        if (p->workloads[i].n_dependencies > max_deps)
            max_deps = p->workloads[i].n_dependencies;
    ptrdiff_t *pos = arena_alloc(a, max_deps * sizeof *pos);
    if (!pos)
        return -1;
    for (size_t i = 0; i < nw; i++) {
        const workload *w = &p->workloads[i];
        scenario_workload *r = &out->workloads[i];
        r->w = w;
        r->outcome = OUTCOME_UNAFFECTED;
        qw[i].swap_layer = swap[i];
        changed[i] = swap[i] != (w->swap_layer != 0);
        if (is_retired(w))
            continue;
        /* Distinct lost offerings, in dependency order. */
        size_t n_lost = 0;
        for (size_t d = 0; d < w->n_dependencies; d++) {
            ptrdiff_t at = pos[d] = offering_at(p, w->dependencies[d].offering);
            if (at < 0 || !unavail[at])
                continue;
            int seen = 0;
            for (size_t j = 0; j < d && !seen; j++)
                seen = pos[j] == at;
            n_lost += !seen;
        }
        if (n_lost == 0) {
            out->counts[OUTCOME_UNAFFECTED]++;
            continue;
        }
        r->lost = arena_alloc(a, n_lost * sizeof *r->lost);
        r->alternatives = arena_alloc(a, n_lost * sizeof *r->alternatives);
        if (!r->lost || !r->alternatives)
            return -1;
        int all_alt = 1, all_compatible = 1;
        for (size_t d = 0; d < w->n_dependencies; d++) {
            ptrdiff_t at = pos[d];
            if (at < 0 || !unavail[at])
                continue;
            int seen = 0;
            for (size_t k = 0; k < r->n_lost && !seen; k++)
                seen = r->lost[k] == p->offerings[at].id;
            if (seen)
                continue;
            r->lost[r->n_lost] = p->offerings[at].id;
            r->alternatives[r->n_lost] = alt[at];
            r->n_lost++;
            all_alt &= alt[at] != 0;
            all_compatible &= same_str(p->offerings[at].interface, "openai_compatible");
        }
        r->outcome = swap[i] || all_alt ? OUTCOME_MOVABLE : OUTCOME_STRANDED;
        r->migration_days = swap[i] ? MIGRATE_SWAP_LAYER
                            : all_compatible ? MIGRATE_OPENAI_COMPATIBLE
                                             : MIGRATE_PROPRIETARY;
        out->counts[r->outcome]++;
        out->spend_at_risk += w->monthly_spend;
        if (r->outcome == OUTCOME_STRANDED)
            out->spend_stranded += w->monthly_spend;
        if (same_str(w->criticality, "critical"))
            out->critical_at_risk++;
        if (r->migration_days > out->migration_days)
            out->migration_days = r->migration_days;

        if (r->outcome == OUTCOME_STRANDED) {
            qw[i].status = "retired";   /* drops out of every after figure */
            continue;
        }
        /* Movable: lost dependencies move to their alternative; a lost one
         * with none (swap layer only) is dropped. */
        dependency *deps = arena_alloc(a, (w->n_dependencies + 1) * sizeof *deps);
        if (!deps)
            return -1;
        size_t n = 0;
        for (size_t d = 0; d < w->n_dependencies; d++) {
            dependency dep = w->dependencies[d];
            ptrdiff_t at = pos[d];
            if (at >= 0 && unavail[at]) {
                if (!alt[at])
                    continue;
                dep.offering = alt[at];
            }
            deps[n++] = dep;
        }
        qw[i].dependencies = deps;
        qw[i].n_dependencies = n;
        changed[i] = 1;
    }
    out->n_workloads = nw;
    out->exit_days = out->notice_days + out->migration_days;

    /* Before and after. */
    if (concentration_compute(p, 1, 0, NULL, NULL, a, &out->before.spend) != 0 ||
        concentration_compute(q, 1, 0, NULL, NULL, a, &out->after.spend) != 0)
        return -1;
    side_levels(p, wts, scored, NULL, level, &out->before);
    side_levels(q, wts, NULL, changed, level, &out->after);
    return 0;
}
