/* jw.c - streaming JSON writer; see jw.h. */
#include "jw.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jw_init(jw *w, buf *out)
{
    w->out = out;
    w->depth = 0;
    w->first[0] = 1;
    w->after_key = 0;
}

/* Emits the separator a new value needs at the current level. */
static void sep(jw *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (!w->first[w->depth])
        buf_putc(w->out, ',');
    w->first[w->depth] = 0;
}

static void open(jw *w, char c)
{
    sep(w);
    buf_putc(w->out, c);
    if (w->depth + 1 < JW_MAX_DEPTH)
        w->depth++;
    else
        w->out->failed = 1;
    w->first[w->depth] = 1;
}

static void close_(jw *w, char c)
{
    buf_putc(w->out, c);
    if (w->depth > 0)
        w->depth--;
}

int jw_reopen(jw *w)
{
    if (w->depth != 0 || !w->out->len || w->out->data[w->out->len - 1] != '}' ||
        JW_MAX_DEPTH < 2)
        return -1;
    w->out->len--;
    w->out->data[w->out->len] = '\0';
    w->depth = 1;
    w->first[1] = 0;
    return 0;
}

void jw_obj(jw *w) { open(w, '{'); }
void jw_obj_end(jw *w) { close_(w, '}'); }
void jw_arr(jw *w) { open(w, '['); }
void jw_arr_end(jw *w) { close_(w, ']'); }

void json_escape(buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        char u[7];
        switch (c) {
        case '"': rep = "\\\""; break;
        case '\\': rep = "\\\\"; break;
        case '\n': rep = "\\n"; break;
        case '\r': rep = "\\r"; break;
        case '\t': rep = "\\t"; break;
        case '\b': rep = "\\b"; break;
        case '\f': rep = "\\f"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
                u[4] = hex[c >> 4]; u[5] = hex[c & 15]; u[6] = '\0';
                rep = u;
            }
        }
        if (rep) {
            buf_append(b, s + start, i - start);
            buf_puts(b, rep);
            start = i + 1;
        }
    }
    buf_append(b, s + start, n - start);
}

void jw_key(jw *w, const char *key)
{
    sep(w);
    buf_putc(w->out, '"');
    json_escape(w->out, key, strlen(key));
    buf_puts(w->out, "\":");
    w->after_key = 1;
}

void jw_strn(jw *w, const char *s, size_t n)
{
    sep(w);
    buf_putc(w->out, '"');
    json_escape(w->out, s, n);
    buf_putc(w->out, '"');
}

void jw_str(jw *w, const char *s)
{
    if (!s)
        jw_null(w);
    else
        jw_strn(w, s, strlen(s));
}

void jw_int(jw *w, int64_t v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%" PRId64, v);
    sep(w);
    buf_append(w->out, tmp, (size_t)n);
}

void jw_double(jw *w, double v)
{
    char tmp[32];
    sep(w);
    if (!isfinite(v)) {
        buf_puts(w->out, "null");
        return;
    }
    /* The shortest %g form that reads back to the same double. */
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    /* %g switches to an exponent once the digits run out (100 -> "1e+02");
     * that only happens for whole numbers, which read better and are
     * shorter as plain digits. Like JavaScript, keep exponents from 1e21. */
    if (strchr(tmp, 'e') && fabs(v) >= 1 && fabs(v) < 1e21)
        snprintf(tmp, sizeof tmp, "%.0f", v);
    buf_puts(w->out, tmp);
}

void jw_money(jw *w, int64_t cents)
{
    char tmp[32];
    int64_t whole = cents / 100, frac = cents % 100;
    const char *sign = "";
    if (cents < 0) {
        sign = "-";
        whole = -whole;
        frac = -frac;
    }
    int n;
    if (frac == 0)
        n = snprintf(tmp, sizeof tmp, "%s%" PRId64, sign, whole);
    else if (frac % 10 == 0)
        n = snprintf(tmp, sizeof tmp, "%s%" PRId64 ".%" PRId64, sign, whole, frac / 10);
    else
        n = snprintf(tmp, sizeof tmp, "%s%" PRId64 ".%02" PRId64, sign, whole, frac);
    sep(w);
    buf_append(w->out, tmp, (size_t)n);
}

void jw_bool(jw *w, int v)
{
    sep(w);
    buf_puts(w->out, v ? "true" : "false");
}

void jw_null(jw *w)
{
    sep(w);
    buf_puts(w->out, "null");
}

void jw_raw(jw *w, const char *json)
{
    sep(w);
    buf_puts(w->out, json);
}

void jw_id_or_null(jw *w, int64_t id)
{
    if (id > 0)
        jw_int(w, id);
    else
        jw_null(w);
}

void jw_kstr(jw *w, const char *key, const char *s) { jw_key(w, key); jw_str(w, s); }
void jw_kint(jw *w, const char *key, int64_t v) { jw_key(w, key); jw_int(w, v); }
void jw_kbool(jw *w, const char *key, int v) { jw_key(w, key); jw_bool(w, v); }
void jw_kmoney(jw *w, const char *key, int64_t c) { jw_key(w, key); jw_money(w, c); }
void jw_kid(jw *w, const char *key, int64_t id) { jw_key(w, key); jw_id_or_null(w, id); }

jw *jw_capture_begin(jw_capture *c)
{
    buf_init(&c->b);
    jw_init(&c->w, &c->b);
    return &c->w;
}

const char *jw_capture_end(jw_capture *c, arena *a)
{
    const char *out = arena_strdup(a, c->b.data && !buf_failed(&c->b) ? c->b.data : "{}");
    buf_free(&c->b);
    return out;
}
