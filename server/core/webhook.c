/* webhook.c - event types, URL validation, signature, retry schedule,
 * body and transitions of webhooks; see webhook.h. */
#include "core/webhook.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "common/jw.h"
#include "common/text.h"

const char *const WH_EVENT_NAMES[WH_N_EVENTS + 1] = {
    "workload.flagged", "workload.unflagged", "priority.p1", "deadline.upcoming",
    "acceptance.expired", "drill.failed", "import.applied", "audit.verify_failed", NULL};

int webhook_event_code(const char *name)
{
    for (int i = 0; name && i < WH_N_EVENTS; i++)
        if (strcmp(name, WH_EVENT_NAMES[i]) == 0)
            return i;
    return -1;
}

unsigned webhook_events_mask(const char *csv)
{
    unsigned mask = 0;
    while (csv && *csv) {
        const char *comma = strchr(csv, ',');
        size_t n = comma ? (size_t)(comma - csv) : strlen(csv);
        for (int i = 0; i < WH_N_EVENTS; i++)
            if (strlen(WH_EVENT_NAMES[i]) == n && memcmp(WH_EVENT_NAMES[i], csv, n) == 0)
                mask |= 1u << i;
        csv = comma ? comma + 1 : NULL;
    }
    return mask;
}

void webhook_events_text(unsigned mask, buf *out)
{
    int first = 1;
    for (int i = 0; i < WH_N_EVENTS; i++) {
        if (!(mask & (1u << i)))
            continue;
        if (!first)
            buf_putc(out, ',');
        buf_puts(out, WH_EVENT_NAMES[i]);
        first = 0;
    }
    if (first)
        buf_puts(out, "");
}

/* The host part [start, end): a bracketed IPv6 literal or a DNS name or
 * IPv4 address (letters, digits, '-', '.'). */
static int host_ok(const char *s, size_t n)
{
    if (n == 0 || n > 253)
        return 0;
    if (s[0] == '[') {
        if (n < 3 || s[n - 1] != ']')
            return 0;
        for (size_t i = 1; i + 1 < n; i++)
            if (!isxdigit((unsigned char)s[i]) && s[i] != ':' && s[i] != '.')
                return 0;
        return 1;
    }
    if (s[0] == '.' || s[0] == '-' || s[n - 1] == '-')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '.')
            return 0;
    return 1;
}

const char *webhook_url_check(const char *url)
{
    if (!url || !*url)
        return "must be an http or https URL";
    size_t len = strlen(url);
    if (len > WEBHOOK_URL_MAX)
        return "must be at most 2048 characters long";
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f)
            return "must not contain spaces or control characters";
    const char *rest;
    if (strncasecmp(url, "https://", 8) == 0)
        rest = url + 8;
    else if (strncasecmp(url, "http://", 7) == 0)
        rest = url + 7;
    else
        return "must start with http:// or https://";
    size_t auth = strcspn(rest, "/?#");
    if (memchr(rest, '@', auth))
        return "must not contain user information (user:password@)";
    /* The port follows the last ':' outside an IPv6 literal. */
    const char *close = memchr(rest, ']', auth);
    const char *from = close ? close : rest;
    const char *colon = memchr(from, ':', auth - (size_t)(from - rest));
    size_t host_len = colon ? (size_t)(colon - rest) : auth;
    if (rest[0] == '[' && !close)
        return "must have a valid host";
    if (!host_ok(rest, host_len))
        return host_len == 0 ? "must name a host" : "must have a valid host";
    if (colon) {
        size_t pn = auth - host_len - 1;
        int64_t port;
        char digits[8];
        if (pn == 0 || pn > 5)
            return "must have a port from 1 to 65535";
        memcpy(digits, colon + 1, pn);
        digits[pn] = '\0';
        for (size_t i = 0; i < pn; i++)
            if (!isdigit((unsigned char)digits[i]))
                return "must have a port from 1 to 65535";
        if (parse_i64(digits, 1, 65535, &port) != 0)
            return "must have a port from 1 to 65535";
    }
    return NULL;
}

int webhook_sign(const unsigned char *secret, size_t secret_len, int64_t t, const char *body,
                 size_t body_len, char hex[65])
{
    char ts[24];
    int tn = snprintf(ts, sizeof ts, "%lld.", (long long)t);
    if (tn < 0 || (size_t)tn >= sizeof ts)
        return -1;
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    if (crypto_auth_hmacsha256_init(&st, secret, secret_len) != 0 ||
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, (size_t)tn) != 0 ||
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, body_len) != 0 ||
        crypto_auth_hmacsha256_final(&st, mac) != 0)
        return -1;
    sodium_bin2hex(hex, 65, mac, sizeof mac);
    return 0;
}

int webhook_signature_header(const unsigned char *secret, size_t secret_len, int64_t t,
                             const char *body, size_t body_len, char *out, size_t size)
{
    char hex[65];
    if (webhook_sign(secret, secret_len, t, body, body_len, hex) != 0)
        return -1;
    int n = snprintf(out, size, "t=%lld,v1=%s", (long long)t, hex);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

int64_t webhook_backoff(int64_t attempts, int64_t base, int jitter_permille)
{
    if (base < 1)
        base = 1;
    if (attempts < 1)
        attempts = 1;
    int64_t d = base;
    for (int64_t i = 1; i < attempts && d < WEBHOOK_RETRY_CAP; i++)
        d *= 2;
    if (d > WEBHOOK_RETRY_CAP)
        d = WEBHOOK_RETRY_CAP;
    if (jitter_permille > 200)
        jitter_permille = 200;
    if (jitter_permille < -200)
        jitter_permille = -200;
    d += d * jitter_permille / 1000;
    return d < 1 ? 1 : d;
}

int64_t webhook_next_attempt(int64_t now, int64_t first_at, int64_t attempts, int64_t base,
                             int jitter_permille)
{
    int64_t next = now + webhook_backoff(attempts, base, jitter_permille);
    return next > first_at + WEBHOOK_RETRY_WINDOW ? 0 : next;
}

void webhook_body(buf *b, const char *event_id, const char *type, const char *created,
                  const char *data_json)
{
    jw w;
    jw_init(&w, b);
    jw_obj(&w);
    jw_kstr(&w, "id", event_id);
    jw_kstr(&w, "type", type);
    jw_kstr(&w, "created", created);
    jw_key(&w, "data");
    jw_raw(&w, data_json && *data_json ? data_json : "{}");
    jw_obj_end(&w);
}
