/* import_lifecycle.c - the `lifecycle` import kind: a vendor's published
 * model list saved as JSON (Azure's Models - List, Bedrock's
 * ListFoundationModels, the models.dev catalogue; core/lifecycle.c)
 * updates the lifecycle dates of the catalogue offerings whose
 * model_version it names: released, deprecated (Bedrock LEGACY: as of the
 * import's day, when no date is known), retires (Azure's
 * deprecation.inference), with the list's documentation as source and the
 * import's day as as_of. The retirement dates then feed the `horizon`
 * factor and the compliance findings. Models the catalogue does not have
 * are counted in the summary, not created. It changes the catalogue, so
 * only admins may apply it. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/audit.h"
#include "api/imports.h"
#include "common/text.h"
#include "core/lifecycle.h"

static const char *const SOURCES[] = {
    "https://learn.microsoft.com/en-us/rest/api/aifoundry/accountmanagement/models/list",
    "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ListFoundationModels.html",
    "https://models.dev/api.json",
};

static const char *text_or_empty(const char *s)
{
    return s ? s : "";
}

/* One matched offering into the plan (change or unchanged). */
static int plan_offering(import_result *r, const offering *o, const lifecycle_fact *f,
                         lifecycle_format fmt, const char *today)
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
        next->deprecated = arena_strdup(a, today);
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
    if (it->n_changes == 0) {
        it->action = PA_UNCHANGED;
        r->plan.counts[PA_CHANGE]--;
        r->plan.counts[PA_UNCHANGED]++;
        return 0;
    }
    next->source = SOURCES[fmt];
    next->as_of = arena_strdup(a, today);
    plan_change_add(&r->plan, it, "source", o->source, next->source);
    plan_change_add(&r->plan, it, "as_of", o->as_of, next->as_of);
    return 0;
}

static int lc_plan(sy_db *db, FILE *f, const import_opts *o, import_result *r)
{
    (void)o;
    arena *a = &r->plan.a;
    json_error_t je;
    json_t *doc = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
    if (!doc)
        return import_malformed(r, je.line > 0 ? je.line : 1, je.column > 0 ? je.column : 1, je.text);
    if (!r->plan.keep)
        r->plan.keep = json_array();
    json_array_append_new(r->plan.keep, doc);
    lifecycle_format fmt;
    lifecycle_fact *facts;
    size_t n;
    char reason[200];
    if (lifecycle_facts(doc, &fmt, &facts, &n, reason, sizeof reason) != 0)
        return import_malformed(r, 1, 1, reason);
    r->plan.rows = (int64_t)n;
    list_query q = {.limit = 1, .sort = "id", .flagged = -1};
    offering *offs;
    size_t no;
    int64_t total;
    int rc = store_offering_list(db, &q, a, &offs, &no, &total, &r->err) == ST_OK ? 0 : -1;
    q.limit = total > 0 ? total : 1;
    if (rc == 0 && store_offering_list(db, &q, a, &offs, &no, &total, &r->err) != ST_OK)
        rc = -1;
    char today[11];
    date_format(clock_today(), today);
    int64_t matched = 0;
    for (size_t i = 0; rc == 0 && i < no; i++) {
        if (!offs[i].model_version || !*offs[i].model_version)
            continue;
        for (size_t k = 0; k < n; k++)
            if (strcmp(facts[k].key, offs[i].model_version) == 0) {
                rc = plan_offering(r, &offs[i], &facts[k], fmt, today);
                matched++;
                break;
            }
    }
    char summary[160];
    snprintf(summary, sizeof summary, "{\"format\":\"%s\",\"models\":%zu,\"matched\":%lld}",
             lifecycle_format_name(fmt), n, (long long)matched);
    r->plan.summary = arena_strdup(a, summary);
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
