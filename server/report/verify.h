/* verify.h - checks a governance report bundle, for `switchyard report
 * verify` and POST /api/v1/reports/verify alike: the minisign signature of
 * the manifest, every file against the manifest (and that none is
 * unlisted), and, with a database, that the audit head the bundle names is
 * an event of that database's intact hash chain.
 *
 * Which key: the caller's trusted key (the server's own, or one given on
 * the command line) when there is one; the bundle then must carry that same
 * key if it carries one. Without a trusted key the bundle's embedded key
 * (report-signing.pub) is used, and the result says so: the signature then
 * proves the files are as signed, and its key ID must be compared with the
 * one the organisation publishes (GET /api/v1/reports/public-key). */
#ifndef SY_REPORT_VERIFY_H
#define SY_REPORT_VERIFY_H

#include <stddef.h>

#include "common/arena.h"
#include "common/jw.h"
#include "core/minisign.h"
#include "store/store.h"

/* The public key inside a bundle, listed in its manifest. */
#define BUNDLE_KEY_FILE "report-signing.pub"

typedef enum { CHECK_OK, CHECK_FAILED, CHECK_SKIPPED } check_state;

typedef struct verify_check {
    const char *name;          /* "signature", "audit head", or a file name */
    check_state state;
    const char *detail;        /* why, in words; NULL when there is nothing to add */
} verify_check;

typedef enum {
    KEY_NONE,                  /* no key could be had: the signature failed */
    KEY_TRUSTED,               /* the caller's key */
    KEY_EMBEDDED               /* only the bundle's own key */
} key_source;

typedef struct verify_result {
    int verified;              /* every check that ran passed */
    const char *directory;     /* the bundle's top directory */
    char key_id[17];           /* of the key that checked the signature */
    key_source key;
    const char *trusted_comment;
    verify_check *checks;      /* signature, each file, audit head */
    size_t n_checks;
} verify_result;

/* Verifies the .tar.gz bundle in data. trusted may be NULL (then the
 * bundle's own key is used); db may be NULL (the audit head is then
 * skipped, not failed). Everything in *out lives in a. Returns 0, or -1
 * when out of memory. */
int report_verify(const void *data, size_t len, const minisign_key *trusted, sy_db *db,
                  arena *a, verify_result *out);

/* Writes the result as the JSON answer of POST /reports/verify. */
void report_verify_json(jw *w, const verify_result *r);

/* Prints the result as `switchyard report verify` does, one line a check. */
void report_verify_print(const verify_result *r, const char *bundle_name);

#endif
