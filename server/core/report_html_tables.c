/* report_html_tables.c - the HTML report's notice deadlines, upstream
 * terms, changes and appendices (the appendices and changes drawn from the
 * same column lists as the CSV files). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/report_html_kit.h"

/* ---- deadlines and upstream terms ----------------------------------------- */

void rh_deadlines(rh_ctx *c)
{
    const json_t *d = json_object_get(c->model, "deadlines");
    const json_t *items = json_object_get(d, "items");
    buf *b = c->b;
    rh_open_section(c, "deadlines", "Contract notice deadlines in the next 12 months");
    buf_puts(b, "<p>Customer contracts whose last day to give notice (end of the current "
                "term minus the notice period) falls between ");
    rh_text(c, rh_str_of(d, "from"));
    buf_puts(b, " and ");
    rh_text(c, rh_str_of(d, "until"));
    buf_puts(b, ", soonest first.</p>\n");
    if (json_array_size(items) == 0) {
        buf_puts(b, "<p>No notice deadline falls in this period.</p>\n");
        rh_close_section(c);
        return;
    }
    static const char *const h[] = {"Contract", "Counterparty", "Notice deadline", "#Days left",
                                    "Term ends", "#Notice days", "Auto-renew",
                                    "#Annual value"};
    static const int w[] = {25, 13, 12, 8, 12, 8, 8, 14};
    rh_table_head_w(c, NULL, h, 8, w);
    for (size_t i = 0; i < json_array_size(items); i++) {
        const json_t *k = json_array_get(items, i);
        buf_puts(b, "<tr>");
        rh_td(c, rh_str_of(k, "name"));
        rh_td(c, rh_str_of(k, "counterparty"));
        rh_td(c, rh_str_of(k, "notice_deadline"));
        rh_td_int(c, json_object_get(k, "days_left"));
        rh_td(c, rh_str_of(k, "end_date"));
        rh_td_int(c, json_object_get(k, "notice_days"));
        rh_td_bool(c, json_object_get(k, "auto_renew"));
        rh_td_amount(c, k, "annual_value");
        buf_puts(b, "</tr>\n");
    }
    rh_table_end(c);
    rh_close_section(c);
}

/* Terms come per agreement, in order; the workloads that depend on an
 * agreement are the same for each of its terms, so they are listed once,
 * with the terms whose end each one outlives. */
void rh_upstream(rh_ctx *c)
{
    const json_t *list = json_object_get(c->model, "upstream_terms");
    size_t n = json_array_size(list);
    buf *b = c->b;
    rh_open_section(c, "upstream", "Upstream terms and the workloads that depend on them");
    buf_puts(b, "<p>Agreements between vendors that shape the organisation's options. A "
                "workload depends on an agreement when it uses an offering the agreement "
                "covers; it outlives a term when it is planned to run past the term's end "
                "(a production workload with no planned end counts as beyond it).</p>\n");
    if (n == 0)
        buf_puts(b, "<p>No upstream agreement is recorded.</p>\n");
    for (size_t i = 0; i < n;) {
        const json_t *first = json_array_get(list, i);
        json_int_t id = json_integer_value(json_object_get(first, "contract"));
        size_t j = i;
        size_t total = 0;
        while (j < n && json_integer_value(json_object_get(json_array_get(list, j), "contract")) == id)
            total += json_array_size(json_object_get(json_array_get(list, j++), "workloads"));
        buf_puts(b, "<h3>");
        rh_text(c, rh_str_of(first, "agreement"));
        buf_puts(b, "</h3><p class=\"meta\">Between ");
        rh_text(c, rh_str_of(first, "counterparty"));
        buf_puts(b, " and ");
        rh_text(c, rh_str_of(first, "other_party"));
        buf_puts(b, "</p>\n");
        static const char *const th[] = {"Term", "Text", "Effective", "Until", "#Days left"};
        static const int tw[] = {15, 47, 13, 13, 12};
        c->keep = 1;
        rh_table_head_w(c, NULL, th, 5, tw);
        for (size_t k = i; k < j; k++) {
            const json_t *t = json_array_get(list, k);
            buf_puts(b, "<tr>");
            rh_td_code(c, rh_str_of(t, "kind"));
            rh_td(c, rh_str_of(t, "text"));
            rh_td(c, rh_str_of(t, "effective"));
            rh_td(c, rh_str_of(t, "until"));
            rh_td_int(c, json_object_get(t, "days_left"));
            buf_puts(b, "</tr>\n");
        }
        rh_table_end(c);

        /* the union of the dependent workloads, in first-seen order */
        const json_t **seen = total ? malloc(total * sizeof *seen) : NULL;
        size_t n_seen = 0;
        for (size_t k = i; seen && k < j; k++) {
            const json_t *wl = json_object_get(json_array_get(list, k), "workloads");
            for (size_t w = 0; w < json_array_size(wl); w++) {
                const json_t *x = json_array_get(wl, w);
                json_int_t xid = json_integer_value(json_object_get(x, "id"));
                size_t m = 0;
                while (m < n_seen && json_integer_value(json_object_get(seen[m], "id")) != xid)
                    m++;
                if (m == n_seen)
                    seen[n_seen++] = x;
            }
        }
        if (n_seen == 0) {
            buf_puts(b, "<p class=\"meta\">No active workload depends on this agreement.</p>\n");
        } else {
            static const char *const h[] = {"Dependent workload", "Track", "Status",
                                            "Planned end", "Outlives the end of"};
            static const int w[] = {36, 10, 12, 14, 28};
            rh_table_head_w(c, NULL, h, 5, w);
            for (size_t m = 0; m < n_seen; m++) {
                const json_t *x = seen[m];
                json_int_t xid = json_integer_value(json_object_get(x, "id"));
                buf_puts(b, "<tr>");
                rh_td(c, rh_str_of(x, "name"));
                rh_td_label(c, rh_str_of(x, "track"));
                rh_td_label(c, rh_str_of(x, "status"));
                rh_td(c, rh_str_of(x, "planned_end"));
                buf_puts(b, "<td>");
                int any = 0;
                for (size_t k = i; k < j; k++) {
                    const json_t *t = json_array_get(list, k);
                    const json_t *wl = json_object_get(t, "workloads");
                    for (size_t q = 0; q < json_array_size(wl); q++) {
                        const json_t *y = json_array_get(wl, q);
                        if (json_integer_value(json_object_get(y, "id")) == xid &&
                            json_is_true(json_object_get(y, "outlives_term"))) {
                            buf_puts(b, any ? ", " : "");
                            rh_escape_n(b, rh_str_of(t, "kind") ? rh_str_of(t, "kind") : "",
                                     strlen(rh_str_of(t, "kind") ? rh_str_of(t, "kind") : ""), 1);
                            buf_puts(b, " (");
                            rh_text(c, rh_str_of(t, "until"));
                            buf_puts(b, ")");
                            any = 1;
                        }
                    }
                }
                if (!any)
                    buf_puts(b, DASH);
                buf_puts(b, "</td></tr>\n");
            }
            rh_table_end(c);
        }
        free((void *)seen);
        i = j;
    }
    rh_close_section(c);
}

/* ---- tables from report_tables ---------------------------------------------- */

static void rh_grid(rh_ctx *c, const report_table *t)
{
    buf *b = c->b;
    buf_puts(b, "<table class=\"wide\"><colgroup>");
    for (size_t k = 0; k < t->n_cols; k++)
        if (t->cols[k].where & RC_HTML)
            buf_printf(b, "<col style=\"width:%d%%\">", t->cols[k].width);
    buf_puts(b, "</colgroup><thead><tr>");
    for (size_t k = 0; k < t->n_cols; k++) {
        const report_col *col = &t->cols[k];
        if (!(col->where & RC_HTML))
            continue;
        int numeric = col->kind == RC_INT || col->kind == RC_MONEY || col->kind == RC_NUM;
        buf_puts(b, numeric ? "<th class=\"num\">" : "<th>");
        html_escape(b, col->label ? col->label : col->header);
        buf_puts(b, "</th>");
    }
    buf_puts(b, "</tr></thead>\n<tbody>\n");
    buf cell;
    buf_init(&cell);
    for (size_t i = 0; i < json_array_size(t->rows); i++) {
        const json_t *row = json_array_get(t->rows, i);
        buf_puts(b, "<tr>");
        for (size_t k = 0; k < t->n_cols; k++) {
            const report_col *col = &t->cols[k];
            if (!(col->where & RC_HTML))
                continue;
            const json_t *v = report_path(row, col->path);
            if (col->kind == RC_MONEY) {
                rh_td_money(c, v);
                continue;
            }
            if (col->kind == RC_BOOL) {
                rh_td_bool(c, v);
                continue;
            }
            int numeric = col->kind == RC_INT || col->kind == RC_NUM;
            buf_reset(&cell);
            report_cell(row, col, &cell);
            buf_puts(b, numeric ? "<td class=\"num\">" : "<td>");
            if (!cell.len) {
                buf_puts(b, DASH);
            } else {
                /* one item per line */
                const char *p = cell.data;
                for (;;) {
                    const char *nl = strchr(p, '\n');
                    rh_escape_n(b, p, nl ? (size_t)(nl - p) : strlen(p), 1);
                    if (!nl)
                        break;
                    buf_puts(b, "<br>");
                    p = nl + 1;
                }
            }
            buf_puts(b, "</td>");
        }
        buf_puts(b, "</tr>\n");
    }
    buf_free(&cell);
    rh_table_end(c);
}

void rh_changes(rh_ctx *c, const report_table *audit)
{
    const json_t *ch = json_object_get(c->model, "changes");
    if (!json_is_object(ch))
        return;
    rh_open_section(c, "changes", "Changes since the given date");
    buf_puts(c->b, "<p>");
    rh_put_int(c, rh_num_of(ch, "count"));
    buf_puts(c->b, " change(s) to the governed data recorded in the audit trail since ");
    rh_text(c, rh_str_of(ch, "since"));
    buf_puts(c->b, ", up to the audit head of this report. The full before and after of each "
                   "event are in audit.csv and the JSON.</p>\n");
    rh_grid(c, audit);
    rh_close_section(c);
}

void rh_appendix(rh_ctx *c, const report_table *t, const char *id, const char *title,
                     const char *csv)
{
    rh_open_section(c, id, title);
    buf_printf(c->b, "<p class=\"note\">Every record; all fields are in %s and the JSON.</p>\n",
               csv);
    rh_grid(c, t);
    rh_close_section(c);
}
