/* cyclonedx.c - the CycloneDX 1.6 AI-BOM writer; see cyclonedx.h. Every
 * value is a string, number or boolean the schema allows: absent data is
 * left out, never written as null (the strict schema refuses null). */
#include "core/cyclonedx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"

#define REF_PORTFOLIO "switchyard:portfolio"

static void kopt(jw *w, const char *key, const char *s)
{
    if (s && s[0])
        jw_kstr(w, key, s);
}

/* A web address the schema's iri-reference format accepts: http(s), no
 * blanks, controls, quotes or angle brackets. */
static int web_url(const char *s)
{
    if (!s || (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0))
        return 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if (*c <= ' ' || *c == 0x7f || *c == '"' || *c == '<' || *c == '>' || *c == '\\' ||
            *c == '^' || *c == '`' || *c == '{' || *c == '|' || *c == '}')
            return 0;
    return 1;
}

static void ref_of(char *out, size_t size, const char *kind, int64_t id)
{
    snprintf(out, size, "switchyard:%s:%lld", kind, (long long)id);
}

static void prop(jw *w, const char *name, const char *value)
{
    if (!value || !value[0])
        return;
    jw_obj(w);
    jw_kstr(w, "name", name);
    jw_kstr(w, "value", value);
    jw_obj_end(w);
}

static void prop_int(jw *w, const char *name, int64_t value)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)value);
    prop(w, name, text);
}

/* {"name", "url": [website]} of a vendor; nothing when unknown. */
static void org(jw *w, const char *key, const vendor *v)
{
    if (!v)
        return;
    jw_key(w, key);
    jw_obj(w);
    jw_kstr(w, "name", v->name);
    if (web_url(v->website)) {
        jw_key(w, "url");
        jw_arr(w);
        jw_str(w, v->website);
        jw_arr_end(w);
    }
    jw_obj_end(w);
}

static void ext_refs(jw *w, const offering *o)
{
    int url = web_url(o->url), src = web_url(o->source) && !(url && strcmp(o->url, o->source) == 0);
    if (!url && !src)
        return;
    jw_key(w, "externalReferences");
    jw_arr(w);
    if (url) {
        jw_obj(w);
        jw_kstr(w, "type", "documentation");
        jw_kstr(w, "url", o->url);
        jw_kstr(w, "comment", "Model card, documentation or product page");
        jw_obj_end(w);
    }
    if (src) {
        jw_obj(w);
        jw_kstr(w, "type", "other");
        jw_kstr(w, "url", o->source);
        jw_kstr(w, "comment", "Source of the catalogue facts");
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void offering_props(jw *w, const portfolio *p, const offering *o)
{
    const vendor *host = o->host ? pf_vendor(p, o->host) : NULL;
    jw_key(w, "properties");
    jw_arr(w);
    prop(w, "switchyard:category", o->category);
    prop(w, "switchyard:track", o->track);
    prop(w, "switchyard:interface", o->interface);
    prop(w, "switchyard:host", host ? host->name : NULL);
    for (size_t r = 0; r < o->n_regions; r++)
        prop(w, "switchyard:region", o->regions[r]);
    prop(w, "switchyard:open_weight", o->open_weight ? "true" : "false");
    prop(w, "switchyard:released", o->released);
    prop(w, "switchyard:deprecated", o->deprecated);
    prop(w, "switchyard:retires", o->retires);
    prop(w, "switchyard:facts_as_of", o->as_of);
    jw_arr_end(w);
}

/* A model offering as a machine-learning-model component; its modelCard
 * names the in-scope workloads that use it. */
static void model_component(jw *w, const portfolio *p, const offering *o,
                            const unsigned char *scope)
{
    char ref[48];
    ref_of(ref, sizeof ref, "offering", o->id);
    const vendor *pub = o->publisher ? pf_vendor(p, o->publisher) : NULL;
    jw_obj(w);
    jw_kstr(w, "type", "machine-learning-model");
    jw_kstr(w, "bom-ref", ref);
    org(w, "supplier", pf_vendor(p, o->provider));
    org(w, "manufacturer", pub);
    kopt(w, "publisher", pub ? pub->name : NULL);
    jw_kstr(w, "name", o->name);
    kopt(w, "version", o->model_version);
    kopt(w, "description", o->description);
    ext_refs(w, o);
    jw_key(w, "modelCard");
    jw_obj(w);
    char card[64];
    snprintf(card, sizeof card, "%s:card", ref);
    jw_kstr(w, "bom-ref", card);
    jw_key(w, "considerations");
    jw_obj(w);
    jw_key(w, "useCases");
    jw_arr(w);
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *x = &p->workloads[i];
        for (size_t d = 0; scope[i] && d < x->n_dependencies; d++)
            if (x->dependencies[d].offering == o->id) {
                jw_str(w, x->name);
                break;
            }
    }
    jw_arr_end(w);
    jw_obj_end(w);
    jw_obj_end(w);
    offering_props(w, p, o);
    jw_obj_end(w);
}

static void service(jw *w, const portfolio *p, const offering *o)
{
    char ref[48];
    ref_of(ref, sizeof ref, "offering", o->id);
    jw_obj(w);
    jw_kstr(w, "bom-ref", ref);
    org(w, "provider", pf_vendor(p, o->provider));
    jw_kstr(w, "name", o->name);
    kopt(w, "description", o->description);
    if (web_url(o->url)) {
        jw_key(w, "endpoints");
        jw_arr(w);
        jw_str(w, o->url);
        jw_arr_end(w);
    }
    jw_kbool(w, "x-trust-boundary", 1);
    ext_refs(w, o);
    offering_props(w, p, o);
    jw_obj_end(w);
}

/* The workload's newest exit drill (p->drills: by workload, then date). */
static const exit_drill *last_drill(const portfolio *p, int64_t workload_id)
{
    const exit_drill *last = NULL;
    for (size_t i = 0; i < p->n_drills; i++)
        if (p->drills[i].workload == workload_id)
            last = &p->drills[i];
    return last;
}

static void workload_component(jw *w, const portfolio *p, const workload *x,
                               const risk_result *r)
{
    char ref[48];
    ref_of(ref, sizeof ref, "workload", x->id);
    jw_obj(w);
    jw_kstr(w, "type", "application");
    jw_kstr(w, "bom-ref", ref);
    jw_kstr(w, "name", x->name);
    kopt(w, "description", x->purpose);
    jw_key(w, "properties");
    jw_arr(w);
    prop_int(w, "switchyard:id", x->id);
    prop(w, "switchyard:track", x->track);
    prop(w, "switchyard:status", x->status);
    prop(w, "switchyard:criticality", x->criticality);
    prop(w, "switchyard:data_classification", x->data_classification);
    prop(w, "switchyard:owner", x->owner);
    prop(w, "switchyard:team", x->team);
    prop(w, "switchyard:ai_act_tier", x->ai_act_tier);
    prop_int(w, "switchyard:lock_in_score", r->score);
    prop(w, "switchyard:lock_in_level", RISK_LEVELS[r->level]);
    prop(w, "switchyard:priority", RISK_PRIORITIES[r->priority]);
    prop(w, "switchyard:flagged", r->flagged ? "true" : "false");
    prop(w, "switchyard:accepted", r->accepted ? "true" : "false");
    const exit_drill *d = last_drill(p, x->id);
    prop(w, "switchyard:last_drill_result", d ? d->result : "none");
    prop(w, "switchyard:last_drill_date", d ? d->drilled_on : NULL);
    jw_arr_end(w);
    jw_obj_end(w);
}

static void metadata(jw *w, const cdx_meta *m, const portfolio *p, int64_t only)
{
    jw_key(w, "metadata");
    jw_obj(w);
    kopt(w, "timestamp", m->timestamp);
    jw_key(w, "lifecycles");
    jw_arr(w);
    jw_obj(w);
    jw_kstr(w, "phase", "operations");
    jw_obj_end(w);
    jw_arr_end(w);
    jw_key(w, "tools");
    jw_obj(w);
    jw_key(w, "components");
    jw_arr(w);
    jw_obj(w);
    jw_kstr(w, "type", "application");
    jw_kstr(w, "name", "Switchyard");
    kopt(w, "version", m->tool_version);
    jw_obj_end(w);
    jw_arr_end(w);
    jw_obj_end(w);
    char name[300];
    snprintf(name, sizeof name, "%s%sAI portfolio", m->organisation ? m->organisation : "",
             m->organisation && m->organisation[0] ? " " : "");
    jw_key(w, "component");
    jw_obj(w);
    jw_kstr(w, "type", "application");
    jw_kstr(w, "bom-ref", REF_PORTFOLIO);
    jw_kstr(w, "name", name);
    jw_obj_end(w);
    if (m->organisation && m->organisation[0]) {
        jw_key(w, "manufacturer");
        jw_obj(w);
        jw_kstr(w, "name", m->organisation);
        jw_obj_end(w);
    }
    char today[11];
    date_format(p->today, today);
    jw_key(w, "properties");
    jw_arr(w);
    prop(w, "switchyard:as_of", today);
    prop(w, "switchyard:scope", only ? "workload" : "active set");
    if (only)
        prop_int(w, "switchyard:workload", only);
    jw_arr_end(w);
    jw_obj_end(w);
}

/* ref -> [its in-scope dependencies' offering refs], without repeats. */
static void dependencies(jw *w, const portfolio *p, const unsigned char *scope,
                         const unsigned char *used)
{
    char ref[48];
    jw_key(w, "dependencies");
    jw_arr(w);
    jw_obj(w);
    jw_kstr(w, "ref", REF_PORTFOLIO);
    jw_key(w, "dependsOn");
    jw_arr(w);
    for (size_t i = 0; i < p->n_workloads; i++)
        if (scope[i]) {
            ref_of(ref, sizeof ref, "workload", p->workloads[i].id);
            jw_str(w, ref);
        }
    jw_arr_end(w);
    jw_obj_end(w);
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *x = &p->workloads[i];
        if (!scope[i])
            continue;
        ref_of(ref, sizeof ref, "workload", x->id);
        jw_obj(w);
        jw_kstr(w, "ref", ref);
        jw_key(w, "dependsOn");
        jw_arr(w);
        for (size_t d = 0; d < x->n_dependencies; d++) {
            int64_t id = x->dependencies[d].offering;
            int seen = !pf_offering(p, id);
            for (size_t k = 0; k < d && !seen; k++)
                seen = x->dependencies[k].offering == id;
            if (seen)
                continue;
            ref_of(ref, sizeof ref, "offering", id);
            jw_str(w, ref);
        }
        jw_arr_end(w);
        jw_obj_end(w);
    }
    for (size_t i = 0; i < p->n_offerings; i++)
        if (used[i]) {
            ref_of(ref, sizeof ref, "offering", p->offerings[i].id);
            jw_obj(w);
            jw_kstr(w, "ref", ref);
            jw_obj_end(w);
        }
    jw_arr_end(w);
}

int cyclonedx_write(jw *w, const portfolio *p, const risk_result *risk, const cdx_meta *m,
                    int64_t only)
{
    unsigned char *scope = calloc(p->n_workloads + 1, 1);
    unsigned char *used = calloc(p->n_offerings + 1, 1);
    if (!scope || !used) {
        free(scope);
        free(used);
        return -1;
    }
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *x = &p->workloads[i];
        scope[i] = only ? x->id == only : workload_active(x);
        for (size_t d = 0; scope[i] && d < x->n_dependencies; d++) {
            const offering *o = pf_offering(p, x->dependencies[d].offering);
            if (o)
                used[o - p->offerings] = 1;
        }
    }
    jw_obj(w);
    jw_kstr(w, "bomFormat", "CycloneDX");
    jw_kstr(w, "specVersion", "1.6");
    kopt(w, "serialNumber", m->serial);
    jw_kint(w, "version", 1);
    metadata(w, m, p, only);
    jw_key(w, "components");
    jw_arr(w);
    for (size_t i = 0; i < p->n_workloads; i++)
        if (scope[i])
            workload_component(w, p, &p->workloads[i], &risk[i]);
    for (size_t i = 0; i < p->n_offerings; i++)
        if (used[i] && strcmp(p->offerings[i].category, "model_api") == 0)
            model_component(w, p, &p->offerings[i], scope);
    jw_arr_end(w);
    jw_key(w, "services");
    jw_arr(w);
    for (size_t i = 0; i < p->n_offerings; i++)
        if (used[i] && strcmp(p->offerings[i].category, "model_api") != 0)
            service(w, p, &p->offerings[i]);
    jw_arr_end(w);
    dependencies(w, p, scope, used);
    jw_obj_end(w);
    free(scope);
    free(used);
    return 0;
}
