/* test_webhook.c - the pure side of webhooks (core/webhook.c,
 * core/webhook_events.c) and the sealing of their secrets
 * (jobs/webhook_secret.c): the signature against vectors computed
 * independently, the retry schedule, URL validation, event lists, the
 * body, the facts a portfolio states and the transitions they raise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "common/text.h"
#include "core/webhook.h"
#include "jobs/webhooks.h"

/* ---- signature ------------------------------------------------------------ */

static void signature_known_vectors(void **state)
{
    (void)state;
    /* Computed independently:
     *   printf '%s' '1764936000.{"id":"evt_1","type":"drill.failed"}' |
     *     openssl dgst -sha256 -hmac 'whsec_test'
     *   node -e 'console.log(require("crypto").createHmac("sha256","whsec_test")
     *     .update(`1764936000.{"id":"evt_1","type":"drill.failed"}`).digest("hex"))'
     * both print the hex below. */
    const char *secret = "whsec_test";
    const char *body = "{\"id\":\"evt_1\",\"type\":\"drill.failed\"}";
    char hex[65], header[160];
    assert_int_equal(webhook_sign((const unsigned char *)secret, strlen(secret), 1764936000, body,
                                  strlen(body), hex), 0);
    assert_string_equal(hex, "e90f727f1d7c0c4b66303232d6facfe9898d80c472bb87daded2e30775f86f42");
    assert_int_equal(webhook_signature_header((const unsigned char *)secret, strlen(secret),
                                              1764936000, body, strlen(body), header,
                                              sizeof header), 0);
    assert_string_equal(header, "t=1764936000,v1=e90f727f1d7c0c4b66303232d6facfe9898d80c472bb"
                                "87daded2e30775f86f42");
    /* RFC 4231 test case 2 has no "t." prefix; the prefix is part of the
     * message, so another timestamp or body gives another signature. */
    char other[65];
    webhook_sign((const unsigned char *)secret, strlen(secret), 1764936001, body, strlen(body),
                 other);
    assert_string_not_equal(hex, other);
    /* A header too small is refused, not truncated. */
    assert_int_equal(webhook_signature_header((const unsigned char *)secret, strlen(secret), 1,
                                              body, strlen(body), header, 20), -1);
}

/* ---- retry schedule ------------------------------------------------------- */

static void backoff_schedule(void **state)
{
    (void)state;
    /* base 30 s doubling: 30, 60, 120, ... capped at 6 h. */
    assert_int_equal(webhook_backoff(1, 30, 0), 30);
    assert_int_equal(webhook_backoff(2, 30, 0), 60);
    assert_int_equal(webhook_backoff(3, 30, 0), 120);
    assert_int_equal(webhook_backoff(10, 30, 0), 15360);
    assert_int_equal(webhook_backoff(11, 30, 0), WEBHOOK_RETRY_CAP);
    assert_int_equal(webhook_backoff(500, 30, 0), WEBHOOK_RETRY_CAP);
    /* Jitter: +-20 % at most, clamped. */
    assert_int_equal(webhook_backoff(1, 100, 200), 120);
    assert_int_equal(webhook_backoff(1, 100, -200), 80);
    assert_int_equal(webhook_backoff(1, 100, 900), 120);
    assert_int_equal(webhook_backoff(1, 1, -200), 1);       /* never under a second */
    assert_int_equal(webhook_backoff(0, 0, 0), 1);
    /* Retried for a day after it was queued, then failed (0). */
    int64_t first = 1000000;
    assert_int_equal(webhook_next_attempt(first + 10, first, 1, 30, 0), first + 40);
    int64_t late = first + WEBHOOK_RETRY_WINDOW - 100;
    assert_int_equal(webhook_next_attempt(late, first, 12, 30, 0), 0);
    assert_int_equal(webhook_next_attempt(late, first, 1, 30, 0), late + 30);
    /* The whole schedule at base 30 without jitter: 30 s .. 15360 s (ten
     * waits, 30690 s in all), then two of 6 h (73890 s); a third would
     * end past the day: 13 attempts in all. */
    int64_t now = first, attempts = 0;
    for (;;) {
        attempts++;
        int64_t next = webhook_next_attempt(now, first, attempts, 30, 0);
        if (!next)
            break;
        now = next;
    }
    assert_int_equal(attempts, 13);
}

/* ---- URL validation ------------------------------------------------------- */

static void url_validation(void **state)
{
    (void)state;
    const char *good[] = {"https://hooks.example.com/switchyard", "http://127.0.0.1:8080/h",
                          "HTTPS://Example.COM", "https://[::1]:8443/x?y=1#z",
                          "http://a-b.example.org:1/", "https://example.com:65535"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_null(webhook_url_check(good[i]));
    struct {
        const char *url, *says;
    } bad[] = {
        {"", "http or https"},
        {"ftp://example.com/", "http:// or https://"},
        {"javascript:alert(1)", "http:// or https://"},
        {"//example.com/", "http:// or https://"},
        {"https://user:pw@example.com/", "user information"},
        {"https://user@example.com/", "user information"},
        {"https:///path", "must name a host"},
        {"https://:80/", "must name a host"},
        {"https://exa_mple.com/", "valid host"},
        {"https://-example.com/", "valid host"},
        {"https://[::1/", "valid host"},
        {"https://example.com:0/", "port"},
        {"https://example.com:65536/", "port"},
        {"https://example.com:/", "port"},
        {"https://example.com:8a/", "port"},
        {"https://example.com/a b", "spaces"},
        {"https://example.com/\x01", "control"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *why = webhook_url_check(bad[i].url);
        assert_non_null(why);
        assert_non_null(strstr(why, bad[i].says));
    }
    assert_non_null(webhook_url_check(NULL));
    char longer[WEBHOOK_URL_MAX + 16];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    memcpy(longer, "https://example.com/", 20);
    assert_non_null(strstr(webhook_url_check(longer), "2048"));
    longer[WEBHOOK_URL_MAX] = '\0';
    assert_null(webhook_url_check(longer));
}

/* ---- event lists and body ------------------------------------------------- */

static void event_lists_and_body(void **state)
{
    (void)state;
    assert_int_equal(webhook_event_code("priority.p1"), WH_P1);
    assert_int_equal(webhook_event_code("audit.verify_failed"), WH_AUDIT_VERIFY_FAILED);
    assert_int_equal(webhook_event_code("workload"), -1);
    unsigned mask = webhook_events_mask("drill.failed,nope,workload.flagged,drill");
    assert_int_equal(mask, (1u << WH_DRILL_FAILED) | (1u << WH_FLAGGED));
    buf b;
    buf_init(&b);
    webhook_events_text(mask, &b);
    assert_string_equal(b.data, "workload.flagged,drill.failed");
    buf_reset(&b);
    webhook_body(&b, "evt_1", "drill.failed", "2026-12-05T10:00:00Z", "{\"x\":1}");
    assert_string_equal(b.data, "{\"id\":\"evt_1\",\"type\":\"drill.failed\","
                                "\"created\":\"2026-12-05T10:00:00Z\",\"data\":{\"x\":1}}");
    buf_free(&b);
}

/* ---- facts and transitions ------------------------------------------------ */

static void facts_of_portfolio(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    workload ws[2] = {{.id = 4, .name = "Alpha", .track = "other", .status = "production",
                       .criticality = "critical"},
                      {.id = 9, .name = "Beta", .track = "other", .status = "pilot",
                       .criticality = "low"}};
    risk_result rs[2] = {{.score = 80, .level = 3, .priority = 0, .active = 1, .flagged = 1},
                         {.score = 10, .level = 0, .priority = 3, .active = 1, .flagged = 0}};
    contract cs[3] = {{.id = 1, .name = "Near", .kind = "customer"},
                      {.id = 2, .name = "Far", .kind = "customer"},
                      {.id = 3, .name = "Past", .kind = "customer"}};
    int64_t today;
    assert_int_equal(date_parse("2026-12-05", &today), 0);
    int64_t deadline[3] = {today + 30, today + 31, today - 1};
    exit_drill ds[2] = {{.id = 7, .workload = 4, .result = "failed", .drilled_on = "2026-12-01"},
                        {.id = 8, .workload = 9, .result = "passed", .drilled_on = "2026-12-01"}};
    risk_acceptance as[3] = {{.id = 5, .workload = 9, .owner = "CFO", .expires_on = "2026-12-04"},
                             {.id = 6, .workload = 9, .owner = "CFO", .expires_on = "2026-12-05"},
                             {.id = 11, .workload = 4, .owner = "CFO", .expires_on = "2026-01-01",
                              .revoked_at = "2026-02-01T00:00:00Z"}};
    portfolio p = {.today = today, .workloads = ws, .n_workloads = 2, .contracts = cs,
                   .n_contracts = 3, .deadline = deadline, .drills = ds, .n_drills = 2,
                   .acceptances = as, .n_acceptances = 3};
    wh_fact *f;
    size_t n;
    assert_int_equal(webhook_facts(&p, rs, 30, &a, &f, &n), 0);
    /* 2 workloads x (flagged, p1) + 1 deadline + 1 expired acceptance + 1 failed drill. */
    assert_int_equal(n, 7);
    const char *keys[] = {"acceptance:5:2026-12-04", "deadline:1:2027-01-04", "drill:7",
                          "flagged:4", "flagged:9", "p1:4", "p1:9"};
    int64_t values[] = {1, 1, 1, 1, 0, 1, 0};
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(f[i].key, keys[i]);
        assert_int_equal(f[i].value, values[i]);
    }
    assert_int_equal(f[1].kind, WH_DEADLINE);
    assert_non_null(strstr(f[1].data, "\"notice_deadline\":\"2027-01-04\",\"days_left\":30"));
    assert_non_null(strstr(f[3].data, "\"priority\":\"P1\""));
    assert_non_null(strstr(f[2].data, "\"workload\":{\"id\":4"));
    arena_free(&a);
}

static int count_events(const wh_change *c, size_t n, int event)
{
    int k = 0;
    for (size_t i = 0; i < n; i++)
        k += c[i].event == event;
    return k;
}

static void transitions(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    wh_fact facts[] = {
        {"deadline:1:2027-01-04", 1, WH_DEADLINE, "{}"},
        {"drill:7", 1, WH_DRILL_FAILED, "{}"},
        {"flagged:4", 1, WH_FLAGGED, "{\"w\":4}"},
        {"flagged:5", 0, WH_FLAGGED, "{\"w\":5}"},
        {"flagged:6", 1, WH_FLAGGED, "{\"w\":6}"},   /* new and flagged */
        {"p1:4", 1, WH_P1, "{}"},
        {"p1:5", 0, WH_P1, "{}"},
        {"p1:6", 0, WH_P1, "{}"},
    };
    wh_stored stored[] = {
        {"p1:5", 1},                  /* P1 no more: no event */
        {"flagged:5", 1},             /* unflagged */
        {"drill:7", 1},               /* seen before: nothing */
        {"flagged:4", 0},             /* flagged */
        {"p1:4", 0},                  /* became P1 */
        {"flagged:3", 1},             /* workload deleted: row dropped silently */
        {"p1:3", 1},
        {"deadline:2:2026-01-01", 1}, /* once-only rows stay */
    };
    size_t ns = sizeof stored / sizeof *stored, nf = sizeof facts / sizeof *facts;
    webhook_sort_stored(stored, ns);
    assert_string_equal(stored[0].key, "deadline:2:2026-01-01");
    wh_change *c;
    size_t n;
    assert_int_equal(webhook_diff(facts, nf, stored, ns, 0, &a, &c, &n), 0);
    /* deadline:1 insert, flagged:3 delete, flagged:4 update, flagged:5
     * update, flagged:6 insert, p1:3 delete, p1:4 update, p1:5 update,
     * p1:6 insert. */
    assert_int_equal(n, 9);
    assert_int_equal(count_events(c, n, WH_DEADLINE), 1);
    assert_int_equal(count_events(c, n, WH_FLAGGED), 2);
    assert_int_equal(count_events(c, n, WH_UNFLAGGED), 1);
    assert_int_equal(count_events(c, n, WH_P1), 1);
    assert_int_equal(count_events(c, n, WH_DRILL_FAILED), 0);
    assert_int_equal(count_events(c, n, -1), 4);
    assert_string_equal(c[1].key, "flagged:3");
    assert_int_equal(c[1].op, WH_DELETE);
    assert_int_equal(c[3].event, WH_UNFLAGGED);
    assert_string_equal(c[3].data, "{\"w\":5}");
    /* The first look records everything and raises nothing. */
    assert_int_equal(webhook_diff(facts, nf, NULL, 0, 1, &a, &c, &n), 0);
    assert_int_equal(n, nf);
    assert_int_equal(count_events(c, n, -1), (int)nf);
    /* Nothing changed: nothing to do. */
    wh_stored same[sizeof facts / sizeof *facts];
    for (size_t i = 0; i < nf; i++)
        same[i] = (wh_stored){facts[i].key, facts[i].value};
    assert_int_equal(webhook_diff(facts, nf, same, nf, 0, &a, &c, &n), 0);
    assert_int_equal(n, 0);
    arena_free(&a);
}

/* ---- incremental comparison = full comparison ----------------------------- */

/* A small deterministic PRNG (the test's own). */
static uint64_t prng = 0x9e3779b97f4a7c15ULL;
static unsigned roll(unsigned n)
{
    prng ^= prng << 13;
    prng ^= prng >> 7;
    prng ^= prng << 17;
    return (unsigned)(prng % n);
}

#define MAX_W 64

typedef struct world {
    workload ws[MAX_W];
    risk_result rs[MAX_W];
    size_t n;
    exit_drill ds[8];
    risk_acceptance as[4];
    contract cs[2];
    int64_t deadline[2];
    portfolio p;
} world;

static void world_index(world *x)
{
    x->p.workloads = x->ws;
    x->p.n_workloads = x->n;
}

static void world_init(world *x, int64_t today)
{
    memset(x, 0, sizeof *x);
    for (size_t i = 0; i < 40; i++) {
        x->ws[i] = (workload){.id = (int64_t)(i + 1) * 3, .name = "W", .track = "azure",
                              .status = "production", .criticality = "high"};
        x->rs[i] = (risk_result){.score = 50, .level = 2, .priority = (int)(i % 4),
                                 .active = i % 5 != 0, .flagged = i % 3 == 0};
    }
    x->n = 40;
    /* Drills and acceptances naming workloads 3, 9 and 30; two contracts,
     * one with its notice deadline within 30 days. */
    x->ds[0] = (exit_drill){.id = 1, .workload = 3, .result = "failed", .drilled_on = "2026-11-01"};
    x->ds[1] = (exit_drill){.id = 2, .workload = 9, .result = "passed", .drilled_on = "2026-11-01"};
    x->as[0] = (risk_acceptance){.id = 1, .workload = 30, .owner = "CFO", .expires_on = "2026-12-01"};
    x->cs[0] = (contract){.id = 1, .name = "Near", .kind = "customer"};
    x->cs[1] = (contract){.id = 2, .name = "Far", .kind = "customer"};
    x->deadline[0] = today + 10;
    x->deadline[1] = today + 200;
    x->p = (portfolio){.today = today, .contracts = x->cs, .n_contracts = 2,
                       .deadline = x->deadline, .drills = x->ds, .n_drills = 2,
                       .acceptances = x->as, .n_acceptances = 1};
    world_index(x);
}

/* One round of workload writes: some workloads change their risk, one may
 * be deleted, one created, one of them gains a failed drill. The ids
 * written, sorted and unique, into ids. */
static size_t world_write(world *x, int64_t *next_id, int64_t *ids)
{
    size_t n_ids = 0;
    unsigned k = 1 + roll(4);
    for (unsigned j = 0; j < k && x->n; j++) {
        size_t i = roll((unsigned)x->n);
        risk_result *r = &x->rs[i];
        r->flagged = roll(2);
        r->priority = (int)roll(4);
        r->active = roll(4) != 0;
        ids[n_ids++] = x->ws[i].id;
    }
    if (x->n > 10 && roll(3) == 0) { /* a deletion */
        size_t i = roll((unsigned)x->n);
        ids[n_ids++] = x->ws[i].id;
        memmove(&x->ws[i], &x->ws[i + 1], (x->n - i - 1) * sizeof *x->ws);
        memmove(&x->rs[i], &x->rs[i + 1], (x->n - i - 1) * sizeof *x->rs);
        x->n--;
    }
    if (x->n < MAX_W && roll(2) == 0) { /* a new one, at the end (ids grow) */
        int64_t id = (*next_id)++;
        x->ws[x->n] = (workload){.id = id, .name = "New", .track = "openai",
                                 .status = "pilot", .criticality = "critical"};
        x->rs[x->n] = (risk_result){.score = 90, .level = 3, .priority = 0, .active = 1,
                                    .flagged = roll(2)};
        x->n++;
        ids[n_ids++] = id;
    }
    if (x->p.n_drills < 8 && n_ids && roll(4) == 0) { /* a failed drill of one written */
        x->ds[x->p.n_drills] = (exit_drill){.id = (int64_t)x->p.n_drills + 1,
                                            .workload = ids[0], .result = "failed"};
        x->p.n_drills++;
    }
    world_index(x);
    /* sorted, unique */
    for (size_t a = 1; a < n_ids; a++)
        for (size_t b = a; b > 0 && ids[b - 1] > ids[b]; b--) {
            int64_t t = ids[b];
            ids[b] = ids[b - 1];
            ids[b - 1] = t;
        }
    size_t u = 0;
    for (size_t a = 0; a < n_ids; a++)
        if (u == 0 || ids[u - 1] != ids[a])
            ids[u++] = ids[a];
    return u;
}

/* The stored rows of keys alone, as store_webhook_state_some reads them. */
static size_t lookup(const wh_stored *all, size_t n_all, const char **keys, size_t n_keys,
                     wh_stored *out)
{
    size_t m = 0;
    for (size_t k = 0; k < n_keys; k++)
        for (size_t i = 0; i < n_all; i++)
            if (strcmp(all[i].key, keys[k]) == 0) {
                out[m++] = all[i];
                break;
            }
    return m;
}

/* The state after the changes, as the worker writes it (in arena a). */
static size_t advance(wh_stored *state, size_t n, const wh_change *c, size_t n_c, arena *a)
{
    for (size_t j = 0; j < n_c; j++) {
        size_t i = 0;
        while (i < n && strcmp(state[i].key, c[j].key) != 0)
            i++;
        if (c[j].op == WH_DELETE) {
            assert_true(i < n);
            state[i] = state[--n];
        } else if (i < n) {
            state[i].value = c[j].value;
        } else {
            state[n++] = (wh_stored){arena_strdup(a, c[j].key), c[j].value};
        }
    }
    webhook_sort_stored(state, n);
    return n;
}

static void incremental_equals_full(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    int64_t today;
    assert_int_equal(date_parse("2026-12-05", &today), 0);
    static world x;
    world_init(&x, today);
    wh_stored stored[512];
    wh_fact *f;
    wh_change *c;
    size_t nf, nc, ns = 0;
    /* The first look records every fact. */
    assert_int_equal(webhook_facts(&x.p, x.rs, 30, &a, &f, &nf), 0);
    assert_int_equal(webhook_diff(f, nf, NULL, 0, 1, &a, &c, &nc), 0);
    ns = advance(stored, ns, c, nc, &a);
    /* 40 x (flagged, p1) + 1 deadline + 1 expired acceptance + 1 failed drill */
    assert_int_equal(ns, 83);
    int64_t next_id = 1000, ids[16];
    int raised = 0, rounds_with_changes = 0;
    for (int round = 0; round < 300; round++) {
        size_t n_ids = world_write(&x, &next_id, ids);
        /* In full. */
        assert_int_equal(webhook_facts(&x.p, x.rs, 30, &a, &f, &nf), 0);
        wh_change *full;
        size_t n_full;
        assert_int_equal(webhook_diff(f, nf, stored, ns, 0, &a, &full, &n_full), 0);
        /* Only the workloads written. */
        wh_fact *fi;
        size_t nfi, n_keys;
        const char **keys;
        assert_int_equal(webhook_facts_of(&x.p, x.rs, ids, n_ids, &a, &fi, &nfi), 0);
        assert_int_equal(webhook_state_keys(ids, n_ids, fi, nfi, &a, &keys, &n_keys), 0);
        wh_stored some[64];
        size_t n_some = lookup(stored, ns, keys, n_keys, some);
        webhook_sort_stored(some, n_some);
        wh_change *inc;
        size_t n_inc;
        assert_int_equal(webhook_diff(fi, nfi, some, n_some, 0, &a, &inc, &n_inc), 0);
        /* The same changes, in the same (key) order, raising the same events. */
        assert_int_equal(n_inc, n_full);
        for (size_t i = 0; i < n_full; i++) {
            assert_string_equal(inc[i].key, full[i].key);
            assert_int_equal(inc[i].op, full[i].op);
            assert_int_equal(inc[i].value, full[i].value);
            assert_int_equal(inc[i].event, full[i].event);
            if (full[i].event >= 0) {
                assert_string_equal(inc[i].data, full[i].data);
                raised++;
            }
        }
        rounds_with_changes += n_full > 0;
        ns = advance(stored, ns, full, n_full, &a);
        assert_true(ns < 400);
    }
    print_message("incremental = full: %d of 300 rounds changed state, %d events\n",
                  rounds_with_changes, raised);
    /* The rounds did move things: flags, P1s, deletions, new drills. */
    assert_true(rounds_with_changes > 250);
    assert_true(raised > 400);
    arena_free(&a);
}

/* ---- sealed secrets ------------------------------------------------------- */

static void secrets_sealed(void **state)
{
    (void)state;
    char dir[] = "/tmp/sy-webhook-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    arena a;
    arena_init(&a);
    char secret[96], back[96];
    const char *sealed;
    webhooks_forget_key();
    assert_int_equal(webhooks_new_secret(secret, sizeof secret, &a, &sealed), -1); /* no key */
    assert_int_equal(webhooks_load_key(dir), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, WEBHOOK_KEY_FILE);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(webhooks_new_secret(secret, sizeof secret, &a, &sealed), 0);
    assert_int_equal(strlen(secret), 70);
    assert_memory_equal(secret, "whsec_", 6);
    assert_null(strstr(sealed, secret + 6));
    assert_int_equal(webhooks_unseal(sealed, back, sizeof back), 0);
    assert_string_equal(back, secret);
    /* The same key file read again opens it; a changed byte does not. */
    webhooks_forget_key();
    assert_int_equal(webhooks_unseal(sealed, back, sizeof back), -1);
    assert_int_equal(webhooks_load_key(dir), 0);
    assert_int_equal(webhooks_unseal(sealed, back, sizeof back), 0);
    char *tampered = arena_strdup(&a, sealed);
    size_t last = strlen(tampered) - 1;
    tampered[last] = tampered[last] == '0' ? '1' : '0';
    assert_int_equal(webhooks_unseal(tampered, back, sizeof back), -1);
    assert_int_equal(webhooks_unseal("plain", back, sizeof back), -1);
    webhooks_forget_key();
    unlink(path);
    rmdir(dir);
    arena_free(&a);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signature_known_vectors),
        cmocka_unit_test(backoff_schedule),
        cmocka_unit_test(url_validation),
        cmocka_unit_test(event_lists_and_body),
        cmocka_unit_test(facts_of_portfolio),
        cmocka_unit_test(transitions),
        cmocka_unit_test(incremental_equals_full),
        cmocka_unit_test(secrets_sealed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
