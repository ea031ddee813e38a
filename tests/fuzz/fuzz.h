/* fuzz.h - shared helpers for the libFuzzer targets in tests/fuzz.
 *
 * Each target checks properties, not only "does not crash": a broken
 * property calls FUZZ_CHECK, which aborts so that libFuzzer saves the input
 * as a crash. Built with -fsanitize=fuzzer,address,undefined (see
 * CMakeLists.txt); tests/fuzz/run.sh builds and runs them. */
#ifndef SY_FUZZ_H
#define SY_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond)                                                                    \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);    \
            abort();                                                                        \
        }                                                                                   \
    } while (0)

/* A NUL-terminated copy of the input (caller frees). */
static inline char *fuzz_cstr(const unsigned char *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
