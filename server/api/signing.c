/* signing.c - the report signing key on disk; see signing.h. */
#include "api/signing.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "common/buf.h"
#include "common/log.h"

static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;

int signing_read_file(const char *path, size_t max, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    buf b;
    buf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > max) {
            errno = EFBIG;
            break;
        }
        buf_append(&b, chunk, n);
    }
    int bad = ferror(f) || errno == EFBIG || buf_failed(&b);
    fclose(f);
    if (bad) {
        buf_free(&b);
        return -1;
    }
    if (!b.data)
        buf_append(&b, "", 0);
    if (buf_failed(&b)) {
        buf_free(&b);
        return -1;
    }
    *data = buf_take(&b, len);
    return 0;
}

/* Writes data to a new temporary file in dir with mode; returns its path. */
static int write_temp(const char *dir, const char *data, size_t len, mode_t mode, char *tmp,
                      size_t size)
{
    snprintf(tmp, size, "%s/.report-signing.XXXXXX", dir);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    int ok = fchmod(fd, mode) == 0;
    size_t done = 0;
    while (ok && done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        if (ok)
            done += (size_t)w;
    }
    ok = ok && fsync(fd) == 0;
    if (close(fd) != 0)
        ok = 0;
    if (!ok)
        unlink(tmp);
    return ok ? 0 : -1;
}

static int load_secret(const char *path, minisign_key *k)
{
    char *data;
    size_t len;
    if (signing_read_file(path, 4096, &data, &len) != 0)
        return -1;
    int rc = minisign_parse_secret(data, len, k);
    sodium_memzero(data, len);
    free(data);
    if (rc != 0) {
        errno = EINVAL;
        return -1;
    }
    struct stat st;
    if (rc == 0 && stat(path, &st) == 0 && (st.st_mode & 077))
        log_msg(LOG_WARN, "signing: %s is readable by others (mode %o); chmod 600 it", path,
                (unsigned)(st.st_mode & 0777));
    return rc;
}

/* Writes report-signing.pub when it is missing or differs. */
static void ensure_public(const char *dir, const minisign_key *k)
{
    char path[4096], tmp[4096];
    snprintf(path, sizeof path, "%s/%s", dir, SIGNING_PUB_FILE);
    buf text;
    buf_init(&text);
    minisign_public_text(k, &text);
    char *old;
    size_t len;
    int same = signing_read_file(path, 4096, &old, &len) == 0 && len == text.len &&
               memcmp(old, text.data, len) == 0;
    if (!same && !buf_failed(&text) &&
        write_temp(dir, text.data, text.len, 0644, tmp, sizeof tmp) == 0 &&
        rename(tmp, path) != 0)
        unlink(tmp);
    free(old);
    buf_free(&text);
}

static int create_key(const char *dir, const char *path, minisign_key *k, char *msg,
                      size_t size)
{
    char tmp[4096];
    minisign_key fresh;
    minisign_keygen(&fresh);
    buf text;
    buf_init(&text);
    minisign_secret_text(&fresh, &text);
    int rc = buf_failed(&text) ? -1 : write_temp(dir, text.data, text.len, 0600, tmp, sizeof tmp);
    sodium_memzero(text.data, text.len);
    buf_free(&text);
    if (rc != 0) {
        snprintf(msg, size, "cannot write a signing key in %s: %s", dir, strerror(errno));
        sodium_memzero(&fresh, sizeof fresh);
        return -1;
    }
    /* link() never replaces: if another process won the race, use its key. */
    if (link(tmp, path) != 0) {
        int e = errno;
        if (e != EEXIST && access(path, F_OK) != 0 && rename(tmp, path) == 0) {
            *k = fresh;
            sodium_memzero(&fresh, sizeof fresh);
            log_msg(LOG_INFO, "signing: created report signing key %s", path);
            return 0;
        }
        unlink(tmp);
        sodium_memzero(&fresh, sizeof fresh);
        if (load_secret(path, k) == 0)
            return 0;
        snprintf(msg, size, "cannot create the signing key %s: %s", path, strerror(e));
        return -1;
    }
    unlink(tmp);
    *k = fresh;
    sodium_memzero(&fresh, sizeof fresh);
    log_msg(LOG_INFO, "signing: created report signing key %s", path);
    return 0;
}

int signing_key_load(const char *dir, int create, minisign_key *k, char *msg, size_t size)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, SIGNING_KEY_FILE) >= (int)sizeof path) {
        snprintf(msg, size, "the key directory path is too long");
        return -1;
    }
    pthread_mutex_lock(&key_lock);
    int rc = 0;
    if (load_secret(path, k) != 0) {
        if (errno != ENOENT || !create) {
            snprintf(msg, size, errno == ENOENT ? "no signing key in %s"
                                                : "the signing key in %s cannot be read",
                     dir);
            rc = -1;
        } else {
            if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
                snprintf(msg, size, "cannot create the key directory %s: %s", dir,
                         strerror(errno));
                rc = -1;
            } else {
                rc = create_key(dir, path, k, msg, size);
            }
        }
    }
    if (rc == 0)
        ensure_public(dir, k);
    pthread_mutex_unlock(&key_lock);
    return rc;
}

int signing_public_load(const char *pub_file, const char *dir, minisign_key *k, char *msg,
                        size_t size)
{
    if (pub_file) {
        char *data;
        size_t len;
        if (signing_read_file(pub_file, 4096, &data, &len) != 0) {
            snprintf(msg, size, "cannot read %s: %s", pub_file, strerror(errno));
            return -1;
        }
        int rc = minisign_parse_public(data, len, k);
        free(data);
        if (rc != 0)
            snprintf(msg, size, "%s is not a minisign public key", pub_file);
        return rc;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, SIGNING_PUB_FILE);
    char *data;
    size_t len;
    if (signing_read_file(path, 4096, &data, &len) == 0) {
        int rc = minisign_parse_public(data, len, k);
        free(data);
        if (rc == 0)
            return 0;
    }
    return signing_key_load(dir, 0, k, msg, size);
}
