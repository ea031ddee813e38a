/* cache.h - serialised responses of cacheable GET routes, keyed by URL,
 * role and today's date, valid for one data generation (store.h
 * store_generation). A hit skips the handler entirely; the entry's strong
 * ETag lets browsers revalidate with 304. Bounded in entries and bytes. */
#ifndef SY_CACHE_H
#define SY_CACHE_H

#include <stddef.h>
#include <stdint.h>

typedef struct cache_entry cache_entry;

/* A held entry: read its fields, then release it. */
typedef struct cache_hit {
    cache_entry *entry;
    const char *body;
    size_t len;
    const char *content_type;
    const char *etag;
    const char *gz;             /* the body gzip-compressed, or NULL */
    size_t gz_len;
} cache_hit;

/* Looks up key for generation gen; 1 and *hit filled on a hit. */
int cache_get(const char *key, uint64_t gen, cache_hit *hit);
void cache_release(cache_hit *hit);
/* Stores a copy of body (and of its gzip form gz, when not NULL) with its
 * ETag: etag (48 bytes) is kept if the handler set one (a resource's
 * "id-version"), else computed from the generation and the body. */
void cache_put(const char *key, uint64_t gen, const char *content_type, const char *body,
               size_t len, const char *gz, size_t gz_len, char etag[48]);
/* Lookups that hit and missed since start (for /metrics). */
void cache_stats(uint64_t *hits, uint64_t *misses);
/* Drops everything (tests, shutdown). */
void cache_clear(void);

#endif
