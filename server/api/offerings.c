/* offerings.c - /api/v1/offerings: what vendors sell, by strategy track. */
#include <stddef.h>

#include "api/api.h"

static void offering_json(jw *w, const void *item)
{
    const offering *o = item;
    jw_obj(w);
    jw_kint(w, "id", o->id);
    jw_kstr(w, "name", o->name);
    jw_kid(w, "provider", o->provider);
    jw_kid(w, "publisher", o->publisher);
    jw_kid(w, "host", o->host);
    jw_kstr(w, "track", o->track);
    jw_kstr(w, "category", o->category);
    jw_kstr(w, "interface", o->interface);
    jw_kbool(w, "open_weight", o->open_weight);
    jw_kstr(w, "description", o->description);
    jw_kstr(w, "url", o->url);
    jw_kstr(w, "created_at", o->created_at);
    jw_kstr(w, "updated_at", o->updated_at);
    jw_obj_end(w);
}

ENTITY_GLUE(offering)

const entity_ops OFFERING_OPS = {
    "offering", "/api/v1/offerings", sizeof(offering), offsetof(offering, version),
    OFFERING_SORTS, "name", LF_TRACK | LF_VENDOR | LF_CATEGORY,
    glue_from_json, offering_json, glue_get, glue_list, glue_insert, glue_update,
    glue_remove, store_offering_find, NULL};

ENTITY_HANDLERS(offerings, OFFERING_OPS)
