/* import_litellm.c - the `litellm` import kind: a LiteLLM proxy's
 * config.yaml (parsed with libyaml, core/yaml_json.c). Each deployment is
 * matched to a catalogue offering by its provider prefix and model
 * (core/litellm.c); each model group to a workload, by a "workload:NAME"
 * tag on its deployments or by a mapping an earlier import confirmed
 * (stored on apply, so the tag is needed once). What it derives for each
 * workload reached through the gateway: it has a swap layer; its groups'
 * offerings are model dependencies; and each fallback group's offerings
 * are named alternatives of the primary's. Deployments of providers the
 * catalogue lacks, and groups with no workload, are listed in the plan's
 * summary (never invented); they do not block the rest. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/audit.h"
#include "api/imports.h"
#include "core/import_workloads.h"
#include "core/litellm.h"
#include "core/yaml_json.h"
#include "store/imports.h"

/* One workload's derived state while planning. */
typedef struct derived {
    int64_t id;
    workload *old;
    dependency deps[32];
    size_t n_deps;
    alternative alts[32];
    size_t n_alts;
    const char *groups[64];    /* groups to confirm as mapped on apply */
    size_t n_groups;
    const char *fallbacks[64]; /* its groups' fallback groups, mapped as such on apply */
    size_t n_fallbacks;
} derived;

static int has_dep(const derived *d, int64_t off)
{
    for (size_t i = 0; i < d->n_deps; i++)
        if (d->deps[i].offering == off)
            return 1;
    return 0;
}

static void add_dep(derived *d, int64_t off)
{
    if (!has_dep(d, off) && d->n_deps < 32)
        d->deps[d->n_deps++] = (dependency){off, "model"};
}

static void add_alt(derived *d, int64_t dep, int64_t off)
{
    if (dep == off || d->n_alts >= 32)
        return;
    for (size_t i = 0; i < d->n_alts; i++)
        if (d->alts[i].dependency == dep && d->alts[i].offering == off)
            return;
    d->alts[d->n_alts++] = (alternative){dep, off};
}

/* The workload of a group: a tag on any of its deployments, else a stored
 * mapping; 0 when neither. *tagged when it came from a tag. */
static int64_t group_workload(sy_db *db, const litellm_deployment *dl, size_t n, const char *group,
                              int *tagged, store_err *err)
{
    *tagged = 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(dl[i].group, group) && dl[i].workload) {
            int64_t id;
            if (store_workload_find(db, dl[i].workload, &id) == ST_OK) {
                *tagged = 1;
                return id;
            }
        }
    int64_t id = 0;
    return store_mapping_get(db, "litellm", group, &id, err) == ST_OK ? id : 0;
}

static derived *derived_for(sy_db *db, derived *all, size_t *n_all, int64_t id, arena *a,
                            store_err *err)
{
    for (size_t i = 0; i < *n_all; i++)
        if (all[i].id == id)
            return &all[i];
    derived *d = &all[(*n_all)++];
    memset(d, 0, sizeof *d);
    d->id = id;
    d->old = arena_alloc(a, sizeof *d->old);
    if (!d->old || store_workload_get(db, id, a, d->old, err) != ST_OK)
        return NULL;
    for (size_t i = 0; i < d->old->n_dependencies && i < 32; i++)
        d->deps[d->n_deps++] = d->old->dependencies[i];
    for (size_t i = 0; i < d->old->n_alternatives && i < 32; i++)
        d->alts[d->n_alts++] = d->old->alternatives[i];
    return d;
}

/* The summary: unknown providers and groups without a workload. */
static const char *summary_text(arena *a, const litellm_deployment *dl, size_t n, const char *const *unmapped,
                                size_t n_unmapped)
{
    buf b;
    buf_init(&b);
    jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kint(&w, "deployments", (int64_t)n);
    jw_key(&w, "unknown_providers");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        if (!dl[i].offering) {
            jw_obj(&w);
            jw_kint(&w, "index", (int64_t)dl[i].index);
            jw_kstr(&w, "group", dl[i].group);
            jw_kstr(&w, "model", dl[i].model);
            jw_obj_end(&w);
        }
    jw_arr_end(&w);
    jw_key(&w, "unmapped_groups");
    jw_arr(&w);
    for (size_t i = 0; i < n_unmapped; i++)
        jw_str(&w, unmapped[i]);
    jw_arr_end(&w);
    jw_obj_end(&w);
    const char *text = buf_failed(&b) ? NULL : arena_strdup(a, b.data);
    buf_free(&b);
    return text;
}

/* Adds the offerings of group (and of its fallbacks, as alternatives). */
static void derive_group(derived *d, const json_t *config, const litellm_deployment *dl, size_t n,
                         const char *group, const wl_names *names)
{
    const json_t *fb = litellm_fallbacks(config, group);
    size_t f;
    const json_t *fbg;
    /* The spend logs (kind litellm-spend) name the fallback group that
     * served a request: it is mapped to this workload as a fallback. */
    json_array_foreach(fb, f, fbg) {
        if (json_string_value(fbg) && d->n_fallbacks < 64)
            d->fallbacks[d->n_fallbacks++] = json_string_value(fbg);
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(dl[i].group, group) || !dl[i].offering)
            continue;
        int64_t off = names->id_of(names->ctx, dl[i].offering);
        if (!off)
            continue;
        add_dep(d, off);
        size_t k;
        const json_t *g;
        json_array_foreach(fb, k, g) {
            const char *fg = json_string_value(g);
            for (size_t j = 0; fg && j < n; j++) {
                int64_t alt = !strcmp(dl[j].group, fg) && dl[j].offering
                                  ? names->id_of(names->ctx, dl[j].offering)
                                  : 0;
                if (alt)
                    add_alt(d, off, alt);
            }
        }
    }
}

/* The derived workload, validated as the API would, into a plan item. */
static int plan_workload(import_result *r, derived *d, const wl_names *names)
{
    arena *a = &r->plan.a;
    workload next = *d->old;
    next.swap_layer = 1;
    next.dependencies = d->deps;
    next.n_dependencies = d->n_deps;
    next.alternatives = d->alts;
    next.n_alternatives = d->n_alts;
    const char *text = entity_text(a, &WORKLOAD_DESC, &next, NULL);
    json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
    workload *now = arena_alloc(a, sizeof *now);
    sy_errors e;
    errors_init(&e);
    if (!doc || !now)
        return -1;
    if (!r->plan.keep)
        r->plan.keep = json_array();
    if (json_array_append_new(r->plan.keep, doc) != 0)
        return -1;
    if (entity_from_json(&WORKLOAD_DESC, doc, a, now, &e) != 0) {
        char reason[700];
        snprintf(reason, sizeof reason, "%.160s: %s %s", d->old->name, e.items[0].pointer,
                 e.items[0].detail);
        return plan_reject(&r->plan, 0, 0, NULL, reason);
    }
    plan_item *it = plan_add(&r->plan, PA_CHANGE);
    if (!it)
        return -1;
    it->entity = "workload";
    it->id = d->id;
    it->name = d->old->name;
    it->payload = d;
    static const char *const cols[] = {"swap_layer", "dependencies", "alternatives"};
    for (size_t i = 0; i < 3; i++) {
        const field_desc *f = wl_column(cols[i]);
        const char *o = wl_cell(f, d->old, names, a), *nw = wl_cell(f, now, names, a);
        if (strcmp(o, nw) != 0)
            plan_change_add(&r->plan, it, cols[i], o, nw);
    }
    *d->old = *now; /* apply writes this */
    if (it->n_changes == 0) {
        it->action = PA_UNCHANGED;
        r->plan.counts[PA_CHANGE]--;
        r->plan.counts[PA_UNCHANGED]++;
    }
    return 0;
}

static int ll_plan(sy_db *db, FILE *f, const import_opts *o, import_result *r)
{
    (void)o;
    arena *a = &r->plan.a;
    yaml_json_error ye;
    json_t *config = yaml_to_json(f, NULL, 0, &ye);
    if (!config)
        return import_malformed(r, ye.line, ye.column, ye.reason);
    if (!r->plan.keep)
        r->plan.keep = json_array();
    json_array_append_new(r->plan.keep, config);
    litellm_deployment *dl;
    size_t n;
    long bad;
    char reason[200];
    if (litellm_deployments(config, &dl, &n, &bad, reason, sizeof reason) != 0)
        return import_malformed(r, bad < 0 ? 1 : bad + 1, 1, reason);
    r->plan.rows = (int64_t)n;
    wl_names *names = arena_alloc(a, sizeof *names);
    derived *all = arena_alloc(a, (n + 1) * sizeof *all);
    const char **unmapped = arena_alloc(a, (n + 1) * sizeof *unmapped);
    size_t n_all = 0, n_unmapped = 0;
    int rc = names && all && unmapped ? import_offering_names(db, a, names, &r->err) : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int first = 1;
        for (size_t j = 0; j < i; j++)
            first &= strcmp(dl[j].group, dl[i].group) != 0;
        if (!first)
            continue; /* each group once (duplicate deployments balance load) */
        int tagged;
        int64_t wid = group_workload(db, dl, n, dl[i].group, &tagged, &r->err);
        if (!wid) {
            unmapped[n_unmapped++] = dl[i].group;
            continue;
        }
        derived *d = derived_for(db, all, &n_all, wid, a, &r->err);
        if (!d) {
            rc = -1;
            break;
        }
        if (tagged && d->n_groups < 64)
            d->groups[d->n_groups++] = dl[i].group;
        derive_group(d, config, dl, n, dl[i].group, names);
    }
    for (size_t i = 0; rc == 0 && i < n_all; i++)
        rc = plan_workload(r, &all[i], names);
    if (rc == 0 && !(r->plan.summary = summary_text(a, dl, n, unmapped, n_unmapped)))
        rc = -1;
    free(dl);
    return rc;
}

static int ll_apply(sy_db *db, const import_opts *o, import_result *r, const char *source,
                    const char *now)
{
    arena *a = &r->plan.a;
    for (size_t i = 0; i < r->plan.n; i++) {
        plan_item *it = r->plan.items[i];
        derived *d = it->payload;
        if (!d)
            continue;
        for (size_t g = 0; g < d->n_groups; g++)
            if (store_mapping_set(db, "litellm", d->groups[g], d->id, r->import_id, &r->err) != ST_OK)
                return -1;
        for (size_t g = 0; g < d->n_fallbacks; g++)
            if (store_mapping_set(db, "litellm-fallback", d->fallbacks[g], d->id, r->import_id,
                                  &r->err) != ST_OK)
                return -1;
        if (it->action != PA_CHANGE)
            continue;
        workload old, saved;
        const char *before;
        if (store_workload_get(db, d->id, a, &old, &r->err) != ST_OK ||
            !(before = entity_text(a, &WORKLOAD_DESC, &old, NULL)) ||
            store_workload_update(db, d->id, 0, d->old, &r->err) != ST_OK ||
            store_workload_get(db, d->id, a, &saved, &r->err) != ST_OK ||
            audit_record(db, o->actor, "update", "workload", d->id, before,
                         entity_text(a, &WORKLOAD_DESC, &saved, NULL), &r->err) != ST_OK)
            return -1;
        for (size_t k = 0; k < it->n_changes; k++)
            if (import_provenance(db, "workload", d->id, it->changes[k].field, source, now,
                                  r->import_id, &r->err) != ST_OK)
                return -1;
    }
    return 0;
}

const import_kind IMPORT_LITELLM = {"litellm", ll_plan, ll_apply, 0};
