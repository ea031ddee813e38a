/* log.c - one-line log records; see log.h. Each record is formatted into a
 * local buffer and written with one fputs so threads do not interleave. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

#include "text.h"

static int threshold = LOG_INFO;

void log_set_level(int level)
{
    threshold = level;
}

void log_msg(int level, const char *fmt, ...)
{
    static const char *const names[] = {"error", "warn", "info"};
    if (level > threshold)
        return;
    char line[1024], now[21];
    clock_now_rfc3339(now);
    int n = snprintf(line, sizeof line, "%s %s ", now, names[level]);
    if (n < 0 || (size_t)n >= sizeof line)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s\n", line);
}
