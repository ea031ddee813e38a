/* analysis.c - the scored portfolio snapshot; see analysis.h.
 *
 * Building a snapshot loads every row and scores every workload, so one is
 * shared: the latest snapshot is kept, reference-counted, and reused by all
 * threads while the data generation and the day stay the same. A request
 * inside its own transaction (a write, or a report's read snapshot) builds
 * a private one instead, so it sees exactly what that transaction sees. */
#include "api/analysis.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"

struct snapshot {
    arena arena;                /* owns everything below */
    portfolio p;
    risk_weights weights;
    risk_result *risk;
    uint64_t generation, catalogue_generation;
    int64_t today;
    int refs;                   /* the cache holds one */
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t build_lock = PTHREAD_MUTEX_INITIALIZER;
static snapshot *latest;

static void unref(snapshot *s)
{
    int last;
    pthread_mutex_lock(&cache_lock);
    last = --s->refs == 0;
    pthread_mutex_unlock(&cache_lock);
    if (last) {
        arena_free(&s->arena);
        free(s);
    }
}

static void release(void *arg)
{
    unref(arg);
}

/* Loads and scores into s->arena; 0, or -1 with err filled. */
static int build(sy_db *db, snapshot *s, store_err *err)
{
    int code = store_begin_read(db, err);
    if (code == ST_OK) {
        code = store_portfolio_load(db, &s->arena, &s->p, err);
        if (code == ST_OK)
            code = store_weights_get(db, s->weights.points, RISK_FACTORS, err);
        store_end_read(db);
    }
    if (code != ST_OK)
        return -1;
    s->p.today = s->today;
    if (portfolio_index(&s->p, &s->arena) != 0 || risk_prepare(&s->p, &s->arena) != 0)
        goto oom;
    s->risk = NULL;
    if (s->p.n_workloads && !(s->risk = arena_alloc(&s->arena, s->p.n_workloads * sizeof(risk_result))))
        goto oom;
    for (size_t i = 0; i < s->p.n_workloads; i++)
        risk_assess(&s->p, &s->p.workloads[i], &s->weights, &s->arena, &s->risk[i]);
    return 0;
oom:
    err->code = ST_ERROR;
    copy_str(err->detail, sizeof err->detail, "Out of memory.");
    err->pointer[0] = '\0';
    return -1;
}

/* A snapshot that satisfies `fresh`, from the cache or newly built. */
static snapshot *obtain(sy_db *db, int need_full, store_err *err)
{
    uint64_t gen = store_generation(db), cat = store_catalogue_generation(db);
    int64_t today = clock_today();
    snapshot *s = NULL;
    for (int pass = 0; pass < 2 && !s; pass++) {
        pthread_mutex_lock(&cache_lock);
        if (latest && latest->today == today &&
            (need_full ? latest->generation == gen : latest->catalogue_generation == cat)) {
            s = latest;
            s->refs++;
        }
        pthread_mutex_unlock(&cache_lock);
        if (s)
            return s;
        if (pass == 0) {
            /* One builder at a time; the others find its result. */
            pthread_mutex_lock(&build_lock);
            pthread_mutex_lock(&cache_lock);
            int ready = latest && latest->today == today &&
                        (need_full ? latest->generation == gen : latest->catalogue_generation == cat);
            pthread_mutex_unlock(&cache_lock);
            if (ready) {
                pthread_mutex_unlock(&build_lock);
                continue;
            }
            s = calloc(1, sizeof *s);
            if (!s) {
                pthread_mutex_unlock(&build_lock);
                break;
            }
            arena_init(&s->arena);
            s->generation = gen;
            s->catalogue_generation = cat;
            s->today = today;
            s->refs = 2; /* the cache and the caller */
            if (build(db, s, err) != 0) {
                pthread_mutex_unlock(&build_lock);
                arena_free(&s->arena);
                free(s);
                return NULL;
            }
            pthread_mutex_lock(&cache_lock);
            snapshot *old = latest;
            latest = s;
            pthread_mutex_unlock(&cache_lock);
            pthread_mutex_unlock(&build_lock);
            if (old)
                unref(old);
            return s;
        }
    }
    if (!s) {
        err->code = ST_ERROR;
        copy_str(err->detail, sizeof err->detail, "Out of memory.");
        err->pointer[0] = '\0';
    }
    return s;
}

static int fill(sy_request *rq, analysis *an, int need_full)
{
    store_err err;
    memset(an, 0, sizeof *an);
    snapshot *s;
    if (store_in_transaction(rq->db)) {
        /* Private: must see this transaction's view, and must not be shared. */
        s = calloc(1, sizeof *s);
        if (!s)
            return problem(rq, 500, NULL, "Out of memory.");
        s->today = clock_today();
        arena_init(&s->arena);
        if (build(rq->db, s, &err) != 0) {
            arena_free(&s->arena);
            free(s);
            return problem_store(rq, &err);
        }
        s->refs = 1;
    } else if (!(s = obtain(rq->db, need_full, &err))) {
        return problem_store(rq, &err);
    }
    if (req_on_done(rq, release, s) != 0) {
        unref(s);
        return problem(rq, 500, NULL, "Too many snapshots in one request.");
    }
    an->p = s->p;
    an->weights = s->weights;
    an->risk = s->risk;
    an->snap = s;
    return 0;
}

int analysis_load(sy_request *rq, analysis *an)
{
    return fill(rq, an, 1);
}

int analysis_catalogue(sy_request *rq, analysis *an)
{
    return fill(rq, an, 0);
}

void analysis_score(const analysis *an, const workload *w, arena *a, risk_result *out)
{
    risk_assess(&an->p, w, &an->weights, a, out);
}

const risk_result *analysis_risk(const analysis *an, const workload *w)
{
    return &an->risk[w - an->p.workloads];
}

void risk_json(jw *w, const risk_result *r)
{
    jw_obj(w);
    jw_kint(w, "score", r->score);
    jw_kstr(w, "level", RISK_LEVELS[r->level]);
    jw_kbool(w, "flagged", r->flagged);
    jw_key(w, "factors");
    jw_arr(w);
    for (int i = 0; i < r->n_factors; i++) {
        jw_obj(w);
        jw_kstr(w, "code", RISK_CODES[r->factors[i].code]);
        jw_kint(w, "points", r->factors[i].points);
        jw_kstr(w, "reason", r->factors[i].reason);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

void jw_amount(jw *w, double units)
{
    double cents = units * 100.0;
    jw_money(w, (int64_t)(cents < 0 ? cents - 0.5 : cents + 0.5));
}

static double round_to(double v, double unit)
{
    return (double)(int64_t)(v / unit + (v < 0 ? -0.5 : 0.5)) * unit;
}

void concentration_json(jw *w, const concentration *c)
{
    jw_obj(w);
    jw_kstr(w, "basis", c->basis_spend ? "spend" : "workloads");
    jw_kbool(w, "connected", c->connected);
    jw_key(w, "layers");
    jw_obj(w);
    for (int l = 0; l < LAYERS; l++) {
        const conc_layer *layer = &c->layers[l];
        jw_key(w, LAYER_NAMES[l]);
        jw_obj(w);
        jw_key(w, "hhi");
        jw_double(w, round_to(layer->hhi, 1));
        jw_kstr(w, "band", layer->band);
        jw_key(w, "effective_providers");
        jw_double(w, round_to(layer->effective, 0.01));
        jw_key(w, "total");
        if (c->basis_spend)
            jw_amount(w, layer->total);
        else
            jw_double(w, layer->total);
        jw_key(w, "shares");
        jw_arr(w);
        for (size_t i = 0; i < layer->n_shares; i++) {
            const conc_share *s = &layer->shares[i];
            jw_obj(w);
            jw_kstr(w, "group", s->name);
            jw_key(w, "group_id");
            if (s->group > 0)
                jw_int(w, s->group);
            else
                jw_null(w);
            jw_key(w, "share");
            jw_double(w, round_to(s->share, 0.0001));
            jw_key(w, "amount");
            if (c->basis_spend)
                jw_amount(w, s->amount);
            else
                jw_double(w, round_to(s->amount, 0.01));
            jw_obj_end(w);
        }
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_obj_end(w);
    jw_obj_end(w);
}

int64_t days_until(const analysis *an, const char *date)
{
    int64_t d;
    if (!date || date_parse(date, &d) != 0)
        return INT64_MIN;
    return d - an->p.today;
}
