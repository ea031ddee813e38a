/* log.h - one-line log records on stderr, safe from any thread. */
#ifndef SY_LOG_H
#define SY_LOG_H

enum { LOG_ERROR, LOG_WARN, LOG_INFO };

void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Messages below this level are dropped (default LOG_INFO). */
void log_set_level(int level);
/* One JSON object per line instead of text (--log-format json), for log
 * shippers: {"ts":"…","level":"info","msg":"…"}; request lines carry
 * method, path, status and ms as fields of their own. */
void log_set_json(int on);
/* A request's line: "METHOD PATH STATUS 1.2ms", or its JSON object. */
void log_request_line(const char *method, const char *path, int status, double ms);

#endif
