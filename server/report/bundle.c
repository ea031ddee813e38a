/* bundle.c - .tar.gz bundles with libarchive; see bundle.h. */
#include "report/bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"

static la_ssize_t to_buf(struct archive *a, void *ctx, const void *data, size_t len)
{
    (void)a;
    buf_append(ctx, data, len);
    return buf_failed(ctx) ? -1 : (la_ssize_t)len;
}

static int add_entry(struct archive *a, const char *path, int dir, const void *data,
                     size_t len, int64_t mtime)
{
    struct archive_entry *e = archive_entry_new();
    if (!e)
        return -1;
    archive_entry_set_pathname(e, path);
    archive_entry_set_filetype(e, dir ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(e, dir ? 0755 : 0644);
    archive_entry_set_size(e, dir ? 0 : (la_int64_t)len);
    archive_entry_set_mtime(e, (time_t)mtime, 0);
    archive_entry_set_uid(e, 0);
    archive_entry_set_gid(e, 0);
    int rc = archive_write_header(a, e) == ARCHIVE_OK ? 0 : -1;
    if (rc == 0 && !dir && len > 0 && archive_write_data(a, data, len) != (la_ssize_t)len)
        rc = -1;
    archive_entry_free(e);
    return rc;
}

int bundle_write(const char *dir, const bundle_file *files, size_t n, int64_t mtime, buf *out,
                 char *msg, size_t size)
{
    return bundle_write_as(BUNDLE_TGZ, dir, files, n, mtime, out, msg, size);
}

/* The archive format: pax tar through gzip (no time in the gzip header:
 * the entries carry it), or zip with each entry deflated. */
static int set_format(struct archive *a, bundle_kind kind)
{
    if (kind == BUNDLE_ZIP)
        return archive_write_set_format_zip(a) == ARCHIVE_OK ? 0 : -1;
    if (archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
        archive_write_set_format_pax_restricted(a) != ARCHIVE_OK)
        return -1;
    archive_write_set_filter_option(a, "gzip", "timestamp", NULL);
    archive_write_set_bytes_in_last_block(a, 1);
    return 0;
}

int bundle_write_as(bundle_kind kind, const char *dir, const bundle_file *files, size_t n,
                    int64_t mtime, buf *out, char *msg, size_t size)
{
    struct archive *a = archive_write_new();
    if (!a) {
        snprintf(msg, size, "out of memory");
        return -1;
    }
    int rc = -1;
    char path[512];
    if (set_format(a, kind) != 0)
        goto done;
    if (archive_write_open(a, out, NULL, to_buf, NULL) != ARCHIVE_OK)
        goto done;
    snprintf(path, sizeof path, "%s/", dir);
    if (add_entry(a, path, 1, NULL, 0, mtime) != 0)
        goto done;
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
        if (add_entry(a, path, 0, files[i].data, files[i].len, mtime) != 0)
            goto done;
    }
    if (archive_write_close(a) != ARCHIVE_OK)
        goto done;
    rc = 0;
done:
    if (rc != 0)
        snprintf(msg, size, "cannot write the bundle: %s",
                 archive_error_string(a) ? archive_error_string(a) : "out of memory");
    archive_write_free(a);
    return rc;
}

/* "dir/name" -> dir and name, both plain (no "..", no further slash). */
static int split_path(const char *path, char *dir, size_t dsize, const char **name)
{
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    const char *slash = strchr(path, '/');
    if (path[0] == '/' || !slash || (size_t)(slash - path) >= dsize || slash == path)
        return -1;
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = '\0';
    *name = slash + 1;
    if (strcmp(dir, "..") == 0 || strcmp(dir, ".") == 0 || strchr(*name, '/') ||
        strcmp(*name, "..") == 0 || strcmp(*name, ".") == 0)
        return -1;
    return 0;
}

int bundle_read(const void *data, size_t len, arena *ar, bundle_file *files, size_t *n,
                char *dir, size_t dir_size, char *msg, size_t size)
{
    *n = 0;
    dir[0] = '\0';
    struct archive *a = archive_read_new();
    if (!a) {
        snprintf(msg, size, "out of memory");
        return -1;
    }
    archive_read_support_filter_gzip(a);
    archive_read_support_format_tar(a);
    int rc = -1;
    size_t total = 0;
    struct archive_entry *e;
    if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
        snprintf(msg, size, "not a .tar.gz bundle: %s", archive_error_string(a));
        goto done;
    }
    int r;
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        const char *path = archive_entry_pathname(e);
        char top[256];
        const char *name;
        if (!path || split_path(path, top, sizeof top, &name) != 0) {
            snprintf(msg, size, "unexpected path in the bundle: %s", path ? path : "(none)");
            goto done;
        }
        if (dir[0] && strcmp(dir, top) != 0) {
            snprintf(msg, size, "the bundle holds more than one directory");
            goto done;
        }
        snprintf(dir, dir_size, "%s", top);
        if (archive_entry_filetype(e) == AE_IFDIR && name[0] == '\0')
            continue;
        if (archive_entry_filetype(e) != AE_IFREG || name[0] == '\0') {
            snprintf(msg, size, "%s is not a regular file", path);
            goto done;
        }
        la_int64_t sz = archive_entry_size(e);
        if (sz < 0 || (uint64_t)sz > BUNDLE_MAX_BYTES - total || *n == BUNDLE_MAX_FILES) {
            snprintf(msg, size, "the bundle is too large");
            goto done;
        }
        for (size_t i = 0; i < *n; i++)
            if (strcmp(files[i].name, name) == 0) {
                snprintf(msg, size, "%s appears twice in the bundle", name);
                goto done;
            }
        char *content = arena_alloc(ar, (size_t)sz + 1);
        if (!content) {
            snprintf(msg, size, "out of memory");
            goto done;
        }
        size_t got = 0;
        while (got < (size_t)sz) {
            la_ssize_t k = archive_read_data(a, content + got, (size_t)sz - got);
            if (k <= 0)
                break;
            got += (size_t)k;
        }
        if (got != (size_t)sz) {
            snprintf(msg, size, "%s is truncated: %s", path,
                     archive_error_string(a) ? archive_error_string(a) : "short read");
            goto done;
        }
        content[sz] = '\0';
        total += (size_t)sz;
        files[*n].name = arena_strdup(ar, name);
        files[*n].data = content;
        files[*n].len = (size_t)sz;
        (*n)++;
    }
    if (r != ARCHIVE_EOF) {
        snprintf(msg, size, "the bundle is damaged: %s",
                 archive_error_string(a) ? archive_error_string(a) : "read error");
        goto done;
    }
    rc = 0;
done:
    archive_read_free(a);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp((*(const bundle_file *const *)a)->name, (*(const bundle_file *const *)b)->name);
}

void manifest_text(const bundle_file *files, size_t n, buf *out)
{
    const bundle_file *order[BUNDLE_MAX_FILES];
    size_t k = 0;
    for (size_t i = 0; i < n && k < BUNDLE_MAX_FILES; i++)
        order[k++] = &files[i];
    qsort(order, k, sizeof order[0], by_name);
    for (size_t i = 0; i < k; i++) {
        char hex[AUDIT_HASH_HEX];
        sha256_hex(order[i]->data, order[i]->len, hex);
        buf_printf(out, "%s  %s\n", hex, order[i]->name);
    }
}

int info_value(const char *text, size_t len, const char *key, char *out, size_t size)
{
    size_t klen = strlen(key);
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        if ((size_t)(eol - p) > klen + 1 && memcmp(p, key, klen) == 0 && p[klen] == ':' &&
            p[klen + 1] == ' ') {
            size_t n = (size_t)(eol - p) - klen - 2;
            if (n >= size)
                return -1;
            memcpy(out, p + klen + 2, n);
            out[n] = '\0';
            return 0;
        }
        p = eol + 1;
    }
    return -1;
}
