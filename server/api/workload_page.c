/* workload_page.c - one page of GET /workloads over the scored snapshot:
 * filters, order, offset or keyset paging; see workload_page.h. */
#include "api/workload_page.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/buf.h"
#include "common/text.h"
#include "common/topk.h"

typedef workload_row row;

/* qsort has no context argument, so the key is per-thread state. */
static _Thread_local const char *sort_key;

static int status_rank(const char *s) { return enum_index(STATUSES, s); }

static int compare_rows(const void *pa, const void *pb, const char *key)
{
    const row *a = pa, *b = pb;
    int desc = key[0] == '-';
    const char *k = desc ? key + 1 : key;
    int c = 0;
    if (strcmp(k, "risk") == 0)
        c = (a->r->score > b->r->score) - (a->r->score < b->r->score);
    else if (strcmp(k, "priority") == 0)   /* P1 first; ties by higher score */
        c = a->r->priority != b->r->priority ? a->r->priority - b->r->priority
                                             : b->r->score - a->r->score;
    else if (strcmp(k, "monthly_spend") == 0)
        c = (a->w->monthly_spend > b->w->monthly_spend) - (a->w->monthly_spend < b->w->monthly_spend);
    else if (strcmp(k, "criticality") == 0)
        c = criticality_weight(a->w->criticality) - criticality_weight(b->w->criticality);
    else if (strcmp(k, "status") == 0)
        c = status_rank(a->w->status) - status_rank(b->w->status);
    else if (strcmp(k, "created_at") == 0)
        c = strcmp(a->w->created_at, b->w->created_at);
    else if (strcmp(k, "updated_at") == 0)
        c = strcmp(a->w->updated_at, b->w->updated_at);
    else if (strcmp(k, "id") == 0)
        c = (a->w->id > b->w->id) - (a->w->id < b->w->id);
    else
        c = strcmp(a->w->name, b->w->name);
    if (desc)
        c = -c;
    if (c == 0)
        c = strcmp(a->w->name, b->w->name);
    if (c == 0)
        c = (a->w->id > b->w->id) - (a->w->id < b->w->id);
    return c;
}

static int qsort_rows(const void *a, const void *b) { return compare_rows(a, b, sort_key); }

static int uses_vendor(const portfolio *p, const workload *w, int64_t vendor_id)
{
    for (size_t i = 0; i < w->n_dependencies; i++) {
        const offering *o = pf_offering(p, w->dependencies[i].offering);
        if (o && (o->provider == vendor_id || o->publisher == vendor_id || o->host == vendor_id))
            return 1;
    }
    return 0;
}

static int uses_offering(const workload *w, int64_t offering_id)
{
    for (size_t i = 0; i < w->n_dependencies; i++)
        if (w->dependencies[i].offering == offering_id)
            return 1;
    return 0;
}

/* Filters on computed risk (risk_level, priority, flagged) choose from the active set
 * only (domain.md "The active set"), so that each list's total equals the
 * matching count of GET /portfolio/summary. */
static int risk_filter_matches(const workload *w, const risk_result *r, const list_query *q)
{
    if (!q->risk_level && !q->priority && q->flagged < 0)
        return 1;
    return workload_active(w) &&
           (!q->risk_level || strcmp(RISK_LEVELS[r->level], q->risk_level) == 0) &&
           (!q->priority || strcmp(RISK_PRIORITIES[r->priority], q->priority) == 0) &&
           (q->flagged < 0 || r->flagged == q->flagged);
}

static int matches(const analysis *an, const workload *w, const risk_result *r,
                   const list_query *q)
{
    return (!q->q || !*q->q || str_contains_ci(w->name, q->q)) &&
           (!q->track || strcmp(w->track, q->track) == 0) &&
           (!q->status || strcmp(w->status, q->status) == 0) &&
           (!q->criticality || strcmp(w->criticality, q->criticality) == 0) &&
           (!q->vendor || uses_vendor(&an->p, w, q->vendor)) &&
           (!q->offering || uses_offering(w, q->offering)) &&
           risk_filter_matches(w, r, q);
}

/* ---- keyset paging ---------------------------------------------------------
 * A page's "next" is an opaque cursor naming its last row by what the
 * order compares (sort key, score, priority, spend, criticality, status,
 * timestamps, name, id), so the next page is the rows after it whatever
 * was written or deleted meanwhile, and costs what the first page costs:
 * one pass keeping the best `limit` rows in a heap, no sort of the whole
 * list and nothing skipped. The cursor is base64url of those fields, one a
 * line, the name last (it may hold anything). */

#define CURSOR_FIELDS 11

typedef struct cursor_row {
    workload w;
    risk_result r;
} cursor_row;

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static const char *cursor_make(arena *a, const char *sort, const row *last)
{
    buf text;
    buf_init(&text);
    buf_printf(&text, "1\n%s\n%lld\n%d\n%d\n%lld\n%s\n%s\n%s\n%s\n%s", sort,
               (long long)last->w->id, last->r->score, last->r->priority,
               (long long)last->w->monthly_spend, or_empty(last->w->criticality),
               or_empty(last->w->status), or_empty(last->w->created_at),
               or_empty(last->w->updated_at), or_empty(last->w->name));
    size_t size = sodium_base64_ENCODED_LEN(text.len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = text.data ? arena_alloc(a, size) : NULL;
    if (out)
        sodium_bin2base64(out, size, (const unsigned char *)text.data, text.len,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    buf_free(&text);
    return out;
}

/* The row a cursor names: 0, WP_BAD_CURSOR or WP_OTHER_SORT. */
static int cursor_parse(const char *cursor, const char *sort, arena *a, cursor_row *out)
{
    size_t len = strlen(cursor), n;
    char *text = arena_alloc(a, len + 1);
    if (!text || sodium_base642bin((unsigned char *)text, len, cursor, len, NULL, &n, NULL,
                                   sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return WP_BAD_CURSOR;
    text[n] = '\0';
    char *f[CURSOR_FIELDS];
    int k = 0;
    f[k++] = text;
    for (char *c = text; *c && k < CURSOR_FIELDS; c++)
        if (*c == '\n') {
            *c = '\0';
            f[k++] = c + 1;
        }
    int64_t id, score, priority, spend;
    if (k < CURSOR_FIELDS || strcmp(f[0], "1") != 0 || parse_i64(f[2], 1, INT64_MAX, &id) ||
        parse_i64(f[3], 0, 100, &score) || parse_i64(f[4], 0, 3, &priority) ||
        parse_i64(f[5], INT64_MIN, INT64_MAX, &spend))
        return WP_BAD_CURSOR;
    if (strcmp(f[1], sort) != 0)
        return WP_OTHER_SORT;
    memset(out, 0, sizeof *out);
    out->w.id = id;
    out->w.monthly_spend = spend;
    out->w.criticality = f[6];
    out->w.status = f[7];
    out->w.created_at = f[8];
    out->w.updated_at = f[9];
    out->w.name = f[10];
    out->r.score = (int)score;
    out->r.priority = (int)priority;
    return 0;
}

/* compare_rows as a topk comparison (the sort key is the context). */
static int heap_cmp(const void *a, const void *b, const void *key)
{
    return compare_rows(a, b, key);
}

int workload_page(const analysis *an, const list_query *q, arena *a, workload_page_out *out)
{
    cursor_row after;
    if (q->cursor) {
        int rc = cursor_parse(q->cursor, q->sort, a, &after);
        if (rc)
            return rc;
    }
    size_t want = (size_t)(q->offset + q->limit), n_all = an->p.n_workloads;
    /* A deep offset keeps nearly everything: then one sort is cheaper. */
    int heap = want <= 4096 && want < n_all;
    size_t cap = heap ? want : n_all;
    row *rows = arena_alloc(a, (cap + 1) * sizeof *rows);
    if (!rows)
        return WP_NO_MEMORY;
    topk top;
    topk_init(&top, rows, sizeof *rows, cap, heap_cmp, q->sort);
    row mark = {&after.w, &after.r};
    size_t n = 0, candidates = 0;
    out->total = 0;
    for (size_t i = 0; i < n_all; i++) {
        row x = {&an->p.workloads[i], &an->risk[i]};
        if (!matches(an, x.w, x.r, q))
            continue;
        out->total++;
        if (q->cursor && compare_rows(&x, &mark, q->sort) <= 0)
            continue;
        candidates++;
        if (heap)
            topk_offer(&top, &x);
        else
            rows[n++] = x;
    }
    if (heap)
        n = top.n;
    sort_key = q->sort;
    qsort(rows, n, sizeof *rows, qsort_rows);
    size_t skip = (size_t)q->offset < n ? (size_t)q->offset : n;
    out->rows = rows + skip;
    out->n = n - skip < (size_t)q->limit ? n - skip : (size_t)q->limit;
    out->next = NULL;
    if (candidates > skip + out->n && out->n &&
        !(out->next = cursor_make(a, q->sort, &out->rows[out->n - 1])))
        return WP_NO_MEMORY;
    return 0;
}
