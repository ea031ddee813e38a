/* assets.c - lookup in the generated front-end table and the pure request
 * helpers around it; see assets.h. */
#include "http/assets.h"

#include <string.h>
#include <strings.h>

const web_asset *web_asset_find(const char *name)
{
    size_t n = 0;
    while (sy_web_assets[n].name)
        n++;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(sy_web_assets[mid].name, name);
        if (c == 0)
            return &sy_web_assets[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* q value of one coding's parameters ("; q=0.5"): 1 unless it reads as zero. */
static int q_nonzero(const char *params, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if ((params[i] == 'q' || params[i] == 'Q') && params[i + 1] == '=') {
            for (size_t k = i + 2; k < len; k++) {
                char c = params[k];
                if (c >= '1' && c <= '9')
                    return 1;
                if (c != '0' && c != '.' && c != ' ')
                    break;
            }
            return 0;
        }
    }
    return 1;
}

int accepts_gzip(const char *ae)
{
    if (!ae)
        return 0;
    int star = 0;
    const char *s = ae;
    while (*s) {
        size_t len = strcspn(s, ",");
        const char *tok = s;
        size_t tl = len;
        while (tl && (*tok == ' ' || *tok == '\t')) {
            tok++;
            tl--;
        }
        size_t name = 0;
        while (name < tl && tok[name] != ';' && tok[name] != ' ' && tok[name] != '\t')
            name++;
        int ok = q_nonzero(tok + name, tl - name);
        if ((name == 4 && strncasecmp(tok, "gzip", 4) == 0) ||
            (name == 6 && strncasecmp(tok, "x-gzip", 6) == 0))
            return ok;
        if (name == 1 && tok[0] == '*')
            star = ok;
        s += len;
        if (*s == ',')
            s++;
    }
    return star;
}

const char *versioned_path(const char *path, char *version, size_t vcap)
{
    if (strncmp(path, "/v/", 3) != 0 || vcap == 0)
        return NULL;
    const char *h = path + 3;
    size_t n = strspn(h, "0123456789abcdef");
    if (n == 0 || n >= vcap || h[n] != '/')
        return NULL;
    memcpy(version, h, n);
    version[n] = 0;
    return h + n;
}
