/* verify.c - checks a report bundle; see verify.h. */
#include "report/verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api/audit.h"
#include "common/text.h"
#include "core/audit.h"
#include "report/bundle.h"
#include "store/reports.h"

/* The checks a bundle can need: signature, audit head, a bundle-level one,
 * and one per file (files that are listed and files that are not). */
#define MAX_CHECKS (2 * BUNDLE_MAX_FILES + 3)

typedef struct checks {
    verify_result *r;
    arena *a;
} checks;

static void add(checks *c, const char *name, check_state state, const char *detail)
{
    if (c->r->n_checks >= MAX_CHECKS)
        return;
    c->r->checks[c->r->n_checks++] = (verify_check){name, state, detail};
    if (state == CHECK_FAILED)
        c->r->verified = 0;
}

/* A detail message built with a format, kept in the arena. */
static const char *say(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *say(arena *a, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return arena_strdup(a, text);
}

static const bundle_file *find(const bundle_file *files, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(files[i].name, name) == 0)
            return &files[i];
    return NULL;
}

static int is_hex64(const char *s)
{
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* One check per manifest line, then one per file the manifest leaves out. */
static void check_manifest(checks *c, const bundle_file *files, size_t n,
                           const bundle_file *manifest)
{
    unsigned char listed[BUNDLE_MAX_FILES] = {0};
    const char *p = manifest->data, *end = manifest->data + manifest->len;
    size_t lines = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len < 67 || len - 66 >= 256 || !is_hex64(p) || p[64] != ' ' ||
            (p[65] != ' ' && p[65] != '*')) {
            add(c, MANIFEST_FILE, CHECK_FAILED,
                say(c->a, "line %zu is not \"<sha256> <file>\"", lines + 1));
            return;
        }
        const char *name = arena_strndup(c->a, p + 66, len - 66);
        const bundle_file *f = name ? find(files, n, name) : NULL;
        if (!f) {
            add(c, name ? name : "?", CHECK_FAILED, "listed in the manifest but missing");
        } else {
            char hex[AUDIT_HASH_HEX];
            sha256_hex(f->data, f->len, hex);
            int same = memcmp(hex, p, 64) == 0;
            add(c, f->name, same ? CHECK_OK : CHECK_FAILED,
                same ? NULL : "its content differs from the manifest");
            listed[f - files] = 1;
        }
        lines++;
        p += len + 1;
    }
    if (lines == 0)
        add(c, MANIFEST_FILE, CHECK_FAILED, "the manifest lists no file");
    for (size_t i = 0; i < n; i++)
        if (!listed[i] && strcmp(files[i].name, MANIFEST_FILE) != 0 &&
            strcmp(files[i].name, SIGNATURE_FILE) != 0)
            add(c, files[i].name, CHECK_FAILED, "not in the manifest");
}

/* Picks the key: the trusted one (which an embedded key must equal), else
 * the bundle's own. 0, or -1 with a failed signature check added. */
static int choose_key(checks *c, const bundle_file *embedded, const minisign_key *trusted,
                      minisign_key *key)
{
    minisign_key own;
    int has_own = embedded && minisign_parse_public(embedded->data, embedded->len, &own) == 0;
    if (embedded && !has_own) {
        add(c, "signature", CHECK_FAILED, BUNDLE_KEY_FILE " is not a minisign public key");
        return -1;
    }
    if (trusted) {
        if (has_own && memcmp(own.keyid, trusted->keyid, MINISIGN_KEYID) != 0) {
            char theirs[17], ours[17];
            minisign_keyid_hex(own.keyid, theirs);
            minisign_keyid_hex(trusted->keyid, ours);
            add(c, "signature", CHECK_FAILED,
                say(c->a, "signed with another key: the bundle carries key %s, the trusted "
                        "key is %s", theirs, ours));
            return -1;
        }
        *key = *trusted;
        c->r->key = KEY_TRUSTED;
        return 0;
    }
    if (!has_own) {
        add(c, "signature", CHECK_FAILED,
            "no public key: the bundle carries none and none was given (--public-key FILE)");
        return -1;
    }
    *key = own;
    c->r->key = KEY_EMBEDDED;
    return 0;
}

static void check_signature(checks *c, const bundle_file *manifest, const bundle_file *sig,
                            const bundle_file *embedded, const minisign_key *trusted)
{
    minisign_key key;
    if (choose_key(c, embedded, trusted, &key) != 0)
        return;
    minisign_keyid_hex(key.keyid, c->r->key_id);
    char comment[MINISIGN_COMMENT_MAX];
    const char *why;
    if (minisign_verify(&key, manifest->data, manifest->len, sig->data, sig->len, comment,
                        sizeof comment, &why) != 0) {
        add(c, "signature", CHECK_FAILED, say(c->a, "%s; key %s", why, c->r->key_id));
        return;
    }
    c->r->trusted_comment = arena_strdup(c->a, comment);
    add(c, "signature", CHECK_OK,
        c->r->key == KEY_TRUSTED
            ? say(c->a, "signed with the trusted key %s", c->r->key_id)
            : say(c->a, "signed with the key the bundle carries, %s: compare it with the key "
                        "ID the organisation publishes (GET /api/v1/reports/public-key)",
                  c->r->key_id));
}

/* The audit head named in report-info.txt against db's chain. */
static void check_head(checks *c, const bundle_file *info, sy_db *db)
{
    const char *name = "audit head";
    char seq_text[32], hash[AUDIT_HASH_HEX];
    int64_t seq;
    if (info_value(info->data, info->len, "audit_head_seq", seq_text, sizeof seq_text) != 0 ||
        parse_i64(seq_text, 0, INT64_MAX, &seq) != 0 ||
        info_value(info->data, info->len, "audit_head_hash", hash, sizeof hash) != 0 ||
        strlen(hash) != 64) {
        add(c, name, CHECK_FAILED, INFO_FILE " names no audit head");
        return;
    }
    if (!db) {
        add(c, name, CHECK_SKIPPED, "no database to check it against");
        return;
    }
    audit_verdict v;
    store_err err;
    if (audit_verify(db, NULL, &v, &err) != ST_OK) {
        add(c, name, CHECK_FAILED, arena_strdup(c->a, err.detail));
    } else if (!v.ok && v.first_broken <= seq) {
        add(c, name, CHECK_FAILED,
            say(c->a, "the audit chain is broken at event %lld: %s", (long long)v.first_broken,
                v.problem));
    } else if (seq == 0) {
        int ok = strcmp(hash, AUDIT_GENESIS) == 0;
        add(c, name, ok ? CHECK_OK : CHECK_FAILED,
            ok ? "the trail was empty" : "event 0 with another hash than the chain's start");
    } else {
        audit_event ev;
        int code = store_audit_get(db, seq, c->a, &ev, &err);
        if (code == ST_NOT_FOUND)
            add(c, name, CHECK_FAILED,
                say(c->a, "event %lld is not in this database's trail", (long long)seq));
        else if (code != ST_OK)
            add(c, name, CHECK_FAILED, arena_strdup(c->a, err.detail));
        else if (strcmp(ev.hash, hash) != 0)
            add(c, name, CHECK_FAILED,
                say(c->a, "event %lld has another hash in this database", (long long)seq));
        else
            add(c, name, CHECK_OK,
                say(c->a, "event %lld is part of the verified chain of %lld events",
                    (long long)seq, (long long)v.events));
    }
}

int report_verify(const void *data, size_t len, const minisign_key *trusted, sy_db *db,
                  arena *a, verify_result *out)
{
    memset(out, 0, sizeof *out);
    out->verified = 1;
    out->checks = arena_alloc(a, sizeof(verify_check) * MAX_CHECKS);
    bundle_file *files = arena_alloc(a, sizeof(bundle_file) * BUNDLE_MAX_FILES);
    char *dir = arena_alloc(a, 256);
    if (!out->checks || !files || !dir)
        return -1;
    checks c = {out, a};
    size_t n;
    char msg[512];
    if (bundle_read(data, len, a, files, &n, dir, 256, msg, sizeof msg) != 0) {
        add(&c, "bundle", CHECK_FAILED, arena_strdup(a, msg));
        return 0;
    }
    out->directory = dir;
    const bundle_file *manifest = find(files, n, MANIFEST_FILE);
    const bundle_file *sig = find(files, n, SIGNATURE_FILE);
    const bundle_file *info = find(files, n, INFO_FILE);
    if (!manifest || !sig || !info) {
        add(&c, "bundle", CHECK_FAILED,
            say(a, "%s is missing", !manifest ? MANIFEST_FILE : !sig ? SIGNATURE_FILE : INFO_FILE));
        return 0;
    }
    check_signature(&c, manifest, sig, find(files, n, BUNDLE_KEY_FILE), trusted);
    check_manifest(&c, files, n, manifest);
    check_head(&c, info, db);
    return 0;
}

static const char *state_name(check_state s)
{
    return s == CHECK_OK ? "ok" : s == CHECK_FAILED ? "failed" : "skipped";
}

void report_verify_json(jw *w, const verify_result *r)
{
    static const char *const keys[] = {"none", "trusted", "embedded"};
    jw_obj(w);
    jw_kbool(w, "verified", r->verified);
    jw_kstr(w, "directory", r->directory);
    jw_kstr(w, "key_id", r->key_id[0] ? r->key_id : NULL);
    jw_kstr(w, "key", keys[r->key]);
    jw_kstr(w, "trusted_comment", r->trusted_comment);
    jw_key(w, "checks");
    jw_arr(w);
    for (size_t i = 0; i < r->n_checks; i++) {
        jw_obj(w);
        jw_kstr(w, "name", r->checks[i].name);
        jw_kstr(w, "state", state_name(r->checks[i].state));
        jw_kstr(w, "detail", r->checks[i].detail);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

void report_verify_print(const verify_result *r, const char *bundle_name)
{
    static const char *const shown[] = {"OK", "FAILED", "not checked"};
    for (size_t i = 0; i < r->n_checks; i++) {
        const verify_check *k = &r->checks[i];
        if (k->detail)
            printf("%s: %s (%s)\n", k->name, shown[k->state], k->detail);
        else
            printf("%s: %s\n", k->name, shown[k->state]);
    }
    if (r->trusted_comment)
        printf("trusted comment: %s\n", r->trusted_comment);
    printf("%s: %s\n", bundle_name,
           !r->verified           ? "NOT verified"
           : r->key == KEY_TRUSTED ? "verified"
                                   : "verified with the key it carries (compare the key ID)");
}
