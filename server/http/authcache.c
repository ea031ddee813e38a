/* authcache.c - the verified-credential cache; see authcache.h. */
#include "http/authcache.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define DIGEST 32

typedef struct slot {
    unsigned char digest[DIGEST]; /* keyed BLAKE2b of the secret */
    ac_kind kind;                 /* 0: empty */
    uint64_t gen;                 /* data generation it was verified at */
    uint64_t tick;                /* last touched, for LRU within the bucket */
    int64_t used, written;        /* last use; last use the database holds */
    ac_cred cred;
} slot;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static slot *slots;
static size_t n_buckets;
static uint64_t clock_tick;
static unsigned char key[crypto_generichash_KEYBYTES];
static uint64_t hits, misses;

/* Under lock. */
static int init_locked(size_t entries)
{
    if (entries == 0)
        entries = AC_DEFAULT_ENTRIES;
    size_t buckets = (entries + AC_WAYS - 1) / AC_WAYS;
    slot *fresh = calloc(buckets * AC_WAYS, sizeof *fresh);
    if (!fresh)
        return -1;
    if (slots)
        sodium_memzero(slots, n_buckets * AC_WAYS * sizeof *slots);
    free(slots);
    slots = fresh;
    n_buckets = buckets;
    /* A new key with every table: digests of the old one mean nothing. */
    if (sodium_init() < 0)
        return -1;
    randombytes_buf(key, sizeof key);
    return 0;
}

int authcache_init(size_t entries)
{
    pthread_mutex_lock(&lock);
    int rc = init_locked(entries);
    pthread_mutex_unlock(&lock);
    return rc;
}

void authcache_free(void)
{
    pthread_mutex_lock(&lock);
    if (slots)
        sodium_memzero(slots, n_buckets * AC_WAYS * sizeof *slots);
    free(slots);
    slots = NULL;
    n_buckets = 0;
    pthread_mutex_unlock(&lock);
}

/* Under lock, with the table present. The first bytes of the digest
 * choose the bucket. */
static slot *bucket_of(const unsigned char digest[DIGEST])
{
    uint64_t h;
    memcpy(&h, digest, sizeof h);
    return &slots[(h % n_buckets) * AC_WAYS];
}

/* Under lock: the table exists (or 0 when it cannot be made), and the
 * secret's digest. */
static int ready(const char *secret, unsigned char digest[DIGEST])
{
    if (!slots && init_locked(0) != 0)
        return 0;
    crypto_generichash(digest, DIGEST, (const unsigned char *)secret, strlen(secret), key,
                       sizeof key);
    return 1;
}

static slot *find(slot *b, ac_kind kind, const unsigned char digest[DIGEST])
{
    for (int i = 0; i < AC_WAYS; i++)
        if (b[i].kind == kind && sodium_memcmp(b[i].digest, digest, DIGEST) == 0)
            return &b[i];
    return NULL;
}

int authcache_get(ac_kind kind, const char *secret, uint64_t gen, int64_t now, ac_cred *out)
{
    unsigned char digest[DIGEST];
    int hit = 0;
    pthread_mutex_lock(&lock);
    if (ready(secret, digest)) {
        slot *s = find(bucket_of(digest), kind, digest);
        if (s && s->gen != gen) {
            memset(s, 0, sizeof *s); /* verified against older data */
            s = NULL;
        }
        if (s) {
            s->tick = ++clock_tick;
            *out = s->cred;
            out->last_seen = s->used; /* the use before this one */
            if (now > s->used)
                s->used = now;
            hit = 1;
        }
    }
    if (hit)
        hits++;
    else
        misses++;
    pthread_mutex_unlock(&lock);
    return hit;
}

void authcache_put(ac_kind kind, const char *secret, uint64_t gen, const ac_cred *c,
                   int64_t written)
{
    unsigned char digest[DIGEST];
    pthread_mutex_lock(&lock);
    if (ready(secret, digest)) {
        slot *b = bucket_of(digest);
        slot *s = find(b, kind, digest);
        for (int i = 0; !s && i < AC_WAYS; i++)
            if (!b[i].kind)
                s = &b[i];
        if (!s) { /* full: the least recently used goes */
            s = b;
            for (int i = 1; i < AC_WAYS; i++)
                if (b[i].tick < s->tick)
                    s = &b[i];
        }
        memcpy(s->digest, digest, DIGEST);
        s->kind = kind;
        s->gen = gen;
        s->tick = ++clock_tick;
        s->cred = *c;
        s->written = written;
        s->used = c->last_seen > written ? c->last_seen : written;
    }
    pthread_mutex_unlock(&lock);
}

void authcache_forget(ac_kind kind, const char *secret)
{
    unsigned char digest[DIGEST];
    pthread_mutex_lock(&lock);
    if (slots && ready(secret, digest)) {
        slot *s = find(bucket_of(digest), kind, digest);
        if (s)
            memset(s, 0, sizeof *s);
    }
    pthread_mutex_unlock(&lock);
}

void authcache_clear(void)
{
    pthread_mutex_lock(&lock);
    if (slots)
        memset(slots, 0, n_buckets * AC_WAYS * sizeof *slots);
    pthread_mutex_unlock(&lock);
}

size_t authcache_count(void)
{
    size_t n = 0;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; slots && i < n_buckets * AC_WAYS; i++)
        n += slots[i].kind != 0;
    pthread_mutex_unlock(&lock);
    return n;
}

size_t authcache_capacity(void)
{
    pthread_mutex_lock(&lock);
    size_t n = n_buckets * AC_WAYS;
    pthread_mutex_unlock(&lock);
    return n;
}

size_t authcache_take_due(ac_due *out, size_t cap)
{
    size_t n = 0;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; slots && i < n_buckets * AC_WAYS && n < cap; i++) {
        slot *s = &slots[i];
        if (!s->kind || s->used <= s->written)
            continue;
        memset(&out[n], 0, sizeof out[n]);
        out[n].kind = s->kind;
        out[n].token_id = s->cred.token_id;
        memcpy(out[n].session_hash, s->cred.session_hash, sizeof out[n].session_hash);
        out[n].used = s->used;
        s->written = s->used;
        n++;
    }
    pthread_mutex_unlock(&lock);
    return n;
}

void authcache_stats(uint64_t *h, uint64_t *m)
{
    pthread_mutex_lock(&lock);
    *h = hits;
    *m = misses;
    pthread_mutex_unlock(&lock);
}
