/* reports.c - the report routes: GET /api/v1/reports/governance (the
 * export, report/export.c), GET /reports/public-key, and
 * POST /reports/verify (report/verify.c). */
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "common/log.h"
#include "core/minisign.h"
#include "http/server.h"
#include "report/report.h"
#include "report/signing.h"
#include "report/verify.h"

/* ---- handlers ------------------------------------------------------------- */

static const char *app_key_dir(sy_request *rq)
{
    const sy_app *app = rq->app;
    return report_key_dir(&rq->arena, app ? app->cfg.key_dir : NULL,
                          app ? app->cfg.db_path : NULL);
}

int reports_governance_get(sy_request *rq)
{
    report_query q;
    int status = report_parse_query(rq, NULL, NULL, &q);
    if (status)
        return status;
    return report_export(rq, &q, app_key_dir(rq));
}

/* For the key routes: no query parameters, then the server's signing key.
 * A missing key is an error, never made here: the operator creates it
 * (`switchyard keys init`, or `serve` at start-up). 0, or the status of
 * the problem answered. */
static int server_key(sy_request *rq, minisign_key *key)
{
    if (rq->query[0])
        return problem(rq, 400, "A query parameter was not accepted", "This resource takes no query parameters.");
    char msg[512];
    if (signing_key_load(app_key_dir(rq), 0, key, msg, sizeof msg) != 0) {
        log_msg(LOG_ERROR, "report: %s", msg);
        return problem(rq, 503, NULL, "The report signing key is not available; the operator "
                                      "creates it with `switchyard keys init`.");
    }
    return 0;
}

int reports_public_key_get(sy_request *rq)
{
    minisign_key key;
    int status = server_key(rq, &key);
    if (status)
        return status;
    minisign_public_text(&key, &rq->out);
    sodium_memzero(&key, sizeof key);
    rq->content_type = "text/plain; charset=utf-8";
    rq->cache_control = "no-cache";
    rq->disposition = "inline; filename=\"switchyard-report.pub\"";
    return 200;
}

/* GET /reports/signing-key: the same key as JSON, with its key ID and its
 * fingerprint for comparing out of band (`switchyard keys show`). */
int reports_signing_key_get(sy_request *rq)
{
    minisign_key key;
    int status = server_key(rq, &key);
    if (status)
        return status;
    char keyid[17], fingerprint[MINISIGN_FINGERPRINT];
    minisign_keyid_hex(key.keyid, keyid);
    minisign_fingerprint(&key, fingerprint);
    buf text;
    buf_init(&text);
    minisign_public_text(&key, &text);
    sodium_memzero(&key, sizeof key);
    if (buf_failed(&text)) {
        buf_free(&text);
        return problem(rq, 500, NULL, "Out of memory.");
    }
    jw_obj(&rq->jw);
    jw_kstr(&rq->jw, "key_id", keyid);
    jw_kstr(&rq->jw, "fingerprint", fingerprint);
    jw_kstr(&rq->jw, "public_key", text.data);
    jw_obj_end(&rq->jw);
    buf_free(&text);
    rq->cache_control = "no-cache";
    return 200;
}

/* POST /reports/verify: the uploaded bundle checked against this server's
 * key and audit trail. Not verified is an answer (200), not an error. */
int reports_verify_post(sy_request *rq)
{
    minisign_key key;
    int status = server_key(rq, &key);
    if (status)
        return status;
    verify_result r;
    int failed = report_verify(rq->upload, rq->upload_len, &key, rq->db, &rq->arena, &r);
    sodium_memzero(&key, sizeof key);
    if (failed)
        return problem(rq, 500, NULL, "Out of memory.");
    report_verify_json(&rq->jw, &r);
    return 200;
}
