/* errors.c - the field error list and JSON Pointer joining; see errors.h. */
#include "core/errors.h"

#include <stdarg.h>
#include <stdio.h>

#include "common/text.h"

void errors_init(sy_errors *e)
{
    e->count = 0;
}

void errors_add(sy_errors *e, const char *pointer, const char *fmt, ...)
{
    if (e->count >= SY_MAX_ERRORS)
        return;
    field_error *fe = &e->items[e->count++];
    copy_str(fe->pointer, sizeof fe->pointer, pointer);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fe->detail, sizeof fe->detail, fmt, ap);
    va_end(ap);
}

void pointer_join(char *out, size_t size, const char *base, const char *key)
{
    size_t len = 0;
    if (size == 0)
        return;
    for (const char *p = base; *p && len + 1 < size; p++)
        out[len++] = *p;
    if (len + 1 < size)
        out[len++] = '/';
    for (const char *p = key; *p && len + 2 < size; p++) {
        if (*p == '~' || *p == '/') {
            out[len++] = '~';
            out[len++] = *p == '~' ? '0' : '1';
        } else {
            out[len++] = *p;
        }
    }
    out[len] = '\0';
}
