/* signin.h - the sign-in policy, pure: how long a (name, address) pair
 * waits after its failures (exponential backoff, never a hard lock of the
 * name), and who the client is behind trusted reverse proxies
 * (X-Forwarded-For, Forwarded, X-Forwarded-Proto). */
#ifndef SY_SIGNIN_H
#define SY_SIGNIN_H

#include <stddef.h>
#include <stdint.h>

/* A pair's failures count for a day (then they are pruned). */
#define SIGNIN_PAIR_WINDOW 86400
/* Failures of one pair before any wait; then 30 s, doubling, at most 1 h. */
#define SIGNIN_FREE_FAILURES 5
#define SIGNIN_FIRST_WAIT 30
#define SIGNIN_MAX_WAIT 3600
/* The spraying brake: failures from one address, any name, in 15 minutes. */
#define SIGNIN_ADDRESS_LIMIT 100
#define SIGNIN_ADDRESS_WINDOW 900

/* Seconds a pair with `failures` failures waits after its latest one. */
int64_t signin_backoff(int64_t failures);

typedef struct net_cidr {
    int family;                /* AF_INET or AF_INET6 */
    unsigned char addr[16];
    int bits;
} net_cidr;

#define NET_LIST_MAX 32
typedef struct net_list {
    net_cidr items[NET_LIST_MAX];
    int n;
} net_list;

/* Parses "10.0.0.0/8, 127.0.0.1 ::1 fd00::/8" (commas or spaces). 0, or -1
 * with why naming the bad entry. An empty text is an empty list. */
int net_list_parse(const char *text, net_list *out, char *why, size_t size);
/* 1 if addr (textual IPv4 or IPv6) is in the list. */
int net_list_contains(const net_list *l, const char *addr);

/* The client's address when peer is a trusted proxy: the rightmost entry of
 * Forwarded's for= (or, without Forwarded, of X-Forwarded-For) that is not
 * itself a trusted proxy, canonical (inet_ntop). Entries left of it are the
 * client's own claims and never used. Writes peer when it is not trusted,
 * when there is no header, or when that entry is not an IP address.
 * *https is 1 when a trusted peer says the client used https
 * (X-Forwarded-Proto or Forwarded proto= of the last hop). */
void signin_client(const net_list *trusted, const char *peer, const char *xff,
                   const char *forwarded, const char *xfproto, char *out, size_t size,
                   int *https);

#endif
