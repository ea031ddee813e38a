/* static.h - serves the front end: the embedded copy of web/, or files from
 * --web-root during development. Content types by extension, ETag from a
 * content hash, 304 for a matching If-None-Match. */
#ifndef SY_STATIC_H
#define SY_STATIC_H

struct mg_connection;

/* Returns the HTTP status sent. path is the decoded request path. With
 * close_after the answer says Connection: close (the caller has disabled
 * keep-alive). */
int static_serve(struct mg_connection *conn, const char *web_root,
                 const char *method, const char *path, int close_after);

/* Headers every response carries (CSP and friends), CRLF-separated. */
void send_common_headers(struct mg_connection *conn);

#endif
