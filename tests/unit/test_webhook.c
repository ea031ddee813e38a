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
        cmocka_unit_test(secrets_sealed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
