/* pg_sql.h - rewriting the store's SQL for PostgreSQL: the statements
 * number their parameters SQLite-style (?1..?N), PostgreSQL wants $1..$N.
 *
 * The rewrite leaves alone what is not SQL code: string literals ('...'
 * with '' inside, E'...' with backslash escapes too), dollar-quoted strings
 * ($$...$$, $tag$...$tag$), double-quoted identifiers, -- line comments and
 * nested block comments. Pure text, no libpq: postgres.c uses it, the unit
 * tests and the fuzz target call it directly. */
#ifndef SY_PG_SQL_H
#define SY_PG_SQL_H

#include <stddef.h>

/* The protocol counts parameters in 16 bits. */
#define PG_MAX_PARAMS 65535

/* Copies sql into out (strlen(sql) + 1 bytes: the rewrite never changes
 * the length), turning each ?N outside literals, quoted identifiers and
 * comments into $N, and marks N in used[0..PG_MAX_PARAMS-1] (the caller
 * zeroes it). Returns the highest N (0 if none), or -1 with the reason in
 * *why: an unnumbered ?, ?0, a number above PG_MAX_PARAMS, or a $N written
 * directly. */
int pg_sql_rewrite(const char *sql, char *out, unsigned char *used, const char **why);

/* 1 if c may continue an SQL identifier (letters, digits, _, $, non-ASCII). */
int pg_sql_ident_char(unsigned char c);

#endif
