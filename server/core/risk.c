/* risk.c - the lock-in risk engine; see risk.h for the rules chosen. */
#include "core/risk.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/text.h"

const char *const RISK_CODES[RISK_FACTORS + 1] = {
    "single_group_stack", "no_swap_layer", "proprietary_interface", "contract_lock",
    "no_validated_alternative", "horizon", "data_gravity", NULL};
const int RISK_DEFAULT_WEIGHTS[RISK_FACTORS] = {25, 20, 15, 15, 10, 10, 5};
const char *const RISK_LEVELS[5] = {"low", "medium", "high", "critical", NULL};
const char *const RISK_RULES[RISK_FACTORS] = {
    "All model, hosting, assistant and data dependencies are sold by one vendor group (full "
    "points); by two groups, half the points rounded down; by three or more, none. Groups "
    "are counted over each dependency's provider; identity and tooling dependencies do not "
    "count.",
    "No agent layer or gateway can swap model and cloud without a rebuild.",
    "A model, assistant or data dependency has a proprietary interface, or the workload "
    "relies on proprietary features.",
    "A customer contract covering one of its offerings is exclusive, commits spend, has no "
    "exit clause, lacks data portability, or rates substitutability hard or none.",
    "No second model has been validated for the workload.",
    "A covering customer contract's notice deadline (current end minus notice period) falls "
    "within the next 90 days, or an upstream access term (licence, distribution or cloud "
    "priority) it depends on ends before its planned end; a production workload with no "
    "planned end counts as running beyond any term.",
    "Its data dependency is a proprietary store of the same vendor group that hosts it."};

void risk_default_weights(risk_weights *w)
{
    for (int i = 0; i < RISK_FACTORS; i++)
        w->points[i] = RISK_DEFAULT_WEIGHTS[i];
}

int risk_level_of(int score)
{
    return score >= 75 ? 3 : score >= 50 ? 2 : score >= 25 ? 1 : 0;
}

const char *const RISK_PRIORITIES[5] = {"P1", "P2", "P3", "P4", NULL};
/* [level][criticality], 0 = P1; domain.md "Priority". */
const int RISK_PRIORITY_MATRIX[4][4] = {
    /* low      */ {3, 3, 3, 2},
    /* medium   */ {3, 2, 2, 1},
    /* high     */ {2, 2, 1, 0},
    /* critical */ {2, 1, 0, 0},
};
const char RISK_FLAGGED_RULE[] =
    "A workload is flagged when it is in the active set, its priority is P1 or P2, and no "
    "unexpired risk acceptance covers it.";
const char RISK_ACTIVE_RULE[] =
    "Portfolio figures (flagged, level and priority lists and counts, concentration, "
    "strategy views, findings, summaries and reports) count workloads in pilot or "
    "production; proposed ones are the pipeline, retired ones history.";

int risk_priority(int level, const char *criticality)
{
    int c = criticality ? enum_index(CRITICALITIES, criticality) : -1;
    if (level < 0 || level > 3)
        level = 0;
    return RISK_PRIORITY_MATRIX[level][c < 0 || c > 3 ? 0 : c];
}

int risk_flagged(int active, int priority, int accepted)
{
    return active && priority <= 1 && !accepted;
}

int risk_accepted(const portfolio *p, const workload *w)
{
    (void)p;
    (void)w;
    return 0;   /* no acceptances are stored yet: see risk.h */
}

static const char *say(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *say(arena *a, const char *fmt, ...)
{
    char text[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return arena_strdup(a, text);
}

static void add(risk_result *r, int code, int points, const char *reason)
{
    if (points <= 0)
        return;
    risk_factor *f = &r->factors[r->n_factors++];
    f->code = code;
    f->points = points;
    f->reason = reason ? reason : "";
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

static int weighted_of_group(const portfolio *p, const dependency *d, const void *group)
{
    const offering *o = pf_offering(p, d->offering);
    return dependency_carries_weight(d->role) && o &&
           pf_group(p, o->provider) == *(const int64_t *)group;
}

#define MAX_NAMED 64

/* "Azure OpenAI for model, hosting; Azure AI Search for data" - the
 * weighted dependencies of a group, by offering name then id. */
static void describe_group(const portfolio *p, const workload *w, int64_t group, buf *out)
{
    const offering *list[MAX_NAMED];
    size_t n = offerings_sorted(p, w, weighted_of_group, &group, list, MAX_NAMED);
    for (size_t k = 0; k < n; k++) {
        buf_printf(out, "%s%s for ", k ? "; " : "", list[k]->name);
        int r = 0;
        for (size_t j = 0; j < w->n_dependencies; j++)
            if (w->dependencies[j].offering == list[k]->id &&
                dependency_carries_weight(w->dependencies[j].role))
                buf_printf(out, "%s%s", r++ ? ", " : "", w->dependencies[j].role);
    }
}

static void single_group(const portfolio *p, const workload *w, const risk_weights *wts,
                         arena *a, risk_result *r)
{
    int64_t groups[3] = {0, 0, 0};
    int n = 0;
    for (size_t i = 0; i < w->n_dependencies && n < 3; i++) {
        const offering *o = pf_offering(p, w->dependencies[i].offering);
        /* identity and tooling carry no weight (domain.md factor table). */
        if (!o || !dependency_carries_weight(w->dependencies[i].role))
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
    buf text;
    buf_init(&text);
    if (n == 1) {
        buf_printf(&text, "Every model, hosting, assistant and data dependency is sold by the %s "
                          "group: ", vendor_name(p, groups[0]));
        describe_group(p, w, groups[0], &text);
        buf_puts(&text, ".");
        add(r, RISK_SINGLE_GROUP, wts->points[RISK_SINGLE_GROUP], arena_strdup(a, text.data));
    } else {
        /* The two groups by name, so the sentence reads the same every time. */
        if (strcmp(vendor_name(p, groups[1]), vendor_name(p, groups[0])) < 0) {
            int64_t t = groups[0];
            groups[0] = groups[1];
            groups[1] = t;
        }
        buf_printf(&text, "Its model, hosting, assistant and data dependencies are sold by only "
                          "two vendor groups, %s (", vendor_name(p, groups[0]));
        describe_group(p, w, groups[0], &text);
        buf_printf(&text, ") and %s (", vendor_name(p, groups[1]));
        describe_group(p, w, groups[1], &text);
        buf_puts(&text, ").");
        add(r, RISK_SINGLE_GROUP, wts->points[RISK_SINGLE_GROUP] / 2, arena_strdup(a, text.data));
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
    (void)ctx;
    const offering *o = pf_offering(p, d->offering);
    return counts_for_interface(d->role) && o && strcmp(o->interface, "proprietary") == 0;
}

static void proprietary(const portfolio *p, const workload *w, const risk_weights *wts,
                        arena *a, risk_result *r)
{
    buf text;
    buf_init(&text);
    const offering *list[MAX_NAMED];
    size_t n = offerings_sorted(p, w, proprietary_dependency, NULL, list, MAX_NAMED);
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
        add(r, RISK_PROPRIETARY, wts->points[RISK_PROPRIETARY], arena_strdup(a, text.data));
    }
    buf_free(&text);
}

#define MAX_COVERING 256

static int lock_reasons(const contract *c, const char *why[5])
{
    int n = 0;
    if (c->exclusive)
        why[n++] = "is exclusive";
    if (c->committed_spend > 0)
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
    int n = lock_reasons(c, why);
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
    return say(a, "of \"%s\" is %s, in %lld days%s", c->name, day,
               (long long)(deadline - p->today),
               c->auto_renew ? " (without notice it renews automatically)" : "");
}

int risk_prepare(portfolio *p, arena *a)
{
    size_t nc = p->n_contracts;
    p->lock_text = arena_alloc(a, (nc + 1) * sizeof(char *));
    p->deadline_text = arena_alloc(a, (nc + 1) * sizeof(char *));
    if (!p->lock_text || !p->deadline_text)
        return -1;
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
} cause;

/* By date, then contract name, then id, then term: a stable order. */
static int by_cause(const void *a, const void *b)
{
    const cause *x = a, *y = b;
    if (x->when != y->when)
        return (x->when > y->when) - (x->when < y->when);
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    if (x->id != y->id)
        return (x->id > y->id) - (x->id < y->id);
    return (x->term > y->term) - (x->term < y->term);
}

static cause *causes_new(arena *a, size_t n)
{
    return arena_alloc(a, (n + 1) * sizeof(cause));
}

static void contract_lock(const portfolio *p, const size_t *covering, size_t n_covering,
                          const risk_weights *wts, arena *a, risk_result *r)
{
    /* Every locking contract is named, by name then id. */
    cause *list = causes_new(a, n_covering);
    if (!list)
        return;
    size_t n = 0;
    const char *why[5];
    for (size_t i = 0; i < n_covering; i++) {
        size_t c = covering[i];
        if (p->customer[c] && p->active[c] &&
            (p->lock_text ? p->lock_text[c] != NULL : lock_reasons(&p->contracts[c], why) > 0))
            list[n++] = (cause){c, 0, 0, p->contracts[c].name, p->contracts[c].id};
    }
    if (!n)
        return;
    qsort(list, n, sizeof *list, by_cause);
    buf text;
    buf_init(&text);
    buf_puts(&text, n == 1 ? "Covered by the contract " : "Covered by the contracts ");
    for (size_t k = 0; k < n; k++) {
        const contract *c = &p->contracts[list[k].index];
        const char *clause = p->lock_text ? p->lock_text[list[k].index] : lock_text(p, c, a);
        buf_printf(&text, "%s%s", k == 0 ? "" : k == n - 1 ? "; and " : "; ", clause ? clause : "");
    }
    buf_puts(&text, ".");
    add(r, RISK_CONTRACT_LOCK, wts->points[RISK_CONTRACT_LOCK],
        text.data ? arena_strdup(a, text.data) : NULL);
    buf_free(&text);
}

static int access_term(const char *kind)
{
    return strcmp(kind, "licence") == 0 || strcmp(kind, "distribution") == 0 ||
           strcmp(kind, "cloud_priority") == 0;
}

/* Customer contracts whose notice deadline falls in the window. */
static size_t near_deadlines(const portfolio *p, const size_t *covering, size_t n_covering,
                             cause *out)
{
    size_t n = 0;
    for (size_t i = 0; i < n_covering; i++) {
        size_t c = covering[i];
        int64_t deadline = p->deadline[c];
        if (!p->customer[c] || !p->active[c] || deadline < 0 || deadline < p->today ||
            deadline - p->today > RISK_HORIZON_DAYS)
            continue;
        out[n++] = (cause){c, deadline, 0, p->contracts[c].name, p->contracts[c].id};
    }
    qsort(out, n, sizeof *out, by_cause);
    return n;
}

/* Upstream access terms ending before the workload's planned end (or at
 * all, for a production workload with no planned end). */
static size_t ending_terms(const portfolio *p, const size_t *covering, size_t n_covering,
                           int64_t planned, int beyond_all, cause *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < n_covering; i++) {
        size_t ci = covering[i];
        const contract *c = &p->contracts[ci];
        if (p->customer[ci])
            continue;
        for (size_t t = 0; t < c->n_terms && n < cap; t++) {
            const contract_term *term = &c->terms[t];
            int64_t until;
            if (!access_term(term->kind) || !term->until || date_parse(term->until, &until) != 0)
                continue;
            if (!beyond_all && until >= planned)
                continue;
            out[n++] = (cause){ci, until, t, c->name, c->id};
        }
    }
    qsort(out, n, sizeof *out, by_cause);
    return n;
}

static void horizon(const portfolio *p, const workload *w, const size_t *covering,
                    size_t n_covering, const risk_weights *wts, arena *a, risk_result *r)
{
    int64_t planned = -1;
    int beyond_all = 0;
    if (w->planned_end)
        date_parse(w->planned_end, &planned);
    else if (strcmp(w->status, "production") == 0)
        beyond_all = 1;
    size_t term_cap = 0;
    for (size_t i = 0; i < n_covering; i++)
        term_cap += p->contracts[covering[i]].n_terms;
    cause *dl = causes_new(a, n_covering), *tm = causes_new(a, term_cap);
    if (!dl || !tm)
        return;
    size_t n_dl = near_deadlines(p, covering, n_covering, dl);
    size_t n_tm = (planned >= 0 || beyond_all)
                      ? ending_terms(p, covering, n_covering, planned, beyond_all, tm, term_cap)
                      : 0;
    if (!n_dl && !n_tm)
        return;
    /* Every deadline (soonest first) and every term (by end date), named. */
    buf text;
    buf_init(&text);
    for (size_t k = 0; k < n_dl; k++) {
        const char *clause = p->deadline_text && p->deadline_text[dl[k].index]
                                 ? p->deadline_text[dl[k].index]
                                 : deadline_text(p, &p->contracts[dl[k].index], dl[k].when, a);
        buf_printf(&text, "%s%s", k == 0 ? "The notice deadline " : "; the notice deadline ",
                   clause);
    }
    const char *why = beyond_all ? "while the workload is in production with no planned end"
                                 : "before the workload's planned end";
    for (size_t k = 0; k < n_tm; k++) {
        const contract *c = &p->contracts[tm[k].index];
        const contract_term *term = &c->terms[tm[k].term];
        buf_printf(&text, "%s\"%s\" of \"%s\", which ends on %s",
                   k > 0 ? "; the upstream term " : n_dl ? "; it relies on the upstream term "
                                                         : "It relies on the upstream term ",
                   term->text, c->name, term->until);
    }
    if (n_tm)
        buf_printf(&text, ", %s%s%s", why, beyond_all ? "" : " ", beyond_all ? "" : w->planned_end);
    buf_puts(&text, ".");
    add(r, RISK_HORIZON, wts->points[RISK_HORIZON], text.data ? arena_strdup(a, text.data) : NULL);
    buf_free(&text);
}

static void data_gravity(const portfolio *p, const workload *w, const risk_weights *wts,
                         arena *a, risk_result *r)
{
    /* Host groups: of hosting dependencies, else of model dependencies. */
    int64_t hosts[8];
    int n = 0;
    for (int pass = 0; pass < 2 && n == 0; pass++) {
        const char *role = pass == 0 ? "hosting" : "model";
        for (size_t i = 0; i < w->n_dependencies && n < 8; i++) {
            if (strcmp(w->dependencies[i].role, role) != 0)
                continue;
            const offering *o = pf_offering(p, w->dependencies[i].offering);
            if (o && o->host)
                hosts[n++] = pf_group(p, o->host);
        }
    }
    for (size_t i = 0; i < w->n_dependencies; i++) {
        if (strcmp(w->dependencies[i].role, "data") != 0)
            continue;
        const offering *o = pf_offering(p, w->dependencies[i].offering);
        if (!o || strcmp(o->interface, "proprietary") != 0)
            continue;
        int64_t g = pf_group(p, o->provider);
        for (int k = 0; k < n; k++)
            if (hosts[k] == g) {
                add(r, RISK_DATA_GRAVITY, wts->points[RISK_DATA_GRAVITY],
                    say(a, "Its data sits in %s, a proprietary store of the %s group, which "
                           "also hosts the workload.", o->name, vendor_name(p, g)));
                return;
            }
    }
}

void risk_assess(const portfolio *p, const workload *w, const risk_weights *wts,
                 arena *a, risk_result *out)
{
    memset(out, 0, sizeof *out);
    single_group(p, w, wts, a, out);
    if (!w->swap_layer)
        add(out, RISK_NO_SWAP, wts->points[RISK_NO_SWAP],
            "No agent layer or gateway can swap its model or cloud without a rebuild.");
    proprietary(p, w, wts, a, out);
    /* Room for every covering contract: usually a few, on the stack. */
    size_t stack[MAX_COVERING], *covering = stack, need = 0;
    for (size_t d = 0; d < w->n_dependencies && p->cover_count; d++) {
        const offering *o = pf_offering(p, w->dependencies[d].offering);
        if (o)
            need += p->cover_count[o - p->offerings];
    }
    if (need > MAX_COVERING && !(covering = arena_alloc(a, need * sizeof *covering))) {
        covering = stack;
        need = MAX_COVERING;
    }
    size_t n_covering = pf_workload_contracts(p, w, covering, need > MAX_COVERING ? need : MAX_COVERING);
    contract_lock(p, covering, n_covering, wts, a, out);
    if (!w->second_model_validated)
        add(out, RISK_NO_ALTERNATIVE, wts->points[RISK_NO_ALTERNATIVE],
            "No second model has been validated for it.");
    horizon(p, w, covering, n_covering, wts, a, out);
    data_gravity(p, w, wts, a, out);
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
