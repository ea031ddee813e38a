/* gzip.c - compressing API answers; see gzip.h. */
#include "http/gzip.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int gzip_worth(const char *content_type, const char *disposition, size_t len)
{
    const char *t = content_type ? content_type : "application/json";
    return len >= GZIP_MIN && !disposition &&
           (strncmp(t, "application/json", 16) == 0 ||
            strncmp(t, "application/problem+json", 24) == 0);
}

int gzip_compress(const char *in, size_t len, char **out, size_t *out_len)
{
    if (len > UINT32_MAX)
        return -1;
    z_stream z;
    memset(&z, 0, sizeof z);
    /* windowBits 15 + 16: a gzip wrapper, not zlib's. */
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    uLong cap = deflateBound(&z, (uLong)len);
    char *dst = malloc(cap ? cap : 1);
    if (!dst) {
        deflateEnd(&z);
        return -1;
    }
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)dst;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    size_t n = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END || n >= len) {
        free(dst);
        return -1;
    }
    *out = dst;
    *out_len = n;
    return 0;
}

void gzip_etag(char etag[48])
{
    size_t n = strnlen(etag, 48);
    if (n < 3 || n + 3 >= 48 || etag[0] != '"' || etag[1] != 'g' || etag[n - 1] != '"')
        return;
    memcpy(etag + n - 1, "-gz\"", 5);
}
