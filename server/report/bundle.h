/* bundle.h - the report bundle as a .tar.gz in memory (libarchive):
 * one directory holding the files, written and read back for verification.
 * Also the manifest (sha256sum's format) and report-info.txt helpers. */
#ifndef SY_REPORT_BUNDLE_H
#define SY_REPORT_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"

#define BUNDLE_MAX_FILES 32
#define BUNDLE_MAX_BYTES (256u * 1024u * 1024u)
#define MANIFEST_FILE "manifest-sha256.txt"
#define SIGNATURE_FILE "manifest-sha256.txt.minisig"
#define INFO_FILE "report-info.txt"

typedef struct bundle_file {
    const char *name;          /* inside the directory, no slash */
    const char *data;
    size_t len;
} bundle_file;

/* Writes dir/ and the files (mode 0644, owner 0, the given mtime) as a
 * gzip-compressed POSIX tar into out. 0, or -1 with a message. */
typedef enum { BUNDLE_TGZ, BUNDLE_ZIP } bundle_kind;

int bundle_write(const char *dir, const bundle_file *files, size_t n, int64_t mtime, buf *out,
                 char *msg, size_t size);
/* The same as a .tar.gz (bundle_write) or a .zip (the CSV tables). */
int bundle_write_as(bundle_kind kind, const char *dir, const bundle_file *files, size_t n,
                    int64_t mtime, buf *out, char *msg, size_t size);

/* Reads a bundle: its regular files (directory prefix removed; the
 * directory name goes to dir). Refuses absolute or ".." paths, links,
 * devices, nested directories and over-large content. Arena memory. */
int bundle_read(const void *data, size_t len, arena *a, bundle_file *files, size_t *n,
                char *dir, size_t dir_size, char *msg, size_t size);

/* Appends "<sha256 hex>  <name>\n" for each file, in name order. */
void manifest_text(const bundle_file *files, size_t n, buf *out);

/* The value of "key: value" in report-info.txt text, copied into out. */
int info_value(const char *text, size_t len, const char *key, char *out, size_t size);

#endif
