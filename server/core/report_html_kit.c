/* report_html_kit.c - building blocks of the HTML report; see
 * report_html_kit.h. */
#include "core/report_html_kit.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/report_html.h"

const char *const RH_TRACK_COLORS[4][2] = {
    {"copilot", "#6b3fb3"}, {"azure", "#1760c4"}, {"openai", "#0b7a5e"}, {"other", "#5c6675"}};
const char *const RH_LEVEL_COLORS[4][2] = {
    {"low", "#b9a878"}, {"medium", "#e8b02a"}, {"high", "#d9661c"}, {"critical", "#a3201b"}};


/* Escapes n bytes; with breaks, a <wbr> after each '_' lets long codes
 * such as proprietary_interface wrap in narrow columns. */
void rh_escape_n(buf *out, const char *s, size_t n, int breaks)
{
    const char *start = s, *end = s + n;
    for (; s < end; s++) {
        if (breaks && *s == '_') {
            buf_append(out, start, (size_t)(s + 1 - start));
            buf_puts(out, "<wbr>");
            start = s + 1;
            continue;
        }
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_append(out, start, (size_t)(s - start));
        buf_puts(out, rep);
        start = s + 1;
    }
    buf_append(out, start, (size_t)(end - start));
}

void html_escape(buf *out, const char *s)
{
    if (s)
        rh_escape_n(out, s, strlen(s), 0);
}

/* ---- values -------------------------------------------------------------- */

const char *rh_str_of(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

double rh_num_of(const json_t *obj, const char *key)
{
    return json_number_value(json_object_get(obj, key));
}

void rh_text(rh_ctx *c, const char *s)
{
    if (s && *s)
        html_escape(c->b, s);
    else
        buf_puts(c->b, DASH);
}

/* 1234567 -> "1,234,567" */
void rh_put_grouped(buf *b, int64_t v)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%" PRId64, v < 0 ? -v : v);
    if (v < 0)
        buf_putc(b, '-');
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            buf_putc(b, ',');
        buf_putc(b, digits[i]);
    }
}

void rh_put_int(rh_ctx *c, double v)
{
    rh_put_grouped(c->b, (int64_t)llround(v));
}

/* Money in currency units with cents: 12345.5 -> "12,345.50". */
void rh_put_money(buf *b, double units)
{
    int64_t cents = (int64_t)llround(units * 100.0);
    if (cents < 0) {
        buf_putc(b, '-');
        cents = -cents;
    }
    rh_put_grouped(b, cents / 100);
    buf_printf(b, ".%02" PRId64, cents % 100);
}

void rh_money(rh_ctx *c, const json_t *v)
{
    if (json_is_number(v))
        rh_put_money(c->b, json_number_value(v));
    else
        buf_puts(c->b, DASH);
}

void rh_put_pct(rh_ctx *c, double share)
{
    buf_printf(c->b, "%.1f%%", share * 100.0);
}

const char *rh_color_of(const char *const table[][2], size_t n, const char *key)
{
    for (size_t i = 0; key && i < n; i++)
        if (strcmp(table[i][0], key) == 0)
            return table[i][1];
    return "#3d5a80";
}

/* Title of a track as the strategy view gives it, or the track code. */
const char *rh_track_title(const json_t *model, const char *track)
{
    const json_t *tracks = json_object_get(model, "tracks");
    for (size_t i = 0; track && i < json_array_size(tracks); i++) {
        const json_t *t = json_array_get(tracks, i);
        const char *code = rh_str_of(t, "track");
        if (code && strcmp(code, track) == 0 && rh_str_of(t, "title"))
            return rh_str_of(t, "title");
    }
    return track;
}

/* ---- building blocks ------------------------------------------------------ */

void rh_open_section(rh_ctx *c, const char *id, const char *title)
{
    buf_printf(c->b, "<section id=\"%s\" aria-labelledby=\"%s-title\">\n<h2 id=\"%s-title\">%d. ",
               id, id, id, ++c->section);
    html_escape(c->b, title);
    buf_puts(c->b, "</h2>\n");
}

void rh_close_section(rh_ctx *c)
{
    buf_puts(c->b, "</section>\n");
}

/* Starts a table: caption (may be NULL), column widths in percent (or
 * NULL for equal ones) and header cells; a header starting with '#' is a
 * numeric column (right-aligned). */
void rh_table_head_w(rh_ctx *c, const char *caption, const char *const *heads, size_t n,
                         const int *widths)
{
    /* A short table (known to be a few rows) stays on one page with its header. */
    buf_puts(c->b, c->keep ? "<table class=\"keep\">" : "<table>");
    c->keep = 0;
    if (widths) {
        buf_puts(c->b, "<colgroup>");
        for (size_t i = 0; i < n; i++)
            buf_printf(c->b, "<col style=\"width:%d%%\">", widths[i]);
        buf_puts(c->b, "</colgroup>");
    }
    if (caption) {
        buf_puts(c->b, "<caption>");
        html_escape(c->b, caption);
        buf_puts(c->b, "</caption>");
    }
    buf_puts(c->b, "<thead><tr>");
    for (size_t i = 0; i < n; i++) {
        int numeric = heads[i][0] == '#';
        buf_puts(c->b, numeric ? "<th class=\"num\">" : "<th>");
        html_escape(c->b, heads[i] + numeric);
        buf_puts(c->b, "</th>");
    }
    buf_puts(c->b, "</tr></thead>\n<tbody>\n");
}

void rh_table_head(rh_ctx *c, const char *caption, const char *const *heads, size_t n)
{
    rh_table_head_w(c, caption, heads, n, NULL);
}

void rh_table_end(rh_ctx *c)
{
    buf_puts(c->b, "</tbody></table>\n");
}

void rh_td(rh_ctx *c, const char *s)
{
    buf_puts(c->b, "<td>");
    rh_text(c, s);
    buf_puts(c->b, "</td>");
}

/* A cell holding a code (single_group_stack): may wrap at underscores. */
void rh_td_code(rh_ctx *c, const char *s)
{
    buf_puts(c->b, "<td>");
    if (s && *s)
        rh_escape_n(c->b, s, strlen(s), 1);
    else
        buf_puts(c->b, DASH);
    buf_puts(c->b, "</td>");
}

void rh_td_int(rh_ctx *c, const json_t *v)
{
    buf_puts(c->b, "<td class=\"num\">");
    if (json_is_number(v))
        rh_put_int(c, json_number_value(v));
    else
        buf_puts(c->b, DASH);
    buf_puts(c->b, "</td>");
}

void rh_td_money(rh_ctx *c, const json_t *v)
{
    buf_puts(c->b, "<td class=\"num\">");
    rh_money(c, v);
    buf_puts(c->b, "</td>");
}

void rh_td_bool(rh_ctx *c, const json_t *v)
{
    rh_td(c, json_is_boolean(v) ? (json_is_true(v) ? "Yes" : "No") : NULL);
}

void rh_td_amount(rh_ctx *c, const json_t *row, const char *key)
{
    buf_puts(c->b, "<td class=\"num\">");
    rh_money(c, json_object_get(row, key));
    if (rh_str_of(row, "currency")) {
        buf_putc(c->b, ' ');
        html_escape(c->b, rh_str_of(row, "currency"));
    }
    buf_puts(c->b, "</td>");
}

/* A horizontal bar chart in SVG; the same figures are in a table beside it. */
void rh_bar_chart(rh_ctx *c, const char *title, size_t n, const char *const *labels,
                      const double *values, const char *const *colors, int as_money)
{
    const int row = 20, label_w = 210, bar_w = 300;
    double max = 0;
    for (size_t i = 0; i < n; i++)
        if (values[i] > max)
            max = values[i];
    int height = (int)n * row + 4;
    buf_puts(c->b, "<figure><figcaption>");
    html_escape(c->b, title);
    buf_printf(c->b, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
                     "viewBox=\"0 0 640 %d\" role=\"img\" aria-label=\"", height);
    html_escape(c->b, title);
    buf_puts(c->b, "\">\n");
    for (size_t i = 0; i < n; i++) {
        int y = (int)i * row;
        double w = max > 0 ? values[i] / max * bar_w : 0;
        char label[64];
        size_t len = strlen(labels[i] ? labels[i] : "");
        if (len > 34) {
            /* keep whole UTF-8 characters */
            size_t cut = 33;
            while (cut > 0 && ((unsigned char)labels[i][cut] & 0xC0) == 0x80)
                cut--;
            memcpy(label, labels[i], cut);
            memcpy(label + cut, "\xe2\x80\xa6", 4);
        } else {
            memcpy(label, labels[i] ? labels[i] : "", len + 1);
        }
        buf_printf(c->b, "<text x=\"0\" y=\"%d\">", y + 14);
        html_escape(c->b, label);
        buf_printf(c->b, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"14\" "
                         "fill=\"%s\"/><text x=\"%.1f\" y=\"%d\">",
                   label_w, y + 3, w, colors ? colors[i] : "#3d5a80", label_w + w + 5, y + 14);
        if (as_money)
            rh_put_money(c->b, values[i]);
        else
            rh_put_grouped(c->b, (int64_t)llround(values[i]));
        buf_puts(c->b, "</text>\n");
    }
    buf_puts(c->b, "</svg></figure>\n");
}

/* ---- words for codes ------------------------------------------------------- */

/* Words that stay in capitals when a code is shown as words. */
static int is_acronym(const char *w, size_t n)
{
    static const char *const up[] = {"ai", "api", "hhi", "llm", "eu", "id", "it", "gpu",
                                     "sso", "rag", "csv", "sql", NULL};
    for (int i = 0; up[i]; i++)
        if (strlen(up[i]) == n && strncmp(up[i], w, n) == 0)
            return 1;
    return 0;
}

/* Words with a spelling of their own. */
static const char *proper_word(const char *w, size_t n)
{
    static const char *const words[][2] = {{"openai", "OpenAI"}, {"github", "GitHub"}, {NULL, NULL}};
    for (int i = 0; words[i][0]; i++)
        if (strlen(words[i][0]) == n && strncmp(words[i][0], w, n) == 0)
            return words[i][1];
    return NULL;
}

/* A code as words for a reader: "single_group_stack" -> "Single group
 * stack", "model_api" -> "Model API". Anything that is not a lower-case
 * code (names, sentences) is written as it is. */
void rh_label(buf *out, const char *code)
{
    if (!code)
        return;
    for (const char *p = code; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) {
            html_escape(out, code);
            return;
        }
    const char *w = code;
    int first = 1;
    while (*w) {
        size_t n = strcspn(w, "_");
        if (!first)
            buf_puts(out, " ");
        const char *proper = proper_word(w, n);
        if (proper)
            buf_puts(out, proper);
        for (size_t i = 0; !proper && i < n; i++) {
            char ch = w[i];
            if (is_acronym(w, n) || (first && i == 0))
                ch = (char)(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
            buf_append(out, &ch, 1);
        }
        first = 0;
        w += n;
        if (*w == '_')
            w++;
    }
}

void rh_td_label(rh_ctx *c, const char *code)
{
    buf_puts(c->b, "<td>");
    if (code)
        rh_label(c->b, code);
    else
        buf_puts(c->b, DASH);
    buf_puts(c->b, "</td>");
}

/* A CSS string literal: quotes, backslashes and line breaks escaped, and
 * '<' too, so that the text cannot close the <style> element. */
void rh_css_string(buf *out, const char *s)
{
    buf_puts(out, "\"");
    for (const char *p = s ? s : ""; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '"' || ch == '\\' || ch == '<' || ch < 0x20 || ch == 0x7f)
            buf_printf(out, "\\%x ", ch);
        else
            buf_append(out, p, 1);
    }
    buf_puts(out, "\"");
}
