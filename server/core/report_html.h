/* report_html.h - the governance report as one self-contained HTML page,
 * rendered from the report's JSON model and its tables.
 *
 * Self-contained: inline CSS, no script, no external resource; charts are
 * inline SVG drawn here, each beside a table of the same figures. Print:
 * A4 pages, each section starting on a new page, table headers repeated on
 * every page a table spans (thead as table-header-group), fixed table
 * layout with wrapping cells so no table is wider than the page. Every
 * text from the data is HTML-escaped. The generation time and author sit in
 * elements marked data-field="generated_at" / "generated_by". Pure. */
#ifndef SY_REPORT_HTML_H
#define SY_REPORT_HTML_H

#include <jansson.h>

#include "common/buf.h"
#include "core/report_tables.h"

void report_html(const json_t *model, const report_table tables[REPORT_TABLES], buf *out);

/* Appends s HTML-escaped (& < > " '). NULL appends nothing. */
void html_escape(buf *out, const char *s);

#endif
