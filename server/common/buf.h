/* buf.h - a growable byte buffer that is always NUL-terminated.
 *
 * Response bodies, SQL-free text assembly and the JSON writer all append
 * into a buf. Allocation failure is sticky: once set, appends are ignored
 * and buf_failed() reports it, so callers check once at the end. */
#ifndef SY_BUF_H
#define SY_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char *data;    /* owned; NUL-terminated when len > 0 or after buf_init */
    size_t len;
    size_t cap;
    int failed;    /* an allocation failed; contents are incomplete */
} buf;

void buf_init(buf *b);
void buf_free(buf *b);            /* NULL-safe; leaves b empty and reusable */
void buf_reset(buf *b);           /* keeps the allocation */
int buf_reserve(buf *b, size_t extra);
void buf_append(buf *b, const void *data, size_t len);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
int buf_failed(const buf *b);
/* Hands the data to the caller (who frees it) and leaves b empty. */
char *buf_take(buf *b, size_t *len);

#endif
