/* entity.c - the generic create/read/update/delete flow; see api.h.
 *
 * Writes run in one store transaction: check the version (If-Match), check
 * references, write, read back, commit. Any failure rolls back, so bad
 * input changes nothing. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/audit.h"
#include "common/text.h"
#include "core/risk.h"
#include "http/query.h"

#define VERSION_OF(ops, item) (*(const int64_t *)(const void *)((const char *)(item) + (ops)->desc->version_offset))
#define ID_OF(item) (*(const int64_t *)(const void *)(item))

/* ---- list query ---------------------------------------------------------- */

static int set_enum(sy_request *rq, const char *name, const char *value,
                    const char *const *table, const char **out)
{
    if (enum_index(table, value) < 0) {
        char what[200], detail[256];
        enum_list(table, what, sizeof what);
        snprintf(detail, sizeof detail, "must be one of %s", what);
        return problem_param(rq, name, detail);
    }
    *out = arena_strdup(&rq->arena, value);
    return 0;
}

int entity_list_filters(const entity_ops *ops)
{
    static const struct { const char *key; int flag; } BY_FIELD[] = {
        {"track", LF_TRACK}, {"status", LF_STATUS}, {"criticality", LF_CRITICALITY},
        {"kind", LF_KIND}, {"category", LF_CATEGORY}};
    int filters = ops->filters;
    for (const field_desc *f = ops->desc->fields; f->key; f++)
        for (size_t i = 0; (f->flags & FD_FILTER) && i < sizeof BY_FIELD / sizeof BY_FIELD[0]; i++)
            if (strcmp(f->key, BY_FIELD[i].key) == 0)
                filters |= BY_FIELD[i].flag;
    return filters;
}

int parse_list_query(sy_request *rq, const char *const *sorts, const char *default_sort,
                     int filters, list_query *q)
{
    memset(q, 0, sizeof *q);
    q->limit = 50;
    q->sort = default_sort;
    q->flagged = -1;
    const char *cursor = rq->query;
    char name[64], value[1024]; /* a cursor holds a workload's name */
    unsigned seen = 0;
    int rc;
    while ((rc = query_next(&cursor, name, sizeof name, value, sizeof value)) == 1) {
        static const char *const known[] = {"limit", "offset", "sort", "q", "track",
                                            "status", "criticality", "kind", "vendor",
                                            "offering", "category", "risk_level",
                                            "flagged", "priority", "cursor", NULL};
        /* cursor: keyset paging of the scored list (workloads.c). */
        static const int needs[] = {0, 0, 0, 0, LF_TRACK, LF_STATUS, LF_CRITICALITY,
                                    LF_KIND, LF_VENDOR, LF_OFFERING, LF_CATEGORY,
                                    LF_RISK, LF_RISK, LF_RISK, LF_RISK};
        int k = enum_index(known, name);
        if (k < 0 || (needs[k] && !(filters & needs[k])))
            return problem_param(rq, name, "is not supported here");
        if (seen & (1u << k))
            return problem_param(rq, name, "is given more than once");
        seen |= 1u << k;
        int status = 0;
        switch (k) {
        case 0:
            if (parse_i64(value, 1, 500, &q->limit) != 0)
                status = problem_param(rq, name, "must be a whole number from 1 to 500");
            break;
        case 1:
            if (parse_i64(value, 0, 1000000000, &q->offset) != 0)
                status = problem_param(rq, name, "must be a whole number from 0");
            break;
        case 2:
            if (enum_index(sorts, value) < 0) {
                char what[300], detail[400];
                enum_list(sorts, what, sizeof what);
                snprintf(detail, sizeof detail, "must be one of %s", what);
                status = problem_param(rq, name, detail);
            } else {
                q->sort = sorts[enum_index(sorts, value)];
            }
            break;
        case 3:
            if (strlen(value) > 120)
                status = problem_param(rq, name, "must be at most 120 characters");
            else
                q->q = arena_strdup(&rq->arena, value);
            break;
        case 4: status = set_enum(rq, name, value, TRACKS, &q->track); break;
        case 5: status = set_enum(rq, name, value, STATUSES, &q->status); break;
        case 6: status = set_enum(rq, name, value, CRITICALITIES, &q->criticality); break;
        case 7: status = set_enum(rq, name, value, CONTRACT_KINDS, &q->kind); break;
        case 8:
            if (parse_i64(value, 1, INT64_MAX, &q->vendor) != 0)
                status = problem_param(rq, name, "must be a vendor ID");
            break;
        case 9:
            if (parse_i64(value, 1, INT64_MAX, &q->offering) != 0)
                status = problem_param(rq, name, "must be an offering ID");
            break;
        case 10: status = set_enum(rq, name, value, CATEGORIES, &q->category); break;
        case 11: status = set_enum(rq, name, value, RISK_LEVELS, &q->risk_level); break;
        case 12:
            if (strcmp(value, "true") == 0)
                q->flagged = 1;
            else if (strcmp(value, "false") == 0)
                q->flagged = 0;
            else
                status = problem_param(rq, name, "must be true or false");
            break;
        case 13: status = set_enum(rq, name, value, RISK_PRIORITIES, &q->priority); break;
        case 14: q->cursor = arena_strdup(&rq->arena, value); break;
        }
        if (status)
            return status;
    }
    if (rc < 0)
        return problem(rq, 400, "A query parameter was not accepted",
                       "The query string is malformed (bad escape or value too long).");
    return 0;
}

/* ---- reads --------------------------------------------------------------- */

static int list_of(sy_request *rq, const entity_ops *ops)
{
    list_query q;
    int status = parse_list_query(rq, ops->desc->sorts, "name", entity_list_filters(ops), &q);
    if (status)
        return status;
    void *items;
    size_t n;
    int64_t total;
    store_err err;
    if (store_entity_list(rq->db, ops->store, &q, &rq->arena, &items, &n, &total, &err) != ST_OK)
        return problem_store(rq, &err);
    jw *w = &rq->jw;
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
    for (size_t i = 0; i < n; i++)
        entity_write(w, ops->desc, (const char *)items + i * ops->desc->size, NULL);
    jw_arr_end(w);
    jw_kint(w, "total", total);
    jw_kint(w, "limit", q.limit);
    jw_kint(w, "offset", q.offset);
    jw_obj_end(w);
    return 200;
}

static void *new_item(sy_request *rq, const entity_ops *ops)
{
    return arena_alloc(&rq->arena, ops->desc->size);
}

static int get_of(sy_request *rq, const entity_ops *ops)
{
    void *item = new_item(rq, ops);
    store_err err;
    if (!item)
        return problem(rq, 500, NULL, "Out of memory.");
    if (store_entity_get(rq->db, ops->store, rq->id, &rq->arena, item, &err) != ST_OK)
        return problem_store(rq, &err);
    req_set_etag(rq, rq->id, VERSION_OF(ops, item));
    if (ops->respond) {
        int status = ops->respond(rq, item);
        if (status)
            return status;
    } else {
        entity_write(&rq->jw, ops->desc, item, NULL);
    }
    return 200;
}

/* ---- writes -------------------------------------------------------------- */

/* The current record as JSON text, read inside the open transaction. */
static const char *current_text(sy_request *rq, const entity_ops *ops, int64_t id)
{
    store_err err;
    void *item = new_item(rq, ops);
    if (!item || store_entity_get(rq->db, ops->store, id, &rq->arena, item, &err) != ST_OK)
        return NULL;
    return entity_text(&rq->arena, ops->desc, item, NULL);
}

/* What a write knows of the record it saved: the item it wrote, what the
 * store stamped on it, and (an update's) the record before. */
typedef struct written {
    void *item;
    const void *before;
    store_stamp stamp;
} written;

/* The saved record without reading it back, when the store says it reads
 * back as written (store_entity_as_written); else NULL. */
static void *saved_as_written(sy_request *rq, const entity_ops *ops, int64_t id,
                              const written *w)
{
    const entity_desc *d = ops->desc;
    if (!w || !store_entity_as_written(ops->store))
        return NULL;
    const char *at = arena_strdup(&rq->arena, w->stamp.at);
    if (!at)
        return NULL;
    char *item = w->item;
    *(int64_t *)(void *)item = id;
    *(int64_t *)(void *)(item + d->version_offset) = w->stamp.version;
    *(const char **)(void *)(item + d->updated_offset) = at;
    *(const char **)(void *)(item + d->created_offset) =
        w->before ? *(const char *const *)(const void *)((const char *)w->before + d->created_offset)
                  : at;
    return item;
}

/* Records the audit event of the saved record (w's item, or read back),
 * answers it and commits: the change and its event land together or not
 * at all. */
static int finish_write(sy_request *rq, const entity_ops *ops, int64_t id, int status,
                        const char *action, const char *before, const written *w)
{
    store_err err;
    void *saved = saved_as_written(rq, ops, id, w);
    int got = ST_OK;
    if (!saved) {
        if (!(saved = new_item(rq, ops))) {
            store_rollback(rq->db);
            return problem(rq, 500, NULL, "Out of memory.");
        }
        got = store_entity_get(rq->db, ops->store, id, &rq->arena, saved, &err);
    }
    if (got != ST_OK ||
        audit_record(rq->db, rq->actor, action, ops->desc->name, id, before,
                     entity_text(&rq->arena, ops->desc, saved, NULL), &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    if (store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    /* Rendered after the commit, outside the writer lock: `saved` is what
     * was committed, and scoring it must not hold other writers up. */
    req_set_etag(rq, id, VERSION_OF(ops, saved));
    if (ops->respond) {
        int failed = ops->respond(rq, saved);
        if (failed)
            return failed;
    } else {
        entity_write(&rq->jw, ops->desc, saved, NULL);
    }
    return status;
}

/* "The workload was not saved", in the arena ("The record ..." if out of
 * memory): the title of every refused write of an entity. */
static const char *not_saved(sy_request *rq, const entity_ops *ops)
{
    char text[96];
    snprintf(text, sizeof text, "The %s was not saved", ops->desc->name);
    const char *kept = arena_strdup(&rq->arena, text);
    return kept ? kept : "The record was not saved";
}

/* 400 naming each field, with the errors said in sentences as the detail
 * ("Owner is required. AI Act tier is required."). */
static int invalid(sy_request *rq, const entity_ops *ops, const sy_errors *e)
{
    char detail[900];
    entity_errors_text(ops->desc, e, detail, sizeof detail);
    return problem_fields_titled(rq, 400, not_saved(rq, ops), detail, e);
}

/* A store refusal of a write (a duplicate name, a missing reference). */
static int refused(sy_request *rq, const entity_ops *ops, const store_err *err)
{
    return problem_store_titled(rq, not_saved(rq, ops), err);
}

static int create_of(sy_request *rq, const entity_ops *ops)
{
    sy_errors e;
    errors_init(&e);
    void *item = new_item(rq, ops);
    if (!item)
        return problem(rq, 500, NULL, "Out of memory.");
    if (entity_from_json(ops->desc, rq->body, &rq->arena, item, &e) != 0)
        return invalid(rq, ops, &e);
    store_err err;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    written w = {.item = item};
    if (store_entity_insert_stamped(rq->db, ops->store, item, &w.stamp, &err) != ST_OK) {
        store_rollback(rq->db);
        return refused(rq, ops, &err);
    }
    int64_t id = ID_OF(item);
    snprintf(rq->location, sizeof rq->location, "%s/%lld", ops->desc->collection, (long long)id);
    int status = finish_write(rq, ops, id, 201, "create", NULL, &w);
    if (status != 201)
        rq->location[0] = '\0';
    return status;
}

static int precondition_failed(sy_request *rq)
{
    return problem(rq, 412, NULL,
                   "The record was changed by someone else since you read it "
                   "(If-Match does not match its ETag). Reload it and apply your change again.");
}

/* Validates `body` as the new state of record rq->id into a new item.
 * Returns 0, or the status of the problem answered. Needs no transaction:
 * validation never waits for the writer lock. */
static int item_from_body(sy_request *rq, const entity_ops *ops, const json_t *body,
                          void **out)
{
    sy_errors e;
    errors_init(&e);
    void *item = new_item(rq, ops);
    if (!item)
        return problem(rq, 500, NULL, "Out of memory.");
    json_t *id = json_object_get(body, "id");
    if (id && !(json_is_integer(id) && json_integer_value(id) == rq->id))
        errors_add(&e, "/id", "does not match the ID in the URL");
    else
        entity_from_json(ops->desc, body, &rq->arena, item, &e);
    if (e.count)
        return invalid(rq, ops, &e);
    *out = item;
    return 0;
}

/* Saves a validated item over the record `current` was read as, if its
 * stored version is still current's, inside a write transaction opened
 * here, and answers it. ST_PRECONDITION comes back in *code without an
 * answer, so that the caller decides between 412 and another attempt. */
static int save(sy_request *rq, const entity_ops *ops, void *item, const void *current,
                const char *before, st_code *code)
{
    store_err err;
    *code = ST_OK;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    written w = {.item = item, .before = current};
    if (store_entity_update_from(rq->db, ops->store, current, item, &w.stamp, &err) != ST_OK) {
        store_rollback(rq->db);
        *code = err.code;
        return err.code == ST_PRECONDITION ? 0 : refused(rq, ops, &err);
    }
    return finish_write(rq, ops, rq->id, 200, "update", before, &w);
}

/* How often a PUT or PATCH without If-Match is made again when another
 * write to the same record lands between its read and its write. */
#define REWRITE_ATTEMPTS 5

/* The merge patch applied to `before`, the record's text, validated into
 * *item, which may point into *doc's strings: *doc lives until saved. 0,
 * or the status answered. */
static int patched(sy_request *rq, const entity_ops *ops, const char *before, json_t **doc,
                   void **item)
{
    *doc = before ? json_loads(before, 0, NULL) : NULL;
    if (!*doc || json_merge_patch(*doc, rq->body) != 0)
        return problem(rq, 500, NULL, "The patch could not be applied.");
    return item_from_body(rq, ops, *doc, item);
}

/* PUT (merge 0) and PATCH (merge 1), optimistic: read the record, make and
 * validate its new state without the writer's turn, then write only if the
 * stored version is still the one read (which also makes the record read
 * the audit trail's "before"). Without If-Match a write that lost that
 * race is made again on the newer record (two patches of one record both
 * apply, one after the other); with it, a stale write gets 412. */
static int rewrite(sy_request *rq, const entity_ops *ops, int merge)
{
    if (rq->if_match < 0)
        return precondition_failed(rq);
    void *item = NULL;
    int status = merge ? 0 : item_from_body(rq, ops, rq->body, &item);
    if (status) /* a body that cannot be saved is refused before any read */
        return status;
    for (int attempt = 1;; attempt++) {
        store_err err;
        void *current = new_item(rq, ops);
        if (!current)
            return problem(rq, 500, NULL, "Out of memory.");
        /* One snapshot; on PostgreSQL one round trip, BEGIN and COMMIT in it. */
        int got = store_entity_get_alone(rq->db, ops->store, rq->id, &rq->arena, current, &err);
        if (got != ST_OK)
            return problem_store(rq, &err);
        if (rq->if_match > 0 && VERSION_OF(ops, current) != rq->if_match)
            return precondition_failed(rq);
        const char *before = entity_text(&rq->arena, ops->desc, current, NULL);
        json_t *doc = NULL;
        st_code code = ST_OK;
        status = merge ? patched(rq, ops, before, &doc, &item) : 0;
        if (status == 0)
            status = save(rq, ops, item, current, before, &code);
        json_decref(doc);
        if (status || code != ST_PRECONDITION)
            return status;
        if (rq->if_match > 0 || attempt == REWRITE_ATTEMPTS)
            return precondition_failed(rq);
    }
}

static int replace_of(sy_request *rq, const entity_ops *ops)
{
    return rewrite(rq, ops, 0);
}

static int patch_of(sy_request *rq, const entity_ops *ops)
{
    if (!json_is_object(rq->body)) {
        sy_errors e;
        errors_init(&e);
        errors_add(&e, "", "must be a JSON object (a merge patch)");
        return invalid(rq, ops, &e);
    }
    return rewrite(rq, ops, 1);
}

static int delete_of(sy_request *rq, const entity_ops *ops)
{
    if (rq->if_match < 0)
        return precondition_failed(rq);
    store_err err;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    const char *before = current_text(rq, ops, rq->id);
    if (store_entity_delete(rq->db, ops->store, rq->id, rq->if_match, &err) != ST_OK ||
        audit_record(rq->db, rq->actor, "delete", ops->desc->name, rq->id, before, NULL, &err) != ST_OK ||
        store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        if (err.code == ST_PRECONDITION)
            return precondition_failed(rq);
        return problem_store(rq, &err);
    }
    return 204;
}

/* ---- the route handlers --------------------------------------------------- */

static const entity_ops *route_entity(sy_request *rq)
{
    return rq->entity;
}

#define HANDLER(fn)                                                               \
    int entity_##fn(sy_request *rq)                                               \
    {                                                                             \
        const entity_ops *ops = route_entity(rq);                                 \
        return ops ? fn##_of(rq, ops)                                             \
                   : problem(rq, 500, NULL, "This route names no entity.");       \
    }

HANDLER(get)
HANDLER(create)
HANDLER(replace)
HANDLER(patch)
HANDLER(delete)

int entity_list(sy_request *rq)
{
    const entity_ops *ops = route_entity(rq);
    if (!ops)
        return problem(rq, 500, NULL, "This route names no entity.");
    return ops->list ? ops->list(rq) : list_of(rq, ops);
}

/* ---- seeds --------------------------------------------------------------- */

int entity_upsert(sy_db *db, const entity_ops *ops, const json_t *in, arena *a,
                  int *changed, sy_errors *e, store_err *err)
{
    *changed = 0;
    void *item = arena_alloc(a, ops->desc->size);
    if (!item) {
        err->code = ST_ERROR;
        copy_str(err->detail, sizeof err->detail, "Out of memory.");
        return ST_ERROR;
    }
    if (entity_from_json(ops->desc, in, a, item, e) != 0) {
        err->code = ST_INVALID;
        copy_str(err->detail, sizeof err->detail, "Seed record is invalid.");
        err->pointer[0] = '\0';
        return ST_INVALID;
    }
    const json_t *name = json_object_get(in, "name");
    int64_t id = 0;
    int found = store_entity_find(db, ops->store, json_string_value(name), &id);
    if (found == ST_NOT_FOUND) {
        int code = store_entity_insert(db, ops->store, item, err);
        const char *after = NULL;
        void *saved = arena_alloc(a, ops->desc->size);
        if (code == ST_OK && saved && (code = store_entity_get(db, ops->store, ID_OF(item), a, saved, err)) == ST_OK)
            after = entity_text(a, ops->desc, saved, NULL);
        if (code == ST_OK)
            code = audit_record(db, "system:seed", "create", ops->desc->name, ID_OF(item), NULL,
                                after, err);
        *changed = code == ST_OK;
        return code;
    }
    if (found != ST_OK) {
        err->code = ST_ERROR;
        copy_str(err->detail, sizeof err->detail, "Lookup failed.");
        return ST_ERROR;
    }
    /* Compare the stored representation with the seed, field by field, on
     * the fields the seed names: equal means nothing to do. */
    void *current = arena_alloc(a, ops->desc->size);
    if (!current)
        return ST_ERROR;
    int code = store_entity_get(db, ops->store, id, a, current, err);
    if (code != ST_OK)
        return code;
    buf text;
    buf_init(&text);
    jw w;
    jw_init(&w, &text);
    entity_write(&w, ops->desc, current, NULL);
    json_t *stored = json_loadb(text.data ? text.data : "", text.len, 0, NULL);
    buf_free(&text);
    int same = stored != NULL;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)in, key, value) {
        if (!same)
            break;
        json_t *have = json_object_get(stored, key);
        /* Money round-trips as integer or real; compare numbers by value. */
        if (json_is_number(value) && json_is_number(have))
            same = json_number_value(value) == json_number_value(have);
        else
            same = have && json_equal(have, value);
    }
    json_decref(stored);
    if (same)
        return ST_OK;
    const char *before = entity_text(a, ops->desc, current, NULL);
    code = store_entity_update(db, ops->store, id, 0, item, err);
    if (code == ST_OK && (code = store_entity_get(db, ops->store, id, a, current, err)) == ST_OK)
        code = audit_record(db, "system:seed", "update", ops->desc->name, id, before,
                            entity_text(a, ops->desc, current, NULL), err);
    *changed = code == ST_OK;
    return code;
}
