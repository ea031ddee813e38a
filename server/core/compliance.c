/* compliance.c - compliance findings from rules; see compliance.h. */
#include "core/compliance.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/text.h"

const char *const COMPLIANCE_CODES[] = {"residency",      "residency_unknown",
                                        "model_retired",  "model_retiring",
                                        "ai_act_oversight", "exit_plan_untested",
                                        "ai_act_annex_iii", "ai_act_log_retention",
                                        "ai_act_fria",      "ai_act_incident_contact",
                                        "ai_act_information", NULL};

/* EU member states (ISO 3166-1 alpha-2; Greece as GR). */
static const char *const EU_STATES[] = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI",
                                        "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
                                        "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
                                        NULL};
static const char *const EEA_ONLY[] = {"IS", "LI", "NO", NULL};

static int in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (text_casecmp(s, *list) == 0)
            return 1;
    return 0;
}

int region_allowed(const char *region, const char *const *allowed, size_t n_allowed)
{
    for (size_t i = 0; i < n_allowed; i++) {
        const char *a = allowed[i];
        if (text_casecmp(region, a) == 0)
            return 1;
        int eu = text_casecmp(a, "EU") == 0, eea = text_casecmp(a, "EEA") == 0;
        if ((eu || eea) && in_list(region, EU_STATES))
            return 1;
        if (eea && (in_list(region, EEA_ONLY) || text_casecmp(region, "EU") == 0))
            return 1;
    }
    return 0;
}

typedef struct acc {
    const portfolio *p;
    arena *a;
    size_t keep;               /* ids kept per finding */
    const uint16_t *is;        /* per workload: its W_ facts and track bits */
    compliance_finding *items;
    size_t n, cap;
    int failed;
} acc;

/* The workloads a finding concerns: the first `listed` ids (at most the
 * accumulator's keep), how many there are in all, and their tracks. */
typedef struct concerned {
    const int64_t *ids;
    size_t listed, total;
    unsigned tracks;
} concerned;

unsigned compliance_track_bit(const char *track)
{
    int t = enum_index(TRACKS, track);
    return t < 0 ? 0u : 1u << t;
}

/* What the rules ask of each workload, worked out once per call (the
 * rules make seven passes over the workloads; comparing status,
 * classification and criticality strings in each was half their time). */
enum {
    W_ACTIVE = 1,              /* workload_active() */
    W_GUARDED = 2,             /* active, confidential or restricted data and
                                  allowed regions */
    W_RESTRICTED = 4,          /* guarded, restricted data */
    W_CRITICAL = 8,            /* active and critical */
    W_HIGH_RISK = 16,          /* active, AI Act tier high */
    W_TRACK_SHIFT = 5          /* then bit t + 5 for TRACKS[t] */
};

static uint16_t workload_facts(const workload *w)
{
    unsigned f = 0;
    if (workload_active(w)) {
        f |= W_ACTIVE;
        if (strcmp(w->criticality, "critical") == 0)
            f |= W_CRITICAL;
        if (w->n_allowed_regions && strcmp(w->data_classification, "restricted") == 0)
            f |= W_GUARDED | W_RESTRICTED;
        else if (w->n_allowed_regions && strcmp(w->data_classification, "confidential") == 0)
            f |= W_GUARDED;
        if (w->ai_act_tier && strcmp(w->ai_act_tier, "high") == 0)
            f |= W_HIGH_RISK;
    }
    f |= compliance_track_bit(w->track) << W_TRACK_SHIFT;
    return (uint16_t)f;
}

/* 1 when w (a workload of the portfolio) has every fact of need. */
static int has(const acc *c, const workload *w, unsigned need)
{
    return (c->is[w - c->p->workloads] & need) == need;
}

static unsigned track_bit(const acc *c, const workload *w)
{
    return (unsigned)c->is[w - c->p->workloads] >> W_TRACK_SHIFT;
}

static concerned one(const acc *c, const workload *w)
{
    return (concerned){&w->id, 1, 1, track_bit(c, w)};
}

/* total ids, of which the first keep are listed. */
static concerned some(const acc *c, const int64_t *ids, size_t total, unsigned tracks)
{
    return (concerned){ids, total < c->keep ? total : c->keep, total, tracks};
}


/* Adds a finding about the given workloads (the listed ids copied). */
static void add(acc *c, const char *key, const char *code, const char *severity,
                const char *title, const char *detail, const char *action, concerned who)
{
    if (c->failed)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        compliance_finding *grown = arena_alloc(c->a, cap * sizeof *grown);
        if (!grown) {
            c->failed = 1;
            return;
        }
        if (c->n)
            memcpy(grown, c->items, c->n * sizeof *grown);
        c->items = grown;
        c->cap = cap;
    }
    compliance_finding *f = &c->items[c->n++];
    f->key = key;
    f->code = code;
    f->severity = severity;
    f->title = title;
    f->detail = detail;
    f->action = action;
    f->n_workloads = who.total;
    f->n_listed = who.listed;
    f->tracks = who.tracks;
    f->workloads = arena_alloc(c->a, (who.listed + 1) * sizeof(int64_t));
    if (!f->workloads || !key || !detail || !action) {
        c->failed = 1;
        return;
    }
    if (who.listed)
        memcpy(f->workloads, who.ids, who.listed * sizeof(int64_t));
    const workload *w = who.listed ? pf_workload(c->p, who.ids[0]) : NULL;
    f->first = w ? w->name : "";
}

static void join_regions(buf *b, const char *const *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_printf(b, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", r[i]);
}

static const char *vendor_name(const portfolio *p, int64_t id)
{
    const vendor *v = pf_vendor(p, id);
    return v ? v->name : "an unknown vendor";
}

static int by_name(const void *x, const void *y)
{
    const workload *a = *(const workload *const *)x, *b = *(const workload *const *)y;
    int k = strcmp(a->name, b->name);
    return k ? k : (a->id > b->id) - (a->id < b->id);
}

/* Offerings that process the data only outside the allowed regions: one
 * finding per workload and offering. */
static void residency(acc *c, const workload *w)
{
    if (!has(c, w, W_GUARDED))
        return;
    int restricted = has(c, w, W_RESTRICTED);
    for (size_t d = 0; d < w->n_dependencies; d++) {
        const offering *o = pf_offering(c->p, w->dependencies[d].offering);
        int seen = 0;
        for (size_t k = 0; k < d && !seen; k++)
            seen = w->dependencies[k].offering == w->dependencies[d].offering;
        if (!o || seen || !dependency_carries_weight(w->dependencies[d].role) || !o->n_regions)
            continue;
        int inside = 0;
        for (size_t r = 0; r < o->n_regions && !inside; r++)
            inside = region_allowed(o->regions[r], w->allowed_regions, w->n_allowed_regions);
        if (inside)
            continue;
        buf where, allowed;
        buf_init(&where);
        buf_init(&allowed);
        join_regions(&where, o->regions, o->n_regions);
        join_regions(&allowed, w->allowed_regions, w->n_allowed_regions);
        add(c, arena_printf(c->a, "residency.w%lld.o%lld", (long long)w->id, (long long)o->id),
            "residency", restricted ? "high" : "medium",
            "Data processed outside its allowed regions",
            arena_printf(c->a, "\"%s\" sends %s data to %s, which processes it only in %s, outside its "
                      "allowed regions (%s).", w->name, w->data_classification, o->name,
                where.data, allowed.data),
            arena_printf(c->a, "Move \"%s\" to an offering that processes data in %s, or have the data "
                      "owner approve the transfer and widen its allowed regions.", w->name,
                allowed.data),
            one(c, w));
        buf_free(&where);
        buf_free(&allowed);
    }
}

/* The guarded workloads with restricted data, by name (by_name is a total
 * order, so any subset of it keeps that order): once per pass, not once
 * per vendor (40 vendors x 100,000 workloads was most of an uncached
 * summary). Returns how many. */
static size_t restricted_by_name(const acc *c, const workload **out)
{
    const portfolio *p = c->p;
    size_t n = 0;
    for (size_t k = 0; k < p->n_workloads; k++)
        if (c->is[k] & W_RESTRICTED)
            out[n++] = &p->workloads[k];
    qsort(out, n, sizeof *out, by_name);
    return n;
}

typedef struct hq_ctx {
    const portfolio *p;
    const vendor *v;
} hq_ctx;

/* Restricted data of w goes to an offering v provides, and v is
 * headquartered outside w's allowed regions. */
static int sends_abroad(const workload *w, const void *ctx)
{
    const hq_ctx *h = ctx;
    if (region_allowed(h->v->country, w->allowed_regions, w->n_allowed_regions))
        return 0;
    for (size_t d = 0; d < w->n_dependencies; d++) {
        const offering *o = pf_offering(h->p, w->dependencies[d].offering);
        if (o && o->provider == h->v->id && dependency_carries_weight(w->dependencies[d].role))
            return 1;
    }
    return 0;
}

/* Workloads per offering, each once, sorted by name within an offering:
 * for the offering-grouped findings, built in one pass over the workloads
 * (not one pass per offering). keep() says which of a workload's
 * dependencies count; wanted (by index in p->offerings; NULL: all) which
 * offerings are grouped at all, so that a finding about a few offerings
 * does not sort the workloads of every other (a third of the summary's
 * time at 44,000 workloads). */
typedef struct by_offering {
    size_t *start;             /* n_offerings + 1 offsets into list */
    const workload **list;
} by_offering;

static int group_by_offering(acc *c, unsigned need,
                             int (*keep)(const dependency *), const unsigned char *wanted,
                             by_offering *out)
{
    const portfolio *p = c->p;
    size_t no = p->n_offerings;
    size_t *start = arena_alloc(c->a, (no + 2) * sizeof *start);
    size_t *fill = arena_alloc(c->a, (no + 1) * sizeof *fill);
    if (!start || !fill)
        return -1;
    memset(start, 0, (no + 2) * sizeof *start);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < p->n_workloads; k++) {
            const workload *w = &p->workloads[k];
            if ((c->is[k] & need) != need)
                continue;
            for (size_t d = 0; d < w->n_dependencies; d++) {
                const offering *o = pf_offering(p, w->dependencies[d].offering);
                if (!o || (wanted && !wanted[o - p->offerings]) || !keep(&w->dependencies[d]))
                    continue;
                int repeat = 0; /* the same offering in two roles counts once */
                for (size_t e = 0; e < d && !repeat; e++)
                    repeat = w->dependencies[e].offering == o->id && keep(&w->dependencies[e]);
                if (repeat)
                    continue;
                size_t i = (size_t)(o - p->offerings);
                if (pass == 0)
                    start[i + 1]++;
                else
                    out->list[fill[i]++] = w;
            }
        }
        if (pass == 0) {
            for (size_t i = 0; i < no; i++)
                start[i + 1] += start[i];
            out->list = arena_alloc(c->a, (start[no] + 1) * sizeof *out->list);
            if (!out->list)
                return -1;
            memcpy(fill, start, (no + 1) * sizeof *fill);
        }
    }
    for (size_t i = 0; i < no; i++)
        qsort(out->list + start[i], start[i + 1] - start[i], sizeof *out->list, by_name);
    out->start = start;
    return 0;
}

/* The workloads of offering i, their ids into ids. */
static concerned offering_ids(const acc *c, const by_offering *g, size_t i, int64_t *ids)
{
    size_t n = g->start[i + 1] - g->start[i];
    unsigned tracks = 0;
    for (size_t k = 0; k < n; k++) {
        const workload *w = g->list[g->start[i] + k];
        ids[k] = w->id;
        tracks |= track_bit(c, w);
    }
    return some(c, ids, n, tracks);
}

static int carries_data(const dependency *d)
{
    return dependency_carries_weight(d->role);
}

static int is_model(const dependency *d)
{
    return strcmp(d->role, "model") == 0;
}

/* Offerings with no recorded regions (per offering) and providers
 * headquartered outside the allowed regions of restricted data (per
 * provider): grouped, so one gap reads as one finding. */
static void residency_groups(acc *c)
{
    const portfolio *p = c->p;
    const workload **restricted = arena_alloc(c->a, (p->n_workloads + 1) * sizeof *restricted);
    int64_t *ids = arena_alloc(c->a, (p->n_workloads + 1) * sizeof *ids);
    if (!restricted || !ids) {
        c->failed = 1;
        return;
    }
    size_t n_restricted = restricted_by_name(c, restricted);
    by_offering g = {NULL, NULL};
    unsigned char *unrecorded = arena_alloc(c->a, p->n_offerings + 1);
    if (!unrecorded) {
        c->failed = 1;
        return;
    }
    for (size_t i = 0; i < p->n_offerings; i++)
        unrecorded[i] = p->offerings[i].n_regions == 0;
    if (group_by_offering(c, W_GUARDED, carries_data, unrecorded, &g) != 0) {
        c->failed = 1;
        return;
    }
    for (size_t i = 0; i < p->n_offerings; i++) {
        const offering *o = &p->offerings[i];
        if (o->n_regions)
            continue;
        concerned who = offering_ids(c, &g, i, ids);
        size_t n = who.total;
        if (n)
            add(c, arena_printf(c->a, "residency_unknown.o%lld", (long long)o->id),
                "residency_unknown", "low", "Processing regions not recorded",
                arena_printf(c->a, "%zu workload%s with confidential or restricted data and allowed "
                          "regions send%s it to %s, whose processing regions are not "
                          "recorded.", n, n == 1 ? "" : "s", n == 1 ? "s" : "", o->name),
                arena_printf(c->a, "Record where %s processes data, with its source, or confirm the "
                          "vendor's data residency terms.", o->name),
                who);
    }
    for (size_t i = 0; i < p->n_vendors; i++) {
        const vendor *v = &p->vendors[i];
        if (!v->country || !v->country[0])
            continue;
        hq_ctx h = {p, v};
        size_t n = 0;
        unsigned tracks = 0;
        for (size_t k = 0; k < n_restricted; k++)
            if (sends_abroad(restricted[k], &h)) {
                ids[n++] = restricted[k]->id;
                tracks |= track_bit(c, restricted[k]);
            }
        if (n)
            add(c, arena_printf(c->a, "residency_hq.v%lld", (long long)v->id),
                "residency", "medium", "Restricted data with a provider headquartered elsewhere",
                arena_printf(c->a, "%zu workload%s send%s restricted data to offerings of %s, "
                          "headquartered in %s, outside %s allowed regions.", n,
                    n == 1 ? "" : "s", n == 1 ? "s" : "", v->name, v->country,
                    n == 1 ? "its" : "their"),
                arena_printf(c->a, "Have the data protection officer confirm that %s's exposure to "
                          "foreign authorities is acceptable for restricted data, or move "
                          "the data to a provider headquartered in an allowed region.",
                    v->name),
                some(c, ids, n, tracks));
    }
}


/* 1 when offering o's retirement calls for a finding: it is past, or near
 * (COMPLIANCE_RETIRE_DAYS) with no successor named; *day and *past set. */
static int retirement_due(const portfolio *p, const offering *o, int64_t *day, int *past)
{
    if (!o->retires || date_parse(o->retires, day) != 0)
        return 0;
    *past = *day < p->today;
    return *past || (!o->successor && *day - p->today <= COMPLIANCE_RETIRE_DAYS);
}

/* Retired or soon retiring models: one finding per offering, naming every
 * active workload that depends on it as a model. */
static void retirement(acc *c)
{
    const portfolio *p = c->p;
    unsigned char *due = arena_alloc(c->a, p->n_offerings + 1);
    if (!due) {
        c->failed = 1;
        return;
    }
    size_t n_due = 0;
    int64_t day;
    int past;
    for (size_t i = 0; i < p->n_offerings; i++)
        n_due += due[i] = (unsigned char)retirement_due(p, &p->offerings[i], &day, &past);
    if (!n_due)
        return;
    int64_t *ids = arena_alloc(c->a, (p->n_workloads + 1) * sizeof *ids);
    by_offering g = {NULL, NULL};
    if (!ids || group_by_offering(c, W_ACTIVE, is_model, due, &g) != 0) {
        c->failed = 1;
        return;
    }
    for (size_t i = 0; i < p->n_offerings; i++) {
        const offering *o = &p->offerings[i];
        if (!due[i] || !retirement_due(p, o, &day, &past))
            continue;
        concerned who = offering_ids(c, &g, i, ids);
        size_t n = who.total;
        if (!n)
            continue;
        const offering *next = o->successor ? pf_offering(p, o->successor) : NULL;
        if (past)
            add(c, arena_printf(c->a, "model_retired.o%lld", (long long)o->id),
                "model_retired", "high", "Model past its retirement date",
                arena_printf(c->a, "%s retired on %s; %zu active workload%s still depend%s on it.",
                    o->name, o->retires, n, n == 1 ? "" : "s", n == 1 ? "s" : ""),
                next ? arena_printf(c->a, "Move %s to %s now.", n == 1 ? "it" : "them", next->name)
                     : arena_printf(c->a, "Choose a replacement model and move %s now.",
                           n == 1 ? "it" : "them"),
                who);
        else
            add(c, arena_printf(c->a, "model_retiring.o%lld", (long long)o->id),
                "model_retiring", "medium", "Model retiring with no successor planned",
                arena_printf(c->a, "%s retires on %s, in %lld days, and no successor is named; %zu active "
                          "workload%s depend%s on it.", o->name, o->retires,
                    (long long)(day - p->today), n, n == 1 ? "" : "s", n == 1 ? "s" : ""),
                arena_printf(c->a, "Name the successor model, then test and schedule the move before %s.",
                    o->retires),
                who);
    }
}

static void ai_act(acc *c, const workload *w)
{
    if (!has(c, w, W_HIGH_RISK))
        return;
    int owner = w->oversight_owner && w->oversight_owner[0];
    /* On file: its day, or the deployer found none is required (Art. 27(1)). */
    int fria = w->impact_assessment != NULL ||
               (w->fria_status && strcmp(w->fria_status, "not_required") == 0);
    if (owner && fria)
        return;
    add(c, arena_printf(c->a, "ai_act_oversight.w%lld", (long long)w->id),
        "ai_act_oversight", "high", "High-risk AI system without oversight on file",
        arena_printf(c->a, "\"%s\" is a high-risk AI system under the EU AI Act and has %s%s%s.",
            w->name, owner ? "" : "no human-oversight owner",
            !owner && !fria ? " and " : "",
            fria ? "" : "no fundamental-rights impact assessment on file"),
        arena_printf(c->a, "Name the person who oversees \"%s\" and record the date of its "
                  "fundamental-rights impact assessment (AI Act Art. 26 and 27).", w->name),
        one(c, w));
}

/* The rest of the deployer register of a high-risk system (AI Act Art. 26
 * and 27, Annex III): one finding per gap and workload. */
static void ai_act_register(acc *c, const workload *w)
{
    if (!has(c, w, W_HIGH_RISK))
        return;
    if (!w->annex_iii_area || !w->annex_iii_area[0])
        add(c, arena_printf(c->a, "ai_act_annex_iii.w%lld", (long long)w->id), "ai_act_annex_iii", "high", "High-risk AI system without its Annex III area",
            arena_printf(c->a, "\"%s\" is recorded as high-risk under the EU AI Act but names no Annex III "
                      "area.", w->name),
            arena_printf(c->a, "Record the Annex III area \"%s\" falls under (Regulation (EU) 2024/1689, "
                      "Annex III points 1 to 8), or correct its risk tier.", w->name),
            one(c, w));
    if (w->log_retention_months < AI_ACT_MIN_LOG_MONTHS)
        add(c, arena_printf(c->a, "ai_act_log_retention.w%lld", (long long)w->id), "ai_act_log_retention", "high", "Logs of a high-risk AI system kept too briefly",
            w->log_retention_months
                ? arena_printf(c->a, "\"%s\" keeps its logs for %lld month%s; a deployer of a high-risk "
                            "AI system keeps them for at least %d months (AI Act Art. 26(6)).",
                      w->name, (long long)w->log_retention_months,
                      w->log_retention_months == 1 ? "" : "s", AI_ACT_MIN_LOG_MONTHS)
                : arena_printf(c->a, "\"%s\" has no log retention period recorded; a deployer of a "
                            "high-risk AI system keeps its logs for at least %d months (AI Act "
                            "Art. 26(6)).", w->name, AI_ACT_MIN_LOG_MONTHS),
            arena_printf(c->a, "Keep the logs of \"%s\" for at least %d months (longer where financial "
                      "services law asks) and record the period.", w->name,
                AI_ACT_MIN_LOG_MONTHS),
            one(c, w));
    if (w->fria_status && strcmp(w->fria_status, "planned") == 0)
        add(c, arena_printf(c->a, "ai_act_fria.w%lld", (long long)w->id), "ai_act_fria", "medium", "Fundamental-rights impact assessment not done",
            arena_printf(c->a, "The fundamental-rights impact assessment of \"%s\" is planned but not "
                      "done; it is due before first use (AI Act Art. 27).", w->name),
            arena_printf(c->a, "Carry out the impact assessment of \"%s\", notify the market surveillance "
                      "authority of its results and record its day.", w->name),
            one(c, w));
    if (!w->incident_contact || !w->incident_contact[0])
        add(c, arena_printf(c->a, "ai_act_incident_contact.w%lld", (long long)w->id), "ai_act_incident_contact", "medium", "No incident contact for a high-risk AI system",
            arena_printf(c->a, "\"%s\" names nobody who reports serious incidents to its provider and the "
                      "market surveillance authority (AI Act Art. 26(5)).", w->name),
            arena_printf(c->a, "Name the incident contact of \"%s\" (person or desk and mailbox).",
                w->name),
            one(c, w));
    if (!w->persons_informed)
        add(c, arena_printf(c->a, "ai_act_information.w%lld", (long long)w->id), "ai_act_information", "low", "Affected persons not informed",
            arena_printf(c->a, "Nothing records that the persons \"%s\" makes or helps make decisions "
                      "about were informed that a high-risk AI system is used (AI Act "
                      "Art. 26(11)).", w->name),
            arena_printf(c->a, "Inform the persons concerned (e.g. in the application form or decision "
                      "letter) and record the day for \"%s\".", w->name),
            one(c, w));
}

/* Critical workloads covered by a customer contract whose exit plan was
 * never tested: one finding per contract. Each critical workload's
 * covering contracts are found once (not once per contract): the
 * workloads are counted per contract, then the first keep of each placed,
 * in portfolio order (placing every one scattered a quarter of a million
 * ids at 44,000 workloads, a third of the findings' time, for lists the
 * summary cuts to 20). */
typedef struct exit_tally {
    unsigned char *untested;   /* per contract: a customer contract in force
                                  whose exit plan was never tested */
    size_t *count;             /* per contract: its critical workloads */
    size_t *start, *fill;      /* per contract: where its listed ids go */
    unsigned *tracks;          /* per contract: their tracks */
    int64_t *ids;
} exit_tally;

/* Pass 0 counts per contract; pass 1 places the first keep ids of each. */
static void exit_pass(const acc *c, exit_tally *t, size_t *cov, int pass)
{
    const portfolio *p = c->p;
    for (size_t i = 0; i < p->n_workloads; i++) {
        if (!(c->is[i] & W_CRITICAL))
            continue;
        const workload *w = &p->workloads[i];
        unsigned tracks = track_bit(c, w);
        size_t m = pf_workload_contracts(p, w, cov, p->n_contracts);
        for (size_t j = 0; j < m; j++) {
            size_t ci = cov[j];
            if (!t->untested[ci])
                continue;
            if (pass == 0) {
                t->count[ci]++;
                t->tracks[ci] |= tracks;
            } else if (t->fill[ci] < t->start[ci + 1]) {
                t->ids[t->fill[ci]++] = w->id;
            }
        }
    }
}

static void exit_plans(acc *c)
{
    const portfolio *p = c->p;
    size_t nc = p->n_contracts;
    exit_tally t;
    size_t *cov = arena_alloc(c->a, (nc + 1) * sizeof *cov);
    t.count = arena_alloc(c->a, (nc + 1) * sizeof *t.count);
    t.start = arena_alloc(c->a, (nc + 1) * sizeof *t.start);
    t.fill = arena_alloc(c->a, (nc + 1) * sizeof *t.fill);
    t.tracks = arena_alloc(c->a, (nc + 1) * sizeof *t.tracks);
    t.untested = arena_alloc(c->a, nc + 1);
    if (!cov || !t.count || !t.start || !t.fill || !t.tracks || !t.untested) {
        c->failed = 1;
        return;
    }
    size_t any = 0;
    for (size_t ci = 0; ci < nc; ci++)
        any += t.untested[ci] = p->customer[ci] && p->active[ci] &&
                                !p->contracts[ci].exit_plan_tested;
    if (!any)
        return;
    memset(t.count, 0, (nc + 1) * sizeof *t.count);
    memset(t.tracks, 0, (nc + 1) * sizeof *t.tracks);
    exit_pass(c, &t, cov, 0);
    t.start[0] = 0;
    for (size_t ci = 0; ci < nc; ci++)
        t.start[ci + 1] = t.start[ci] + (t.count[ci] < c->keep ? t.count[ci] : c->keep);
    t.ids = arena_alloc(c->a, (t.start[nc] + 1) * sizeof *t.ids);
    if (!t.ids) {
        c->failed = 1;
        return;
    }
    memcpy(t.fill, t.start, (nc + 1) * sizeof *t.fill);
    exit_pass(c, &t, cov, 1);
    for (size_t ci = 0; ci < nc; ci++) {
        const contract *k = &p->contracts[ci];
        size_t n = t.count[ci];
        if (!n)
            continue;
        add(c, arena_printf(c->a, "exit_plan_untested.c%lld", (long long)k->id),
            "exit_plan_untested", "medium", "Critical workloads on a contract with no tested exit plan",
            arena_printf(c->a, "\"%s\" with %s covers %zu critical workload%s and its exit plan has %s.",
                k->name, vendor_name(p, k->counterparty), n, n == 1 ? "" : "s",
                k->exit_plan && k->exit_plan[0] ? "never been tested" : "not been written"),
            arena_printf(c->a, "%s the exit plan of \"%s\" and record the date it was tested.",
                k->exit_plan && k->exit_plan[0] ? "Test" : "Write and test", k->name),
            some(c, t.ids + t.start[ci], n, t.tracks[ci]));
    }
}

static int severity_rank(const char *s)
{
    return strcmp(s, "high") == 0 ? 0 : strcmp(s, "medium") == 0 ? 1 : 2;
}

static int by_finding(const void *x, const void *y)
{
    const compliance_finding *a = x, *b = y;
    int k = severity_rank(a->severity) - severity_rank(b->severity);
    if (k)
        return k;
    k = enum_index(COMPLIANCE_CODES, a->code) - enum_index(COMPLIANCE_CODES, b->code);
    if (k)
        return k;
    k = strcmp(a->first, b->first);
    return k ? k : strcmp(a->detail, b->detail);
}

int compliance_findings(const portfolio *p, size_t keep, arena *a, compliance_finding **out,
                        size_t *n)
{
    uint16_t *is = arena_alloc(a, (p->n_workloads + 1) * sizeof *is);
    if (!is)
        return -1;
    for (size_t i = 0; i < p->n_workloads; i++)
        is[i] = workload_facts(&p->workloads[i]);
    acc c = {p, a, keep, is, NULL, 0, 0, 0};
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *w = &p->workloads[i];
        if (!(is[i] & W_ACTIVE))
            continue;
        residency(&c, w);
        ai_act(&c, w);
        ai_act_register(&c, w);
    }
    residency_groups(&c);
    retirement(&c);
    exit_plans(&c);
    if (c.failed)
        return -1;
    if (c.n)
        qsort(c.items, c.n, sizeof *c.items, by_finding);
    *out = c.items;
    *n = c.n;
    return 0;
}
