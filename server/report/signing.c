/* signing.c - key pairs on disk (report signing, audit checkpoints); see
 * signing.h. */
#include "report/signing.h"

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
#include "common/file.h"
#include "common/log.h"

static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;

/* Writes data to a new temporary file in dir with mode; returns its path. */
static int write_temp(const char *dir, const char *data, size_t len, mode_t mode, char *tmp,
                      size_t size)
{
    snprintf(tmp, size, "%s/.key.XXXXXX", dir);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    int ok = fchmod(fd, mode) == 0 && fd_write_all_sync(fd, data, len) == 0;
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
    if (file_read_all(path, 4096, &data, &len) != 0)
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

/* Writes NAME.pub when it is missing or differs. */
static void ensure_public(const char *dir, const char *name, const minisign_key *k)
{
    char path[4096], tmp[4096];
    snprintf(path, sizeof path, "%s/%s.pub", dir, name);
    buf text;
    buf_init(&text);
    minisign_public_text(k, &text);
    char *old;
    size_t len;
    int same = file_read_all(path, 4096, &old, &len) == 0 && len == text.len &&
               memcmp(old, text.data, len) == 0;
    if (!same && !buf_failed(&text) &&
        write_temp(dir, text.data, text.len, 0644, tmp, sizeof tmp) == 0 &&
        rename(tmp, path) != 0)
        unlink(tmp);
    free(old);
    buf_free(&text);
}

/* 1 when this call made the key, 0 when another process just had, -1. */
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
            log_msg(LOG_INFO, "signing: created key %s", path);
            return 1;
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
    log_msg(LOG_INFO, "signing: created key %s", path);
    return 1;
}

int keyfile_load(const char *dir, const char *name, int create, minisign_key *k, int *created,
                 char *msg, size_t size)
{
    char path[4096];
    if (created)
        *created = 0;
    if (snprintf(path, sizeof path, "%s/%s.key", dir, name) >= (int)sizeof path) {
        snprintf(msg, size, "the key directory path is too long");
        return -1;
    }
    pthread_mutex_lock(&key_lock);
    int rc = 0;
    if (load_secret(path, k) != 0) {
        if (errno != ENOENT || !create) {
            snprintf(msg, size, errno == ENOENT ? "no %s key in %s (create it with `switchyard keys init`)"
                                                : "the %s key in %s cannot be read",
                     name, dir);
            rc = -1;
        } else if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            snprintf(msg, size, "cannot create the key directory %s: %s", dir, strerror(errno));
            rc = -1;
        } else {
            rc = create_key(dir, path, k, msg, size);
            if (rc == 1 && created)
                *created = 1;
            rc = rc < 0 ? -1 : 0;
        }
    }
    if (rc == 0)
        ensure_public(dir, name, k);
    pthread_mutex_unlock(&key_lock);
    return rc;
}

int keyfile_rotate(const char *dir, const char *name, minisign_key *old, minisign_key *fresh,
                   char *msg, size_t size)
{
    if (keyfile_load(dir, name, 0, old, NULL, msg, size) != 0)
        return -1;
    char path[4096], retired[4200], keyid[17];
    snprintf(path, sizeof path, "%s/%s.key", dir, name);
    minisign_keyid_hex(old->keyid, keyid);
    snprintf(retired, sizeof retired, "%s.%s.retired", path, keyid);
    pthread_mutex_lock(&key_lock);
    int rc = -1;
    /* The old secret moves aside (never overwritten), then the new one is
     * linked in where it was. */
    if (link(path, retired) != 0 && errno != EEXIST) {
        snprintf(msg, size, "cannot keep the old key as %s: %s", retired, strerror(errno));
    } else if (unlink(path) != 0) {
        snprintf(msg, size, "cannot replace %s: %s", path, strerror(errno));
    } else {
        rc = create_key(dir, path, fresh, msg, size) < 0 ? -1 : 0;
        if (rc == 0)
            ensure_public(dir, name, fresh);
        /* The old public key stays readable as NAME.KEYID.pub, so what it
         * signed (audit checkpoints) still verifies. */
        char retired_name[256];
        snprintf(retired_name, sizeof retired_name, "%s.%s", name, keyid);
        if (rc == 0)
            ensure_public(dir, retired_name, old);
    }
    pthread_mutex_unlock(&key_lock);
    return rc;
}

int keyfile_public(const char *dir, const char *name, minisign_key *k, char *msg, size_t size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.pub", dir, name);
    char *data;
    size_t len;
    if (file_read_all(path, 4096, &data, &len) == 0) {
        int rc = minisign_parse_public(data, len, k);
        free(data);
        if (rc == 0)
            return 0;
    }
    return keyfile_load(dir, name, 0, k, NULL, msg, size);
}

int signing_key_load(const char *dir, int create, minisign_key *k, char *msg, size_t size)
{
    return keyfile_load(dir, SIGNING_REPORT, create, k, NULL, msg, size);
}

int signing_public_load(const char *pub_file, const char *dir, minisign_key *k, char *msg,
                        size_t size)
{
    if (pub_file) {
        char *data;
        size_t len;
        if (file_read_all(pub_file, 4096, &data, &len) != 0) {
            snprintf(msg, size, "cannot read %s: %s", pub_file, strerror(errno));
            return -1;
        }
        int rc = minisign_parse_public(data, len, k);
        free(data);
        if (rc != 0)
            snprintf(msg, size, "%s is not a minisign public key", pub_file);
        return rc;
    }
    return keyfile_public(dir, SIGNING_REPORT, k, msg, size);
}
