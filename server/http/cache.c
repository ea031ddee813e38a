/* cache.c - the response cache; see cache.h. A direct-mapped table under
 * one mutex; entries are reference-counted so a hit is served without
 * holding the lock while the body is written to the socket. */
#include "http/cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 512
#define MAX_BYTES (8u * 1024 * 1024)    /* all bodies together */
#define MAX_ENTRY (1u * 1024 * 1024)    /* one body */

struct cache_entry {
    char *key;
    uint64_t gen;
    char *body;
    size_t len;
    char *gz;                   /* gzip form, or NULL (http/gzip.h) */
    size_t gz_len;
    char content_type[48];
    char etag[48];
    int refs;                   /* the table holds one */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static cache_entry *slots[SLOTS];
static size_t bytes;

static uint64_t fnv1a(const void *data, size_t n, uint64_t h)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static void unref(cache_entry *e)
{
    if (e && --e->refs == 0) {
        free(e->key);
        free(e->body);
        free(e->gz);
        free(e);
    }
}

static uint64_t hits, misses;

void cache_stats(uint64_t *h, uint64_t *m)
{
    pthread_mutex_lock(&lock);
    *h = hits;
    *m = misses;
    pthread_mutex_unlock(&lock);
}

int cache_get(const char *key, uint64_t gen, cache_hit *hit)
{
    size_t slot = fnv1a(key, strlen(key), 1469598103934665603ULL) % SLOTS;
    int found = 0;
    pthread_mutex_lock(&lock);
    cache_entry *e = slots[slot];
    if (e && e->gen == gen && strcmp(e->key, key) == 0) {
        e->refs++;
        hit->entry = e;
        hit->body = e->body;
        hit->len = e->len;
        hit->content_type = e->content_type;
        hit->etag = e->etag;
        hit->gz = e->gz;
        hit->gz_len = e->gz_len;
        found = 1;
    }
    if (found)
        hits++;
    else
        misses++;
    pthread_mutex_unlock(&lock);
    return found;
}

void cache_release(cache_hit *hit)
{
    pthread_mutex_lock(&lock);
    unref(hit->entry);
    pthread_mutex_unlock(&lock);
    hit->entry = NULL;
}

void cache_put(const char *key, uint64_t gen, const char *content_type, const char *body,
               size_t len, const char *gz, size_t gz_len, char etag[48])
{
    if (!etag[0]) {
        uint64_t h = fnv1a(body, len, 1469598103934665603ULL);
        snprintf(etag, 48, "\"g%llu-%016llx\"", (unsigned long long)gen, (unsigned long long)h);
    }
    if (len > MAX_ENTRY)
        return;
    cache_entry *e = calloc(1, sizeof *e);
    if (!e)
        return;
    e->key = strdup(key);
    e->body = malloc(len ? len : 1);
    e->gz = gz ? malloc(gz_len ? gz_len : 1) : NULL;
    if (!e->key || !e->body || (gz && !e->gz)) {
        free(e->key);
        free(e->body);
        free(e->gz);
        free(e);
        return;
    }
    memcpy(e->body, body, len);
    e->len = len;
    if (gz) {
        memcpy(e->gz, gz, gz_len);
        e->gz_len = gz_len;
    }
    e->gen = gen;
    e->refs = 1;
    snprintf(e->content_type, sizeof e->content_type, "%s", content_type);
    memcpy(e->etag, etag, 48);
    size_t slot = fnv1a(key, strlen(key), 1469598103934665603ULL) % SLOTS;
    pthread_mutex_lock(&lock);
    cache_entry *old = slots[slot];
    if (old)
        bytes -= old->len + old->gz_len;
    if (bytes + len + e->gz_len > MAX_BYTES) {
        /* Over budget: keep what is there rather than grow. */
        if (old)
            bytes += old->len + old->gz_len;
        pthread_mutex_unlock(&lock);
        unref(e);
        return;
    }
    slots[slot] = e;
    bytes += len + e->gz_len;
    unref(old);
    pthread_mutex_unlock(&lock);
}

void cache_clear(void)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < SLOTS; i++) {
        unref(slots[i]);
        slots[i] = NULL;
    }
    bytes = 0;
    pthread_mutex_unlock(&lock);
}
