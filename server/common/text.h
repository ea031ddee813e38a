/* text.h - checked conversions, dates and bounded string helpers.
 *
 * Every number that comes from outside (query strings, CLI flags, seeds)
 * goes through parse_i64 so that junk, overflow and out-of-range values are
 * rejected instead of silently truncated. Dates are proleptic Gregorian
 * calendar days counted from 1970-01-01. */
#ifndef SY_TEXT_H
#define SY_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Parses all of s as a base-10 integer within [min, max]. 0 on success. */
int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Bounded copy that always terminates; returns -1 if s was truncated. */
int copy_str(char *dst, size_t size, const char *src);

/* "YYYY-MM-DD" that names a real day -> days since 1970-01-01. 0 on success. */
int date_parse(const char *s, int64_t *days);
/* days since 1970-01-01 -> "YYYY-MM-DD" (out must hold 11 bytes). */
void date_format(int64_t days, char out[11]);
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

/* The wall clock, seconds since 1970-01-01 UTC. For tests only,
 * SWITCHYARD_NOW sets it: an instant ("2026-05-04T10:00:00Z") pins it, and
 * "@FILE" reads the instant from FILE at every call, so a test moves time
 * on by rewriting the file instead of sleeping. Unset, or not a valid
 * instant: the real clock. (HTTP Date headers and durations always use the
 * real clocks.) */
int64_t clock_now(void);
/* "YYYY-MM-DDTHH:MM:SSZ" -> seconds since 1970-01-01. 0 on success. */
int instant_parse(const char *s, int64_t *seconds);
/* Today's date in UTC as days since 1970-01-01. SWITCHYARD_TODAY
 * (YYYY-MM-DD) pins it, so tests and demos can run on a fixed calendar;
 * otherwise it is clock_now()'s day. */
int64_t clock_today(void);
/* clock_now() as RFC 3339 UTC, "2026-11-28T08:06:52Z". */
void clock_now_rfc3339(char out[21]);
/* Seconds since 1970-01-01 as RFC 3339 UTC (the inverse of instant_parse). */
void instant_format(int64_t seconds, char out[21]);
/* Monotonic milliseconds, for durations. */
double clock_mono_ms(void);
/* The process's CPU time (user and system, all threads), milliseconds. */
double clock_cpu_ms(void);

/* ASCII case-insensitive substring test (for q= searches). */
int str_contains_ci(const char *hay, const char *needle);
/* ASCII case-insensitive comparison: <0, 0 or >0 like strcmp. */
int text_casecmp(const char *a, const char *b);

/* 1 when s is well-formed UTF-8 (no overlong forms, surrogates or code
 * points above U+10FFFF), as every text the store holds is. */
int utf8_valid(const char *s);

#endif
