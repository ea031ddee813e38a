/* webhook_secret.c - the webhooks' signing secrets at rest: each is sealed
 * (XSalsa20-Poly1305, crypto_secretbox) with a 32-byte key kept in the key
 * directory beside the signing keys (WEBHOOK_KEY_FILE, mode 0600), so a
 * copy of the database alone does not reveal them; the server needs them
 * back to sign, so they cannot be stored as hashes like API tokens. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "common/file.h"
#include "common/log.h"
#include "jobs/webhooks.h"

static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char seal_key[crypto_secretbox_KEYBYTES];
static int have_key;

/* Reads or creates the key file; 0 or -1. */
static int read_or_create(const char *path, unsigned char key[crypto_secretbox_KEYBYTES])
{
    char *data;
    size_t len;
    if (file_read_all(path, 4096, &data, &len) == 0) {
        size_t bin_len = 0;
        int ok = len >= 64 &&
                 sodium_hex2bin(key, crypto_secretbox_KEYBYTES, data, 64, NULL, &bin_len, NULL) == 0 &&
                 bin_len == crypto_secretbox_KEYBYTES;
        sodium_memzero(data, len);
        free(data);
        return ok ? 0 : -1;
    }
    if (errno != ENOENT)
        return -1;
    char hex[2 * crypto_secretbox_KEYBYTES + 2];
    crypto_secretbox_keygen(key);
    sodium_bin2hex(hex, sizeof hex - 1, key, crypto_secretbox_KEYBYTES);
    size_t n = strlen(hex);
    hex[n++] = '\n';
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) /* another instance made it first: read theirs */
        return errno == EEXIST ? read_or_create(path, key) : -1;
    int ok = fd_write_all_sync(fd, hex, n) == 0;
    sodium_memzero(hex, sizeof hex);
    return close(fd) == 0 && ok ? 0 : -1;
}

int webhooks_load_key(const char *key_dir)
{
    char path[4096];
    unsigned char key[crypto_secretbox_KEYBYTES];
    if (!key_dir || snprintf(path, sizeof path, "%s/%s", key_dir, WEBHOOK_KEY_FILE) >= (int)sizeof path)
        return -1;
    if (read_or_create(path, key) != 0) {
        log_msg(LOG_ERROR, "webhooks: cannot read or create %s: %s", path, strerror(errno));
        return -1;
    }
    pthread_mutex_lock(&key_lock);
    memcpy(seal_key, key, sizeof key);
    have_key = 1;
    pthread_mutex_unlock(&key_lock);
    sodium_memzero(key, sizeof key);
    return 0;
}

void webhooks_forget_key(void)
{
    pthread_mutex_lock(&key_lock);
    sodium_memzero(seal_key, sizeof seal_key);
    have_key = 0;
    pthread_mutex_unlock(&key_lock);
}

#define SEAL_TAG "sb1:"

int webhooks_new_secret(char *out, size_t size, arena *a, const char **sealed)
{
    unsigned char raw[32];
    char hex[65];
    if (size < sizeof WEBHOOK_SECRET_PREFIX + 64)
        return -1;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    snprintf(out, size, "%s%s", WEBHOOK_SECRET_PREFIX, hex);
    sodium_memzero(raw, sizeof raw);
    size_t mlen = strlen(out);
    unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 128];
    if (mlen > 128)
        return -1;
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    pthread_mutex_lock(&key_lock);
    int ok = have_key && crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES,
                                               (const unsigned char *)out, mlen, box,
                                               seal_key) == 0;
    pthread_mutex_unlock(&key_lock);
    if (!ok)
        return -1;
    size_t blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + mlen;
    char *text = arena_alloc(a, sizeof SEAL_TAG + 2 * blen + 1);
    if (!text)
        return -1;
    memcpy(text, SEAL_TAG, sizeof SEAL_TAG - 1);
    sodium_bin2hex(text + sizeof SEAL_TAG - 1, 2 * blen + 1, box, blen);
    *sealed = text;
    return 0;
}

int webhooks_unseal(const char *sealed, char *out, size_t size)
{
    unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 128];
    size_t blen = 0;
    if (!sealed || strncmp(sealed, SEAL_TAG, sizeof SEAL_TAG - 1) != 0 ||
        sodium_hex2bin(box, sizeof box, sealed + sizeof SEAL_TAG - 1,
                       strlen(sealed + sizeof SEAL_TAG - 1), NULL, &blen, NULL) != 0 ||
        blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return -1;
    size_t mlen = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    if (mlen + 1 > size)
        return -1;
    pthread_mutex_lock(&key_lock);
    int ok = have_key && crypto_secretbox_open_easy((unsigned char *)out,
                                                    box + crypto_secretbox_NONCEBYTES,
                                                    blen - crypto_secretbox_NONCEBYTES, box,
                                                    seal_key) == 0;
    pthread_mutex_unlock(&key_lock);
    if (!ok)
        return -1;
    out[mlen] = '\0';
    return 0;
}
