/* signing.h - Ed25519 key pairs on disk, in minisign's formats, kept
 * outside the database in a key directory (--key-dir; default: the
 * database's directory):
 *   report-signing.key / .pub    signs report bundles
 *   audit-checkpoint.key / .pub  signs the audit chain's checkpoints
 * The secret file is mode 0600, the public one 0644, the directory 0700.
 * Keys are made only on purpose (`switchyard keys init`, or `serve` at
 * start-up, both audited), never on first use by a request. A new secret
 * is written to a temporary file and linked into place, which fails if
 * another process created it meanwhile (then that key is used), so
 * concurrent creations agree on one key. */
#ifndef SY_REPORT_SIGNING_H
#define SY_REPORT_SIGNING_H

#include <stddef.h>

#include "core/minisign.h"

#define SIGNING_KEY_FILE "report-signing.key"
#define SIGNING_PUB_FILE "report-signing.pub"
#define SIGNING_REPORT "report-signing"
#define SIGNING_AUDIT "audit-checkpoint"

/* Loads the key pair `name` (SIGNING_REPORT, SIGNING_AUDIT) from dir;
 * with create, makes it first if missing (and dir too), *created (may be
 * NULL) saying so. 0, or -1 with a message. */
int keyfile_load(const char *dir, const char *name, int create, minisign_key *k, int *created,
                 char *msg, size_t size);
/* Replaces the key pair `name` by a new one; the old secret stays as
 * NAME.key.KEYID.retired. 0 (old and fresh filled), or -1 with a message. */
int keyfile_rotate(const char *dir, const char *name, minisign_key *old, minisign_key *fresh,
                   char *msg, size_t size);
/* Loads only the public key `name` from dir (its .pub, else the pair).
 * 0, or -1 with a message. */
int keyfile_public(const char *dir, const char *name, minisign_key *k, char *msg, size_t size);

/* The report key: keyfile_load(dir, SIGNING_REPORT, ...). */
int signing_key_load(const char *dir, int create, minisign_key *k, char *msg, size_t size);

/* Loads only a public key: from a .pub file, else from dir's key pair. */
int signing_public_load(const char *pub_file, const char *dir, minisign_key *k, char *msg,
                        size_t size);

#endif
