/* casefold.c - simple case folding by table and the name comparison built
 * on it; see casefold.h. The tables transcribe Unicode's CaseFolding.txt
 * (status C and S) for the blocks named there; every code point of them was
 * checked against Python's str.casefold (Unicode 14), whose one-to-one
 * results are exactly those, when the table was written. */
#include "core/casefold.h"

#include "common/buf.h"

#include <stddef.h>

/* A run of code points that fold by adding delta: every one of them
 * (step 1), or every other one from `first` (step 2: upper/lower pairs
 * side by side, the upper case one first). */
typedef struct fold_range {
    uint16_t first, last;
    int16_t delta;
    uint8_t step;
} fold_range;

static const fold_range RANGES[] = {
    {0x0041, 0x005A, 32, 1},   /* A-Z */
    {0x00C0, 0x00D6, 32, 1},   /* À-Ö (U+00D7 × is not a letter) */
    {0x00D8, 0x00DE, 32, 1},   /* Ø-Þ */
    {0x0100, 0x012E, 1, 2},    /* Ā-Į (U+0130 İ: Turkic, left as is) */
    {0x0132, 0x0136, 1, 2},    /* Ĳ-Ķ */
    {0x0139, 0x0147, 1, 2},    /* Ĺ-Ň */
    {0x014A, 0x0176, 1, 2},    /* Ŋ-Ŷ */
    {0x0179, 0x017D, 1, 2},    /* Ź-Ž */
    {0x0370, 0x0372, 1, 2},    /* Ͱ, Ͳ */
    {0x0376, 0x0376, 1, 1},    /* Ͷ */
    {0x0388, 0x038A, 37, 1},   /* Έ-Ί */
    {0x038E, 0x038F, 63, 1},   /* Ύ, Ώ */
    {0x0391, 0x03A1, 32, 1},   /* Α-Ρ */
    {0x03A3, 0x03AB, 32, 1},   /* Σ-Ϋ */
    {0x03D8, 0x03EE, 1, 2},    /* Ϙ-Ϯ */
    {0x03FD, 0x03FF, -130, 1}, /* Ͻ-Ͽ */
    {0x0400, 0x040F, 80, 1},   /* Ѐ-Џ */
    {0x0410, 0x042F, 32, 1},   /* А-Я */
    {0x0460, 0x0480, 1, 2},    /* Ѡ-Ҁ */
    {0x048A, 0x04BE, 1, 2},    /* Ҋ-Ҿ */
    {0x04C1, 0x04CD, 1, 2},    /* Ӂ-Ӎ */
    {0x04D0, 0x04FE, 1, 2},    /* Ӑ-Ӿ */
    {0x0500, 0x052E, 1, 2},    /* Ԁ-Ԯ (Cyrillic Supplement) */
};

/* Code points that fold alone. */
static const struct { uint16_t from, to; } SINGLES[] = {
    {0x00B5, 0x03BC},   /* µ micro sign -> μ */
    {0x0178, 0x00FF},   /* Ÿ */
    {0x017F, 0x0073},   /* ſ long s -> s */
    {0x037F, 0x03F3},   /* Ϳ */
    {0x0386, 0x03AC},   /* Ά */
    {0x038C, 0x03CC},   /* Ό */
    {0x03C2, 0x03C3},   /* ς final sigma -> σ */
    {0x03CF, 0x03D7},   /* Ϗ */
    {0x03D0, 0x03B2},   /* ϐ -> β */
    {0x03D1, 0x03B8},   /* ϑ -> θ */
    {0x03D5, 0x03C6},   /* ϕ -> φ */
    {0x03D6, 0x03C0},   /* ϖ -> π */
    {0x03F0, 0x03BA},   /* ϰ -> κ */
    {0x03F1, 0x03C1},   /* ϱ -> ρ */
    {0x03F4, 0x03B8},   /* ϴ -> θ */
    {0x03F5, 0x03B5},   /* ϵ -> ε */
    {0x03F7, 0x03F8},   /* Ϸ */
    {0x03F9, 0x03F2},   /* Ϲ -> ϲ */
    {0x03FA, 0x03FB},   /* Ϻ */
    {0x04C0, 0x04CF},   /* Ӏ palochka */
};

uint32_t casefold(uint32_t cp)
{
    if (cp > 0x052F)
        return cp;
    for (size_t i = 0; i < sizeof SINGLES / sizeof SINGLES[0]; i++)
        if (SINGLES[i].from == cp)
            return SINGLES[i].to;
    for (size_t i = 0; i < sizeof RANGES / sizeof RANGES[0]; i++) {
        const fold_range *r = &RANGES[i];
        if (cp < r->first || cp > r->last)
            continue;
        if (r->step == 1 || (cp - r->first) % 2 == 0)
            return (uint32_t)((int32_t)cp + r->delta);
        return cp;
    }
    return cp;
}

/* The code point at *p (advancing it), or a byte that is not well-formed
 * UTF-8 as 0x110000 + the byte, so it only ever equals itself. */
static uint32_t next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
            : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (n < 0) {
        *p = s + 1;
        return 0x110000 + c;
    }
    uint32_t cp = n == 0 ? c : c & (0x3Fu >> n);
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p = s + 1;
            return 0x110000 + c;
        }
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    *p = s + 1 + n;
    return cp;
}

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t';
}

/* The next character of a name as compared: blanks at the start and the
 * end vanish, a run of blanks inside reads as one space, letters folded;
 * 0 at the end. */
static uint32_t name_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    if (is_blank(*s)) {
        while (is_blank(*s))
            s++;
        *p = s;
        return *s ? ' ' : 0;
    }
    if (!*s)
        return 0;
    return casefold(next_cp(p));
}

int casefold_name_equal(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (is_blank(*x))
        x++;
    while (is_blank(*y))
        y++;
    for (;;) {
        uint32_t c = name_next(&x), d = name_next(&y);
        if (c != d)
            return 0;
        if (!c)
            return 1;
    }
}

/* Appends code point c to out as UTF-8; a byte that was not well-formed
 * (0x110000 + byte) goes back as that byte. */
static void put_cp(buf *out, uint32_t c)
{
    if (c >= 0x110000) {
        buf_putc(out, (char)(c - 0x110000));
    } else if (c < 0x80) {
        buf_putc(out, (char)c);
    } else if (c < 0x800) {
        buf_putc(out, (char)(0xC0 | (c >> 6)));
        buf_putc(out, (char)(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        buf_putc(out, (char)(0xE0 | (c >> 12)));
        buf_putc(out, (char)(0x80 | ((c >> 6) & 0x3F)));
        buf_putc(out, (char)(0x80 | (c & 0x3F)));
    } else {
        buf_putc(out, (char)(0xF0 | (c >> 18)));
        buf_putc(out, (char)(0x80 | ((c >> 12) & 0x3F)));
        buf_putc(out, (char)(0x80 | ((c >> 6) & 0x3F)));
        buf_putc(out, (char)(0x80 | (c & 0x3F)));
    }
}

int casefold_name_key(const char *name, buf *out)
{
    const unsigned char *x = (const unsigned char *)(name ? name : "");
    while (is_blank(*x))
        x++;
    for (uint32_t c; (c = name_next(&x)) != 0;)
        put_cp(out, c);
    return buf_failed(out) ? -1 : 0;
}
