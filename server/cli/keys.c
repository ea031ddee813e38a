/* keys.c - `switchyard keys init | show | rotate [report|audit]`: the key
 * pairs outside the database (report/signing.h). Creating and rotating a
 * key is audited (entity "signing_key"); `show` prints each public key
 * with its key ID and fingerprint for distribution out of band. `serve`
 * creates missing keys at start-up through cli_keys_ensure(). */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "api/audit.h"
#include "cli/cli.h"
#include "common/buf.h"
#include "common/jw.h"
#include "report/signing.h"

typedef struct key_kind {
    const char *word;          /* as the command line names it */
    const char *name;          /* file base name */
    const char *purpose;
} key_kind;

static const key_kind KINDS[] = {
    {"report", SIGNING_REPORT, "signs report bundles"},
    {"audit", SIGNING_AUDIT, "signs the audit trail's checkpoints"},
};
#define N_KINDS (sizeof KINDS / sizeof KINDS[0])

/* {"key":NAME,"key_id":…,"fingerprint":…} into b. */
static void key_doc(const key_kind *kind, const minisign_key *k, buf *b)
{
    char keyid[17], fp[MINISIGN_FINGERPRINT];
    minisign_keyid_hex(k->keyid, keyid);
    minisign_fingerprint(k, fp);
    jw w;
    jw_init(&w, b);
    jw_obj(&w);
    jw_kstr(&w, "key", kind->name);
    jw_kstr(&w, "key_id", keyid);
    jw_kstr(&w, "fingerprint", fp);
    jw_obj_end(&w);
}

/* One audit event about a key, in its own transaction. 0 or -1. */
static int audit_key(sy_db *db, const char *actor, const char *action, const key_kind *kind,
                     const minisign_key *before, const minisign_key *after)
{
    buf b, a;
    buf_init(&b);
    buf_init(&a);
    if (before)
        key_doc(kind, before, &b);
    key_doc(kind, after, &a);
    store_err err;
    int ok = !buf_failed(&b) && !buf_failed(&a) && store_begin_write(db, &err) == ST_OK;
    if (ok) {
        ok = audit_record(db, actor, action, "signing_key", 0, before ? b.data : NULL, a.data,
                          &err) == ST_OK &&
             store_commit(db, &err) == ST_OK;
        if (!ok) {
            store_rollback(db);
            fprintf(stderr, "switchyard: the key's audit event could not be written: %s\n",
                    err.detail);
        }
    }
    buf_free(&b);
    buf_free(&a);
    return ok ? 0 : -1;
}

int cli_keys_ensure(sy_db *db, const char *dir, const char *actor, int verbose)
{
    int rc = 0;
    for (size_t i = 0; i < N_KINDS; i++) {
        minisign_key k;
        char msg[512];
        int created = 0;
        if (keyfile_load(dir, KINDS[i].name, 1, &k, &created, msg, sizeof msg) != 0) {
            fprintf(stderr, "switchyard: %s\n", msg);
            rc = -1;
            continue;
        }
        if (created && audit_key(db, actor, "create", &KINDS[i], NULL, &k) != 0)
            rc = -1;
        if (verbose) {
            char keyid[17];
            minisign_keyid_hex(k.keyid, keyid);
            printf("%s key %s in %s: %s\n", KINDS[i].word, keyid, dir,
                   created ? "created" : "already there");
        }
        sodium_memzero(&k, sizeof k);
    }
    return rc;
}

static int show(const char *dir)
{
    int rc = 0;
    for (size_t i = 0; i < N_KINDS; i++) {
        minisign_key k;
        char msg[512], keyid[17], fp[MINISIGN_FINGERPRINT];
        if (keyfile_public(dir, KINDS[i].name, &k, msg, sizeof msg) != 0) {
            printf("# %s key (%s): none in %s\n\n", KINDS[i].word, KINDS[i].purpose, dir);
            rc = 1;
            continue;
        }
        minisign_keyid_hex(k.keyid, keyid);
        minisign_fingerprint(&k, fp);
        buf text;
        buf_init(&text);
        minisign_public_text(&k, &text);
        printf("# %s key (%s), %s/%s.pub\nkey_id %s\nfingerprint %s\n%s\n", KINDS[i].word,
               KINDS[i].purpose, dir, KINDS[i].name, keyid, fp, text.data ? text.data : "");
        buf_free(&text);
    }
    return rc;
}

static int rotate(sy_db *db, const char *dir, const key_kind *kind)
{
    minisign_key old, fresh;
    char msg[512], before[17], after[17];
    if (keyfile_rotate(dir, kind->name, &old, &fresh, msg, sizeof msg) != 0) {
        fprintf(stderr, "switchyard: %s\n", msg);
        return 1;
    }
    int rc = audit_key(db, "system:cli", "rotate", kind, &old, &fresh) == 0 ? 0 : 1;
    minisign_keyid_hex(old.keyid, before);
    minisign_keyid_hex(fresh.keyid, after);
    printf("%s key rotated in %s: %s -> %s (the old secret kept as %s.key.%s.retired)\n",
           kind->word, dir, before, after, kind->name, before);
    sodium_memzero(&old, sizeof old);
    sodium_memzero(&fresh, sizeof fresh);
    return rc;
}

int cli_keys(sy_db *db, const char *dir, const char *const *args, int n_args)
{
    const char *sub = n_args > 0 ? args[0] : "";
    if (strcmp(sub, "init") == 0 && n_args == 1)
        return cli_keys_ensure(db, dir, "system:cli", 1) == 0 ? 0 : 1;
    if (strcmp(sub, "show") == 0 && n_args == 1)
        return show(dir);
    if (strcmp(sub, "rotate") == 0 && n_args <= 2) {
        const char *word = n_args == 2 ? args[1] : "report";
        for (size_t i = 0; i < N_KINDS; i++)
            if (strcmp(word, KINDS[i].word) == 0)
                return rotate(db, dir, &KINDS[i]);
    }
    fprintf(stderr, "switchyard: usage: switchyard keys init | show | rotate [report|audit] "
                    "[--key-dir DIR]\n");
    return 2;
}
