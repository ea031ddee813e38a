/* webhook_send.h - one webhook delivery attempt over HTTP(S) (libcurl). */
#ifndef SY_JOBS_WEBHOOK_SEND_H
#define SY_JOBS_WEBHOOK_SEND_H

typedef struct webhook_result {
    int ok;                    /* a 2xx answer */
    long code;                 /* HTTP status, 0 when none came */
    char error[256];           /* why not ok */
} webhook_result;

/* curl_global_init / cleanup: call before and after the worker thread. */
int webhook_send_init(void);
void webhook_send_cleanup(void);

/* POSTs body to url with Content-Type, Switchyard-Event-Id and
 * Switchyard-Signature; blocks at most ~10 s. */
void webhook_post(const char *url, const char *body, const char *event_id,
                  const char *signature, webhook_result *r);

#endif
