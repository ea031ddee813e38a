/* scenario_exit.c - for a workload hit by a what-if scenario: the
 * replacement of each withdrawn dependency (a named alternative, or through
 * the swap layer an offering of the same category with a compatible
 * interface), its migration path, the outcome and the sentence that says
 * why; and the scenario's time to exit. The rules are in scenario.h. Pure:
 * no I/O. */
#include "core/scenario_int.h"

#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/text.h"

const char *const PATH_NAMES[] = {"drilled_alternative", "swap_layer", "openai_compatible",
                                  "proprietary", NULL};
const int PATH_DAYS[PATHS] = {7, 14, 45, 120};

static int same_str(const char *x, const char *y)
{
    return x && y && strcmp(x, y) == 0;
}

/* openai_compatible to openai_compatible, or open_standard to open_standard. */
static int compatible(const offering *from, const offering *to)
{
    return (same_str(from->interface, "openai_compatible") &&
            same_str(to->interface, "openai_compatible")) ||
           (same_str(from->interface, "open_standard") && same_str(to->interface, "open_standard"));
}

/* Identity and tooling attach through their own (standard) interfaces: a
 * swap layer, which swaps model and cloud, is not what replaces them. */
static int standard_role(const char *role)
{
    return same_str(role, "identity") || same_str(role, "tooling");
}

static int depends_on(const workload *w, int64_t offering_id)
{
    for (size_t d = 0; d < w->n_dependencies; d++)
        if (w->dependencies[d].offering == offering_id)
            return 1;
    return 0;
}

/* Path of a move from `from` to `to` that no proving drill covers. */
static int plain_path(const eval_ctx *x, size_t i, const offering *from, const offering *to)
{
    if (x->swap[i])
        return PATH_SWAP_LAYER;
    return compatible(from, to) ? PATH_OPENAI_COMPATIBLE : PATH_PROPRIETARY;
}

/* 1. A named alternative that is not withdrawn; one whose latest drill
 * (in the after copy, so a drill the scenario records counts) proves the
 * exit comes first. Sets *had_named when the workload names any. */
static int named_replacement(const eval_ctx *x, size_t i, const offering *lost,
                             scenario_loss *l, int *had_named)
{
    const workload *w = &x->p->workloads[i];
    const offering *pick = NULL;
    const exit_drill *proof = NULL;
    for (size_t k = 0; k < w->n_alternatives; k++) {
        if (w->alternatives[k].dependency != lost->id)
            continue;
        *had_named = 1;
        ptrdiff_t at = scenario_offering_at(x->p, w->alternatives[k].offering);
        if (at < 0 || x->unavail[at])
            continue;
        const offering *alt = &x->p->offerings[at];
        const exit_drill *d = pf_last_drill(x->q, w->id, lost->id, alt->id);
        if (!drill_proves(x->q, d))
            d = NULL;
        if (!pick || (d && !proof)) {
            pick = alt;
            proof = d;
        }
    }
    if (!pick)
        return 0;
    l->replacement = pick->id;
    l->via = VIA_NAMED;
    l->path = proof ? PATH_DRILLED : plain_path(x, i, lost, pick);
    l->drilled_on = proof ? proof->drilled_on : NULL;
    return 1;
}

/* 2. Through the swap layer (or, for identity and tooling, their own
 * standard): an available offering of the same category with a compatible
 * interface, one the workload already uses first, then the smallest id. */
static void reachable_replacement(const eval_ctx *x, size_t i, const offering *lost,
                                  scenario_loss *l)
{
    const workload *w = &x->p->workloads[i];
    int standard = standard_role(l->role);
    if (!x->swap[i] && !standard) {
        l->via = MISSING_NO_SWAP_LAYER;
        return;
    }
    if (same_str(lost->interface, "proprietary")) {
        l->via = MISSING_PROPRIETARY;
        return;
    }
    if (!standard && w->n_features) {
        l->via = MISSING_FEATURES;
        return;
    }
    const offering *pick = NULL;
    for (size_t j = 0; j < x->p->n_offerings; j++) {
        const offering *o = &x->p->offerings[j];
        if (x->unavail[j] || o->id == lost->id || !same_str(o->category, lost->category) ||
            !compatible(lost, o))
            continue;
        if (!pick || (depends_on(w, o->id) && !depends_on(w, pick->id)))
            pick = o;
    }
    if (!pick) {
        l->via = MISSING_NO_CANDIDATE;
        return;
    }
    l->replacement = pick->id;
    l->via = standard ? VIA_STANDARD : VIA_SWAP_LAYER;
    l->path = plain_path(x, i, lost, pick);
}

static const char *offering_name(const portfolio *p, int64_t id)
{
    const offering *o = pf_offering(p, id);
    return o ? o->name : "an unknown offering";
}

/* The first named alternative of a dependency (all withdrawn, here). */
static const char *first_named(const portfolio *p, const workload *w, int64_t dep)
{
    for (size_t k = 0; k < w->n_alternatives; k++)
        if (w->alternatives[k].dependency == dep)
            return offering_name(p, w->alternatives[k].offering);
    return "";
}

/* One clause per withdrawn dependency: the replacement and why it is
 * reachable, or what is missing. */
static void loss_clause(const eval_ctx *x, const workload *w, const scenario_loss *l, buf *b)
{
    const portfolio *p = x->p;
    const offering *o = pf_offering(p, l->offering);
    const char *name = o ? o->name : "an unknown offering";
    const char *repl = offering_name(p, l->replacement);
    switch (l->via) {
    case VIA_NAMED:
        if (l->drilled_on)
            buf_printf(b, "%s moves to %s, its named alternative (exit drill passed on %s)", name,
                       repl, l->drilled_on);
        else
            buf_printf(b, "%s moves to %s, its named alternative (no exit drill proves it)", name,
                       repl);
        break;
    case VIA_SWAP_LAYER:
        buf_printf(b, "%s moves to %s through the swap layer (same category, compatible interface)",
                   name, repl);
        break;
    case VIA_STANDARD:
        buf_printf(b, "%s moves to %s (same category, same open standard)", name, repl);
        break;
    case MISSING_NAMED_WITHDRAWN:
        buf_printf(b, "%s has no reachable replacement: its named alternative %s is withdrawn "
                      "too", name, first_named(p, w, l->offering));
        break;
    case MISSING_NO_SWAP_LAYER:
        buf_printf(b, "%s has no reachable replacement: no named alternative and no swap layer",
                   name);
        break;
    case MISSING_PROPRIETARY:
        buf_printf(b, "%s has no reachable replacement: no named alternative, and nothing is "
                      "compatible with its proprietary interface", name);
        break;
    case MISSING_FEATURES:
        buf_printf(b, "%s has no reachable replacement: no named alternative, and the workload "
                      "relies on proprietary features (", name);
        for (size_t f = 0; f < w->n_features; f++)
            buf_printf(b, "%s%s", f ? ", " : "", w->features[f]);
        buf_puts(b, ")");
        break;
    default:
        buf_printf(b, "%s has no reachable replacement: no named alternative, and no available "
                      "%s offering has a compatible interface", name,
                   o ? o->category : "such");
        break;
    }
}

/* "Movable in 45 days: A moves to B, ...; C moves to D, ...." or
 * "Stranded: ...; C has no reachable replacement: ...". */
static const char *reason_text(const eval_ctx *x, const scenario_workload *r)
{
    buf b;
    buf_init(&b);
    if (r->outcome == OUTCOME_MOVABLE)
        buf_printf(&b, "Movable in %d days: ", r->migration_days);
    else
        buf_puts(&b, "Stranded: ");
    for (size_t k = 0; k < r->n_lost; k++) {
        if (k)
            buf_puts(&b, "; ");
        loss_clause(x, r->w, &r->lost[k], &b);
    }
    if (r->features)
        buf_printf(&b, "; %d proprietary feature%s %d days", r->features,
                   r->features == 1 ? " adds" : "s add", r->features * MIGRATE_PER_FEATURE);
    buf_puts(&b, ".");
    const char *out = buf_failed(&b) ? NULL : arena_strdup(x->a, b.data);
    buf_free(&b);
    return out;
}

int scenario_classify(eval_ctx *x, size_t i, size_t n_lost, scenario_workload *r)
{
    const workload *w = r->w;
    const portfolio *p = x->p;
    r->lost = arena_alloc(x->a, n_lost * sizeof *r->lost);
    if (!r->lost)
        return -1;
    int all = 1, path = PATH_DRILLED, moves_features = 0;
    for (size_t d = 0; d < w->n_dependencies; d++) {
        ptrdiff_t at = scenario_offering_at(p, w->dependencies[d].offering);
        if (at < 0 || !x->unavail[at])
            continue;
        int seen = 0;
        for (size_t k = 0; k < r->n_lost && !seen; k++)
            seen = r->lost[k].offering == p->offerings[at].id;
        if (seen)
            continue;
        scenario_loss *l = &r->lost[r->n_lost++];
        const offering *lost = &p->offerings[at];
        l->offering = lost->id;
        l->role = w->dependencies[d].role;
        l->path = PATH_PROPRIETARY;   /* no replacement: a rebuild */
        int had_named = 0;
        if (!named_replacement(x, i, lost, l, &had_named)) {
            reachable_replacement(x, i, lost, l);
            if (!l->replacement && had_named)
                l->via = MISSING_NAMED_WITHDRAWN;
        }
        all &= l->replacement != 0;
        if (l->path > path)
            path = l->path;
        /* Proprietary features go with model, hosting, assistant or data
         * offerings: an identity or tooling move alone carries none. */
        moves_features |= !standard_role(l->role);
    }
    r->outcome = all ? OUTCOME_MOVABLE : OUTCOME_STRANDED;
    r->features = moves_features ? (int)w->n_features : 0;
    r->migration_days = PATH_DAYS[path] + r->features * MIGRATE_PER_FEATURE;
    r->reason = reason_text(x, r);
    return r->reason ? 0 : -1;
}

static void later(int64_t *slot, int64_t day)
{
    if (day >= 0 && day > *slot)
        *slot = day;
}

static int64_t parsed_or(const char *date, int64_t fallback)
{
    int64_t day;
    return date && date_parse(date, &day) == 0 ? day : fallback;
}

/* The binding dates of one customer contract in force today that covers a
 * relied-on withdrawn offering; a contract the scenario ends on a date
 * binds no later than that date. */
static void contract_dates(eval_ctx *x, size_t c)
{
    const portfolio *p = x->p;
    const contract *k = &p->contracts[c];
    scenario_exit *e = &x->out->exit;
    int64_t end = contract_current_end(k, p->today);
    int64_t notice = p->deadline[c];
    int64_t excl = k->exclusive ? parsed_or(k->exclusive_until, end) : -1;
    int64_t commit = k->committed_spend > 0 ? parsed_or(k->committed_until, end) : -1;
    int64_t on = x->end_on[c];
    if (on >= 0) {
        notice = notice > on ? on : notice;
        excl = excl > on ? on : excl;
        commit = commit > on ? on : commit;
        later(&e->contract_end, on);
    }
    later(&e->notice_deadline, notice);
    later(&e->exclusivity_end, excl);
    later(&e->commitment_end, commit);
    if (k->notice_days > e->notice_days)
        e->notice_days = (int)k->notice_days;
}

void scenario_time_to_exit(eval_ctx *x)
{
    const portfolio *p = x->p;
    scenario_exit *e = &x->out->exit;
    e->notice_deadline = e->exclusivity_end = e->commitment_end = e->contract_end = -1;
    for (size_t c = 0; c < p->n_contracts; c++) {
        const contract *k = &p->contracts[c];
        if (!p->customer[c] || !p->active[c])
            continue;
        int binds = 0;
        for (size_t j = 0; j < k->n_offerings && !binds; j++) {
            ptrdiff_t at = scenario_offering_at(p, k->offerings[j]);
            binds = at >= 0 && x->relied[at];
        }
        if (binds)
            contract_dates(x, c);
    }
    e->binding_until = p->today;
    later(&e->binding_until, e->notice_deadline);
    later(&e->binding_until, e->exclusivity_end);
    later(&e->binding_until, e->commitment_end);
    later(&e->binding_until, e->contract_end);
    e->exit_on = e->binding_until + e->migration_days;
    e->days = (int)(e->exit_on - p->today);
}
