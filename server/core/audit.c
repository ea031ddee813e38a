/* audit.c - canonical form and hash of audit events; see audit.h. */
#include "core/audit.h"

#include <sodium.h>
#include <string.h>

#include "common/jw.h"

const char AUDIT_GENESIS[AUDIT_HASH_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

void audit_canonical(const audit_event *ev, buf *out)
{
    jw w;
    jw_init(&w, out);
    jw_obj(&w);
    jw_kint(&w, "seq", ev->seq);
    jw_kstr(&w, "at", ev->at);
    jw_kstr(&w, "actor", ev->actor);
    jw_kstr(&w, "action", ev->action);
    jw_kstr(&w, "entity", ev->entity);
    jw_kid(&w, "entity_id", ev->entity_id);
    jw_key(&w, "before");
    if (ev->before)
        jw_raw(&w, ev->before);
    else
        jw_null(&w);
    jw_key(&w, "after");
    if (ev->after)
        jw_raw(&w, ev->after);
    else
        jw_null(&w);
    jw_obj_end(&w);
}

void sha256_hex(const void *data, size_t len, char hex[AUDIT_HASH_HEX])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(hex, AUDIT_HASH_HEX, digest, sizeof digest);
}

int audit_hash(const audit_event *ev, char hex[AUDIT_HASH_HEX])
{
    buf b;
    buf_init(&b);
    buf_append(&b, ev->prev_hash, strlen(ev->prev_hash));
    audit_canonical(ev, &b);
    if (buf_failed(&b)) {
        buf_free(&b);
        return -1;
    }
    sha256_hex(b.data, b.len, hex);
    buf_free(&b);
    return 0;
}

int secret_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b))
        return 0;
    return sodium_memcmp(a, b, n) == 0;
}
