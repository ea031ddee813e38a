/* fuzz_route.c - the route matcher against the real route table.
 *
 * Input: a method, a newline, then the path (as CivetWeb hands it over:
 * NUL-terminated, so bytes after a NUL are ignored). route_find() runs over
 * API_ROUTES, then the dispatcher's canonical-id rule is applied to an
 * {id} capture.
 *
 * Properties: a found route matches the path and the method (HEAD finds
 * GET routes) and is the first such route in table order; captures lie
 * inside the path, are non-empty and hold no '/'; Allow is terminated and
 * non-empty whenever some route has the path; an accepted id prints back
 * as the same text (canonical decimal). */
#include <inttypes.h>
#include <stdint.h>

#include "common/text.h"
#include "fuzz.h"
#include "http/router.h"

extern const route API_ROUTES[];

static void check_params(const route_params *p, const char *path, size_t path_len)
{
    FUZZ_CHECK(p->count >= 0 && p->count <= ROUTE_MAX_PARAMS);
    for (int i = 0; i < p->count; i++) {
        const char *v = p->p[i].value;
        size_t n = p->p[i].value_len;
        FUZZ_CHECK(v >= path && v + n <= path + path_len);
        FUZZ_CHECK(n > 0);
        FUZZ_CHECK(memchr(v, '/', n) == NULL);
        FUZZ_CHECK(p->p[i].name_len > 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_cstr(data, size);
    char *nl = strchr(in, '\n');
    const char *method = "GET", *path = in;
    if (nl) {
        *nl = '\0';
        method = in;
        path = nl + 1;
    }
    size_t path_len = strlen(path);

    route_lookup l;
    route_find(API_ROUTES, method, path, &l);
    FUZZ_CHECK(memchr(l.allow, '\0', sizeof l.allow) != NULL);
    FUZZ_CHECK(!l.path_matched || l.allow[0] != '\0');
    int is_head = strcmp(method, "HEAD") == 0;

    /* The same answer by brute force. */
    const route *first = NULL;
    int any = 0;
    for (const route *r = API_ROUTES; r->method; r++) {
        route_params p;
        if (!route_match(r->pattern, path, &p))
            continue;
        check_params(&p, path, path_len);
        any = 1;
        FUZZ_CHECK(strstr(l.allow, r->method) != NULL);
        if (!first && (strcmp(r->method, method) == 0 ||
                       (is_head && strcmp(r->method, "GET") == 0)))
            first = r;
    }
    FUZZ_CHECK(any == l.path_matched);
    FUZZ_CHECK(first == l.found);

    if (l.found) {
        check_params(&l.params, path, path_len);
        /* The dispatcher's id rule: canonical decimal, 1..INT64_MAX. */
        for (int i = 0; i < l.params.count; i++) {
            if (l.params.p[i].name_len != 2 || memcmp(l.params.p[i].name, "id", 2) != 0)
                continue;
            char id_text[64];
            size_t n = l.params.p[i].value_len;
            if (n >= sizeof id_text)
                continue;
            memcpy(id_text, l.params.p[i].value, n);
            id_text[n] = '\0';
            int64_t id;
            if (id_text[0] >= '1' && id_text[0] <= '9' &&
                parse_i64(id_text, 1, INT64_MAX, &id) == 0) {
                char back[32];
                snprintf(back, sizeof back, "%" PRId64, id);
                FUZZ_CHECK(strcmp(back, id_text) == 0);
            }
        }
    }
    free(in);
    return 0;
}
