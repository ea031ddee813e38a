/* workloads.c - /api/v1/workloads: AI use cases and their dependencies. */
#include <stddef.h>

#include "api/api.h"

static void workload_json(jw *w, const void *item)
{
    const workload *x = item;
    jw_obj(w);
    jw_kint(w, "id", x->id);
    jw_kstr(w, "name", x->name);
    jw_kstr(w, "purpose", x->purpose);
    jw_kstr(w, "owner", x->owner);
    jw_kstr(w, "team", x->team);
    jw_kstr(w, "track", x->track);
    jw_kstr(w, "status", x->status);
    jw_kstr(w, "criticality", x->criticality);
    jw_kstr(w, "data_classification", x->data_classification);
    jw_kint(w, "users", x->users);
    jw_kmoney(w, "monthly_spend", x->monthly_spend);
    jw_kstr(w, "planned_end", x->planned_end);
    jw_kstr(w, "ai_act_tier", x->ai_act_tier);
    jw_kbool(w, "swap_layer", x->swap_layer);
    jw_kbool(w, "second_model_validated", x->second_model_validated);
    jw_key(w, "proprietary_features");
    jw_arr(w);
    for (size_t i = 0; i < x->n_features; i++)
        jw_str(w, x->features[i]);
    jw_arr_end(w);
    jw_key(w, "dependencies");
    jw_arr(w);
    for (size_t i = 0; i < x->n_dependencies; i++) {
        jw_obj(w);
        jw_kint(w, "offering", x->dependencies[i].offering);
        jw_kstr(w, "role", x->dependencies[i].role);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kstr(w, "notes", x->notes);
    jw_kstr(w, "created_at", x->created_at);
    jw_kstr(w, "updated_at", x->updated_at);
    jw_obj_end(w);
}

ENTITY_GLUE(workload)

const entity_ops WORKLOAD_OPS = {
    "workload", "/api/v1/workloads", sizeof(workload), offsetof(workload, version),
    WORKLOAD_SORTS, "name",
    LF_TRACK | LF_STATUS | LF_CRITICALITY | LF_VENDOR | LF_OFFERING,
    glue_from_json, workload_json, glue_get, glue_list, glue_insert, glue_update,
    glue_remove, store_workload_find};

ENTITY_HANDLERS(workloads, WORKLOAD_OPS)
