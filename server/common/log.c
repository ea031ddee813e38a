/* log.c - one-line log records; see log.h. Each record is formatted into a
 * local buffer and written with one fputs so threads do not interleave. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

#include "text.h"

static int threshold = LOG_INFO;
static int as_json;
static const char *const names[] = {"error", "warn", "info"};

void log_set_json(int on)
{
    as_json = on;
}

/* Appends s to out[*n..size) as JSON string content (quotes, backslashes
 * and control characters escaped); stops short rather than overflow. */
static void json_text(char *out, size_t size, size_t *n, const char *s)
{
    for (; *s && *n + 7 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[(*n)++] = '\\';
            out[(*n)++] = (char)c;
        } else if (c < 0x20) {
            *n += (size_t)snprintf(out + *n, size - *n, "\\u%04x", c);
        } else {
            out[(*n)++] = (char)c;
        }
    }
    out[*n] = '\0';
}

void log_request_line(const char *method, const char *path, int status, double ms)
{
    if (LOG_INFO > threshold)
        return;
    if (!as_json) {
        log_msg(LOG_INFO, "%s %s %d %.1fms", method, path, status, ms);
        return;
    }
    char line[1200], now[21];
    clock_now_rfc3339(now);
    size_t n = 0;
    int w = snprintf(line, sizeof line, "{\"ts\":\"%s\",\"level\":\"info\",\"method\":\"", now);
    if (w < 0 || (size_t)w >= sizeof line)
        return;
    n = (size_t)w;
    json_text(line, sizeof line - 80, &n, method);
    n += (size_t)snprintf(line + n, sizeof line - n, "\",\"path\":\"");
    json_text(line, sizeof line - 80, &n, path);
    snprintf(line + n, sizeof line - n, "\",\"status\":%d,\"ms\":%.1f}", status, ms);
    fprintf(stderr, "%s\n", line);
}

void log_set_level(int level)
{
    threshold = level;
}

void log_msg(int level, const char *fmt, ...)
{
    if (level > threshold)
        return;
    char line[1024], now[21];
    clock_now_rfc3339(now);
    if (as_json) {
        char msg[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        char json[1200];
        size_t n = (size_t)snprintf(json, sizeof json, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"",
                                    now, names[level]);
        json_text(json, sizeof json - 4, &n, msg);
        fprintf(stderr, "%s\"}\n", json);
        return;
    }
    int n = snprintf(line, sizeof line, "%s %s ", now, names[level]);
    if (n < 0 || (size_t)n >= sizeof line)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s\n", line);
}
