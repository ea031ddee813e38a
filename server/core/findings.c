/* findings.c - strategy findings from rules; see findings.h. */
#include "core/findings.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/text.h"
#include "core/concentration.h"
#include "core/finding_action.h"

#define MAX_FINDINGS 8

static const char *track_title(const char *t)
{
    return strcmp(t, "copilot") == 0 ? "Copilot" : strcmp(t, "azure") == 0 ? "Azure"
         : strcmp(t, "openai") == 0 ? "OpenAI" : "other";
}

static int active_in(const workload *w, const char *track)
{
    return workload_active(w) && strcmp(w->track, track) == 0;
}

typedef struct ctx {
    const portfolio *p;
    const conc_sums *kept;     /* p's kept concentration sums, or NULL */
    const char *track;
    int64_t subject;           /* the contract of a deadline finding, or 0 */
    arena *a;
    finding *list;
    size_t n;
    int64_t *ids;              /* scratch: workload ids of the current rule */
    size_t n_ids;
} ctx;

static void emit(ctx *c, const char *code, const char *severity, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void emit(ctx *c, const char *code, const char *severity, const char *fmt, ...)
{
    if (c->n == MAX_FINDINGS)
        return;
    char text[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    finding *f = &c->list[c->n++];
    char key[96];
    if (c->subject)
        snprintf(key, sizeof key, "%s.%s.c%lld", code, c->track, (long long)c->subject);
    else
        snprintf(key, sizeof key, "%s.%s", code, c->track);
    f->key = arena_strdup(c->a, key);
    f->code = code;
    f->severity = severity;
    f->text = arena_strdup(c->a, text);
    f->n_workloads = c->n_ids;
    f->workloads = c->n_ids ? arena_alloc(c->a, c->n_ids * sizeof(int64_t)) : NULL;
    if (f->workloads)
        memcpy(f->workloads, c->ids, c->n_ids * sizeof(int64_t));
    else
        f->n_workloads = 0;
}

/* The first upstream licence term (in contract order) whose scope covers
 * one of the workload's model, hosting, assistant or data offerings:
 * Microsoft's licence to OpenAI models bears on Azure OpenAI, never on
 * OpenAI's own API (domain.md "Contract"). */
static const contract_term *licence_of(const portfolio *p, const workload *w,
                                       const contract **agreement)
{
    for (size_t ci = 0; ci < p->n_contracts; ci++) {
        const contract *c = &p->contracts[ci];
        if (p->customer[ci] || !p->active[ci])
            continue;
        for (size_t t = 0; t < c->n_terms; t++) {
            const contract_term *term = &c->terms[t];
            if (!term->until || strcmp(term->kind, "licence") != 0)
                continue;
            for (size_t d = 0; d < w->n_dependencies; d++) {
                const offering *o = pf_offering(p, w->dependencies[d].offering);
                if (o && dependency_carries_weight(w->dependencies[d].role) &&
                    term_in_scope(p, c, term, o)) {
                    *agreement = c;
                    return term;
                }
            }
        }
    }
    return NULL;
}

/* An offering selling the same publisher's models from another provider
 * group (e.g. OpenAI's models directly, beside Azure OpenAI). */
static const offering *direct_alternative(const portfolio *p, const workload *w)
{
    for (size_t d = 0; d < w->n_dependencies; d++) {
        const offering *o = pf_offering(p, w->dependencies[d].offering);
        if (!o || !o->publisher || strcmp(o->category, "model_api") != 0)
            continue;
        for (size_t k = 0; k < p->n_offerings; k++) {
            const offering *alt = &p->offerings[k];
            if (alt->id != o->id && alt->publisher == o->publisher &&
                strcmp(alt->category, o->category) == 0 &&
                pf_group(p, alt->provider) != pf_group(p, o->provider))
                return alt;
        }
    }
    return NULL;
}

static void rule_no_swap(ctx *c, const risk_result *risk, const char *track)
{
    const portfolio *p = c->p;
    const contract_term *licence = NULL;
    const contract *agreement = NULL;
    const offering *direct = NULL;
    int serious = 0;
    c->n_ids = 0;
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *w = &p->workloads[i];
        if (!active_in(w, track) || strcmp(w->status, "production") != 0 || w->swap_layer)
            continue;
        c->ids[c->n_ids++] = w->id;
        serious |= risk[i].level >= 2 || criticality_weight(w->criticality) >= 3;
        const contract *ag = NULL;
        const contract_term *l = licence_of(p, w, &ag);
        if (l && !licence) {
            licence = l;
            agreement = ag;
        }
        if (!direct)
            direct = direct_alternative(p, w);
    }
    if (!c->n_ids)
        return;
    buf b;
    buf_init(&b);
    buf_printf(&b, "%zu production workload%s on the %s track %s no swap layer",
               c->n_ids, c->n_ids == 1 ? "" : "s", track_title(track),
               c->n_ids == 1 ? "has" : "have");
    if (licence)
        buf_printf(&b, "; the licence %s rely on (\"%s\", %s) runs until %s",
                   c->n_ids == 1 ? "it would" : "they", licence->text, agreement->name,
                   licence->until);
    if (direct) {
        const vendor *v = pf_vendor(p, direct->provider);
        buf_printf(&b, ", and the same models are sold directly by %s (%s)",
                   v ? v->name : "another vendor", direct->name);
    }
    buf_puts(&b, ". Without a swap layer, moving them means a rebuild.");
    emit(c, "no_swap_layer", serious ? "high" : "medium", "%s", b.data ? b.data : "");
    buf_free(&b);
}

static void rule_concentration(ctx *c, const char *track)
{
    concentration conc;
    c->n_ids = 0;
    if (concentration_kept(c->p, c->kept, 1, 0, track, c->a, &conc) != 0)
        return;
    const conc_layer *l = &conc.layers[LAYER_PROVIDER];
    if (l->hhi <= 1800 || l->n_shares == 0)
        return;
    for (size_t i = 0; i < c->p->n_workloads; i++)
        if (active_in(&c->p->workloads[i], track))
            c->ids[c->n_ids++] = c->p->workloads[i].id;
    emit(c, "concentrated_spend", "medium",
         "Spend on the %s track is highly concentrated by provider: %s holds %.0f%% "
         "(HHI %.0f, above the 1,800 high band; %.1f effective providers).",
         track_title(track), l->shares[0].name, l->shares[0].share * 100.0, l->hhi,
         l->effective);
}

static int covers_track(const portfolio *p, const contract *c, const char *track)
{
    for (size_t i = 0; i < c->n_offerings; i++) {
        const offering *o = pf_offering(p, c->offerings[i]);
        if (o && strcmp(o->track, track) == 0)
            return 1;
    }
    return 0;
}

/* The active workloads at high or critical lock-in, each dependency's
 * offering as its index in p->offerings (-1: not in the catalogue), read
 * once for every contract whose deadline nears (rather than every workload
 * once per contract: 60% of a strategy view's time at 44,000 workloads). */
typedef struct exposed {
    size_t n;
    const workload **w;
    size_t *first;              /* [n + 1]: w[k]'s offerings are at */
    long *offering;             /* offering[first[k] .. first[k + 1]) */
} exposed;

static int exposed_build(const portfolio *p, const risk_result *risk, arena *a, exposed *e)
{
    size_t n = 0, deps = 0;
    for (size_t i = 0; i < p->n_workloads; i++)
        if (workload_active(&p->workloads[i]) && risk[i].level >= 2) {
            n++;
            deps += p->workloads[i].n_dependencies;
        }
    e->n = 0;
    e->w = arena_alloc(a, (n + 1) * sizeof *e->w);
    e->first = arena_alloc(a, (n + 1) * sizeof *e->first);
    e->offering = arena_alloc(a, (deps + 1) * sizeof *e->offering);
    if (!e->w || !e->first || !e->offering)
        return -1;
    size_t at = 0;
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *w = &p->workloads[i];
        if (!workload_active(w) || risk[i].level < 2)
            continue;
        e->w[e->n] = w;
        e->first[e->n++] = at;
        for (size_t d = 0; d < w->n_dependencies; d++) {
            const offering *o = pf_offering(p, w->dependencies[d].offering);
            e->offering[at++] = o ? (long)(o - p->offerings) : -1;
        }
    }
    e->first[e->n] = at;
    return 0;
}

/* The exposed workloads that depend on an offering ct covers, into c->ids
 * (covered: scratch, one byte per offering). */
static void exposed_covered(ctx *c, const exposed *e, const contract *ct, unsigned char *covered)
{
    const portfolio *p = c->p;
    memset(covered, 0, p->n_offerings + 1);
    for (size_t i = 0; i < ct->n_offerings; i++) {
        const offering *o = pf_offering(p, ct->offerings[i]);
        if (o)
            covered[o - p->offerings] = 1;
    }
    c->n_ids = 0;
    for (size_t k = 0; k < e->n; k++)
        for (size_t d = e->first[k]; d < e->first[k + 1]; d++) {
            long o = e->offering[d];
            if (o >= 0 ? covered[o]
                       : contract_covers(ct, e->w[k]->dependencies[d - e->first[k]].offering)) {
                c->ids[c->n_ids++] = e->w[k]->id;
                break;
            }
        }
}

static int rule_deadlines(ctx *c, const risk_result *risk, const char *track)
{
    const portfolio *p = c->p;
    exposed e = {0};
    unsigned char *covered = NULL;
    for (size_t k = 0; k < p->n_contracts && c->n < MAX_FINDINGS; k++) {
        const contract *ct = &p->contracts[k];
        if (strcmp(ct->kind, "customer") != 0 || !ct->auto_renew ||
            !contract_active(ct, p->today) || !covers_track(p, ct, track))
            continue;
        int64_t deadline = contract_notice_deadline(ct, p->today);
        if (deadline < p->today || deadline - p->today > RISK_HORIZON_DAYS)
            continue;
        if (!covered && (exposed_build(p, risk, c->a, &e) != 0 ||
                         !(covered = arena_alloc(c->a, p->n_offerings + 1))))
            return -1;
        exposed_covered(c, &e, ct, covered);
        if (!c->n_ids)
            continue;
        char day[11];
        date_format(deadline, day);
        c->subject = ct->id;
        emit(c, "deadline_lock_in", "high",
             "The notice deadline of \"%s\" is %s, in %lld days; it renews automatically "
             "for %lld months and %zu workload%s at high or critical lock-in depend on it. "
             "Decide before then whether to renew, renegotiate or prepare an exit.",
             ct->name, day, (long long)(deadline - p->today), (long long)ct->renewal_months,
             c->n_ids, c->n_ids == 1 ? "" : "s");
        c->subject = 0;
    }
    return 0;
}

static void rule_licence(ctx *c, const char *track)
{
    const portfolio *p = c->p;
    const contract_term *licence = NULL;
    const contract *agreement = NULL;
    c->n_ids = 0;
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *w = &p->workloads[i];
        if (!active_in(w, track))
            continue;
        const contract *ag = NULL;
        const contract_term *l = licence_of(p, w, &ag);
        int64_t until, planned;
        if (!l || date_parse(l->until, &until) != 0)
            continue;
        /* No planned end: it runs beyond every date (domain.md "horizon"). */
        int past = !w->planned_end || date_parse(w->planned_end, &planned) != 0 ||
                   planned > until;
        if (!past)
            continue;
        if (!licence) {
            licence = l;
            agreement = ag;
        }
        c->ids[c->n_ids++] = w->id;
    }
    if (!c->n_ids)
        return;
    emit(c, "licence_horizon", "medium",
         "%zu workload%s on the %s track rel%s on \"%s\" (%s) beyond %s, when that term "
         "ends: plan how %s will reach the same models after %s.",
         c->n_ids, c->n_ids == 1 ? "" : "s", track_title(track), c->n_ids == 1 ? "ies" : "y",
         licence->text, agreement->name, licence->until, c->n_ids == 1 ? "it" : "they",
         licence->until);
}

static void rule_openai_compatible(ctx *c, const char *track)
{
    const portfolio *p = c->p;
    c->n_ids = 0;
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *w = &p->workloads[i];
        if (!active_in(w, track))
            continue;
        for (size_t d = 0; d < w->n_dependencies; d++) {
            const offering *o = pf_offering(p, w->dependencies[d].offering);
            if (o && strcmp(w->dependencies[d].role, "model") == 0 &&
                strcmp(o->interface, "openai_compatible") == 0) {
                c->ids[c->n_ids++] = w->id;
                break;
            }
        }
    }
    if (!c->n_ids)
        return;
    /* Name up to three other-group OpenAI-compatible model offerings. */
    buf alts;
    buf_init(&alts);
    int named = 0;
    for (size_t k = 0; k < p->n_offerings && named < 3; k++) {
        const offering *o = &p->offerings[k];
        if (strcmp(o->category, "model_api") == 0 &&
            strcmp(o->interface, "openai_compatible") == 0 && strcmp(o->track, track) != 0) {
            buf_printf(&alts, "%s%s", named ? ", " : "", o->name);
            named++;
        }
    }
    emit(c, "openai_compatible", "info",
         "%zu workload%s on the %s track call%s models through an OpenAI-compatible "
         "interface, so %s could move to another offering or cloud%s%s%s with little change.",
         c->n_ids, c->n_ids == 1 ? "" : "s", track_title(track), c->n_ids == 1 ? "s" : "",
         c->n_ids == 1 ? "it" : "they", named ? " (for example " : "",
         named ? alts.data : "", named ? ")" : "");
    buf_free(&alts);
}

static void rule_flagged(ctx *c, const risk_result *risk, const char *track)
{
    const portfolio *p = c->p;
    c->n_ids = 0;
    for (size_t i = 0; i < p->n_workloads; i++)
        if (active_in(&p->workloads[i], track) && risk[i].flagged)
            c->ids[c->n_ids++] = p->workloads[i].id;
    if (!c->n_ids)
        return;
    emit(c, "flagged", c->n_ids > 2 ? "high" : "medium",
         "%zu workload%s on the %s track %s flagged for lock-in (priority P1 or P2: "
         "lock-in level joined with business criticality).",
         c->n_ids, c->n_ids == 1 ? "" : "s", track_title(track), c->n_ids == 1 ? "is" : "are");
}

int findings_for_track(const portfolio *p, const risk_result *risk, const char *track,
                       arena *a, finding **out, size_t *n)
{
    return findings_for_track_kept(p, risk, NULL, track, a, out, n);
}

int findings_for_track_kept(const portfolio *p, const risk_result *risk, const conc_sums *kept,
                            const char *track, arena *a, finding **out, size_t *n)
{
    ctx c = {p, kept, track, 0, a, NULL, 0, NULL, 0};
    c.list = arena_alloc(a, MAX_FINDINGS * sizeof(finding));
    c.ids = arena_alloc(a, (p->n_workloads + 1) * sizeof(int64_t));
    if (!c.list || !c.ids)
        return -1;
    if (rule_deadlines(&c, risk, track) != 0)
        return -1;
    rule_no_swap(&c, risk, track);
    rule_licence(&c, track);
    rule_concentration(&c, track);
    rule_flagged(&c, risk, track);
    rule_openai_compatible(&c, track);
    /* Most severe first, keeping the rules' order within a severity
     * (insertion sort: stable, and there are at most MAX_FINDINGS). */
    for (size_t i = 1; i < c.n; i++) {
        finding f = c.list[i];
        size_t k = i;
        for (; k > 0 && finding_severity_rank(c.list[k - 1].severity) >
                            finding_severity_rank(f.severity); k--)
            c.list[k] = c.list[k - 1];
        c.list[k] = f;
    }
    *out = c.list;
    *n = c.n;
    return 0;
}

int workload_crosses(const portfolio *p, const workload *w, const char *track)
{
    int own = strcmp(w->track, track) == 0;
    for (size_t d = 0; d < w->n_dependencies; d++) {
        const offering *o = pf_offering(p, w->dependencies[d].offering);
        if (!o || strcmp(w->dependencies[d].role, "identity") == 0)
            continue;
        if (own && strcmp(o->track, track) != 0)
            return 1;
        if (!own && strcmp(o->track, track) == 0)
            return 1;
    }
    return 0;
}
