/* jw.h - a streaming JSON writer.
 *
 * Writes JSON text straight into a buf with no intermediate tree: lists of
 * thousands of rows cost one pass and no per-value allocation. The writer
 * tracks nesting so commas and colons are placed automatically; keys are
 * written in the order the caller gives them, which keeps output stable. */
#ifndef SY_JW_H
#define SY_JW_H

#include <stdint.h>

#include "arena.h"
#include "buf.h"

#define JW_MAX_DEPTH 32

typedef struct jw {
    buf *out;                       /* not owned */
    int depth;
    unsigned char first[JW_MAX_DEPTH]; /* 1 until the level has a member */
    int after_key;                  /* a key was written; value comes next */
} jw;

void jw_init(jw *w, buf *out);
void jw_obj(jw *w);                 /* { */
void jw_obj_end(jw *w);             /* } */
void jw_arr(jw *w);                 /* [ */
/* Reopens the top-level object just closed, so more members can follow
 * (an answer that adds to what another writer wrote). 0, or -1 when the
 * output does not end with a closed top-level object. */
int jw_reopen(jw *w);
void jw_arr_end(jw *w);             /* ] */
void jw_key(jw *w, const char *key);
void jw_str(jw *w, const char *s);  /* NULL writes null */
void jw_strn(jw *w, const char *s, size_t n);
void jw_int(jw *w, int64_t v);
void jw_double(jw *w, double v);    /* shortest round-trip form */
void jw_money(jw *w, int64_t cents);/* 1234 -> 12.34, 1200 -> 12 */
void jw_bool(jw *w, int v);
void jw_null(jw *w);
void jw_raw(jw *w, const char *json); /* pre-serialised value, trusted */
void jw_id_or_null(jw *w, int64_t id); /* 0 -> null */

/* Key + value shorthands. */
void jw_kstr(jw *w, const char *key, const char *s);
void jw_kint(jw *w, const char *key, int64_t v);
void jw_kbool(jw *w, const char *key, int v);
void jw_kmoney(jw *w, const char *key, int64_t cents);
void jw_kid(jw *w, const char *key, int64_t id);   /* 0 -> null */

/* Appends s JSON-escaped (without quotes) to b. */
void json_escape(buf *b, const char *s, size_t n);

/* One value written into a buffer of its own, then kept as text in an
 * arena (the audit trail's before/after of a record):
 *     jw_capture c;
 *     token_json(jw_capture_begin(&c), t);
 *     return jw_capture_end(&c, &rq->arena);   ("{}" if memory ran out) */
typedef struct jw_capture {
    buf b;
    jw w;
} jw_capture;
jw *jw_capture_begin(jw_capture *c);
const char *jw_capture_end(jw_capture *c, arena *a);

#endif
