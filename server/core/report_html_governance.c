/* report_html_governance.c - the HTML report's governance sections from the
 * summary in the model (the dashboard's own answer): the compliance
 * findings, the risks knowingly accepted (owner, reason, expiry) and how
 * fresh the catalogue's facts are. */
#include <string.h>

#include "core/report_html_kit.h"

static const json_t *summary_of(rh_ctx *c)
{
    return json_object_get(c->model, "summary");
}

void rh_compliance(rh_ctx *c)
{
    const json_t *comp = json_object_get(summary_of(c), "compliance");
    const json_t *items = json_object_get(comp, "items");
    buf *b = c->b;
    rh_open_section(c, "compliance", "Compliance findings");
    buf_printf(b, "<p>%zu finding%s over the active workloads, separate from the lock-in "
                  "score: data residency, model lifecycle, EU AI Act oversight and untested "
                  "exit plans. Most severe first.</p>\n",
               json_array_size(items), json_array_size(items) == 1 ? "" : "s");
    if (json_array_size(items)) {
        static const char *const heads[] = {"Severity", "Finding", "What to do", "Workloads"};
        static const int widths[] = {10, 38, 30, 22};
        rh_table_head_w(c, NULL, heads, 4, widths);
        for (size_t i = 0; i < json_array_size(items); i++) {
            const json_t *f = json_array_get(items, i);
            buf_puts(b, "<tr>");
            rh_td(c, rh_str_of(f, "severity"));
            rh_td(c, rh_str_of(f, "detail"));
            rh_td(c, rh_str_of(f, "action"));
            buf_puts(b, "<td>");
            const json_t *wl = json_object_get(f, "workloads");
            for (size_t k = 0; k < json_array_size(wl); k++) {
                if (k)
                    buf_puts(b, "; ");
                rh_text(c, rh_str_of(json_array_get(wl, k), "name"));
            }
            buf_puts(b, "</td></tr>\n");
        }
        rh_table_end(c);
    }
    rh_close_section(c);
}

void rh_accepted(rh_ctx *c)
{
    const json_t *list = json_object_get(summary_of(c), "accepted");
    const json_t *cat = json_object_get(summary_of(c), "catalogue");
    buf *b = c->b;
    rh_open_section(c, "accepted", "Accepted risks and catalogue freshness");
    buf_printf(b, "<p>%zu active workload%s lock-in knowingly accepted by a named owner "
                  "until a date; while an acceptance is in force the workload is not "
                  "flagged, and the day after it expires it is flagged again if its priority "
                  "still calls for it.</p>\n",
               json_array_size(list), json_array_size(list) == 1 ? " has its" : "s have their");
    if (json_array_size(list)) {
        static const char *const heads[] = {"Workload", "Priority", "Owner", "Until", "Reason"};
        static const int widths[] = {22, 9, 18, 11, 40};
        rh_table_head_w(c, NULL, heads, 5, widths);
        for (size_t i = 0; i < json_array_size(list); i++) {
            const json_t *x = json_array_get(list, i);
            buf_puts(b, "<tr>");
            rh_td(c, rh_str_of(x, "name"));
            rh_td(c, rh_str_of(x, "priority"));
            rh_td(c, rh_str_of(x, "owner"));
            rh_td(c, rh_str_of(x, "expires_on"));
            rh_td(c, rh_str_of(x, "reason"));
            buf_puts(b, "</tr>\n");
        }
        rh_table_end(c);
    }
    if (json_is_object(cat)) {
        buf_puts(b, "<p>Catalogue facts (vendors, offerings, upstream agreements): ");
        rh_put_int(c, json_number_value(json_object_get(cat, "records")));
        buf_puts(b, " records, each with its source and the day it was checked; ");
        rh_put_int(c, json_number_value(json_object_get(cat, "stale")));
        buf_puts(b, " checked more than ");
        rh_put_int(c, json_number_value(json_object_get(cat, "review_days")));
        buf_puts(b, " days ago (stale), ");
        rh_put_int(c, json_number_value(json_object_get(cat, "undated")));
        buf_puts(b, " never dated and ");
        rh_put_int(c, json_number_value(json_object_get(cat, "unsourced")));
        buf_puts(b, " without a source. The appendices list every source and date.</p>\n");
    }
    rh_close_section(c);
}
