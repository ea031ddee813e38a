/* router.c - the route matcher; see router.h. */
#include "router.h"

#include <string.h>

int route_match(const char *pattern, const char *path, route_params *params)
{
    params->count = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (!close)
                return 0;
            const char *seg_end = strchr(s, '/');
            if (!seg_end)
                seg_end = s + strlen(s);
            /* A literal after the capture within the segment ("{secret}.ics"):
             * the capture ends where the segment ends with that suffix. */
            const char *lit_end = strchr(close + 1, '/');
            size_t suffix = lit_end ? (size_t)(lit_end - close - 1) : strlen(close + 1);
            if (suffix) {
                if ((size_t)(seg_end - s) <= suffix ||
                    memcmp(seg_end - suffix, close + 1, suffix) != 0)
                    return 0;
                seg_end -= suffix;
            }
            if (seg_end == s || params->count == ROUTE_MAX_PARAMS)
                return 0;
            params->p[params->count].name = p + 1;
            params->p[params->count].name_len = (size_t)(close - p - 1);
            params->p[params->count].value = s;
            params->p[params->count].value_len = (size_t)(seg_end - s);
            params->count++;
            p = close + 1;
            s = seg_end;
            continue;
        }
        if (*p != *s)
            return 0;
        p++;
        s++;
    }
    return *p == '\0' && *s == '\0';
}

static void allow_add(char *allow, size_t size, const char *method)
{
    if (strstr(allow, method)) {
        /* Avoid listing a method twice ("GET" is a prefix of nothing else,
         * but check whole words to be safe). */
        size_t n = strlen(method);
        for (const char *f = strstr(allow, method); f; f = strstr(f + 1, method))
            if ((f == allow || f[-1] == ' ') && (f[n] == '\0' || f[n] == ','))
                return;
    }
    size_t len = strlen(allow);
    size_t need = strlen(method) + (len ? 2 : 0);
    if (len + need + 1 > size)
        return;
    if (len) {
        allow[len++] = ',';
        allow[len++] = ' ';
    }
    memcpy(allow + len, method, strlen(method) + 1);
}

void route_find(const route *table, const char *method, const char *path,
                route_lookup *out)
{
    memset(out, 0, sizeof *out);
    int is_head = strcmp(method, "HEAD") == 0;
    for (const route *r = table; r->method; r++) {
        route_params params;
        if (!route_match(r->pattern, path, &params))
            continue;
        out->path_matched = 1;
        allow_add(out->allow, sizeof out->allow, r->method);
        if (strcmp(r->method, "GET") == 0)
            allow_add(out->allow, sizeof out->allow, "HEAD");
        if (!out->found && (strcmp(r->method, method) == 0 ||
                            (is_head && strcmp(r->method, "GET") == 0))) {
            out->found = r;
            out->params = params;
        }
    }
}
