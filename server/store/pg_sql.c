/* pg_sql.c - the store's SQLite-style parameters (?1..?N) rewritten to
 * PostgreSQL's ($1..$N); see pg_sql.h. Pure text work with no libpq, so it
 * is unit-tested and fuzzed without a server. */
#include "store/pg_sql.h"

#include <string.h>

int pg_sql_ident_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '$' || c >= 0x80;
}

static int digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of a dollar-quote tag ("$$", "$body$") starting at p, or 0. */
static size_t dollar_tag(const char *p)
{
    if (p[0] != '$')
        return 0;
    size_t n = 1;
    if ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') || p[n] == '_' ||
        (unsigned char)p[n] >= 0x80)
        while (pg_sql_ident_char((unsigned char)p[n]) && p[n] != '$')
            n++;
    return p[n] == '$' ? n + 1 : 0;
}

int pg_sql_rewrite(const char *sql, char *out, unsigned char *used, const char **why)
{
    int top = 0;
    size_t i = 0, o = 0;
    while (sql[i]) {
        char c = sql[i];
        if (c == '\'') {
            /* E'...' takes backslash escapes; '' is a quote in both. */
            int esc = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                      (i < 2 || !pg_sql_ident_char((unsigned char)sql[i - 2]));
            out[o++] = sql[i++];
            while (sql[i]) {
                if (esc && sql[i] == '\\' && sql[i + 1]) {
                    out[o++] = sql[i++];
                    out[o++] = sql[i++];
                } else if (sql[i] == '\'' && sql[i + 1] == '\'') {
                    out[o++] = sql[i++];
                    out[o++] = sql[i++];
                } else if (sql[i] == '\'') {
                    out[o++] = sql[i++];
                    break;
                } else {
                    out[o++] = sql[i++];
                }
            }
        } else if (c == '"') {
            out[o++] = sql[i++];
            while (sql[i]) {
                if (sql[i] == '"' && sql[i + 1] == '"') {
                    out[o++] = sql[i++];
                    out[o++] = sql[i++];
                } else if (sql[i] == '"') {
                    out[o++] = sql[i++];
                    break;
                } else {
                    out[o++] = sql[i++];
                }
            }
        } else if (c == '-' && sql[i + 1] == '-') {
            while (sql[i] && sql[i] != '\n')
                out[o++] = sql[i++];
        } else if (c == '/' && sql[i + 1] == '*') {
            /* PostgreSQL's block comments nest. */
            int depth = 0;
            do {
                if (sql[i] == '/' && sql[i + 1] == '*') {
                    depth++;
                    out[o++] = sql[i++];
                } else if (sql[i] == '*' && sql[i + 1] == '/') {
                    depth--;
                    out[o++] = sql[i++];
                }
                out[o++] = sql[i++];
            } while (sql[i] && depth > 0);
        } else if (c == '$' && (i == 0 || !pg_sql_ident_char((unsigned char)sql[i - 1]))) {
            if (digit(sql[i + 1])) {
                *why = "use ?N parameters, not $N";
                return -1;
            }
            size_t tag = dollar_tag(sql + i);
            if (!tag) {
                out[o++] = sql[i++];
                continue;
            }
            memcpy(out + o, sql + i, tag);
            o += tag;
            i += tag;
            const char *end = strstr(sql + i, "$");
            while (end && strncmp(end, sql + i - tag, tag) != 0)
                end = strstr(end + 1, "$");
            size_t body = end ? (size_t)(end - (sql + i)) + tag : strlen(sql + i);
            memcpy(out + o, sql + i, body);
            o += body;
            i += body;
        } else if (c == '?') {
            if (!digit(sql[i + 1])) {
                *why = "parameters must be numbered (?1, ?2, ...)";
                return -1;
            }
            long n = 0;
            out[o++] = '$';
            i++;
            while (digit(sql[i])) {
                n = n * 10 + (sql[i] - '0');
                if (n > PG_MAX_PARAMS) {
                    *why = "parameter number out of range";
                    return -1;
                }
                out[o++] = sql[i++];
            }
            if (n < 1) {
                *why = "parameters are numbered from ?1";
                return -1;
            }
            used[n - 1] = 1;
            if (n > top)
                top = (int)n;
        } else {
            out[o++] = sql[i++];
        }
    }
    out[o] = '\0';
    return top;
}
