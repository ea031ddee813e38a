/* casefold.h - simple Unicode case folding for comparing names: ASCII,
 * Latin-1 Supplement, Latin Extended-A, Greek and Coptic, Cyrillic and
 * Cyrillic Supplement, as Unicode's CaseFolding.txt maps them with status C
 * and S (one code point to one; the full foldings such as "ß" -> "ss" and
 * the Turkic dotted I are left out, so those compare as they are).
 *
 * How duplicate workload names are found (store/workloads.c):
 * "Ärzte-Assistent" and "ärzte-assistent " are one name, as are
 * "ΟΔΗΓΟΣ" and "οδηγος" or "ПОМОЩНИК" and "помощник". Pure: no I/O,
 * no locale. */
#ifndef SY_CASEFOLD_H
#define SY_CASEFOLD_H

#include <stdint.h>

/* The simple case fold of code point cp (itself when it has none). */
uint32_t casefold(uint32_t cp);

/* 1 when two names are the same once trimmed, runs of spaces and tabs
 * collapsed to one space and letters case-folded (casefold); NULL equals
 * only NULL. Bytes that are not well-formed UTF-8 compare as themselves. */
int casefold_name_equal(const char *a, const char *b);

struct buf;
/* Appends to out the form two names casefold_name_equal holds equal share
 * (trimmed, blanks collapsed, letters folded): a key for
 * finding repeats among many names. 0, or -1 when out of memory. */
int casefold_name_key(const char *name, struct buf *out);

#endif
