/* assets.h - the front end's embedded files as the browser gets them: each
 * with a gzip copy (text files), a strong ETag and a content fingerprint
 * ("version") used in URLs of the form /v/<version>/<name>. The table is
 * generated at build time by server/tools/embed.c --web; this header also
 * has the small pure helpers static.c uses (lookup, Accept-Encoding,
 * fingerprinted paths), kept free of CivetWeb so they stay testable. */
#ifndef SY_ASSETS_H
#define SY_ASSETS_H

#include <stddef.h>

typedef struct web_asset {
    const char *name;            /* path under web/, e.g. "pages/overview.js" */
    const unsigned char *data;   /* as served (index.html already rewritten) */
    size_t size;
    const unsigned char *gz;     /* gzip copy, or NULL when not smaller */
    size_t gz_size;
    const char *etag;            /* 16 hex digits (of data), without quotes */
    const char *version;         /* 12 hex digits: the fingerprint in its URL */
} web_asset;

/* Sorted by name, ending with an all-zero entry. */
extern const web_asset sy_web_assets[];

/* The asset called name (no leading '/'), or NULL. */
const web_asset *web_asset_find(const char *name);

/* 1 when an Accept-Encoding header value lets us answer gzip (a "gzip" or
 * "*" coding whose q is not 0; an explicit gzip;q=0 refuses it). */
int accepts_gzip(const char *accept_encoding);

/* "/v/<hex>/<rest>": stores the fingerprint (NUL-terminated, at most
 * vcap-1 hex digits) in version and returns a pointer to "/<rest>";
 * any other path: returns NULL. */
const char *versioned_path(const char *path, char *version, size_t vcap);

#endif
