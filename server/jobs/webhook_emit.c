/* webhook_emit.c - raising webhook events into the durable queue from a
 * caller's write transaction (webhooks_emit), and the events other
 * modules raise by name: audit.verify_failed (the API's and the command
 * line's verification). */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "common/jw.h"
#include "common/log.h"
#include "common/text.h"
#include "core/webhook.h"
#include "jobs/webhooks.h"
#include "store/webhooks.h"

int webhooks_emit(sy_db *db, const char *type, const char *data_json, store_err *err)
{
    unsigned char raw[16];
    char hex[33], id[40], created[21];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    snprintf(id, sizeof id, "evt_%s", hex);
    clock_now_rfc3339(created);
    buf body;
    buf_init(&body);
    webhook_body(&body, id, type, created, data_json);
    int queued = 0, code;
    if (buf_failed(&body)) {
        memset(err, 0, sizeof *err);
        err->code = code = ST_ERROR;
        copy_str(err->detail, sizeof err->detail, "Out of memory.");
    } else {
        code = store_webhook_enqueue(db, id, type, created, body.data, clock_now(), &queued, err);
    }
    buf_free(&body);
    if (code == ST_OK && queued)
        webhooks_wake();
    return code;
}


void webhooks_audit_failed(sy_db *db, int64_t events, int64_t first_broken, const char *problem,
                           const char *source)
{
    buf data;
    buf_init(&data);
    jw w;
    jw_init(&w, &data);
    jw_obj(&w);
    jw_kstr(&w, "source", source);
    jw_kint(&w, "events", events);
    jw_kint(&w, "first_broken", first_broken);
    jw_kstr(&w, "problem", problem);
    jw_obj_end(&w);
    store_err err;
    int ok = !buf_failed(&data) && store_begin_write(db, &err) == ST_OK;
    if (ok)
        store_mark_quiet(db); /* queue rows only: no cached answer changes */
    if (ok && (webhooks_emit(db, "audit.verify_failed", data.data, &err) != ST_OK ||
               store_commit(db, &err) != ST_OK)) {
        store_rollback(db);
        ok = 0;
    }
    if (!ok)
        log_msg(LOG_WARN, "webhooks: cannot queue audit.verify_failed");
    buf_free(&data);
}
