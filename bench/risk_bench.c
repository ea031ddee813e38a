/* risk_bench.c - times the analysis the read endpoints do, on a synthetic
 * portfolio far larger than any real one: 10,000 workloads, 300 offerings,
 * 1,000 contracts (950 customer, 50 upstream with dated terms), 40 vendors
 * in 28 groups with closely connected pairs. Generated with a fixed-seed
 * PRNG, so every run and every machine sees the same portfolio.
 *
 * A benchmark program, not a test: it prints a markdown table (median of 5
 * runs, CLOCK_MONOTONIC, pinned to one core) with the 50 ms target per row
 * and whether each row meets it. Exit status 0 either way, unless
 * --strict is given (then 1 when a row misses).
 *
 * Rows: the pure computations (core/), and what a read endpoint computes.
 * The server keeps one scored snapshot per data generation and day
 * (api/analysis.c), so a "warm" read computes only its view, while the
 * first read after any change ("cold") also rebuilds the snapshot: index +
 * risk for every workload. Loading from SQLite and writing JSON are not
 * timed, except the summary's and strategy view's deadline and upstream
 * term lists, written with the API's own helpers since they scan the
 * portfolio.
 *
 * Build (Release, -O2) and run:
 *   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release \
 *         -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" -DSWITCHYARD_BENCH=ON
 *   cmake --build build-bench --target risk_bench -j2
 *   build-bench/bench/risk_bench [--runs N] [--cpu N] [--strict] [--only ROW] */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/analysis.h"
#include "common/text.h"
#include "core/concentration.h"
#include "core/findings.h"
#include "core/portfolio.h"
#include "core/risk.h"
#include "core/scenario.h"

#define N_VENDORS 40
#define N_OFFERINGS 300
#define N_CONTRACTS 1000
#define N_UPSTREAM 50          /* every 20th contract */
#define N_WORKLOADS 10000
#define TARGET_MS 50.0
#define MAX_RUNS 25

/* ---- deterministic PRNG (splitmix64) --------------------------------------- */

static uint64_t rng_state = 0x5eed5eed2026ULL;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double unif(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }
static int below(int n) { return (int)(unif() * n); }
static int between(int lo, int hi) { return lo + below(hi - lo + 1); }

/* Index drawn from cumulative weights. */
static int pick(const int *weights, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += weights[i];
    int x = below(total);
    for (int i = 0; i < n; i++) {
        if (x < weights[i])
            return i;
        x -= weights[i];
    }
    return n - 1;
}

/* Skewed index in [0, n): a few popular items, a long tail. */
static int skewed(int n)
{
    double u = unif();
    return (int)(u * u * n);
}

/* ---- the synthetic portfolio ----------------------------------------------- */

static vendor V[N_VENDORS];
static offering O[N_OFFERINGS];
static contract C[N_CONTRACTS];
static workload W[N_WORKLOADS];
static arena G;                /* the generator's strings and arrays */

static const char *dup(const char *s) { return arena_strdup(&G, s); }

static const char *day_str(int64_t day)
{
    char text[11];
    date_format(day, text);
    return dup(text);
}

/* Known vendors first (the real catalogue's groups), then synthetic ones;
 * about one vendor in four is a subsidiary. */
static const char *const KNOWN[] = {"Microsoft", "GitHub", "OpenAI", "Anthropic", "Alphabet",
                                    "Google", "Amazon", "Amazon Web Services", "Mistral AI",
                                    "DeepSeek", "Meta", "Okta", "LinkedIn", "Google DeepMind"};
static const int KNOWN_PARENT[] = {0, 1, 0, 0, 0, 5, 0, 7, 0, 0, 0, 0, 1, 5};
enum { MICROSOFT = 1, GITHUB = 2, OPENAI = 3, ANTHROPIC = 4, GOOGLE = 6, AWS = 8,
       MISTRAL = 9, DEEPSEEK = 10, META = 11, OKTA = 12 };

static vendor_link LINKS[3];

static void gen_vendors(void)
{
    for (int i = 0; i < N_VENDORS; i++) {
        vendor *v = &V[i];
        v->id = i + 1;
        if (i < 14) {
            v->name = KNOWN[i];
            v->parent = KNOWN_PARENT[i];
        } else {
            char name[32];
            snprintf(name, sizeof name, "Vendor %02d", i + 1);
            v->name = dup(name);
            v->parent = (i % 4 == 3) ? i : 0;   /* the vendor before it */
        }
    }
    for (int i = 0; i < N_VENDORS; i++) {
        int64_t g = V[i].id;
        while (V[g - 1].parent)
            g = V[g - 1].parent;
        V[i].group_id = g;
        V[i].group_name = V[g - 1].name;
    }
    /* Closely connected: Microsoft-OpenAI, Amazon-Anthropic, 21-26. */
    LINKS[0] = (vendor_link){OPENAI, "equity stake and licence"};
    LINKS[1] = (vendor_link){ANTHROPIC, "investment"};
    LINKS[2] = (vendor_link){26, "joint venture"};
    V[MICROSOFT - 1].connections = &LINKS[0];
    V[MICROSOFT - 1].n_connections = 1;
    V[7 - 1].connections = &LINKS[1];
    V[7 - 1].n_connections = 1;
    V[21 - 1].connections = &LINKS[2];
    V[21 - 1].n_connections = 1;
}

/* Providers, weighted: Microsoft's group a quarter, the clouds and model
 * labs most of the rest, synthetic vendors the tail. */
static int64_t pick_provider(void)
{
    static const int64_t who[] = {MICROSOFT, GITHUB, OPENAI, ANTHROPIC, GOOGLE, AWS, MISTRAL,
                                  DEEPSEEK, META, OKTA, 13, 14, 0};
    static const int weight[] = {18, 4, 9, 5, 11, 14, 3, 2, 3, 2, 2, 2, 25};
    int64_t v = who[pick(weight, 13)];
    return v ? v : between(15, N_VENDORS);
}

static int64_t model_publisher(void)
{
    static const int64_t who[] = {OPENAI, ANTHROPIC, GOOGLE, META, MISTRAL, DEEPSEEK};
    static const int weight[] = {35, 20, 15, 12, 10, 8};
    return who[pick(weight, 6)];
}

static int is_cloud_group(int64_t vendor_id)
{
    int64_t g = V[vendor_id - 1].group_id;
    return g == MICROSOFT || g == 7 || g == 5;
}

static const char *const CATS[] = {"model_api", "assistant", "platform", "data_store",
                                   "identity", "tooling"};
static const char *const ROLE_OF_CAT[] = {"model", "assistant", "hosting", "data",
                                          "identity", "tooling"};
static int by_cat[6][N_OFFERINGS];   /* offering indexes per category */
static int n_by_cat[6];

static void gen_offerings(void)
{
    static const int cat_weight[] = {35, 15, 12, 20, 6, 12};
    for (int i = 0; i < N_OFFERINGS; i++) {
        offering *o = &O[i];
        o->id = 1001 + i;
        int cat = pick(cat_weight, 6);
        o->category = CATS[cat];
        o->provider = pick_provider();
        char name[128];
        snprintf(name, sizeof name, "%s %s %d", V[o->provider - 1].name, CATS[cat], i + 1);
        o->name = dup(name);
        int64_t g = V[o->provider - 1].group_id;
        if (cat <= 1)
            o->publisher = unif() < 0.6 ? model_publisher() : o->provider;
        else
            o->publisher = unif() < 0.2 ? o->provider : 0;
        /* Open-weight models run self-hosted; clouds host their own; the
         * rest run on a cloud or their own infrastructure. */
        o->open_weight = cat == 0 && (o->publisher == META || o->publisher == MISTRAL) &&
                         unif() < 0.5;
        if (o->open_weight)
            o->host = 0;
        else if (is_cloud_group(o->provider) || unif() < 0.5)
            o->host = o->provider;
        else
            o->host = (int64_t[]){MICROSOFT, AWS, GOOGLE}[below(3)];
        o->track = g == MICROSOFT ? (cat == 1 ? "copilot" : "azure")
                 : g == OPENAI || o->publisher == OPENAI ? "openai" : "other";
        static const char *const itf[] = {"openai_compatible", "open_standard", "proprietary"};
        static const int w_model[] = {55, 5, 40}, w_assist[] = {15, 0, 85},
                         w_platform[] = {0, 30, 70}, w_data[] = {0, 45, 55},
                         w_identity[] = {0, 80, 20}, w_tooling[] = {20, 50, 30};
        static const int *const w_itf[] = {w_model, w_assist, w_platform, w_data, w_identity,
                                           w_tooling};
        o->interface = itf[pick(w_itf[cat], 3)];
        o->description = "";
        o->url = "";
        by_cat[cat][n_by_cat[cat]++] = i;
    }
}

static const char *const TERM_KIND_MIX[] = {"licence", "distribution", "cloud_priority",
                                            "revenue_share", "equity", "other"};

static int has_offering(const int64_t *list, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == id)
            return 1;
    return 0;
}

static void gen_contracts(int64_t today)
{
    static const int notice_w[] = {10, 35, 25, 20, 10};
    static const int64_t notices[] = {0, 30, 60, 90, 180};
    for (int i = 0; i < N_CONTRACTS; i++) {
        contract *c = &C[i];
        c->id = i + 1;
        int upstream = i % (N_CONTRACTS / N_UPSTREAM) == N_CONTRACTS / N_UPSTREAM - 1;
        c->kind = upstream ? "upstream" : "customer";
        c->counterparty = upstream ? model_publisher() : pick_provider();
        c->other_party = upstream ? (int64_t[]){MICROSOFT, AWS, GOOGLE}[below(3)] : 0;
        char name[128];
        snprintf(name, sizeof name, "%s agreement %d", V[c->counterparty - 1].name, i + 1);
        c->name = dup(name);
        /* 1-20 offerings, mostly few; most of the counterparty's group. */
        int n = 1 + (int)(unif() * unif() * 20);
        if (n > 20)
            n = 20;
        c->offerings = arena_alloc(&G, (size_t)n * sizeof *c->offerings);
        size_t k = 0;
        int64_t g = V[c->counterparty - 1].group_id;
        for (int tries = 0; k < (size_t)n && tries < 400; tries++) {
            const offering *o = &O[skewed(N_OFFERINGS)];
            int own = upstream ? o->publisher == c->counterparty
                               : V[o->provider - 1].group_id == g;
            if ((own || tries > 200 || unif() < 0.3) && !has_offering(c->offerings, k, o->id))
                c->offerings[k++] = o->id;
        }
        c->n_offerings = k;
        c->start_date = day_str(today - between(30, 1500));
        c->end_date = unif() < 0.08 ? NULL : day_str(today + between(-365, 1460));
        c->notice_days = notices[pick(notice_w, 5)];
        c->auto_renew = unif() < 0.4;
        c->renewal_months = c->auto_renew ? 12 * between(1, 3) : 0;
        c->annual_value = (int64_t)between(10, 5000) * 100000;
        c->currency = "USD";
        c->committed_spend = unif() < 0.35 ? c->annual_value / 2 : 0;
        c->exclusive = unif() < 0.04;
        static const char *const exits[] = {"none", "partial", "full"};
        static const int exit_w[] = {15, 45, 40};
        c->exit_clause = exits[pick(exit_w, 3)];
        c->data_portability = unif() < 0.8;
        static const char *const subst[] = {"easy", "medium", "hard", "none"};
        static const int subst_w[] = {30, 40, 22, 8};
        c->substitutability = subst[pick(subst_w, 4)];
        c->exit_plan = "";
        c->notes = "";
        if (upstream) {
            c->notice_days = 0;
            c->auto_renew = 0;
            c->renewal_months = 0;
            c->n_terms = (size_t)between(1, 5);
            c->terms = arena_alloc(&G, c->n_terms * sizeof *c->terms);
            for (size_t t = 0; t < c->n_terms; t++) {
                contract_term *term = &c->terms[t];
                term->kind = TERM_KIND_MIX[below(6)];
                snprintf(name, sizeof name, "Term %zu of agreement %d", t + 1, i + 1);
                term->text = dup(name);
                term->effective = day_str(today - between(0, 400));
                term->until = unif() < 0.3 ? NULL
                              : day_str(days_from_civil(between(2027, 2035), 12, 31));
            }
        }
    }
}

static const char *const FEATURES[] = {"Structured outputs", "Vector stores",
                                       "Provisioned throughput", "Agents SDK tracing",
                                       "Graph grounding", "Realtime API", "Batch API",
                                       "Prompt shields"};

static void gen_workloads(int64_t today)
{
    static const char *const statuses[] = {"proposed", "pilot", "production", "retired"};
    static const int status_w[] = {15, 22, 55, 8};
    static const char *const crits[] = {"low", "medium", "high", "critical"};
    static const int crit_w[] = {25, 40, 25, 10};
    static const int role_w[] = {15, 0, 15, 30, 25, 15};   /* by category, after the first */
    static const int track_w[] = {15, 35, 25, 25};
    for (int i = 0; i < N_WORKLOADS; i++) {
        workload *w = &W[i];
        w->id = i + 1;
        char name[32];
        snprintf(name, sizeof name, "Workload %05d", i + 1);
        w->name = dup(name);
        w->purpose = w->owner = w->team = w->notes = "";
        w->status = statuses[pick(status_w, 4)];
        w->criticality = crits[pick(crit_w, 4)];
        w->data_classification = "internal";
        w->ai_act_tier = "minimal";
        w->users = between(5, 5000);
        w->monthly_spend = (int64_t)(unif() * unif() * 5000000.0);
        w->planned_end = unif() < 0.5 ? NULL : day_str(today + between(-100, 4000));
        w->swap_layer = unif() < 0.3;
        /* 30% name an alternative for their first dependency (domain.md
         * rev. 2 replaced second_model_validated with named alternatives). */
        int named = unif() < 0.3;
        if (unif() < 0.45) {
            w->n_features = (size_t)between(1, 3);
            w->features = arena_alloc(&G, w->n_features * sizeof *w->features);
            for (size_t f = 0; f < w->n_features; f++)
                w->features[f] = FEATURES[below(8)];
        }
        /* 1-6 dependencies: a model (or assistant) first, then data,
         * identity, hosting, tooling or another model; popular offerings
         * are chosen more often. */
        size_t n = (size_t)between(1, 6);
        w->dependencies = arena_alloc(&G, n * sizeof *w->dependencies);
        for (size_t d = 0; d < n; d++) {
            int cat = d == 0 ? (unif() < 0.8 ? 0 : 1) : pick(role_w, 6);
            if (n_by_cat[cat] == 0)
                cat = 0;
            const offering *o = &O[by_cat[cat][skewed(n_by_cat[cat])]];
            w->dependencies[d].offering = o->id;
            w->dependencies[d].role = ROLE_OF_CAT[cat];
        }
        w->n_dependencies = n;
        if (named) {
            const offering *first = &O[w->dependencies[0].offering - 1001];
            int cat = strcmp(first->category, "assistant") == 0 && n_by_cat[1] ? 1 : 0;
            w->alternatives = arena_alloc(&G, sizeof *w->alternatives);
            w->alternatives[0].dependency = first->id;
            w->alternatives[0].offering = O[by_cat[cat][skewed(n_by_cat[cat])]].id;
            w->n_alternatives = w->alternatives[0].offering != first->id;
        }
        w->track = unif() < 0.8 ? O[w->dependencies[0].offering - 1001].track
                                : TRACKS[pick(track_w, 4)];
        w->created_at = w->updated_at = "2026-01-01T00:00:00Z";
    }
}

/* ---- timing ------------------------------------------------------------------ */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct row {
    const char *name;
    void (*fn)(arena *a);
    double median, min, max;
} row;

static portfolio P;            /* the indexed snapshot the rows share */
static risk_weights WTS;
static risk_result *RISK;      /* one per workload, from the last risk pass */
static int64_t LARGEST;        /* the group with the largest provider spend */
static volatile int64_t SINK;  /* keeps results observable */

/* analysis_load()'s computation: a fresh index and every workload scored
 * (without sentences, as the snapshot scores them: risk_score()). */
static void index_and_risk(arena *a, portfolio *p, risk_result *out)
{
    *p = P;
    if (portfolio_index(p, a) != 0 || risk_prepare(p, a) != 0)
        abort();
    for (size_t i = 0; i < p->n_workloads; i++)
        risk_score(p, &p->workloads[i], &WTS, &out[i]);
}

static void run_index(arena *a)
{
    portfolio p = P;
    if (portfolio_index(&p, a) != 0 || risk_prepare(&p, a) != 0)
        abort();
    SINK += (int64_t)p.cover_count[0];
}

/* What the snapshot does: scores only; sentences come on output. */
static void run_score(arena *a)
{
    (void)a;
    int64_t total = 0;
    for (size_t i = 0; i < P.n_workloads; i++) {
        risk_score(&P, &P.workloads[i], &WTS, &RISK[i]);
        total += RISK[i].score;
    }
    SINK += total;
}

static void run_risk(arena *a)
{
    int64_t total = 0;
    for (size_t i = 0; i < P.n_workloads; i++) {
        risk_assess(&P, &P.workloads[i], &WTS, a, &RISK[i]);
        total += RISK[i].score;
    }
    SINK += total;
}

static void run_concentration(arena *a)
{
    concentration c;
    if (concentration_compute(&P, 1, 1, NULL, NULL, a, &c) != 0)
        abort();
    SINK += (int64_t)c.layers[0].hhi;
}

static void run_endpoint_concentration(arena *a)
{
    portfolio p;
    index_and_risk(a, &p, RISK);
    concentration c;
    if (concentration_compute(&p, 1, 1, NULL, NULL, a, &c) != 0)
        abort();
    SINK += (int64_t)c.layers[0].hhi;
}

typedef struct exposure {
    size_t i;
    int value;
} exposure;

static int by_exposure(const void *x, const void *y)
{
    const exposure *a = x, *b = y;
    return b->value - a->value;
}

/* A request stand-in for the API helpers that write lists (they use only
 * the arena and the JSON writer). */
static void fake_request(sy_request *rq, arena *a)
{
    memset(rq, 0, sizeof *rq);
    rq->arena = *a;
    buf_init(&rq->out);
    jw_init(&rq->jw, &rq->out);
}

static void end_request(sy_request *rq, arena *a)
{
    SINK += (int64_t)rq->out.len;
    buf_free(&rq->out);
    *a = rq->arena;
}

/* The summary's computation over a scored snapshot: flagged by exposure,
 * concentration on both bases, deadlines and upstream terms. */
static void summary_view(analysis *an, arena *a)
{
    exposure *ex = arena_alloc(a, an->p.n_workloads * sizeof *ex);
    size_t n = 0;
    for (size_t i = 0; i < an->p.n_workloads; i++)
        if (strcmp(an->p.workloads[i].status, "retired") != 0 && an->risk[i].flagged)
            ex[n++] = (exposure){i, an->risk[i].score *
                                        criticality_weight(an->p.workloads[i].criticality)};
    qsort(ex, n, sizeof *ex, by_exposure);
    concentration spend, weighted;
    if (concentration_compute(&an->p, 1, 0, NULL, NULL, a, &spend) != 0 ||
        concentration_compute(&an->p, 0, 0, NULL, NULL, a, &weighted) != 0)
        abort();
    sy_request rq;
    fake_request(&rq, a);
    write_deadlines(&rq, an, 180, NULL, NULL);
    write_upstream_terms(&rq, an, NULL, NULL);
    end_request(&rq, a);
    SINK += (int64_t)spend.layers[0].hhi + (int64_t)weighted.layers[0].hhi + (int64_t)n;
}

static void run_summary_warm(arena *a)
{
    analysis an = {.p = P, .weights = WTS, .risk = RISK, .snap = NULL};
    summary_view(&an, a);
}

static void run_endpoint_summary(arena *a)
{
    analysis an = {.weights = WTS, .risk = RISK, .snap = NULL};
    index_and_risk(a, &an.p, RISK);
    summary_view(&an, a);
}

static int in_track(const workload *w, const void *track)
{
    return strcmp(w->track, (const char *)track) == 0;
}

static void run_strategy(arena *a)
{
    finding *f;
    size_t n;
    concentration c;
    if (findings_for_track(&P, RISK, "azure", a, &f, &n) != 0 ||
        concentration_compute(&P, 1, 0, in_track, "azure", a, &c) != 0)
        abort();
    SINK += (int64_t)n + (int64_t)c.layers[0].hhi;
}

static int contract_in_track(const contract *c, const void *ctx)
{
    const analysis *an = ((const void *const *)ctx)[0];
    const char *track = ((const void *const *)ctx)[1];
    for (size_t i = 0; i < c->n_offerings; i++) {
        const offering *o = pf_offering(&an->p, c->offerings[i]);
        if (o && strcmp(o->track, track) == 0)
            return 1;
    }
    return 0;
}

/* GET /strategies/azure over a scored snapshot: findings, concentration
 * in the track, its contracts, deadlines, upstream terms and cross-track
 * rows (strategies.c). */
static void strategy_view(analysis *an, arena *a)
{
    finding *f;
    size_t n;
    concentration c;
    if (findings_for_track(&an->p, an->risk, "azure", a, &f, &n) != 0 ||
        concentration_compute(&an->p, 1, 0, in_track, "azure", a, &c) != 0)
        abort();
    const void *ctx[2] = {an, "azure"};
    int64_t k = 0;
    for (size_t i = 0; i < an->p.n_contracts; i++)
        k += strcmp(an->p.contracts[i].kind, "customer") == 0 &&
             contract_in_track(&an->p.contracts[i], ctx);
    for (size_t i = 0; i < an->p.n_workloads; i++)
        k += workload_crosses(&an->p, &an->p.workloads[i], "azure");
    sy_request rq;
    fake_request(&rq, a);
    write_deadlines(&rq, an, 180, contract_in_track, ctx);
    write_upstream_terms(&rq, an, in_track, "azure");
    end_request(&rq, a);
    SINK += k + (int64_t)n + (int64_t)c.layers[0].hhi;
}

static void run_strategy_warm(arena *a)
{
    analysis an = {.p = P, .weights = WTS, .risk = RISK, .snap = NULL};
    strategy_view(&an, a);
}

static void run_endpoint_strategy(arena *a)
{
    analysis an = {.weights = WTS, .risk = RISK, .snap = NULL};
    index_and_risk(a, &an.p, RISK);
    strategy_view(&an, a);
}

static scenario EXIT_LARGEST;

static void run_scenario(arena *a)
{
    /* As the server does: the snapshot's scores are the before side. */
    scenario_result r;
    if (scenario_evaluate_scored(&P, &WTS, RISK, &EXIT_LARGEST, a, &r) != 0)
        abort();
    SINK += r.counts[OUTCOME_STRANDED];
}

static void run_endpoint_scenario(arena *a)
{
    portfolio p;
    index_and_risk(a, &p, RISK);
    scenario_result r;
    if (scenario_evaluate_scored(&p, &WTS, RISK, &EXIT_LARGEST, a, &r) != 0)
        abort();
    SINK += r.counts[OUTCOME_STRANDED];
}

static void time_row(row *r, int runs)
{
    double t[MAX_RUNS];
    for (int k = 0; k < runs; k++) {
        arena a;
        arena_init(&a);
        double t0 = now_ms();
        r->fn(&a);
        t[k] = now_ms() - t0;
        arena_free(&a);
    }
    qsort(t, (size_t)runs, sizeof t[0], cmp_double);
    r->median = t[runs / 2];
    r->min = t[0];
    r->max = t[runs - 1];
}

/* ---- facts about the generated portfolio ---------------------------------- */

static void describe(void)
{
    size_t deps = 0, active = 0, max_cover = 0, over_cap = 0, cover_total = 0;
    size_t *covering = malloc(N_CONTRACTS * sizeof *covering);
    for (size_t i = 0; i < P.n_workloads; i++) {
        deps += P.workloads[i].n_dependencies;
        active += strcmp(P.workloads[i].status, "retired") != 0;
        size_t n = pf_workload_contracts(&P, &P.workloads[i], covering, N_CONTRACTS);
        cover_total += n;
        if (n > max_cover)
            max_cover = n;
        over_cap += n > 256;
    }
    free(covering);
    size_t cov = 0;
    for (size_t c = 0; c < P.n_contracts; c++)
        cov += P.contracts[c].n_offerings;
    int levels[4] = {0}, flagged = 0;
    for (size_t i = 0; i < P.n_workloads; i++) {
        levels[RISK[i].level]++;
        flagged += RISK[i].flagged;
    }
    printf("Synthetic portfolio (seed fixed): %d vendors, %zu offerings, %zu contracts "
           "(%d upstream), %zu workloads (%zu active), %zu dependencies (%.2f per workload), "
           "%zu contract-offering links (%.1f per contract).\n",
           N_VENDORS, P.n_offerings, P.n_contracts, N_UPSTREAM, P.n_workloads, active, deps,
           (double)deps / (double)P.n_workloads, cov, (double)cov / (double)P.n_contracts);
    printf("Covering contracts per workload: mean %.1f, max %zu; %zu workloads have more "
           "than 256 (risk.c's stack buffer).\n",
           (double)cover_total / (double)P.n_workloads, max_cover, over_cap);
    printf("Risk levels: %d low, %d medium, %d high, %d critical; %d flagged.\n", levels[0],
           levels[1], levels[2], levels[3], flagged);
}

int main(int argc, char **argv)
{
    int runs = 5, strict = 0, cpu = 0;
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--strict") == 0)
            strict = 1;
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--cpu") == 0 && i + 1 < argc)
            cpu = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: risk_bench [--runs N] [--cpu N] [--strict] [--only ROW-PREFIX]\n");
            return 2;
        }
    }
    if (runs < 1 || runs > MAX_RUNS)
        runs = 5;

    /* One core: the server answers a request on one worker thread. */
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    int pinned = sched_setaffinity(0, sizeof one, &one) == 0;

    arena_init(&G);
    int64_t today;
    if (date_parse("2026-05-01", &today) != 0)
        return 1;
    gen_vendors();
    gen_offerings();
    gen_contracts(today);
    gen_workloads(today);
    memset(&P, 0, sizeof P);
    P.today = today;
    P.vendors = V;
    P.n_vendors = N_VENDORS;
    P.offerings = O;
    P.n_offerings = N_OFFERINGS;
    P.contracts = C;
    P.n_contracts = N_CONTRACTS;
    P.workloads = W;
    P.n_workloads = N_WORKLOADS;
    if (portfolio_index(&P, &G) != 0 || risk_prepare(&P, &G) != 0)
        return 1;
    risk_default_weights(&WTS);
    RISK = calloc(N_WORKLOADS, sizeof *RISK);
    arena warm;
    arena_init(&warm);
    run_risk(&warm);   /* RISK filled for the rows that take scores as given */

    concentration c;
    if (concentration_compute(&P, 1, 0, NULL, NULL, &warm, &c) != 0)
        return 1;
    LARGEST = c.layers[LAYER_PROVIDER].shares[0].group;
    static scenario_change exit_change;
    exit_change.type = CHANGE_EXIT_GROUP;
    exit_change.id = LARGEST;
    EXIT_LARGEST.changes = &exit_change;
    EXIT_LARGEST.n_changes = 1;

    describe();
    scenario_result sr;
    if (scenario_evaluate(&P, &WTS, &EXIT_LARGEST, &warm, &sr) != 0)
        return 1;
    printf("Scenario: exit the largest provider group, %s (%.0f%% of provider spend): "
           "%d unaffected, %d movable, %d stranded; %zu offerings unavailable.\n",
           V[LARGEST - 1].name, c.layers[LAYER_PROVIDER].shares[0].share * 100.0,
           sr.counts[OUTCOME_UNAFFECTED], sr.counts[OUTCOME_MOVABLE],
           sr.counts[OUTCOME_STRANDED], sr.n_unavailable);
    printf("Timing: median of %d runs, CLOCK_MONOTONIC, %s %d.\n\n", runs,
           pinned ? "pinned to CPU" : "not pinned (sched_setaffinity failed), asked for CPU", cpu);
    arena_free(&warm);

    /* "warm": the scored snapshot is cached (analysis.c keeps it per data
     * generation and day), so a read computes only its view. "cold": the
     * first read after any change also rebuilds it: index + risk. */
    row rows[] = {
        {"index: portfolio_index (groups, covering-contract index)", run_index, 0, 0, 0},
        {"risk: whole portfolio, risk_assess x 10,000", run_risk, 0, 0, 0},
        {"risk: whole portfolio, scores only, risk_score x 10,000", run_score, 0, 0, 0},
        {"concentration: one basis, connected merged", run_concentration, 0, 0, 0},
        {"summary, warm: exposure top list + concentration both bases + deadlines + "
         "upstream terms",
         run_summary_warm, 0, 0, 0},
        {"summary-equivalent, cold: index + risk + the above", run_endpoint_summary, 0, 0, 0},
        {"strategy view core: findings_for_track(azure) + concentration in the track",
         run_strategy, 0, 0, 0},
        {"strategy view, warm: core + contracts, deadlines, upstream terms, cross-track",
         run_strategy_warm, 0, 0, 0},
        {"strategy view, cold: index + risk + the above", run_endpoint_strategy, 0, 0, 0},
        {"concentration endpoint, cold: index + risk + concentration",
         run_endpoint_concentration, 0, 0, 0},
        {"scenario: scenario_evaluate, exit the largest group", run_scenario, 0, 0, 0},
        {"scenario endpoint, cold: index + risk + scenario", run_endpoint_scenario, 0, 0, 0},
    };
    size_t n_rows = sizeof rows / sizeof rows[0];
    int missed = 0;
    printf("| computation | median ms | min ms | max ms | target ms | result |\n");
    printf("| --- | ---: | ---: | ---: | ---: | --- |\n");
    for (size_t i = 0; i < n_rows; i++) {
        if (only && strncmp(rows[i].name, only, strlen(only)) != 0)
            continue;
        time_row(&rows[i], runs);
        int pass = rows[i].median <= TARGET_MS;
        missed += !pass;
        printf("| %s | %.2f | %.2f | %.2f | %.0f | %s |\n", rows[i].name, rows[i].median,
               rows[i].min, rows[i].max, TARGET_MS, pass ? "pass" : "FAIL");
        fflush(stdout);
    }
    free(RISK);
    arena_free(&G);
    return strict && missed ? 1 : 0;
}
