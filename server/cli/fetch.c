/* fetch.c - `switchyard import KIND --url URL`: the file fetched over HTTPS
 * with libcurl into a temporary file, then imported like one on disk.
 * Bounded: a connect and a total timeout, a size cap, HTTPS with the
 * peer's certificate and name verified (plain http only to this machine,
 * for tests), at most 5 redirects and those to https only. The product
 * never reaches the network otherwise. */
#include "cli/fetch.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

typedef struct sink {
    FILE *f;
    curl_off_t got, cap;
    int too_big, write_failed;
} sink;

static size_t into_file(char *data, size_t size, size_t n, void *arg)
{
    sink *s = arg;
    size_t len = size * n;
    if (s->got + (curl_off_t)len > s->cap) {
        s->too_big = 1;
        return 0; /* curl stops the transfer */
    }
    if (fwrite(data, 1, len, s->f) != len) {
        s->write_failed = 1;
        return 0;
    }
    s->got += (curl_off_t)len;
    return len;
}

/* https://, or http:// to this machine only (tests). */
static int allowed(const char *url)
{
    static const char *const local[] = {"http://127.0.0.1", "http://localhost", "http://[::1]"};
    if (strncmp(url, "https://", 8) == 0)
        return 1;
    for (size_t i = 0; i < sizeof local / sizeof *local; i++) {
        size_t n = strlen(local[i]);
        if (strncmp(url, local[i], n) == 0 && (url[n] == ':' || url[n] == '/' || !url[n]))
            return 1;
    }
    return 0;
}

static int setup(CURL *c, const char *url, sink *s, const fetch_limits *lim, char *errbuf)
{
    return curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK ||
           curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http") != CURLE_OK ||
           curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https") != CURLE_OK ||
           curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L) != CURLE_OK ||
           curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L) != CURLE_OK ||
           curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK ||
           curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK ||
           curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
           curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, lim->connect_seconds) != CURLE_OK ||
           curl_easy_setopt(c, CURLOPT_TIMEOUT, lim->total_seconds) != CURLE_OK ||
           curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)lim->max_bytes) != CURLE_OK ||
           curl_easy_setopt(c, CURLOPT_USERAGENT, "Switchyard-Import/1") != CURLE_OK ||
           curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "") != CURLE_OK ||
           curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, into_file) != CURLE_OK ||
           curl_easy_setopt(c, CURLOPT_WRITEDATA, s) != CURLE_OK ||
           curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK
               ? -1
               : 0;
}

FILE *fetch_url(const char *url, const fetch_limits *lim, char *why, size_t size)
{
    if (!allowed(url)) {
        snprintf(why, size, "only https:// addresses can be fetched (plain http only from this machine)");
        return NULL;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(why, size, "cannot start the HTTP client");
        return NULL;
    }
    sink s = {.f = tmpfile(), .cap = (curl_off_t)lim->max_bytes};
    CURL *c = curl_easy_init();
    char errbuf[CURL_ERROR_SIZE] = "";
    long status = 0;
    CURLcode rc = CURLE_FAILED_INIT;
    if (s.f && c && setup(c, url, &s, lim, errbuf) == 0)
        rc = curl_easy_perform(c);
    if (rc == CURLE_OK && curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK)
        rc = CURLE_FAILED_INIT;
    if (c)
        curl_easy_cleanup(c);
    curl_global_cleanup();
    if (!s.f || rc == CURLE_FAILED_INIT)
        snprintf(why, size, "cannot start the download%s", s.f ? "" : " (no temporary file)");
    else if (s.too_big || rc == CURLE_FILESIZE_EXCEEDED)
        snprintf(why, size, "the answer is larger than %ld MB; nothing was imported",
                 lim->max_bytes / (1024 * 1024));
    else if (rc == CURLE_OPERATION_TIMEDOUT)
        snprintf(why, size, "no complete answer within %ld s (timed out)", lim->total_seconds);
    else if (s.write_failed)
        snprintf(why, size, "cannot write the temporary file");
    else if (rc != CURLE_OK)
        snprintf(why, size, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    else if (status < 200 || status > 299)
        snprintf(why, size, "the server answered HTTP %ld", status);
    else if (fflush(s.f) == 0 && fseek(s.f, 0, SEEK_SET) == 0)
        return s.f;
    else
        snprintf(why, size, "cannot read the temporary file back");
    if (s.f)
        fclose(s.f);
    return NULL;
}
