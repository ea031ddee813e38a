/* import_focus.c - the `focus` import kind: FinOps FOCUS cost rows (CSV,
 * core/focus.h), allocated to workloads by the tag the caller names
 * (tag_key, default "workload"), added up per workload, month and
 * currency, and stored as actual monthly spend beside the declared one.
 * Cost no tag allocates (no tag, or a tag naming no workload) is reported
 * in the plan's summary, never dropped silently. The file streams: memory
 * holds the sums, not the rows. Also GET /api/v1/workloads/{id}/evidence:
 * a workload's provenance, actual spend against declared, and staleness. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/audit.h"
#include "api/imports.h"
#include "common/text.h"
#include "core/csv_read.h"
#include "core/focus.h"
#include "store/imports.h"

#define MAX_SUMS 100000        /* distinct workload-month-currency sums */
#define MAX_UNALLOCATED 200    /* distinct unallocated tag-month-currency sums */

typedef struct sum {
    int64_t workload;          /* 0: unallocated */
    char month[8], currency[4];
    const char *tag;           /* unallocated: the tag value ("" when none) */
    int64_t billed, effective, rows;
    int used;
} sum;

typedef struct focus_ctx {
    arena *a;
    sum *table;                /* open addressing over the key */
    size_t cap, n, n_unallocated;
    workload *workloads;       /* sorted by name */
    size_t n_workloads;
    int64_t dropped;           /* unallocated rows past MAX_UNALLOCATED keys, still summed below */
    int64_t other_billed, other_effective;
} focus_ctx;

static uint64_t hash_key(int64_t w, const char *month, const char *cur, const char *tag)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)w;
    for (const char *parts[] = {month, cur, tag}, **p = parts; p < parts + 3; p++)
        for (const char *s = *p; *s; s++)
            h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Doubles the table when it is half full. 0 or -1. */
static int grow(focus_ctx *c)
{
    size_t cap = c->cap * 2;
    sum *t = calloc(cap, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < c->cap; i++) {
        const sum *s = &c->table[i];
        if (!s->used)
            continue;
        size_t j = hash_key(s->workload, s->month, s->currency, s->tag) & (cap - 1);
        while (t[j].used)
            j = (j + 1) & (cap - 1);
        t[j] = *s;
    }
    free(c->table);
    c->table = t;
    c->cap = cap;
    return 0;
}

/* The sum for a key, created when new; NULL when there are too many. */
static sum *sum_for(focus_ctx *c, int64_t w, const char *month, const char *cur, const char *tag)
{
    if (c->n * 2 >= c->cap && grow(c) != 0)
        return NULL;
    size_t i = hash_key(w, month, cur, tag) & (c->cap - 1);
    for (;; i = (i + 1) & (c->cap - 1)) {
        sum *s = &c->table[i];
        if (!s->used) {
            if (c->n >= MAX_SUMS || (!w && c->n_unallocated >= MAX_UNALLOCATED))
                return NULL;
            s->used = 1;
            s->workload = w;
            memcpy(s->month, month, sizeof s->month);
            memcpy(s->currency, cur, sizeof s->currency);
            s->tag = arena_strdup(c->a, tag);
            if (!s->tag)
                return NULL;
            c->n++;
            c->n_unallocated += !w;
            return s;
        }
        if (s->workload == w && !strcmp(s->month, month) && !strcmp(s->currency, cur) &&
            !strcmp(s->tag, tag))
            return s;
    }
}

static int cmp_wl_name(const void *a, const void *b)
{
    return strcmp(((const workload *)a)->name, ((const workload *)b)->name);
}

static int64_t workload_named(const focus_ctx *c, const char *name)
{
    workload key = {.name = name};
    const workload *hit = bsearch(&key, c->workloads, c->n_workloads, sizeof key, cmp_wl_name);
    return hit ? hit->id : 0;
}

static const char *workload_name(const focus_ctx *c, int64_t id)
{
    for (size_t i = 0; i < c->n_workloads; i++)
        if (c->workloads[i].id == id)
            return c->workloads[i].name;
    return "";
}

static int load_workloads(sy_db *db, arena *a, focus_ctx *c, store_err *err)
{
    list_query q = {.limit = 1, .sort = "name", .flagged = -1};
    int64_t total;
    if (store_workload_list(db, &q, a, &c->workloads, &c->n_workloads, &total, err) != ST_OK)
        return -1;
    q.limit = total > 0 ? total : 1;
    if (store_workload_list(db, &q, a, &c->workloads, &c->n_workloads, &total, err) != ST_OK)
        return -1;
    qsort(c->workloads, c->n_workloads, sizeof *c->workloads, cmp_wl_name);
    return 0;
}

/* One data row into the sums, or a rejection. */
static int add_row(focus_ctx *c, const focus_cols *cols, char **fields, size_t n, long row,
                   const char *tag_key, char *const *header, import_result *r)
{
    focus_row fr;
    int bad;
    char reason[200];
    if (focus_row_parse(cols, fields, n, tag_key, &fr, &bad, reason, sizeof reason) != 0)
        return plan_reject(&r->plan, row, bad + 1, header ? header[bad] : "", reason);
    int64_t w = fr.tag_present ? workload_named(c, fr.tag) : 0;
    sum *s = sum_for(c, w, fr.month, fr.currency, w ? "" : fr.tag);
    if (!s) {
        if (w)
            return plan_reject(&r->plan, row, 0, NULL, "too many distinct workload months");
        c->dropped++;
        c->other_billed += fr.billed;
        c->other_effective += fr.effective;
        return 0;
    }
    s->billed += fr.billed;
    s->effective += fr.effective;
    s->rows++;
    return 0;
}

static void write_money_micros(jw *w, const char *key, int64_t micros)
{
    jw_kmoney(w, key, micros_to_cents(micros));
}

/* {"tag_key","allocated_rows","unallocated":[...],"unallocated_other"} */
static const char *summary_text(arena *a, const focus_ctx *c, const char *tag_key)
{
    buf b;
    buf_init(&b);
    jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstr(&w, "tag_key", tag_key);
    jw_key(&w, "unallocated");
    jw_arr(&w);
    for (size_t i = 0; i < c->cap; i++) {
        const sum *s = &c->table[i];
        if (!s->used || s->workload)
            continue;
        jw_obj(&w);
        jw_kstr(&w, "month", s->month);
        jw_kstr(&w, "currency", s->currency);
        jw_kstr(&w, "tag", s->tag);
        jw_kstr(&w, "reason", s->tag[0] ? "the tag names no workload" : "no such tag on the rows");
        jw_kint(&w, "rows", s->rows);
        write_money_micros(&w, "billed_cost", s->billed);
        write_money_micros(&w, "effective_cost", s->effective);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "unallocated_other_rows", c->dropped);
    write_money_micros(&w, "unallocated_other_effective_cost", c->other_effective);
    jw_obj_end(&w);
    const char *text = buf_failed(&b) ? NULL : arena_strdup(a, b.data);
    buf_free(&b);
    return text;
}

static const char *cents_text(arena *a, int64_t cents)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%s%lld.%02lld", cents < 0 ? "-" : "",
             (long long)(llabs(cents) / 100), (long long)(llabs(cents) % 100));
    return arena_strdup(a, tmp);
}

/* One plan item per workload-month-currency sum. */
static int plan_sums(sy_db *db, focus_ctx *c, import_result *r)
{
    arena *a = &r->plan.a;
    for (size_t i = 0; i < c->cap; i++) {
        const sum *s = &c->table[i];
        if (!s->used || !s->workload)
            continue;
        spend_rec *rec = arena_alloc(a, sizeof *rec);
        if (!rec)
            return -1;
        rec->workload = s->workload;
        rec->month = arena_strdup(a, s->month);
        rec->currency = arena_strdup(a, s->currency);
        rec->billed = micros_to_cents(s->billed);
        rec->effective = micros_to_cents(s->effective);
        int64_t ob = 0, oe = 0;
        int code = store_spend_get(db, s->workload, s->month, s->currency, &ob, &oe, &r->err);
        if (code != ST_OK && code != ST_NOT_FOUND)
            return -1;
        int same = code == ST_OK && ob == rec->billed && oe == rec->effective;
        plan_item *it = plan_add(&r->plan, code == ST_NOT_FOUND ? PA_CREATE
                                           : same              ? PA_UNCHANGED
                                                               : PA_CHANGE);
        if (!it)
            return -1;
        char name[240];
        snprintf(name, sizeof name, "%s %s %s", workload_name(c, s->workload), s->month,
                 s->currency);
        it->entity = "actual_spend";
        it->id = s->workload;
        it->name = arena_strdup(a, name);
        it->payload = rec;
        const char *old_e = code == ST_OK ? cents_text(a, oe) : NULL;
        const char *old_b = code == ST_OK ? cents_text(a, ob) : NULL;
        if (!same && (!old_e || oe != rec->effective))
            plan_change_add(&r->plan, it, "effective_cost", old_e, cents_text(a, rec->effective));
        if (!same && (!old_b || ob != rec->billed))
            plan_change_add(&r->plan, it, "billed_cost", old_b, cents_text(a, rec->billed));
    }
    return 0;
}

static int focus_plan(sy_db *db, FILE *f, const import_opts *o, import_result *r)
{
    arena *a = &r->plan.a;
    focus_ctx c = {0};
    c.a = a;
    c.cap = 1024;
    c.table = calloc(c.cap, sizeof *c.table);
    csv_reader *rd = csv_reader_new(f, 0);
    int rc = c.table && rd && load_workloads(db, a, &c, &r->err) == 0 ? 0 : -1;
    char **fields, **header = NULL;
    size_t n, n_header = 0;
    focus_cols cols;
    int got = rc == 0 ? csv_read(rd, &fields, &n) : -1;
    if (rc == 0 && got == 0)
        rc = import_malformed(r, 1, 1, "the file is empty: the first row names the FOCUS columns");
    if (rc == 0 && got == 1) {
        char reason[160];
        header = arena_alloc(a, (n + 1) * sizeof *header);
        for (size_t i = 0; header && i < n; i++)
            header[i] = arena_strdup(a, fields[i]);
        n_header = n;
        if (!header)
            rc = -1;
        else if (focus_header(header, n_header, &cols, reason, sizeof reason) != 0)
            rc = import_malformed(r, 1, 1, reason);
    }
    while (rc == 0 && got >= 0 && (got = csv_read(rd, &fields, &n)) == 1) {
        r->plan.rows++;
        rc = add_row(&c, &cols, fields, n, csv_reader_line(rd), o->tag_key,
                     n <= n_header ? header : NULL, r);
    }
    if (rc == 0 && got < 0) {
        const csv_error *e = csv_reader_error(rd);
        rc = import_malformed(r, e->row, e->column, e->reason);
    }
    if (rc == 0 && ((r->plan.summary = summary_text(a, &c, o->tag_key)) == NULL ||
                    plan_sums(db, &c, r) != 0))
        rc = -1;
    csv_reader_free(rd);
    free(c.table);
    return rc;
}

static const char *spend_text(arena *a, const spend_rec *s)
{
    buf b;
    buf_init(&b);
    jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstr(&w, "month", s->month);
    jw_kstr(&w, "currency", s->currency);
    jw_kmoney(&w, "billed_cost", s->billed);
    jw_kmoney(&w, "effective_cost", s->effective);
    jw_obj_end(&w);
    const char *text = buf_failed(&b) ? NULL : arena_strdup(a, b.data);
    buf_free(&b);
    return text;
}

static int focus_apply(sy_db *db, const import_opts *o, import_result *r, const char *source,
                       const char *now)
{
    arena *a = &r->plan.a;
    for (size_t i = 0; i < r->plan.n; i++) {
        plan_item *it = r->plan.items[i];
        if (it->action != PA_CREATE && it->action != PA_CHANGE)
            continue;
        spend_rec *s = it->payload;
        s->import_id = r->import_id;
        s->observed_at = now;
        const char *before = NULL;
        if (it->action == PA_CHANGE) {
            spend_rec old = *s;
            if (store_spend_get(db, s->workload, s->month, s->currency, &old.billed,
                                &old.effective, &r->err) != ST_OK)
                return -1;
            before = spend_text(a, &old);
        }
        if (store_spend_set(db, s, &r->err) != ST_OK ||
            import_month_recorded(db, o, r, it->action == PA_CREATE, "actual_spend", s->workload, s->month, s->currency,
                                  before, spend_text(a, s), source, now) != ST_OK)
            return -1;
    }
    return 0;
}

const import_kind IMPORT_FOCUS = {"focus", focus_plan, focus_apply, 0};
