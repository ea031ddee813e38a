/* focus.c - FOCUS cost rows; see focus.h. */
#include "core/focus.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int find(char *const *fields, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(fields[i], name) == 0)
            return (int)i;
    return -1;
}

int focus_header(char *const *fields, size_t n, focus_cols *c, char *reason, size_t size)
{
    c->billed = find(fields, n, "BilledCost");
    c->effective = find(fields, n, "EffectiveCost");
    c->currency = find(fields, n, "BillingCurrency");
    c->period_start = find(fields, n, "ChargePeriodStart");
    c->service = find(fields, n, "ServiceName");
    c->provider = find(fields, n, "ProviderName");
    if (c->provider < 0)
        c->provider = find(fields, n, "ServiceProviderName");
    c->publisher = find(fields, n, "PublisherName");
    if (c->publisher < 0)
        c->publisher = find(fields, n, "HostProviderName");
    c->category = find(fields, n, "ChargeCategory");
    c->tags = find(fields, n, "Tags");
    const char *missing = c->billed < 0      ? "BilledCost"
                          : c->effective < 0 ? "EffectiveCost"
                          : c->currency < 0  ? "BillingCurrency"
                          : c->period_start < 0 ? "ChargePeriodStart"
                                                : NULL;
    if (missing) {
        snprintf(reason, size, "the FOCUS column %s is missing from the header", missing);
        return -1;
    }
    return 0;
}

int64_t micros_to_cents(int64_t m)
{
    return m >= 0 ? (m + 5000) / 10000 : -((-m + 5000) / 10000);
}

int decimal_micros(const char *s, int64_t *out)
{
    const char *p = s;
    int neg = 0;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    if (strpbrk(p, "eE")) {
        char *end;
        double v = strtod(s, &end);
        if (end == s || *end || !isfinite(v) || fabs(v) > 9e12)
            return -1;
        *out = (int64_t)llround(v * 1e6);
        return 0;
    }
    int64_t whole = 0, frac = 0;
    int digits = 0, fd = 0, round_up = 0;
    for (; isdigit((unsigned char)*p); p++, digits++) {
        if (whole > 900000000000LL)
            return -1;
        whole = whole * 10 + (*p - '0');
    }
    if (*p == '.') {
        for (p++; isdigit((unsigned char)*p); p++, digits++) {
            if (fd < 6)
                frac = frac * 10 + (*p - '0');
            else if (fd == 6)
                round_up = *p >= '5';
            fd++;
        }
    }
    if (*p || digits == 0)
        return -1;
    for (; fd < 6; fd++)
        frac *= 10;
    int64_t v = whole * 1000000 + frac + round_up;
    *out = neg ? -v : v;
    return 0;
}

/* YYYY-MM-DD at the start (then T, space or the end). */
static int month_of(const char *s, char month[8])
{
    for (int i = 0; i < 10; i++) {
        int want_dash = i == 4 || i == 7;
        if (want_dash ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return -1;
    }
    if (s[10] && s[10] != 'T' && s[10] != ' ')
        return -1;
    int mm = (s[5] - '0') * 10 + (s[6] - '0');
    if (mm < 1 || mm > 12)
        return -1;
    memcpy(month, s, 7);
    month[7] = '\0';
    return 0;
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    return p;
}

/* The common case without jansson: a flat object of plain strings (no
 * escapes). 1 when it read the object (tag set or not), 0 when the text
 * needs the full parser. */
static int tag_fast(const char *p, const char *tag_key, focus_row *out)
{
    size_t klen = strlen(tag_key);
    p = skip_ws(p);
    if (*p++ != '{')
        return 0;
    p = skip_ws(p);
    if (*p == '}')
        return *skip_ws(p + 1) == '\0';
    for (;;) {
        if (*p++ != '"')
            return 0;
        const char *k = p;
        while (*p && *p != '"' && *p != '\\')
            p++;
        if (*p != '"')
            return 0;
        size_t kn = (size_t)(p - k);
        p = skip_ws(p + 1);
        if (*p++ != ':')
            return 0;
        p = skip_ws(p);
        if (*p++ != '"')
            return 0;
        const char *v = p;
        while (*p && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
            p++;
        if (*p != '"')
            return 0;
        if (kn == klen && memcmp(k, tag_key, klen) == 0) {
            size_t vn = (size_t)(p - v);
            if (vn >= sizeof out->tag)
                return 0;
            memcpy(out->tag, v, vn);
            out->tag[vn] = '\0';
            out->tag_present = 1;
        }
        p = skip_ws(p + 1);
        if (*p == '}')
            return *skip_ws(p + 1) == '\0';
        if (*p++ != ',')
            return 0;
        p = skip_ws(p);
    }
}

/* The value of tag_key in a Tags JSON object. 0 (found or not), -1 when
 * Tags is not a JSON object. */
static int tag_value(const char *tags, const char *tag_key, focus_row *out)
{
    out->tag[0] = '\0';
    out->tag_present = 0;
    if (!*tags)
        return 0;
    if (tag_fast(tags, tag_key, out))
        return 0;
    out->tag[0] = '\0';
    out->tag_present = 0;
    json_error_t e;
    json_t *o = json_loads(tags, JSON_REJECT_DUPLICATES, &e);
    if (!json_is_object(o)) {
        json_decref(o);
        return -1;
    }
    json_t *v = json_object_get(o, tag_key);
    if (json_is_string(v)) {
        snprintf(out->tag, sizeof out->tag, "%s", json_string_value(v));
        out->tag_present = 1;
    }
    json_decref(o);
    return 0;
}

int focus_row_parse(const focus_cols *c, char *const *fields, size_t n, const char *tag_key,
                    focus_row *out, int *bad, char *reason, size_t size)
{
    int need = c->billed;
    const int cols[] = {c->billed, c->effective, c->currency, c->period_start, c->tags};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        if (cols[i] > need)
            need = cols[i];
    if ((size_t)need >= n) {
        *bad = (int)n;
        snprintf(reason, size, "the row has %zu fields; the header has more", n);
        return -1;
    }
    if (decimal_micros(fields[c->billed], &out->billed) != 0) {
        *bad = c->billed;
        snprintf(reason, size, "BilledCost \"%.40s\" is not a number", fields[c->billed]);
        return -1;
    }
    if (decimal_micros(fields[c->effective], &out->effective) != 0) {
        *bad = c->effective;
        snprintf(reason, size, "EffectiveCost \"%.40s\" is not a number", fields[c->effective]);
        return -1;
    }
    const char *cur = fields[c->currency];
    if (strlen(cur) != 3 || !isupper((unsigned char)cur[0]) || !isupper((unsigned char)cur[1]) ||
        !isupper((unsigned char)cur[2])) {
        *bad = c->currency;
        snprintf(reason, size, "BillingCurrency \"%.40s\" is not an ISO 4217 code", cur);
        return -1;
    }
    memcpy(out->currency, cur, 4);
    if (month_of(fields[c->period_start], out->month) != 0) {
        *bad = c->period_start;
        snprintf(reason, size, "ChargePeriodStart \"%.40s\" is not a date and time",
                 fields[c->period_start]);
        return -1;
    }
    if (c->tags >= 0 && tag_value(fields[c->tags], tag_key, out) != 0) {
        *bad = c->tags;
        snprintf(reason, size, "Tags is not a JSON object");
        return -1;
    }
    if (c->tags < 0) {
        out->tag[0] = '\0';
        out->tag_present = 0;
    }
    return 0;
}
