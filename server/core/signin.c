/* signin.c - backoff and the client address behind proxies; see signin.h. */
#include "core/signin.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "common/text.h"

int64_t signin_backoff(int64_t failures)
{
    if (failures < SIGNIN_FREE_FAILURES)
        return 0;
    int64_t wait = SIGNIN_FIRST_WAIT;
    for (int64_t i = SIGNIN_FREE_FAILURES; i < failures && wait < SIGNIN_MAX_WAIT; i++)
        wait *= 2;
    return wait < SIGNIN_MAX_WAIT ? wait : SIGNIN_MAX_WAIT;
}

/* Parses one textual address; 0 or -1. */
static int parse_ip(const char *text, int *family, unsigned char addr[16])
{
    memset(addr, 0, 16);
    if (inet_pton(AF_INET, text, addr) == 1) {
        *family = AF_INET;
        return 0;
    }
    if (inet_pton(AF_INET6, text, addr) == 1) {
        *family = AF_INET6;
        return 0;
    }
    return -1;
}

static int parse_cidr(const char *text, net_cidr *c)
{
    char host[64];
    const char *slash = strchr(text, '/');
    size_t n = slash ? (size_t)(slash - text) : strlen(text);
    if (n == 0 || n >= sizeof host)
        return -1;
    memcpy(host, text, n);
    host[n] = '\0';
    if (parse_ip(host, &c->family, c->addr) != 0)
        return -1;
    int max = c->family == AF_INET ? 32 : 128;
    int64_t bits = max;
    if (slash && parse_i64(slash + 1, 0, max, &bits) != 0)
        return -1;
    c->bits = (int)bits;
    return 0;
}

int net_list_parse(const char *text, net_list *out, char *why, size_t size)
{
    memset(out, 0, sizeof *out);
    for (const char *p = text ? text : ""; *p;) {
        p += strspn(p, ", \t");
        size_t n = strcspn(p, ", \t");
        if (n == 0)
            break;
        char item[80];
        if (n >= sizeof item || out->n == NET_LIST_MAX ||
            parse_cidr((memcpy(item, p, n), item[n] = '\0', item), &out->items[out->n]) != 0) {
            snprintf(why, size, "%.*s is not an IP address or CIDR range (at most %d)",
                     (int)(n > 60 ? 60 : n), p, NET_LIST_MAX);
            return -1;
        }
        out->n++;
        p += n;
    }
    return 0;
}

static int in_cidr(const net_cidr *c, int family, const unsigned char addr[16])
{
    if (family != c->family)
        return 0;
    int full = c->bits / 8, rest = c->bits % 8;
    if (memcmp(addr, c->addr, (size_t)full) != 0)
        return 0;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return rest == 0 || (addr[full] & mask) == (c->addr[full] & mask);
}

static int contains_ip(const net_list *l, int family, const unsigned char addr[16])
{
    /* An IPv4-mapped IPv6 peer (::ffff:a.b.c.d) is the IPv4 address. */
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    unsigned char v4[16] = {0};
    if (family == AF_INET6 && memcmp(addr, mapped, 12) == 0) {
        memcpy(v4, addr + 12, 4);
        family = AF_INET;
        addr = v4;
    }
    for (int i = 0; i < l->n; i++)
        if (in_cidr(&l->items[i], family, addr))
            return 1;
    return 0;
}

int net_list_contains(const net_list *l, const char *addr)
{
    int family;
    unsigned char bin[16];
    return l && addr && parse_ip(addr, &family, bin) == 0 && contains_ip(l, family, bin);
}

/* One hop's address from a Forwarded for= value or an X-Forwarded-For
 * entry: optional quotes, [v6]:port, v4:port. Canonical into out; 0 or -1. */
static int hop_address(const char *p, size_t n, char *out, size_t size)
{
    char text[80];
    while (n && isspace((unsigned char)*p))
        p++, n--;
    while (n && isspace((unsigned char)p[n - 1]))
        n--;
    if (n >= 2 && p[0] == '"' && p[n - 1] == '"')
        p++, n -= 2;
    if (n == 0 || n >= sizeof text)
        return -1;
    memcpy(text, p, n);
    text[n] = '\0';
    char *host = text;
    if (host[0] == '[') {
        char *end = strchr(host, ']');
        if (!end)
            return -1;
        *end = '\0';
        host++;
    } else if (strchr(host, ':') == strrchr(host, ':') && strchr(host, ':')) {
        *strchr(host, ':') = '\0'; /* a.b.c.d:port */
    }
    int family;
    unsigned char bin[16];
    if (parse_ip(host, &family, bin) != 0 || !inet_ntop(family, bin, out, (socklen_t)size))
        return -1;
    return 0;
}

/* The value of key= in one Forwarded element (between commas), or NULL. */
static const char *forwarded_param(const char *el, size_t n, const char *key, size_t *len)
{
    size_t k = strlen(key);
    for (size_t i = 0; i < n;) {
        while (i < n && (el[i] == ' ' || el[i] == ';' || el[i] == '\t'))
            i++;
        size_t j = i;
        while (j < n && el[j] != ';')
            j++;
        if (j - i > k && strncasecmp(el + i, key, k) == 0 && el[i + k] == '=') {
            *len = j - i - k - 1;
            return el + i + k + 1;
        }
        i = j;
    }
    return NULL;
}

void signin_client(const net_list *trusted, const char *peer, const char *xff,
                   const char *forwarded, const char *xfproto, char *out, size_t size,
                   int *https)
{
    copy_str(out, size, peer ? peer : "");
    *https = 0;
    if (!net_list_contains(trusted, peer))
        return;
    const char *list = forwarded ? forwarded : xff;
    if (xfproto && !forwarded)
        *https = strncasecmp(xfproto, "https", 5) == 0 && (xfproto[5] == '\0' || xfproto[5] == ',' || xfproto[5] == ' ');
    if (!list)
        return;
    /* Walk the hops right to left. */
    size_t end = strlen(list);
    int last_hop = 1;
    while (end > 0) {
        size_t start = end;
        while (start > 0 && list[start - 1] != ',')
            start--;
        const char *el = list + start;
        size_t n = end - start, len = n;
        const char *value = el;
        if (forwarded) {
            size_t plen;
            const char *proto = forwarded_param(el, n, "proto", &plen);
            if (last_hop && proto)
                *https = plen >= 5 && strncasecmp(proto, "https", 5) == 0;
            value = forwarded_param(el, n, "for", &len);
        }
        last_hop = 0;
        char addr[64];
        if (!value || hop_address(value, len, addr, sizeof addr) != 0)
            return; /* not an address: keep the proxy's own */
        if (!net_list_contains(trusted, addr) || start == 0) {
            copy_str(out, size, addr);
            return;
        }
        end = start - 1;
    }
}
