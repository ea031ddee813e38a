/* report_html_kit.h - what the parts of the HTML report share (not for use
 * outside server/core/report_html*.c): the rendering context, escaping and
 * number formats, table and cell writers, the SVG bar chart, and the
 * sections, each in report_html_sections.c or report_html_tables.c. */
#ifndef SY_REPORT_HTML_KIT_H
#define SY_REPORT_HTML_KIT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "core/report_html.h"
#include "core/report_tables.h"

#define DASH "\xe2\x80\x94"   /* an em dash for an empty value */

typedef struct rh_ctx {
    buf *b;
    const json_t *model;
    int section;               /* number of the last section opened */
    int keep;                  /* the next table is short: keep it on one page */
} rh_ctx;

extern const char *const RH_TRACK_COLORS[4][2];
extern const char *const RH_LEVEL_COLORS[4][2];

/* Escapes n bytes; with breaks, a <wbr> after each '_' lets codes wrap. */
void rh_escape_n(buf *out, const char *s, size_t n, int breaks);
const char *rh_str_of(const json_t *obj, const char *key);
double rh_num_of(const json_t *obj, const char *key);
void rh_text(rh_ctx *c, const char *s);
void rh_put_grouped(buf *b, int64_t v);
void rh_put_int(rh_ctx *c, double v);
void rh_put_money(buf *b, double units);
void rh_money(rh_ctx *c, const json_t *v);
void rh_put_pct(rh_ctx *c, double share);
const char *rh_color_of(const char *const table[][2], size_t n, const char *key);
const char *rh_track_title(const json_t *model, const char *track);
void rh_open_section(rh_ctx *c, const char *id, const char *title);
void rh_close_section(rh_ctx *c);
/* A table's caption (or NULL), widths in percent (or NULL) and header; a
 * header starting with '#' is numeric. c->keep keeps it on one page. */
void rh_table_head_w(rh_ctx *c, const char *caption, const char *const *heads, size_t n,
                     const int *widths);
void rh_table_head(rh_ctx *c, const char *caption, const char *const *heads, size_t n);
void rh_table_end(rh_ctx *c);
void rh_td(rh_ctx *c, const char *s);
void rh_td_code(rh_ctx *c, const char *s);
void rh_td_int(rh_ctx *c, const json_t *v);
void rh_td_money(rh_ctx *c, const json_t *v);
void rh_td_bool(rh_ctx *c, const json_t *v);
/* A number cell: row[key] as money followed by row's "currency". */
void rh_td_amount(rh_ctx *c, const json_t *row, const char *key);
/* A code as words ("model_api" -> "Model API"); other text as it is. */
void rh_label(buf *out, const char *code);
void rh_td_label(rh_ctx *c, const char *code);
/* A quoted CSS string, safe inside <style>. */
void rh_css_string(buf *out, const char *s);
/* A horizontal bar chart in SVG (labels and values as text). */
void rh_bar_chart(rh_ctx *c, const char *title, size_t n, const char *const *labels,
                  const double *values, const char *const *colors, int as_money);

/* Sections, in document order. */
void rh_brief(rh_ctx *c);   /* the executive summary in words */
void rh_summary(rh_ctx *c);
void rh_track(rh_ctx *c, const json_t *t);
void rh_flagged(rh_ctx *c);
/* Findings still to act on, by severity, with owner, due date and status
 * (model key findings; report_html_governance.c). */
void rh_open_findings(rh_ctx *c);
void rh_compliance(rh_ctx *c);
void rh_accepted(rh_ctx *c);
void rh_ai_act(rh_ctx *c);    /* report_html_ai_act.c */
void rh_concentration(rh_ctx *c);
void rh_deadlines(rh_ctx *c);
void rh_upstream(rh_ctx *c);
void rh_changes(rh_ctx *c, const report_table *audit);
/* "Changes since the last review" (model key since_review; report_html_review.c). */
void rh_review_changes(rh_ctx *c);
void rh_appendix(rh_ctx *c, const report_table *t, const char *id, const char *title,
                 const char *csv);

#endif
