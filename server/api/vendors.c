/* vendors.c - /api/v1/vendors: the companies behind offerings and contracts. */
#include <stddef.h>

#include "api/api.h"

static void vendor_json(jw *w, const void *item)
{
    const vendor *v = item;
    jw_obj(w);
    jw_kint(w, "id", v->id);
    jw_kstr(w, "name", v->name);
    jw_kid(w, "parent", v->parent);
    jw_key(w, "group");
    jw_obj(w);
    jw_kint(w, "id", v->group_id ? v->group_id : v->id);
    jw_kstr(w, "name", v->group_name ? v->group_name : v->name);
    jw_obj_end(w);
    jw_kstr(w, "website", v->website);
    jw_kstr(w, "country", v->country);
    jw_kstr(w, "description", v->description);
    jw_key(w, "connections");
    jw_arr(w);
    for (size_t i = 0; i < v->n_connections; i++) {
        jw_obj(w);
        jw_kint(w, "vendor", v->connections[i].vendor);
        jw_kstr(w, "reason", v->connections[i].reason);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kstr(w, "created_at", v->created_at);
    jw_kstr(w, "updated_at", v->updated_at);
    jw_obj_end(w);
}

ENTITY_GLUE(vendor)

const entity_ops VENDOR_OPS = {
    "vendor", "/api/v1/vendors", sizeof(vendor), offsetof(vendor, version),
    VENDOR_SORTS, "name", 0,
    glue_from_json, vendor_json, glue_get, glue_list, glue_insert, glue_update,
    glue_remove, store_vendor_find, NULL};

ENTITY_HANDLERS(vendors, VENDOR_OPS)
