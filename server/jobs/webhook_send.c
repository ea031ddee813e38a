/* webhook_send.c - one delivery attempt over HTTP(S) with libcurl: POST
 * the body with the event ID and signature headers; connect timeout 5 s,
 * whole attempt 10 s; no redirects followed; only http and https; the
 * answer's body read and dropped (at most 64 KiB). */
#include "jobs/webhook_send.h"

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

static size_t discard(char *data, size_t size, size_t n, void *arg)
{
    size_t *seen = arg;
    (void)data;
    *seen += size * n;
    return *seen > 65536 ? 0 : size * n; /* stop reading a huge answer */
}

int webhook_send_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void webhook_send_cleanup(void)
{
    curl_global_cleanup();
}

void webhook_post(const char *url, const char *body, const char *event_id,
                  const char *signature, webhook_result *r)
{
    memset(r, 0, sizeof *r);
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(r->error, sizeof r->error, "cannot start the HTTP client");
        return;
    }
    char h_id[160], h_sig[200];
    snprintf(h_id, sizeof h_id, "Switchyard-Event-Id: %s", event_id);
    snprintf(h_sig, sizeof h_sig, "Switchyard-Signature: %s", signature);
    struct curl_slist *headers = NULL, *next;
    const char *lines[] = {"Content-Type: application/json", h_id, h_sig, "Expect:"};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        if (!(next = curl_slist_append(headers, lines[i]))) {
            curl_slist_free_all(headers);
            curl_easy_cleanup(c);
            snprintf(r->error, sizeof r->error, "out of memory");
            return;
        }
        headers = next;
    }
    size_t seen = 0;
    char errbuf[CURL_ERROR_SIZE] = "";
    int set = curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK ||
              curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
              curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
              curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
              curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L) != CURLE_OK ||
              curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L) != CURLE_OK ||
              curl_easy_setopt(c, CURLOPT_USERAGENT, "Switchyard-Webhooks/1") != CURLE_OK ||
              curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers) != CURLE_OK ||
              curl_easy_setopt(c, CURLOPT_POSTFIELDS, body) != CURLE_OK ||
              curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body)) != CURLE_OK ||
              curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard) != CURLE_OK ||
              curl_easy_setopt(c, CURLOPT_WRITEDATA, &seen) != CURLE_OK ||
              curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK;
    CURLcode rc = set ? CURLE_FAILED_INIT : curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    r->code = code;
    if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && code >= 200 && code < 300))
        snprintf(r->error, sizeof r->error, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    else if (code < 200 || code > 299)
        snprintf(r->error, sizeof r->error, "the receiver answered HTTP %ld", code);
    else
        r->ok = 1;
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
}
