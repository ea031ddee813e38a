/* import_litellm_spend.c - the `litellm-spend` import kind: a LiteLLM
 * proxy's spend logs (CSV export of LiteLLM_SpendLogs, or the JSON of
 * GET /spend/logs; core/litellm_spend.h). Each request's spend goes to a
 * workload through the same confirmed mapping as the gateway
 * configuration (kind `litellm`): a "workload:NAME" request tag, else the
 * workload its model group was mapped to. The sums per workload and month
 * are stored as the gateway's actual monthly spend (gateway_spend, beside
 * the bill's actual_spend). A request served by a deployment that is one
 * of the workload's named alternatives and none of its dependencies (a
 * configured fallback took the traffic) is a passed exit drill of that
 * alternative, dated the last day it served, its evidence naming the
 * import, the file and how many requests; a drill already recorded for
 * that alternative and day is left alone, so importing a file again adds
 * none. Spend no mapping allocates, and models the catalogue lacks, are
 * listed in the plan's summary, never dropped silently or invented. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/audit.h"
#include "api/imports.h"
#include "common/text.h"
#include "core/csv_read.h"
#include "core/focus.h"
#include "core/governance.h"
#include "core/import_workloads.h"
#include "core/litellm.h"
#include "core/litellm_spend.h"
#include "store/imports.h"

#define LS_MAX_SUMS 4096
#define LS_MAX_CACHE 512
#define LS_MAX_DRILLS 256
#define LS_MAX_LISTED 200
#define LS_CURRENCY "USD"      /* LiteLLM prices requests in dollars */

typedef struct ls_sum {
    int64_t workload;          /* 0: unallocated */
    char month[8];
    const char *key;           /* unallocated: the group or tag; "" otherwise */
    const char *reason;
    int64_t micros, requests;
} ls_sum;

typedef struct ls_name {
    const char *name;
    int64_t id;                /* workload; 0 none */
} ls_name;

typedef struct ls_drill {
    exit_drill d;
    char first[11], last[11];
    int64_t requests;
} ls_drill;

typedef struct ls_ctx {
    sy_db *db;
    arena *a;
    wl_names names;
    ls_sum sums[LS_MAX_SUMS];
    size_t n_sums, n_unalloc;
    int64_t other_micros, other_requests;
    ls_name groups[LS_MAX_CACHE], tags[LS_MAX_CACHE], unknown[LS_MAX_LISTED];
    size_t n_groups, n_tags, n_unknown;
    int64_t unknown_requests[LS_MAX_LISTED];
    workload *wls[LS_MAX_CACHE];
    size_t n_wls;
    ls_drill drills[LS_MAX_DRILLS];
    size_t n_drills;
    const char *today;
} ls_ctx;

/* The workload a name maps to, cached: tags by workload name, groups by
 * the gateway mapping the `litellm` kind confirmed. -1 on a store error. */
static int64_t cached(ls_ctx *c, ls_name *cache, size_t *n, const char *key, int group,
                      store_err *err)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(cache[i].name, key))
            return cache[i].id;
    int64_t id = 0;
    if (group) {
        /* A group of its own first, else the workload whose fallback it is. */
        int code = store_mapping_get(c->db, "litellm", key, &id, err);
        if (code == ST_NOT_FOUND)
            code = store_mapping_get(c->db, "litellm-fallback", key, &id, err);
        if (code != ST_OK && code != ST_NOT_FOUND)
            return -1;
        if (code != ST_OK)
            id = 0;
    } else if (store_workload_find(c->db, key, &id) != ST_OK) {
        id = 0;
    }
    if (*n < LS_MAX_CACHE && (cache[*n].name = arena_strdup(c->a, key)) != NULL)
        cache[(*n)++].id = id;
    return id;
}

static ls_sum *sum_for(ls_ctx *c, int64_t w, const char *month, const char *key,
                       const char *reason)
{
    for (size_t i = c->n_sums; i-- > 0;)
        if (c->sums[i].workload == w && !strcmp(c->sums[i].month, month) &&
            !strcmp(c->sums[i].key, key))
            return &c->sums[i];
    if (c->n_sums == LS_MAX_SUMS || (!w && c->n_unalloc >= LS_MAX_LISTED))
        return NULL;
    ls_sum *s = &c->sums[c->n_sums];
    memset(s, 0, sizeof *s);
    s->workload = w;
    memcpy(s->month, month, sizeof s->month);
    s->key = arena_strdup(c->a, key);
    s->reason = reason;
    if (!s->key)
        return NULL;
    c->n_sums++;
    c->n_unalloc += !w;
    return s;
}

static workload *workload_for(ls_ctx *c, int64_t id, store_err *err)
{
    for (size_t i = 0; i < c->n_wls; i++)
        if (c->wls[i]->id == id)
            return c->wls[i];
    workload *w = arena_alloc(c->a, sizeof *w);
    if (!w || store_workload_get(c->db, id, c->a, w, err) != ST_OK)
        return NULL;
    if (c->n_wls < LS_MAX_CACHE)
        c->wls[c->n_wls++] = w;
    return w;
}

static void note_unknown(ls_ctx *c, const char *served)
{
    for (size_t i = 0; i < c->n_unknown; i++)
        if (!strcmp(c->unknown[i].name, served)) {
            c->unknown_requests[i]++;
            return;
        }
    if (c->n_unknown < LS_MAX_LISTED &&
        (c->unknown[c->n_unknown].name = arena_strdup(c->a, served)) != NULL)
        c->unknown_requests[c->n_unknown++] = 1;
}

/* Fallback traffic: the served offering is an alternative of w and none
 * of its dependencies; each (dependency, alternative) is a drill. */
static int note_fallback(ls_ctx *c, const workload *w, int64_t off, const ls_row *row)
{
    for (size_t i = 0; i < w->n_dependencies; i++)
        if (w->dependencies[i].offering == off)
            return 0;
    for (size_t i = 0; i < w->n_alternatives; i++) {
        const alternative *alt = &w->alternatives[i];
        if (alt->offering != off)
            continue;
        ls_drill *d = NULL;
        for (size_t k = 0; k < c->n_drills && !d; k++)
            if (c->drills[k].d.workload == w->id && c->drills[k].d.dependency == alt->dependency &&
                c->drills[k].d.offering == off)
                d = &c->drills[k];
        if (!d) {
            if (c->n_drills == LS_MAX_DRILLS)
                continue;
            d = &c->drills[c->n_drills++];
            memset(d, 0, sizeof *d);
            d->d = (exit_drill){.workload = w->id, .dependency = alt->dependency,
                                .offering = off, .result = "passed"};
            memcpy(d->first, row->day, sizeof d->first);
            memcpy(d->last, row->day, sizeof d->last);
        }
        if (strcmp(row->day, d->first) < 0)
            memcpy(d->first, row->day, sizeof d->first);
        if (strcmp(row->day, d->last) > 0)
            memcpy(d->last, row->day, sizeof d->last);
        d->requests++;
    }
    return 0;
}

/* One parsed request: its spend to a workload (or unallocated), its
 * served model to an offering, fallback traffic to a drill. */
static int add_request(ls_ctx *c, const ls_row *row, long line, import_result *r)
{
    int64_t w = 0;
    const char *key = "", *reason = NULL;
    if (row->workload[0]) {
        w = cached(c, c->tags, &c->n_tags, row->workload, 0, &r->err);
        key = row->workload;
        reason = "the request's workload tag names no workload";
    } else if (row->group[0]) {
        w = cached(c, c->groups, &c->n_groups, row->group, 1, &r->err);
        key = row->group;
        reason = "no workload is mapped to the model group (import the gateway configuration)";
    } else {
        reason = "no model group and no workload tag";
    }
    if (w < 0)
        return -1;
    ls_sum *s = sum_for(c, w, row->month, w ? "" : key, w ? NULL : reason);
    if (!s && w)
        return plan_reject(&r->plan, line, 0, NULL, "too many distinct workload months");
    if (s) {
        s->micros += row->spend;
        s->requests++;
    } else {
        c->other_micros += row->spend;
        c->other_requests++;
    }
    const char *served = litellm_offering(row->served);
    int64_t off = served ? c->names.id_of(c->names.ctx, served) : 0;
    if (!off) {
        note_unknown(c, row->served);
        return 0;
    }
    if (!w || row->failed)
        return 0;
    const workload *wl = workload_for(c, w, &r->err);
    return wl ? note_fallback(c, wl, off, row) : -1;
}

/* One data row (fields in the cols layout), or a rejection. */
static int add_row(ls_ctx *c, const ls_cols *cols, char **fields, size_t n, long line,
                   import_result *r)
{
    ls_row row;
    int bad;
    char reason[200];
    if (ls_row_parse(cols, fields, n, &row, &bad, reason, sizeof reason) != 0) {
        int k = 0;
        while (k < LS_COLS && cols->at[k] != bad)
            k++;
        return plan_reject(&r->plan, line, bad + 1, k < LS_COLS ? LS_COLUMN_NAMES[k] : "",
                           reason);
    }
    if (strcmp(row.day, c->today) > 0)
        return plan_reject(&r->plan, line, cols->at[LS_START] + 1, "startTime",
                           "startTime is after today");
    return add_request(c, &row, line, r);
}

static int read_csv(ls_ctx *c, FILE *f, import_result *r)
{
    csv_reader *rd = csv_reader_new(f, 0);
    if (!rd)
        return -1;
    char **fields;
    size_t n;
    ls_cols cols;
    char reason[200];
    int rc = 0, got = csv_read(rd, &fields, &n);
    if (got == 0)
        rc = import_malformed(r, 1, 1, "the file is empty: the first row names the spend log's "
                                       "columns");
    else if (got == 1 && ls_header(fields, n, &cols, reason, sizeof reason) != 0)
        rc = import_malformed(r, 1, 1, reason);
    while (rc == 0 && got == 1 && (got = csv_read(rd, &fields, &n)) == 1) {
        r->plan.rows++;
        rc = add_row(c, &cols, fields, n, csv_reader_line(rd), r);
    }
    if (rc == 0 && got < 0) {
        const csv_error *e = csv_reader_error(rd);
        rc = import_malformed(r, e->row, e->column, e->reason);
    }
    csv_reader_free(rd);
    return rc;
}

/* GET /spend/logs answers an array of records; /spend/logs/v2 wraps it
 * in {"data": [...]}. A record's "row" is its 1-based place in the array. */
static int read_json(ls_ctx *c, FILE *f, import_result *r)
{
    json_error_t je;
    unsigned char bom[3];
    if (fread(bom, 1, 3, f) != 3 || bom[0] != 0xEF || bom[1] != 0xBB || bom[2] != 0xBF)
        rewind(f); /* no byte order mark to skip */
    json_t *doc = json_loadf(f, 0, &je);
    if (!doc)
        return import_malformed(r, je.line, je.column, je.text);
    const json_t *records = json_is_array(doc) ? doc : json_object_get(doc, "data");
    int rc = 0;
    if (!json_is_array(records))
        rc = import_malformed(r, 1, 1, "a spend log in JSON is an array of records (or {\"data\": [...]})");
    ls_cols cols;
    ls_cols_identity(&cols);
    size_t i;
    const json_t *rec;
    json_array_foreach(records, i, rec) {
        if (rc != 0)
            break;
        r->plan.rows++;
        if (!json_is_object(rec)) {
            rc = plan_reject(&r->plan, (long)i + 1, 0, NULL, "the record is not an object");
            continue;
        }
        char *fields[LS_COLS];
        size_t k = 0;
        for (; k < LS_COLS; k++) {
            const json_t *v = json_object_get(rec, LS_COLUMN_NAMES[k]);
            if (!v && k == LS_START)
                v = json_object_get(rec, "start_time");
            if (!(fields[k] = ls_json_text(v)))
                break;
        }
        rc = k == LS_COLS ? add_row(c, &cols, fields, LS_COLS, (long)i + 1, r) : -1;
        for (size_t j = 0; j < k; j++)
            free(fields[j]);
    }
    json_decref(doc);
    return rc;
}

/* 1 when the file (after a byte order mark and blanks) opens a JSON
 * array or object; the file is back at its start. */
static int looks_json(FILE *f)
{
    int ch, at = 0, json = 0;
    while ((ch = fgetc(f)) != EOF) {
        if (at < 3 && (ch == 0xEF || ch == 0xBB || ch == 0xBF)) {
            at++;
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
            continue;
        json = ch == '[' || ch == '{';
        break;
    }
    rewind(f);
    return json;
}

static const char *money_text(arena *a, int64_t micros)
{
    char tmp[40];
    int64_t cents = micros_to_cents(micros);
    snprintf(tmp, sizeof tmp, "%s%lld.%02lld", cents < 0 ? "-" : "",
             (long long)(llabs(cents) / 100), (long long)(llabs(cents) % 100));
    return arena_strdup(a, tmp);
}

static const char *int_text(arena *a, int64_t v)
{
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    return arena_strdup(a, tmp);
}

static const char *wl_name(ls_ctx *c, int64_t id)
{
    store_err err;
    const workload *w = workload_for(c, id, &err);
    return w ? w->name : "";
}

/* One plan item per workload and month: create, change or leave alone. */
static int plan_sums(ls_ctx *c, import_result *r)
{
    arena *a = &r->plan.a;
    for (size_t i = 0; i < c->n_sums; i++) {
        const ls_sum *s = &c->sums[i];
        if (!s->workload)
            continue;
        gateway_spend_rec *rec = arena_alloc(a, sizeof *rec);
        if (!rec)
            return -1;
        *rec = (gateway_spend_rec){.workload = s->workload, .month = arena_strdup(a, s->month),
                                   .currency = LS_CURRENCY, .micros = s->micros,
                                   .requests = s->requests};
        int64_t om = 0, oreq = 0;
        int code = store_gateway_spend_get(c->db, s->workload, s->month, LS_CURRENCY, &om, &oreq,
                                           &r->err);
        if (code != ST_OK && code != ST_NOT_FOUND)
            return -1;
        int found = code == ST_OK, same = found && om == s->micros && oreq == s->requests;
        plan_item *it = plan_add(&r->plan, !found ? PA_CREATE : same ? PA_UNCHANGED : PA_CHANGE);
        if (!it)
            return -1;
        char name[240];
        snprintf(name, sizeof name, "%s %s %s", wl_name(c, s->workload), s->month, LS_CURRENCY);
        it->entity = "gateway_spend";
        it->id = s->workload;
        it->name = arena_strdup(a, name);
        it->payload = rec;
        if (!same && (!found || om != s->micros))
            plan_change_add(&r->plan, it, "spend", found ? money_text(a, om) : NULL,
                            money_text(a, s->micros));
        if (!same && (!found || oreq != s->requests))
            plan_change_add(&r->plan, it, "requests", found ? int_text(a, oreq) : NULL,
                            int_text(a, s->requests));
    }
    return 0;
}

/* A drill of the same alternative on the same day is already recorded. */
static int drill_known(ls_ctx *c, const ls_drill *d, int *known, store_err *err)
{
    exit_drill *items;
    size_t n;
    *known = 0;
    if (store_drills_of(c->db, d->d.workload, c->a, &items, &n, err) != ST_OK)
        return -1;
    for (size_t i = 0; i < n && !*known; i++)
        *known = items[i].dependency == d->d.dependency && items[i].offering == d->d.offering &&
                 !strcmp(items[i].drilled_on, d->last) && !strcmp(items[i].result, "passed");
    return 0;
}

static int plan_drills(ls_ctx *c, import_result *r)
{
    arena *a = &r->plan.a;
    for (size_t i = 0; i < c->n_drills; i++) {
        ls_drill *d = &c->drills[i];
        int known;
        if (drill_known(c, d, &known, &r->err) != 0)
            return -1;
        ls_drill *keep = arena_alloc(a, sizeof *keep); /* the context goes before the apply */
        plan_item *it = keep ? plan_add(&r->plan, known ? PA_UNCHANGED : PA_CREATE) : NULL;
        if (!it)
            return -1;
        *keep = *d;
        keep->d.drilled_on = keep->last;
        const char *dep = c->names.name_of(c->names.ctx, d->d.dependency);
        const char *alt = c->names.name_of(c->names.ctx, d->d.offering);
        char name[400], served[120];
        snprintf(name, sizeof name, "%s: %s -> %s", wl_name(c, d->d.workload), dep ? dep : "?",
                 alt ? alt : "?");
        snprintf(served, sizeof served, "%lld %s from %s to %s", (long long)d->requests,
                 d->requests == 1 ? "request" : "requests", d->first, d->last);
        it->entity = "drill";
        it->id = d->d.workload;
        it->name = arena_strdup(a, name);
        it->payload = keep;
        if (!known && (plan_change_add(&r->plan, it, "drilled_on", NULL, d->last) != 0 ||
                       plan_change_add(&r->plan, it, "result", NULL, "passed") != 0 ||
                       plan_change_add(&r->plan, it, "fallback_traffic", NULL, served) != 0))
            return -1;
    }
    return 0;
}

/* {"currency","workloads","unallocated":[...],"unallocated_other",
 *  "unknown_models":[...],"fallback_drills"} */
static const char *summary_text(ls_ctx *c, arena *a)
{
    buf b;
    buf_init(&b);
    jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstr(&w, "currency", LS_CURRENCY);
    jw_key(&w, "unallocated");
    jw_arr(&w);
    for (size_t i = 0; i < c->n_sums; i++) {
        const ls_sum *s = &c->sums[i];
        if (s->workload)
            continue;
        jw_obj(&w);
        jw_kstr(&w, "month", s->month);
        jw_kstr(&w, "key", s->key);
        jw_kstr(&w, "reason", s->reason);
        jw_kint(&w, "requests", s->requests);
        jw_kmoney(&w, "spend", micros_to_cents(s->micros));
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "unallocated_other_requests", c->other_requests);
    jw_kmoney(&w, "unallocated_other_spend", micros_to_cents(c->other_micros));
    jw_key(&w, "unknown_models");
    jw_arr(&w);
    for (size_t i = 0; i < c->n_unknown; i++) {
        jw_obj(&w);
        jw_kstr(&w, "model", c->unknown[i].name);
        jw_kint(&w, "requests", c->unknown_requests[i]);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "fallback_drills", (int64_t)c->n_drills);
    jw_obj_end(&w);
    const char *text = buf_failed(&b) ? NULL : arena_strdup(a, b.data);
    buf_free(&b);
    return text;
}

static int ls_plan(sy_db *db, FILE *f, const import_opts *o, import_result *r)
{
    (void)o;
    ls_ctx *c = calloc(1, sizeof *c); /* large: not on a worker thread's stack */
    if (!c)
        return -1;
    char today[11];
    date_format(clock_today(), today);
    c->db = db;
    c->a = &r->plan.a;
    c->today = today;
    int rc = import_offering_names(db, c->a, &c->names, &r->err);
    if (rc == 0)
        rc = looks_json(f) ? read_json(c, f, r) : read_csv(c, f, r);
    if (rc == 0 && (plan_sums(c, r) != 0 || plan_drills(c, r) != 0 ||
                    !(r->plan.summary = summary_text(c, &r->plan.a))))
        rc = -1;
    free(c);
    return rc;
}

static const char *gateway_text(arena *a, const gateway_spend_rec *s)
{
    buf b;
    buf_init(&b);
    jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstr(&w, "month", s->month);
    jw_kstr(&w, "currency", s->currency);
    jw_kmoney(&w, "spend", micros_to_cents(s->micros));
    jw_kint(&w, "requests", s->requests);
    jw_obj_end(&w);
    const char *text = buf_failed(&b) ? NULL : arena_strdup(a, b.data);
    buf_free(&b);
    return text;
}

static int apply_spend(sy_db *db, const import_opts *o, import_result *r, plan_item *it,
                       const char *source, const char *now)
{
    arena *a = &r->plan.a;
    gateway_spend_rec *s = it->payload;
    s->import_id = r->import_id;
    s->observed_at = now;
    const char *before = NULL;
    if (it->action == PA_CHANGE) {
        gateway_spend_rec old = *s;
        if (store_gateway_spend_get(db, s->workload, s->month, s->currency, &old.micros,
                                    &old.requests, &r->err) != ST_OK)
            return -1;
        before = gateway_text(a, &old);
    }
    if (store_gateway_spend_set(db, s, &r->err) != ST_OK ||
        import_month_recorded(db, o, r, it->action == PA_CREATE, "gateway_spend", s->workload, s->month, s->currency,
                              before, gateway_text(a, s), source, now) != ST_OK)
        return -1;
    return 0;
}

static int apply_drill(sy_db *db, const import_opts *o, import_result *r, plan_item *it,
                       const char *now)
{
    arena *a = &r->plan.a;
    ls_drill *ld = it->payload;
    char evidence[600];
    snprintf(evidence, sizeof evidence,
             "Fallback traffic in the LiteLLM spend log %s (import #%lld): %lld %s served by "
             "this alternative from %s to %s.",
             o->file_name && *o->file_name ? o->file_name : "(unnamed)", (long long)r->import_id,
             (long long)ld->requests, ld->requests == 1 ? "request" : "requests", ld->first,
             ld->last);
    exit_drill d = ld->d;
    d.drilled_on = ld->last;
    d.evidence = arena_strdup(a, evidence);
    d.recorded_by = o->actor;
    d.created_at = now;
    entity_ctx ctx = {.today = clock_today()};
    if (!d.evidence || store_drill_add(db, &d, &r->err) != ST_OK)
        return -1;
    return audit_record(db, o->actor, "create", DRILL_DESC.name, d.id, NULL,
                        entity_text(a, &DRILL_DESC, &d, &ctx), &r->err) == ST_OK
               ? 0
               : -1;
}

static int ls_apply(sy_db *db, const import_opts *o, import_result *r, const char *source,
                    const char *now)
{
    for (size_t i = 0; i < r->plan.n; i++) {
        plan_item *it = r->plan.items[i];
        if (it->action != PA_CREATE && it->action != PA_CHANGE)
            continue;
        int rc = !strcmp(it->entity, "drill") ? apply_drill(db, o, r, it, now)
                                               : apply_spend(db, o, r, it, source, now);
        if (rc != 0)
            return -1;
    }
    return 0;
}

const import_kind IMPORT_LITELLM_SPEND = {"litellm-spend", ls_plan, ls_apply, 0};
