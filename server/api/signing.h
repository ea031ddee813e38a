/* signing.h - the report signing key, kept outside the database in a key
 * directory (--key-dir; default: the database's directory):
 *   report-signing.key  minisign unencrypted secret key, mode 0600
 *   report-signing.pub  minisign public key (two lines), mode 0644
 * Created on first use. The secret file is written to a temporary file and
 * linked into place, which fails if another process created it meanwhile
 * (then that key is used), so concurrent first uses agree on one key. */
#ifndef SY_SIGNING_H
#define SY_SIGNING_H

#include <stddef.h>

#include "core/minisign.h"

#define SIGNING_KEY_FILE "report-signing.key"
#define SIGNING_PUB_FILE "report-signing.pub"

/* Loads the key pair from dir; with create, makes it first if missing
 * (and dir too). 0, or -1 with a message. */
int signing_key_load(const char *dir, int create, minisign_key *k, char *msg, size_t size);

/* Loads only a public key: from a .pub file, else from dir's key pair. */
int signing_public_load(const char *pub_file, const char *dir, minisign_key *k, char *msg,
                        size_t size);

/* Reads a whole file (at most max bytes) into a malloc'd NUL-terminated
 * buffer. 0, or -1 (errno set). */
int signing_read_file(const char *path, size_t max, char **data, size_t *len);

#endif
