/* gzip.h - gzip for the API's answers. A JSON answer of GZIP_MIN bytes or
 * more is sent gzip-compressed to a client whose Accept-Encoding takes it,
 * with Vary: Accept-Encoding. A content tag (the cache's "g<generation>-
 * <hash>") gets one of its own for the gzip form ("-gz" before the closing
 * quote, as the static files do); a record's version tag ("<id>-<version>",
 * what If-Match takes) names the record's version, not the bytes, and is
 * the same for both forms (Vary keeps shared caches apart). A cached answer
 * is compressed once, when it is stored (cache.c), and served compressed
 * from there. Downloads (Content-Disposition) and other types go as they
 * are. */
#ifndef SY_GZIP_H
#define SY_GZIP_H

#include <stddef.h>

#define GZIP_MIN 1024

/* 1 when an answer of this type and size is worth compressing. */
int gzip_worth(const char *content_type, const char *disposition, size_t len);

/* Compresses in (level 6) into a malloc'd *out. 0, or -1 when out of memory
 * or the result is not smaller (nothing to free then). */
int gzip_compress(const char *in, size_t len, char **out, size_t *out_len);

/* The ETag of the gzip form: a content tag "gN-H" -> "gN-H-gz"; any other
 * tag (a record's version) is left as it is, as is one that would not fit
 * in 48 bytes. */
void gzip_etag(char etag[48]);

#endif
