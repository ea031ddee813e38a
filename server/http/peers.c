/* peers.c - requests in progress per client address; see peers.h.
 *
 * A request holds a worker thread, so there are never more entries than
 * threads: a small array scanned under one mutex (a few
 * hundred short compares per connection) is enough. */
#include "http/peers.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"

typedef struct peer {
    char addr[48];      /* as CivetWeb writes it (IPv4 or IPv6 text) */
    int count;          /* 0: the entry is free */
} peer;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static peer *peers;
static int n_peers;

int peers_start(int slots)
{
    pthread_mutex_lock(&mu);
    free(peers);
    peers = calloc((size_t)(slots > 0 ? slots : 1), sizeof *peers);
    n_peers = peers ? slots : 0;
    pthread_mutex_unlock(&mu);
    return peers ? 0 : -1;
}

void peers_stop(void)
{
    pthread_mutex_lock(&mu);
    free(peers);
    peers = NULL;
    n_peers = 0;
    pthread_mutex_unlock(&mu);
}

/* The entry for addr, or NULL; called with mu held. */
static peer *find(const char *addr)
{
    for (int i = 0; i < n_peers; i++)
        if (peers[i].count > 0 && strcmp(peers[i].addr, addr) == 0)
            return &peers[i];
    return NULL;
}

int peers_enter(const char *addr)
{
    if (!addr)
        return 0;
    pthread_mutex_lock(&mu);
    peer *p = find(addr);
    for (int i = 0; !p && i < n_peers; i++)
        if (peers[i].count == 0) {
            p = &peers[i];
            copy_str(p->addr, sizeof p->addr, addr);
        }
    int n = p ? ++p->count : 0;
    pthread_mutex_unlock(&mu);
    return n;
}

void peers_leave(const char *addr)
{
    if (!addr)
        return;
    pthread_mutex_lock(&mu);
    peer *p = find(addr);
    if (p)
        p->count--;
    pthread_mutex_unlock(&mu);
}
