/* errors.h - a caller-owned list of field errors, each named by a JSON
 * Pointer (RFC 6901), in the style of jansson's json_error_t.
 *
 * Shared by validation (validate.c), scenario parsing (scenario.c) and the
 * API handlers, so none of them has to reach into another for it. */
#ifndef SY_ERRORS_H
#define SY_ERRORS_H

#include <stddef.h>

#define SY_MAX_ERRORS 16

typedef struct field_error {
    char pointer[128];
    char detail[256];
} field_error;

/* Caller-owned error list, in the style of jansson's json_error_t. */
typedef struct sy_errors {
    field_error items[SY_MAX_ERRORS];
    int count;
} sy_errors;

void errors_init(sy_errors *e);
/* Appends one error; beyond SY_MAX_ERRORS the rest are dropped. */
void errors_add(sy_errors *e, const char *pointer, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends "/" + key escaped per RFC 6901 to a pointer buffer. */
void pointer_join(char *out, size_t size, const char *base, const char *key);

#endif
