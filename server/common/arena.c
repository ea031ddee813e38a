/* arena.c - bump allocator; see arena.h. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_CHUNK 8192
#define ARENA_MAX_CHUNK (1024 * 1024)
/* Chunks this large are mapped (below). The server's malloc maps blocks of
 * this size too (main.c sets M_MMAP_THRESHOLD to it), but leaves their
 * pages to be faulted in one by one as they are first written. */
#define ARENA_MAP_MIN (256 * 1024)

struct arena_chunk {
    arena_chunk *next;
    size_t used;
    size_t cap;
    size_t mapped;             /* bytes mmap'd (MAP_POPULATE), 0: malloc'd */
    _Alignas(16) unsigned char data[];
};

void arena_init(arena *a)
{
    a->head = NULL;
}

void arena_free(arena *a)
{
    if (!a)
        return;
    arena_chunk *c = a->head;
    while (c) {
        arena_chunk *next = c->next;
        if (c->mapped)
            munmap(c, c->mapped);
        else
            free(c);
        c = next;
    }
    a->head = NULL;
}

/* A chunk with room for cap bytes. The large ones (256 KB and more: a
 * portfolio snapshot's 1 MB chunks, a request's arrays of one entry per
 * workload) are mapped with their pages made present at once
 * (MAP_POPULATE): touching 1 MB of fresh pages one by one costs 256 page
 * faults, which on a virtual machine took a third of a snapshot build at
 * 100,000 workloads, and a tenth of an uncached summary at 44,000. Smaller
 * ones come from malloc. */
static arena_chunk *new_chunk(size_t cap)
{
    size_t bytes = sizeof(arena_chunk) + cap;
    arena_chunk *c;
    if (cap >= ARENA_MAP_MIN) {
        void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        if (p != MAP_FAILED) {
            c = p;
            c->mapped = bytes;
            return c;
        }
    }
    if ((c = malloc(bytes)))
        c->mapped = 0;
    return c;
}

/* Bump-allocates size bytes at the given alignment (1 or 16). */
static void *bump(arena *a, size_t size, size_t align)
{
    size_t need = (size + align - 1) & ~(align - 1);
    if (need < size)
        return NULL;
    arena_chunk *c = a->head;
    size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
    if (c && at <= c->cap)
        c->used = at;
    if (!c || c->cap - c->used < need) {
        /* Chunks grow with the arena (8 KB, 16 KB, ... 1 MB): small arenas
         * stay small, and the chunks of a large one (a portfolio snapshot)
         * are big enough to be mapped and returned to the system whole. */
        size_t grow = c ? c->cap * 2 : ARENA_CHUNK;
        if (grow > ARENA_MAX_CHUNK)
            grow = ARENA_MAX_CHUNK;
        size_t cap = need > grow ? need : grow;
        if (cap > SIZE_MAX - sizeof(arena_chunk))
            return NULL;
        c = new_chunk(cap);
        if (!c)
            return NULL;
        c->used = 0;
        c->cap = cap;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += need;
    return p;
}

void *arena_alloc(arena *a, size_t size)
{
    void *p = bump(a, size, 16);
    /* A mapped chunk's pages came zeroed from the system, and a bump
     * allocator hands each byte out once: nothing to clear there. */
    if (p && !a->head->mapped)
        memset(p, 0, size);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    if (n == SIZE_MAX)
        return NULL;
    char *p = bump(a, n + 1, 1); /* text needs no alignment */
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

size_t arena_bytes(const arena *a)
{
    size_t n = 0;
    for (const arena_chunk *c = a ? a->head : NULL; c; c = c->next)
        n += sizeof *c + c->cap;
    return n;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    /* Formatted straight into the current chunk's free room, which holds
     * most texts: one vsnprintf, not one to measure and one to write. */
    arena_chunk *c = a->head;
    size_t room = c && c->cap > c->used ? c->cap - c->used : 0;
    char *at = room ? (char *)c->data + c->used : NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(at, room, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    if ((size_t)n < room) {
        c->used += (size_t)n + 1;
        return at;
    }
    char *out = bump(a, (size_t)n + 1, 1);
    if (!out)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(out, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return out;
}
