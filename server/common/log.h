/* log.h - one-line log records on stderr, safe from any thread. */
#ifndef SY_LOG_H
#define SY_LOG_H

enum { LOG_ERROR, LOG_WARN, LOG_INFO };

void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Messages below this level are dropped (default LOG_INFO). */
void log_set_level(int level);

#endif
