/* yaml_json.c - YAML to a jansson tree over libyaml's event parser; see
 * yaml_json.h. */
#include "core/yaml_json.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 64
#define MAX_NODES 100000

typedef struct walker {
    yaml_parser_t parser;
    yaml_json_error *err;
    long nodes;
} walker;

static int fail(walker *w, const yaml_mark_t *mark, const char *reason)
{
    w->err->line = mark ? (long)mark->line + 1 : 0;
    w->err->column = mark ? (long)mark->column + 1 : 0;
    snprintf(w->err->reason, sizeof w->err->reason, "%s", reason);
    return -1;
}

/* The next event; -1 on a parse error (reported). */
static int next(walker *w, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&w->parser, ev)) {
        fail(w, &w->parser.problem_mark, w->parser.problem ? w->parser.problem : "not valid YAML");
        return -1;
    }
    return 0;
}

static json_t *node(walker *w, yaml_event_t *ev, int depth);

/* 1 when a scalar holds a NUL character (a "\0" escape in a quoted
 * string): no text of the catalogue can hold one, and a key would be cut
 * short at it. */
static int has_nul(const yaml_event_t *ev)
{
    return memchr(ev->data.scalar.value, '\0', ev->data.scalar.length) != NULL;
}

#define NUL_REASON "a text holds a NUL character (\\0), which no value can hold"

/* The rest of a mapping or sequence whose start event was just read. */
static json_t *collection(walker *w, int mapping, int depth)
{
    json_t *out = mapping ? json_object() : json_array();
    if (!out)
        return NULL;
    for (;;) {
        yaml_event_t ev;
        if (next(w, &ev) != 0) {
            json_decref(out);
            return NULL;
        }
        if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return out;
        }
        if (!mapping) {
            json_t *v = node(w, &ev, depth + 1);
            if (!v || json_array_append_new(out, v) != 0) {
                json_decref(out);
                return NULL;
            }
            continue;
        }
        if (ev.type != YAML_SCALAR_EVENT || has_nul(&ev)) {
            fail(w, &ev.start_mark,
                 ev.type != YAML_SCALAR_EVENT ? "a mapping key must be plain text" : NUL_REASON);
            yaml_event_delete(&ev);
            json_decref(out);
            return NULL;
        }
        char *key = strndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
        yaml_event_delete(&ev);
        yaml_event_t vev;
        json_t *v = key && next(w, &vev) == 0 ? node(w, &vev, depth + 1) : NULL;
        if (!v || json_object_set_new(out, key, v) != 0) {
            free(key);
            json_decref(out);
            return NULL;
        }
        free(key);
    }
}

/* The value that starts with ev (consumed). */
static json_t *node(walker *w, yaml_event_t *ev, int depth)
{
    json_t *out = NULL;
    if (++w->nodes > MAX_NODES)
        fail(w, &ev->start_mark, "the document has too many values");
    else if (depth > MAX_DEPTH)
        fail(w, &ev->start_mark, "the document nests too deeply");
    else if (ev->type == YAML_SCALAR_EVENT) {
        if (has_nul(ev))
            fail(w, &ev->start_mark, NUL_REASON);
        else if (!(out = json_stringn((const char *)ev->data.scalar.value,
                                      ev->data.scalar.length)))
            fail(w, &ev->start_mark, "the text is not valid UTF-8");
    } else if (ev->type == YAML_ALIAS_EVENT)
        fail(w, &ev->start_mark, "aliases (*name) are not accepted");
    else if (ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT) {
        int mapping = ev->type == YAML_MAPPING_START_EVENT;
        yaml_event_delete(ev);
        return collection(w, mapping, depth);
    } else
        fail(w, &ev->start_mark, "unexpected YAML structure");
    yaml_event_delete(ev);
    return out;
}

json_t *yaml_to_json(FILE *f, const char *text, size_t len, yaml_json_error *err)
{
    walker w = {.err = err};
    memset(err, 0, sizeof *err);
    if (!yaml_parser_initialize(&w.parser)) {
        snprintf(err->reason, sizeof err->reason, "out of memory");
        return NULL;
    }
    if (f)
        yaml_parser_set_input_file(&w.parser, f);
    else
        yaml_parser_set_input_string(&w.parser, (const unsigned char *)text, len);
    json_t *out = NULL;
    yaml_event_t ev;
    int ok = next(&w, &ev) == 0 && ev.type == YAML_STREAM_START_EVENT;
    if (ok)
        yaml_event_delete(&ev);
    ok = ok && next(&w, &ev) == 0;
    if (ok && ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        out = json_null();
    } else if (ok && ev.type == YAML_DOCUMENT_START_EVENT) {
        yaml_event_delete(&ev);
        if (next(&w, &ev) == 0) {
            if (ev.type == YAML_DOCUMENT_END_EVENT) {
                yaml_event_delete(&ev);
                out = json_null();
            } else {
                out = node(&w, &ev, 0);
            }
        }
    } else if (ok) {
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&w.parser);
    return out;
}
