/* arena.h - a bump allocator for per-request and per-command memory.
 *
 * Entity structs hold strings and arrays allocated from an arena, so a
 * request frees everything it built with one arena_free(). Allocation
 * failure returns NULL; callers treat it as an internal error. */
#ifndef SY_ARENA_H
#define SY_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;

typedef struct arena {
    arena_chunk *head;
} arena;

void arena_init(arena *a);
void arena_free(arena *a);        /* NULL-safe; arena is reusable after */
void *arena_alloc(arena *a, size_t size);   /* zeroed, 16-byte aligned */
char *arena_strdup(arena *a, const char *s); /* NULL in -> NULL out */
/* A formatted string in the arena, at its full length; NULL when out of
 * memory. */
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_strndup(arena *a, const char *s, size_t n);
/* Bytes the arena holds (its chunks, headers included): what freeing it
 * would return. */
size_t arena_bytes(const arena *a);

#endif
