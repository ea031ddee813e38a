/* entity_json.c - writes a record as JSON from its entity's descriptor:
 * the one writer behind the API's answers, the audit trail's before/after
 * and the governance report's appendices. The report's form adds the name
 * of each referenced record beside its ID ("provider_name"), writes a list
 * of referenced IDs as {id, name} objects, and includes the report-only
 * computed fields (FD_REPORT). Keys come in the descriptor's order. */
#include <string.h>

#include "common/buf.h"
#include "common/text.h"
#include "core/entity.h"

#define VALUE(item, f, T) (*(const T *)(const void *)((const char *)(item) + (f)->offset))

static const char *name_of(const entity_ctx *ctx, ref_kind kind, int64_t id)
{
    return ctx->name_of && id ? ctx->name_of(ctx->data, kind, id) : NULL;
}

static int is_report(const entity_ctx *ctx)
{
    return ctx && ctx->report;
}

static void write_fields(jw *w, const field_desc *fields, const void *item,
                         const entity_ctx *ctx);

/* One item of an array: a scalar (the "" field) or an object. */
static void write_item(jw *w, const field_desc *sub, const void *item, const entity_ctx *ctx)
{
    if (sub[0].key[0] != '\0') {
        jw_obj(w);
        write_fields(w, sub, item, ctx);
        jw_obj_end(w);
        return;
    }
    switch (sub[0].kind) {
    case FK_REF: {
        int64_t id = VALUE(item, &sub[0], int64_t);
        if (!is_report(ctx)) {
            jw_int(w, id);
            break;
        }
        jw_obj(w);
        jw_kint(w, "id", id);
        jw_kstr(w, "name", name_of(ctx, sub[0].ref, id));
        jw_obj_end(w);
        break;
    }
    case FK_STR:
        jw_str(w, VALUE(item, &sub[0], char *));
        break;
    default:
        jw_null(w);
    }
}

static void write_array(jw *w, const field_desc *f, const void *item, const entity_ctx *ctx)
{
    const char *items = VALUE(item, f, char *);
    size_t n = *(const size_t *)(const void *)((const char *)item + f->count_offset);
    jw_key(w, f->key);
    jw_arr(w);
    for (size_t i = 0; i < n; i++)
        write_item(w, f->sub, items + i * f->item_size, ctx);
    jw_arr_end(w);
}

static void write_field(jw *w, const field_desc *f, const void *item, const entity_ctx *ctx)
{
    switch (f->kind) {
    case FK_STR:
    case FK_ENUM:
    case FK_DATE:
    case FK_STAMP:
        jw_kstr(w, f->key, VALUE(item, f, char *));
        break;
    case FK_BOOL:
        jw_kbool(w, f->key, VALUE(item, f, int));
        break;
    case FK_INT:
        if ((f->flags & FD_NULLABLE) && VALUE(item, f, int64_t) == SY_INT_NULL) {
            jw_key(w, f->key);
            jw_null(w);
        } else {
            jw_kint(w, f->key, VALUE(item, f, int64_t));
        }
        break;
    case FK_MONEY:
        jw_kmoney(w, f->key, VALUE(item, f, int64_t));
        break;
    case FK_ID:
        jw_kid(w, f->key, VALUE(item, f, int64_t));
        break;
    case FK_REF:
        jw_kid(w, f->key, VALUE(item, f, int64_t));
        if (is_report(ctx) && f->ref != REF_NONE) {
            char key[96];
            size_t n = strlen(f->key);
            if (n + sizeof "_name" <= sizeof key) {
                memcpy(key, f->key, n);
                memcpy(key + n, "_name", sizeof "_name");
                jw_kstr(w, key, name_of(ctx, f->ref, VALUE(item, f, int64_t)));
            }
        }
        break;
    case FK_ARRAY:
        write_array(w, f, item, ctx);
        break;
    case FK_JSON: {
        const char *text = VALUE(item, f, char *);
        jw_key(w, f->key);
        jw_raw(w, text && *text ? text : "[]");
        break;
    }
    case FK_COMPUTED:
        if (!(f->flags & FD_REPORT) || is_report(ctx))
            f->write(w, f->key, item, ctx);
        break;
    }
}

static void write_fields(jw *w, const field_desc *fields, const void *item,
                         const entity_ctx *ctx)
{
    for (const field_desc *f = fields; f->key; f++)
        write_field(w, f, item, ctx);
}

void entity_write(jw *w, const entity_desc *d, const void *item, const entity_ctx *ctx)
{
    jw_obj(w);
    write_fields(w, d->fields, item, ctx);
    jw_obj_end(w);
}

const char *entity_text(arena *a, const entity_desc *d, const void *item,
                        const entity_ctx *ctx)
{
    buf b;
    buf_init(&b);
    jw w;
    jw_init(&w, &b);
    entity_write(&w, d, item, ctx);
    const char *out = buf_failed(&b) ? NULL : arena_strdup(a, b.data);
    buf_free(&b);
    return out;
}

void entity_kday(jw *w, const char *key, int64_t day)
{
    char text[11];
    jw_key(w, key);
    if (day < 0) {
        jw_null(w);
        return;
    }
    date_format(day, text);
    jw_str(w, text);
}

const field_desc *entity_field(const entity_desc *d, const char *key)
{
    for (const field_desc *f = d->fields; f->key; f++)
        if (strcmp(f->key, key) == 0)
            return f;
    return NULL;
}
