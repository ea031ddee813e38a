/* import_lifecycle.c - the `lifecycle` import kind: a vendor's published
 * model list saved as JSON (Azure's Models - List and its retirement
 * schedule table, Bedrock's ListFoundationModels, the models.dev
 * catalogue; core/lifecycle.c) updates the lifecycle of the catalogue
 * offerings it names: released, deprecated (a legacy model with no date:
 * as of the import's day), retires and successor (the replacement the
 * list names, when it maps to a catalogue offering), with the list's
 * documentation (or the URL it was fetched from) as source and the
 * import's day as as_of. A fact matches an offering by model version
 * within the vendor the list speaks for (Azure: Microsoft; Bedrock: Amazon
 * Web Services with the model's provider as publisher; models.dev: its
 * provider id). Models the catalogue does not have are listed as
 * unmatched, never created. The retirement dates and successors then feed
 * the `horizon` factor and the compliance findings. It changes the
 * catalogue, so only admins may apply it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "api/audit.h"
#include "api/imports.h"
#include "common/text.h"
#include "core/lifecycle.h"

#define UNMATCHED_LISTED 50

static const char *const SOURCES[] = {
    "https://learn.microsoft.com/en-us/rest/api/aifoundry/accountmanagement/models/list",
    "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ListFoundationModels.html",
    "https://models.dev/api.json",
    "https://learn.microsoft.com/en-us/azure/foundry/openai/concepts/model-retirement-schedule",
};

/* models.dev provider ids and the catalogue vendor each speaks for. */
static const char *const MODELS_DEV_PROVIDERS[][2] = {
    {"openai", "OpenAI"},       {"anthropic", "Anthropic"},     {"google", "Google"},
    {"google-vertex", "Google"}, {"mistral", "Mistral AI"},     {"deepseek", "DeepSeek"},
    {"cohere", "Cohere"},       {"azure", "Microsoft"},         {"amazon-bedrock", "Amazon Web Services"},
};

typedef struct lc_ctx {
    const offering *offs;
    size_t no;
    const vendor *vs;
    size_t nv;
    lifecycle_format fmt;
    const char *source;
    char today[11];
} lc_ctx;


static const char *text_or_empty(const char *s)
{
    return s ? s : "";
}

static const char *vendor_name(const lc_ctx *c, int64_t id)
{
    for (size_t i = 0; id && i < c->nv; i++)
        if (c->vs[i].id == id)
            return c->vs[i].name;
    return "";
}

static const offering *offering_by_id(const lc_ctx *c, int64_t id)
{
    for (size_t i = 0; id && i < c->no; i++)
        if (c->offs[i].id == id)
            return &c->offs[i];
    return NULL;
}

/* The catalogue vendor the fact's list speaks for, or NULL (unknown). */
static const char *list_vendor(const lc_ctx *c, const lifecycle_fact *f)
{
    if (c->fmt == LC_AZURE || c->fmt == LC_AZURE_RETIREMENTS)
        return "Microsoft";
    if (c->fmt == LC_BEDROCK)
        return "Amazon Web Services";
    for (size_t i = 0; i < sizeof MODELS_DEV_PROVIDERS / sizeof *MODELS_DEV_PROVIDERS; i++)
        if (!strcmp(MODELS_DEV_PROVIDERS[i][0], f->provider))
            return MODELS_DEV_PROVIDERS[i][1];
    return NULL;
}

/* The offering is sold by the list's vendor (and, on Bedrock, published
 * by the model's provider). */
static int in_scope(const lc_ctx *c, const offering *o, const lifecycle_fact *f)
{
    const char *v = list_vendor(c, f);
    if (!v || strcmp(vendor_name(c, o->provider), v) != 0)
        return 0;
    return c->fmt != LC_BEDROCK || !f->provider[0] ||
           strcasecmp(vendor_name(c, o->publisher), f->provider) == 0;
}

/* The offering the list's replacement names, among those of o's provider:
 * the same model version, else the latest version of that model name
 * ("gpt-5.1" -> "gpt-5.1 2025-11-13"), else an offering of that name. */
static const offering *successor_for(const lc_ctx *c, const offering *o, const char *name)
{
    const offering *best = NULL;
    size_t len = strlen(name);
    for (size_t i = 0; i < c->no; i++) {
        const offering *s = &c->offs[i];
        const char *mv = text_or_empty(s->model_version);
        if (s->id == o->id || s->provider != o->provider || !*mv)
            continue;
        if (!strcmp(mv, name))
            return s;
        if (!strncmp(mv, name, len) && mv[len] == ' ' &&
            (!best || strcmp(mv, best->model_version) > 0))
            best = s;
    }
    for (size_t i = 0; !best && i < c->no; i++)
        if (c->offs[i].id != o->id && !strcasecmp(c->offs[i].name, name))
            best = &c->offs[i];
    return best;
}

/* One matched offering into the plan (change or unchanged). */
static int plan_offering(import_result *r, const lc_ctx *c, const offering *o,
                         const lifecycle_fact *f, const offering *succ)
{
    arena *a = &r->plan.a;
    offering *next = arena_alloc(a, sizeof *next);
    if (!next)
        return -1;
    *next = *o;
    if (f->released[0])
        next->released = arena_strdup(a, f->released);
    if (f->retires[0])
        next->retires = arena_strdup(a, f->retires);
    if (f->deprecated[0])
        next->deprecated = arena_strdup(a, f->deprecated);
    else if (f->legacy && !o->deprecated)
        next->deprecated = arena_strdup(a, c->today);
    if (succ)
        next->successor = succ->id;
    plan_item *it = plan_add(&r->plan, PA_CHANGE);
    if (!it)
        return -1;
    it->entity = "offering";
    it->id = o->id;
    it->name = o->name;
    it->row = f->index + 1;
    it->payload = next;
    static const char *const keys[] = {"released", "deprecated", "retires"};
    const char *olds[] = {o->released, o->deprecated, o->retires};
    const char *news[] = {next->released, next->deprecated, next->retires};
    for (int i = 0; i < 3; i++)
        if (strcmp(text_or_empty(olds[i]), text_or_empty(news[i])) != 0)
            plan_change_add(&r->plan, it, keys[i], olds[i], news[i]);
    if (next->successor != o->successor) {
        const offering *was = offering_by_id(c, o->successor);
        plan_change_add(&r->plan, it, "successor", was ? was->name : NULL, succ->name);
    }
    if (it->n_changes == 0) {
        it->action = PA_UNCHANGED;
        r->plan.counts[PA_CHANGE]--;
        r->plan.counts[PA_UNCHANGED]++;
        return 0;
    }
    next->source = c->source;
    next->as_of = arena_strdup(a, c->today);
    plan_change_add(&r->plan, it, "source", o->source, next->source);
    plan_change_add(&r->plan, it, "as_of", o->as_of, next->as_of);
    return 0;
}

/* Why a fact matched nothing, for the dry run. */
static const char *unmatched_reason(arena *a, const lc_ctx *c, const lifecycle_fact *f)
{
    const char *v = list_vendor(c, f);
    if (!v)
        return arena_printf(a, "provider \"%s\" is not one the catalogue has", f->provider);
    /* On Bedrock the model's provider is the publisher: a family offering
     * (no version) of that publisher is worth naming. */
    for (size_t i = 0; c->fmt == LC_BEDROCK && f->provider[0] && i < c->no; i++) {
        const offering *o = &c->offs[i];
        if (!(o->model_version && *o->model_version) && in_scope(c, o, f) && o->publisher)
            return arena_printf(a, "no offering for this model version; the catalogue has only "
                                   "the family offering \"%s\"", o->name);
    }
    return arena_printf(a, "no %s offering has this model version", v);
}

static void write_unmatched(jw *w, const lifecycle_fact *f, const char *reason)
{
    jw_obj(w);
    jw_kint(w, "row", f->index + 1);
    jw_kstr(w, "model", f->key);
    jw_kstr(w, "provider", f->provider);
    jw_kstr(w, "reason", reason);
    jw_obj_end(w);
}

/* Plans every fact against the catalogue; the summary into w. */
static int plan_facts(import_result *r, const lc_ctx *c, const lifecycle_fact *facts, size_t n,
                      jw *w)
{
    arena *a = &r->plan.a;
    char *planned = calloc(c->no + 1, 1);
    int64_t matched = 0, unmatched = 0, succ_unmatched = 0;
    int rc = planned ? 0 : -1;
    jw_key(w, "unmatched");
    jw_arr(w);
    for (size_t k = 0; rc == 0 && k < n; k++) {
        int hit = 0;
        for (size_t i = 0; rc == 0 && i < c->no; i++) {
            const offering *o = &c->offs[i];
            if (!o->model_version || strcmp(o->model_version, facts[k].key) != 0 ||
                !in_scope(c, o, &facts[k]))
                continue;
            hit = 1;
            if (planned[i])
                continue;
            planned[i] = 1;
            const offering *succ = facts[k].successor[0] ? successor_for(c, o, facts[k].successor)
                                                         : NULL;
            if (facts[k].successor[0] && !succ)
                succ_unmatched++;
            rc = plan_offering(r, c, o, &facts[k], succ);
        }
        matched += hit;
        if (!hit && unmatched++ < UNMATCHED_LISTED)
            write_unmatched(w, &facts[k], unmatched_reason(a, c, &facts[k]));
    }
    jw_arr_end(w);
    jw_kint(w, "unmatched_total", unmatched);
    jw_kint(w, "matched", matched);
    jw_kint(w, "successors_unmatched", succ_unmatched);
    free(planned);
    return rc;
}

/* Every row of a list (offerings or vendors) into the arena. */
static int all_offerings(sy_db *db, arena *a, offering **out, size_t *n, store_err *err)
{
    list_query q = {.limit = 1, .sort = "id", .flagged = -1};
    int64_t total;
    if (store_offering_list(db, &q, a, out, n, &total, err) != ST_OK)
        return -1;
    q.limit = total > 0 ? total : 1;
    return store_offering_list(db, &q, a, out, n, &total, err) == ST_OK ? 0 : -1;
}

static int all_vendors(sy_db *db, arena *a, vendor **out, size_t *n, store_err *err)
{
    list_query q = {.limit = 1, .sort = "id", .flagged = -1};
    int64_t total;
    if (store_vendor_list(db, &q, a, out, n, &total, err) != ST_OK)
        return -1;
    q.limit = total > 0 ? total : 1;
    return store_vendor_list(db, &q, a, out, n, &total, err) == ST_OK ? 0 : -1;
}

static int lc_plan(sy_db *db, FILE *f, const import_opts *o, import_result *r)
{
    arena *a = &r->plan.a;
    json_error_t je;
    json_t *doc = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
    if (!doc)
        return import_malformed(r, je.line > 0 ? je.line : 1, je.column > 0 ? je.column : 1, je.text);
    if (!r->plan.keep)
        r->plan.keep = json_array();
    json_array_append_new(r->plan.keep, doc);
    lc_ctx c = {.offs = NULL};
    lifecycle_fact *facts;
    size_t n;
    lifecycle_error e;
    if (lifecycle_parse(doc, &c.fmt, &facts, &n, &e) != 0) {
        snprintf(r->pointer, sizeof r->pointer, "%s", e.pointer);
        return import_malformed(r, e.index + 1, 0, e.reason);
    }
    r->plan.rows = (int64_t)n;
    c.source = o->source_url ? o->source_url : SOURCES[c.fmt];
    date_format(clock_today(), c.today);
    offering *offs = NULL;
    vendor *vs = NULL;
    int rc = all_offerings(db, a, &offs, &c.no, &r->err) || all_vendors(db, a, &vs, &c.nv, &r->err)
                 ? -1
                 : 0;
    c.offs = offs;
    c.vs = vs;
    buf b;
    buf_init(&b);
    jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstr(&w, "format", lifecycle_format_name(c.fmt));
    jw_kint(&w, "models", (int64_t)n);
    if (rc == 0)
        rc = plan_facts(r, &c, facts, n, &w);
    jw_obj_end(&w);
    if (rc == 0 && !buf_failed(&b))
        r->plan.summary = arena_strdup(a, b.data);
    buf_free(&b);
    free(facts);
    return rc;
}

static int lc_apply(sy_db *db, const import_opts *o, import_result *r, const char *source,
                    const char *now)
{
    arena *a = &r->plan.a;
    for (size_t i = 0; i < r->plan.n; i++) {
        plan_item *it = r->plan.items[i];
        if (it->action != PA_CHANGE)
            continue;
        offering old, saved;
        const char *before;
        if (store_offering_get(db, it->id, a, &old, &r->err) != ST_OK ||
            !(before = entity_text(a, &OFFERING_DESC, &old, NULL)) ||
            store_offering_update(db, it->id, 0, it->payload, &r->err) != ST_OK ||
            store_offering_get(db, it->id, a, &saved, &r->err) != ST_OK ||
            audit_record(db, o->actor, "update", "offering", it->id, before,
                         entity_text(a, &OFFERING_DESC, &saved, NULL), &r->err) != ST_OK)
            return -1;
        for (size_t k = 0; k < it->n_changes; k++)
            if (import_provenance(db, "offering", it->id, it->changes[k].field, source, now,
                                  r->import_id, &r->err) != ST_OK)
                return -1;
    }
    return 0;
}

const import_kind IMPORT_LIFECYCLE = {"lifecycle", lc_plan, lc_apply, 1};
